// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: talking to the "paxos" generic netlink family with libmnl.
 *
 * Every request goes through nl_run(), which resolves the family, sends the
 * request, hands each reply to a callback and turns an error into a message
 * with the kernel's extended ack (its text and the name of the attribute it
 * points at).  With --dry-run nl_run() prints the request as JSON instead,
 * decoded from the very bytes that would be sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/paxos.h>

#include "paxosctl.h"

/* Values are up to 60 KiB; replies and events carry one value each. */
#define NL_BUF_SIZE (256 * 1024)

/* --- attribute sets: names_gen.c, from netlink/specs/paxos.yaml --- */

static const struct paxos_attr_desc *attr_lookup(const struct paxos_attr_set *set,
						 int type)
{
	if (!set || type < 1 || type > set->max || !set->attrs[type].name)
		return NULL;
	return &set->attrs[type];
}

/* Write-only in the spec: a dry run shows only its length. */
static bool attr_secret(const struct paxos_attr_desc *d)
{
	return d == &paxos_group_attrs[PAXOS_A_GROUP_KEY];
}

/* --- building requests --- */

static struct mnl_socket *nl;
static __u16 family_id;
static __u32 events_group;
static __u32 seq;

/**
 * nl_req_new() - a request of one operation
 * @cmd: PAXOS_CMD_*
 * @flags: NLM_F_ACK or NLM_F_DUMP
 *
 * Return: the request, named and decoded by the spec's operation and its
 * attribute set, or NULL without memory.
 */
struct nl_req *nl_req_new(__u8 cmd, __u16 flags)
{
	struct nl_req *req = calloc(1, sizeof(*req));
	struct genlmsghdr *genl;

	if (!req)
		return NULL;
	req->buf = calloc(1, NL_BUF_SIZE / 2);
	if (!req->buf) {
		free(req);
		return NULL;
	}
	req->op = cmd <= PAXOS_CMD_MAX && paxos_op_names[cmd] ?
		  paxos_op_names[cmd] : "?";
	req->set = cmd <= PAXOS_CMD_MAX ? paxos_op_attr_sets[cmd] : NULL;
	req->nlh = mnl_nlmsg_put_header(req->buf);
	req->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(req->nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = PAXOS_FAMILY_VERSION;
	return req;
}

/* Wipes the buffer: a group-new or group-set-key request holds the key. */
void nl_req_free(struct nl_req *req)
{
	if (req) {
		explicit_bzero(req->buf, req->nlh->nlmsg_len);
		free(req->buf);
	}
	free(req);
}

/* NLA_UINT: 4 bytes when the value fits, else 8. */
void put_uint(struct nlmsghdr *nlh, __u16 type, __u64 v)
{
	if (v <= UINT32_MAX)
		mnl_attr_put_u32(nlh, type, v);
	else
		mnl_attr_put_u64(nlh, type, v);
}

void put_endpoint(struct nlmsghdr *nlh, __u16 type, const struct endpoint *ep)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (ep->family == AF_INET6)
		mnl_attr_put(nlh, PAXOS_A_ADDR_IPV6, 16, &ep->addr.v6);
	else
		mnl_attr_put(nlh, PAXOS_A_ADDR_IPV4, 4, &ep->addr.v4);
	mnl_attr_put_u16(nlh, PAXOS_A_ADDR_PORT, ep->port);
	mnl_attr_nest_end(nlh, nest);
}

/* --- reading replies --- */

__u64 attr_get_uint(const struct nlattr *a)
{
	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) >= 8)
		return mnl_attr_get_u64(a);
	if (mnl_attr_get_payload_len(a) >= 4)
		return mnl_attr_get_u32(a);
	return 0;
}

struct parse_ctx {
	const struct nlattr **tb;
	int max;
};

static int parse_attr_cb(const struct nlattr *attr, void *data)
{
	struct parse_ctx *ctx = data;
	int type = mnl_attr_get_type(attr);

	if (type > 0 && type <= ctx->max)
		ctx->tb[type] = attr;
	return MNL_CB_OK;
}

int parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		 int max)
{
	struct parse_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse_nested(nest, parse_attr_cb, &ctx) < 0 ? -1 : 0;
}

int parse_genl(const struct nlmsghdr *nlh, const struct nlattr **tb, int max)
{
	struct parse_ctx ctx = { tb, max };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	return mnl_attr_parse(nlh, GENL_HDRLEN, parse_attr_cb, &ctx) < 0 ?
	       -1 : 0;
}

int attr_get_endpoint(const struct nlattr *nest, struct endpoint *ep)
{
	const struct nlattr *tb[PAXOS_A_ADDR_MAX + 1];

	memset(ep, 0, sizeof(*ep));
	if (parse_nested(nest, tb, PAXOS_A_ADDR_MAX) || !tb[PAXOS_A_ADDR_PORT])
		return -1;
	if (tb[PAXOS_A_ADDR_IPV4] &&
	    mnl_attr_get_payload_len(tb[PAXOS_A_ADDR_IPV4]) == 4) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(tb[PAXOS_A_ADDR_IPV4]),
		       4);
	} else if (tb[PAXOS_A_ADDR_IPV6] &&
		   mnl_attr_get_payload_len(tb[PAXOS_A_ADDR_IPV6]) == 16) {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(tb[PAXOS_A_ADDR_IPV6]),
		       16);
	} else {
		return -1;
	}
	ep->port = mnl_attr_get_u16(tb[PAXOS_A_ADDR_PORT]);
	return 0;
}

/* --- the dry run: decode a request with the attribute tables --- */

static void dump_attrs(const struct paxos_attr_set *set, const void *start,
		       size_t len);

static void dump_one(const struct paxos_attr_desc *d, const struct nlattr *a,
		     const char *key)
{
	const void *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);
	char buf[INET6_ADDRSTRLEN];
	__u64 v = 0;

	switch (d->type) {
	case PAXOS_AT_U8:
		v = len >= 1 ? *(const __u8 *)p : 0;
		break;
	case PAXOS_AT_U16:
		v = len >= 2 ? mnl_attr_get_u16(a) : 0;
		break;
	case PAXOS_AT_U32:
		v = len >= 4 ? mnl_attr_get_u32(a) : 0;
		break;
	case PAXOS_AT_UINT:
		v = attr_get_uint(a);
		break;
	case PAXOS_AT_BINARY:
		if (attr_secret(d)) {
			snprintf(buf, sizeof(buf), "(%zu bytes, not shown)", len);
			json_key_string(key, buf);
		} else if (d->display_hint && !strcmp(d->display_hint, "ipv4") &&
			   len == 4 && inet_ntop(AF_INET, p, buf, sizeof(buf))) {
			json_key_string(key, buf);
		} else if (d->display_hint && !strcmp(d->display_hint, "ipv6") &&
			   len == 16 && inet_ntop(AF_INET6, p, buf, sizeof(buf))) {
			json_key_string(key, buf);
		} else {
			json_key_bytes(key, p, len);
		}
		return;
	case PAXOS_AT_STRING:
		json_key_bytes(key, p, len && !((const char *)p)[len - 1] ?
			       len - 1 : len);
		return;
	case PAXOS_AT_FLAG:
		json_key_bool(key, true);
		return;
	case PAXOS_AT_NEST:
		json_open_object(key);
		dump_attrs(d->nest, p, len);
		json_close_object();
		return;
	}
	/* An enum by its name; flags (a bit set) as the number. */
	if (d->enums && !d->enums->flags && v < d->enums->len &&
	    d->enums->names[v])
		json_key_string(key, d->enums->names[v]);
	else
		json_key_u64(key, v);
}

static void dump_attrs(const struct paxos_attr_set *set, const void *start,
		       size_t len)
{
	const struct nlattr *attr, *a, *b;
	char unknown[32];
	unsigned long long done = 0;

	mnl_attr_for_each_payload(start, len) {
		int type = mnl_attr_get_type(attr);
		const struct paxos_attr_desc *d = attr_lookup(set, type);

		a = attr;
		if (!d) {
			snprintf(unknown, sizeof(unknown), "attr-%d", type);
			json_key_bytes(unknown, mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a));
			continue;
		}
		if (!d->multi) {
			dump_one(d, a, d->name);
			continue;
		}
		if (type < 64 && (done & (1ull << type)))
			continue;
		if (type < 64)
			done |= 1ull << type;
		json_open_array(d->name);
		b = a;
		for (; mnl_attr_ok(b, (const char *)start + len - (const char *)b);
		     b = mnl_attr_next(b))
			if (mnl_attr_get_type(b) == type)
				dump_one(d, b, NULL);
		json_close_array();
	}
}

static void dry_run_print(const struct nl_req *req)
{
	const struct nlmsghdr *nlh = req->nlh;

	json_open_object(NULL);
	json_key_string("family", PAXOS_FAMILY_NAME);
	json_key_string("op", req->op);
	json_key_string("type", nlh->nlmsg_flags & NLM_F_DUMP ? "dump" : "do");
	json_open_object("request");
	dump_attrs(req->set, (const char *)mnl_nlmsg_get_payload(nlh) +
		   GENL_HDRLEN, nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	json_close_object();
	json_close_object();
	json_flush_line();
}

/* --- naming the attribute an extended ack points at --- */

static bool find_attr_path(const struct paxos_attr_set *set, const void *start,
			   size_t len, size_t base, size_t target, char *path,
			   size_t plen)
{
	const struct nlattr *attr;
	int index[PAXOS_A_GROUP_MAX + 8] = { 0 };

	mnl_attr_for_each_payload(start, len) {
		const struct nlattr *a = attr;
		int type = mnl_attr_get_type(a);
		const struct paxos_attr_desc *d = attr_lookup(set, type);
		size_t off = base + ((const char *)a - (const char *)start);
		size_t used = strlen(path);
		char name[64];

		if (d && d->multi)
			snprintf(name, sizeof(name), "%s[%d]", d->name,
				 index[type]);
		else
			snprintf(name, sizeof(name), "%s",
				 d ? d->name : "unknown");
		if (type < (int)(ARRAY_SIZE(index)))
			index[type]++;
		if (target < off || target >= off + a->nla_len)
			continue;
		snprintf(path + used, plen - used, "%s%s", used ? "." : "",
			 name);
		/* Inside a nest but on none of its attributes: the nest. */
		if (target != off && d && d->type == PAXOS_AT_NEST)
			find_attr_path(d->nest, mnl_attr_get_payload(a),
				       mnl_attr_get_payload_len(a),
				       off + NLA_HDRLEN, target, path, plen);
		return true;
	}
	return false;
}

static void attr_path(const struct nl_req *req, __u32 offset, char *path,
		      size_t plen)
{
	const struct nlmsghdr *nlh = req->nlh;
	size_t base = NLMSG_HDRLEN + GENL_HDRLEN;

	path[0] = '\0';
	if (!find_attr_path(req->set, (const char *)nlh + base,
			    nlh->nlmsg_len - base, base, offset, path, plen))
		snprintf(path, plen, "at offset %u", offset);
}

static const struct paxos_attr_set *set_at(const struct nl_req *req, __u32 offset)
{
	const struct nlmsghdr *nlh = req->nlh;
	const struct paxos_attr_set *set = req->set;
	size_t base = NLMSG_HDRLEN + GENL_HDRLEN;
	const void *start = (const char *)nlh + base;
	size_t len = nlh->nlmsg_len - base;
	const struct nlattr *attr;

again:
	mnl_attr_for_each_payload(start, len) {
		const struct nlattr *a = attr;
		const struct paxos_attr_desc *d = attr_lookup(set, mnl_attr_get_type(a));
		size_t off = (const char *)a - (const char *)nlh;

		if (offset == off)
			return d && d->type == PAXOS_AT_NEST ? d->nest : NULL;
		if (d && d->type == PAXOS_AT_NEST && offset > off &&
		    offset < off + a->nla_len) {
			set = d->nest;
			start = mnl_attr_get_payload(a);
			len = mnl_attr_get_payload_len(a);
			goto again;
		}
	}
	return NULL;
}

struct ext_ack {
	const char *msg;
	bool have_offs, have_miss, have_miss_nest;
	__u32 offs, miss_type, miss_nest;
};

static int ext_ack_cb(const struct nlattr *attr, void *data)
{
	struct ext_ack *ea = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (!mnl_attr_validate(attr, MNL_TYPE_NUL_STRING))
			ea->msg = mnl_attr_get_str(attr);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32)) {
			ea->offs = mnl_attr_get_u32(attr);
			ea->have_offs = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32)) {
			ea->miss_type = mnl_attr_get_u32(attr);
			ea->have_miss = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		if (!mnl_attr_validate(attr, MNL_TYPE_U32)) {
			ea->miss_nest = mnl_attr_get_u32(attr);
			ea->have_miss_nest = true;
		}
		break;
	}
	return MNL_CB_OK;
}

static const char *errno_hint(int err)
{
	switch (err) {
	case EPERM:
		return " (this needs CAP_NET_ADMIN)";
	default:
		return "";
	}
}

/* @payload_off: where the TLVs start, relative to the message payload. */
static void report_error(const struct nl_req *req, const struct nlmsghdr *nlh,
			 int err, size_t payload_off)
{
	struct ext_ack ea = { 0 };
	char path[256];

	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_parse(nlh, payload_off, ext_ack_cb, &ea);
	fprintf(stderr, PROG ": %s: %s%s", req->op, strerror(err),
		ea.msg ? "" : errno_hint(err));
	if (ea.msg)
		fprintf(stderr, ": %s", ea.msg);
	if (ea.have_offs) {
		attr_path(req, ea.offs, path, sizeof(path));
		fprintf(stderr, " (attribute %s)", path);
	}
	if (ea.have_miss) {
		const struct paxos_attr_set *set = req->set;
		const struct paxos_attr_desc *d;

		if (ea.have_miss_nest)
			set = set_at(req, ea.miss_nest);
		d = attr_lookup(set, ea.miss_type);
		fprintf(stderr, " (missing attribute %s", d ? d->name : "?");
		if (!d)
			fprintf(stderr, " %u", ea.miss_type);
		if (ea.have_miss_nest) {
			attr_path(req, ea.miss_nest, path, sizeof(path));
			fprintf(stderr, " in %s", path);
		}
		fputc(')', stderr);
	}
	fputc('\n', stderr);
}

/* --- the socket --- */

static char rxbuf[NL_BUF_SIZE];

/* Messages the kernel sends to this socket on its own (propose-ntf), which
 * may arrive in the middle of an exchange.
 */
static nl_msg_cb event_cb;
static void *event_data;

void nl_set_event_cb(nl_msg_cb cb, void *data)
{
	event_cb = cb;
	event_data = data;
}

static bool is_unicast_event(const struct nlmsghdr *m)
{
	const struct genlmsghdr *genl;

	if (!family_id || m->nlmsg_type != family_id ||
	    m->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	genl = mnl_nlmsg_get_payload(m);
	return genl->cmd == PAXOS_CMD_PROPOSE_NTF;
}

static int ctrl_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr *grp, *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];

	(void)data;
	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		family_id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			if (parse_nested(grp, tb, CTRL_ATTR_MCAST_GRP_MAX) ||
			    !tb[CTRL_ATTR_MCAST_GRP_NAME] ||
			    !tb[CTRL_ATTR_MCAST_GRP_ID])
				continue;
			if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				    PAXOS_MCGRP_EVENTS))
				events_group =
					mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
		}
		break;
	}
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	return mnl_attr_parse(nlh, GENL_HDRLEN, ctrl_attr_cb, NULL) < 0 ?
	       -1 : 0;
}

static int nl_exchange(struct nl_req *req, nl_msg_cb cb, void *data);

static int resolve_family(void)
{
	struct nl_req *req = calloc(1, sizeof(*req));
	struct genlmsghdr *genl;
	int err;

	if (!req)
		return -EXIT_REQUEST;
	req->buf = calloc(1, MNL_SOCKET_BUFFER_SIZE);
	if (!req->buf) {
		free(req);
		return -EXIT_REQUEST;
	}
	req->op = "resolve family";
	req->nlh = mnl_nlmsg_put_header(req->buf);
	req->nlh->nlmsg_type = GENL_ID_CTRL;
	req->nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(req->nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(req->nlh, CTRL_ATTR_FAMILY_NAME, PAXOS_FAMILY_NAME);
	err = nl_exchange(req, ctrl_cb, NULL);
	nl_req_free(req);
	if (err == -ENOENT) {
		fprintf(stderr, PROG
			": generic netlink family \"%s\" not found (is the paxos module loaded?)\n",
			PAXOS_FAMILY_NAME);
		return -EXIT_REQUEST;
	}
	if (err)
		return -EXIT_REQUEST;
	return 0;
}

int nl_open(void)
{
	int one = 1, rcvbuf = 4 << 20;

	if (nl)
		return 0;
	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl) {
		fprintf(stderr, PROG ": netlink socket: %s\n", strerror(errno));
		return -EXIT_REQUEST;
	}
	/* Best effort: older kernels lack them and errors stay readable. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE,
		       &rcvbuf, sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF,
			   &rcvbuf, sizeof(rcvbuf));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, PROG ": netlink bind: %s\n", strerror(errno));
		mnl_socket_close(nl);
		nl = NULL;
		return -EXIT_REQUEST;
	}
	seq = time(NULL);
	return resolve_family();
}

void nl_close(void)
{
	if (nl)
		mnl_socket_close(nl);
	nl = NULL;
}

/* Returns 0, a negative errno the kernel sent (already reported, except
 * ENOENT while resolving the family), or -EXIT_REQUEST.
 */
static int nl_exchange(struct nl_req *req, nl_msg_cb cb, void *data)
{
	__u32 portid = mnl_socket_get_portid(nl);
	struct nlmsghdr *nlh = req->nlh;
	bool resolving = nlh->nlmsg_type == GENL_ID_CTRL;
	ssize_t got;
	int n;

	nlh->nlmsg_seq = ++seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		fprintf(stderr, PROG ": %s: send: %s\n", req->op,
			strerror(errno));
		return -EXIT_REQUEST;
	}
	for (;;) {
		const struct nlmsghdr *m;

		got = mnl_socket_recvfrom(nl, rxbuf, sizeof(rxbuf));
		n = got;
		if (got < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": %s: receive: %s\n", req->op,
				strerror(errno));
			return -EXIT_REQUEST;
		}
		for (m = (void *)rxbuf; mnl_nlmsg_ok(m, n);
		     m = mnl_nlmsg_next(m, &n)) {
			if (event_cb && !resolving && is_unicast_event(m)) {
				if (event_cb(m, event_data) < 0)
					return -EXIT_REQUEST;
				continue;
			}
			if (m->nlmsg_seq != nlh->nlmsg_seq ||
			    (m->nlmsg_pid && m->nlmsg_pid != portid))
				continue;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(m);
				size_t off = sizeof(*e);

				if (m->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
					return -EXIT_REQUEST;
				if (!e->error)
					return 0;
				if (resolving && e->error == -ENOENT)
					return -ENOENT;
				if (!(m->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (!req->quiet)
					report_error(req, m, -e->error, off);
				return e->error;
			}
			if (m->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (m->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					err = *(const int *)mnl_nlmsg_get_payload(m);
				if (err) {
					if (!req->quiet)
						report_error(req, m, -err,
							     sizeof(int));
					return err;
				}
				return 0;
			}
			if (m->nlmsg_type < NLMSG_MIN_TYPE)
				continue;
			if (cb && cb(m, data) < 0)
				return -EXIT_REQUEST;
		}
	}
}

int nl_run(struct nl_req *req, nl_msg_cb cb, void *data)
{
	int err;

	/* Without an ack or the end of a dump, the wait would never end. */
	if (!(req->nlh->nlmsg_flags & NLM_F_DUMP))
		req->nlh->nlmsg_flags |= NLM_F_ACK;

	if (opt.dry_run) {
		dry_run_print(req);
		return 0;
	}
	err = nl_open();
	if (err)
		return err;
	req->nlh->nlmsg_type = family_id;
	err = nl_exchange(req, cb, data);
	return err ? -EXIT_REQUEST : 0;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Hands the events that arrive (see nl_set_event_cb()) to their callback
 * until *@done or @timeout_ms passed.  Returns 0, -ETIMEDOUT, or
 * -EXIT_REQUEST (reported).
 */
int nl_wait_events(const bool *done, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pollfd pfd = { .fd = mnl_socket_get_fd(nl), .events = POLLIN };
	long long left;
	ssize_t got;
	int n;

	while (!*done) {
		const struct nlmsghdr *m;

		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : left);
		if (n < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": poll: %s\n", strerror(errno));
			return -EXIT_REQUEST;
		}
		if (n <= 0)
			continue;
		got = recv(pfd.fd, rxbuf, sizeof(rxbuf), MSG_DONTWAIT);
		n = got;
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			/* ENOBUFS: what was lost may be the one awaited. */
			fprintf(stderr, PROG ": waiting for the kernel: %s\n",
				strerror(errno));
			return -EXIT_REQUEST;
		}
		for (m = (void *)rxbuf; mnl_nlmsg_ok(m, n);
		     m = mnl_nlmsg_next(m, &n)) {
			if (event_cb && is_unicast_event(m) &&
			    event_cb(m, event_data) < 0)
				return -EXIT_REQUEST;
		}
	}
	return 0;
}

/* Runs until a signal interrupts the receive (monitor.c installs the
 * handlers without SA_RESTART) or a callback fails.
 */
int nl_monitor(nl_msg_cb cb, void *data)
{
	ssize_t got;
	int n, err;

	err = nl_open();
	if (err)
		return err;
	if (!events_group) {
		fprintf(stderr, PROG ": the paxos family has no \"%s\" multicast group\n",
			PAXOS_MCGRP_EVENTS);
		return -EXIT_REQUEST;
	}
	if (mnl_socket_setsockopt(nl, NETLINK_ADD_MEMBERSHIP, &events_group,
				  sizeof(events_group)) < 0) {
		fprintf(stderr, PROG ": monitor: join \"%s\": %s\n",
			PAXOS_MCGRP_EVENTS, strerror(errno));
		return -EXIT_REQUEST;
	}
	for (;;) {
		const struct nlmsghdr *m;

		got = mnl_socket_recvfrom(nl, rxbuf, sizeof(rxbuf));
		n = got;
		if (got < 0) {
			if (errno == EINTR)
				return 0;
			if (errno == ENOBUFS) {
				fprintf(stderr, PROG
					": monitor: events were lost (receive buffer full)\n");
				continue;
			}
			fprintf(stderr, PROG ": monitor: %s\n", strerror(errno));
			return -EXIT_REQUEST;
		}
		for (m = (void *)rxbuf; mnl_nlmsg_ok(m, n);
		     m = mnl_nlmsg_next(m, &n)) {
			if (m->nlmsg_type != family_id)
				continue;
			if (cb(m, data) < 0)
				return -EXIT_REQUEST;
		}
	}
}
