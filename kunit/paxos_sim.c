// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: a deterministic simulation of a cluster of paxos cores.
 *
 * Everything derives from one seed: the fault profile, the clients, the
 * network and each core's own PRNG, so a failing seed replays exactly.  The
 * cores exchange real encoded datagrams through a simulated network that
 * loses, duplicates, delays (and so reorders) messages and that can be
 * partitioned; nodes can be paused and restarted without their state (a
 * restarted node is a fresh core that joins the existing cluster as a
 * learner).
 *
 * A checker looks at every delivery and completion as it is produced:
 *
 *   Agreement  no two nodes learn different things for one slot
 *   Validity   only proposed values (byte for byte) and no-ops are learned
 *   Integrity  no value is delivered in two slots; a completed proposal was
 *              delivered, in the slot its completion names
 *   Order      every node delivers slots contiguously from 1 (a node may
 *              only skip slots that a peer has trimmed, explicitly), so its
 *              sequence is a prefix of the longest
 *
 * Then faults stop and a liveness phase requires every pending proposal to
 * complete and every node to learn the same prefix within SIM_LIVENESS_TICKS.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_core.h"
#include "paxos_sim.h"

#define SIM_MAX_NODES		8
#define SIM_TRACE		256
#define SIM_TRACE_PRINT		80
#define SIM_FAULT_TICKS		40000	/* give up if the target is not met */
#define SIM_LIVENESS_TICKS	1500	/* the stated bound after faults stop */
#define SIM_NOOP		U64_MAX

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
	EV_PARTITION, EV_PAUSE, EV_RESTART, EV_HEAL, EV_SKIP,
};

struct sim_msg {
	u64 at;
	u64 order;
	u32 from;
	u32 to;
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
	bool restarted;
	u64 pause_until;
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
};

struct sim {
	const struct paxos_sim_params *p;
	struct paxos_sim_result *res;
	u64 seed;
	u64 rng;
	u64 now;
	u32 n;
	struct sim_node nodes[SIM_MAX_NODES];

	struct sim_msg **heap;
	u32 heap_n, heap_cap;
	u64 order;
	u32 loss_pct, dup_pct, delay_max;
	bool cut[SIM_MAX_NODES][SIM_MAX_NODES];
	u64 next_fault;
	u32 voter_restarts, learner_restarts;

	u64 *slot_code;		/* per slot: 0 unknown, SIM_NOOP or value id */
	u64 slot_cap;
	struct sim_value *vals;	/* indexed by value id (= req_id) */
	u64 nr_vals, vals_cap;

	struct sim_event trace[SIM_TRACE];
	u32 trace_pos;
	bool failed;
	paxos_sim_print_t print;
	void *ctx;
	u8 buf[64];
};

static u64 sim_rand(struct sim *s)
{
	u64 z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
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
}

static const char *const sim_msg_names[] = {
	"?", "PREPARE", "PROMISE", "REJECT", "ACCEPT", "ACCEPTED", "FORWARD",
	"CATCHUP", "LEARN", "STATUS", "HELLO",
};

static void trace_print_one(struct sim *s, const struct sim_event *e)
{
	char line[128];

	switch (e->kind) {
	case EV_RECV:
	case EV_DROP:
		scnprintf(line, sizeof(line),
			  "t=%llu %s n%u->n%u %s len=%u %u.%u",
			  e->t, e->kind == EV_RECV ? "recv" : "drop", e->a + 1,
			  e->b + 1, sim_msg_names[e->c < ARRAY_SIZE(sim_msg_names) ?
						   e->c : 0],
			  e->x, (u32)e->y, (u32)(e->y >> 32));
		break;
	case EV_PROPOSE:
		scnprintf(line, sizeof(line), "t=%llu propose n%u v%llu rc=%d",
			  e->t, e->a + 1, e->y, (int)e->x);
		break;
	case EV_DELIVER:
		scnprintf(line, sizeof(line), "t=%llu deliver n%u slot %u %s%llu",
			  e->t, e->a + 1, e->x, e->y == SIM_NOOP ? "noop" : "v",
			  e->y == SIM_NOOP ? 0 : e->y);
		break;
	case EV_COMPLETE:
		scnprintf(line, sizeof(line), "t=%llu complete n%u v%llu slot %u",
			  e->t, e->a + 1, e->y, e->x);
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
		scnprintf(line, sizeof(line), "t=%llu restart n%u (join as learner)",
			  e->t, e->a + 1);
		break;
	case EV_HEAL:
		scnprintf(line, sizeof(line), "t=%llu heal (loss %u%% dup %u%%)",
			  e->t, e->a, e->b);
		break;
	case EV_SKIP:
		scnprintf(line, sizeof(line), "t=%llu skip n%u slots %u..%llu",
			  e->t, e->a + 1, e->x, e->y);
		break;
	default:
		return;
	}
	s->print(s->ctx, line);
}

static void trace_dump(struct sim *s)
{
	u32 n = min_t(u32, s->trace_pos, SIM_TRACE_PRINT), i;
	struct paxos_core_status *st;
	char line[160];

	if (!s->print)
		return;
	scnprintf(line, sizeof(line), "seed %llu config %s: last %u events",
		  s->seed, s->p->name, n);
	s->print(s->ctx, line);
	for (i = s->trace_pos - n; i != s->trace_pos; i++)
		trace_print_one(s, &s->trace[i % SIM_TRACE]);
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return;
	for (i = 0; i < s->n; i++) {
		paxos_core_status(s->nodes[i].core, st);
		scnprintf(line, sizeof(line),
			  "n%u: state %u leader n%u ballot %u.%u promised %u.%u first %llu learned %llu commit %llu next %llu pending %u queued %u%s%s",
			  i + 1, st->state, st->leader_id, st->ballot.round,
			  st->ballot.node, st->promised.round, st->promised.node,
			  st->first_retained, st->learned, st->commit,
			  st->next_slot, st->pending, st->queued,
			  s->nodes[i].paused ? " paused" : "",
			  s->nodes[i].restarted ? " restarted" : "");
		s->print(s->ctx, line);
	}
	kfree(st);
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

static u32 value_len(u64 id)
{
	return 8 + (u32)(id * 7 % 41);
}

static void value_make(u64 id, u8 *buf)
{
	u32 i, len = value_len(id);

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
	if (!id || id > s->nr_vals || len != value_len(id))
		return 0;
	for (i = 8; i < len; i++)
		if (data[i] != (u8)(id * 31 + i))
			return 0;
	return id;
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
		m->from = from;
		m->to = to;
		m->len = out->len;
		memcpy(m->data, out->data, out->len);
		heap_push(s, m);
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
	return m;
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
	if (v->node != i || v->state != VAL_PENDING) {
		sim_fail(s, "n%u completed v%llu twice or not its own", i + 1,
			 c->req_id);
		return;
	}
	if (c->error) {
		v->state = VAL_TIMEDOUT;
		return;
	}
	v->state = VAL_ACKED;
	s->res->acked++;
	if (c->slot && (c->slot >= s->slot_cap ||
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
		struct paxos_core_status *st = kmalloc(sizeof(*st), GFP_KERNEL);

		if (st) {
			paxos_core_status(nd->core, st);
			trace(s, EV_STATE, i, st->state, st->leader_id,
			      st->ballot.round, st->ballot.node);
			kfree(st);
		}
	}
	paxos_ready_release(&r);
}

/* ---- nodes ------------------------------------------------------------ */

static int node_create(struct sim *s, u32 i, bool join)
{
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
	cfg->incarnation = sim_rand(s) | 1;
	cfg->heartbeat_ticks = SIM_HEARTBEAT;
	cfg->election_min_ticks = SIM_ELECTION_MIN;
	cfg->election_max_ticks = SIM_ELECTION_MAX;
	cfg->retransmit_ticks = SIM_RETRANSMIT;
	cfg->proposal_timeout_ticks = U32_MAX;
	cfg->retention = SIM_RETENTION;
	cfg->window = SIM_WINDOW;
	cfg->batch = SIM_BATCH;
	cfg->max_value_size = 64;
	cfg->queue_limit = SIM_QUEUE;
	s->nodes[i].core = paxos_core_create(cfg, GFP_KERNEL);
	kfree(cfg);
	if (IS_ERR(s->nodes[i].core)) {
		int err = PTR_ERR(s->nodes[i].core);

		s->nodes[i].core = NULL;
		return err;
	}
	s->nodes[i].id = i + 1;
	s->nodes[i].next = 1;
	return 0;
}

static void node_restart(struct sim *s, u32 i)
{
	u64 k;

	paxos_core_destroy(s->nodes[i].core);
	s->nodes[i].core = NULL;
	/* The client requests of the old instance are gone with it. */
	for (k = 1; k <= s->nr_vals; k++)
		if (s->vals[k].node == i && s->vals[k].state == VAL_PENDING)
			s->vals[k].state = VAL_LOST;
	trace(s, EV_RESTART, i, 0, 0, 0, 0);
	s->res->restarts++;
	s->nodes[i].restarted = true;
	if (node_create(s, i, true))
		sim_fail(s, "cannot recreate n%u", i + 1);
}

static int leader_index(struct sim *s)
{
	struct paxos_core_status *st;
	int best = -1;
	u32 i, round = 0;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -1;
	for (i = 0; i < s->n; i++) {
		paxos_core_status(s->nodes[i].core, st);
		if (st->state == PAXOS_CS_LEADER && st->ballot.round >= round) {
			round = st->ballot.round;
			best = i;
		}
	}
	kfree(st);
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

static void fault_step(struct sim *s)
{
	u32 kind = sim_below(s, 8), i, j, mask = 0;
	int l;

	s->next_fault = s->now + 20 + sim_below(s, 100);
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
		if (!s->nodes[i].paused) {
			s->nodes[i].paused = true;
			s->nodes[i].pause_until = s->now + 10 + sim_below(s, 150);
			trace(s, EV_PAUSE, i, 0, 0, 0, s->nodes[i].pause_until);
		}
		return;
	case 7:
		i = sim_below(s, s->n);
		if (s->nodes[i].paused)
			return;
		if (i < s->p->voters) {
			/* Restarted voters never vote again: keep a majority. */
			if (s->nodes[i].restarted ||
			    s->voter_restarts >= (s->p->voters - 1) / 2)
				return;
			s->voter_restarts++;
		} else if (s->learner_restarts++ >= 2) {
			return;
		}
		node_restart(s, i);
		return;
	}
	trace(s, EV_PARTITION, kind, 0, 0, mask, 0);
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

		if (nd->paused && s->now >= nd->pause_until)
			nd->paused = false;
		if (nd->paused) {
			/* Held in the paused node's socket buffer. */
			m->at = nd->pause_until + 1 + sim_below(s, s->delay_max);
			heap_push(s, m);
			continue;
		}
		if (s->cut[m->from][m->to]) {
			trace(s, EV_DROP, m->from, m->to, type, m->len, info);
			kfree(m);
			continue;
		}
		rc = paxos_core_receive(nd->core, m->data, m->len, GFP_KERNEL);
		trace(s, EV_RECV, m->from, m->to, type, m->len, info);
		if (rc)
			sim_fail(s, "n%u rejected a datagram from n%u: %d",
				 m->to + 1, m->from + 1, rc);
		i = m->to;
		kfree(m);
		drain(s, i);
	}
}

static void client_step(struct sim *s)
{
	u32 k, burst = sim_below(s, 3);

	for (k = 0; k < burst && !s->failed; k++) {
		u32 i = sim_below(s, s->n);
		u64 id = s->nr_vals + 1;
		int rc;

		if (s->nodes[i].paused)
			continue;
		if (id >= s->vals_cap) {
			u64 cap = s->vals_cap ? 2 * s->vals_cap : 1024;
			struct sim_value *v = kcalloc(cap, sizeof(*v), GFP_KERNEL);

			if (!v) {
				sim_fail(s, "simulator out of memory");
				return;
			}
			if (s->vals_cap)
				memcpy(v, s->vals, s->vals_cap * sizeof(*v));
			kfree(s->vals);
			s->vals = v;
			s->vals_cap = cap;
		}
		value_make(id, s->buf);
		rc = paxos_core_propose(s->nodes[i].core, s->buf, value_len(id), id,
					GFP_KERNEL);
		trace(s, EV_PROPOSE, i, 0, 0, rc, id);
		if (rc == 0) {
			s->nr_vals = id;
			s->vals[id].node = i;
			s->vals[id].state = VAL_PENDING;
			s->res->proposals++;
		} else if (rc != -EAGAIN) {
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

		if (nd->paused && s->now >= nd->pause_until)
			nd->paused = false;
		if (nd->paused)
			continue;
		paxos_core_tick(nd->core, GFP_KERNEL);
		drain(s, i);
	}
	if (clients)
		client_step(s);
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
	u64 top = max_learned(s), k;
	u32 i;

	for (i = 0; i < s->n; i++)
		if (paxos_core_learned(s->nodes[i].core) != top)
			return false;
	for (k = 1; k <= s->nr_vals; k++)
		if (s->vals[k].state == VAL_PENDING)
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
}

const struct paxos_sim_params paxos_sim_configs[] = {
	{ .name = "multi3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true },
	{ .name = "multi5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true },
	{ .name = "basic3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true },
	{ .name = "basic5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true },
};

const u32 paxos_sim_nr_configs = ARRAY_SIZE(paxos_sim_configs);

/*
 * With the network healthy for longer than the reachability horizon (two
 * maximum election timeouts), every node must see every other member as
 * reachable, followers and learners included: they hear from each other only
 * through their periodic status.
 */
static void check_views(struct sim *s)
{
	struct paxos_core_status *st;
	u64 until = s->now + 3ULL * SIM_ELECTION_MAX;
	u32 i, j;

	while (!s->failed && s->now < until)
		sim_tick(s, false);
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return;
	for (i = 0; i < s->n && !s->failed; i++) {
		paxos_core_status(s->nodes[i].core, st);
		for (j = 0; j < st->nr_peers; j++)
			if (!st->peers[j].reachable)
				sim_fail(s, "view: n%u sees n%u unreachable on a healthy network",
					 s->nodes[i].id, st->peers[j].node_id);
	}
	kfree(st);
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
	u64 deadline = 0, k;
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
	if (s->n > SIM_MAX_NODES) {
		kfree(s);
		return -EINVAL;
	}
	s->delay_max = 1;
	if (params->faults) {
		s->loss_pct = sim_below(s, 31);
		s->dup_pct = sim_below(s, 21);
		s->delay_max = 1 + sim_below(s, 6);
		s->next_fault = 50 + sim_below(s, 100);
	}
	for (i = 0; i < s->n; i++) {
		err = node_create(s, i, false);
		if (err)
			goto out;
	}

	/* Faults and clients until enough slots are chosen. */
	while (!s->failed && max_learned(s) < params->slots) {
		if (s->now >= SIM_FAULT_TICKS) {
			sim_fail(s, "liveness: only %llu of %u slots chosen in %u ticks",
				 max_learned(s), params->slots, SIM_FAULT_TICKS);
			break;
		}
		if (params->faults && s->now >= s->next_fault)
			fault_step(s);
		sim_tick(s, true);
	}

	/* Faults stop: every pending proposal must complete, nodes converge. */
	if (s->failed)
		goto done;
	heal(s);
	s->loss_pct = 0;
	s->dup_pct = 0;
	for (i = 0; i < s->n; i++)
		s->nodes[i].pause_until = min(s->nodes[i].pause_until, s->now);
	trace(s, EV_HEAL, 0, 0, 0, 0, 0);
	deadline = s->now + SIM_LIVENESS_TICKS;
	while (!s->failed && !converged(s)) {
		if (s->now >= deadline) {
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
	for (k = 1; k <= s->nr_vals && !s->failed; k++)
		if (s->vals[k].state == VAL_ACKED && !s->vals[k].slot)
			sim_fail(s, "integrity: acknowledged v%llu never delivered", k);
	if (!s->failed)
		check_views(s);

done:
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
