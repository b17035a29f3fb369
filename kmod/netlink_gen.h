/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/paxos.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_PAXOS_GEN_H
#define _LINUX_PAXOS_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/paxos.h>

/* Common nested types */
extern const struct nla_policy paxos_addr_nl_policy[PAXOS_A_ADDR_PORT + 1];
extern const struct nla_policy paxos_member_nl_policy[PAXOS_A_MEMBER_INCARNATION + 1];

/* Ops table for paxos */
extern const struct genl_split_ops paxos_nl_ops[13];

int paxos_nl_group_pre_doit(const struct genl_split_ops *ops,
			    struct sk_buff *skb, struct genl_info *info);
int paxos_nl_log_pre_doit(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
int paxos_nl_change_pre_doit(const struct genl_split_ops *ops,
			     struct sk_buff *skb, struct genl_info *info);
void
paxos_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		   struct genl_info *info);
int paxos_nl_log_get_start(struct netlink_callback *cb);

int paxos_nl_group_new_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int paxos_nl_propose_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_log_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int paxos_nl_group_set_key_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_member_add_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_member_del_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_member_promote_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_member_demote_doit(struct sk_buff *skb, struct genl_info *info);
int paxos_nl_member_set_address_doit(struct sk_buff *skb,
				     struct genl_info *info);
int paxos_nl_force_new_cluster_doit(struct sk_buff *skb,
				    struct genl_info *info);

enum {
	PAXOS_NLGRP_EVENTS,
};

#endif /* _LINUX_PAXOS_GEN_H */
