// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: words, numbers and UDP endpoints from the command line and the
 * cluster file.  Everything here is checked before it reaches the kernel, so
 * a typo gets a message that names the word instead of an EINVAL.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paxosctl.h"

int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -EXIT_USAGE;
}

/* Keywords are never abbreviated: "m" could be member, mode or
 * max-value-size, and a guess is worse than an error.
 */
bool matches(const char *word, const char *keyword)
{
	return !strcmp(word, keyword);
}

int need_arg(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("\"%s\" needs an argument", argv[0]);
	return 0;
}

int parse_u64_range(const char *what, const char *s, __u64 min, __u64 max,
		    __u64 *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return usage_error("%s: \"%s\" is not a number", what, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return usage_error("%s: \"%s\" is not a number", what, s);
	if (errno == ERANGE || v < min || v > max)
		return usage_error("%s: %s is out of range %llu..%llu", what,
				   s, (unsigned long long)min,
				   (unsigned long long)max);
	*out = v;
	return 0;
}

int parse_u32_range(const char *what, const char *s, __u32 min, __u32 max,
		    __u32 *out)
{
	__u64 v;
	int err;

	err = parse_u64_range(what, s, min, max, &v);
	if (!err)
		*out = v;
	return err;
}

/* "198.18.1.2:7000", "[2001:db8::1]:7000"; the port is 1..65535. */
int parse_endpoint(const char *s, struct endpoint *ep, const char **why)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *colon, *hs;
	unsigned long port;
	size_t hl;
	char *end;

	memset(ep, 0, sizeof(*ep));
	if (*s == '[') {
		const char *close = strchr(s, ']');

		if (!close) {
			*why = "missing ']' after the IPv6 address";
			return -1;
		}
		hs = s + 1;
		hl = close - hs;
		colon = close + 1;
		if (*colon != ':') {
			*why = "missing \":port\" after ']'";
			return -1;
		}
		ep->family = AF_INET6;
	} else {
		colon = strrchr(s, ':');
		if (!colon) {
			*why = "missing \":port\"";
			return -1;
		}
		if (memchr(s, ':', colon - s)) {
			*why = "an IPv6 address must be written [address]:port";
			return -1;
		}
		hs = s;
		hl = colon - s;
		ep->family = AF_INET;
	}
	if (!hl || hl >= sizeof(host)) {
		*why = "bad address";
		return -1;
	}
	memcpy(host, hs, hl);
	host[hl] = '\0';
	if (inet_pton(ep->family, host, &ep->addr) != 1) {
		*why = ep->family == AF_INET ? "bad IPv4 address" :
					       "bad IPv6 address";
		return -1;
	}
	colon++;
	if (*colon < '0' || *colon > '9') {
		*why = "bad port";
		return -1;
	}
	errno = 0;
	port = strtoul(colon, &end, 10);
	if (*end || errno || port < 1 || port > 65535) {
		*why = "port must be 1..65535";
		return -1;
	}
	ep->port = port;
	return 0;
}

void format_endpoint(const struct endpoint *ep, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];

	inet_ntop(ep->family, &ep->addr, host, sizeof(host));
	if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", host, ep->port);
	else
		snprintf(buf, len, "%s:%u", host, ep->port);
}

bool endpoint_equal(const struct endpoint *a, const struct endpoint *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	if (a->family == AF_INET)
		return a->addr.v4.s_addr == b->addr.v4.s_addr;
	return !memcmp(&a->addr.v6, &b->addr.v6, sizeof(a->addr.v6));
}
