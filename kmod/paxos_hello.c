// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the new-cluster probe, and peers that restart.
 *
 * A node created as part of a new cluster (not join_existing) holds
 * nothing, and so may vote only if no earlier incarnation of it ever voted:
 * those promises are forgotten.  Whoever accepted a value, or promised a
 * ballot, together with that earlier incarnation holds state from then on
 * (unless it lost it too), so a probe (HELLO) is answered OK only by a peer
 * that
 *
 *   - holds no state at all, or
 *   - heard this very incarnation while it still held none (it was part of
 *     the new cluster from the start: answering OK again is safe),
 *
 * and REFUSE by everyone else, every time it asks.  The prober needs OK from
 * every other voter (not a majority: the one that holds state may be the
 * last to answer), each bound to its own incarnation; a single REFUSE makes
 * it a learner for good.  If every voter that took part with the earlier
 * incarnation lost its state as well (a majority of a quorum restarted), the
 * amnesia cannot be detected: only durable acceptor state cures that.
 *
 * Incarnations grow with every restart.  Once a peer's newer incarnation
 * spoke, the older one's datagrams are dropped (paxos_core_receive()) and
 * what it told us (votes, promise, learned point) is forgotten.
 *
 * Owns c->hello_ok.  Called from paxos_core_receive(), paxos_core_tick() and
 * paxos_core_create(); under the caller's lock like all of the core.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>

#include "paxos_core_int.h"

/* A probe (@asker_inc 0) or the answer to @asker_inc's probe. */
void send_hello(struct paxos_core *c, u32 dest, u32 flags, u64 asker_inc)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_HELLO, flags, PAXOS_WIRE_HELLO_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_hello(p, asker_inc);
	if (dest)
		msg_send(c, m);
	else
		msg_send_mask(c, m, all_members(c));
}

bool core_holds_state(const struct paxos_core *c)
{
	return c->acc.promised.round || c->acc.follow.round ||
	       c->learn.learned || c->learn.max_held;
}

void core_start_voting(struct paxos_core *c)
{
	core_set_state(c, PAXOS_CS_FOLLOWER);
	election_timer_reset(c);
	c->prop.heartbeat_at = c->now;
}

void on_hello(struct paxos_core *c, u32 idx, const struct paxos_wire_msg *msg)
{
	struct paxos_peer *peer = &c->peers[idx];

	if (msg->flags & PAXOS_WF_HELLO_NEW) {
		bool ok = !core_holds_state(c) ||
			  peer->fresh_inc == msg->sender_inc;

		send_hello(c, peer->id,
			   ok ? PAXOS_WF_HELLO_OK : PAXOS_WF_HELLO_REFUSE,
			   msg->sender_inc);
		return;
	}
	if (c->state != PAXOS_CS_PROBING || msg->asker_inc != c->inc ||
	    !(c->voters & BIT(idx)))
		return;
	if (msg->flags & PAXOS_WF_HELLO_REFUSE) {
		/* A learner that must catch up, and votes once promoted. */
		c->voting = false;
		c->admitted = false;
		c->synced = false;
		c->refused_by = peer->id;
		c->flags |= PAXOS_STATUS_REFUSED;
		c->flags &= ~PAXOS_STATUS_VOTING;
		core_set_state(c, PAXOS_CS_LEARNER);
		/* Not the admitted incarnation: no voter of its own masks. */
		conf_recompute(c);
		return;
	}
	c->hello_ok |= BIT(idx);
	if ((c->hello_ok & c->voters) == c->voters)
		core_start_voting(c);
}

/*
 * @idx speaks with a newer incarnation: what its older one told us (its
 * learned point, its promise and its votes in our current attempt, its OK)
 * no longer holds.
 */
void peer_new_incarnation(struct paxos_core *c, u32 idx, u64 inc)
{
	struct paxos_peer *peer = &c->peers[idx];

	if (peer->inc) {
		peer->learned = 0;
		peer->p1_next = c->prop.p1_from;
		peer_forget_votes(c, idx);
	}
	peer->inc = inc;
	peer->nonvoting = false;
	peer->claim = CLAIM_UNKNOWN;
	/* Which voters may vote, and whether a quorum is left, may change. */
	conf_recompute(c);
}
