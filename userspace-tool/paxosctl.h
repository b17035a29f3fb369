/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxosctl: configure and watch the paxos kernel module's Multi-Paxos
 * groups over the "paxos" generic netlink family.
 */
#ifndef PAXOSCTL_H
#define PAXOSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/types.h>
#include <linux/paxos.h>
#include <libmnl/libmnl.h>

#include "names_gen.h"

#define PROG "paxosctl"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* __printf() comes from the Makefile, out of checkpatch's sight. */
#define PAXOSCTL_VERSION "1.0"

/* Exit codes: 1 the request failed, 2 the command line or a file is bad. */
#define EXIT_REQUEST	1
#define EXIT_USAGE	2

struct options {
	bool json;
	bool pretty;
	bool dry_run;
	bool stats;		/* -s: group show with the counters */
	bool timestamp;		/* -t: monitor events with the time */
};

extern struct options opt;

/* --- argument helpers (args.c) --- */

int usage_error(const char *fmt, ...) __printf(1, 2);
bool matches(const char *word, const char *keyword);
int parse_u32_range(const char *what, const char *s, __u32 min, __u32 max,
		    __u32 *out);
int parse_u64_range(const char *what, const char *s, __u64 min, __u64 max,
		    __u64 *out);
int need_arg(int argc, char **argv);

/* --- UDP endpoints --- */

struct endpoint {
	int family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
	__u16 port;
};

int parse_endpoint(const char *s, struct endpoint *ep, const char **why);
void format_endpoint(const struct endpoint *ep, char *buf, size_t len);
bool endpoint_equal(const struct endpoint *a, const struct endpoint *b);

/* --- group keys (key.c) --- */

/* Base64 of PAXOS_KEY_LEN bytes, with its padding. */
#define KEY_B64_LEN ((PAXOS_KEY_LEN + 2) / 3 * 4)

void key_to_base64(char out[KEY_B64_LEN + 1], const __u8 key[PAXOS_KEY_LEN]);
bool key_from_base64(__u8 key[PAXOS_KEY_LEN], const char *s);
int key_parse(const char *what, const char *s, __u8 key[PAXOS_KEY_LEN]);
int key_read_file(const char *path, __u8 key[PAXOS_KEY_LEN]);
void key_wipe_arg(char *arg);
int parse_key_word(char **argv, __u8 key[PAXOS_KEY_LEN]);
int do_genkey(int argc, char **argv);

/* --- group configuration (config.c), shared by the cluster file and the
 * command line, like wg's config.c for setconf and set.
 */

struct member {
	__u32 node_id;
	__u32 role;		/* PAXOS_ROLE_*, 0: not given (voter) */
	struct endpoint addr;
	bool have_addr;
	bool have_listen;
	struct endpoint listen;	/* per-member bind address (optional) */
	int line;		/* where it was defined, for messages */
};

#define CFG_MAX_MEMBERS 64	/* more than the kernel's; it says no */

struct group_config {
	__u32 id;
	__u32 node_id;
	__u32 mode, cluster_state;
	__u32 heartbeat_ms, election_min_ms, election_max_ms;
	__u32 proposal_timeout_ms, max_value_size, retention, queue_len;
	bool have_listen;
	struct endpoint listen;
	bool have_key;		/* key holds the group key */
	bool insecure;		/* explicitly without a key */
	bool manual_promote;	/* restarted voters are promoted by hand */
	__u8 key[PAXOS_KEY_LEN];
	int n_members;
	struct member members[CFG_MAX_MEMBERS];
};

int config_read_file(const char *path, struct group_config *cfg);
int config_parse_stream(void *stream, const char *name,
			struct group_config *cfg);
int config_add_member(struct group_config *cfg, const struct member *m,
		      const char *where);
int config_finish(struct group_config *cfg);
int config_pick_local_node(struct group_config *cfg);
void config_free(struct group_config *cfg);
int parse_bool(const char *what, const char *s, bool *out);

const char *role_name(__u32 role);
const char *mode_name(__u32 mode);
const char *cluster_state_name(__u32 cs);
const char *state_name(__u32 state);
int parse_role(const char *s, __u32 *role);
int parse_mode(const char *s, __u32 *mode);
int parse_cluster_state(const char *s, __u32 *cs);

/* --- netlink (nl.c) --- */

struct nl_req {
	char *buf;
	struct nlmsghdr *nlh;
	const char *op;		/* op name, for messages and dry runs */
	const struct paxos_attr_set *set;
	bool quiet;		/* errors are the caller's to report */
};

typedef int (*nl_msg_cb)(const struct nlmsghdr *nlh, void *data);

int nl_open(void);
void nl_close(void);
struct nl_req *nl_req_new(__u8 cmd, __u16 flags);
void nl_req_free(struct nl_req *req);
int nl_run(struct nl_req *req, nl_msg_cb cb, void *data);
int nl_monitor(nl_msg_cb cb, void *data);
void nl_set_event_cb(nl_msg_cb cb, void *data);
int nl_wait_events(const bool *done, int timeout_ms);
long long now_ms(void);

void put_uint(struct nlmsghdr *nlh, __u16 type, __u64 v);
void put_endpoint(struct nlmsghdr *nlh, __u16 type,
		  const struct endpoint *ep);
__u64 attr_get_uint(const struct nlattr *a);
int attr_get_endpoint(const struct nlattr *nest, struct endpoint *ep);
int parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		 int max);
int parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb,
	       int max);

/* --- output (print.c): one path for text and JSON, as in iproute2 --- */

void print_open(void);
void print_close(bool ok);
void open_object(const char *key);
void close_object(void);
void open_array(const char *key);
void close_array(void);
void print_u64(const char *key, const char *fmt, __u64 v);
void print_string(const char *key, const char *fmt, const char *s);
void print_bool(const char *key, const char *fmt, bool v);
void print_value(const char *key, const char *fmt, const void *buf,
		 size_t len);
void print_text(const char *fmt, ...) __printf(1, 2);
void print_nl(void);
void json_key_u64(const char *key, __u64 v);
void json_key_string(const char *key, const char *s);
void json_key_bool(const char *key, bool v);
void json_key_bytes(const char *key, const void *buf, size_t len);
void json_open_object(const char *key);
void json_close_object(void);
void json_open_array(const char *key);
void json_close_array(void);
void json_flush_line(void);
void escape_bytes(const void *buf, size_t len, char *out, size_t outlen);

/* --- objects --- */

int do_group(int argc, char **argv);
int group_member(int argc, char **argv);
int group_force_new_cluster(int argc, char **argv);
void print_membership(const struct nlattr *const *tb);
int run_change(struct nl_req *req, __u32 group, const char *what, __u64 *slot);
int do_propose(int argc, char **argv);
int do_log(int argc, char **argv);
int do_monitor(int argc, char **argv);
int group_show_all(void);
int group_show_msg(const struct nlmsghdr *nlh, bool stats);
int monitor_event(const struct nlmsghdr *nlh);
struct timespec;
int monitor_event_at(const struct nlmsghdr *nlh, const struct timespec *ts);
void format_timestamp(const struct timespec *ts, char *buf, size_t len);
int resolve_group(__u32 *id);

#endif /* PAXOSCTL_H */
