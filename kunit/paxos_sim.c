// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: a deterministic simulation of a cluster of paxos cores.
 *
 * Everything derives from one seed: the fault profile, the clients, the
 * network, each core's own PRNG and the allocation failures (a stream of its
 * own), so a failing seed replays exactly.  The cores exchange real encoded
 * datagrams through a simulated network that loses, duplicates, delays (and
 * so reorders) messages and that can be partitioned; nodes can be paused.
 *
 * Fault classes on top of that (&struct paxos_sim_params.classes):
 *
 *   restarts   a node restarts without its state, with a strictly greater
 *              incarnation ((restarts << 40) | 40 random bits), either
 *              joining the existing cluster (every configuration with
 *              faults) or claiming a new one (RESTART_NEW: half the
 *              restarts, voters more often, and in one seed in eight a
 *              voter restarts so early that no node holds state yet).
 *              REPEAT restarts nodes again and again; MAJORITY lets one
 *              seed in eight restart voters one after another until a
 *              majority of them lost its state.  STALE keeps a restarted
 *              node down for a while and delays a few datagrams for up to
 *              hundreds of ticks, so that the old incarnation's messages
 *              reach peers (and the new incarnation) long after the
 *              restart.
 *   ALLOC      every allocation of a core fails with a per-seed probability
 *              (0 to 20%) until the liveness phase.
 *   TIMEOUT    proposals time out after 100 to 2000 ticks in half the seeds.
 *   BIG        max_value_size is PAXOS_MAX_VALUE and a few percent of the
 *              values are 1 KiB up to that, so promises page and ACCEPT and
 *              LEARN messages split; no datagram may exceed
 *              PAXOS_MAX_DATAGRAM (checked for every configuration).
 *   CHURN      learners restart (joining the existing cluster) every few
 *              ticks and propose in between: far more origin incarnations
 *              than the exactly-once table tracks.
 *   LIMITS     in one seed in four, datagrams with a voter's identity carry
 *              numbers at their limits: a PREPARE with a round a few
 *              thousand below U32_MAX (every later ballot lives there), and
 *              an ACCEPT whose commit point is at PAXOS_SLOT_LIMIT, which
 *              every node must drop as malformed.
 *
 * Out of scope: every voter without state at once (total amnesia).  A voter
 * is restarted only while another voter visibly holds state (it promised a
 * ballot or learned a slot), so a node claiming a new cluster always has a
 * peer that must refuse it.
 *
 * A checker looks at every delivery and completion as it is produced:
 *
 *   Agreement  no two nodes learn different things for one slot
 *   Validity   only proposed values (byte for byte) and no-ops are learned
 *   Integrity  no value is delivered in two slots (whatever its proposal's
 *              fate: acknowledged, timed out, or lost with its node); a
 *              completed proposal was delivered, in the slot its completion
 *              names; every proposal a core accepted gets exactly one
 *              completion, unless its node restarted (the cores' pending
 *              counts must match the simulator's)
 *   Order      every node delivers slots contiguously from 1 (a node may
 *              only skip slots that a peer has trimmed, explicitly), so its
 *              sequence is a prefix of the longest
 *   Refusal    a node that claimed a new cluster while another voter
 *              visibly held state (and kept it) never votes unless it was
 *              refused first: that voter must refuse it, every time
 *
 * Then faults stop.  Nodes still probing must be answered.  If the voters
 * that still vote are a majority, a liveness phase requires every pending
 * proposal to complete and every node to learn the same prefix within
 * SIM_LIVENESS_TICKS.  Otherwise (a majority of voters lost its state) the
 * cluster must refuse: clients keep proposing, nothing they propose may
 * complete successfully, and the restarted nodes that claimed a new cluster
 * report PAXOS_STATUS_REFUSED.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_core.h"
#include "paxos_sim.h"
#include "paxos_wire.h"

#define SIM_MAX_NODES		8
#define SIM_TRACE		256
#define SIM_TRACE_PRINT		80
#define SIM_FAULT_TICKS		40000	/* give up if the target is not met */
#define SIM_EASE_TICKS		4000	/* then no more loss or failed allocations */
#define SIM_LIVENESS_TICKS	1500	/* the stated bound after faults stop */
#define SIM_REFUSAL_TICKS	400	/* clients keep trying after a majority loss */
#define SIM_NOOP		U64_MAX
#define SIM_SMALL_VALUE		64	/* max_value_size without PAXOS_SIM_BIG */
#define SIM_BIG_VALUE		1024	/* big values: this size up to the max */
#define SIM_INC_SHIFT		40	/* incarnation: restarts, then random bits */
#define SIM_STALE_MAX		400	/* extra delay of a slow datagram */
#define SIM_CHURN_STALE_MAX	600	/* the same with PAXOS_SIM_CHURN */
#define SIM_DOWN_MAX		60	/* a restarting node is down this long */
#define SIM_ROUND_HEADROOM	4000	/* LIMITS: rounds left before U32_MAX */
#define SIM_ALLOC_PCT_MAX	20
#define SIM_DROP_PCT_MAX	30	/* network loss and allocation failures */

/* Core configuration used by every simulated node, in ticks. */
#define SIM_HEARTBEAT		3
#define SIM_ELECTION_MIN	10
#define SIM_ELECTION_MAX	20
#define SIM_RETRANSMIT		3
#define SIM_RETENTION		24
#define SIM_WINDOW		16
#define SIM_BATCH		8
#define SIM_QUEUE		16
#define SIM_GROUP		7

enum { VAL_PENDING = 1, VAL_ACKED, VAL_TIMEDOUT, VAL_LOST };

enum {
	EV_RECV, EV_DROP, EV_PROPOSE, EV_DELIVER, EV_COMPLETE, EV_STATE,
	EV_PARTITION, EV_PAUSE, EV_RESTART, EV_HEAL, EV_SKIP, EV_LIMITS,
};

struct sim_msg {
	u64 at;
	u64 order;
	u32 from;
	u32 to;
	u32 from_inc;		/* the sender's restarts when it sent it */
	u32 len;
	u8 data[];
};

struct sim_value {
	u32 node;
	u32 state;
	u64 slot;
};

struct sim_node {
	struct paxos_core *core;
	u32 id;
	bool paused;
	bool down;		/* restarting: datagrams to it are lost */
	bool restarted;
	bool joined;		/* this incarnation joined an existing cluster */
	u32 incarnations;	/* restarts so far */
	u64 inc;		/* the current incarnation */
	struct paxos_ballot promised;	/* as last checked: never falls */
	u32 witnesses;		/* voters that held state when it claimed new */
	u32 pending;		/* proposals accepted and not completed */
	u64 pause_until;
	u64 down_until;
	u64 next;		/* next slot this node must deliver */
};

struct sim_event {
	u64 t;
	u8 kind;
	u8 a;
	u8 b;
	u8 c;
	u32 x;
	u64 y;
	u32 z;
};

struct sim {
	const struct paxos_sim_params *p;
	struct paxos_sim_result *res;
	u64 seed;
	u64 rng;
	u64 now;
	u32 n;
	u32 classes;
	u32 quorum;
	struct sim_node nodes[SIM_MAX_NODES];

	struct sim_msg **heap;
	u32 heap_n, heap_cap;
	u64 order;
	u32 loss_pct, dup_pct, delay_max;
	u32 slow_pct, slow_max, down_max;
	bool cut[SIM_MAX_NODES][SIM_MAX_NODES];
	/* 1 + the newest incarnation (restart count) of b that a's core heard */
	u32 heard[SIM_MAX_NODES][SIM_MAX_NODES];
	u64 next_fault;
	u32 learner_restarts;
	bool amnesia;		/* this seed may restart a majority of voters */
	bool majority_lost;
	u64 early_at;		/* tick of a restart before anyone holds state */
	u64 next_churn;
	u64 limits_at;		/* tick of the LIMITS datagrams (0: none) */
	u32 limits_headroom;	/* rounds left below U32_MAX, roughly */

	u64 alloc_rng;		/* allocation failures: a stream of their own */
	u32 alloc_pct;
	bool alloc_on;
	u32 timeout;
	u32 max_value;
	u32 big_pct;

	u64 *slot_code;		/* per slot: 0 unknown, SIM_NOOP or value id */
	u64 slot_cap;
	struct sim_value *vals;	/* indexed by value id (= req_id) */
	u64 nr_vals, vals_cap;
	u64 refusal_first;	/* first value proposed after a majority loss */
	u64 gone_first;		/* highest first retained slot of a dead core */
	u32 bad_voter;		/* a node voting that must have been refused */
	u32 bad_witness;	/* a voter that held state when it claimed new */
	u64 bad_at;

	struct sim_event trace[SIM_TRACE];
	u32 trace_pos;
	bool failed;
	paxos_sim_print_t print;
	void *ctx;
	struct paxos_core_status st;
	u8 *buf;		/* one value, up to max_value bytes */
};

static u64 sim_mix(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 sim_rand(struct sim *s)
{
	return sim_mix(&s->rng);
}

static u32 sim_below(struct sim *s, u32 n)
{
	return n ? (u32)sim_rand(s) % n : 0;
}

static void trace(struct sim *s, u8 kind, u8 a, u8 b, u8 c, u32 x, u64 y)
{
	struct sim_event *e = &s->trace[s->trace_pos++ % SIM_TRACE];

	e->t = s->now;
	e->kind = kind;
	e->a = a;
	e->b = b;
	e->c = c;
	e->x = x;
	e->y = y;
	e->z = 0;
}

static const char *const sim_msg_names[] = {
	"?", "PREPARE", "PROMISE", "REJECT", "ACCEPT", "ACCEPTED", "FORWARD",
	"CATCHUP", "LEARN", "STATUS", "HELLO",
};

static const char *msg_name(u32 type)
{
	return sim_msg_names[type < ARRAY_SIZE(sim_msg_names) ? type : 0];
}

static void trace_print_one(struct sim *s, const struct sim_event *e)
{
	char line[128];

	switch (e->kind) {
	case EV_RECV:
	case EV_DROP:
		scnprintf(line, sizeof(line),
			  "t=%llu %s n%u->n%u %s len=%u %u.%u",
			  e->t, e->kind == EV_RECV ? "recv" : "drop", e->a + 1,
			  e->b + 1, msg_name(e->c), e->x, (u32)e->y,
			  (u32)(e->y >> 32));
		break;
	case EV_PROPOSE:
		scnprintf(line, sizeof(line),
			  "t=%llu propose n%u v%llu len=%u rc=%d",
			  e->t, e->a + 1, e->y, e->z, (int)e->x);
		break;
	case EV_DELIVER:
		scnprintf(line, sizeof(line), "t=%llu deliver n%u slot %u %s%llu",
			  e->t, e->a + 1, e->x, e->y == SIM_NOOP ? "noop" : "v",
			  e->y == SIM_NOOP ? 0 : e->y);
		break;
	case EV_COMPLETE:
		scnprintf(line, sizeof(line),
			  "t=%llu complete n%u v%llu slot %u err=%d",
			  e->t, e->a + 1, e->y, e->x, -(int)e->z);
		break;
	case EV_STATE:
		scnprintf(line, sizeof(line),
			  "t=%llu state n%u state=%u leader=n%u ballot=%u.%u",
			  e->t, e->a + 1, e->b, e->c, e->x, (u32)e->y);
		break;
	case EV_PARTITION:
		scnprintf(line, sizeof(line), "t=%llu partition kind=%u mask=%x",
			  e->t, e->a, e->x);
		break;
	case EV_PAUSE:
		scnprintf(line, sizeof(line), "t=%llu pause n%u until %llu",
			  e->t, e->a + 1, e->y);
		break;
	case EV_RESTART:
		scnprintf(line, sizeof(line),
			  "t=%llu restart n%u as %s (incarnation #%u, down %llu ticks)",
			  e->t, e->a + 1, e->b ? "existing" : "new", e->x, e->y);
		break;
	case EV_HEAL:
		scnprintf(line, sizeof(line), "t=%llu heal (loss %u%% dup %u%%)",
			  e->t, e->a, e->b);
		break;
	case EV_SKIP:
		scnprintf(line, sizeof(line), "t=%llu skip n%u slots %u..%llu",
			  e->t, e->a + 1, e->x, e->y);
		break;
	case EV_LIMITS:
		scnprintf(line, sizeof(line),
			  "t=%llu limits: round %u as n%u, commit %llu",
			  e->t, e->x, e->a + 1, e->y);
		break;
	default:
		return;
	}
	s->print(s->ctx, line);
}

static void trace_dump(struct sim *s)
{
	u32 n = min_t(u32, s->trace_pos, SIM_TRACE_PRINT), i;
	struct paxos_core_status *st = &s->st;
	char line[200];

	if (!s->print)
		return;
	scnprintf(line, sizeof(line), "seed %llu config %s: %s", s->seed,
		  s->p->name, s->res->profile);
	s->print(s->ctx, line);
	scnprintf(line, sizeof(line), "last %u events", n);
	s->print(s->ctx, line);
	for (i = s->trace_pos - n; i != s->trace_pos; i++)
		trace_print_one(s, &s->trace[i % SIM_TRACE]);
	for (i = 0; i < s->n; i++) {
		struct sim_node *nd = &s->nodes[i];

		paxos_core_status(nd->core, st);
		scnprintf(line, sizeof(line),
			  "n%u: state %u flags %x leader n%u ballot %u.%u promised %u.%u first %llu learned %llu commit %llu next %llu pending %u/%u queued %u nomem %llu%s%s%s",
			  i + 1, st->state, st->flags, st->leader_id,
			  st->ballot.round, st->ballot.node, st->promised.round,
			  st->promised.node, st->first_retained, st->learned,
			  st->commit, st->next_slot, st->pending, nd->pending,
			  st->queued, st->counters.nomem,
			  nd->paused ? " paused" : "", nd->down ? " down" : "",
			  !nd->restarted ? "" :
			  nd->joined ? " restarted(existing)" : " restarted(new)");
		s->print(s->ctx, line);
	}
}

static __printf(2, 3) void sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vscnprintf(s->res->error, sizeof(s->res->error), fmt, ap);
	va_end(ap);
}

/* ---- values: id, then a pattern derived from the id ------------------- */

/* A few percent of the values are big (PAXOS_SIM_BIG), by a hash of the id. */
static u32 value_len(const struct sim *s, u64 id)
{
	if (s->big_pct) {
		u64 h = id;

		h = sim_mix(&h);
		if (h % 100 < s->big_pct)
			return SIM_BIG_VALUE +
			       (u32)((h >> 32) % (s->max_value - SIM_BIG_VALUE + 1));
	}
	return 8 + (u32)(id * 7 % 41);
}

static void value_make(const struct sim *s, u64 id, u8 *buf)
{
	u32 i, len = value_len(s, id);

	put_unaligned_le64(id, buf);
	for (i = 8; i < len; i++)
		buf[i] = (u8)(id * 31 + i);
}

static u64 value_check(struct sim *s, const u8 *data, u32 len)
{
	u32 i;
	u64 id;

	if (len < 8)
		return 0;
	id = get_unaligned_le64(data);
	if (!id || id > s->nr_vals || len != value_len(s, id))
		return 0;
	for (i = 8; i < len; i++)
		if (data[i] != (u8)(id * 31 + i))
			return 0;
	return id;
}

/* ---- allocation failures ---------------------------------------------- */

static bool sim_fail_alloc(void *ctx, size_t size)
{
	struct sim *s = ctx;

	if (!s->alloc_on || sim_mix(&s->alloc_rng) % 100 >= s->alloc_pct)
		return false;
	s->res->nomem++;
	return true;
}

/* ---- the network ------------------------------------------------------ */

static bool msg_before(const struct sim_msg *a, const struct sim_msg *b)
{
	return a->at != b->at ? a->at < b->at : a->order < b->order;
}

static void heap_push(struct sim *s, struct sim_msg *m)
{
	u32 i;

	if (s->heap_n == s->heap_cap) {
		u32 cap = s->heap_cap ? 2 * s->heap_cap : 256;
		struct sim_msg **h = kmalloc_array(cap, sizeof(*h), GFP_KERNEL);

		if (!h) {
			sim_fail(s, "simulator out of memory");
			kfree(m);
			return;
		}
		if (s->heap_n)
			memcpy(h, s->heap, s->heap_n * sizeof(*h));
		kfree(s->heap);
		s->heap = h;
		s->heap_cap = cap;
	}
	m->order = s->order++;
	i = s->heap_n++;
	while (i && msg_before(m, s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = m;
}

static struct sim_msg *heap_pop(struct sim *s)
{
	struct sim_msg *top = s->heap[0], *last;
	u32 i = 0;

	last = s->heap[--s->heap_n];
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, m = i;
		const struct sim_msg *best = last;

		if (l < s->heap_n && msg_before(s->heap[l], best)) {
			m = l;
			best = s->heap[l];
		}
		if (r < s->heap_n && msg_before(s->heap[r], best))
			m = r;
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (s->heap_n)
		s->heap[i] = last;
	return top;
}

static int node_index(struct sim *s, u32 id)
{
	return id >= 1 && id <= s->n ? (int)id - 1 : -1;
}

static void net_send(struct sim *s, u32 from, const struct paxos_msg_out *out)
{
	int to = node_index(s, out->dest);
	u32 copies = 1, i;

	s->res->msgs++;
	if (to < 0) {
		sim_fail(s, "n%u sent to unknown node %u", from + 1, out->dest);
		return;
	}
	if (out->len > PAXOS_MAX_DATAGRAM) {
		sim_fail(s, "datagram: n%u sent a %s of %u bytes to n%u (UDP max %u)",
			 from + 1, msg_name(out->len > 5 ? out->data[5] : 0),
			 out->len, to + 1, PAXOS_MAX_DATAGRAM);
		return;
	}
	if (sim_below(s, 100) < s->loss_pct)
		return;
	if (sim_below(s, 100) < s->dup_pct)
		copies = 2;
	for (i = 0; i < copies; i++) {
		struct sim_msg *m = kmalloc(sizeof(*m) + out->len, GFP_KERNEL);

		if (!m) {
			sim_fail(s, "simulator out of memory");
			return;
		}
		m->at = s->now + 1 + sim_below(s, s->delay_max);
		/* Slow datagrams outlive restarts (PAXOS_SIM_STALE). */
		if (s->slow_pct && sim_below(s, 100) < s->slow_pct)
			m->at += sim_below(s, s->slow_max);
		m->from = from;
		m->to = to;
		m->from_inc = s->nodes[from].incarnations;
		m->len = out->len;
		memcpy(m->data, out->data, out->len);
		heap_push(s, m);
	}
}

/* ---- node state as the cores report it -------------------------------- */

static const struct paxos_core_status *node_status(struct sim *s, u32 i)
{
	paxos_core_status(s->nodes[i].core, &s->st);
	return &s->st;
}

static bool status_votes(const struct paxos_core_status *st)
{
	return (st->flags & PAXOS_STATUS_VOTING) &&
	       st->state != PAXOS_CS_LEARNER && st->state != PAXOS_CS_PROBING;
}

/* Visibly: it promised a ballot or learned a slot. */
static bool status_holds_state(const struct paxos_core_status *st)
{
	return st->promised.round || st->learned;
}

/*
 * Voters other than @except whose acceptor takes part in votes; @probing (if
 * not NULL) gets those still probing, which may yet start voting.
 */
static u32 voting_voters(struct sim *s, u32 except, u32 *probing,
			 bool *state)
{
	u32 i, voting = 0;

	if (probing)
		*probing = 0;
	if (state)
		*state = false;
	for (i = 0; i < s->p->voters; i++) {
		const struct paxos_core_status *st;

		if (i == except)
			continue;
		st = node_status(s, i);
		voting += status_votes(st);
		if (probing && st->state == PAXOS_CS_PROBING)
			(*probing)++;
		if (state && status_holds_state(st))
			*state = true;
	}
	return voting;
}

/* No quorum of voters votes, or ever can again (learners never vote). */
static bool majority_lost(struct sim *s)
{
	u32 probing, voting = voting_voters(s, U32_MAX, &probing, NULL);

	return voting + probing < s->quorum;
}

/* LIMITS with little headroom: a voter promised the last round there is. */
static bool rounds_exhausted(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->p->voters; i++)
		if (node_status(s, i)->promised.round == U32_MAX)
			return true;
	return false;
}

static bool node_refused(struct sim *s, u32 i)
{
	return node_status(s, i)->flags & PAXOS_STATUS_REFUSED;
}

/*
 * Every proposal a core accepted is pending there until its completion; a
 * node that claimed a new cluster while a voter held state is refused, so it
 * never votes without having been refused first.
 */
static void check_node(struct sim *s, u32 i)
{
	const struct paxos_core_status *st = node_status(s, i);
	struct sim_node *nd = &s->nodes[i];
	u32 w = 0;

	/* An acceptor's promise never falls (a wrapped round would). */
	if (st->promised.round < nd->promised.round ||
	    (st->promised.round == nd->promised.round &&
	     st->promised.node < nd->promised.node))
		sim_fail(s, "promise: n%u lowered its promise from %u.%u to %u.%u",
			 i + 1, nd->promised.round, nd->promised.node,
			 st->promised.round, st->promised.node);
	nd->promised = st->promised;

	while (nd->witnesses && !(nd->witnesses & BIT(w)))
		w++;
	if (st->pending != nd->pending)
		sim_fail(s,
			 "completion: n%u has %u proposals pending, %u accepted and not completed (%s)",
			 i + 1, st->pending, nd->pending,
			 st->pending < nd->pending ? "a completion was lost" :
			 "a completion was invented");
	else if (nd->witnesses && status_votes(st) &&
		 !(st->flags & PAXOS_STATUS_REFUSED) && !s->bad_voter) {
		/* Reported at the end, unless it led to worse. */
		s->bad_voter = i + 1;
		s->bad_witness = w + 1;
		s->bad_at = s->now;
	}
}

/* ---- the checker ------------------------------------------------------ */

static bool slot_grow(struct sim *s, u64 slot)
{
	u64 cap = s->slot_cap ? s->slot_cap : 1024, *n;

	while (cap <= slot)
		cap *= 2;
	if (cap == s->slot_cap)
		return true;
	n = kcalloc(cap, sizeof(*n), GFP_KERNEL);
	if (!n) {
		sim_fail(s, "simulator out of memory");
		return false;
	}
	if (s->slot_cap)
		memcpy(n, s->slot_code, s->slot_cap * sizeof(*n));
	kfree(s->slot_code);
	s->slot_code = n;
	s->slot_cap = cap;
	return true;
}

static u64 max_first_retained(struct sim *s, u32 except)
{
	u64 m = 0;
	u32 i;

	for (i = 0; i < s->n; i++)
		if (i != except)
			m = max(m, paxos_core_first_retained(s->nodes[i].core));
	return max(m, s->gone_first);
}

static void check_delivery(struct sim *s, u32 i, const struct paxos_delivery *d)
{
	struct sim_node *nd = &s->nodes[i];
	u64 code;

	if (d->kind == PAXOS_DELIVER_SKIPPED) {
		trace(s, EV_SKIP, i, 0, 0, (u32)d->slot, d->last_slot);
		s->res->skips++;
		if (d->slot != nd->next || d->last_slot < d->slot)
			sim_fail(s, "order: n%u skipped %llu..%llu, next was %llu",
				 i + 1, d->slot, d->last_slot, nd->next);
		else if (max_first_retained(s, i) <= d->last_slot)
			sim_fail(s, "n%u skipped %llu..%llu that no peer trimmed",
				 i + 1, d->slot, d->last_slot);
		nd->next = d->last_slot + 1;
		return;
	}
	if (d->kind == PAXOS_DELIVER_VALUE && d->len >= 8)
		trace(s, EV_DELIVER, i, 0, 0, (u32)d->slot,
		      get_unaligned_le64(d->data));
	else
		trace(s, EV_DELIVER, i, 0, 0, (u32)d->slot, SIM_NOOP);
	if (d->slot != nd->next) {
		sim_fail(s, "order: n%u delivered slot %llu, expected %llu",
			 i + 1, d->slot, nd->next);
		return;
	}
	nd->next++;
	if (d->kind == PAXOS_DELIVER_NOOP) {
		code = SIM_NOOP;
	} else {
		code = value_check(s, d->data, d->len);
		if (!code) {
			sim_fail(s, "validity: n%u slot %llu holds a value never proposed",
				 i + 1, d->slot);
			return;
		}
		if (d->origin != s->nodes[s->vals[code].node].id) {
			sim_fail(s, "validity: n%u slot %llu v%llu has origin %u",
				 i + 1, d->slot, code, d->origin);
			return;
		}
	}
	if (!slot_grow(s, d->slot))
		return;
	if (!s->slot_code[d->slot]) {
		s->slot_code[d->slot] = code;
		if (code == SIM_NOOP)
			return;
		if (s->vals[code].slot) {
			sim_fail(s, "integrity: v%llu delivered in slots %llu and %llu",
				 code, s->vals[code].slot, d->slot);
			return;
		}
		s->vals[code].slot = d->slot;
	} else if (s->slot_code[d->slot] != code) {
		sim_fail(s, "agreement: slot %llu is %s%llu at n%u, %s%llu before",
			 d->slot, code == SIM_NOOP ? "noop" : "v",
			 code == SIM_NOOP ? 0 : code, i + 1,
			 s->slot_code[d->slot] == SIM_NOOP ? "noop" : "v",
			 s->slot_code[d->slot] == SIM_NOOP ? 0 : s->slot_code[d->slot]);
	}
}

static void check_completion(struct sim *s, u32 i,
			     const struct paxos_completion *c)
{
	struct sim_value *v;

	if (!c->req_id || c->req_id > s->nr_vals) {
		sim_fail(s, "n%u completed unknown request %llu", i + 1, c->req_id);
		return;
	}
	v = &s->vals[c->req_id];
	trace(s, EV_COMPLETE, i, 0, 0, (u32)c->slot, c->req_id);
	s->trace[(s->trace_pos - 1) % SIM_TRACE].z = -c->error;
	if (v->node != i || v->state != VAL_PENDING) {
		sim_fail(s, "n%u completed v%llu twice or not its own", i + 1,
			 c->req_id);
		return;
	}
	s->nodes[i].pending--;
	if (c->error == -ETIMEDOUT) {
		v->state = VAL_TIMEDOUT;
		s->res->timeouts++;
		return;
	}
	if (c->error) {
		sim_fail(s, "n%u completed v%llu with error %d", i + 1, c->req_id,
			 c->error);
		return;
	}
	v->state = VAL_ACKED;
	s->res->acked++;
	if (s->refusal_first && c->req_id >= s->refusal_first)
		sim_fail(s,
			 "refusal: v%llu, proposed at n%u after a majority of voters lost its state, succeeded",
			 c->req_id, i + 1);
	else if (c->slot && (c->slot >= s->slot_cap ||
			     s->slot_code[c->slot] != c->req_id))
		sim_fail(s, "integrity: v%llu acknowledged in slot %llu, not delivered there",
			 c->req_id, c->slot);
	else if (!c->slot && !v->slot)
		sim_fail(s, "integrity: v%llu acknowledged but never delivered",
			 c->req_id);
}

static void drain(struct sim *s, u32 i)
{
	struct sim_node *nd = &s->nodes[i];
	struct paxos_delivery *d;
	struct paxos_completion *c;
	struct paxos_msg_out *m;
	struct paxos_ready r;

	paxos_ready_init(&r);
	paxos_core_ready(nd->core, &r);
	list_for_each_entry(m, &r.msgs, list)
		net_send(s, i, m);
	list_for_each_entry(d, &r.deliveries, list)
		check_delivery(s, i, d);
	list_for_each_entry(c, &r.completions, list)
		check_completion(s, i, c);
	if (r.events & (PAXOS_EVENT_STATE | PAXOS_EVENT_LEADER)) {
		const struct paxos_core_status *st = node_status(s, i);

		trace(s, EV_STATE, i, st->state, st->leader_id,
		      st->ballot.round, st->ballot.node);
	}
	paxos_ready_release(&r);
}

/* ---- nodes ------------------------------------------------------------ */

static int node_create(struct sim *s, u32 i, bool join)
{
	struct sim_node *nd = &s->nodes[i];
	struct paxos_core_config *cfg;
	u32 k;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->group_id = SIM_GROUP;
	cfg->node_id = i + 1;
	cfg->nr_members = s->n;
	for (k = 0; k < s->n; k++) {
		cfg->members[k].node_id = k + 1;
		cfg->members[k].role = k < s->p->voters ? PAXOS_MEMBER_VOTER :
				       PAXOS_MEMBER_LEARNER;
	}
	cfg->mode = s->p->mode;
	cfg->join_existing = join;
	cfg->seed = sim_rand(s);
	/* Strictly greater than every earlier incarnation, never 0. */
	cfg->incarnation = (u64)nd->incarnations << SIM_INC_SHIFT |
			   (sim_rand(s) & (BIT_ULL(SIM_INC_SHIFT) - 1));
	if (!cfg->incarnation)
		cfg->incarnation = 1;
	nd->inc = cfg->incarnation;
	nd->promised = (struct paxos_ballot){};
	cfg->heartbeat_ticks = SIM_HEARTBEAT;
	cfg->election_min_ticks = SIM_ELECTION_MIN;
	cfg->election_max_ticks = SIM_ELECTION_MAX;
	cfg->retransmit_ticks = SIM_RETRANSMIT;
	cfg->proposal_timeout_ticks = s->timeout;
	cfg->retention = SIM_RETENTION;
	cfg->window = SIM_WINDOW;
	cfg->batch = SIM_BATCH;
	cfg->max_value_size = s->max_value;
	cfg->queue_limit = SIM_QUEUE;
	if (s->classes & PAXOS_SIM_ALLOC) {
		cfg->fail_alloc = sim_fail_alloc;
		cfg->fail_ctx = s;
	}
	nd->core = paxos_core_create(cfg, GFP_KERNEL);
	kfree(cfg);
	if (IS_ERR(nd->core)) {
		int err = PTR_ERR(nd->core);

		nd->core = NULL;
		return err;
	}
	nd->id = i + 1;
	nd->next = 1;
	nd->joined = join;
	nd->pending = 0;
	return 0;
}

/*
 * A restart loses the node's state and the client requests of the old
 * instance; the new incarnation is down for @down ticks (datagrams to it are
 * lost), while the old one's datagrams may still be in flight.
 */
static void node_restart(struct sim *s, u32 i, bool join, u32 down)
{
	struct sim_node *nd = &s->nodes[i];
	u32 j, witnesses = 0;
	u64 k;

	/*
	 * Voters that visibly hold state must refuse a new cluster, every
	 * time, as long as they keep that state: this node never votes.
	 */
	for (j = 0; j < s->p->voters && !join && i < s->p->voters; j++)
		if (j != i && status_holds_state(node_status(s, j)))
			witnesses |= BIT(j);
	for (j = 0; j < s->n; j++)
		s->nodes[j].witnesses &= ~BIT(i);
	nd->witnesses = witnesses;
	s->gone_first = max(s->gone_first, paxos_core_first_retained(nd->core));
	paxos_core_destroy(nd->core);
	nd->core = NULL;
	for (k = 1; k <= s->nr_vals; k++)
		if (s->vals[k].node == i && s->vals[k].state == VAL_PENDING)
			s->vals[k].state = VAL_LOST;
	nd->incarnations++;
	nd->restarted = true;
	memset(s->heard[i], 0, sizeof(s->heard[i]));
	trace(s, EV_RESTART, i, join, 0, nd->incarnations, down);
	s->res->restarts++;
	if (!join)
		s->res->restarts_new++;
	if (node_create(s, i, join)) {
		sim_fail(s, "cannot recreate n%u", i + 1);
		return;
	}
	nd->down = down;
	nd->down_until = s->now + down;
}

static bool node_running(struct sim *s, struct sim_node *nd)
{
	if (nd->paused && s->now >= nd->pause_until)
		nd->paused = false;
	if (nd->down && s->now >= nd->down_until)
		nd->down = false;
	return !nd->paused && !nd->down;
}

/*
 * LIMITS: a voter's identity on numbers at their limits.  The PREPARE is a
 * real promise request (acceptors promise it and later ballots must climb
 * from there without wrapping); the ACCEPT's commit point can never be
 * reached by a log, so every node drops it as malformed.
 */
static void limits_step(struct sim *s)
{
	u32 a = sim_below(s, s->p->voters), i;
	struct paxos_ballot b = {
		.round = U32_MAX - s->limits_headroom -
			 sim_below(s, s->limits_headroom + 1),
		.node = a + 1,
	};
	u8 buf[PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_ACCEPT_LEN];
	u64 commit = PAXOS_SLOT_LIMIT + sim_below(s, 2);
	u8 *p;
	int rc;

	trace(s, EV_LIMITS, a, 0, 0, b.round, commit);
	/* So few rounds left that they run out: safety, not liveness. */
	s->res->rounds_out = s->limits_headroom < SIM_ROUND_HEADROOM;
	for (i = 0; i < s->n && !s->failed; i++) {
		struct sim_node *nd = &s->nodes[i];

		if (i == a || !node_running(s, nd))
			continue;
		p = paxos_wire_put_hdr(buf, PAXOS_MSG_PREPARE, 0, SIM_GROUP,
				       a + 1, s->nodes[a].inc,
				       PAXOS_WIRE_PREPARE_LEN);
		paxos_wire_put_prepare(p, &b, 1, U64_MAX);
		rc = paxos_core_receive(nd->core, buf,
					PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_PREPARE_LEN,
					GFP_KERNEL);
		if (rc)
			sim_fail(s, "n%u refused a PREPARE of round %u: %d",
				 i + 1, b.round, rc);
		p = paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPT, 0, SIM_GROUP,
				       a + 1, s->nodes[a].inc,
				       PAXOS_WIRE_ACCEPT_LEN);
		paxos_wire_put_accept(p, &b, commit, 0, 0);
		rc = paxos_core_receive(nd->core, buf,
					PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_ACCEPT_LEN,
					GFP_KERNEL);
		if (rc != -EBADMSG)
			sim_fail(s, "n%u took a commit point of %llu: %d", i + 1,
				 commit, rc);
		drain(s, i);
	}
}

static int leader_index(struct sim *s)
{
	int best = -1;
	u32 i, round = 0;

	for (i = 0; i < s->n; i++) {
		const struct paxos_core_status *st = node_status(s, i);

		if (st->state == PAXOS_CS_LEADER && st->ballot.round >= round) {
			round = st->ballot.round;
			best = i;
		}
	}
	return best;
}

/* ---- faults ----------------------------------------------------------- */

static void heal(struct sim *s)
{
	memset(s->cut, 0, sizeof(s->cut));
}

static void isolate(struct sim *s, u32 i)
{
	u32 j;

	for (j = 0; j < s->n; j++) {
		s->cut[i][j] = true;
		s->cut[j][i] = true;
	}
}

/*
 * A voter restarts only while another voter visibly holds state (no total
 * amnesia), and, unless this seed lets a majority go, while the others that
 * vote are a quorum.  Without PAXOS_SIM_REPEAT a voter restarts once.
 */
static bool voter_may_restart(struct sim *s, u32 i)
{
	bool state;
	u32 voting;

	if (!(s->classes & PAXOS_SIM_REPEAT) && s->nodes[i].restarted)
		return false;
	voting = voting_voters(s, i, NULL, &state);
	return state && (s->amnesia || voting >= s->quorum);
}

static void fault_restart(struct sim *s, u32 i)
{
	struct sim_node *nd = &s->nodes[i];
	bool join = true;
	u32 down = 0;

	if (nd->paused || nd->down)
		return;
	if (i < s->p->voters) {
		if (!voter_may_restart(s, i))
			return;
	} else if (!(s->classes & PAXOS_SIM_REPEAT) &&
		   s->learner_restarts++ >= 2) {
		return;
	}
	if (s->classes & PAXOS_SIM_RESTART_NEW)
		join = sim_below(s, 2);
	if (s->down_max && sim_below(s, 2))
		down = 1 + sim_below(s, s->down_max);
	node_restart(s, i, join, down);
}

static void fault_step(struct sim *s)
{
	u32 kind = sim_below(s, 8), i, j, mask = 0;
	int l;

	s->next_fault = s->now + 20 + sim_below(s, 100);
	if ((s->amnesia && sim_below(s, 2)) ||
	    ((s->classes & PAXOS_SIM_RESTART_NEW) && !sim_below(s, 4))) {
		/*
		 * Voters restart more often than other nodes: one after
		 * another until a majority lost its state (amnesia), or the
		 * same one again and again (PAXOS_SIM_REPEAT).
		 */
		fault_restart(s, sim_below(s, s->p->voters));
		return;
	}
	switch (kind) {
	case 0:
	case 1:
		heal(s);
		trace(s, EV_HEAL, s->loss_pct, s->dup_pct, 0, 0, 0);
		return;
	case 2:	/* halves: a random subset against the rest, both ways */
		heal(s);
		mask = (u32)sim_rand(s) & (BIT(s->n) - 1);
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->n; j++)
				if (!!(mask & BIT(i)) != !!(mask & BIT(j)))
					s->cut[i][j] = true;
		break;
	case 3:	/* asymmetric: some links lose one direction only */
		heal(s);
		for (i = 0; i < 3; i++) {
			u32 a = sim_below(s, s->n), b = sim_below(s, s->n);

			s->cut[a][b] = true;
			mask |= BIT(a * 4 + b);
		}
		break;
	case 4:	/* one node isolated */
		heal(s);
		i = sim_below(s, s->n);
		isolate(s, i);
		mask = BIT(i);
		break;
	case 5:	/* the leader isolated */
		heal(s);
		l = leader_index(s);
		if (l >= 0) {
			isolate(s, l);
			mask = BIT(l);
		}
		break;
	case 6:
		i = sim_below(s, s->n);
		if (!s->nodes[i].paused && !s->nodes[i].down) {
			s->nodes[i].paused = true;
			s->nodes[i].pause_until = s->now + 10 + sim_below(s, 150);
			trace(s, EV_PAUSE, i, 0, 0, 0, s->nodes[i].pause_until);
		}
		return;
	case 7:
		fault_restart(s, sim_below(s, s->n));
		return;
	}
	trace(s, EV_PARTITION, kind, 0, 0, mask, 0);
}

/* PAXOS_SIM_CHURN: a learner restarts, joining the existing cluster. */
static void churn_step(struct sim *s)
{
	u32 i = s->p->voters + sim_below(s, s->p->learners);

	s->next_churn = s->now + 2 + sim_below(s, 5);
	if (!s->nodes[i].paused && !s->nodes[i].down)
		node_restart(s, i, true, 0);
}

/* ---- the main loop ---------------------------------------------------- */

static void deliver_due(struct sim *s)
{
	while (s->heap_n && s->heap[0]->at <= s->now && !s->failed) {
		struct sim_msg *m = heap_pop(s);
		struct sim_node *nd = &s->nodes[m->to];
		u8 type = m->len > 5 ? m->data[5] : 0;
		u64 info = m->len >= 36 ? get_unaligned_le64(m->data + 28) : 0;
		u32 i;
		int rc;

		node_running(s, nd);
		if (nd->paused) {
			/* Held in the paused node's socket buffer. */
			m->at = nd->pause_until + 1 + sim_below(s, s->delay_max);
			heap_push(s, m);
			continue;
		}
		if (nd->down || s->cut[m->from][m->to]) {
			trace(s, EV_DROP, m->from, m->to, type, m->len, info);
			kfree(m);
			continue;
		}
		rc = paxos_core_receive(nd->core, m->data, m->len, GFP_KERNEL);
		trace(s, EV_RECV, m->from, m->to, type, m->len, info);
		/*
		 * Only a restarted sender's older incarnation may be stale,
		 * and once the receiver heard a newer one, it must be.
		 */
		if (rc && !(rc == -ESTALE &&
			    m->from_inc < s->nodes[m->from].incarnations))
			sim_fail(s, "n%u rejected a datagram from n%u: %d",
				 m->to + 1, m->from + 1, rc);
		else if (!rc && m->from_inc + 1 < s->heard[m->to][m->from])
			sim_fail(s, "stale: n%u took a datagram of n%u's incarnation %u after hearing its incarnation %u",
				 m->to + 1, m->from + 1, m->from_inc,
				 s->heard[m->to][m->from] - 1);
		else if (!rc)
			s->heard[m->to][m->from] = m->from_inc + 1;
		i = m->to;
		kfree(m);
		drain(s, i);
	}
}

static bool vals_grow(struct sim *s, u64 id)
{
	u64 cap = s->vals_cap ? 2 * s->vals_cap : 1024;
	struct sim_value *v;

	if (id < s->vals_cap)
		return true;
	v = kcalloc(cap, sizeof(*v), GFP_KERNEL);
	if (!v) {
		sim_fail(s, "simulator out of memory");
		return false;
	}
	if (s->vals_cap)
		memcpy(v, s->vals, s->vals_cap * sizeof(*v));
	kfree(s->vals);
	s->vals = v;
	s->vals_cap = cap;
	return true;
}

static void client_step(struct sim *s)
{
	u32 k, burst = sim_below(s, 3);

	for (k = 0; k < burst && !s->failed; k++) {
		u32 i = sim_below(s, s->n), len;
		u64 id = s->nr_vals + 1;
		int rc;

		/* With churn, most values come from the learners. */
		if ((s->classes & PAXOS_SIM_CHURN) && sim_below(s, 4))
			i = s->p->voters + sim_below(s, s->p->learners);
		if (!node_running(s, &s->nodes[i]) || !vals_grow(s, id))
			continue;
		len = value_len(s, id);
		value_make(s, id, s->buf);
		rc = paxos_core_propose(s->nodes[i].core, s->buf, len, id,
					GFP_KERNEL);
		trace(s, EV_PROPOSE, i, 0, 0, rc, id);
		s->trace[(s->trace_pos - 1) % SIM_TRACE].z = len;
		if (rc == 0) {
			s->nr_vals = id;
			s->vals[id].node = i;
			s->vals[id].state = VAL_PENDING;
			s->nodes[i].pending++;
			s->res->proposals++;
			if (len >= SIM_BIG_VALUE)
				s->res->big++;
		} else if (rc == -EAGAIN || (rc == -ENOMEM && s->alloc_on) ||
			   (rc == -ECONNREFUSED &&
			    (s->majority_lost || node_refused(s, i)))) {
			/* A refused request: the client may try again. */
		} else {
			sim_fail(s, "n%u refused a proposal: %d", i + 1, rc);
		}
		drain(s, i);
	}
}

static void sim_tick(struct sim *s, bool clients)
{
	u32 i;

	s->now++;
	deliver_due(s);
	for (i = 0; i < s->n && !s->failed; i++) {
		struct sim_node *nd = &s->nodes[i];

		if (!node_running(s, nd))
			continue;
		paxos_core_tick(nd->core, GFP_KERNEL);
		drain(s, i);
	}
	if (clients)
		client_step(s);
	if (!(s->now % 16))
		for (i = 0; i < s->n && !s->failed; i++)
			check_node(s, i);
}

static u64 max_learned(struct sim *s)
{
	u64 m = 0;
	u32 i;

	for (i = 0; i < s->n; i++)
		m = max(m, paxos_core_learned(s->nodes[i].core));
	return m;
}

static bool converged(struct sim *s)
{
	u64 top = max_learned(s);
	u32 i;

	for (i = 0; i < s->n; i++)
		if (paxos_core_learned(s->nodes[i].core) != top ||
		    s->nodes[i].pending)
			return false;
	return true;
}

static void sim_free(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n; i++)
		paxos_core_destroy(s->nodes[i].core);
	while (s->heap_n)
		kfree(heap_pop(s));
	kfree(s->heap);
	kfree(s->slot_code);
	kfree(s->vals);
	kfree(s->buf);
}

#define SIM_STD		(PAXOS_SIM_RESTART_NEW | PAXOS_SIM_REPEAT |	\
			 PAXOS_SIM_MAJORITY | PAXOS_SIM_STALE |		\
			 PAXOS_SIM_ALLOC | PAXOS_SIM_TIMEOUT | PAXOS_SIM_LIMITS)

/*
 * The weights keep 100,000 seeds near two minutes on two CPUs: basic mode
 * with five voters and big values in basic mode cost several times what
 * multi3 costs per seed, so they get a smaller share of the seeds.
 */
const struct paxos_sim_params paxos_sim_configs[] = {
	{ .name = "multi3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 8 },
	{ .name = "multi5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 4 },
	{ .name = "basic3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 4 },
	{ .name = "basic5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 2 },
	{ .name = "multi3-big", .voters = 3, .learners = 1,
	  .mode = PAXOS_CORE_MULTI, .slots = 200, .faults = true,
	  .classes = SIM_STD | PAXOS_SIM_BIG, .weight = 2 },
	{ .name = "basic3-big", .voters = 3, .learners = 1,
	  .mode = PAXOS_CORE_BASIC, .slots = 200, .faults = true,
	  .classes = SIM_STD | PAXOS_SIM_BIG, .weight = 1 },
	{ .name = "churn3", .voters = 3, .learners = 2, .mode = PAXOS_CORE_MULTI,
	  .slots = 400, .faults = true,
	  .classes = PAXOS_SIM_CHURN | PAXOS_SIM_STALE | PAXOS_SIM_TIMEOUT,
	  .weight = 2 },
};

const u32 paxos_sim_nr_configs = ARRAY_SIZE(paxos_sim_configs);

const char *const paxos_sim_class_names[PAXOS_SIM_NR_CLASSES] = {
	"restart-new", "repeat", "majority", "stale", "alloc", "timeout",
	"big", "churn", "limits",
};

/**
 * paxos_sim_config_seeds() - the share of seeds one configuration gets
 * @config: index in paxos_sim_configs
 * @selected: bit mask of the configurations that run
 * @total: seeds in total
 *
 * Return: how many seeds (1, 2, ...) @config runs, by its weight; 0 if it is
 * not selected.
 */
u64 paxos_sim_config_seeds(u32 config, u32 selected, u64 total)
{
	u64 sum = 0;
	u32 c;

	if (config >= paxos_sim_nr_configs || !(selected & BIT(config)))
		return 0;
	for (c = 0; c < paxos_sim_nr_configs; c++)
		if (selected & BIT(c))
			sum += max(paxos_sim_configs[c].weight, 1U);
	return DIV_ROUND_UP(max(total, 1ULL) *
			    max(paxos_sim_configs[config].weight, 1U), sum);
}

/*
 * With the network healthy for longer than the reachability horizon (two
 * maximum election timeouts), every node must see every other member as
 * reachable, followers and learners included: they hear from each other only
 * through their periodic status.
 */
static void check_views(struct sim *s)
{
	u64 until = s->now + 3ULL * SIM_ELECTION_MAX;
	u32 i, j;

	while (!s->failed && s->now < until)
		sim_tick(s, false);
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = node_status(s, i);

		for (j = 0; j < st->nr_peers; j++)
			if (!st->peers[j].reachable)
				sim_fail(s, "view: n%u sees n%u unreachable on a healthy network",
					 s->nodes[i].id, st->peers[j].node_id);
	}
}

/* The fault profile of this seed, drawn from the seed. */
static void sim_profile(struct sim *s)
{
	const struct paxos_sim_params *p = s->p;
	u32 c = s->classes;
	char *b = s->res->profile;
	size_t len = sizeof(s->res->profile);
	int n = 0;

	s->delay_max = 1;
	s->timeout = U32_MAX;
	s->max_value = SIM_SMALL_VALUE;
	if (p->faults) {
		s->loss_pct = sim_below(s, 31);
		s->dup_pct = sim_below(s, 21);
		s->delay_max = 1 + sim_below(s, 6);
		s->next_fault = 50 + sim_below(s, 100);
	}
	if ((c & PAXOS_SIM_STALE) && sim_below(s, 4)) {
		s->slow_pct = 1 + sim_below(s, 4);
		s->slow_max = SIM_STALE_MAX;
		if (c & PAXOS_SIM_CHURN) {
			s->slow_pct += 3 + sim_below(s, 4);
			s->slow_max = SIM_CHURN_STALE_MAX;
		}
		s->down_max = SIM_DOWN_MAX;
	}
	if ((c & PAXOS_SIM_ALLOC) && sim_below(s, 2)) {
		/* A failed allocation is a lost message: keep the sum sane. */
		s->alloc_pct = 1 + sim_below(s, SIM_ALLOC_PCT_MAX);
		s->loss_pct = min(s->loss_pct, SIM_DROP_PCT_MAX - s->alloc_pct);
	}
	s->alloc_on = s->alloc_pct;
	s->alloc_rng = s->seed ^ 0xa110cfa11a110cULL;
	if ((c & PAXOS_SIM_TIMEOUT) && sim_below(s, 2))
		s->timeout = 100 + sim_below(s, 1901);
	if (c & PAXOS_SIM_BIG) {
		s->max_value = PAXOS_MAX_VALUE;
		s->big_pct = 1 + sim_below(s, 5);
	}
	if ((c & PAXOS_SIM_MAJORITY) && p->faults && !sim_below(s, 8))
		s->amnesia = true;
	if ((c & PAXOS_SIM_RESTART_NEW) && p->faults && !sim_below(s, 8))
		s->early_at = 1 + sim_below(s, 8);
	if (c & PAXOS_SIM_CHURN)
		s->next_churn = 30 + sim_below(s, 20);
	if ((c & PAXOS_SIM_LIMITS) && !sim_below(s, 4)) {
		s->limits_at = 60 + sim_below(s, 300);
		/* One in four of these runs out of rounds. */
		s->limits_headroom = sim_below(s, 4) ? SIM_ROUND_HEADROOM :
				     sim_below(s, 20);
	}

	n += scnprintf(b + n, len - n, "loss %u%% dup %u%% delay %u",
		       s->loss_pct, s->dup_pct, s->delay_max);
	if (s->slow_pct)
		n += scnprintf(b + n, len - n, " stale %u%%/%u down %u",
			       s->slow_pct, s->slow_max, s->down_max);
	if (s->alloc_pct)
		n += scnprintf(b + n, len - n, " alloc %u%%", s->alloc_pct);
	if (s->timeout != U32_MAX)
		n += scnprintf(b + n, len - n, " timeout %u", s->timeout);
	if (s->big_pct)
		n += scnprintf(b + n, len - n, " big %u%%", s->big_pct);
	if (s->amnesia)
		n += scnprintf(b + n, len - n, " majority-restarts");
	if (s->early_at)
		n += scnprintf(b + n, len - n, " early-restart@%llu",
			       s->early_at);
	if (c & PAXOS_SIM_CHURN)
		n += scnprintf(b + n, len - n, " churn");
	if (s->limits_at)
		n += scnprintf(b + n, len - n, " limits@%llu/%u", s->limits_at,
			       s->limits_headroom);
}

/* Faults stop: links heal, paused and restarting nodes come back. */
static void heal_all(struct sim *s)
{
	u32 i;

	heal(s);
	s->loss_pct = 0;
	s->dup_pct = 0;
	s->slow_pct = 0;
	s->alloc_on = false;
	for (i = 0; i < s->n; i++) {
		s->nodes[i].pause_until = min(s->nodes[i].pause_until, s->now);
		s->nodes[i].down_until = min(s->nodes[i].down_until, s->now);
	}
	trace(s, EV_HEAL, 0, 0, 0, 0, 0);
}

/* A node probing its peers on a healthy network is answered, and soon. */
static void settle_probes(struct sim *s, u64 deadline)
{
	u32 i = 0;

	while (!s->failed) {
		for (i = 0; i < s->n; i++)
			if (node_status(s, i)->state == PAXOS_CS_PROBING)
				break;
		if (i == s->n)
			return;
		if (s->now >= deadline) {
			sim_fail(s, "probe: n%u still probing %u ticks after faults stopped",
				 i + 1, SIM_LIVENESS_TICKS);
			return;
		}
		sim_tick(s, false);
	}
}

/*
 * A majority of voters lost its state: nothing proposed from now on may be
 * chosen, and the restarted nodes that claimed a new cluster are refused
 * (unless they were let in before anyone held state, and vote).
 */
static void refusal_phase(struct sim *s)
{
	u64 until = s->now + SIM_REFUSAL_TICKS;
	u32 i;

	s->majority_lost = true;
	s->res->majority_loss = true;
	if (!s->refusal_first)
		s->refusal_first = s->nr_vals + 1;
	while (!s->failed && s->now < until)
		sim_tick(s, true);
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = node_status(s, i);

		if (i < s->p->voters && s->nodes[i].restarted &&
		    !s->nodes[i].joined && !status_votes(st) &&
		    !(st->flags & PAXOS_STATUS_REFUSED))
			sim_fail(s,
				 "refusal: n%u claimed a new cluster, a majority of voters lost its state, n%u is in state %u and not refused",
				 i + 1, i + 1, st->state);
	}
}

/* Faults and clients until enough slots are chosen (or no quorum is left). */
static void fault_phase(struct sim *s)
{
	while (!s->failed && max_learned(s) < s->p->slots) {
		if (s->now >= SIM_FAULT_TICKS) {
			sim_fail(s, "liveness: only %llu of %u slots chosen in %u ticks",
				 max_learned(s), s->p->slots, SIM_FAULT_TICKS);
			return;
		}
		if (s->now == SIM_EASE_TICKS && (s->loss_pct || s->alloc_on)) {
			/*
			 * Basic Paxos with five voters barely progresses when a
			 * fifth of the allocations and datagrams are lost: the
			 * seed goes on with the other faults.
			 */
			s->loss_pct = 0;
			s->alloc_on = false;
			s->res->eased = true;
			trace(s, EV_HEAL, 0, s->dup_pct, 0, 0, 0);
		}
		if (s->p->faults && s->now >= s->next_fault)
			fault_step(s);
		if (s->early_at == s->now + 1)
			node_restart(s, sim_below(s, s->p->voters), false, 0);
		if (s->next_churn && s->now >= s->next_churn)
			churn_step(s);
		if (s->limits_at == s->now + 1)
			limits_step(s);
		sim_tick(s, true);
		if (s->res->rounds_out && !(s->now % 8) && rounds_exhausted(s))
			return;
		if (!(s->now % 8) && majority_lost(s)) {
			s->majority_lost = true;
			s->refusal_first = s->nr_vals + 1;
			return;
		}
	}
}

/**
 * paxos_sim_run() - simulate one seed of one configuration
 * @params: the configuration
 * @seed: the seed; the run is a pure function of (@params, @seed)
 * @res: the outcome
 * @print: receives the trace lines of a failing run (may be NULL)
 * @ctx: passed to @print
 *
 * Return: 0 if every check passed, -EINVAL if a check failed (@res->error
 * says which), -ENOMEM.
 */
int paxos_sim_run(const struct paxos_sim_params *params, u64 seed,
		  struct paxos_sim_result *res, paxos_sim_print_t print,
		  void *ctx)
{
	struct sim *s;
	u64 deadline = 0;
	u32 i;
	int err = 0;

	memset(res, 0, sizeof(*res));
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->p = params;
	s->res = res;
	s->seed = seed;
	s->rng = seed ^ 0x5eed5eed5eed5eedULL;
	s->print = print;
	s->ctx = ctx;
	s->n = params->voters + params->learners;
	s->classes = params->faults ? params->classes : 0;
	s->quorum = params->voters / 2 + 1;
	if (s->n > SIM_MAX_NODES || !params->voters ||
	    ((s->classes & PAXOS_SIM_CHURN) && !params->learners)) {
		kfree(s);
		return -EINVAL;
	}
	sim_profile(s);
	s->buf = kmalloc(s->max_value, GFP_KERNEL);
	if (!s->buf) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		err = node_create(s, i, false);
		if (err)
			goto out;
	}

	fault_phase(s);
	if (s->failed)
		goto done;

	/* Faults stop: probes are answered, then liveness or refusal. */
	heal_all(s);
	deadline = s->now + SIM_LIVENESS_TICKS;
	settle_probes(s, deadline);
	if (s->failed)
		goto done;
	if (s->majority_lost ||
	    voting_voters(s, U32_MAX, NULL, NULL) < s->quorum) {
		refusal_phase(s);
		deadline = 0;
		goto done;
	}
	if (s->res->rounds_out) {
		/* No ballot may be left: clients go on, safety is checked. */
		for (deadline = s->now + SIM_REFUSAL_TICKS;
		     !s->failed && s->now < deadline;)
			sim_tick(s, true);
		deadline = 0;
		goto done;
	}
	while (!s->failed && !converged(s)) {
		if (s->now >= deadline) {
			u64 k;

			for (k = 1; k <= s->nr_vals; k++)
				if (s->vals[k].state == VAL_PENDING)
					break;
			sim_fail(s,
				 "liveness: not converged %u ticks after faults stopped (v%llu pending, learned %llu)",
				 SIM_LIVENESS_TICKS, k <= s->nr_vals ? k : 0,
				 max_learned(s));
			break;
		}
		sim_tick(s, false);
	}
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = node_status(s, i);

		if (i < params->voters && !s->nodes[i].joined &&
		    st->state == PAXOS_CS_LEARNER &&
		    !(st->flags & PAXOS_STATUS_REFUSED))
			sim_fail(s,
				 "refusal: n%u claimed a new cluster and is a learner, not marked refused",
				 i + 1);
	}
	if (!s->failed)
		check_views(s);

done:
	for (i = 0; i < s->n && !s->failed; i++)
		check_node(s, i);
	if (s->bad_voter)
		sim_fail(s,
			 "restart: n%u claimed a new cluster while n%u held state, and voted (t=%llu)",
			 s->bad_voter, s->bad_witness, s->bad_at);
	res->chosen = max_learned(s);
	if (deadline)
		res->settle_ticks = s->now + SIM_LIVENESS_TICKS - deadline;
	res->ticks = s->now;
	if (s->failed) {
		err = -EINVAL;
		trace_dump(s);
	}
	res->ok = !s->failed;
out:
	sim_free(s);
	kfree(s);
	return err;
}
