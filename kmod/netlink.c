// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the "paxos" generic netlink family.
 *
 * Policies and the op table are generated from netlink/specs/paxos.yaml into
 * netlink_gen.c; this file holds the handlers and the events.  Every op,
 * reads included, and the events group need CAP_NET_ADMIN in the
 * namespace's user namespace (uns-admin-perm).  No handler waits on remote
 * progress for longer than PAXOS_NL_PROPOSE_WAIT_MS.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink_gen.h"
#include "runtime.h"

/*
 * Events carry the log's values: subscribing needs CAP_NET_ADMIN in the
 * namespace's user namespace, like reading the log (older kernels: see
 * compat.h).
 */
static const struct genl_multicast_group paxos_nl_events[] = {
	[PAXOS_NLGRP_EVENTS] = {
		.name = PAXOS_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family paxos_nl_family __ro_after_init = {
	.name = PAXOS_FAMILY_NAME,
	.version = PAXOS_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,	/* propose waits (briefly) for its value */
	.module = THIS_MODULE,
	PAXOS_GENL_SPLIT_OPS(paxos_nl_ops),	/* compat.h */
	.mcgrps = paxos_nl_events,
	.n_mcgrps = ARRAY_SIZE(paxos_nl_events),
};

/* --- group lookup for doit ops --- */

static int paxos_nl_pre_doit_attr(struct genl_info *info, int attr)
{
	struct paxos_group *g;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, attr))
		return -EINVAL;
	id = nla_get_u32(info->attrs[attr]);
	g = paxos_group_get(genl_info_net(info), id);
	if (!g) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, info->attrs[attr],
					"no group %u in this namespace", id);
		return -ENOENT;
	}
	info->user_ptr[0] = g;
	return 0;
}

int paxos_nl_group_pre_doit(const struct genl_split_ops *ops,
			    struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_pre_doit_attr(info, PAXOS_A_GROUP_ID);
}

int paxos_nl_log_pre_doit(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_pre_doit_attr(info, PAXOS_A_LOG_GROUP_ID);
}

int paxos_nl_change_pre_doit(const struct genl_split_ops *ops,
			     struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_pre_doit_attr(info, PAXOS_A_CHANGE_GROUP_ID);
}

void paxos_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info)
{
	paxos_group_put(info->user_ptr[0]);
}

/* --- group-new --- */

static int paxos_nl_parse_addr(const struct nlattr *nest,
			       struct sockaddr_storage *ss,
			       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[PAXOS_A_ADDR_PORT + 1];
	int err;

	err = nla_parse_nested(tb, PAXOS_A_ADDR_PORT, nest,
			       paxos_addr_nl_policy, extack);
	if (err)
		return err;
	if (!tb[PAXOS_A_ADDR_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "address without a port");
		return -EINVAL;
	}
	if (!!tb[PAXOS_A_ADDR_IPV4] == !!tb[PAXOS_A_ADDR_IPV6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "address needs exactly one of ipv4, ipv6");
		return -EINVAL;
	}
	memset(ss, 0, sizeof(*ss));
	if (tb[PAXOS_A_ADDR_IPV4]) {
		struct sockaddr_in *sin = (void *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(nla_get_u16(tb[PAXOS_A_ADDR_PORT]));
		nla_memcpy(&sin->sin_addr, tb[PAXOS_A_ADDR_IPV4], 4);
	} else {
		struct sockaddr_in6 *sin6 = (void *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(nla_get_u16(tb[PAXOS_A_ADDR_PORT]));
		nla_memcpy(&sin6->sin6_addr, tb[PAXOS_A_ADDR_IPV6], 16);
	}
	return 0;
}

static u32 paxos_nl_u32(struct genl_info *info, int attr, u32 def)
{
	return info->attrs[attr] ? nla_get_u32(info->attrs[attr]) : def;
}

static int paxos_nl_parse_params(struct genl_info *info,
				 struct paxos_group_params *p)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[PAXOS_A_MEMBER_ADDR + 1];
	struct nlattr *attr;
	bool self = false;
	int rem, err;
	u32 i;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_GROUP_ID) ||
	    GENL_REQ_ATTR_CHECK(info, PAXOS_A_GROUP_NODE_ID) ||
	    GENL_REQ_ATTR_CHECK(info, PAXOS_A_GROUP_MEMBER))
		return -EINVAL;
	p->id = nla_get_u32(info->attrs[PAXOS_A_GROUP_ID]);
	p->node_id = nla_get_u32(info->attrs[PAXOS_A_GROUP_NODE_ID]);
	p->mode = paxos_nl_u32(info, PAXOS_A_GROUP_MODE, PAXOS_MODE_MULTI);
	p->cluster_state = paxos_nl_u32(info, PAXOS_A_GROUP_CLUSTER_STATE,
					PAXOS_CLUSTER_STATE_NEW);
	p->heartbeat_ms = paxos_nl_u32(info, PAXOS_A_GROUP_HEARTBEAT_MS,
				       PAXOS_DEFAULT_HEARTBEAT_MS);
	p->election_min_ms = paxos_nl_u32(info, PAXOS_A_GROUP_ELECTION_MIN_MS,
					  PAXOS_DEFAULT_ELECTION_MIN_MS);
	p->election_max_ms = paxos_nl_u32(info, PAXOS_A_GROUP_ELECTION_MAX_MS,
					  max_t(u32, PAXOS_DEFAULT_ELECTION_MAX_MS,
						p->election_min_ms * 2));
	p->proposal_timeout_ms =
		paxos_nl_u32(info, PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS,
			     PAXOS_DEFAULT_PROPOSAL_TIMEOUT_MS);
	p->max_value_size = paxos_nl_u32(info, PAXOS_A_GROUP_MAX_VALUE_SIZE,
					 PAXOS_DEFAULT_MAX_VALUE_SIZE);
	p->retention = paxos_nl_u32(info, PAXOS_A_GROUP_RETENTION,
				    PAXOS_DEFAULT_RETENTION);
	p->queue_len = paxos_nl_u32(info, PAXOS_A_GROUP_QUEUE_LEN,
				    PAXOS_DEFAULT_QUEUE_LEN);

	if (p->election_min_ms > p->election_max_ms) {
		NL_SET_ERR_MSG_ATTR(extack,
				    info->attrs[PAXOS_A_GROUP_ELECTION_MAX_MS] ?:
				    info->attrs[PAXOS_A_GROUP_ELECTION_MIN_MS],
				    "election-min-ms is above election-max-ms");
		return -EINVAL;
	}
	if (p->election_min_ms <= p->heartbeat_ms) {
		NL_SET_ERR_MSG_ATTR(extack,
				    info->attrs[PAXOS_A_GROUP_ELECTION_MIN_MS] ?:
				    info->attrs[PAXOS_A_GROUP_HEARTBEAT_MS],
				    "election-min-ms must exceed heartbeat-ms");
		return -EINVAL;
	}

	nlmsg_for_each_attr_type(attr, PAXOS_A_GROUP_MEMBER, info->nlhdr,
				 GENL_HDRLEN, rem) {
		struct paxos_peer_addr *m;

		if (p->nr_members >= PAXOS_MAX_MEMBERS) {
			NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
						"at most %u members",
						PAXOS_MAX_MEMBERS);
			return -E2BIG;
		}
		err = nla_parse_nested(tb, PAXOS_A_MEMBER_ADDR, attr,
				       paxos_member_nl_policy, extack);
		if (err)
			return err;
		if (!tb[PAXOS_A_MEMBER_NODE_ID] || !tb[PAXOS_A_MEMBER_ADDR]) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "member needs node-id and addr");
			return -EINVAL;
		}
		m = &p->members[p->nr_members];
		m->node_id = nla_get_u32(tb[PAXOS_A_MEMBER_NODE_ID]);
		m->role = tb[PAXOS_A_MEMBER_ROLE] ?
			  nla_get_u32(tb[PAXOS_A_MEMBER_ROLE]) :
			  PAXOS_ROLE_VOTER;
		err = paxos_nl_parse_addr(tb[PAXOS_A_MEMBER_ADDR], &m->addr,
					  extack);
		if (err)
			return err;
		for (i = 0; i < p->nr_members; i++) {
			if (p->members[i].node_id == m->node_id) {
				NL_SET_ERR_MSG_ATTR_FMT(extack, attr,
							"node id %u listed twice",
							m->node_id);
				return -EINVAL;
			}
		}
		if (m->node_id == p->node_id) {
			self = true;
			p->listen = m->addr;
		}
		p->nr_members++;
	}
	if (!self) {
		NL_SET_ERR_MSG_ATTR_FMT(extack,
					info->attrs[PAXOS_A_GROUP_NODE_ID],
					"node id %u is not among the members",
					p->node_id);
		return -EINVAL;
	}
	if (info->attrs[PAXOS_A_GROUP_LISTEN]) {
		err = paxos_nl_parse_addr(info->attrs[PAXOS_A_GROUP_LISTEN],
					  &p->listen, extack);
		if (err)
			return err;
	}
	p->manual_promote =
		nla_get_flag(info->attrs[PAXOS_A_GROUP_MANUAL_PROMOTE]);
	p->insecure = nla_get_flag(info->attrs[PAXOS_A_GROUP_INSECURE]);
	if (!!info->attrs[PAXOS_A_GROUP_KEY] == p->insecure) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[PAXOS_A_GROUP_KEY] ?:
				    info->attrs[PAXOS_A_GROUP_INSECURE],
				    "a group needs exactly one of key, insecure");
		return -EINVAL;
	}
	if (!p->insecure)
		nla_memcpy(p->key, info->attrs[PAXOS_A_GROUP_KEY],
			   PAXOS_KEY_LEN);
	for (i = 0; i < p->nr_members; i++) {
		if (p->members[i].addr.ss_family != p->listen.ss_family) {
			NL_SET_ERR_MSG_ATTR_FMT(extack,
						info->attrs[PAXOS_A_GROUP_MEMBER],
						"member %u: every address must be of the listen address's family",
						p->members[i].node_id);
			return -EAFNOSUPPORT;
		}
	}
	return 0;
}

int paxos_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct paxos_group_params *p;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	err = paxos_nl_parse_params(info, p);
	if (!err)
		err = paxos_group_create(genl_info_net(info), p, info->extack);
	kfree_sensitive(p);
	return err;
}

int paxos_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct paxos_group *g = info->user_ptr[0];

	return paxos_group_delete(genl_info_net(info), g->p.id);
}

int paxos_nl_group_set_key_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct paxos_group *g = info->user_ptr[0];
	u8 key[PAXOS_KEY_LEN];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_GROUP_KEY))
		return -EINVAL;
	nla_memcpy(key, info->attrs[PAXOS_A_GROUP_KEY], PAXOS_KEY_LEN);
	err = paxos_auth_set_key(g, key,
				 paxos_nl_u32(info, PAXOS_A_GROUP_KEY_GRACE_MS,
					      PAXOS_DEFAULT_KEY_GRACE_MS));
	memzero_explicit(key, sizeof(key));
	if (err == -EINVAL)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the group was created insecure, without a key");
	return err;
}

/* --- group-get --- */

static int paxos_nl_put_addr(struct sk_buff *skb, int type,
			     const struct sockaddr_storage *ss)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		if (nla_put(skb, PAXOS_A_ADDR_IPV6, 16, &a->sin6_addr) ||
		    nla_put_u16(skb, PAXOS_A_ADDR_PORT, ntohs(a->sin6_port)))
			goto cancel;
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		if (nla_put(skb, PAXOS_A_ADDR_IPV4, 4, &a->sin_addr) ||
		    nla_put_u16(skb, PAXOS_A_ADDR_PORT, ntohs(a->sin_port)))
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int paxos_nl_put_ballot(struct sk_buff *skb, int type,
			       const struct paxos_ballot *b)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest || nla_put_uint(skb, PAXOS_A_BALLOT_ROUND, b->round) ||
	    nla_put_u32(skb, PAXOS_A_BALLOT_NODE_ID, b->node))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static u32 paxos_nl_state(const struct paxos_core_status *st)
{
	if (st->flags & PAXOS_STATUS_REMOVED)
		return PAXOS_STATE_REMOVED;
	if (st->flags & PAXOS_STATUS_QUORUM_LOST)
		return PAXOS_STATE_QUORUM_LOST;
	if (st->flags & PAXOS_STATUS_REFUSED)
		return PAXOS_STATE_REFUSED;
	switch (st->state) {
	case PAXOS_CS_LEADER:
		return PAXOS_STATE_LEADER;
	case PAXOS_CS_CANDIDATE:
		return PAXOS_STATE_CANDIDATE;
	case PAXOS_CS_LEARNER:
		return PAXOS_STATE_LEARNER;
	default:
		return PAXOS_STATE_FOLLOWER;
	}
}

static int paxos_nl_put_stats(struct sk_buff *skb, struct paxos_group *g,
			      const struct paxos_core_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, PAXOS_A_GROUP_STATS);
	const struct paxos_stats *s = &g->stats;

	if (!nest ||
	    nla_put_uint(skb, PAXOS_A_STATS_RX_MSGS, c->rx_msgs) ||
	    nla_put_uint(skb, PAXOS_A_STATS_TX_MSGS, c->tx_msgs) ||
	    nla_put_uint(skb, PAXOS_A_STATS_RX_BYTES,
			 atomic64_read(&s->rx_bytes)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_TX_BYTES,
			 atomic64_read(&s->tx_bytes)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_TX_ERRORS,
			 atomic64_read(&s->tx_errors)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_MALFORMED, c->rx_malformed) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_UNKNOWN_TYPE,
			 c->rx_unknown_type) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_TRUNCATED, c->rx_truncated) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_BAD_VERSION,
			 c->rx_bad_version) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_WRONG_GROUP,
			 c->rx_wrong_group) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_UNKNOWN_SENDER,
			 c->rx_unknown_sender) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_NOMEM,
			 c->nomem + atomic64_read(&s->rx_queue_drops)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS, c->proposals) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_FORWARDED,
			 c->forwarded) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_RETRIED,
			 atomic64_read(&s->proposals_retried)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_TIMEOUT, c->timeouts) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_DUPLICATE,
			 c->duplicates) ||
	    nla_put_uint(skb, PAXOS_A_STATS_VALUES_LEARNED,
			 c->values_learned) ||
	    nla_put_uint(skb, PAXOS_A_STATS_NOOPS_LEARNED, c->noops_learned) ||
	    nla_put_uint(skb, PAXOS_A_STATS_ELECTIONS, c->elections) ||
	    nla_put_uint(skb, PAXOS_A_STATS_ELECTIONS_WON, c->elections_won) ||
	    nla_put_uint(skb, PAXOS_A_STATS_LEADER_CHANGES,
			 c->leader_changes) ||
	    nla_put_uint(skb, PAXOS_A_STATS_REJECTS_RX, c->rejects_received) ||
	    nla_put_uint(skb, PAXOS_A_STATS_REJECTS_TX, c->rejects_sent) ||
	    nla_put_uint(skb, PAXOS_A_STATS_CATCHUP_REQUESTS,
			 c->catchups_sent) ||
	    nla_put_uint(skb, PAXOS_A_STATS_CATCHUP_SLOTS, c->catchup_slots) ||
	    nla_put_uint(skb, PAXOS_A_STATS_TRIMMED_SLOTS, c->slots_trimmed) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_STALE, c->rx_stale) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_AUTH,
			 atomic64_read(&s->rx_auth)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_REPLAY,
			 atomic64_read(&s->rx_replay)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_SOURCE,
			 atomic64_read(&s->rx_source)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_COMPLETED,
			 c->completed) ||
	    nla_put_uint(skb, PAXOS_A_STATS_SKIPPED_SLOTS, c->slots_skipped) ||
	    nla_put_uint(skb, PAXOS_A_STATS_CONFLICTS, c->conflicts) ||
	    nla_put_uint(skb, PAXOS_A_STATS_LEARNED_ON_ACCEPT,
			 c->learned_on_accept))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The member table (@t, under RCU): every member but this node. */
static int paxos_nl_put_peers(struct sk_buff *skb, struct paxos_group *g,
			      const struct paxos_peers *t,
			      const struct paxos_core_status *st)
{
	u32 i, j;

	for (i = 0; t && i < t->nr; i++) {
		const struct paxos_peer *m = &t->m[i];
		const struct paxos_peer_status *ps = NULL;
		struct nlattr *nest;

		if (m->node_id == g->p.node_id)
			continue;
		for (j = 0; j < st->nr_peers; j++)
			if (st->peers[j].node_id == m->node_id)
				ps = &st->peers[j];
		nest = nla_nest_start(skb, PAXOS_A_GROUP_PEER);
		if (!nest ||
		    nla_put_u32(skb, PAXOS_A_PEER_NODE_ID, m->node_id) ||
		    nla_put_u32(skb, PAXOS_A_PEER_ROLE, m->role) ||
		    paxos_nl_put_addr(skb, PAXOS_A_PEER_ADDR, &m->addr) ||
		    nla_put_u8(skb, PAXOS_A_PEER_REACHABLE,
			       ps ? ps->reachable : 0) ||
		    nla_put_uint(skb, PAXOS_A_PEER_TX_MSGS,
				 READ_ONCE(g->peer_state[m->state].tx_msgs)))
			return -EMSGSIZE;
		if (ps && ps->last_heard &&
		    nla_put_uint(skb, PAXOS_A_PEER_LAST_HEARD_MS,
				 (st->now - ps->last_heard) * PAXOS_TICK_MS))
			return -EMSGSIZE;
		if (ps && (nla_put_uint(skb, PAXOS_A_PEER_LEARNED_SLOT,
					ps->learned) ||
			   nla_put_uint(skb, PAXOS_A_PEER_RX_MSGS, ps->rx_msgs)))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int paxos_nl_put_config(struct sk_buff *skb, int type,
			       const struct paxos_group_config *c)
{
	struct nlattr *nest = nla_nest_start(skb, type), *mn;
	u32 i;

	if (!nest || nla_put_uint(skb, PAXOS_A_CONFIG_SLOT, c->slot) ||
	    nla_put_uint(skb, PAXOS_A_CONFIG_EFFECTIVE, c->effective))
		return -EMSGSIZE;
	for (i = 0; i < c->nr_members; i++) {
		const struct paxos_group_member *m = &c->members[i];

		mn = nla_nest_start(skb, PAXOS_A_CONFIG_MEMBER);
		if (!mn || nla_put_u32(skb, PAXOS_A_MEMBER_NODE_ID, m->node_id) ||
		    nla_put_u32(skb, PAXOS_A_MEMBER_ROLE, m->role) ||
		    (m->addr.ss_family &&
		     paxos_nl_put_addr(skb, PAXOS_A_MEMBER_ADDR, &m->addr)) ||
		    (m->incarnation != PAXOS_API_NOT_VOTING &&
		     nla_put_uint(skb, PAXOS_A_MEMBER_INCARNATION,
				  m->incarnation)))
			return -EMSGSIZE;
		nla_nest_end(skb, mn);
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The configuration attributes of group-get and config-ntf. */
static int paxos_nl_put_membership(struct sk_buff *skb,
				   const struct paxos_group_membership *m)
{
	if (paxos_nl_put_config(skb, PAXOS_A_GROUP_CONFIG, &m->config) ||
	    (m->pending &&
	     paxos_nl_put_config(skb, PAXOS_A_GROUP_NEXT_CONFIG, &m->next)) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_VOTERS, m->voters) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_QUORUM, m->quorum) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_LIVE_VOTERS, m->live_voters))
		return -EMSGSIZE;
	return 0;
}

/* Room for a group-get reply: the status, two configurations, the peers. */
#define PAXOS_NL_GROUP_SIZE	(NLMSG_GOODSIZE + 3 * PAXOS_MAX_MEMBERS * 96)

static int paxos_nl_fill_group(struct sk_buff *skb, struct paxos_group *g,
			       u32 portid, u32 seq, int flags)
{
	const struct paxos_group_params *p = &g->p;
	struct paxos_group_membership *gm = NULL;
	struct paxos_membership *cm = NULL;
	struct paxos_core_status *st;
	const struct paxos_peers *t;
	void *hdr;
	u32 role = PAXOS_ROLE_VOTER, i;
	int err = -ENOMEM;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	cm = kmalloc(sizeof(*cm), GFP_KERNEL);
	gm = kmalloc(sizeof(*gm), GFP_KERNEL);
	if (!st || !cm || !gm)
		goto out;
	mutex_lock(&g->lock);
	if (!g->core) {
		mutex_unlock(&g->lock);
		err = -ENOENT;
		goto out;
	}
	paxos_core_status(g->core, st);
	paxos_core_membership(g->core, cm);
	mutex_unlock(&g->lock);
	paxos_membership_export(gm, cm, st->flags);
	for (i = 0; i < gm->config.nr_members; i++)
		if (gm->config.members[i].node_id == p->node_id)
			role = gm->config.members[i].role;
	err = -EMSGSIZE;

	hdr = genlmsg_put(skb, portid, seq, &paxos_nl_family, flags,
			  PAXOS_CMD_GROUP_GET);
	if (!hdr)
		goto out;
	if (nla_put_u32(skb, PAXOS_A_GROUP_ID, p->id) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_NODE_ID, p->node_id) ||
	    paxos_nl_put_addr(skb, PAXOS_A_GROUP_LISTEN, &p->listen) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_MODE, p->mode) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_CLUSTER_STATE, p->cluster_state) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_HEARTBEAT_MS, p->heartbeat_ms) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_ELECTION_MIN_MS, p->election_min_ms) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_ELECTION_MAX_MS, p->election_max_ms) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS,
			p->proposal_timeout_ms) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_MAX_VALUE_SIZE, p->max_value_size) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_RETENTION, p->retention) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_QUEUE_LEN, p->queue_len) ||
	    (p->insecure && nla_put_flag(skb, PAXOS_A_GROUP_INSECURE)) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_ROLE, role) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_STATE, paxos_nl_state(st)) ||
	    (st->refused_by &&
	     nla_put_u32(skb, PAXOS_A_GROUP_REFUSED_BY, st->refused_by)) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_LEADER_ID, st->leader_id) ||
	    paxos_nl_put_ballot(skb, PAXOS_A_GROUP_BALLOT, &st->promised) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_FIRST_SLOT, st->first_retained) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_LAST_CHOSEN_SLOT, st->learned) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_COMMIT_SLOT, st->commit) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_QUEUED,
			atomic_read(&g->inflight)) ||
	    paxos_nl_put_stats(skb, g, &st->counters) ||
	    (p->manual_promote &&
	     nla_put_flag(skb, PAXOS_A_GROUP_MANUAL_PROMOTE)) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_INCARNATION, g->incarnation) ||
	    paxos_nl_put_membership(skb, gm))
		goto cancel;
	rcu_read_lock();
	t = rcu_dereference(g->peers);
	err = paxos_nl_put_peers(skb, g, t, st);
	rcu_read_unlock();
	if (err)
		goto cancel;
	genlmsg_end(skb, hdr);
	err = 0;
	goto out;
cancel:
	genlmsg_cancel(skb, hdr);
	err = -EMSGSIZE;
out:
	kfree(gm);
	kfree(cm);
	kfree(st);
	return err;
}

int paxos_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(PAXOS_NL_GROUP_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = paxos_nl_fill_group(msg, info->user_ptr[0], info->snd_portid,
				  info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

struct paxos_nl_dump_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int paxos_nl_dump_one(struct paxos_group *g, void *arg)
{
	struct paxos_nl_dump_ctx *d = arg;
	int err;

	err = paxos_nl_fill_group(d->skb, g, NETLINK_CB(d->cb->skb).portid,
				  d->cb->nlh->nlmsg_seq, NLM_F_MULTI);
	if (err == -ENOENT)	/* deleted meanwhile */
		err = 0;
	if (!err)
		d->cb->args[0] = (long)g->p.id + 1;
	return err;
}

int paxos_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct paxos_nl_dump_ctx d = { .skb = skb, .cb = cb };
	int err;

	if (cb->args[0] > U32_MAX)
		return 0;
	err = paxos_group_for_each(sock_net(skb->sk), cb->args[0],
				   paxos_nl_dump_one, &d);
	/* A full skb ends this part of the dump; the next one resumes. */
	return err == -EMSGSIZE ? skb->len : err ?: skb->len;
}

/* --- propose --- */

/*
 * A propose request waits at most this long for its value to be learned.
 * The handler runs with generic netlink's cb_lock held for reading, so a
 * longer wait would hold up family registration (modprobe, rmmod) and,
 * behind it, every generic netlink request of the machine.  A value not
 * learned by then is answered with pending; a propose-ntf follows.
 */
#define PAXOS_NL_PROPOSE_WAIT_MS	1000

/* Room for a propose reply or a propose-ntf (group, slot, request, error). */
#define PAXOS_NL_PROPOSE_SIZE	(3 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(sizeof(u64)) + \
				 nla_total_size(0))

/**
 * struct paxos_nl_propose - a propose request on its way
 * @ref: one for the handler, one for the completion callback
 * @done: completed by the callback while the handler still waits
 * @node: link in paxos_nl_pending once the handler answered pending
 * @net: the requesting socket's namespace, the group's (not counted: the
 *	namespace's exit deletes the group, which completes the proposal,
 *	before the namespace goes)
 * @portid: the requesting socket
 * @seq: the request's sequence number, echoed in the propose-ntf
 * @group_id: the group
 * @req_id: the request id (valid once @pending)
 * @finished: the callback ran: @error and @slot are final
 * @pending: the handler answered pending: the callback sends the ntf
 * @orphaned: the requesting socket was closed: nothing to send
 * @error: 0 or a negative errno
 * @slot: the slot the value was learned in
 * @ntf: the propose-ntf, allocated up front so that the outcome of a
 *	pending proposal is never lost to an allocation failure
 *
 * @node, @finished, @pending, @orphaned, @error, @slot and @ntf are
 * protected by paxos_nl_pending_lock.
 */
struct paxos_nl_propose {
	struct kref ref;
	struct completion done;
	struct list_head node;
	struct net *net;
	u32 portid;
	u32 seq;
	u32 group_id;
	u32 req_id;
	bool finished;
	bool pending;
	bool orphaned;
	int error;
	u64 slot;
	struct sk_buff *ntf;
};

/* Protects paxos_nl_pending, paxos_nl_up and the propose requests' state. */
static DEFINE_MUTEX(paxos_nl_pending_lock);
static LIST_HEAD(paxos_nl_pending);
static bool paxos_nl_up;	/* the family is registered */

static void paxos_nl_propose_free(struct kref *ref)
{
	struct paxos_nl_propose *pp = container_of(ref, struct paxos_nl_propose,
						   ref);

	kfree_skb(pp->ntf);
	kfree(pp);
}

static void paxos_nl_propose_put(struct paxos_nl_propose *pp)
{
	kref_put(&pp->ref, paxos_nl_propose_free);
}

/* Send the outcome of a pending proposal.  Under paxos_nl_pending_lock. */
static void paxos_nl_propose_ntf(struct paxos_nl_propose *pp)
{
	struct sk_buff *msg = pp->ntf;
	void *hdr;

	lockdep_assert_held(&paxos_nl_pending_lock);
	pp->ntf = NULL;
	if (pp->orphaned || !paxos_nl_up)
		goto drop;
	hdr = genlmsg_put(msg, 0, pp->seq, &paxos_nl_family, 0,
			  PAXOS_CMD_PROPOSE_NTF);
	if (!hdr ||
	    nla_put_u32(msg, PAXOS_A_LOG_GROUP_ID, pp->group_id) ||
	    nla_put_u32(msg, PAXOS_A_LOG_REQUEST_ID, pp->req_id) ||
	    nla_put_u32(msg, PAXOS_A_LOG_ERROR, -pp->error) ||
	    (!pp->error && nla_put_uint(msg, PAXOS_A_LOG_SLOT, pp->slot)))
		goto drop;	/* cannot happen: sized for it */
	genlmsg_end(msg, hdr);
	/*
	 * Never blocks: a closed socket (ECONNREFUSED) or a full one (which
	 * sees ENOBUFS on its next read) loses the notification.
	 */
	genlmsg_unicast(pp->net, msg, pp->portid);
	return;
drop:
	nlmsg_free(msg);
}

/*
 * The completion callback of a proposal made by netlink: process context,
 * no paxos lock held (the group's worker, its deletion, or the submission
 * itself when the group was deleted meanwhile).
 */
static void paxos_nl_propose_done(void *ctx, int error, u64 slot)
{
	struct paxos_nl_propose *pp = ctx;

	mutex_lock(&paxos_nl_pending_lock);
	pp->finished = true;
	pp->error = error;
	pp->slot = slot;
	if (pp->pending) {
		list_del(&pp->node);
		paxos_nl_propose_ntf(pp);
	} else {
		complete(&pp->done);
	}
	mutex_unlock(&paxos_nl_pending_lock);
	paxos_nl_propose_put(pp);
}

/*
 * Wait at most PAXOS_NL_PROPOSE_WAIT_MS for @req's outcome (a signal ends
 * the wait early: the answer is then pending, nothing lost).  Return: true
 * if still pending (@pp queued for a propose-ntf), else false with @err
 * and @slot set.
 */
static bool paxos_nl_wait(struct paxos_nl_propose *pp, struct paxos_req *req,
			  int *err, u64 *slot)
{
	bool pending;

	wait_for_completion_interruptible_timeout(&pp->done,
						  msecs_to_jiffies(PAXOS_NL_PROPOSE_WAIT_MS));
	mutex_lock(&paxos_nl_pending_lock);
	pending = !pp->finished;
	if (pending) {
		pp->req_id = req->id;
		pp->pending = true;
		list_add_tail(&pp->node, &paxos_nl_pending);
	} else {
		*err = pp->error;
		*slot = pp->slot;
	}
	mutex_unlock(&paxos_nl_pending_lock);
	return pending;
}

/* A socket of the family was closed: drop the notifications it awaits. */
static int paxos_nl_sock_release(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct paxos_nl_propose *pp;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC)
		return NOTIFY_DONE;
	mutex_lock(&paxos_nl_pending_lock);
	list_for_each_entry(pp, &paxos_nl_pending, node)
		if (pp->portid == n->portid && net_eq(pp->net, n->net))
			pp->orphaned = true;
	mutex_unlock(&paxos_nl_pending_lock);
	return NOTIFY_DONE;
}

static struct notifier_block paxos_nl_notifier = {
	.notifier_call = paxos_nl_sock_release,
};

int paxos_nl_propose_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct paxos_group *g = info->user_ptr[0];
	struct nlattr *value = info->attrs[PAXOS_A_LOG_VALUE];
	struct paxos_nl_propose *pp;
	struct paxos_req *req;
	struct sk_buff *msg;
	void *hdr, *copy;
	u32 req_id;
	bool pending;
	u64 slot = 0;
	int err = -ENOMEM;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_LOG_VALUE))
		return -EINVAL;
	if (!nla_len(value)) {
		NL_SET_ERR_MSG_ATTR(info->extack, value, "empty value");
		return -EINVAL;
	}
	if (nla_len(value) > g->p.max_value_size) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, value,
					"value of %d bytes exceeds the group's max-value-size %u",
					nla_len(value), g->p.max_value_size);
		return -EMSGSIZE;
	}

	/*
	 * Everything the answer needs is allocated before the value is
	 * submitted: once it is, a reply lost to an allocation failure would
	 * tell the requester a chosen value was refused.
	 */
	pp = kzalloc(sizeof(*pp), PAXOS_GFP);
	if (!pp)
		return -ENOMEM;
	kref_init(&pp->ref);
	init_completion(&pp->done);
	INIT_LIST_HEAD(&pp->node);
	pp->net = genl_info_net(info);
	pp->portid = info->snd_portid;
	pp->seq = info->snd_seq;
	pp->group_id = g->p.id;
	msg = genlmsg_new(PAXOS_NL_PROPOSE_SIZE, GFP_KERNEL);
	pp->ntf = genlmsg_new(PAXOS_NL_PROPOSE_SIZE, PAXOS_GFP);
	copy = kvmalloc(nla_len(value), PAXOS_GFP);
	if (!msg || !pp->ntf || !copy) {
		kvfree(copy);
		goto out;
	}
	nla_memcpy(copy, value, nla_len(value));

	kref_get(&pp->ref);	/* for the callback */
	req = paxos_req_submit(g, copy, nla_len(value), 0, NULL,
			       paxos_nl_propose_done, pp);
	if (IS_ERR(req)) {
		paxos_nl_propose_put(pp);	/* the callback never runs */
		err = PTR_ERR(req);
		goto out;
	}

	pending = paxos_nl_wait(pp, req, &err, &slot);
	req_id = req->id;
	paxos_req_put(req);

	if (!pending && err) {
		if (err == -ETIMEDOUT)
			NL_SET_ERR_MSG_MOD(info->extack,
					   "not chosen within the proposal timeout (it may still be)");
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &paxos_nl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, PAXOS_A_LOG_GROUP_ID, g->p.id))
		goto out_size;
	if (pending) {
		if (nla_put_u32(msg, PAXOS_A_LOG_REQUEST_ID, req_id) ||
		    nla_put_flag(msg, PAXOS_A_LOG_PENDING))
			goto out_size;
	} else if (nla_put_uint(msg, PAXOS_A_LOG_SLOT, slot)) {
		goto out_size;
	}
	genlmsg_end(msg, hdr);
	paxos_nl_propose_put(pp);
	return genlmsg_reply(msg, info);

out_size:
	err = -EMSGSIZE;	/* cannot happen: sized for it */
out:
	nlmsg_free(msg);
	paxos_nl_propose_put(pp);
	return err;
}

/* --- membership --- */

/* Room for a member-* reply (group, slot, request id, pending). */
#define PAXOS_NL_CHANGE_SIZE	(2 * nla_total_size(sizeof(u32)) + \
				 nla_total_size(sizeof(u64)) + \
				 nla_total_size(0))

/*
 * Whether @node_id is a member of the configuration in effect or of the
 * next one.  Return: 1, 0, or -ENOMEM / -ENOENT (group deleted).
 */
static int paxos_nl_is_member(struct paxos_group *g, u32 node_id)
{
	struct paxos_membership *m = kmalloc(sizeof(*m), GFP_KERNEL);
	int ret = -ENOENT;
	u32 i;

	if (!m)
		return -ENOMEM;
	mutex_lock(&g->lock);
	if (g->core) {
		paxos_core_membership(g->core, m);
		ret = 0;
	}
	mutex_unlock(&g->lock);
	for (i = 0; !ret && i < m->nr_members; i++)
		if (m->members[i].node_id == node_id)
			ret = 1;
	for (i = 0; !ret && m->pending && i < m->next.nr_members; i++)
		if (m->next.members[i].node_id == node_id)
			ret = 1;
	kfree(m);
	return ret;
}

/* The extack message of a change that failed with @err. */
static void paxos_nl_change_err(struct genl_info *info, int err)
{
	switch (err) {
	case -EINVAL:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the change is not valid for the configuration (a member already, no such member, or no voter would be left)");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "another configuration change is still pending");
		break;
	case -EALREADY:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the configuration is so already: nothing to change");
		break;
	case -EHOSTUNREACH:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the voters the leader reaches would not make a quorum of what is left");
		break;
	case -ENOTRECOVERABLE:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "quorum lost: only force-new-cluster goes on");
		break;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "this group does not support membership changes (basic mode)");
		break;
	case -ETIMEDOUT:
		NL_SET_ERR_MSG_MOD(info->extack,
				   "not chosen within the proposal timeout (it may still be)");
		break;
	case -ENOTCONN:
		NL_SET_ERR_MSG_MOD(info->extack, "the group was deleted");
		break;
	}
}

/*
 * Submit a change and answer like propose: with its slot if it is chosen
 * within PAXOS_NL_PROPOSE_WAIT_MS, else with pending and a request id (a
 * propose-ntf follows to the requesting socket).
 */
static int paxos_nl_change(struct genl_info *info,
			   const struct paxos_member_change *mc)
{
	struct paxos_group *g = info->user_ptr[0];
	struct nlattr *node = info->attrs[PAXOS_A_CHANGE_NODE_ID];
	struct paxos_nl_propose *pp;
	struct paxos_change ch;
	struct paxos_req *req;
	struct sk_buff *msg;
	u32 req_id;
	bool pending;
	u64 slot = 0;
	void *hdr;
	int err;

	err = paxos_change_from(g, mc, &ch);
	if (err == -EAFNOSUPPORT) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PAXOS_A_CHANGE_ADDR],
				    "the address is not of the group's address family");
		return err;
	}
	if (err) {
		NL_SET_ERR_MSG_MOD(info->extack, "invalid change");
		return err;
	}
	err = paxos_nl_is_member(g, mc->node_id);
	if (err < 0)
		return err;
	if (err && mc->op == PAXOS_CMD_MEMBER_ADD) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, node,
					"node %u is a member already",
					mc->node_id);
		return -EEXIST;
	}
	if (!err && mc->op != PAXOS_CMD_MEMBER_ADD) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack, node,
					"node %u is not a member", mc->node_id);
		return -ENOENT;
	}

	pp = kzalloc(sizeof(*pp), PAXOS_GFP);
	if (!pp)
		return -ENOMEM;
	kref_init(&pp->ref);
	init_completion(&pp->done);
	INIT_LIST_HEAD(&pp->node);
	pp->net = genl_info_net(info);
	pp->portid = info->snd_portid;
	pp->seq = info->snd_seq;
	pp->group_id = g->p.id;
	err = -ENOMEM;
	msg = genlmsg_new(PAXOS_NL_CHANGE_SIZE, GFP_KERNEL);
	pp->ntf = genlmsg_new(PAXOS_NL_PROPOSE_SIZE, PAXOS_GFP);
	if (!msg || !pp->ntf)
		goto out;

	kref_get(&pp->ref);	/* for the callback */
	req = paxos_req_submit_change(g, &ch, paxos_nl_propose_done, pp);
	if (IS_ERR(req)) {
		paxos_nl_propose_put(pp);	/* the callback never runs */
		err = PTR_ERR(req);
		goto out;
	}
	pending = paxos_nl_wait(pp, req, &err, &slot);
	req_id = req->id;
	paxos_req_put(req);

	if (!pending && err) {
		paxos_nl_change_err(info, err);
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &paxos_nl_family, 0,
				info->genlhdr->cmd);
	if (!hdr || nla_put_u32(msg, PAXOS_A_CHANGE_GROUP_ID, g->p.id) ||
	    (pending ? nla_put_u32(msg, PAXOS_A_CHANGE_REQUEST_ID, req_id) ||
		       nla_put_flag(msg, PAXOS_A_CHANGE_PENDING) :
		       nla_put_uint(msg, PAXOS_A_CHANGE_SLOT, slot))) {
		err = -EMSGSIZE;	/* cannot happen: sized for it */
		goto out;
	}
	genlmsg_end(msg, hdr);
	paxos_nl_propose_put(pp);
	return genlmsg_reply(msg, info);
out:
	nlmsg_free(msg);
	paxos_nl_propose_put(pp);
	return err;
}

/*
 * A member-* request: the node-id, and what its op takes.  info->attrs
 * has room for the attributes of the op's own policy only (up to its
 * maxattr): an op reads no attribute beyond them.
 */
static int paxos_nl_change_parse(struct genl_info *info, u8 cmd,
				 struct paxos_member_change *mc)
{
	struct nlattr *inc;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_CHANGE_NODE_ID))
		return -EINVAL;
	memset(mc, 0, sizeof(*mc));
	mc->op = cmd;
	mc->node_id = nla_get_u32(info->attrs[PAXOS_A_CHANGE_NODE_ID]);
	switch (cmd) {
	case PAXOS_CMD_MEMBER_PROMOTE:
		inc = info->attrs[PAXOS_A_CHANGE_INCARNATION];
		mc->incarnation = inc ? nla_get_uint(inc) : 0;
		return 0;
	case PAXOS_CMD_MEMBER_ADD:
		mc->role = paxos_nl_u32(info, PAXOS_A_CHANGE_ROLE,
					PAXOS_ROLE_VOTER);
		fallthrough;
	case PAXOS_CMD_MEMBER_SET_ADDRESS:
		if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_CHANGE_ADDR))
			return -EINVAL;
		return paxos_nl_parse_addr(info->attrs[PAXOS_A_CHANGE_ADDR],
					   &mc->addr, info->extack);
	default:
		return 0;
	}
}

static int paxos_nl_change_op(struct genl_info *info, u8 cmd)
{
	struct paxos_member_change mc;
	int err;

	err = paxos_nl_change_parse(info, cmd, &mc);
	return err ?: paxos_nl_change(info, &mc);
}

int paxos_nl_member_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_change_op(info, PAXOS_CMD_MEMBER_ADD);
}

int paxos_nl_member_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_change_op(info, PAXOS_CMD_MEMBER_DEL);
}

int paxos_nl_member_promote_doit(struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_change_op(info, PAXOS_CMD_MEMBER_PROMOTE);
}

int paxos_nl_member_demote_doit(struct sk_buff *skb, struct genl_info *info)
{
	return paxos_nl_change_op(info, PAXOS_CMD_MEMBER_DEMOTE);
}

int paxos_nl_member_set_address_doit(struct sk_buff *skb,
				     struct genl_info *info)
{
	return paxos_nl_change_op(info, PAXOS_CMD_MEMBER_SET_ADDRESS);
}

int paxos_nl_force_new_cluster_doit(struct sk_buff *skb,
				    struct genl_info *info)
{
	struct paxos_group *g = info->user_ptr[0];
	int err = -ENOENT;

	mutex_lock(&g->lock);
	if (g->core)
		err = paxos_core_force_new_cluster(g->core, PAXOS_GFP);
	mutex_unlock(&g->lock);
	if (err == -EOPNOTSUPP)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "this group cannot force a new cluster (basic mode)");
	else if (err == -EINVAL)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "only a node that was a voter can force a new cluster");
	else if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "the group was deleted");
	else if (err)
		NL_SET_ERR_MSG_MOD(info->extack, "cannot force a new cluster now");
	return err;
}

/* --- log-get --- */

/* Room for one log-get message carrying a value of @len bytes. */
static size_t paxos_nl_entry_size(u32 len)
{
	return nlmsg_total_size(GENL_HDRLEN +
				nla_total_size(sizeof(u32)) +	/* group-id */
				nla_total_size(sizeof(u64)) +	/* slot */
				nla_total_size(len) +		/* value */
				nla_total_size(sizeof(u32)));	/* origin */
}

/*
 * Before the first part of a log-get dump: every dump skb must hold the
 * group's largest value (netlink allocates NLMSG_GOODSIZE, or what the
 * reader's earlier reads suggest, capped at 32 KiB, unless told more).  The
 * reader needs a receive buffer that large too, or it sees MSG_TRUNC.
 */
int paxos_nl_log_get_start(struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct paxos_group *g;
	u32 id;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_LOG_GROUP_ID))
		return -EINVAL;
	id = nla_get_u32(info->attrs[PAXOS_A_LOG_GROUP_ID]);
	g = paxos_group_get(sock_net(cb->skb->sk), id);
	if (!g) {
		NL_SET_ERR_MSG_ATTR_FMT(info->extack,
					info->attrs[PAXOS_A_LOG_GROUP_ID],
					"no group %u in this namespace", id);
		return -ENOENT;
	}
	cb->min_dump_alloc = paxos_nl_entry_size(g->p.max_value_size);
	paxos_group_put(g);
	return 0;
}

int paxos_nl_log_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct paxos_slot_info si;
	struct paxos_group *g;
	u64 slot, end = U64_MAX;
	void *buf, *hdr;
	int len, err = 0;

	g = paxos_group_get(sock_net(skb->sk),
			    nla_get_u32(info->attrs[PAXOS_A_LOG_GROUP_ID]));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PAXOS_A_LOG_GROUP_ID],
				    "the group was deleted");
		return -ENOENT;
	}
	/* Recreated with larger values since the dump started: next skb. */
	if (cb->min_dump_alloc < paxos_nl_entry_size(g->p.max_value_size))
		cb->min_dump_alloc = paxos_nl_entry_size(g->p.max_value_size);
	slot = cb->args[0];
	if (!slot)
		slot = info->attrs[PAXOS_A_LOG_SLOT_START] ?
		       nla_get_uint(info->attrs[PAXOS_A_LOG_SLOT_START]) : 1;
	if (info->attrs[PAXOS_A_LOG_SLOT_END])
		end = nla_get_uint(info->attrs[PAXOS_A_LOG_SLOT_END]);

	buf = kvmalloc(g->p.max_value_size, GFP_KERNEL);
	if (!buf) {
		paxos_group_put(g);
		return -ENOMEM;
	}
	for (; slot <= end; slot++) {
		mutex_lock(&g->lock);
		if (!g->core) {
			mutex_unlock(&g->lock);
			err = -ENOENT;
			break;
		}
		if (slot < paxos_core_first_retained(g->core))
			slot = paxos_core_first_retained(g->core);
		len = slot <= end ? paxos_core_read(g->core, slot, buf,
						    g->p.max_value_size, &si) :
				    -EAGAIN;
		mutex_unlock(&g->lock);
		if (len == -EAGAIN || len == -ENOENT)
			break;		/* the end of the learned log */
		if (len < 0) {
			err = len;
			break;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &paxos_nl_family,
				  NLM_F_MULTI, PAXOS_CMD_LOG_GET);
		if (!hdr ||
		    nla_put_u32(skb, PAXOS_A_LOG_GROUP_ID, g->p.id) ||
		    nla_put_uint(skb, PAXOS_A_LOG_SLOT, slot) ||
		    (si.kind == PAXOS_DELIVER_VALUE ?
		     nla_put(skb, PAXOS_A_LOG_VALUE, len, buf) ||
		     nla_put_u32(skb, PAXOS_A_LOG_ORIGIN_NODE_ID, si.origin) :
		     nla_put_u32(skb, PAXOS_A_LOG_FLAGS,
				 PAXOS_ENTRY_FLAGS_NOOP))) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			/*
			 * The skb is full: this slot starts the next one.  An
			 * empty skb too small for it would end the dump with
			 * nothing said: fail it instead.
			 */
			if (!skb->len) {
				NL_SET_ERR_MSG_FMT_MOD(info->extack,
						       "the value of slot %llu does not fit in a dump message",
						       slot);
				err = -EMSGSIZE;
			}
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = slot;
	kvfree(buf);
	paxos_group_put(g);
	return err ?: skb->len;
}

/* --- events --- */

/* A new event message with its header, or NULL when nobody listens. */
static struct sk_buff *paxos_nl_event_new(struct paxos_group *g, u8 cmd,
					  size_t size, void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&paxos_nl_family, g->net, PAXOS_NLGRP_EVENTS))
		return NULL;
	msg = genlmsg_new(size, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &paxos_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void paxos_nl_event_send(struct paxos_group *g, struct sk_buff *msg,
				void *hdr)
{
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&paxos_nl_family, g->net, msg, 0,
				PAXOS_NLGRP_EVENTS, GFP_KERNEL);
}

/**
 * paxos_netlink_learned() - multicast a learned value
 * @g: the group
 * @slot: its slot
 * @value: the value
 * @len: its length
 * @origin: the node that proposed it
 */
void paxos_netlink_learned(struct paxos_group *g, u64 slot, const void *value,
			   u32 len, u32 origin)
{
	struct sk_buff *msg;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_LEARNED_NTF,
				 nla_total_size(len) + 128, &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, PAXOS_A_LOG_GROUP_ID, g->p.id) ||
	    nla_put_uint(msg, PAXOS_A_LOG_SLOT, slot) ||
	    nla_put(msg, PAXOS_A_LOG_VALUE, len, value) ||
	    nla_put_u32(msg, PAXOS_A_LOG_ORIGIN_NODE_ID, origin)) {
		nlmsg_free(msg);
		return;
	}
	paxos_nl_event_send(g, msg, hdr);
}

/**
 * paxos_netlink_skipped() - multicast slots this node will never learn
 * @g: the group
 * @first: the first skipped slot
 * @last: the last skipped slot
 *
 * Every member this node could fetch them from had trimmed them: readers
 * will never see them (skipped-ntf).
 */
void paxos_netlink_skipped(struct paxos_group *g, u64 first, u64 last)
{
	struct sk_buff *msg;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_SKIPPED_NTF,
				 nla_total_size(sizeof(u32)) +
				 2 * nla_total_size(sizeof(u64)), &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, PAXOS_A_LOG_GROUP_ID, g->p.id) ||
	    nla_put_uint(msg, PAXOS_A_LOG_SLOT, first) ||
	    nla_put_uint(msg, PAXOS_A_LOG_SKIPPED, last)) {
		nlmsg_free(msg);
		return;
	}
	paxos_nl_event_send(g, msg, hdr);
}

/**
 * paxos_netlink_leader() - multicast a leader change
 * @g: the group
 * @st: the core's status: the new leader's node id (0: none known), the
 *	ballot this node promised, and this node's state
 */
void paxos_netlink_leader(struct paxos_group *g,
			  const struct paxos_core_status *st)
{
	struct sk_buff *msg;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_LEADER_CHANGE_NTF, NLMSG_GOODSIZE,
				 &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, PAXOS_A_GROUP_ID, g->p.id) ||
	    nla_put_u32(msg, PAXOS_A_GROUP_LEADER_ID, st->leader_id) ||
	    paxos_nl_put_ballot(msg, PAXOS_A_GROUP_BALLOT, &st->promised) ||
	    nla_put_u32(msg, PAXOS_A_GROUP_STATE, paxos_nl_state(st))) {
		nlmsg_free(msg);
		return;
	}
	paxos_nl_event_send(g, msg, hdr);
}

/**
 * paxos_netlink_peer() - multicast a change of a peer's reachability
 * @g: the group
 * @node_id: the peer
 * @reachable: whether we hear from it now
 */
void paxos_netlink_peer(struct paxos_group *g, u32 node_id, bool reachable)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_PEER_STATE_NTF, NLMSG_GOODSIZE,
				 &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, PAXOS_A_GROUP_ID, g->p.id))
		goto err;
	nest = nla_nest_start(msg, PAXOS_A_GROUP_PEER);
	if (!nest ||
	    nla_put_u32(msg, PAXOS_A_PEER_NODE_ID, node_id) ||
	    nla_put_u8(msg, PAXOS_A_PEER_REACHABLE, reachable))
		goto err;
	nla_nest_end(msg, nest);
	paxos_nl_event_send(g, msg, hdr);
	return;
err:
	nlmsg_free(msg);
}

/**
 * paxos_netlink_config() - multicast a new configuration (config-ntf)
 * @g: the group
 * @st: the core's status, taken with @m
 * @m: the core's configuration
 *
 * Context: the group's worker (process context, no paxos lock held).
 */
void paxos_netlink_config(struct paxos_group *g,
			  const struct paxos_core_status *st,
			  const struct paxos_membership *m)
{
	struct paxos_group_membership *gm;
	struct sk_buff *msg;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_CONFIG_NTF, PAXOS_NL_GROUP_SIZE,
				 &hdr);
	if (!msg)
		return;
	gm = kmalloc(sizeof(*gm), GFP_KERNEL);
	if (!gm)
		goto err;
	paxos_membership_export(gm, m, st->flags);
	if (nla_put_u32(msg, PAXOS_A_GROUP_ID, g->p.id) ||
	    nla_put_u32(msg, PAXOS_A_GROUP_STATE, paxos_nl_state(st)) ||
	    paxos_nl_put_membership(msg, gm))
		goto err;
	kfree(gm);
	paxos_nl_event_send(g, msg, hdr);
	return;
err:
	kfree(gm);
	nlmsg_free(msg);
}

/**
 * paxos_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int paxos_netlink_init(void)
{
	int err;

	err = netlink_register_notifier(&paxos_nl_notifier);
	if (err)
		return err;
	err = genl_register_family(&paxos_nl_family);
	if (err) {
		netlink_unregister_notifier(&paxos_nl_notifier);
		return err;
	}
	mutex_lock(&paxos_nl_pending_lock);
	paxos_nl_up = true;
	mutex_unlock(&paxos_nl_pending_lock);
	return 0;
}

/**
 * paxos_netlink_exit() - unregister the family
 *
 * Proposals still pending complete later, when the groups are deleted;
 * their notifications are dropped then.
 */
void paxos_netlink_exit(void)
{
	mutex_lock(&paxos_nl_pending_lock);
	paxos_nl_up = false;
	mutex_unlock(&paxos_nl_pending_lock);
	genl_unregister_family(&paxos_nl_family);
	netlink_unregister_notifier(&paxos_nl_notifier);
}
