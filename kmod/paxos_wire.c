// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the codec of the protocol messages, the only one.
 *
 * Every header, body, entry and dedup record is encoded and decoded here,
 * through the packed structs of paxos_wire.h; the core never touches the
 * bytes of a datagram.
 *
 * paxos_wire_decode() checks a datagram completely (header, fixed body,
 * every entry and dedup record, exact total length) before the core looks at
 * any of it; after that, the walkers paxos_wire_get_entry(),
 * paxos_wire_get_dedup() and paxos_wire_get_slot() can trust the layout.
 * The encoders write what the core sized with msg_new(): the fixed part of
 * a body, then the entries with paxos_wire_put_entry().
 *
 * Pure functions of their arguments; called by the core (under its
 * caller's lock), the runtime (paxos_wire_peek_group()) and the tests.
 */
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/byteorder.h>
#include <kunit/visibility.h>

#include "paxos_wire.h"

static const u16 paxos_wire_allowed_flags[__PAXOS_MSG_MAX] = {
	[PAXOS_MSG_ACCEPT] = PAXOS_WF_ACCEPT_COMMIT,
	[PAXOS_MSG_PROMISE] = PAXOS_WF_PROMISE_LAST | PAXOS_WF_ADMITTED,
	[PAXOS_MSG_ACCEPTED] = PAXOS_WF_ACCEPTED_VOTER | PAXOS_WF_ADMITTED |
			       PAXOS_WF_ACCEPTED_FORWARD,
	[PAXOS_MSG_LEARN] = PAXOS_WF_LEARN_SNAPSHOT,
	[PAXOS_MSG_STATUS] = PAXOS_WF_STATUS_LEARNER | PAXOS_WF_ADMITTED,
	[PAXOS_MSG_CATCHUP] = PAXOS_WF_CATCHUP_SNAPSHOT,
	[PAXOS_MSG_HELLO] = PAXOS_WF_HELLO_NEW | PAXOS_WF_HELLO_OK |
			    PAXOS_WF_HELLO_REFUSE,
};

static void wire_get_ballot(const struct paxos_wire_ballot *w,
			    struct paxos_ballot *b)
{
	b->round = le32_to_cpu(w->round);
	b->node = le32_to_cpu(w->node);
}

static void wire_set_ballot(struct paxos_wire_ballot *w,
			    const struct paxos_ballot *b)
{
	w->round = cpu_to_le32(b->round);
	w->node = cpu_to_le32(b->node);
}

/* A slot number a log can reach (so no arithmetic on it can wrap). */
static bool wire_slot_ok(u64 s)
{
	return s < PAXOS_SLOT_LIMIT;
}

/*
 * Check @nr entries starting at @p, none beyond @end.  Returns the end of
 * the last entry, or NULL if any entry is inconsistent.
 */
static const u8 *wire_check_entries(const u8 *p, const u8 *end, u32 nr,
				    bool confstate)
{
	while (nr--) {
		const struct paxos_wire_entry *e = (const void *)p;
		u32 origin, len, flags;

		if (end - p < PAXOS_WIRE_ENTRY_LEN)
			return NULL;
		origin = le32_to_cpu(e->origin);
		len = le32_to_cpu(e->len);
		flags = le32_to_cpu(e->flags);
		if (e->reserved ||
		    (flags & ~(PAXOS_WE_CHOSEN | PAXOS_WE_CONFIG |
			       PAXOS_WE_CONFSTATE)))
			return NULL;
		if (flags & PAXOS_WE_CONFSTATE) {
			/* Snapshots only; its value is checked where used. */
			if (!confstate || flags != PAXOS_WE_CONFSTATE ||
			    origin || !len)
				return NULL;
		} else if (!origin != !len ||
			   ((flags & PAXOS_WE_CONFIG) &&
			    len != PAXOS_WIRE_CHANGE_LEN)) {
			return NULL;
		}
		if (len > PAXOS_MAX_VALUE || !wire_slot_ok(le64_to_cpu(e->slot)))
			return NULL;
		p += PAXOS_WIRE_ENTRY_LEN;
		if (end - p < len)
			return NULL;
		p += len;
	}
	return p;
}

static const u8 *wire_check_dedup(const u8 *p, const u8 *end, u32 nr)
{
	const struct paxos_wire_dedup *d = (const void *)p;

	if (nr > PAXOS_DEDUP_ORIGINS ||
	    (size_t)(end - p) < (size_t)nr * PAXOS_WIRE_DEDUP_LEN)
		return NULL;
	for (; nr; nr--, d++)
		if (!d->origin || d->reserved)
			return NULL;
	return (const u8 *)d;
}

/* Fixed body sizes, indexed by type. */
static const u8 paxos_wire_fixed_len[__PAXOS_MSG_MAX] = {
	[PAXOS_MSG_PREPARE] = PAXOS_WIRE_PREPARE_LEN,
	[PAXOS_MSG_PROMISE] = PAXOS_WIRE_PROMISE_LEN,
	[PAXOS_MSG_REJECT] = PAXOS_WIRE_REJECT_LEN,
	[PAXOS_MSG_ACCEPT] = PAXOS_WIRE_ACCEPT_LEN,
	[PAXOS_MSG_ACCEPTED] = PAXOS_WIRE_ACCEPTED_LEN,
	[PAXOS_MSG_FORWARD] = PAXOS_WIRE_FORWARD_LEN,
	[PAXOS_MSG_CATCHUP] = PAXOS_WIRE_CATCHUP_LEN,
	[PAXOS_MSG_LEARN] = PAXOS_WIRE_LEARN_LEN,
	[PAXOS_MSG_STATUS] = PAXOS_WIRE_STATUS_LEN,
	[PAXOS_MSG_HELLO] = PAXOS_WIRE_HELLO_LEN,
};

static int wire_decode_body(const u8 *p, const u8 *end,
			    struct paxos_wire_msg *m)
{
	union {
		const u8 *raw;
		const struct paxos_wire_prepare *prepare;
		const struct paxos_wire_promise *promise;
		const struct paxos_wire_reject *reject;
		const struct paxos_wire_accept *accept;
		const struct paxos_wire_accepted *accepted;
		const struct paxos_wire_forward *forward;
		const struct paxos_wire_catchup *catchup;
		const struct paxos_wire_learn *learn;
		const struct paxos_wire_status *status;
		const struct paxos_wire_hello *hello;
	} b = { .raw = p };
	const u8 *q = NULL;
	u32 i;

	switch (m->type) {
	case PAXOS_MSG_PREPARE:
		wire_get_ballot(&b.prepare->ballot, &m->ballot);
		m->from = le64_to_cpu(b.prepare->from);
		m->to = le64_to_cpu(b.prepare->to);
		if (!m->ballot.round || !m->from || m->to < m->from ||
		    !wire_slot_ok(m->from) ||
		    (m->to != U64_MAX && !wire_slot_ok(m->to)))
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_PROMISE:
		wire_get_ballot(&b.promise->ballot, &m->ballot);
		m->from = le64_to_cpu(b.promise->from);
		m->to = le64_to_cpu(b.promise->to);
		m->learned = le64_to_cpu(b.promise->learned);
		m->first_retained = le64_to_cpu(b.promise->first_retained);
		m->nr = le32_to_cpu(b.promise->nr);
		if (b.promise->reserved || !m->ballot.round ||
		    !m->from || m->to < m->from || !m->first_retained ||
		    !wire_slot_ok(m->from) || !wire_slot_ok(m->learned) ||
		    !wire_slot_ok(m->first_retained) ||
		    (m->to != U64_MAX && !wire_slot_ok(m->to)) ||
		    (m->to == U64_MAX && !(m->flags & PAXOS_WF_PROMISE_LAST)))
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_PROMISE_LEN;
		q = wire_check_entries(m->entries, end, m->nr, false);
		break;
	case PAXOS_MSG_REJECT:
		wire_get_ballot(&b.reject->ballot, &m->ballot);
		wire_get_ballot(&b.reject->promised, &m->promised);
		q = end;
		break;
	case PAXOS_MSG_ACCEPT:
		wire_get_ballot(&b.accept->ballot, &m->ballot);
		m->commit = le64_to_cpu(b.accept->commit);
		m->trim = le64_to_cpu(b.accept->trim);
		m->nr = le32_to_cpu(b.accept->nr);
		if (b.accept->reserved || !m->ballot.round ||
		    !wire_slot_ok(m->commit) || !wire_slot_ok(m->trim) ||
		    (m->nr && (m->flags & PAXOS_WF_ACCEPT_COMMIT)))
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_ACCEPT_LEN;
		q = wire_check_entries(m->entries, end, m->nr, false);
		break;
	case PAXOS_MSG_ACCEPTED:
		wire_get_ballot(&b.accepted->ballot, &m->ballot);
		m->learned = le64_to_cpu(b.accepted->learned);
		m->first_retained = le64_to_cpu(b.accepted->first_retained);
		m->nr = le32_to_cpu(b.accepted->nr);
		if (b.accepted->reserved || !m->first_retained ||
		    !wire_slot_ok(m->learned) || !wire_slot_ok(m->first_retained))
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_ACCEPTED_LEN;
		/* Divided, not multiplied: nr * 8 wraps a 32-bit size_t. */
		if (m->nr > (size_t)(end - m->entries) / PAXOS_WIRE_SLOT_LEN)
			return -EBADMSG;
		for (i = 0; i < m->nr; i++)
			if (!wire_slot_ok(paxos_wire_get_slot(m->entries, i)))
				return -EBADMSG;
		q = m->entries + (size_t)m->nr * PAXOS_WIRE_SLOT_LEN;
		if (!(m->flags & PAXOS_WF_ACCEPTED_FORWARD))
			break;
		/* The sender's next proposals ride with its vote. */
		b.raw = q;
		if (end - q < PAXOS_WIRE_FORWARD_LEN || b.forward->reserved)
			return -EBADMSG;
		m->fwd_nr = le32_to_cpu(b.forward->nr);
		m->fwd_entries = q + PAXOS_WIRE_FORWARD_LEN;
		q = wire_check_entries(m->fwd_entries, end, m->fwd_nr, false);
		break;
	case PAXOS_MSG_FORWARD:
		m->nr = le32_to_cpu(b.forward->nr);
		if (b.forward->reserved)
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_FORWARD_LEN;
		q = wire_check_entries(m->entries, end, m->nr, false);
		break;
	case PAXOS_MSG_CATCHUP:
		m->from = le64_to_cpu(b.catchup->from);
		m->learned = le64_to_cpu(b.catchup->learned);
		if (!m->from || !wire_slot_ok(m->from) ||
		    !wire_slot_ok(m->learned))
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_LEARN:
		m->first_retained = le64_to_cpu(b.learn->first_retained);
		m->learned = le64_to_cpu(b.learn->learned);
		m->nr = le32_to_cpu(b.learn->nr);
		m->nr_dedup = le32_to_cpu(b.learn->nr_dedup);
		if (!m->first_retained || !wire_slot_ok(m->first_retained) ||
		    !wire_slot_ok(m->learned))
			return -EBADMSG;
		m->dedup = p + PAXOS_WIRE_LEARN_LEN;
		m->entries = wire_check_dedup(m->dedup, end, m->nr_dedup);
		if (!m->entries)
			return -EBADMSG;
		q = wire_check_entries(m->entries, end, m->nr,
				       m->flags & PAXOS_WF_LEARN_SNAPSHOT);
		break;
	case PAXOS_MSG_STATUS:
		m->learned = le64_to_cpu(b.status->learned);
		m->first_retained = le64_to_cpu(b.status->first_retained);
		m->trim = le64_to_cpu(b.status->trim);
		if (!m->first_retained || !wire_slot_ok(m->learned) ||
		    !wire_slot_ok(m->first_retained) || !wire_slot_ok(m->trim))
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_HELLO:
		/* A probe names nobody; an answer names the probe's sender. */
		m->asker_inc = le64_to_cpu(b.hello->asker_inc);
		if (hweight32(m->flags) != 1 ||
		    !!(m->flags & PAXOS_WF_HELLO_NEW) == !!m->asker_inc)
			return -EBADMSG;
		q = end;
		break;
	}
	if (q != end)
		return -EBADMSG;
	return 0;
}

/**
 * paxos_wire_unknown_type() - is this a datagram of ours of an unknown type?
 * @buf: the datagram
 * @len: its length
 *
 * Tells apart, among the datagrams paxos_wire_decode() calls malformed,
 * those with our magic and version and a message type this version does
 * not know (a newer peer's, or garbage past the magic).
 *
 * Return: true for such a datagram.
 */
bool paxos_wire_unknown_type(const void *buf, size_t len)
{
	const struct paxos_wire_hdr *h = buf;

	return len >= PAXOS_WIRE_HDR_LEN &&
	       le32_to_cpu(h->magic) == PAXOS_WIRE_MAGIC &&
	       h->version == PAXOS_WIRE_VERSION &&
	       (!h->type || h->type >= __PAXOS_MSG_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_unknown_type);

/**
 * paxos_wire_decode() - validate a datagram and decode its fixed fields
 * @buf: the datagram
 * @len: its length
 * @msg: filled on success; pointers refer into @buf
 *
 * Checks the header (magic, version, type, flags, exact length) and the whole
 * body, including every entry and dedup record.  Group and sender are only
 * decoded: whether they are acceptable is the core's business.
 *
 * Return: 0 on success; -ENODATA if the datagram is shorter than its header
 * or than the body length it declares; -EPROTONOSUPPORT for an unknown
 * version; -EBADMSG for a bad magic, unknown type or flag, or inconsistent
 * body (including trailing bytes).
 */
int paxos_wire_decode(const void *buf, size_t len, struct paxos_wire_msg *msg)
{
	const struct paxos_wire_hdr *h = buf;
	const u8 *p = buf;
	u32 body_len;

	if (len < PAXOS_WIRE_HDR_LEN)
		return -ENODATA;
	if (le32_to_cpu(h->magic) != PAXOS_WIRE_MAGIC)
		return -EBADMSG;
	if (h->version != PAXOS_WIRE_VERSION)
		return -EPROTONOSUPPORT;
	memset(msg, 0, sizeof(*msg));
	msg->type = h->type;
	msg->flags = le16_to_cpu(h->flags);
	msg->group = le32_to_cpu(h->group);
	msg->sender = le32_to_cpu(h->sender);
	msg->sender_inc = le64_to_cpu(h->sender_inc);
	body_len = le32_to_cpu(h->body_len);
	if (!msg->type || msg->type >= __PAXOS_MSG_MAX)
		return -EBADMSG;
	if (msg->flags & ~paxos_wire_allowed_flags[msg->type])
		return -EBADMSG;
	if (body_len > len - PAXOS_WIRE_HDR_LEN)
		return -ENODATA;
	if (body_len < len - PAXOS_WIRE_HDR_LEN)
		return -EBADMSG;
	if (body_len < paxos_wire_fixed_len[msg->type])
		return -ENODATA;
	p += PAXOS_WIRE_HDR_LEN;
	return wire_decode_body(p, p + body_len, msg);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_decode);

/**
 * paxos_wire_peek_group() - group id of a datagram, for dispatching
 * @buf: the datagram
 * @len: its length
 * @group: set to the group id
 *
 * Only checks that a header is present with the right magic and version, so
 * the runtime can pick the group's core; the core validates the rest.
 *
 * Return: 0, -ENODATA (too short), -EBADMSG (magic) or -EPROTONOSUPPORT.
 */
int paxos_wire_peek_group(const void *buf, size_t len, u32 *group)
{
	const struct paxos_wire_hdr *h = buf;

	if (len < PAXOS_WIRE_HDR_LEN)
		return -ENODATA;
	if (le32_to_cpu(h->magic) != PAXOS_WIRE_MAGIC)
		return -EBADMSG;
	if (h->version != PAXOS_WIRE_VERSION)
		return -EPROTONOSUPPORT;
	*group = le32_to_cpu(h->group);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_peek_group);

/**
 * paxos_wire_get_entry() - decode one entry of a validated message
 * @p: the entry
 * @v: filled with the entry; @v->data points into the datagram
 *
 * Return: the next entry.
 */
const u8 *paxos_wire_get_entry(const u8 *p, struct paxos_wire_value *v)
{
	const struct paxos_wire_entry *e = (const void *)p;

	v->slot = le64_to_cpu(e->slot);
	wire_get_ballot(&e->ballot, &v->ballot);
	v->origin = le32_to_cpu(e->origin);
	v->len = le32_to_cpu(e->len);
	v->origin_inc = le64_to_cpu(e->origin_inc);
	v->seq = le64_to_cpu(e->seq);
	v->low = le64_to_cpu(e->low);
	v->flags = le32_to_cpu(e->flags);
	v->data = p + PAXOS_WIRE_ENTRY_LEN;
	return v->data + v->len;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_get_entry);

/**
 * paxos_wire_put_hdr() - encode a header
 * @p: destination, %PAXOS_WIRE_HDR_LEN bytes
 * @type: &enum paxos_msg_type
 * @flags: PAXOS_WF_* bits
 * @group: group id
 * @sender: sender node id
 * @sender_inc: sender incarnation
 * @body_len: bytes that follow
 *
 * Return: @p advanced past the header.
 */
u8 *paxos_wire_put_hdr(u8 *p, u32 type, u32 flags, u32 group, u32 sender,
		       u64 sender_inc, u32 body_len)
{
	struct paxos_wire_hdr *h = (void *)p;

	h->magic = cpu_to_le32(PAXOS_WIRE_MAGIC);
	h->version = PAXOS_WIRE_VERSION;
	h->type = type;
	h->flags = cpu_to_le16(flags);
	h->group = cpu_to_le32(group);
	h->sender = cpu_to_le32(sender);
	h->sender_inc = cpu_to_le64(sender_inc);
	h->body_len = cpu_to_le32(body_len);
	return p + PAXOS_WIRE_HDR_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_hdr);

/**
 * paxos_wire_put_ballot() - encode a ballot
 * @p: destination, %PAXOS_WIRE_BALLOT_LEN bytes
 * @b: the ballot
 *
 * Return: @p advanced past the ballot.
 */
u8 *paxos_wire_put_ballot(u8 *p, const struct paxos_ballot *b)
{
	wire_set_ballot((void *)p, b);
	return p + PAXOS_WIRE_BALLOT_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_ballot);

/**
 * paxos_wire_put_entry() - encode an entry and its value bytes
 * @p: destination, paxos_wire_entry_size(@v->len) bytes
 * @v: the entry
 *
 * Return: @p advanced past the entry.
 */
u8 *paxos_wire_put_entry(u8 *p, const struct paxos_wire_value *v)
{
	struct paxos_wire_entry *e = (void *)p;

	e->slot = cpu_to_le64(v->slot);
	wire_set_ballot(&e->ballot, &v->ballot);
	e->origin = cpu_to_le32(v->origin);
	e->len = cpu_to_le32(v->len);
	e->origin_inc = cpu_to_le64(v->origin_inc);
	e->seq = cpu_to_le64(v->seq);
	e->low = cpu_to_le64(v->low);
	e->flags = cpu_to_le32(v->flags);
	e->reserved = 0;
	if (v->len)
		memcpy(p + PAXOS_WIRE_ENTRY_LEN, v->data, v->len);
	return p + PAXOS_WIRE_ENTRY_LEN + v->len;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_entry);

/**
 * paxos_wire_put_prepare() - encode a PREPARE body
 * @p: destination, %PAXOS_WIRE_PREPARE_LEN bytes
 * @ballot: the candidate's ballot
 * @from: first slot wanted
 * @to: last slot wanted
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_prepare(u8 *p, const struct paxos_ballot *ballot, u64 from,
			   u64 to)
{
	struct paxos_wire_prepare *b = (void *)p;

	wire_set_ballot(&b->ballot, ballot);
	b->from = cpu_to_le64(from);
	b->to = cpu_to_le64(to);
	return p + PAXOS_WIRE_PREPARE_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_prepare);

/**
 * paxos_wire_put_promise() - encode the fixed part of a PROMISE body
 * @p: destination, %PAXOS_WIRE_PROMISE_LEN bytes
 * @ballot: the ballot promised
 * @from: first slot the page covers
 * @to: last slot the page covers
 * @learned: the voter's learned point
 * @first_retained: the voter's first slot held
 * @nr: entries the caller puts after it
 *
 * Return: @p advanced past the fixed part, where the entries go.
 */
u8 *paxos_wire_put_promise(u8 *p, const struct paxos_ballot *ballot, u64 from,
			   u64 to, u64 learned, u64 first_retained, u32 nr)
{
	struct paxos_wire_promise *b = (void *)p;

	wire_set_ballot(&b->ballot, ballot);
	b->from = cpu_to_le64(from);
	b->to = cpu_to_le64(to);
	b->learned = cpu_to_le64(learned);
	b->first_retained = cpu_to_le64(first_retained);
	b->nr = cpu_to_le32(nr);
	b->reserved = 0;
	return p + PAXOS_WIRE_PROMISE_LEN;
}

/**
 * paxos_wire_put_reject() - encode a REJECT body
 * @p: destination, %PAXOS_WIRE_REJECT_LEN bytes
 * @ballot: the ballot refused
 * @promised: the ballot the voter promised
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_reject(u8 *p, const struct paxos_ballot *ballot,
			  const struct paxos_ballot *promised)
{
	struct paxos_wire_reject *b = (void *)p;

	wire_set_ballot(&b->ballot, ballot);
	wire_set_ballot(&b->promised, promised);
	return p + PAXOS_WIRE_REJECT_LEN;
}

/**
 * paxos_wire_put_accept() - encode the fixed part of an ACCEPT body
 * @p: destination, %PAXOS_WIRE_ACCEPT_LEN bytes
 * @ballot: the proposer's ballot
 * @commit: the leader's commit point
 * @trim: the trim hint
 * @nr: entries the caller puts after it (0: heartbeat)
 *
 * Return: @p advanced past the fixed part, where the entries go.
 */
u8 *paxos_wire_put_accept(u8 *p, const struct paxos_ballot *ballot, u64 commit,
			  u64 trim, u32 nr)
{
	struct paxos_wire_accept *b = (void *)p;

	wire_set_ballot(&b->ballot, ballot);
	b->commit = cpu_to_le64(commit);
	b->trim = cpu_to_le64(trim);
	b->nr = cpu_to_le32(nr);
	b->reserved = 0;
	return p + PAXOS_WIRE_ACCEPT_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_accept);

/**
 * paxos_wire_put_accepted() - encode an ACCEPTED body with its slots
 * @p: destination, %PAXOS_WIRE_ACCEPTED_LEN + @nr * %PAXOS_WIRE_SLOT_LEN
 *	bytes
 * @ballot: the ballot accepted in
 * @learned: the sender's learned point
 * @first_retained: the sender's first slot held
 * @slots: the slots acked
 * @nr: entries in @slots
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_accepted(u8 *p, const struct paxos_ballot *ballot,
			    u64 learned, u64 first_retained, const u64 *slots,
			    u32 nr)
{
	struct paxos_wire_accepted *b = (void *)p;
	struct paxos_wire_slot *s = (void *)(p + PAXOS_WIRE_ACCEPTED_LEN);
	u32 i;

	wire_set_ballot(&b->ballot, ballot);
	b->learned = cpu_to_le64(learned);
	b->first_retained = cpu_to_le64(first_retained);
	b->nr = cpu_to_le32(nr);
	b->reserved = 0;
	for (i = 0; i < nr; i++)
		s[i].slot = cpu_to_le64(slots[i]);
	return (u8 *)(s + nr);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_accepted);

/**
 * paxos_wire_get_slot() - one slot of a validated ACCEPTED
 * @slots: &paxos_wire_msg.entries of the message
 * @i: index, below &paxos_wire_msg.nr
 *
 * Return: the slot.
 */
u64 paxos_wire_get_slot(const u8 *slots, u32 i)
{
	const struct paxos_wire_slot *s = (const void *)slots;

	return le64_to_cpu(s[i].slot);
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_get_slot);

/**
 * paxos_wire_put_forward() - encode the fixed part of a FORWARD body
 * @p: destination, %PAXOS_WIRE_FORWARD_LEN bytes
 * @nr: entries the caller puts after it
 *
 * Return: @p advanced past the fixed part, where the entries go.
 */
u8 *paxos_wire_put_forward(u8 *p, u32 nr)
{
	struct paxos_wire_forward *b = (void *)p;

	b->nr = cpu_to_le32(nr);
	b->reserved = 0;
	return p + PAXOS_WIRE_FORWARD_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_forward);

/**
 * paxos_wire_put_catchup() - encode a CATCHUP body
 * @p: destination, %PAXOS_WIRE_CATCHUP_LEN bytes
 * @from: first slot wanted
 * @learned: the sender's learned point
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_catchup(u8 *p, u64 from, u64 learned)
{
	struct paxos_wire_catchup *b = (void *)p;

	b->from = cpu_to_le64(from);
	b->learned = cpu_to_le64(learned);
	return p + PAXOS_WIRE_CATCHUP_LEN;
}

/**
 * paxos_wire_put_learn() - encode the fixed part of a LEARN body
 * @p: destination, %PAXOS_WIRE_LEARN_LEN bytes
 * @first_retained: the sender's first slot held
 * @learned: the sender's learned point
 * @nr: entries the caller puts after the dedup records
 * @nr_dedup: dedup records the caller puts right after it
 *
 * Return: @p advanced past the fixed part, where the dedup records go.
 */
u8 *paxos_wire_put_learn(u8 *p, u64 first_retained, u64 learned, u32 nr,
			 u32 nr_dedup)
{
	struct paxos_wire_learn *b = (void *)p;

	b->first_retained = cpu_to_le64(first_retained);
	b->learned = cpu_to_le64(learned);
	b->nr = cpu_to_le32(nr);
	b->nr_dedup = cpu_to_le32(nr_dedup);
	return p + PAXOS_WIRE_LEARN_LEN;
}

/**
 * paxos_wire_put_dedup() - encode one dedup record
 * @p: destination, %PAXOS_WIRE_DEDUP_LEN bytes
 * @d: the record
 *
 * Return: @p advanced past the record.
 */
u8 *paxos_wire_put_dedup(u8 *p, const struct paxos_dedup_entry *d)
{
	struct paxos_wire_dedup *w = (void *)p;

	w->origin = cpu_to_le32(d->origin);
	w->reserved = 0;
	w->origin_inc = cpu_to_le64(d->origin_inc);
	w->base = cpu_to_le64(d->base);
	w->bits = cpu_to_le64(d->bits);
	w->last_slot = cpu_to_le64(d->last_slot);
	return p + PAXOS_WIRE_DEDUP_LEN;
}

/**
 * paxos_wire_get_dedup() - decode one dedup record of a validated LEARN
 * @p: the record
 * @d: filled with it
 *
 * Return: the next record.
 */
const u8 *paxos_wire_get_dedup(const u8 *p, struct paxos_dedup_entry *d)
{
	const struct paxos_wire_dedup *w = (const void *)p;

	d->origin = le32_to_cpu(w->origin);
	d->origin_inc = le64_to_cpu(w->origin_inc);
	d->base = le64_to_cpu(w->base);
	d->bits = le64_to_cpu(w->bits);
	d->last_slot = le64_to_cpu(w->last_slot);
	return p + PAXOS_WIRE_DEDUP_LEN;
}

/**
 * paxos_wire_put_status() - encode a STATUS body
 * @p: destination, %PAXOS_WIRE_STATUS_LEN bytes
 * @learned: the sender's learned point
 * @first_retained: the sender's first slot held
 * @trim: the sender's trim hint
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_status(u8 *p, u64 learned, u64 first_retained, u64 trim)
{
	struct paxos_wire_status *b = (void *)p;

	b->learned = cpu_to_le64(learned);
	b->first_retained = cpu_to_le64(first_retained);
	b->trim = cpu_to_le64(trim);
	return p + PAXOS_WIRE_STATUS_LEN;
}

/**
 * paxos_wire_put_hello() - encode a HELLO body
 * @p: destination, %PAXOS_WIRE_HELLO_LEN bytes
 * @asker_inc: 0 in a probe; in an answer, the incarnation of the probe
 *
 * Return: @p advanced past the body.
 */
u8 *paxos_wire_put_hello(u8 *p, u64 asker_inc)
{
	struct paxos_wire_hello *b = (void *)p;

	b->asker_inc = cpu_to_le64(asker_inc);
	return p + PAXOS_WIRE_HELLO_LEN;
}
