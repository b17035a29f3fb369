/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: the in-kernel API.
 *
 * Other kernel modules use a group much as userspace does through
 * /dev/paxos: look it up, propose values, follow the learned log.
 *
 *	struct paxos_group *g = paxos_group_get(net, 7);
 *
 *	paxos_propose(g, buf, len, my_done, my_ctx);	// async
 *	paxos_subscribe(g, &my_listener);		// learned values
 *	...
 *	paxos_unsubscribe(g, &my_listener);
 *	paxos_group_put(g);
 */
#ifndef _PAXOS_API_H
#define _PAXOS_API_H

#include <linux/types.h>
#include <linux/list.h>

struct net;
struct paxos_group;

/**
 * typedef paxos_done_t - completion callback of paxos_propose()
 * @ctx: the caller's context, as passed to paxos_propose()
 * @error: 0 when the value was chosen and learned on this node;
 *	-ETIMEDOUT when it was not learned within the group's proposal timeout
 *	(it may still be chosen later, and is then delivered once);
 *	-ENOTCONN when the group was deleted first
 * @slot: the slot the value was learned in (valid when @error is 0)
 *
 * Called exactly once, in process context, without any paxos lock held.
 */
typedef void (*paxos_done_t)(void *ctx, int error, u64 slot);

/**
 * struct paxos_listener - a subscriber to a group's learned values
 * @learned: called for every learned value, in slot order, with no gaps
 *	other than no-ops (which are never delivered) and the slots reported
 *	to @skipped; process context, must not block for long and must not
 *	call back into paxos for this group
 * @skipped: may be NULL; called, in slot order with @learned, when this
 *	node will never learn slots @first .. @last (inclusive): every member
 *	it could fetch them from had trimmed them (it joined late, or fell
 *	more than twice the retention behind).  Same context and rules as
 *	@learned.  A listener without it sees the gap only as a jump in slot
 *	numbers
 * @node: private to paxos
 */
struct paxos_listener {
	void (*learned)(struct paxos_listener *l, u64 slot, const void *value,
			u32 len);
	void (*skipped)(struct paxos_listener *l, u64 first, u64 last);
	struct list_head node;
};

struct paxos_group *paxos_group_get(struct net *net, u32 id);
void paxos_group_put(struct paxos_group *g);
int paxos_propose(struct paxos_group *g, const void *value, u32 len,
		  paxos_done_t done, void *ctx);
int paxos_propose_sync(struct paxos_group *g, const void *value, u32 len,
		       u64 *slot);
int paxos_subscribe(struct paxos_group *g, struct paxos_listener *l);
void paxos_unsubscribe(struct paxos_group *g, struct paxos_listener *l);
u64 paxos_group_learned(struct paxos_group *g);
u32 paxos_group_leader(struct paxos_group *g);

#endif /* _PAXOS_API_H */
