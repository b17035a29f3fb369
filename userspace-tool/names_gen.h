/* SPDX-License-Identifier: GPL-2.0 */
/* Do not edit directly, auto-generated from: */
/*	netlink/specs/paxos.yaml */
/* by netlink/gen-names.py: the names of the family's attributes, */
/* enum entries and operations, for paxosctl. */

#ifndef PAXOS_NAMES_GEN_H
#define PAXOS_NAMES_GEN_H

#include <stdbool.h>
#include <linux/paxos.h>

enum paxos_attr_type {
	PAXOS_AT_U8,
	PAXOS_AT_U16,
	PAXOS_AT_U32,
	PAXOS_AT_UINT,
	PAXOS_AT_BINARY,
	PAXOS_AT_FLAG,
	PAXOS_AT_NEST,
	PAXOS_AT_STRING,
};

/* An enum's names, indexed by value (flags: by bit number). */
struct paxos_enum_names {
	const char *name;
	const char *const *names;
	unsigned int len;
	bool flags;
};

struct paxos_attr_set;

struct paxos_attr_desc {
	const char *name;
	enum paxos_attr_type type;
	const struct paxos_attr_set *nest;	/* nested-attributes */
	bool multi;				/* multi-attr */
	const struct paxos_enum_names *enums;	/* enum */
	const char *display_hint;		/* display-hint */
};

/* attrs[type] for 1 <= type <= max; a gap has no name. */
struct paxos_attr_set {
	const char *name;
	int max;
	const struct paxos_attr_desc *attrs;
};

extern const char *const paxos_role_names[PAXOS_ROLE_LEARNER + 1];
extern const struct paxos_enum_names paxos_role_enum;
extern const char *const paxos_mode_names[PAXOS_MODE_BASIC + 1];
extern const struct paxos_enum_names paxos_mode_enum;
extern const char *const paxos_cluster_state_names[PAXOS_CLUSTER_STATE_EXISTING + 1];
extern const struct paxos_enum_names paxos_cluster_state_enum;
extern const char *const paxos_state_names[PAXOS_STATE_REMOVED + 1];
extern const struct paxos_enum_names paxos_state_enum;
extern const char *const paxos_entry_flags_names[1];
extern const struct paxos_enum_names paxos_entry_flags_enum;

extern const struct paxos_attr_desc paxos_addr_attrs[PAXOS_A_ADDR_MAX + 1];
extern const struct paxos_attr_set paxos_addr_attr_set;
extern const struct paxos_attr_desc paxos_ballot_attrs[PAXOS_A_BALLOT_MAX + 1];
extern const struct paxos_attr_set paxos_ballot_attr_set;
extern const struct paxos_attr_desc paxos_member_attrs[PAXOS_A_MEMBER_MAX + 1];
extern const struct paxos_attr_set paxos_member_attr_set;
extern const struct paxos_attr_desc paxos_peer_attrs[PAXOS_A_PEER_MAX + 1];
extern const struct paxos_attr_set paxos_peer_attr_set;
extern const struct paxos_attr_desc paxos_stats_attrs[PAXOS_A_STATS_MAX + 1];
extern const struct paxos_attr_set paxos_stats_attr_set;
extern const struct paxos_attr_desc paxos_group_attrs[PAXOS_A_GROUP_MAX + 1];
extern const struct paxos_attr_set paxos_group_attr_set;
extern const struct paxos_attr_desc paxos_log_attrs[PAXOS_A_LOG_MAX + 1];
extern const struct paxos_attr_set paxos_log_attr_set;
extern const struct paxos_attr_desc paxos_config_attrs[PAXOS_A_CONFIG_MAX + 1];
extern const struct paxos_attr_set paxos_config_attr_set;
extern const struct paxos_attr_desc paxos_change_attrs[PAXOS_A_CHANGE_MAX + 1];
extern const struct paxos_attr_set paxos_change_attr_set;

/* Operation (and event) names and attribute sets, by PAXOS_CMD_*. */
extern const char *const paxos_op_names[PAXOS_CMD_MAX + 1];
extern const struct paxos_attr_set *const paxos_op_attr_sets[PAXOS_CMD_MAX + 1];

#endif /* PAXOS_NAMES_GEN_H */
