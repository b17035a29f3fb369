// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: groups, their worker, and proposals on their way through them.
 *
 * Lifetime: a group is created by netlink in one network namespace and sits
 * on that namespace's list, which holds one reference.  Lookups (netlink
 * ops, open files, in-kernel users) take references of their own.  Deleting
 * a group (netlink, namespace exit, rmmod) takes it off the list, stops its
 * socket, timer and worker, fails every pending proposal with ENOTCONN and
 * wakes every sleeper; the memory goes with the last reference.
 *
 * Nothing touches a group after it is on the list without holding the
 * namespace's lock or a reference: once the lock is dropped, a deleter may
 * take the list's reference away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/timekeeping.h>
#include <linux/user_namespace.h>
#include <linux/udp.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/sched/signal.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <uapi/linux/paxos.h>

#include "paxos_wire.h"
#include "runtime.h"
#include "paxos_trace.h"

/*
 * A node's incarnation must grow with every restart (peers drop what an
 * older one says, and never deliver its late values).  The wall clock at
 * creation grows across reboots; within this module's lifetime the counter
 * keeps it growing even if the clock is set back.  A node whose clock went
 * back across a reboot is not heard until its clock passes the old value
 * (its peers count the drops as drop-stale).
 */
static u64 paxos_new_incarnation(void)
{
	static atomic64_t last = ATOMIC64_INIT(0);
	s64 now = ktime_get_real_ns(), prev = atomic64_read(&last);

	do {
		if (now <= prev)
			now = prev + 1;
	} while (!atomic64_try_cmpxchg(&last, &prev, now));
	return now;
}

/* Datagrams taken off the receive queue per run of the worker. */
#define PAXOS_RX_BUDGET	256

static struct workqueue_struct *paxos_wq;
static unsigned int paxos_net_id __read_mostly;

/*
 * Module-wide limits on groups, beside PAXOS_MAX_GROUPS per namespace: an
 * unprivileged user makes as many network namespaces as it likes (unshare
 * -Urn), each with groups, sockets and a timer ticking 100 times a second.
 * The groups of namespaces owned by a user namespace other than the initial
 * one (an unprivileged user's) get a smaller share, so that such users
 * cannot take every group from the host's administrator.  A group counts
 * until its memory goes (an open /dev/paxos may hold a deleted group).
 */
static unsigned int max_groups = 1024;
module_param(max_groups, uint, 0644);
MODULE_PARM_DESC(max_groups, "Groups in all network namespaces together");

static unsigned int max_userns_groups = 256;
module_param(max_userns_groups, uint, 0644);
MODULE_PARM_DESC(max_userns_groups,
		 "Of which in namespaces of non-initial user namespaces");

static atomic_t paxos_nr_groups = ATOMIC_INIT(0);
static atomic_t paxos_nr_userns_groups = ATOMIC_INIT(0);

#define PAXOS_COUNTED		BIT(0)	/* in paxos_nr_groups */
#define PAXOS_COUNTED_USERNS	BIT(1)	/* in paxos_nr_userns_groups */

static bool paxos_count_get(atomic_t *n, unsigned int max)
{
	int v = atomic_read(n);

	do {
		if ((unsigned int)v >= max)
			return false;
	} while (!atomic_try_cmpxchg(n, &v, v + 1));
	return true;
}

/* Count @g against the module-wide limits.  Return: 0 or -ENOSPC. */
static int paxos_group_count(struct paxos_group *g,
			     struct netlink_ext_ack *extack)
{
	unsigned int max = READ_ONCE(max_groups);

	if (!paxos_count_get(&paxos_nr_groups, max)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "at most %u groups (max_groups)", max);
		return -ENOSPC;
	}
	g->counted = PAXOS_COUNTED;
	if (g->net->user_ns == &init_user_ns)
		return 0;
	max = READ_ONCE(max_userns_groups);
	if (!paxos_count_get(&paxos_nr_userns_groups, max)) {
		NL_SET_ERR_MSG_FMT_MOD(extack,
				       "at most %u groups in user namespaces (max_userns_groups)",
				       max);
		return -ENOSPC;
	}
	g->counted |= PAXOS_COUNTED_USERNS;
	return 0;
}

/**
 * struct paxos_net - the groups of one network namespace
 * @lock: protects @groups and @nr_groups
 * @groups: &struct paxos_group, by creation
 * @nr_groups: entries in @groups
 * @exiting: the groups the namespace's pre_exit stopped, for its exit_batch
 */
struct paxos_net {
	struct mutex lock;	/* protects groups and nr_groups */
	struct list_head groups;
	u32 nr_groups;
	struct list_head exiting;
};

static struct paxos_net *paxos_pernet(struct net *net)
{
	return net_generic(net, paxos_net_id);
}

static void paxos_group_free(struct kref *ref)
{
	struct paxos_group *g = container_of(ref, struct paxos_group, ref);

	WARN_ON(!xa_empty(&g->reqs));
	xa_destroy(&g->reqs);
	if (g->counted & PAXOS_COUNTED)
		atomic_dec(&paxos_nr_groups);
	if (g->counted & PAXOS_COUNTED_USERNS)
		atomic_dec(&paxos_nr_userns_groups);
	mem_cgroup_put(g->memcg);
	paxos_auth_free(g);
	kfree(g->membership);
	kfree(g->status);
	kvfree(g->rxbuf);
	kfree(g);
}

/**
 * paxos_group_put() - drop a reference to a group
 * @g: the group (may be NULL)
 */
void paxos_group_put(struct paxos_group *g)
{
	if (g)
		kref_put(&g->ref, paxos_group_free);
}
EXPORT_SYMBOL_GPL(paxos_group_put);

static struct paxos_group *paxos_group_find(struct paxos_net *pn, u32 id)
{
	struct paxos_group *g;

	lockdep_assert_held(&pn->lock);
	list_for_each_entry(g, &pn->groups, node)
		if (g->p.id == id)
			return g;
	return NULL;
}

/**
 * paxos_group_get() - look a group up by namespace and id
 * @net: the network namespace
 * @id: the group id
 *
 * Return: the group with a reference the caller drops with
 * paxos_group_put(), or NULL if there is no such group.
 */
struct paxos_group *paxos_group_get(struct net *net, u32 id)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_group *g;

	mutex_lock(&pn->lock);
	g = paxos_group_find(pn, id);
	if (g)
		kref_get(&g->ref);
	mutex_unlock(&pn->lock);
	return g;
}
EXPORT_SYMBOL_GPL(paxos_group_get);

/**
 * paxos_group_only() - the one group of a namespace, if there is one
 * @net: the network namespace
 * @count: set to the number of groups in @net
 *
 * Return: the group, referenced, when @net has exactly one; else NULL.
 */
struct paxos_group *paxos_group_only(struct net *net, u32 *count)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_group *g = NULL;

	mutex_lock(&pn->lock);
	*count = pn->nr_groups;
	if (pn->nr_groups == 1) {
		g = list_first_entry(&pn->groups, struct paxos_group, node);
		kref_get(&g->ref);
	}
	mutex_unlock(&pn->lock);
	return g;
}

/**
 * paxos_group_for_each() - call @fn for the groups of @net in id order
 * @net: the network namespace
 * @start_id: skip groups with a lower id
 * @fn: called with a referenced group and no lock held; a non-zero return
 *	stops the walk
 * @arg: passed to @fn
 *
 * Return: what @fn returned last, or 0.
 */
int paxos_group_for_each(struct net *net, u32 start_id,
			 int (*fn)(struct paxos_group *g, void *arg),
			 void *arg)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_group *g, *best;
	u64 next = start_id;
	int ret = 0;

	while (!ret && next <= U32_MAX) {
		best = NULL;
		mutex_lock(&pn->lock);
		list_for_each_entry(g, &pn->groups, node)
			if (g->p.id >= next && (!best || g->p.id < best->p.id))
				best = g;
		if (best)
			kref_get(&best->ref);
		mutex_unlock(&pn->lock);
		if (!best)
			break;
		next = (u64)best->p.id + 1;
		ret = fn(best, arg);
		paxos_group_put(best);
	}
	return ret;
}

/* --- the worker --- */

/**
 * paxos_group_kick() - have the group's worker run soon, for a new proposal
 * @g: the group
 *
 * Context: under @g->submit_lock, with @g->dead false: the deleter
 * disables the work (paxos_group_reap()) after it set @g->dead under that
 * lock, so no kick can come after it (and run on a freed group).
 */
void paxos_group_kick(struct paxos_group *g)
{
	lockdep_assert_held(&g->submit_lock);
	queue_work(paxos_wq, &g->work);
}

/*
 * Have the pass run for a datagram just queued: by the writer asleep as
 * the group's rx waiter if there is one (it takes the slot: one wakeup,
 * its own, instead of the worker's and then its own), else by the worker.
 * The waiter's task_struct outlives this: it leaves the slot before its
 * write returns, and a task is freed only after an RCU grace period.
 */
void paxos_group_rx_kick(struct paxos_group *g)
{
	struct task_struct *t = READ_ONCE(g->rx_waiter);

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(), "rx waiter outside RCU");
	if (t && try_cmpxchg(&g->rx_waiter, &t, NULL)) {
		wake_up_process(t);
		return;
	}
	queue_work(paxos_wq, &g->work);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_group_rx_kick);

/**
 * paxos_group_rx() - take a datagram from the socket (softirq)
 * @g: the group
 * @skb: the datagram, UDP header at skb->data; consumed
 *
 * Context: softirq, under rcu_read_lock_bh() (encap_rcv).
 */
void paxos_group_rx(struct paxos_group *g, struct sk_buff *skb)
{
	if (!paxos_auth_rx_check(g, skb)) {
		kfree_skb(skb);
		return;
	}
	if (skb_queue_len(&g->rxq) >= PAXOS_RXQ_LEN ||
	    atomic_read(&g->rxq_bytes) + skb->truesize > PAXOS_RXQ_BYTES) {
		atomic64_inc(&g->stats.rx_queue_drops);
		trace_paxos_drop(g->p.id, g->p.node_id, PAXOS_DROP_NOMEM,
				 skb->len);
		kfree_skb(skb);
		return;
	}
	atomic_add(skb->truesize, &g->rxq_bytes);
	skb_queue_tail(&g->rxq, skb);
	paxos_group_rx_kick(g);
}

static void paxos_group_tick(struct timer_list *t)
{
	struct paxos_group *g = from_timer(g, t, tick);

	queue_work(paxos_wq, &g->work);
	mod_timer(&g->tick, jiffies + msecs_to_jiffies(PAXOS_TICK_MS));
}

/*
 * Hand queued proposals to the core while it has room.  Under g->lock.
 * One whose deadline passed while it waited fails with ETIMEDOUT instead:
 * the core would give it a whole proposal timeout of its own.  Deadlines
 * grow along the queue, so only its head can be due.
 */
static void paxos_group_feed(struct paxos_group *g, struct list_head *failed)
{
	struct paxos_req *req;
	int err;

	for (;;) {
		spin_lock_bh(&g->submit_lock);
		req = list_first_entry_or_null(&g->submitq, struct paxos_req,
					       node);
		if (req) {
			list_del_init(&req->node);
			req->queued = false;
		}
		spin_unlock_bh(&g->submit_lock);
		if (!req)
			return;
		if (time_after_eq(jiffies, req->deadline)) {
			if (xa_erase(&g->reqs, req->id) == req) {
				req->error = -ETIMEDOUT;
				list_add_tail(&req->node, failed);
			}
			continue;
		}
		if (req->change.op)
			err = paxos_core_change(g->core, &req->change, req->id,
						PAXOS_GFP);
		else
			err = paxos_core_propose(g->core, req->value, req->len,
						 req->id, PAXOS_GFP);
		if (!err) {
			atomic_inc(&g->in_core);
			trace_paxos_proposal_submit(g->p.id, g->p.node_id,
						    req->id, req->len);
		}
		/*
		 * -ENOMEM fails the request (PAXOS_GFP tried hard, and the
		 * group's memory cgroup may well stay full); -EAGAIN waits.
		 */
		if (err == -EAGAIN) {
			/* No room yet: retry when something completes. */
			atomic64_inc(&g->stats.proposals_retried);
			spin_lock_bh(&g->submit_lock);
			list_add(&req->node, &g->submitq);
			req->queued = true;
			spin_unlock_bh(&g->submit_lock);
			return;
		}
		/* The core has its own copy now. */
		kvfree(req->value);
		req->value = NULL;
		if (err && xa_erase(&g->reqs, req->id) == req) {
			req->error = err;
			list_add_tail(&req->node, failed);
		}
	}
}

static void paxos_group_deliver(struct paxos_group *g, struct paxos_ready *r)
{
	struct paxos_delivery *d;
	struct paxos_listener *l;

	if (list_empty(&r->deliveries))
		return;
	mutex_lock(&g->listeners_lock);
	list_for_each_entry(d, &r->deliveries, list) {
		if (d->kind == PAXOS_DELIVER_SKIPPED) {
			list_for_each_entry(l, &g->listeners, node)
				if (l->skipped)
					l->skipped(l, d->slot, d->last_slot);
			paxos_netlink_skipped(g, d->slot, d->last_slot);
			continue;
		}
		trace_paxos_slot_chosen(g->p.id, g->p.node_id, d->slot,
					d->kind == PAXOS_DELIVER_VALUE);
		if (d->kind != PAXOS_DELIVER_VALUE)
			continue;
		trace_paxos_value_delivered(g->p.id, g->p.node_id, d->slot,
					    d->len, d->origin);
		list_for_each_entry(l, &g->listeners, node)
			l->learned(l, d->slot, d->data, d->len);
		paxos_netlink_learned(g, d->slot, d->data, d->len, d->origin);
	}
	mutex_unlock(&g->listeners_lock);
	wake_up_interruptible_all(&g->wq);
}

/*
 * The election tracepoints, from the state the core went to since the
 * last look: a candidacy and its end may both fall between two looks.
 */
static void paxos_group_trace_state(struct paxos_group *g,
				    const struct paxos_core_status *st)
{
	u32 from = g->trace_state, to = st->state;

	if (from == to)
		return;
	g->trace_state = to;
	if (to == PAXOS_CS_CANDIDATE ||
	    (to == PAXOS_CS_LEADER && from != PAXOS_CS_CANDIDATE))
		trace_paxos_election_start(g->p.id, g->p.node_id,
					   st->ballot.round, st->ballot.node);
	if (to == PAXOS_CS_LEADER)
		trace_paxos_election_won(g->p.id, g->p.node_id,
					 st->ballot.round, st->ballot.node);
	else if (from == PAXOS_CS_CANDIDATE)
		trace_paxos_election_lost(g->p.id, g->p.node_id,
					  st->ballot.round, st->ballot.node);
}

/* Netlink events for what changed; @st is a snapshot taken under g->lock. */
static void paxos_group_events(struct paxos_group *g, u32 events,
			       const struct paxos_core_status *st)
{
	u32 i;

	if (events & PAXOS_EVENT_STATE)
		paxos_group_trace_state(g, st);
	if (events & PAXOS_EVENT_LEADER && st->leader_id != g->leader_id) {
		g->leader_id = st->leader_id;
		trace_paxos_leader_change(g->p.id, g->p.node_id, st->leader_id,
					  st->promised.round,
					  st->promised.node);
		paxos_netlink_leader(g, st);
	}
	if (events & PAXOS_EVENT_CONFIG)
		paxos_netlink_config(g, st, g->membership);
	if (!(events & PAXOS_EVENT_PEER))
		return;
	for (i = 0; i < st->nr_peers; i++) {
		struct paxos_peer_state *ps;

		if (st->peers[i].node_id == g->p.node_id)
			continue;
		ps = paxos_peer_state(g, st->peers[i].node_id);
		if (!ps || ps->reachable == st->peers[i].reachable)
			continue;
		WRITE_ONCE(ps->reachable, st->peers[i].reachable);
		paxos_netlink_peer(g, ps->node_id, ps->reachable);
	}
}

/*
 * The member table follows the core's configuration: on a new one, or
 * when the last update found no memory.  Under g->lock.
 */
static void paxos_group_config(struct paxos_group *g, u32 events)
{
	if (!(events & PAXOS_EVENT_CONFIG) && !g->peers_stale)
		return;
	paxos_core_membership(g->core, g->membership);
	g->peers_stale = paxos_peers_update(g, g->membership) != 0;
}

/*
 * The core's clock: ticks by jiffies, not by timer callbacks, which may be
 * late.  The worker moves the clock to each datagram's arrival before it
 * hands the datagram over, and then to now, so that a worker that runs
 * late never takes a heartbeat that arrived a moment ago and then counts
 * the whole delay as silence after it (a busy machine would start
 * elections against a live leader).  Under g->lock.
 */
static void paxos_group_ticks(struct paxos_group *g, unsigned long until)
{
	unsigned long tick_len = msecs_to_jiffies(PAXOS_TICK_MS);

	while (time_after_eq(until, g->tick_base + tick_len)) {
		g->tick_base += tick_len;
		paxos_core_tick(g->core, PAXOS_GFP);
	}
}

/* Hand a datagram to the core; one it drops is traced with the reason. */
static void paxos_group_receive(struct paxos_group *g, const u8 *msg, u32 len)
{
	u32 why;

	switch (paxos_core_receive(g->core, msg, len, PAXOS_GFP)) {
	case 0:
		return;
	case -ENODATA:
		why = PAXOS_DROP_TRUNCATED;
		break;
	case -EPROTONOSUPPORT:
		why = PAXOS_DROP_BAD_VERSION;
		break;
	case -ENOENT:
		why = PAXOS_DROP_WRONG_GROUP;
		break;
	case -ESRCH:
		why = PAXOS_DROP_UNKNOWN_SENDER;
		break;
	case -ESTALE:
		why = PAXOS_DROP_STALE;
		break;
	default:
		why = paxos_wire_unknown_type(msg, len) ?
		      PAXOS_DROP_UNKNOWN_TYPE : PAXOS_DROP_MALFORMED;
		break;
	}
	trace_paxos_drop(g->p.id, g->p.node_id, why, len);
}

/*
 * What a pass has to send.  A broadcast comes as one copy per member, one
 * after the other: sealed once (@last: the message whose envelope
 * g->txbuf holds).
 */
static void paxos_group_send(struct paxos_group *g, struct paxos_ready *r)
{
	struct paxos_msg_out *m, *last = NULL;

	list_for_each_entry(m, &r->msgs, list) {
		bool same = last && last->len == m->len &&
			    !memcmp(last->data, m->data, m->len);

		if (paxos_socket_send(g, m->dest, m->data, m->len, same) !=
		    -ENOENT)
			last = m;
	}
}

/*
 * One pass of the group's work: the datagrams received, the clock, the
 * proposals queued, then what the core has to send, deliver and complete.
 * Under g->pass_lock, which the caller holds.
 */
static void paxos_group_pass(struct paxos_group *g)
{
	struct mem_cgroup *old_memcg;
	struct paxos_completion *c;
	struct paxos_ready ready;
	struct paxos_req *req, *tmp;
	struct sk_buff *skb;
	LIST_HEAD(failed);
	int budget = PAXOS_RX_BUDGET;
	bool finished = false;
	int from_core = 0, in_core = 0;
	bool leads;

	lockdep_assert_held(&g->pass_lock);
	paxos_ready_init(&ready);
	mutex_lock(&g->lock);
	if (g->dead) {
		mutex_unlock(&g->lock);
		return;
	}
	/* What the core keeps is charged to the group's creator (PAXOS_GFP). */
	old_memcg = set_active_memcg(g->memcg);
	while (budget-- && (skb = skb_dequeue(&g->rxq))) {
		int len = skb->len - (int)sizeof(struct udphdr);
		const u8 *msg;
		u32 msg_len;

		paxos_group_ticks(g, paxos_auth_rx_arrived(skb));
		atomic_sub(skb->truesize, &g->rxq_bytes);
		if (len > 0 && len <= PAXOS_UDP_MAX &&
		    !skb_copy_bits(skb, sizeof(struct udphdr), g->rxbuf, len)) {
			atomic64_add(len, &g->stats.rx_bytes);
			if (paxos_auth_open(g, skb, g->rxbuf, len, &msg,
					    &msg_len))
				paxos_group_receive(g, msg, msg_len);
		} else {
			/* Too short for our header: the core counts it. */
			paxos_group_receive(g, g->rxbuf, 0);
		}
		consume_skb(skb);
	}
	paxos_group_ticks(g, jiffies);
	paxos_group_feed(g, &failed);
	paxos_core_ready(g->core, &ready);
	/*
	 * What the core completes leaves it now, before any of its writers
	 * is woken: one that writes again at once must see the core empty
	 * and hand its next proposal over itself (paxos_group_submitted()).
	 */
	list_for_each_entry(c, &ready.completions, list)
		from_core++;
	if (from_core)
		in_core = atomic_sub_return(from_core, &g->in_core);
	WRITE_ONCE(g->learned, paxos_core_learned(g->core));
	leads = paxos_core_leader(g->core) == g->p.node_id;
	/* Before the messages go: a member just added must be known. */
	paxos_group_config(g, ready.events);
	if (ready.events)
		paxos_core_status(g->core, g->status);
	set_active_memcg(old_memcg);
	mutex_unlock(&g->lock);

	/*
	 * Who waits for what goes first.  A leader's datagrams (Accepts,
	 * commits) carry every node's next step, so they leave before it
	 * delivers and completes.  Anyone else sends votes and forwards
	 * that no one waits on here, while its own writers wait on what it
	 * learned: those complete first (a follower that learns its value
	 * on accepting it is done before its Accepted goes out).
	 */
	if (leads)
		paxos_group_send(g, &ready);
	paxos_group_deliver(g, &ready);
	if (ready.events)
		paxos_group_events(g, ready.events, g->status);
	list_for_each_entry(c, &ready.completions, list) {
		if (c->error == -ETIMEDOUT)
			trace_paxos_proposal_timeout(g->p.id, g->p.node_id,
						     (u32)c->req_id, c->slot,
						     c->error);
		else
			trace_paxos_proposal_complete(g->p.id, g->p.node_id,
						      (u32)c->req_id, c->slot,
						      c->error);
		req = xa_erase(&g->reqs, (u32)c->req_id);
		if (req) {
			__paxos_req_finish(g, req, c->error, c->slot);
			finished = true;
		}
	}
	list_for_each_entry_safe(req, tmp, &failed, node) {
		list_del_init(&req->node);
		__paxos_req_finish(g, req, req->error, 0);
		finished = true;
	}
	/* Room in the queue: one wakeup for all of them. */
	if (finished)
		wake_up_interruptible_all(&g->wq);
	if (!leads)
		paxos_group_send(g, &ready);
	paxos_ready_release(&ready);

	/*
	 * A submitter that found proposals in the core left its own to the
	 * pass their answers bring (paxos_group_submitted()).  If this pass
	 * completed the last of them after feeding, no such pass will come:
	 * run one for what was queued meanwhile.  The full barrier of
	 * atomic_sub_return() above pairs with the submitter's smp_mb().
	 */
	if (from_core && !in_core && !list_empty_careful(&g->submitq))
		queue_work(paxos_wq, &g->work);
	/* Proposals the core had no room for wait for the next tick. */
	if (!skb_queue_empty(&g->rxq))
		queue_work(paxos_wq, &g->work);
}

static void paxos_group_work(struct work_struct *work)
{
	struct paxos_group *g = container_of(work, struct paxos_group, work);

	mutex_lock(&g->pass_lock);
	paxos_group_pass(g);
	mutex_unlock(&g->pass_lock);
}

/**
 * paxos_group_flush() - hand queued proposals to the core now
 * @g: the group, which the caller holds a reference to
 *
 * A writer that queued a proposal with PAXOS_SUBMIT_FLUSH runs the
 * worker's pass itself when nobody else does, sparing the wakeup of the
 * worker (a context switch, often to the other CPU) on the way to the
 * leader: the Accepts (or the forward to the leader) leave from the
 * writer's own context.  When the worker or another writer is running a
 * pass, the worker is kicked instead, as paxos_req_submit() would have:
 * passes never overlap (g->pass_lock), so sends and deliveries keep their
 * order.
 *
 * Context: process context; no lock held that a listener's callback or a
 * proposal's completion callback may take (they may run here).
 */
void paxos_group_flush(struct paxos_group *g)
{
	if (mutex_trylock(&g->pass_lock)) {
		paxos_group_pass(g);
		mutex_unlock(&g->pass_lock);
		return;
	}
	spin_lock_bh(&g->submit_lock);
	if (!g->dead)
		paxos_group_kick(g);
	spin_unlock_bh(&g->submit_lock);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_group_flush);

/**
 * paxos_group_submitted() - a flushing submitter's proposal is queued
 * @g: the group, which the caller holds a reference to
 *
 * While the core has proposals of the group, a pass will come for them
 * by itself (their answers, or the clock): the new one waits for it and
 * leaves with whatever else was queued meanwhile, so that under load
 * values are batched by round trip rather than sent one pass per write.
 * With nothing in the core, the submitter runs the pass now
 * (paxos_group_flush()): a lone write waits for nobody.
 *
 * Context: as paxos_group_flush().
 */
void paxos_group_submitted(struct paxos_group *g)
{
	/* Our queueing before the read; pairs with paxos_group_pass(). */
	smp_mb();
	if (!atomic_read(&g->in_core))
		paxos_group_flush(g);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_group_submitted);

/* --- creation and deletion --- */

static void paxos_core_config_from(struct paxos_core_config *cfg,
				   const struct paxos_group_params *p)
{
	u32 i;

	memset(cfg, 0, sizeof(*cfg));
	paxos_core_config_defaults(cfg);
	cfg->group_id = p->id;
	cfg->node_id = p->node_id;
	cfg->nr_members = p->nr_members;
	for (i = 0; i < p->nr_members; i++) {
		cfg->members[i].node_id = p->members[i].node_id;
		cfg->members[i].role = p->members[i].role == PAXOS_ROLE_LEARNER ?
				       PAXOS_MEMBER_LEARNER : PAXOS_MEMBER_VOTER;
		cfg->members[i].incarnation = PAXOS_INC_ADMITTED;
		paxos_addr_encode(cfg->members[i].addr, &p->members[i].addr);
	}
	cfg->manual_promote = p->manual_promote;
	cfg->mode = p->mode == PAXOS_MODE_BASIC ? PAXOS_CORE_BASIC :
						  PAXOS_CORE_MULTI;
	cfg->join_existing = p->cluster_state == PAXOS_CLUSTER_STATE_EXISTING;
	cfg->seed = get_random_u64();
	cfg->incarnation = paxos_new_incarnation();
	cfg->heartbeat_ticks = max(1U, p->heartbeat_ms / PAXOS_TICK_MS);
	cfg->election_min_ticks = max(2U, p->election_min_ms / PAXOS_TICK_MS);
	cfg->election_max_ticks = max(cfg->election_min_ticks + 1,
				      p->election_max_ms / PAXOS_TICK_MS);
	cfg->retransmit_ticks = max(2U, cfg->heartbeat_ticks * 2);
	cfg->proposal_timeout_ticks = max(1U, p->proposal_timeout_ms /
					      PAXOS_TICK_MS);
	cfg->retention = p->retention;
	cfg->max_value_size = p->max_value_size;
	cfg->queue_limit = min_t(u32, p->queue_len, PAXOS_CORE_QUEUE);
}

/**
 * paxos_group_create() - create a group in @net and start it
 * @net: the namespace
 * @p: validated configuration
 * @extack: for error messages
 *
 * Return: 0, -EEXIST (id taken), -ENOSPC (too many groups), -EADDRINUSE,
 * -ENOMEM, or another socket error.
 */
int paxos_group_create(struct net *net, const struct paxos_group_params *p,
		       struct netlink_ext_ack *extack)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_core_config *cfg;
	struct paxos_group *g;
	int err = -ENOMEM;

	g = kzalloc(sizeof(*g), PAXOS_GFP);
	cfg = kmalloc(sizeof(*cfg), PAXOS_GFP);
	if (!g || !cfg) {
		/* Nothing in @g to undo yet: paxos_group_free() would. */
		kfree(g);
		kfree(cfg);
		return -ENOMEM;
	}
	kref_init(&g->ref);
	g->net = net;
	/* The creator's cgroup pays for the group's life, worker included. */
	g->memcg = get_mem_cgroup_from_mm(current->mm);
	g->p = *p;
	skb_queue_head_init(&g->rxq);
	INIT_WORK(&g->work, paxos_group_work);
	timer_setup(&g->tick, paxos_group_tick, 0);
	mutex_init(&g->lock);
	mutex_init(&g->pass_lock);
	spin_lock_init(&g->submit_lock);
	INIT_LIST_HEAD(&g->submitq);
	xa_init_flags(&g->reqs, XA_FLAGS_ALLOC1);
	atomic_set(&g->inflight, 0);
	init_waitqueue_head(&g->wq);
	mutex_init(&g->listeners_lock);
	INIT_LIST_HEAD(&g->listeners);
	g->rxbuf = kvmalloc(PAXOS_UDP_MAX, PAXOS_GFP);
	g->status = kmalloc(sizeof(*g->status), PAXOS_GFP);
	g->membership = kmalloc(sizeof(*g->membership), PAXOS_GFP);
	if (!g->rxbuf || !g->status || !g->membership || paxos_auth_init(g))
		goto err_free;

	paxos_core_config_from(cfg, p);
	g->incarnation = cfg->incarnation;
	g->core = paxos_core_create(cfg, PAXOS_GFP);
	if (IS_ERR_OR_NULL(g->core)) {
		err = g->core ? PTR_ERR(g->core) : -ENOMEM;
		g->core = NULL;
		if (err != -ENOMEM)
			NL_SET_ERR_MSG_MOD(extack, "invalid group configuration");
		goto err_free;
	}
	/* The member table as the core sees its first configuration. */
	mutex_lock(&g->lock);
	paxos_group_config(g, PAXOS_EVENT_CONFIG);
	mutex_unlock(&g->lock);

	mutex_lock(&pn->lock);
	if (paxos_group_find(pn, p->id)) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "group %u already exists", p->id);
		err = -EEXIST;
		goto err_unlock;
	}
	if (pn->nr_groups >= PAXOS_MAX_GROUPS) {
		NL_SET_ERR_MSG_FMT_MOD(extack, "at most %u groups per namespace",
				       PAXOS_MAX_GROUPS);
		err = -ENOSPC;
		goto err_unlock;
	}
	err = paxos_group_count(g, extack);
	if (err)
		goto err_unlock;
	/* The first datagram may come as soon as the socket is open. */
	g->tick_base = jiffies;
	err = paxos_socket_open(g);
	if (err) {
		/* sock_alloc() fails with ENFILE when it has no memory. */
		if (err != -ENOMEM && err != -ENFILE)
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot bind the listen address");
		goto err_unlock;
	}
	list_add_tail(&g->node, &pn->groups);
	pn->nr_groups++;
	/* Still under the lock: a deleter cannot have freed @g yet. */
	mod_timer(&g->tick, jiffies + msecs_to_jiffies(PAXOS_TICK_MS));
	queue_work(paxos_wq, &g->work);
	mutex_unlock(&pn->lock);
	kfree(cfg);
	return 0;

err_unlock:
	mutex_unlock(&pn->lock);
err_free:
	if (g && g->core)
		paxos_core_destroy(g->core);
	kfree(cfg);
	if (g)
		paxos_group_free(&g->ref);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_group_create);

/*
 * Deleting a group comes in two halves around an RCU grace period, so that
 * a namespace's exit can stop all its groups, wait once, and reap them all.
 *
 * Stopping marks the group dead under both g->lock (the worker returns at
 * once from then on) and g->submit_lock (no proposal queues the worker any
 * more), shuts the timer down (it cannot re-arm) and detaches the socket.
 * Only an encap_rcv that was already running can then still queue the
 * worker, and the grace period waits for those.  Reaping cancels the worker
 * a last time (now nothing can queue it again) and only then releases the
 * socket it sends on, fails every pending proposal with ENOTCONN, drops the
 * listeners, destroys the core and wakes every sleeper.
 *
 * The group is already off its namespace's list.
 */
static void paxos_group_stop(struct paxos_group *g)
{
	mutex_lock(&g->lock);
	spin_lock_bh(&g->submit_lock);
	WRITE_ONCE(g->dead, true);
	spin_unlock_bh(&g->submit_lock);
	mutex_unlock(&g->lock);

	timer_shutdown_sync(&g->tick);
	paxos_socket_stop(g);
}

/* After paxos_group_stop() and an RCU grace period. */
static void paxos_group_reap(struct paxos_group *g)
{
	struct paxos_listener *l, *ltmp;
	struct paxos_req *req;
	unsigned long id;

	/*
	 * For good: a pass still running (below) may queue the work as it
	 * ends, and the group's memory goes with the last reference, which
	 * that pass's writer may hold.
	 */
	disable_work_sync(&g->work);
	/*
	 * And a pass that a writer runs itself (paxos_group_flush()): one
	 * that started before @dead was set may still be sending.  Any later
	 * one sees @dead and does nothing.
	 */
	mutex_lock(&g->pass_lock);
	mutex_unlock(&g->pass_lock);
	/* Where work cannot be disabled (compat.h): what that pass queued. */
	cancel_work_sync(&g->work);
	paxos_socket_release(g);
	skb_queue_purge(&g->rxq);

	spin_lock_bh(&g->submit_lock);
	while ((req = list_first_entry_or_null(&g->submitq, struct paxos_req,
					       node))) {
		list_del_init(&req->node);
		req->queued = false;
	}
	spin_unlock_bh(&g->submit_lock);
	xa_for_each(&g->reqs, id, req)
		if (xa_erase(&g->reqs, id) == req)
			__paxos_req_finish(g, req, -ENOTCONN, 0);	/* woken below */

	mutex_lock(&g->listeners_lock);
	list_for_each_entry_safe(l, ltmp, &g->listeners, node)
		list_del_init(&l->node);
	mutex_unlock(&g->listeners_lock);

	mutex_lock(&g->lock);
	paxos_core_destroy(g->core);
	g->core = NULL;
	mutex_unlock(&g->lock);
	wake_up_interruptible_all(&g->wq);
}

/**
 * paxos_group_delete() - delete group @id of @net
 * @net: the namespace
 * @id: the group
 *
 * Return: 0, or -ENOENT.
 */
int paxos_group_delete(struct net *net, u32 id)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_group *g;

	mutex_lock(&pn->lock);
	g = paxos_group_find(pn, id);
	if (g) {
		list_del(&g->node);
		pn->nr_groups--;
	}
	mutex_unlock(&pn->lock);
	if (!g)
		return -ENOENT;
	paxos_group_stop(g);
	synchronize_net();
	paxos_group_reap(g);
	paxos_group_put(g);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_group_delete);

static int __net_init paxos_net_init(struct net *net)
{
	struct paxos_net *pn = paxos_pernet(net);

	mutex_init(&pn->lock);
	INIT_LIST_HEAD(&pn->groups);
	pn->nr_groups = 0;
	INIT_LIST_HEAD(&pn->exiting);
	return 0;
}

/*
 * A namespace's exit (and rmmod, for every namespace) stops its groups in
 * pre_exit and reaps them in exit_batch: the namespace core waits for one
 * RCU grace period between the two for all namespaces and all pernet
 * operations at once (ops_undo_list(), cleanup_net()), so a namespace
 * with many groups costs no grace period of its own.  Nothing can create a
 * group meanwhile: a dying namespace has no netlink sockets and no users,
 * and rmmod unregisters the netlink family before this.
 */
static void __net_exit paxos_net_pre_exit(struct net *net)
{
	struct paxos_net *pn = paxos_pernet(net);
	struct paxos_group *g;

	mutex_lock(&pn->lock);
	list_splice_tail_init(&pn->groups, &pn->exiting);
	pn->nr_groups = 0;
	mutex_unlock(&pn->lock);
	list_for_each_entry(g, &pn->exiting, node)
		paxos_group_stop(g);
}

static void __net_exit paxos_net_exit_batch(struct list_head *net_exit_list)
{
	struct paxos_group *g, *tmp;
	struct net *net;

	list_for_each_entry(net, net_exit_list, exit_list) {
		struct paxos_net *pn = paxos_pernet(net);

		WARN_ON_ONCE(!list_empty(&pn->groups));
		list_for_each_entry_safe(g, tmp, &pn->exiting, node) {
			list_del(&g->node);
			paxos_group_reap(g);
			paxos_group_put(g);
		}
	}
}

static struct pernet_operations paxos_net_ops = {
	.init = paxos_net_init,
	.pre_exit = paxos_net_pre_exit,
	.exit_batch = paxos_net_exit_batch,
	.id = &paxos_net_id,
	.size = sizeof(struct paxos_net),
};

/**
 * paxos_pernet_init() - register the per-namespace group lists
 *
 * Return: 0 or a negative errno.
 */
int paxos_pernet_init(void)
{
	return register_pernet_subsys(&paxos_net_ops);
}

/**
 * paxos_pernet_exit() - delete every group of every namespace
 */
void paxos_pernet_exit(void)
{
	unregister_pernet_subsys(&paxos_net_ops);
}

/**
 * paxos_wq_init() - create the workqueue the groups' workers run on
 *
 * Return: 0 or -ENOMEM.
 */
int paxos_wq_init(void)
{
	paxos_wq = alloc_workqueue("paxos", WQ_UNBOUND, 0);
	return paxos_wq ? 0 : -ENOMEM;
}

/**
 * paxos_wq_exit() - destroy the workqueue
 */
void paxos_wq_exit(void)
{
	destroy_workqueue(paxos_wq);
}
