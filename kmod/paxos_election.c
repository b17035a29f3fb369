// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: Multi-Paxos phase 1, who leads.
 *
 * Owns this node's role (follower, candidate, leader: c->state), the known
 * leader and the election timer.  A follower whose timer fires becomes a
 * candidate: new ballot, Prepare over the whole log suffix, merge of the
 * promises (paged, see PAXOS_WF_PROMISE_LAST); with a quorum it becomes
 * leader, re-proposes what phase 1 found and fills the holes with no-ops.
 *
 * Called from paxos_core_receive() and paxos_core_tick(), and by the other
 * roles when they see a higher ballot (step_down()); basic mode reuses the
 * ballot and merge helpers.  Under the caller's lock like all of the core.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include "paxos_core_int.h"

void core_set_state(struct paxos_core *c, u32 state)
{
	if (c->state != state)
		c->out.events |= PAXOS_EVENT_STATE;
	c->state = state;
}

void core_set_leader(struct paxos_core *c, u32 leader)
{
	if (c->prop.leader == leader)
		return;
	c->prop.leader = leader;
	if (leader) {
		c->prop.outcome = ELECTION_ELECTED;
		c->prop.leader_since = c->now;
	}
	c->out.events |= PAXOS_EVENT_LEADER;
	c->ctr.leader_changes++;
	/* Pending values went to the old leader: retry them at once. */
	if (leader)
		c->origin.resubmit = true;
}

void election_timer_reset(struct paxos_core *c)
{
	u32 b = c->prop.backoff;
	u32 lo = min_t(u64, (u64)c->cfg.election_min_ticks << b, U32_MAX / 2);
	u32 hi = min_t(u64, (u64)c->cfg.election_max_ticks << b, U32_MAX / 2);

	c->prop.election_at = c->now + core_rand_range(c, lo, hi);
}

/* How long a leader must last to count as stable, in ticks. */
static u64 election_stable_ticks(const struct paxos_core *c)
{
	return ((u64)ELECTION_STABLE * c->cfg.election_max_ticks) <<
	       c->prop.backoff;
}

/*
 * A candidacy starts: if the last one elected nobody, or its leader did not
 * last, elections are failing here (peers too slow for the timeouts, or
 * candidates duelling): back off.
 */
static void election_backoff(struct paxos_core *c)
{
	bool failed = c->prop.outcome == ELECTION_PENDING ||
		      (c->prop.outcome == ELECTION_ELECTED &&
		       c->now - c->prop.leader_since <
		       (u64)ELECTION_STABLE * c->cfg.election_max_ticks);

	if (failed && c->prop.backoff < ELECTION_BACKOFF_MAX)
		c->prop.backoff++;
	c->prop.outcome = ELECTION_PENDING;
}

/* Called every tick: a leader that lasted brings the timeouts back. */
void election_settle(struct paxos_core *c)
{
	if (c->prop.backoff && c->prop.leader &&
	    c->now - c->prop.leader_since >= election_stable_ticks(c))
		c->prop.backoff = 0;
}

void step_down(struct paxos_core *c)
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

/*
 * A ballot above every round seen, promised by our own acceptor.  Return:
 * false if there is none (a round of U32_MAX was seen: no higher ballot
 * exists, and wrapping around would lower our own promise).
 */
bool new_ballot(struct paxos_core *c)
{
	c->prop.max_round = max3(c->prop.max_round, c->acc.promised.round,
				 c->prop.ballot.round);
	if (c->prop.max_round == U32_MAX)
		return false;
	c->prop.ballot.round = ++c->prop.max_round;
	c->prop.ballot.node = c->cfg.node_id;
	/* Our own acceptor promises first. */
	c->acc.promised = c->prop.ballot;
	c->ctr.elections++;
	return true;
}

void send_prepare(struct paxos_core *c, u32 dest, u64 from, u64 to)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_PREPARE, 0, PAXOS_WIRE_PREPARE_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_prepare(p, &c->prop.ballot, from, to);
	msg_send(c, m);
}

/* Adopt what a promise (or our own acceptor) reports for one slot. */
bool candidate_merge(struct paxos_core *c, const struct paxos_wire_value *w)
{
	struct paxos_slot *e;
	struct paxos_value *v;

	if (w->slot <= c->learn.learned)
		return true;
	e = slot_get_or_create(c, w->slot);
	if (!e)
		return false;
	if (e->flags & SLOT_CHOSEN)
		return true;
	proposer_touch(c, w->slot);
	c->prop.p1_max = max(c->prop.p1_max, w->slot);
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

/*
 * Our own acceptor's promise: what it accepted in [@from, @to].  Return:
 * false if a value could not be adopted (no memory).  The attempt must then
 * be abandoned: going on would fill that slot with something else.
 */
bool candidate_merge_own(struct paxos_core *c, u64 from, u64 to)
{
	u64 s;

	for (s = from; s <= min(to, c->learn.max_held); s++) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		if (!e || !e->val)
			continue;
		value_to_wire(e->val, s, &e->bal,
			      e->flags & SLOT_CHOSEN ? PAXOS_WE_CHOSEN : 0, &w);
		if (!candidate_merge(c, &w))
			return false;
	}
	return true;
}

static void leader_start(struct paxos_core *c)
{
	u64 s, last;

	/*
	 * What the promises said was chosen is delivered first, while we are
	 * still a candidate: it may bring into force a configuration we do
	 * not vote in (we stepped down), that removes us, or that our
	 * promises do not cover (phase 1 again, with it).  Proposing on would
	 * put values in its slots that no quorum of it promised.
	 */
	learner_advance(c);
	if (c->state != PAXOS_CS_CANDIDATE)
		return;
	if (c->flags & PAXOS_STATUS_REMOVED) {
		step_down(c);
		return;
	}
	conf_cover(c);
	if (conf_covered(c, c->learn.learned + 1)) {
		/* Not a failed election: no backoff. */
		c->prop.outcome = ELECTION_FRESH;
		candidate_start(c);
		return;
	}
	core_set_state(c, PAXOS_CS_LEADER);
	core_set_leader(c, c->cfg.node_id);
	c->ctr.elections_won++;
	/* Nothing for proposer_fill_window() until next_slot is set below. */
	c->prop.starting = true;
	/*
	 * Re-propose what phase 1 found, fill the holes with no-ops, within
	 * the window (the configuration of a slot further on may not be known
	 * yet): proposer_fill_window() goes on from there.
	 */
	last = min(max(c->prop.p1_max, c->learn.learned),
		   c->learn.learned + c->cfg.window);
	/* Not into the next configuration's slots without its promises. */
	if (c->conf.next.effective && !c->prop.p1_conf[1])
		last = min(last, c->conf.next.effective - 1);
	for (s = c->learn.learned + 1; s <= last; s++) {
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
		if (!proposer_propose(c, s, v))
			break;
	}
	c->prop.starting = false;
	if (s <= last) {
		/* Out of memory (or deposed): we cannot lead with holes. */
		step_down(c);
		return;
	}
	c->prop.next_slot = last + 1;
	send_accepts(c, c->learn.learned + 1, last, all_members(c), false);
	learner_advance(c);
	/* A lone voter's slots are chosen at once: a change may demote it. */
	if (c->state != PAXOS_CS_LEADER)
		return;
	proposer_fill_window(c);
	send_heartbeat(c);
	c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
	origin_submit(c, true);
}

void candidate_start(struct paxos_core *c)
{
	u32 i;

	if (c->flags & PAXOS_STATUS_REMOVED) {
		/* Leaving the group: the others elect among themselves. */
		step_down(c);
		election_timer_reset(c);
		return;
	}
	proposer_clear_slots(c);
	proposer_drop_queue(c);
	election_backoff(c);
	if (!new_ballot(c)) {
		step_down(c);
		election_timer_reset(c);
		return;
	}
	core_set_state(c, PAXOS_CS_CANDIDATE);
	core_set_leader(c, 0);
	c->prop.p1_from = c->learn.learned + 1;
	c->prop.p1_max = c->learn.learned;
	c->prop.p1_done = BIT(c->self);
	if (!candidate_merge_own(c, c->prop.p1_from, U64_MAX)) {
		step_down(c);
		return;
	}
	election_timer_reset(c);
	c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
	/*
	 * Promises from a quorum of the configuration in force (and of the
	 * next one, whose voters are asked too, before proposing in its slots).
	 */
	for (i = 0; i < c->nr_peers; i++) {
		c->peers[i].p1_next = c->prop.p1_from;
		if (i != c->self && ((c->voters | c->next_voters) & BIT(i)))
			send_prepare(c, c->peers[i].id, c->prop.p1_from, U64_MAX);
	}
	if (conf_promised(c, c->prop.p1_done, false))
		leader_start(c);
}

void candidate_on_promise(struct paxos_core *c, u32 idx,
			  const struct paxos_wire_msg *msg)
{
	struct paxos_peer *peer = &c->peers[idx];
	const u8 *p = msg->entries;
	u32 i;

	if (c->state != PAXOS_CS_CANDIDATE ||
	    !ballot_eq(&msg->ballot, &c->prop.ballot) ||
	    msg->from != peer->p1_next ||
	    (c->prop.p1_done & BIT(idx)) ||
	    !((c->voters | c->next_voters) & BIT(idx)))
		return;
	if (msg->first_retained > c->prop.p1_from) {
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
		/* A page is progress: wait for the next before starting over. */
		peer->p1_next = msg->to + 1;
		send_prepare(c, peer->id, peer->p1_next, U64_MAX);
		c->prop.election_at = max(c->prop.election_at,
					  c->now + c->cfg.election_max_ticks);
		return;
	}
	c->prop.p1_done |= BIT(idx);
	if (conf_promised(c, c->prop.p1_done, false))
		leader_start(c);
}

void candidate_tick(struct paxos_core *c)
{
	u32 i;

	if (c->now >= c->prop.election_at) {
		candidate_start(c);
		return;
	}
	if (c->now < c->prop.retransmit_at)
		return;
	c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
	for (i = 0; i < c->nr_peers; i++)
		if (i != c->self &&
		    ((c->voters | c->next_voters) & ~c->prop.p1_done & BIT(i)))
			send_prepare(c, c->peers[i].id, c->peers[i].p1_next,
				     U64_MAX);
}
