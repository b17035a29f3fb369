// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: basic mode.
 *
 * Basic Paxos, one attempt at a time per voter: phase 1 and phase 2 for a
 * run of up to @batch consecutive slots starting at the first slot this node
 * does not know to be chosen, one instance of the synod protocol per slot.
 * Competing proposers reject each other's lower ballots and back off for a
 * random time.  No leader, no commit point: a proposer that sees its values
 * chosen tells everyone with LEARN; STATUS gossip drives catch-up.
 *
 * Owns c->basic, the attempt in progress.  Called from paxos_core_receive(),
 * paxos_core_tick() and paxos_core_propose(); under the caller's lock like
 * all of the core.
 */
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "paxos_core_int.h"

static bool basic_in_range(const struct paxos_core *c, u64 s)
{
	return s >= c->basic.slot && s < c->basic.slot + c->basic.count;
}

/*
 * Another proposer's attempt is going on (its PREPARE or ACCEPT was just
 * admitted here): start none of ours for a randomized while, so that it can
 * finish.  Backing off once is not enough when an attempt lasts longer than
 * the backoff (big values fetched page by page): the two would preempt each
 * other for ever.  With values of our own waiting, we yield to one attempt
 * of theirs, not to the next one too: a busy proposer cannot starve us.
 */
void basic_yield(struct paxos_core *c, const struct paxos_ballot *theirs)
{
	if (is_multi(c) || theirs->node == c->cfg.node_id)
		return;
	if (c->basic.yielded.round && !ballot_eq(&c->basic.yielded, theirs) &&
	    !list_empty(&c->prop.queue))
		return;
	c->basic.yielded = *theirs;
	c->basic.backoff = max(c->basic.backoff,
			       c->now + core_rand_range(c, c->cfg.election_min_ticks,
							c->cfg.election_max_ticks));
}

void basic_finish(struct paxos_core *c, bool backoff)
{
	struct paxos_value *v, *tmp;
	u64 s;

	/* Our values go back to the head of the queue unless they made it. */
	list_for_each_entry_safe_reverse(v, tmp, &c->basic.own, list) {
		bool chosen = false;

		for (s = c->basic.slot; s < c->basic.slot + c->basic.count; s++) {
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
			list_add(&v->list, &c->prop.queue);
			c->prop.queued++;
		}
	}
	proposer_clear_slots(c);
	c->basic.phase = BASIC_IDLE;
	if (backoff)
		c->basic.backoff = c->now + core_rand_range(c,
				c->cfg.election_min_ticks,
				c->cfg.election_max_ticks);
}

/* Tell every member about the slots of our attempt that are chosen. */
static void basic_broadcast_chosen(struct paxos_core *c)
{
	u64 s, start = c->basic.slot, end = c->basic.slot + c->basic.count;
	struct paxos_msg_out *m;
	u32 size, nr;
	u8 *p;

	/* In as many datagrams as the values need. */
	while (start < end) {
		size = 0;
		nr = 0;
		for (s = start; s < end; s++) {
			u32 sz;

			if (!slot_chosen(c, s))
				continue;
			sz = paxos_wire_entry_size(slot_get(c, s)->val->len);
			if (size + sz > PAXOS_BODY_BUDGET)
				break;
			size += sz;
			nr++;
		}
		if (!nr)
			return;
		m = msg_new(c, 0, PAXOS_MSG_LEARN, 0,
			    PAXOS_WIRE_LEARN_LEN + size, &p);
		if (!m)
			return;
		p = paxos_wire_put_learn(p, c->learn.first_retained,
					 c->learn.learned, nr, 0);
		for (; nr; start++) {
			struct paxos_slot *e = slot_get(c, start);
			struct paxos_wire_value w;

			if (!slot_chosen(c, start))
				continue;
			value_to_wire(e->val, start, &e->bal, PAXOS_WE_CHOSEN,
				      &w);
			p = paxos_wire_put_entry(p, &w);
			nr--;
		}
		msg_send_mask(c, m, all_members(c));
	}
}

/* Is every slot of the attempt decided?  Then announce and finish. */
void basic_check_chosen(struct paxos_core *c)
{
	u64 s;

	if (c->basic.phase == BASIC_IDLE)
		return;
	for (s = c->basic.slot; s < c->basic.slot + c->basic.count; s++)
		if (!slot_chosen(c, s))
			return;
	if (c->basic.phase == BASIC_PHASE2)
		basic_broadcast_chosen(c);
	basic_finish(c, false);
	learner_advance(c);
}

static void basic_phase2(struct paxos_core *c)
{
	u64 s, end = c->basic.slot + c->basic.count;

	c->basic.phase = BASIC_PHASE2;
	for (s = c->basic.slot; s < end; s++) {
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
				list_add_tail(&own->list, &c->basic.own);
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
	send_accepts(c, c->basic.slot, end - 1, c->voters, false);
	basic_check_chosen(c);
}

void basic_start(struct paxos_core *c)
{
	u64 s = c->learn.learned + 1;
	u32 i;

	if (is_multi(c) || !c->voting || c->state == PAXOS_CS_PROBING ||
	    c->basic.phase != BASIC_IDLE || list_empty(&c->prop.queue) ||
	    c->now < c->basic.backoff)
		return;
	while (slot_chosen(c, s))
		s++;
	if (!slot_in_ring(c, s))
		return;
	c->basic.count = min(c->prop.queued, c->cfg.batch);
	while (c->basic.count > 1 && !slot_in_ring(c, s + c->basic.count - 1))
		c->basic.count--;
	if (!new_ballot(c)) {
		c->basic.backoff = c->now + c->cfg.election_max_ticks;
		return;
	}
	c->basic.phase = BASIC_PHASE1;
	c->basic.yielded = (struct paxos_ballot){};
	c->basic.slot = s;
	c->basic.deadline = c->now + c->cfg.election_max_ticks;
	c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
	c->prop.p1_from = s;
	c->prop.p1_max = 0;
	c->prop.p1_done = BIT(c->self);
	if (!candidate_merge_own(c, s, s + c->basic.count - 1)) {
		basic_finish(c, true);
		return;
	}
	for (i = 0; i < c->nr_peers; i++) {
		c->peers[i].p1_next = s;
		if (i != c->self && (c->voters & BIT(i)))
			send_prepare(c, c->peers[i].id, s, s + c->basic.count - 1);
	}
	if (hweight32(c->prop.p1_done) >= c->quorum)
		basic_phase2(c);
}

void basic_on_promise(struct paxos_core *c, u32 idx,
		      const struct paxos_wire_msg *msg)
{
	struct paxos_peer *peer = &c->peers[idx];
	u64 last = c->basic.slot + c->basic.count - 1;
	const u8 *p = msg->entries;
	u32 i;

	if (c->basic.phase != BASIC_PHASE1 ||
	    !ballot_eq(&msg->ballot, &c->prop.ballot) ||
	    msg->from != peer->p1_next ||
	    !(c->voters & BIT(idx)) || (c->prop.p1_done & BIT(idx)))
		return;
	if (msg->first_retained > c->basic.slot) {
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
	if (!(msg->flags & PAXOS_WF_PROMISE_LAST) && msg->to < last) {
		/*
		 * One page of several: ask for the rest of the range, and
		 * give the attempt time for it (a page is progress; without
		 * this, big values in a slow network never get past phase 1).
		 */
		peer->p1_next = msg->to + 1;
		send_prepare(c, peer->id, peer->p1_next, last);
		c->basic.deadline = max(c->basic.deadline,
					c->now + c->cfg.election_max_ticks);
		return;
	}
	c->prop.p1_done |= BIT(idx);
	if (hweight32(c->prop.p1_done & c->voters) >= c->quorum)
		basic_phase2(c);
}

void basic_tick(struct paxos_core *c)
{
	if (c->now >= c->prop.heartbeat_at) {
		c->prop.heartbeat_at = c->now + c->cfg.heartbeat_ticks;
		update_trim_hint(c);
		send_status(c);
	}
	if (c->basic.phase == BASIC_IDLE) {
		basic_start(c);
		return;
	}
	if (c->now >= c->basic.deadline) {
		basic_finish(c, true);
		return;
	}
	if (c->now < c->prop.retransmit_at)
		return;
	c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
	if (c->basic.phase == BASIC_PHASE1) {
		u32 i;

		for (i = 0; i < c->nr_peers; i++)
			if (i != c->self && (c->voters & ~c->prop.p1_done & BIT(i)))
				send_prepare(c, c->peers[i].id,
					     c->peers[i].p1_next,
					     c->basic.slot + c->basic.count - 1);
	} else {
		send_accepts(c, c->basic.slot,
			     c->basic.slot + c->basic.count - 1, c->voters, true);
	}
}
