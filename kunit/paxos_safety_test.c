// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the classes of bugs that once let two values be chosen for a slot,
 * or lost a completion, each with the test that caught it:
 *
 *   restarts       a "new" node that forgot its promises re-admitted (probe
 *                  answers, unanimity, incarnations bound and ordered)
 *   allocation     a failed allocation while a proposer adopts accepted
 *                  values, or while a completion is made
 *   big values     basic mode promise pages and LEARN datagrams by size
 *   dedup          more origin incarnations than the table had room for
 *   arithmetic     rounds and slots at their limits, from forged datagrams
 *
 * The harness is paxos_ut.c.  Every datagram any test makes a core send is
 * checked against the UDP payload limit there.
 */
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_ut.h"

static struct paxos_ballot ut_status_promised(struct ut *u)
{
	struct paxos_core_status *st;
	struct paxos_ballot b = {};

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return b;
	paxos_core_status(u->core, st);
	b = st->promised;
	kfree(st);
	return b;
}

/* The answer @u sent to node @dest's probe: OK, REFUSE or 0 (none). */
static u32 ut_probe_answer(struct ut *u, u32 dest, u64 inc)
{
	struct paxos_wire_msg msg;

	ut_reset(u);
	KUNIT_EXPECT_EQ(u->test, ut_hello_inc(u, dest, inc, PAXOS_WF_HELLO_NEW,
					      0), 0);
	if (!ut_find(u, PAXOS_MSG_HELLO, dest, &msg))
		return 0;
	KUNIT_EXPECT_EQ(u->test, msg.asker_inc, inc);
	return msg.flags;
}

/*
 * A voter that holds state refuses a probe every time it comes (duplicates
 * too) from an incarnation it did not hear while it held nothing.
 */
static void paxos_safety_refuses_every_probe(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	u32 i;

	ut_start(u, 3, 1);
	ut_prepare(u, 2, 3, 2, 1, U64_MAX);	/* we hold state now */
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 2, UT_INC(2) + 7),
				(u32)PAXOS_WF_HELLO_REFUSE);
		KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 3, UT_INC(3) + 3),
				(u32)PAXOS_WF_HELLO_REFUSE);
	}
}

/*
 * An incarnation heard while we held nothing is one of the new cluster: it is
 * told OK again after we gained state, a later incarnation is refused.
 */
static void paxos_safety_fresh_incarnation(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);

	KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 2, UT_INC(2)),
			(u32)PAXOS_WF_HELLO_OK);
	ut_start(u, 3, 1);
	ut_prepare(u, 3, 3, 3, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 2, UT_INC(2)),
			(u32)PAXOS_WF_HELLO_OK);
	KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 2, UT_INC(2) + 1),
			(u32)PAXOS_WF_HELLO_REFUSE);
	KUNIT_EXPECT_EQ(test, ut_probe_answer(u, 2, UT_INC(2) + 1),
			(u32)PAXOS_WF_HELLO_REFUSE);
}

/* A new node votes only once every other voter said OK; a REFUSE wins. */
static void paxos_safety_probe_needs_every_voter(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct ut *v = ut_new(test, 1, 5, 0, PAXOS_CORE_MULTI, false);
	u32 flags = 0;

	ut_hello(u, 2, PAXOS_WF_HELLO_OK);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	ut_hello(u, 2, PAXOS_WF_HELLO_OK);	/* a duplicate counts once */
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	ut_hello(u, 3, PAXOS_WF_HELLO_OK);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_FOLLOWER);

	ut_hello(v, 2, PAXOS_WF_HELLO_OK);
	ut_hello(v, 3, PAXOS_WF_HELLO_OK);
	ut_hello(v, 4, PAXOS_WF_HELLO_OK);	/* a majority, not everyone */
	KUNIT_EXPECT_EQ(test, ut_state(v, NULL), (u32)PAXOS_CS_PROBING);
	ut_hello(v, 5, PAXOS_WF_HELLO_REFUSE);
	KUNIT_EXPECT_EQ(test, ut_state(v, &flags), (u32)PAXOS_CS_LEARNER);
	KUNIT_EXPECT_TRUE(test, flags & PAXOS_STATUS_REFUSED);
}

/* Answers to another incarnation's probe are not ours. */
static void paxos_safety_answer_bound_to_incarnation(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);

	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 2, UT_INC(2), PAXOS_WF_HELLO_OK,
					   UT_INC(1) + 1), 0);
	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 3, UT_INC(3), PAXOS_WF_HELLO_OK,
					   UT_INC(1) - 1), 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 3, UT_INC(3),
					   PAXOS_WF_HELLO_REFUSE, 77), 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_PROBING);
	/* A probe names nobody, an answer names somebody. */
	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 3, UT_INC(3), PAXOS_WF_HELLO_OK,
					   0), -EBADMSG);
	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 3, UT_INC(3), PAXOS_WF_HELLO_NEW,
					   5), -EBADMSG);
}

/* Once a peer's newer incarnation spoke, the older one's datagrams are void. */
static void paxos_safety_stale_incarnation_dropped(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_ballot p;
	int rc;

	ut_start(u, 3, 1);
	KUNIT_EXPECT_EQ(test, ut_hello_inc(u, 2, UT_INC(2) + 9,
					   PAXOS_WF_HELLO_NEW, 0), 0);
	ut_reset(u);
	um_begin(u);
	um_ballot(u, 50, 2);
	um_u64(u, 1);
	um_u64(u, U64_MAX);
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_PREPARE, 0, UT_GROUP, 2, UT_INC(2),
			   u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, rc, -ESTALE);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 0U);
	p = ut_status_promised(u);
	KUNIT_EXPECT_NE(test, p.round, 50U);
}

static u64 ut_elections(struct ut *u)
{
	struct paxos_core_status *st;
	u64 n = 0;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return 0;
	paxos_core_status(u->core, st);
	n = st->counters.elections;
	kfree(st);
	return n;
}

/* Every Accept @u sent for slot 1 carries @val; returns how many there were. */
static u32 ut_slot1_accepts(struct ut *u, const char *val)
{
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	u32 n = 0;

	list_for_each_entry(m, &u->r.msgs, list) {
		struct paxos_wire_value w;

		if (paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT || !msg.nr)
			continue;
		paxos_wire_get_entry(msg.entries, &w);
		if (w.slot != 1)
			continue;
		KUNIT_EXPECT_EQ(u->test, w.len, (u32)strlen(val));
		if (w.len == strlen(val))
			KUNIT_EXPECT_MEMEQ(u->test, w.data, val, w.len);
		n++;
	}
	return n;
}

/*
 * The candidate's own acceptor holds "A" in slot 1 (not chosen: of five
 * voters only it and the old leader accepted it).  Whichever allocation
 * fails while its first election starts, it never proposes anything but "A"
 * there (once it leads at all).
 */
static void paxos_safety_alloc_fail_merge_own(struct kunit *test)
{
	const struct ut_ent a = E(1, 1, 2, 2, "A");
	struct paxos_ballot b;
	u32 k, i;

	for (k = 1; k <= 3; k++) {
		struct ut *u = ut_new(test, 1, 5, 0, PAXOS_CORE_MULTI, false);
		u64 before;

		ut_start(u, 5, 1);
		ut_accept(u, 2, 1, 2, 0, 0, &a, 1);
		ut_reset(u);
		before = ut_elections(u);
		for (i = 0; i < 300 && ut_state(u, NULL) != PAXOS_CS_LEADER;
		     i++) {
			/* The k-th allocation of the first election fails. */
			u->allocs = 0;
			u->fail_at = ut_elections(u) == before ? k : 0;
			paxos_core_tick(u->core, GFP_KERNEL);
			u->fail_at = 0;
			ut_collect(u);
			b = ut_status_ballot(u);
			if (ut_state(u, NULL) == PAXOS_CS_CANDIDATE) {
				ut_promise(u, 3, b.round, b.node, NULL, 0);
				ut_promise(u, 2, b.round, b.node, NULL, 0);
			}
		}
		KUNIT_EXPECT_GE(test, u->failed, 1U);
		KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
		KUNIT_EXPECT_GT(test, ut_slot1_accepts(u, "A"), 0U);
	}
}

/* The same in basic mode: an allocation fails while an attempt starts. */
static void paxos_safety_alloc_fail_basic_start(struct kunit *test)
{
	const struct ut_ent a = E(1, 1, 2, 2, "A");
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	u32 k, i;

	for (k = 1; k <= 6; k++) {
		struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_BASIC, false);

		ut_start(u, 3, 1);
		ut_accept(u, 2, 1, 2, 0, 0, &a, 1);
		ut_reset(u);
		u->allocs = 0;
		u->fail_at = k;
		if (paxos_core_propose(u->core, "BBBBBBB", 7, 1, GFP_KERNEL)) {
			u->fail_at = 0;
			KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core,
								 "BBBBBBB", 7,
								 1, GFP_KERNEL),
					0);
		}
		u->fail_at = 0;
		ut_collect(u);
		for (i = 0; i < 200 && !ut_find(u, PAXOS_MSG_PREPARE, 2, &msg);
		     i++) {
			paxos_core_tick(u->core, GFP_KERNEL);
			ut_collect(u);
		}
		KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2,
						    &msg));
		b = msg.ballot;
		ut_reset(u);
		ut_promise(u, 2, b.round, b.node, NULL, 0);
		ut_promise(u, 3, b.round, b.node, NULL, 0);
		KUNIT_EXPECT_GT(test, ut_slot1_accepts(u, "A"), 0U);
	}
}

/* Exactly one completion for every accepted proposal, allocations failing. */
static void paxos_safety_completion_never_lost(struct kunit *test)
{
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_completion *c;
	u32 i, accepted = 0, completed = 0;
	struct paxos_ballot b;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	for (i = 1; i <= 6; i++)
		accepted += !paxos_core_propose(u->core, "v", 1, i, GFP_KERNEL);
	KUNIT_ASSERT_EQ(test, accepted, 6U);
	ut_reset(u);
	/* Chosen and learned while nothing of a completion's size can be had. */
	u->fail = true;
	u->fail_size = sizeof(struct paxos_completion);
	for (i = 1; i <= 6; i++)
		ut_accepted(u, 2, b.round, b.node, i, true);
	for (i = 0; i < 20; i++)
		paxos_core_tick(u->core, GFP_KERNEL);
	u->fail = false;
	ut_collect(u);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 6ULL);
	list_for_each_entry(c, &u->r.completions, list) {
		KUNIT_EXPECT_EQ(test, c->error, 0);
		completed++;
	}
	KUNIT_EXPECT_EQ(test, completed, accepted);
}

/* Send a Promise page from @from: slots [@lo, @to], @last or not. */
static void ut_promise_page(struct ut *u, u32 from, struct paxos_ballot b,
			    u64 lo, u64 to, bool last,
			    const struct paxos_wire_value *w, u32 nr)
{
	u32 i;

	um_begin(u);
	um_ballot(u, b.round, b.node);
	um_u64(u, lo);
	um_u64(u, last ? U64_MAX : to);
	um_u64(u, 0);
	um_u64(u, 1);
	um_u32(u, nr);
	um_u32(u, 0);
	for (i = 0; i < nr; i++)
		u->len = paxos_wire_put_entry(u->buf + u->len, &w[i]) - u->buf;
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_PROMISE,
					 last ? PAXOS_WF_PROMISE_LAST : 0, from),
			0);
}

/*
 * Basic mode: the accepted values of an attempt's range do not fit in one
 * promise.  The proposer asks for the next page, waits for it as long as
 * pages keep coming, and adopts both values.
 */
static void paxos_safety_basic_promise_pages(struct kunit *test)
{
	struct ut *u = ut_new_max(test, 1, 3, 0, PAXOS_CORE_BASIC, false,
				  PAXOS_MAX_VALUE);
	struct paxos_wire_value w[3];
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	struct paxos_ballot b;
	u32 i, k, seen = 0;

	for (i = 0; i < 3; i++) {
		w[i] = (struct paxos_wire_value){
			.slot = i + 1, .ballot = { 1, 2 }, .origin = 2,
			.len = 40000, .origin_inc = UT_INC(2), .seq = i + 1,
			.low = 1,
		};
		w[i].data = ut_big_value(test, w[i].len, i);
	}
	/* All queued before the first attempt, which then covers them all. */
	for (i = 1; i <= 3; i++)
		KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, i,
							 GFP_KERNEL), 0);
	ut_start(u, 3, 1);
	for (i = 0; i < 100 && !ut_find(u, PAXOS_MSG_PREPARE, 2, &msg); i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2, &msg));
	KUNIT_ASSERT_EQ(test, msg.from, 1ULL);
	KUNIT_ASSERT_GE(test, msg.to, 3ULL);
	b = msg.ballot;
	/*
	 * Node 2 answers one slot per page, each page asked for, and slowly:
	 * together they take longer than an attempt may last without news
	 * (election_max_ticks, 20), but every page is progress.
	 */
	for (k = 0; k < 3; k++) {
		ut_reset(u);
		ut_promise_page(u, 2, b, k + 1, k + 1, k == 2, &w[k], 1);
		if (k == 2)
			break;
		KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2,
						    &msg));
		KUNIT_EXPECT_EQ(test, msg.from, k + 2ULL);
		for (i = 0; i < 12; i++)
			paxos_core_tick(u->core, GFP_KERNEL);
	}
	list_for_each_entry(m, &u->r.msgs, list) {
		const u8 *p;

		if (paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT || m->dest != 2)
			continue;
		p = msg.entries;
		for (k = 0; k < msg.nr; k++) {
			struct paxos_wire_value e;

			p = paxos_wire_get_entry(p, &e);
			if (e.slot < 1 || e.slot > 3)
				continue;
			KUNIT_EXPECT_EQ(test, e.len, 40000U);
			if (e.len == 40000)
				KUNIT_EXPECT_MEMEQ(test, e.data,
						   w[e.slot - 1].data, 40000);
			seen |= BIT(e.slot);
		}
	}
	KUNIT_EXPECT_EQ(test, seen, (u32)(BIT(1) | BIT(2) | BIT(3)));
}

/*
 * Multi-Paxos: a candidate whose promises come in many slow pages (a long
 * suffix of big values) keeps its ballot while pages keep coming, instead of
 * starting over, and wins.
 */
static void paxos_safety_candidate_slow_pages(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	u32 k, i;

	ut_start(u, 3, 1);
	ut_tick_until(u, PAXOS_MSG_PREPARE, 40);
	b = ut_status_ballot(u);
	for (k = 0; k < 3; k++) {
		const struct ut_ent e = E(k * 5 + 1, 1, 2, 2, "p");
		struct paxos_wire_value w;

		ut_wire_value(&e, &w);
		ut_reset(u);
		ut_promise_page(u, 2, b, k * 5 + 1, k * 5 + 5, k == 2, &w, 1);
		if (k == 2)
			break;
		KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2,
						    &msg));
		KUNIT_EXPECT_EQ(test, msg.from, k * 5 + 6ULL);
		for (i = 0; i < 12; i++)
			paxos_core_tick(u->core, GFP_KERNEL);
	}
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_EXPECT_EQ(test, ut_status_ballot(u).round, b.round);
}

/*
 * Basic mode: while another proposer's attempt goes on (its page requests
 * keep coming), a proposer with work of its own stays out of its way
 * instead of preempting it each time its backoff ends; but it does not wait
 * for the next attempt too.
 */
static void paxos_safety_basic_yields(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_BASIC, false);
	struct paxos_wire_msg msg;
	u32 i, k;

	ut_start(u, 3, 1);
	ut_prepare(u, 2, 5, 2, 1, 8);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "mine", 4, 1,
						 GFP_KERNEL), 0);
	ut_reset(u);
	/* Node 2 asks for a page every 8 ticks for 100 ticks. */
	for (k = 0; k < 12; k++) {
		ut_prepare(u, 2, 5, 2, k + 1, 20);
		for (i = 0; i < 8; i++) {
			paxos_core_tick(u->core, GFP_KERNEL);
			ut_collect(u);
		}
		KUNIT_EXPECT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 0, &msg));
	}
	/*
	 * Its next attempt does not keep us waiting too: ours goes within a
	 * backoff, however busy node 2 is.
	 */
	for (i = 0; i < 40 && !ut_find(u, PAXOS_MSG_PREPARE, 0, &msg); i++) {
		if (!(i % 4))
			ut_prepare(u, 2, 6, 2, i + 1, 100);
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_EXPECT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 0, &msg));
}

/* Basic mode: the chosen values of an attempt are announced in pieces. */
static void paxos_safety_basic_learn_split(struct kunit *test)
{
	struct ut *u = ut_new_max(test, 1, 3, 0, PAXOS_CORE_BASIC, false,
				  PAXOS_MAX_VALUE);
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	struct paxos_ballot b;
	u32 i, learned = 0;
	u8 *v;

	for (i = 0; i < 3; i++) {
		v = ut_big_value(test, 30000, i);
		KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, v, 30000, i + 1,
							 GFP_KERNEL), 0);
	}
	ut_start(u, 3, 1);
	for (i = 0; i < 100 && !ut_find(u, PAXOS_MSG_PREPARE, 2, &msg); i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
	}
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2, &msg));
	b = msg.ballot;
	ut_reset(u);
	ut_promise_page(u, 2, b, msg.from, 0, true, NULL, 0);
	ut_promise_page(u, 3, b, msg.from, 0, true, NULL, 0);
	ut_reset(u);
	for (i = 1; i <= 3; i++)
		ut_accepted(u, 2, b.round, b.node, i, true);
	list_for_each_entry(m, &u->r.msgs, list)
		if (!paxos_wire_decode(m->data, m->len, &msg) &&
		    msg.type == PAXOS_MSG_LEARN && m->dest == 3)
			learned += msg.nr;
	KUNIT_EXPECT_EQ(test, learned, 3U);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 3ULL);
}

/*
 * Basic mode: a value proposed while an attempt is going on leaves as soon
 * as that attempt ends (its Accepteds came), not at the next tick: the
 * next attempt's Prepare goes out in the same step.
 */
static void paxos_safety_basic_next_attempt(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_BASIC, false);
	struct paxos_wire_msg msg;
	struct paxos_ballot b;

	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "first", 5, 1,
						 GFP_KERNEL), 0);
	ut_start(u, 3, 1);
	ut_tick_until(u, PAXOS_MSG_PREPARE, 100);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2, &msg));
	b = msg.ballot;
	ut_reset(u);
	ut_promise_page(u, 2, b, msg.from, 0, true, NULL, 0);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPT, 2, &msg));
	/* The attempt is in phase 2: this one waits for the next. */
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "second", 6, 2,
						 GFP_KERNEL), 0);
	ut_reset(u);
	ut_accepted(u, 2, b.round, b.node, 1, true);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 1ULL);
	/* No tick in between. */
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2, &msg));
	KUNIT_EXPECT_EQ(test, msg.from, 2ULL);
}

/* One chosen entry in a LEARN from node 2. */
static void ut_learn_one(struct ut *u, u64 slot, u32 origin, u64 inc, u64 seq,
			 const char *val)
{
	struct paxos_wire_value w = {
		.slot = slot, .ballot = { 1, 1 }, .origin = origin,
		.len = strlen(val), .origin_inc = inc, .seq = seq, .low = seq,
		.flags = PAXOS_WE_CHOSEN, .data = (const u8 *)val,
	};

	um_begin(u);
	um_u64(u, 1);
	um_u64(u, slot);
	um_u32(u, 1);
	um_u32(u, 0);
	u->len = paxos_wire_put_entry(u->buf + u->len, &w) - u->buf;
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_LEARN, 0, 2), 0);
}

/*
 * Dedup survives any number of origin incarnations: a retry chosen after 65
 * other incarnations proposed is still a duplicate, and a value of an
 * incarnation that a later one superseded is never delivered.
 */
static void paxos_safety_dedup_many_incarnations(struct kunit *test)
{
	struct ut *u = ut_new(test, 4, 3, 1, PAXOS_CORE_MULTI, false);
	struct paxos_delivery *d;
	u64 slot = 1, i;

	ut_learn_one(u, slot++, 2, UT_INC(2), 1, "retried");
	for (i = 1; i <= 65; i++)
		ut_learn_one(u, slot++, 3, i, 1, "other");
	ut_learn_one(u, slot++, 2, UT_INC(2), 1, "retried");
	ut_learn_one(u, slot++, 3, 1, 2, "stale");
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), slot - 1);
	list_for_each_entry(d, &u->r.deliveries, list) {
		if (d->slot == 1)
			KUNIT_EXPECT_EQ(test, d->kind, (u32)PAXOS_DELIVER_VALUE);
		if (d->slot >= slot - 2)
			KUNIT_EXPECT_EQ(test, d->kind, (u32)PAXOS_DELIVER_NOOP);
	}
}

/* A round of U32_MAX is the end: no ballot after it, no promise lowered. */
static void paxos_safety_round_limit(struct kunit *test)
{
	struct ut *m = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct ut *b = ut_new(test, 1, 3, 0, PAXOS_CORE_BASIC, false);
	struct ut *us[2] = { m, b };
	struct paxos_wire_msg msg;
	struct paxos_ballot p;
	u32 k, i;

	for (k = 0; k < 2; k++) {
		struct ut *u = us[k];

		ut_start(u, 3, 1);
		ut_prepare(u, 2, U32_MAX, 2, 1, U64_MAX);
		ut_reset(u);
		if (u == b)
			paxos_core_propose(u->core, "v", 1, 1, GFP_KERNEL);
		for (i = 0; i < 200; i++) {
			paxos_core_tick(u->core, GFP_KERNEL);
			ut_collect(u);
		}
		p = ut_status_promised(u);
		KUNIT_EXPECT_EQ(test, p.round, U32_MAX);
		KUNIT_EXPECT_EQ(test, p.node, 2U);
		KUNIT_EXPECT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 0, &msg));
	}
}

/* Slot numbers a log can never reach are malformed, not arithmetic. */
static void paxos_safety_slot_limits(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	static const u64 bad[] = { 1ULL << 62, U64_MAX - 1, U64_MAX };
	u32 i;

	ut_start(u, 3, 1);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* ACCEPT commit point */
		um_begin(u);
		um_ballot(u, 1, 2);
		um_u64(u, bad[i]);
		um_u64(u, 0);
		um_u32(u, 0);
		um_u32(u, 0);
		KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_ACCEPT, 0, 2),
				-EBADMSG);
		/* CATCHUP first slot */
		um_begin(u);
		um_u64(u, bad[i]);
		um_u64(u, 0);
		KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_CATCHUP, 0, 2),
				-EBADMSG);
		/* LEARN first retained */
		um_begin(u);
		um_u64(u, bad[i]);
		um_u64(u, 0);
		um_u32(u, 0);
		um_u32(u, 0);
		KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_LEARN,
					      PAXOS_WF_LEARN_SNAPSHOT, 2),
				-EBADMSG);
		/* STATUS learned point */
		um_begin(u);
		um_u64(u, bad[i]);
		um_u64(u, 1);
		um_u64(u, 0);
		KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_STATUS, 0, 2),
				-EBADMSG);
		/* a non-last promise page ending at the end of time */
		um_begin(u);
		um_ballot(u, 1, 1);
		um_u64(u, 1);
		um_u64(u, bad[i]);
		um_u64(u, 0);
		um_u64(u, 1);
		um_u32(u, 0);
		um_u32(u, 0);
		KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_PROMISE, 0, 2),
				-EBADMSG);
	}
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
}

static struct kunit_case paxos_safety_cases[] = {
	KUNIT_CASE(paxos_safety_refuses_every_probe),
	KUNIT_CASE(paxos_safety_fresh_incarnation),
	KUNIT_CASE(paxos_safety_probe_needs_every_voter),
	KUNIT_CASE(paxos_safety_answer_bound_to_incarnation),
	KUNIT_CASE(paxos_safety_stale_incarnation_dropped),
	KUNIT_CASE(paxos_safety_alloc_fail_merge_own),
	KUNIT_CASE(paxos_safety_alloc_fail_basic_start),
	KUNIT_CASE(paxos_safety_completion_never_lost),
	KUNIT_CASE(paxos_safety_basic_promise_pages),
	KUNIT_CASE(paxos_safety_candidate_slow_pages),
	KUNIT_CASE(paxos_safety_basic_yields),
	KUNIT_CASE(paxos_safety_basic_learn_split),
	KUNIT_CASE(paxos_safety_basic_next_attempt),
	KUNIT_CASE(paxos_safety_dedup_many_incarnations),
	KUNIT_CASE(paxos_safety_round_limit),
	KUNIT_CASE(paxos_safety_slot_limits),
	{}
};

static struct kunit_suite paxos_safety_suite = {
	.name = "paxos_safety",
	.exit = ut_exit,
	.test_cases = paxos_safety_cases,
};

kunit_test_suites(&paxos_safety_suite);
