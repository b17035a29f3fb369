// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: one printing path for text and JSON, as iproute2's json_print:
 * each print_*() call names the JSON key and the text format of one field,
 * and prints whichever the command line asked for.
 *
 * JSON strings carry values as text when they are valid UTF-8; other values
 * go in a "<key>-hex" member instead, so nothing is lost or mangled.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "paxosctl.h"

#define MAX_DEPTH 16

static int depth;
static bool need_comma[MAX_DEPTH];

static void json_newline_indent(void)
{
	int i;

	if (!opt.pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void json_string_raw(const unsigned char *s, size_t len)
{
	size_t i;

	putchar('"');
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
	}
	putchar('"');
}

static void json_key(const char *key)
{
	if (depth > 0 && need_comma[depth])
		putchar(',');
	if (depth > 0) {
		need_comma[depth] = true;
		json_newline_indent();
	}
	if (key) {
		json_string_raw((const unsigned char *)key, strlen(key));
		fputs(opt.pretty ? ": " : ":", stdout);
	}
}

void json_open_object(const char *key)
{
	json_key(key);
	putchar('{');
	if (depth < MAX_DEPTH - 1)
		depth++;
	need_comma[depth] = false;
}

void json_close_object(void)
{
	bool had = need_comma[depth];

	if (depth > 0)
		depth--;
	if (had)
		json_newline_indent();
	putchar('}');
}

void json_open_array(const char *key)
{
	json_key(key);
	putchar('[');
	if (depth < MAX_DEPTH - 1)
		depth++;
	need_comma[depth] = false;
}

void json_close_array(void)
{
	bool had = need_comma[depth];

	if (depth > 0)
		depth--;
	if (had)
		json_newline_indent();
	putchar(']');
}

/* Ends one top-level JSON document (a line for `-j monitor`). */
void json_flush_line(void)
{
	putchar('\n');
	fflush(stdout);
}

void json_key_u64(const char *key, __u64 v)
{
	json_key(key);
	printf("%llu", (unsigned long long)v);
}

void json_key_string(const char *key, const char *s)
{
	json_key(key);
	json_string_raw((const unsigned char *)s, strlen(s));
}

void json_key_bool(const char *key, bool v)
{
	json_key(key);
	fputs(v ? "true" : "false", stdout);
}

static bool valid_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n, k;
		unsigned int cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

void json_key_bytes(const char *key, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	char hexkey[64];
	size_t i;

	if (valid_utf8(p, len)) {
		json_key(key);
		json_string_raw(p, len);
		return;
	}
	snprintf(hexkey, sizeof(hexkey), "%s-hex", key ? key : "value");
	json_key(hexkey);
	putchar('"');
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('"');
}

/* C-style escaping for text output: one value stays on one line. */
void escape_bytes(const void *buf, size_t len, char *out, size_t outlen)
{
	const unsigned char *p = buf;
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < outlen; i++) {
		unsigned char c = p[i];

		if (c == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (c == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else if (c == '\t') {
			out[o++] = '\\';
			out[o++] = 't';
		} else if (c == '"') {
			out[o++] = '\\';
			out[o++] = '"';
		} else if (c < 0x20 || c >= 0x7f) {
			o += snprintf(out + o, outlen - o, "\\x%02x", c);
		} else {
			out[o++] = c;
		}
	}
	if (i < len && o + 4 < outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* --- the shared path --- */

/* A list's "[" is written with its first item, so that a request that
 * fails prints nothing on stdout; an empty list that succeeded is "[]".
 */
static bool list_pending, list_open;

void print_open(void)
{
	if (opt.json)
		list_pending = true;
}

void print_close(bool ok)
{
	if (list_pending && ok)
		json_open_array(NULL);
	if (list_open || (list_pending && ok)) {
		json_close_array();
		json_flush_line();
	}
	list_pending = false;
	list_open = false;
}

void open_object(const char *key)
{
	if (!opt.json)
		return;
	if (list_pending && depth == 0) {
		json_open_array(NULL);
		list_pending = false;
		list_open = true;
	}
	json_open_object(key);
}

void close_object(void)
{
	if (opt.json)
		json_close_object();
}

void open_array(const char *key)
{
	if (opt.json)
		json_open_array(key);
}

void close_array(void)
{
	if (opt.json)
		json_close_array();
}

void print_u64(const char *key, const char *fmt, __u64 v)
{
	if (opt.json)
		json_key_u64(key, v);
	else if (fmt)
		printf(fmt, (unsigned long long)v);
}

void print_string(const char *key, const char *fmt, const char *s)
{
	if (opt.json)
		json_key_string(key, s);
	else if (fmt)
		printf(fmt, s);
}

void print_bool(const char *key, const char *fmt, bool v)
{
	if (opt.json)
		json_key_bool(key, v);
	else if (fmt)
		printf(fmt, v ? "yes" : "no");
}

void print_value(const char *key, const char *fmt, const void *buf,
		 size_t len)
{
	static char esc[4 * 65536 + 8];

	if (opt.json) {
		json_key_bytes(key, buf, len);
	} else if (fmt) {
		escape_bytes(buf, len, esc, sizeof(esc));
		printf(fmt, esc);
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (opt.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void print_nl(void)
{
	if (!opt.json)
		putchar('\n');
}
