// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of paxosctl's key codec (key.c): known vectors both ways, the
 * round trip of many keys, and every non-canonical or malformed spelling
 * refused.  The tool never prints a key it was given, so this is where the
 * decoded bytes are checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "../paxosctl.h"

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

struct vector {
	const char *b64;
	__u8 first, last;	/* bytes 0 and 31; the others as described */
	int kind;		/* 0: i, 1: 0xff, 2: zero but the last */
};

static const struct vector vectors[] = {
	{ "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 0, 31, 0 },
	{ "//////////////////////////////////////////8=", 0xff, 0xff, 1 },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=", 0, 1, 2 },
};

static void vector_key(const struct vector *v, __u8 *key)
{
	int i;

	for (i = 0; i < PAXOS_KEY_LEN; i++)
		key[i] = v->kind == 0 ? i : v->kind == 1 ? 0xff : 0;
	key[PAXOS_KEY_LEN - 1] = v->last;
}

static const char *const malformed[] = {
	"",
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",	/* no padding */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8==",	/* 45 */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",	/* stray bits */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh/=",
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A",	/* no '=' */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd=h8=",	/* '=' inside */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd-h8=",	/* base64url */
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd_h8=",
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd h8=",
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n",
	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdH\xe9=",
};

int main(void)
{
	char b64[KEY_B64_LEN + 1];
	__u8 key[PAXOS_KEY_LEN], want[PAXOS_KEY_LEN], back[PAXOS_KEY_LEN];
	size_t i;
	int n;

	CHECK(KEY_B64_LEN == 44, "KEY_B64_LEN %d", KEY_B64_LEN);
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		vector_key(&vectors[i], want);
		key_to_base64(b64, want);
		CHECK(!strcmp(b64, vectors[i].b64), "encode vector %zu: %s",
		      i, b64);
		memset(key, 0x5a, sizeof(key));
		CHECK(key_from_base64(key, vectors[i].b64) &&
		      !memcmp(key, want, sizeof(key)), "decode vector %zu", i);
	}
	for (n = 0; n < 10000; n++) {
		if (getrandom(want, sizeof(want), 0) != sizeof(want))
			return 1;
		key_to_base64(b64, want);
		CHECK(strlen(b64) == KEY_B64_LEN && key_from_base64(back, b64) &&
		      !memcmp(back, want, sizeof(back)), "round trip %s", b64);
	}
	for (i = 0; i < ARRAY_SIZE(malformed); i++) {
		memset(key, 0x5a, sizeof(key));
		CHECK(!key_from_base64(key, malformed[i]), "accepted \"%s\"",
		      malformed[i]);
		/* A refused key leaves nothing of itself behind. */
		memset(want, 0, sizeof(want));
		CHECK(!memcmp(key, want, sizeof(key)),
		      "refused \"%s\" left bytes", malformed[i]);
	}
	printf("key codec: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
