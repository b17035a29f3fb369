// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: exactly-once, a deterministic function of the log.
 *
 * Each value carries (origin, incarnation, seq, low), where low is the
 * origin's lowest still pending seq.  Every learner runs the same dedup
 * table over the log in slot order, so all nodes agree on which slots are
 * duplicates; those are delivered as no-ops.  The table is bounded:
 * PAXOS_DEDUP_WINDOW seqs per origin (it never has more in flight), and one
 * entry per origin node id, at the newest incarnation the log has shown.
 * Nothing is ever evicted (an evicted origin's retry would be delivered
 * twice): members are fewer than PAXOS_DEDUP_ORIGINS and a member forwards
 * only its own proposals.  Incarnations grow with every restart, so a value
 * of an incarnation older than the entry's is void (its instance and its
 * clients are gone, a stray copy of it must not come back) and is delivered
 * as a no-op, like a duplicate.  A second copy
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

/* The entry of @origin, at the newest incarnation of it in the log. */
static struct paxos_dedup_entry *dedup_find(struct paxos_dedup *t, u32 origin)
{
	u32 i;

	for (i = 0; i < t->nr; i++)
		if (t->e[i].origin == origin)
			return &t->e[i];
	return NULL;
}

/* Was (origin, inc, seq) delivered already, or can it never be? */
bool dedup_seen(struct paxos_dedup *t, u32 origin, u64 inc, u64 seq)
{
	struct paxos_dedup_entry *d = dedup_find(t, origin);
	u64 off;

	if (!d)
		return t->nr >= PAXOS_DEDUP_ORIGINS;
	if (inc != d->origin_inc)
		return inc < d->origin_inc;
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
	struct paxos_dedup_entry *d = dedup_find(t, v->origin);
	u64 off;

	if (!d) {
		/* Full only with forged origins: never evict, refuse. */
		if (t->nr >= PAXOS_DEDUP_ORIGINS)
			return true;
		d = &t->e[t->nr++];
		memset(d, 0, sizeof(*d));
		d->origin = v->origin;
		d->origin_inc = v->origin_inc;
	} else if (v->origin_inc < d->origin_inc) {
		return true;
	} else if (v->origin_inc > d->origin_inc) {
		/* A newer incarnation: the older one's values are void now. */
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
