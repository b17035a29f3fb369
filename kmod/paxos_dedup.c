// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: exactly-once, a deterministic function of the log.
 *
 * Each value carries (origin, incarnation, seq, low), where low is the
 * origin's lowest still pending seq.  Every learner runs the same dedup
 * table over the log in slot order, so all nodes agree on which slots are
 * duplicates; those are delivered as no-ops.  The table is bounded:
 * PAXOS_DEDUP_WINDOW seqs per origin incarnation (the origin never has more
 * in flight) and PAXOS_DEDUP_ORIGINS incarnations (least recently used one
 * evicted, which only happens after that many node restarts).  A second copy
 * of the table is kept at the trim point, so a peer that has to skip trimmed
 * slots receives the exact state they would have produced.
 *
 * Owns nothing itself: it works on the tables in c->learn, for the learner
 * (delivery, trim) and the proposer (dropping values already delivered),
 * under the caller's lock like all of the core.
 */
#include <linux/bitops.h>
#include <linux/string.h>

#include "paxos_core_int.h"

static void dedup_advance(struct paxos_dedup_entry *d, u64 new_base)
{
	u64 k;

	if (new_base <= d->base)
		return;
	k = new_base - d->base;
	d->bits = k >= 64 ? 0 : d->bits >> k;
	d->base = new_base;
	while (d->bits & 1) {
		d->bits >>= 1;
		d->base++;
	}
}

static struct paxos_dedup_entry *dedup_find(struct paxos_dedup *t, u32 origin,
					    u64 inc)
{
	u32 i;

	for (i = 0; i < t->nr; i++)
		if (t->e[i].origin == origin && t->e[i].origin_inc == inc)
			return &t->e[i];
	return NULL;
}

/* Was (origin, inc, seq) delivered already? */
bool dedup_seen(struct paxos_dedup *t, u32 origin, u64 inc, u64 seq)
{
	struct paxos_dedup_entry *d = dedup_find(t, origin, inc);
	u64 off;

	if (!d)
		return false;
	if (seq <= d->base)
		return true;
	off = seq - d->base - 1;
	return off < 64 && (d->bits & BIT_ULL(off));
}

/*
 * Record the value chosen in @slot.  Return: true if it is a duplicate (or
 * an abandoned proposal) and must be delivered as a no-op.
 */
bool dedup_apply(struct paxos_dedup *t, const struct paxos_value *v,
		 u64 slot)
{
	struct paxos_dedup_entry *d = dedup_find(t, v->origin, v->origin_inc);
	u64 off;

	if (!d) {
		if (t->nr < PAXOS_DEDUP_ORIGINS) {
			d = &t->e[t->nr++];
		} else {
			u32 i, lru = 0;

			for (i = 1; i < t->nr; i++)
				if (t->e[i].last_slot < t->e[lru].last_slot)
					lru = i;
			d = &t->e[lru];
		}
		memset(d, 0, sizeof(*d));
		d->origin = v->origin;
		d->origin_inc = v->origin_inc;
	}
	d->last_slot = slot;
	if (v->low)
		dedup_advance(d, v->low - 1);
	if (v->seq <= d->base)
		return true;
	off = v->seq - d->base - 1;
	if (off >= 64) {
		/* The origin broke its window; keep the newest 64. */
		dedup_advance(d, v->seq - 64);
		off = 63;
	}
	if (d->bits & BIT_ULL(off))
		return true;
	d->bits |= BIT_ULL(off);
	dedup_advance(d, d->base);
	if (d->bits & 1)
		dedup_advance(d, d->base + 1);
	return false;
}
