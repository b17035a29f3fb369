// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl propose: submit one value and print the slot it was learned in.
 *
 * The kernel answers with the slot when the value is learned within about a
 * second; otherwise with "pending" and a request id, and the outcome follows
 * later as a propose-ntf sent to this socket only.  Either way the command
 * prints the same: the slot, or the error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static void propose_usage(FILE *f)
{
	fputs("Usage: paxosctl propose [ group ID ] [ value STRING | file FILE ] [ timeout MS ]\n"
	      "       paxosctl propose help\n"
	      "Without \"value\" or \"file\" the value is read from standard input\n"
	      "(\"file -\" too); it is sent as is, 1..61440 bytes (the group's\n"
	      "max-value-size may be lower).  Without \"group\", the only group of\n"
	      "this network namespace.  Prints the slot the value was learned in.\n"
	      "Waits for the outcome up to MS (default: the group's proposal timeout\n"
	      "and 5 s more); a value given up on may still be chosen later.\n",
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

/* propose-ntf that came before the reply that names their request id. */
#define EARLY_NTF_MAX 8

struct propose_ntf {
	__u32 request_id;
	__u32 error;
	__u64 slot;
};

struct propose_state {
	__u32 group;
	const char *what;	/* the command, for messages */
	int max;		/* the reply's attribute set: its max */
	int slot_attr, reqid_attr, pending_attr;
	bool have_slot;		/* the reply or a propose-ntf gave the slot */
	__u64 slot;
	bool pending;		/* the reply said "pending" */
	__u32 request_id;
	bool done;		/* the outcome is known */
	__u32 error;		/* positive errno from propose-ntf */
	int n_early;
	struct propose_ntf early[EARLY_NTF_MAX];
};

static void propose_outcome(struct propose_state *st,
			    const struct propose_ntf *ntf)
{
	st->done = true;
	st->error = ntf->error;
	if (!ntf->error) {
		st->slot = ntf->slot;
		st->have_slot = true;
	}
}

/* A propose-ntf: ours when it names this group and our request id.  One
 * for a request id still unknown (it may come before the reply) is kept.
 */
static int propose_ntf_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];
	struct propose_state *st = data;
	struct propose_ntf ntf;

	if (parse_genl(nlh, tb, PAXOS_A_LOG_MAX) || !tb[PAXOS_A_LOG_GROUP_ID] ||
	    !tb[PAXOS_A_LOG_REQUEST_ID] ||
	    mnl_attr_get_u32(tb[PAXOS_A_LOG_GROUP_ID]) != st->group || st->done)
		return 0;
	ntf.request_id = mnl_attr_get_u32(tb[PAXOS_A_LOG_REQUEST_ID]);
	ntf.error = tb[PAXOS_A_LOG_ERROR] ?
		    mnl_attr_get_u32(tb[PAXOS_A_LOG_ERROR]) : 0;
	ntf.slot = attr_get_uint(tb[PAXOS_A_LOG_SLOT]);
	if (!ntf.error && !tb[PAXOS_A_LOG_SLOT])
		ntf.error = EPROTO;
	if (st->pending) {
		if (ntf.request_id == st->request_id)
			propose_outcome(st, &ntf);
	} else if (st->n_early < EARLY_NTF_MAX) {
		st->early[st->n_early++] = ntf;
	}
	return 0;
}

static int propose_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];
	const struct nlattr *ctb[PAXOS_A_CHANGE_MAX + 1];
	struct propose_state *st = data;
	const struct nlattr **t = st->max == PAXOS_A_CHANGE_MAX ? ctb : tb;
	int i;

	if (genl->cmd == PAXOS_CMD_PROPOSE_NTF)
		return propose_ntf_cb(nlh, data);
	/* A propose reply is of the log set, a member-* reply of change. */
	if (parse_genl(nlh, t, st->max))
		return 0;
	if (t[st->slot_attr]) {
		st->slot = attr_get_uint(t[st->slot_attr]);
		st->have_slot = true;
		st->done = true;
	} else if (t[st->pending_attr] && t[st->reqid_attr]) {
		st->pending = true;
		st->request_id = mnl_attr_get_u32(t[st->reqid_attr]);
		for (i = 0; i < st->n_early && !st->done; i++) {
			if (st->early[i].request_id == st->request_id)
				propose_outcome(st, &st->early[i]);
		}
	}
	return 0;
}

static int timeout_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];
	__u32 *ms = data;

	if (!parse_genl(nlh, tb, PAXOS_A_GROUP_MAX) &&
	    tb[PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS])
		*ms = mnl_attr_get_u32(tb[PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS]);
	return 0;
}

/* The group's proposal timeout, or the longest there is. */
static __u32 group_proposal_timeout(__u32 group)
{
	__u32 ms = PAXOS_PROPOSAL_TIMEOUT_MS_MAX;
	struct nl_req *req;

	req = nl_req_new(PAXOS_CMD_GROUP_GET, NLM_F_ACK);
	if (!req)
		return ms;
	req->quiet = true;
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, group);
	nl_run(req, timeout_cb, &ms);
	nl_req_free(req);
	return ms;
}

/* After a "pending" reply: the propose-ntf, within @timeout_ms of @start
 * (0: the group's proposal timeout and a margin from now).
 */
static int propose_wait(struct propose_state *st, long long start,
			__u32 timeout_ms)
{
	long long left;
	int err;

	if (timeout_ms) {
		left = start + timeout_ms - now_ms();
	} else {
		/* The kernel's own timeout ends the proposal before. */
		left = group_proposal_timeout(st->group) + 5000LL;
	}
	if (left > INT32_MAX)
		left = INT32_MAX;
	err = st->done ? 0 : left <= 0 ? -ETIMEDOUT :
	      nl_wait_events(&st->done, left);
	if (err == -ETIMEDOUT) {
		fprintf(stderr,
			"%s: %s: no outcome within %llu ms (request %u of group %u is still pending; it may still be chosen later)\n",
			PROG, st->what, (unsigned long long)(now_ms() - start),
			st->request_id, st->group);
		return -EXIT_REQUEST;
	}
	if (err)
		return -EXIT_REQUEST;
	if (st->error) {
		fprintf(stderr, PROG ": %s: %s%s\n", st->what,
			strerror(st->error),
			st->error == ETIMEDOUT || st->error == EINTR ?
			" (it may still be chosen later)" : "");
		return -EXIT_REQUEST;
	}
	return 0;
}

int do_propose(int argc, char **argv)
{
	struct propose_state st = { 0 };
	const char *value = NULL, *file = NULL;
	__u32 group = 0, timeout_ms = 0;
	long long start;
	char *buf = NULL;
	struct nl_req *req;
	size_t len = 0;
	int err;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (matches(*argv, "help")) {
			propose_usage(stdout);
			return 0;
		}
		if (!matches(*argv, "group") && !matches(*argv, "value") &&
		    !matches(*argv, "file") && !matches(*argv, "timeout")) {
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
		} else if (matches(*argv, "timeout")) {
			err = parse_u32_range("timeout", argv[1], 1,
					      PAXOS_PROPOSAL_TIMEOUT_MS_MAX,
					      &timeout_ms);
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
	st.group = group;
	st.what = "propose";
	st.max = PAXOS_A_LOG_MAX;
	st.slot_attr = PAXOS_A_LOG_SLOT;
	st.reqid_attr = PAXOS_A_LOG_REQUEST_ID;
	st.pending_attr = PAXOS_A_LOG_PENDING;
	req = nl_req_new(PAXOS_CMD_PROPOSE, NLM_F_ACK);
	if (!req) {
		err = -EXIT_REQUEST;
		goto out;
	}
	mnl_attr_put_u32(req->nlh, PAXOS_A_LOG_GROUP_ID, group);
	mnl_attr_put(req->nlh, PAXOS_A_LOG_VALUE, len, value);
	start = now_ms();
	/* From now on, a propose-ntf may come in the middle of any reply. */
	nl_set_event_cb(propose_ntf_cb, &st);
	err = nl_run(req, propose_cb, &st);
	nl_req_free(req);
	if (err || opt.dry_run)
		goto out;
	if (st.pending) {
		err = propose_wait(&st, start, timeout_ms);
		if (err)
			goto out;
	}
	if (!st.have_slot) {
		fprintf(stderr, PROG ": propose: the reply carries no slot\n");
		err = -EXIT_REQUEST;
		goto out;
	}
	if (opt.json) {
		json_open_object(NULL);
		json_key_u64("group", group);
		json_key_u64("slot", st.slot);
		json_close_object();
		json_flush_line();
	} else {
		printf("%llu\n", (unsigned long long)st.slot);
	}
out:
	nl_set_event_cb(NULL, NULL);
	free(buf);
	return err;
}

/**
 * run_change() - send a member-* request and wait for its outcome
 * @req: the request, with its group id
 * @group: the group
 * @what: the command, for messages
 * @slot: set to the slot the change was chosen in
 *
 * Like propose: the reply carries the slot, or pending and a request id
 * and the outcome follows as a propose-ntf.
 */
int run_change(struct nl_req *req, __u32 group, const char *what, __u64 *slot)
{
	struct propose_state st = { 0 };
	long long start = now_ms();
	int err;

	st.group = group;
	st.what = what;
	st.max = PAXOS_A_CHANGE_MAX;
	st.slot_attr = PAXOS_A_CHANGE_SLOT;
	st.reqid_attr = PAXOS_A_CHANGE_REQUEST_ID;
	st.pending_attr = PAXOS_A_CHANGE_PENDING;
	nl_set_event_cb(propose_ntf_cb, &st);
	err = nl_run(req, propose_cb, &st);
	if (!err && !opt.dry_run && st.pending)
		err = propose_wait(&st, start, 0);
	if (!err && !opt.dry_run && !st.have_slot) {
		fprintf(stderr, PROG ": %s: the reply carries no slot\n", what);
		err = -EXIT_REQUEST;
	}
	nl_set_event_cb(NULL, NULL);
	*slot = st.slot;
	return err;
}
