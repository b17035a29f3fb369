// SPDX-License-Identifier: GPL-2.0
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/paxos.yaml */
/* by netlink/gen-names.py. */

#include "names_gen.h"

const char *const paxos_role_names[PAXOS_ROLE_LEARNER + 1] = {
	[PAXOS_ROLE_VOTER] = "voter",
	[PAXOS_ROLE_LEARNER] = "learner",
};

const struct paxos_enum_names paxos_role_enum = {
	.name = "role",
	.names = paxos_role_names,
	.len = sizeof(paxos_role_names) / sizeof(paxos_role_names[0]),
};

const char *const paxos_mode_names[PAXOS_MODE_BASIC + 1] = {
	[PAXOS_MODE_MULTI] = "multi",
	[PAXOS_MODE_BASIC] = "basic",
};

const struct paxos_enum_names paxos_mode_enum = {
	.name = "mode",
	.names = paxos_mode_names,
	.len = sizeof(paxos_mode_names) / sizeof(paxos_mode_names[0]),
};

const char *const paxos_cluster_state_names[PAXOS_CLUSTER_STATE_EXISTING + 1] = {
	[PAXOS_CLUSTER_STATE_NEW] = "new",
	[PAXOS_CLUSTER_STATE_EXISTING] = "existing",
};

const struct paxos_enum_names paxos_cluster_state_enum = {
	.name = "cluster-state",
	.names = paxos_cluster_state_names,
	.len = sizeof(paxos_cluster_state_names) / sizeof(paxos_cluster_state_names[0]),
};

const char *const paxos_state_names[PAXOS_STATE_REMOVED + 1] = {
	[PAXOS_STATE_FOLLOWER] = "follower",
	[PAXOS_STATE_CANDIDATE] = "candidate",
	[PAXOS_STATE_LEADER] = "leader",
	[PAXOS_STATE_LEARNER] = "learner",
	[PAXOS_STATE_REFUSED] = "refused",
	[PAXOS_STATE_QUORUM_LOST] = "quorum-lost",
	[PAXOS_STATE_REMOVED] = "removed",
};

const struct paxos_enum_names paxos_state_enum = {
	.name = "state",
	.names = paxos_state_names,
	.len = sizeof(paxos_state_names) / sizeof(paxos_state_names[0]),
};

const char *const paxos_entry_flags_names[1] = {
	[0] = "noop",
};

const struct paxos_enum_names paxos_entry_flags_enum = {
	.name = "entry-flags",
	.names = paxos_entry_flags_names,
	.len = sizeof(paxos_entry_flags_names) / sizeof(paxos_entry_flags_names[0]),
	.flags = true,
};

const struct paxos_attr_desc paxos_addr_attrs[PAXOS_A_ADDR_MAX + 1] = {
	[PAXOS_A_ADDR_IPV4] = {
		.name = "ipv4",
		.type = PAXOS_AT_BINARY,
		.display_hint = "ipv4",
	},
	[PAXOS_A_ADDR_IPV6] = {
		.name = "ipv6",
		.type = PAXOS_AT_BINARY,
		.display_hint = "ipv6",
	},
	[PAXOS_A_ADDR_PORT] = {
		.name = "port",
		.type = PAXOS_AT_U16,
	},
};

const struct paxos_attr_set paxos_addr_attr_set = {
	.name = "addr",
	.max = PAXOS_A_ADDR_MAX,
	.attrs = paxos_addr_attrs,
};

const struct paxos_attr_desc paxos_ballot_attrs[PAXOS_A_BALLOT_MAX + 1] = {
	[PAXOS_A_BALLOT_ROUND] = {
		.name = "round",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_BALLOT_NODE_ID] = {
		.name = "node-id",
		.type = PAXOS_AT_U32,
	},
};

const struct paxos_attr_set paxos_ballot_attr_set = {
	.name = "ballot",
	.max = PAXOS_A_BALLOT_MAX,
	.attrs = paxos_ballot_attrs,
};

const struct paxos_attr_desc paxos_member_attrs[PAXOS_A_MEMBER_MAX + 1] = {
	[PAXOS_A_MEMBER_NODE_ID] = {
		.name = "node-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_MEMBER_ROLE] = {
		.name = "role",
		.type = PAXOS_AT_U32,
		.enums = &paxos_role_enum,
	},
	[PAXOS_A_MEMBER_ADDR] = {
		.name = "addr",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_addr_attr_set,
	},
	[PAXOS_A_MEMBER_INCARNATION] = {
		.name = "incarnation",
		.type = PAXOS_AT_UINT,
	},
};

const struct paxos_attr_set paxos_member_attr_set = {
	.name = "member",
	.max = PAXOS_A_MEMBER_MAX,
	.attrs = paxos_member_attrs,
};

const struct paxos_attr_desc paxos_peer_attrs[PAXOS_A_PEER_MAX + 1] = {
	[PAXOS_A_PEER_NODE_ID] = {
		.name = "node-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_PEER_ROLE] = {
		.name = "role",
		.type = PAXOS_AT_U32,
		.enums = &paxos_role_enum,
	},
	[PAXOS_A_PEER_ADDR] = {
		.name = "addr",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_addr_attr_set,
	},
	[PAXOS_A_PEER_REACHABLE] = {
		.name = "reachable",
		.type = PAXOS_AT_U8,
	},
	[PAXOS_A_PEER_LAST_HEARD_MS] = {
		.name = "last-heard-ms",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_PEER_LEARNED_SLOT] = {
		.name = "learned-slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_PEER_RX_MSGS] = {
		.name = "rx-msgs",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_PEER_TX_MSGS] = {
		.name = "tx-msgs",
		.type = PAXOS_AT_UINT,
	},
};

const struct paxos_attr_set paxos_peer_attr_set = {
	.name = "peer",
	.max = PAXOS_A_PEER_MAX,
	.attrs = paxos_peer_attrs,
};

const struct paxos_attr_desc paxos_stats_attrs[PAXOS_A_STATS_MAX + 1] = {
	[PAXOS_A_STATS_RX_MSGS] = {
		.name = "rx-msgs",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_TX_MSGS] = {
		.name = "tx-msgs",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_RX_BYTES] = {
		.name = "rx-bytes",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_TX_BYTES] = {
		.name = "tx-bytes",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_TX_ERRORS] = {
		.name = "tx-errors",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_MALFORMED] = {
		.name = "drop-malformed",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_TRUNCATED] = {
		.name = "drop-truncated",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_BAD_VERSION] = {
		.name = "drop-bad-version",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_UNKNOWN_TYPE] = {
		.name = "drop-unknown-type",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_WRONG_GROUP] = {
		.name = "drop-wrong-group",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_UNKNOWN_SENDER] = {
		.name = "drop-unknown-sender",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_NOMEM] = {
		.name = "drop-nomem",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS] = {
		.name = "proposals",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS_FORWARDED] = {
		.name = "proposals-forwarded",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS_RETRIED] = {
		.name = "proposals-retried",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS_TIMEOUT] = {
		.name = "proposals-timeout",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS_DUPLICATE] = {
		.name = "proposals-duplicate",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_VALUES_LEARNED] = {
		.name = "values-learned",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_NOOPS_LEARNED] = {
		.name = "noops-learned",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_ELECTIONS] = {
		.name = "elections",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_ELECTIONS_WON] = {
		.name = "elections-won",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_LEADER_CHANGES] = {
		.name = "leader-changes",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_REJECTS_RX] = {
		.name = "rejects-rx",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_REJECTS_TX] = {
		.name = "rejects-tx",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_CATCHUP_REQUESTS] = {
		.name = "catchup-requests",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_CATCHUP_SLOTS] = {
		.name = "catchup-slots",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_TRIMMED_SLOTS] = {
		.name = "trimmed-slots",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_STALE] = {
		.name = "drop-stale",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_AUTH] = {
		.name = "drop-auth",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_REPLAY] = {
		.name = "drop-replay",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_DROP_SOURCE] = {
		.name = "drop-source",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_PROPOSALS_COMPLETED] = {
		.name = "proposals-completed",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_SKIPPED_SLOTS] = {
		.name = "skipped-slots",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_CONFLICTS] = {
		.name = "conflicts",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_STATS_LEARNED_ON_ACCEPT] = {
		.name = "learned-on-accept",
		.type = PAXOS_AT_UINT,
	},
};

const struct paxos_attr_set paxos_stats_attr_set = {
	.name = "stats",
	.max = PAXOS_A_STATS_MAX,
	.attrs = paxos_stats_attrs,
};

const struct paxos_attr_desc paxos_group_attrs[PAXOS_A_GROUP_MAX + 1] = {
	[PAXOS_A_GROUP_ID] = {
		.name = "id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_NODE_ID] = {
		.name = "node-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_LISTEN] = {
		.name = "listen",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_addr_attr_set,
	},
	[PAXOS_A_GROUP_MEMBER] = {
		.name = "member",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_member_attr_set,
		.multi = true,
	},
	[PAXOS_A_GROUP_MODE] = {
		.name = "mode",
		.type = PAXOS_AT_U32,
		.enums = &paxos_mode_enum,
	},
	[PAXOS_A_GROUP_CLUSTER_STATE] = {
		.name = "cluster-state",
		.type = PAXOS_AT_U32,
		.enums = &paxos_cluster_state_enum,
	},
	[PAXOS_A_GROUP_HEARTBEAT_MS] = {
		.name = "heartbeat-ms",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_ELECTION_MIN_MS] = {
		.name = "election-min-ms",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_ELECTION_MAX_MS] = {
		.name = "election-max-ms",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS] = {
		.name = "proposal-timeout-ms",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_MAX_VALUE_SIZE] = {
		.name = "max-value-size",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_RETENTION] = {
		.name = "retention",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_QUEUE_LEN] = {
		.name = "queue-len",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_ROLE] = {
		.name = "role",
		.type = PAXOS_AT_U32,
		.enums = &paxos_role_enum,
	},
	[PAXOS_A_GROUP_STATE] = {
		.name = "state",
		.type = PAXOS_AT_U32,
		.enums = &paxos_state_enum,
	},
	[PAXOS_A_GROUP_REFUSED_BY] = {
		.name = "refused-by",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_LEADER_ID] = {
		.name = "leader-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_BALLOT] = {
		.name = "ballot",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_ballot_attr_set,
	},
	[PAXOS_A_GROUP_FIRST_SLOT] = {
		.name = "first-slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_GROUP_LAST_CHOSEN_SLOT] = {
		.name = "last-chosen-slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_GROUP_COMMIT_SLOT] = {
		.name = "commit-slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_GROUP_QUEUED] = {
		.name = "queued",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_PEER] = {
		.name = "peer",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_peer_attr_set,
		.multi = true,
	},
	[PAXOS_A_GROUP_STATS] = {
		.name = "stats",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_stats_attr_set,
	},
	[PAXOS_A_GROUP_KEY] = {
		.name = "key",
		.type = PAXOS_AT_BINARY,
	},
	[PAXOS_A_GROUP_INSECURE] = {
		.name = "insecure",
		.type = PAXOS_AT_FLAG,
	},
	[PAXOS_A_GROUP_KEY_GRACE_MS] = {
		.name = "key-grace-ms",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_MANUAL_PROMOTE] = {
		.name = "manual-promote",
		.type = PAXOS_AT_FLAG,
	},
	[PAXOS_A_GROUP_INCARNATION] = {
		.name = "incarnation",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_GROUP_CONFIG] = {
		.name = "config",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_config_attr_set,
	},
	[PAXOS_A_GROUP_NEXT_CONFIG] = {
		.name = "next-config",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_config_attr_set,
	},
	[PAXOS_A_GROUP_VOTERS] = {
		.name = "voters",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_QUORUM] = {
		.name = "quorum",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_GROUP_LIVE_VOTERS] = {
		.name = "live-voters",
		.type = PAXOS_AT_U32,
	},
};

const struct paxos_attr_set paxos_group_attr_set = {
	.name = "group",
	.max = PAXOS_A_GROUP_MAX,
	.attrs = paxos_group_attrs,
};

const struct paxos_attr_desc paxos_log_attrs[PAXOS_A_LOG_MAX + 1] = {
	[PAXOS_A_LOG_GROUP_ID] = {
		.name = "group-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_LOG_SLOT] = {
		.name = "slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_LOG_VALUE] = {
		.name = "value",
		.type = PAXOS_AT_BINARY,
	},
	[PAXOS_A_LOG_FLAGS] = {
		.name = "flags",
		.type = PAXOS_AT_U32,
		.enums = &paxos_entry_flags_enum,
	},
	[PAXOS_A_LOG_ORIGIN_NODE_ID] = {
		.name = "origin-node-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_LOG_SLOT_START] = {
		.name = "slot-start",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_LOG_SLOT_END] = {
		.name = "slot-end",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_LOG_REQUEST_ID] = {
		.name = "request-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_LOG_PENDING] = {
		.name = "pending",
		.type = PAXOS_AT_FLAG,
	},
	[PAXOS_A_LOG_ERROR] = {
		.name = "error",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_LOG_SKIPPED] = {
		.name = "skipped",
		.type = PAXOS_AT_UINT,
	},
};

const struct paxos_attr_set paxos_log_attr_set = {
	.name = "log",
	.max = PAXOS_A_LOG_MAX,
	.attrs = paxos_log_attrs,
};

const struct paxos_attr_desc paxos_config_attrs[PAXOS_A_CONFIG_MAX + 1] = {
	[PAXOS_A_CONFIG_SLOT] = {
		.name = "slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_CONFIG_EFFECTIVE] = {
		.name = "effective",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_CONFIG_MEMBER] = {
		.name = "member",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_member_attr_set,
		.multi = true,
	},
};

const struct paxos_attr_set paxos_config_attr_set = {
	.name = "config",
	.max = PAXOS_A_CONFIG_MAX,
	.attrs = paxos_config_attrs,
};

const struct paxos_attr_desc paxos_change_attrs[PAXOS_A_CHANGE_MAX + 1] = {
	[PAXOS_A_CHANGE_GROUP_ID] = {
		.name = "group-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_CHANGE_NODE_ID] = {
		.name = "node-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_CHANGE_ROLE] = {
		.name = "role",
		.type = PAXOS_AT_U32,
		.enums = &paxos_role_enum,
	},
	[PAXOS_A_CHANGE_ADDR] = {
		.name = "addr",
		.type = PAXOS_AT_NEST,
		.nest = &paxos_addr_attr_set,
	},
	[PAXOS_A_CHANGE_INCARNATION] = {
		.name = "incarnation",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_CHANGE_SLOT] = {
		.name = "slot",
		.type = PAXOS_AT_UINT,
	},
	[PAXOS_A_CHANGE_REQUEST_ID] = {
		.name = "request-id",
		.type = PAXOS_AT_U32,
	},
	[PAXOS_A_CHANGE_PENDING] = {
		.name = "pending",
		.type = PAXOS_AT_FLAG,
	},
};

const struct paxos_attr_set paxos_change_attr_set = {
	.name = "change",
	.max = PAXOS_A_CHANGE_MAX,
	.attrs = paxos_change_attrs,
};

const char *const paxos_op_names[PAXOS_CMD_MAX + 1] = {
	[PAXOS_CMD_GROUP_NEW] = "group-new",
	[PAXOS_CMD_GROUP_DEL] = "group-del",
	[PAXOS_CMD_GROUP_GET] = "group-get",
	[PAXOS_CMD_PROPOSE] = "propose",
	[PAXOS_CMD_LOG_GET] = "log-get",
	[PAXOS_CMD_LEARNED_NTF] = "learned-ntf",
	[PAXOS_CMD_LEADER_CHANGE_NTF] = "leader-change-ntf",
	[PAXOS_CMD_PEER_STATE_NTF] = "peer-state-ntf",
	[PAXOS_CMD_GROUP_SET_KEY] = "group-set-key",
	[PAXOS_CMD_SKIPPED_NTF] = "skipped-ntf",
	[PAXOS_CMD_PROPOSE_NTF] = "propose-ntf",
	[PAXOS_CMD_MEMBER_ADD] = "member-add",
	[PAXOS_CMD_MEMBER_DEL] = "member-del",
	[PAXOS_CMD_MEMBER_PROMOTE] = "member-promote",
	[PAXOS_CMD_MEMBER_DEMOTE] = "member-demote",
	[PAXOS_CMD_MEMBER_SET_ADDRESS] = "member-set-address",
	[PAXOS_CMD_FORCE_NEW_CLUSTER] = "force-new-cluster",
	[PAXOS_CMD_CONFIG_NTF] = "config-ntf",
};

const struct paxos_attr_set *const paxos_op_attr_sets[PAXOS_CMD_MAX + 1] = {
	[PAXOS_CMD_GROUP_NEW] = &paxos_group_attr_set,
	[PAXOS_CMD_GROUP_DEL] = &paxos_group_attr_set,
	[PAXOS_CMD_GROUP_GET] = &paxos_group_attr_set,
	[PAXOS_CMD_PROPOSE] = &paxos_log_attr_set,
	[PAXOS_CMD_LOG_GET] = &paxos_log_attr_set,
	[PAXOS_CMD_LEARNED_NTF] = &paxos_log_attr_set,
	[PAXOS_CMD_LEADER_CHANGE_NTF] = &paxos_group_attr_set,
	[PAXOS_CMD_PEER_STATE_NTF] = &paxos_group_attr_set,
	[PAXOS_CMD_GROUP_SET_KEY] = &paxos_group_attr_set,
	[PAXOS_CMD_SKIPPED_NTF] = &paxos_log_attr_set,
	[PAXOS_CMD_PROPOSE_NTF] = &paxos_log_attr_set,
	[PAXOS_CMD_MEMBER_ADD] = &paxos_change_attr_set,
	[PAXOS_CMD_MEMBER_DEL] = &paxos_change_attr_set,
	[PAXOS_CMD_MEMBER_PROMOTE] = &paxos_change_attr_set,
	[PAXOS_CMD_MEMBER_DEMOTE] = &paxos_change_attr_set,
	[PAXOS_CMD_MEMBER_SET_ADDRESS] = &paxos_change_attr_set,
	[PAXOS_CMD_FORCE_NEW_CLUSTER] = &paxos_group_attr_set,
	[PAXOS_CMD_CONFIG_NTF] = &paxos_group_attr_set,
};
