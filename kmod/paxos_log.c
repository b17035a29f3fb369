// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the log's storage and the core's output.
 *
 * Owns every allocation the core makes while running (core_alloc()), the
 * values (copied into the core; a value never has more than one owner), the
 * cells of the slot ring and the output queues c->out.
 *
 * The log is a ring of slot records covering [first_retained,
 * first_retained + cap): lookups are O(1) and nothing outside the ring is
 * ever stored, which bounds memory.  The ring starts at PAXOS_RING_MIN cells
 * and doubles when a slot beyond it is stored, up to the span the retention
 * and the window need (what is allocated follows use, not the configured
 * maximum).  A ring that cannot grow refuses the slot, like any other
 * allocation failure: the datagram or proposal is as good as lost.  Which
 * slots the ring covers is the learner's business (c->learn,
 * paxos_learner.c).
 *
 * Called by every role, under the caller's lock like all of the core.
 */
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_core_int.h"

/*
 * Every allocation the core makes while running goes through here, so that
 * tests can make any of them fail (&paxos_core_config.fail_alloc).  A failure
 * is counted and handled as a lost message or a refused request.
 */
void *core_alloc(struct paxos_core *c, size_t size, bool zero)
{
	void *p = NULL;

	if (!c->cfg.fail_alloc || !c->cfg.fail_alloc(c->cfg.fail_ctx, size))
		p = zero ? kzalloc(size, c->gfp) : kmalloc(size, c->gfp);
	if (!p)
		c->ctr.nomem++;
	return p;
}

/* core_alloc() for arrays that may be large (the slot ring): zeroed. */
void *core_kvcalloc(struct paxos_core *c, size_t n, size_t size)
{
	void *p = NULL;

	if (!c->cfg.fail_alloc || !c->cfg.fail_alloc(c->cfg.fail_ctx, n * size))
		p = kvcalloc(n, size, c->gfp);
	if (!p)
		c->ctr.nomem++;
	return p;
}

struct paxos_value *value_alloc(struct paxos_core *c, u32 len)
{
	struct paxos_value *v = core_alloc(c, sizeof(*v) + len, false);

	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	INIT_LIST_HEAD(&v->list);
	v->len = len;
	return v;
}

struct paxos_value *value_dup(struct paxos_core *c,
			      const struct paxos_value *src)
{
	struct paxos_value *v = value_alloc(c, src->len);

	if (!v)
		return NULL;
	v->origin = src->origin;
	v->flags = src->flags;
	v->origin_inc = src->origin_inc;
	v->seq = src->seq;
	v->low = src->low;
	memcpy(v->data, src->data, src->len);
	return v;
}

struct paxos_value *value_from_wire(struct paxos_core *c,
				    const struct paxos_wire_value *w)
{
	struct paxos_value *v = value_alloc(c, w->len);

	if (!v)
		return NULL;
	v->origin = w->origin;
	v->flags = w->flags & PAXOS_WE_CONFIG;
	v->origin_inc = w->origin_inc;
	v->seq = w->seq;
	v->low = w->low;
	memcpy(v->data, w->data, w->len);
	return v;
}

void value_to_wire(const struct paxos_value *v, u64 slot,
		   const struct paxos_ballot *bal, u32 flags,
		   struct paxos_wire_value *w)
{
	w->slot = slot;
	w->ballot = *bal;
	w->origin = v->origin;
	w->len = v->len;
	w->origin_inc = v->origin_inc;
	w->seq = v->seq;
	w->low = v->low;
	w->flags = flags | v->flags;
	w->data = v->data;
}

/*
 * Make the ring cover @s, doubling it as often as needed.  Every cell in
 * use holds a slot of [first_retained, first_retained + cap), so each finds
 * a cell of its own in the larger ring.  Return: false if @s is beyond the
 * span or the ring could not grow (counted as nomem).
 */
bool ring_reserve(struct paxos_core *c, u64 s)
{
	struct pxc_learner *l = &c->learn;
	struct paxos_slot *ring;
	u64 cap, i;

	if (!slot_in_ring(c, s))
		return false;
	if (s - l->first_retained < l->cap)
		return true;
	cap = min(l->span, max(2 * l->cap,
			       roundup_pow_of_two(s - l->first_retained + 1)));
	ring = core_kvcalloc(c, cap, sizeof(*ring));
	if (!ring)
		return false;
	for (i = 0; i < l->cap; i++)
		if (l->ring[i].slot)
			ring[l->ring[i].slot & (cap - 1)] = l->ring[i];
	kvfree(l->ring);
	l->ring = ring;
	l->cap = cap;
	return true;
}

struct paxos_slot *slot_get_or_create(struct paxos_core *c, u64 s)
{
	struct paxos_slot *e;

	if (!ring_reserve(c, s))
		return NULL;
	e = &c->learn.ring[s & (c->learn.cap - 1)];
	if (e->slot != s) {
		memset(e, 0, sizeof(*e));
		e->slot = s;
	}
	return e;
}

void slot_clear_proposal(struct paxos_slot *e)
{
	kfree(e->pval);
	e->pval = NULL;
	e->pbal = (struct paxos_ballot){};
	e->acks = 0;
}

void slot_free(struct paxos_slot *e)
{
	kfree(e->val);
	kfree(e->pval);
	memset(e, 0, sizeof(*e));
}

/* Store @v (owned) as held with @bal. */
void slot_store(struct paxos_core *c, struct paxos_slot *e,
		const struct paxos_ballot *bal, struct paxos_value *v)
{
	kfree(e->val);
	e->val = v;
	e->bal = *bal;
	if (e->slot > c->learn.max_held)
		c->learn.max_held = e->slot;
}

struct paxos_msg_out *msg_new(struct paxos_core *c, u32 dest, u32 type,
			      u32 flags, u32 body_len, u8 **body)
{
	struct paxos_msg_out *m;
	u32 len = PAXOS_WIRE_HDR_LEN + body_len;

	m = core_alloc(c, sizeof(*m) + len, false);
	if (!m)
		return NULL;
	m->dest = dest;
	m->len = len;
	*body = paxos_wire_put_hdr(m->data, type, flags, c->cfg.group_id,
				   c->cfg.node_id, c->inc, body_len);
	return m;
}

void msg_send(struct paxos_core *c, struct paxos_msg_out *m)
{
	list_add_tail(&m->list, &c->out.msgs);
	c->ctr.tx_msgs++;
}

/* Send a copy of @m to member index @idx.  Return: whether it went. */
static bool msg_send_copy(struct paxos_core *c,
			  const struct paxos_msg_out *m, u32 idx)
{
	struct paxos_msg_out *dup = core_alloc(c, sizeof(*m) + m->len, false);

	if (!dup)
		return false;
	memcpy(dup, m, sizeof(*m) + m->len);
	dup->dest = c->peers[idx].id;
	msg_send(c, dup);
	return true;
}

/*
 * msg_send_mask(), with the copy to member index @first (if in @mask)
 * ahead of the others: the node that waits for the message most goes
 * first.
 */
void msg_send_mask_first(struct paxos_core *c, struct paxos_msg_out *m,
			 u32 mask, int first)
{
	mask &= ~BIT(c->self);
	if (first >= 0 && (mask & BIT(first)) && (mask & ~BIT(first)) &&
	    msg_send_copy(c, m, first))
		mask &= ~BIT(first);
	msg_send_mask(c, m, mask);
}

/* Send @m to every member in @mask except ourselves; consumes @m. */
void msg_send_mask(struct paxos_core *c, struct paxos_msg_out *m, u32 mask)
{
	u32 i, last = U32_MAX;

	mask &= ~BIT(c->self);
	for (i = 0; i < c->nr_peers; i++)
		if (mask & BIT(i))
			last = i;
	if (last == U32_MAX) {
		kfree(m);
		return;
	}
	for (i = 0; i < last; i++)
		if (mask & BIT(i))
			msg_send_copy(c, m, i);
	m->dest = c->peers[last].id;
	msg_send(c, m);
}
