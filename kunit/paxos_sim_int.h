/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: internals of the cluster simulator, shared by its files only.
 *
 * The simulator is split by role, like the core:
 *
 *   paxos_sim.c        the design (the comment at its top), the
 *                      configurations, a seed's fault profile, the phases
 *                      of a run and paxos_sim_run()
 *   paxos_sim_net.c    the PRNG, the values, the simulated network
 *   paxos_sim_check.c  the trace and the checker
 *   paxos_sim_fault.c  nodes, their restarts and the other faults
 *
 * The functions below are the ones called across files; the rest are static
 * in their file.
 */
#ifndef _PAXOS_SIM_INT_H
#define _PAXOS_SIM_INT_H

#include <linux/types.h>

#include "paxos_core.h"
#include "paxos_sim.h"

#define SIM_MAX_NODES		8
/* A debugging build may keep and print more (-DSIM_TRACE=65536). */
#ifndef SIM_TRACE
#define SIM_TRACE		256
#endif
#ifndef SIM_TRACE_PRINT
#define SIM_TRACE_PRINT		80
#endif
#define SIM_FAULT_TICKS		40000	/* give up if the target is not met */
#define SIM_EASE_TICKS		4000	/* then no more loss or failed allocations */
#define SIM_LIVENESS_TICKS	1500	/* the stated bound after faults stop */
#define SIM_REFUSAL_TICKS	400	/* clients keep trying after a majority loss */
#define SIM_STUCK_TICKS		300	/* no slot learned: a majority loss is final */
#define SIM_NOOP		U64_MAX
/* A no-op that carries an origin (a duplicate, or a change): tagged. */
#define SIM_TAGGED		BIT_ULL(63)
#define SIM_TAG(origin, seq)	(SIM_TAGGED | ((u64)(origin) << 48) | \
				 ((seq) & (BIT_ULL(48) - 1)))
/* Request ids of configuration changes (PAXOS_SIM_CONFIG). */
#define SIM_CHANGE_REQ		BIT_ULL(62)
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
/* Its slot ring's full size: 2 * retention + 2 * window + 2, rounded up. */
#define SIM_RING_SPAN		128
/* BIG: a tight retain_bytes in half the seeds (a couple of big values) */
#define SIM_TIGHT_BYTES		(4 * (PAXOS_MAX_VALUE + PAXOS_SLOT_COST))

enum { VAL_PENDING = 1, VAL_ACKED, VAL_TIMEDOUT, VAL_LOST };

enum {
	EV_RECV, EV_DROP, EV_PROPOSE, EV_DELIVER, EV_COMPLETE, EV_STATE,
	EV_PARTITION, EV_PAUSE, EV_RESTART, EV_HEAL, EV_SKIP, EV_LIMITS,
	EV_CHANGE, EV_LOST,
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
	u64 next_change;	/* PAXOS_SIM_CONFIG: tick of the next change */
	u64 changes;		/* changes submitted */
	u64 limits_at;		/* tick of the LIMITS datagrams (0: none) */
	u32 limits_headroom;	/* rounds left below U32_MAX, roughly */

	u64 alloc_rng;		/* allocation failures: a stream of their own */
	u32 alloc_pct;
	bool alloc_on;
	u32 timeout;
	u32 max_value;
	u32 big_pct;
	u32 retain_bytes;	/* given to the cores (0: their default) */

	u64 *slot_code;		/* per slot: 0 unknown, SIM_NOOP or value id */
	u64 top_delivered;	/* highest slot any node ever delivered */
	u64 progress_at;	/* tick top_delivered last grew */
	u64 whole_at;		/* tick the last partition healed */
	bool loss_known;	/* a majority lost: loss_from is set */
	u64 loss_from;		/* ... the first slot no quorum can choose */
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

/* paxos_sim_net.c */
u64 sim_mix(u64 *state);
u64 sim_rand(struct sim *s);
u32 sim_below(struct sim *s, u32 n);
u32 sim_value_len(const struct sim *s, u64 id);
void sim_value_make(const struct sim *s, u64 id, u8 *buf);
u64 sim_value_check(struct sim *s, const u8 *data, u32 len);
struct sim_msg *sim_heap_pop(struct sim *s);
void net_send(struct sim *s, u32 from, const struct paxos_msg_out *out);
void deliver_due(struct sim *s);

/* paxos_sim_check.c */
void sim_trace(struct sim *s, u8 kind, u8 a, u8 b, u8 c, u32 x, u64 y);
const char *sim_msg_name(u32 type);
void sim_trace_dump(struct sim *s);
__printf(2, 3) void sim_fail(struct sim *s, const char *fmt, ...);
const struct paxos_core_status *sim_node_status(struct sim *s, u32 i);
bool sim_named_voter(struct sim *s, u32 i);
bool sim_quorum_alive(struct sim *s, u32 i);
bool sim_restart_keeps_quorum(struct sim *s, u32 i);
u32 sim_most_advanced(struct sim *s);
bool sim_demoted(struct sim *s, u32 i);
bool sim_member(struct sim *s, u32 i);
bool sim_leaving(struct sim *s, u32 i);
bool sim_knows(struct sim *s, u32 to, u32 from);
void check_removed(struct sim *s, u32 i);
bool status_votes(const struct paxos_core_status *st);
bool status_holds_state(const struct paxos_core_status *st);
u32 voting_voters(struct sim *s, u32 except, u32 *probing, bool *state);
bool majority_lost(struct sim *s);
bool rounds_exhausted(struct sim *s);
bool node_refused(struct sim *s, u32 i);
void check_node(struct sim *s, u32 i);
void sim_drain(struct sim *s, u32 i);
void check_views(struct sim *s);

/* paxos_sim_fault.c */
int node_create(struct sim *s, u32 i, bool join);
void node_restart(struct sim *s, u32 i, bool join, u32 down);
bool node_running(struct sim *s, struct sim_node *nd);
void limits_step(struct sim *s);
void sim_heal(struct sim *s);
bool sim_cut_any(const struct sim *s);
void fault_step(struct sim *s);
void churn_step(struct sim *s);
void change_step(struct sim *s);

/* paxos_sim.c */
void sim_tick(struct sim *s, bool clients);

#endif /* _PAXOS_SIM_INT_H */
