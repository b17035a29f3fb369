// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: membership changes chosen in the log (paxos_config.c).
 *
 * One core leads three voters (ids 1..3) and a learner (4); the tests feed
 * it the other members' answers by hand and look at what it decides, with
 * which quorum, and what configuration every node would derive.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include "paxos_ut.h"

/* A STATUS from incarnation @inc of @from (@flags: PAXOS_WF_STATUS_*). */
static void cfg_status(struct ut *u, u32 from, u64 inc, u32 flags,
		       u64 learned)
{
	int rc;

	um_begin(u);
	um_u64(u, learned);
	um_u64(u, 1);
	um_u64(u, 0);
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_STATUS, flags, UT_GROUP, from, inc,
			   u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	KUNIT_EXPECT_EQ(u->test, rc, 0);
	ut_collect(u);
}

/* An Accepted of @slot in ballot @b from incarnation @inc of @from. */
static void cfg_ack(struct ut *u, u32 from, u64 inc,
		    const struct paxos_ballot *b, u64 slot)
{
	int rc;

	um_begin(u);
	um_ballot(u, b->round, b->node);
	um_u64(u, 0);
	um_u64(u, 1);
	um_u32(u, 1);
	um_u32(u, 0);
	um_u64(u, slot);
	/* Voters 1..3 in their first incarnation are the admitted ones. */
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_ACCEPTED,
			   PAXOS_WF_ACCEPTED_VOTER |
			   (from <= 3 && inc == UT_INC(from) ?
			    PAXOS_WF_ADMITTED : 0),
			   UT_GROUP, from, inc, u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	KUNIT_EXPECT_EQ(u->test, rc, 0);
	ut_collect(u);
}

/* The last Promise page from @from for @b, from slot @lo on: @ents. */
static void cfg_promise_ents(struct ut *u, u32 from,
			     const struct paxos_ballot *b, u64 lo,
			     const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_ballot(u, b->round, b->node);
	um_u64(u, lo);
	um_u64(u, U64_MAX);
	um_u64(u, lo - 1);
	um_u64(u, 1);
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_PROMISE,
					 PAXOS_WF_PROMISE_LAST, from), 0);
}

/* An empty last Promise page from @from for @b, from slot @lo on. */
static void cfg_promise(struct ut *u, u32 from, const struct paxos_ballot *b,
			u64 lo)
{
	cfg_promise_ents(u, from, b, lo, NULL, 0);
}

static struct paxos_membership *cfg_view(struct ut *u)
{
	struct paxos_membership *m = kunit_kzalloc(u->test, sizeof(*m),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(u->test, m);
	paxos_core_membership(u->core, m);
	return m;
}

static const struct paxos_member *cfg_member(const struct paxos_member *m,
					     u32 nr, u32 id)
{
	u32 i;

	for (i = 0; i < nr; i++)
		if (m[i].node_id == id)
			return &m[i];
	return NULL;
}

/* The completion of request @req: its slot and error; fails if none. */
static void cfg_completion(struct ut *u, u64 req, u64 *slot, int *err)
{
	struct paxos_completion *c;

	list_for_each_entry(c, &u->r.completions, list) {
		if (c->req_id != req)
			continue;
		*slot = c->slot;
		*err = c->error;
		return;
	}
	KUNIT_FAIL(u->test, "no completion for request %llu", req);
}

/* Did request @req complete (among what was collected)? */
static bool cfg_has_completion(struct ut *u, u64 req)
{
	struct paxos_completion *c;

	list_for_each_entry(c, &u->r.completions, list)
		if (c->req_id == req)
			return true;
	return false;
}

/* An Accept with entries to @dest among what the core sent. */
static bool cfg_find_entries(struct ut *u, u32 dest, struct paxos_wire_msg *msg)
{
	struct paxos_msg_out *m;

	list_for_each_entry(m, &u->r.msgs, list)
		if (m->dest == dest && !paxos_wire_decode(m->data, m->len, msg) &&
		    msg->type == PAXOS_MSG_ACCEPT && msg->nr)
			return true;
	return false;
}

/*
 * Time passes past the reachability horizon: node 2 keeps talking (and
 * learner 4, if @with_4), node 3 falls silent.
 */
static void cfg_silence_3(struct ut *u, bool with_4)
{
	u32 i;

	for (i = 0; i < 60; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		if (!(i % 5)) {
			cfg_status(u, 2, UT_INC(2), PAXOS_WF_ADMITTED, 0);
			if (with_4)
				cfg_status(u, 4, UT_INC(4),
					   PAXOS_WF_STATUS_LEARNER, 0);
		}
		ut_reset(u);
	}
}

/*
 * Leader @u submits change @ch as request @req, node 2 acks the slot it
 * went to: the change's outcome on every node (0, or why the log refused
 * it).
 */
static int cfg_decide(struct ut *u, const struct paxos_ballot *b,
		      const struct paxos_change *ch, u64 req)
{
	u64 slot = 0;
	int err = -1;

	KUNIT_ASSERT_EQ(u->test, paxos_core_change(u->core, ch, req,
						   GFP_KERNEL), 0);
	ut_collect(u);
	cfg_ack(u, 2, UT_INC(2), b, paxos_core_learned(u->core) + 1);
	cfg_completion(u, req, &slot, &err);
	return err;
}

/* Node 1 leads voters 1..3 with node 2's promise; node 4 (learner) spoke. */
static struct ut *cfg_leader(struct kunit *test, struct paxos_ballot *b)
{
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 1, PAXOS_CORE_MULTI, false);

	ut_start(u, 3, 1);
	*b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	cfg_status(u, 4, UT_INC(4), PAXOS_WF_STATUS_LEARNER, 0);
	ut_reset(u);
	return u;
}

/*
 * A change chosen in slot s governs from s + PAXOS_CONFIG_ALPHA on: until
 * then the old quorum decides; from then on the new one, and the leader
 * first collects promises from a quorum of it.  The promoted learner's
 * votes count with the incarnation the leader pinned, no other.
 */
static void paxos_config_alpha(struct kunit *test)
{
	const struct paxos_change ch = {
		.op = PAXOS_CHANGE_PROMOTE, .node_id = 4,
	};
	static const u32 new_voters[] = { 2, 4 };
	struct paxos_membership *m;
	const struct paxos_member *p;
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	u64 s, slot = 0;
	struct ut *u;
	int err = -1;
	u32 i;

	u = cfg_leader(test, &b);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &ch, 77, GFP_KERNEL),
			0);
	ut_collect(u);
	cfg_ack(u, 2, UT_INC(2), &b, 1);
	cfg_completion(u, 77, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, slot, 1ULL);
	m = cfg_view(u);
	KUNIT_ASSERT_TRUE(test, m->pending);
	KUNIT_EXPECT_EQ(test, m->next.effective, 1ULL + PAXOS_CONFIG_ALPHA);
	p = cfg_member(m->members, m->nr_members, 4);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->role, (u32)PAXOS_MEMBER_LEARNER);
	p = cfg_member(m->next.members, m->next.nr_members, 4);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->role, (u32)PAXOS_MEMBER_VOTER);
	KUNIT_EXPECT_EQ(test, p->incarnation, UT_INC(4));

	/*
	 * Up to s + alpha - 1, node 2's vote with ours is a quorum of 3; the
	 * leader, with nothing else to propose, fills them with no-ops to
	 * bring the change into force.
	 */
	for (s = 2; s < 1 + PAXOS_CONFIG_ALPHA; s++) {
		cfg_ack(u, 2, UT_INC(2), &b, s);
		KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), s);
	}
	m = cfg_view(u);
	KUNIT_EXPECT_FALSE(test, m->pending);
	KUNIT_EXPECT_EQ(test, m->voters, 4U);
	KUNIT_EXPECT_EQ(test, m->quorum, 3U);

	/* Our promises ({1, 2}) are no quorum of 4: phase 1 again. */
	ut_reset(u);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "w", 1, 100,
						 GFP_KERNEL), 0);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_CANDIDATE);
	KUNIT_EXPECT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 4, &msg));
	b = ut_status_ballot(u);
	ut_reset(u);
	for (i = 0; i < ARRAY_SIZE(new_voters); i++)
		cfg_promise(u, new_voters[i], &b, PAXOS_CONFIG_ALPHA + 1);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	/* The value is resubmitted to the new leader (ourselves) at once. */
	for (i = 0; i < 20 && !ut_find(u, PAXOS_MSG_ACCEPT, 2, &msg); i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	s = 1 + PAXOS_CONFIG_ALPHA;
	/* 1 and 2: no quorum; node 4's old incarnation: not counted. */
	cfg_ack(u, 2, UT_INC(2), &b, s);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s - 1);
	/* Node 4 as pinned: a quorum of 3. */
	cfg_ack(u, 4, UT_INC(4), &b, s);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s);
}

/*
 * A change whose quorum the leader's promises already make (a restarted
 * voter pinned again: 1 and 2 promised, a quorum of {1, 2, 3'}) needs no
 * new election when it comes into force: the log goes on.
 */
static void paxos_config_covered(struct kunit *test)
{
	const struct paxos_change ch = {
		.op = PAXOS_CHANGE_PROMOTE, .node_id = 3,
		.incarnation = UT_INC(3) + 7,
	};
	struct paxos_ballot b;
	struct ut *u;
	u64 s;

	u = cfg_leader(test, &b);
	cfg_status(u, 3, UT_INC(3) + 7, PAXOS_WF_STATUS_LEARNER, 0);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &ch, 1, GFP_KERNEL),
			0);
	ut_collect(u);
	for (s = 1; s <= PAXOS_CONFIG_ALPHA; s++) {
		cfg_ack(u, 2, UT_INC(2), &b, s);
		KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), s);
	}
	KUNIT_ASSERT_FALSE(test, cfg_view(u)->pending);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "w", 1, 2,
						 GFP_KERNEL), 0);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	cfg_ack(u, 2, UT_INC(2), &b, s);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s);
}

/* A change chosen while another waits for its slot is refused, by all. */
static void paxos_config_one_at_a_time(struct kunit *test)
{
	const struct paxos_change promote = {
		.op = PAXOS_CHANGE_PROMOTE, .node_id = 4,
	};
	const struct paxos_change demote = {
		.op = PAXOS_CHANGE_DEMOTE, .node_id = 3,
	};
	struct paxos_membership *m;
	struct paxos_ballot b;
	struct ut *u;
	u64 slot = 0;
	int err = 0;

	u = cfg_leader(test, &b);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &promote, 1,
						GFP_KERNEL), 0);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &demote, 2,
						GFP_KERNEL), 0);
	ut_collect(u);
	cfg_ack(u, 2, UT_INC(2), &b, 1);
	cfg_ack(u, 2, UT_INC(2), &b, 2);
	cfg_completion(u, 1, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	cfg_completion(u, 2, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, -EBUSY);
	KUNIT_EXPECT_EQ(test, slot, 2ULL);
	m = cfg_view(u);
	KUNIT_ASSERT_TRUE(test, m->pending);
	KUNIT_EXPECT_EQ(test, cfg_member(m->next.members, m->next.nr_members,
					 3)->role, (u32)PAXOS_MEMBER_VOTER);
}

/*
 * A change the log refuses, chosen in the slot before the one a pending
 * configuration waits for, brings that configuration into force all the
 * same: the voter masks and quorum follow at once.  (They lagged once: a
 * restarted voter that caught up this way thought its quorum lost.)
 */
static void paxos_config_refused_switches(struct kunit *test)
{
	struct paxos_wire_change w = {
		.op = cpu_to_le32(PAXOS_CHANGE_PROMOTE),
		.m.node = cpu_to_le32(4),
		.m.role = cpu_to_le32(PAXOS_MEMBER_VOTER),
		.m.inc = cpu_to_le64(UT_INC(4)),
	};
	struct ut *u = ut_new(test, 2, 3, 1, PAXOS_CORE_MULTI, false);
	struct ut_ent e[16];
	struct paxos_membership *m;
	u64 s = 1, last = PAXOS_CONFIG_ALPHA;
	u32 n;

	ut_start(u, 3, 2);
	while (s <= last) {
		memset(e, 0, sizeof(e));
		for (n = 0; n < ARRAY_SIZE(e) && s <= last; n++, s++) {
			e[n].slot = s;
			e[n].round = 1;
			e[n].node = 1;
			/* Promote 4 in slot 1; again (refused) in the last. */
			if (s != 1 && s != last)
				continue;
			e[n].origin = 1;
			e[n].seq = s;
			e[n].low = 1;
			e[n].flags = PAXOS_WE_CONFIG;
			e[n].val = (const char *)&w;
			e[n].len = sizeof(w);
		}
		ut_accept(u, 1, 1, 1, s - 1, 0, e, n);
		if (s - 1 < last) {
			m = cfg_view(u);
			KUNIT_EXPECT_TRUE(test, m->pending);
			KUNIT_EXPECT_EQ(test, m->quorum, 2U);
		}
	}
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), last);
	m = cfg_view(u);
	KUNIT_EXPECT_FALSE(test, m->pending);
	KUNIT_EXPECT_EQ(test, m->voters, 4U);
	KUNIT_EXPECT_EQ(test, m->quorum, 3U);
	KUNIT_EXPECT_TRUE(test, paxos_core_derived_ok(u->core));
}

/*
 * A candidate whose promises say slots are chosen delivers them before it
 * leads.  When they bring into force a configuration its promises do not
 * cover (a learner promoted: a quorum is 3 of 4 now, and only 1 and 2
 * promised), it asks that configuration again instead of proposing in its
 * slots; what a voter accepted there is proposed once a quorum of it
 * promised.  (Once the candidate proposed on: an Accept in slots of a
 * configuration no quorum of which had promised, which broke agreement in
 * sim seed multi5/63304.)
 */
static void paxos_config_elected_across_switch(struct kunit *test)
{
	static const struct paxos_wire_change w = {
		.op = cpu_to_le32(PAXOS_CHANGE_PROMOTE),
		.m.node = cpu_to_le32(4),
		.m.role = cpu_to_le32(PAXOS_MEMBER_VOTER),
		.m.inc = cpu_to_le64(UT_INC(4)),
	};
	static const u32 promisers[] = { 2 };
	static const struct ut_log log = {
		.retention = 64, .window = 8, .learners = 1,
	};
	const u64 alpha = PAXOS_CONFIG_ALPHA, kept = PAXOS_CONFIG_ALPHA + 2;
	struct ut *u = ut_new_log(test, 1, 3, 0, &log);
	struct paxos_wire_value v;
	struct paxos_msg_out *m;
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	struct ut_ent *e;
	const u8 *p;
	u32 n = 0, i;
	bool found = false;

	e = kunit_kcalloc(test, alpha + 1, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* Slot 1: the promotion; up to alpha: no-ops; all chosen. */
	for (n = 0; n < alpha; n++) {
		e[n].slot = n + 1;
		e[n].round = 1;
		e[n].node = 2;
		e[n].flags = PAXOS_WE_CHOSEN;
	}
	e[0].origin = 2;
	e[0].seq = 1;
	e[0].low = 1;
	e[0].flags |= PAXOS_WE_CONFIG;
	e[0].val = (const char *)&w;
	e[0].len = sizeof(w);
	/* Accepted by node 2 (and maybe chosen) in the new one's slots. */
	e[n].slot = kept;
	e[n].round = 1;
	e[n].node = 2;
	e[n].origin = 2;
	e[n].seq = 2;
	e[n].low = 1;
	e[n].val = "kept";
	n++;

	ut_start(u, 3, 1);
	cfg_status(u, 4, UT_INC(4), PAXOS_WF_STATUS_LEARNER, 0);
	ut_reset(u);
	b = ut_elect(u, promisers, 1, e, n);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), alpha);
	KUNIT_EXPECT_NE(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPT), 0U);
	/* Phase 1 again, the new voter asked too. */
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 4, &msg));
	b = msg.ballot;

	/* 2 and 4 promise (2 still holds "kept"): now it leads, and keeps it. */
	ut_reset(u);
	cfg_promise_ents(u, 2, &b, alpha + 1, &e[alpha], 1);
	cfg_promise(u, 4, &b, alpha + 1);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	list_for_each_entry(m, &u->r.msgs, list) {
		if (paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT)
			continue;
		for (i = 0, p = msg.entries; i < msg.nr; i++) {
			p = paxos_wire_get_entry(p, &v);
			if (v.slot != kept)
				continue;
			KUNIT_EXPECT_EQ(test, v.len, 4U);
			KUNIT_EXPECT_EQ(test, memcmp(v.data, "kept", 4), 0);
			found = true;
		}
	}
	KUNIT_EXPECT_TRUE(test, found);
}

/* What no configuration can take is refused at once or by the log. */
static void paxos_config_invalid(struct kunit *test)
{
	const struct paxos_change demote_learner = {
		.op = PAXOS_CHANGE_DEMOTE, .node_id = 4,
	};
	const struct paxos_change bad[] = {
		{ .op = PAXOS_CHANGE_FORCE, .node_id = 1 },
		{ .op = 0, .node_id = 1 },
		{ .op = PAXOS_CHANGE_ADD, .node_id = 0 },
		{ .op = PAXOS_CHANGE_ADD, .node_id = 9, .role = 7 },
		{ .op = PAXOS_CHANGE_PROMOTE, .node_id = 4,
		  .incarnation = PAXOS_INC_PENDING },
	};
	struct ut *basic = ut_new(test, 1, 3, 0, PAXOS_CORE_BASIC, false);
	struct paxos_membership *m;
	struct paxos_ballot b;
	struct ut *u;
	u64 slot = 0;
	int err = 0;
	u32 i;

	u = cfg_leader(test, &b);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, paxos_core_change(u->core, &bad[i], 1,
							    GFP_KERNEL),
				    -EINVAL, "change %u", i);
	KUNIT_EXPECT_EQ(test, paxos_core_change(basic->core, &demote_learner, 1,
						GFP_KERNEL), -EOPNOTSUPP);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &demote_learner, 5,
						GFP_KERNEL), 0);
	ut_collect(u);
	cfg_ack(u, 2, UT_INC(2), &b, 1);
	cfg_completion(u, 5, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, -EINVAL);
	m = cfg_view(u);
	KUNIT_EXPECT_FALSE(test, m->pending);
}

/*
 * The leader refuses to demote a voter when the voters it can reach would
 * not make a quorum of what is left: every node sees -EHOSTUNREACH.
 */
static void paxos_config_unreachable(struct kunit *test)
{
	const struct paxos_change demote = {
		.op = PAXOS_CHANGE_DEMOTE, .node_id = 2,
	};
	struct paxos_membership *m;
	struct paxos_ballot b;
	struct ut *u;
	u64 slot = 0;
	int err = 0;

	u = cfg_leader(test, &b);
	cfg_status(u, 3, UT_INC(3), PAXOS_WF_ADMITTED, 0);
	cfg_silence_3(u, false);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &demote, 9,
						GFP_KERNEL), 0);
	ut_collect(u);
	cfg_ack(u, 2, UT_INC(2), &b, paxos_core_learned(u->core) + 1);
	cfg_completion(u, 9, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, -EHOSTUNREACH);
	m = cfg_view(u);
	KUNIT_EXPECT_FALSE(test, m->pending);
	KUNIT_EXPECT_EQ(test, m->voters, 3U);
}

/*
 * Any change after which the voters the leader can reach, in the
 * incarnations they run, would make no quorum is refused by every node
 * (node 3 is silent): our own vote pinned to an incarnation we do not run,
 * or a voter added that nobody pinned yet.  Promoting a learner that
 * speaks goes through.
 */
static void paxos_config_no_quorum_after(struct kunit *test)
{
	const struct paxos_change bad[] = {
		{ .op = PAXOS_CHANGE_PROMOTE, .node_id = 1,
		  .incarnation = UT_INC(1) + 5 },
		{ .op = PAXOS_CHANGE_ADD, .node_id = 9,
		  .role = PAXOS_MEMBER_VOTER },
	};
	const struct paxos_change good = {
		.op = PAXOS_CHANGE_PROMOTE, .node_id = 4,
	};
	struct paxos_ballot b;
	struct ut *u;
	u32 i;

	u = cfg_leader(test, &b);
	cfg_silence_3(u, true);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, cfg_decide(u, &b, &bad[i], 20 + i),
				    -EHOSTUNREACH, "change %u", i);
		KUNIT_EXPECT_FALSE(test, cfg_view(u)->pending);
		ut_reset(u);
	}
	KUNIT_EXPECT_EQ(test, cfg_decide(u, &b, &good, 30), 0);
	KUNIT_EXPECT_TRUE(test, cfg_view(u)->pending);
}

/* A learner comes and goes whatever the voters: node 3 silent or not. */
static void paxos_config_learner_free(struct kunit *test)
{
	const struct paxos_change add = {
		.op = PAXOS_CHANGE_ADD, .node_id = 9,
		.role = PAXOS_MEMBER_LEARNER,
	};
	struct paxos_ballot b;
	struct ut *u;

	u = cfg_leader(test, &b);
	cfg_silence_3(u, false);
	KUNIT_EXPECT_EQ(test, cfg_decide(u, &b, &add, 50), 0);
	KUNIT_EXPECT_TRUE(test, cfg_view(u)->pending);
}

/*
 * A node the log removes says so as soon as the change is chosen (once it
 * governs, no member sends it anything more), takes no more proposals and
 * stands for election no more; the old configuration's slots it still
 * votes on (a quorum of it may need that).
 */
static void paxos_config_removed(struct kunit *test)
{
	const struct paxos_change ch = {
		.op = PAXOS_CHANGE_REMOVE, .node_id = 1,
	};
	struct paxos_ballot b;
	struct ut *u;
	u32 flags = 0, i;

	u = cfg_leader(test, &b);
	KUNIT_ASSERT_EQ(test, cfg_decide(u, &b, &ch, 40), 0);
	ut_state(u, &flags);
	KUNIT_EXPECT_TRUE(test, flags & PAXOS_STATUS_REMOVED);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "w", 1, 41,
						 GFP_KERNEL), -ENOLINK);
	/* Node 2 takes over; we promise, as a voter of the old slots... */
	ut_reset(u);
	ut_prepare(u, 2, b.round + 1, 2, 2, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_FOLLOWER);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 1U);
	/* ...and when it falls silent, stand for nothing. */
	for (i = 0; i < 3000; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PREPARE), 0U);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_FOLLOWER);
}

/*
 * A voter that restarted (a newer incarnation, a learner now) and caught
 * up is promoted by the leader on its own: a PROMOTE naming the new
 * incarnation goes out in the next Accept.
 */
static void paxos_config_auto_promote(struct kunit *test)
{
	const struct paxos_wire_change *w;
	struct paxos_wire_value v;
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	struct ut *u;
	u32 i;

	u = cfg_leader(test, &b);
	cfg_status(u, 3, UT_INC(3) + 100, PAXOS_WF_STATUS_LEARNER, 0);
	for (i = 0; i < 10 && !cfg_find_entries(u, 2, &msg); i++) {
		ut_reset(u);
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_ASSERT_TRUE(test, cfg_find_entries(u, 2, &msg));
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	paxos_wire_get_entry(msg.entries, &v);
	KUNIT_EXPECT_EQ(test, v.flags, (u32)PAXOS_WE_CONFIG);
	KUNIT_ASSERT_EQ(test, v.len, (u32)PAXOS_WIRE_CHANGE_LEN);
	w = (const void *)v.data;
	KUNIT_EXPECT_EQ(test, le32_to_cpu(w->op), (u32)PAXOS_CHANGE_PROMOTE);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(w->m.node), 3U);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(w->m.inc), UT_INC(3) + 100);
}

/*
 * Two of three voters come back as learners: no quorum can form again.
 * Every proposal fails with ENOTRECOVERABLE until the operator forces a
 * new cluster from the survivor, which then leads alone.
 */
static void paxos_config_quorum_lost(struct kunit *test)
{
	const struct paxos_change promote = {
		.op = PAXOS_CHANGE_PROMOTE, .node_id = 2,
	};
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_membership *m;
	u32 flags = 0, i;
	u64 slot;
	int err;

	ut_start(u, 3, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "a", 1, 1,
						 GFP_KERNEL), 0);
	cfg_status(u, 2, UT_INC(2) + 1, PAXOS_WF_STATUS_LEARNER, 0);
	ut_state(u, &flags);
	KUNIT_EXPECT_FALSE(test, flags & PAXOS_STATUS_QUORUM_LOST);
	cfg_status(u, 3, UT_INC(3) + 1, PAXOS_WF_STATUS_LEARNER, 0);
	ut_state(u, &flags);
	KUNIT_EXPECT_TRUE(test, flags & PAXOS_STATUS_QUORUM_LOST);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "b", 1, 2,
						 GFP_KERNEL), -ENOTRECOVERABLE);
	/* The pending one fails too, at the next tick. */
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_FALSE(test, list_empty(&u->r.completions));
	m = cfg_view(u);
	KUNIT_EXPECT_EQ(test, m->live, 1U);

	KUNIT_ASSERT_EQ(test, paxos_core_force_new_cluster(u->core,
							   GFP_KERNEL), 0);
	for (i = 0; i < 40 && ut_state(u, NULL) != PAXOS_CS_LEADER; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, ut_state(u, &flags), (u32)PAXOS_CS_LEADER);
	KUNIT_EXPECT_FALSE(test, flags & PAXOS_STATUS_QUORUM_LOST);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "c", 1, 3,
						 GFP_KERNEL), 0);
	for (i = 0; i < 10; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	KUNIT_EXPECT_GE(test, paxos_core_learned(u->core), 2ULL);
	m = cfg_view(u);
	KUNIT_EXPECT_EQ(test, m->voters, 1U);
	KUNIT_EXPECT_EQ(test, cfg_member(m->members, m->nr_members, 1)->incarnation,
			UT_INC(1));
	KUNIT_EXPECT_EQ(test, cfg_member(m->members, m->nr_members, 2)->role,
			(u32)PAXOS_MEMBER_LEARNER);

	/* The operator promotes node 2 back: chosen by our vote alone. */
	cfg_status(u, 2, UT_INC(2) + 1, PAXOS_WF_STATUS_LEARNER,
		   paxos_core_learned(u->core));
	KUNIT_ASSERT_EQ(test, paxos_core_change(u->core, &promote, 60,
						GFP_KERNEL), 0);
	for (i = 0; i < 10 && !cfg_has_completion(u, 60); i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	slot = 0;
	err = -1;
	cfg_completion(u, 60, &slot, &err);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
}

/*
 * A leader whose voters restarted under it has slots in flight that the
 * old quorum will never decide: forced to lead alone, it runs phase 1
 * again with its new configuration and decides them with its own vote,
 * then goes on.
 */
static void paxos_config_force_leader(struct kunit *test)
{
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	u32 flags = 0, i;

	ut_start(u, 3, 1);
	ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "a", 1, 1,
						 GFP_KERNEL), 0);
	ut_collect(u);
	/* Nobody acks: voters 2 and 3 come back as other incarnations. */
	cfg_status(u, 2, UT_INC(2) + 1, PAXOS_WF_STATUS_LEARNER, 0);
	cfg_status(u, 3, UT_INC(3) + 1, PAXOS_WF_STATUS_LEARNER, 0);
	ut_state(u, &flags);
	KUNIT_ASSERT_TRUE(test, flags & PAXOS_STATUS_QUORUM_LOST);
	KUNIT_ASSERT_EQ(test, paxos_core_force_new_cluster(u->core,
							   GFP_KERNEL), 0);
	for (i = 0; i < 40 && paxos_core_learned(u->core) < 2; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	/* Slot 1 ("a") and the forced configuration's own entry. */
	KUNIT_EXPECT_GE(test, paxos_core_learned(u->core), 2ULL);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "b", 1, 2,
						 GFP_KERNEL), 0);
	for (i = 0; i < 10; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_EXPECT_GE(test, paxos_core_learned(u->core), 3ULL);
}

/*
 * A held vote is judged by the configuration of the slots it is for.
 * Two voters (1 leads, 2 is us) promote learner 3 in slot 1, in force
 * from slot 1 + alpha.  Our own value in slot alpha, the old
 * configuration's last, is learned as we accept it, and learning it brings
 * the three voters into force: with them the leader would have a quorum
 * without us, but slot alpha is decided by 1 and 2 alone, and the leader
 * needs our vote to learn it.  It goes at once, not at the next tick.
 * In slot alpha + 1, of the new configuration, it is held again.
 */
static void paxos_config_vote_across_switch(struct kunit *test)
{
	static const struct paxos_wire_change w = {
		.op = cpu_to_le32(PAXOS_CHANGE_PROMOTE),
		.m.node = cpu_to_le32(3),
		.m.role = cpu_to_le32(PAXOS_MEMBER_VOTER),
		.m.inc = cpu_to_le64(UT_INC(3)),
	};
	static const struct ut_log log = { .learners = 1 };
	const u64 alpha = PAXOS_CONFIG_ALPHA;
	struct ut_ent own[] = {
		E(alpha, 1, 1, 2, "own"), E(alpha + 1, 1, 1, 2, "next"),
	};
	struct ut *u = ut_new_log(test, 2, 2, 0, &log);
	struct paxos_wire_msg msg;
	struct ut_ent *e;
	u32 n;

	e = kunit_kcalloc(test, alpha - 1, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* Slot 1: the promotion; then no-ops up to alpha - 1. */
	for (n = 0; n < alpha - 1; n++) {
		e[n].slot = n + 1;
		e[n].round = 1;
		e[n].node = 1;
	}
	e[0].origin = 1;
	e[0].seq = 1;
	e[0].low = 1;
	e[0].flags = PAXOS_WE_CONFIG;
	e[0].val = (const char *)&w;
	e[0].len = sizeof(w);

	ut_start(u, 2, 2);
	cfg_status(u, 3, UT_INC(3), PAXOS_WF_STATUS_LEARNER, 0);
	ut_accept(u, 1, 1, 1, alpha - 1, 0, e, alpha - 1);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), alpha - 1);
	ut_reset(u);

	ut_accept(u, 1, 1, 1, alpha - 1, 0, &own[0], 1);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), alpha);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 1, &msg));
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	KUNIT_EXPECT_EQ(test, paxos_wire_get_slot(msg.entries, 0), alpha);
	ut_reset(u);

	/* The new configuration's first slot: three voters, held. */
	ut_accept(u, 1, 1, 1, alpha, 0, &own[1], 1);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), alpha + 1);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
}

static struct kunit_case paxos_config_cases[] = {
	KUNIT_CASE(paxos_config_alpha),
	KUNIT_CASE(paxos_config_covered),
	KUNIT_CASE(paxos_config_one_at_a_time),
	KUNIT_CASE(paxos_config_refused_switches),
	KUNIT_CASE(paxos_config_elected_across_switch),
	KUNIT_CASE(paxos_config_vote_across_switch),
	KUNIT_CASE(paxos_config_invalid),
	KUNIT_CASE(paxos_config_unreachable),
	KUNIT_CASE(paxos_config_no_quorum_after),
	KUNIT_CASE(paxos_config_learner_free),
	KUNIT_CASE(paxos_config_removed),
	KUNIT_CASE(paxos_config_auto_promote),
	KUNIT_CASE(paxos_config_quorum_lost),
	KUNIT_CASE(paxos_config_force_leader),
	{}
};

static struct kunit_suite paxos_config_suite = {
	.name = "paxos_config",
	.exit = ut_exit,
	.test_cases = paxos_config_cases,
};

kunit_test_suite(paxos_config_suite);
