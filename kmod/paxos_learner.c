// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the learner, catch-up and trimming.
 *
 * Owns c->learn: which slots the ring covers, the learned prefix, the commit
 * point, the dedup tables and the trim hint.
 *
 * Learning.  A leader learns a slot when a majority of voters accepted it in
 * its ballot.  Followers learn from the leader's commit point: a slot at or
 * below the commit point is chosen with the value the follower holds for it
 * *if* the follower holds it in the leader's ballot (a ballot proposes one
 * value per slot, and by the Paxos invariant a chosen slot's value is the one
 * every later ballot proposes).  Anything else is fetched with CATCHUP.
 *
 * Slots every member has learned are trimmed beyond the retention, or once
 * the learned slots kept pin more than half of retain_bytes; beyond twice
 * the retention, or retain_bytes, the oldest learned slots go even if a
 * member still needs them.  Only learned slots are trimmed: what an acceptor
 * holds beyond its learned point is never forgotten.  A member behind the
 * trim point skips to it with the dedup state there (LEARN with
 * PAXOS_WF_LEARN_SNAPSHOT).
 *
 * Called from paxos_core_receive(), paxos_core_tick() and every role that
 * sees a slot chosen; under the caller's lock like all of the core.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "paxos_core_int.h"

void send_catchup(struct paxos_core *c, u32 dest)
{
	struct paxos_msg_out *m;
	u8 *p;

	if (!dest || dest == c->cfg.node_id)
		return;
	/* Not in step with the cluster's configurations yet: ask for them. */
	m = msg_new(c, dest, PAXOS_MSG_CATCHUP,
		    c->synced ? 0 : PAXOS_WF_CATCHUP_SNAPSHOT,
		    PAXOS_WIRE_CATCHUP_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_catchup(p, c->learn.learned + 1, c->learn.learned);
	c->learn.catchup_at = c->now + c->cfg.retransmit_ticks;
	c->ctr.catchups_sent++;
	msg_send(c, m);
}

void maybe_catchup(struct paxos_core *c, u32 dest)
{
	if (c->now >= c->learn.catchup_at)
		send_catchup(c, dest);
}

void send_status(struct paxos_core *c)
{
	struct paxos_msg_out *m;
	u8 *p;

	m = msg_new(c, 0, PAXOS_MSG_STATUS,
		    (c->voting ? 0 : PAXOS_WF_STATUS_LEARNER) |
		    (c->admitted ? PAXOS_WF_ADMITTED : 0),
		    PAXOS_WIRE_STATUS_LEN, &p);
	if (!m)
		return;
	paxos_wire_put_status(p, c->learn.learned, c->learn.first_retained,
			      c->learn.trim_hint);
	msg_send_mask(c, m, all_members(c));
}

/* Smallest learned point over all members: everyone has learned up to it. */
void update_trim_hint(struct paxos_core *c)
{
	u64 low = c->learn.learned;
	u32 i;

	for (i = 0; i < c->nr_peers; i++)
		if (i != c->self && (c->members & BIT(i)))
			low = min(low, c->peers[i].learned);
	c->learn.trim_hint = max(c->learn.trim_hint, low);
}

/* Too much kept: by slots or by bytes, softly (@all learned it) or hard? */
static bool trim_needed(const struct paxos_core *c, u64 count, bool all)
{
	u64 ret = c->cfg.retention, bytes = c->learn.bytes;

	if (count > 2 * ret || bytes > c->learn.max_bytes)
		return true;
	return all && (count > ret || bytes > c->learn.max_bytes / 2);
}

void trim_log(struct paxos_core *c)
{
	while (c->learn.first_retained <= c->learn.learned) {
		u64 s = c->learn.first_retained, count = c->learn.learned - s + 1;
		struct paxos_slot *e;

		if (!trim_needed(c, count, s <= c->learn.trim_hint))
			break;
		e = slot_get(c, s);
		/* A duplicate change was never applied. */
		if (e && e->val && e->val->origin &&
		    dedup_apply(&c->learn.dedup_trim, e->val, s))
			conf_trimmed(c, s, NULL);
		else
			conf_trimmed(c, s, e ? e->val : NULL);
		if (e) {
			c->learn.bytes -= slot_cost(e);
			slot_free(e);
		}
		c->learn.first_retained++;
		c->ctr.slots_trimmed++;
	}
}

static bool deliver_slot(struct paxos_core *c, struct paxos_slot *e)
{
	struct paxos_value *v = e->val;
	struct paxos_delivery *d;
	int err = 0;
	bool dup;

	d = core_alloc(c, sizeof(*d) + v->len, false);
	if (!d)
		return false;
	dup = v->origin && dedup_apply(&c->learn.dedup, v, e->slot);
	d->slot = e->slot;
	d->last_slot = e->slot;
	d->origin = v->origin;
	d->origin_inc = v->origin_inc;
	d->seq = v->seq;
	/* A configuration change is no reader's business. */
	if (!v->origin || dup || (v->flags & PAXOS_WE_CONFIG)) {
		d->kind = PAXOS_DELIVER_NOOP;
		d->len = 0;
	} else {
		d->kind = PAXOS_DELIVER_VALUE;
		d->len = v->len;
		memcpy(d->data, v->data, v->len);
	}
	list_add_tail(&d->list, &c->out.deliveries);
	if (dup) {
		e->flags |= SLOT_DUP;
		c->ctr.duplicates++;
	}
	c->learn.learned = e->slot;
	c->learn.bytes += slot_cost(e);
	c->ctr.slots_learned++;
	if (d->kind == PAXOS_DELIVER_VALUE)
		c->ctr.values_learned++;
	else
		c->ctr.noops_learned++;
	if (!dup && (v->flags & PAXOS_WE_CONFIG))
		err = is_multi(c) ? conf_delivered(c, e->slot, v) : -EOPNOTSUPP;
	conf_learned(c);
	if (!dup && v->origin == c->cfg.node_id && v->origin_inc == c->inc)
		origin_complete(c, v->seq, e->slot, err);
	return true;
}

/*
 * Deliver every chosen slot after the learned prefix, in order; a leader
 * then refills its window (with a single voter, new slots are chosen at once).
 */
void learner_advance(struct paxos_core *c)
{
	u64 before = c->learn.learned;

	/* A joiner learns nothing before it has the cluster's configuration. */
	if (!c->synced)
		return;
	for (;;) {
		while (slot_chosen(c, c->learn.learned + 1))
			if (!deliver_slot(c, slot_get(c, c->learn.learned + 1)))
				break;
		if (c->state != PAXOS_CS_LEADER || !proposer_fill_window(c) ||
		    !slot_chosen(c, c->learn.learned + 1))
			break;
	}
	if (c->learn.learned == before)
		return;
	if (c->learn.commit < c->learn.learned)
		c->learn.commit = c->learn.learned;
	trim_log(c);
}

/* Mark @e chosen with a value learned from a peer (@v owned). */
void learner_store_chosen(struct paxos_core *c, struct paxos_slot *e,
			  const struct paxos_ballot *bal,
			  struct paxos_value *v)
{
	if (e->flags & SLOT_CHOSEN) {
		if (e->val && !value_same(e->val, v))
			c->ctr.conflicts++;
		kfree(v);
		return;
	}
	slot_store(c, e, bal, v);
	e->flags |= SLOT_CHOSEN;
}

/*
 * A voter that just accepted the leader's Accept for the slot after its
 * learned prefix knows two votes for it in ballot @bal: the leader's (a
 * leader accepts a value itself before it sends it: proposer_propose()) and
 * its own.  When those two make a quorum of the configuration that governs
 * the slot (three voters), the slot is chosen: learn it now rather than at
 * the leader's commit notice, a one-way trip later.  Only the slot right
 * after the learned prefix, so that every configuration change that could
 * govern it is known; learning it moves the prefix on to the next.
 */
void learner_on_accept(struct paxos_core *c, u32 leader_idx,
		       const struct paxos_ballot *bal)
{
	u32 votes = BIT(c->self) | BIT(leader_idx);

	/* The vote inferred is the ballot's own proposer's. */
	if (!c->voting || !c->synced || leader_idx == c->self ||
	    bal->node != c->peers[leader_idx].id)
		return;
	for (;;) {
		u64 s = c->learn.learned + 1;
		struct paxos_slot *e = slot_get(c, s);
		u32 quorum, voters;

		if (!e || !e->val || (e->flags & SLOT_CHOSEN) ||
		    !ballot_eq(&e->bal, bal))
			return;
		voters = conf_slot_voters(c, s, &quorum);
		if ((votes & voters) != votes || hweight32(votes) < quorum)
			return;
		e->flags |= SLOT_CHOSEN;
		c->ctr.learned_on_accept++;
		learner_advance(c);
		if (c->learn.learned < s)
			return;
	}
}

/*
 * A leader with ballot @bal says every slot up to @commit is chosen: the
 * slots we hold in that same ballot are chosen with the value we hold.
 */
void learner_apply_commit(struct paxos_core *c, u64 commit,
			  const struct paxos_ballot *bal, u32 from)
{
	u64 s;

	if (commit > c->learn.commit) {
		c->learn.commit = commit;
		/* The current configuration's open slots may all be chosen. */
		if (c->flags & PAXOS_STATUS_QUORUM_LOST)
			conf_recompute(c);
	}
	for (s = c->learn.learned + 1; s <= commit; s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (!e || !e->val)
			break;
		if (!(e->flags & SLOT_CHOSEN)) {
			if (!ballot_eq(&e->bal, bal))
				break;
			e->flags |= SLOT_CHOSEN;
		}
	}
	learner_advance(c);
	trim_log(c);
	if (c->learn.learned < c->learn.commit)
		maybe_catchup(c, from);
}

void on_catchup(struct paxos_core *c, u32 idx,
		const struct paxos_wire_msg *msg)
{
	u64 from = max(msg->from, c->learn.first_retained), s;
	u32 size = 0, nr = 0, nr_dedup = 0, flags = 0, i;
	struct paxos_msg_out *m;
	u8 *p;

	u8 *scratch = NULL;

	if (!c->synced)
		return;
	if (msg->from < c->learn.first_retained ||
	    (msg->flags & PAXOS_WF_CATCHUP_SNAPSHOT)) {
		/* The dedup state and configurations before first_retained. */
		flags = PAXOS_WF_LEARN_SNAPSHOT;
		nr_dedup = c->learn.dedup_trim.nr;
		scratch = core_alloc(c, conf_snapshot_len(c), false);
		if (!scratch)
			return;
		size = nr_dedup * PAXOS_WIRE_DEDUP_LEN +
		       paxos_wire_entry_size(conf_snapshot_len(c));
	}
	for (s = from; s <= c->learn.learned; s++) {
		struct paxos_slot *e = slot_get(c, s);
		u32 sz;

		if (!e || !e->val)
			break;
		sz = paxos_wire_entry_size(e->val->len);
		if (size + sz > PAXOS_BODY_BUDGET)
			break;
		size += sz;
		nr++;
	}
	if (!nr && !flags)
		return;
	m = msg_new(c, c->peers[idx].id, PAXOS_MSG_LEARN, flags,
		    PAXOS_WIRE_LEARN_LEN + size, &p);
	if (!m) {
		kfree(scratch);
		return;
	}
	p = paxos_wire_put_learn(p, c->learn.first_retained, c->learn.learned,
				 nr + !!scratch, nr_dedup);
	for (i = 0; i < nr_dedup; i++)
		p = paxos_wire_put_dedup(p, &c->learn.dedup_trim.e[i]);
	if (scratch) {
		p = conf_snapshot_put(c, p, scratch);
		kfree(scratch);
	}
	for (s = from; nr; s++, nr--) {
		struct paxos_slot *e = slot_get(c, s);
		struct paxos_wire_value w;

		value_to_wire(e->val, s, &e->bal, PAXOS_WE_CHOSEN, &w);
		p = paxos_wire_put_entry(p, &w);
	}
	msg_send(c, m);
}

/* Peers trimmed what we miss: continue from their first retained slot. */
static void learner_skip_to(struct paxos_core *c, u64 first,
			    const struct paxos_wire_msg *msg)
{
	struct paxos_delivery *d;
	const u8 *p = msg->dedup;
	u64 i;

	d = core_alloc(c, sizeof(*d), true);
	if (!d)
		return;
	step_down(c);
	if (c->basic.phase != BASIC_IDLE)
		basic_finish(c, false);
	d->kind = PAXOS_DELIVER_SKIPPED;
	d->slot = c->learn.learned + 1;
	d->last_slot = first - 1;
	list_add_tail(&d->list, &c->out.deliveries);
	c->ctr.slots_skipped += first - 1 - c->learn.learned;

	for (i = 0; i < c->learn.cap; i++)
		if (c->learn.ring[i].slot && c->learn.ring[i].slot < first)
			slot_free(&c->learn.ring[i]);
	memset(&c->learn.dedup, 0, sizeof(c->learn.dedup));
	for (i = 0; i < msg->nr_dedup; i++)
		p = paxos_wire_get_dedup(p,
					 &c->learn.dedup.e[c->learn.dedup.nr++]);
	c->learn.dedup_trim = c->learn.dedup;
	c->learn.first_retained = first;
	c->learn.learned = first - 1;
	c->learn.bytes = 0;		/* no learned slot is left */
	c->learn.commit = max(c->learn.commit, c->learn.learned);
	c->learn.max_held = max(c->learn.max_held, c->learn.learned);
	if (c->prop.next_slot && c->prop.next_slot <= c->learn.learned)
		c->prop.next_slot = c->learn.learned + 1;
	origin_reconcile(c);
}

void on_learn(struct paxos_core *c, u32 idx,
	      const struct paxos_wire_msg *msg)
{
	const u8 *p = msg->entries;
	u64 before = c->learn.learned;
	u32 i;

	/* A leader learns only through its own quorum (see learner notes). */
	if (c->state == PAXOS_CS_LEADER)
		return;
	c->peers[idx].learned = max(c->peers[idx].learned, msg->learned);
	if ((msg->flags & PAXOS_WF_LEARN_SNAPSHOT) &&
	    (msg->first_retained > c->learn.learned + 1 ||
	     (!c->synced && msg->first_retained == c->learn.learned + 1))) {
		struct paxos_wire_value w;

		/* The configurations first: without them, no skip. */
		if (!msg->nr)
			return;
		paxos_wire_get_entry(p, &w);
		if (!(w.flags & PAXOS_WE_CONFSTATE) ||
		    w.slot != msg->first_retained - 1 ||
		    !conf_snapshot_take(c, &w))
			return;
		c->synced = true;
		if (msg->first_retained > c->learn.learned + 1)
			learner_skip_to(c, msg->first_retained, msg);
	}
	if (!c->synced)
		return;
	for (i = 0; i < msg->nr; i++) {
		struct paxos_wire_value w;
		struct paxos_slot *e;
		struct paxos_value *v;

		p = paxos_wire_get_entry(p, &w);
		if (w.slot <= c->learn.learned || (w.flags & PAXOS_WE_CONFSTATE))
			continue;
		e = slot_get_or_create(c, w.slot);
		if (!e)
			continue;
		v = value_from_wire(c, &w);
		if (!v)
			continue;
		learner_store_chosen(c, e, &w.ballot, v);
	}
	basic_check_chosen(c);
	learner_advance(c);
	if (c->learn.learned > before)
		c->ctr.catchup_slots += c->learn.learned - before;
	if (c->learn.learned > before && c->learn.learned < msg->learned)
		send_catchup(c, c->peers[idx].id);
}

/**
 * paxos_core_read() - copy out a learned slot
 * @core: the core
 * @slot: the slot
 * @buf: destination for the value (may be NULL if @len is 0)
 * @len: size of @buf
 * @info: filled with the slot's metadata on success (may be NULL)
 *
 * Return: the value's length (0 for a no-op or a suppressed duplicate);
 * -ENOENT if the slot was trimmed (or is 0); -EAGAIN if not learned yet;
 * -EMSGSIZE if @len is too small (@info is still filled).
 */
int paxos_core_read(const struct paxos_core *core, u64 slot, void *buf,
		    size_t len, struct paxos_slot_info *info)
{
	const struct paxos_slot *e;
	const struct paxos_value *v;
	bool noop;

	if (!slot || slot < core->learn.first_retained)
		return -ENOENT;
	if (slot > core->learn.learned)
		return -EAGAIN;
	e = slot_get(core, slot);
	if (!e || !e->val)
		return -ENOENT;
	v = e->val;
	noop = !v->origin || (e->flags & SLOT_DUP) ||
	       (v->flags & PAXOS_WE_CONFIG);
	if (info) {
		info->kind = noop ? PAXOS_DELIVER_NOOP : PAXOS_DELIVER_VALUE;
		info->origin = v->origin;
		info->origin_inc = v->origin_inc;
		info->seq = v->seq;
		info->len = noop ? 0 : v->len;
	}
	if (noop)
		return 0;
	if (len < v->len)
		return -EMSGSIZE;
	memcpy(buf, v->data, v->len);
	return v->len;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_read);

/**
 * paxos_core_first_retained() - lowest slot still held
 * @core: the core
 *
 * Return: the slot; everything below it is trimmed.
 */
u64 paxos_core_first_retained(const struct paxos_core *core)
{
	return core->learn.first_retained;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_first_retained);

/**
 * paxos_core_learned() - end of the contiguous learned prefix
 * @core: the core
 *
 * Return: the last learned slot, 0 if none.
 */
u64 paxos_core_learned(const struct paxos_core *core)
{
	return core->learn.learned;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_learned);
