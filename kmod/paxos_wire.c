// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: encoding and validation of protocol messages.
 *
 * paxos_wire_decode() checks a datagram completely (header, fixed body,
 * every entry and dedup record, exact total length) before the core looks at
 * any of it; after that, the entry walker paxos_wire_get_entry() can trust
 * the layout.
 */
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <kunit/visibility.h>

#include "paxos_wire.h"

static const u16 paxos_wire_allowed_flags[__PAXOS_MSG_MAX] = {
	[PAXOS_MSG_PROMISE] = PAXOS_WF_PROMISE_LAST,
	[PAXOS_MSG_ACCEPTED] = PAXOS_WF_ACCEPTED_VOTER,
	[PAXOS_MSG_LEARN] = PAXOS_WF_LEARN_SNAPSHOT,
	[PAXOS_MSG_HELLO] = PAXOS_WF_HELLO_NEW | PAXOS_WF_HELLO_OK |
			    PAXOS_WF_HELLO_REFUSE,
};

static void wire_get_ballot(const u8 *p, struct paxos_ballot *b)
{
	b->round = get_unaligned_le32(p);
	b->node = get_unaligned_le32(p + 4);
}

/*
 * Check @nr entries starting at @p, none beyond @end.  Returns the end of
 * the last entry, or NULL if any entry is inconsistent.
 */
static const u8 *wire_check_entries(const u8 *p, const u8 *end, u32 nr)
{
	while (nr--) {
		u32 origin, len, flags;

		if (end - p < PAXOS_WIRE_ENTRY_LEN)
			return NULL;
		origin = get_unaligned_le32(p + 16);
		len = get_unaligned_le32(p + 20);
		flags = get_unaligned_le32(p + 48);
		if (get_unaligned_le32(p + 52) || (flags & ~PAXOS_WE_CHOSEN))
			return NULL;
		if (len > PAXOS_MAX_VALUE || !origin != !len)
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
	if (nr > PAXOS_DEDUP_ORIGINS ||
	    (size_t)(end - p) < (size_t)nr * PAXOS_WIRE_DEDUP_LEN)
		return NULL;
	for (; nr; nr--, p += PAXOS_WIRE_DEDUP_LEN)
		if (!get_unaligned_le32(p) || get_unaligned_le32(p + 4))
			return NULL;
	return p;
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
	const u8 *q = NULL;

	switch (m->type) {
	case PAXOS_MSG_PREPARE:
		wire_get_ballot(p, &m->ballot);
		m->from = get_unaligned_le64(p + 8);
		m->to = get_unaligned_le64(p + 16);
		if (!m->ballot.round || !m->from || m->to < m->from)
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_PROMISE:
		wire_get_ballot(p, &m->ballot);
		m->from = get_unaligned_le64(p + 8);
		m->to = get_unaligned_le64(p + 16);
		m->learned = get_unaligned_le64(p + 24);
		m->first_retained = get_unaligned_le64(p + 32);
		m->nr = get_unaligned_le32(p + 40);
		if (get_unaligned_le32(p + 44) || !m->ballot.round ||
		    !m->from || m->to < m->from || !m->first_retained)
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_PROMISE_LEN;
		q = wire_check_entries(m->entries, end, m->nr);
		break;
	case PAXOS_MSG_REJECT:
		wire_get_ballot(p, &m->ballot);
		wire_get_ballot(p + 8, &m->promised);
		q = end;
		break;
	case PAXOS_MSG_ACCEPT:
		wire_get_ballot(p, &m->ballot);
		m->commit = get_unaligned_le64(p + 8);
		m->trim = get_unaligned_le64(p + 16);
		m->nr = get_unaligned_le32(p + 24);
		if (get_unaligned_le32(p + 28) || !m->ballot.round)
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_ACCEPT_LEN;
		q = wire_check_entries(m->entries, end, m->nr);
		break;
	case PAXOS_MSG_ACCEPTED:
		wire_get_ballot(p, &m->ballot);
		m->learned = get_unaligned_le64(p + 8);
		m->first_retained = get_unaligned_le64(p + 16);
		m->nr = get_unaligned_le32(p + 24);
		if (get_unaligned_le32(p + 28) || !m->first_retained)
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_ACCEPTED_LEN;
		if ((size_t)(end - m->entries) != (size_t)m->nr * 8)
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_FORWARD:
		m->nr = get_unaligned_le32(p);
		if (get_unaligned_le32(p + 4))
			return -EBADMSG;
		m->entries = p + PAXOS_WIRE_FORWARD_LEN;
		q = wire_check_entries(m->entries, end, m->nr);
		break;
	case PAXOS_MSG_CATCHUP:
		m->from = get_unaligned_le64(p);
		m->learned = get_unaligned_le64(p + 8);
		if (!m->from)
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_LEARN:
		m->first_retained = get_unaligned_le64(p);
		m->learned = get_unaligned_le64(p + 8);
		m->nr = get_unaligned_le32(p + 16);
		m->nr_dedup = get_unaligned_le32(p + 20);
		if (!m->first_retained)
			return -EBADMSG;
		m->dedup = p + PAXOS_WIRE_LEARN_LEN;
		m->entries = wire_check_dedup(m->dedup, end, m->nr_dedup);
		if (!m->entries)
			return -EBADMSG;
		q = wire_check_entries(m->entries, end, m->nr);
		break;
	case PAXOS_MSG_STATUS:
		m->learned = get_unaligned_le64(p);
		m->first_retained = get_unaligned_le64(p + 8);
		m->trim = get_unaligned_le64(p + 16);
		if (!m->first_retained)
			return -EBADMSG;
		q = end;
		break;
	case PAXOS_MSG_HELLO:
		if (get_unaligned_le64(p))
			return -EBADMSG;
		q = end;
		break;
	}
	if (q != end)
		return -EBADMSG;
	return 0;
}

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
	const u8 *p = buf;
	u32 body_len;

	if (len < PAXOS_WIRE_HDR_LEN)
		return -ENODATA;
	if (get_unaligned_le32(p) != PAXOS_WIRE_MAGIC)
		return -EBADMSG;
	if (p[4] != PAXOS_WIRE_VERSION)
		return -EPROTONOSUPPORT;
	memset(msg, 0, sizeof(*msg));
	msg->type = p[5];
	msg->flags = get_unaligned_le16(p + 6);
	msg->group = get_unaligned_le32(p + 8);
	msg->sender = get_unaligned_le32(p + 12);
	msg->sender_inc = get_unaligned_le64(p + 16);
	body_len = get_unaligned_le32(p + 24);
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
	const u8 *p = buf;

	if (len < PAXOS_WIRE_HDR_LEN)
		return -ENODATA;
	if (get_unaligned_le32(p) != PAXOS_WIRE_MAGIC)
		return -EBADMSG;
	if (p[4] != PAXOS_WIRE_VERSION)
		return -EPROTONOSUPPORT;
	*group = get_unaligned_le32(p + 8);
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
	v->slot = get_unaligned_le64(p);
	wire_get_ballot(p + 8, &v->ballot);
	v->origin = get_unaligned_le32(p + 16);
	v->len = get_unaligned_le32(p + 20);
	v->origin_inc = get_unaligned_le64(p + 24);
	v->seq = get_unaligned_le64(p + 32);
	v->low = get_unaligned_le64(p + 40);
	v->flags = get_unaligned_le32(p + 48);
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
	put_unaligned_le32(PAXOS_WIRE_MAGIC, p);
	p[4] = PAXOS_WIRE_VERSION;
	p[5] = type;
	put_unaligned_le16(flags, p + 6);
	put_unaligned_le32(group, p + 8);
	put_unaligned_le32(sender, p + 12);
	put_unaligned_le64(sender_inc, p + 16);
	put_unaligned_le32(body_len, p + 24);
	return p + PAXOS_WIRE_HDR_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_hdr);

/**
 * paxos_wire_put_ballot() - encode a ballot
 * @p: destination, 8 bytes
 * @b: the ballot
 *
 * Return: @p advanced past the ballot.
 */
u8 *paxos_wire_put_ballot(u8 *p, const struct paxos_ballot *b)
{
	put_unaligned_le32(b->round, p);
	put_unaligned_le32(b->node, p + 4);
	return p + 8;
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
	put_unaligned_le64(v->slot, p);
	paxos_wire_put_ballot(p + 8, &v->ballot);
	put_unaligned_le32(v->origin, p + 16);
	put_unaligned_le32(v->len, p + 20);
	put_unaligned_le64(v->origin_inc, p + 24);
	put_unaligned_le64(v->seq, p + 32);
	put_unaligned_le64(v->low, p + 40);
	put_unaligned_le32(v->flags, p + 48);
	put_unaligned_le32(0, p + 52);
	if (v->len)
		memcpy(p + PAXOS_WIRE_ENTRY_LEN, v->data, v->len);
	return p + PAXOS_WIRE_ENTRY_LEN + v->len;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_wire_put_entry);
