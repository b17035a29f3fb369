// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the log's memory follows its use.  The slot ring starts small and
 * grows as the retained span needs it (a growth that fails is a lost
 * message, never a lost vote), and the learned slots kept are bounded in
 * bytes as well as in slots.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_core_int.h"
#include "paxos_ut.h"

/* Retention 100, window 8: the ring may grow to 256 cells. */
static const struct ut_log ring_log = { .retention = 100, .window = 8 };
#define RING_SPAN	256

static struct paxos_core_status *ring_status(struct ut *u)
{
	struct paxos_core_status *st;

	st = kunit_kzalloc(u->test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(u->test, st);
	paxos_core_status(u->core, st);
	return st;
}

static u64 ring_cells(struct ut *u)
{
	return ring_status(u)->ring_cells;
}

/* Slot @s's value: its number in eight digits. */
static void ring_value(u64 s, char *buf)
{
	scnprintf(buf, 9, "%08llu", s);
}

static void ring_learn(struct ut *u, u64 from, u64 to)
{
	char val[9];
	struct ut_ent e = E(1, 1, 1, 1, val);
	u64 s;

	for (s = from; s <= to; s++) {
		ring_value(s, val);
		e.slot = s;
		e.seq = s;
		ut_learn(u, 1, &e, 1);
	}
	ut_reset(u);
}

/* Every slot of [@from, @to] reads back its own value. */
static void ring_expect_values(struct ut *u, u64 from, u64 to)
{
	char want[9], buf[16];
	u64 s;

	for (s = from; s <= to; s++) {
		ring_value(s, want);
		KUNIT_ASSERT_EQ(u->test, paxos_core_read(u->core, s, buf,
							 sizeof(buf), NULL), 8);
		KUNIT_EXPECT_MEMEQ(u->test, buf, want, 8);
	}
}

/* Allocating the ring of @cells cells fails from now on. */
static void ring_fail_growth(struct ut *u, u64 cells)
{
	u->fail = true;
	u->fail_size = cells * sizeof(struct paxos_slot);
	u->failed = 0;
}

static void ring_allow_growth(struct ut *u)
{
	u->fail = false;
	u->fail_size = 0;
}

/* ---- suite paxos_ring: the slot ring grows with use --------------------- */

/* Small at first, doubled as slots are learned, values kept across moves. */
static void paxos_ring_grows(struct kunit *test)
{
	struct ut *u = ut_new_log(test, 2, 3, 0, &ring_log);

	ut_start(u, 3, 2);
	KUNIT_EXPECT_EQ(test, ring_cells(u), (u64)PAXOS_RING_MIN);
	ring_learn(u, 1, 64);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 64ULL);
	ring_learn(u, 65, 65);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 128ULL);
	ring_learn(u, 66, 150);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 256ULL);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 150ULL);
	ring_expect_values(u, 1, 150);
	/* Past twice the retention the ring turns, and stays at its span. */
	ring_learn(u, 151, 300);
	KUNIT_EXPECT_EQ(test, paxos_core_first_retained(u->core), 101ULL);
	KUNIT_EXPECT_EQ(test, ring_cells(u), (u64)RING_SPAN);
	ring_expect_values(u, 101, 300);
}

/* A slot far ahead grows the ring at once to what it needs; none beyond. */
static void paxos_ring_grows_to_fit(struct kunit *test)
{
	struct ut *u = ut_new_log(test, 2, 3, 0, &ring_log);
	struct ut_ent far = E(RING_SPAN + 1, 1, 1, 1, "far");
	char val[9];
	struct ut_ent e = E(200, 1, 1, 1, val);

	ut_start(u, 3, 2);
	/* Slot 257 is beyond the span from slot 1: refused, nothing grows. */
	ut_learn(u, 1, &far, 1);
	KUNIT_EXPECT_EQ(test, ring_cells(u), (u64)PAXOS_RING_MIN);
	ring_value(200, val);
	ut_learn(u, 1, &e, 1);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 256ULL);
	ring_learn(u, 1, 199);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 200ULL);
	ring_expect_values(u, 1, 200);
}

/* A learner whose ring cannot grow drops the value, and takes it later. */
static void paxos_ring_grow_fails_learner(struct kunit *test)
{
	struct ut *u = ut_new_log(test, 2, 3, 0, &ring_log);
	u64 nomem;

	ut_start(u, 3, 2);
	ring_learn(u, 1, 64);
	nomem = ring_status(u)->counters.nomem;
	ring_fail_growth(u, 128);
	ring_learn(u, 65, 65);
	KUNIT_EXPECT_GE(test, u->failed, 1U);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 64ULL);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 64ULL);
	KUNIT_EXPECT_GT(test, ring_status(u)->counters.nomem, nomem);
	ring_expect_values(u, 1, 64);
	ring_allow_growth(u);
	ring_learn(u, 65, 65);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 65ULL);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 128ULL);
	ring_expect_values(u, 1, 65);
}

/*
 * An acceptor whose ring cannot grow does not vote for the slot: its
 * Accepted leaves the slot out, as if the Accept had been lost.
 */
static void paxos_ring_grow_fails_acceptor(struct kunit *test)
{
	struct ut *u = ut_new_log(test, 2, 3, 0, &ring_log);
	const struct ut_ent e = E(65, 1, 1, 1, "late");
	struct paxos_wire_msg msg;

	ut_start(u, 3, 2);
	ring_fail_growth(u, 128);
	ut_accept(u, 1, 1, 1, 0, 0, &e, 1);
	KUNIT_EXPECT_GE(test, u->failed, 1U);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 1, &msg));
	KUNIT_EXPECT_EQ(test, msg.nr, 0U);
	/* Nothing held: a later leader's phase 1 hears of no value there. */
	ut_reset(u);
	ut_prepare(u, 3, 2, 3, 1, 100);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PROMISE, 3, &msg));
	KUNIT_EXPECT_EQ(test, msg.nr, 0U);

	ring_allow_growth(u);
	ut_reset(u);
	ut_accept(u, 3, 2, 3, 0, 0, &e, 1);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPTED, 3, &msg));
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	KUNIT_EXPECT_EQ(test, paxos_wire_get_slot(msg.entries, 0), 65ULL);
	KUNIT_EXPECT_EQ(test, ring_cells(u), 128ULL);
}

/*
 * A leader whose ring cannot grow keeps the value queued and stays leader;
 * the proposal goes through once the ring can grow.
 */
static void paxos_ring_grow_fails_leader(struct kunit *test)
{
	static const struct ut_log log = {
		.retention = 100, .window = 64, .queue_limit = 64,
	};
	struct ut *u = ut_new_log(test, 1, 1, 0, &log);
	struct paxos_core_status *st;
	struct paxos_completion *comp;
	u64 leader_changes;
	char val[9];
	u32 i;

	for (i = 0; i < 100 && ut_state(u, NULL) != PAXOS_CS_LEADER; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	ut_reset(u);
	for (i = 1; i <= 64; i++) {
		ring_value(i, val);
		KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, val, 8, i,
							 GFP_KERNEL), 0);
		ut_reset(u);
	}
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 64ULL);
	leader_changes = ring_status(u)->counters.leader_changes;

	ring_fail_growth(u, 128);
	ring_value(65, val);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, val, 8, 65,
						 GFP_KERNEL), 0);
	for (i = 0; i < 50; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	st = ring_status(u);
	KUNIT_EXPECT_GE(test, u->failed, 1U);
	KUNIT_EXPECT_EQ(test, st->state, (u32)PAXOS_CS_LEADER);
	KUNIT_EXPECT_EQ(test, st->counters.leader_changes, leader_changes);
	KUNIT_EXPECT_EQ(test, st->learned, 64ULL);
	KUNIT_EXPECT_EQ(test, st->pending, 1U);
	KUNIT_EXPECT_EQ(test, st->ring_cells, 64ULL);
	KUNIT_EXPECT_TRUE(test, list_empty(&u->r.completions));

	ring_allow_growth(u);
	for (i = 0; i < 50 && paxos_core_learned(u->core) < 65; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	ut_collect(u);
	st = ring_status(u);
	KUNIT_EXPECT_EQ(test, st->learned, 65ULL);
	KUNIT_EXPECT_EQ(test, st->ring_cells, 128ULL);
	KUNIT_EXPECT_EQ(test, st->counters.leader_changes, leader_changes);
	comp = list_first_entry_or_null(&u->r.completions,
					struct paxos_completion, list);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_EXPECT_EQ(test, comp->req_id, 65ULL);
	KUNIT_EXPECT_EQ(test, comp->slot, 65ULL);
	KUNIT_EXPECT_EQ(test, comp->error, 0);
	ring_expect_values(u, 1, 65);
}

/* retain_bytes is bounded like every other limit. */
static void paxos_ring_config_limit(struct kunit *test)
{
	struct paxos_core_config *cfg;
	struct paxos_core *c;

	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	cfg->group_id = UT_GROUP;
	cfg->node_id = 1;
	cfg->nr_members = 1;
	cfg->members[0].node_id = 1;
	cfg->retain_bytes = PAXOS_RETAIN_BYTES_MAX + 1;
	c = paxos_core_create(cfg, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(c), -EINVAL);
	if (!IS_ERR(c))
		paxos_core_destroy(c);
	cfg->retain_bytes = PAXOS_RETAIN_BYTES_MAX;
	c = paxos_core_create(cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	paxos_core_destroy(c);
}

static struct kunit_case paxos_ring_cases[] = {
	KUNIT_CASE(paxos_ring_grows),
	KUNIT_CASE(paxos_ring_grows_to_fit),
	KUNIT_CASE(paxos_ring_grow_fails_learner),
	KUNIT_CASE(paxos_ring_grow_fails_acceptor),
	KUNIT_CASE(paxos_ring_grow_fails_leader),
	KUNIT_CASE(paxos_ring_config_limit),
	{}
};

static struct kunit_suite paxos_ring_suite = {
	.name = "paxos_ring",
	.exit = ut_exit,
	.test_cases = paxos_ring_cases,
};

/* ---- suite paxos_trim_bytes: learned slots bounded in bytes ------------- */

struct bytes_case {
	const char *desc;
	u32 len;		/* of every value (0: no-ops) */
	u64 learned;		/* slots learned */
	u64 hint;		/* every member learned up to here */
	u32 retain_bytes;
	u64 first;		/* expected first retained slot */
};

#define COST(len)	((len) + PAXOS_SLOT_COST)

/* Retention 100 never binds here: bytes do. */
static const struct bytes_case bytes_cases[] = {
	{ "within the bound", 1000, 4, 0, 4 * COST(1000), 1 },
	{ "beyond it, oldest go", 1000, 10, 0, 4 * COST(1000), 7 },
	{ "half of it once all learned", 1000, 10, 10, 4 * COST(1000), 9 },
	{ "half of it, only what all learned", 1000, 10, 3, 8 * COST(1000), 4 },
	{ "no-ops count their bookkeeping", 0, 40, 0, 10 * COST(0), 31 },
	{ "a value above the bound is not kept", 5000, 3, 0, 4 * COST(1000),
	  4 },
};

static void bytes_case_desc(const struct bytes_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bytes, bytes_cases, bytes_case_desc);

static void paxos_trim_bytes_bounds(struct kunit *test)
{
	const struct bytes_case *c = test->param_value;
	const struct ut_log log = {
		.retention = 100, .window = 8, .retain_bytes = c->retain_bytes,
	};
	struct ut *u = ut_new_log(test, 2, 3, PAXOS_MAX_VALUE, &log);
	char *val = kunit_kzalloc(test, c->len + 1, GFP_KERNEL);
	struct ut_ent e = E(1, 1, 1, 1, c->len ? val : NULL);
	struct paxos_core_status *st;
	struct paxos_wire_msg msg;
	u64 s;

	KUNIT_ASSERT_NOT_NULL(test, val);
	memset(val, 'b', c->len);
	ut_start(u, 3, 2);
	ut_accept(u, 1, 1, 1, 0, c->hint, NULL, 0);	/* heartbeat: trim hint */
	for (s = 1; s <= c->learned; s++) {
		e.slot = s;
		e.seq = s;
		ut_learn(u, 1, &e, 1);
		ut_reset(u);
		/* The bound holds after every step, not only at the end. */
		KUNIT_ASSERT_LE(test, ring_status(u)->retained_bytes,
				(u64)c->retain_bytes);
	}
	st = ring_status(u);
	KUNIT_EXPECT_EQ(test, st->learned, c->learned);
	KUNIT_EXPECT_EQ(test, st->first_retained, c->first);
	KUNIT_EXPECT_EQ(test, st->retained_bytes,
			(c->learned - c->first + 1) * COST(c->len));
	if (c->first > 1)
		KUNIT_EXPECT_EQ(test, paxos_core_read(u->core, c->first - 1, NULL,
						      0, NULL), -ENOENT);
	/* A member that needs what went gets the snapshot at the trim point. */
	ut_catchup(u, 3, 1);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_LEARN, 3, &msg));
	KUNIT_EXPECT_EQ(test, msg.first_retained, c->first);
	KUNIT_EXPECT_EQ(test, !!(msg.flags & PAXOS_WF_LEARN_SNAPSHOT),
			c->first > 1);
}

static struct kunit_case paxos_trim_bytes_cases[] = {
	KUNIT_CASE_PARAM(paxos_trim_bytes_bounds, bytes_gen_params),
	{}
};

static struct kunit_suite paxos_trim_bytes_suite = {
	.name = "paxos_trim_bytes",
	.exit = ut_exit,
	.test_cases = paxos_trim_bytes_cases,
};

kunit_test_suites(&paxos_ring_suite, &paxos_trim_bytes_suite);
