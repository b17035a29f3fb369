// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/paxos.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink_gen.h"

#include <uapi/linux/paxos.h>

/* Integer value ranges */
static const struct netlink_range_validation paxos_a_group_heartbeat_ms_range = {
	.min	= PAXOS_HEARTBEAT_MS_MIN,
	.max	= PAXOS_HEARTBEAT_MS_MAX,
};

static const struct netlink_range_validation paxos_a_group_election_min_ms_range = {
	.min	= PAXOS_ELECTION_MS_MIN,
	.max	= PAXOS_ELECTION_MS_MAX,
};

static const struct netlink_range_validation paxos_a_group_election_max_ms_range = {
	.min	= PAXOS_ELECTION_MS_MIN,
	.max	= PAXOS_ELECTION_MS_MAX,
};

static const struct netlink_range_validation paxos_a_group_proposal_timeout_ms_range = {
	.min	= PAXOS_PROPOSAL_TIMEOUT_MS_MIN,
	.max	= PAXOS_PROPOSAL_TIMEOUT_MS_MAX,
};

static const struct netlink_range_validation paxos_a_group_max_value_size_range = {
	.min	= 1ULL,
	.max	= PAXOS_MAX_VALUE_SIZE,
};

static const struct netlink_range_validation paxos_a_group_retention_range = {
	.min	= PAXOS_RETENTION_MIN,
	.max	= PAXOS_RETENTION_MAX,
};

static const struct netlink_range_validation paxos_a_group_queue_len_range = {
	.min	= PAXOS_QUEUE_LEN_MIN,
	.max	= PAXOS_QUEUE_LEN_MAX,
};

static const struct netlink_range_validation paxos_a_group_key_grace_ms_range = {
	.max	= PAXOS_KEY_GRACE_MS_MAX,
};

/* Common nested types */
const struct nla_policy paxos_addr_nl_policy[PAXOS_A_ADDR_PORT + 1] = {
	[PAXOS_A_ADDR_IPV4] = NLA_POLICY_EXACT_LEN(4),
	[PAXOS_A_ADDR_IPV6] = NLA_POLICY_EXACT_LEN(16),
	[PAXOS_A_ADDR_PORT] = NLA_POLICY_MIN(NLA_U16, 1),
};

const struct nla_policy paxos_member_nl_policy[PAXOS_A_MEMBER_INCARNATION + 1] = {
	[PAXOS_A_MEMBER_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_MEMBER_ROLE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[PAXOS_A_MEMBER_ADDR] = NLA_POLICY_NESTED(paxos_addr_nl_policy),
	[PAXOS_A_MEMBER_INCARNATION] = { .type = NLA_UINT, },
};

/* PAXOS_CMD_GROUP_NEW - do */
static const struct nla_policy paxos_group_new_nl_policy[PAXOS_A_GROUP_MANUAL_PROMOTE + 1] = {
	[PAXOS_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_GROUP_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_GROUP_LISTEN] = NLA_POLICY_NESTED(paxos_addr_nl_policy),
	[PAXOS_A_GROUP_MEMBER] = NLA_POLICY_NESTED(paxos_member_nl_policy),
	[PAXOS_A_GROUP_MODE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[PAXOS_A_GROUP_CLUSTER_STATE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[PAXOS_A_GROUP_HEARTBEAT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_heartbeat_ms_range),
	[PAXOS_A_GROUP_ELECTION_MIN_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_election_min_ms_range),
	[PAXOS_A_GROUP_ELECTION_MAX_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_election_max_ms_range),
	[PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_proposal_timeout_ms_range),
	[PAXOS_A_GROUP_MAX_VALUE_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_max_value_size_range),
	[PAXOS_A_GROUP_RETENTION] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_retention_range),
	[PAXOS_A_GROUP_QUEUE_LEN] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_queue_len_range),
	[PAXOS_A_GROUP_KEY] = NLA_POLICY_EXACT_LEN(PAXOS_KEY_LEN),
	[PAXOS_A_GROUP_INSECURE] = { .type = NLA_FLAG, },
	[PAXOS_A_GROUP_MANUAL_PROMOTE] = { .type = NLA_FLAG, },
};

/* PAXOS_CMD_GROUP_DEL - do */
static const struct nla_policy paxos_group_del_nl_policy[PAXOS_A_GROUP_ID + 1] = {
	[PAXOS_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PAXOS_CMD_GROUP_GET - do */
static const struct nla_policy paxos_group_get_nl_policy[PAXOS_A_GROUP_ID + 1] = {
	[PAXOS_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PAXOS_CMD_PROPOSE - do */
static const struct nla_policy paxos_propose_nl_policy[PAXOS_A_LOG_VALUE + 1] = {
	[PAXOS_A_LOG_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_LOG_VALUE] = { .type = NLA_BINARY, },
};

/* PAXOS_CMD_LOG_GET - dump */
static const struct nla_policy paxos_log_get_nl_policy[PAXOS_A_LOG_SLOT_END + 1] = {
	[PAXOS_A_LOG_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_LOG_SLOT_START] = NLA_POLICY_MIN(NLA_UINT, 1),
	[PAXOS_A_LOG_SLOT_END] = NLA_POLICY_MIN(NLA_UINT, 1),
};

/* PAXOS_CMD_GROUP_SET_KEY - do */
static const struct nla_policy paxos_group_set_key_nl_policy[PAXOS_A_GROUP_KEY_GRACE_MS + 1] = {
	[PAXOS_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_GROUP_KEY] = NLA_POLICY_EXACT_LEN(PAXOS_KEY_LEN),
	[PAXOS_A_GROUP_KEY_GRACE_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &paxos_a_group_key_grace_ms_range),
};

/* PAXOS_CMD_MEMBER_ADD - do */
static const struct nla_policy paxos_member_add_nl_policy[PAXOS_A_CHANGE_ADDR + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_ROLE] = NLA_POLICY_RANGE(NLA_U32, 1, 2),
	[PAXOS_A_CHANGE_ADDR] = NLA_POLICY_NESTED(paxos_addr_nl_policy),
};

/* PAXOS_CMD_MEMBER_DEL - do */
static const struct nla_policy paxos_member_del_nl_policy[PAXOS_A_CHANGE_NODE_ID + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PAXOS_CMD_MEMBER_PROMOTE - do */
static const struct nla_policy paxos_member_promote_nl_policy[PAXOS_A_CHANGE_INCARNATION + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_INCARNATION] = { .type = NLA_UINT, },
};

/* PAXOS_CMD_MEMBER_DEMOTE - do */
static const struct nla_policy paxos_member_demote_nl_policy[PAXOS_A_CHANGE_NODE_ID + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* PAXOS_CMD_MEMBER_SET_ADDRESS - do */
static const struct nla_policy paxos_member_set_address_nl_policy[PAXOS_A_CHANGE_ADDR + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_NODE_ID] = NLA_POLICY_MIN(NLA_U32, 1),
	[PAXOS_A_CHANGE_ADDR] = NLA_POLICY_NESTED(paxos_addr_nl_policy),
};

/* PAXOS_CMD_FORCE_NEW_CLUSTER - do */
static const struct nla_policy paxos_force_new_cluster_nl_policy[PAXOS_A_GROUP_ID + 1] = {
	[PAXOS_A_GROUP_ID] = NLA_POLICY_MIN(NLA_U32, 1),
};

/* Ops table for paxos */
const struct genl_split_ops paxos_nl_ops[13] = {
	{
		.cmd		= PAXOS_CMD_GROUP_NEW,
		.doit		= paxos_nl_group_new_doit,
		.policy		= paxos_group_new_nl_policy,
		.maxattr	= PAXOS_A_GROUP_MANUAL_PROMOTE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_GROUP_DEL,
		.pre_doit	= paxos_nl_group_pre_doit,
		.doit		= paxos_nl_group_del_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_group_del_nl_policy,
		.maxattr	= PAXOS_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_GROUP_GET,
		.pre_doit	= paxos_nl_group_pre_doit,
		.doit		= paxos_nl_group_get_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_group_get_nl_policy,
		.maxattr	= PAXOS_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd	= PAXOS_CMD_GROUP_GET,
		.dumpit	= paxos_nl_group_get_dumpit,
		.flags	= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PAXOS_CMD_PROPOSE,
		.pre_doit	= paxos_nl_log_pre_doit,
		.doit		= paxos_nl_propose_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_propose_nl_policy,
		.maxattr	= PAXOS_A_LOG_VALUE,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_LOG_GET,
		.start		= paxos_nl_log_get_start,
		.dumpit		= paxos_nl_log_get_dumpit,
		.policy		= paxos_log_get_nl_policy,
		.maxattr	= PAXOS_A_LOG_SLOT_END,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= PAXOS_CMD_GROUP_SET_KEY,
		.pre_doit	= paxos_nl_group_pre_doit,
		.doit		= paxos_nl_group_set_key_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_group_set_key_nl_policy,
		.maxattr	= PAXOS_A_GROUP_KEY_GRACE_MS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_MEMBER_ADD,
		.pre_doit	= paxos_nl_change_pre_doit,
		.doit		= paxos_nl_member_add_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_member_add_nl_policy,
		.maxattr	= PAXOS_A_CHANGE_ADDR,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_MEMBER_DEL,
		.pre_doit	= paxos_nl_change_pre_doit,
		.doit		= paxos_nl_member_del_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_member_del_nl_policy,
		.maxattr	= PAXOS_A_CHANGE_NODE_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_MEMBER_PROMOTE,
		.pre_doit	= paxos_nl_change_pre_doit,
		.doit		= paxos_nl_member_promote_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_member_promote_nl_policy,
		.maxattr	= PAXOS_A_CHANGE_INCARNATION,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_MEMBER_DEMOTE,
		.pre_doit	= paxos_nl_change_pre_doit,
		.doit		= paxos_nl_member_demote_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_member_demote_nl_policy,
		.maxattr	= PAXOS_A_CHANGE_NODE_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_MEMBER_SET_ADDRESS,
		.pre_doit	= paxos_nl_change_pre_doit,
		.doit		= paxos_nl_member_set_address_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_member_set_address_nl_policy,
		.maxattr	= PAXOS_A_CHANGE_ADDR,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= PAXOS_CMD_FORCE_NEW_CLUSTER,
		.pre_doit	= paxos_nl_group_pre_doit,
		.doit		= paxos_nl_force_new_cluster_doit,
		.post_doit	= paxos_nl_post_doit,
		.policy		= paxos_force_new_cluster_nl_policy,
		.maxattr	= PAXOS_A_GROUP_ID,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
};

static const struct genl_multicast_group paxos_nl_mcgrps[] = {
	[PAXOS_NLGRP_EVENTS] = { "events", },
};
