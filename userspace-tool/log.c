// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl log: the learned entries of a group, in slot order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <linux/genetlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static void log_usage(FILE *f)
{
	fputs("Usage: paxosctl log [ group ID ] [ from SLOT ] [ to SLOT ] [ slot SLOT ] [ raw ]\n"
	      "       paxosctl log help\n"
	      "Prints learned slots from SLOT (default: the first retained) to SLOT\n"
	      "(default: the commit point): slot, origin node and the value with\n"
	      "C-style escapes.  \"raw\" writes only the values' bytes, back to back.\n",
	      f);
}

struct log_ctx {
	bool raw;
	bool header;
};

static int log_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];
	struct log_ctx *ctx = data;
	const struct nlattr *v;
	char origin[16] = "-";

	if (parse_genl(nlh, tb, PAXOS_A_LOG_MAX) || !tb[PAXOS_A_LOG_SLOT])
		return 0;
	v = tb[PAXOS_A_LOG_VALUE];
	if (ctx->raw) {
		if (v && fwrite(mnl_attr_get_payload(v), 1,
				mnl_attr_get_payload_len(v), stdout) !=
		    mnl_attr_get_payload_len(v))
			return -1;
		return 0;
	}
	if (!ctx->header && !opt.json)
		printf("%-10s %-7s %s\n", "slot", "origin", "value");
	ctx->header = true;
	open_object(NULL);
	print_u64("slot", "%-10llu ", attr_get_uint(tb[PAXOS_A_LOG_SLOT]));
	if (tb[PAXOS_A_LOG_ORIGIN_NODE_ID]) {
		snprintf(origin, sizeof(origin), "%u",
			 mnl_attr_get_u32(tb[PAXOS_A_LOG_ORIGIN_NODE_ID]));
		print_u64("origin-node-id", NULL,
			  mnl_attr_get_u32(tb[PAXOS_A_LOG_ORIGIN_NODE_ID]));
	}
	print_text("%-7s ", origin);
	if (v)
		print_value("value", "\"%s\"", mnl_attr_get_payload(v),
			    mnl_attr_get_payload_len(v));
	else if (tb[PAXOS_A_LOG_FLAGS] &&
		 (mnl_attr_get_u32(tb[PAXOS_A_LOG_FLAGS]) & PAXOS_ENTRY_FLAGS_NOOP))
		print_bool("noop", "(no-op)", true);
	close_object();
	print_nl();
	return 0;
}

int do_log(int argc, char **argv)
{
	struct log_ctx ctx = { 0 };
	__u64 from = 0, to = 0, slot;
	struct nl_req *req;
	__u32 group = 0;
	int err;

	while (argc > 0) {
		if (matches(*argv, "help")) {
			log_usage(stdout);
			return 0;
		}
		if (matches(*argv, "raw")) {
			ctx.raw = true;
			argc--;
			argv++;
			continue;
		}
		if (!matches(*argv, "group") && !matches(*argv, "from") &&
		    !matches(*argv, "to") && !matches(*argv, "slot")) {
			log_usage(stderr);
			return usage_error("log: unknown word \"%s\"", *argv);
		}
		err = need_arg(argc, argv);
		if (err)
			return err;
		if (matches(*argv, "group")) {
			err = parse_u32_range("group", argv[1], 1, UINT32_MAX,
					      &group);
		} else if (matches(*argv, "from")) {
			err = parse_u64_range("from", argv[1], 1, UINT64_MAX,
					      &from);
		} else if (matches(*argv, "to")) {
			err = parse_u64_range("to", argv[1], 1, UINT64_MAX, &to);
		} else {
			err = parse_u64_range("slot", argv[1], 1, UINT64_MAX,
					      &slot);
			from = slot;
			to = slot;
		}
		if (err)
			return err;
		argc -= 2;
		argv += 2;
	}
	if (from && to && from > to)
		return usage_error("log: from %llu is after to %llu",
				   (unsigned long long)from,
				   (unsigned long long)to);
	if (ctx.raw && opt.json)
		return usage_error("log: \"raw\" and -j do not mix");
	if (!group) {
		err = resolve_group(&group);
		if (err)
			return err;
	}
	req = nl_req_new(PAXOS_CMD_LOG_GET, NLM_F_DUMP);
	if (!req)
		return -EXIT_REQUEST;
	mnl_attr_put_u32(req->nlh, PAXOS_A_LOG_GROUP_ID, group);
	if (from)
		put_uint(req->nlh, PAXOS_A_LOG_SLOT_START, from);
	if (to)
		put_uint(req->nlh, PAXOS_A_LOG_SLOT_END, to);
	if (!opt.dry_run)
		print_open();
	err = nl_run(req, log_cb, &ctx);
	if (!opt.dry_run)
		print_close(!err);
	nl_req_free(req);
	if (fflush(stdout))
		err = -EXIT_REQUEST;
	return err;
}
