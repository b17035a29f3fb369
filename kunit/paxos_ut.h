/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: the harness shared by the unit suites of the paxos protocol core.
 *
 * A test drives one core (struct ut) through its public interface with
 * hand-built datagrams from imaginary peers, encoded here field by field
 * independently of paxos_wire.c, and looks at what the core sends, delivers
 * and completes.  Each suite file (paxos_*_test.c) covers one role.
 */
#ifndef _PAXOS_UT_H
#define _PAXOS_UT_H

#include <kunit/test.h>
#include <linux/types.h>

#include "paxos_core.h"
#include "paxos_wire.h"

#define UT_GROUP	42
#define UT_INC(id)	(1000ULL + (id))

struct ut_ent {
	u64 slot;
	u32 round;
	u32 node;
	u32 origin;		/* 0: no-op */
	u64 seq;
	u64 low;
	u32 flags;
	const char *val;
	u32 len;		/* 0: strlen(val) */
};

/* An entry: slot, ballot (round, node), origin and value. */
#define E(s, r, n, o, v) { .slot = s, .round = r, .node = n, .origin = o, \
			   .seq = s, .low = 1, .val = v }

struct ut {
	struct ut *next;	/* earlier core of the same test */
	struct kunit *test;
	struct paxos_core *core;
	u32 self;
	bool fail;		/* make the core's allocations fail ... */
	size_t fail_size;	/* ... of this size only (0: all) */
	u32 fail_at;		/* or only the fail_at-th one from now (1..) */
	u32 allocs;		/* allocations since fail_at was set */
	u32 failed;		/* allocations made to fail */
	struct paxos_ready r;
	u32 len;
	u8 buf[PAXOS_MAX_DATAGRAM];
};

/* Limits of the log for ut_new_log() (zero fields: the core's defaults). */
struct ut_log {
	u32 retention;
	u32 window;
	u32 retain_bytes;
	u32 queue_limit;	/* 0: the harness's 8 */
	u32 learners;		/* learners after the voters (ids on) */
};

void ut_exit(struct kunit *test);
struct ut *ut_new_max(struct kunit *test, u32 self, u32 voters,
		      u32 learners, u32 mode, bool join, u32 max_value);
struct ut *ut_new_log(struct kunit *test, u32 self, u32 voters, u32 max_value,
		      const struct ut_log *log);
struct ut *ut_new(struct kunit *test, u32 self, u32 voters,
		  u32 learners, u32 mode, bool join);
void ut_collect(struct ut *u);
void ut_reset(struct ut *u);
void um_begin(struct ut *u);
void um_u32(struct ut *u, u32 v);
void um_u64(struct ut *u, u64 v);
void um_ballot(struct ut *u, u32 round, u32 node);
void ut_wire_value(const struct ut_ent *e, struct paxos_wire_value *w);
void um_entries(struct ut *u, const struct ut_ent *ents, u32 nr);
int um_send(struct ut *u, u32 type, u32 flags, u32 sender);
int ut_hello_inc(struct ut *u, u32 from, u64 inc, u32 flags, u64 asker);
void ut_hello(struct ut *u, u32 from, u32 flags);
void ut_prepare(struct ut *u, u32 from, u32 round, u32 node, u64 lo,
		u64 hi);
void ut_promise(struct ut *u, u32 from, u32 round, u32 node,
		const struct ut_ent *ents, u32 nr);
void ut_accept(struct ut *u, u32 from, u32 round, u32 node, u64 commit,
	       u64 trim, const struct ut_ent *ents, u32 nr);
void ut_accepted(struct ut *u, u32 from, u32 round, u32 node, u64 slot,
		 bool voter);
void ut_forward(struct ut *u, u32 from, const struct ut_ent *ents, u32 nr);
void ut_learn(struct ut *u, u32 from, const struct ut_ent *ents, u32 nr);
void ut_catchup(struct ut *u, u32 from, u64 slot);
void ut_start(struct ut *u, u32 voters, u32 self);
struct paxos_msg_out *ut_find(struct ut *u, u32 type, u32 dest,
			      struct paxos_wire_msg *msg);
u32 ut_count(struct ut *u, u32 type);
u32 ut_deliveries(struct ut *u, struct paxos_delivery **out, u32 max);
void ut_tick_until(struct ut *u, u32 type, u32 max_ticks);
struct paxos_ballot ut_status_ballot(struct ut *u);
u32 ut_state(struct ut *u, u32 *flags);
struct paxos_ballot ut_elect(struct ut *u, const u32 *promisers, u32 nr,
			     const struct ut_ent *ents, u32 nr_ents);
u8 *ut_big_value(struct kunit *test, u32 len, u8 seed);

#endif /* _PAXOS_UT_H */
