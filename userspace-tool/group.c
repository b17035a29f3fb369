// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl group: add, del, show.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static void group_usage(FILE *f)
{
	fputs("Usage: paxosctl group add [ file FILE ] [ id ID ] [ node ID ] [ listen ADDR ]\n"
	      "                          [ key KEY | keyfile FILE | insecure ]\n"
	      "                          [ mode { multi | basic } ] [ state { new | existing } ]\n"
	      "                          [ heartbeat MS ] [ election-min MS ] [ election-max MS ]\n"
	      "                          [ proposal-timeout MS ] [ max-value-size BYTES ]\n"
	      "                          [ retention SLOTS ] [ queue-len N ] [ manual-promote ]\n"
	      "                          [ member ID [ role { voter | learner } ] addr ADDR ]...\n"
	      "       paxosctl group rekey { id ID { key KEY | keyfile FILE } | file FILE }\n"
	      "                            [ grace-ms MS ]\n"
	      "       paxosctl group del id ID\n"
	      "       paxosctl [ -s ] group show [ id ID ] [ stats ]\n"
	      "       paxosctl group member { add | del | promote | demote | set-address }\n"
	      "                             [ id ID ] node N [ role { voter | learner } ]\n"
	      "                             [ addr ADDR ] [ incarnation INC ]\n"
	      "       paxosctl group force-new-cluster [ id ] ID yes-lose-data\n"
	      "       paxosctl group help\n"
	      "ADDR := { IPV4:PORT | [IPV6]:PORT }\n"
	      "FILE is a cluster description ([Group] and [Member] sections, see\n"
	      "paxosctl(8)); without \"node ID\" this node is the member whose address\n"
	      "is local.  Words after \"file FILE\" override the file.\n"
	      "KEY is a group key from \"paxosctl genkey\" (the same on every member);\n"
	      "a group needs one, or \"insecure\" to run without authentication.\n", f);
}

/* --- add --- */

struct u32_key {
	const char *word;
	size_t off;
	__u32 min, max;
};

#define UK(w, f, lo, hi) { w, offsetof(struct group_config, f), lo, hi }

static const struct u32_key add_keys[] = {
	UK("id", id, 1, UINT32_MAX),
	UK("node", node_id, 1, UINT32_MAX),
	UK("heartbeat", heartbeat_ms, PAXOS_HEARTBEAT_MS_MIN,
	   PAXOS_HEARTBEAT_MS_MAX),
	UK("election-min", election_min_ms, PAXOS_ELECTION_MS_MIN,
	   PAXOS_ELECTION_MS_MAX),
	UK("election-max", election_max_ms, PAXOS_ELECTION_MS_MIN,
	   PAXOS_ELECTION_MS_MAX),
	UK("proposal-timeout", proposal_timeout_ms,
	   PAXOS_PROPOSAL_TIMEOUT_MS_MIN, PAXOS_PROPOSAL_TIMEOUT_MS_MAX),
	UK("max-value-size", max_value_size, 1, PAXOS_MAX_VALUE_SIZE),
	UK("retention", retention, PAXOS_RETENTION_MIN, PAXOS_RETENTION_MAX),
	UK("queue-len", queue_len, PAXOS_QUEUE_LEN_MIN, PAXOS_QUEUE_LEN_MAX),
};

static bool is_add_word(const char *w)
{
	static const char *const words[] = {
		"file", "listen", "mode", "state", "member", "role", "addr",
		"key", "keyfile",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (matches(w, words[i]))
			return true;
	}
	return false;
}

static int end_cli_member(struct group_config *cfg, struct member *m,
			  bool *open)
{
	char where[64];

	if (!*open)
		return 0;
	*open = false;
	snprintf(where, sizeof(where), "member %u", m->node_id);
	if (!m->have_addr)
		return usage_error("%s: missing \"addr ADDR\"", where);
	return config_add_member(cfg, m, where);
}

/* How many words follow @w: "insecure" and "manual-promote" stand alone. */
static int add_word_args(const char *w)
{
	return matches(w, "insecure") || matches(w, "manual-promote") ? 0 : 1;
}

/* "key KEY" or "keyfile FILE" into @key; a key word is wiped from argv. */
int parse_key_word(char **argv, __u8 key[PAXOS_KEY_LEN])
{
	int err;

	if (matches(argv[0], "keyfile"))
		return key_read_file(argv[1], key);
	err = key_parse("key", argv[1], key);
	key_wipe_arg(argv[1]);
	return err;
}

static int parse_add_args(int argc, char **argv, struct group_config *cfg)
{
	struct member m = { 0 };
	bool in_member = false, cli_key = false;
	const char *why;
	int i, n, err;
	size_t k;

	/* The file first, whatever its place, so the other words override. */
	for (i = 0; i < argc; i += 1 + add_word_args(argv[i])) {
		if (matches(argv[i], "file") && i + 1 < argc) {
			err = config_read_file(argv[i + 1], cfg);
			if (err)
				return err;
			break;
		}
	}
	for (; argc > 0; argc -= n + 1, argv += n + 1) {
		n = add_word_args(*argv);
		if (matches(*argv, "help")) {
			group_usage(stdout);
			exit(0);
		}
		if (matches(*argv, "insecure") || matches(*argv, "key") ||
		    matches(*argv, "keyfile")) {
			/* One on the command line, replacing the file's. */
			if (cli_key)
				return usage_error("group add: only one of key, keyfile, insecure");
			cli_key = true;
			cfg->have_key = false;
			cfg->insecure = false;
			explicit_bzero(cfg->key, sizeof(cfg->key));
		}
		if (matches(*argv, "insecure")) {
			cfg->insecure = true;
			continue;
		}
		if (matches(*argv, "manual-promote")) {
			cfg->manual_promote = true;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(add_keys); k++) {
			if (matches(*argv, add_keys[k].word))
				break;
		}
		if (k == ARRAY_SIZE(add_keys) &&
		    !is_add_word(*argv))
			return usage_error("group add: unknown word \"%s\" (see \"group help\")",
					   *argv);
		err = need_arg(argc, argv);
		if (err)
			return err;
		if (k < ARRAY_SIZE(add_keys)) {
			err = parse_u32_range(argv[0], argv[1], add_keys[k].min,
					      add_keys[k].max,
					      (__u32 *)((char *)cfg +
							add_keys[k].off));
		} else if (matches(*argv, "file")) {
			err = 0;
		} else if (matches(*argv, "key") || matches(*argv, "keyfile")) {
			err = parse_key_word(argv, cfg->key);
			cfg->have_key = !err;
		} else if (matches(*argv, "listen")) {
			err = parse_endpoint(argv[1], &cfg->listen, &why) ?
			      usage_error("listen \"%s\": %s", argv[1], why) : 0;
			cfg->have_listen = true;
		} else if (matches(*argv, "mode")) {
			err = parse_mode(argv[1], &cfg->mode);
		} else if (matches(*argv, "state")) {
			err = parse_cluster_state(argv[1], &cfg->cluster_state);
		} else if (matches(*argv, "member")) {
			err = end_cli_member(cfg, &m, &in_member);
			if (err)
				return err;
			memset(&m, 0, sizeof(m));
			in_member = true;
			err = parse_u32_range("member", argv[1], 1, UINT32_MAX,
					      &m.node_id);
		} else if (matches(*argv, "role") || matches(*argv, "addr")) {
			if (!in_member)
				return usage_error("\"%s\" belongs after \"member ID\"",
						   *argv);
			if (matches(*argv, "role"))
				err = parse_role(argv[1], &m.role);
			else if (parse_endpoint(argv[1], &m.addr, &why))
				err = usage_error("member %u: addr \"%s\": %s",
						  m.node_id, argv[1], why);
			else
				m.have_addr = true;
		}
		if (err)
			return err;
	}
	err = end_cli_member(cfg, &m, &in_member);
	if (err)
		return err;
	return config_finish(cfg);
}

/* Zero means "not given": the kernel's default applies. */
static void put_optional(struct nlmsghdr *nlh, __u16 type, __u32 v)
{
	if (v)
		mnl_attr_put_u32(nlh, type, v);
}

static int group_add(int argc, char **argv)
{
	struct group_config *cfg = calloc(1, sizeof(*cfg));
	struct nl_req *req;
	struct nlattr *nest;
	int i, err;

	if (!cfg)
		return -EXIT_REQUEST;
	err = parse_add_args(argc, argv, cfg);
	if (err)
		goto out;
	req = nl_req_new(PAXOS_CMD_GROUP_NEW, NLM_F_ACK);
	if (!req) {
		err = -EXIT_REQUEST;
		goto out;
	}
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, cfg->id);
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_NODE_ID, cfg->node_id);
	if (cfg->have_listen)
		put_endpoint(req->nlh, PAXOS_A_GROUP_LISTEN, &cfg->listen);
	for (i = 0; i < cfg->n_members; i++) {
		const struct member *m = &cfg->members[i];

		nest = mnl_attr_nest_start(req->nlh, PAXOS_A_GROUP_MEMBER);
		mnl_attr_put_u32(req->nlh, PAXOS_A_MEMBER_NODE_ID, m->node_id);
		mnl_attr_put_u32(req->nlh, PAXOS_A_MEMBER_ROLE,
				 m->role ?: PAXOS_ROLE_VOTER);
		put_endpoint(req->nlh, PAXOS_A_MEMBER_ADDR, &m->addr);
		mnl_attr_nest_end(req->nlh, nest);
	}
	put_optional(req->nlh, PAXOS_A_GROUP_MODE, cfg->mode);
	put_optional(req->nlh, PAXOS_A_GROUP_CLUSTER_STATE, cfg->cluster_state);
	put_optional(req->nlh, PAXOS_A_GROUP_HEARTBEAT_MS, cfg->heartbeat_ms);
	put_optional(req->nlh, PAXOS_A_GROUP_ELECTION_MIN_MS,
		     cfg->election_min_ms);
	put_optional(req->nlh, PAXOS_A_GROUP_ELECTION_MAX_MS,
		     cfg->election_max_ms);
	put_optional(req->nlh, PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS,
		     cfg->proposal_timeout_ms);
	put_optional(req->nlh, PAXOS_A_GROUP_MAX_VALUE_SIZE,
		     cfg->max_value_size);
	put_optional(req->nlh, PAXOS_A_GROUP_RETENTION, cfg->retention);
	put_optional(req->nlh, PAXOS_A_GROUP_QUEUE_LEN, cfg->queue_len);
	if (cfg->have_key)
		mnl_attr_put(req->nlh, PAXOS_A_GROUP_KEY, sizeof(cfg->key),
			     cfg->key);
	else
		mnl_attr_put(req->nlh, PAXOS_A_GROUP_INSECURE, 0, NULL);
	if (cfg->manual_promote)
		mnl_attr_put(req->nlh, PAXOS_A_GROUP_MANUAL_PROMOTE, 0, NULL);
	err = nl_run(req, NULL, NULL);
	nl_req_free(req);
out:
	config_free(cfg);
	return err;
}

/* --- rekey --- */

/* group rekey { id ID { key KEY | keyfile FILE } | file FILE } [ grace-ms MS ]
 * "file" takes the id and the key of a cluster file's [Group], so that a
 * rotation is: edit the file (or the KeyFile it names), then rekey every
 * node with it, one after the other, within the grace time.
 */
static int group_rekey(int argc, char **argv)
{
	struct group_config *cfg = calloc(1, sizeof(*cfg));
	bool have_grace = false, have_file = false;
	__u32 id = 0, grace = 0;
	struct nl_req *req;
	int err = 0;

	if (!cfg)
		return -EXIT_REQUEST;
	for (; argc > 0 && !err; argc -= 2, argv += 2) {
		if (matches(*argv, "help")) {
			group_usage(stdout);
			exit(0);
		}
		if (!matches(*argv, "id") && !matches(*argv, "key") &&
		    !matches(*argv, "keyfile") && !matches(*argv, "grace-ms") &&
		    !matches(*argv, "file")) {
			err = usage_error("group rekey: unknown word \"%s\" (see \"group help\")",
					  *argv);
			break;
		}
		err = need_arg(argc, argv);
		if (err)
			break;
		if (matches(*argv, "id")) {
			err = parse_u32_range("id", argv[1], 1, UINT32_MAX, &id);
		} else if (matches(*argv, "grace-ms")) {
			err = parse_u32_range("grace-ms", argv[1], 0,
					      PAXOS_KEY_GRACE_MS_MAX, &grace);
			have_grace = true;
		} else if (cfg->have_key || have_file) {
			err = usage_error("group rekey: give one of key, keyfile and file");
		} else if (matches(*argv, "file")) {
			have_file = true;
			err = config_read_file(argv[1], cfg);
			if (!err && !cfg->have_key)
				err = usage_error("group rekey: %s has no Key or KeyFile",
						  argv[1]);
			if (!err && id && id != cfg->id)
				err = usage_error("group rekey: %s is group %u's, not %u's",
						  argv[1], cfg->id, id);
			if (!err)
				id = cfg->id;
		} else {
			err = parse_key_word(argv, cfg->key);
			cfg->have_key = !err;
		}
	}
	if (!err && !id)
		err = usage_error("group rekey: missing \"id ID\"");
	if (!err && !cfg->have_key)
		err = usage_error("group rekey: missing \"key KEY\" or \"keyfile FILE\"");
	if (err)
		goto out;
	req = nl_req_new(PAXOS_CMD_GROUP_SET_KEY, NLM_F_ACK);
	if (!req) {
		err = -EXIT_REQUEST;
		goto out;
	}
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, id);
	mnl_attr_put(req->nlh, PAXOS_A_GROUP_KEY, sizeof(cfg->key), cfg->key);
	if (have_grace)
		mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_KEY_GRACE_MS, grace);
	err = nl_run(req, NULL, NULL);
	nl_req_free(req);
out:
	config_free(cfg);
	return err;
}

/* --- del --- */

static int parse_id_only(int argc, char **argv, const char *what, bool stats_ok,
			 __u32 *id, bool *stats)
{
	int err;

	while (argc > 0) {
		if (matches(*argv, "help")) {
			group_usage(stdout);
			exit(0);
		}
		if (stats_ok && matches(*argv, "stats")) {
			*stats = true;
			argc--;
			argv++;
			continue;
		}
		if (!matches(*argv, "id"))
			return usage_error("%s: unknown word \"%s\" (try \"paxosctl group help\")",
					   what, *argv);
		err = need_arg(argc, argv) ?:
		      parse_u32_range("id", argv[1], 1, UINT32_MAX, id);
		if (err)
			return err;
		argc -= 2;
		argv += 2;
	}
	return 0;
}

static int group_del(int argc, char **argv)
{
	struct nl_req *req;
	__u32 id = 0;
	int err;

	err = parse_id_only(argc, argv, "group del", false, &id, NULL);
	if (err)
		return err;
	if (!id)
		return usage_error("group del: missing \"id ID\"");
	req = nl_req_new(PAXOS_CMD_GROUP_DEL, NLM_F_ACK);
	if (!req)
		return -EXIT_REQUEST;
	mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, id);
	err = nl_run(req, NULL, NULL);
	nl_req_free(req);
	return err;
}

/* --- show --- */

struct show_ctx {
	bool stats;
	int count;
};

static __u32 get_u32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static void print_endpoint(const char *key, const char *fmt,
			   const struct nlattr *nest)
{
	char buf[64], host[64];
	struct endpoint ep;

	if (!nest || attr_get_endpoint(nest, &ep))
		return;
	if (opt.json) {
		open_object(key);
		format_endpoint(&ep, buf, sizeof(buf));
		inet_ntop(ep.family, &ep.addr, host, sizeof(host));
		print_string("address", NULL, host);
		print_u64("port", NULL, ep.port);
		close_object();
	} else {
		format_endpoint(&ep, buf, sizeof(buf));
		printf(fmt, buf);
	}
}

static void print_peer(const struct nlattr *nest)
{
	const struct nlattr *tb[PAXOS_A_PEER_MAX + 1];
	char buf[64] = "-";
	struct endpoint ep;

	if (parse_nested(nest, tb, PAXOS_A_PEER_MAX))
		return;
	if (tb[PAXOS_A_PEER_ADDR] && !attr_get_endpoint(tb[PAXOS_A_PEER_ADDR], &ep))
		format_endpoint(&ep, buf, sizeof(buf));
	open_object(NULL);
	print_u64("node-id", "  %-6llu", get_u32(tb[PAXOS_A_PEER_NODE_ID]));
	print_string("role", "%-8s ", role_name(get_u32(tb[PAXOS_A_PEER_ROLE])));
	if (opt.json)
		print_endpoint("addr", NULL, tb[PAXOS_A_PEER_ADDR]);
	else
		printf("%-40s ", buf);
	if (tb[PAXOS_A_PEER_REACHABLE])
		print_bool("reachable", "%-10s",
			   mnl_attr_get_u8(tb[PAXOS_A_PEER_REACHABLE]));
	else
		print_text("%-10s", "-");
	if (tb[PAXOS_A_PEER_LAST_HEARD_MS]) {
		__u64 ms = attr_get_uint(tb[PAXOS_A_PEER_LAST_HEARD_MS]);

		if (opt.json) {
			print_u64("last-heard-ms", NULL, ms);
		} else {
			snprintf(buf, sizeof(buf), "%llu ms", (unsigned long long)ms);
			printf("%-12s", buf);
		}
	} else {
		print_text("%-12s", "never");
	}
	if (tb[PAXOS_A_PEER_LEARNED_SLOT])
		print_u64("learned-slot", "%-9llu",
			  attr_get_uint(tb[PAXOS_A_PEER_LEARNED_SLOT]));
	else
		print_text("%-9s", "-");
	/* A counter the kernel does not report is "-", not 0. */
	if (tb[PAXOS_A_PEER_RX_MSGS])
		print_u64("rx-msgs", "%-10llu",
			  attr_get_uint(tb[PAXOS_A_PEER_RX_MSGS]));
	else
		print_text("%-10s", "-");
	if (tb[PAXOS_A_PEER_TX_MSGS])
		print_u64("tx-msgs", "%llu",
			  attr_get_uint(tb[PAXOS_A_PEER_TX_MSGS]));
	else
		print_text("-");
	close_object();
	print_nl();
}

/* --- statistics: "-s", in the layout of iproute2's "ip -s link" --- */

/*
 * Each group of counters is a line of column names under a label and a
 * line of numbers, right-aligned; a group wider than STATS_WIDTH goes on
 * over more such pairs.  A column is named by the counter's spec name less
 * the group's prefix; JSON has every counter under its full spec name.
 */
#define STATS_WIDTH	80
#define STATS_LABEL	"    %-12s"	/* 16 columns */

struct stats_group {
	const char *label;
	const char *strip;	/* prefix left out of the column names */
	bool dropped;		/* with a "dropped" column: all drop-* summed */
	__u16 attrs[12];	/* PAXOS_A_STATS_*, 0 ends */
};

static const struct stats_group stats_groups[] = {
	{ "RX:", "rx-", true,
	  { PAXOS_A_STATS_RX_MSGS, PAXOS_A_STATS_RX_BYTES } },
	{ "RX dropped:", "drop-", false,
	  { PAXOS_A_STATS_DROP_MALFORMED, PAXOS_A_STATS_DROP_TRUNCATED,
	    PAXOS_A_STATS_DROP_BAD_VERSION, PAXOS_A_STATS_DROP_UNKNOWN_TYPE,
	    PAXOS_A_STATS_DROP_WRONG_GROUP, PAXOS_A_STATS_DROP_UNKNOWN_SENDER,
	    PAXOS_A_STATS_DROP_NOMEM, PAXOS_A_STATS_DROP_STALE,
	    PAXOS_A_STATS_DROP_AUTH, PAXOS_A_STATS_DROP_REPLAY,
	    PAXOS_A_STATS_DROP_SOURCE } },
	{ "TX:", "tx-", false,
	  { PAXOS_A_STATS_TX_MSGS, PAXOS_A_STATS_TX_BYTES,
	    PAXOS_A_STATS_TX_ERRORS } },
	{ "proposals:", "proposals-", false,
	  { PAXOS_A_STATS_PROPOSALS, PAXOS_A_STATS_PROPOSALS_FORWARDED,
	    PAXOS_A_STATS_PROPOSALS_RETRIED, PAXOS_A_STATS_PROPOSALS_TIMEOUT,
	    PAXOS_A_STATS_PROPOSALS_DUPLICATE,
	    PAXOS_A_STATS_PROPOSALS_COMPLETED } },
	{ "learning:", NULL, false,
	  { PAXOS_A_STATS_VALUES_LEARNED, PAXOS_A_STATS_NOOPS_LEARNED,
	    PAXOS_A_STATS_CATCHUP_REQUESTS, PAXOS_A_STATS_CATCHUP_SLOTS,
	    PAXOS_A_STATS_TRIMMED_SLOTS, PAXOS_A_STATS_SKIPPED_SLOTS,
	    PAXOS_A_STATS_CONFLICTS, PAXOS_A_STATS_LEARNED_ON_ACCEPT } },
	{ "leadership:", NULL, false,
	  { PAXOS_A_STATS_ELECTIONS, PAXOS_A_STATS_ELECTIONS_WON,
	    PAXOS_A_STATS_LEADER_CHANGES, PAXOS_A_STATS_REJECTS_RX,
	    PAXOS_A_STATS_REJECTS_TX } },
};

struct stats_row {
	const char *label;	/* "" once its first pair is out */
	char names[256], values[256];
	size_t len;
};

static void stats_flush(struct stats_row *r)
{
	if (!r->len)
		return;
	printf(STATS_LABEL "%s\n", r->label, r->names);
	printf(STATS_LABEL "%s\n", "", r->values);
	r->label = "";
	r->len = 0;
	r->names[0] = '\0';
	r->values[0] = '\0';
}

static void stats_column(struct stats_row *r, const char *name,
			 const char *value)
{
	size_t n = strlen(name), v = strlen(value);
	int w = n > v ? n : v;

	if (r->len && 16 + r->len + 1 + w > STATS_WIDTH)
		stats_flush(r);
	snprintf(r->names + r->len, sizeof(r->names) - r->len, " %*s", w, name);
	snprintf(r->values + r->len, sizeof(r->values) - r->len, " %*s", w,
		 value);
	r->len = strlen(r->names);
}

/* A counter the kernel does not send is "-", not 0. */
static void stats_counter(struct stats_row *r, const char *strip,
			  const struct nlattr *a, int type)
{
	const char *name = paxos_stats_attrs[type].name;
	char value[24] = "-";

	if (strip && !strncmp(name, strip, strlen(strip)))
		name += strlen(strip);
	if (a)
		snprintf(value, sizeof(value), "%llu",
			 (unsigned long long)attr_get_uint(a));
	stats_column(r, name, value);
}

static void print_stats_text(const struct nlattr *const *st)
{
	bool grouped[PAXOS_A_STATS_MAX + 1] = { false };
	struct stats_row r = { 0 };
	unsigned long long dropped;
	const __u16 *t;
	char value[24];
	size_t g;
	int i;

	print_text("\n  statistics:\n");
	for (g = 0; g < ARRAY_SIZE(stats_groups); g++) {
		r.label = stats_groups[g].label;
		for (t = stats_groups[g].attrs; *t; t++) {
			grouped[*t] = true;
			stats_counter(&r, stats_groups[g].strip, st[*t], *t);
		}
		if (stats_groups[g].dropped) {
			dropped = 0;
			for (i = 1; i <= PAXOS_A_STATS_MAX; i++) {
				if (st[i] && !strncmp(paxos_stats_attrs[i].name,
						      "drop-", 5))
					dropped += attr_get_uint(st[i]);
			}
			snprintf(value, sizeof(value), "%llu", dropped);
			stats_column(&r, "dropped", value);
		}
		stats_flush(&r);
	}
	/* A counter of the spec that no group above names yet. */
	r.label = "other:";
	for (i = 1; i <= PAXOS_A_STATS_MAX; i++) {
		if (!grouped[i] && st[i] && paxos_stats_attrs[i].name)
			stats_counter(&r, NULL, st[i], i);
	}
	stats_flush(&r);
}

static void print_stats(const struct nlattr *nest)
{
	const struct nlattr *st[PAXOS_A_STATS_MAX + 1];
	int i;

	if (parse_nested(nest, st, PAXOS_A_STATS_MAX))
		return;
	if (!opt.json) {
		print_stats_text(st);
		return;
	}
	open_object("stats");
	for (i = 1; i <= PAXOS_A_STATS_MAX; i++) {
		if (st[i] && paxos_stats_attrs[i].name)
			print_u64(paxos_stats_attrs[i].name, NULL,
				  attr_get_uint(st[i]));
	}
	close_object();
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1], *a;
	struct show_ctx *ctx = data;
	bool first_peer = true;

	if (parse_genl(nlh, tb, PAXOS_A_GROUP_MAX) || !tb[PAXOS_A_GROUP_ID])
		return 0;
	if (ctx->count++)
		print_nl();
	open_object(NULL);
	print_u64("id", "group %llu\n", get_u32(tb[PAXOS_A_GROUP_ID]));
	print_u64("node-id", "  node:            %llu", get_u32(tb[PAXOS_A_GROUP_NODE_ID]));
	print_string("role", " (%s)\n", role_name(get_u32(tb[PAXOS_A_GROUP_ROLE])));
	print_string("state", "  state:           %s\n",
		     state_name(get_u32(tb[PAXOS_A_GROUP_STATE])));
	if (tb[PAXOS_A_GROUP_REFUSED_BY])
		print_u64("refused-by", "  refused by:      node %llu\n",
			  get_u32(tb[PAXOS_A_GROUP_REFUSED_BY]));
	if (get_u32(tb[PAXOS_A_GROUP_LEADER_ID]))
		print_u64("leader-id", "  leader:          node %llu\n",
			  get_u32(tb[PAXOS_A_GROUP_LEADER_ID]));
	else
		print_u64("leader-id", "  leader:          none\n", 0);
	if (tb[PAXOS_A_GROUP_BALLOT]) {
		const struct nlattr *bt[PAXOS_A_BALLOT_MAX + 1];

		if (!parse_nested(tb[PAXOS_A_GROUP_BALLOT], bt, PAXOS_A_BALLOT_MAX)) {
			open_object("ballot");
			print_u64("round", "  ballot:          %llu",
				  attr_get_uint(bt[PAXOS_A_BALLOT_ROUND]));
			print_u64("node-id", ".%llu\n", get_u32(bt[PAXOS_A_BALLOT_NODE_ID]));
			close_object();
		}
	}
	print_string("mode", "  mode:            %s\n",
		     mode_name(get_u32(tb[PAXOS_A_GROUP_MODE])));
	print_string("cluster-state", "  cluster state:   %s\n",
		     cluster_state_name(get_u32(tb[PAXOS_A_GROUP_CLUSTER_STATE])));
	print_endpoint("listen", "  listen:          %s\n", tb[PAXOS_A_GROUP_LISTEN]);
	/* The kernel never returns the key, only whether there is none. */
	print_bool("insecure", NULL, tb[PAXOS_A_GROUP_INSECURE]);
	print_text("  key:             %s\n", tb[PAXOS_A_GROUP_INSECURE] ?
		   "none (insecure: datagrams are not authenticated)" : "set");
	print_u64("first-slot", "  slots:           first %llu",
		  attr_get_uint(tb[PAXOS_A_GROUP_FIRST_SLOT]));
	print_u64("last-chosen-slot", ", last chosen %llu",
		  attr_get_uint(tb[PAXOS_A_GROUP_LAST_CHOSEN_SLOT]));
	print_u64("commit-slot", ", commit %llu\n",
		  attr_get_uint(tb[PAXOS_A_GROUP_COMMIT_SLOT]));
	print_u64("queued", "  queued:          %llu\n", get_u32(tb[PAXOS_A_GROUP_QUEUED]));
	print_u64("heartbeat-ms", "  timers:          heartbeat %llu ms",
		  get_u32(tb[PAXOS_A_GROUP_HEARTBEAT_MS]));
	print_u64("election-min-ms", ", election %llu", get_u32(tb[PAXOS_A_GROUP_ELECTION_MIN_MS]));
	print_u64("election-max-ms", "..%llu ms", get_u32(tb[PAXOS_A_GROUP_ELECTION_MAX_MS]));
	print_u64("proposal-timeout-ms", ", proposal timeout %llu ms\n",
		  get_u32(tb[PAXOS_A_GROUP_PROPOSAL_TIMEOUT_MS]));
	print_u64("max-value-size", "  limits:          max value size %llu",
		  get_u32(tb[PAXOS_A_GROUP_MAX_VALUE_SIZE]));
	print_u64("retention", ", retention %llu", get_u32(tb[PAXOS_A_GROUP_RETENTION]));
	print_u64("queue-len", ", queue length %llu\n", get_u32(tb[PAXOS_A_GROUP_QUEUE_LEN]));
	if (tb[PAXOS_A_GROUP_INCARNATION])
		print_u64("incarnation", "  incarnation:     %llu\n",
			  attr_get_uint(tb[PAXOS_A_GROUP_INCARNATION]));
	print_bool("manual-promote", NULL, tb[PAXOS_A_GROUP_MANUAL_PROMOTE]);
	print_text("  rejoin:          %s\n", tb[PAXOS_A_GROUP_MANUAL_PROMOTE] ?
		   "manual (member promote)" : "automatic");
	print_membership(tb);

	open_array("peer");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != PAXOS_A_GROUP_PEER)
			continue;
		if (first_peer)
			print_text("\n  %-6s%-9s%-41s%-10s%-12s%-9s%-10s%s\n", "peer",
				   "role", "address", "reachable", "last heard",
				   "learned", "rx", "tx");
		first_peer = false;
		print_peer(a);
	}
	close_array();

	if (tb[PAXOS_A_GROUP_STATS] && (ctx->stats || opt.json))
		print_stats(tb[PAXOS_A_GROUP_STATS]);
	close_object();
	return 0;
}

/**
 * group_show_msg() - print one group-get reply, as "group show" does
 * @nlh: the reply
 * @stats: with the counters
 *
 * Return: 0.  (For the host tests: tests/print_test.c.)
 */
int group_show_msg(const struct nlmsghdr *nlh, bool stats)
{
	struct show_ctx ctx = { .stats = stats };

	return show_cb(nlh, &ctx);
}

static int group_show(int argc, char **argv)
{
	struct show_ctx ctx = { 0 };
	struct nl_req *req;
	__u32 id = 0;
	int err;

	ctx.stats = opt.stats;
	err = parse_id_only(argc, argv, "group show", true, &id, &ctx.stats);
	if (err)
		return err;
	/* A do is answered by its reply and then the ack nl_run() waits for. */
	req = nl_req_new(PAXOS_CMD_GROUP_GET, id ? NLM_F_ACK : NLM_F_DUMP);
	if (!req)
		return -EXIT_REQUEST;
	if (id)
		mnl_attr_put_u32(req->nlh, PAXOS_A_GROUP_ID, id);
	if (!opt.dry_run)
		print_open();
	err = nl_run(req, show_cb, &ctx);
	if (!opt.dry_run)
		print_close(!err);
	nl_req_free(req);
	return err;
}

int group_show_all(void)
{
	return group_show(0, NULL);
}

struct find_ctx {
	int count;
	__u32 id;
};

static int find_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[PAXOS_A_GROUP_MAX + 1];
	struct find_ctx *ctx = data;

	if (!parse_genl(nlh, tb, PAXOS_A_GROUP_MAX) && tb[PAXOS_A_GROUP_ID]) {
		ctx->count++;
		ctx->id = get_u32(tb[PAXOS_A_GROUP_ID]);
	}
	return 0;
}

/* No "group ID": the only group of this namespace, as /dev/paxos does. */
int resolve_group(__u32 *id)
{
	struct find_ctx ctx = { 0 };
	struct nl_req *req;
	int err;

	if (opt.dry_run)
		return usage_error("dry run: say which group with \"group ID\"");
	req = nl_req_new(PAXOS_CMD_GROUP_GET, NLM_F_DUMP);
	if (!req)
		return -EXIT_REQUEST;
	err = nl_run(req, find_cb, &ctx);
	nl_req_free(req);
	if (err)
		return err;
	if (ctx.count != 1) {
		fprintf(stderr, PROG ": %s; say which with \"group ID\"\n",
			ctx.count ? "there is more than one group" :
				    "there is no group in this network namespace");
		return -EXIT_REQUEST;
	}
	*id = ctx.id;
	return 0;
}

int do_group(int argc, char **argv)
{
	if (argc < 1 || matches(*argv, "show") || matches(*argv, "list"))
		return group_show(argc ? argc - 1 : 0, argv + 1);
	if (matches(*argv, "add"))
		return group_add(argc - 1, argv + 1);
	if (matches(*argv, "del") || matches(*argv, "delete"))
		return group_del(argc - 1, argv + 1);
	if (matches(*argv, "rekey"))
		return group_rekey(argc - 1, argv + 1);
	if (matches(*argv, "member"))
		return group_member(argc - 1, argv + 1);
	if (matches(*argv, "force-new-cluster"))
		return group_force_new_cluster(argc - 1, argv + 1);
	if (matches(*argv, "help")) {
		group_usage(stdout);
		return 0;
	}
	group_usage(stderr);
	return usage_error("group: unknown command \"%s\"", *argv);
}
