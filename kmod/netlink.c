// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the "paxos" generic netlink family.
 *
 * Policies and the op table are generated from netlink/specs/paxos.yaml into
 * netlink_gen.c; this file holds the handlers and the events.  Mutating ops
 * need CAP_NET_ADMIN in the namespace's user namespace (uns-admin-perm).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "netlink_gen.h"
#include "runtime.h"

static const struct genl_multicast_group paxos_nl_events[] = {
	[PAXOS_NLGRP_EVENTS] = { .name = PAXOS_MCGRP_EVENTS, },
};

static struct genl_family paxos_nl_family __ro_after_init = {
	.name = PAXOS_FAMILY_NAME,
	.version = PAXOS_FAMILY_VERSION,
	.netnsok = true,
	.parallel_ops = true,	/* propose sleeps until the value is learned */
	.module = THIS_MODULE,
	.split_ops = paxos_nl_ops,
	.n_split_ops = ARRAY_SIZE(paxos_nl_ops),
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
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_RETRIED,
			 atomic64_read(&s->proposals_retried)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_TIMEOUT, c->timeouts) ||
	    nla_put_uint(skb, PAXOS_A_STATS_PROPOSALS_DUPLICATE,
			 c->duplicates) ||
	    nla_put_uint(skb, PAXOS_A_STATS_VALUES_LEARNED, c->slots_learned) ||
	    nla_put_uint(skb, PAXOS_A_STATS_ELECTIONS, c->elections) ||
	    nla_put_uint(skb, PAXOS_A_STATS_LEADER_CHANGES,
			 c->leader_changes) ||
	    nla_put_uint(skb, PAXOS_A_STATS_REJECTS_RX, c->rejects_received) ||
	    nla_put_uint(skb, PAXOS_A_STATS_REJECTS_TX, c->rejects_sent) ||
	    nla_put_uint(skb, PAXOS_A_STATS_CATCHUP_REQUESTS,
			 c->catchups_sent) ||
	    nla_put_uint(skb, PAXOS_A_STATS_TRIMMED_SLOTS, c->slots_trimmed) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_STALE, c->rx_stale) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_AUTH,
			 atomic64_read(&s->rx_auth)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_REPLAY,
			 atomic64_read(&s->rx_replay)) ||
	    nla_put_uint(skb, PAXOS_A_STATS_DROP_SOURCE,
			 atomic64_read(&s->rx_source)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int paxos_nl_put_peers(struct sk_buff *skb, struct paxos_group *g,
			      const struct paxos_core_status *st)
{
	u32 i, j;

	for (i = 0; i < g->p.nr_members; i++) {
		const struct paxos_peer_addr *m = &g->p.members[i];
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
				 READ_ONCE(m->tx_msgs)))
			return -EMSGSIZE;
		if (ps && ps->last_heard &&
		    nla_put_uint(skb, PAXOS_A_PEER_LAST_HEARD_MS,
				 (st->now - ps->last_heard) * PAXOS_TICK_MS))
			return -EMSGSIZE;
		if (ps && nla_put_uint(skb, PAXOS_A_PEER_LEARNED_SLOT,
				       ps->learned))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

static int paxos_nl_fill_group(struct sk_buff *skb, struct paxos_group *g,
			       u32 portid, u32 seq, int flags)
{
	const struct paxos_group_params *p = &g->p;
	struct paxos_core_status *st;
	void *hdr;
	u32 role = PAXOS_ROLE_VOTER, i;
	int err = -EMSGSIZE;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&g->lock);
	if (!g->core) {
		mutex_unlock(&g->lock);
		kfree(st);
		return -ENOENT;
	}
	paxos_core_status(g->core, st);
	mutex_unlock(&g->lock);
	for (i = 0; i < p->nr_members; i++)
		if (p->members[i].node_id == p->node_id)
			role = p->members[i].role;

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
	    nla_put_u32(skb, PAXOS_A_GROUP_LEADER_ID, st->leader_id) ||
	    paxos_nl_put_ballot(skb, PAXOS_A_GROUP_BALLOT, &st->promised) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_FIRST_SLOT, st->first_retained) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_LAST_CHOSEN_SLOT, st->learned) ||
	    nla_put_uint(skb, PAXOS_A_GROUP_COMMIT_SLOT, st->commit) ||
	    nla_put_u32(skb, PAXOS_A_GROUP_QUEUED,
			atomic_read(&g->inflight)) ||
	    paxos_nl_put_peers(skb, g, st) ||
	    paxos_nl_put_stats(skb, g, &st->counters)) {
		genlmsg_cancel(skb, hdr);
		goto out;
	}
	genlmsg_end(skb, hdr);
	err = 0;
out:
	kfree(st);
	return err;
}

int paxos_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
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

int paxos_nl_propose_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct paxos_group *g = info->user_ptr[0];
	struct nlattr *value = info->attrs[PAXOS_A_LOG_VALUE];
	struct paxos_req *req;
	struct sk_buff *msg;
	void *hdr, *copy;
	u64 slot;
	int err;

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
	copy = kvmalloc(nla_len(value), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	nla_memcpy(copy, value, nla_len(value));
	req = paxos_req_submit(g, copy, nla_len(value), false, NULL, NULL,
			       NULL);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = paxos_req_wait(req, &slot);
	paxos_req_put(req);
	if (err == -ETIMEDOUT)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "not chosen within the proposal timeout (it may still be)");
	if (err)
		return err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_iput(msg, info);
	if (!hdr ||
	    nla_put_u32(msg, PAXOS_A_LOG_GROUP_ID, g->p.id) ||
	    nla_put_uint(msg, PAXOS_A_LOG_SLOT, slot)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* --- log-get --- */

int paxos_nl_log_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_info *info = genl_info_dump(cb);
	struct paxos_slot_info si;
	struct paxos_group *g;
	u64 slot, end = U64_MAX;
	void *buf, *hdr;
	int len, err = 0;

	if (GENL_REQ_ATTR_CHECK(info, PAXOS_A_LOG_GROUP_ID))
		return -EINVAL;
	g = paxos_group_get(sock_net(skb->sk),
			    nla_get_u32(info->attrs[PAXOS_A_LOG_GROUP_ID]));
	if (!g) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[PAXOS_A_LOG_GROUP_ID],
				    "no such group in this namespace");
		return -ENOENT;
	}
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
		if (!hdr)
			break;
		if (nla_put_u32(skb, PAXOS_A_LOG_GROUP_ID, g->p.id) ||
		    nla_put_uint(skb, PAXOS_A_LOG_SLOT, slot) ||
		    (si.kind == PAXOS_DELIVER_VALUE ?
		     nla_put(skb, PAXOS_A_LOG_VALUE, len, buf) ||
		     nla_put_u32(skb, PAXOS_A_LOG_ORIGIN_NODE_ID, si.origin) :
		     nla_put_u32(skb, PAXOS_A_LOG_FLAGS,
				 PAXOS_ENTRY_FLAGS_NOOP))) {
			genlmsg_cancel(skb, hdr);
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
 * paxos_netlink_leader() - multicast a leader change
 * @g: the group
 * @leader: the new leader's node id (0: none known)
 * @ballot: its ballot
 */
void paxos_netlink_leader(struct paxos_group *g, u32 leader,
			  const struct paxos_ballot *ballot)
{
	struct sk_buff *msg;
	void *hdr;

	msg = paxos_nl_event_new(g, PAXOS_CMD_LEADER_CHANGE_NTF, NLMSG_GOODSIZE,
				 &hdr);
	if (!msg)
		return;
	if (nla_put_u32(msg, PAXOS_A_GROUP_ID, g->p.id) ||
	    nla_put_u32(msg, PAXOS_A_GROUP_LEADER_ID, leader) ||
	    paxos_nl_put_ballot(msg, PAXOS_A_GROUP_BALLOT, ballot)) {
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
 * paxos_netlink_init() - register the family
 *
 * Return: 0 or a negative errno.
 */
int paxos_netlink_init(void)
{
	return genl_register_family(&paxos_nl_family);
}

/**
 * paxos_netlink_exit() - unregister the family
 */
void paxos_netlink_exit(void)
{
	genl_unregister_family(&paxos_nl_family);
}
