/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: the kernel runtime around the protocol core.
 *
 * A group owns one core, one UDP socket and one work item.  Everything that
 * touches the core runs in that work item (received datagrams, clock ticks,
 * new proposals) under @lock, then the work item moves the core's output
 * out and, with @lock dropped, sends datagrams, wakes readers, calls
 * listeners, sends netlink events and completes proposals.  A work item
 * never runs concurrently with itself, so output leaves in order.
 */
#ifndef _PAXOS_RUNTIME_H
#define _PAXOS_RUNTIME_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/genetlink.h>
#include <uapi/linux/paxos.h>

#include "paxos_core.h"
#include "paxos_api.h"

#define PAXOS_TICK_MS		10	/* one core tick */
#define PAXOS_MAX_GROUPS	64	/* per network namespace */
#define PAXOS_RXQ_LEN		1024	/* datagrams queued for the worker */
#define PAXOS_FILE_QUEUE_LEN	64	/* non-blocking writes in flight per file */
#define PAXOS_CORE_QUEUE	64	/* proposals handed to the core at once */

/*
 * What a user makes the module allocate is charged to the user's memory
 * cgroup (the group's creator's, for what the worker allocates: see
 * &paxos_group.memcg).  Every such allocation can fail without harm (a
 * refused request, or a lost message in the core), so at the cgroup's limit
 * it fails rather than wake the OOM killer, and quietly.
 */
#define PAXOS_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * struct paxos_peer_addr - a member of the group as created
 * @node_id: node id
 * @role: %PAXOS_ROLE_VOTER or %PAXOS_ROLE_LEARNER (uapi values)
 * @addr: its UDP address (sockaddr_in or sockaddr_in6)
 */
struct paxos_peer_addr {
	u32 node_id;
	u32 role;
	struct sockaddr_storage addr;
};

/**
 * struct paxos_peer - a member of the group's configuration, as the runtime
 *	sees it now (an entry of &struct paxos_peers, never changed in place)
 * @node_id: node id
 * @role: %PAXOS_ROLE_VOTER or %PAXOS_ROLE_LEARNER (uapi values)
 * @incarnation: a voter's voting incarnation, as in &paxos_member
 * @addr: its UDP address (sockaddr_in or sockaddr_in6)
 * @state: index of its &struct paxos_peer_state in &paxos_group.peer_state
 */
struct paxos_peer {
	u32 node_id;
	u32 role;
	u64 incarnation;
	struct sockaddr_storage addr;
	u32 state;
};

/**
 * struct paxos_peers - the members datagrams go to and are taken from
 * @rcu: frees a replaced table after a grace period
 * @nr: entries in @m
 * @m: the members of the configuration in effect and of the next one
 *	(a chosen change waiting for its slot), this node included
 *
 * The softirq receive check reads it under RCU; the group's worker, the
 * only writer, publishes a new table when the core reports a new
 * configuration (see paxos_peers_update()).
 */
struct paxos_peers {
	struct rcu_head rcu;
	u32 nr;
	struct paxos_peer m[];
};

/**
 * paxos_addr_encode() - a UDP address in the core's opaque member address
 * @out: %PAXOS_ADDR_LEN bytes: the family (le16: AF_INET or AF_INET6), the
 *	port (be16), then the address (4 bytes of IPv4, the rest zero, or 16
 *	of IPv6).  The core carries it in configuration entries, so every
 *	node decodes the same address whatever its byte order
 * @ss: a sockaddr_in or sockaddr_in6
 */
static inline void paxos_addr_encode(u8 *out, const struct sockaddr_storage *ss)
{
	__le16 family = cpu_to_le16(ss->ss_family);

	memset(out, 0, PAXOS_ADDR_LEN);
	memcpy(out, &family, 2);
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		memcpy(out + 2, &a->sin6_port, 2);
		memcpy(out + 4, &a->sin6_addr, 16);
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		memcpy(out + 2, &a->sin_port, 2);
		memcpy(out + 4, &a->sin_addr, 4);
	}
}

/**
 * paxos_addr_decode() - the UDP address in a core member address
 * @ss: filled in
 * @in: %PAXOS_ADDR_LEN bytes from paxos_addr_encode()
 *
 * Return: false (and @ss zeroed) if @in names neither AF_INET nor AF_INET6.
 */
static inline bool paxos_addr_decode(struct sockaddr_storage *ss, const u8 *in)
{
	__le16 family;

	memcpy(&family, in, 2);
	memset(ss, 0, sizeof(*ss));
	if (le16_to_cpu(family) == AF_INET6) {
		struct sockaddr_in6 *a = (void *)ss;

		a->sin6_family = AF_INET6;
		memcpy(&a->sin6_port, in + 2, 2);
		memcpy(&a->sin6_addr, in + 4, 16);
		return true;
	}
	if (le16_to_cpu(family) == AF_INET) {
		struct sockaddr_in *a = (void *)ss;

		a->sin_family = AF_INET;
		memcpy(&a->sin_port, in + 2, 2);
		memcpy(&a->sin_addr, in + 4, 4);
		return true;
	}
	return false;
}

/**
 * struct paxos_group_params - a group's configuration, as created
 * @id: group id
 * @node_id: this node's id
 * @mode: %PAXOS_MODE_MULTI or %PAXOS_MODE_BASIC (uapi values)
 * @cluster_state: %PAXOS_CLUSTER_STATE_NEW or %PAXOS_CLUSTER_STATE_EXISTING
 * @heartbeat_ms: leader heartbeat interval
 * @election_min_ms: election timeout, lower bound
 * @election_max_ms: election timeout, upper bound
 * @proposal_timeout_ms: proposals not learned by then fail with ETIMEDOUT
 * @max_value_size: largest value accepted
 * @retention: learned slots kept
 * @queue_len: proposals waiting or in flight at this node
 * @listen: our UDP address
 * @nr_members: entries in @members
 * @members: every member, this node included
 * @manual_promote: restarted voters vote again only when promoted by hand
 * @insecure: no key: datagrams go unauthenticated (explicitly asked for)
 * @key: the group key unless @insecure; moved into the group's
 *	&struct paxos_keys at creation and wiped from here
 */
struct paxos_group_params {
	u32 id;
	u32 node_id;
	u32 mode;
	u32 cluster_state;
	u32 heartbeat_ms;
	u32 election_min_ms;
	u32 election_max_ms;
	u32 proposal_timeout_ms;
	u32 max_value_size;
	u32 retention;
	u32 queue_len;
	struct sockaddr_storage listen;
	u32 nr_members;
	struct paxos_peer_addr members[PAXOS_MAX_MEMBERS];
	bool manual_promote;
	bool insecure;
	u8 key[PAXOS_KEY_LEN];
};

/**
 * struct paxos_stats - counters the runtime keeps beside the core's
 * @rx_bytes: bytes of datagrams received
 * @tx_bytes: bytes of datagrams sent
 * @tx_errors: datagrams the socket refused
 * @rx_queue_drops: datagrams dropped because the worker fell behind
 * @rx_nomem: datagrams dropped for lack of memory
 * @proposals_retried: proposals the core had no room for yet
 * @rx_auth: datagrams that failed authentication
 * @rx_replay: authenticated datagrams already seen or too old
 * @rx_source: datagrams whose source address is not their sender's
 */
struct paxos_stats {
	atomic64_t rx_bytes;
	atomic64_t tx_bytes;
	atomic64_t tx_errors;
	atomic64_t rx_queue_drops;
	atomic64_t rx_nomem;
	atomic64_t proposals_retried;
	atomic64_t rx_auth;
	atomic64_t rx_replay;
	atomic64_t rx_source;
};

#define PAXOS_REPLAY_BITS	1024	/* replay window per member, counters */
#define PAXOS_RXQ_BYTES		(4 << 20) /* truesize queued for the worker */

/**
 * struct paxos_replay - which datagrams of one member were already taken
 * @inc: the member's incarnation they belong to
 * @top: highest counter taken
 * @bits: counters taken in (@top - %PAXOS_REPLAY_BITS, @top], by
 *	counter modulo %PAXOS_REPLAY_BITS
 */
struct paxos_replay {
	u64 inc;
	u64 top;
	DECLARE_BITMAP(bits, PAXOS_REPLAY_BITS);
};

/**
 * struct paxos_peer_state - what the worker keeps per member, by node id,
 *	across configuration changes
 * @node_id: the member (0: a free entry)
 * @reachable: last reachability reported in a netlink event
 * @tx_msgs: datagrams sent to it
 * @replay: its replay window (reset when a member is new to the table)
 */
struct paxos_peer_state {
	u32 node_id;
	bool reachable;
	u64 tx_msgs;
	struct paxos_replay replay;
};

struct paxos_keys;

/**
 * struct paxos_group - one replicated log in one network namespace
 * @ref: references: the namespace's list, open files, netlink ops, API users
 * @net: the namespace (not counted: the pernet exit deletes the group)
 * @node: link in the namespace's group list
 * @memcg: memory cgroup of the group's creator, referenced: the worker
 *	charges what it allocates for the group there (NULL without memcg)
 * @counted: the module-wide group limits it counts against (group.c)
 * @p: configuration
 * @sock: the UDP socket; NULL once the group is deleted
 * @rxq: datagrams from the socket, for the worker
 * @rx_waiter: a writer asleep on its proposal that runs the next pass
 *	itself when a datagram comes (paxos_req_wait_running()), sparing the
 *	worker's wakeup; taken (set to NULL) by the datagram that wakes it
 * @work: the worker
 * @pass_lock: held for a whole pass of the group's work, by the worker or
 *	by a writer that runs the pass itself (paxos_group_flush()): passes
 *	never overlap, so what is called the worker's below (its buffers,
 *	counters and snapshots, the order of its sends and deliveries) is
 *	the pass's, whichever task runs it
 * @tick: clock for the core's ticks
 * @lock: protects @core; @dead is written under it and @submit_lock
 * @core: the protocol core; NULL once the group is deleted
 * @dead: the group was deleted: every call fails with ENOTCONN, and the
 *	worker is never queued again for a proposal (see paxos_req_submit())
 * @rxbuf: the worker's copy of one datagram
 * @submit_lock: protects @submitq; held while a new proposal queues the
 *	worker, so that none does once @dead is set
 * @submitq: proposals waiting to be handed to the core, oldest first
 * @reqs: proposals handed to the core, by request id
 * @next_req: request id allocator
 * @inflight: proposals accepted and not yet completed (at most
 *	&paxos_group_params.queue_len)
 * @in_core: proposals handed to the core and not completed (written by
 *	passes): while there are any, a pass will come for them (their
 *	answers, or the clock), and a new proposal can wait for it
 *	(paxos_group_submitted())
 * @tick_base: jiffies of the last tick given to the core
 * @status: the worker's scratch space for core status snapshots
 * @wq: readers, pollers and writers waiting for the log, queue space or
 *	deletion
 * @listeners_lock: protects @listeners; held while calling them
 * @listeners: &struct paxos_listener subscribers
 * @learned: last slot of the contiguous learned log, for lockless waiters
 * @leader_id: the last leader reported in a netlink event
 * @trace_state: the core state last seen, for the election tracepoints
 * @stats: counters
 * @rxq_bytes: truesize of the datagrams in @rxq
 * @keys: the group key(s); NULL in an insecure group (auth.c)
 * @txbuf: the worker's sealed datagram (keyed groups)
 * @tx_counter: envelopes sealed so far (the worker's)
 * @peers: the members datagrams go to and come from (RCU; written by the
 *	worker only, under @lock)
 * @peer_state: per member (&paxos_peer.state), the worker's counters and
 *	replay window; written under @lock or by the worker
 * @membership: the worker's copy of the core's configuration
 * @peers_stale: the last new configuration found no memory for a new
 *	@peers: the worker retries
 * @incarnation: this node's incarnation (the core's)
 */
struct paxos_group {
	struct kref ref;
	struct net *net;
	struct list_head node;
	struct mem_cgroup *memcg;
	u8 counted;
	struct paxos_group_params p;
	struct socket *sock;
	struct sk_buff_head rxq;
	struct task_struct *rx_waiter;
	struct work_struct work;
	struct timer_list tick;
	struct mutex pass_lock;		/* one pass at a time */
	struct mutex lock;		/* protects core and dead */
	struct paxos_core *core;
	bool dead;
	u8 *rxbuf;
	spinlock_t submit_lock;		/* protects submitq, writes of dead */
	struct list_head submitq;
	struct xarray reqs;
	u32 next_req;
	atomic_t inflight;
	atomic_t in_core;
	unsigned long tick_base;
	struct paxos_core_status *status;
	wait_queue_head_t wq;
	struct mutex listeners_lock;	/* protects listeners, held in calls */
	struct list_head listeners;
	u64 learned;
	u32 leader_id;
	u32 trace_state;
	struct paxos_stats stats;
	atomic_t rxq_bytes;
	struct paxos_keys __rcu *keys;
	void *txbuf;
	u64 tx_counter;
	struct paxos_peers __rcu *peers;
	struct paxos_peer_state peer_state[PAXOS_MAX_MEMBERS];
	struct paxos_membership *membership;
	bool peers_stale;
	u64 incarnation;
};

/**
 * struct paxos_req - one proposal on its way through a group
 * @ref: one for the submitter, one while the group tracks it
 * @node: link in &paxos_group.submitq, or in the worker's list of
 *	proposals it failed
 * @queued: on &paxos_group.submitq (under &paxos_group.submit_lock)
 * @id: request id given to the core
 * @value: the value (owned until handed to the core); NULL for a change
 * @len: bytes in @value
 * @change: a configuration change, when @value is NULL
 * @done: completed: @error and @slot are final (set with release order)
 * @error: 0, -ETIMEDOUT or -ENOTCONN
 * @slot: the learned slot
 * @cb: completion callback, or NULL for a waiter on @waitq
 * @ctx: argument of @cb
 * @waitq: where a blocking submitter waits for @done
 * @acct: the submitting file's accounting, or NULL
 * @acct_slot: its completion sets @acct's last_slot (a non-blocking write:
 *	a blocking one sets it when the write returns, not when a proposal
 *	it gave up on is learned after all)
 * @deadline: jiffies by which it must be learned: waiting for queue space,
 *	waiting to be handed to the core and waiting for the outcome all
 *	count against the group's one proposal timeout
 * @group: its group (not counted: whoever waits on it holds the group)
 */
struct paxos_req {
	struct kref ref;
	struct list_head node;
	bool queued;
	u32 id;
	void *value;
	u32 len;
	struct paxos_change change;
	bool done;
	int error;
	u64 slot;
	paxos_done_t cb;
	void *ctx;
	wait_queue_head_t waitq;
	struct paxos_file_acct *acct;
	bool acct_slot;
	unsigned long deadline;
	struct paxos_group *group;
};

/**
 * struct paxos_file_acct - what an open /dev/paxos has in flight
 * @ref: one for the file, one per request it has in flight
 * @inflight: its requests not yet completed
 * @last_slot: slot of its last write that returned (a blocking one) or was
 *	learned (a non-blocking one)
 */
struct paxos_file_acct {
	struct kref ref;
	atomic_t inflight;
	atomic64_t last_slot;
};

/* group.c, propose.c */
int paxos_group_create(struct net *net, const struct paxos_group_params *p,
		       struct netlink_ext_ack *extack);
int paxos_group_delete(struct net *net, u32 id);
struct paxos_group *paxos_group_only(struct net *net, u32 *count);
int paxos_group_for_each(struct net *net, u32 start_id,
			 int (*fn)(struct paxos_group *g, void *arg),
			 void *arg);
/* paxos_req_submit() flags */
#define PAXOS_SUBMIT_NONBLOCK	BIT(0)	/* EAGAIN instead of waiting for room */
#define PAXOS_SUBMIT_FLUSH	BIT(1)	/* the caller runs paxos_group_flush() */
struct paxos_req *paxos_req_submit(struct paxos_group *g, void *value,
				   u32 len, unsigned int flags,
				   struct paxos_file_acct *acct,
				   paxos_done_t cb, void *ctx);
void paxos_file_acct_put(struct paxos_file_acct *acct);
void paxos_req_put(struct paxos_req *req);
void __paxos_req_finish(struct paxos_group *g, struct paxos_req *req,
			int error, u64 slot);
void paxos_req_finish(struct paxos_group *g, struct paxos_req *req, int error,
		      u64 slot);
int paxos_req_wait(struct paxos_req *req, u64 *slot);
int paxos_req_wait_running(struct paxos_req *req, u64 *slot);
struct paxos_req *paxos_req_submit_change(struct paxos_group *g,
					  const struct paxos_change *ch,
					  paxos_done_t cb, void *ctx);
int paxos_change_from(struct paxos_group *g,
		      const struct paxos_member_change *ch,
		      struct paxos_change *out);
void paxos_membership_export(struct paxos_group_membership *dst,
			     const struct paxos_membership *m, u32 flags);
void paxos_group_rx(struct paxos_group *g, struct sk_buff *skb);
void paxos_group_rx_kick(struct paxos_group *g);
void paxos_group_kick(struct paxos_group *g);
void paxos_group_flush(struct paxos_group *g);
void paxos_group_submitted(struct paxos_group *g);
int paxos_pernet_init(void);
void paxos_pernet_exit(void);
int paxos_wq_init(void);
void paxos_wq_exit(void);

/* auth.c */
int paxos_auth_init(struct paxos_group *g);
void paxos_auth_free(struct paxos_group *g);
int paxos_auth_set_key(struct paxos_group *g, const u8 *key, u32 grace_ms);
bool paxos_auth_rx_check(struct paxos_group *g, struct sk_buff *skb);
unsigned long paxos_auth_rx_arrived(struct sk_buff *skb);
bool paxos_auth_open(struct paxos_group *g, struct sk_buff *skb, u8 *buf,
		     u32 len, const u8 **msg, u32 *msg_len);
void paxos_auth_seal(struct paxos_group *g, const void *buf, u32 len,
		     const void **out, u32 *out_len);
void paxos_auth_sealed(struct paxos_group *g, const void *buf, u32 len,
		       const void **out, u32 *out_len);
int paxos_peers_update(struct paxos_group *g,
		       const struct paxos_membership *m);
struct paxos_peer_state *paxos_peer_state(struct paxos_group *g, u32 node_id);

/* socket.c */
int paxos_socket_open(struct paxos_group *g);
void paxos_socket_stop(struct paxos_group *g);
void paxos_socket_release(struct paxos_group *g);
int paxos_socket_send(struct paxos_group *g, u32 dest, const void *buf,
		      u32 len, bool sealed);

/* netlink.c */
int paxos_netlink_init(void);
void paxos_netlink_exit(void);
void paxos_netlink_learned(struct paxos_group *g, u64 slot, const void *value,
			   u32 len, u32 origin);
void paxos_netlink_skipped(struct paxos_group *g, u64 first, u64 last);
void paxos_netlink_leader(struct paxos_group *g,
			  const struct paxos_core_status *st);
void paxos_netlink_peer(struct paxos_group *g, u32 node_id, bool reachable);
void paxos_netlink_config(struct paxos_group *g,
			  const struct paxos_core_status *st,
			  const struct paxos_membership *m);

/* chardev.c */
int paxos_chardev_init(void);
void paxos_chardev_exit(void);

#endif /* _PAXOS_RUNTIME_H */
