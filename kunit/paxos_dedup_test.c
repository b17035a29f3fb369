// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: exactly once per (origin, request).
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/string.h>

#include "paxos_ut.h"

/* ---- suite paxos_dedup: exactly once per (origin, request) ------------- */

struct dedup_step {
	u32 origin;
	u64 seq;
	u64 low;
	bool delivered;		/* VALUE (true) or suppressed NOOP */
};

struct dedup_case {
	const char *desc;
	struct dedup_step steps[5];
};

#define DV(o, s, l)	{ .origin = o, .seq = s, .low = l, .delivered = true }
#define DD(o, s, l)	{ .origin = o, .seq = s, .low = l, .delivered = false }

static const struct dedup_case dedup_cases[] = {
	{ "retry chosen twice", { DV(2, 1, 1), DD(2, 1, 1) } },
	{ "distinct requests", { DV(2, 1, 1), DV(2, 2, 1), DV(2, 3, 1) } },
	{ "same request id, other origin", { DV(2, 1, 1), DV(3, 1, 1) } },
	{ "out of order then retried", { DV(2, 2, 1), DV(2, 1, 1), DD(2, 2, 1),
					 DD(2, 1, 1) } },
	{ "abandoned below the low mark", { DV(2, 1, 1), DV(2, 3, 3),
					    DD(2, 2, 1) } },
	{ "retry after many others", { DV(2, 1, 1), DV(2, 2, 2), DV(2, 3, 2),
				       DV(2, 4, 2), DD(2, 1, 1) } },
};

static void dedup_case_desc(const struct dedup_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dedup, dedup_cases, dedup_case_desc);

static void paxos_dedup_delivers_once(struct kunit *test)
{
	const struct dedup_case *c = test->param_value;
	struct ut *u = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, false);
	struct paxos_delivery *d[8];
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(c->steps) && c->steps[i].origin; i++) {
		const struct dedup_step *st = &c->steps[i];
		const struct ut_ent e = { .slot = i + 1, .round = 1, .node = 1,
					  .origin = st->origin, .seq = st->seq,
					  .low = st->low, .val = "v" };

		ut_learn(u, 1, &e, 1);
	}
	n = ut_deliveries(u, d, ARRAY_SIZE(d));
	KUNIT_ASSERT_EQ(test, n, i);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, d[i]->kind, c->steps[i].delivered ?
				    (u32)PAXOS_DELIVER_VALUE :
				    (u32)PAXOS_DELIVER_NOOP, "slot %u", i + 1);
}

/*
 * End to end at the origin: a value forwarded twice (a retry after a leader
 * change) lands in two slots; it is delivered and completed once.
 */
static void paxos_dedup_retry_completes_once(struct kunit *test)
{
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_completion *comp;
	struct paxos_wire_value w;
	struct paxos_wire_msg msg;
	struct paxos_delivery *d[4];
	struct ut_ent e[2];
	u32 n = 0;

	ut_start(u, 3, 2);
	ut_accept(u, 1, 1, 1, 0, 0, NULL, 0);	/* node 1 leads */
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "req", 3, 99,
						 GFP_KERNEL), 0);
	ut_collect(u);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_FORWARD, 1, &msg));
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	paxos_wire_get_entry(msg.entries, &w);
	KUNIT_EXPECT_EQ(test, w.origin, 2U);
	/* Leader change: the value is forwarded again, to node 3. */
	ut_reset(u);
	ut_accept(u, 3, 2, 3, 0, 0, NULL, 0);
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_FORWARD, 3, &msg));
	ut_reset(u);
	/* Both leaders got it chosen. */
	e[0] = (struct ut_ent){ .slot = 1, .round = 1, .node = 1, .origin = 2,
				.seq = w.seq, .low = w.low, .val = "req" };
	e[1] = e[0];
	e[1].slot = 2;
	e[1].round = 2;
	e[1].node = 3;
	ut_learn(u, 3, e, 2);
	KUNIT_ASSERT_EQ(test, ut_deliveries(u, d, ARRAY_SIZE(d)), 2U);
	KUNIT_EXPECT_EQ(test, d[0]->kind, (u32)PAXOS_DELIVER_VALUE);
	KUNIT_EXPECT_EQ(test, d[1]->kind, (u32)PAXOS_DELIVER_NOOP);
	list_for_each_entry(comp, &u->r.completions, list) {
		KUNIT_EXPECT_EQ(test, comp->req_id, 99ULL);
		KUNIT_EXPECT_EQ(test, comp->slot, 1ULL);
		KUNIT_EXPECT_EQ(test, comp->error, 0);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 1U);
}

static struct kunit_case paxos_dedup_cases[] = {
	KUNIT_CASE_PARAM(paxos_dedup_delivers_once, dedup_gen_params),
	KUNIT_CASE(paxos_dedup_retry_completes_once),
	{}
};

static struct kunit_suite paxos_dedup_suite = {
	.name = "paxos_dedup",
	.exit = ut_exit,
	.test_cases = paxos_dedup_cases,
};

kunit_test_suites(&paxos_dedup_suite);
