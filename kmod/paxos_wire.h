/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: wire format of the protocol messages.
 *
 * Every datagram is one message: a fixed 28-byte header followed by a typed
 * body.  All integers are little endian; nothing is aligned.  The packed
 * structs below are the layout: paxos_wire.c encodes and decodes every
 * header, body, entry and dedup record through them, and nothing else
 * touches the bytes of a datagram.
 *
 *   header   0: magic "PXOS"      4: version   5: type   6: flags (le16)
 *            8: group id         12: sender node id
 *           16: sender incarnation (le64)    24: body length (le32)
 *
 * Bodies (fixed part, then variable part):
 *
 *   PREPARE   ballot, from, to                         (phase 1a)
 *   PROMISE   ballot, from, covered, learned, first_retained, nr, 0,
 *             nr * entry                               (phase 1b, paged)
 *   REJECT    ballot (the one refused), promised ballot
 *   ACCEPT    ballot, commit, trim, nr, 0, nr * entry   (phase 2a, batched;
 *             nr == 0 is the leader's heartbeat, or with
 *             PAXOS_WF_ACCEPT_COMMIT its unanswered commit notice)
 *   ACCEPTED  ballot, learned, first_retained, nr, 0, nr * le64 slot
 *             [with PAXOS_WF_ACCEPTED_FORWARD, a FORWARD body follows:
 *             a vote held back travels with the sender's next proposals]
 *   FORWARD   nr, 0, nr * entry                         (follower to leader)
 *   CATCHUP   from, learned                             (ask for chosen slots)
 *   LEARN     first_retained, learned, nr, nr_dedup,
 *             nr_dedup * dedup, nr * entry              (chosen slots)
 *   STATUS    learned, first_retained, trim             (basic-mode gossip)
 *   HELLO     asker incarnation (le64): 0 in a probe; in an answer, the
 *             incarnation of the probe's sender it answers (new cluster)
 *
 * An entry is a 56-byte struct paxos_wire_entry followed by len value bytes.
 * A no-op has origin 0 and len 0; a value has origin != 0 and len >= 1.
 */
#ifndef _PAXOS_WIRE_H
#define _PAXOS_WIRE_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/types.h>

#include "paxos_core.h"

#define PAXOS_WIRE_MAGIC	0x534f5850	/* "PXOS" */

/*
 * Slot numbers on the wire are below this (U64_MAX is only the "to the end"
 * of PREPARE and of the last PROMISE page); a log never gets near it, so a
 * larger one is malformed and no slot arithmetic can wrap.
 */
#define PAXOS_SLOT_LIMIT	BIT_ULL(62)
#define PAXOS_WIRE_VERSION	1

/**
 * enum paxos_msg_type - message types
 * @PAXOS_MSG_PREPARE: phase 1a, proposer to voters
 * @PAXOS_MSG_PROMISE: phase 1b, voter to proposer, one page of entries
 * @PAXOS_MSG_REJECT: a voter refuses a ballot below its promise
 * @PAXOS_MSG_ACCEPT: phase 2a, proposer to members (heartbeat when empty)
 * @PAXOS_MSG_ACCEPTED: phase 2b, member to proposer (ack of a heartbeat too)
 * @PAXOS_MSG_FORWARD: proposals forwarded to the proposer
 * @PAXOS_MSG_CATCHUP: request for chosen slots from a given slot on
 * @PAXOS_MSG_LEARN: chosen slots (catch-up answer, basic-mode decision)
 * @PAXOS_MSG_STATUS: periodic learned point, basic mode
 * @PAXOS_MSG_HELLO: new-cluster probe and its answer
 * @__PAXOS_MSG_MAX: one past the last type
 */
enum paxos_msg_type {
	PAXOS_MSG_PREPARE = 1,
	PAXOS_MSG_PROMISE,
	PAXOS_MSG_REJECT,
	PAXOS_MSG_ACCEPT,
	PAXOS_MSG_ACCEPTED,
	PAXOS_MSG_FORWARD,
	PAXOS_MSG_CATCHUP,
	PAXOS_MSG_LEARN,
	PAXOS_MSG_STATUS,
	PAXOS_MSG_HELLO,
	__PAXOS_MSG_MAX
};

/* Header flags, meaning depends on the type. */
#define PAXOS_WF_PROMISE_LAST	0x0001	/* last page of a promise */
#define PAXOS_WF_ACCEPTED_VOTER	0x0001	/* sender's acceptor votes */
/* ACCEPTED, PROMISE, STATUS: the sender is a new cluster's admitted voter */
#define PAXOS_WF_ADMITTED	0x0002
/* ACCEPTED: a FORWARD body (nr, 0, entries) follows the slots */
#define PAXOS_WF_ACCEPTED_FORWARD 0x0004
#define PAXOS_WF_ACCEPT_COMMIT	0x0001	/* commit notice: no entries, no answer */
#define PAXOS_WF_LEARN_SNAPSHOT	0x0001	/* dedup state at first_retained */
#define PAXOS_WF_HELLO_NEW	0x0001	/* probe: I claim a new cluster */
#define PAXOS_WF_HELLO_OK	0x0002	/* answer: go ahead */
#define PAXOS_WF_HELLO_REFUSE	0x0004	/* answer: we hold state, refused */

/* Entry flags. */
#define PAXOS_WE_CHOSEN		0x0001	/* the sender knows it is chosen */
#define PAXOS_WE_CONFIG		0x0002	/* a configuration change (a value) */
#define PAXOS_WE_CONFSTATE	0x0004	/* LEARN snapshot: the configurations */
#define PAXOS_WF_STATUS_LEARNER	0x0001	/* STATUS: the sender does not vote */
#define PAXOS_WF_CATCHUP_SNAPSHOT 0x0001	/* CATCHUP: send your snapshot too */

/**
 * struct paxos_wire_hdr - header of every datagram
 * @magic: %PAXOS_WIRE_MAGIC
 * @version: %PAXOS_WIRE_VERSION
 * @type: &enum paxos_msg_type
 * @flags: PAXOS_WF_* for the type, other bits must be 0
 * @group: group id
 * @sender: sender's node id
 * @sender_inc: sender's incarnation
 * @body_len: bytes after the header, exactly
 */
struct paxos_wire_hdr {
	__le32 magic;
	u8 version;
	u8 type;
	__le16 flags;
	__le32 group;
	__le32 sender;
	__le64 sender_inc;
	__le32 body_len;
} __packed;

/**
 * struct paxos_wire_ballot - a ballot on the wire
 * @round: round
 * @node: node id
 */
struct paxos_wire_ballot {
	__le32 round;
	__le32 node;
} __packed;

/**
 * struct paxos_wire_entry - one slot's value (or a proposal, slot 0)
 * @slot: the slot, 0 in FORWARD
 * @ballot: ballot the sender holds it with (0 in FORWARD)
 * @origin: proposing node id, 0 for a no-op
 * @len: value bytes following this struct, 0 for a no-op
 * @origin_inc: incarnation of the proposing node
 * @seq: origin's sequence number (dedup key with @origin, @origin_inc)
 * @low: origin's lowest sequence number still pending when proposed
 * @flags: PAXOS_WE_*
 * @reserved: 0
 */
struct paxos_wire_entry {
	__le64 slot;
	struct paxos_wire_ballot ballot;
	__le32 origin;
	__le32 len;
	__le64 origin_inc;
	__le64 seq;
	__le64 low;
	__le32 flags;
	__le32 reserved;
} __packed;

/**
 * struct paxos_wire_dedup - exactly-once state of one origin incarnation
 * @origin: node id
 * @reserved: 0
 * @origin_inc: its incarnation
 * @base: every sequence number <= base is delivered or abandoned
 * @bits: bit i set: sequence number base + 1 + i delivered
 * @last_slot: slot of the last update (informational)
 */
struct paxos_wire_dedup {
	__le32 origin;
	__le32 reserved;
	__le64 origin_inc;
	__le64 base;
	__le64 bits;
	__le64 last_slot;
} __packed;

/**
 * struct paxos_wire_member - one member in a configuration change or state
 * @node: node id
 * @role: &enum paxos_member_role
 * @inc: voting incarnation (see &struct paxos_member)
 * @addr: the runtime's address of the member
 */
struct paxos_wire_member {
	__le32 node;
	__le32 role;
	__le64 inc;
	u8 addr[PAXOS_ADDR_LEN];
} __packed;

/**
 * struct paxos_wire_change - the value of a PAXOS_WE_CONFIG entry
 * @op: &enum paxos_change_op
 * @reserved: 0
 * @m: the member it changes (its new role, incarnation and address)
 */
struct paxos_wire_change {
	__le32 op;
	__le32 reserved;
	struct paxos_wire_member m;
} __packed;

/**
 * struct paxos_wire_confs - the value of a PAXOS_WE_CONFSTATE entry: the
 * configuration governing the slot after the entry's, and a chosen one
 * waiting for its slot; @cur_nr then @next_nr &struct paxos_wire_member
 * follow
 * @cur_slot: the slot the configuration in force was chosen in (0: the
 *	initial one)
 * @cur_effective: the first slot it decides
 * @next_slot: the slot the waiting one was chosen in
 * @next_effective: the first slot it will decide (0: none waits)
 * @cur_nr: members of the configuration in force
 * @next_nr: members of the waiting one
 */
struct paxos_wire_confs {
	__le64 cur_slot;
	__le64 cur_effective;
	__le64 next_slot;
	__le64 next_effective;
	__le32 cur_nr;
	__le32 next_nr;
} __packed;

#define PAXOS_WIRE_MEMBER_LEN	(16 + PAXOS_ADDR_LEN)
#define PAXOS_WIRE_CHANGE_LEN	(8 + PAXOS_WIRE_MEMBER_LEN)
#define PAXOS_WIRE_CONFS_LEN	40

/**
 * struct paxos_wire_prepare - PREPARE body (phase 1a)
 * @ballot: the candidate's ballot
 * @from: first slot wanted
 * @to: last slot wanted (U64_MAX: the whole suffix)
 */
struct paxos_wire_prepare {
	struct paxos_wire_ballot ballot;
	__le64 from;
	__le64 to;
} __packed;

/**
 * struct paxos_wire_promise - PROMISE body (phase 1b), then @nr entries
 * @ballot: the ballot promised
 * @from: first slot this page covers
 * @to: last slot this page covers ("covered"; U64_MAX on the last page)
 * @learned: the voter's learned point
 * @first_retained: the voter's first slot held
 * @nr: entries that follow
 * @reserved: 0
 */
struct paxos_wire_promise {
	struct paxos_wire_ballot ballot;
	__le64 from;
	__le64 to;
	__le64 learned;
	__le64 first_retained;
	__le32 nr;
	__le32 reserved;
} __packed;

/**
 * struct paxos_wire_reject - REJECT body
 * @ballot: the ballot refused
 * @promised: the ballot the voter promised
 */
struct paxos_wire_reject {
	struct paxos_wire_ballot ballot;
	struct paxos_wire_ballot promised;
} __packed;

/**
 * struct paxos_wire_accept - ACCEPT body (phase 2a), then @nr entries
 * @ballot: the proposer's ballot
 * @commit: the leader's commit point (0 in basic mode)
 * @trim: slots up to here are learned by every member
 * @nr: entries that follow (0: heartbeat)
 * @reserved: 0
 */
struct paxos_wire_accept {
	struct paxos_wire_ballot ballot;
	__le64 commit;
	__le64 trim;
	__le32 nr;
	__le32 reserved;
} __packed;

/**
 * struct paxos_wire_accepted - ACCEPTED body (phase 2b), then @nr slots
 * @ballot: the ballot accepted in
 * @learned: the sender's learned point
 * @first_retained: the sender's first slot held
 * @nr: &struct paxos_wire_slot that follow
 * @reserved: 0
 */
struct paxos_wire_accepted {
	struct paxos_wire_ballot ballot;
	__le64 learned;
	__le64 first_retained;
	__le32 nr;
	__le32 reserved;
} __packed;

/**
 * struct paxos_wire_slot - one slot acked in ACCEPTED
 * @slot: the slot
 */
struct paxos_wire_slot {
	__le64 slot;
} __packed;

/**
 * struct paxos_wire_forward - FORWARD body, then @nr entries (slot 0)
 * @nr: entries that follow
 * @reserved: 0
 */
struct paxos_wire_forward {
	__le32 nr;
	__le32 reserved;
} __packed;

/**
 * struct paxos_wire_catchup - CATCHUP body
 * @from: first slot wanted
 * @learned: the sender's learned point
 */
struct paxos_wire_catchup {
	__le64 from;
	__le64 learned;
} __packed;

/**
 * struct paxos_wire_learn - LEARN body, then @nr_dedup records, @nr entries
 * @first_retained: the sender's first slot held
 * @learned: the sender's learned point
 * @nr: entries that follow the dedup records
 * @nr_dedup: &struct paxos_wire_dedup that follow (snapshot only)
 */
struct paxos_wire_learn {
	__le64 first_retained;
	__le64 learned;
	__le32 nr;
	__le32 nr_dedup;
} __packed;

/**
 * struct paxos_wire_status - STATUS body
 * @learned: the sender's learned point
 * @first_retained: the sender's first slot held
 * @trim: the sender's trim hint
 */
struct paxos_wire_status {
	__le64 learned;
	__le64 first_retained;
	__le64 trim;
} __packed;

/**
 * struct paxos_wire_hello - HELLO body
 * @asker_inc: 0 in a probe; in an answer, the incarnation of the probe's
 *	sender (an answer to another incarnation is not an answer)
 */
struct paxos_wire_hello {
	__le64 asker_inc;
} __packed;

#define PAXOS_WIRE_HDR_LEN	28
#define PAXOS_WIRE_BALLOT_LEN	8
#define PAXOS_WIRE_ENTRY_LEN	56
#define PAXOS_WIRE_DEDUP_LEN	40
#define PAXOS_WIRE_SLOT_LEN	8
#define PAXOS_WIRE_PREPARE_LEN	24
#define PAXOS_WIRE_PROMISE_LEN	48
#define PAXOS_WIRE_REJECT_LEN	16
#define PAXOS_WIRE_ACCEPT_LEN	32
#define PAXOS_WIRE_ACCEPTED_LEN	32
#define PAXOS_WIRE_FORWARD_LEN	8
#define PAXOS_WIRE_CATCHUP_LEN	16
#define PAXOS_WIRE_LEARN_LEN	24
#define PAXOS_WIRE_STATUS_LEN	24
#define PAXOS_WIRE_HELLO_LEN	8

static_assert(sizeof(struct paxos_wire_hdr) == PAXOS_WIRE_HDR_LEN);
static_assert(sizeof(struct paxos_wire_ballot) == PAXOS_WIRE_BALLOT_LEN);
static_assert(sizeof(struct paxos_wire_entry) == PAXOS_WIRE_ENTRY_LEN);
static_assert(sizeof(struct paxos_wire_dedup) == PAXOS_WIRE_DEDUP_LEN);
static_assert(sizeof(struct paxos_wire_member) == PAXOS_WIRE_MEMBER_LEN);
static_assert(sizeof(struct paxos_wire_change) == PAXOS_WIRE_CHANGE_LEN);
static_assert(sizeof(struct paxos_wire_confs) == PAXOS_WIRE_CONFS_LEN);
static_assert(sizeof(struct paxos_wire_slot) == PAXOS_WIRE_SLOT_LEN);
static_assert(sizeof(struct paxos_wire_prepare) == PAXOS_WIRE_PREPARE_LEN);
static_assert(sizeof(struct paxos_wire_promise) == PAXOS_WIRE_PROMISE_LEN);
static_assert(sizeof(struct paxos_wire_reject) == PAXOS_WIRE_REJECT_LEN);
static_assert(sizeof(struct paxos_wire_accept) == PAXOS_WIRE_ACCEPT_LEN);
static_assert(sizeof(struct paxos_wire_accepted) == PAXOS_WIRE_ACCEPTED_LEN);
static_assert(sizeof(struct paxos_wire_forward) == PAXOS_WIRE_FORWARD_LEN);
static_assert(sizeof(struct paxos_wire_catchup) == PAXOS_WIRE_CATCHUP_LEN);
static_assert(sizeof(struct paxos_wire_learn) == PAXOS_WIRE_LEARN_LEN);
static_assert(sizeof(struct paxos_wire_status) == PAXOS_WIRE_STATUS_LEN);
static_assert(sizeof(struct paxos_wire_hello) == PAXOS_WIRE_HELLO_LEN);

/**
 * struct paxos_wire_value - a decoded entry
 * @slot: slot
 * @ballot: ballot
 * @origin: origin node id (0: no-op)
 * @len: value length
 * @origin_inc: origin incarnation
 * @seq: origin sequence number
 * @low: origin's low watermark
 * @flags: PAXOS_WE_*
 * @data: @len bytes, pointing into the datagram
 */
struct paxos_wire_value {
	u64 slot;
	struct paxos_ballot ballot;
	u32 origin;
	u32 len;
	u64 origin_inc;
	u64 seq;
	u64 low;
	u32 flags;
	const u8 *data;
};

/**
 * struct paxos_dedup_entry - a decoded &struct paxos_wire_dedup
 * @origin: node id
 * @origin_inc: its incarnation
 * @base: every sequence number <= base is delivered or abandoned
 * @bits: bit i set: sequence number base + 1 + i delivered
 * @last_slot: slot of the last update (informational)
 *
 * Also the entry of the core's dedup table, which LEARN carries as is.
 */
struct paxos_dedup_entry {
	u32 origin;
	u64 origin_inc;
	u64 base;
	u64 bits;
	u64 last_slot;
};

/**
 * struct paxos_wire_msg - a validated, decoded message
 * @type: &enum paxos_msg_type
 * @flags: header flags
 * @group: group id
 * @sender: sender node id
 * @sender_inc: sender incarnation
 * @ballot: PREPARE/PROMISE/REJECT/ACCEPT/ACCEPTED ballot
 * @promised: REJECT: the voter's promised ballot
 * @from: PREPARE/PROMISE/CATCHUP first slot
 * @to: PREPARE last slot wanted; PROMISE last slot this page covers
 * @learned: PROMISE/ACCEPTED/CATCHUP/LEARN/STATUS sender's learned point
 * @first_retained: PROMISE/ACCEPTED/LEARN/STATUS sender's first slot held
 * @commit: ACCEPT leader's commit point
 * @trim: ACCEPT/STATUS slots up to here are learned by every member
 * @nr: number of entries (or slots in ACCEPTED)
 * @nr_dedup: LEARN dedup records
 * @fwd_nr: ACCEPTED with %PAXOS_WF_ACCEPTED_FORWARD: entries of the
 *	FORWARD body after the slots (0 without the flag)
 * @entries: first entry (ACCEPTED: first slot, see paxos_wire_get_slot())
 * @fwd_entries: the first of those @fwd_nr entries
 * @dedup: first dedup record
 * @asker_inc: HELLO answer: the incarnation of the probe it answers
 */
struct paxos_wire_msg {
	u32 type;
	u32 flags;
	u32 group;
	u32 sender;
	u64 sender_inc;
	struct paxos_ballot ballot;
	struct paxos_ballot promised;
	u64 from;
	u64 to;
	u64 learned;
	u64 first_retained;
	u64 commit;
	u64 trim;
	u32 nr;
	u32 nr_dedup;
	u32 fwd_nr;
	const u8 *entries;
	const u8 *fwd_entries;
	const u8 *dedup;
	u64 asker_inc;
};

int paxos_wire_decode(const void *buf, size_t len, struct paxos_wire_msg *msg);
bool paxos_wire_unknown_type(const void *buf, size_t len);
int paxos_wire_peek_group(const void *buf, size_t len, u32 *group);
const u8 *paxos_wire_get_entry(const u8 *p, struct paxos_wire_value *v);
u8 *paxos_wire_put_hdr(u8 *p, u32 type, u32 flags, u32 group, u32 sender,
		       u64 sender_inc, u32 body_len);
u8 *paxos_wire_put_ballot(u8 *p, const struct paxos_ballot *b);
u8 *paxos_wire_put_entry(u8 *p, const struct paxos_wire_value *v);
u8 *paxos_wire_put_prepare(u8 *p, const struct paxos_ballot *ballot, u64 from,
			   u64 to);
u8 *paxos_wire_put_promise(u8 *p, const struct paxos_ballot *ballot, u64 from,
			   u64 to, u64 learned, u64 first_retained, u32 nr);
u8 *paxos_wire_put_reject(u8 *p, const struct paxos_ballot *ballot,
			  const struct paxos_ballot *promised);
u8 *paxos_wire_put_accept(u8 *p, const struct paxos_ballot *ballot, u64 commit,
			  u64 trim, u32 nr);
u8 *paxos_wire_put_accepted(u8 *p, const struct paxos_ballot *ballot,
			    u64 learned, u64 first_retained, const u64 *slots,
			    u32 nr);
u64 paxos_wire_get_slot(const u8 *slots, u32 i);
u8 *paxos_wire_put_forward(u8 *p, u32 nr);
u8 *paxos_wire_put_catchup(u8 *p, u64 from, u64 learned);
u8 *paxos_wire_put_learn(u8 *p, u64 first_retained, u64 learned, u32 nr,
			 u32 nr_dedup);
u8 *paxos_wire_put_dedup(u8 *p, const struct paxos_dedup_entry *d);
const u8 *paxos_wire_get_dedup(const u8 *p, struct paxos_dedup_entry *d);
u8 *paxos_wire_put_status(u8 *p, u64 learned, u64 first_retained, u64 trim);
u8 *paxos_wire_put_hello(u8 *p, u64 asker_inc);

/**
 * paxos_wire_entry_size() - bytes an entry of @len value bytes takes
 * @len: value length
 *
 * Return: encoded size.
 */
static inline u32 paxos_wire_entry_size(u32 len)
{
	return PAXOS_WIRE_ENTRY_LEN + len;
}

#endif /* _PAXOS_WIRE_H */
