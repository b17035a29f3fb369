// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: membership, chosen in the log.
 *
 * Owns c->conf (the configuration governing the slots after the learned
 * point, and a chosen change waiting for its slot), c->conf_trim (the same
 * before the first retained slot, which snapshots carry), the peer table's
 * membership and the voter masks derived from them.
 *
 * The method is the alpha window of "Paxos Made Moderately Complex": a
 * change is a value (PAXOS_WE_CONFIG) chosen in some slot s like any other;
 * it is applied in slot order by every learner, and governs the slots from
 * s + PAXOS_CONFIG_ALPHA on.  A leader proposes in slot t only while t is
 * within its window (<= PAXOS_CONFIG_ALPHA) of its learned point, so every
 * change that can govern t is already chosen and known to it: it counts the
 * votes for t with t's own configuration.  A candidate collects promises
 * from a quorum of every configuration that governs a slot it may propose
 * in (the current one, and the next if a change is pending); a leader that
 * reaches a configuration whose quorum did not promise runs phase 1 again.
 * One change at a time: a change chosen while another waits for its slot
 * fails with -EBUSY, whoever proposed it, deterministically on every node.
 *
 * Identity is (node id, incarnation): a voter entry names the incarnation
 * that votes.  PAXOS_INC_ADMITTED (the initial configuration) is whichever
 * incarnation a new cluster's probe let vote (paxos_hello.c), so a later
 * incarnation never inherits it; PAXOS_INC_PENDING is a voter not yet
 * pinned.  Votes of any other incarnation are not counted, and a node votes
 * only while a configuration names it.  By default the leader pins a voter's
 * newest incarnation (a restarted voter, or one added) once it caught up, as
 * a PROMOTE change.  When the voters whose incarnation is known to be gone
 * are a majority, no quorum can ever form again: PAXOS_STATUS_QUORUM_LOST,
 * until an operator forces a new cluster from one node's log.
 *
 * Called from the learner (delivery and trimming), the proposer, the hello
 * probe and paxos_core_receive(); under the caller's lock like all of the
 * core.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <asm/byteorder.h>

#include "paxos_core_int.h"

static struct paxos_member *conf_find(struct pxc_conf *cf, u32 id)
{
	u32 i;

	for (i = 0; i < cf->nr; i++)
		if (cf->m[i].node_id == id)
			return &cf->m[i];
	return NULL;
}

static u32 conf_nr_voters(const struct pxc_conf *cf, bool pinned_only)
{
	u32 i, n = 0;

	for (i = 0; i < cf->nr; i++)
		if (cf->m[i].role == PAXOS_MEMBER_VOTER &&
		    (!pinned_only || cf->m[i].incarnation != PAXOS_INC_PENDING))
			n++;
	return n;
}

/* Make cur the configuration that governs slot @t. */
static void confs_advance(struct pxc_confs *cs, u64 t)
{
	if (cs->next.effective && cs->next.effective <= t) {
		cs->cur = cs->next;
		memset(&cs->next, 0, sizeof(cs->next));
	}
}

static void change_decode(const u8 *data, struct paxos_change *ch)
{
	const struct paxos_wire_change *w = (const void *)data;

	ch->op = le32_to_cpu(w->op);
	ch->node_id = le32_to_cpu(w->m.node);
	ch->role = le32_to_cpu(w->m.role);
	ch->incarnation = le64_to_cpu(w->m.inc);
	memcpy(ch->addr, w->m.addr, PAXOS_ADDR_LEN);
}

static void change_encode(const struct paxos_change *ch, u8 *data)
{
	struct paxos_wire_change *w = (void *)data;

	memset(w, 0, sizeof(*w));
	w->op = cpu_to_le32(ch->op);
	w->m.node = cpu_to_le32(ch->node_id);
	w->m.role = cpu_to_le32(ch->role);
	w->m.inc = cpu_to_le64(ch->incarnation);
	memcpy(w->m.addr, ch->addr, PAXOS_ADDR_LEN);
}

/*
 * Apply the change chosen in slot @s to @cs.  Deterministic: it depends on
 * the log only, so every node takes or refuses it alike.  Return: 0, or why
 * it was refused (-EBUSY: another change waits for its slot; -EALREADY;
 * -EINVAL: it names no member, or would leave too few voters to vote).
 */
static int confs_apply(struct pxc_confs *cs, u64 s,
		       const struct paxos_change *ch)
{
	struct pxc_conf *n = &cs->next;
	struct paxos_member *m;
	u32 i;

	confs_advance(cs, s + 1);
	if (ch->op == PAXOS_CHANGE_REFUSED)
		return -EHOSTUNREACH;
	if (ch->op != PAXOS_CHANGE_FORCE && n->effective)
		return -EBUSY;
	*n = cs->cur;
	m = conf_find(n, ch->node_id);
	switch (ch->op) {
	case PAXOS_CHANGE_ADD:
		if (m || !ch->node_id || n->nr >= PAXOS_MAX_MEMBERS ||
		    ch->role > PAXOS_MEMBER_LEARNER)
			goto inval;
		m = &n->m[n->nr++];
		m->node_id = ch->node_id;
		m->role = ch->role;
		m->incarnation = ch->role == PAXOS_MEMBER_VOTER ?
				 PAXOS_INC_PENDING : 0;
		memcpy(m->addr, ch->addr, PAXOS_ADDR_LEN);
		break;
	case PAXOS_CHANGE_REMOVE:
		if (!m)
			goto inval;
		*m = n->m[--n->nr];
		memset(&n->m[n->nr], 0, sizeof(n->m[n->nr]));
		break;
	case PAXOS_CHANGE_PROMOTE:
		if (!m)
			goto inval;
		/*
		 * Incarnations only grow: a voter pinned to a newer one than
		 * this change names restarted since it was proposed.
		 */
		if (m->role == PAXOS_MEMBER_VOTER &&
		    (!ch->incarnation || m->incarnation == ch->incarnation ||
		     (m->incarnation != PAXOS_INC_PENDING &&
		      ch->incarnation < m->incarnation))) {
			memset(n, 0, sizeof(*n));
			return -EALREADY;
		}
		m->role = PAXOS_MEMBER_VOTER;
		m->incarnation = ch->incarnation ?: PAXOS_INC_PENDING;
		break;
	case PAXOS_CHANGE_DEMOTE:
		if (!m || m->role != PAXOS_MEMBER_VOTER)
			goto inval;
		m->role = PAXOS_MEMBER_LEARNER;
		m->incarnation = 0;
		break;
	case PAXOS_CHANGE_ADDRESS:
		if (!m)
			goto inval;
		memcpy(m->addr, ch->addr, PAXOS_ADDR_LEN);
		break;
	case PAXOS_CHANGE_FORCE:
		/* The operator's word: its sender alone votes, at once. */
		if (!m || !ch->incarnation)
			goto inval;
		for (i = 0; i < n->nr; i++) {
			if (n->m[i].node_id == ch->node_id)
				continue;
			n->m[i].role = PAXOS_MEMBER_LEARNER;
			n->m[i].incarnation = 0;
		}
		m->role = PAXOS_MEMBER_VOTER;
		m->incarnation = ch->incarnation;
		n->slot = s;
		n->effective = s + 1;
		cs->cur = *n;
		memset(n, 0, sizeof(*n));
		return 0;
	default:
		goto inval;
	}
	/* Pinned voters alone must be able to make a quorum. */
	if (!conf_nr_voters(n, false) ||
	    conf_nr_voters(n, true) < conf_nr_voters(n, false) / 2 + 1)
		goto inval;
	n->slot = s;
	n->effective = s + PAXOS_CONFIG_ALPHA;
	return 0;
inval:
	memset(n, 0, sizeof(*n));
	return -EINVAL;
}

/* ---- the peer table and the masks ------------------------------------- */

int peer_index(const struct paxos_core *c, u32 id)
{
	u32 i;

	for (i = 0; i < c->nr_peers; i++)
		if (c->peers[i].id == id)
			return i;
	return -1;
}

/* Forget what @idx's votes counted for (its incarnation or entry is gone). */
void peer_forget_votes(struct paxos_core *c, u32 idx)
{
	u64 s;

	c->prop.p1_done &= ~BIT(idx);
	c->hello_ok &= ~BIT(idx);
	for (s = max(c->prop.lo, c->learn.first_retained); s <= c->prop.hi;
	     s++) {
		struct paxos_slot *e = slot_get(c, s);

		if (e && !(e->flags & SLOT_CHOSEN))
			e->acks &= ~BIT(idx);
	}
}

static bool conf_has(const struct pxc_conf *cf, u32 id)
{
	u32 i;

	for (i = 0; cf->effective && i < cf->nr; i++)
		if (cf->m[i].node_id == id)
			return true;
	return false;
}

/*
 * Removed as soon as the change that removes us is chosen: once it
 * governs, no member sends us anything, so we could not learn that far.
 */
static bool conf_removes_self(const struct paxos_core *c)
{
	return !conf_has(c->conf.next.effective ? &c->conf.next : &c->conf.cur,
			 c->cfg.node_id);
}

/* A member added back: the newest incarnation heard before its removal. */
static u64 conf_gone_inc(struct paxos_core *c, u32 id)
{
	u64 inc = 0;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(c->gone); i++) {
		if (c->gone[i].id != id)
			continue;
		inc = max(inc, c->gone[i].inc);
		c->gone[i].id = 0;
		c->gone[i].inc = 0;
	}
	return inc;
}

/* Give every member of cur and next a peer entry; free the others'. */
static void conf_peers(struct paxos_core *c)
{
	struct pxc_confs *cs = &c->conf;
	struct pxc_conf *cfs[] = { &cs->cur, &cs->next };
	u32 i, k, top = 0;

	for (i = 0; i < c->nr_peers; i++) {
		struct paxos_peer *p = &c->peers[i];

		if (i == c->self || !p->id || conf_has(&cs->cur, p->id) ||
		    conf_has(&cs->next, p->id))
			continue;
		peer_forget_votes(c, i);
		if (p->inc) {
			c->gone[c->gone_next].id = p->id;
			c->gone[c->gone_next].inc = p->inc;
			c->gone_next = (c->gone_next + 1) % ARRAY_SIZE(c->gone);
		}
		memset(p, 0, sizeof(*p));
	}
	for (k = 0; k < ARRAY_SIZE(cfs); k++) {
		for (i = 0; cfs[k]->effective && i < cfs[k]->nr; i++) {
			const struct paxos_member *m = &cfs[k]->m[i];
			int idx = peer_index(c, m->node_id);

			if (idx < 0) {
				idx = peer_index(c, 0);
				if (idx < 0)
					idx = c->nr_peers++;
				memset(&c->peers[idx], 0, sizeof(c->peers[idx]));
				c->peers[idx].id = m->node_id;
				c->peers[idx].p1_next = c->prop.p1_from;
				c->peers[idx].inc = conf_gone_inc(c, m->node_id);
			}
			if (k == 0 || !conf_has(&cs->cur, m->node_id))
				c->peers[idx].role = m->role;
		}
	}
	c->members = 0;
	for (i = 0; i < c->nr_peers; i++) {
		if (c->peers[i].id && (conf_has(&cs->cur, c->peers[i].id) ||
				       conf_has(&cs->next, c->peers[i].id)))
			c->members |= BIT(i);
		if (c->peers[i].id)
			top = i + 1;
	}
	c->nr_peers = max(top, c->self + 1);
}

/* Is voter @m's voting incarnation the one peer @idx (or we) speaks with? */
static bool voter_eligible(const struct paxos_core *c,
			   const struct paxos_member *m, u32 idx)
{
	if (m->role != PAXOS_MEMBER_VOTER ||
	    m->incarnation == PAXOS_INC_PENDING)
		return false;
	if (idx == c->self)
		return m->incarnation == PAXOS_INC_ADMITTED ? c->admitted :
		       m->incarnation == c->inc;
	/*
	 * Only the incarnation itself knows it was admitted, and says so in
	 * what it sends (until it did, it gets our Prepares and Accepts).
	 */
	if (m->incarnation == PAXOS_INC_ADMITTED)
		return c->peers[idx].claim != CLAIM_NOT_ADMITTED;
	return m->incarnation == c->peers[idx].inc;
}

/* Is voter @m's voting incarnation known to be gone (its state lost)? */
static bool voter_gone(const struct paxos_core *c,
		       const struct paxos_member *m, u32 idx)
{
	const struct paxos_peer *p = &c->peers[idx];

	if (m->incarnation == PAXOS_INC_PENDING)
		return true;
	if (idx == c->self)
		return !voter_eligible(c, m, idx);
	if (m->incarnation == PAXOS_INC_ADMITTED)
		return p->claim == CLAIM_NOT_ADMITTED;
	return p->inc > m->incarnation;
}

static u32 conf_mask(const struct paxos_core *c, const struct pxc_conf *cf,
		     u32 *quorum, u32 *live)
{
	u32 i, mask = 0, n = 0, alive = 0;

	for (i = 0; cf->effective && i < cf->nr; i++) {
		const struct paxos_member *m = &cf->m[i];
		int idx = peer_index(c, m->node_id);

		if (m->role != PAXOS_MEMBER_VOTER || idx < 0)
			continue;
		n++;
		if (voter_eligible(c, m, idx))
			mask |= BIT(idx);
		if (!voter_gone(c, m, idx))
			alive++;
	}
	*quorum = n ? n / 2 + 1 : 0;
	if (live)
		*live = alive;
	return mask;
}

/* Are we named as a voter that votes, by cur or next? */
static bool conf_self_votes(const struct paxos_core *c)
{
	const struct pxc_conf *cfs[] = { &c->conf.cur, &c->conf.next };
	u32 k, i;

	for (k = 0; k < ARRAY_SIZE(cfs); k++)
		for (i = 0; cfs[k]->effective && i < cfs[k]->nr; i++)
			if (cfs[k]->m[i].node_id == c->cfg.node_id &&
			    voter_eligible(c, &cfs[k]->m[i], c->self))
				return true;
	return false;
}

/**
 * paxos_core_derived_ok() - do the masks and counts derived from the
 * configurations match them?
 * @core: the core
 *
 * For the tests: what conf_recompute() derived (the masks, quorums and
 * live counts, whether we are removed, whether we vote) must be what the
 * configurations and the peers' incarnations give now, whatever changed
 * them (a change taken or refused, a snapshot, a restarted peer).
 *
 * Return: true if every derived value is current.
 */
bool paxos_core_derived_ok(const struct paxos_core *core)
{
	const struct paxos_core *c = core;
	u32 voters, quorum, live, next_voters, next_quorum, next_live;

	if (conf_removes_self(c) != !!(c->flags & PAXOS_STATUS_REMOVED))
		return false;
	/* Whether we vote: a probing node's is the probe's to say. */
	if (is_multi(c) && c->state != PAXOS_CS_PROBING &&
	    conf_self_votes(c) != c->voting)
		return false;
	voters = conf_mask(c, &c->conf.cur, &quorum, &live);
	next_voters = conf_mask(c, &c->conf.next, &next_quorum, &next_live);
	return voters == c->voters && quorum == c->quorum &&
	       live == c->live && next_voters == c->next_voters &&
	       next_quorum == c->next_quorum && next_live == c->next_live;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_derived_ok);

/*
 * Is a quorum lost for good?  From the live voters conf_recompute()
 * counted; judged again every tick as well, since a joiner that catches up
 * on chosen slots may get there with nothing else to recompute.
 */
void conf_judge_quorum(struct paxos_core *c)
{
	u32 flags = c->flags, live = c->live;

	/*
	 * The next configuration's too: the log cannot get past its slot.
	 * The current one's matters only while slots it governs are open.
	 */
	if (c->conf.next.effective &&
	    c->learn.commit + 1 >= c->conf.next.effective)
		live = c->quorum;
	/*
	 * Judged only on the cluster's configuration of now: not by a joiner
	 * that has not got it, nor while catching up on chosen slots.
	 */
	if (is_multi(c) && c->synced && c->learn.learned >= c->learn.commit &&
	    (live < c->quorum ||
	     (c->conf.next.effective && c->next_live < c->next_quorum)))
		c->flags |= PAXOS_STATUS_QUORUM_LOST;
	else
		c->flags &= ~PAXOS_STATUS_QUORUM_LOST;
	/* Quorum lost or found again: an event with the configuration. */
	if ((c->flags ^ flags) & PAXOS_STATUS_QUORUM_LOST)
		c->out.events |= PAXOS_EVENT_STATE | PAXOS_EVENT_CONFIG;
}

/*
 * Derive everything that follows from the configurations and what we know
 * of the peers' incarnations: the peer table, the voter masks and quorums,
 * whether we vote, and whether a quorum is lost for good.
 */
void conf_recompute(struct paxos_core *c)
{
	u32 old_voters = c->voters, old_next = c->next_voters;
	u32 flags = c->flags;
	bool votes;

	conf_peers(c);
	c->live = 0;
	c->next_live = 0;
	c->voters = conf_mask(c, &c->conf.cur, &c->quorum, &c->live);
	c->next_voters = conf_mask(c, &c->conf.next, &c->next_quorum,
				   &c->next_live);
	if (c->voters != old_voters || c->next_voters != old_next)
		c->out.events |= PAXOS_EVENT_CONFIG;
	/*
	 * Removed: until the change is in force we still vote on the slots
	 * the old configuration governs (a quorum of it may need us), but
	 * lead no more.
	 */
	if (conf_removes_self(c))
		c->flags |= PAXOS_STATUS_REMOVED;
	else
		c->flags &= ~PAXOS_STATUS_REMOVED;
	conf_judge_quorum(c);
	if (c->flags != flags)
		c->out.events |= PAXOS_EVENT_STATE;
	if (!is_multi(c) || c->state == PAXOS_CS_PROBING)
		return;
	votes = conf_self_votes(c);
	if (votes == c->voting)
		return;
	c->voting = votes;
	if (votes) {
		/* Refused as a new cluster, and now a voter by the log. */
		c->flags &= ~PAXOS_STATUS_REFUSED;
		c->flags |= PAXOS_STATUS_VOTING;
		if (c->state == PAXOS_CS_LEARNER)
			core_start_voting(c);
	} else {
		c->flags &= ~PAXOS_STATUS_VOTING;
		step_down(c);
		core_set_state(c, PAXOS_CS_LEARNER);
	}
	c->out.events |= PAXOS_EVENT_STATE;
}

void conf_init(struct paxos_core *c)
{
	struct pxc_conf *cf = &c->conf.cur;
	u32 i;

	cf->effective = 1;
	cf->nr = c->cfg.nr_members;
	for (i = 0; i < cf->nr; i++) {
		cf->m[i] = c->cfg.members[i];
		if (cf->m[i].role != PAXOS_MEMBER_VOTER)
			cf->m[i].incarnation = 0;
	}
	c->conf_trim = c->conf;
}

/* Voters (mask of peer indices) and quorum that decide slot @s. */
u32 conf_slot_voters(const struct paxos_core *c, u64 s, u32 *quorum)
{
	if (c->conf.next.effective && s >= c->conf.next.effective) {
		*quorum = c->next_quorum;
		return c->next_voters;
	}
	*quorum = c->quorum;
	return c->voters;
}

/*
 * Did a quorum of the configuration in force promise (@next: of the next
 * one, if a change waits for its slot)?
 */
bool conf_promised(const struct paxos_core *c, u32 done, bool next)
{
	if (!next)
		return hweight32(done & c->voters) >= c->quorum;
	return c->conf.next.effective &&
	       hweight32(done & c->next_voters) >= c->next_quorum;
}

/*
 * The configurations the leader's promises cover (by the slot they take
 * effect at): the one in force and the next, each if a quorum of its
 * voters (in the incarnations it names) promised our ballot.  A promise
 * covers every slot from the candidacy's first on, so one made before a
 * configuration was chosen counts for it as well.
 */
void conf_cover(struct paxos_core *c)
{
	c->prop.p1_conf[0] = conf_promised(c, c->prop.p1_done, false) ?
			     c->conf.cur.effective : 0;
	c->prop.p1_conf[1] = conf_promised(c, c->prop.p1_done, true) ?
			     c->conf.next.effective : 0;
}

/*
 * May the leader propose in slot @s: did a quorum of the configuration
 * that governs it promise?  Return: 0 yes; 1 not yet (the next
 * configuration's slots: wait until it is in force); -1 no (phase 1
 * again, with the configuration in force).
 */
int conf_covered(const struct paxos_core *c, u64 s)
{
	bool next = c->conf.next.effective && s >= c->conf.next.effective;
	u64 eff = next ? c->conf.next.effective : c->conf.cur.effective;

	if (eff == c->prop.p1_conf[0] || eff == c->prop.p1_conf[1])
		return 0;
	return next ? 1 : -1;
}

/* The learned point moved: the next configuration may now govern. */
void conf_learned(struct paxos_core *c)
{
	if (c->conf.next.effective &&
	    c->conf.next.effective <= c->learn.learned + 1) {
		confs_advance(&c->conf, c->learn.learned + 1);
		conf_recompute(c);
		c->out.events |= PAXOS_EVENT_CONFIG;
	}
}

/* A change @v was delivered in slot @s (not a duplicate): apply it. */
int conf_delivered(struct paxos_core *c, u64 s, const struct paxos_value *v)
{
	struct paxos_change ch;
	u64 cur;
	int err;

	change_decode(v->data, &ch);
	cur = c->conf.cur.effective;
	err = confs_apply(&c->conf, s, &ch);
	/*
	 * Taken or refused, a change in the slot before the one the next
	 * configuration waits for brings it into force: what derives from
	 * the configurations (masks, quorums, whether we vote) follows now.
	 */
	if (!err || c->conf.cur.effective != cur) {
		confs_advance(&c->conf, s + 1);
		conf_recompute(c);
		c->out.events |= PAXOS_EVENT_CONFIG;
	}
	/*
	 * A forced configuration: its leader votes alone, now, with the
	 * backoff that the quorum loss built up forgotten (a candidate of
	 * the old configuration starts over too).
	 */
	if (!err && ch.op == PAXOS_CHANGE_FORCE && c->voting &&
	    ch.node_id == c->cfg.node_id && c->state != PAXOS_CS_LEADER) {
		step_down(c);
		c->prop.backoff = 0;
		c->prop.election_at = c->now;
	}
	return err;
}

/* Slot @s is trimmed: what snapshots carry moves past it. */
void conf_trimmed(struct paxos_core *c, u64 s, const struct paxos_value *v)
{
	struct paxos_change ch;

	if (v && (v->flags & PAXOS_WE_CONFIG)) {
		change_decode(v->data, &ch);
		confs_apply(&c->conf_trim, s, &ch);
	}
	confs_advance(&c->conf_trim, s + 1);
}

/* ---- snapshots: the configurations before the first retained slot ------ */

u32 conf_snapshot_len(const struct paxos_core *c)
{
	const struct pxc_confs *cs = &c->conf_trim;

	return PAXOS_WIRE_CONFS_LEN + PAXOS_WIRE_MEMBER_LEN *
	       (cs->cur.nr + (cs->next.effective ? cs->next.nr : 0));
}

static u8 *put_members(u8 *p, const struct pxc_conf *cf)
{
	u32 i;

	for (i = 0; i < cf->nr; i++) {
		struct paxos_wire_member *w = (void *)p;

		w->node = cpu_to_le32(cf->m[i].node_id);
		w->role = cpu_to_le32(cf->m[i].role);
		w->inc = cpu_to_le64(cf->m[i].incarnation);
		memcpy(w->addr, cf->m[i].addr, PAXOS_ADDR_LEN);
		p += PAXOS_WIRE_MEMBER_LEN;
	}
	return p;
}

/*
 * Put the PAXOS_WE_CONFSTATE entry of a snapshot at @p, built in @scratch
 * (conf_snapshot_len() bytes).  Return: the end of the entry.
 */
u8 *conf_snapshot_put(const struct paxos_core *c, u8 *p, u8 *scratch)
{
	const struct pxc_confs *cs = &c->conf_trim;
	struct paxos_wire_confs *h = (void *)scratch;
	bool next = cs->next.effective;
	struct paxos_wire_value w = {};
	u8 *q = scratch + PAXOS_WIRE_CONFS_LEN;

	h->cur_slot = cpu_to_le64(cs->cur.slot);
	h->cur_effective = cpu_to_le64(cs->cur.effective);
	h->next_slot = cpu_to_le64(next ? cs->next.slot : 0);
	h->next_effective = cpu_to_le64(cs->next.effective);
	h->cur_nr = cpu_to_le32(cs->cur.nr);
	h->next_nr = cpu_to_le32(next ? cs->next.nr : 0);
	q = put_members(q, &cs->cur);
	if (next)
		put_members(q, &cs->next);
	w.slot = c->learn.first_retained - 1;
	w.flags = PAXOS_WE_CONFSTATE;
	w.len = conf_snapshot_len(c);
	w.data = scratch;
	return paxos_wire_put_entry(p, &w);
}

static bool get_members(const u8 *p, u32 nr, struct pxc_conf *cf)
{
	u32 i, j;

	if (nr > PAXOS_MAX_MEMBERS)
		return false;
	cf->nr = nr;
	for (i = 0; i < nr; i++) {
		const struct paxos_wire_member *w = (const void *)p;
		struct paxos_member *m = &cf->m[i];

		m->node_id = le32_to_cpu(w->node);
		m->role = le32_to_cpu(w->role);
		m->incarnation = le64_to_cpu(w->inc);
		memcpy(m->addr, w->addr, PAXOS_ADDR_LEN);
		if (!m->node_id || m->role > PAXOS_MEMBER_LEARNER)
			return false;
		for (j = 0; j < i; j++)
			if (cf->m[j].node_id == m->node_id)
				return false;
		p += PAXOS_WIRE_MEMBER_LEN;
	}
	return true;
}

/*
 * A snapshot's configurations, for a learner that skips to its first
 * retained slot (@w->slot + 1).  Return: false if malformed (then nothing
 * changed).
 */
bool conf_snapshot_take(struct paxos_core *c, const struct paxos_wire_value *w)
{
	const struct paxos_wire_confs *h = (const void *)w->data;
	struct pxc_confs *cs;
	u32 cur_nr, next_nr;

	if (w->len < PAXOS_WIRE_CONFS_LEN)
		return false;
	cur_nr = le32_to_cpu(h->cur_nr);
	next_nr = le32_to_cpu(h->next_nr);
	if (cur_nr > PAXOS_MAX_MEMBERS || next_nr > PAXOS_MAX_MEMBERS ||
	    w->len != PAXOS_WIRE_CONFS_LEN +
		      (cur_nr + next_nr) * PAXOS_WIRE_MEMBER_LEN)
		return false;
	cs = kzalloc(sizeof(*cs), c->gfp);
	if (!cs)
		return false;
	cs->cur.slot = le64_to_cpu(h->cur_slot);
	cs->cur.effective = le64_to_cpu(h->cur_effective);
	cs->next.slot = le64_to_cpu(h->next_slot);
	cs->next.effective = le64_to_cpu(h->next_effective);
	if (!cs->cur.effective || !cur_nr || cs->cur.effective > w->slot + 1 ||
	    (cs->next.effective && (!next_nr ||
				    cs->next.effective <= w->slot + 1)) ||
	    (!cs->next.effective && next_nr) ||
	    !get_members(w->data + PAXOS_WIRE_CONFS_LEN, cur_nr, &cs->cur) ||
	    !get_members(w->data + PAXOS_WIRE_CONFS_LEN +
			 cur_nr * PAXOS_WIRE_MEMBER_LEN, next_nr, &cs->next) ||
	    !conf_nr_voters(&cs->cur, false)) {
		kfree(cs);
		return false;
	}
	c->conf = *cs;
	c->conf_trim = *cs;
	kfree(cs);
	conf_recompute(c);
	c->out.events |= PAXOS_EVENT_CONFIG;
	return true;
}

/* ---- the leader's side ------------------------------------------------ */

/* Is a change waiting for its slot, queued or in flight at this leader? */
bool conf_in_flight(const struct paxos_core *c)
{
	const struct paxos_value *v;
	u64 s;

	if (c->conf.next.effective)
		return true;
	list_for_each_entry(v, &c->prop.queue, list)
		if (v->flags & PAXOS_WE_CONFIG)
			return true;
	for (s = c->learn.learned + 1; s < c->prop.next_slot; s++) {
		const struct paxos_slot *e = slot_get(c, s);

		if (e && e->val && (e->val->flags & PAXOS_WE_CONFIG))
			return true;
	}
	return false;
}

/*
 * Would the voters of the configuration that change @ch leaves make a
 * quorum of members we can reach, each running the incarnation it votes
 * as?  A voter added or promoted without an incarnation we know does not
 * count (a quorum must pin it first), nor does one promoted as an
 * incarnation other than the one its node runs.  A PROMOTE that changes
 * nothing is left to the log to refuse (-EALREADY).
 */
static bool conf_reachable_after(struct paxos_core *c,
				 const struct pxc_conf *cf,
				 const struct paxos_change *ch)
{
	u32 i, voters = 0, reach = 0;

	if (ch->op == PAXOS_CHANGE_ADD && ch->role == PAXOS_MEMBER_VOTER)
		voters++;
	for (i = 0; i < cf->nr; i++) {
		struct paxos_member m = cf->m[i];
		int idx = peer_index(c, m.node_id);
		bool named = m.node_id == ch->node_id, live;

		if (named && (ch->op == PAXOS_CHANGE_DEMOTE ||
			      ch->op == PAXOS_CHANGE_REMOVE))
			continue;
		if (named && ch->op == PAXOS_CHANGE_PROMOTE) {
			if (m.role == PAXOS_MEMBER_VOTER &&
			    (!ch->incarnation || m.incarnation == ch->incarnation ||
			     (m.incarnation != PAXOS_INC_PENDING &&
			      ch->incarnation < m.incarnation)))
				return true;
			m.role = PAXOS_MEMBER_VOTER;
			m.incarnation = ch->incarnation ?: PAXOS_INC_PENDING;
		}
		if (m.role != PAXOS_MEMBER_VOTER)
			continue;
		voters++;
		if (idx < 0)
			continue;
		if (named && ch->op == PAXOS_CHANGE_PROMOTE)
			live = voter_eligible(c, &m, idx);
		else
			live = !voter_gone(c, &m, idx);
		if (live && ((u32)idx == c->self || c->peers[idx].reachable))
			reach++;
	}
	return reach >= voters / 2 + 1;
}

/*
 * The leader takes change @v off its queue: a PROMOTE that names no
 * incarnation gets the newest one we heard (a learner promoted by hand).
 * A change after which the voters we can reach would make no quorum (a
 * voter demoted or removed while another is down, a voter added or
 * promoted that could not vote) is turned into PAXOS_CHANGE_REFUSED:
 * every node refuses it with -EHOSTUNREACH, and the group keeps its
 * quorum.
 */
void conf_resolve(struct paxos_core *c, struct paxos_value *v)
{
	struct paxos_change ch;
	struct paxos_member *known;
	struct pxc_conf *cf;
	int idx;

	if (!(v->flags & PAXOS_WE_CONFIG))
		return;
	change_decode(v->data, &ch);
	if (ch.op == PAXOS_CHANGE_PROMOTE && !ch.incarnation) {
		idx = peer_index(c, ch.node_id);
		if (idx >= 0)
			ch.incarnation = (u32)idx == c->self ? c->inc :
					 c->peers[idx].inc;
	}
	/*
	 * Judged against the newest configuration we know.  Nothing to judge
	 * when the log refuses the change anyway (no such member, or one
	 * already there) or it moves no vote.
	 */
	cf = c->conf.next.effective ? &c->conf.next : &c->conf.cur;
	known = conf_find(cf, ch.node_id);
	if (ch.op == PAXOS_CHANGE_ADD ? !!known : !known)
		goto out;
	/* A learner comes and goes without touching the quorum. */
	if ((ch.op == PAXOS_CHANGE_ADD && ch.role != PAXOS_MEMBER_VOTER) ||
	    (ch.op == PAXOS_CHANGE_REMOVE &&
	     known->role != PAXOS_MEMBER_VOTER))
		goto out;
	if ((ch.op == PAXOS_CHANGE_ADD || ch.op == PAXOS_CHANGE_REMOVE ||
	     ch.op == PAXOS_CHANGE_PROMOTE || ch.op == PAXOS_CHANGE_DEMOTE) &&
	    !conf_reachable_after(c, cf, &ch))
		ch.op = PAXOS_CHANGE_REFUSED;
out:
	change_encode(&ch, v->data);
}

/*
 * May we go on leading?  Only a leader the log removed asks: it leads on
 * to bring its removal into force while a quorum of the configuration in
 * force still talks to it; once none does (the others went on without it,
 * and no member sends to it any more), it steps down for good.
 */
bool conf_leader_heard(const struct paxos_core *c)
{
	u32 i, heard = 0;

	if (!(c->flags & PAXOS_STATUS_REMOVED))
		return true;
	for (i = 0; i < c->nr_peers; i++)
		if ((c->voters & BIT(i)) &&
		    (i == c->self || c->peers[i].reachable))
			heard++;
	return heard >= c->quorum;
}

/*
 * Heartbeat time at the leader: pin the newest incarnation of one voter
 * whose voting incarnation is gone (it restarted) or not pinned yet (added,
 * or promoted by hand before it was heard), once it caught up.
 */
void conf_leader_tick(struct paxos_core *c)
{
	struct pxc_conf *cf = &c->conf.cur;
	u32 i;

	if (c->state != PAXOS_CS_LEADER || conf_in_flight(c) ||
	    (c->flags & PAXOS_STATUS_QUORUM_LOST))
		return;
	for (i = 0; i < cf->nr; i++) {
		const struct paxos_member *m = &cf->m[i];
		int idx = peer_index(c, m->node_id);
		struct paxos_change ch = {};
		const struct paxos_peer *p;
		u8 data[PAXOS_WIRE_CHANGE_LEN];

		if (m->role != PAXOS_MEMBER_VOTER || idx < 0 ||
		    (u32)idx == c->self)
			continue;
		p = &c->peers[idx];
		if (!p->inc || !p->nonvoting || !p->reachable ||
		    p->learned + c->cfg.window < c->learn.learned)
			continue;
		if (m->incarnation != PAXOS_INC_PENDING &&
		    (c->cfg.manual_promote || !voter_gone(c, m, idx)))
			continue;
		ch.op = PAXOS_CHANGE_PROMOTE;
		ch.node_id = m->node_id;
		ch.incarnation = p->inc;
		change_encode(&ch, data);
		origin_add(c, data, sizeof(data), PAXOS_WE_CONFIG, 0, true);
		return;
	}
}

/* ---- the interface ---------------------------------------------------- */

/**
 * paxos_core_change() - submit a configuration change
 * @core: the core
 * @ch: the change
 * @req_id: the caller's id for the request, returned in its completion
 * @gfp: allocation flags for this call
 *
 * The change is a value chosen in the log (forwarded to the leader like a
 * proposal), applied by every node in slot order, and governs the slots
 * from its own slot + %PAXOS_CONFIG_ALPHA on.  Its completion carries that
 * slot, or why every node refused it: -EBUSY (another change was still
 * waiting for its slot), -EALREADY, -EINVAL (no such member, an added
 * member that exists, or too few voters left to vote), -EHOSTUNREACH (a
 * demotion or removal that would leave the leader no quorum of the voters
 * it can reach).
 *
 * Return: 0 if queued; -EOPNOTSUPP in basic mode; -EINVAL for a change that
 * is malformed whatever the configuration (unknown op, node id 0, bad role,
 * %PAXOS_CHANGE_FORCE); as paxos_core_propose() otherwise.
 */
int paxos_core_change(struct paxos_core *core, const struct paxos_change *ch,
		      u64 req_id, gfp_t gfp)
{
	u8 data[PAXOS_WIRE_CHANGE_LEN];

	if (!is_multi(core))
		return -EOPNOTSUPP;
	if (!ch->node_id || ch->op < PAXOS_CHANGE_ADD ||
	    ch->op >= PAXOS_CHANGE_FORCE || ch->role > PAXOS_MEMBER_LEARNER ||
	    ch->incarnation == PAXOS_INC_PENDING)
		return -EINVAL;
	core->gfp = gfp;
	change_encode(ch, data);
	return origin_add(core, data, sizeof(data), PAXOS_WE_CONFIG, req_id,
			  false);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_change);

static void conf_copy_out(const struct pxc_conf *cf, u64 *slot, u64 *eff,
			  u32 *nr, struct paxos_member *m)
{
	*slot = cf->slot;
	*eff = cf->effective;
	*nr = cf->nr;
	memcpy(m, cf->m, sizeof(cf->m));
}

/**
 * paxos_core_membership() - the configuration governing the slot after the
 * learned point, and the next one if a chosen change waits for its slot
 * @core: the core
 * @m: filled in
 */
void paxos_core_membership(const struct paxos_core *core,
			   struct paxos_membership *m)
{
	const struct paxos_core *c = core;
	const struct pxc_conf *cf = &c->conf.cur;
	u32 i, live = 0;

	memset(m, 0, sizeof(*m));
	conf_copy_out(cf, &m->slot, &m->effective, &m->nr_members, m->members);
	for (i = 0; i < cf->nr; i++) {
		int idx = peer_index(c, cf->m[i].node_id);

		if (cf->m[i].role != PAXOS_MEMBER_VOTER)
			continue;
		m->voters++;
		if (idx >= 0 && !voter_gone(c, &cf->m[i], idx))
			live++;
	}
	m->quorum = c->quorum;
	m->live = live;
	m->pending = c->conf.next.effective;
	if (m->pending)
		conf_copy_out(&c->conf.next, &m->next.slot, &m->next.effective,
			      &m->next.nr_members, m->next.members);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_membership);

/**
 * paxos_core_force_new_cluster() - operator recovery after a quorum loss
 * @core: the core
 * @gfp: allocation flags for this call
 *
 * This node alone becomes the voters of a configuration in force at once,
 * every other member a learner (promote them back one by one), and it
 * leads from its own log.  Whatever was chosen and this node did not learn
 * is lost: use it only when a majority of voters lost their state
 * (%PAXOS_STATUS_QUORUM_LOST), on the most advanced node left.
 *
 * Return: 0; -EOPNOTSUPP in basic mode; -EINVAL for a learner that was
 * never a member; -ENOMEM.
 */
int paxos_core_force_new_cluster(struct paxos_core *core, gfp_t gfp)
{
	struct paxos_core *c = core;
	struct paxos_change ch = {
		.op = PAXOS_CHANGE_FORCE,
		.node_id = c->cfg.node_id,
		.incarnation = c->inc,
	};
	u8 data[PAXOS_WIRE_CHANGE_LEN];
	int err;

	if (!is_multi(c))
		return -EOPNOTSUPP;
	if (!conf_find(&c->conf.cur, c->cfg.node_id))
		return -EINVAL;
	c->gfp = gfp;
	/* Our configuration first, so that we lead alone ... */
	err = confs_apply(&c->conf, c->learn.learned, &ch);
	if (err)
		return err;
	c->flags &= ~PAXOS_STATUS_REFUSED;
	if (c->state == PAXOS_CS_PROBING)
		core_set_state(c, PAXOS_CS_LEARNER);
	conf_recompute(c);
	c->out.events |= PAXOS_EVENT_CONFIG;
	/* ... then the log, so that the others follow. */
	change_encode(&ch, data);
	err = origin_add(c, data, sizeof(data), PAXOS_WE_CONFIG, 0, true);
	/*
	 * Phase 1 again, with the new configuration: a leader's slots in
	 * flight wait for votes of the old quorum that will never come; its
	 * own promise and votes decide them now.
	 */
	if (c->state == PAXOS_CS_LEADER)
		step_down(c);
	if (c->state == PAXOS_CS_FOLLOWER || c->state == PAXOS_CS_CANDIDATE) {
		c->prop.backoff = 0;
		c->prop.outcome = ELECTION_FRESH;
		candidate_start(c);
	}
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_force_new_cluster);
