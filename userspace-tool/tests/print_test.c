// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of what paxosctl prints of a group's configuration: a
 * group-get reply and a config-ntf, built here as the kernel builds them,
 * go through "group show" and "monitor" in text and in JSON, and the
 * output must say what the message says (members with role, voting
 * incarnation and address, the pending change, voters, quorum, live
 * voters, quorum lost).  The counters of "-s group show" in their groups,
 * every one of them by its spec name in JSON, and "-t monitor"'s time.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>

#include "../paxosctl.h"

struct options opt;

static int failed, passed;

#define CHECK(cond, ...) do {					\
	if (cond) {						\
		passed++;					\
	} else {						\
		failed++;					\
		fprintf(stderr, "FAIL: " __VA_ARGS__);		\
		fputc('\n', stderr);				\
	}							\
} while (0)

static void put_addr(struct nlmsghdr *nlh, __u16 type, int net)
{
	struct endpoint ep = { .family = AF_INET, .port = 7000 };
	char ip[32];

	snprintf(ip, sizeof(ip), "198.18.%d.2", net);
	inet_pton(AF_INET, ip, &ep.addr.v4);
	put_endpoint(nlh, type, &ep);
}

/* inc: 0 none (a voter not pinned yet, or a learner), else inc - 1. */
static void put_member(struct nlmsghdr *nlh, __u32 node, __u32 role,
		       __u64 inc)
{
	struct nlattr *m = mnl_attr_nest_start(nlh, PAXOS_A_CONFIG_MEMBER);

	mnl_attr_put_u32(nlh, PAXOS_A_MEMBER_NODE_ID, node);
	mnl_attr_put_u32(nlh, PAXOS_A_MEMBER_ROLE, role);
	put_addr(nlh, PAXOS_A_MEMBER_ADDR, node);
	if (inc)
		put_uint(nlh, PAXOS_A_MEMBER_INCARNATION, inc - 1);
	mnl_attr_nest_end(nlh, m);
}

static void put_config(struct nlmsghdr *nlh, __u16 type, __u64 slot,
		       __u64 effective, bool next)
{
	struct nlattr *c = mnl_attr_nest_start(nlh, type);

	put_uint(nlh, PAXOS_A_CONFIG_SLOT, slot);
	put_uint(nlh, PAXOS_A_CONFIG_EFFECTIVE, effective);
	put_member(nlh, 1, PAXOS_ROLE_VOTER, 1 + 1717171717171717171ULL);
	put_member(nlh, 2, PAXOS_ROLE_VOTER, 0);
	put_member(nlh, 3, PAXOS_ROLE_LEARNER, 0);
	if (next)
		put_member(nlh, 4, PAXOS_ROLE_VOTER, 1 + 0);
	mnl_attr_nest_end(nlh, c);
}

static struct nlmsghdr *message(char *buf, __u8 cmd, bool full)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	mnl_attr_put_u32(nlh, PAXOS_A_GROUP_ID, 7);
	if (full) {
		mnl_attr_put_u32(nlh, PAXOS_A_GROUP_NODE_ID, 1);
		mnl_attr_put_u32(nlh, PAXOS_A_GROUP_ROLE, PAXOS_ROLE_VOTER);
		put_uint(nlh, PAXOS_A_GROUP_INCARNATION, 1717171717171717171ULL);
		mnl_attr_put(nlh, PAXOS_A_GROUP_MANUAL_PROMOTE, 0, NULL);
	}
	mnl_attr_put_u32(nlh, PAXOS_A_GROUP_STATE, PAXOS_STATE_QUORUM_LOST);
	put_config(nlh, PAXOS_A_GROUP_CONFIG, 0, 1, false);
	put_config(nlh, PAXOS_A_GROUP_NEXT_CONFIG, 70, 134, true);
	mnl_attr_put_u32(nlh, PAXOS_A_GROUP_VOTERS, 2);
	mnl_attr_put_u32(nlh, PAXOS_A_GROUP_QUORUM, 2);
	mnl_attr_put_u32(nlh, PAXOS_A_GROUP_LIVE_VOTERS, 1);
	return nlh;
}

/* What @fn prints to stdout for @nlh, in a static buffer. */
static const char *capture(int (*fn)(const struct nlmsghdr *, bool),
			   const struct nlmsghdr *nlh, bool json)
{
	static char out[16384];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	opt.json = json;
	fflush(stdout);
	saved = dup(1);
	dup2(fileno(tmp), 1);
	fn(nlh, false);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = 0;
	fclose(tmp);
	return out;
}

static int show(const struct nlmsghdr *nlh, bool stats)
{
	return group_show_msg(nlh, stats);
}

static int event(const struct nlmsghdr *nlh, bool unused)
{
	(void)unused;
	return monitor_event(nlh);
}

/* Every counter of the spec: counter i is i * 1001 (rx-bytes 2^40). */
static struct nlmsghdr *stats_message(char *buf)
{
	struct nlmsghdr *nlh = message(buf, PAXOS_CMD_GROUP_GET, true);
	struct nlattr *st = mnl_attr_nest_start(nlh, PAXOS_A_GROUP_STATS);
	int i;

	for (i = 1; i <= PAXOS_A_STATS_MAX; i++)
		put_uint(nlh, i, i == PAXOS_A_STATS_RX_BYTES ? 1ULL << 40 :
			 (__u64)i * 1001);
	mnl_attr_nest_end(nlh, st);
	return nlh;
}

static int show_stats(const struct nlmsghdr *nlh, bool unused)
{
	(void)unused;
	return group_show_msg(nlh, true);
}

/* 2023-11-14T22:13:20.123456789 UTC */
static const struct timespec event_time = { 1700000000, 123456789 };

static int event_at(const struct nlmsghdr *nlh, bool unused)
{
	(void)unused;
	return monitor_event_at(nlh, &event_time);
}

static struct nlmsghdr *learned_message(char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = PAXOS_CMD_LEARNED_NTF;
	mnl_attr_put_u32(nlh, PAXOS_A_LOG_GROUP_ID, 7);
	put_uint(nlh, PAXOS_A_LOG_SLOT, 12);
	mnl_attr_put_u32(nlh, PAXOS_A_LOG_ORIGIN_NODE_ID, 2);
	mnl_attr_put(nlh, PAXOS_A_LOG_VALUE, 2, "hi");
	return nlh;
}

static void expect(const char *what, const char *out, const char *want)
{
	CHECK(strstr(out, want), "%s: want \"%s\" in:\n%s", what, want, out);
}

static void test_stats(char *buf)
{
	const struct nlmsghdr *nlh = stats_message(buf);
	const char *out, *line;
	char want[64];
	int i;

	out = capture(show_stats, nlh, false);
	expect("show -s", out, "\n  statistics:\n"
	       "    RX:          msgs         bytes dropped\n"
	       "                 1001 1099511627776  181181\n"
	       "    RX dropped:  malformed truncated bad-version unknown-type wrong-group\n"
	       "                      6006      7007        8008         9009       10010\n"
	       "                 unknown-sender nomem stale  auth replay source\n"
	       "                          11011 12012 28028 29029  30030  31031\n"
	       "    TX:          msgs bytes errors\n"
	       "                 2002  4004   5005\n"
	       "    proposals:   proposals forwarded retried timeout duplicate completed\n"
	       "                     13013     14014   15015   16016     17017     32032\n"
	       "    learning:    values-learned noops-learned catchup-requests catchup-slots\n"
	       "                          18018         19019            25025         26026\n"
	       "                 trimmed-slots skipped-slots conflicts learned-on-accept\n"
	       "                         27027         33033     34034             35035\n"
	       "    leadership:  elections elections-won leader-changes rejects-rx rejects-tx\n"
	       "                     20020         21021          22022      23023      24024\n");
	CHECK(!strstr(out, "other:"), "show -s: a counter in no group:\n%s", out);
	/* Every counter, its number under its name; lines fit 80 columns. */
	for (i = 1; i <= PAXOS_A_STATS_MAX; i++) {
		if (i == PAXOS_A_STATS_RX_BYTES)
			continue;
		snprintf(want, sizeof(want), " %d\n", i * 1001);
		if (!strstr(out, want))
			snprintf(want, sizeof(want), " %d ", i * 1001);
		expect("show -s", out, want);
	}
	for (line = strstr(out, "statistics:"); line; line = strchr(line, '\n')) {
		const char *end = strchr(++line, '\n');

		CHECK(!end || end - line <= 80, "show -s: line over 80 columns: %.*s",
		      end ? (int)(end - line) : 0, line);
	}

	out = capture(show_stats, stats_message(buf), true);
	for (i = 1; i <= PAXOS_A_STATS_MAX; i++) {
		snprintf(want, sizeof(want), "\"%s\":%llu", paxos_stats_attrs[i].name,
			 i == PAXOS_A_STATS_RX_BYTES ? 1ULL << 40 :
			 (unsigned long long)i * 1001);
		expect("show -j", out, want);
	}
	expect("show -j", out, "\"stats\":{\"rx-msgs\":1001,");
	expect("show -j", out, "\"values-learned\":18018");
	expect("show -j", out, "\"elections-won\":21021");
	expect("show -j", out, "\"proposals-completed\":32032");
}

#define TIME "2023-11-14T22:13:20.123456+00:00"
#define LEARNED "group 7 slot 12 learned from node 2: \"hi\"\n"

static void test_timestamps(char *buf)
{
	const struct nlmsghdr *nlh = learned_message(buf);
	char when[40];
	const char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	format_timestamp(&event_time, when, sizeof(when));
	CHECK(!strcmp(when, TIME), "timestamp %s", when);
	setenv("TZ", "CET-1", 1);
	tzset();
	format_timestamp(&event_time, when, sizeof(when));
	CHECK(!strcmp(when, "2023-11-14T23:13:20.123456+01:00"), "timestamp %s", when);
	setenv("TZ", "UTC", 1);
	tzset();

	out = capture(event_at, nlh, false);
	CHECK(!strcmp(out, LEARNED), "monitor without -t: %s", out);
	opt.timestamp = true;
	out = capture(event_at, nlh, false);
	CHECK(!strcmp(out, "[" TIME "] " LEARNED), "monitor -t: %s", out);
	out = capture(event_at, nlh, true);
	CHECK(out == strstr(out, "{\"time\":\"" TIME "\",\"event\":\"learned\",\"group\":7,"),
	      "monitor -j -t: %s", out);
	expect("monitor -j -t", out, ",\"origin-node-id\":2,\"value\":\"hi\"}\n");
	nlh = message(buf, PAXOS_CMD_CONFIG_NTF, false);
	out = capture(event_at, nlh, false);
	CHECK(out == strstr(out, "[" TIME "] group 7 configuration changed"),
	      "monitor -t config: %s", out);
	opt.timestamp = false;
}

int main(void)
{
	static char buf[32768];
	const struct nlmsghdr *nlh;
	const char *out;

	nlh = message(buf, PAXOS_CMD_GROUP_GET, true);
	out = capture(show, nlh, false);
	expect("show", out, "group 7\n");
	expect("show", out, "  state:           quorum-lost\n");
	expect("show", out, "  incarnation:     1717171717171717171\n");
	expect("show", out, "  rejoin:          manual (member promote)\n");
	expect("show", out, "  voters:          2, quorum 2, live 1 (QUORUM LOST");
	expect("show", out, "live 1 (QUORUM LOST: see force-new-cluster)\n");
	expect("show", out, "  configuration:   slot 0, in effect from slot 1\n");
	expect("show", out, "    member  role     incarnation          address\n");
	expect("show", out, "    1       voter    1717171717171717171  198.18.1.2:7000\n");
	expect("show", out, "    2       voter    (not yet)            198.18.2.2:7000\n");
	expect("show", out, "    3       learner  -                    198.18.3.2:7000\n");
	expect("show", out, "  pending change:  slot 70, in effect from slot 134\n");
	expect("show", out, "    4       voter    0                    198.18.4.2:7000\n");
	CHECK(strstr(out, "    4 ") > strstr(out, "pending change:"),
	      "show: member 4 is listed under the pending change only:\n%s",
	      out);

	out = capture(show, nlh, true);
	expect("show -j", out, "\"incarnation\":1717171717171717171");
	expect("show -j", out, "\"manual-promote\":true");
	expect("show -j", out, "\"voters\":2,\"quorum\":2,\"live-voters\":1");
	expect("show -j", out,
	       "\"config\":{\"slot\":0,\"effective\":1,\"member\":[{\"node-id\":1,");
	expect("show -j", out,
	       "{\"node-id\":1,\"role\":\"voter\",\"incarnation\":1717171717171717171,");
	expect("show -j", out,
	       "\"incarnation\":1717171717171717171,\"voting\":true,\"addr\":");
	expect("show -j", out,
	       "\"voting\":true,\"addr\":{\"address\":\"198.18.1.2\",\"port\":7000}}");
	expect("show -j", out, "{\"node-id\":2,\"role\":\"voter\",\"voting\":false,\"addr\"");
	expect("show -j", out, "{\"node-id\":3,\"role\":\"learner\",\"voting\":false,\"addr\"");
	expect("show -j", out,
	       "\"change-pending\":true,\"next-config\":{\"slot\":70,\"effective\":134");

	nlh = message(buf, PAXOS_CMD_CONFIG_NTF, false);
	out = capture(event, nlh, false);
	expect("monitor", out, "group 7 configuration changed, this node quorum-lost\n");
	expect("monitor", out, "  configuration:   slot 0, in effect from slot 1\n");
	expect("monitor", out, "  pending change:  slot 70, in effect from slot 134\n");
	out = capture(event, nlh, true);
	expect("monitor -j", out,
	       "{\"event\":\"config\",\"group\":7,\"state\":\"quorum-lost\",\"voters\":2");
	CHECK(strchr(out, '\n') == out + strlen(out) - 1,
	      "monitor -j: one line per event: %s", out);

	test_stats(buf);
	test_timestamps(buf);

	printf("print tests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
