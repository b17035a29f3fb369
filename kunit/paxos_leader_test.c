// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the proposer: phase 1 adopts the highest accepted value and fills holes;
 * phase 2 counts Accepted up to a quorum of voters.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_ut.h"

/* ---- suite paxos_proposer: adopt the highest accepted, fill holes ------- */

#define UT_MAX_ENTS 4

struct proposer_case {
	const char *desc;
	struct ut_ent own[UT_MAX_ENTS];	/* accepted by node 1 itself before */
	struct ut_ent n2[UT_MAX_ENTS];	/* reported by node 2's promise */
	struct ut_ent n3[UT_MAX_ENTS];	/* reported by node 3's promise */
	const char *expect[5];		/* value per slot 1.., "" = no-op */
};

static const struct proposer_case proposer_cases[] = {
	{ "adopts the only report", .n2 = { E(1, 3, 2, 2, "A") },
	  .expect = { "A", "own" } },
	{ "higher ballot wins", .n2 = { E(1, 3, 2, 2, "A") },
	  .n3 = { E(1, 4, 3, 3, "B") }, .expect = { "B", "own" } },
	{ "higher ballot wins, reported first", .n2 = { E(1, 4, 2, 2, "B") },
	  .n3 = { E(1, 3, 3, 3, "A") }, .expect = { "B", "own" } },
	{ "same round, higher node wins", .n2 = { E(1, 3, 2, 2, "A") },
	  .n3 = { E(1, 3, 3, 3, "B") }, .expect = { "B", "own" } },
	{ "holes become no-ops", .n2 = { E(1, 3, 2, 2, "A") },
	  .n3 = { E(3, 3, 3, 3, "C") }, .expect = { "A", "", "C", "own" } },
	{ "own accepted value counts", .own = { E(1, 2, 4, 4, "Z") },
	  .n2 = { E(1, 1, 2, 2, "A") }, .expect = { "Z", "own" } },
	{ "own value loses to a higher report", .own = { E(2, 1, 4, 4, "Z") },
	  .n2 = { E(2, 3, 2, 2, "A") }, .expect = { "", "A", "own" } },
	{ "no reports: own value first", .expect = { "own" } },
};

static void proposer_case_desc(const struct proposer_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(proposer, proposer_cases, proposer_case_desc);

static u32 ut_nr_ents(const struct ut_ent *e)
{
	u32 n = 0;

	while (n < UT_MAX_ENTS && e[n].round)
		n++;
	return n;
}

static void paxos_proposer_adopts(struct kunit *test)
{
	const struct proposer_case *c = test->param_value;
	struct ut *u = ut_new(test, 1, 5, 0, PAXOS_CORE_MULTI, false);
	const char *got[8] = {};
	struct paxos_ballot b;
	struct paxos_msg_out *m;
	u32 i;

	ut_start(u, 5, 1);
	if (ut_nr_ents(c->own))
		ut_accept(u, 4, c->own[0].round, 4, 0, 0, c->own,
			  ut_nr_ents(c->own));
	/* A local value waits for a leader; it must not displace others. */
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "own", 3, 1,
						 GFP_KERNEL), 0);
	ut_reset(u);
	ut_tick_until(u, PAXOS_MSG_PREPARE, 40);
	b = ut_status_ballot(u);
	ut_reset(u);
	ut_promise(u, 2, b.round, b.node, c->n2, ut_nr_ents(c->n2));
	ut_promise(u, 3, b.round, b.node, c->n3, ut_nr_ents(c->n3));
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);

	list_for_each_entry(m, &u->r.msgs, list) {
		struct paxos_wire_msg msg;
		const u8 *p;

		if (m->dest != 2 || paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT)
			continue;
		KUNIT_EXPECT_EQ(test, msg.ballot.round, b.round);
		KUNIT_EXPECT_EQ(test, msg.ballot.node, b.node);
		for (i = 0, p = msg.entries; i < msg.nr; i++) {
			struct paxos_wire_value w;

			p = paxos_wire_get_entry(p, &w);
			if (w.slot >= 1 && w.slot < ARRAY_SIZE(got)) {
				char *s = kunit_kzalloc(test, w.len + 1,
							GFP_KERNEL);

				KUNIT_ASSERT_NOT_NULL(test, s);
				memcpy(s, w.data, w.len);
				got[w.slot] = s;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(c->expect) && c->expect[i]; i++) {
		KUNIT_ASSERT_NOT_NULL(test, got[i + 1]);
		KUNIT_EXPECT_STREQ_MSG(test, got[i + 1], c->expect[i],
				       "slot %u", i + 1);
	}
	KUNIT_EXPECT_NULL(test, got[i + 1]);
}

/* A Reject carrying a higher ballot makes a leader step down at once. */
static void paxos_proposer_steps_down(struct kunit *test)
{
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_ballot b;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_EXPECT_EQ(test, paxos_core_leader(u->core), 1U);
	um_begin(u);
	um_ballot(u, b.round, b.node);
	um_ballot(u, b.round + 1, 3);
	KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_REJECT, 0, 2), 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_FOLLOWER);
	KUNIT_EXPECT_EQ(test, paxos_core_leader(u->core), 0U);
	/* Its next ballot is above the one that deposed it. */
	ut_reset(u);
	ut_tick_until(u, PAXOS_MSG_PREPARE, 40);
	KUNIT_EXPECT_GT(test, ut_status_ballot(u).round, b.round + 1);
}

/* Ticks until the core starts a new candidacy (its ballot changes). */
static u32 ticks_to_candidacy(struct ut *u, u32 max)
{
	struct paxos_ballot b = ut_status_ballot(u), now;
	u32 i;

	for (i = 1; i <= max; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_reset(u);
		now = ut_status_ballot(u);
		if (now.round != b.round)
			return i;
	}
	return U32_MAX;
}

/*
 * Elections that elect nobody back off: a candidate nobody answers doubles
 * its timeout (10..20 ticks here) each time, up to eight times.  A leader
 * that does not last counts as a failure too; one that lasts brings the
 * timeout back, so a real failover still takes one timeout.
 */
static void paxos_election_backoff(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	u32 gap, i;

	ut_start(u, 3, 1);
	KUNIT_ASSERT_NE(test, ticks_to_candidacy(u, 40), U32_MAX);
	/* Each gap is the timeout drawn when the previous candidacy began. */
	gap = ticks_to_candidacy(u, 400);
	KUNIT_EXPECT_GE(test, gap, 10U);
	KUNIT_EXPECT_LE(test, gap, 20U);
	gap = ticks_to_candidacy(u, 400);
	KUNIT_EXPECT_GE(test, gap, 20U);
	KUNIT_EXPECT_LE(test, gap, 40U);
	gap = ticks_to_candidacy(u, 400);
	KUNIT_EXPECT_GE(test, gap, 40U);
	KUNIT_EXPECT_LE(test, gap, 80U);
	for (i = 0; i < 3; i++) {
		gap = ticks_to_candidacy(u, 400);
		KUNIT_EXPECT_GE(test, gap, 80U);
		KUNIT_EXPECT_LE(test, gap, 160U);
	}
	/* Node 2 leads briefly: its fall still finds the timeouts long. */
	ut_accept(u, 2, 100, 2, 0, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, paxos_core_leader(u->core), 2U);
	gap = ticks_to_candidacy(u, 400);
	KUNIT_EXPECT_GE(test, gap, 80U);
	/* Node 2 leads for longer than 4 << 3 timeouts (a heartbeat per 5). */
	ut_accept(u, 2, 200, 2, 0, 0, NULL, 0);
	for (i = 0; i < 4 * 20 * 8 + 20; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		if (i % 5 == 0)
			ut_accept(u, 2, 200, 2, 0, 0, NULL, 0);
		ut_reset(u);
	}
	KUNIT_EXPECT_EQ(test, paxos_core_leader(u->core), 2U);
	KUNIT_EXPECT_LE(test, ticks_to_candidacy(u, 400), 20U);
}

static struct kunit_case paxos_proposer_cases[] = {
	KUNIT_CASE_PARAM(paxos_proposer_adopts, proposer_gen_params),
	KUNIT_CASE(paxos_proposer_steps_down),
	KUNIT_CASE(paxos_election_backoff),
	{}
};

static struct kunit_suite paxos_proposer_suite = {
	.name = "paxos_proposer",
	.exit = ut_exit,
	.test_cases = paxos_proposer_cases,
};

/* ---- suite paxos_quorum: counting Accepted ------------------------------ */

struct quorum_ack {
	u32 from;
	bool stale;		/* carries an older ballot */
	bool voter;		/* sets the voter flag */
	bool chosen;		/* slot 1 chosen after this ack */
};

struct quorum_case {
	const char *desc;
	u32 voters;
	struct quorum_ack acks[6];
};

#define ACK(f, c)	{ .from = f, .voter = true, .chosen = c }
#define STALE(f)	{ .from = f, .voter = true, .stale = true }

static const struct quorum_case quorum_cases[] = {
	{ "3 voters: leader and one more", 3, { ACK(2, true) } },
	{ "3 voters: duplicate ack counts once", 3, { ACK(2, true), ACK(2, true) } },
	{ "5 voters: leader and two more", 5, { ACK(2, false), ACK(3, true) } },
	{ "5 voters: duplicates ignored", 5,
	  { ACK(2, false), ACK(2, false), ACK(2, false), ACK(4, true) } },
	{ "5 voters: stale ballot ignored", 5,
	  { ACK(2, false), STALE(3), STALE(4), ACK(5, true) } },
	{ "5 voters: learner's ack ignored", 5,
	  { ACK(2, false), { .from = 6, .voter = false }, ACK(3, true) } },
	{ "3 voters: stale ack alone", 3, { STALE(2), STALE(3) } },
};

static void quorum_case_desc(const struct quorum_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(quorum, quorum_cases, quorum_case_desc);

static void paxos_quorum_counts(struct kunit *test)
{
	static const u32 promisers[] = { 2, 3, 4, 5 };
	const struct quorum_case *c = test->param_value;
	struct ut *u = ut_new(test, 1, c->voters, 1, PAXOS_CORE_MULTI, false);
	struct paxos_ballot b;
	u32 i;

	ut_start(u, c->voters, 1);
	b = ut_elect(u, promisers, c->voters / 2, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			0);
	ut_collect(u);
	/* The leader's own vote alone never decides. */
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	for (i = 0; i < ARRAY_SIZE(c->acks) && c->acks[i].from; i++) {
		const struct quorum_ack *a = &c->acks[i];

		ut_accepted(u, a->from, a->stale ? b.round - 1 : b.round, 1, 1,
			    a->voter);
		KUNIT_EXPECT_EQ_MSG(test, paxos_core_learned(u->core),
				    a->chosen ? 1ULL : 0ULL, "after ack %u", i);
	}
}

static struct kunit_case paxos_quorum_cases[] = {
	KUNIT_CASE_PARAM(paxos_quorum_counts, quorum_gen_params),
	{}
};

static struct kunit_suite paxos_quorum_suite = {
	.name = "paxos_quorum",
	.exit = ut_exit,
	.test_cases = paxos_quorum_cases,
};

/* ---- suite paxos_commit_notice: a decision is announced at once --------- */

/*
 * A slot decided when the leader has nothing else to send is announced at
 * once, in an Accept without entries flagged as a commit notice: followers,
 * and the node whose value it is, learn it one message later instead of at
 * the next heartbeat.  Not to voters that learned it as they accepted it
 * (three voters: the leader's vote and theirs are a quorum): only the
 * learner, node 4, gets one; of five voters, every member.  A later ack
 * decides nothing new and announces nothing.
 */
static void paxos_commit_notice_lone(struct kunit *test)
{
	static const u32 promisers[] = { 2 };
	static const u32 promisers5[] = { 2, 3 };
	struct ut *u = ut_new(test, 1, 3, 1, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	u32 dest;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			0);
	ut_reset(u);
	ut_accepted(u, 2, b.round, 1, 1, true);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 1ULL);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPT, 4, &msg));
	KUNIT_EXPECT_EQ(test, msg.flags, (u32)PAXOS_WF_ACCEPT_COMMIT);
	KUNIT_EXPECT_EQ(test, msg.commit, 1ULL);
	KUNIT_EXPECT_EQ(test, msg.nr, 0U);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPT), 1U);
	ut_reset(u);
	ut_accepted(u, 3, b.round, 1, 1, true);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPT), 0U);

	u = ut_new(test, 1, 5, 0, PAXOS_CORE_MULTI, false);
	ut_start(u, 5, 1);
	b = ut_elect(u, promisers5, ARRAY_SIZE(promisers5), NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			0);
	ut_accepted(u, 2, b.round, 1, 1, true);
	ut_reset(u);
	ut_accepted(u, 3, b.round, 1, 1, true);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 1ULL);
	for (dest = 2; dest <= 5; dest++) {
		KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPT, dest,
						    &msg));
		KUNIT_EXPECT_EQ(test, msg.flags, (u32)PAXOS_WF_ACCEPT_COMMIT);
		KUNIT_EXPECT_EQ(test, msg.commit, 1ULL);
	}
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPT), 4U);
}

/*
 * Under load the decision rides on the next Accept: the value waiting for
 * room in the window goes out carrying the new commit point, and no
 * separate notice is sent.
 */
static void paxos_commit_notice_rides(struct kunit *test)
{
	static const struct ut_log log = { .retention = 8, .window = 1 };
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new_log(test, 1, 3, 0, &log);
	struct paxos_wire_msg msg;
	struct paxos_ballot b;
	struct paxos_msg_out *m;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			0);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "y", 1, 2, GFP_KERNEL),
			0);
	ut_reset(u);
	ut_accepted(u, 2, b.round, 1, 1, true);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 1ULL);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPT), 2U);
	list_for_each_entry(m, &u->r.msgs, list) {
		KUNIT_ASSERT_EQ(test, paxos_wire_decode(m->data, m->len, &msg), 0);
		KUNIT_EXPECT_EQ(test, msg.type, (u32)PAXOS_MSG_ACCEPT);
		KUNIT_EXPECT_EQ(test, msg.flags, 0U);
		KUNIT_EXPECT_EQ(test, msg.commit, 1ULL);
		KUNIT_EXPECT_EQ(test, msg.nr, 1U);
	}
}

/*
 * A follower learns from a notice and does not answer it.  Five voters:
 * with three, the leader's vote and the follower's own would make a quorum
 * and the follower would learn as it accepts (paxos_learn_on_accept).
 */
static void paxos_commit_notice_follower(struct kunit *test)
{
	static const struct ut_ent ents[] = { E(1, 5, 1, 3, "x") };
	struct ut *u = ut_new(test, 2, 5, 0, PAXOS_CORE_MULTI, false);

	ut_start(u, 5, 2);
	ut_accept(u, 1, 5, 1, 0, 0, ents, 1);
	KUNIT_ASSERT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	ut_reset(u);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 0ULL);
	um_begin(u);
	um_ballot(u, 5, 1);
	um_u64(u, 1);
	um_u64(u, 0);
	um_u32(u, 0);
	um_u32(u, 0);
	KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_ACCEPT,
				      PAXOS_WF_ACCEPT_COMMIT, 1), 0);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), 1ULL);
	KUNIT_EXPECT_EQ(test, paxos_core_leader(u->core), 1U);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 0U);
	/* A heartbeat is still answered; a notice with entries is malformed. */
	ut_reset(u);
	ut_accept(u, 1, 5, 1, 1, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_ACCEPTED), 1U);
	um_begin(u);
	um_ballot(u, 5, 1);
	um_u64(u, 1);
	um_u64(u, 0);
	um_u32(u, 1);
	um_u32(u, 0);
	um_entries(u, ents, 1);
	KUNIT_EXPECT_NE(test, um_send(u, PAXOS_MSG_ACCEPT,
				      PAXOS_WF_ACCEPT_COMMIT, 1), 0);
}

/*
 * What the counters that netlink exports count: an election won, values
 * and no-ops learned apart, a peer's datagrams counted for it, and a
 * datagram of an unknown type told from a malformed one.
 */
static void paxos_counters(struct kunit *test)
{
	static const struct ut_ent ents[] = { E(2, 1, 2, 3, "old") };
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 1, PAXOS_CORE_MULTI, false);
	struct paxos_core_status *st;
	struct paxos_ballot b;
	u64 rx_before = 0;
	u32 i;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	ut_start(u, 3, 1);
	/* Slot 2 comes back from the promise, slot 1 is filled: a no-op. */
	b = ut_elect(u, promisers, 1, ents, ARRAY_SIZE(ents));
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	paxos_core_status(u->core, st);
	for (i = 0; i < st->nr_peers; i++)
		if (st->peers[i].node_id == 2)
			rx_before = st->peers[i].rx_msgs;
	KUNIT_EXPECT_GT(test, rx_before, 0ULL);
	ut_accepted(u, 2, b.round, 1, 1, true);
	ut_accepted(u, 2, b.round, 1, 2, true);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 2ULL);
	KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			0);
	ut_accepted(u, 2, b.round, 1, 3, true);
	KUNIT_ASSERT_EQ(test, paxos_core_learned(u->core), 3ULL);

	/* Our magic and version, a type from the future. */
	um_begin(u);
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_HELLO, 0, UT_GROUP, 2, UT_INC(2),
			   0);
	u->buf[offsetof(struct paxos_wire_hdr, type)] = 200;
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, u->buf,
						 PAXOS_WIRE_HDR_LEN,
						 GFP_KERNEL), -EBADMSG);
	KUNIT_EXPECT_TRUE(test, paxos_wire_unknown_type(u->buf,
							PAXOS_WIRE_HDR_LEN));

	paxos_core_status(u->core, st);
	KUNIT_EXPECT_EQ(test, st->counters.elections_won, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.values_learned, 2ULL);
	KUNIT_EXPECT_EQ(test, st->counters.noops_learned, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.slots_learned, 3ULL);
	KUNIT_EXPECT_EQ(test, st->counters.completed, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_unknown_type, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_malformed, 0ULL);
	for (i = 0; i < st->nr_peers; i++)
		if (st->peers[i].node_id == 2)
			KUNIT_EXPECT_EQ(test, st->peers[i].rx_msgs,
					rx_before + 3);
}

/*
 * The Accept of a value forwarded by node 3 goes to node 3 first: with
 * three voters it learns the value as it accepts it, and its writer waits.
 */
static void paxos_accept_origin_first(struct kunit *test)
{
	static const struct ut_ent fwd = E(0, 0, 0, 3, "from3");
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	u32 dests[2], n = 0;

	ut_start(u, 3, 1);
	ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	ut_reset(u);
	ut_forward(u, 3, &fwd, 1);
	ut_collect(u);
	list_for_each_entry(m, &u->r.msgs, list) {
		if (paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT || !msg.nr)
			continue;
		if (n < ARRAY_SIZE(dests))
			dests[n] = m->dest;
		n++;
	}
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, dests[0], 3U);
	KUNIT_EXPECT_EQ(test, dests[1], 2U);
}

/* Slot of the first value-carrying ACCEPT to @dest in the output (0: none). */
static u64 accept_slot(struct ut *u, u32 dest, const char *val)
{
	struct paxos_wire_value w;
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;

	list_for_each_entry(m, &u->r.msgs, list) {
		if (m->dest != dest ||
		    paxos_wire_decode(m->data, m->len, &msg) ||
		    msg.type != PAXOS_MSG_ACCEPT || !msg.nr)
			continue;
		paxos_wire_get_entry(msg.entries, &w);
		if (w.len == strlen(val) && !memcmp(w.data, val, w.len))
			return w.slot;
	}
	return 0;
}

/*
 * An ACCEPTED with PAXOS_WF_ACCEPTED_FORWARD from node 3: its vote for
 * @slot in ballot (@round, @node), having learned up to @learned, and the
 * value @next behind it.
 */
static void vote_forward(struct ut *u, u32 round, u32 node, u64 learned,
			 u64 slot, const struct ut_ent *next)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, learned);
	um_u64(u, 1);		/* first_retained */
	um_u32(u, 1);		/* nr */
	um_u32(u, 0);
	um_u64(u, slot);
	um_u32(u, 1);		/* FORWARD: nr, reserved */
	um_u32(u, 0);
	um_entries(u, next, 1);
	KUNIT_ASSERT_EQ(u->test, um_send(u, PAXOS_MSG_ACCEPTED,
					 PAXOS_WF_ACCEPTED_VOTER |
					 PAXOS_WF_ACCEPTED_FORWARD, 3), 0);
}

/*
 * A follower's vote held back arrives with its next proposals, in one
 * ACCEPTED with PAXOS_WF_ACCEPTED_FORWARD: the leader counts the vote
 * (and learns the slot) and proposes the values as from a FORWARD; a vote
 * in another ballot is not counted, and its values are proposed all the
 * same.
 */
static void paxos_vote_with_forward(struct kunit *test)
{
	static const struct ut_ent fwd = E(0, 0, 0, 3, "one");
	static const struct ut_ent next = {
		.origin = 3, .seq = 2, .low = 1, .val = "two",
	};
	static const struct ut_ent third = {
		.origin = 3, .seq = 3, .low = 1, .val = "three",
	};
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_ballot b;
	u64 s1, s2;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	KUNIT_ASSERT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	ut_reset(u);
	ut_forward(u, 3, &fwd, 1);
	s1 = accept_slot(u, 3, "one");
	KUNIT_ASSERT_NE(test, s1, 0ULL);
	KUNIT_EXPECT_LT(test, paxos_core_learned(u->core), s1);
	ut_reset(u);

	/* Node 3's vote for it, and its next value. */
	vote_forward(u, b.round, b.node, s1, s1, &next);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s1);
	s2 = accept_slot(u, 3, "two");
	KUNIT_EXPECT_EQ(test, s2, s1 + 1);
	KUNIT_EXPECT_EQ(test, accept_slot(u, 2, "two"), s1 + 1);
	ut_reset(u);

	/*
	 * A vote in a ballot below the leader's (held across its election)
	 * is not counted; the values that ride with it are proposed.
	 */
	vote_forward(u, b.round, 0, s1, s2, &third);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s1);
	KUNIT_EXPECT_EQ(test, accept_slot(u, 3, "three"), s2 + 1);
	/* The same vote in the leader's ballot is. */
	ut_accepted(u, 3, b.round, b.node, s2, true);
	KUNIT_EXPECT_EQ(test, paxos_core_learned(u->core), s2);
}

static struct kunit_case paxos_commit_notice_cases[] = {
	KUNIT_CASE(paxos_commit_notice_lone),
	KUNIT_CASE(paxos_commit_notice_rides),
	KUNIT_CASE(paxos_commit_notice_follower),
	KUNIT_CASE(paxos_counters),
	KUNIT_CASE(paxos_accept_origin_first),
	KUNIT_CASE(paxos_vote_with_forward),
	{}
};

static struct kunit_suite paxos_commit_notice_suite = {
	.name = "paxos_commit_notice",
	.exit = ut_exit,
	.test_cases = paxos_commit_notice_cases,
};

kunit_test_suites(&paxos_proposer_suite, &paxos_quorum_suite,
		  &paxos_commit_notice_suite);
