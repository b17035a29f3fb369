/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: what older kernels lack, in the style of WireGuard's old compat/.
 *
 * kmod/Kbuild force-includes this header ahead of every source file of the
 * module (-include), so the code, including the netlink code generated from
 * netlink/specs/paxos.yaml, is written against the current kernel API and
 * this is the only file that tests kernel versions.  The oldest kernel
 * supported is Debian 12's 6.1; each block says what it gives that kernel
 * and at what cost.  A symbol that is a macro is tested with #ifndef, so a
 * stable kernel that backported it uses its own.
 */
#ifndef _PAXOS_COMPAT_H
#define _PAXOS_COMPAT_H

/*
 * Included first, this pulls in printk.h: every file's pr_fmt is this one,
 * defined before it (an identical redefinition is no redefinition).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/version.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
/*
 * 6.1's netlink policies point at non-const ranges; the generated ranges
 * are const (validation only reads them).
 */
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {			\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),		\
	.validation_type = NLA_VALIDATE_RANGE_PTR,		\
	.range = (struct netlink_range_validation *)(_range),	\
}
#endif

#ifndef NL_SET_ERR_MSG_FMT
/*
 * Before 6.2 an extended ack holds a pointer to a constant message and no
 * buffer to format into.  The message is formatted into the next of a ring
 * of static buffers; the ack is sent right after the handler returns, and
 * a buffer is only reused after 63 more formatted messages (a buffer's last
 * byte stays NUL, so a reader racing a reuse still reads a bounded string).
 */
#define PAXOS_COMPAT_EXTACK_BUFS	64
#define PAXOS_COMPAT_EXTACK_LEN		80

static char paxos_compat_extack_buf[PAXOS_COMPAT_EXTACK_BUFS]
				   [PAXOS_COMPAT_EXTACK_LEN] __maybe_unused;
static atomic_t paxos_compat_extack_next __maybe_unused;

static inline __printf(1, 2) const char *paxos_compat_extack_fmt(const char *fmt, ...)
{
	unsigned int i = atomic_inc_return(&paxos_compat_extack_next);
	char *buf = paxos_compat_extack_buf[i % PAXOS_COMPAT_EXTACK_BUFS];
	va_list args;

	va_start(args, fmt);
	vsnprintf(buf, PAXOS_COMPAT_EXTACK_LEN - 1, fmt, args);
	va_end(args);
	return buf;
}

#define NL_SET_ERR_MSG_ATTR_POL_FMT(extack, attr, pol, fmt, args...) do { \
	struct netlink_ext_ack *__extack = (extack);			\
									\
	if (__extack) {							\
		__extack->_msg = paxos_compat_extack_fmt(fmt, ##args);	\
		__extack->bad_attr = (attr);				\
		__extack->policy = (pol);				\
		do_trace_netlink_extack(__extack->_msg);		\
	}								\
} while (0)
#define NL_SET_ERR_MSG_FMT(extack, fmt, args...)			\
	NL_SET_ERR_MSG_ATTR_POL_FMT((extack), NULL, NULL, fmt, ##args)
#define NL_SET_ERR_MSG_FMT_MOD(extack, fmt, args...)			\
	NL_SET_ERR_MSG_FMT((extack), KBUILD_MODNAME ": " fmt, ##args)
#define NL_SET_ERR_MSG_ATTR_FMT(extack, attr, fmt, args...)		\
	NL_SET_ERR_MSG_ATTR_POL_FMT((extack), (attr), NULL, fmt, ##args)
#endif

#ifndef nlmsg_for_each_attr_type
#define nlmsg_for_each_attr_type(pos, type, nlh, hdrlen, rem)	\
	nlmsg_for_each_attr(pos, nlh, hdrlen, rem)		\
		if (nla_type(pos) == type)
#endif

#ifndef GENL_MCAST_CAP_NET_ADMIN
/*
 * Kernels before 6.7 without the December 2023 stable fix have no
 * GENL_MCAST_* flags; those with the first form of the fix check the uapi
 * GENL_UNS_ADMIN_PERM on a multicast group instead; older ones let anyone
 * in the namespace subscribe.  (Debian's 6.1.0-56 has the flag.)
 */
#define GENL_MCAST_CAP_NET_ADMIN	GENL_UNS_ADMIN_PERM
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
/* 6.1's GENL_REQ_ATTR_CHECK takes a non-const genl_info. */
#undef GENL_REQ_ATTR_CHECK
#define GENL_REQ_ATTR_CHECK(info, attr) ({				\
	const struct genl_info *__info = (info);			\
									\
	NL_REQ_ATTR_CHECK(__info->extack, NULL, __info->attrs, (attr)); \
})

/*
 * A dump's parsed request as a genl_info (6.5).  6.1 keeps only the
 * attributes (genl_dumpit_info) and the extended ack (cb->extack), so this
 * builds a genl_info of them as a compound literal: it lives as long as the
 * block the call is in, so call it only to initialise a pointer declared at
 * the top of the dump callback (as the module does).
 */
#define genl_info_dump(cb) (&(const struct genl_info) {		\
	.snd_seq = (cb)->nlh->nlmsg_seq,				\
	.snd_portid = NETLINK_CB((cb)->skb).portid,			\
	.nlhdr = (struct nlmsghdr *)(cb)->nlh,				\
	.attrs = genl_dumpit_info(cb)->attrs,				\
	.extack = (cb)->extack,						\
})
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
/*
 * NLA_UINT (a u32 or a u64) is new in 6.7.  6.1 validates a variable-length
 * integer as a u32: what paxosctl and ynl send for a value below 2^32 (the
 * senders' and nla_put_uint()'s rule), with the policy's range checked; an
 * 8-byte value is refused with EINVAL on 6.1.  Policy dumps say u32.
 */
#define NLA_UINT	NLA_U32

static inline u64 nla_get_uint(const struct nlattr *nla)
{
	if (nla_len(nla) == sizeof(u32))
		return nla_get_u32(nla);
	return nla_get_u64(nla);
}

static inline int nla_put_uint(struct sk_buff *skb, int attrtype, u64 value)
{
	u64 tmp64 = value;
	u32 tmp32 = value;

	if (tmp64 == tmp32)
		return nla_put_u32(skb, attrtype, tmp32);
	return nla_put(skb, attrtype, sizeof(u64), &tmp64);
}
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
/*
 * Split ops (6.2): one op per command and kind (do or dump), each with its
 * own policy and pre_doit/post_doit.  6.1 has one genl_ops per command and
 * the pre/post hooks on the family.  The generated table is kept as is;
 * PAXOS_GENL_SPLIT_OPS() points the family at it, and registering the
 * family merges it into one genl_ops per command (the do's policy, else the
 * dump's; the permission flags of both) whose family-level hooks call the
 * command's own.  As in 6.2, do and dump members share a union: the
 * GENL_CMD_CAP_DO/DUMP flag says which is set.  The module registers one
 * family.
 */
struct genl_split_ops {
	union {
		struct {
			int (*pre_doit)(const struct genl_split_ops *ops,
					struct sk_buff *skb,
					struct genl_info *info);
			int (*doit)(struct sk_buff *skb,
				    struct genl_info *info);
			void (*post_doit)(const struct genl_split_ops *ops,
					  struct sk_buff *skb,
					  struct genl_info *info);
		};
		struct {
			int (*start)(struct netlink_callback *cb);
			int (*dumpit)(struct sk_buff *skb,
				      struct netlink_callback *cb);
			int (*done)(struct netlink_callback *cb);
		};
	};
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 internal_flags;
	u8 flags;
	u8 validate;
};

#define PAXOS_COMPAT_GENL_MAX_OPS	32

static struct {
	const struct genl_split_ops *split;
	unsigned int n_split;
	struct genl_ops ops[PAXOS_COMPAT_GENL_MAX_OPS];
} paxos_compat_genl __maybe_unused;

static __always_inline const struct genl_split_ops *
paxos_compat_genl_doit_op(u8 cmd)
{
	unsigned int i;

	for (i = 0; i < paxos_compat_genl.n_split; i++)
		if (paxos_compat_genl.split[i].cmd == cmd &&
		    paxos_compat_genl.split[i].flags & GENL_CMD_CAP_DO)
			return &paxos_compat_genl.split[i];
	return NULL;
}

static inline int paxos_compat_genl_pre_doit(const struct genl_ops *ops,
					     struct sk_buff *skb,
					     struct genl_info *info)
{
	const struct genl_split_ops *op = paxos_compat_genl_doit_op(ops->cmd);

	return op && op->pre_doit ? op->pre_doit(op, skb, info) : 0;
}

static inline void paxos_compat_genl_post_doit(const struct genl_ops *ops,
					       struct sk_buff *skb,
					       struct genl_info *info)
{
	const struct genl_split_ops *op = paxos_compat_genl_doit_op(ops->cmd);

	if (op && op->post_doit)
		op->post_doit(op, skb, info);
}

/* The split table rides in .ops/.n_ops until registration. */
#define PAXOS_GENL_SPLIT_OPS(table)					\
	.ops = (const struct genl_ops *)(const void *)(table),		\
	.n_ops = ARRAY_SIZE(table),					\
	.pre_doit = paxos_compat_genl_pre_doit,				\
	.post_doit = paxos_compat_genl_post_doit

static inline int paxos_compat_genl_register_family(struct genl_family *f)
{
	const struct genl_split_ops *split = (const void *)f->ops;
	unsigned int i, j, n = 0;

	for (i = 0; i < f->n_ops; i++) {
		const struct genl_split_ops *s = &split[i];
		struct genl_ops *o;

		for (j = 0; j < n; j++)
			if (paxos_compat_genl.ops[j].cmd == s->cmd)
				break;
		if (j == n) {
			if (WARN_ON(n == PAXOS_COMPAT_GENL_MAX_OPS))
				return -EINVAL;
			n++;
		}
		o = &paxos_compat_genl.ops[j];
		o->cmd = s->cmd;
		o->flags |= s->flags & (GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM);
		o->validate |= s->validate;
		if (s->flags & GENL_CMD_CAP_DO) {
			o->doit = s->doit;
			o->policy = s->policy;
			o->maxattr = s->maxattr;
		} else {
			o->start = s->start;
			o->dumpit = s->dumpit;
			o->done = s->done;
			if (!o->policy) {
				o->policy = s->policy;
				o->maxattr = s->maxattr;
			}
		}
	}
	paxos_compat_genl.split = split;
	paxos_compat_genl.n_split = f->n_ops;
	f->ops = paxos_compat_genl.ops;
	f->n_ops = n;
	return genl_register_family(f);
}

#define genl_register_family(f)	paxos_compat_genl_register_family(f)
#else
#define PAXOS_GENL_SPLIT_OPS(table)					\
	.split_ops = (table),						\
	.n_split_ops = ARRAY_SIZE(table)
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 10, 0)
#include <linux/workqueue.h>
/*
 * 6.10 made work items disableable (queue_work() on one is a no-op).
 * Before it, cancel: paxos_group_reap() cancels again once the last pass
 * that could queue the group's work is over.
 */
static inline bool disable_work_sync(struct work_struct *work)
{
	return cancel_work_sync(work);
}
#endif

#endif /* _PAXOS_COMPAT_H */
