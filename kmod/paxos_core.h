/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: the protocol core, a pure state machine.
 *
 * The core owns no sockets, timers, threads or locks and never sleeps.  A
 * caller (the kernel runtime, or the KUnit simulator) feeds it three kinds of
 * input, always serialised by the caller's own lock:
 *
 *   paxos_core_receive()  a datagram from a peer (validated in full)
 *   paxos_core_tick()     one tick of the caller's clock
 *   paxos_core_propose()  a value from a local client
 *
 * Every call may produce output, which the core appends to internal queues.
 * The caller moves them out with paxos_core_ready() while still holding its
 * lock, drops the lock, and then sends the messages, hands the deliveries to
 * readers and completes the proposals, and finally frees the batch with
 * paxos_ready_release().  This is the "Ready" pattern of etcd's raft.
 *
 * Allocation uses the gfp_t the caller passes; when an allocation fails the
 * core behaves as if the input (or output message) had been lost, which the
 * protocol tolerates, and counts it in &paxos_core_counters.nomem.
 */
#ifndef _PAXOS_CORE_H
#define _PAXOS_CORE_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/gfp.h>

/* Limits shared by the core, the wire format and the runtime. */
#define PAXOS_MAX_MEMBERS	32	/* voters and learners of one group */
#define PAXOS_MAX_VALUE		61440	/* absolute max value size, 60 KiB */
#define PAXOS_DEFAULT_VALUE	32768	/* default max value size, 32 KiB */
#define PAXOS_UDP_MAX		65507	/* largest UDP payload over IPv4 */
#define PAXOS_ENVELOPE_MAX	64	/* room for the runtime's authentication */
/* largest message of the core: what is left of a UDP payload */
#define PAXOS_MAX_DATAGRAM	(PAXOS_UDP_MAX - PAXOS_ENVELOPE_MAX)
#define PAXOS_DEDUP_WINDOW	64	/* max proposals in flight per origin */
#define PAXOS_DEDUP_ORIGINS	64	/* origin node ids tracked, > members */
#define PAXOS_RETAIN_BYTES_MAX	(64U << 20)	/* learned bytes kept per group */
#define PAXOS_SLOT_COST		128	/* bookkeeping of one slot, in bytes */

/**
 * enum paxos_member_role - what a configured member does
 * @PAXOS_MEMBER_VOTER: acceptor, proposer and learner
 * @PAXOS_MEMBER_LEARNER: learns values, never votes, never leads
 */
enum paxos_member_role {
	PAXOS_MEMBER_VOTER,
	PAXOS_MEMBER_LEARNER,
};

/**
 * enum paxos_core_mode - which protocol the group runs
 * @PAXOS_CORE_MULTI: Multi-Paxos with a stable leader (default)
 * @PAXOS_CORE_BASIC: both phases for every proposal, from any voter
 */
enum paxos_core_mode {
	PAXOS_CORE_MULTI,
	PAXOS_CORE_BASIC,
};

/**
 * enum paxos_core_state - the role this node currently plays
 * @PAXOS_CS_PROBING: "new cluster" node asking peers whether it may vote
 * @PAXOS_CS_FOLLOWER: voter following a leader (or, in basic mode, a voter)
 * @PAXOS_CS_CANDIDATE: voter running phase 1 to become leader
 * @PAXOS_CS_LEADER: voter that won phase 1 and runs phase 2 only
 * @PAXOS_CS_LEARNER: non-voting node (configured learner, a node that
 *	joined an existing cluster, or a node whose "new cluster" was refused)
 */
enum paxos_core_state {
	PAXOS_CS_PROBING,
	PAXOS_CS_FOLLOWER,
	PAXOS_CS_CANDIDATE,
	PAXOS_CS_LEADER,
	PAXOS_CS_LEARNER,
};

/*
 * A configuration change chosen in slot s governs the slots from
 * s + PAXOS_CONFIG_ALPHA on (the alpha window of "Paxos Made Moderately
 * Complex").  A leader keeps at most that many slots in flight (the window
 * is capped to it), so it always knows the configuration of a slot it
 * proposes in.
 */
#define PAXOS_CONFIG_ALPHA	64
#define PAXOS_ADDR_LEN		20	/* a member's address, opaque to the core */

/* Incarnations in a voter's &struct paxos_member. */
#define PAXOS_INC_ADMITTED	0	/* the one a new cluster's probe let vote */
#define PAXOS_INC_PENDING	U64_MAX	/* none yet: it votes once pinned */

/**
 * struct paxos_member - one member of the group's configuration
 * @node_id: node id, unique in the group, never 0
 * @role: &enum paxos_member_role
 * @incarnation: a voter's incarnation that votes: %PAXOS_INC_ADMITTED in
 *	the initial configuration, %PAXOS_INC_PENDING for a voter whose
 *	incarnation the leader has not pinned yet (see paxos_core_change())
 * @addr: the member's address, for the runtime (the core only carries it)
 */
struct paxos_member {
	u32 node_id;
	u32 role;
	u64 incarnation;
	u8 addr[PAXOS_ADDR_LEN];
};

/**
 * enum paxos_change_op - configuration changes (&struct paxos_change)
 * @PAXOS_CHANGE_ADD: add @node_id as @role at @addr; a voter votes once
 *	the leader pinned its incarnation (it caught up)
 * @PAXOS_CHANGE_REMOVE: remove @node_id
 * @PAXOS_CHANGE_PROMOTE: @node_id becomes a voter (a voter again, after a
 *	restart) as incarnation @incarnation (0: the newest one the leader
 *	heard, pinned when it caught up)
 * @PAXOS_CHANGE_DEMOTE: voter @node_id becomes a learner
 * @PAXOS_CHANGE_ADDRESS: @node_id's address becomes @addr
 * @PAXOS_CHANGE_FORCE: (paxos_core_force_new_cluster() only) the sender
 *	alone votes from the next slot on; every other member is a learner
 * @PAXOS_CHANGE_REFUSED: (the leader's only) a demotion or removal it
 *	refused, because the voters it can reach would not make a quorum
 *	of the result: every node refuses it with -EHOSTUNREACH
 */
enum paxos_change_op {
	PAXOS_CHANGE_ADD = 1,
	PAXOS_CHANGE_REMOVE,
	PAXOS_CHANGE_PROMOTE,
	PAXOS_CHANGE_DEMOTE,
	PAXOS_CHANGE_ADDRESS,
	PAXOS_CHANGE_FORCE,
	PAXOS_CHANGE_REFUSED,
};

/**
 * struct paxos_change - one configuration change, chosen in the log
 * @op: &enum paxos_change_op
 * @node_id: the member it changes
 * @role: ADD: &enum paxos_member_role
 * @incarnation: PROMOTE: the incarnation that will vote (0: see above)
 * @addr: ADD, ADDRESS: the member's address
 */
struct paxos_change {
	u32 op;
	u32 node_id;
	u32 role;
	u64 incarnation;
	u8 addr[PAXOS_ADDR_LEN];
};

/**
 * struct paxos_membership - a configuration and where it stands
 * @slot: slot of the change that made it (0: the initial configuration)
 * @effective: first slot it governs
 * @pending: a chosen change is waiting for its slot (@next is valid)
 * @nr_members: entries in @members
 * @members: every member
 * @voters: voters in @members
 * @quorum: voters that make a quorum
 * @live: voters whose voting incarnation is not known to be gone
 * @next: the chosen change's configuration, if @pending
 */
struct paxos_membership {
	u64 slot;
	u64 effective;
	bool pending;
	u32 nr_members;
	struct paxos_member members[PAXOS_MAX_MEMBERS];
	u32 voters;
	u32 quorum;
	u32 live;
	struct {
		u64 slot;
		u64 effective;
		u32 nr_members;
		struct paxos_member members[PAXOS_MAX_MEMBERS];
	} next;
};

/**
 * struct paxos_core_config - everything paxos_core_create() needs
 * @group_id: the group's id; datagrams of other groups are dropped
 * @node_id: this node's id; must appear in @members
 * @nr_members: number of entries in @members (1..%PAXOS_MAX_MEMBERS)
 * @members: all members including this node
 * @mode: &enum paxos_core_mode
 * @join_existing: false: this node starts a new cluster together with the
 *	others (it probes its peers first and is refused if they already hold
 *	state); true: it joins an existing cluster as a non-voting learner
 * @manual_promote: a voter that restarted (or a voter added, or promoted
 *	without an incarnation) votes again only when an operator promotes it;
 *	by default the leader pins its new incarnation once it caught up
 * @seed: seed of the core's deterministic PRNG (runtime: get_random_u64())
 * @incarnation: identifies this instance of the node across restarts; must
 *	be greater than any earlier incarnation of the same node id (the
 *	runtime uses the wall clock at creation): peers drop what an older
 *	incarnation sends once a newer one spoke, and values of an older
 *	incarnation chosen after a newer one's are never delivered (0: derived
 *	from @seed, for tests that never restart a node)
 * @heartbeat_ticks: leader heartbeat interval
 * @election_min_ticks: lower bound of the randomized election timeout
 * @election_max_ticks: upper bound of the randomized election timeout
 * @retransmit_ticks: resend interval for unanswered protocol messages
 * @proposal_timeout_ticks: a proposal not learned within this many ticks
 *	completes with -ETIMEDOUT (it may still be chosen later)
 * @retention: learned slots kept for readers and catch-up; beyond it, slots
 *	every member has learned are trimmed; beyond twice it, the oldest
 *	learned slots are trimmed regardless (a member that far behind then
 *	skips them, see &PAXOS_DELIVER_SKIPPED)
 * @retain_bytes: bytes the learned slots kept may pin (each slot counts
 *	its value's length plus %PAXOS_SLOT_COST); beyond half of it, slots
 *	every member has learned are trimmed; beyond it, the oldest learned
 *	slots are trimmed regardless, as beyond twice @retention (at most
 *	%PAXOS_RETAIN_BYTES_MAX; 0: 2 * @retention * (@max_value_size +
 *	%PAXOS_SLOT_COST), capped there, computed by paxos_core_create())
 * @window: max slots in flight (proposed, not yet chosen) at a leader
 * @batch: max values carried by one Accept message
 * @max_value_size: largest value accepted (1..%PAXOS_MAX_VALUE)
 * @queue_limit: max local proposals pending (1..%PAXOS_DEDUP_WINDOW)
 * @fail_alloc: fault injection for tests, NULL otherwise: called before
 *	every allocation the core makes after paxos_core_create(); when it
 *	returns true that allocation fails, exactly as if the allocator had
 *	failed
 * @fail_ctx: argument of @fail_alloc
 *
 * Zero timer, size and limit fields select the defaults documented in
 * paxos_core.c (paxos_core_config_defaults()).
 */
struct paxos_core_config {
	u32 group_id;
	u32 node_id;
	u32 nr_members;
	struct paxos_member members[PAXOS_MAX_MEMBERS];
	u32 mode;
	bool join_existing;
	bool manual_promote;
	u64 seed;
	u64 incarnation;
	u32 heartbeat_ticks;
	u32 election_min_ticks;
	u32 election_max_ticks;
	u32 retransmit_ticks;
	u32 proposal_timeout_ticks;
	u32 retention;
	u32 retain_bytes;
	u32 window;
	u32 batch;
	u32 max_value_size;
	u32 queue_limit;
	bool (*fail_alloc)(void *ctx, size_t size);
	void *fail_ctx;
};

/**
 * struct paxos_msg_out - a datagram the caller must send
 * @list: link in &paxos_ready.msgs
 * @dest: destination node id
 * @len: bytes in @data
 * @data: the encoded datagram
 */
struct paxos_msg_out {
	struct list_head list;
	u32 dest;
	u32 len;
	u8 data[];
};

/* Kinds of &struct paxos_delivery. */
#define PAXOS_DELIVER_VALUE	0	/* a value for readers */
#define PAXOS_DELIVER_NOOP	1	/* a no-op or a suppressed duplicate */
#define PAXOS_DELIVER_SKIPPED	2	/* slots trimmed before we learned them */

/**
 * struct paxos_delivery - one learned slot, in slot order
 * @list: link in &paxos_ready.deliveries
 * @slot: the slot (for %PAXOS_DELIVER_SKIPPED: the first skipped slot)
 * @last_slot: equal to @slot, or for %PAXOS_DELIVER_SKIPPED the last skipped
 *	slot (this node joined late or fell more than 2 * retention, or
 *	retain_bytes, behind; those slots are gone everywhere it could fetch
 *	them from)
 * @kind: %PAXOS_DELIVER_VALUE, %PAXOS_DELIVER_NOOP or %PAXOS_DELIVER_SKIPPED
 * @origin: node id that proposed the value (0 for no-ops)
 * @origin_inc: incarnation of that node
 * @seq: origin's sequence number of the proposal
 * @len: bytes in @data (0 unless %PAXOS_DELIVER_VALUE)
 * @data: the value
 *
 * Deliveries come in strictly increasing, contiguous slot order; a gap is
 * only ever reported explicitly by a %PAXOS_DELIVER_SKIPPED record.
 */
struct paxos_delivery {
	struct list_head list;
	u64 slot;
	u64 last_slot;
	u32 kind;
	u32 origin;
	u64 origin_inc;
	u64 seq;
	u32 len;
	u8 data[];
};

/**
 * struct paxos_completion - outcome of a local paxos_core_propose()
 * @list: link in &paxos_ready.completions
 * @req_id: the caller's request id
 * @slot: slot the value was learned in (0 if unknown, see @error)
 * @error: 0 (learned exactly once, in @slot; @slot is 0 if the slot was
 *	trimmed before this node learned it), -ETIMEDOUT (not learned within
 *	the proposal timeout; it may still be chosen later, but is then
 *	delivered at most once), -ECANCELED (core destroyed)
 */
struct paxos_completion {
	struct list_head list;
	u64 req_id;
	u64 slot;
	int error;
};

/* Bits of &paxos_ready.events. */
#define PAXOS_EVENT_LEADER	BIT(0)	/* leader id changed */
#define PAXOS_EVENT_PEER	BIT(1)	/* a peer's reachability changed */
#define PAXOS_EVENT_STATE	BIT(2)	/* our &enum paxos_core_state changed */
#define PAXOS_EVENT_CONFIG	BIT(3)	/* the configuration changed */

/**
 * struct paxos_ready - output moved out of the core by paxos_core_ready()
 * @msgs: &struct paxos_msg_out, in send order
 * @deliveries: &struct paxos_delivery, in slot order
 * @completions: &struct paxos_completion
 * @events: %PAXOS_EVENT_* bits since the last paxos_core_ready()
 *
 * Initialise with paxos_ready_init(); the caller may take entries off the
 * lists (and kfree() them) or leave them for paxos_ready_release().
 */
struct paxos_ready {
	struct list_head msgs;
	struct list_head deliveries;
	struct list_head completions;
	u32 events;
};

/**
 * struct paxos_ballot - a proposal number
 * @round: increases with every election (or basic-mode attempt)
 * @node: the proposer's node id, so two nodes never share a ballot
 *
 * Compared lexicographically, (0, 0) is lower than any real ballot.
 */
struct paxos_ballot {
	u32 round;
	u32 node;
};

/**
 * struct paxos_core_counters - monotonic counters exposed in status
 * @rx_msgs: datagrams accepted for processing
 * @rx_malformed: dropped: bad magic or flags, inconsistent body
 * @rx_unknown_type: dropped: a message type this version does not know
 * @rx_truncated: dropped: shorter than its header or declared length
 * @rx_bad_version: dropped: unknown protocol version
 * @rx_wrong_group: dropped: another group's id
 * @rx_unknown_sender: dropped: sender not a member (or ourselves)
 * @rx_stale: dropped: from an older incarnation of a member that has
 *	restarted since
 * @tx_msgs: datagrams queued for sending
 * @elections: phase 1 runs started by this node
 * @elections_won: phase 1 runs that made this node leader
 * @leader_changes: times the known leader changed
 * @proposals: local proposals accepted by paxos_core_propose()
 * @forwarded: local proposals forwarded to the leader (first sends)
 * @completed: local proposals learned
 * @timeouts: local proposals completed with -ETIMEDOUT
 * @duplicates: chosen slots delivered as no-op because already delivered
 * @slots_learned: slots learned (values, no-ops and duplicates)
 * @values_learned: slots learned with a value for readers
 * @noops_learned: slots learned as no-ops (no-ops, duplicates and
 *	configuration changes)
 * @catchup_slots: slots learned from catch-up answers
 * @learned_on_accept: slots a follower learned as it accepted them, the
 *	leader's vote and its own making a quorum (before any commit notice)
 * @slots_trimmed: slots freed by trimming
 * @slots_skipped: slots skipped because peers had trimmed them
 * @catchups_sent: catch-up requests sent
 * @rejects_sent: Reject messages sent by our acceptor
 * @rejects_received: Reject messages received by our proposer
 * @nomem: allocation failures (treated as message loss)
 * @conflicts: a peer reported a chosen value different from ours (a bug
 *	or a byzantine peer; must stay 0)
 */
struct paxos_core_counters {
	u64 rx_msgs;
	u64 rx_malformed;
	u64 rx_unknown_type;
	u64 rx_truncated;
	u64 rx_bad_version;
	u64 rx_wrong_group;
	u64 rx_unknown_sender;
	u64 rx_stale;
	u64 tx_msgs;
	u64 elections;
	u64 elections_won;
	u64 leader_changes;
	u64 proposals;
	u64 forwarded;
	u64 completed;
	u64 timeouts;
	u64 duplicates;
	u64 slots_learned;
	u64 values_learned;
	u64 noops_learned;
	u64 catchup_slots;
	u64 learned_on_accept;
	u64 slots_trimmed;
	u64 slots_skipped;
	u64 catchups_sent;
	u64 rejects_sent;
	u64 rejects_received;
	u64 nomem;
	u64 conflicts;
};

/**
 * struct paxos_peer_status - what this node knows about one member
 * @node_id: the member
 * @role: configured &enum paxos_member_role
 * @last_heard: tick of the last valid datagram from it (0: never)
 * @learned: its last contiguous learned slot, as last reported
 * @reachable: heard from within two maximum election timeouts
 * @rx_msgs: valid datagrams taken from it since it became a member
 */
struct paxos_peer_status {
	u32 node_id;
	u32 role;
	u64 last_heard;
	u64 learned;
	bool reachable;
	u64 rx_msgs;
};

/* Bits of &paxos_core_status.flags. */
#define PAXOS_STATUS_REFUSED	BIT(0)	/* "new cluster" refused by a peer */
#define PAXOS_STATUS_JOINED	BIT(1)	/* created with join_existing */
#define PAXOS_STATUS_VOTING	BIT(2)	/* our acceptor takes part in votes */
#define PAXOS_STATUS_QUORUM_LOST BIT(3)	/* a majority of voters lost its state */
#define PAXOS_STATUS_REMOVED	BIT(4)	/* no longer a member */
#define PAXOS_STATUS_ADMITTED	BIT(5)	/* a new cluster's probe let us vote */

/**
 * struct paxos_core_status - snapshot returned by paxos_core_status()
 * @state: &enum paxos_core_state
 * @mode: &enum paxos_core_mode
 * @flags: %PAXOS_STATUS_* bits
 * @leader_id: the leader this node follows (0: none known)
 * @refused_by: with %PAXOS_STATUS_REFUSED, the peer that refused our new
 *	cluster (it holds state)
 * @promised: highest ballot our acceptor promised
 * @ballot: our own proposer ballot
 * @now: the core's tick counter
 * @first_retained: lowest slot still held (slots below are trimmed)
 * @retained_bytes: what the learned slots kept pin, counted as for
 *	&paxos_core_config.retain_bytes
 * @ring_cells: slot records allocated (the ring grows with use, up to what
 *	the retention and the window need)
 * @learned: last slot of the contiguous learned prefix (0: none)
 * @commit: highest chosen prefix announced to us by a leader or peer
 * @next_slot: next slot a leader would assign
 * @pending: local proposals not yet completed
 * @queued: values waiting for a slot at this proposer
 * @counters: &struct paxos_core_counters
 * @nr_peers: entries in @peers
 * @peers: per-member state, in configuration order (this node included)
 */
struct paxos_core_status {
	u32 state;
	u32 mode;
	u32 flags;
	u32 leader_id;
	u32 refused_by;
	struct paxos_ballot promised;
	struct paxos_ballot ballot;
	u64 now;
	u64 first_retained;
	u64 retained_bytes;
	u64 ring_cells;
	u64 learned;
	u64 commit;
	u64 next_slot;
	u32 pending;
	u32 queued;
	struct paxos_core_counters counters;
	u32 nr_peers;
	struct paxos_peer_status peers[PAXOS_MAX_MEMBERS];
};

/**
 * struct paxos_slot_info - metadata of a learned slot, from paxos_core_read()
 * @kind: %PAXOS_DELIVER_VALUE or %PAXOS_DELIVER_NOOP
 * @origin: node id that proposed it (0 for no-ops)
 * @origin_inc: incarnation of that node
 * @seq: origin's sequence number
 * @len: length of the value in bytes (0 for no-ops)
 */
struct paxos_slot_info {
	u32 kind;
	u32 origin;
	u64 origin_inc;
	u64 seq;
	u32 len;
};

struct paxos_core;

void paxos_core_config_defaults(struct paxos_core_config *cfg);
struct paxos_core *paxos_core_create(const struct paxos_core_config *cfg,
				     gfp_t gfp);
void paxos_core_destroy(struct paxos_core *core);
int paxos_core_receive(struct paxos_core *core, const void *buf, size_t len,
		       gfp_t gfp);
void paxos_core_tick(struct paxos_core *core, gfp_t gfp);
int paxos_core_propose(struct paxos_core *core, const void *value, u32 len,
		       u64 req_id, gfp_t gfp);
void paxos_core_ready(struct paxos_core *core, struct paxos_ready *ready);
bool paxos_core_has_ready(const struct paxos_core *core);
void paxos_core_status(const struct paxos_core *core,
		       struct paxos_core_status *st);
int paxos_core_read(const struct paxos_core *core, u64 slot, void *buf,
		    size_t len, struct paxos_slot_info *info);
u64 paxos_core_first_retained(const struct paxos_core *core);
u64 paxos_core_learned(const struct paxos_core *core);
u32 paxos_core_leader(const struct paxos_core *core);
int paxos_core_change(struct paxos_core *core, const struct paxos_change *ch,
		      u64 req_id, gfp_t gfp);
void paxos_core_membership(const struct paxos_core *core,
			   struct paxos_membership *m);
int paxos_core_force_new_cluster(struct paxos_core *core, gfp_t gfp);
bool paxos_core_derived_ok(const struct paxos_core *core);

/**
 * paxos_ready_init() - prepare an empty &struct paxos_ready
 * @ready: the batch
 */
static inline void paxos_ready_init(struct paxos_ready *ready)
{
	INIT_LIST_HEAD(&ready->msgs);
	INIT_LIST_HEAD(&ready->deliveries);
	INIT_LIST_HEAD(&ready->completions);
	ready->events = 0;
}

void paxos_ready_release(struct paxos_ready *ready);

#endif /* _PAXOS_CORE_H */
