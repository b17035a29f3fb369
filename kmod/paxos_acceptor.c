// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the acceptor.
 *
 * Owns c->acc, the ballot this node promised, and decides what enters the
 * slot ring as accepted: answers Prepare with a (paged) Promise or a Reject,
 * and Accept with Accepted.  A node that does not vote (a learner) takes
 * Accepts too, to follow the leader, but answers only heartbeats.
 *
 * Called from paxos_core_receive() and by our own proposer, which votes
 * through acceptor_admit() and acceptor_accept(); under the caller's lock
 * like all of the core.
 */
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_core_int.h"

/*
 * The acceptor's rule for a ballot in Accept: take it unless we promised a
 * higher one.  Return: true if accepted (and the promise raised to it).
 */
bool acceptor_admit(struct paxos_core *c, const struct paxos_ballot *b)
{
	if (ballot_cmp(b, &c->acc.promised) < 0)
		return false;
	c->acc.promised = *b;
	c->prop.max_round = max(c->prop.max_round, b->round);
	return true;
}

/* Accept @v (owned) for @e in ballot @b after acceptor_admit(). */
void acceptor_accept(struct paxos_core *c, struct paxos_slot *e,
		     const struct paxos_ballot *b, struct paxos_value *v)
{
	if (e->flags & SLOT_CHOSEN) {
		/* Same value by the Paxos invariant; keep ours. */
		kfree(v);
		return;
	}
	slot_store(c, e, b, v);
}

static void send_reject(struct paxos_core *c, u32 dest,
			const struct paxos_ballot *refused)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_REJECT, 0, PAXOS_WIRE_REJECT_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_reject(p, refused, &c->acc.promised);
	c->ctr.rejects_sent++;
	msg_send(c, m);
}

/* What an ACCEPTED says of its sender, as of now. */
static u32 accepted_flags(const struct paxos_core *c)
{
	return (c->voting ? PAXOS_WF_ACCEPTED_VOTER : 0) |
	       (c->admitted ? PAXOS_WF_ADMITTED : 0);
}

static void send_accepted(struct paxos_core *c, u32 dest, u32 flags,
			  const struct paxos_ballot *bal, const u64 *slots,
			  u32 nr)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_ACCEPTED, flags,
		    PAXOS_WIRE_ACCEPTED_LEN + nr * PAXOS_WIRE_SLOT_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_accepted(p, bal, c->learn.learned,
				c->learn.first_retained, slots, nr);
	msg_send(c, m);
}

/*
 * A held vote.  A follower that learned its own values (and only its own)
 * as it accepted them (learner_on_accept()) has a writer that is done and
 * most likely about to propose again: its vote then only tells the leader
 * what the other follower's vote tells it as well.  It is held back, to
 * leave with the next FORWARD to the same leader in one datagram (an
 * ACCEPTED with PAXOS_WF_ACCEPTED_FORWARD, origin_submit()), or alone at
 * the next Accept or tick, whichever comes first: the datagram and the
 * leader's wakeup it spares are most of what a lone write at a follower
 * waited for after its value was learned.
 *
 * vote_may_hold() decides, before the slots are learned: every slot must
 * be new (above @learned) and be decided by a configuration in which the
 * leader has a quorum of voters without us.  Learning them may bring the
 * next configuration into force (conf_learned()), whose voters are not
 * the ones that decide these slots.  Voters are counted as configured,
 * not as heard: with the other one down, the leader learns our value at
 * our next FORWARD, Accept answer or tick (PAXOS_TICK_MS), whichever is
 * first.
 */
static bool vote_may_hold(const struct paxos_core *c, const u64 *slots,
			  u32 nr)
{
	u32 voters, quorum, i;

	if (!c->voting || !nr)
		return false;
	for (i = 0; i < nr; i++) {
		if (slots[i] <= c->learn.learned)
			return false;
		voters = conf_slot_voters(c, slots[i], &quorum);
		if (hweight32(voters & ~BIT(c->self)) < quorum)
			return false;
	}
	return true;
}

/* Hold the vote vote_may_hold() allowed, if its slots are all learned. */
static bool vote_hold(struct paxos_core *c, u32 dest, u32 flags,
		      const struct paxos_ballot *bal, u64 *slots, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (slots[i] > c->learn.learned)
			return false;
	c->acc.vote.slots = slots;
	c->acc.vote.nr = nr;
	c->acc.vote.dest = dest;
	c->acc.vote.flags = flags;
	c->acc.vote.bal = *bal;
	return true;
}

/* Send the held vote, if any, on its own. */
void vote_flush(struct paxos_core *c)
{
	struct pxc_vote *v = &c->acc.vote;

	if (!v->slots)
		return;
	send_accepted(c, v->dest, v->flags, &v->bal, v->slots, v->nr);
	vote_drop(c);
}

void vote_drop(struct paxos_core *c)
{
	kfree(c->acc.vote.slots);
	memset(&c->acc.vote, 0, sizeof(c->acc.vote));
}

/* Bytes the held vote adds to a FORWARD to @dest (0: none held for it). */
u32 vote_len(const struct paxos_core *c, u32 dest)
{
	const struct pxc_vote *v = &c->acc.vote;

	if (!v->slots || v->dest != dest)
		return 0;
	return PAXOS_WIRE_ACCEPTED_LEN + v->nr * PAXOS_WIRE_SLOT_LEN;
}

/*
 * Start a FORWARD to @dest of @size body bytes with the held vote in front
 * of it when there is one for @dest, else a plain FORWARD; *@p is where
 * paxos_wire_put_forward() goes.
 */
struct paxos_msg_out *vote_msg_new(struct paxos_core *c, u32 dest, u32 size,
				   u8 **p)
{
	struct pxc_vote *v = &c->acc.vote;
	u32 extra = vote_len(c, dest);
	struct paxos_msg_out *m;

	if (!extra)
		return msg_new(c, dest, PAXOS_MSG_FORWARD, 0, size, p);
	m = msg_new(c, dest, PAXOS_MSG_ACCEPTED,
		    v->flags | PAXOS_WF_ACCEPTED_FORWARD, extra + size, p);
	if (!m)
		return NULL;
	*p = paxos_wire_put_accepted(*p, &v->bal, c->learn.learned,
				     c->learn.first_retained, v->slots, v->nr);
	vote_drop(c);
	return m;
}

/* Build and send one promise page to @dest, starting at @from. */
static void acceptor_send_promise(struct paxos_core *c, u32 dest, u64 from,
				  u64 to)
{
	u64 s, end = min(to, c->learn.max_held), covered;
	struct paxos_msg_out *m;
	u32 size = 0, nr = 0, flags = PAXOS_WF_PROMISE_LAST;
	u8 *p;

	/* Slots below first_retained are trimmed: the candidate must catch up. */
	if (from < c->learn.first_retained)
		end = 0;
	for (s = from; s <= end; s++) {
		struct paxos_slot *e = slot_get(c, s);
		u32 sz;

		if (!e || !e->val)
			continue;
		sz = paxos_wire_entry_size(e->val->len);
		if (size + sz > PAXOS_BODY_BUDGET) {
			flags = 0;
			break;
		}
		size += sz;
		nr++;
	}
	covered = flags ? U64_MAX : s - 1;
	if (c->admitted)
		flags |= PAXOS_WF_ADMITTED;
	m = msg_new(c, dest, PAXOS_MSG_PROMISE, flags,
		    PAXOS_WIRE_PROMISE_LEN + size, &p);
	if (!m)
		return;
	p = paxos_wire_put_promise(p, &c->acc.promised, from, covered,
				   c->learn.learned, c->learn.first_retained,
				   nr);
	for (s = from; nr; s++) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		if (!e || !e->val)
			continue;
		value_to_wire(e->val, s, &e->bal,
			      e->flags & SLOT_CHOSEN ? PAXOS_WE_CHOSEN : 0, &w);
		p = paxos_wire_put_entry(p, &w);
		nr--;
	}
	msg_send(c, m);
}

void acceptor_on_prepare(struct paxos_core *c, u32 from_idx,
			 const struct paxos_wire_msg *msg)
{
	u32 sender = c->peers[from_idx].id;

	if (!c->voting)
		return;
	if (ballot_cmp(&msg->ballot, &c->acc.promised) < 0) {
		send_reject(c, sender, &msg->ballot);
		return;
	}
	c->acc.promised = msg->ballot;
	c->prop.max_round = max(c->prop.max_round, msg->ballot.round);
	if (ballot_cmp(&c->prop.ballot, &msg->ballot) < 0) {
		step_down(c);
		/* A competing basic proposer: back off and let it finish. */
		if (!is_multi(c) && c->basic.phase != BASIC_IDLE)
			basic_finish(c, true);
	}
	if (is_multi(c))
		election_timer_reset(c);
	basic_yield(c, &msg->ballot);
	acceptor_send_promise(c, sender, msg->from, msg->to);
}

void on_accept(struct paxos_core *c, u32 idx,
	       const struct paxos_wire_msg *msg)
{
	u32 sender = c->peers[idx].id, nr_acked = 0, flags;
	const u8 *p = msg->entries;
	bool answer, own, hold;
	u64 *acked = NULL;
	u32 i;

	/* A vote held back goes before any answer to any Accept. */
	vote_flush(c);
	if (c->voting && !acceptor_admit(c, &msg->ballot)) {
		send_reject(c, sender, &msg->ballot);
		return;
	}
	if (!c->voting) {
		/*
		 * A learner follows the highest leader's ballot it has seen
		 * (not its own promise: a demoted voter's last candidacy may
		 * be above every leader's to come).
		 */
		if (ballot_cmp(&msg->ballot, &c->acc.follow) < 0)
			return;
		c->acc.follow = msg->ballot;
	} else if (ballot_cmp(&c->prop.ballot, &msg->ballot) < 0) {
		step_down(c);
	}
	if (c->voting)
		basic_yield(c, &msg->ballot);
	if (is_multi(c)) {
		core_set_leader(c, sender);
		election_timer_reset(c);
		c->learn.trim_hint = max(c->learn.trim_hint, msg->trim);
	}
	if (msg->nr && c->voting) {
		acked = core_alloc(c, msg->nr * sizeof(*acked), false);
		if (!acked)
			return;
	}
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;
		struct paxos_slot *e;
		struct paxos_value *v;

		p = paxos_wire_get_entry(p, &w);
		if (w.slot <= c->learn.learned) {
			/* Chosen: the ballot's value is the chosen one. */
			if (acked)
				acked[nr_acked++] = w.slot;
			continue;
		}
		e = slot_get_or_create(c, w.slot);
		if (!e)
			continue;
		if (!c->voting && e->val &&
		    ballot_cmp(&e->bal, &msg->ballot) > 0)
			continue;
		v = value_from_wire(c, &w);
		if (!v)
			continue;
		acceptor_accept(c, e, &msg->ballot, v);
		if (acked)
			acked[nr_acked++] = w.slot;
	}
	/* A commit notice asks for no answer; a heartbeat does. */
	answer = acked || (!msg->nr && !(msg->flags & PAXOS_WF_ACCEPT_COMMIT));
	flags = accepted_flags(c);
	/* Values of ours only (our writers wait): it may be held. */
	own = is_multi(c) && nr_acked;
	for (i = 0; own && i < nr_acked; i++) {
		const struct paxos_slot *e = slot_get(c, acked[i]);

		own = e && e->val && e->val->origin == c->cfg.node_id &&
		      e->val->origin_inc == c->inc;
	}
	/* Decided before learning moves the configuration on. */
	hold = own && vote_may_hold(c, acked, nr_acked);
	if (answer && !own)
		send_accepted(c, sender, flags, &msg->ballot, acked, nr_acked);
	if (is_multi(c)) {
		if (nr_acked)
			learner_on_accept(c, idx, &msg->ballot);
		learner_apply_commit(c, msg->commit, &msg->ballot, sender);
	}
	if (own) {
		if (hold &&
		    vote_hold(c, sender, flags, &msg->ballot, acked, nr_acked))
			return;		/* @acked is the held vote's now */
		send_accepted(c, sender, flags, &msg->ballot, acked, nr_acked);
	}
	kfree(acked);
}
