// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the simulator's nodes and faults: restarts (joining the existing
 * cluster or claiming a new one), partitions, pauses, failed allocations,
 * learner churn and datagrams with numbers at their limits.  Which faults a
 * seed gets is its profile (paxos_sim.c).
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_sim_int.h"
#include "paxos_wire.h"

/* ---- allocation failures ---------------------------------------------- */

static bool sim_fail_alloc(void *ctx, size_t size)
{
	struct sim *s = ctx;

	if (!s->alloc_on || sim_mix(&s->alloc_rng) % 100 >= s->alloc_pct)
		return false;
	s->res->nomem++;
	return true;
}

/* ---- nodes ------------------------------------------------------------ */

int node_create(struct sim *s, u32 i, bool join)
{
	struct sim_node *nd = &s->nodes[i];
	struct paxos_core_config *cfg;
	u32 k;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return -ENOMEM;
	cfg->group_id = SIM_GROUP;
	cfg->node_id = i + 1;
	cfg->nr_members = s->n;
	for (k = 0; k < s->n; k++) {
		cfg->members[k].node_id = k + 1;
		cfg->members[k].role = k < s->p->voters ? PAXOS_MEMBER_VOTER :
				       PAXOS_MEMBER_LEARNER;
	}
	cfg->mode = s->p->mode;
	cfg->join_existing = join;
	cfg->seed = sim_rand(s);
	/* Strictly greater than every earlier incarnation, never 0. */
	cfg->incarnation = (u64)nd->incarnations << SIM_INC_SHIFT |
			   (sim_rand(s) & (BIT_ULL(SIM_INC_SHIFT) - 1));
	if (!cfg->incarnation)
		cfg->incarnation = 1;
	nd->inc = cfg->incarnation;
	nd->promised = (struct paxos_ballot){};
	cfg->heartbeat_ticks = SIM_HEARTBEAT;
	cfg->election_min_ticks = SIM_ELECTION_MIN;
	cfg->election_max_ticks = SIM_ELECTION_MAX;
	cfg->retransmit_ticks = SIM_RETRANSMIT;
	cfg->proposal_timeout_ticks = s->timeout;
	cfg->retention = SIM_RETENTION;
	cfg->retain_bytes = s->retain_bytes;
	cfg->window = SIM_WINDOW;
	cfg->batch = SIM_BATCH;
	cfg->max_value_size = s->max_value;
	cfg->queue_limit = SIM_QUEUE;
	if (s->classes & PAXOS_SIM_ALLOC) {
		cfg->fail_alloc = sim_fail_alloc;
		cfg->fail_ctx = s;
	}
	nd->core = paxos_core_create(cfg, GFP_KERNEL);
	kfree(cfg);
	if (IS_ERR(nd->core)) {
		int err = PTR_ERR(nd->core);

		nd->core = NULL;
		return err;
	}
	nd->id = i + 1;
	nd->next = 1;
	nd->joined = join;
	nd->pending = 0;
	return 0;
}

/*
 * A restart loses the node's state and the client requests of the old
 * instance; the new incarnation is down for @down ticks (datagrams to it are
 * lost), while the old one's datagrams may still be in flight.
 */
void node_restart(struct sim *s, u32 i, bool join, u32 down)
{
	struct sim_node *nd = &s->nodes[i];
	u32 j, witnesses = 0;
	u64 k;

	/*
	 * Voters that visibly hold state must refuse a new cluster, every
	 * time, as long as they keep that state: this node never votes.
	 */
	for (j = 0; j < s->p->voters && !join && i < s->p->voters; j++)
		if (j != i && status_holds_state(sim_node_status(s, j)))
			witnesses |= BIT(j);
	for (j = 0; j < s->n; j++)
		s->nodes[j].witnesses &= ~BIT(i);
	nd->witnesses = witnesses;
	s->gone_first = max(s->gone_first, paxos_core_first_retained(nd->core));
	paxos_core_destroy(nd->core);
	nd->core = NULL;
	for (k = 1; k <= s->nr_vals; k++)
		if (s->vals[k].node == i && s->vals[k].state == VAL_PENDING)
			s->vals[k].state = VAL_LOST;
	nd->incarnations++;
	nd->restarted = true;
	memset(s->heard[i], 0, sizeof(s->heard[i]));
	sim_trace(s, EV_RESTART, i, join, 0, nd->incarnations, down);
	s->res->restarts++;
	if (!join)
		s->res->restarts_new++;
	if (node_create(s, i, join)) {
		sim_fail(s, "cannot recreate n%u", i + 1);
		return;
	}
	nd->down = down;
	nd->down_until = s->now + down;
}

bool node_running(struct sim *s, struct sim_node *nd)
{
	if (nd->paused && s->now >= nd->pause_until)
		nd->paused = false;
	if (nd->down && s->now >= nd->down_until)
		nd->down = false;
	return !nd->paused && !nd->down;
}

/*
 * LIMITS: a voter's identity on numbers at their limits.  The PREPARE is a
 * real promise request (acceptors promise it and later ballots must climb
 * from there without wrapping); the ACCEPT's commit point can never be
 * reached by a log, so every node drops it as malformed.
 */
void limits_step(struct sim *s)
{
	u32 a = sim_below(s, s->p->voters), i;
	struct paxos_ballot b = {
		.round = U32_MAX - s->limits_headroom -
			 sim_below(s, s->limits_headroom + 1),
		.node = a + 1,
	};
	u8 buf[PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_ACCEPT_LEN];
	u64 commit = PAXOS_SLOT_LIMIT + sim_below(s, 2);
	u8 *p;
	int rc;

	sim_trace(s, EV_LIMITS, a, 0, 0, b.round, commit);
	/* So few rounds left that they run out: safety, not liveness. */
	s->res->rounds_out = s->limits_headroom < SIM_ROUND_HEADROOM;
	for (i = 0; i < s->n && !s->failed; i++) {
		struct sim_node *nd = &s->nodes[i];

		/* Not to a node that removed it (PAXOS_SIM_CONFIG). */
		if (i == a || !node_running(s, nd) || !sim_knows(s, i, a))
			continue;
		p = paxos_wire_put_hdr(buf, PAXOS_MSG_PREPARE, 0, SIM_GROUP,
				       a + 1, s->nodes[a].inc,
				       PAXOS_WIRE_PREPARE_LEN);
		paxos_wire_put_prepare(p, &b, 1, U64_MAX);
		rc = paxos_core_receive(nd->core, buf,
					PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_PREPARE_LEN,
					GFP_KERNEL);
		if (rc)
			sim_fail(s, "n%u refused a PREPARE of round %u: %d",
				 i + 1, b.round, rc);
		p = paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPT, 0, SIM_GROUP,
				       a + 1, s->nodes[a].inc,
				       PAXOS_WIRE_ACCEPT_LEN);
		paxos_wire_put_accept(p, &b, commit, 0, 0);
		rc = paxos_core_receive(nd->core, buf,
					PAXOS_WIRE_HDR_LEN + PAXOS_WIRE_ACCEPT_LEN,
					GFP_KERNEL);
		if (rc != -EBADMSG)
			sim_fail(s, "n%u took a commit point of %llu: %d", i + 1,
				 commit, rc);
		sim_drain(s, i);
	}
}

static int leader_index(struct sim *s)
{
	int best = -1;
	u32 i, round = 0;

	for (i = 0; i < s->n; i++) {
		const struct paxos_core_status *st = sim_node_status(s, i);

		if (st->state == PAXOS_CS_LEADER && st->ballot.round >= round) {
			round = st->ballot.round;
			best = i;
		}
	}
	return best;
}

/* ---- faults ----------------------------------------------------------- */

void sim_heal(struct sim *s)
{
	if (sim_cut_any(s))
		s->whole_at = s->now;
	memset(s->cut, 0, sizeof(s->cut));
}

/* Is any link cut (a partition, or one direction of a link)? */
bool sim_cut_any(const struct sim *s)
{
	u32 i, j;

	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->n; j++)
			if (s->cut[i][j])
				return true;
	return false;
}

static void isolate(struct sim *s, u32 i)
{
	u32 j;

	for (j = 0; j < s->n; j++) {
		s->cut[i][j] = true;
		s->cut[j][i] = true;
	}
}

/*
 * A voter restarts only while another voter visibly holds state (no total
 * amnesia), and, unless this seed lets a majority go, while the others that
 * vote are a quorum.  Without PAXOS_SIM_REPEAT a voter restarts once.
 */
static bool voter_may_restart(struct sim *s, u32 i)
{
	bool state;
	u32 voting;

	if (!(s->classes & PAXOS_SIM_REPEAT) && s->nodes[i].restarted)
		return false;
	voting = voting_voters(s, i, NULL, &state);
	return state && (s->amnesia || (voting >= s->quorum &&
					sim_restart_keeps_quorum(s, i)));
}

static void fault_restart(struct sim *s, u32 i)
{
	struct sim_node *nd = &s->nodes[i];
	bool join = true;
	u32 down = 0;

	/* A removed node waits to be added back (change_step). */
	if (nd->paused || nd->down || !sim_member(s, i))
		return;
	if (i < s->p->voters) {
		if (!voter_may_restart(s, i))
			return;
	} else if ((!(s->classes & PAXOS_SIM_REPEAT) &&
		    s->learner_restarts++ >= 2) ||
		   (!s->amnesia && !sim_restart_keeps_quorum(s, i))) {
		/* A learner may be a voter now (PAXOS_SIM_CONFIG). */
		return;
	}
	if (s->classes & PAXOS_SIM_RESTART_NEW)
		join = sim_below(s, 2);
	if (s->down_max && sim_below(s, 2))
		down = 1 + sim_below(s, s->down_max);
	node_restart(s, i, join, down);
}

void fault_step(struct sim *s)
{
	u32 kind = sim_below(s, 8), i, j, mask = 0;
	int l;

	s->next_fault = s->now + 20 + sim_below(s, 100);
	if ((s->amnesia && sim_below(s, 2)) ||
	    ((s->classes & PAXOS_SIM_RESTART_NEW) && !sim_below(s, 4))) {
		/*
		 * Voters restart more often than other nodes: one after
		 * another until a majority lost its state (amnesia), or the
		 * same one again and again (PAXOS_SIM_REPEAT).
		 */
		fault_restart(s, sim_below(s, s->p->voters));
		return;
	}
	switch (kind) {
	case 0:
	case 1:
		sim_heal(s);
		sim_trace(s, EV_HEAL, s->loss_pct, s->dup_pct, 0, 0, 0);
		return;
	case 2:	/* halves: a random subset against the rest, both ways */
		sim_heal(s);
		mask = (u32)sim_rand(s) & (BIT(s->n) - 1);
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->n; j++)
				if (!!(mask & BIT(i)) != !!(mask & BIT(j)))
					s->cut[i][j] = true;
		break;
	case 3:	/* asymmetric: some links lose one direction only */
		sim_heal(s);
		for (i = 0; i < 3; i++) {
			u32 a = sim_below(s, s->n), b = sim_below(s, s->n);

			s->cut[a][b] = true;
			mask |= BIT(a * 4 + b);
		}
		break;
	case 4:	/* one node isolated */
		sim_heal(s);
		i = sim_below(s, s->n);
		isolate(s, i);
		mask = BIT(i);
		break;
	case 5:	/* the leader isolated */
		sim_heal(s);
		l = leader_index(s);
		if (l >= 0) {
			isolate(s, l);
			mask = BIT(l);
		}
		break;
	case 6:
		i = sim_below(s, s->n);
		if (!s->nodes[i].paused && !s->nodes[i].down) {
			s->nodes[i].paused = true;
			s->nodes[i].pause_until = s->now + 10 + sim_below(s, 150);
			sim_trace(s, EV_PAUSE, i, 0, 0, 0,
				  s->nodes[i].pause_until);
		}
		return;
	case 7:
		fault_restart(s, sim_below(s, s->n));
		return;
	}
	sim_trace(s, EV_PARTITION, kind, 0, 0, mask, 0);
}

/* PAXOS_SIM_CHURN: a learner restarts, joining the existing cluster. */
void churn_step(struct sim *s)
{
	u32 i = s->p->voters + sim_below(s, s->p->learners);

	s->next_churn = s->now + 2 + sim_below(s, 5);
	if (!s->nodes[i].paused && !s->nodes[i].down && sim_member(s, i) &&
	    sim_restart_keeps_quorum(s, i))
		node_restart(s, i, true, 0);
}

/*
 * PAXOS_SIM_CONFIG: a random node asks for a configuration change: demote
 * or remove a voter (while three would be left: the leader too, one cut
 * off or paused), remove a learner, promote a learner or a demoted voter
 * back, add a removed node back as a learner (its group created again, as
 * a joiner, like an operator would), or move a member's address.  Every
 * member must learn everything; a removed node must learn that it is.
 * Changes that the log refuses (another one pending, nothing to change,
 * no reachable quorum left) are fine.
 */
void change_step(struct sim *s)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	struct paxos_change ch = {};
	u32 from = sim_below(s, s->n), who = sim_below(s, s->n), j, voters = 0;
	const struct paxos_member *mb = NULL;
	int rc, l;

	s->next_change = s->now + 50 + sim_below(s, 250);
	if (!m)
		return;
	/* Often the leader, or a node removed earlier (to add it back). */
	switch (sim_below(s, 4)) {
	case 0:
		l = leader_index(s);
		if (l >= 0)
			who = l;
		break;
	case 1:
		for (j = 0; j < s->n; j++)
			if (!sim_member(s, j))
				who = j;
		break;
	}
	paxos_core_membership(s->nodes[sim_most_advanced(s)].core, m);
	for (j = 0; j < m->nr_members; j++) {
		voters += m->members[j].role == PAXOS_MEMBER_VOTER;
		if (m->members[j].node_id == s->nodes[who].id)
			mb = &m->members[j];
	}
	ch.node_id = s->nodes[who].id;
	if (!mb && !(m->pending && sim_member(s, who))) {
		ch.op = PAXOS_CHANGE_ADD;
		ch.role = PAXOS_MEMBER_LEARNER;
		ch.addr[0] = sim_below(s, 256);
	} else if (!mb || sim_below(s, 5) == 0) {
		ch.op = PAXOS_CHANGE_ADDRESS;
		ch.addr[0] = sim_below(s, 256);
	} else if (mb->role == PAXOS_MEMBER_VOTER && voters > 3 &&
		   sim_restart_keeps_quorum(s, who)) {
		ch.op = sim_below(s, 3) ? PAXOS_CHANGE_DEMOTE :
					  PAXOS_CHANGE_REMOVE;
	} else if (mb->role == PAXOS_MEMBER_LEARNER) {
		ch.op = sim_below(s, 4) ? PAXOS_CHANGE_PROMOTE :
					  PAXOS_CHANGE_REMOVE;
	} else {
		ch.op = PAXOS_CHANGE_ADDRESS;
	}
	kfree(m);
	if (s->nodes[from].down || s->nodes[from].paused)
		return;
	rc = paxos_core_change(s->nodes[from].core, &ch,
			       SIM_CHANGE_REQ | ++s->changes, GFP_KERNEL);
	sim_trace(s, EV_CHANGE, from, ch.op, 0, ch.node_id, rc);
	if (!rc) {
		s->nodes[from].pending++;
		s->res->changes++;
		s->res->removes += ch.op == PAXOS_CHANGE_REMOVE;
	} else if (rc != -EAGAIN && rc != -ENOMEM && rc != -ECONNREFUSED &&
		   rc != -ENOTRECOVERABLE &&
		   (rc != -ENOLINK || !sim_leaving(s, from))) {
		sim_fail(s, "n%u refused a change: %d", from + 1, rc);
	}
	sim_drain(s, from);
	/* Added back: its group is created again, joining the cluster. */
	if (!rc && ch.op == PAXOS_CHANGE_ADD && !s->nodes[who].paused &&
	    !s->nodes[who].down) {
		s->res->readds++;
		node_restart(s, who, true, 0);
	}
}
