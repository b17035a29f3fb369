// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the protocol core, entry points.
 *
 * One struct paxos_core per node and group.  It plays every role the node
 * has: acceptor (promises and accepted values), proposer (phase 1 over the
 * whole log suffix, then phase 2 only, as Multi-Paxos leader; or both phases
 * per proposal in basic mode), learner (chosen values delivered in slot order)
 * and origin of local proposals (forwarded to the leader, retried, completed
 * exactly once).  See paxos_core.h for the calling convention.
 *
 * This file owns the core's lifetime, the peer table, the dispatch of
 * datagrams and ticks to the roles, and the Ready hand-off.  Each role is a
 * file with its own part of struct paxos_core (paxos_core_int.h):
 *
 *   paxos_log.c       allocation, values, the slot ring, output messages
 *   paxos_acceptor.c  promises, accepted values        c->acc
 *   paxos_election.c  phase 1: candidate, leader start, step down
 *   paxos_leader.c    phase 2: accepts, acks, window   c->prop
 *   paxos_learner.c   chosen slots, catch-up, trim     c->learn
 *   paxos_dedup.c     exactly-once table               c->learn.dedup
 *   paxos_origin.c    local proposals, proposer queue  c->origin
 *   paxos_basic.c     basic mode                       c->basic
 *   paxos_hello.c     the new-cluster probe            c->hello_ok
 *   paxos_wire.c      every byte on the wire
 *
 * Nothing in the core locks or sleeps: paxos_core_receive(), _tick(),
 * _propose() and the queries run under the caller's lock, and so does
 * everything they call.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "paxos_core_int.h"

/* Defaults for zero config fields, in ticks of the caller's clock. */
#define PAXOS_DEF_HEARTBEAT	10
#define PAXOS_DEF_ELECTION_MIN	30
#define PAXOS_DEF_ELECTION_MAX	60
#define PAXOS_DEF_RETRANSMIT	8
#define PAXOS_DEF_PROPOSAL_TO	5000
#define PAXOS_DEF_RETENTION	1024
#define PAXOS_DEF_WINDOW	64
#define PAXOS_DEF_BATCH		16
#define PAXOS_DEF_QUEUE		64

static u64 core_rand(struct paxos_core *c)
{
	u64 z = (c->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 core_rand_range(struct paxos_core *c, u32 lo, u32 hi)
{
	return lo + (u32)core_rand(c) % (hi - lo + 1);
}

/*
 * What @idx's incarnation says of itself: it votes, or not, and whether it
 * is the incarnation a new cluster's probe admitted (@flags).
 */
static void peer_set_voting(struct paxos_core *c, u32 idx, bool voting,
			    u32 flags)
{
	struct paxos_peer *p = &c->peers[idx];
	u8 claim = flags & PAXOS_WF_ADMITTED ? CLAIM_ADMITTED :
		   CLAIM_NOT_ADMITTED;

	if (p->nonvoting == !voting && p->claim == claim)
		return;
	p->nonvoting = !voting;
	p->claim = claim;
	conf_recompute(c);
}

/* Proposals forwarded by a member: the leader (or a basic voter) runs them. */
static void on_forward(struct paxos_core *c, const struct paxos_wire_msg *msg,
		       u32 nr, const u8 *p)
{
	u32 i;

	if (!origin_proposes_itself(c))
		return;
	for (i = 0; i < nr; i++) {
		struct paxos_wire_value w;
		struct paxos_value *v;

		p = paxos_wire_get_entry(p, &w);
		/* A member forwards its own proposals, no one else's. */
		if (w.origin != msg->sender || w.origin_inc != msg->sender_inc ||
		    w.len > c->cfg.max_value_size)
			continue;
		v = value_from_wire(c, &w);
		if (!v)
			break;
		if (proposer_knows_value(c, v) || !proposer_enqueue(c, v))
			kfree(v);
	}
	learner_advance(c);
	basic_start(c);
}

/**
 * paxos_core_receive() - process one datagram from a peer
 * @core: the core
 * @buf: the datagram
 * @len: its length
 * @gfp: allocation flags for this call
 *
 * The datagram is validated completely before anything in it is used.
 * Outputs are queued for paxos_core_ready().
 *
 * Return: 0 if processed; otherwise the datagram was dropped and counted:
 * -ENODATA (truncated), -EPROTONOSUPPORT (unknown version), -EBADMSG
 * (malformed), -ENOENT (another group), -ESRCH (sender not a member, or
 * ourselves), -ESTALE (an older incarnation of a member that restarted).
 */
int paxos_core_receive(struct paxos_core *core, const void *buf, size_t len,
		       gfp_t gfp)
{
	struct paxos_core *c = core;
	struct paxos_wire_msg msg;
	struct paxos_peer *peer;
	int idx, err;

	c->gfp = gfp;
	err = paxos_wire_decode(buf, len, &msg);
	switch (err) {
	case 0:
		break;
	case -ENODATA:
		c->ctr.rx_truncated++;
		return err;
	case -EPROTONOSUPPORT:
		c->ctr.rx_bad_version++;
		return err;
	default:
		if (paxos_wire_unknown_type(buf, len))
			c->ctr.rx_unknown_type++;
		else
			c->ctr.rx_malformed++;
		return err;
	}
	if (msg.group != c->cfg.group_id) {
		c->ctr.rx_wrong_group++;
		return -ENOENT;
	}
	idx = peer_index(c, msg.sender);
	if (idx < 0 || (u32)idx == c->self) {
		c->ctr.rx_unknown_sender++;
		return -ESRCH;
	}
	peer = &c->peers[idx];
	if (msg.sender_inc < peer->inc) {
		/* From an instance that restarted since: void. */
		c->ctr.rx_stale++;
		return -ESTALE;
	}
	c->ctr.rx_msgs++;
	peer->rx_msgs++;
	if (msg.sender_inc > peer->inc)
		peer_new_incarnation(c, idx, msg.sender_inc);
	if (!core_holds_state(c))
		peer->fresh_inc = msg.sender_inc;
	peer->last_heard = c->now ? c->now : 1;
	if (!peer->reachable) {
		peer->reachable = true;
		c->out.events |= PAXOS_EVENT_PEER;
	}
	if (msg.type == PAXOS_MSG_HELLO) {
		on_hello(c, idx, &msg);
		return 0;
	}
	if (c->state == PAXOS_CS_PROBING)
		return 0;

	switch (msg.type) {
	case PAXOS_MSG_PREPARE:
		acceptor_on_prepare(c, idx, &msg);
		break;
	case PAXOS_MSG_PROMISE:
		/* Only a voting acceptor promises. */
		peer_set_voting(c, idx, true, msg.flags);
		if (is_multi(c))
			candidate_on_promise(c, idx, &msg);
		else
			basic_on_promise(c, idx, &msg);
		break;
	case PAXOS_MSG_REJECT:
		proposer_on_reject(c, &msg);
		break;
	case PAXOS_MSG_ACCEPT:
		on_accept(c, idx, &msg);
		break;
	case PAXOS_MSG_ACCEPTED:
		peer->learned = msg.learned;
		peer_set_voting(c, idx, msg.flags & PAXOS_WF_ACCEPTED_VOTER,
				msg.flags);
		proposer_on_accepted(c, idx, &msg);
		if (!is_multi(c)) {
			basic_check_chosen(c);
			/* What was queued meanwhile goes now, not at a tick. */
			basic_start(c);
		}
		/* A held vote and the sender's next proposals (acceptor). */
		if (msg.flags & PAXOS_WF_ACCEPTED_FORWARD)
			on_forward(c, &msg, msg.fwd_nr, msg.fwd_entries);
		break;
	case PAXOS_MSG_FORWARD:
		on_forward(c, &msg, msg.nr, msg.entries);
		break;
	case PAXOS_MSG_CATCHUP:
		peer->learned = msg.learned;
		on_catchup(c, idx, &msg);
		break;
	case PAXOS_MSG_LEARN:
		on_learn(c, idx, &msg);
		break;
	case PAXOS_MSG_STATUS:
		peer->learned = msg.learned;
		peer_set_voting(c, idx, !(msg.flags & PAXOS_WF_STATUS_LEARNER),
				msg.flags);
		c->learn.trim_hint = max(c->learn.trim_hint, msg.trim);
		if (msg.learned > c->learn.learned)
			maybe_catchup(c, peer->id);
		break;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_receive);

/* Some other member, in turn (a joiner asks anyone for the state). */
static u32 any_member(struct paxos_core *c)
{
	u32 mask = c->members & ~BIT(c->self), n = hweight32(mask), i;

	if (!n)
		return 0;
	n = c->origin.forward_rr++ % n;
	for (i = 0; i < c->nr_peers; i++)
		if ((mask & BIT(i)) && !n--)
			return c->peers[i].id;
	return 0;
}

static void peers_tick(struct paxos_core *c)
{
	u64 horizon = 2ULL * c->cfg.election_max_ticks;
	u32 i;

	for (i = 0; i < c->nr_peers; i++) {
		struct paxos_peer *p = &c->peers[i];

		if (i == c->self || !p->reachable)
			continue;
		if (c->now - p->last_heard > horizon) {
			p->reachable = false;
			c->out.events |= PAXOS_EVENT_PEER;
		}
	}
}

/**
 * paxos_core_tick() - advance the core's clock by one tick
 * @core: the core
 * @gfp: allocation flags for this call
 *
 * Drives every timer: probes, election timeouts, heartbeats, retransmits,
 * proposal retries and timeouts, catch-up and trimming.
 */
void paxos_core_tick(struct paxos_core *core, gfp_t gfp)
{
	struct paxos_core *c = core;

	c->gfp = gfp;
	c->now++;
	/* A held vote waits a tick at most (vote_hold()). */
	vote_flush(c);
	if (c->now >= c->peers_at) {
		c->peers_at = c->now + c->cfg.heartbeat_ticks;
		peers_tick(c);
	}
	if (c->state == PAXOS_CS_PROBING) {
		if (c->now >= c->prop.retransmit_at) {
			c->prop.retransmit_at = c->now + c->cfg.retransmit_ticks;
			send_hello(c, 0, PAXOS_WF_HELLO_NEW, 0);
		}
		origin_expire(c);
		return;
	}
	/* A delivery that found no memory is retried. */
	if (slot_chosen(c, c->learn.learned + 1))
		learner_advance(c);
	if (is_multi(c)) {
		election_settle(c);
		/* Judged once per tick: catching up may pass a lost moment. */
		conf_judge_quorum(c);
		if (c->flags & PAXOS_STATUS_QUORUM_LOST)
			origin_fail_all(c, -ENOTRECOVERABLE);
		else if (c->flags & PAXOS_STATUS_REMOVED)
			origin_fail_all(c, -ENOLINK);
		switch (c->state) {
		case PAXOS_CS_FOLLOWER:
			if (c->now >= c->prop.election_at)
				candidate_start(c);
			break;
		case PAXOS_CS_CANDIDATE:
			candidate_tick(c);
			break;
		case PAXOS_CS_LEADER:
			leader_tick(c);
			break;
		}
		if (c->state != PAXOS_CS_LEADER &&
		    (c->learn.learned < c->learn.commit || !c->synced))
			maybe_catchup(c, c->prop.leader ?: any_member(c));
		/*
		 * Followers and learners hear only from the leader; a status
		 * now and then keeps every member's view of its peers (their
		 * reachability and learned point) current.
		 */
		if (c->state != PAXOS_CS_LEADER && c->now >= c->prop.status_at) {
			c->prop.status_at = c->now +
					    c->cfg.election_min_ticks / 2 + 1;
			send_status(c);
		}
	} else {
		basic_tick(c);
	}
	origin_tick(c);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_tick);

/**
 * paxos_core_config_defaults() - fill zero fields of @cfg with defaults
 * @cfg: the configuration
 *
 * Defaults (ticks): heartbeat 10, election 30..60, retransmit 8, proposal
 * timeout 5000; retention 1024 slots, window 64, batch 16 values, max value
 * 32 KiB, queue 64 proposals.  A zero retain_bytes stays zero: the core
 * derives it from the final retention and max value size when created.
 */
void paxos_core_config_defaults(struct paxos_core_config *cfg)
{
	if (!cfg->heartbeat_ticks)
		cfg->heartbeat_ticks = PAXOS_DEF_HEARTBEAT;
	if (!cfg->election_min_ticks)
		cfg->election_min_ticks = PAXOS_DEF_ELECTION_MIN;
	if (!cfg->election_max_ticks)
		cfg->election_max_ticks = max_t(u32, PAXOS_DEF_ELECTION_MAX,
						cfg->election_min_ticks);
	if (!cfg->retransmit_ticks)
		cfg->retransmit_ticks = PAXOS_DEF_RETRANSMIT;
	if (!cfg->proposal_timeout_ticks)
		cfg->proposal_timeout_ticks = PAXOS_DEF_PROPOSAL_TO;
	if (!cfg->retention)
		cfg->retention = PAXOS_DEF_RETENTION;
	if (!cfg->window)
		cfg->window = PAXOS_DEF_WINDOW;
	if (!cfg->batch)
		cfg->batch = PAXOS_DEF_BATCH;
	if (!cfg->max_value_size)
		cfg->max_value_size = PAXOS_DEFAULT_VALUE;
	if (!cfg->queue_limit)
		cfg->queue_limit = PAXOS_DEF_QUEUE;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_config_defaults);

static int config_check(const struct paxos_core_config *cfg)
{
	u32 i, j;

	if (!cfg->nr_members || cfg->nr_members > PAXOS_MAX_MEMBERS ||
	    !cfg->node_id || cfg->mode > PAXOS_CORE_BASIC ||
	    cfg->election_min_ticks > cfg->election_max_ticks ||
	    cfg->max_value_size > PAXOS_MAX_VALUE ||
	    cfg->queue_limit > PAXOS_DEDUP_WINDOW ||
	    cfg->retention > (1U << 20) || cfg->window > PAXOS_CONFIG_ALPHA ||
	    cfg->retain_bytes > PAXOS_RETAIN_BYTES_MAX)
		return -EINVAL;
	for (i = 0; i < cfg->nr_members; i++) {
		if (!cfg->members[i].node_id ||
		    cfg->members[i].role > PAXOS_MEMBER_LEARNER)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (cfg->members[j].node_id == cfg->members[i].node_id)
				return -EINVAL;
	}
	return 0;
}

/**
 * paxos_core_create() - create the core of one node of a group
 * @cfg: configuration (zero fields take defaults); copied
 * @gfp: allocation flags
 *
 * Return: the core, or an ERR_PTR(): -EINVAL for an inconsistent
 * configuration (no voter, node not a member, duplicate ids, limits out of
 * range), -ENOMEM.
 */
struct paxos_core *paxos_core_create(const struct paxos_core_config *cfg,
				     gfp_t gfp)
{
	struct paxos_core *c;
	int self = -1;
	u32 i;

	c = kzalloc(sizeof(*c), gfp);
	if (!c)
		return ERR_PTR(-ENOMEM);
	c->cfg = *cfg;
	paxos_core_config_defaults(&c->cfg);
	if (config_check(&c->cfg))
		goto inval;
	c->nr_peers = c->cfg.nr_members;
	for (i = 0; i < c->nr_peers; i++) {
		c->peers[i].id = c->cfg.members[i].node_id;
		c->peers[i].role = c->cfg.members[i].role;
		if (c->peers[i].role == PAXOS_MEMBER_VOTER)
			c->voters |= BIT(i);
		if (c->peers[i].id == c->cfg.node_id)
			self = i;
	}
	/* A node joining later is not in the initial configuration. */
	if (self < 0 && c->cfg.join_existing && is_multi(c) &&
	    c->nr_peers < PAXOS_MAX_MEMBERS) {
		self = c->nr_peers++;
		c->peers[self].id = c->cfg.node_id;
		c->peers[self].role = PAXOS_MEMBER_LEARNER;
	}
	if (self < 0 || !c->voters)
		goto inval;
	c->self = self;
	c->quorum = hweight32(c->voters) / 2 + 1;
	/* Every member's proposals have a dedup entry, none is evicted. */
	BUILD_BUG_ON(PAXOS_MAX_MEMBERS >= PAXOS_DEDUP_ORIGINS);
	BUILD_BUG_ON(sizeof(struct paxos_slot) + sizeof(struct paxos_value) >
		     PAXOS_SLOT_COST);
	/*
	 * Learned slots kept (up to 2 * retention), a leader's window and a
	 * follower's lag behind it; the ring grows to that only when used.
	 */
	c->learn.span = roundup_pow_of_two(2 * c->cfg.retention +
					   2 * c->cfg.window + 2);
	c->learn.cap = min_t(u64, c->learn.span, PAXOS_RING_MIN);
	c->learn.max_bytes = c->cfg.retain_bytes ?:
			     min_t(u64, PAXOS_RETAIN_BYTES_MAX,
				   2ULL * c->cfg.retention *
				   (c->cfg.max_value_size + PAXOS_SLOT_COST));
	c->learn.ring = kvcalloc(c->learn.cap, sizeof(*c->learn.ring), gfp);
	if (!c->learn.ring) {
		kfree(c);
		return ERR_PTR(-ENOMEM);
	}
	c->rng = c->cfg.seed;
	c->inc = c->cfg.incarnation;
	while (!c->inc)
		c->inc = core_rand(c);
	c->gfp = gfp;
	c->learn.first_retained = 1;
	c->origin.next_seq = 1;
	c->prop.lo = U64_MAX;
	INIT_LIST_HEAD(&c->prop.queue);
	INIT_LIST_HEAD(&c->basic.own);
	INIT_LIST_HEAD(&c->origin.pending);
	INIT_LIST_HEAD(&c->out.msgs);
	INIT_LIST_HEAD(&c->out.deliveries);
	INIT_LIST_HEAD(&c->out.completions);
	c->voting = (c->voters & BIT(self)) && !c->cfg.join_existing;
	c->admitted = c->voting;
	/* A new cluster's initial configuration is everyone's; a joiner's. */
	c->synced = !c->cfg.join_existing || !is_multi(c);
	c->hello_ok = BIT(self);
	if (c->cfg.join_existing)
		c->flags |= PAXOS_STATUS_JOINED;
	if (c->voting) {
		c->flags |= PAXOS_STATUS_VOTING;
		c->state = PAXOS_CS_PROBING;
		if (c->voters == BIT(self))
			core_start_voting(c);
	} else {
		c->state = PAXOS_CS_LEARNER;
	}
	conf_init(c);
	conf_recompute(c);
	c->out.events = 0;
	election_timer_reset(c);
	return c;
inval:
	kfree(c);
	return ERR_PTR(-EINVAL);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_create);

static void free_list(struct list_head *head)
{
	struct list_head *pos, *n;

	list_for_each_safe(pos, n, head) {
		list_del(pos);
		kfree(pos);
	}
}

/**
 * paxos_ready_release() - free whatever is left in a &struct paxos_ready
 * @ready: the batch
 */
void paxos_ready_release(struct paxos_ready *ready)
{
	/* Each list links the first member of its entries. */
	BUILD_BUG_ON(offsetof(struct paxos_msg_out, list) != 0);
	BUILD_BUG_ON(offsetof(struct paxos_delivery, list) != 0);
	BUILD_BUG_ON(offsetof(struct paxos_completion, list) != 0);
	free_list(&ready->msgs);
	free_list(&ready->deliveries);
	free_list(&ready->completions);
	ready->events = 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_ready_release);

/**
 * paxos_core_destroy() - free a core and everything it holds
 * @core: the core, may be NULL
 *
 * Pending local proposals are dropped without completion: the caller
 * completes its own requests with -ECANCELED.  Undrained output is freed.
 */
void paxos_core_destroy(struct paxos_core *core)
{
	struct paxos_pending *p, *tmp;
	struct paxos_value *v, *vt;
	u64 i;

	if (!core)
		return;
	vote_drop(core);
	for (i = 0; i < core->learn.cap; i++)
		slot_free(&core->learn.ring[i]);
	kvfree(core->learn.ring);
	list_for_each_entry_safe(v, vt, &core->prop.queue, list)
		kfree(v);
	list_for_each_entry_safe(v, vt, &core->basic.own, list)
		kfree(v);
	list_for_each_entry_safe(p, tmp, &core->origin.pending, list) {
		kfree(p->comp);
		kfree(p->val);
		kfree(p);
	}
	free_list(&core->out.msgs);
	free_list(&core->out.deliveries);
	free_list(&core->out.completions);
	kfree(core);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_destroy);

/**
 * paxos_core_ready() - move all queued output to @ready
 * @core: the core
 * @ready: initialised with paxos_ready_init(); output is appended
 *
 * A leader sends the values it gave slots since the last call here, in as
 * few Accepts as the batch limit allows (or tells the members what it
 * decided since), a follower forwards the values proposed since in as few
 * FORWARDs: call it once per run of work, not once per message.
 * Call with the caller's lock held, then act on @ready after dropping it.
 */
void paxos_core_ready(struct paxos_core *core, struct paxos_ready *ready)
{
	origin_flush(core);
	leader_flush(core);
	list_splice_tail_init(&core->out.msgs, &ready->msgs);
	list_splice_tail_init(&core->out.deliveries, &ready->deliveries);
	list_splice_tail_init(&core->out.completions, &ready->completions);
	ready->events |= core->out.events;
	core->out.events = 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_ready);

/**
 * paxos_core_has_ready() - is there output to collect?
 * @core: the core
 *
 * Return: true if paxos_core_ready() would move anything.
 */
bool paxos_core_has_ready(const struct paxos_core *core)
{
	return !list_empty(&core->out.msgs) ||
	       !list_empty(&core->out.deliveries) ||
	       !list_empty(&core->out.completions) || core->out.events ||
	       core->prop.unsent_lo;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_has_ready);

/**
 * paxos_core_status() - snapshot of the node's state
 * @core: the core
 * @st: filled in
 */
void paxos_core_status(const struct paxos_core *core,
		       struct paxos_core_status *st)
{
	const struct paxos_core *c = core;
	u32 i;

	memset(st, 0, sizeof(*st));
	st->state = c->state;
	st->mode = c->cfg.mode;
	st->flags = c->flags | (c->admitted ? PAXOS_STATUS_ADMITTED : 0);
	st->leader_id = c->prop.leader;
	st->refused_by = c->flags & PAXOS_STATUS_REFUSED ? c->refused_by : 0;
	st->promised = c->acc.promised;
	st->ballot = c->prop.ballot;
	st->now = c->now;
	st->first_retained = c->learn.first_retained;
	st->retained_bytes = c->learn.bytes;
	st->ring_cells = c->learn.cap;
	st->learned = c->learn.learned;
	st->commit = c->learn.commit;
	st->next_slot = c->prop.next_slot;
	st->pending = c->origin.nr_pending - c->origin.nr_internal;
	st->queued = c->prop.queued;
	st->counters = c->ctr;
	st->nr_peers = 0;
	for (i = 0; i < c->nr_peers; i++) {
		struct paxos_peer_status *ps = &st->peers[st->nr_peers];

		if (!c->peers[i].id)
			continue;
		st->nr_peers++;
		ps->node_id = c->peers[i].id;
		ps->role = c->peers[i].role;
		ps->last_heard = c->peers[i].last_heard;
		ps->learned = i == c->self ? c->learn.learned :
			      c->peers[i].learned;
		ps->reachable = i == c->self || c->peers[i].reachable;
		ps->rx_msgs = c->peers[i].rx_msgs;
	}
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_status);
