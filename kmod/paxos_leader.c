// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: phase 2, the leader's side (and basic mode's).
 *
 * Owns c->prop's phase 2 state: the next slot, the window of slots in
 * flight, the acks counted per slot and the proposer state range [lo, hi].
 * A leader gives queued values slots, sends them in batched Accepts, counts
 * Accepted until a quorum of voters has the value in our ballot, and
 * retransmits what is not acked; a heartbeat (an empty Accept) carries the
 * commit point and the trim hint.
 *
 * Called from paxos_core_receive(), paxos_core_tick(), the learner (to
 * refill the window) and basic mode; under the caller's lock like all of the
 * core.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <kunit/visibility.h>

#include "paxos_core_int.h"

/* Forget proposer state (phase 1 adoptions, acks) of every slot. */
void proposer_clear_slots(struct paxos_core *c)
{
	u64 s;

	for (s = max(c->prop.lo, c->learn.first_retained); s <= c->prop.hi; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (e)
			slot_clear_proposal(e);
	}
	c->prop.lo = U64_MAX;
	c->prop.hi = 0;
}

void proposer_touch(struct paxos_core *c, u64 s)
{
	c->prop.lo = min(c->prop.lo, s);
	c->prop.hi = max(c->prop.hi, s);
}

/*
 * Send an Accept carrying the slots [lo, hi] we hold in our ballot to the
 * members in @mask.  Slots a member already acked are left out when
 * @only_unacked.  Splits into datagrams by size and batch limit.
 */
void send_accepts(struct paxos_core *c, u64 lo, u64 hi, u32 mask,
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
				    ballot_eq(&e->bal, &c->prop.ballot) &&
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
		int origin = -1;
		u8 *p;

		for (s = start; s <= hi && nr < c->cfg.batch; s++) {
			struct paxos_slot *e = slot_get(c, s);
			u32 sz;

			if (!e || !e->val || !ballot_eq(&e->bal, &c->prop.ballot))
				continue;
			sz = paxos_wire_entry_size(e->val->len);
			if (size + sz > PAXOS_BODY_BUDGET)
				break;
			if (!nr)
				origin = peer_index(c, e->val->origin);
			size += sz;
			nr++;
		}
		if (!nr)
			return;
		m = msg_new(c, 0, PAXOS_MSG_ACCEPT, 0,
			    PAXOS_WIRE_ACCEPT_LEN + size, &p);
		if (!m)
			return;
		p = paxos_wire_put_accept(p, &c->prop.ballot,
					  is_multi(c) ? c->learn.learned : 0,
					  c->learn.trim_hint, nr);
		if (is_multi(c) && mask == all_members(c))
			c->prop.commit_sent = c->learn.learned;
		for (; nr; start++) {
			struct paxos_slot *e = slot_get(c, start);
			struct paxos_wire_value w;

			if (!e || !e->val || !ballot_eq(&e->bal, &c->prop.ballot))
				continue;
			value_to_wire(e->val, start, &e->bal, 0, &w);
			p = paxos_wire_put_entry(p, &w);
			e->last_tx = c->now;
			nr--;
		}
		/*
		 * The node whose value heads the batch first: with three
		 * voters it learns the value as it accepts it, and its writer
		 * waits for that.
		 */
		msg_send_mask_first(c, m, mask, origin);
	}
}

/*
 * An Accept without entries to the members in @mask: a heartbeat, or a
 * commit notice (@flags).
 */
static void send_empty_accept(struct paxos_core *c, u32 flags, u32 mask)
{
	struct paxos_msg_out *m;
	u8 *p;

	if (!(mask & ~BIT(c->self))) {
		c->prop.commit_sent = c->learn.learned;
		return;
	}
	m = msg_new(c, 0, PAXOS_MSG_ACCEPT, flags, PAXOS_WIRE_ACCEPT_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_accept(p, &c->prop.ballot, c->learn.learned,
			      c->learn.trim_hint, 0);
	c->prop.commit_sent = c->learn.learned;
	msg_send_mask(c, m, mask);
}

void send_heartbeat(struct paxos_core *c)
{
	c->prop.heartbeat_at = c->now + c->cfg.heartbeat_ticks;
	send_empty_accept(c, 0, all_members(c));
}

/*
 * The members that learn our slots as they accept them (learner_on_accept()),
 * so that a commit notice tells them nothing: the voters of every
 * configuration that may govern those slots, when our vote and theirs
 * make its quorum.  One that missed an Accept learns from the retransmit,
 * or from the next heartbeat's commit point.
 */
static u32 members_learning_on_accept(const struct paxos_core *c)
{
	u32 mask;

	if (!(c->voters & BIT(c->self)) || c->quorum > 2)
		return 0;
	mask = c->voters;
	if (c->conf.next.effective) {
		if (!(c->next_voters & BIT(c->self)) || c->next_quorum > 2)
			return 0;
		mask &= c->next_voters;
	}
	return mask & ~BIT(c->self);
}

/* A voter accepted in our ballot: record it, and decide. */
static bool proposer_count_ack(struct paxos_core *c, struct paxos_slot *e,
			       u32 idx)
{
	u32 quorum, voters = conf_slot_voters(c, e->slot, &quorum);

	if (!is_multi(c)) {
		voters = c->voters;
		quorum = c->quorum;
	}
	if (!(voters & BIT(idx)))
		return false;
	e->acks |= BIT(idx);
	if (hweight32(e->acks & voters) < quorum)
		return false;
	e->flags |= SLOT_CHOSEN;
	return true;
}

/* Propose @v (owned) in @s under our ballot; our own acceptor votes first. */
bool proposer_propose(struct paxos_core *c, u64 s, struct paxos_value *v)
{
	struct paxos_slot *e;

	/*
	 * Multi: only a leader proposes, and only in slots whose
	 * configuration a quorum of promised (phase 1 for it).  Anything else
	 * is a bug that could choose two values: refuse, loudly.
	 */
	if (WARN_ON_ONCE(is_multi(c) &&
			 (c->state != PAXOS_CS_LEADER || conf_covered(c, s)))) {
		kfree(v);
		return false;
	}
	e = slot_get_or_create(c, s);
	if (!e || !acceptor_admit(c, &c->prop.ballot)) {
		kfree(v);
		return false;
	}
	proposer_touch(c, s);
	e->acks = 0;
	acceptor_accept(c, e, &c->prop.ballot, v);
	e->last_tx = c->now;
	if (!(e->flags & SLOT_CHOSEN))
		proposer_count_ack(c, e, c->self);
	return true;
}

/*
 * A chosen change waits for its slot: with nothing else to propose, no-ops
 * bring it into force (an idle log would never reach it).
 */
static bool leader_pushes_config(const struct paxos_core *c)
{
	return c->conf.next.effective &&
	       c->prop.next_slot < c->conf.next.effective;
}

/*
 * The value for the next slot: what phase 1 found there (or a no-op, up to
 * the last slot phase 1 found anything in), else a queued value.  NULL: none
 * (or no memory).
 */
static struct paxos_value *leader_next_value(struct paxos_core *c)
{
	struct paxos_slot *e = slot_get(c, c->prop.next_slot);
	struct paxos_value *v;

	if (c->prop.next_slot <= c->prop.p1_max) {
		if (e && e->pval) {
			v = e->pval;
			e->pval = NULL;
			return v;
		}
		return value_alloc(c, 0);
	}
	v = proposer_dequeue(c);
	if (v)
		conf_resolve(c, v);
	else if (leader_pushes_config(c))
		v = value_alloc(c, 0);
	return v;
}

/* Leader: give queued values slots, within the window, batched. */
bool proposer_fill_window(struct paxos_core *c)
{
	u64 first;
	int cover;

	if (c->state != PAXOS_CS_LEADER || c->prop.starting ||
	    (list_empty(&c->prop.queue) && c->prop.next_slot > c->prop.p1_max &&
	     !leader_pushes_config(c)))
		return false;
	first = c->prop.next_slot;
	/* A ring that cannot grow leaves the values queued, for a retry. */
	while (c->prop.next_slot <= c->learn.learned + c->cfg.window &&
	       (!list_empty(&c->prop.queue) ||
		c->prop.next_slot <= c->prop.p1_max ||
		leader_pushes_config(c)) &&
	       ring_reserve(c, c->prop.next_slot)) {
		struct paxos_value *v;

		/*
		 * A configuration whose quorum did not promise: wait for it to
		 * be in force (its quorum may be gone: slots before it can
		 * still be chosen), then phase 1 with it.
		 */
		cover = conf_covered(c, c->prop.next_slot);
		if (cover) {
			/* Maybe our promises make a quorum of it already. */
			conf_cover(c);
			cover = conf_covered(c, c->prop.next_slot);
		}
		if (cover > 0)
			break;
		if (cover < 0) {
			c->prop.unsent_lo = 0;
			c->prop.outcome = ELECTION_FRESH;
			candidate_start(c);
			return false;
		}
		if (slot_chosen(c, c->prop.next_slot)) {
			c->prop.next_slot++;
			continue;
		}
		v = leader_next_value(c);
		if (!v)
			break;
		if (!proposer_propose(c, c->prop.next_slot, v)) {
			step_down(c);
			return false;
		}
		c->prop.next_slot++;
	}
	if (c->prop.next_slot == first)
		return false;
	/* Sent when the output is collected: one batch per caller's run. */
	c->prop.unsent_lo = min(c->prop.unsent_lo ?: first, first);
	return true;
}

/*
 * The output is collected: send the Accepts of the slots filled since (in
 * as few datagrams as the batch allows, carrying the commit point), or
 * else tell the members of slots decided since (a commit notice).
 */
void leader_flush(struct paxos_core *c)
{
	u64 lo = c->prop.unsent_lo;

	c->prop.unsent_lo = 0;
	if (c->state != PAXOS_CS_LEADER)
		return;
	if (lo && lo < c->prop.next_slot)
		send_accepts(c, lo, c->prop.next_slot - 1, all_members(c),
			     false);
	/*
	 * Without this, a follower's lone value would wait for the next
	 * heartbeat to be known chosen (but for followers that learned it as
	 * they accepted it).
	 */
	if (c->prop.commit_sent < c->learn.learned)
		send_empty_accept(c, PAXOS_WF_ACCEPT_COMMIT,
				  all_members(c) &
				  ~members_learning_on_accept(c));
}

void proposer_on_accepted(struct paxos_core *c, u32 idx,
			  const struct paxos_wire_msg *msg)
{
	bool decided = false;
	u32 i;

	if (!ballot_eq(&msg->ballot, &c->prop.ballot) ||
	    !(msg->flags & PAXOS_WF_ACCEPTED_VOTER))
		return;
	if (c->state != PAXOS_CS_LEADER &&
	    !(c->basic.phase == BASIC_PHASE2))
		return;
	for (i = 0; i < msg->nr; i++) {
		u64 s = paxos_wire_get_slot(msg->entries, i);
		struct paxos_slot *e = slot_get(c, s);

		if (!e || !e->val || (e->flags & SLOT_CHOSEN) ||
		    !ballot_eq(&e->bal, &c->prop.ballot))
			continue;
		decided |= proposer_count_ack(c, e, idx);
	}
	/* The members hear of it at leader_flush(), with what follows. */
	if (decided)
		learner_advance(c);
}

void proposer_on_reject(struct paxos_core *c,
			const struct paxos_wire_msg *msg)
{
	c->prop.max_round = max(c->prop.max_round, msg->promised.round);
	if (!ballot_eq(&msg->ballot, &c->prop.ballot) ||
	    ballot_cmp(&msg->promised, &c->prop.ballot) <= 0)
		return;
	c->ctr.rejects_received++;
	if (is_multi(c))
		step_down(c);
	else if (c->basic.phase != BASIC_IDLE)
		basic_finish(c, true);
}

void leader_tick(struct paxos_core *c)
{
	if (!conf_leader_heard(c)) {
		step_down(c);
		return;
	}
	if (c->now >= c->prop.heartbeat_at) {
		update_trim_hint(c);
		trim_log(c);
		send_heartbeat(c);
		conf_leader_tick(c);
		proposer_fill_window(c);
		if (c->state != PAXOS_CS_LEADER)
			return;
	}
	if (c->now >= c->prop.retransmit_at) {
		u64 lo = c->learn.learned + 1;

		c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
		if (lo < c->prop.next_slot)
			send_accepts(c, lo, c->prop.next_slot - 1,
				     c->voters | c->next_voters, true);
	}
}

/**
 * paxos_core_leader() - the leader this node currently follows
 * @core: the core
 *
 * Return: node id, 0 if none is known (always 0 in basic mode).
 */
u32 paxos_core_leader(const struct paxos_core *core)
{
	return core->prop.leader;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_leader);
