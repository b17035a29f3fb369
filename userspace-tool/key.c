// SPDX-License-Identifier: GPL-2.0
/*
 * paxosctl: group keys, as wg(8) handles its private keys.  A key is
 * PAXOS_KEY_LEN random bytes written in base64 (44 characters); it comes
 * from the command line ("key"), a file of its own ("keyfile", refused when
 * others may read it) or the cluster file, and goes only into the netlink
 * request: it is never printed, and every copy is wiped after use.
 *
 *	paxosctl genkey > group.key
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <linux/paxos.h>

#include "paxosctl.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard base64 with padding: 32 bytes give 43 characters and one '='. */
void key_to_base64(char out[KEY_B64_LEN + 1], const __u8 key[PAXOS_KEY_LEN])
{
	unsigned int i, o = 0, v;

	for (i = 0; i + 3 <= PAXOS_KEY_LEN; i += 3) {
		v = key[i] << 16 | key[i + 1] << 8 | key[i + 2];
		out[o++] = b64_alphabet[v >> 18 & 63];
		out[o++] = b64_alphabet[v >> 12 & 63];
		out[o++] = b64_alphabet[v >> 6 & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	/* PAXOS_KEY_LEN % 3 == 2: two bytes left, one '=' of padding. */
	v = key[i] << 16 | key[i + 1] << 8;
	out[o++] = b64_alphabet[v >> 18 & 63];
	out[o++] = b64_alphabet[v >> 12 & 63];
	out[o++] = b64_alphabet[v >> 6 & 63];
	out[o++] = '=';
	out[o] = '\0';
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alphabet, c) : NULL;

	return p ? p - b64_alphabet : -1;
}

/* Only the one canonical spelling of a key is accepted: exactly 44
 * characters, the padding, and zero in the bits the last character has
 * beyond the key (as wg's key_from_base64()).
 */
bool key_from_base64(__u8 key[PAXOS_KEY_LEN], const char *s)
{
	unsigned int i, o = 0, v;
	int d[4], k;

	if (strlen(s) != KEY_B64_LEN || s[KEY_B64_LEN - 1] != '=')
		goto bad;
	for (i = 0; i < KEY_B64_LEN; i += 4) {
		bool last = i + 4 == KEY_B64_LEN;

		for (k = 0; k < 4; k++) {
			d[k] = last && k == 3 ? 0 : b64_value(s[i + k]);
			if (d[k] < 0)
				goto bad;
		}
		v = d[0] << 18 | d[1] << 12 | d[2] << 6 | d[3];
		if (last && (d[2] & 3))
			goto bad;
		key[o++] = v >> 16;
		key[o++] = v >> 8;
		if (!last)
			key[o++] = v;
	}
	return true;
bad:
	explicit_bzero(key, PAXOS_KEY_LEN);
	return false;
}

static bool key_is_zero(const __u8 key[PAXOS_KEY_LEN])
{
	__u8 acc = 0;
	int i;

	for (i = 0; i < PAXOS_KEY_LEN; i++)
		acc |= key[i];
	return !acc;
}

/* @what names where the key came from, for the message. */
int key_parse(const char *what, const char *s, __u8 key[PAXOS_KEY_LEN])
{
	if (!key_from_base64(key, s))
		return usage_error("%s: not a key (%d base64 characters from \"paxosctl genkey\")",
				   what, KEY_B64_LEN);
	if (key_is_zero(key))
		return usage_error("%s: the key is all zeros", what);
	return 0;
}

/* A key file holds the base64 key and maybe white space around it.  Like
 * ssh with private keys, refuse a file that someone else may read or
 * replace: the key is the group's only defence.
 */
int key_read_file(const char *path, __u8 key[PAXOS_KEY_LEN])
{
	char buf[128], what[300], *s, *e;
	struct stat st;
	ssize_t n;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return usage_error("key file %s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		err = usage_error("key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISREG(st.st_mode) && (st.st_mode & 0077)) {
		fprintf(stderr,
			"%s: key file %s is accessible by group or others (mode %04o); \"chmod 600 %s\" first\n",
			PROG, path, st.st_mode & 07777, path);
		err = -EXIT_USAGE;
		goto out;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		err = usage_error("key file %s: %s", path, strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	s = buf;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r'))
		*--e = '\0';
	if ((size_t)n == sizeof(buf) - 1 || strchr(s, '\n')) {
		err = usage_error("key file %s: not a key (one line of %d base64 characters)",
				  path, KEY_B64_LEN);
		goto out;
	}
	snprintf(what, sizeof(what), "key file %s", path);
	err = key_parse(what, s, key);
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return err;
}

/* Hides a key given on the command line from ps(1) as soon as it is read
 * (it was visible until then: "keyfile" is the safer way).
 */
void key_wipe_arg(char *arg)
{
	memset(arg, 'x', strlen(arg));
}

static void genkey_usage(FILE *f)
{
	fputs("Usage: paxosctl genkey\n"
	      "Prints a new random group key: 32 bytes from getrandom(2), in base64.\n"
	      "Keep it secret, e.g. (umask 077; paxosctl genkey > group.key).\n", f);
}

int do_genkey(int argc, char **argv)
{
	char b64[KEY_B64_LEN + 1];
	__u8 key[PAXOS_KEY_LEN];
	struct stat st;
	size_t got = 0;
	ssize_t n;

	if (argc > 0 && matches(*argv, "help")) {
		genkey_usage(stdout);
		return 0;
	}
	if (argc > 0) {
		genkey_usage(stderr);
		return usage_error("genkey: unknown word \"%s\"", *argv);
	}
	if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode) &&
	    (st.st_mode & 0077))
		fprintf(stderr,
			"%s: warning: writing the key to a file that group or others may read; set the umask to 077 first\n",
			PROG);
	while (got < sizeof(key)) {
		n = getrandom(key + got, sizeof(key) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, PROG ": genkey: getrandom: %s\n",
				strerror(errno));
			return -EXIT_REQUEST;
		}
		got += n;
	}
	key_to_base64(b64, key);
	explicit_bzero(key, sizeof(key));
	printf("%s\n", b64);
	explicit_bzero(b64, sizeof(b64));
	return 0;
}
