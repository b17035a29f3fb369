/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/paxos.yaml */
/* YNL-GEN uapi header */

#ifndef _UAPI_LINUX_PAXOS_H
#define _UAPI_LINUX_PAXOS_H

#define PAXOS_FAMILY_NAME	"paxos"
#define PAXOS_FAMILY_VERSION	1

#define PAXOS_MAX_VALUE_SIZE			61440
#define PAXOS_DEFAULT_MAX_VALUE_SIZE		32768
#define PAXOS_KEY_LEN				32
#define PAXOS_DEFAULT_KEY_GRACE_MS		120000
#define PAXOS_KEY_GRACE_MS_MAX			86400000
#define PAXOS_MAX_MEMBERS			32
#define PAXOS_HEARTBEAT_MS_MIN			10
#define PAXOS_HEARTBEAT_MS_MAX			60000
#define PAXOS_DEFAULT_HEARTBEAT_MS		100
#define PAXOS_ELECTION_MS_MIN			50
#define PAXOS_ELECTION_MS_MAX			600000
#define PAXOS_DEFAULT_ELECTION_MIN_MS		1000
#define PAXOS_DEFAULT_ELECTION_MAX_MS		2000
#define PAXOS_PROPOSAL_TIMEOUT_MS_MIN		100
#define PAXOS_PROPOSAL_TIMEOUT_MS_MAX		3600000
#define PAXOS_DEFAULT_PROPOSAL_TIMEOUT_MS	10000
#define PAXOS_RETENTION_MIN			16
#define PAXOS_RETENTION_MAX			1048576
#define PAXOS_DEFAULT_RETENTION			4096
#define PAXOS_QUEUE_LEN_MIN			1
#define PAXOS_QUEUE_LEN_MAX			65536
#define PAXOS_DEFAULT_QUEUE_LEN			256

/**
 * enum paxos_role - Configured role of a member.
 * @PAXOS_ROLE_VOTER: Acceptor, proposer and learner; counts towards the
 *   majority.
 * @PAXOS_ROLE_LEARNER: Learns chosen values, never votes.
 */
enum paxos_role {
	PAXOS_ROLE_VOTER = 1,
	PAXOS_ROLE_LEARNER,
};

/**
 * enum paxos_mode - Protocol variant run by a group. Value 3 is reserved for
 *   fast (Fast Paxos) and is rejected until it exists.
 * @PAXOS_MODE_MULTI: Multi-Paxos with a stable leader that skips phase 1
 *   (default).
 * @PAXOS_MODE_BASIC: Basic Paxos: every proposal runs both phases from the
 *   node it was submitted to; competing proposers back off randomly.
 */
enum paxos_mode {
	PAXOS_MODE_MULTI = 1,
	PAXOS_MODE_BASIC,
};

/**
 * enum paxos_cluster_state - Whether this node starts a new cluster or joins
 *   one that already holds state (like etcd's initial-cluster-state).
 * @PAXOS_CLUSTER_STATE_NEW: Every member starts empty (default). If a peer
 *   answers that it already holds state, this node is refused (state refused).
 * @PAXOS_CLUSTER_STATE_EXISTING: Join a running cluster: start as a learner,
 *   catch up, and do not vote (the acceptor state of an earlier life is lost).
 */
enum paxos_cluster_state {
	PAXOS_CLUSTER_STATE_NEW = 1,
	PAXOS_CLUSTER_STATE_EXISTING,
};

/**
 * enum paxos_state - What this node is doing in a group right now.
 * @PAXOS_STATE_FOLLOWER: Voter that follows the current leader (or waits for
 *   one).
 * @PAXOS_STATE_CANDIDATE: Voter running phase 1 to become leader.
 * @PAXOS_STATE_LEADER: Voter serving as the stable leader (phase 2 only).
 * @PAXOS_STATE_LEARNER: Learns but does not vote: a configured learner, or a
 *   voter that joined with cluster-state existing and lost its acceptor state.
 * @PAXOS_STATE_REFUSED: The node claimed a new cluster while peers hold state:
 *   a learner that catches up, whose proposals fail with ECONNREFUSED, until
 *   the configuration names its incarnation as a voter (the leader promotes it
 *   once caught up, or an operator with member-promote when manual-promote is
 *   set).
 * @PAXOS_STATE_QUORUM_LOST: A majority of the voters of the configuration lost
 *   their state (restarted): no step is safe any more, proposals and changes
 *   fail with ENOTRECOVERABLE until an operator runs force-new-cluster on the
 *   most advanced surviving node.
 * @PAXOS_STATE_REMOVED: This node is no longer a member of the group's
 *   configuration; it takes no further part and its proposals fail.
 */
enum paxos_state {
	PAXOS_STATE_FOLLOWER = 1,
	PAXOS_STATE_CANDIDATE,
	PAXOS_STATE_LEADER,
	PAXOS_STATE_LEARNER,
	PAXOS_STATE_REFUSED,
	PAXOS_STATE_QUORUM_LOST,
	PAXOS_STATE_REMOVED,
};

/**
 * enum paxos_entry_flags - Properties of one log entry.
 * @PAXOS_ENTRY_FLAGS_NOOP: The slot was filled with a no-op by a new leader;
 *   it carries no value and is never delivered to readers.
 */
enum paxos_entry_flags {
	PAXOS_ENTRY_FLAGS_NOOP = 1,
};

enum {
	PAXOS_A_ADDR_IPV4 = 1,
	PAXOS_A_ADDR_IPV6,
	PAXOS_A_ADDR_PORT,

	__PAXOS_A_ADDR_MAX,
	PAXOS_A_ADDR_MAX = (__PAXOS_A_ADDR_MAX - 1)
};

enum {
	PAXOS_A_BALLOT_ROUND = 1,
	PAXOS_A_BALLOT_NODE_ID,

	__PAXOS_A_BALLOT_MAX,
	PAXOS_A_BALLOT_MAX = (__PAXOS_A_BALLOT_MAX - 1)
};

enum {
	PAXOS_A_MEMBER_NODE_ID = 1,
	PAXOS_A_MEMBER_ROLE,
	PAXOS_A_MEMBER_ADDR,
	PAXOS_A_MEMBER_INCARNATION,

	__PAXOS_A_MEMBER_MAX,
	PAXOS_A_MEMBER_MAX = (__PAXOS_A_MEMBER_MAX - 1)
};

enum {
	PAXOS_A_PEER_NODE_ID = 1,
	PAXOS_A_PEER_ROLE,
	PAXOS_A_PEER_ADDR,
	PAXOS_A_PEER_REACHABLE,
	PAXOS_A_PEER_LAST_HEARD_MS,
	PAXOS_A_PEER_LEARNED_SLOT,
	PAXOS_A_PEER_RX_MSGS,
	PAXOS_A_PEER_TX_MSGS,

	__PAXOS_A_PEER_MAX,
	PAXOS_A_PEER_MAX = (__PAXOS_A_PEER_MAX - 1)
};

enum {
	PAXOS_A_STATS_RX_MSGS = 1,
	PAXOS_A_STATS_TX_MSGS,
	PAXOS_A_STATS_RX_BYTES,
	PAXOS_A_STATS_TX_BYTES,
	PAXOS_A_STATS_TX_ERRORS,
	PAXOS_A_STATS_DROP_MALFORMED,
	PAXOS_A_STATS_DROP_TRUNCATED,
	PAXOS_A_STATS_DROP_BAD_VERSION,
	PAXOS_A_STATS_DROP_UNKNOWN_TYPE,
	PAXOS_A_STATS_DROP_WRONG_GROUP,
	PAXOS_A_STATS_DROP_UNKNOWN_SENDER,
	PAXOS_A_STATS_DROP_NOMEM,
	PAXOS_A_STATS_PROPOSALS,
	PAXOS_A_STATS_PROPOSALS_FORWARDED,
	PAXOS_A_STATS_PROPOSALS_RETRIED,
	PAXOS_A_STATS_PROPOSALS_TIMEOUT,
	PAXOS_A_STATS_PROPOSALS_DUPLICATE,
	PAXOS_A_STATS_VALUES_LEARNED,
	PAXOS_A_STATS_NOOPS_LEARNED,
	PAXOS_A_STATS_ELECTIONS,
	PAXOS_A_STATS_ELECTIONS_WON,
	PAXOS_A_STATS_LEADER_CHANGES,
	PAXOS_A_STATS_REJECTS_RX,
	PAXOS_A_STATS_REJECTS_TX,
	PAXOS_A_STATS_CATCHUP_REQUESTS,
	PAXOS_A_STATS_CATCHUP_SLOTS,
	PAXOS_A_STATS_TRIMMED_SLOTS,
	PAXOS_A_STATS_DROP_STALE,
	PAXOS_A_STATS_DROP_AUTH,
	PAXOS_A_STATS_DROP_REPLAY,
	PAXOS_A_STATS_DROP_SOURCE,
	PAXOS_A_STATS_PROPOSALS_COMPLETED,
	PAXOS_A_STATS_SKIPPED_SLOTS,
	PAXOS_A_STATS_CONFLICTS,
	PAXOS_A_STATS_LEARNED_ON_ACCEPT,

	__PAXOS_A_STATS_MAX,
	PAXOS_A_STATS_MAX = (__PAXOS_A_STATS_MAX - 1)
};

enum {
	PAXOS_A_GROUP_ID = 1,
	PAXOS_A_GROUP_NODE_ID,
	PAXOS_A_GROUP_LISTEN,
	PAXOS_A_GROUP_MEMBER,
	PAXOS_A_GROUP_MODE,
	PAXOS_A_GROUP_CLUSTER_STATE,
	PAXOS_A_GROUP_HEARTBEAT_MS,
	PAXOS_A_GROUP_ELECTION_MIN_MS,
	PAXOS_A_GROUP_ELECTION_MAX_MS,
	PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS,
	PAXOS_A_GROUP_MAX_VALUE_SIZE,
	PAXOS_A_GROUP_RETENTION,
	PAXOS_A_GROUP_QUEUE_LEN,
	PAXOS_A_GROUP_ROLE,
	PAXOS_A_GROUP_STATE,
	PAXOS_A_GROUP_REFUSED_BY,
	PAXOS_A_GROUP_LEADER_ID,
	PAXOS_A_GROUP_BALLOT,
	PAXOS_A_GROUP_FIRST_SLOT,
	PAXOS_A_GROUP_LAST_CHOSEN_SLOT,
	PAXOS_A_GROUP_COMMIT_SLOT,
	PAXOS_A_GROUP_QUEUED,
	PAXOS_A_GROUP_PEER,
	PAXOS_A_GROUP_STATS,
	PAXOS_A_GROUP_KEY,
	PAXOS_A_GROUP_INSECURE,
	PAXOS_A_GROUP_KEY_GRACE_MS,
	PAXOS_A_GROUP_MANUAL_PROMOTE,
	PAXOS_A_GROUP_INCARNATION,
	PAXOS_A_GROUP_CONFIG,
	PAXOS_A_GROUP_NEXT_CONFIG,
	PAXOS_A_GROUP_VOTERS,
	PAXOS_A_GROUP_QUORUM,
	PAXOS_A_GROUP_LIVE_VOTERS,

	__PAXOS_A_GROUP_MAX,
	PAXOS_A_GROUP_MAX = (__PAXOS_A_GROUP_MAX - 1)
};

enum {
	PAXOS_A_LOG_GROUP_ID = 1,
	PAXOS_A_LOG_SLOT,
	PAXOS_A_LOG_VALUE,
	PAXOS_A_LOG_FLAGS,
	PAXOS_A_LOG_ORIGIN_NODE_ID,
	PAXOS_A_LOG_SLOT_START,
	PAXOS_A_LOG_SLOT_END,
	PAXOS_A_LOG_REQUEST_ID,
	PAXOS_A_LOG_PENDING,
	PAXOS_A_LOG_ERROR,
	PAXOS_A_LOG_SKIPPED,

	__PAXOS_A_LOG_MAX,
	PAXOS_A_LOG_MAX = (__PAXOS_A_LOG_MAX - 1)
};

enum {
	PAXOS_A_CONFIG_SLOT = 1,
	PAXOS_A_CONFIG_EFFECTIVE,
	PAXOS_A_CONFIG_MEMBER,

	__PAXOS_A_CONFIG_MAX,
	PAXOS_A_CONFIG_MAX = (__PAXOS_A_CONFIG_MAX - 1)
};

enum {
	PAXOS_A_CHANGE_GROUP_ID = 1,
	PAXOS_A_CHANGE_NODE_ID,
	PAXOS_A_CHANGE_ROLE,
	PAXOS_A_CHANGE_ADDR,
	PAXOS_A_CHANGE_INCARNATION,
	PAXOS_A_CHANGE_SLOT,
	PAXOS_A_CHANGE_REQUEST_ID,
	PAXOS_A_CHANGE_PENDING,

	__PAXOS_A_CHANGE_MAX,
	PAXOS_A_CHANGE_MAX = (__PAXOS_A_CHANGE_MAX - 1)
};

enum {
	PAXOS_CMD_GROUP_NEW = 1,
	PAXOS_CMD_GROUP_DEL,
	PAXOS_CMD_GROUP_GET,
	PAXOS_CMD_PROPOSE,
	PAXOS_CMD_LOG_GET,
	PAXOS_CMD_LEARNED_NTF,
	PAXOS_CMD_LEADER_CHANGE_NTF,
	PAXOS_CMD_PEER_STATE_NTF,
	PAXOS_CMD_GROUP_SET_KEY,
	PAXOS_CMD_SKIPPED_NTF,
	PAXOS_CMD_PROPOSE_NTF,
	PAXOS_CMD_MEMBER_ADD,
	PAXOS_CMD_MEMBER_DEL,
	PAXOS_CMD_MEMBER_PROMOTE,
	PAXOS_CMD_MEMBER_DEMOTE,
	PAXOS_CMD_MEMBER_SET_ADDRESS,
	PAXOS_CMD_FORCE_NEW_CLUSTER,
	PAXOS_CMD_CONFIG_NTF,

	__PAXOS_CMD_MAX,
	PAXOS_CMD_MAX = (__PAXOS_CMD_MAX - 1)
};

#define PAXOS_MCGRP_EVENTS	"events"

#endif /* _UAPI_LINUX_PAXOS_H */
