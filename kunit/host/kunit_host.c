// SPDX-License-Identifier: GPL-2.0
/* Runner for the KUnit suites in the userspace build. */
#include <kunit/test.h>

#define MAX_SUITES 32

static struct kunit_suite *suites[MAX_SUITES];
static int nr_suites;

struct resource {
	struct resource *next;
};

void host_kunit_register(struct kunit_suite **s)
{
	for (; *s; s++)
		if (nr_suites < MAX_SUITES)
			suites[nr_suites++] = *s;
}

void host_kunit_fail(struct kunit *test, const char *file, int line,
		     bool fatal, const char *fmt, ...)
{
	va_list ap;

	test->failed = 1;
	fprintf(stderr, "    # %s: FAIL at %s:%d: ", test->name, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (fatal)
		longjmp(test->abort, 1);
}

void host_kunit_log(struct kunit *test, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "    # %s: ", test ? test->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct resource *r = kzalloc(sizeof(*r) + size, gfp);

	if (!r)
		return NULL;
	r->next = test->resources;
	test->resources = r;
	return r + 1;
}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kzalloc(test, size, gfp);
}

static void free_resources(struct kunit *test)
{
	struct resource *r = test->resources, *n;

	for (; r; r = n) {
		n = r->next;
		kfree(r);
	}
	test->resources = NULL;
}

static int run_one(struct kunit_suite *suite, struct kunit_case *c,
		   const void *param, const char *desc, bool verbose)
{
	struct kunit test = { .name = c->name, .param_value = param };
	u32 warnings = host_warnings;

	if (setjmp(test.abort) == 0) {
		if (!suite->init || !suite->init(&test))
			c->run_case(&test);
	}
	if (host_warnings != warnings) {
		fprintf(stderr, "    # %s: the core WARNed\n", c->name);
		test.failed = 1;
	}
	if (suite->exit)
		suite->exit(&test);
	free_resources(&test);
	if (test.failed || verbose)
		fprintf(stderr, "  %s %s.%s%s%s\n", test.failed ? "not ok" : "ok",
			suite->name, c->name, desc ? " " : "", desc ? desc : "");
	return test.failed;
}

/* Run every registered suite whose name contains @filter; returns failures. */
int host_kunit_run(const char *filter, bool verbose, int *nr_run)
{
	int s, failed = 0;

	*nr_run = 0;
	for (s = 0; s < nr_suites; s++) {
		struct kunit_suite *suite = suites[s];
		struct kunit_case *c;

		/* The simulation runs from main() unless asked for by name. */
		if (filter ? !strstr(suite->name, filter) :
			     !strcmp(suite->name, "paxos_sim"))
			continue;
		for (c = suite->test_cases; c->run_case; c++) {
			if (!c->generate_params) {
				failed += run_one(suite, c, NULL, NULL, verbose);
				(*nr_run)++;
				continue;
			}
			{
				char desc[KUNIT_PARAM_DESC_SIZE];
				const void *p = NULL;

				for (;;) {
					desc[0] = 0;
					p = c->generate_params(p, desc);
					if (!p)
						break;
					failed += run_one(suite, c, p, desc, verbose);
					(*nr_run)++;
				}
			}
		}
	}
	return failed;
}
