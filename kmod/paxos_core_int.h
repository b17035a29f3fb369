/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: internals of the protocol core, shared by its files only.
 *
 * struct paxos_core is made of one part per role, named after the file
 * that implements the role (paxos_core.c lists them).  The roles of one node
 * are one state machine, so they read each other's parts freely and update
 * them where the protocol ties them together (a promise raises the
 * proposer's max_round, skipping to a snapshot moves the leader's
 * next_slot).  The functions below are the ones called across files; the
 * rest are static in their file.  Like the whole core, nothing here locks:
 * every entry point runs under the caller's lock (paxos_core.h).
 */
#ifndef _PAXOS_CORE_INT_H
#define _PAXOS_CORE_INT_H

#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/types.h>

#include "paxos_core.h"
#include "paxos_wire.h"

/* Room for entries in one datagram after the largest fixed body. */
#define PAXOS_BODY_BUDGET	(PAXOS_MAX_DATAGRAM - PAXOS_WIRE_HDR_LEN - \
				 PAXOS_WIRE_PROMISE_LEN)

/* Cells of a new slot ring (paxos_log.c); it grows from there. */
#define PAXOS_RING_MIN	64

#define SLOT_CHOSEN	BIT(0)	/* the value in @val is chosen */
#define SLOT_DUP	BIT(1)	/* chosen, delivered as a no-op (duplicate) */

struct paxos_value {
	struct list_head list;	/* proposer queue */
	u32 origin;		/* 0: no-op */
	u32 flags;		/* PAXOS_WE_CONFIG: a configuration change */
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

/* struct paxos_dedup_entry, one origin incarnation, is in paxos_wire.h. */
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
	struct paxos_completion *comp;	/* allocated up front: never lost */
	bool internal;			/* the core's own: no completion out */
};

struct paxos_peer {
	u32 id;			/* 0: a free entry */
	u32 role;
	u64 last_heard;
	u64 learned;
	u64 inc;		/* its newest incarnation heard (0: none) */
	u64 fresh_inc;		/* an incarnation heard while we held nothing */
	u64 p1_next;		/* proposer: next slot of its promise */
	bool reachable;
	bool nonvoting;		/* its incarnation @inc said it does not vote */
	u8 claim;		/* CLAIM_*: is @inc the admitted incarnation? */
	u64 rx_msgs;		/* valid datagrams taken from it */
};

/* A member removed: the newest incarnation heard of it. */
struct paxos_gone {
	u32 id;
	u64 inc;
};

/* What a peer's incarnation says of itself (PAXOS_WF_ADMITTED). */
enum { CLAIM_UNKNOWN, CLAIM_ADMITTED, CLAIM_NOT_ADMITTED };

/* paxos_config.c: one configuration */
struct pxc_conf {
	u64 slot;			/* chosen in; 0: the initial one */
	u64 effective;			/* first slot it governs; 0: none */
	u32 nr;
	struct paxos_member m[PAXOS_MAX_MEMBERS];
};

/* The configuration governing the slots from some point on, and the next. */
struct pxc_confs {
	struct pxc_conf cur;
	struct pxc_conf next;		/* next.effective 0: no change pending */
};

/*
 * Election backoff: a candidacy that follows one which elected nobody, or a
 * leader that lasted less than ELECTION_STABLE election timeouts, doubles
 * the election timeouts, up to 1 << ELECTION_BACKOFF_MAX times; a leader
 * that lasts ELECTION_STABLE << backoff timeouts brings them back.
 */
enum { ELECTION_FRESH, ELECTION_PENDING, ELECTION_ELECTED };
#define ELECTION_BACKOFF_MAX	3
#define ELECTION_STABLE		4

/* Basic-mode attempt phases. */
enum { BASIC_IDLE, BASIC_PHASE1, BASIC_PHASE2 };

/* paxos_acceptor.c; a vote held back for the next FORWARD (vote_hold()) */
struct pxc_vote {
	u64 *slots;			/* NULL: none held */
	u32 nr;
	u32 dest;			/* the Accept's sender */
	u32 flags;			/* of the ACCEPTED */
	struct paxos_ballot bal;
};

struct pxc_acceptor {
	struct paxos_ballot promised;
	struct paxos_ballot follow;	/* a learner: the leader's it follows */
	struct pxc_vote vote;
};

/*
 * paxos_election.c and paxos_leader.c; the timers also pace the probe
 * (paxos_hello.c) and basic mode's status and retransmits.
 */
struct pxc_proposer {
	struct paxos_ballot ballot;
	u32 max_round;			/* highest round seen anywhere */
	u64 status_at;			/* next status of a non-leader */
	u32 leader;			/* node id, 0: unknown */
	u64 election_at;
	u32 backoff;			/* election timeouts are << this */
	u32 outcome;			/* ELECTION_*: since our last candidacy */
	u64 leader_since;		/* tick the current leader was learned */
	u64 heartbeat_at;
	u64 retransmit_at;
	u32 p1_done;			/* voters whose promise is complete */
	u64 p1_from;
	u64 p1_max;
	u64 next_slot;
	bool starting;			/* leader_start() is placing phase 1's */
	u64 p1_conf[2];			/* configurations our promises cover */
	u64 commit_sent;		/* commit point last sent to all members */
	u64 unsent_lo;			/* first slot filled, not sent (0: none) */
	u64 lo, hi;			/* slots that may hold proposer state */
	struct list_head queue;		/* paxos_origin.c */
	u32 queued;
};

/* paxos_basic.c */
struct pxc_basic {
	u32 phase;			/* BASIC_* */
	u64 slot;
	u32 count;
	u64 deadline;
	u64 backoff;
	struct paxos_ballot yielded;	/* the attempt we wait for (0: none) */
	struct list_head own;		/* queue values proposed in phase 2 */
};

/* paxos_learner.c; the ring itself is paxos_log.c's */
struct pxc_learner {
	struct paxos_slot *ring;
	u64 cap;			/* cells allocated, a power of two */
	u64 span;			/* cells it may grow to, a power of two */
	u64 first_retained;
	u64 bytes;			/* pinned by [first_retained, learned] */
	u64 max_bytes;			/* cfg.retain_bytes or its default */
	u64 learned;
	u64 max_held;			/* highest slot holding a value */
	u64 commit;
	u64 trim_hint;
	u64 catchup_at;
	struct paxos_dedup dedup;	/* state after slot @learned */
	struct paxos_dedup dedup_trim;	/* state before @first_retained */
};

/* paxos_origin.c */
struct pxc_origin {
	struct list_head pending;
	u32 nr_pending;
	u32 nr_internal;		/* of them the core's own */
	u64 next_seq;
	u64 retry_at;
	bool resubmit;
	bool unsent;			/* new values to forward at origin_flush() */
	u32 forward_rr;
};

/* paxos_log.c appends, paxos_core_ready() hands out */
struct pxc_out {
	struct list_head msgs;
	struct list_head deliveries;
	struct list_head completions;
	u32 events;
};

struct paxos_core {
	struct paxos_core_config cfg;
	gfp_t gfp;			/* of the current call */
	u32 self;			/* our index in @peers */
	u32 nr_peers;
	u32 voters;			/* voters of conf.cur that may vote now */
	u32 quorum;			/* of conf.cur, dead voters counted */
	u32 state;
	u32 flags;			/* PAXOS_STATUS_* */
	bool voting;
	u32 hello_ok;			/* voters that let us start */
	u64 now;
	u64 rng;
	u64 inc;
	u64 peers_at;

	struct pxc_acceptor acc;
	struct pxc_proposer prop;
	struct pxc_basic basic;
	struct pxc_learner learn;
	struct pxc_origin origin;
	struct pxc_out out;

	struct paxos_core_counters ctr;
	struct paxos_peer peers[PAXOS_MAX_MEMBERS];
	/*
	 * The incarnations of removed members, so that the datagrams of an
	 * older one stay stale if the member is added back (the oldest
	 * record is overwritten).
	 */
	struct paxos_gone gone[PAXOS_MAX_MEMBERS];
	u32 gone_next;

	struct pxc_confs conf;		/* governing the slots after learned */
	struct pxc_confs conf_trim;	/* ... after first_retained - 1 */
	u32 members;			/* peer indices of cur and next members */
	u32 next_voters;		/* like voters and quorum, for conf.next */
	u32 next_quorum;
	u32 live;			/* voters of conf.cur that can vote */
	u32 next_live;			/* ... of conf.next */
	bool admitted;			/* our probe for a new cluster succeeded */
	u32 refused_by;			/* the peer that refused it (0: none) */
	bool synced;			/* our configuration is the cluster's */
};

/* ---- small helpers, used everywhere ----------------------------------- */

static inline int ballot_cmp(const struct paxos_ballot *a,
			     const struct paxos_ballot *b)
{
	if (a->round != b->round)
		return a->round < b->round ? -1 : 1;
	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	return 0;
}

static inline bool ballot_eq(const struct paxos_ballot *a,
			     const struct paxos_ballot *b)
{
	return a->round == b->round && a->node == b->node;
}

static inline bool is_multi(const struct paxos_core *c)
{
	return c->cfg.mode == PAXOS_CORE_MULTI;
}

static inline u32 all_members(const struct paxos_core *c)
{
	return c->members;
}

/*
 * May @s be stored?  The ring covers [first_retained, first_retained + span)
 * once grown to its full size; slot_get_or_create() and ring_reserve() grow
 * it on the way.
 */
static inline bool slot_in_ring(const struct paxos_core *c, u64 s)
{
	return s >= c->learn.first_retained &&
	       s - c->learn.first_retained < c->learn.span;
}

/* Nothing is stored beyond the cells allocated so far. */
static inline struct paxos_slot *slot_get(const struct paxos_core *c, u64 s)
{
	struct paxos_slot *e;

	if (s < c->learn.first_retained ||
	    s - c->learn.first_retained >= c->learn.cap)
		return NULL;
	e = &c->learn.ring[s & (c->learn.cap - 1)];
	return e->slot == s ? e : NULL;
}

/* What a learned slot pins, as counted against cfg.retain_bytes. */
static inline u64 slot_cost(const struct paxos_slot *e)
{
	return PAXOS_SLOT_COST + (e->val ? e->val->len : 0);
}

static inline bool slot_chosen(const struct paxos_core *c, u64 s)
{
	const struct paxos_slot *e = slot_get(c, s);

	return e && (e->flags & SLOT_CHOSEN) && e->val;
}

static inline bool value_same(const struct paxos_value *a,
			      const struct paxos_value *b)
{
	return a->origin == b->origin && a->origin_inc == b->origin_inc &&
	       a->seq == b->seq && a->len == b->len && a->flags == b->flags;
}

/* paxos_log.c */
void *core_alloc(struct paxos_core *c, size_t size, bool zero);
void *core_kvcalloc(struct paxos_core *c, size_t n, size_t size);
bool ring_reserve(struct paxos_core *c, u64 s);
struct paxos_value *value_alloc(struct paxos_core *c, u32 len);
struct paxos_value *value_dup(struct paxos_core *c,
			      const struct paxos_value *src);
struct paxos_value *value_from_wire(struct paxos_core *c,
				    const struct paxos_wire_value *w);
void value_to_wire(const struct paxos_value *v, u64 slot,
		   const struct paxos_ballot *bal, u32 flags,
		   struct paxos_wire_value *w);
struct paxos_slot *slot_get_or_create(struct paxos_core *c, u64 s);
void slot_clear_proposal(struct paxos_slot *e);
void slot_free(struct paxos_slot *e);
void slot_store(struct paxos_core *c, struct paxos_slot *e,
		const struct paxos_ballot *bal, struct paxos_value *v);
struct paxos_msg_out *msg_new(struct paxos_core *c, u32 dest, u32 type,
			      u32 flags, u32 body_len, u8 **body);
void msg_send(struct paxos_core *c, struct paxos_msg_out *m);
void msg_send_mask(struct paxos_core *c, struct paxos_msg_out *m, u32 mask);
void msg_send_mask_first(struct paxos_core *c, struct paxos_msg_out *m,
			 u32 mask, int first);

/* paxos_dedup.c */
bool dedup_seen(struct paxos_dedup *t, u32 origin, u64 inc, u64 seq);
bool dedup_apply(struct paxos_dedup *t, const struct paxos_value *v,
		 u64 slot);

/* paxos_acceptor.c */
bool acceptor_admit(struct paxos_core *c, const struct paxos_ballot *b);
void acceptor_accept(struct paxos_core *c, struct paxos_slot *e,
		     const struct paxos_ballot *b, struct paxos_value *v);
void acceptor_on_prepare(struct paxos_core *c, u32 from_idx,
			 const struct paxos_wire_msg *msg);
void vote_flush(struct paxos_core *c);
void vote_drop(struct paxos_core *c);
u32 vote_len(const struct paxos_core *c, u32 dest);
struct paxos_msg_out *vote_msg_new(struct paxos_core *c, u32 dest, u32 size,
				   u8 **p);
void on_accept(struct paxos_core *c, u32 idx,
	       const struct paxos_wire_msg *msg);

/* paxos_election.c */
void core_set_state(struct paxos_core *c, u32 state);
void core_set_leader(struct paxos_core *c, u32 leader);
void election_timer_reset(struct paxos_core *c);
void election_settle(struct paxos_core *c);
void step_down(struct paxos_core *c);
bool new_ballot(struct paxos_core *c);
void send_prepare(struct paxos_core *c, u32 dest, u64 from, u64 to);
bool candidate_merge(struct paxos_core *c, const struct paxos_wire_value *w);
bool candidate_merge_own(struct paxos_core *c, u64 from, u64 to);
void candidate_start(struct paxos_core *c);
void candidate_on_promise(struct paxos_core *c, u32 idx,
			  const struct paxos_wire_msg *msg);
void candidate_tick(struct paxos_core *c);

/* paxos_leader.c */
void proposer_clear_slots(struct paxos_core *c);
void proposer_touch(struct paxos_core *c, u64 s);
void send_accepts(struct paxos_core *c, u64 lo, u64 hi, u32 mask,
		  bool only_unacked);
void send_heartbeat(struct paxos_core *c);
bool proposer_propose(struct paxos_core *c, u64 s, struct paxos_value *v);
bool proposer_fill_window(struct paxos_core *c);
void proposer_on_accepted(struct paxos_core *c, u32 idx,
			  const struct paxos_wire_msg *msg);
void proposer_on_reject(struct paxos_core *c,
			const struct paxos_wire_msg *msg);
void leader_tick(struct paxos_core *c);
void leader_flush(struct paxos_core *c);

/* paxos_learner.c */
void send_catchup(struct paxos_core *c, u32 dest);
void maybe_catchup(struct paxos_core *c, u32 dest);
void send_status(struct paxos_core *c);
void update_trim_hint(struct paxos_core *c);
void trim_log(struct paxos_core *c);
void learner_advance(struct paxos_core *c);
void learner_store_chosen(struct paxos_core *c, struct paxos_slot *e,
			  const struct paxos_ballot *bal,
			  struct paxos_value *v);
void learner_on_accept(struct paxos_core *c, u32 leader_idx,
		       const struct paxos_ballot *bal);
void learner_apply_commit(struct paxos_core *c, u64 commit,
			  const struct paxos_ballot *bal, u32 from);
void on_catchup(struct paxos_core *c, u32 idx,
		const struct paxos_wire_msg *msg);
void on_learn(struct paxos_core *c, u32 idx,
	      const struct paxos_wire_msg *msg);

/* paxos_origin.c */
bool proposer_knows_value(struct paxos_core *c,
			  const struct paxos_value *v);
bool proposer_enqueue(struct paxos_core *c, struct paxos_value *v);
struct paxos_value *proposer_dequeue(struct paxos_core *c);
void proposer_drop_queue(struct paxos_core *c);
void origin_complete(struct paxos_core *c, u64 seq, u64 slot, int err);
void origin_fail_all(struct paxos_core *c, int err);
int origin_add(struct paxos_core *c, const void *value, u32 len, u32 flags,
	       u64 req_id, bool internal);
void origin_reconcile(struct paxos_core *c);
bool origin_proposes_itself(const struct paxos_core *c);
void origin_submit(struct paxos_core *c, bool all);
void origin_flush(struct paxos_core *c);
void origin_expire(struct paxos_core *c);
void origin_tick(struct paxos_core *c);

/* paxos_basic.c */
void basic_yield(struct paxos_core *c, const struct paxos_ballot *theirs);
void basic_finish(struct paxos_core *c, bool backoff);
void basic_check_chosen(struct paxos_core *c);
void basic_start(struct paxos_core *c);
void basic_on_promise(struct paxos_core *c, u32 idx,
		      const struct paxos_wire_msg *msg);
void basic_tick(struct paxos_core *c);

/* paxos_hello.c */
void send_hello(struct paxos_core *c, u32 dest, u32 flags, u64 asker_inc);
bool core_holds_state(const struct paxos_core *c);
void core_start_voting(struct paxos_core *c);
void on_hello(struct paxos_core *c, u32 idx,
	      const struct paxos_wire_msg *msg);
void peer_new_incarnation(struct paxos_core *c, u32 idx, u64 inc);

/* paxos_config.c */
void conf_init(struct paxos_core *c);
void conf_recompute(struct paxos_core *c);
u32 conf_slot_voters(const struct paxos_core *c, u64 s, u32 *quorum);
bool conf_promised(const struct paxos_core *c, u32 done, bool next);
void conf_cover(struct paxos_core *c);
int conf_covered(const struct paxos_core *c, u64 s);
int conf_delivered(struct paxos_core *c, u64 s, const struct paxos_value *v);
void conf_learned(struct paxos_core *c);
void conf_trimmed(struct paxos_core *c, u64 s, const struct paxos_value *v);
u32 conf_snapshot_len(const struct paxos_core *c);
u8 *conf_snapshot_put(const struct paxos_core *c, u8 *p, u8 *scratch);
bool conf_snapshot_take(struct paxos_core *c, const struct paxos_wire_value *w);
void conf_leader_tick(struct paxos_core *c);
bool conf_in_flight(const struct paxos_core *c);
void conf_resolve(struct paxos_core *c, struct paxos_value *v);
bool conf_leader_heard(const struct paxos_core *c);
void conf_judge_quorum(struct paxos_core *c);
void peer_forget_votes(struct paxos_core *c, u32 idx);

/* paxos_core.c */
u64 core_rand_range(struct paxos_core *c, u32 lo, u32 hi);
int peer_index(const struct paxos_core *c, u32 id);

#endif /* _PAXOS_CORE_INT_H */
