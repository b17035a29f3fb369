// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the learner: in order, no gaps; and the bounded log (trimming, skipping
 * to the trim point).
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "paxos_ut.h"

/* ---- suite paxos_learner: in order, no gaps ----------------------------- */

struct learner_case {
	const char *desc;
	u64 order[4];		/* slots in the order they are learned */
};

static const struct learner_case learner_cases[] = {
	{ "in order", { 1, 2, 3 } },
	{ "gap first", { 2, 3, 1 } },
	{ "reverse", { 3, 2, 1 } },
	{ "gap in the middle", { 1, 3, 2 } },
	{ "repeats", { 2, 2, 1, 3 } },
};

static void learner_case_desc(const struct learner_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(learner, learner_cases, learner_case_desc);

static void paxos_learner_in_order(struct kunit *test)
{
	static const char *const vals[] = { "", "a", "b", "c" };
	const struct learner_case *c = test->param_value;
	struct ut *u = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, false);
	struct paxos_delivery *d[8];
	bool seen[4] = {};
	u64 prefix = 0;
	u32 i, n;

	for (i = 0; i < ARRAY_SIZE(c->order) && c->order[i]; i++) {
		u64 s = c->order[i];
		struct ut_ent e = E(s, 1, 2, 2, vals[s]);

		ut_learn(u, 2, &e, 1);
		seen[s] = true;
		while (prefix < 3 && seen[prefix + 1])
			prefix++;
		/* Exactly the contiguous prefix, nothing past a missing slot. */
		n = ut_deliveries(u, d, ARRAY_SIZE(d));
		KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), prefix);
		KUNIT_EXPECT_EQ(test, (u64)n, prefix);
	}
	n = ut_deliveries(u, d, ARRAY_SIZE(d));
	KUNIT_ASSERT_EQ(test, n, 3U);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, d[i]->slot, (u64)i + 1);
		KUNIT_EXPECT_EQ(test, d[i]->kind, (u32)PAXOS_DELIVER_VALUE);
		KUNIT_EXPECT_EQ(test, d[i]->len, 1U);
		KUNIT_EXPECT_MEMEQ(test, d[i]->data, vals[i + 1], 1);
	}
}

/*
 * A commit point marks chosen only the slots held in the leader's ballot;
 * a value from another ballot is fetched instead.  Five voters, so that
 * accepting does not make a quorum with the leader's vote.
 */
static void paxos_learner_commit_needs_ballot(struct kunit *test)
{
	struct ut *u = ut_new(test, 2, 5, 0, PAXOS_CORE_MULTI, false);
	const struct ut_ent old = E(1, 2, 3, 3, "old");
	const struct ut_ent cur = E(2, 4, 1, 1, "cur");
	struct paxos_delivery *d[4];
	struct paxos_wire_msg msg;

	ut_start(u, 5, 2);
	ut_accept(u, 3, 2, 3, 0, 0, &old, 1);
	ut_accept(u, 1, 4, 1, 0, 0, &cur, 1);
	ut_reset(u);
	/* Leader (4, 1) commits up to 2: slot 1 is held in ballot (2, 3). */
	ut_accept(u, 1, 4, 1, 2, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_CATCHUP, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.from, 1ULL);
	/* The catch-up answer supplies slot 1; slot 2 follows from the commit. */
	{
		const struct ut_ent chosen = { .slot = 1, .round = 3, .node = 1,
					       .origin = 1, .seq = 7, .low = 1,
					       .flags = PAXOS_WE_CHOSEN,
					       .val = "new" };

		ut_learn(u, 1, &chosen, 1);
	}
	ut_accept(u, 1, 4, 1, 2, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 2ULL);
	KUNIT_ASSERT_EQ(test, ut_deliveries(u, d, ARRAY_SIZE(d)), 2U);
	KUNIT_EXPECT_MEMEQ(test, d[0]->data, "new", 3);
	KUNIT_EXPECT_MEMEQ(test, d[1]->data, "cur", 3);
}

/* No-ops advance the log but carry nothing for readers. */
static void paxos_learner_noop(struct kunit *test)
{
	struct ut *u = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, false);
	const struct ut_ent ents[] = {
		{ .slot = 1, .round = 1, .node = 1 },
		E(2, 1, 1, 2, "x"),
	};
	struct paxos_delivery *d[4];
	struct paxos_slot_info info;
	char buf[8];

	ut_learn(u, 1, ents, 2);
	KUNIT_ASSERT_EQ(test, ut_deliveries(u, d, ARRAY_SIZE(d)), 2U);
	KUNIT_EXPECT_EQ(test, d[0]->kind, (u32)PAXOS_DELIVER_NOOP);
	KUNIT_EXPECT_EQ(test, d[0]->len, 0U);
	KUNIT_EXPECT_EQ(test, d[1]->kind, (u32)PAXOS_DELIVER_VALUE);
	KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, 1, buf, sizeof(buf), &info),
			0);
	KUNIT_EXPECT_EQ(test, info.kind, (u32)PAXOS_DELIVER_NOOP);
	KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, 2, buf, sizeof(buf), &info),
			1);
	KUNIT_EXPECT_EQ(test, buf[0], 'x');
	KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, 3, buf, sizeof(buf), NULL),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, 2, buf, 0, NULL), -EMSGSIZE);
}

static u64 ut_learned_on_accept(struct ut *u)
{
	struct paxos_core_status *st;

	st = kunit_kzalloc(u->test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(u->test, st);
	paxos_core_status(u->core, st);
	return st->counters.learned_on_accept;
}

/*
 * Of three voters, the leader's vote and a follower's own make a quorum:
 * the follower learns a slot as it accepts it, in order, with no commit
 * notice; slots past a gap wait for it.  Of five they do not, and a learner
 * has no vote of its own.
 */
static void paxos_learn_on_accept(struct kunit *test)
{
	const struct ut_ent s1 = E(1, 4, 1, 2, "a");
	const struct ut_ent s23[] = { E(2, 4, 1, 2, "b"), E(3, 4, 1, 3, "c") };
	struct paxos_delivery *d[4];
	struct ut *u;

	u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 3, 2);
	/* Slots 2 and 3 first: held, not learned, slot 1 is missing. */
	ut_accept(u, 1, 4, 1, 0, 0, s23, ARRAY_SIZE(s23));
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	ut_reset(u);
	/* Commit point 0: nothing says slot 1 is chosen but the two votes. */
	ut_accept(u, 1, 4, 1, 0, 0, &s1, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 3ULL);
	KUNIT_EXPECT_EQ(test, ut_learned_on_accept(u), 3ULL);
	KUNIT_ASSERT_EQ(test, ut_deliveries(u, d, ARRAY_SIZE(d)), 3U);
	KUNIT_EXPECT_MEMEQ(test, d[0]->data, "a", 1);
	KUNIT_EXPECT_MEMEQ(test, d[2]->data, "c", 1);
	/*
	 * Slot 1 is our own value: its vote is held (paxos_vote_held), and
	 * the next tick sends it: the leader needs it to learn it itself.
	 */
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);

	u = ut_new(test, 2, 5, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 5, 2);
	ut_accept(u, 1, 4, 1, 0, 0, &s1, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	KUNIT_EXPECT_EQ(test, ut_learned_on_accept(u), 0ULL);
	ut_accept(u, 1, 4, 1, 1, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 1ULL);

	/* An Accept of node 1's ballot sent by node 3 says nothing of 1's vote. */
	u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 3, 2);
	ut_accept(u, 3, 4, 1, 0, 0, &s1, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);

	/* Node 4 is a learner of three voters. */
	u = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, false);
	ut_start(u, 3, 4);
	ut_accept(u, 1, 4, 1, 0, 0, &s1, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	KUNIT_EXPECT_EQ(test, ut_learned_on_accept(u), 0ULL);
}

/* Slot @i of a decoded ACCEPTED (0 past its end). */
static u64 vote_slot(const struct paxos_wire_msg *msg, u32 i)
{
	return i < msg->nr ? paxos_wire_get_slot(msg->entries, i) : 0;
}

/*
 * A follower that learns its own values as it accepts them holds its vote
 * back: it leaves in front of the next FORWARD, in the same datagram, or
 * alone at the next Accept or tick.  Not when the Accept has another
 * node's value too (that node may hold its vote), nor for a slot learned
 * before, nor when the leader has no quorum without ours (two voters).
 */
static void paxos_vote_held(struct kunit *test)
{
	const struct ut_ent own[] = {
		E(1, 4, 1, 2, "a"), E(2, 4, 1, 2, "b"), E(3, 4, 1, 2, "c"),
	};
	const struct ut_ent mixed[] = { E(4, 4, 1, 2, "d"), E(5, 4, 1, 3, "e") };
	const struct ut_ent last = E(6, 4, 1, 2, "f");
	struct paxos_wire_value w;
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	struct ut *u;
	u32 n = 0;

	u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 3, 2);
	ut_accept(u, 1, 4, 1, 0, 0, NULL, 0);	/* node 1 leads */
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_reset(u);
	ut_accept(u, 1, 4, 1, 0, 0, &own[0], 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 1ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	ut_reset(u);

	/* The next proposal takes it along: one datagram. */
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 7, GFP_KERNEL),
			0);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_FORWARD), 0U);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.flags,
			(u32)(PAXOS_WF_ACCEPTED_VOTER | PAXOS_WF_ADMITTED |
			      PAXOS_WF_ACCEPTED_FORWARD));
	KUNIT_EXPECT_EQ(test, msg.ballot.round, 4U);
	KUNIT_EXPECT_EQ(test, msg.ballot.node, 1U);
	KUNIT_EXPECT_EQ(test, msg.learned, 1ULL);
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	KUNIT_EXPECT_EQ(test, vote_slot(&msg, 0), 1ULL);
	KUNIT_ASSERT_EQ(test, msg.fwd_nr, 1U);
	paxos_wire_get_entry(msg.fwd_entries, &w);
	KUNIT_EXPECT_EQ(test, w.origin, 2U);
	KUNIT_ASSERT_EQ(test, w.len, 1U);
	KUNIT_EXPECT_EQ(test, w.data[0], 'x');
	ut_reset(u);
	/* Sent once: nothing is left for the tick. */
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	ut_reset(u);

	/* No proposal comes: a tick at most. */
	ut_accept(u, 1, 4, 1, 1, 0, &own[1], 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 2ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.flags & PAXOS_WF_ACCEPTED_FORWARD, 0U);
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	KUNIT_EXPECT_EQ(test, vote_slot(&msg, 0), 2ULL);
	ut_reset(u);

	/* The next Accept: the held vote first, then its own answer. */
	ut_accept(u, 1, 4, 1, 2, 0, &own[2], 1);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	ut_accept(u, 1, 4, 1, 3, 0, mixed, ARRAY_SIZE(mixed));
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 5ULL);
	list_for_each_entry(m, &u->r.msgs, list) {
		if (paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPTED)
			continue;
		KUNIT_EXPECT_EQ(test, m->dest, 1U);
		KUNIT_EXPECT_EQ(test, vote_slot(&msg, 0), n ? 4ULL : 3ULL);
		KUNIT_EXPECT_EQ(test, msg.nr, n ? 2U : 1U);
		n++;
	}
	KUNIT_EXPECT_EQ(test, n, 2U);
	ut_reset(u);

	/* A slot learned before (a leader's retry): answered at once. */
	ut_accept(u, 1, 4, 1, 5, 0, &own[0], 1);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	ut_reset(u);
	/* Held when the core is destroyed: freed with it (kmemleak, LSan). */
	ut_accept(u, 1, 4, 1, 5, 0, &last, 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 6ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);

	/* Two voters: the leader has no quorum without our vote. */
	u = ut_new(test, 2, 2, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 2, 2);
	ut_accept(u, 1, 4, 1, 0, 0, &own[0], 1);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 1ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
}

static struct kunit_case paxos_learner_cases[] = {
	KUNIT_CASE_PARAM(paxos_learner_in_order, learner_gen_params),
	KUNIT_CASE(paxos_learner_commit_needs_ballot),
	KUNIT_CASE(paxos_learner_noop),
	KUNIT_CASE(paxos_learn_on_accept),
	KUNIT_CASE(paxos_vote_held),
	{}
};

static struct kunit_suite paxos_learner_suite = {
	.name = "paxos_learner",
	.exit = ut_exit,
	.test_cases = paxos_learner_cases,
};

/* ---- suite paxos_trim: bounded log -------------------------------------- */

struct trim_case {
	const char *desc;
	u64 learned;		/* slots learned */
	u64 hint;		/* every member learned up to here */
	u64 first;		/* expected first retained slot */
};

/* Retention is 8: keep 8 that all learned, never more than 16. */
static const struct trim_case trim_cases[] = {
	{ "below retention", 6, 6, 1 },
	{ "nobody else learned", 12, 0, 1 },
	{ "beyond twice the retention", 20, 0, 5 },
	{ "trim to retention", 12, 12, 5 },
	{ "only what all learned", 12, 2, 3 },
	{ "hint beyond retention", 30, 30, 23 },
};

static void trim_case_desc(const struct trim_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(trim, trim_cases, trim_case_desc);

static void ut_learn_range(struct ut *u, u64 from, u64 to)
{
	struct ut_ent e = E(1, 1, 1, 2, "t");
	u64 s;

	for (s = from; s <= to; s++) {
		e.slot = s;
		e.seq = s;
		ut_learn(u, 1, &e, 1);
	}
}

static void paxos_trim_bounds(struct kunit *test)
{
	const struct trim_case *c = test->param_value;
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	char buf[4];

	ut_start(u, 3, 2);
	ut_accept(u, 1, 1, 1, 0, c->hint, NULL, 0);	/* heartbeat: trim hint */
	ut_learn_range(u, 1, c->learned);
	ut_accept(u, 1, 1, 1, c->learned, c->hint, NULL, 0);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), c->learned);
	KUNIT_EXPECT_EQ(test, paxos_core_first_retained(u->core), c->first);
	if (c->first > 1)
		KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, c->first - 1, buf,
						      sizeof(buf), NULL), -ENOENT);
	KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, c->first, buf, sizeof(buf),
					      NULL), 1);
}

/*
 * A node behind the trim point skips the trimmed slots explicitly and gets
 * the dedup state with them, so it still suppresses a later duplicate.
 */
static void paxos_trim_skip_keeps_dedup(struct kunit *test)
{
	struct ut *a = ut_new(test, 2, 3, 1, PAXOS_CORE_MULTI, false);
	struct ut *b;
	struct paxos_delivery *d[8];
	struct paxos_msg_out *m;
	struct paxos_wire_msg msg;
	struct ut_ent dup = E(21, 1, 1, 2, "t");
	struct paxos_wire_value w;
	u32 n;

	ut_start(a, 3, 2);
	ut_learn_range(a, 1, 20);
	KUNIT_ASSERT_EQ(test, paxos_core_first_retained(a->core), 5ULL);
	ut_reset(a);
	ut_catchup(a, 4, 1);
	m = ut_find(a, PAXOS_MSG_LEARN, 4, &msg);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, msg.flags & PAXOS_WF_LEARN_SNAPSHOT);
	KUNIT_EXPECT_EQ(test, msg.first_retained, 5ULL);
	KUNIT_EXPECT_EQ(test, msg.nr_dedup, 1U);
	/* The configurations before slot 5 first, then slots 5..20. */
	KUNIT_EXPECT_EQ(test, msg.nr, 17U);
	paxos_wire_get_entry(msg.entries, &w);
	KUNIT_EXPECT_EQ(test, w.flags, (u32)PAXOS_WE_CONFSTATE);
	KUNIT_EXPECT_EQ(test, w.slot, 4ULL);

	/* A fresh learner (node 4) takes the answer. */
	b = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, true);
	KUNIT_ASSERT_EQ(test, paxos_core_receive(b->core, m->data, m->len,
						 GFP_KERNEL), 0);
	ut_collect(b);
	n = ut_deliveries(b, d, ARRAY_SIZE(d));
	KUNIT_ASSERT_GE(test, n, 2U);
	KUNIT_EXPECT_EQ(test, d[0]->kind, (u32)PAXOS_DELIVER_SKIPPED);
	KUNIT_EXPECT_EQ(test, d[0]->slot, 1ULL);
	KUNIT_EXPECT_EQ(test, d[0]->last_slot, 4ULL);
	KUNIT_EXPECT_EQ(test, d[1]->slot, 5ULL);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(b->core), 20ULL);
	/* Slot 21 repeats request 3, chosen in a slot it skipped. */
	ut_reset(b);
	dup.seq = 3;
	ut_learn(b, 2, &dup, 1);
	KUNIT_ASSERT_EQ(test, ut_deliveries(b, d, ARRAY_SIZE(d)), 1U);
	KUNIT_EXPECT_EQ(test, d[0]->kind, (u32)PAXOS_DELIVER_NOOP);
}

static struct kunit_case paxos_trim_cases[] = {
	KUNIT_CASE_PARAM(paxos_trim_bounds, trim_gen_params),
	KUNIT_CASE(paxos_trim_skip_keeps_dedup),
	{}
};

static struct kunit_suite paxos_trim_suite = {
	.name = "paxos_trim",
	.exit = ut_exit,
	.test_cases = paxos_trim_cases,
};

kunit_test_suites(&paxos_learner_suite, &paxos_trim_suite);
