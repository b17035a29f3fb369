// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the wire format: validation of every field, datagram size
 * limits, paged promises.
 *
 * The harness is paxos_ut.c; tables (KUNIT_ARRAY_PARAM) list the cases.
 */
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_ut.h"

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

/*
 * An ACCEPTED that carries a FORWARD body after its slots (a held vote and
 * the sender's next proposals): decoded with both parts; without its flag,
 * or with the FORWARD part short or inconsistent, it is malformed.
 */
static void paxos_wire_accepted_forward(struct kunit *test)
{
	static const struct paxos_ballot b = { .round = 3, .node = 1 };
	static const u64 slots[] = { 5, 6 };
	const u32 flags = PAXOS_WF_ACCEPTED_VOTER | PAXOS_WF_ACCEPTED_FORWARD;
	struct paxos_wire_value w = {
		.origin = 2, .len = 5, .origin_inc = 9, .seq = 4, .low = 1,
		.data = (const u8 *)"hello",
	};
	struct paxos_wire_msg msg;
	u8 *buf = kunit_kzalloc(test, 256, GFP_KERNEL), *p, *fwd;
	u32 len, body;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	p = paxos_wire_put_accepted(buf + PAXOS_WIRE_HDR_LEN, &b, 6, 1, slots,
				    ARRAY_SIZE(slots));
	fwd = p;
	p = paxos_wire_put_forward(p, 1);
	p = paxos_wire_put_entry(p, &w);
	len = p - buf;
	body = len - PAXOS_WIRE_HDR_LEN;
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, flags, UT_GROUP, 2, 77, body);
	KUNIT_ASSERT_EQ(test, paxos_wire_decode(buf, len, &msg), 0);
	KUNIT_EXPECT_EQ(test, msg.nr, 2U);
	KUNIT_EXPECT_EQ(test, paxos_wire_get_slot(msg.entries, 1), 6ULL);
	KUNIT_EXPECT_EQ(test, msg.learned, 6ULL);
	KUNIT_ASSERT_EQ(test, msg.fwd_nr, 1U);
	KUNIT_EXPECT_TRUE(test, msg.fwd_entries == fwd + PAXOS_WIRE_FORWARD_LEN);
	paxos_wire_get_entry(msg.fwd_entries, &w);
	KUNIT_EXPECT_EQ(test, w.seq, 4ULL);
	KUNIT_EXPECT_MEMEQ(test, w.data, "hello", 5);

	/* The FORWARD part without the flag: trailing bytes. */
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, PAXOS_WF_ACCEPTED_VOTER,
			   UT_GROUP, 2, 77, body);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
	/* The flag with no FORWARD part, or half of its fixed part. */
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, flags, UT_GROUP, 2, 77,
			   fwd - buf - PAXOS_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, fwd - buf, &msg),
			-EBADMSG);
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, flags, UT_GROUP, 2, 77,
			   fwd + 4 - buf - PAXOS_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, fwd + 4 - buf, &msg),
			-EBADMSG);
	/* More entries than bytes, a reserved field set. */
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, flags, UT_GROUP, 2, 77, body);
	put_unaligned_le32(2, fwd);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
	put_unaligned_le32(1, fwd);
	put_unaligned_le32(1, fwd + 4);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
	put_unaligned_le32(0, fwd + 4);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), 0);
	/* The slot count reaching into the FORWARD part. */
	put_unaligned_le32(3, buf + PAXOS_WIRE_HDR_LEN + 24);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);

	/*
	 * Without the FORWARD part: slot counts past the end of the datagram,
	 * one whose size in bytes wraps a 32-bit size_t (0x20000001 * 8),
	 * and the largest.
	 */
	len = fwd - buf;
	paxos_wire_put_hdr(buf, PAXOS_MSG_ACCEPTED, PAXOS_WF_ACCEPTED_VOTER,
			   UT_GROUP, 2, 77, len - PAXOS_WIRE_HDR_LEN);
	put_unaligned_le32(2, buf + PAXOS_WIRE_HDR_LEN + 24);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), 0);
	put_unaligned_le32(3, buf + PAXOS_WIRE_HDR_LEN + 24);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
	put_unaligned_le32(0x20000001, buf + PAXOS_WIRE_HDR_LEN + 24);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
	put_unaligned_le32(U32_MAX, buf + PAXOS_WIRE_HDR_LEN + 24);
	KUNIT_EXPECT_EQ(test, paxos_wire_decode(buf, len, &msg), -EBADMSG);
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
	KUNIT_CASE(paxos_wire_accepted_forward),
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

kunit_test_suites(&paxos_wire_suite);
