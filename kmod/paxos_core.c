// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the protocol core.
 *
 * One struct paxos_core per node and group.  It plays every role the node
 * has: acceptor (promises and accepted values), proposer (phase 1 over the
 * whole log suffix, then phase 2 only, as Multi-Paxos leader; or both phases
 * per proposal in basic mode), learner (chosen values delivered in slot order)
 * and origin of local proposals (forwarded to the leader, retried, completed
 * exactly once).  See paxos_core.h for the calling convention.
 *
 * The log is a ring of slot records covering [first_retained,
 * first_retained + cap): lookups are O(1) and nothing outside the ring is
 * ever stored, which bounds memory.  Values are copied into the core; a
 * value never has more than one owner.
 *
 * Learning.  A leader learns a slot when a majority of voters accepted it in
 * its ballot.  Followers learn from the leader's commit point: a slot at or
 * below the commit point is chosen with the value the follower holds for it
 * *if* the follower holds it in the leader's ballot (a ballot proposes one
 * value per slot, and by the Paxos invariant a chosen slot's value is the one
 * every later ballot proposes).  Anything else is fetched with CATCHUP.
 *
 * Exactly-once.  Each value carries (origin, incarnation, seq, low), where
 * low is the origin's lowest still pending seq.  Every learner runs the same
 * dedup table over the log in slot order, so all nodes agree on which slots
 * are duplicates; those are delivered as no-ops.  The table is bounded:
 * PAXOS_DEDUP_WINDOW seqs per origin incarnation (the origin never has more
 * in flight) and PAXOS_DEDUP_ORIGINS incarnations (least recently used one
 * evicted, which only happens after that many node restarts).  A second copy
 * of the table is kept at the trim point, so a peer that has to skip trimmed
 * slots receives the exact state they would have produced.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "paxos_core.h"
#include "paxos_wire.h"

/* Defaults for zero config fields, in ticks of the caller's clock. */
#define PAXOS_DEF_HEARTBEAT	10
#define PAXOS_DEF_ELECTION_MIN	30
#define PAXOS_DEF_ELECTION_MAX	60
#define PAXOS_DEF_RETRANSMIT	8
#define PAXOS_DEF_PROPOSAL_TO	5000
#define PAXOS_DEF_RETENTION	1024
#define PAXOS_DEF_WINDOW	64
#define PAXOS_DEF_BATCH		16
#define PAXOS_DEF_QUEUE		64

/* Room for entries in one datagram after the largest fixed body. */
#define PAXOS_BODY_BUDGET	(PAXOS_MAX_DATAGRAM - PAXOS_WIRE_HDR_LEN - \
				 PAXOS_WIRE_PROMISE_LEN)

#define SLOT_CHOSEN	BIT(0)	/* the value in @val is chosen */
#define SLOT_DUP	BIT(1)	/* chosen, delivered as a no-op (duplicate) */

struct paxos_value {
	struct list_head list;	/* proposer queue */
	u32 origin;		/* 0: no-op */
	u32 len;
	u64 origin_inc;
	u64 seq;
	u64 low;
	u8 data[];
};

struct paxos_slot {
	u64 slot;			/* 0: free ring cell */
	struct paxos_ballot bal;	/* ballot @val is held with */
	struct paxos_value *val;	/* accepted (voter) or known value */
	struct paxos_ballot pbal;	/* phase 1: ballot of @pval */
	struct paxos_value *pval;	/* phase 1: value adopted for this slot */
	u32 acks;			/* members that accepted @val in our ballot */
	u32 flags;			/* SLOT_* */
	u64 last_tx;			/* tick of the last Accept sent for it */
};

struct paxos_dedup_entry {
	u32 origin;
	u64 origin_inc;
	u64 base;
	u64 bits;
	u64 last_slot;
};

struct paxos_dedup {
	u32 nr;
	struct paxos_dedup_entry e[PAXOS_DEDUP_ORIGINS];
};

struct paxos_pending {
	struct list_head list;
	u64 req_id;
	u64 seq;
	u64 deadline;
	u64 submitted;		/* tick of the last submission, 0: never */
	struct paxos_value *val;
};

struct paxos_peer {
	u32 id;
	u32 role;
	u64 last_heard;
	u64 learned;
	u64 seen_inc;
	u64 p1_next;		/* candidate: next slot of its promise */
	bool reachable;
};

/* Basic-mode attempt phases. */
enum { BASIC_IDLE, BASIC_PHASE1, BASIC_PHASE2 };

struct paxos_core {
	struct paxos_core_config cfg;
	gfp_t gfp;			/* of the current call */
	u32 self;			/* our index in @peers */
	u32 nr_peers;
	u32 voters;			/* mask of voter indices */
	u32 quorum;
	u32 state;
	u32 flags;			/* PAXOS_STATUS_* */
	bool voting;
	u64 now;
	u64 rng;
	u64 inc;

	/* acceptor */
	struct paxos_ballot promised;

	/* proposer */
	struct paxos_ballot ballot;
	u32 max_round;			/* highest round seen anywhere */
	u64 status_at;			/* next status of a non-leader */
	u32 leader;			/* node id, 0: unknown */
	u64 election_at;
	u64 heartbeat_at;
	u64 retransmit_at;
	u64 peers_at;
	u32 p1_done;			/* voters whose promise is complete */
	u64 p1_from;
	u64 p1_max;
	u64 next_slot;
	u64 prop_lo, prop_hi;		/* slots that may hold proposer state */
	struct list_head queue;
	u32 queued;
	u32 basic_phase;
	u64 basic_slot;
	u32 basic_count;
	u64 basic_deadline;
	u64 basic_backoff;
	struct list_head basic_own;	/* queue values proposed in phase 2 */
	u32 hello_ok;

	/* learner */
	struct paxos_slot *ring;
	u64 cap;			/* ring size, a power of two */
	u64 first_retained;
	u64 learned;
	u64 max_held;			/* highest slot holding a value */
	u64 commit;
	u64 trim_hint;
	u64 catchup_at;
	struct paxos_dedup dedup;	/* state after slot @learned */
	struct paxos_dedup dedup_trim;	/* state before @first_retained */

	/* origin */
	struct list_head pending;
	u32 nr_pending;
	u64 next_seq;
	u64 retry_at;
	bool resubmit;
	u32 forward_rr;

	/* output */
	struct list_head out_msgs;
	struct list_head out_deliveries;
	struct list_head out_completions;
	u32 events;

	struct paxos_core_counters ctr;
	struct paxos_peer peers[PAXOS_MAX_MEMBERS];
};

/* ---- small helpers ---------------------------------------------------- */

static u64 core_rand(struct paxos_core *c)
{
	u64 z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 core_rand_range(struct paxos_core *c, u32 lo, u32 hi)
{
	return lo + (u32)core_rand(c) % (hi - lo + 1);
}

static int ballot_cmp(const struct paxos_ballot *a, const struct paxos_ballot *b)
{
	if (a->round != b->round)
		return a->round < b->round ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return 0;
}

static bool ballot_eq(const struct paxos_ballot *a, const struct paxos_ballot *b)
{
	return a->round == b->round && a->node == b->node;
}

static int peer_index(const struct paxos_core *c, u32 id)
{
	u32 i;

	for (i = 0; i < c->nr_peers; i++)
		if (c->peers[i].id == id)
			return i;
	return -1;
}

static bool is_multi(const struct paxos_core *c)
{
	return c->cfg.mode == PAXOS_CORE_MULTI;
}

static void core_set_state(struct paxos_core *c, u32 state)
{
	if (c->state != state)
		c->events |= PAXOS_EVENT_STATE;
	c->state = state;
}

static void core_set_leader(struct paxos_core *c, u32 leader)
{
	if (c->leader == leader)
		return;
	c->leader = leader;
	c->events |= PAXOS_EVENT_LEADER;
	c->ctr.leader_changes++;
	/* Pending values went to the old leader: retry them at once. */
	if (leader)
		c->resubmit = true;
}

static void election_timer_reset(struct paxos_core *c)
{
	c->election_at = c->now + core_rand_range(c, c->cfg.election_min_ticks,
						  c->cfg.election_max_ticks);
}

/* ---- memory ----------------------------------------------------------- */

/*
 * Every allocation the core makes while running goes through here, so that
 * tests can make any of them fail (&paxos_core_config.fail_alloc).  A failure
 * is counted and handled as a lost message or a refused request.
 */
static void *core_alloc(struct paxos_core *c, size_t size, bool zero)
{
	void *p = NULL;

	if (!c->cfg.fail_alloc || !c->cfg.fail_alloc(c->cfg.fail_ctx, size))
		p = zero ? kzalloc(size, c->gfp) : kmalloc(size, c->gfp);
	if (!p)
		c->ctr.nomem++;
	return p;
}

/* ---- values ----------------------------------------------------------- */

static struct paxos_value *value_alloc(struct paxos_core *c, u32 len)
{
	struct paxos_value *v = core_alloc(c, sizeof(*v) + len, false);

	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	INIT_LIST_HEAD(&v->list);
	v->len = len;
	return v;
}

static struct paxos_value *value_dup(struct paxos_core *c,
				     const struct paxos_value *src)
{
	struct paxos_value *v = value_alloc(c, src->len);

	if (!v)
		return NULL;
	v->origin = src->origin;
	v->origin_inc = src->origin_inc;
	v->seq = src->seq;
	v->low = src->low;
	memcpy(v->data, src->data, src->len);
	return v;
}

static struct paxos_value *value_from_wire(struct paxos_core *c,
					   const struct paxos_wire_value *w)
{
	struct paxos_value *v = value_alloc(c, w->len);

	if (!v)
		return NULL;
	v->origin = w->origin;
	v->origin_inc = w->origin_inc;
	v->seq = w->seq;
	v->low = w->low;
	memcpy(v->data, w->data, w->len);
	return v;
}

static bool value_same(const struct paxos_value *a, const struct paxos_value *b)
{
	return a->origin == b->origin && a->origin_inc == b->origin_inc &&
	       a->seq == b->seq && a->len == b->len;
}

static void value_to_wire(const struct paxos_value *v, u64 slot,
			  const struct paxos_ballot *bal, u32 flags,
			  struct paxos_wire_value *w)
{
	w->slot = slot;
	w->ballot = *bal;
	w->origin = v->origin;
	w->len = v->len;
	w->origin_inc = v->origin_inc;
	w->seq = v->seq;
	w->low = v->low;
	w->flags = flags;
	w->data = v->data;
}

/* ---- the slot ring ---------------------------------------------------- */

static bool slot_in_ring(const struct paxos_core *c, u64 s)
{
	return s >= c->first_retained && s - c->first_retained < c->cap;
}

static struct paxos_slot *slot_get(const struct paxos_core *c, u64 s)
{
	struct paxos_slot *e;

	if (!slot_in_ring(c, s))
		return NULL;
	e = &c->ring[s & (c->cap - 1)];
	return e->slot == s ? e : NULL;
}

static struct paxos_slot *slot_get_or_create(struct paxos_core *c, u64 s)
{
	struct paxos_slot *e;

	if (!slot_in_ring(c, s))
		return NULL;
	e = &c->ring[s & (c->cap - 1)];
	if (e->slot != s) {
		memset(e, 0, sizeof(*e));
		e->slot = s;
	}
	return e;
}

static void slot_clear_proposal(struct paxos_slot *e)
{
	kfree(e->pval);
	e->pval = NULL;
	e->pbal = (struct paxos_ballot){};
	e->acks = 0;
}

static void slot_free(struct paxos_slot *e)
{
	kfree(e->val);
	kfree(e->pval);
	memset(e, 0, sizeof(*e));
}

/* Store @v (owned) as held with @bal. */
static void slot_store(struct paxos_core *c, struct paxos_slot *e,
		       const struct paxos_ballot *bal, struct paxos_value *v)
{
	kfree(e->val);
	e->val = v;
	e->bal = *bal;
	if (e->slot > c->max_held)
		c->max_held = e->slot;
}

/* Forget proposer state (phase 1 adoptions, acks) of every slot. */
static void proposer_clear_slots(struct paxos_core *c)
{
	u64 s;

	for (s = max(c->prop_lo, c->first_retained); s <= c->prop_hi; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (e)
			slot_clear_proposal(e);
	}
	c->prop_lo = U64_MAX;
	c->prop_hi = 0;
}

static void proposer_touch(struct paxos_core *c, u64 s)
{
	c->prop_lo = min(c->prop_lo, s);
	c->prop_hi = max(c->prop_hi, s);
}

/* ---- output ----------------------------------------------------------- */

static struct paxos_msg_out *msg_new(struct paxos_core *c, u32 dest, u32 type,
				     u32 flags, u32 body_len, u8 **body)
{
	struct paxos_msg_out *m;
	u32 len = PAXOS_WIRE_HDR_LEN + body_len;

	m = core_alloc(c, sizeof(*m) + len, false);
	if (!m)
		return NULL;
	m->dest = dest;
	m->len = len;
	*body = paxos_wire_put_hdr(m->data, type, flags, c->cfg.group_id,
				   c->cfg.node_id, c->inc, body_len);
	return m;
}

static void msg_send(struct paxos_core *c, struct paxos_msg_out *m)
{
	list_add_tail(&m->list, &c->out_msgs);
	c->ctr.tx_msgs++;
}

/* Send @m to every member in @mask except ourselves; consumes @m. */
static void msg_send_mask(struct paxos_core *c, struct paxos_msg_out *m, u32 mask)
{
	u32 i, last = U32_MAX;

	mask &= ~BIT(c->self);
	for (i = 0; i < c->nr_peers; i++)
		if (mask & BIT(i))
			last = i;
	if (last == U32_MAX) {
		kfree(m);
		return;
	}
	for (i = 0; i < last; i++) {
		struct paxos_msg_out *dup;

		if (!(mask & BIT(i)))
			continue;
		dup = core_alloc(c, sizeof(*m) + m->len, false);
		if (!dup)
			continue;
		memcpy(dup, m, sizeof(*m) + m->len);
		dup->dest = c->peers[i].id;
		msg_send(c, dup);
	}
	m->dest = c->peers[last].id;
	msg_send(c, m);
}

static u32 all_members(const struct paxos_core *c)
{
	return (u32)(BIT_ULL(c->nr_peers) - 1);
}

static void send_reject(struct paxos_core *c, u32 dest,
			const struct paxos_ballot *refused)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_REJECT, 0, PAXOS_WIRE_REJECT_LEN, &p);
	if (!m)
		return;
	p = paxos_wire_put_ballot(p, refused);
	paxos_wire_put_ballot(p, &c->promised);
	c->ctr.rejects_sent++;
	msg_send(c, m);
}

static void send_accepted(struct paxos_core *c, u32 dest,
			  const struct paxos_ballot *bal, const u64 *slots,
			  u32 nr)
{
	struct paxos_msg_out *m;
	u32 i;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_ACCEPTED,
		    c->voting ? PAXOS_WF_ACCEPTED_VOTER : 0,
		    PAXOS_WIRE_ACCEPTED_LEN + nr * 8, &p);
	if (!m)
		return;
	p = paxos_wire_put_ballot(p, bal);
	put_unaligned_le64(c->learned, p);
	put_unaligned_le64(c->first_retained, p + 8);
	put_unaligned_le32(nr, p + 16);
	put_unaligned_le32(0, p + 20);
	p += 24;
	for (i = 0; i < nr; i++, p += 8)
		put_unaligned_le64(slots[i], p);
	msg_send(c, m);
}

static void send_catchup(struct paxos_core *c, u32 dest)
{
	struct paxos_msg_out *m;
	u8 *p;

	if (!dest || dest == c->cfg.node_id)
		return;
	m = msg_new(c, dest, PAXOS_MSG_CATCHUP, 0, PAXOS_WIRE_CATCHUP_LEN, &p);
	if (!m)
		return;
	put_unaligned_le64(c->learned + 1, p);
	put_unaligned_le64(c->learned, p + 8);
	c->catchup_at = c->now + c->cfg.retransmit_ticks;
	c->ctr.catchups_sent++;
	msg_send(c, m);
}

static void maybe_catchup(struct paxos_core *c, u32 dest)
{
	if (c->now >= c->catchup_at)
		send_catchup(c, dest);
}

/*
 * Send an Accept carrying the slots [lo, hi] we hold in our ballot to the
 * members in @mask.  Slots a member already acked are left out when
 * @only_unacked.  Splits into datagrams by size and batch limit.
 */
static void send_accepts(struct paxos_core *c, u64 lo, u64 hi, u32 mask,
			 bool only_unacked);

/* ---- dedup: exactly-once, a deterministic function of the log ---------- */

static void dedup_advance(struct paxos_dedup_entry *d, u64 new_base)
{
	u64 k;

	if (new_base <= d->base)
		return;
	k = new_base - d->base;
	d->bits = k >= 64 ? 0 : d->bits >> k;
	d->base = new_base;
	while (d->bits & 1) {
		d->bits >>= 1;
		d->base++;
	}
}

static struct paxos_dedup_entry *dedup_find(struct paxos_dedup *t, u32 origin,
					    u64 inc)
{
	u32 i;

	for (i = 0; i < t->nr; i++)
		if (t->e[i].origin == origin && t->e[i].origin_inc == inc)
			return &t->e[i];
	return NULL;
}

/* Was (origin, inc, seq) delivered already? */
static bool dedup_seen(struct paxos_dedup *t, u32 origin, u64 inc, u64 seq)
{
	struct paxos_dedup_entry *d = dedup_find(t, origin, inc);
	u64 off;

	if (!d)
		return false;
	if (seq <= d->base)
		return true;
	off = seq - d->base - 1;
	return off < 64 && (d->bits & BIT_ULL(off));
}

/*
 * Record the value chosen in @slot.  Return: true if it is a duplicate (or
 * an abandoned proposal) and must be delivered as a no-op.
 */
static bool dedup_apply(struct paxos_dedup *t, const struct paxos_value *v,
			u64 slot)
{
	struct paxos_dedup_entry *d = dedup_find(t, v->origin, v->origin_inc);
	u64 off;

	if (!d) {
		if (t->nr < PAXOS_DEDUP_ORIGINS) {
			d = &t->e[t->nr++];
		} else {
			u32 i, lru = 0;

			for (i = 1; i < t->nr; i++)
				if (t->e[i].last_slot < t->e[lru].last_slot)
					lru = i;
			d = &t->e[lru];
		}
		memset(d, 0, sizeof(*d));
		d->origin = v->origin;
		d->origin_inc = v->origin_inc;
	}
	d->last_slot = slot;
	if (v->low)
		dedup_advance(d, v->low - 1);
	if (v->seq <= d->base)
		return true;
	off = v->seq - d->base - 1;
	if (off >= 64) {
		/* The origin broke its window; keep the newest 64. */
		dedup_advance(d, v->seq - 64);
		off = 63;
	}
	if (d->bits & BIT_ULL(off))
		return true;
	d->bits |= BIT_ULL(off);
	dedup_advance(d, d->base);
	if (d->bits & 1)
		dedup_advance(d, d->base + 1);
	return false;
}

/* ---- learner ---------------------------------------------------------- */

static void origin_complete(struct paxos_core *c, u64 seq, u64 slot, int err);
static void basic_finish(struct paxos_core *c, bool backoff);
static void basic_phase2(struct paxos_core *c);
static void basic_check_chosen(struct paxos_core *c);
static void origin_reconcile(struct paxos_core *c);
static bool proposer_fill_window(struct paxos_core *c);

static void trim_log(struct paxos_core *c)
{
	u32 ret = c->cfg.retention;

	while (c->first_retained <= c->learned) {
		u64 s = c->first_retained, count = c->learned - s + 1;
		struct paxos_slot *e;

		if (!((count > ret && s <= c->trim_hint) || count > 2ULL * ret))
			break;
		e = slot_get(c, s);
		if (e && e->val && e->val->origin)
			dedup_apply(&c->dedup_trim, e->val, s);
		if (e)
			slot_free(e);
		c->first_retained++;
		c->ctr.slots_trimmed++;
	}
}

static bool deliver_slot(struct paxos_core *c, struct paxos_slot *e)
{
	struct paxos_value *v = e->val;
	struct paxos_delivery *d;
	bool dup;

	d = core_alloc(c, sizeof(*d) + v->len, false);
	if (!d)
		return false;
	dup = v->origin && dedup_apply(&c->dedup, v, e->slot);
	d->slot = e->slot;
	d->last_slot = e->slot;
	d->origin = v->origin;
	d->origin_inc = v->origin_inc;
	d->seq = v->seq;
	if (!v->origin || dup) {
		d->kind = PAXOS_DELIVER_NOOP;
		d->len = 0;
	} else {
		d->kind = PAXOS_DELIVER_VALUE;
		d->len = v->len;
		memcpy(d->data, v->data, v->len);
	}
	list_add_tail(&d->list, &c->out_deliveries);
	if (dup) {
		e->flags |= SLOT_DUP;
		c->ctr.duplicates++;
	}
	c->learned = e->slot;
	c->ctr.slots_learned++;
	if (!dup && v->origin == c->cfg.node_id && v->origin_inc == c->inc)
		origin_complete(c, v->seq, e->slot, 0);
	return true;
}

static bool slot_chosen(const struct paxos_core *c, u64 s)
{
	const struct paxos_slot *e = slot_get(c, s);

	return e && (e->flags & SLOT_CHOSEN) && e->val;
}

/*
 * Deliver every chosen slot after the learned prefix, in order; a leader
 * then refills its window (with a single voter, new slots are chosen at once).
 */
static void learner_advance(struct paxos_core *c)
{
	u64 before = c->learned;

	for (;;) {
		while (slot_chosen(c, c->learned + 1))
			if (!deliver_slot(c, slot_get(c, c->learned + 1)))
				break;
		if (c->state != PAXOS_CS_LEADER || !proposer_fill_window(c) ||
		    !slot_chosen(c, c->learned + 1))
			break;
	}
	if (c->learned == before)
		return;
	if (c->commit < c->learned)
		c->commit = c->learned;
	trim_log(c);
}

/* Mark @e chosen with a value learned from a peer (@v owned). */
static void learner_store_chosen(struct paxos_core *c, struct paxos_slot *e,
				 const struct paxos_ballot *bal,
				 struct paxos_value *v)
{
	if (e->flags & SLOT_CHOSEN) {
		if (e->val && !value_same(e->val, v))
			c->ctr.conflicts++;
		kfree(v);
		return;
	}
	slot_store(c, e, bal, v);
	e->flags |= SLOT_CHOSEN;
}

/*
 * A leader with ballot @bal says every slot up to @commit is chosen: the
 * slots we hold in that same ballot are chosen with the value we hold.
 */
static void learner_apply_commit(struct paxos_core *c, u64 commit,
				 const struct paxos_ballot *bal, u32 from)
{
	u64 s;

	c->commit = max(c->commit, commit);
	for (s = c->learned + 1; s <= commit; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (!e || !e->val)
			break;
		if (!(e->flags & SLOT_CHOSEN)) {
			if (!ballot_eq(&e->bal, bal))
				break;
			e->flags |= SLOT_CHOSEN;
		}
	}
	learner_advance(c);
	trim_log(c);
	if (c->learned < c->commit)
		maybe_catchup(c, from);
}

/* ---- origin: local proposals ------------------------------------------ */

static void origin_complete(struct paxos_core *c, u64 seq, u64 slot, int err)
{
	struct paxos_pending *p;

	list_for_each_entry(p, &c->pending, list) {
		struct paxos_completion *comp;

		if (p->seq != seq)
			continue;
		comp = core_alloc(c, sizeof(*comp), false);
		if (comp) {
			comp->req_id = p->req_id;
			comp->slot = slot;
			comp->error = err;
			list_add_tail(&comp->list, &c->out_completions);
		}
		if (err == -ETIMEDOUT)
			c->ctr.timeouts++;
		else
			c->ctr.completed++;
		list_del(&p->list);
		kfree(p->val);
		kfree(p);
		c->nr_pending--;
		return;
	}
}

/* After skipping trimmed slots, complete what the dedup state says is done. */
static void origin_reconcile(struct paxos_core *c)
{
	struct paxos_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &c->pending, list)
		if (dedup_seen(&c->dedup, c->cfg.node_id, c->inc, p->seq))
			origin_complete(c, p->seq, 0, 0);
}

static u64 origin_low(struct paxos_core *c)
{
	struct paxos_pending *p;

	p = list_first_entry_or_null(&c->pending, struct paxos_pending, list);
	return p ? p->seq : c->next_seq;
}

static bool proposer_knows_value(struct paxos_core *c,
				 const struct paxos_value *v);
static bool proposer_enqueue(struct paxos_core *c, struct paxos_value *v);

/* Node to forward proposals to, 0 if none. */
static u32 origin_target(struct paxos_core *c)
{
	u32 i, n;

	if (is_multi(c))
		return c->leader == c->cfg.node_id ? 0 : c->leader;
	/* Basic mode, non-voting node: any voter runs the phases for us. */
	n = hweight32(c->voters & ~BIT(c->self));
	if (!n)
		return 0;
	n = c->forward_rr++ % n;
	for (i = 0; i < c->nr_peers; i++) {
		if (i == c->self || !(c->voters & BIT(i)))
			continue;
		if (!n--)
			return c->peers[i].id;
	}
	return 0;
}

static bool origin_proposes_itself(const struct paxos_core *c)
{
	if (is_multi(c))
		return c->state == PAXOS_CS_LEADER;
	return c->voting && c->state != PAXOS_CS_PROBING;
}

/* Submit pending values not submitted within the retry interval. */
static void origin_submit(struct paxos_core *c, bool all)
{
	u64 retry = c->cfg.election_max_ticks, low = origin_low(c);
	struct paxos_pending *p;
	struct paxos_msg_out *m;
	static const struct paxos_ballot zero;
	u32 dest = 0, size = 0, nr = 0;
	u8 *b;

	c->retry_at = c->now + retry;
	if (list_empty(&c->pending) || c->state == PAXOS_CS_PROBING)
		return;
	if (!origin_proposes_itself(c)) {
		dest = origin_target(c);
		if (!dest)
			return;
	}
	list_for_each_entry(p, &c->pending, list) {
		if (!all && p->submitted && p->submitted + retry > c->now)
			continue;
		p->val->low = low;
		if (!dest) {
			struct paxos_value *v;

			p->submitted = c->now;
			if (proposer_knows_value(c, p->val))
				continue;
			v = value_dup(c, p->val);
			if (v && !proposer_enqueue(c, v))
				kfree(v);
			continue;
		}
		if (size + paxos_wire_entry_size(p->val->len) > PAXOS_BODY_BUDGET)
			break;
		size += paxos_wire_entry_size(p->val->len);
		nr++;
	}
	if (!dest) {
		learner_advance(c);
		return;
	}
	if (!nr)
		return;
	m = msg_new(c, dest, PAXOS_MSG_FORWARD, 0, PAXOS_WIRE_FORWARD_LEN + size,
		    &b);
	if (!m)
		return;
	put_unaligned_le32(nr, b);
	put_unaligned_le32(0, b + 4);
	b += PAXOS_WIRE_FORWARD_LEN;
	list_for_each_entry(p, &c->pending, list) {
		struct paxos_wire_value w;

		if (!nr)
			break;
		if (!all && p->submitted && p->submitted + retry > c->now)
			continue;
		value_to_wire(p->val, 0, &zero, 0, &w);
		b = paxos_wire_put_entry(b, &w);
		p->submitted = c->now;
		nr--;
	}
	msg_send(c, m);
}

/* Time out local proposals, whatever state this node is in. */
static void origin_expire(struct paxos_core *c)
{
	struct paxos_pending *p;

	/* Pending values are in seq order, so deadlines are ordered too. */
	while ((p = list_first_entry_or_null(&c->pending, struct paxos_pending,
					     list)) && p->deadline <= c->now)
		origin_complete(c, p->seq, 0, -ETIMEDOUT);
}

static void origin_tick(struct paxos_core *c)
{
	origin_expire(c);
	if (c->resubmit) {
		c->resubmit = false;
		origin_submit(c, true);
	} else if (c->now >= c->retry_at) {
		origin_submit(c, false);
	}
}

/* ---- proposer: queue -------------------------------------------------- */

/* Is @v delivered, queued or in flight here?  Keeps retries from piling up. */
static bool proposer_knows_value(struct paxos_core *c,
				 const struct paxos_value *v)
{
	struct paxos_value *q;
	u64 s;

	if (dedup_seen(&c->dedup, v->origin, v->origin_inc, v->seq))
		return true;
	list_for_each_entry(q, &c->queue, list)
		if (value_same(q, v))
			return true;
	list_for_each_entry(q, &c->basic_own, list)
		if (value_same(q, v))
			return true;
	if (c->state != PAXOS_CS_LEADER)
		return false;
	for (s = c->learned + 1; s < c->next_slot; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (e && e->val && value_same(e->val, v) &&
		    ballot_eq(&e->bal, &c->ballot))
			return true;
	}
	return false;
}

static bool proposer_enqueue(struct paxos_core *c, struct paxos_value *v)
{
	if (c->queued >= c->cfg.queue_limit * c->nr_peers)
		return false;
	list_add_tail(&v->list, &c->queue);
	c->queued++;
	return true;
}

static struct paxos_value *proposer_dequeue(struct paxos_core *c)
{
	struct paxos_value *v;

	while ((v = list_first_entry_or_null(&c->queue, struct paxos_value,
					     list))) {
		list_del_init(&v->list);
		c->queued--;
		if (!dedup_seen(&c->dedup, v->origin, v->origin_inc, v->seq))
			return v;
		kfree(v);
	}
	return NULL;
}

static void proposer_drop_queue(struct paxos_core *c)
{
	struct paxos_value *v;

	while ((v = proposer_dequeue(c)))
		kfree(v);
}

/* ---- acceptor ---------------------------------------------------------- */

/*
 * The acceptor's rule for a ballot in Accept: take it unless we promised a
 * higher one.  Return: true if accepted (and the promise raised to it).
 */
static bool acceptor_admit(struct paxos_core *c, const struct paxos_ballot *b)
{
	if (ballot_cmp(b, &c->promised) < 0)
		return false;
	c->promised = *b;
	c->max_round = max(c->max_round, b->round);
	return true;
}

/* Accept @v (owned) for @e in ballot @b after acceptor_admit(). */
static void acceptor_accept(struct paxos_core *c, struct paxos_slot *e,
			    const struct paxos_ballot *b, struct paxos_value *v)
{
	if (e->flags & SLOT_CHOSEN) {
		/* Same value by the Paxos invariant; keep ours. */
		kfree(v);
		return;
	}
	slot_store(c, e, b, v);
}

static void step_down(struct paxos_core *c)
{
	bool was_leader = c->state == PAXOS_CS_LEADER;

	if (c->state != PAXOS_CS_LEADER &&
	    c->state != PAXOS_CS_CANDIDATE)
		return;
	proposer_clear_slots(c);
	proposer_drop_queue(c);
	core_set_state(c, PAXOS_CS_FOLLOWER);
	if (was_leader)
		core_set_leader(c, 0);
	election_timer_reset(c);
}

/* Build and send one promise page to @dest, starting at @from. */
static void acceptor_send_promise(struct paxos_core *c, u32 dest, u64 from,
				  u64 to)
{
	u64 s, end = min(to, c->max_held), covered;
	struct paxos_msg_out *m;
	u32 size = 0, nr = 0, flags = PAXOS_WF_PROMISE_LAST;
	u8 *p;

	/* Slots below first_retained are trimmed: the candidate must catch up. */
	if (from < c->first_retained)
		end = 0;
	for (s = from; s <= end; s++) {
		struct paxos_slot *e = slot_get(c, s);
		u32 sz;

		if (!e || !e->val)
			continue;
		sz = paxos_wire_entry_size(e->val->len);
		if (size + sz > PAXOS_BODY_BUDGET) {
			flags = 0;
			break;
		}
		size += sz;
		nr++;
	}
	covered = flags ? U64_MAX : s - 1;
	m = msg_new(c, dest, PAXOS_MSG_PROMISE, flags,
		    PAXOS_WIRE_PROMISE_LEN + size, &p);
	if (!m)
		return;
	p = paxos_wire_put_ballot(p, &c->promised);
	put_unaligned_le64(from, p);
	put_unaligned_le64(covered, p + 8);
	put_unaligned_le64(c->learned, p + 16);
	put_unaligned_le64(c->first_retained, p + 24);
	put_unaligned_le32(nr, p + 32);
	put_unaligned_le32(0, p + 36);
	p += 40;
	for (s = from; nr; s++) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		if (!e || !e->val)
			continue;
		value_to_wire(e->val, s, &e->bal,
			      e->flags & SLOT_CHOSEN ? PAXOS_WE_CHOSEN : 0, &w);
		p = paxos_wire_put_entry(p, &w);
		nr--;
	}
	msg_send(c, m);
}

static void acceptor_on_prepare(struct paxos_core *c, u32 from_idx,
				const struct paxos_wire_msg *msg)
{
	u32 sender = c->peers[from_idx].id;

	if (!c->voting)
		return;
	if (ballot_cmp(&msg->ballot, &c->promised) < 0) {
		send_reject(c, sender, &msg->ballot);
		return;
	}
	c->promised = msg->ballot;
	c->max_round = max(c->max_round, msg->ballot.round);
	if (ballot_cmp(&c->ballot, &msg->ballot) < 0) {
		step_down(c);
		/* A competing basic proposer: back off and let it finish. */
		if (!is_multi(c) && c->basic_phase != BASIC_IDLE)
			basic_finish(c, true);
	}
	if (is_multi(c))
		election_timer_reset(c);
	acceptor_send_promise(c, sender, msg->from, msg->to);
}

/* ---- proposer: phase 2 (multi leader and basic mode) ------------------ */

static void send_accepts(struct paxos_core *c, u64 lo, u64 hi, u32 mask,
			 bool only_unacked)
{
	u64 s, start = lo;
	u32 peer = 0;

	/* One pass per destination when filtering acks, else one shared pass. */
	if (only_unacked) {
		for (peer = 0; peer < c->nr_peers; peer++) {
			if (peer == c->self || !(mask & BIT(peer)))
				continue;
			for (s = lo; s <= hi; s++) {
				struct paxos_slot *e = slot_get(c, s);

				if (e && e->val && !(e->flags & SLOT_CHOSEN) &&
				    ballot_eq(&e->bal, &c->ballot) &&
				    !(e->acks & BIT(peer)))
					break;
			}
			if (s <= hi)
				send_accepts(c, s, hi, BIT(peer) & ~BIT(c->self),
					     false);
		}
		return;
	}
	while (start <= hi) {
		struct paxos_msg_out *m;
		u32 size = 0, nr = 0;
		u8 *p;

		for (s = start; s <= hi && nr < c->cfg.batch; s++) {
			struct paxos_slot *e = slot_get(c, s);
			u32 sz;

			if (!e || !e->val || !ballot_eq(&e->bal, &c->ballot))
				continue;
			sz = paxos_wire_entry_size(e->val->len);
			if (size + sz > PAXOS_BODY_BUDGET)
				break;
			size += sz;
			nr++;
		}
		if (!nr)
			return;
		m = msg_new(c, 0, PAXOS_MSG_ACCEPT, 0,
			    PAXOS_WIRE_ACCEPT_LEN + size, &p);
		if (!m)
			return;
		p = paxos_wire_put_ballot(p, &c->ballot);
		put_unaligned_le64(is_multi(c) ? c->learned : 0, p);
		put_unaligned_le64(c->trim_hint, p + 8);
		put_unaligned_le32(nr, p + 16);
		put_unaligned_le32(0, p + 20);
		p += 24;
		for (; nr; start++) {
			struct paxos_slot *e = slot_get(c, start);
			struct paxos_wire_value w;

			if (!e || !e->val || !ballot_eq(&e->bal, &c->ballot))
				continue;
			value_to_wire(e->val, start, &e->bal, 0, &w);
			p = paxos_wire_put_entry(p, &w);
			e->last_tx = c->now;
			nr--;
		}
		msg_send_mask(c, m, mask);
	}
}

static void send_heartbeat(struct paxos_core *c)
{
	struct paxos_msg_out *m;
	u8 *p;

	c->heartbeat_at = c->now + c->cfg.heartbeat_ticks;
	m = msg_new(c, 0, PAXOS_MSG_ACCEPT, 0, PAXOS_WIRE_ACCEPT_LEN, &p);
	if (!m)
		return;
	p = paxos_wire_put_ballot(p, &c->ballot);
	put_unaligned_le64(c->learned, p);
	put_unaligned_le64(c->trim_hint, p + 8);
	put_unaligned_le64(0, p + 16);
	msg_send_mask(c, m, all_members(c));
}

/* Smallest learned point over all members: everyone has learned up to it. */
static void update_trim_hint(struct paxos_core *c)
{
	u64 low = c->learned;
	u32 i;

	for (i = 0; i < c->nr_peers; i++)
		if (i != c->self)
			low = min(low, c->peers[i].learned);
	c->trim_hint = max(c->trim_hint, low);
}

/* A voter accepted in our ballot: record it, and decide. */
static bool proposer_count_ack(struct paxos_core *c, struct paxos_slot *e,
			       u32 idx)
{
	if (!(c->voters & BIT(idx)))
		return false;
	e->acks |= BIT(idx);
	if (hweight32(e->acks & c->voters) < c->quorum)
		return false;
	e->flags |= SLOT_CHOSEN;
	return true;
}

/* Propose @v (owned) in @s under our ballot; our own acceptor votes first. */
static bool proposer_propose(struct paxos_core *c, u64 s, struct paxos_value *v)
{
	struct paxos_slot *e = slot_get_or_create(c, s);

	if (!e || !acceptor_admit(c, &c->ballot)) {
		kfree(v);
		return false;
	}
	proposer_touch(c, s);
	e->acks = 0;
	acceptor_accept(c, e, &c->ballot, v);
	e->last_tx = c->now;
	if (!(e->flags & SLOT_CHOSEN))
		proposer_count_ack(c, e, c->self);
	return true;
}

/* Leader: give queued values slots, within the window, batched. */
static bool proposer_fill_window(struct paxos_core *c)
{
	u64 first;

	if (c->state != PAXOS_CS_LEADER || list_empty(&c->queue))
		return false;
	first = c->next_slot;
	while (c->next_slot <= c->learned + c->cfg.window &&
	       slot_in_ring(c, c->next_slot)) {
		struct paxos_value *v = proposer_dequeue(c);

		if (!v)
			break;
		if (!proposer_propose(c, c->next_slot, v)) {
			step_down(c);
			return false;
		}
		c->next_slot++;
	}
	if (c->next_slot == first)
		return false;
	send_accepts(c, first, c->next_slot - 1, all_members(c), false);
	return true;
}

/* ---- Multi-Paxos: election -------------------------------------------- */

/* Adopt what a promise (or our own acceptor) reports for one slot. */
static bool candidate_merge(struct paxos_core *c, const struct paxos_wire_value *w)
{
	struct paxos_slot *e;
	struct paxos_value *v;

	if (w->slot <= c->learned)
		return true;
	e = slot_get_or_create(c, w->slot);
	if (!e)
		return false;
	if (e->flags & SLOT_CHOSEN)
		return true;
	proposer_touch(c, w->slot);
	c->p1_max = max(c->p1_max, w->slot);
	if (w->flags & PAXOS_WE_CHOSEN) {
		v = value_from_wire(c, w);
		if (!v)
			return false;
		learner_store_chosen(c, e, &w->ballot, v);
		return true;
	}
	if (e->pval && ballot_cmp(&w->ballot, &e->pbal) <= 0)
		return true;
	v = value_from_wire(c, w);
	if (!v)
		return false;
	kfree(e->pval);
	e->pval = v;
	e->pbal = w->ballot;
	return true;
}

static void candidate_merge_own(struct paxos_core *c)
{
	u64 s;

	for (s = c->p1_from; s <= c->max_held; s++) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		if (!e || !e->val)
			continue;
		value_to_wire(e->val, s, &e->bal,
			      e->flags & SLOT_CHOSEN ? PAXOS_WE_CHOSEN : 0, &w);
		candidate_merge(c, &w);
	}
}

static void send_prepare(struct paxos_core *c, u32 dest, u64 from, u64 to)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_PREPARE, 0, PAXOS_WIRE_PREPARE_LEN, &p);
	if (!m)
		return;
	p = paxos_wire_put_ballot(p, &c->ballot);
	put_unaligned_le64(from, p);
	put_unaligned_le64(to, p + 8);
	msg_send(c, m);
}

static void leader_start(struct paxos_core *c);

static void new_ballot(struct paxos_core *c)
{
	c->max_round = max3(c->max_round, c->promised.round, c->ballot.round);
	c->ballot.round = ++c->max_round;
	c->ballot.node = c->cfg.node_id;
	/* Our own acceptor promises first. */
	c->promised = c->ballot;
	c->ctr.elections++;
}

static void candidate_start(struct paxos_core *c)
{
	u32 i;

	proposer_clear_slots(c);
	proposer_drop_queue(c);
	new_ballot(c);
	core_set_state(c, PAXOS_CS_CANDIDATE);
	core_set_leader(c, 0);
	c->p1_from = c->learned + 1;
	c->p1_max = c->learned;
	c->p1_done = BIT(c->self);
	candidate_merge_own(c);
	election_timer_reset(c);
	c->retransmit_at = c->now + c->cfg.retransmit_ticks;
	for (i = 0; i < c->nr_peers; i++) {
		c->peers[i].p1_next = c->p1_from;
		if (i != c->self && (c->voters & BIT(i)))
			send_prepare(c, c->peers[i].id, c->p1_from, U64_MAX);
	}
	if (hweight32(c->p1_done) >= c->quorum)
		leader_start(c);
}

static void leader_start(struct paxos_core *c)
{
	u64 s, last;

	core_set_state(c, PAXOS_CS_LEADER);
	core_set_leader(c, c->cfg.node_id);
	learner_advance(c);
	last = max(c->p1_max, c->learned);
	/* Re-propose what phase 1 found; fill the holes with no-ops. */
	for (s = c->learned + 1; s <= last; s++) {
		struct paxos_slot *e = slot_get_or_create(c, s);
		struct paxos_value *v;

		if (!e)
			break;
		if (e->flags & SLOT_CHOSEN) {
			slot_clear_proposal(e);
			continue;
		}
		v = e->pval;
		e->pval = NULL;
		if (!v) {
			v = value_alloc(c, 0);
			if (!v)
				break;
		}
		proposer_propose(c, s, v);
	}
	if (s <= last) {
		/* Out of memory: we cannot lead safely with holes. */
		step_down(c);
		return;
	}
	c->next_slot = last + 1;
	send_accepts(c, c->learned + 1, last, all_members(c), false);
	learner_advance(c);
	send_heartbeat(c);
	c->retransmit_at = c->now + c->cfg.retransmit_ticks;
	origin_submit(c, true);
}

static void candidate_on_promise(struct paxos_core *c, u32 idx,
				 const struct paxos_wire_msg *msg)
{
	struct paxos_peer *peer = &c->peers[idx];
	const u8 *p = msg->entries;
	u32 i;

	if (c->state != PAXOS_CS_CANDIDATE ||
	    !ballot_eq(&msg->ballot, &c->ballot) || msg->from != peer->p1_next ||
	    (c->p1_done & BIT(idx)) || !(c->voters & BIT(idx)))
		return;
	if (msg->first_retained > c->p1_from) {
		/* It trimmed slots we never learned: catch up, then retry. */
		step_down(c);
		send_catchup(c, peer->id);
		return;
	}
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;

		p = paxos_wire_get_entry(p, &w);
		if (w.slot < msg->from || w.slot > msg->to)
			return;
		if (!candidate_merge(c, &w)) {
			/* Beyond our ring, or out of memory: let others lead. */
			step_down(c);
			send_catchup(c, peer->id);
			return;
		}
	}
	if (!(msg->flags & PAXOS_WF_PROMISE_LAST)) {
		peer->p1_next = msg->to + 1;
		send_prepare(c, peer->id, peer->p1_next, U64_MAX);
		return;
	}
	c->p1_done |= BIT(idx);
	if (hweight32(c->p1_done & c->voters) >= c->quorum)
		leader_start(c);
}

/* ---- Multi-Paxos: messages ------------------------------------------- */

static void on_accept(struct paxos_core *c, u32 idx,
		      const struct paxos_wire_msg *msg)
{
	u32 sender = c->peers[idx].id, nr_acked = 0;
	const u8 *p = msg->entries;
	u64 *acked = NULL;
	u32 i;

	if (c->voting && !acceptor_admit(c, &msg->ballot)) {
		send_reject(c, sender, &msg->ballot);
		return;
	}
	if (!c->voting) {
		/* A learner follows the highest ballot it has seen. */
		if (ballot_cmp(&msg->ballot, &c->promised) < 0)
			return;
		c->promised = msg->ballot;
	} else if (ballot_cmp(&c->ballot, &msg->ballot) < 0) {
		step_down(c);
	}
	if (is_multi(c)) {
		core_set_leader(c, sender);
		election_timer_reset(c);
		c->trim_hint = max(c->trim_hint, msg->trim);
	}
	if (msg->nr && c->voting) {
		acked = core_alloc(c, msg->nr * sizeof(*acked), false);
		if (!acked)
			return;
	}
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;
		struct paxos_slot *e;
		struct paxos_value *v;

		p = paxos_wire_get_entry(p, &w);
		if (w.slot <= c->learned) {
			/* Chosen: the ballot's value is the chosen one. */
			if (acked)
				acked[nr_acked++] = w.slot;
			continue;
		}
		e = slot_get_or_create(c, w.slot);
		if (!e)
			continue;
		if (!c->voting && e->val &&
		    ballot_cmp(&e->bal, &msg->ballot) > 0)
			continue;
		v = value_from_wire(c, &w);
		if (!v)
			continue;
		acceptor_accept(c, e, &msg->ballot, v);
		if (acked)
			acked[nr_acked++] = w.slot;
	}
	if (acked || !msg->nr)
		send_accepted(c, sender, &msg->ballot, acked, nr_acked);
	kfree(acked);
	if (is_multi(c))
		learner_apply_commit(c, msg->commit, &msg->ballot, sender);
}

static void proposer_on_accepted(struct paxos_core *c, u32 idx,
				 const struct paxos_wire_msg *msg)
{
	const u8 *p = msg->entries;
	bool decided = false;
	u32 i;

	if (!ballot_eq(&msg->ballot, &c->ballot) ||
	    !(msg->flags & PAXOS_WF_ACCEPTED_VOTER))
		return;
	if (c->state != PAXOS_CS_LEADER &&
	    !(c->basic_phase == BASIC_PHASE2))
		return;
	for (i = 0; i < msg->nr; i++, p += 8) {
		u64 s = get_unaligned_le64(p);
		struct paxos_slot *e = slot_get(c, s);

		if (!e || !e->val || (e->flags & SLOT_CHOSEN) ||
		    !ballot_eq(&e->bal, &c->ballot))
			continue;
		decided |= proposer_count_ack(c, e, idx);
	}
	if (decided)
		learner_advance(c);
}

static void proposer_on_reject(struct paxos_core *c,
			       const struct paxos_wire_msg *msg)
{
	c->max_round = max(c->max_round, msg->promised.round);
	if (!ballot_eq(&msg->ballot, &c->ballot) ||
	    ballot_cmp(&msg->promised, &c->ballot) <= 0)
		return;
	c->ctr.rejects_received++;
	if (is_multi(c))
		step_down(c);
	else if (c->basic_phase != BASIC_IDLE)
		basic_finish(c, true);
}

/* ---- catch-up ---------------------------------------------------------- */

static void on_catchup(struct paxos_core *c, u32 idx,
		       const struct paxos_wire_msg *msg)
{
	u64 from = max(msg->from, c->first_retained), s;
	u32 size = 0, nr = 0, nr_dedup = 0, flags = 0, i;
	struct paxos_msg_out *m;
	u8 *p;

	if (msg->from < c->first_retained) {
		flags = PAXOS_WF_LEARN_SNAPSHOT;
		nr_dedup = c->dedup_trim.nr;
		size = nr_dedup * PAXOS_WIRE_DEDUP_LEN;
	}
	for (s = from; s <= c->learned; s++) {
		struct paxos_slot *e = slot_get(c, s);
		u32 sz;

		if (!e || !e->val)
			break;
		sz = paxos_wire_entry_size(e->val->len);
		if (size + sz > PAXOS_BODY_BUDGET)
			break;
		size += sz;
		nr++;
	}
	if (!nr && !flags)
		return;
	m = msg_new(c, c->peers[idx].id, PAXOS_MSG_LEARN, flags,
		    PAXOS_WIRE_LEARN_LEN + size, &p);
	if (!m)
		return;
	put_unaligned_le64(c->first_retained, p);
	put_unaligned_le64(c->learned, p + 8);
	put_unaligned_le32(nr, p + 16);
	put_unaligned_le32(nr_dedup, p + 20);
	p += PAXOS_WIRE_LEARN_LEN;
	for (i = 0; i < nr_dedup; i++, p += PAXOS_WIRE_DEDUP_LEN) {
		const struct paxos_dedup_entry *d = &c->dedup_trim.e[i];

		put_unaligned_le32(d->origin, p);
		put_unaligned_le32(0, p + 4);
		put_unaligned_le64(d->origin_inc, p + 8);
		put_unaligned_le64(d->base, p + 16);
		put_unaligned_le64(d->bits, p + 24);
		put_unaligned_le64(d->last_slot, p + 32);
	}
	for (s = from; nr; s++, nr--) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		value_to_wire(e->val, s, &e->bal, PAXOS_WE_CHOSEN, &w);
		p = paxos_wire_put_entry(p, &w);
	}
	msg_send(c, m);
}

/* Peers trimmed what we miss: continue from their first retained slot. */
static void learner_skip_to(struct paxos_core *c, u64 first,
			    const struct paxos_wire_msg *msg)
{
	struct paxos_delivery *d;
	const u8 *p = msg->dedup;
	u64 i;

	d = core_alloc(c, sizeof(*d), true);
	if (!d)
		return;
	step_down(c);
	if (c->basic_phase != BASIC_IDLE)
		basic_finish(c, false);
	d->kind = PAXOS_DELIVER_SKIPPED;
	d->slot = c->learned + 1;
	d->last_slot = first - 1;
	list_add_tail(&d->list, &c->out_deliveries);
	c->ctr.slots_skipped += first - 1 - c->learned;

	for (i = 0; i < c->cap; i++)
		if (c->ring[i].slot && c->ring[i].slot < first)
			slot_free(&c->ring[i]);
	memset(&c->dedup, 0, sizeof(c->dedup));
	for (i = 0; i < msg->nr_dedup; i++, p += PAXOS_WIRE_DEDUP_LEN) {
		struct paxos_dedup_entry *e = &c->dedup.e[c->dedup.nr++];

		e->origin = get_unaligned_le32(p);
		e->origin_inc = get_unaligned_le64(p + 8);
		e->base = get_unaligned_le64(p + 16);
		e->bits = get_unaligned_le64(p + 24);
		e->last_slot = get_unaligned_le64(p + 32);
	}
	c->dedup_trim = c->dedup;
	c->first_retained = first;
	c->learned = first - 1;
	c->commit = max(c->commit, c->learned);
	c->max_held = max(c->max_held, c->learned);
	if (c->next_slot && c->next_slot <= c->learned)
		c->next_slot = c->learned + 1;
	origin_reconcile(c);
}

static void on_learn(struct paxos_core *c, u32 idx,
		     const struct paxos_wire_msg *msg)
{
	const u8 *p = msg->entries;
	u64 before = c->learned;
	u32 i;

	/* A leader learns only through its own quorum (see learner notes). */
	if (c->state == PAXOS_CS_LEADER)
		return;
	c->peers[idx].learned = max(c->peers[idx].learned, msg->learned);
	if ((msg->flags & PAXOS_WF_LEARN_SNAPSHOT) &&
	    msg->first_retained > c->learned + 1)
		learner_skip_to(c, msg->first_retained, msg);
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;
		struct paxos_slot *e;
		struct paxos_value *v;

		p = paxos_wire_get_entry(p, &w);
		if (w.slot <= c->learned)
			continue;
		e = slot_get_or_create(c, w.slot);
		if (!e)
			continue;
		v = value_from_wire(c, &w);
		if (!v)
			continue;
		learner_store_chosen(c, e, &w.ballot, v);
	}
	basic_check_chosen(c);
	learner_advance(c);
	if (c->learned > before && c->learned < msg->learned)
		send_catchup(c, c->peers[idx].id);
}

/* ---- basic mode -------------------------------------------------------- */

/*
 * Basic Paxos, one attempt at a time per voter: phase 1 and phase 2 for a
 * run of up to @batch consecutive slots starting at the first slot this node
 * does not know to be chosen, one instance of the synod protocol per slot.
 * Competing proposers reject each other's lower ballots and back off for a
 * random time.  No leader, no commit point: a proposer that sees its values
 * chosen tells everyone with LEARN; STATUS gossip drives catch-up.
 */

static bool basic_in_range(const struct paxos_core *c, u64 s)
{
	return s >= c->basic_slot && s < c->basic_slot + c->basic_count;
}

static void basic_finish(struct paxos_core *c, bool backoff)
{
	struct paxos_value *v, *tmp;
	u64 s;

	/* Our values go back to the head of the queue unless they made it. */
	list_for_each_entry_safe_reverse(v, tmp, &c->basic_own, list) {
		bool chosen = false;

		for (s = c->basic_slot; s < c->basic_slot + c->basic_count; s++) {
			struct paxos_slot *e = slot_get(c, s);

			if (e && (e->flags & SLOT_CHOSEN) && e->val &&
			    value_same(e->val, v)) {
				chosen = true;
				break;
			}
		}
		list_del_init(&v->list);
		if (chosen) {
			kfree(v);
		} else {
			list_add(&v->list, &c->queue);
			c->queued++;
		}
	}
	proposer_clear_slots(c);
	c->basic_phase = BASIC_IDLE;
	if (backoff)
		c->basic_backoff = c->now + core_rand_range(c,
				c->cfg.election_min_ticks, c->cfg.election_max_ticks);
}

static void basic_start(struct paxos_core *c)
{
	u64 s = c->learned + 1, k;
	struct paxos_slot *e;
	u32 i;

	if (is_multi(c) || !c->voting || c->state == PAXOS_CS_PROBING ||
	    c->basic_phase != BASIC_IDLE || list_empty(&c->queue) ||
	    c->now < c->basic_backoff)
		return;
	while (slot_chosen(c, s))
		s++;
	if (!slot_in_ring(c, s))
		return;
	c->basic_count = min(c->queued, c->cfg.batch);
	while (c->basic_count > 1 && !slot_in_ring(c, s + c->basic_count - 1))
		c->basic_count--;
	new_ballot(c);
	c->basic_phase = BASIC_PHASE1;
	c->basic_slot = s;
	c->basic_deadline = c->now + c->cfg.election_max_ticks;
	c->retransmit_at = c->now + c->cfg.retransmit_ticks;
	c->p1_from = s;
	c->p1_max = 0;
	c->p1_done = BIT(c->self);
	for (k = s; k < s + c->basic_count; k++) {
		struct paxos_wire_value w;

		e = slot_get(c, k);
		if (!e || !e->val)
			continue;
		value_to_wire(e->val, k, &e->bal,
			      e->flags & SLOT_CHOSEN ? PAXOS_WE_CHOSEN : 0, &w);
		candidate_merge(c, &w);
	}
	for (i = 0; i < c->nr_peers; i++)
		if (i != c->self && (c->voters & BIT(i)))
			send_prepare(c, c->peers[i].id, s, s + c->basic_count - 1);
	if (hweight32(c->p1_done) >= c->quorum)
		basic_phase2(c);
}

/* Tell every member about the slots of our attempt that are chosen. */
static void basic_broadcast_chosen(struct paxos_core *c)
{
	u64 s, end = c->basic_slot + c->basic_count;
	struct paxos_msg_out *m;
	u32 size = 0, nr = 0;
	u8 *p;

	for (s = c->basic_slot; s < end; s++)
		if (slot_chosen(c, s)) {
			size += paxos_wire_entry_size(slot_get(c, s)->val->len);
			nr++;
		}
	if (!nr)
		return;
	m = msg_new(c, 0, PAXOS_MSG_LEARN, 0, PAXOS_WIRE_LEARN_LEN + size, &p);
	if (!m)
		return;
	put_unaligned_le64(c->first_retained, p);
	put_unaligned_le64(c->learned, p + 8);
	put_unaligned_le32(nr, p + 16);
	put_unaligned_le32(0, p + 20);
	p += PAXOS_WIRE_LEARN_LEN;
	for (s = c->basic_slot; s < end; s++) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		if (!slot_chosen(c, s))
			continue;
		value_to_wire(e->val, s, &e->bal, PAXOS_WE_CHOSEN, &w);
		p = paxos_wire_put_entry(p, &w);
	}
	msg_send_mask(c, m, all_members(c));
}

/* Is every slot of the attempt decided?  Then announce and finish. */
static void basic_check_chosen(struct paxos_core *c)
{
	u64 s;

	if (c->basic_phase == BASIC_IDLE)
		return;
	for (s = c->basic_slot; s < c->basic_slot + c->basic_count; s++)
		if (!slot_chosen(c, s))
			return;
	if (c->basic_phase == BASIC_PHASE2)
		basic_broadcast_chosen(c);
	basic_finish(c, false);
	learner_advance(c);
}

static void basic_phase2(struct paxos_core *c)
{
	u64 s, end = c->basic_slot + c->basic_count;

	c->basic_phase = BASIC_PHASE2;
	for (s = c->basic_slot; s < end; s++) {
		struct paxos_slot *e = slot_get_or_create(c, s);
		struct paxos_value *v, *own;

		if (!e) {
			basic_finish(c, true);
			return;
		}
		if (e->flags & SLOT_CHOSEN)
			continue;
		if (e->pval) {
			/* Someone's value may be chosen here: ours must wait. */
			v = e->pval;
			e->pval = NULL;
		} else {
			own = proposer_dequeue(c);
			if (own) {
				list_add_tail(&own->list, &c->basic_own);
				v = value_dup(c, own);
			} else {
				v = value_alloc(c, 0);
			}
			if (!v) {
				basic_finish(c, true);
				return;
			}
		}
		if (!proposer_propose(c, s, v)) {
			basic_finish(c, true);
			return;
		}
	}
	send_accepts(c, c->basic_slot, end - 1, c->voters, false);
	basic_check_chosen(c);
}

static void basic_on_promise(struct paxos_core *c, u32 idx,
			     const struct paxos_wire_msg *msg)
{
	const u8 *p = msg->entries;
	u32 i;

	if (c->basic_phase != BASIC_PHASE1 ||
	    !ballot_eq(&msg->ballot, &c->ballot) || msg->from != c->basic_slot ||
	    !(c->voters & BIT(idx)) || (c->p1_done & BIT(idx)) ||
	    !(msg->flags & PAXOS_WF_PROMISE_LAST))
		return;
	if (msg->first_retained > c->basic_slot) {
		/* Trimmed there, hence chosen: learn it first. */
		basic_finish(c, false);
		send_catchup(c, c->peers[idx].id);
		return;
	}
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;

		p = paxos_wire_get_entry(p, &w);
		if (!basic_in_range(c, w.slot))
			continue;
		if (!candidate_merge(c, &w)) {
			basic_finish(c, true);
			return;
		}
	}
	c->p1_done |= BIT(idx);
	if (hweight32(c->p1_done & c->voters) >= c->quorum)
		basic_phase2(c);
}

static void send_status(struct paxos_core *c)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, 0, PAXOS_MSG_STATUS, 0, PAXOS_WIRE_STATUS_LEN, &p);
	if (!m)
		return;
	put_unaligned_le64(c->learned, p);
	put_unaligned_le64(c->first_retained, p + 8);
	put_unaligned_le64(c->trim_hint, p + 16);
	msg_send_mask(c, m, all_members(c));
}

static void basic_tick(struct paxos_core *c)
{
	if (c->now >= c->heartbeat_at) {
		c->heartbeat_at = c->now + c->cfg.heartbeat_ticks;
		update_trim_hint(c);
		send_status(c);
	}
	if (c->basic_phase == BASIC_IDLE) {
		basic_start(c);
		return;
	}
	if (c->now >= c->basic_deadline) {
		basic_finish(c, true);
		return;
	}
	if (c->now < c->retransmit_at)
		return;
	c->retransmit_at = c->now + c->cfg.retransmit_ticks;
	if (c->basic_phase == BASIC_PHASE1) {
		u32 i;

		for (i = 0; i < c->nr_peers; i++)
			if (i != c->self && (c->voters & ~c->p1_done & BIT(i)))
				send_prepare(c, c->peers[i].id, c->basic_slot,
					     c->basic_slot + c->basic_count - 1);
	} else {
		send_accepts(c, c->basic_slot,
			     c->basic_slot + c->basic_count - 1, c->voters, true);
	}
}

/* ---- new cluster probe ------------------------------------------------- */

static void send_hello(struct paxos_core *c, u32 dest, u32 flags)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_HELLO, flags, PAXOS_WIRE_HELLO_LEN, &p);
	if (!m)
		return;
	put_unaligned_le64(0, p);
	if (dest)
		msg_send(c, m);
	else
		msg_send_mask(c, m, all_members(c));
}

static bool core_holds_state(const struct paxos_core *c)
{
	return c->promised.round || c->learned || c->max_held;
}

static void core_start_voting(struct paxos_core *c)
{
	core_set_state(c, PAXOS_CS_FOLLOWER);
	election_timer_reset(c);
	c->heartbeat_at = c->now;
}

static void on_hello(struct paxos_core *c, u32 idx, u64 prev_inc,
		     const struct paxos_wire_msg *msg)
{
	if (msg->flags & PAXOS_WF_HELLO_NEW) {
		/*
		 * A node claiming a new cluster is refused if it ran before
		 * under another incarnation (so it lost its acceptor state)
		 * while we hold state.  One that merely started late is fine.
		 */
		bool refuse = core_holds_state(c) && prev_inc &&
			      prev_inc != msg->sender_inc;

		send_hello(c, c->peers[idx].id,
			   refuse ? PAXOS_WF_HELLO_REFUSE : PAXOS_WF_HELLO_OK);
		return;
	}
	if (c->state != PAXOS_CS_PROBING)
		return;
	if (msg->flags & PAXOS_WF_HELLO_REFUSE) {
		c->voting = false;
		c->flags |= PAXOS_STATUS_REFUSED;
		c->flags &= ~PAXOS_STATUS_VOTING;
		core_set_state(c, PAXOS_CS_LEARNER);
		return;
	}
	if (msg->flags & PAXOS_WF_HELLO_OK) {
		c->hello_ok |= BIT(idx);
		if (hweight32(c->hello_ok & c->voters) >= c->quorum)
			core_start_voting(c);
	}
}

/* ---- input ------------------------------------------------------------- */

/**
 * paxos_core_receive() - process one datagram from a peer
 * @core: the core
 * @buf: the datagram
 * @len: its length
 * @gfp: allocation flags for this call
 *
 * The datagram is validated completely before anything in it is used.
 * Outputs are queued for paxos_core_ready().
 *
 * Return: 0 if processed; otherwise the datagram was dropped and counted:
 * -ENODATA (truncated), -EPROTONOSUPPORT (unknown version), -EBADMSG
 * (malformed), -ENOENT (another group), -ESRCH (sender not a member, or
 * ourselves).
 */
int paxos_core_receive(struct paxos_core *core, const void *buf, size_t len,
		       gfp_t gfp)
{
	struct paxos_core *c = core;
	struct paxos_wire_msg msg;
	struct paxos_peer *peer;
	u64 prev_inc;
	int idx, err;

	c->gfp = gfp;
	err = paxos_wire_decode(buf, len, &msg);
	switch (err) {
	case 0:
		break;
	case -ENODATA:
		c->ctr.rx_truncated++;
		return err;
	case -EPROTONOSUPPORT:
		c->ctr.rx_bad_version++;
		return err;
	default:
		c->ctr.rx_malformed++;
		return err;
	}
	if (msg.group != c->cfg.group_id) {
		c->ctr.rx_wrong_group++;
		return -ENOENT;
	}
	idx = peer_index(c, msg.sender);
	if (idx < 0 || (u32)idx == c->self) {
		c->ctr.rx_unknown_sender++;
		return -ESRCH;
	}
	c->ctr.rx_msgs++;
	peer = &c->peers[idx];
	peer->last_heard = c->now ? c->now : 1;
	prev_inc = peer->seen_inc;
	peer->seen_inc = msg.sender_inc;
	if (prev_inc && prev_inc != msg.sender_inc)
		peer->learned = 0;
	if (!peer->reachable) {
		peer->reachable = true;
		c->events |= PAXOS_EVENT_PEER;
	}
	if (msg.type == PAXOS_MSG_HELLO) {
		on_hello(c, idx, prev_inc, &msg);
		return 0;
	}
	if (c->state == PAXOS_CS_PROBING)
		return 0;

	switch (msg.type) {
	case PAXOS_MSG_PREPARE:
		acceptor_on_prepare(c, idx, &msg);
		break;
	case PAXOS_MSG_PROMISE:
		if (is_multi(c))
			candidate_on_promise(c, idx, &msg);
		else
			basic_on_promise(c, idx, &msg);
		break;
	case PAXOS_MSG_REJECT:
		proposer_on_reject(c, &msg);
		break;
	case PAXOS_MSG_ACCEPT:
		on_accept(c, idx, &msg);
		break;
	case PAXOS_MSG_ACCEPTED:
		peer->learned = msg.learned;
		proposer_on_accepted(c, idx, &msg);
		if (!is_multi(c))
			basic_check_chosen(c);
		break;
	case PAXOS_MSG_FORWARD: {
		const u8 *p = msg.entries;
		u32 i;

		if (!origin_proposes_itself(c))
			break;
		for (i = 0; i < msg.nr; i++) {
			struct paxos_wire_value w;
			struct paxos_value *v;

			p = paxos_wire_get_entry(p, &w);
			if (!w.origin || w.len > c->cfg.max_value_size)
				continue;
			v = value_from_wire(c, &w);
			if (!v)
				break;
			if (proposer_knows_value(c, v) || !proposer_enqueue(c, v))
				kfree(v);
		}
		learner_advance(c);
		basic_start(c);
		break;
	}
	case PAXOS_MSG_CATCHUP:
		peer->learned = msg.learned;
		on_catchup(c, idx, &msg);
		break;
	case PAXOS_MSG_LEARN:
		on_learn(c, idx, &msg);
		break;
	case PAXOS_MSG_STATUS:
		peer->learned = msg.learned;
		c->trim_hint = max(c->trim_hint, msg.trim);
		if (msg.learned > c->learned)
			maybe_catchup(c, peer->id);
		break;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_receive);

/* ---- ticks ------------------------------------------------------------- */

static void leader_tick(struct paxos_core *c)
{
	if (c->now >= c->heartbeat_at) {
		update_trim_hint(c);
		trim_log(c);
		send_heartbeat(c);
	}
	if (c->now >= c->retransmit_at) {
		u64 lo = c->learned + 1;

		c->retransmit_at = c->now + c->cfg.retransmit_ticks;
		if (lo < c->next_slot)
			send_accepts(c, lo, c->next_slot - 1, c->voters, true);
	}
}

static void candidate_tick(struct paxos_core *c)
{
	u32 i;

	if (c->now >= c->election_at) {
		candidate_start(c);
		return;
	}
	if (c->now < c->retransmit_at)
		return;
	c->retransmit_at = c->now + c->cfg.retransmit_ticks;
	for (i = 0; i < c->nr_peers; i++)
		if (i != c->self && (c->voters & ~c->p1_done & BIT(i)))
			send_prepare(c, c->peers[i].id, c->peers[i].p1_next,
				     U64_MAX);
}

static void peers_tick(struct paxos_core *c)
{
	u64 horizon = 2ULL * c->cfg.election_max_ticks;
	u32 i;

	for (i = 0; i < c->nr_peers; i++) {
		struct paxos_peer *p = &c->peers[i];

		if (i == c->self || !p->reachable)
			continue;
		if (c->now - p->last_heard > horizon) {
			p->reachable = false;
			c->events |= PAXOS_EVENT_PEER;
		}
	}
}

/**
 * paxos_core_tick() - advance the core's clock by one tick
 * @core: the core
 * @gfp: allocation flags for this call
 *
 * Drives every timer: probes, election timeouts, heartbeats, retransmits,
 * proposal retries and timeouts, catch-up and trimming.
 */
void paxos_core_tick(struct paxos_core *core, gfp_t gfp)
{
	struct paxos_core *c = core;

	c->gfp = gfp;
	c->now++;
	if (c->now >= c->peers_at) {
		c->peers_at = c->now + c->cfg.heartbeat_ticks;
		peers_tick(c);
	}
	if (c->state == PAXOS_CS_PROBING) {
		if (c->now >= c->retransmit_at) {
			c->retransmit_at = c->now + c->cfg.retransmit_ticks;
			send_hello(c, 0, PAXOS_WF_HELLO_NEW);
		}
		origin_expire(c);
		return;
	}
	if (is_multi(c)) {
		switch (c->state) {
		case PAXOS_CS_FOLLOWER:
			if (c->now >= c->election_at)
				candidate_start(c);
			break;
		case PAXOS_CS_CANDIDATE:
			candidate_tick(c);
			break;
		case PAXOS_CS_LEADER:
			leader_tick(c);
			break;
		}
		if (c->state != PAXOS_CS_LEADER && c->learned < c->commit)
			maybe_catchup(c, c->leader);
		/*
		 * Followers and learners hear only from the leader; a status
		 * now and then keeps every member's view of its peers (their
		 * reachability and learned point) current.
		 */
		if (c->state != PAXOS_CS_LEADER && c->now >= c->status_at) {
			c->status_at = c->now + c->cfg.election_min_ticks / 2 + 1;
			send_status(c);
		}
	} else {
		basic_tick(c);
	}
	origin_tick(c);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_tick);

/**
 * paxos_core_propose() - submit a value from a local client
 * @core: the core
 * @value: the bytes (copied)
 * @len: 1..max_value_size
 * @req_id: the caller's id for the request, returned in its completion
 * @gfp: allocation flags for this call
 *
 * The value is learned at most once in the log, even if it is retried after
 * a leader change.  Exactly one &struct paxos_completion follows for every
 * successful call.
 *
 * Return: 0 if queued; -EINVAL for an empty value; -EMSGSIZE if larger than
 * max_value_size; -EAGAIN if the local queue is full; -ECONNREFUSED if this
 * node's "new cluster" was refused; -ENOMEM.
 */
int paxos_core_propose(struct paxos_core *core, const void *value, u32 len,
		       u64 req_id, gfp_t gfp)
{
	struct paxos_core *c = core;
	struct paxos_pending *p, *first;

	c->gfp = gfp;
	if (!len)
		return -EINVAL;
	if (len > c->cfg.max_value_size)
		return -EMSGSIZE;
	if (c->flags & PAXOS_STATUS_REFUSED)
		return -ECONNREFUSED;
	first = list_first_entry_or_null(&c->pending, struct paxos_pending, list);
	if (c->nr_pending >= c->cfg.queue_limit ||
	    (first && c->next_seq >= first->seq + PAXOS_DEDUP_WINDOW))
		return -EAGAIN;
	p = core_alloc(c, sizeof(*p), true);
	if (!p)
		return -ENOMEM;
	p->val = value_alloc(c, len);
	if (!p->val) {
		kfree(p);
		return -ENOMEM;
	}
	memcpy(p->val->data, value, len);
	p->val->origin = c->cfg.node_id;
	p->val->origin_inc = c->inc;
	p->val->seq = c->next_seq++;
	p->seq = p->val->seq;
	p->req_id = req_id;
	p->deadline = c->now + c->cfg.proposal_timeout_ticks;
	list_add_tail(&p->list, &c->pending);
	c->nr_pending++;
	c->ctr.proposals++;
	origin_submit(c, false);
	basic_start(c);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_propose);

/* ---- lifecycle and queries --------------------------------------------- */

/**
 * paxos_core_config_defaults() - fill zero fields of @cfg with defaults
 * @cfg: the configuration
 *
 * Defaults (ticks): heartbeat 10, election 30..60, retransmit 8, proposal
 * timeout 5000; retention 1024 slots, window 64, batch 16 values, max value
 * 32 KiB, queue 64 proposals.
 */
void paxos_core_config_defaults(struct paxos_core_config *cfg)
{
	if (!cfg->heartbeat_ticks)
		cfg->heartbeat_ticks = PAXOS_DEF_HEARTBEAT;
	if (!cfg->election_min_ticks)
		cfg->election_min_ticks = PAXOS_DEF_ELECTION_MIN;
	if (!cfg->election_max_ticks)
		cfg->election_max_ticks = max_t(u32, PAXOS_DEF_ELECTION_MAX,
						cfg->election_min_ticks);
	if (!cfg->retransmit_ticks)
		cfg->retransmit_ticks = PAXOS_DEF_RETRANSMIT;
	if (!cfg->proposal_timeout_ticks)
		cfg->proposal_timeout_ticks = PAXOS_DEF_PROPOSAL_TO;
	if (!cfg->retention)
		cfg->retention = PAXOS_DEF_RETENTION;
	if (!cfg->window)
		cfg->window = PAXOS_DEF_WINDOW;
	if (!cfg->batch)
		cfg->batch = PAXOS_DEF_BATCH;
	if (!cfg->max_value_size)
		cfg->max_value_size = PAXOS_DEFAULT_VALUE;
	if (!cfg->queue_limit)
		cfg->queue_limit = PAXOS_DEF_QUEUE;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_config_defaults);

static int config_check(const struct paxos_core_config *cfg)
{
	u32 i, j;

	if (!cfg->nr_members || cfg->nr_members > PAXOS_MAX_MEMBERS ||
	    !cfg->node_id || cfg->mode > PAXOS_CORE_BASIC ||
	    cfg->election_min_ticks > cfg->election_max_ticks ||
	    cfg->max_value_size > PAXOS_MAX_VALUE ||
	    cfg->queue_limit > PAXOS_DEDUP_WINDOW ||
	    cfg->retention > (1U << 20) || cfg->window > (1U << 16))
		return -EINVAL;
	for (i = 0; i < cfg->nr_members; i++) {
		if (!cfg->members[i].node_id ||
		    cfg->members[i].role > PAXOS_MEMBER_LEARNER)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (cfg->members[j].node_id == cfg->members[i].node_id)
				return -EINVAL;
	}
	return 0;
}

/**
 * paxos_core_create() - create the core of one node of a group
 * @cfg: configuration (zero fields take defaults); copied
 * @gfp: allocation flags
 *
 * Return: the core, or an ERR_PTR(): -EINVAL for an inconsistent
 * configuration (no voter, node not a member, duplicate ids, limits out of
 * range), -ENOMEM.
 */
struct paxos_core *paxos_core_create(const struct paxos_core_config *cfg,
				     gfp_t gfp)
{
	struct paxos_core *c;
	int self = -1;
	u32 i;

	c = kzalloc(sizeof(*c), gfp);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->cfg = *cfg;
	paxos_core_config_defaults(&c->cfg);
	if (config_check(&c->cfg))
		goto inval;
	c->nr_peers = c->cfg.nr_members;
	for (i = 0; i < c->nr_peers; i++) {
		c->peers[i].id = c->cfg.members[i].node_id;
		c->peers[i].role = c->cfg.members[i].role;
		if (c->peers[i].role == PAXOS_MEMBER_VOTER)
			c->voters |= BIT(i);
		if (c->peers[i].id == c->cfg.node_id)
			self = i;
	}
	if (self < 0 || !c->voters)
		goto inval;
	c->self = self;
	c->quorum = hweight32(c->voters) / 2 + 1;
	c->cap = roundup_pow_of_two(2 * c->cfg.retention + 2 * c->cfg.window + 2);
	c->ring = kvcalloc(c->cap, sizeof(*c->ring), gfp);
	if (!c->ring) {
		kfree(c);
		return ERR_PTR(-ENOMEM);
	}
	c->rng = c->cfg.seed;
	c->inc = c->cfg.incarnation;
	while (!c->inc)
		c->inc = core_rand(c);
	c->gfp = gfp;
	c->first_retained = 1;
	c->next_seq = 1;
	c->prop_lo = U64_MAX;
	INIT_LIST_HEAD(&c->queue);
	INIT_LIST_HEAD(&c->basic_own);
	INIT_LIST_HEAD(&c->pending);
	INIT_LIST_HEAD(&c->out_msgs);
	INIT_LIST_HEAD(&c->out_deliveries);
	INIT_LIST_HEAD(&c->out_completions);
	c->voting = (c->voters & BIT(self)) && !c->cfg.join_existing;
	c->hello_ok = BIT(self);
	if (c->cfg.join_existing)
		c->flags |= PAXOS_STATUS_JOINED;
	if (c->voting) {
		c->flags |= PAXOS_STATUS_VOTING;
		c->state = PAXOS_CS_PROBING;
		if (c->voters == BIT(self))
			core_start_voting(c);
	} else {
		c->state = PAXOS_CS_LEARNER;
	}
	election_timer_reset(c);
	return c;
inval:
	kfree(c);
	return ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_create);

static void free_list(struct list_head *head)
{
	struct list_head *pos, *n;

	list_for_each_safe(pos, n, head) {
		list_del(pos);
		kfree(pos);
	}
}

/**
 * paxos_ready_release() - free whatever is left in a &struct paxos_ready
 * @ready: the batch
 */
void paxos_ready_release(struct paxos_ready *ready)
{
	/* Each list links the first member of its entries. */
	BUILD_BUG_ON(offsetof(struct paxos_msg_out, list) != 0);
	BUILD_BUG_ON(offsetof(struct paxos_delivery, list) != 0);
	BUILD_BUG_ON(offsetof(struct paxos_completion, list) != 0);
	free_list(&ready->msgs);
	free_list(&ready->deliveries);
	free_list(&ready->completions);
	ready->events = 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_ready_release);

/**
 * paxos_core_destroy() - free a core and everything it holds
 * @core: the core, may be NULL
 *
 * Pending local proposals are dropped without completion: the caller
 * completes its own requests with -ECANCELED.  Undrained output is freed.
 */
void paxos_core_destroy(struct paxos_core *core)
{
	struct paxos_pending *p, *tmp;
	struct paxos_value *v, *vt;
	u64 i;

	if (!core)
		return;
	for (i = 0; i < core->cap; i++)
		slot_free(&core->ring[i]);
	kvfree(core->ring);
	list_for_each_entry_safe(v, vt, &core->queue, list)
		kfree(v);
	list_for_each_entry_safe(v, vt, &core->basic_own, list)
		kfree(v);
	list_for_each_entry_safe(p, tmp, &core->pending, list) {
		kfree(p->val);
		kfree(p);
	}
	free_list(&core->out_msgs);
	free_list(&core->out_deliveries);
	free_list(&core->out_completions);
	kfree(core);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_destroy);

/**
 * paxos_core_ready() - move all queued output to @ready
 * @core: the core
 * @ready: initialised with paxos_ready_init(); output is appended
 *
 * Call with the caller's lock held, then act on @ready after dropping it.
 */
void paxos_core_ready(struct paxos_core *core, struct paxos_ready *ready)
{
	list_splice_tail_init(&core->out_msgs, &ready->msgs);
	list_splice_tail_init(&core->out_deliveries, &ready->deliveries);
	list_splice_tail_init(&core->out_completions, &ready->completions);
	ready->events |= core->events;
	core->events = 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_ready);

/**
 * paxos_core_has_ready() - is there output to collect?
 * @core: the core
 *
 * Return: true if paxos_core_ready() would move anything.
 */
bool paxos_core_has_ready(const struct paxos_core *core)
{
	return !list_empty(&core->out_msgs) ||
	       !list_empty(&core->out_deliveries) ||
	       !list_empty(&core->out_completions) || core->events;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_has_ready);

/**
 * paxos_core_status() - snapshot of the node's state
 * @core: the core
 * @st: filled in
 */
void paxos_core_status(const struct paxos_core *core,
		       struct paxos_core_status *st)
{
	const struct paxos_core *c = core;
	u32 i;

	memset(st, 0, sizeof(*st));
	st->state = c->state;
	st->mode = c->cfg.mode;
	st->flags = c->flags;
	st->leader_id = c->leader;
	st->promised = c->promised;
	st->ballot = c->ballot;
	st->now = c->now;
	st->first_retained = c->first_retained;
	st->learned = c->learned;
	st->commit = c->commit;
	st->next_slot = c->next_slot;
	st->pending = c->nr_pending;
	st->queued = c->queued;
	st->counters = c->ctr;
	st->nr_peers = c->nr_peers;
	for (i = 0; i < c->nr_peers; i++) {
		st->peers[i].node_id = c->peers[i].id;
		st->peers[i].role = c->peers[i].role;
		st->peers[i].last_heard = c->peers[i].last_heard;
		st->peers[i].learned = i == c->self ? c->learned :
				       c->peers[i].learned;
		st->peers[i].reachable = i == c->self || c->peers[i].reachable;
	}
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_status);

/**
 * paxos_core_read() - copy out a learned slot
 * @core: the core
 * @slot: the slot
 * @buf: destination for the value (may be NULL if @len is 0)
 * @len: size of @buf
 * @info: filled with the slot's metadata on success (may be NULL)
 *
 * Return: the value's length (0 for a no-op or a suppressed duplicate);
 * -ENOENT if the slot was trimmed (or is 0); -EAGAIN if not learned yet;
 * -EMSGSIZE if @len is too small (@info is still filled).
 */
int paxos_core_read(const struct paxos_core *core, u64 slot, void *buf,
		    size_t len, struct paxos_slot_info *info)
{
	const struct paxos_slot *e;
	const struct paxos_value *v;
	bool noop;

	if (!slot || slot < core->first_retained)
		return -ENOENT;
	if (slot > core->learned)
		return -EAGAIN;
	e = slot_get(core, slot);
	if (!e || !e->val)
		return -ENOENT;
	v = e->val;
	noop = !v->origin || (e->flags & SLOT_DUP);
	if (info) {
		info->kind = noop ? PAXOS_DELIVER_NOOP : PAXOS_DELIVER_VALUE;
		info->origin = v->origin;
		info->origin_inc = v->origin_inc;
		info->seq = v->seq;
		info->len = noop ? 0 : v->len;
	}
	if (noop)
		return 0;
	if (len < v->len)
		return -EMSGSIZE;
	memcpy(buf, v->data, v->len);
	return v->len;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_read);

/**
 * paxos_core_first_retained() - lowest slot still held
 * @core: the core
 *
 * Return: the slot; everything below it is trimmed.
 */
u64 paxos_core_first_retained(const struct paxos_core *core)
{
	return core->first_retained;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_first_retained);

/**
 * paxos_core_learned() - end of the contiguous learned prefix
 * @core: the core
 *
 * Return: the last learned slot, 0 if none.
 */
u64 paxos_core_learned(const struct paxos_core *core)
{
	return core->learned;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_learned);

/**
 * paxos_core_leader() - the leader this node currently follows
 * @core: the core
 *
 * Return: node id, 0 if none is known (always 0 in basic mode).
 */
u32 paxos_core_leader(const struct paxos_core *core)
{
	return core->leader;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_leader);
