/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the few kernel facilities the paxos core, the
 * simulator and the unit tests use.  Semantics match the kernel's for
 * everything the code relies on; nothing here changes the core's behaviour.
 */
#ifndef _HOST_KERNEL_H
#define _HOST_KERNEL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
typedef unsigned int gfp_t;

#define GFP_KERNEL	0x1u
#define GFP_ATOMIC	0x2u

#define __packed	__attribute__((packed))
#define __init
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __exit
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

#define U8_MAX		((u8)~0U)
#define U16_MAX		((u16)~0U)
#define U32_MAX		((u32)~0U)
#define U64_MAX		((u64)~0ULL)
#define BIT(n)		(1UL << (n))
#define BIT_ULL(n)	(1ULL << (n))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define BUILD_BUG_ON(c)	_Static_assert(!(c), #c)
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
/* A WARN fails the seed (or unit test) that fired it: see main.c. */
extern u32 host_warnings;
void host_warn(const char *file, int line);
#define WARN_ON(c)	({ int __c = !!(c); if (__c) host_warn(__FILE__, __LINE__); __c; })
#define WARN_ON_ONCE(c)	WARN_ON(c)

#define min(a, b)	({ typeof(a) __a = (a); typeof(b) __b = (b); __a < __b ? __a : __b; })
#define max(a, b)	({ typeof(a) __a = (a); typeof(b) __b = (b); __a > __b ? __a : __b; })
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define max_t(t, a, b)	max((t)(a), (t)(b))
#define max3(a, b, c)	max(max(a, b), c)
#define clamp(v, lo, hi) min(max(v, lo), hi)

static inline unsigned int hweight32(u32 w) { return __builtin_popcount(w); }
static inline unsigned int hweight64(u64 w) { return __builtin_popcountll(w); }
static inline u64 roundup_pow_of_two(u64 n)
{
	return n <= 1 ? 1 : 1ULL << (64 - __builtin_clzll(n - 1));
}

/* Allocation: the gfp flags only matter to the kernel allocator. */
static inline void *kmalloc(size_t n, gfp_t gfp) { (void)gfp; return malloc(n ? n : 1); }
static inline void *kzalloc(size_t n, gfp_t gfp) { (void)gfp; return calloc(1, n ? n : 1); }
static inline void *kcalloc(size_t n, size_t sz, gfp_t gfp) { (void)gfp; return calloc(n ? n : 1, sz); }
static inline void *kmalloc_array(size_t n, size_t sz, gfp_t gfp) { (void)gfp; return malloc(n && sz ? n * sz : 1); }
static inline void *kvcalloc(size_t n, size_t sz, gfp_t gfp) { return kcalloc(n, sz, gfp); }
static inline void *kmemdup(const void *p, size_t n, gfp_t gfp)
{
	void *q = kmalloc(n, gfp);

	if (q)
		memcpy(q, p, n);
	return q;
}
static inline void kfree(const void *p) { free((void *)p); }
static inline void kvfree(const void *p) { free((void *)p); }

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long e) { return (void *)e; }
static inline long PTR_ERR(const void *p) { return (long)p; }
static inline bool IS_ERR(const void *p) { return IS_ERR_VALUE(p); }
static inline bool IS_ERR_OR_NULL(const void *p) { return !p || IS_ERR_VALUE(p); }

/* Unaligned little-endian access; the host is little endian (x86_64). */
BUILD_BUG_ON(__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__);
#define HOST_UNALIGNED(bits)						\
static inline u##bits get_unaligned_le##bits(const void *p)		\
{ u##bits v; memcpy(&v, p, sizeof(v)); return v; }			\
static inline void put_unaligned_le##bits(u##bits v, void *p)		\
{ memcpy(p, &v, sizeof(v)); }
HOST_UNALIGNED(16)
HOST_UNALIGNED(32)
HOST_UNALIGNED(64)

/* Module and export plumbing has no meaning in one program. */
#define EXPORT_SYMBOL(s)
#define EXPORT_SYMBOL_GPL(s)
#define EXPORT_SYMBOL_IF_KUNIT(s)
#define VISIBLE_IF_KUNIT
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_AUTHOR(x)
#define MODULE_IMPORT_NS(x)
#define MODULE_PARM_DESC(n, d)
#define module_param(name, type, perm)
#define module_init(f)
#define module_exit(f)

#define pr_info(fmt, ...)	printf(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	fprintf(stderr, fmt, ##__VA_ARGS__)
#define scnprintf(buf, n, fmt, ...) ({ int __r = snprintf(buf, n, fmt, ##__VA_ARGS__); \
	__r < 0 ? 0 : ((size_t)__r >= (size_t)(n) ? (int)(n) - 1 : __r); })
#define vscnprintf(buf, n, fmt, ap) ({ int __r = vsnprintf(buf, n, fmt, ap); \
	__r < 0 ? 0 : ((size_t)__r >= (size_t)(n) ? (int)(n) - 1 : __r); })

static inline void cond_resched(void) { }
static inline long strscpy(char *d, const char *s, size_t n)
{
	size_t l = strlen(s);

	if (!n)
		return -E2BIG;
	if (l >= n) {
		memcpy(d, s, n - 1);
		d[n - 1] = 0;
		return -E2BIG;
	}
	memcpy(d, s, l + 1);
	return l;
}

#endif /* _HOST_KERNEL_H */
