// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: the group configuration, from a cluster description file or from
 * the command line.  One file describes a whole cluster; each node picks its
 * own [Member] entry by node id (or by finding its address on a local
 * interface), so the same file configures every node, like `wg setconf`.
 *
 *	[Group]
 *	Id = 1
 *	KeyFile = /etc/paxos/group1.key
 *	HeartbeatMs = 50
 *
 *	[Member]
 *	NodeId = 1
 *	Address = 198.18.1.2:7000
 *
 * The format is documented in paxosctl(8).
 */
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <linux/paxos.h>

#include "paxosctl.h"

/* Enum names are the spec's (names_gen.c). */
static const char *enum_name(const struct paxos_enum_names *e, __u32 v)
{
	return v < e->len && e->names[v] ? e->names[v] : "unknown";
}

const char *role_name(__u32 role)
{
	return enum_name(&paxos_role_enum, role);
}

const char *mode_name(__u32 mode)
{
	return enum_name(&paxos_mode_enum, mode);
}

const char *cluster_state_name(__u32 cs)
{
	return enum_name(&paxos_cluster_state_enum, cs);
}

const char *state_name(__u32 state)
{
	return enum_name(&paxos_state_enum, state);
}

static int parse_enum(const char *what, const char *s,
		      const struct paxos_enum_names *e, __u32 *out)
{
	char list[128] = "";
	unsigned int i;

	for (i = 1; i < e->len; i++) {
		if (e->names[i] && !strcasecmp(s, e->names[i])) {
			*out = i;
			return 0;
		}
	}
	for (i = 1; i < e->len; i++) {
		if (!e->names[i])
			continue;
		if (*list)
			strncat(list, ", ", sizeof(list) - strlen(list) - 1);
		strncat(list, e->names[i], sizeof(list) - strlen(list) - 1);
	}
	return usage_error("%s: unknown value \"%s\" (one of: %s)", what, s,
			   list);
}

int parse_role(const char *s, __u32 *role)
{
	return parse_enum("role", s, &paxos_role_enum, role);
}

int parse_mode(const char *s, __u32 *mode)
{
	return parse_enum("mode", s, &paxos_mode_enum, mode);
}

int parse_cluster_state(const char *s, __u32 *cs)
{
	return parse_enum("cluster state", s, &paxos_cluster_state_enum, cs);
}

int parse_bool(const char *what, const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]) || !strcasecmp(s, no[i])) {
			*out = !strcasecmp(s, yes[i]);
			return 0;
		}
	}
	return usage_error("%s: \"%s\" is not yes or no", what, s);
}

/* Wipes the key before the memory goes back. */
void config_free(struct group_config *cfg)
{
	if (cfg)
		explicit_bzero(cfg->key, sizeof(cfg->key));
	free(cfg);
}

int config_add_member(struct group_config *cfg, const struct member *m,
		      const char *where)
{
	char a[64];
	int i;

	for (i = 0; i < cfg->n_members; i++) {
		const struct member *o = &cfg->members[i];

		if (o->node_id == m->node_id)
			return usage_error("%s: duplicate node id %u",
					   where, m->node_id);
		if (endpoint_equal(&o->addr, &m->addr)) {
			format_endpoint(&m->addr, a, sizeof(a));
			return usage_error("%s: address %s is already node %u's",
					   where, a, o->node_id);
		}
	}
	if (cfg->n_members >= PAXOS_MAX_MEMBERS)
		return usage_error("%s: too many members (at most %d)", where,
				   PAXOS_MAX_MEMBERS);
	cfg->members[cfg->n_members++] = *m;
	return 0;
}

/* --- the file --- */

enum section { SEC_NONE, SEC_GROUP, SEC_MEMBER };

struct group_key {
	const char *name;
	size_t off;
	__u32 min, max;
};

#define GK(n, f, lo, hi) { n, offsetof(struct group_config, f), lo, hi }

static const struct group_key group_keys[] = {
	GK("Id", id, 1, UINT32_MAX),
	GK("HeartbeatMs", heartbeat_ms, PAXOS_HEARTBEAT_MS_MIN,
	   PAXOS_HEARTBEAT_MS_MAX),
	GK("ElectionMinMs", election_min_ms, PAXOS_ELECTION_MS_MIN,
	   PAXOS_ELECTION_MS_MAX),
	GK("ElectionMaxMs", election_max_ms, PAXOS_ELECTION_MS_MIN,
	   PAXOS_ELECTION_MS_MAX),
	GK("ProposalTimeoutMs", proposal_timeout_ms,
	   PAXOS_PROPOSAL_TIMEOUT_MS_MIN, PAXOS_PROPOSAL_TIMEOUT_MS_MAX),
	GK("MaxValueSize", max_value_size, 1, PAXOS_MAX_VALUE_SIZE),
	GK("Retention", retention, PAXOS_RETENTION_MIN, PAXOS_RETENTION_MAX),
	GK("QueueLen", queue_len, PAXOS_QUEUE_LEN_MIN, PAXOS_QUEUE_LEN_MAX),
};

struct file_state {
	const char *name;
	bool exposed;		/* group or others may read the file */
	const char *key_src;	/* the [Group] key that set the key, if any */
	int line;
	enum section sec;
	bool seen_group;
	unsigned int seen_keys;	/* bit per key of the current section */
	struct member m;
	bool in_member;
};

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* Ends the [Member] section being read: it must have NodeId and Address. */
static int end_member(struct file_state *st, struct group_config *cfg)
{
	char where[300];

	if (!st->in_member)
		return 0;
	st->in_member = false;
	snprintf(where, sizeof(where), "%s:%d", st->name, st->m.line);
	if (!st->m.node_id)
		return usage_error("%s: [Member] without NodeId", where);
	if (!st->m.have_addr)
		return usage_error("%s: [Member] without Address", where);
	return config_add_member(cfg, &st->m, where);
}

static int seen_once(struct file_state *st, int bit, const char *where,
		     const char *key)
{
	if (st->seen_keys & (1u << bit))
		return usage_error("%s: %s given twice in one section", where,
				   key);
	st->seen_keys |= 1u << bit;
	return 0;
}

/* A KeyFile path is relative to the cluster file's directory. */
static int key_file_path(const struct file_state *st, const char *val,
			 char *path, size_t len)
{
	const char *slash = strrchr(st->name, '/');
	int n;

	if (*val == '/' || !slash || st->name[0] == '<')
		n = snprintf(path, len, "%s", val);
	else
		n = snprintf(path, len, "%.*s/%s", (int)(slash - st->name),
			     st->name, val);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Key, KeyFile and Insecure = yes: exactly one of them per [Group]. */
static int key_line(struct file_state *st, struct group_config *cfg,
		    const char *where, const char *key, const char *val)
{
	char path[4096];
	bool insecure;
	int err;

	err = seen_once(st, !strcasecmp(key, "Key") ? 22 :
			    !strcasecmp(key, "KeyFile") ? 23 : 24, where, key);
	if (err)
		return err;
	if (!strcasecmp(key, "Insecure")) {
		err = parse_bool(where, val, &insecure);
		if (err || !insecure)
			return err;
	}
	if (st->key_src)
		return usage_error("%s: %s and %s: give only one of Key, KeyFile and Insecure",
				   where, st->key_src, key);
	st->key_src = !strcasecmp(key, "Key") ? "Key" :
		       !strcasecmp(key, "KeyFile") ? "KeyFile" : "Insecure";
	if (!strcasecmp(key, "Insecure")) {
		cfg->insecure = true;
		return 0;
	}
	if (!strcasecmp(key, "KeyFile")) {
		if (key_file_path(st, val, path, sizeof(path)))
			return usage_error("%s: KeyFile: path too long", where);
		err = key_read_file(path, cfg->key);
	} else {
		if (st->exposed)
			fprintf(stderr,
				"%s: warning: %s: a Key in a file that group or others may read; use KeyFile\n",
				PROG, where);
		err = key_parse(where, val, cfg->key);
	}
	if (!err)
		cfg->have_key = true;
	return err;
}

static int group_line(struct file_state *st, struct group_config *cfg,
		      const char *where, const char *key, const char *val)
{
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(group_keys); i++) {
		const struct group_key *k = &group_keys[i];

		if (strcasecmp(key, k->name))
			continue;
		err = seen_once(st, i, where, k->name);
		if (err)
			return err;
		return parse_u32_range(where, val, k->min, k->max,
				       (__u32 *)((char *)cfg + k->off));
	}
	if (!strcasecmp(key, "Mode"))
		return seen_once(st, 20, where, "Mode") ?:
		       parse_mode(val, &cfg->mode);
	if (!strcasecmp(key, "ClusterState"))
		return seen_once(st, 21, where, "ClusterState") ?:
		       parse_cluster_state(val, &cfg->cluster_state);
	if (!strcasecmp(key, "ManualPromote"))
		return seen_once(st, 25, where, "ManualPromote") ?:
		       parse_bool(where, val, &cfg->manual_promote);
	if (!strcasecmp(key, "Key") || !strcasecmp(key, "KeyFile") ||
	    !strcasecmp(key, "Insecure"))
		return key_line(st, cfg, where, key, val);
	return usage_error("%s: unknown key \"%s\" in [Group]", where, key);
}

static int member_line(struct file_state *st, const char *where,
		       const char *key, const char *val)
{
	const char *why;
	int err;

	if (!strcasecmp(key, "NodeId"))
		return seen_once(st, 0, where, "NodeId") ?:
		       parse_u32_range(where, val, 1, UINT32_MAX,
				       &st->m.node_id);
	if (!strcasecmp(key, "Role"))
		return seen_once(st, 1, where, "Role") ?:
		       parse_role(val, &st->m.role);
	if (!strcasecmp(key, "Address") || !strcasecmp(key, "Listen")) {
		bool listen = !strcasecmp(key, "Listen");
		struct endpoint *ep = listen ? &st->m.listen : &st->m.addr;

		err = seen_once(st, listen ? 3 : 2, where, key);
		if (err)
			return err;
		if (parse_endpoint(val, ep, &why))
			return usage_error("%s: %s \"%s\": %s", where, key, val,
					   why);
		if (listen)
			st->m.have_listen = true;
		else
			st->m.have_addr = true;
		return 0;
	}
	return usage_error("%s: unknown key \"%s\" in [Member]", where, key);
}

static int file_line(struct file_state *st, struct group_config *cfg,
		     char *line)
{
	char where[300], *s, *eq, *key, *val, *hash;
	int err;

	snprintf(where, sizeof(where), "%s:%d", st->name, st->line);
	hash = strpbrk(line, "#;");
	if (hash)
		*hash = '\0';
	s = trim(line);
	if (!*s)
		return 0;
	if (*s == '[') {
		err = end_member(st, cfg);
		if (err)
			return err;
		st->seen_keys = 0;
		if (!strcasecmp(s, "[Group]")) {
			if (st->seen_group)
				return usage_error("%s: a second [Group] section",
						   where);
			st->seen_group = true;
			st->sec = SEC_GROUP;
		} else if (!strcasecmp(s, "[Member]")) {
			st->sec = SEC_MEMBER;
			st->in_member = true;
			memset(&st->m, 0, sizeof(st->m));
			st->m.line = st->line;
		} else {
			return usage_error("%s: unknown section %s (want [Group] or [Member])",
					   where, s);
		}
		return 0;
	}
	eq = strchr(s, '=');
	if (!eq)
		return usage_error("%s: expected \"Key = Value\", got \"%s\"",
				   where, s);
	*eq = '\0';
	key = trim(s);
	val = trim(eq + 1);
	if (!*key)
		return usage_error("%s: missing key before '='", where);
	if (!*val)
		return usage_error("%s: %s has no value", where, key);
	switch (st->sec) {
	case SEC_GROUP:
		return group_line(st, cfg, where, key, val);
	case SEC_MEMBER:
		return member_line(st, where, key, val);
	default:
		return usage_error("%s: \"%s\" outside a section ([Group] or [Member])",
				   where, key);
	}
}

int config_parse_stream(void *stream, const char *name,
			struct group_config *cfg)
{
	struct file_state st = { .name = name };
	size_t cap = 0;
	char *line = NULL;
	struct stat sb;
	int err = 0;

	st.exposed = !fstat(fileno(stream), &sb) && S_ISREG(sb.st_mode) &&
		     (sb.st_mode & 0077);
	while (getline(&line, &cap, stream) >= 0) {
		st.line++;
		err = file_line(&st, cfg, line);
		if (err)
			break;
	}
	/* The line may have held a key. */
	if (line)
		explicit_bzero(line, cap);
	free(line);
	if (!err && ferror((FILE *)stream))
		err = usage_error("%s: read error: %s", name, strerror(errno));
	if (!err)
		err = end_member(&st, cfg);
	if (!err && !st.seen_group)
		err = usage_error("%s: no [Group] section", name);
	if (!err && !cfg->id)
		err = usage_error("%s: [Group] has no Id", name);
	if (!err && !cfg->n_members)
		err = usage_error("%s: no [Member] sections", name);
	return err;
}

int config_read_file(const char *path, struct group_config *cfg)
{
	FILE *f;
	int err;

	if (!strcmp(path, "-"))
		return config_parse_stream(stdin, "<stdin>", cfg);
	f = fopen(path, "r");
	if (!f)
		return usage_error("%s: %s", path, strerror(errno));
	err = config_parse_stream(f, path, cfg);
	fclose(f);
	return err;
}

/* --- picking this node's entry --- */

static bool address_is_local(const struct endpoint *ep,
			     const struct ifaddrs *ifa)
{
	for (; ifa; ifa = ifa->ifa_next) {
		const struct sockaddr *sa = ifa->ifa_addr;

		if (!sa || sa->sa_family != ep->family)
			continue;
		if (ep->family == AF_INET &&
		    ((const struct sockaddr_in *)sa)->sin_addr.s_addr ==
		    ep->addr.v4.s_addr)
			return true;
		if (ep->family == AF_INET6 &&
		    !memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr,
			    &ep->addr.v6, sizeof(ep->addr.v6)))
			return true;
	}
	return false;
}

/* Without "node ID", the node is the one member whose Address is configured
 * on an interface of this network namespace.
 */
int config_pick_local_node(struct group_config *cfg)
{
	struct ifaddrs *ifa;
	__u32 found = 0;
	int i;

	if (getifaddrs(&ifa))
		return usage_error("cannot list local addresses: %s",
				   strerror(errno));
	for (i = 0; i < cfg->n_members; i++) {
		if (!address_is_local(&cfg->members[i].addr, ifa))
			continue;
		if (found) {
			freeifaddrs(ifa);
			return usage_error("nodes %u and %u are both local; use \"node ID\"",
					   found, cfg->members[i].node_id);
		}
		found = cfg->members[i].node_id;
	}
	freeifaddrs(ifa);
	if (!found)
		return usage_error("no member's address is local; use \"node ID\"");
	cfg->node_id = found;
	return 0;
}

/* Checks what spans several keys, once everything is known. */
int config_finish(struct group_config *cfg)
{
	const struct member *self = NULL;
	__u32 hb, emin, emax;
	int i;

	if (!cfg->id)
		return usage_error("group add: missing \"id ID\"");
	if (!cfg->n_members)
		return usage_error("group add: no members (\"member\" or \"file\")");
	hb = cfg->heartbeat_ms ?: PAXOS_DEFAULT_HEARTBEAT_MS;
	emin = cfg->election_min_ms ?: PAXOS_DEFAULT_ELECTION_MIN_MS;
	/* The kernel's default upper end follows a given lower end. */
	emax = cfg->election_max_ms;
	if (!emax)
		emax = emin * 2 > PAXOS_DEFAULT_ELECTION_MAX_MS ?
		       emin * 2 : PAXOS_DEFAULT_ELECTION_MAX_MS;
	if (emin > emax)
		return usage_error("election timeout: minimum %u ms exceeds maximum %u ms",
				   emin, emax);
	if (hb >= emin)
		return usage_error("heartbeat %u ms must be below election-min %u ms",
				   hb, emin);
	if (!cfg->node_id && config_pick_local_node(cfg))
		return -EXIT_USAGE;
	for (i = 0; i < cfg->n_members; i++) {
		const struct member *m = &cfg->members[i];

		if (m->addr.family != cfg->members[0].addr.family)
			return usage_error("node %u: IPv4 and IPv6 members cannot mix",
					   m->node_id);
		if (m->node_id != cfg->node_id)
			continue;
		if (!cfg->have_listen && m->have_listen) {
			cfg->listen = m->listen;
			cfg->have_listen = true;
		}
		self = m;
	}
	if (!self)
		return usage_error("node %u is not a member of group %u",
				   cfg->node_id, cfg->id);
	if (cfg->have_listen && cfg->listen.family != self->addr.family)
		return usage_error("listen address and member addresses must be of one family");
	if (!cfg->have_key && !cfg->insecure) {
		fprintf(stderr,
			"%s: group add: no key: give \"key KEY\", \"keyfile FILE\" or \"insecure\" (in a cluster file: Key, KeyFile or Insecure = yes); \"paxosctl genkey\" makes a key\n",
			PROG);
		return -EXIT_USAGE;
	}
	return 0;
}
