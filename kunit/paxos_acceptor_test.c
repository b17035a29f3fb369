// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the acceptor: promise, reject, accept.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_ut.h"

/* ---- suite paxos_acceptor: promise, reject, accept ---------------------- */

struct acceptor_case {
	const char *desc;
	u32 type;		/* PREPARE or ACCEPT */
	u32 round;
	u32 node;
	u32 expect;		/* PROMISE, REJECT or ACCEPTED */
};

/* The acceptor has promised (5, 2) before each case. */
static const struct acceptor_case acceptor_cases[] = {
	{ "prepare lower round", PAXOS_MSG_PREPARE, 4, 3, PAXOS_MSG_REJECT },
	{ "prepare same round lower node", PAXOS_MSG_PREPARE, 5, 1,
	  PAXOS_MSG_REJECT },
	{ "prepare equal ballot", PAXOS_MSG_PREPARE, 5, 2, PAXOS_MSG_PROMISE },
	{ "prepare same round higher node", PAXOS_MSG_PREPARE, 5, 3,
	  PAXOS_MSG_PROMISE },
	{ "prepare higher round", PAXOS_MSG_PREPARE, 6, 1, PAXOS_MSG_PROMISE },
	{ "accept lower round", PAXOS_MSG_ACCEPT, 4, 3, PAXOS_MSG_REJECT },
	{ "accept same round lower node", PAXOS_MSG_ACCEPT, 5, 1,
	  PAXOS_MSG_REJECT },
	{ "accept equal ballot", PAXOS_MSG_ACCEPT, 5, 2, PAXOS_MSG_ACCEPTED },
	{ "accept higher ballot", PAXOS_MSG_ACCEPT, 7, 3, PAXOS_MSG_ACCEPTED },
};

static void acceptor_case_desc(const struct acceptor_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(acceptor, acceptor_cases, acceptor_case_desc);

static void paxos_acceptor_ballots(struct kunit *test)
{
	const struct acceptor_case *c = test->param_value;
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	const struct ut_ent ent = { .slot = 1, .round = c->round,
				    .node = c->node, .origin = 2, .seq = 1,
				    .low = 1, .val = "v" };
	struct paxos_wire_msg msg;
	u32 sender = c->node == 1 ? 3 : c->node;
	bool lower = c->expect == PAXOS_MSG_REJECT;

	ut_start(u, 3, 1);
	ut_prepare(u, 2, 5, 2, 1, U64_MAX);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PROMISE, 2, &msg));
	ut_reset(u);

	if (c->type == PAXOS_MSG_PREPARE)
		ut_prepare(u, sender, c->round, c->node, 1, U64_MAX);
	else
		ut_accept(u, sender, c->round, c->node, 0, 0, &ent, 1);

	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, c->expect, sender, &msg));
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE) +
			ut_count(u, PAXOS_MSG_REJECT) +
			ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	if (lower) {
		/* The Reject names the refused ballot and the promised one. */
		KUNIT_EXPECT_EQ(test, msg.ballot.round, c->round);
		KUNIT_EXPECT_EQ(test, msg.ballot.node, c->node);
		KUNIT_EXPECT_EQ(test, msg.promised.round, 5U);
		KUNIT_EXPECT_EQ(test, msg.promised.node, 2U);
		return;
	}
	KUNIT_EXPECT_EQ(test, msg.ballot.round, c->round);
	KUNIT_EXPECT_EQ(test, msg.ballot.node, c->node);
	if (c->type == PAXOS_MSG_ACCEPT) {
		KUNIT_ASSERT_EQ(test, msg.nr, 1U);
		KUNIT_EXPECT_EQ(test, get_unaligned_le64(msg.entries), 1ULL);
	}
	/* A lower ballot is now refused. */
	ut_reset(u);
	ut_prepare(u, 2, 5, 1, 1, U64_MAX);
	KUNIT_EXPECT_NOT_NULL(test, ut_find(u, PAXOS_MSG_REJECT, 2, &msg));
}

/* A promise reports what the acceptor accepted, with its ballot. */
static void paxos_acceptor_promise_reports(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	const struct ut_ent ents[] = {
		{ .slot = 1, .round = 5, .node = 2, .origin = 2, .seq = 1,
		  .low = 1, .val = "one" },
		{ .slot = 3, .round = 5, .node = 2, .origin = 3, .seq = 1,
		  .low = 1, .val = "three" },
	};
	struct paxos_wire_value w;
	struct paxos_wire_msg msg;
	const u8 *p;

	ut_start(u, 3, 1);
	ut_accept(u, 2, 5, 2, 0, 0, ents, 2);
	ut_reset(u);
	ut_prepare(u, 3, 6, 3, 1, U64_MAX);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PROMISE, 3, &msg));
	KUNIT_EXPECT_TRUE(test, msg.flags & PAXOS_WF_PROMISE_LAST);
	KUNIT_ASSERT_EQ(test, msg.nr, 2U);
	p = paxos_wire_get_entry(msg.entries, &w);
	KUNIT_EXPECT_EQ(test, w.slot, 1ULL);
	KUNIT_EXPECT_EQ(test, w.ballot.round, 5U);
	KUNIT_EXPECT_EQ(test, w.ballot.node, 2U);
	KUNIT_EXPECT_MEMEQ(test, w.data, "one", 3);
	paxos_wire_get_entry(p, &w);
	KUNIT_EXPECT_EQ(test, w.slot, 3ULL);
	KUNIT_EXPECT_MEMEQ(test, w.data, "three", 5);
}

/* A node that joined an existing cluster never votes. */
static void paxos_acceptor_joined_never_votes(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, true);
	const struct ut_ent ent = { .slot = 1, .round = 5, .node = 2,
				    .origin = 2, .seq = 1, .low = 1,
				    .val = "v" };
	struct paxos_wire_msg msg;
	u32 flags = 0, i;

	KUNIT_EXPECT_EQ(test, ut_state(u, &flags), (u32)PAXOS_CS_LEARNER);
	KUNIT_EXPECT_TRUE(test, flags & PAXOS_STATUS_JOINED);
	KUNIT_EXPECT_FALSE(test, flags & PAXOS_STATUS_VOTING);
	ut_prepare(u, 2, 5, 2, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 0U);
	ut_accept(u, 2, 5, 2, 0, 0, &ent, 1);
	KUNIT_EXPECT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 2, &msg));
	for (i = 0; i < 100; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PREPARE), 0U);
}

static struct kunit_case paxos_acceptor_cases[] = {
	KUNIT_CASE_PARAM(paxos_acceptor_ballots, acceptor_gen_params),
	KUNIT_CASE(paxos_acceptor_promise_reports),
	KUNIT_CASE(paxos_acceptor_joined_never_votes),
	{}
};

static struct kunit_suite paxos_acceptor_suite = {
	.name = "paxos_acceptor",
	.exit = ut_exit,
	.test_cases = paxos_acceptor_cases,
};

kunit_test_suites(&paxos_acceptor_suite);
