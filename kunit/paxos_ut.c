// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the harness shared by the unit suites of the paxos protocol core
 * (see paxos_ut.h), and the module's metadata.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_ut.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

void ut_exit(struct kunit *test)
{
	struct ut *u;

	for (u = test->priv; u; u = u->next) {
		paxos_ready_release(&u->r);
		paxos_core_destroy(u->core);
	}
}

/* The fault injection hook of every test core (see struct ut). */
static bool ut_fail_alloc(void *ctx, size_t size)
{
	struct ut *u = ctx;

	if (u->fail_at) {
		if (++u->allocs != u->fail_at)
			return false;
	} else if (!u->fail || (u->fail_size && size != u->fail_size)) {
		return false;
	}
	u->failed++;
	return true;
}

static struct ut *ut_build(struct kunit *test, u32 self, u32 voters,
			   u32 learners, u32 mode, bool join, u32 max_value,
			   const struct ut_log *log)
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
	if (log) {
		cfg->retention = log->retention;
		cfg->window = log->window;
		cfg->retain_bytes = log->retain_bytes;
		cfg->queue_limit = log->queue_limit ?: cfg->queue_limit;
	}
	cfg->fail_alloc = ut_fail_alloc;
	cfg->fail_ctx = u;
	u->self = self;
	u->core = paxos_core_create(cfg, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, u->core);
	u->next = test->priv;
	test->priv = u;
	return u;
}

/* A core for node @self of @voters voters (ids 1..) and @learners learners. */
struct ut *ut_new_max(struct kunit *test, u32 self, u32 voters,
		      u32 learners, u32 mode, bool join, u32 max_value)
{
	return ut_build(test, self, voters, learners, mode, join, max_value,
			NULL);
}

/* The same, multi mode, new cluster, with the log's limits of @log. */
struct ut *ut_new_log(struct kunit *test, u32 self, u32 voters, u32 max_value,
		      const struct ut_log *log)
{
	return ut_build(test, self, voters, log->learners, PAXOS_CORE_MULTI,
			false, max_value, log);
}

struct ut *ut_new(struct kunit *test, u32 self, u32 voters,
		  u32 learners, u32 mode, bool join)
{
	return ut_new_max(test, self, voters, learners, mode, join, 0);
}

/* Collect everything the core produced since the last call. */
void ut_collect(struct ut *u)
{
	struct paxos_msg_out *m;

	paxos_core_ready(u->core, &u->r);
	/* No datagram may exceed the UDP payload limit, whatever a test does. */
	list_for_each_entry(m, &u->r.msgs, list)
		KUNIT_EXPECT_LE(u->test, m->len, (u32)PAXOS_MAX_DATAGRAM);
	/* Nor may what the core derives from its configurations lag them. */
	KUNIT_EXPECT_TRUE(u->test, paxos_core_derived_ok(u->core));
}

void ut_reset(struct ut *u)
{
	ut_collect(u);
	paxos_ready_release(&u->r);
	paxos_ready_init(&u->r);
}

void um_begin(struct ut *u)
{
	u->len = PAXOS_WIRE_HDR_LEN;
}

void um_u32(struct ut *u, u32 v)
{
	put_unaligned_le32(v, u->buf + u->len);
	u->len += 4;
}

void um_u64(struct ut *u, u64 v)
{
	put_unaligned_le64(v, u->buf + u->len);
	u->len += 8;
}

void um_ballot(struct ut *u, u32 round, u32 node)
{
	um_u32(u, round);
	um_u32(u, node);
}

void ut_wire_value(const struct ut_ent *e, struct paxos_wire_value *w)
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
	w->len = !e->val ? 0 : e->len ?: strlen(e->val);
	w->data = (const u8 *)e->val;
}

void um_entries(struct ut *u, const struct ut_ent *ents, u32 nr)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		struct paxos_wire_value w;

		ut_wire_value(&ents[i], &w);
		u->len = paxos_wire_put_entry(u->buf + u->len, &w) - u->buf;
	}
}

/* Finish the datagram and feed it to the core; returns its verdict. */
int um_send(struct ut *u, u32 type, u32 flags, u32 sender)
{
	int rc;

	/* The imaginary voters are the incarnations their probe admitted. */
	if (type == PAXOS_MSG_PROMISE ||
	    (type == PAXOS_MSG_ACCEPTED && (flags & PAXOS_WF_ACCEPTED_VOTER)) ||
	    (type == PAXOS_MSG_STATUS && !(flags & PAXOS_WF_STATUS_LEARNER)))
		flags |= PAXOS_WF_ADMITTED;

	paxos_wire_put_hdr(u->buf, type, flags, UT_GROUP, sender, UT_INC(sender),
			   u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	ut_collect(u);
	return rc;
}

/* A HELLO from @from (incarnation @inc) that names incarnation @asker. */
int ut_hello_inc(struct ut *u, u32 from, u64 inc, u32 flags, u64 asker)
{
	int rc;

	um_begin(u);
	um_u64(u, asker);
	paxos_wire_put_hdr(u->buf, PAXOS_MSG_HELLO, flags, UT_GROUP, from, inc,
			   u->len - PAXOS_WIRE_HDR_LEN);
	rc = paxos_core_receive(u->core, u->buf, u->len, GFP_KERNEL);
	ut_collect(u);
	return rc;
}

/* A probe from @from, or its answer to ours (bound to our incarnation). */
void ut_hello(struct ut *u, u32 from, u32 flags)
{
	u64 asker = flags & PAXOS_WF_HELLO_NEW ? 0 : UT_INC(u->self);

	KUNIT_EXPECT_EQ(u->test, ut_hello_inc(u, from, UT_INC(from), flags,
					      asker), 0);
}

void ut_prepare(struct ut *u, u32 from, u32 round, u32 node, u64 lo,
		u64 hi)
{
	um_begin(u);
	um_ballot(u, round, node);
	um_u64(u, lo);
	um_u64(u, hi);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_PREPARE, 0, from), 0);
}

void ut_promise(struct ut *u, u32 from, u32 round, u32 node,
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

void ut_accept(struct ut *u, u32 from, u32 round, u32 node, u64 commit,
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

void ut_accepted(struct ut *u, u32 from, u32 round, u32 node, u64 slot,
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

/* A FORWARD of @ents (slot 0, the sender's own values) from @from. */
void ut_forward(struct ut *u, u32 from, const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_FORWARD, 0, from), 0);
}

void ut_learn(struct ut *u, u32 from, const struct ut_ent *ents, u32 nr)
{
	um_begin(u);
	um_u64(u, 1);
	um_u64(u, 0);
	um_u32(u, nr);
	um_u32(u, 0);
	um_entries(u, ents, nr);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_LEARN, 0, from), 0);
}

void ut_catchup(struct ut *u, u32 from, u64 slot)
{
	um_begin(u);
	um_u64(u, slot);
	um_u64(u, slot - 1);
	KUNIT_EXPECT_EQ(u->test, um_send(u, PAXOS_MSG_CATCHUP, 0, from), 0);
}

/* The node may vote once every other voter said "go ahead" to its probe. */
void ut_start(struct ut *u, u32 voters, u32 self)
{
	u32 i;

	for (i = 1; i <= voters; i++)
		if (i != self)
			ut_hello(u, i, PAXOS_WF_HELLO_OK);
	ut_reset(u);
}

/* @len bytes of a pattern derived from @seed, freed with the test. */
u8 *ut_big_value(struct kunit *test, u32 len, u8 seed)
{
	u8 *v = kunit_kzalloc(test, len, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, v);
	for (i = 0; i < len; i++)
		v[i] = (u8)(i * 7 + seed);
	return v;
}

struct paxos_msg_out *ut_find(struct ut *u, u32 type, u32 dest,
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

u32 ut_count(struct ut *u, u32 type)
{
	struct paxos_wire_msg msg;
	struct paxos_msg_out *m;
	u32 n = 0;

	list_for_each_entry(m, &u->r.msgs, list)
		if (!paxos_wire_decode(m->data, m->len, &msg) && msg.type == type)
			n++;
	return n;
}

u32 ut_deliveries(struct ut *u, struct paxos_delivery **out, u32 max)
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
void ut_tick_until(struct ut *u, u32 type, u32 max_ticks)
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

struct paxos_ballot ut_status_ballot(struct ut *u)
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

u32 ut_state(struct ut *u, u32 *flags)
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
struct paxos_ballot ut_elect(struct ut *u, const u32 *promisers, u32 nr,
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

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for the paxos protocol core");
