// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the new-cluster probe.
 *
 * A voter that starts a new cluster (not join_existing) asks its peers with
 * HELLO before it votes: they let it in unless they hold state and saw it
 * before under another incarnation (it lost its acceptor state, so its vote
 * could break an earlier quorum).  A refused node carries on as a learner.
 *
 * Owns c->hello_ok.  Called from paxos_core_receive(), paxos_core_tick() and
 * paxos_core_create(); under the caller's lock like all of the core.
 */
#include <linux/bitops.h>

#include "paxos_core_int.h"

void send_hello(struct paxos_core *c, u32 dest, u32 flags)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, dest, PAXOS_MSG_HELLO, flags, PAXOS_WIRE_HELLO_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_hello(p);
	if (dest)
		msg_send(c, m);
	else
		msg_send_mask(c, m, all_members(c));
}

static bool core_holds_state(const struct paxos_core *c)
{
	return c->acc.promised.round || c->learn.learned || c->learn.max_held;
}

void core_start_voting(struct paxos_core *c)
{
	core_set_state(c, PAXOS_CS_FOLLOWER);
	election_timer_reset(c);
	c->prop.heartbeat_at = c->now;
}

void on_hello(struct paxos_core *c, u32 idx, u64 prev_inc,
	      const struct paxos_wire_msg *msg)
{
	if (msg->flags & PAXOS_WF_HELLO_NEW) {
		/*
		 * A node claiming a new cluster is refused if it ran before
		 * under another incarnation (so it lost its acceptor state)
		 * while we hold state.  One that merely started late is fine.
		 */
		bool refuse = core_holds_state(c) && prev_inc &&
			      prev_inc != msg->sender_inc;

		send_hello(c, c->peers[idx].id,
			   refuse ? PAXOS_WF_HELLO_REFUSE : PAXOS_WF_HELLO_OK);
		return;
	}
	if (c->state != PAXOS_CS_PROBING)
		return;
	if (msg->flags & PAXOS_WF_HELLO_REFUSE) {
		c->voting = false;
		c->flags |= PAXOS_STATUS_REFUSED;
		c->flags &= ~PAXOS_STATUS_VOTING;
		core_set_state(c, PAXOS_CS_LEARNER);
		return;
	}
	if (msg->flags & PAXOS_WF_HELLO_OK) {
		c->hello_ok |= BIT(idx);
		if (hweight32(c->hello_ok & c->voters) >= c->quorum)
			core_start_voting(c);
	}
}
