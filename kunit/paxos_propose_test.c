// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: local proposals: limits, timeouts, configuration checks.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/err.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_ut.h"

/* ---- suite paxos_propose: local proposals ------------------------------- */

static void paxos_propose_limits(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	static char big[PAXOS_DEFAULT_VALUE + 1];
	u32 i;

	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "", 0, 1, GFP_KERNEL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, big, sizeof(big), 1,
						 GFP_KERNEL), -EMSGSIZE);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "v", 1, i,
							 GFP_KERNEL), 0);
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "v", 1, 9, GFP_KERNEL),
			-EAGAIN);
}

/* Without a leader a proposal times out, once, and frees its queue slot. */
/*
 * A proposal times out whatever state the node is in: a learner that joined,
 * and a "new cluster" voter whose peers never answer its probe.
 */
static const bool timeout_join_cases[] = { true, false };

static void timeout_join_desc(const bool *join, char *desc)
{
	strscpy(desc, *join ? "joined learner" : "probing voter",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(timeout_join, timeout_join_cases, timeout_join_desc);

static void paxos_propose_timeout(struct kunit *test)
{
	const bool *join = test->param_value;
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, *join);
	struct paxos_completion *c;
	u32 i, n = 0;

	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "v", 1, 7, GFP_KERNEL),
			0);
	for (i = 0; i < 1001; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	list_for_each_entry(c, &u->r.completions, list) {
		KUNIT_EXPECT_EQ(test, c->req_id, 7ULL);
		KUNIT_EXPECT_EQ(test, c->error, -ETIMEDOUT);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1U);
}

struct config_case {
	const char *desc;
	u32 self;
	u32 ids[3];
	u32 roles[3];
};

static const struct config_case config_cases[] = {
	{ "node not a member", 9, { 1, 2, 3 } },
	{ "duplicate ids", 1, { 1, 2, 2 } },
	{ "node id zero", 1, { 1, 0, 3 } },
	{ "no voter", 1, { 1, 2, 3 }, { 1, 1, 1 } },
	{ "unknown role", 1, { 1, 2, 3 }, { 0, 7, 0 } },
};

static void config_case_desc(const struct config_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(config, config_cases, config_case_desc);

static void paxos_propose_bad_config(struct kunit *test)
{
	const struct config_case *c = test->param_value;
	struct paxos_core_config *cfg;
	struct paxos_core *core;
	u32 i;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->group_id = UT_GROUP;
	cfg->node_id = c->self;
	cfg->nr_members = 3;
	for (i = 0; i < 3; i++) {
		cfg->members[i].node_id = c->ids[i];
		cfg->members[i].role = c->roles[i];
	}
	core = paxos_core_create(cfg, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(core), -EINVAL);
	if (!IS_ERR(core))
		paxos_core_destroy(core);
}

/*
 * A follower forwards the values proposed in one run of work together, in
 * one FORWARD, when the output is collected; values proposed later go in
 * the next one.
 */
static void paxos_propose_forward_batch(struct kunit *test)
{
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;
	u32 i;

	ut_start(u, 3, 2);
	ut_accept(u, 1, 1, 1, 0, 0, NULL, 0);	/* node 1 leads */
	paxos_core_tick(u->core, GFP_KERNEL);	/* a clock past 0 */
	ut_reset(u);
	for (i = 1; i <= 3; i++)
		KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "v", 1, i,
							 GFP_KERNEL), 0);
	/* Nothing before the output is collected. */
	KUNIT_EXPECT_TRUE(test, list_empty(&u->r.msgs));
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_FORWARD), 1U);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_FORWARD, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.nr, 3U);
	ut_reset(u);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "w", 1, 4, GFP_KERNEL),
			0);
	ut_collect(u);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_FORWARD, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.nr, 1U);
}

static struct kunit_case paxos_propose_cases[] = {
	KUNIT_CASE(paxos_propose_limits),
	KUNIT_CASE(paxos_propose_forward_batch),
	KUNIT_CASE_PARAM(paxos_propose_timeout, timeout_join_gen_params),
	KUNIT_CASE_PARAM(paxos_propose_bad_config, config_gen_params),
	{}
};

static struct kunit_suite paxos_propose_suite = {
	.name = "paxos_propose",
	.exit = ut_exit,
	.test_cases = paxos_propose_cases,
};

kunit_test_suites(&paxos_propose_suite);
