// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: unit suites for the paxos protocol core, one rule at a time.
 *
 * Every test drives a single core through its public interface with
 * hand-built datagrams from imaginary peers and looks at what it sends,
 * delivers and completes.  Tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_core.h"
#include "paxos_wire.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

#define UT_GROUP	42
#define UT_INC(id)	(1000ULL + (id))

/* ---- harness ------------------------------------------------------------ */

struct ut_ent {
	u64 slot;
	u32 round;
	u32 node;
	u32 origin;		/* 0: no-op */
	u64 seq;
	u64 low;
	u32 flags;
	const char *val;
};

/* An entry: slot, ballot (round, node), origin and value. */
#define E(s, r, n, o, v) { .slot = s, .round = r, .node = n, .origin = o, \
			   .seq = s, .low = 1, .val = v }

struct ut {
	struct ut *next;	/* earlier core of the same test */
	struct kunit *test;
	struct paxos_core *core;
	struct paxos_ready r;
	u32 len;
	u8 buf[4096];
};

static void ut_exit(struct kunit *test)
{
	struct ut *u;

	for (u = test->priv; u; u = u->next) {
		paxos_ready_release(&u->r);
		paxos_core_destroy(u->core);
	}
}

/* A core for node @self of @voters voters (ids 1..) and @learners learners. */
static struct ut *ut_new_max(struct kunit *test, u32 self, u32 voters,
			     u32 learners, u32 mode, bool join, u32 max_value)
{
	struct paxos_core_config *cfg;
	struct ut *u;
	u32 i;

	u = kunit_kzalloc(test, sizeof(*u), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, u);
	cfg = kunit_kzalloc(test, sizeof(*cfg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cfg);
	u->test = test;
	paxos_ready_init(&u->r);
	cfg->group_id = UT_GROUP;
	cfg->node_id = self;
	cfg->nr_members = voters + learners;
	for (i = 0; i < voters + learners; i++) {
		cfg->members[i].node_id = i + 1;
		cfg->members[i].role = i < voters ? PAXOS_MEMBER_VOTER :
				       PAXOS_MEMBER_LEARNER;
	}
	cfg->mode = mode;
	cfg->join_existing = join;
	cfg->seed = 12345;
	cfg->incarnation = UT_INC(self);
	cfg->heartbeat_ticks = 3;
	cfg->election_min_ticks = 10;
	cfg->election_max_ticks = 20;
	cfg->retransmit_ticks = 3;
	cfg->proposal_timeout_ticks = 1000;
	cfg->retention = 8;
	cfg->window = 8;
	cfg->batch = 4;
	cfg->queue_limit = 8;
	cfg->max_value_size = max_value;
	u->core = paxos_core_create(cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u->core);
	u->next = test->priv;
	test->priv = u;
	return u;
}

static struct ut *ut_new(struct kunit *test, u32 self, u32 voters,
			 u32 learners, u32 mode, bool join)
{
	return ut_new_max(test, self, voters, learners, mode, join, 0);
}

/* Collect everything the core produced since the last call. */
static void ut_collect(struct ut *u)
{
	paxos_core_ready(u->core, &u->r);
}

static void ut_reset(struct ut *u)
{
	ut_collect(u);
	paxos_ready_release(&u->r);
	paxos_ready_init(&u->r);
}

static void um_begin(struct ut *u)
{
	u->len = PAXOS_WIRE_HDR_LEN;
}

static void um_u32(struct ut *u, u32 v)
{
	put_unaligned_le32(v, u->buf + u->len);
	u->len += 4;
}

static void um_u64(struct ut *u, u64 v)
{
	put_unaligned_le64(v, u->buf + u->len);
	u->len += 8;
}

static void um_ballot(struct ut *u, u32 round, u32 node)
{
	um_u32(u, round);
	um_u32(u, node);
}

static void ut_wire_value(const struct ut_ent *e, struct paxos_wire_value *w)
{
	memset(w, 0, sizeof(*w));
	w->slot = e->slot;
	w->ballot.round = e->round;
	w->ballot.node = e->node;
	w->origin = e->val ? e->origin : 0;
	w->origin_inc = e->val ? UT_INC(e->origin) : 0;
	w->seq = e->val ? e->seq : 0;
	w->low = e->val ? e->low : 0;
	w->flags = e->flags;
	w->len = e->val ? strlen(e->val) : 0;
	w->data = (const u8 *)e->val;
}

static void um_entries(struct ut *u, const struct ut_ent *ents, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		struct paxos_wire_value w;

		ut_wire_value(&ents[i], &w);
		u->len = paxos_wire_put_entry(u->buf + u->len, &w) - u->buf;
	}
}

/* Finish the datagram and feed it to the core; returns its verdict. */
static int um_send(struct ut *u, u32 type, u32 flags, u32 sender)
{
	int rc;

	paxos_wire_put_hdr(u->buf, type, flags, UT_GROUP, sender, UT_INC(sender),
			   u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	ut_collect(u);
	return rc;
}

static void ut_hello(struct ut *u, u32 from, u32 flags)
{
	um_begin(u);
	um_u64(u, 0);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_HELLO, flags, from), 0);
}

static void ut_prepare(struct ut *u, u32 from, u32 round, u32 node, u64 lo,
		       u64 hi)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, lo);
	um_u64(u, hi);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_PREPARE, 0, from), 0);
}

static void ut_promise(struct ut *u, u32 from, u32 round, u32 node,
		       const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, 1);		/* from */
	um_u64(u, U64_MAX);	/* covered */
	um_u64(u, 0);		/* learned */
	um_u64(u, 1);		/* first retained */
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_PROMISE,
					 PAXOS_WF_PROMISE_LAST, from), 0);
}

static void ut_accept(struct ut *u, u32 from, u32 round, u32 node, u64 commit,
		      u64 trim, const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, commit);
	um_u64(u, trim);
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_ACCEPT, 0, from), 0);
}

static void ut_accepted(struct ut *u, u32 from, u32 round, u32 node, u64 slot,
			bool voter)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, 0);
	um_u64(u, 1);
	um_u32(u, 1);
	um_u32(u, 0);
	um_u64(u, slot);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_ACCEPTED,
					 voter ? PAXOS_WF_ACCEPTED_VOTER : 0,
					 from), 0);
}

static void ut_learn(struct ut *u, u32 from, const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_u64(u, 1);
	um_u64(u, 0);
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_LEARN, 0, from), 0);
}

static void ut_catchup(struct ut *u, u32 from, u64 slot)
{
	um_begin(u);
	um_u64(u, slot);
	um_u64(u, slot - 1);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_CATCHUP, 0, from), 0);
}

/* The node may vote once enough peers said "go ahead" to its probe. */
static void ut_start(struct ut *u, u32 voters, u32 self)
{
	u32 i, oks = 0;

	for (i = 1; i <= voters && oks < voters / 2; i++) {
		if (i == self)
			continue;
		ut_hello(u, i, PAXOS_WF_HELLO_OK);
		oks++;
	}
	ut_reset(u);
}

static struct paxos_msg_out *ut_find(struct ut *u, u32 type, u32 dest,
				     struct paxos_wire_msg *msg)
{
	struct paxos_msg_out *m;

	list_for_each_entry(m, &u->r.msgs, list) {
		if (paxos_wire_decode(m->data, m->len, msg))
			continue;
		if (msg->type == type && (!dest || m->dest == dest))
			return m;
	}
	return NULL;
}

static u32 ut_count(struct ut *u, u32 type)
{
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	u32 n = 0;

	list_for_each_entry(m, &u->r.msgs, list)
		if (!paxos_wire_decode(m->data, m->len, &msg) && msg.type == type)
			n++;
	return n;
}

static u32 ut_deliveries(struct ut *u, struct paxos_delivery **out, u32 max)
{
	struct paxos_delivery *d;
	u32 n = 0;

	list_for_each_entry(d, &u->r.deliveries, list)
		if (n < max)
			out[n++] = d;
		else
			n++;
	return n;
}

/* Tick until the core sends a Prepare (its election timeout fired). */
static void ut_tick_until(struct ut *u, u32 type, u32 max_ticks)
{
	struct paxos_wire_msg msg;
	u32 i;

	for (i = 0; i < max_ticks; i++) {
		paxos_core_tick(u->core, GFP_KERNEL);
		ut_collect(u);
		if (ut_find(u, type, 0, &msg))
			return;
	}
	KUNIT_FAIL(u->test, "no message of type %u within %u ticks", type,
		   max_ticks);
}

static struct paxos_ballot ut_status_ballot(struct ut *u)
{
	struct paxos_core_status *st;
	struct paxos_ballot b;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return (struct paxos_ballot){};
	paxos_core_status(u->core, st);
	b = st->ballot;
	kfree(st);
	return b;
}

static u32 ut_state(struct ut *u, u32 *flags)
{
	struct paxos_core_status *st;
	u32 state;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return U32_MAX;
	paxos_core_status(u->core, st);
	state = st->state;
	if (flags)
		*flags = st->flags;
	kfree(st);
	return state;
}

/*
 * Make node 1 leader: its election fires, the voters in @promisers promise
 * (with @ents reported by the first one).  Returns the leader's ballot.
 */
static struct paxos_ballot ut_elect(struct ut *u, const u32 *promisers, u32 nr,
				    const struct ut_ent *ents, u32 nr_ents)
{
	struct paxos_ballot b;
	u32 i;

	ut_tick_until(u, PAXOS_MSG_PREPARE, 40);
	b = ut_status_ballot(u);
	ut_reset(u);
	for (i = 0; i < nr; i++)
		ut_promise(u, promisers[i], b.round, b.node, i ? NULL : ents,
			   i ? 0 : nr_ents);
	return b;
}

/* ---- suite paxos_wire: validation of every field ----------------------- */

struct wire_case {
	const char *desc;
	u32 off;	/* byte to change (U32_MAX: none) */
	u8 val;		/* its new value */
	s32 trim;	/* bytes removed (>0) or appended (<0) at the end */
	int expect;
};

/*
 * The base datagram is an ACCEPT with one entry of value "hello": header at
 * 0, ballot 28, commit 36, trim 44, nr 52, reserved 56, entry 60 (slot 60,
 * ballot 68, origin 76, len 80, inc 84, seq 92, low 100, flags 108,
 * reserved 112, data 116..120).
 */
static const struct wire_case wire_cases[] = {
	{ "valid accept", U32_MAX, 0, 0, 0 },
	{ "bad magic", 0, 'X', 0, -EBADMSG },
	{ "unknown version", 4, 9, 0, -EPROTONOSUPPORT },
	{ "type zero", 5, 0, 0, -EBADMSG },
	{ "unknown type", 5, 99, 0, -EBADMSG },
	{ "unknown header flag", 6, 0x80, 0, -EBADMSG },
	{ "body length too long", 24, 200, 0, -ENODATA },
	{ "truncated header", U32_MAX, 0, 110, -ENODATA },
	{ "truncated entry", U32_MAX, 0, 3, -ENODATA },
	{ "trailing byte", U32_MAX, 0, -1, -EBADMSG },
	{ "ballot round zero", 28, 0, 0, -EBADMSG },
	{ "reserved field set", 56, 1, 0, -EBADMSG },
	{ "entry count beyond body", 52, 2, 0, -EBADMSG },
	{ "entry length beyond body", 80, 6, 0, -EBADMSG },
	{ "entry length over max", 82, 0x10, 0, -EBADMSG },
	{ "value without origin", 76, 0, 0, -EBADMSG },
	{ "unknown entry flag", 108, 0x80, 0, -EBADMSG },
	{ "entry reserved set", 112, 1, 0, -EBADMSG },
};

static void wire_case_desc(const struct wire_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire, wire_cases, wire_case_desc);

static u32 wire_base(u8 *buf)
{
	static const struct paxos_ballot b = { .round = 3, .node = 1 };
	struct paxos_wire_value w = {
		.slot = 7, .ballot = b, .origin = 2, .len = 5,
		.origin_inc = 9, .seq = 4, .low = 1, .data = (const u8 *)"hello",
	};
	u8 *p = buf + PAXOS_WIRE_HDR_LEN;

	p = paxos_wire_put_ballot(p, &b);
	put_unaligned_le64(5, p);
	put_unaligned_le64(0, p + 8);
	put_unaligned_le32(1, p + 16);
	put_unaligned_le32(0, p + 20);
	p = paxos_wire_put_entry(p + 24, &w);
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPT, 0, UT_GROUP, 1, 77,
			   p - buf - PAXOS_WIRE_HDR_LEN);
	return p - buf;
}

/* Each corrupted field is caught by the decoder with the right error. */
static void paxos_wire_decode_rejects(struct kunit *test)
{
	const struct wire_case *c = test->param_value;
	struct paxos_wire_msg msg;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = wire_base(buf);
	KUNIT_ASSERT_EQ(test, len, 121U);
	if (c->off != U32_MAX)
		buf[c->off] = c->val;
	len -= c->trim;
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), c->expect);
}

/* What is encoded is decoded, field by field. */
static void paxos_wire_roundtrip(struct kunit *test)
{
	struct paxos_wire_value w;
	struct paxos_wire_msg msg;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	len = wire_base(buf);
	KUNIT_ASSERT_EQ(test, paxos_wire_decode(buf, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, msg.type, (u32)PAXOS_MSG_ACCEPT);
	KUNIT_EXPECT_EQ(test, msg.group, (u32)UT_GROUP);
	KUNIT_EXPECT_EQ(test, msg.sender, 1U);
	KUNIT_EXPECT_EQ(test, msg.sender_inc, 77ULL);
	KUNIT_EXPECT_EQ(test, msg.ballot.round, 3U);
	KUNIT_EXPECT_EQ(test, msg.commit, 5ULL);
	KUNIT_ASSERT_EQ(test, msg.nr, 1U);
	paxos_wire_get_entry(msg.entries, &w);
	KUNIT_EXPECT_EQ(test, w.slot, 7ULL);
	KUNIT_EXPECT_EQ(test, w.origin, 2U);
	KUNIT_EXPECT_EQ(test, w.origin_inc, 9ULL);
	KUNIT_EXPECT_EQ(test, w.seq, 4ULL);
	KUNIT_EXPECT_EQ(test, w.len, 5U);
	KUNIT_EXPECT_MEMEQ(test, w.data, "hello", 5);
}

/* The core drops and counts datagrams of other groups and strangers. */
static void paxos_wire_core_drops(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_core_status *st;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL);
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	len = wire_base(buf);
	put_unaligned_le32(UT_GROUP + 1, buf + 8);
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, len, GFP_KERNEL),
			-ENOENT);
	put_unaligned_le32(UT_GROUP, buf + 8);
	put_unaligned_le32(9, buf + 12);
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, len, GFP_KERNEL),
			-ESRCH);
	put_unaligned_le32(1, buf + 12);	/* ourselves */
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, len, GFP_KERNEL),
			-ESRCH);
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, 5, GFP_KERNEL),
			-ENODATA);
	buf[4] = 2;
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, len, GFP_KERNEL),
			-EPROTONOSUPPORT);
	buf[0] = 0;
	KUNIT_EXPECT_EQ(test, paxos_core_receive(u->core, buf, len, GFP_KERNEL),
			-EBADMSG);
	paxos_core_status(u->core, st);
	KUNIT_EXPECT_EQ(test, st->counters.rx_wrong_group, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_unknown_sender, 2ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_truncated, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_bad_version, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_malformed, 1ULL);
	KUNIT_EXPECT_EQ(test, st->counters.rx_msgs, 0ULL);
}

static u8 *ut_big_value(struct kunit *test, u32 len, u8 seed)
{
	u8 *v = kunit_kzalloc(test, len, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < len; i++)
		v[i] = (u8)(i * 7 + seed);
	return v;
}

/* Batches are bounded by the datagram size: 60 KiB values go one by one. */
static void paxos_wire_big_values(struct kunit *test)
{
	static const u32 promisers[] = { 2 };
	struct ut *u = ut_new_max(test, 1, 3, 0, PAXOS_CORE_MULTI, false,
				  PAXOS_MAX_VALUE);
	struct paxos_delivery *d[8];
	struct paxos_msg_out *m;
	struct paxos_ballot b;
	u8 *v[4];
	u32 i, accepts = 0;

	ut_start(u, 3, 1);
	b = ut_elect(u, promisers, 1, NULL, 0);
	ut_reset(u);
	for (i = 0; i < 4; i++) {
		v[i] = ut_big_value(test, PAXOS_MAX_VALUE, i);
		KUNIT_ASSERT_EQ(test, paxos_core_propose(u->core, v[i],
							 PAXOS_MAX_VALUE, i + 1,
							 GFP_KERNEL), 0);
	}
	ut_collect(u);
	list_for_each_entry(m, &u->r.msgs, list) {
		struct paxos_wire_msg msg;

		KUNIT_EXPECT_LE(test, m->len, (u32)PAXOS_MAX_DATAGRAM);
		KUNIT_ASSERT_EQ(test, paxos_wire_decode(m->data, m->len, &msg), 0);
		if (msg.type == PAXOS_MSG_ACCEPT && m->dest == 2 && msg.nr) {
			KUNIT_EXPECT_EQ(test, msg.nr, 1U);
			accepts++;
		}
	}
	KUNIT_EXPECT_EQ(test, accepts, 4U);
	ut_reset(u);
	for (i = 1; i <= 4; i++)
		ut_accepted(u, 2, b.round, b.node, i, true);
	KUNIT_ASSERT_EQ(test, ut_deliveries(u, d, ARRAY_SIZE(d)), 4U);
	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, d[i]->len, (u32)PAXOS_MAX_VALUE);
		KUNIT_EXPECT_MEMEQ(test, d[i]->data, v[i], PAXOS_MAX_VALUE);
	}
}

/* A promise too big for one datagram comes in pages, each on request. */
static void paxos_wire_promise_pages(struct kunit *test)
{
	struct ut *u = ut_new_max(test, 1, 3, 0, PAXOS_CORE_MULTI, false,
				  PAXOS_MAX_VALUE);
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	u32 i;

	ut_start(u, 3, 1);
	m = kunit_kzalloc(test, sizeof(*m) + 40000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m);
	for (i = 1; i <= 3; i++) {
		struct paxos_wire_value w = {
			.slot = i, .ballot = { 2, 2 }, .origin = 2,
			.len = 30000, .origin_inc = UT_INC(2), .seq = i,
			.low = 1,
		};
		u8 *p = m->data + PAXOS_WIRE_HDR_LEN;

		w.data = ut_big_value(test, w.len, i);
		p = paxos_wire_put_ballot(p, &w.ballot);
		memset(p, 0, 24);
		put_unaligned_le32(1, p + 16);
		p = paxos_wire_put_entry(p + 24, &w);
		paxos_wire_put_hdr(m->data, PAXOS_MSG_ACCEPT, 0, UT_GROUP, 2,
				   UT_INC(2), p - m->data - PAXOS_WIRE_HDR_LEN);
		KUNIT_ASSERT_EQ(test, paxos_core_receive(u->core, m->data,
							 p - m->data, GFP_KERNEL),
				0);
	}
	ut_reset(u);
	ut_prepare(u, 3, 3, 3, 1, U64_MAX);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PROMISE, 3, &msg));
	KUNIT_EXPECT_FALSE(test, msg.flags & PAXOS_WF_PROMISE_LAST);
	KUNIT_EXPECT_EQ(test, msg.nr, 2U);
	KUNIT_EXPECT_EQ(test, msg.to, 2ULL);
	ut_reset(u);
	ut_prepare(u, 3, 3, 3, 3, U64_MAX);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PROMISE, 3, &msg));
	KUNIT_EXPECT_TRUE(test, msg.flags & PAXOS_WF_PROMISE_LAST);
	KUNIT_EXPECT_EQ(test, msg.nr, 1U);
	KUNIT_EXPECT_EQ(test, msg.from, 3ULL);
}

/* A candidate asks for the next page and counts the promise when complete. */
static void paxos_wire_candidate_pages(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	const struct ut_ent e = E(2, 1, 2, 2, "p");
	struct paxos_wire_msg msg;
	struct paxos_ballot b;

	ut_start(u, 3, 1);
	ut_tick_until(u, PAXOS_MSG_PREPARE, 40);
	b = ut_status_ballot(u);
	ut_reset(u);
	um_begin(u);
	um_ballot(u, b.round, b.node);
	um_u64(u, 1);
	um_u64(u, 5);		/* this page covers slots 1..5 */
	um_u64(u, 0);
	um_u64(u, 1);
	um_u32(u, 1);
	um_u32(u, 0);
	um_entries(u, &e, 1);
	KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_PROMISE, 0, 2), 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_CANDIDATE);
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_PREPARE, 2, &msg));
	KUNIT_EXPECT_EQ(test, msg.from, 6ULL);
	ut_reset(u);
	um_begin(u);
	um_ballot(u, b.round, b.node);
	um_u64(u, 6);
	um_u64(u, U64_MAX);
	um_u64(u, 0);
	um_u64(u, 1);
	um_u32(u, 0);
	um_u32(u, 0);
	KUNIT_EXPECT_EQ(test, um_send(u, PAXOS_MSG_PROMISE, PAXOS_WF_PROMISE_LAST,
				      2), 0);
	KUNIT_EXPECT_EQ(test, ut_state(u, NULL), (u32)PAXOS_CS_LEADER);
	/* Slot 1 is a hole (no-op), slot 2 re-proposes "p". */
	KUNIT_ASSERT_NOT_NULL(test, ut_find(u, PAXOS_MSG_ACCEPT, 2, &msg));
	KUNIT_EXPECT_EQ(test, msg.nr, 2U);
}

static struct kunit_case paxos_wire_cases[] = {
	KUNIT_CASE_PARAM(paxos_wire_decode_rejects, wire_gen_params),
	KUNIT_CASE(paxos_wire_roundtrip),
	KUNIT_CASE(paxos_wire_core_drops),
	KUNIT_CASE(paxos_wire_big_values),
	KUNIT_CASE(paxos_wire_promise_pages),
	KUNIT_CASE(paxos_wire_candidate_pages),
	{}
};

static struct kunit_suite paxos_wire_suite = {
	.name = "paxos_wire",
	.exit = ut_exit,
	.test_cases = paxos_wire_cases,
};

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

static struct kunit_case paxos_proposer_cases[] = {
	KUNIT_CASE_PARAM(paxos_proposer_adopts, proposer_gen_params),
	KUNIT_CASE(paxos_proposer_steps_down),
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
 * a value from another ballot is fetched instead.
 */
static void paxos_learner_commit_needs_ballot(struct kunit *test)
{
	struct ut *u = ut_new(test, 2, 3, 0, PAXOS_CORE_MULTI, false);
	const struct ut_ent old = E(1, 2, 3, 3, "old");
	const struct ut_ent cur = E(2, 4, 1, 1, "cur");
	struct paxos_delivery *d[4];
	struct paxos_wire_msg msg;

	ut_start(u, 3, 2);
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

static struct kunit_case paxos_learner_cases[] = {
	KUNIT_CASE_PARAM(paxos_learner_in_order, learner_gen_params),
	KUNIT_CASE(paxos_learner_commit_needs_ballot),
	KUNIT_CASE(paxos_learner_noop),
	{}
};

static struct kunit_suite paxos_learner_suite = {
	.name = "paxos_learner",
	.exit = ut_exit,
	.test_cases = paxos_learner_cases,
};

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
	KUNIT_EXPECT_EQ(test, msg.nr, 16U);

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

/* ---- suite paxos_membership: new cluster vs join ------------------------ */

/* A node that ran before and claims "new cluster" is refused. */
static void paxos_membership_refuses_restart(struct kunit *test)
{
	struct ut *u = ut_new(test, 1, 3, 0, PAXOS_CORE_MULTI, false);
	struct paxos_wire_msg msg;

	ut_start(u, 3, 1);
	ut_prepare(u, 2, 3, 2, 1, U64_MAX);	/* we hold state now */
	ut_reset(u);
	/* Node 3 is new to us: a late starter, welcome. */
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
	KUNIT_EXPECT_EQ(test, paxos_core_propose(u->core, "x", 1, 1, GFP_KERNEL),
			-ECONNREFUSED);
	ut_reset(u);
	ut_prepare(u, 1, 9, 1, 1, U64_MAX);
	KUNIT_EXPECT_EQ(test, ut_count(u, PAXOS_MSG_PROMISE), 0U);
}

/* Until a majority said yes, a new node neither votes nor campaigns. */
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

static struct kunit_case paxos_propose_cases[] = {
	KUNIT_CASE(paxos_propose_limits),
	KUNIT_CASE_PARAM(paxos_propose_timeout, timeout_join_gen_params),
	KUNIT_CASE_PARAM(paxos_propose_bad_config, config_gen_params),
	{}
};

static struct kunit_suite paxos_propose_suite = {
	.name = "paxos_propose",
	.exit = ut_exit,
	.test_cases = paxos_propose_cases,
};

kunit_test_suites(&paxos_wire_suite, &paxos_acceptor_suite,
		  &paxos_proposer_suite, &paxos_quorum_suite,
		  &paxos_learner_suite, &paxos_dedup_suite, &paxos_trim_suite,
		  &paxos_membership_suite, &paxos_propose_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for the paxos protocol core");
