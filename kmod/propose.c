// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: proposals on their way through a group, and the in-kernel API.
 *
 * A proposal reserves room in its group's queue (and its file's), gets a
 * request id in the group's xarray and waits on the group's submit queue
 * until the worker hands it to the core.  The core's completion, the
 * group's deletion, or its deadline passing before the core got it,
 * finishes it exactly once: whoever erases it from the xarray finishes it.
 *
 * A proposal has one deadline, the group's proposal timeout from its
 * submission: waiting for queue space, waiting in the submit queue and
 * waiting for the outcome all count against it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <kunit/visibility.h>
#include <uapi/linux/paxos.h>

#include "runtime.h"

static void paxos_req_free(struct kref *ref)
{
	struct paxos_req *req = container_of(ref, struct paxos_req, ref);

	kvfree(req->value);
	kfree(req);
}

/**
 * paxos_req_put() - drop a reference to a proposal
 * @req: the proposal
 */
void paxos_req_put(struct paxos_req *req)
{
	kref_put(&req->ref, paxos_req_free);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_req_put);

static void paxos_file_acct_free(struct kref *ref)
{
	kfree(container_of(ref, struct paxos_file_acct, ref));
}

/**
 * paxos_file_acct_put() - drop a reference to a file's accounting
 * @acct: the accounting (may be NULL)
 */
void paxos_file_acct_put(struct paxos_file_acct *acct)
{
	if (acct)
		kref_put(&acct->ref, paxos_file_acct_free);
}

/**
 * __paxos_req_finish() - complete a proposal, without waking @g->wq
 * @g: its group
 * @req: the proposal, which the caller took out of @g->reqs (so this runs
 *	once per proposal); the group's reference to it is dropped
 * @error: 0, -ETIMEDOUT, -ENOTCONN or another error from the core
 * @slot: the slot it was learned in (when @error is 0)
 *
 * Its waiter is woken (its callback called, or its completion done), but
 * not @g->wq, where submitters wait for queue room and files for
 * EPOLLOUT: the caller wakes it once for all it finished (one wakeup
 * walks every open file of the group; once per proposal, 256 writers
 * paid it 256 times per value).
 *
 * Context: no group lock held: the completion callback may do anything.
 */
void __paxos_req_finish(struct paxos_group *g, struct paxos_req *req,
			int error, u64 slot)
{
	req->error = error;
	req->slot = slot;
	/* A waiter that sees @done reads @error and @slot after it. */
	smp_store_release(&req->done, true);
	if (req->acct) {
		if (!error && req->acct_slot)
			atomic64_set(&req->acct->last_slot, slot);
		atomic_dec(&req->acct->inflight);
		paxos_file_acct_put(req->acct);
		req->acct = NULL;
	}
	atomic_dec(&g->inflight);
	if (req->cb)
		req->cb(req->ctx, error, slot);
	else
		wake_up_all(&req->waitq);
	paxos_req_put(req);
}

/**
 * paxos_req_finish() - complete one proposal and wake @g->wq
 * @g: its group
 * @req: the proposal, out of @g->reqs (see __paxos_req_finish())
 * @error: its outcome
 * @slot: the slot it was learned in (when @error is 0)
 */
void paxos_req_finish(struct paxos_group *g, struct paxos_req *req, int error,
		      u64 slot)
{
	__paxos_req_finish(g, req, error, slot);
	wake_up_interruptible_all(&g->wq);
}

/* Whether the group's queue, and the file's, have room for one more. */
static bool paxos_req_room(struct paxos_group *g, struct paxos_file_acct *acct)
{
	return (!acct || atomic_read(&acct->inflight) < PAXOS_FILE_QUEUE_LEN) &&
	       atomic_read(&g->inflight) < g->p.queue_len;
}

/* A new request of @g, not queued yet. */
static struct paxos_req *paxos_req_alloc(struct paxos_group *g,
					 paxos_done_t cb, void *ctx)
{
	struct paxos_req *req = kzalloc(sizeof(*req), PAXOS_GFP);

	if (!req)
		return NULL;
	kref_init(&req->ref);
	INIT_LIST_HEAD(&req->node);
	init_waitqueue_head(&req->waitq);
	req->cb = cb;
	req->ctx = ctx;
	req->deadline = jiffies + msecs_to_jiffies(g->p.proposal_timeout_ms);
	req->group = g;
	return req;
}

/* Reserve room for @req and hand it to the group's worker. */
static struct paxos_req *paxos_req_queue(struct paxos_group *g,
					 struct paxos_req *req,
					 unsigned int flags,
					 struct paxos_file_acct *acct)
{
	bool dead;
	int err;

	/* Reserve room in the group's queue, and in the file's. */
	for (;;) {
		long left;

		if (READ_ONCE(g->dead)) {
			err = -ENOTCONN;
			goto err_req;
		}
		if ((!acct || atomic_read(&acct->inflight) < PAXOS_FILE_QUEUE_LEN) &&
		    atomic_add_unless(&g->inflight, 1, g->p.queue_len))
			break;
		if (flags & PAXOS_SUBMIT_NONBLOCK) {
			err = -EAGAIN;
			goto err_req;
		}
		left = (long)(req->deadline - jiffies);
		if (left <= 0) {
			err = -ETIMEDOUT;
			goto err_req;
		}
		left = wait_event_interruptible_timeout(g->wq,
							READ_ONCE(g->dead) ||
							paxos_req_room(g, acct),
							left);
		if (left < 0) {
			err = -EINTR;
			goto err_req;
		}
	}
	if (acct) {
		atomic_inc(&acct->inflight);
		kref_get(&acct->ref);
		req->acct = acct;
		req->acct_slot = flags & PAXOS_SUBMIT_NONBLOCK;
	}

	kref_get(&req->ref);	/* for the group */
	err = xa_alloc_cyclic(&g->reqs, &req->id, req, xa_limit_32b,
			      &g->next_req, PAXOS_GFP);
	if (err < 0)
		goto err_unreserve;

	/*
	 * Queue it and kick the worker under submit_lock, where the deleter
	 * sets @dead before its last cancel_work_sync(): either the kick comes
	 * before that, or we see @dead here and never kick a freed group.  A
	 * caller that flushes (PAXOS_SUBMIT_FLUSH) kicks only if it cannot
	 * hand the proposal over itself.
	 */
	spin_lock_bh(&g->submit_lock);
	dead = g->dead;
	if (!dead) {
		list_add_tail(&req->node, &g->submitq);
		req->queued = true;
		if (!(flags & PAXOS_SUBMIT_FLUSH))
			paxos_group_kick(g);
	}
	spin_unlock_bh(&g->submit_lock);
	if (!dead)
		return req;
	err = -ENOTCONN;
	if (xa_erase(&g->reqs, req->id) == req)
		goto err_unreserve;
	/* The deleter got to it first and finished it: the caller sees that. */
	return req;

err_unreserve:
	/* Nobody else has it: give the reservations back, silently. */
	req->cb = NULL;
	paxos_req_finish(g, req, err, 0);
err_req:
	paxos_req_put(req);
	return ERR_PTR(err);
}

/**
 * paxos_req_submit() - queue a proposal on a group
 * @g: the group
 * @value: the value, allocated with kvmalloc(); ownership passes to the
 *	request even on failure
 * @len: bytes in @value
 * @flags: PAXOS_SUBMIT_NONBLOCK: fail with EAGAIN instead of waiting for
 *	queue space; PAXOS_SUBMIT_FLUSH: do not wake the group's worker, the
 *	caller calls paxos_group_flush() once it holds no lock that a
 *	listener's callback may take (always, when this returns a request)
 * @acct: the submitting file's accounting (its queue limit applies), or NULL
 * @cb: completion callback, or NULL to wait with paxos_req_wait()
 * @ctx: passed to @cb
 *
 * The request's deadline is the group's proposal timeout from now; waiting
 * here for queue space counts against it.
 *
 * Return: the request, with a reference for the caller, or an ERR_PTR:
 * -EINVAL (empty), -EMSGSIZE (too big), -EAGAIN (queue full and @nonblock),
 * -ETIMEDOUT (no queue space before the deadline), -EINTR (signal while
 * waiting for space), -ENOTCONN (group deleted), -ENOMEM.  Nothing was
 * queued then, and @cb is not called.
 */
struct paxos_req *paxos_req_submit(struct paxos_group *g, void *value,
				   u32 len, unsigned int flags,
				   struct paxos_file_acct *acct,
				   paxos_done_t cb, void *ctx)
{
	struct paxos_req *req;
	int err;

	if (!len) {
		err = -EINVAL;
		goto err_value;
	}
	if (len > g->p.max_value_size) {
		err = -EMSGSIZE;
		goto err_value;
	}
	req = paxos_req_alloc(g, cb, ctx);
	if (!req) {
		err = -ENOMEM;
		goto err_value;
	}
	req->value = value;
	req->len = len;
	return paxos_req_queue(g, req, flags, acct);
err_value:
	kvfree(value);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_req_submit);

/**
 * paxos_req_submit_change() - queue a configuration change on a group
 * @g: the group
 * @ch: the change (copied)
 * @cb: completion callback, or NULL to wait with paxos_req_wait()
 * @ctx: passed to @cb
 *
 * A change travels like a proposal (the group's queue, its proposal
 * timeout) and completes like one, with the slot it was chosen in.
 *
 * Return: the request, with a reference for the caller, or an ERR_PTR as
 * for paxos_req_submit(); @cb is not called then.
 */
struct paxos_req *paxos_req_submit_change(struct paxos_group *g,
					  const struct paxos_change *ch,
					  paxos_done_t cb, void *ctx)
{
	struct paxos_req *req = paxos_req_alloc(g, cb, ctx);

	if (!req)
		return ERR_PTR(-ENOMEM);
	req->change = *ch;
	return paxos_req_queue(g, req, 0, NULL);
}

/*
 * Finish a proposal still waiting in its group's submit queue with @error:
 * the core never saw it, so it will never be chosen.
 *
 * Return: whether it was still queued (and is now finished).
 */
static bool paxos_req_cancel(struct paxos_group *g, struct paxos_req *req,
			     int error)
{
	bool queued;

	spin_lock_bh(&g->submit_lock);
	queued = req->queued;
	if (queued) {
		list_del_init(&req->node);
		req->queued = false;
	}
	spin_unlock_bh(&g->submit_lock);
	if (!queued || xa_erase(&g->reqs, req->id) != req)
		return false;
	paxos_req_finish(g, req, error, 0);
	return true;
}

/* Whether @req completed; its @error and @slot are final once it did. */
static bool paxos_req_done(struct paxos_req *req)
{
	/* Pairs with the release in __paxos_req_finish(). */
	return smp_load_acquire(&req->done);
}

/*
 * Wait for @req until @left jiffies passed or a signal came; with @run, as
 * the group's rx waiter when no other writer is (see
 * paxos_req_wait_running()).  Returns what is left of @left, or -1 on a
 * signal.
 */
static long paxos_req_sleep(struct paxos_req *req, long left, bool run)
{
	struct paxos_group *g = req->group;
	bool armed = false;
	DEFINE_WAIT(wait);

	while (left > 0 && !paxos_req_done(req)) {
		/*
		 * Only a lone proposal's writer: under load the worker keeps
		 * running passes back to back, and a writer taking turns
		 * with it only makes one of them wait for the pass lock.
		 */
		if (run && !armed && atomic_read(&g->inflight) <= 1)
			armed = !cmpxchg(&g->rx_waiter, NULL, current);
		prepare_to_wait(&req->waitq, &wait, TASK_INTERRUPTIBLE);
		if (paxos_req_done(req))
			break;
		if (armed && READ_ONCE(g->rx_waiter) != current) {
			/* A datagram woke us: run the pass it needs. */
			finish_wait(&req->waitq, &wait);
			armed = false;
			paxos_group_flush(g);
			left = (long)(req->deadline - jiffies);
			continue;
		}
		if (signal_pending(current)) {
			left = -1;
			break;
		}
		left = schedule_timeout(left);
	}
	finish_wait(&req->waitq, &wait);
	/* A datagram that took the slot as we left still needs its pass. */
	if (armed && cmpxchg(&g->rx_waiter, current, NULL) != current)
		paxos_group_flush(g);
	return left;
}

static int __paxos_req_wait(struct paxos_req *req, u64 *slot, bool run)
{
	long left = (long)(req->deadline - jiffies);

	if (left > 0)
		left = paxos_req_sleep(req, left, run);
	if (left < 0)
		return -EINTR;
	if (!paxos_req_done(req)) {
		paxos_req_cancel(req->group, req, -ETIMEDOUT);
		if (!paxos_req_done(req))
			return -ETIMEDOUT;
	}
	*slot = req->slot;
	return req->error;
}

/**
 * paxos_req_wait() - wait for a proposal to be learned, until its deadline
 * @req: the proposal, from paxos_req_submit() without a callback; the
 *	caller holds a reference to its group
 * @slot: set to its slot on success
 *
 * At the deadline a proposal the core has not seen yet is withdrawn; one it
 * has may still be chosen.
 *
 * Context: process context; sleeps.  The group's work is left to its
 * worker: the caller may hold locks its own listener takes.
 * Return: 0, -ETIMEDOUT (deadline; it may still be learned later),
 * -ENOTCONN, or -EINTR when a signal came first (the proposal stays queued
 * and may still be learned).
 */
int paxos_req_wait(struct paxos_req *req, u64 *slot)
{
	return __paxos_req_wait(req, slot, false);
}

/**
 * paxos_req_wait_running() - paxos_req_wait(), running the group's passes
 * @req: the proposal, as for paxos_req_wait()
 * @slot: set to its slot on success
 *
 * While its proposal is the group's only one in flight (and no other
 * task is), the waiter is the group's rx waiter: a datagram for the group
 * wakes it rather than the worker, and it runs the pass itself
 * (paxos_group_flush()).  A lone write's answer then costs one wakeup,
 * the writer's, instead of the worker's and then the writer's.
 * One the waiter took but cannot run (the worker holds the pass) kicks
 * the worker; one that takes the slot as the waiter leaves is run before
 * it returns, so no datagram waits for the next tick.
 *
 * Context: process context, holding no lock that a listener's callback or
 * a proposal's completion callback may take (they may run here).
 * Return: as paxos_req_wait().
 */
int paxos_req_wait_running(struct paxos_req *req, u64 *slot)
{
	return __paxos_req_wait(req, slot, true);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_req_wait_running);

/**
 * paxos_propose() - propose a value, asynchronously
 * @g: the group, from paxos_group_get()
 * @value: the bytes (copied)
 * @len: 1..the group's max value size
 * @done: called once when the proposal completes (see &paxos_done_t)
 * @ctx: passed to @done
 *
 * Waits for queue space if the group's queue is full.  The group's
 * proposal timeout runs from this call: the wait counts against it, and a
 * value still waiting to be handed to the protocol when it ends completes
 * with -ETIMEDOUT.
 *
 * Context: process context; may sleep.
 * Return: 0 when queued (@done will be called); -EINVAL (empty), -EMSGSIZE
 * (too big), -ETIMEDOUT (no queue space within the proposal timeout),
 * -ENOTCONN (group deleted), -EINTR, -ENOMEM; @done is not called then.
 */
int paxos_propose(struct paxos_group *g, const void *value, u32 len,
		  paxos_done_t done, void *ctx)
{
	struct paxos_req *req;
	void *copy;

	if (!done)
		return -EINVAL;
	copy = kvmalloc(len ?: 1, PAXOS_GFP);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, value, len);
	req = paxos_req_submit(g, copy, len, 0, NULL, done, ctx);
	if (IS_ERR(req))
		return PTR_ERR(req);
	paxos_req_put(req);
	return 0;
}
EXPORT_SYMBOL_GPL(paxos_propose);

/**
 * paxos_propose_sync() - propose a value and wait until it is learned
 * @g: the group, from paxos_group_get()
 * @value: the bytes (copied)
 * @len: 1..the group's max value size
 * @slot: set to the slot the value was learned in
 *
 * Context: process context; sleeps.
 * Return: 0; -ETIMEDOUT (not learned within the proposal timeout, counted
 * from this call, queue space waited for included; it may still be learned
 * later); -EINTR (signal; same caveat); -EINVAL, -EMSGSIZE, -ENOTCONN,
 * -ENOMEM.
 */
int paxos_propose_sync(struct paxos_group *g, const void *value, u32 len,
		       u64 *slot)
{
	struct paxos_req *req;
	void *copy;
	int err;

	copy = kvmalloc(len ?: 1, PAXOS_GFP);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, value, len);
	req = paxos_req_submit(g, copy, len, 0, NULL, NULL, NULL);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = paxos_req_wait(req, slot);
	paxos_req_put(req);
	return err;
}
EXPORT_SYMBOL_GPL(paxos_propose_sync);

/**
 * paxos_subscribe() - call @l->learned for every value learned from now on
 * @g: the group, from paxos_group_get()
 * @l: the listener; @l->learned must be set, @l->skipped may be
 *
 * Return: 0, or -ENOTCONN if the group was deleted.
 */
int paxos_subscribe(struct paxos_group *g, struct paxos_listener *l)
{
	int err = 0;

	mutex_lock(&g->listeners_lock);
	if (READ_ONCE(g->dead))
		err = -ENOTCONN;
	else
		list_add_tail(&l->node, &g->listeners);
	mutex_unlock(&g->listeners_lock);
	return err;
}
EXPORT_SYMBOL_GPL(paxos_subscribe);

/**
 * paxos_unsubscribe() - stop calling a listener
 * @g: the group
 * @l: a listener added with paxos_subscribe() (a no-op if it was not, or if
 *	the group's deletion already removed it)
 *
 * When this returns, @l->learned is not running and will not be called.
 */
void paxos_unsubscribe(struct paxos_group *g, struct paxos_listener *l)
{
	mutex_lock(&g->listeners_lock);
	if (!list_empty(&l->node) && l->node.next)
		list_del_init(&l->node);
	mutex_unlock(&g->listeners_lock);
}
EXPORT_SYMBOL_GPL(paxos_unsubscribe);

/**
 * paxos_group_learned() - the last slot of this node's contiguous learned log
 * @g: the group
 *
 * Return: the slot, 0 if nothing is learned yet or the group was deleted.
 */
u64 paxos_group_learned(struct paxos_group *g)
{
	u64 slot = 0;

	mutex_lock(&g->lock);
	if (g->core)
		slot = paxos_core_learned(g->core);
	mutex_unlock(&g->lock);
	return slot;
}
EXPORT_SYMBOL_GPL(paxos_group_learned);

/**
 * paxos_group_leader() - the leader this node follows
 * @g: the group
 *
 * Return: its node id, 0 when none is known.
 */
u32 paxos_group_leader(struct paxos_group *g)
{
	u32 id = 0;

	mutex_lock(&g->lock);
	if (g->core)
		id = paxos_core_leader(g->core);
	mutex_unlock(&g->lock);
	return id;
}
EXPORT_SYMBOL_GPL(paxos_group_leader);

/**
 * paxos_change_from() - a membership change as the core takes it
 * @g: the group
 * @ch: the change, with uapi values
 * @out: filled in
 *
 * Return: 0, -EINVAL (unknown op, node id 0, unknown role) or -EAFNOSUPPORT
 * (an address not of the group's family).
 */
int paxos_change_from(struct paxos_group *g,
		      const struct paxos_member_change *ch,
		      struct paxos_change *out)
{
	memset(out, 0, sizeof(*out));
	switch (ch->op) {
	case PAXOS_CMD_MEMBER_ADD:
		out->op = PAXOS_CHANGE_ADD;
		break;
	case PAXOS_CMD_MEMBER_DEL:
		out->op = PAXOS_CHANGE_REMOVE;
		break;
	case PAXOS_CMD_MEMBER_PROMOTE:
		out->op = PAXOS_CHANGE_PROMOTE;
		break;
	case PAXOS_CMD_MEMBER_DEMOTE:
		out->op = PAXOS_CHANGE_DEMOTE;
		break;
	case PAXOS_CMD_MEMBER_SET_ADDRESS:
		out->op = PAXOS_CHANGE_ADDRESS;
		break;
	default:
		return -EINVAL;
	}
	if (!ch->node_id)
		return -EINVAL;
	out->node_id = ch->node_id;
	if (out->op == PAXOS_CHANGE_ADD) {
		if (ch->role != PAXOS_ROLE_VOTER &&
		    ch->role != PAXOS_ROLE_LEARNER)
			return -EINVAL;
		out->role = ch->role == PAXOS_ROLE_LEARNER ?
			    PAXOS_MEMBER_LEARNER : PAXOS_MEMBER_VOTER;
	}
	if (out->op == PAXOS_CHANGE_PROMOTE)
		out->incarnation = ch->incarnation;
	if (out->op == PAXOS_CHANGE_ADD || out->op == PAXOS_CHANGE_ADDRESS) {
		if (ch->addr.ss_family != g->p.listen.ss_family)
			return -EAFNOSUPPORT;
		paxos_addr_encode(out->addr, &ch->addr);
	}
	return 0;
}

/**
 * paxos_group_change() - change a group's membership, asynchronously
 * @g: the group, from paxos_group_get()
 * @ch: the change (copied)
 * @done: called once when the change completes: with 0 and the slot it
 *	was chosen in, or -EINVAL (the core refused it: no such member, a
 *	member already, it would leave no voter, ...), -EALREADY (the
 *	configuration is so already), -EHOSTUNREACH (a removal or demotion
 *	after which the voters the leader reaches make no quorum), -EBUSY
 *	(another change is still pending), -ENOTRECOVERABLE (quorum lost),
 *	-ETIMEDOUT (not chosen within the group's proposal timeout; it may
 *	still be), -EOPNOTSUPP (basic mode), -ENOTCONN (group deleted)
 * @ctx: passed to @done
 *
 * Any member may submit a change; it is forwarded to the leader and chosen
 * in the log like a value, one at a time, and takes effect
 * %PAXOS_CONFIG_ALPHA slots later.
 *
 * Context: process context; may sleep.
 * Return: 0 when queued (@done will be called); -EINVAL (bad @ch or no
 * @done), -EAFNOSUPPORT (address family), -ENOTCONN, -ENOMEM, -EINTR,
 * -ETIMEDOUT (no queue space); @done is not called then.
 */
int paxos_group_change(struct paxos_group *g,
		       const struct paxos_member_change *ch,
		       paxos_done_t done, void *ctx)
{
	struct paxos_change c;
	struct paxos_req *req;
	int err;

	if (!done)
		return -EINVAL;
	err = paxos_change_from(g, ch, &c);
	if (err)
		return err;
	req = paxos_req_submit_change(g, &c, done, ctx);
	if (IS_ERR(req))
		return PTR_ERR(req);
	paxos_req_put(req);
	return 0;
}
EXPORT_SYMBOL_GPL(paxos_group_change);

static void paxos_config_export(struct paxos_group_config *dst, u64 slot,
				u64 effective, u32 nr,
				const struct paxos_member *src)
{
	u32 i;

	dst->slot = slot;
	dst->effective = effective;
	dst->nr_members = min_t(u32, nr, PAXOS_API_MAX_MEMBERS);
	for (i = 0; i < dst->nr_members; i++) {
		struct paxos_group_member *m = &dst->members[i];

		m->node_id = src[i].node_id;
		m->role = src[i].role == PAXOS_MEMBER_LEARNER ?
			  PAXOS_ROLE_LEARNER : PAXOS_ROLE_VOTER;
		m->incarnation = src[i].role == PAXOS_MEMBER_LEARNER ||
				 src[i].incarnation == PAXOS_INC_PENDING ?
				 PAXOS_API_NOT_VOTING : src[i].incarnation;
		paxos_addr_decode(&m->addr, src[i].addr);
	}
}

/**
 * paxos_membership_export() - the core's configuration for API users
 * @dst: filled in
 * @m: from paxos_core_membership()
 * @flags: the core's status flags (%PAXOS_STATUS_*)
 */
void paxos_membership_export(struct paxos_group_membership *dst,
			     const struct paxos_membership *m, u32 flags)
{
	memset(dst, 0, sizeof(*dst));
	paxos_config_export(&dst->config, m->slot, m->effective,
			    m->nr_members, m->members);
	dst->pending = m->pending;
	if (m->pending)
		paxos_config_export(&dst->next, m->next.slot, m->next.effective,
				    m->next.nr_members, m->next.members);
	dst->voters = m->voters;
	dst->quorum = m->quorum;
	dst->live_voters = m->live;
	dst->quorum_lost = flags & PAXOS_STATUS_QUORUM_LOST;
	dst->removed = flags & PAXOS_STATUS_REMOVED;
}

/**
 * paxos_group_membership() - a group's configuration, as this node knows it
 * @g: the group, from paxos_group_get()
 * @m: filled in (about 10 KiB: allocate it)
 *
 * Context: process context; may sleep.
 * Return: 0, -ENOTCONN (group deleted) or -ENOMEM.
 */
int paxos_group_membership(struct paxos_group *g,
			   struct paxos_group_membership *m)
{
	struct paxos_core_status *st;
	struct paxos_membership *cm;
	int err = -ENOTCONN;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	cm = kmalloc(sizeof(*cm), GFP_KERNEL);
	if (!st || !cm) {
		err = -ENOMEM;
		goto out;
	}
	mutex_lock(&g->lock);
	if (g->core) {
		paxos_core_membership(g->core, cm);
		paxos_core_status(g->core, st);
		err = 0;
	}
	mutex_unlock(&g->lock);
	if (!err)
		paxos_membership_export(m, cm, st->flags);
out:
	kfree(cm);
	kfree(st);
	return err;
}
EXPORT_SYMBOL_GPL(paxos_group_membership);
