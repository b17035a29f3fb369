// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl propose: submit one value and print the slot it was learned in.
 * The kernel answers only once the value is chosen and learned here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static void propose_usage(FILE *f)
{
	fputs("Usage: paxosctl propose [ group ID ] [ value STRING | file FILE ]\n"
	      "       paxosctl propose help\n"
	      "Without \"value\" or \"file\" the value is read from standard input\n"
	      "(\"file -\" too); it is sent as is, 1..61440 bytes (the group's\n"
	      "max-value-size may be lower).  Without \"group\", the only group of\n"
	      "this network namespace.  Prints the slot the value was learned in.\n",
	      f);
}

/* Reads at most PAXOS_MAX_VALUE_SIZE + 1 bytes: enough to say "too big". */
static int read_value(FILE *f, const char *name, char **buf, size_t *len)
{
	size_t cap = PAXOS_MAX_VALUE_SIZE + 1, n;

	*buf = malloc(cap);
	if (!*buf)
		return -EXIT_REQUEST;
	n = fread(*buf, 1, cap, f);
	if (ferror(f))
		return usage_error("%s: %s", name, strerror(errno));
	*len = n;
	return 0;
}

struct propose_reply {
	__u32 group;
	__u64 slot;
	bool have_slot;
};

static int propose_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];
	struct propose_reply *r = data;

	if (parse_genl(nlh, tb, PAXOS_A_LOG_MAX) || !tb[PAXOS_A_LOG_SLOT])
		return 0;
	r->slot = attr_get_uint(tb[PAXOS_A_LOG_SLOT]);
	r->have_slot = true;
	return 0;
}

int do_propose(int argc, char **argv)
{
	struct propose_reply r = { 0 };
	const char *value = NULL, *file = NULL;
	char *buf = NULL;
	struct nl_req *req;
	__u32 group = 0;
	size_t len = 0;
	int err;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (matches(*argv, "help")) {
			propose_usage(stdout);
			return 0;
		}
		if (!matches(*argv, "group") && !matches(*argv, "value") &&
		    !matches(*argv, "file")) {
			propose_usage(stderr);
			return usage_error("propose: unknown word \"%s\"", *argv);
		}
		err = need_arg(argc, argv);
		if (err)
			return err;
		if (matches(*argv, "group")) {
			err = parse_u32_range("group", argv[1], 1, UINT32_MAX,
					      &group);
			if (err)
				return err;
		} else {
			if (value || file)
				return usage_error("propose: give one \"value\" or \"file\"");
			if (matches(*argv, "value"))
				value = argv[1];
			else
				file = argv[1];
		}
	}
	if (value) {
		len = strlen(value);
	} else {
		FILE *f = stdin;

		if (file && strcmp(file, "-")) {
			f = fopen(file, "rb");
			if (!f)
				return usage_error("%s: %s", file, strerror(errno));
		}
		err = read_value(f, file ?: "<stdin>", &buf, &len);
		if (f != stdin)
			fclose(f);
		if (err)
			goto out;
		value = buf;
	}
	if (!len) {
		err = usage_error("propose: the value is empty");
		goto out;
	}
	if (len > PAXOS_MAX_VALUE_SIZE) {
		err = usage_error("propose: the value is longer than %d bytes",
				  PAXOS_MAX_VALUE_SIZE);
		goto out;
	}
	if (!group) {
		err = resolve_group(&group);
		if (err)
			goto out;
	}
	req = nl_req_new(PAXOS_CMD_PROPOSE, "propose", NLM_F_ACK);
	if (!req) {
		err = -EXIT_REQUEST;
		goto out;
	}
	mnl_attr_put_u32(req->nlh, PAXOS_A_LOG_GROUP_ID, group);
	mnl_attr_put(req->nlh, PAXOS_A_LOG_VALUE, len, value);
	err = nl_run(req, propose_cb, &r);
	nl_req_free(req);
	if (err || opt.dry_run)
		goto out;
	if (!r.have_slot) {
		fprintf(stderr, PROG ": propose: the reply carries no slot\n");
		err = -EXIT_REQUEST;
		goto out;
	}
	if (opt.json) {
		json_open_object(NULL);
		json_key_u64("group", group);
		json_key_u64("slot", r.slot);
		json_close_object();
		json_flush_line();
	} else {
		printf("%llu\n", (unsigned long long)r.slot);
	}
out:
	free(buf);
	return err;
}
