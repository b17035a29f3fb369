// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl monitor: print the events of the "events" multicast group as they
 * happen (values learned, slots skipped, leader changes, peers coming and
 * going) until interrupted.  With -j, one JSON object per event and line;
 * with -t, each event with the time it arrived (as "ip -ts monitor" does, but
 * ISO 8601 with the UTC offset; JSON: "time").
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

/* Only interrupts the blocking receive, which then ends the monitor. */
static void on_signal(int sig)
{
	(void)sig;
}

static void monitor_usage(FILE *f)
{
	fputs("Usage: paxosctl [ -t ] [ -j ] monitor [ group ID ]\n"
	      "       paxosctl monitor help\n"
	      "Prints values learned, slots skipped (trimmed before this node\n"
	      "learned them), leader changes, peer reachability and configuration\n"
	      "changes of every group (or one) of this network namespace until\n"
	      "interrupted.  With -t (--timestamp) each event starts with the\n"
	      "local time it arrived, [2025-01-31T13:05:59.123456+01:00]; in JSON\n"
	      "it is the event's \"time\".\n",
	      f);
}

static __u32 get_u32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

/**
 * format_timestamp() - the time of an event, as monitor -t prints it
 * @ts: the time (CLOCK_REALTIME)
 * @buf: where to write it: local time, ISO 8601 with microseconds and the
 *	UTC offset, 2025-01-31T13:05:59.123456+01:00
 * @len: size of @buf (32 is enough)
 */
void format_timestamp(const struct timespec *ts, char *buf, size_t len)
{
	char date[32], zone[8] = "+0000";
	struct tm tm;

	if (!localtime_r(&ts->tv_sec, &tm) ||
	    !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm)) {
		snprintf(buf, len, "%lld.%06ld", (long long)ts->tv_sec,
			 ts->tv_nsec / 1000);
		return;
	}
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(buf, len, "%s.%06ld%.3s:%.2s", date, ts->tv_nsec / 1000, zone,
		 zone + 3);
}

/* When the event being printed arrived. */
static struct timespec event_ts;

static void event_begin(const char *name, __u32 group)
{
	char when[40];

	open_object(NULL);
	if (opt.timestamp) {
		format_timestamp(&event_ts, when, sizeof(when));
		print_string("time", "[%s] ", when);
	}
	print_string("event", NULL, name);
	print_u64("group", "group %llu ", group);
}

static void event_end(void)
{
	close_object();
	if (opt.json)
		json_flush_line();
	else
		putchar('\n');
	fflush(stdout);
}

static void learned(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];

	if (parse_genl(nlh, tb, PAXOS_A_LOG_MAX))
		return;
	event_begin("learned", get_u32(tb[PAXOS_A_LOG_GROUP_ID]));
	print_u64("slot", "slot %llu learned", attr_get_uint(tb[PAXOS_A_LOG_SLOT]));
	if (tb[PAXOS_A_LOG_ORIGIN_NODE_ID])
		print_u64("origin-node-id", " from node %llu",
			  get_u32(tb[PAXOS_A_LOG_ORIGIN_NODE_ID]));
	if (tb[PAXOS_A_LOG_VALUE])
		print_value("value", ": \"%s\"",
			    mnl_attr_get_payload(tb[PAXOS_A_LOG_VALUE]),
			    mnl_attr_get_payload_len(tb[PAXOS_A_LOG_VALUE]));
	event_end();
}

/* Slots slot..skipped were trimmed everywhere before this node learned
 * them: a reader of this node never sees them.
 */
static void skipped(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_LOG_MAX + 1];

	if (parse_genl(nlh, tb, PAXOS_A_LOG_MAX))
		return;
	event_begin("skipped", get_u32(tb[PAXOS_A_LOG_GROUP_ID]));
	print_u64("slot", "slots %llu", attr_get_uint(tb[PAXOS_A_LOG_SLOT]));
	print_u64("skipped", "..%llu skipped (trimmed before this node learned them)",
		  attr_get_uint(tb[PAXOS_A_LOG_SKIPPED]));
	event_end();
}

static void leader_change(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];
	const struct nlattr *bt[PAXOS_A_BALLOT_MAX + 1];
	__u32 leader;

	if (parse_genl(nlh, tb, PAXOS_A_GROUP_MAX))
		return;
	leader = get_u32(tb[PAXOS_A_GROUP_LEADER_ID]);
	event_begin("leader-change", get_u32(tb[PAXOS_A_GROUP_ID]));
	if (leader)
		print_u64("leader-id", "leader node %llu", leader);
	else
		print_u64("leader-id", "no leader", 0);
	if (tb[PAXOS_A_GROUP_BALLOT] &&
	    !parse_nested(tb[PAXOS_A_GROUP_BALLOT], bt, PAXOS_A_BALLOT_MAX)) {
		open_object("ballot");
		print_u64("round", ", ballot %llu",
			  attr_get_uint(bt[PAXOS_A_BALLOT_ROUND]));
		print_u64("node-id", ".%llu", get_u32(bt[PAXOS_A_BALLOT_NODE_ID]));
		close_object();
	}
	if (tb[PAXOS_A_GROUP_STATE])
		print_string("state", ", this node %s",
			     state_name(get_u32(tb[PAXOS_A_GROUP_STATE])));
	event_end();
}

static void peer_state(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];
	const struct nlattr *pt[PAXOS_A_PEER_MAX + 1];
	bool up;

	if (parse_genl(nlh, tb, PAXOS_A_GROUP_MAX) || !tb[PAXOS_A_GROUP_PEER] ||
	    parse_nested(tb[PAXOS_A_GROUP_PEER], pt, PAXOS_A_PEER_MAX))
		return;
	up = pt[PAXOS_A_PEER_REACHABLE] &&
	     mnl_attr_get_u8(pt[PAXOS_A_PEER_REACHABLE]);
	event_begin("peer-state", get_u32(tb[PAXOS_A_GROUP_ID]));
	open_object("peer");
	print_u64("node-id", "peer node %llu ", get_u32(pt[PAXOS_A_PEER_NODE_ID]));
	print_bool("reachable", NULL, up);
	print_text("%s", up ? "reachable" : "unreachable");
	close_object();
	event_end();
}

/* The configuration changed, or a change was chosen (config-ntf). */
static void config_change(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];

	if (parse_genl(nlh, tb, PAXOS_A_GROUP_MAX))
		return;
	event_begin("config", get_u32(tb[PAXOS_A_GROUP_ID]));
	print_string("state", "configuration changed, this node %s\n",
		     state_name(get_u32(tb[PAXOS_A_GROUP_STATE])));
	print_membership(tb);
	close_object();
	if (opt.json)
		json_flush_line();
	fflush(stdout);
}

struct monitor_ctx {
	__u32 group;
	bool fixed_time;	/* event_ts is set: a host test */
};

static __u32 event_group(const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];

	if (parse_genl(nlh, tb, PAXOS_A_GROUP_MAX))
		return 0;
	return get_u32(tb[PAXOS_A_GROUP_ID]);
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct monitor_ctx *ctx = data;

	if (!ctx->fixed_time)
		clock_gettime(CLOCK_REALTIME, &event_ts);
	/* PAXOS_A_LOG_GROUP_ID and PAXOS_A_GROUP_ID are both attribute 1. */
	if (ctx->group && event_group(nlh) != ctx->group)
		return 0;
	switch (genl->cmd) {
	case PAXOS_CMD_LEARNED_NTF:
		learned(nlh);
		break;
	case PAXOS_CMD_LEADER_CHANGE_NTF:
		leader_change(nlh);
		break;
	case PAXOS_CMD_PEER_STATE_NTF:
		peer_state(nlh);
		break;
	case PAXOS_CMD_SKIPPED_NTF:
		skipped(nlh);
		break;
	case PAXOS_CMD_CONFIG_NTF:
		config_change(nlh);
		break;
	}
	return 0;
}

/**
 * monitor_event() - print one event, as "monitor" does
 * @nlh: the event
 *
 * Return: 0.  (For the host tests: tests/print_test.c.)
 */
int monitor_event(const struct nlmsghdr *nlh)
{
	struct monitor_ctx ctx = { 0 };

	return monitor_cb(nlh, &ctx);
}

/**
 * monitor_event_at() - print one event as arrived at @ts, as "-t monitor" does
 * @nlh: the event
 * @ts: when it arrived
 *
 * Return: 0.  (For the host tests: tests/print_test.c.)
 */
int monitor_event_at(const struct nlmsghdr *nlh, const struct timespec *ts)
{
	struct monitor_ctx ctx = { .fixed_time = true };

	event_ts = *ts;
	return monitor_cb(nlh, &ctx);
}

int do_monitor(int argc, char **argv)
{
	struct monitor_ctx ctx = { 0 };
	struct sigaction sa;
	int err;

	for (; argc > 0; argc -= 2, argv += 2) {
		if (matches(*argv, "help")) {
			monitor_usage(stdout);
			return 0;
		}
		if (!matches(*argv, "group")) {
			monitor_usage(stderr);
			return usage_error("monitor: unknown word \"%s\"", *argv);
		}
		err = need_arg(argc, argv) ?:
		      parse_u32_range("group", argv[1], 1, UINT32_MAX, &ctx.group);
		if (err)
			return err;
	}
	if (opt.dry_run) {
		json_open_object(NULL);
		json_key_string("family", PAXOS_FAMILY_NAME);
		json_key_string("subscribe", PAXOS_MCGRP_EVENTS);
		if (ctx.group)
			json_key_u64("group", ctx.group);
		json_close_object();
		json_flush_line();
		return 0;
	}
	/* No SA_RESTART: the signal ends the blocking receive. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	return nl_monitor(monitor_cb, &ctx);
}
