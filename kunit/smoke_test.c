// SPDX-License-Identifier: GPL-2.0
/*
 * A trivial suite that proves the KUnit plumbing: the test module loads,
 * runs and reports through the harness.
 */
#include <kunit/test.h>

static void paxos_smoke_arith(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 2 + 2, 4);
}

static struct kunit_case paxos_smoke_cases[] = {
	KUNIT_CASE(paxos_smoke_arith),
	{}
};

static struct kunit_suite paxos_smoke_suite = {
	.name = "paxos_smoke",
	.test_cases = paxos_smoke_cases,
};

kunit_test_suite(paxos_smoke_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit smoke test for paxos");
