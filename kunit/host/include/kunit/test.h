/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subset of KUnit that the paxos suites use, for the userspace build.
 * Same names and meaning as include/kunit/test.h; failures are reported on
 * stderr and ASSERTs abort the case with longjmp.
 */
#ifndef _HOST_KUNIT_TEST_H
#define _HOST_KUNIT_TEST_H

#include <setjmp.h>
#include "../host_kernel.h"

#define KUNIT_PARAM_DESC_SIZE 128

struct kunit {
	const char *name;
	int failed;
	const void *param_value;
	void *priv;
	jmp_buf abort;
	void *resources;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char name[256];
	int (*suite_init)(struct kunit_suite *suite);
	void (*suite_exit)(struct kunit_suite *suite);
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

void host_kunit_register(struct kunit_suite **suites);
__printf(5, 6) void host_kunit_fail(struct kunit *test, const char *file,
				    int line, bool fatal, const char *fmt, ...);
__printf(2, 3) void host_kunit_log(struct kunit *test, const char *fmt, ...);
void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp);

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kzalloc(test, n * size, gfp);
}
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);

#define KUNIT_CASE(f)			{ .run_case = f, .name = #f }
#define KUNIT_CASE_SLOW(f)		{ .run_case = f, .name = #f }
#define KUNIT_CASE_PARAM(f, gen)	{ .run_case = f, .name = #f, .generate_params = gen }
/* Attributes (speed) only matter to the kernel's runner. */
#define KUNIT_CASE_PARAM_ATTR(f, gen, attrs)	KUNIT_CASE_PARAM(f, gen)

#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ? ((typeof(__next))prev) + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {		\
			void (*__get_desc)(typeof(__next), char *) = get_desc;	\
			if (__get_desc)						\
				__get_desc(__next, desc);			\
			return __next;						\
		}								\
		return NULL;							\
	}

#define KUNIT_ARRAY_PARAM_DESC(name, array, desc_member)			\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		typeof((array)[0]) *__next = prev ? ((typeof(__next))prev) + 1 : (array); \
		if ((size_t)(__next - (array)) < ARRAY_SIZE((array))) {		\
			snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", __next->desc_member); \
			return __next;						\
		}								\
		return NULL;							\
	}

#define kunit_test_suites(...)						\
	static struct kunit_suite *__host_suites[] = { __VA_ARGS__, NULL };	\
	__attribute__((constructor)) static void __host_register(void)	\
	{ host_kunit_register(__host_suites); }
#define kunit_test_suite(s)	kunit_test_suites(&s)

#define kunit_info(test, fmt, ...)	host_kunit_log(test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)	host_kunit_log(test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)	host_kunit_log(test, fmt, ##__VA_ARGS__)

#define KUNIT_FAIL(test, fmt, ...) \
	host_kunit_fail(test, __FILE__, __LINE__, false, fmt, ##__VA_ARGS__)

#define __KUNIT_CMP(test, fatal, a, op, b, fmt, ...)			\
	do {								\
		typeof(a) __a = (a);					\
		typeof(b) __b = (b);					\
		if (!(__a op __b))					\
			host_kunit_fail(test, __FILE__, __LINE__, fatal,	\
				"Expected %s %s %s, but %lld vs %lld " fmt,	\
				#a, #op, #b, (long long)__a, (long long)__b,	\
				##__VA_ARGS__);				\
	} while (0)

#define __KUNIT_TRUE(test, fatal, c, fmt, ...)				\
	do {								\
		if (!(c))						\
			host_kunit_fail(test, __FILE__, __LINE__, fatal,	\
				"Expected %s " fmt, #c, ##__VA_ARGS__);	\
	} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	__KUNIT_CMP(t, false, a, ==, b, "")
#define KUNIT_EXPECT_NE(t, a, b)	__KUNIT_CMP(t, false, a, !=, b, "")
#define KUNIT_EXPECT_LT(t, a, b)	__KUNIT_CMP(t, false, a, <, b, "")
#define KUNIT_EXPECT_LE(t, a, b)	__KUNIT_CMP(t, false, a, <=, b, "")
#define KUNIT_EXPECT_GT(t, a, b)	__KUNIT_CMP(t, false, a, >, b, "")
#define KUNIT_EXPECT_GE(t, a, b)	__KUNIT_CMP(t, false, a, >=, b, "")
#define KUNIT_EXPECT_EQ_MSG(t, a, b, fmt, ...) __KUNIT_CMP(t, false, a, ==, b, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_TRUE(t, c)		__KUNIT_TRUE(t, false, c, "")
#define KUNIT_EXPECT_FALSE(t, c)	__KUNIT_TRUE(t, false, !(c), "")
#define KUNIT_EXPECT_TRUE_MSG(t, c, fmt, ...) __KUNIT_TRUE(t, false, c, fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_FALSE_MSG(t, c, fmt, ...) __KUNIT_TRUE(t, false, !(c), fmt, ##__VA_ARGS__)
#define KUNIT_EXPECT_NULL(t, p)		__KUNIT_TRUE(t, false, (p) == NULL, "")
#define KUNIT_EXPECT_NOT_NULL(t, p)	__KUNIT_TRUE(t, false, (p) != NULL, "")
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p) __KUNIT_TRUE(t, false, !IS_ERR_OR_NULL(p), "")
#define KUNIT_EXPECT_STREQ(t, a, b)	__KUNIT_TRUE(t, false, !strcmp(a, b), "(\"%s\" vs \"%s\")", a, b)
#define KUNIT_EXPECT_STREQ_MSG(t, a, b, fmt, ...) \
	__KUNIT_TRUE(t, false, !strcmp(a, b), "(\"%s\" vs \"%s\") " fmt, a, b, ##__VA_ARGS__)
#define KUNIT_EXPECT_MEMEQ(t, a, b, n)	__KUNIT_TRUE(t, false, !memcmp(a, b, n), "")

#define KUNIT_ASSERT_EQ(t, a, b)	__KUNIT_CMP(t, true, a, ==, b, "")
#define KUNIT_ASSERT_NE(t, a, b)	__KUNIT_CMP(t, true, a, !=, b, "")
#define KUNIT_ASSERT_LT(t, a, b)	__KUNIT_CMP(t, true, a, <, b, "")
#define KUNIT_ASSERT_LE(t, a, b)	__KUNIT_CMP(t, true, a, <=, b, "")
#define KUNIT_ASSERT_GT(t, a, b)	__KUNIT_CMP(t, true, a, >, b, "")
#define KUNIT_ASSERT_GE(t, a, b)	__KUNIT_CMP(t, true, a, >=, b, "")
#define KUNIT_ASSERT_TRUE(t, c)		__KUNIT_TRUE(t, true, c, "")
#define KUNIT_ASSERT_FALSE(t, c)	__KUNIT_TRUE(t, true, !(c), "")
#define KUNIT_ASSERT_TRUE_MSG(t, c, fmt, ...) __KUNIT_TRUE(t, true, c, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_NOT_NULL(t, p)	__KUNIT_TRUE(t, true, (p) != NULL, "")
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) __KUNIT_TRUE(t, true, !IS_ERR_OR_NULL(p), "")

#endif
