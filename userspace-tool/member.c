// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl group member: membership changes, chosen in the group's log
 * (member-add, member-del, member-promote, member-demote,
 * member-set-address), the operator's recovery after a quorum loss
 * (force-new-cluster), and the configuration as group show and monitor
 * print it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static void member_usage(FILE *f)
{
	fputs("Usage: paxosctl group member add [ id ID ] node N\n"
	      "                                   [ role { voter | learner } ] addr ADDR\n"
	      "       paxosctl group member del [ id ID ] node N\n"
	      "       paxosctl group member promote [ id ID ] node N [ incarnation INC ]\n"
	      "       paxosctl group member demote [ id ID ] node N\n"
	      "       paxosctl group member set-address [ id ID ] node N addr ADDR\n"
	      "       paxosctl group force-new-cluster [ id ] ID yes-lose-data\n"
	      "ADDR := { IPV4:PORT | [IPV6]:PORT }\n"
	      "A change may be submitted on any member; it is chosen in the log like\n"
	      "a value, one at a time, and the slot it was chosen in is printed.\n"
	      "Without \"id\", the only group of this network namespace.  promote\n"
	      "without an incarnation lets the node's newest incarnation vote once it\n"
	      "caught up.  force-new-cluster makes this node the only voter after a\n"
	      "quorum loss: values acknowledged by a quorum that this node had not\n"
	      "learned are lost; run it on the most advanced surviving node only.\n",
	      f);
}

struct member_cmd {
	const char *name;
	__u8 cmd;
	bool addr;	/* takes "addr ADDR" (and must) */
	bool role;	/* takes "role ROLE" */
	bool inc;	/* takes "incarnation INC" */
};

static const struct member_cmd member_cmds[] = {
	{ "add", PAXOS_CMD_MEMBER_ADD, true, true, false },
	{ "del", PAXOS_CMD_MEMBER_DEL, false, false, false },
	{ "delete", PAXOS_CMD_MEMBER_DEL, false, false, false },
	{ "promote", PAXOS_CMD_MEMBER_PROMOTE, false, false, true },
	{ "demote", PAXOS_CMD_MEMBER_DEMOTE, false, false, false },
	{ "set-address", PAXOS_CMD_MEMBER_SET_ADDRESS, true, false, false },
};

int group_member(int argc, char **argv)
{
	const struct member_cmd *mc = NULL;
	__u32 id = 0, node = 0, role = 0;
	bool have_addr = false, have_inc = false;
	struct endpoint addr;
	struct nl_req *req;
	const char *why;
	__u64 inc = 0, slot;
	size_t i;
	int err;

	if (argc < 1 || matches(*argv, "help")) {
		member_usage(argc < 1 ? stderr : stdout);
		return argc < 1 ? usage_error("group member: missing command") : 0;
	}
	for (i = 0; i < ARRAY_SIZE(member_cmds); i++) {
		if (matches(*argv, member_cmds[i].name))
			mc = &member_cmds[i];
	}
	if (!mc) {
		member_usage(stderr);
		return usage_error("group member: unknown command \"%s\"", *argv);
	}
	for (argc--, argv++; argc > 0; argc -= 2, argv += 2) {
		if (matches(*argv, "help")) {
			member_usage(stdout);
			return 0;
		}
		if (!matches(*argv, "id") && !matches(*argv, "node") &&
		    !(mc->role && matches(*argv, "role")) &&
		    !(mc->addr && matches(*argv, "addr")) &&
		    !(mc->inc && matches(*argv, "incarnation")))
			return usage_error("group member %s: unknown word \"%s\"%s",
					   mc->name, *argv,
					   " (see \"group member help\")");
		err = need_arg(argc, argv);
		if (err)
			return err;
		if (matches(*argv, "id"))
			err = parse_u32_range("id", argv[1], 1, UINT32_MAX, &id);
		else if (matches(*argv, "node"))
			err = parse_u32_range("node", argv[1], 1, UINT32_MAX,
					      &node);
		else if (matches(*argv, "role"))
			err = parse_role(argv[1], &role);
		else if (matches(*argv, "incarnation"))
			err = parse_u64_range("incarnation", argv[1], 0,
					      UINT64_MAX - 1, &inc);
		else if (parse_endpoint(argv[1], &addr, &why))
			err = usage_error("addr \"%s\": %s", argv[1], why);
		else
			have_addr = true;
		if (matches(*argv, "incarnation") && !err)
			have_inc = true;
		if (err)
			return err;
	}
	if (!node)
		return usage_error("group member %s: missing \"node N\"",
				   mc->name);
	if (mc->addr && !have_addr)
		return usage_error("group member %s: missing \"addr ADDR\"",
				   mc->name);
	if (!id) {
		err = resolve_group(&id);
		if (err)
			return err;
	}
	req = nl_req_new(mc->cmd, NLM_F_ACK);
	if (!req)
		return -EXIT_REQUEST;
	mnl_attr_put_u32(req->nlh, PAXOS_A_CHANGE_GROUP_ID, id);
	mnl_attr_put_u32(req->nlh, PAXOS_A_CHANGE_NODE_ID, node);
	if (role)
		mnl_attr_put_u32(req->nlh, PAXOS_A_CHANGE_ROLE, role);
	if (have_addr)
		put_endpoint(req->nlh, PAXOS_A_CHANGE_ADDR, &addr);
	if (have_inc)
		put_uint(req->nlh, PAXOS_A_CHANGE_INCARNATION, inc);
	err = run_change(req, id, req->op, &slot);
	nl_req_free(req);
	if (err || opt.dry_run)
		return err;
	if (opt.json) {
		json_open_object(NULL);
		json_key_u64("group", id);
		json_key_u64("slot", slot);
		json_close_object();
		json_flush_line();
	} else {
		printf("%llu\n", (unsigned long long)slot);
	}
	return 0;
}

int group_force_new_cluster(int argc, char **argv)
{
	bool yes = false;
	struct nl_req *req;
	__u32 id = 0;
	int err;

	for (; argc > 0; argc--, argv++) {
		if (matches(*argv, "help")) {
			member_usage(stdout);
			return 0;
		}
		if (matches(*argv, "yes-lose-data") ||
		    matches(*argv, "--yes-lose-data")) {
			yes = true;
			continue;
		}
		if (matches(*argv, "id")) {
			err = need_arg(argc, argv);
			if (err)
				return err;
			argc--;
			argv++;
		}
		if (id)
			return usage_error("group force-new-cluster: unknown word \"%s\"",
					   *argv);
		err = parse_u32_range("id", *argv, 1, UINT32_MAX, &id);
		if (err)
			return err;
	}
	if (!id)
		return usage_error("group force-new-cluster: missing the group id");
	if (!yes)
		return usage_error("group force-new-cluster: %s",
				   "this may lose acknowledged values; say \"yes-lose-data\" to go on");
	req = nl_req_new(PAXOS_CMD_FORCE_NEW_CLUSTER, NLM_F_ACK);
	if (!req)
		return -EXIT_REQUEST;
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, id);
	err = nl_run(req, NULL, NULL);
	nl_req_free(req);
	return err;
}

/* --- printing a configuration --- */

static __u32 get_u32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static void print_config_member(const struct nlattr *nest)
{
	const struct nlattr *tb[PAXOS_A_MEMBER_MAX + 1];
	char buf[64] = "-", inc[32] = "-";
	struct endpoint ep;

	if (parse_nested(nest, tb, PAXOS_A_MEMBER_MAX))
		return;
	if (tb[PAXOS_A_MEMBER_ADDR] &&
	    !attr_get_endpoint(tb[PAXOS_A_MEMBER_ADDR], &ep))
		format_endpoint(&ep, buf, sizeof(buf));
	open_object(NULL);
	print_u64("node-id", "    %-8llu", get_u32(tb[PAXOS_A_MEMBER_NODE_ID]));
	print_string("role", "%-9s", role_name(get_u32(tb[PAXOS_A_MEMBER_ROLE])));
	/* A voter without one does not vote yet (its incarnation is not pinned). */
	if (tb[PAXOS_A_MEMBER_INCARNATION]) {
		if (opt.json)
			print_u64("incarnation", NULL,
				  attr_get_uint(tb[PAXOS_A_MEMBER_INCARNATION]));
		snprintf(inc, sizeof(inc), "%llu", (unsigned long long)
			 attr_get_uint(tb[PAXOS_A_MEMBER_INCARNATION]));
	} else if (get_u32(tb[PAXOS_A_MEMBER_ROLE]) == PAXOS_ROLE_VOTER) {
		snprintf(inc, sizeof(inc), "(not yet)");
	}
	print_bool("voting", NULL, tb[PAXOS_A_MEMBER_INCARNATION]);
	print_text("%-21s", inc);
	if (opt.json && tb[PAXOS_A_MEMBER_ADDR] &&
	    !attr_get_endpoint(tb[PAXOS_A_MEMBER_ADDR], &ep)) {
		char host[64];

		inet_ntop(ep.family, &ep.addr, host, sizeof(host));
		open_object("addr");
		print_string("address", NULL, host);
		print_u64("port", NULL, ep.port);
		close_object();
	}
	print_text("%s", buf);
	close_object();
	print_nl();
}

static void print_config(const char *key, const char *title,
			 const struct nlattr *nest)
{
	const struct nlattr *tb[PAXOS_A_CONFIG_MAX + 1], *a;

	if (!nest || parse_nested(nest, tb, PAXOS_A_CONFIG_MAX))
		return;
	open_object(key);
	print_text("  %-17s", title);
	print_u64("slot", "slot %llu", attr_get_uint(tb[PAXOS_A_CONFIG_SLOT]));
	print_u64("effective", ", in effect from slot %llu\n",
		  attr_get_uint(tb[PAXOS_A_CONFIG_EFFECTIVE]));
	print_text("    %-8s%-9s%-21s%s\n", "member", "role", "incarnation",
		   "address");
	open_array("member");
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == PAXOS_A_CONFIG_MEMBER)
			print_config_member(a);
	}
	close_array();
	close_object();
}

/**
 * print_membership() - the configuration of a group-get reply or config-ntf
 * @tb: the message's group attributes
 */
void print_membership(const struct nlattr *const *tb)
{
	if (!tb[PAXOS_A_GROUP_CONFIG])
		return;
	print_u64("voters", "  voters:          %llu",
		  get_u32(tb[PAXOS_A_GROUP_VOTERS]));
	print_u64("quorum", ", quorum %llu",
		  get_u32(tb[PAXOS_A_GROUP_QUORUM]));
	print_u64("live-voters", ", live %llu",
		  get_u32(tb[PAXOS_A_GROUP_LIVE_VOTERS]));
	print_text("%s\n", get_u32(tb[PAXOS_A_GROUP_STATE]) ==
			   PAXOS_STATE_QUORUM_LOST ?
			   " (QUORUM LOST: see force-new-cluster)" : "");
	print_config("config", "configuration:", tb[PAXOS_A_GROUP_CONFIG]);
	print_bool("change-pending", NULL, tb[PAXOS_A_GROUP_NEXT_CONFIG]);
	print_config("next-config", "pending change:",
		     tb[PAXOS_A_GROUP_NEXT_CONFIG]);
}
