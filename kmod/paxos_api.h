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
 *	paxos_group_change(g, &change, my_done, my_ctx);	// membership
 *	...
 *	paxos_unsubscribe(g, &my_listener);
 *	paxos_group_put(g);
 */
#ifndef _PAXOS_API_H
#define _PAXOS_API_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/socket.h>

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

/* What paxos_group_membership() can hold: the most members of a group. */
#define PAXOS_API_MAX_MEMBERS	32
/* &paxos_group_member.incarnation of a member that does not vote (yet). */
#define PAXOS_API_NOT_VOTING	U64_MAX

/**
 * struct paxos_member_change - a membership change for paxos_group_change()
 * @op: %PAXOS_CMD_MEMBER_ADD, %PAXOS_CMD_MEMBER_DEL,
 *	%PAXOS_CMD_MEMBER_PROMOTE, %PAXOS_CMD_MEMBER_DEMOTE or
 *	%PAXOS_CMD_MEMBER_SET_ADDRESS (uapi/linux/paxos.h), as the netlink ops
 * @node_id: the member it is about (not 0)
 * @role: ADD: %PAXOS_ROLE_VOTER or %PAXOS_ROLE_LEARNER
 * @incarnation: PROMOTE: the incarnation that will vote (0: the newest one
 *	the leader heard, once it caught up)
 * @addr: ADD, SET_ADDRESS: a sockaddr_in or sockaddr_in6 of the group's
 *	address family
 */
struct paxos_member_change {
	u32 op;
	u32 node_id;
	u32 role;
	u64 incarnation;
	struct sockaddr_storage addr;
};

/**
 * struct paxos_group_member - one member of a configuration
 * @node_id: node id
 * @role: %PAXOS_ROLE_VOTER or %PAXOS_ROLE_LEARNER
 * @incarnation: a voter's incarnation that votes (0: the one the new
 *	cluster's probe admitted); %PAXOS_API_NOT_VOTING for a learner, or
 *	for a voter whose incarnation the leader has not pinned yet
 * @addr: its UDP address
 */
struct paxos_group_member {
	u32 node_id;
	u32 role;
	u64 incarnation;
	struct sockaddr_storage addr;
};

/**
 * struct paxos_group_config - a configuration, chosen in the log
 * @slot: slot of the change that made it (0: the initial configuration)
 * @effective: first slot it governs
 * @nr_members: entries in @members
 * @members: its members
 */
struct paxos_group_config {
	u64 slot;
	u64 effective;
	u32 nr_members;
	struct paxos_group_member members[PAXOS_API_MAX_MEMBERS];
};

/**
 * struct paxos_group_membership - where a group's configuration stands
 * @config: the configuration in effect after this node's learned point
 * @pending: a chosen change waits for its slot: @next is valid
 * @next: the configuration it makes
 * @voters: voters in @config
 * @quorum: voters that make a quorum
 * @live_voters: voters whose voting incarnation is not known to be gone
 * @quorum_lost: a majority of the voters lost their state: proposals and
 *	changes fail with -ENOTRECOVERABLE until an operator forces a new
 *	cluster
 * @removed: this node is no longer a member
 */
struct paxos_group_membership {
	struct paxos_group_config config;
	bool pending;
	struct paxos_group_config next;
	u32 voters;
	u32 quorum;
	u32 live_voters;
	bool quorum_lost;
	bool removed;
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
int paxos_group_change(struct paxos_group *g,
		       const struct paxos_member_change *ch,
		       paxos_done_t done, void *ctx);
int paxos_group_membership(struct paxos_group *g,
			   struct paxos_group_membership *m);

#endif /* _PAXOS_API_H */
