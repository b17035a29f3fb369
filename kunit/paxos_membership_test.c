// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the new-cluster probe: new cluster vs join.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>

#include "paxos_ut.h"

/* ---- suite paxos_membership: new cluster vs join ------------------------ */

/* A node that ran before and claims "new cluster" is refused. */
static void paxos_membership_refuses_restart(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;

	ut_start(u, 3, 1);
	ut_prepare(u, 2, 3, 2, 1, U64_MAX);	/* we hold state now */
	ut_reset(u);
	/* Node 3's incarnation said OK to us while we held nothing: welcome. */
	ut_hello(u, 3, PAXOS_WF_HELLO_NEW);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_HELLO, 3, &msg));
	KUNIT_EXPECT_TRUE(test, msg.flags & PAXOS_WF_HELLO_OK);
	ut_reset(u);
	/* Node 2 talked to us before under another incarnation. */
	um_begin(u);
	um_u64(u, 0);
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_HELLO, PAXOS_WF_HELLO_NEW, UT_GROUP,
			   2, 5555, u->len - PAXOS_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, u->buf, u->len,
						 GFP_KERNEL), 0);
	ut_collect(u);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_HELLO, 2, &msg));
	KUNIT_EXPECT_TRUE(test, msg.flags & PAXOS_WF_HELLO_REFUSE);
}

/* The refused node shows it in its status and stops voting. */
static void paxos_membership_refused_status(struct kunit *test)
{
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_core_status *st;
	u32 flags = 0, i;

	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	for (i = 0; i < 5; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_GE(test, ut_count(u, PAXOS_MSG_HELLO), 2U);
	ut_hello(u, 1, PAXOS_WF_HELLO_REFUSE);
	KUNIT_EXPECT_EQ(test, ut_state(u, &flags), (u32)PAXOS_CS_LEARNER);
	KUNIT_EXPECT_TRUE(test, flags & PAXOS_STATUS_REFUSED);
	KUNIT_EXPECT_FALSE(test, flags & PAXOS_STATUS_VOTING);
	/* Not the incarnation the configuration admitted: no voter of ours. */
	KUNIT_EXPECT_TRUE(test, paxos_core_derived_ok(u->core));
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	paxos_core_status(u->core, st);
	KUNIT_EXPECT_EQ(test, st->refused_by, 1U);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			-ECONNREFUSED);
	ut_reset(u);
	ut_prepare(u, 1, 9, 1, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 0U);
}

/* Until every voter said yes, a new node neither votes nor campaigns. */
static void paxos_membership_probe_gates_voting(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	u32 i;

	ut_prepare(u, 2, 3, 2, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 0U);
	for (i = 0; i < 60; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PREPARE), 0U);
	ut_hello(u, 3, PAXOS_WF_HELLO_OK);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	ut_hello(u, 2, PAXOS_WF_HELLO_OK);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_FOLLOWER);
}

static struct kunit_case paxos_membership_cases[] = {
	KUNIT_CASE(paxos_membership_refuses_restart),
	KUNIT_CASE(paxos_membership_refused_status),
	KUNIT_CASE(paxos_membership_probe_gates_voting),
	{}
};

static struct kunit_suite paxos_membership_suite = {
	.name = "paxos_membership",
	.exit = ut_exit,
	.test_cases = paxos_membership_cases,
};

kunit_test_suites(&paxos_membership_suite);
