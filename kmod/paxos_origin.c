// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the origin of local proposals, and the proposer queue.
 *
 * Owns c->origin: the local proposals pending until learned (each with its
 * sequence number, the dedup key), their submission to whoever proposes
 * (ourselves, the leader, or in basic mode any voter, with FORWARD), their
 * retries and timeouts, and their completion exactly once.  Also owns the
 * proposer's queue of values waiting for a slot (c->prop.queue), from local
 * proposals and from FORWARD.
 *
 * Called from paxos_core_propose(), paxos_core_receive(), paxos_core_tick()
 * and the learner (a learned value completes its proposal); under the
 * caller's lock like all of the core.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "paxos_core_int.h"

/* Is @v delivered, queued or in flight here?  Keeps retries from piling up. */
bool proposer_knows_value(struct paxos_core *c,
			  const struct paxos_value *v)
{
	struct paxos_value *q;
	u64 s;

	if (dedup_seen(&c->learn.dedup, v->origin, v->origin_inc, v->seq))
		return true;
	list_for_each_entry(q, &c->prop.queue, list)
		if (value_same(q, v))
			return true;
	list_for_each_entry(q, &c->basic.own, list)
		if (value_same(q, v))
			return true;
	if (c->state != PAXOS_CS_LEADER)
		return false;
	for (s = c->learn.learned + 1; s < c->prop.next_slot; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (e && e->val && value_same(e->val, v) &&
		    ballot_eq(&e->bal, &c->prop.ballot))
			return true;
	}
	return false;
}

bool proposer_enqueue(struct paxos_core *c, struct paxos_value *v)
{
	if (c->prop.queued >= c->cfg.queue_limit * c->nr_peers)
		return false;
	list_add_tail(&v->list, &c->prop.queue);
	c->prop.queued++;
	return true;
}

struct paxos_value *proposer_dequeue(struct paxos_core *c)
{
	struct paxos_value *v;

	while ((v = list_first_entry_or_null(&c->prop.queue, struct paxos_value,
					     list))) {
		list_del_init(&v->list);
		c->prop.queued--;
		if (!dedup_seen(&c->learn.dedup, v->origin, v->origin_inc,
				v->seq))
			return v;
		kfree(v);
	}
	return NULL;
}

void proposer_drop_queue(struct paxos_core *c)
{
	struct paxos_value *v;

	while ((v = proposer_dequeue(c)))
		kfree(v);
}

void origin_complete(struct paxos_core *c, u64 seq, u64 slot, int err)
{
	struct paxos_pending *p;

	list_for_each_entry(p, &c->origin.pending, list) {
		struct paxos_completion *comp = p->comp;

		if (p->seq != seq)
			continue;
		comp->req_id = p->req_id;
		comp->slot = slot;
		comp->error = err;
		if (p->internal)
			kfree(comp);
		else
			list_add_tail(&comp->list, &c->out.completions);
		if (err == -ETIMEDOUT)
			c->ctr.timeouts++;
		else
			c->ctr.completed++;
		list_del(&p->list);
		c->origin.nr_pending--;
		c->origin.nr_internal -= p->internal;
		kfree(p->val);
		kfree(p);
		return;
	}
}

/* Fail every pending proposal of a client with @err. */
void origin_fail_all(struct paxos_core *c, int err)
{
	struct paxos_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &c->origin.pending, list)
		if (!p->internal)
			origin_complete(c, p->seq, 0, err);
}

/* After skipping trimmed slots, complete what the dedup state says is done. */
void origin_reconcile(struct paxos_core *c)
{
	struct paxos_pending *p, *tmp;

	list_for_each_entry_safe(p, tmp, &c->origin.pending, list)
		if (dedup_seen(&c->learn.dedup, c->cfg.node_id, c->inc, p->seq))
			origin_complete(c, p->seq, 0, 0);
}

static u64 origin_low(struct paxos_core *c)
{
	struct paxos_pending *p;

	p = list_first_entry_or_null(&c->origin.pending, struct paxos_pending,
				     list);
	return p ? p->seq : c->origin.next_seq;
}

/* Node to forward proposals to, 0 if none. */
static u32 origin_target(struct paxos_core *c)
{
	u32 i, n;

	if (is_multi(c))
		return c->prop.leader == c->cfg.node_id ? 0 : c->prop.leader;
	/* Basic mode, non-voting node: any voter runs the phases for us. */
	n = hweight32(c->voters & ~BIT(c->self));
	if (!n)
		return 0;
	n = c->origin.forward_rr++ % n;
	for (i = 0; i < c->nr_peers; i++) {
		if (i == c->self || !(c->voters & BIT(i)))
			continue;
		if (!n--)
			return c->peers[i].id;
	}
	return 0;
}

bool origin_proposes_itself(const struct paxos_core *c)
{
	if (is_multi(c))
		return c->state == PAXOS_CS_LEADER;
	return c->voting && c->state != PAXOS_CS_PROBING;
}

/* Submit pending values not submitted within the retry interval. */
void origin_submit(struct paxos_core *c, bool all)
{
	u64 retry = c->cfg.election_max_ticks, low = origin_low(c);
	struct paxos_pending *p;
	struct paxos_msg_out *m;
	static const struct paxos_ballot zero;
	u32 dest = 0, size = 0, nr = 0, room = PAXOS_BODY_BUDGET;
	u8 *b;

	c->origin.retry_at = c->now + retry;
	if (list_empty(&c->origin.pending) || c->state == PAXOS_CS_PROBING)
		return;
	if (!origin_proposes_itself(c)) {
		dest = origin_target(c);
		if (!dest)
			return;
		/* A vote held for another leader goes on its own. */
		if (c->acc.vote.slots && c->acc.vote.dest != dest)
			vote_flush(c);
		room -= vote_len(c, dest);
	}
again:
	list_for_each_entry(p, &c->origin.pending, list) {
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
		if (size + paxos_wire_entry_size(p->val->len) > room) {
			/* Not even one beside the held vote: that goes alone. */
			if (!nr && room < PAXOS_BODY_BUDGET) {
				vote_flush(c);
				room = PAXOS_BODY_BUDGET;
				goto again;
			}
			break;
		}
		size += paxos_wire_entry_size(p->val->len);
		nr++;
	}
	if (!dest) {
		learner_advance(c);
		return;
	}
	if (!nr)
		return;
	/* The vote held for @dest, if any, in front (room was left). */
	m = vote_msg_new(c, dest, PAXOS_WIRE_FORWARD_LEN + size, &b);
	if (!m)
		return;
	b = paxos_wire_put_forward(b, nr);
	list_for_each_entry(p, &c->origin.pending, list) {
		struct paxos_wire_value w;

		if (!nr)
			break;
		if (!all && p->submitted && p->submitted + retry > c->now)
			continue;
		value_to_wire(p->val, 0, &zero, 0, &w);
		b = paxos_wire_put_entry(b, &w);
		if (!p->submitted)
			c->ctr.forwarded++;
		p->submitted = c->now;
		nr--;
	}
	msg_send(c, m);
}

/* Time out local proposals, whatever state this node is in. */
void origin_expire(struct paxos_core *c)
{
	struct paxos_pending *p;

	/* Pending values are in seq order, so deadlines are ordered too. */
	while ((p = list_first_entry_or_null(&c->origin.pending,
					     struct paxos_pending, list)) &&
	       p->deadline <= c->now)
		origin_complete(c, p->seq, 0, -ETIMEDOUT);
}

void origin_tick(struct paxos_core *c)
{
	origin_expire(c);
	if (c->origin.resubmit) {
		c->origin.resubmit = false;
		origin_submit(c, true);
	} else if (c->now >= c->origin.retry_at) {
		origin_submit(c, false);
	}
}

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
 * max_value_size; -EAGAIN if the local queue is full; -ENOTRECOVERABLE if
 * a majority of voters lost its state; -ENOLINK if this node was removed
 * from the group's configuration; -ECONNREFUSED if this
 * node's "new cluster" was refused; -ENOMEM.
 */
int paxos_core_propose(struct paxos_core *core, const void *value, u32 len,
		       u64 req_id, gfp_t gfp)
{
	struct paxos_core *c = core;

	c->gfp = gfp;
	if (!len)
		return -EINVAL;
	if (len > c->cfg.max_value_size)
		return -EMSGSIZE;
	return origin_add(c, value, len, 0, req_id, false);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_propose);

/*
 * Queue a value (@flags: PAXOS_WE_CONFIG for a configuration change) from
 * this node.  An @internal one (the leader's own change) completes without
 * a completion for the caller.
 */
int origin_add(struct paxos_core *c, const void *value, u32 len, u32 flags,
	       u64 req_id, bool internal)
{
	struct paxos_pending *p, *first;

	if (!internal && (c->flags & PAXOS_STATUS_QUORUM_LOST))
		return -ENOTRECOVERABLE;
	if (!internal && (c->flags & PAXOS_STATUS_REMOVED))
		return -ENOLINK;
	if (!internal && (c->flags & PAXOS_STATUS_REFUSED))
		return -ECONNREFUSED;
	first = list_first_entry_or_null(&c->origin.pending, struct paxos_pending,
					 list);
	if (c->origin.nr_pending >= c->cfg.queue_limit ||
	    (first && c->origin.next_seq >= first->seq + PAXOS_DEDUP_WINDOW))
		return -EAGAIN;
	p = core_alloc(c, sizeof(*p), true);
	if (!p)
		return -ENOMEM;
	/* The completion too, now: once accepted, one always follows. */
	p->comp = core_alloc(c, sizeof(*p->comp), false);
	p->val = value_alloc(c, len);
	if (!p->comp || !p->val) {
		kfree(p->comp);
		kfree(p->val);
		kfree(p);
		return -ENOMEM;
	}
	memcpy(p->val->data, value, len);
	p->internal = internal;
	p->val->flags = flags;
	p->val->origin = c->cfg.node_id;
	p->val->origin_inc = c->inc;
	p->val->seq = c->origin.next_seq++;
	p->seq = p->val->seq;
	p->req_id = req_id;
	p->deadline = c->now + c->cfg.proposal_timeout_ticks;
	list_add_tail(&p->list, &c->origin.pending);
	c->origin.nr_pending++;
	c->origin.nr_internal += internal;
	c->ctr.proposals++;
	/*
	 * A value for the leader waits for the output to be collected, so
	 * that the values of one run of work travel in one FORWARD.
	 */
	if (origin_proposes_itself(c))
		origin_submit(c, false);
	else
		c->origin.unsent = true;
	basic_start(c);
	return 0;
}

/* The output is collected: forward the values proposed since. */
void origin_flush(struct paxos_core *c)
{
	if (!c->origin.unsent)
		return;
	c->origin.unsent = false;
	origin_submit(c, false);
}
