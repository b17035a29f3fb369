// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: authenticated datagrams (kmod/auth.c).  Two groups of the same
 * cluster, node 1 and node 2, in memory: node 1 seals, node 2 checks and
 * opens, and every forgery, replay, tampering and rekeying case is played
 * against node 2's counters.
 */
#include <kunit/test.h>
#include <kunit/visibility.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/udp.h>

#include "paxos_wire.h"
#include "runtime.h"

#define AT_GROUP	7
#define AT_PORT		7000
#define AT_INC		1000

struct at_node {
	struct paxos_group *g;
	u8 msg[256];
	u32 msg_len;
};

static void at_key(u8 *key, u8 fill)
{
	memset(key, fill, PAXOS_KEY_LEN);
}

static struct paxos_group *at_group(struct kunit *test, u32 self, u8 fill,
				    bool insecure)
{
	struct paxos_group *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, g);
	mutex_init(&g->lock);
	g->p.id = AT_GROUP;
	g->p.node_id = self;
	g->p.insecure = insecure;
	g->p.nr_members = 3;
	for (i = 0; i < 3; i++) {
		struct sockaddr_in *a = (void *)&g->p.members[i].addr;

		g->p.members[i].node_id = i + 1;
		a->sin_family = AF_INET;
		a->sin_port = htons(AT_PORT);
		/* 198.18.<n>.2 */
		a->sin_addr.s_addr = htonl(0xc6120002 | ((i + 1) << 8));
	}
	if (!insecure)
		at_key(g->p.key, fill);
	KUNIT_ASSERT_EQ(test, paxos_auth_init(g), 0);
	return g;
}

static void at_free(struct paxos_group *g)
{
	paxos_auth_free(g);
}

/* A core message header from @sender at @inc, then @body_len bytes. */
static u32 at_msg(u8 *buf, u32 sender, u64 inc, u32 body_len, u8 fill)
{
	struct paxos_wire_hdr *h = (void *)buf;

	memset(h, 0, sizeof(*h));
	h->magic = cpu_to_le32(PAXOS_WIRE_MAGIC);
	h->version = PAXOS_WIRE_VERSION;
	h->type = PAXOS_MSG_ACCEPT;
	h->group = cpu_to_le32(AT_GROUP);
	h->sender = cpu_to_le32(sender);
	h->sender_inc = cpu_to_le64(inc);
	h->body_len = cpu_to_le32(body_len);
	memset(buf + sizeof(*h), fill, body_len);
	return sizeof(*h) + body_len;
}

/* A datagram as encap_rcv sees it: IPv4 header, UDP header at data. */
static struct sk_buff *at_skb(struct kunit *test, u32 src_node, u16 sport,
			      const void *payload, u32 len)
{
	struct sk_buff *skb = alloc_skb(len + 128, GFP_KERNEL);
	struct udphdr *uh;
	struct iphdr *iph;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_reserve(skb, 64);
	skb_reset_network_header(skb);
	iph = skb_put_zero(skb, sizeof(*iph));
	iph->version = 4;
	iph->ihl = 5;
	iph->protocol = IPPROTO_UDP;
	iph->saddr = htonl(0xc6120002 | (src_node << 8));
	skb_pull(skb, sizeof(*iph));
	skb_reset_transport_header(skb);
	uh = skb_put_zero(skb, sizeof(*uh));
	uh->source = htons(sport);
	uh->dest = htons(AT_PORT);
	skb_put_data(skb, payload, len);
	skb->protocol = htons(ETH_P_IP);
	return skb;
}

/*
 * Deliver @dgram to @g from @src_node's address: the softirq check, then
 * the worker's open.  Returns true if the core would get the message, and
 * then checks it is @want.
 */
static bool at_deliver(struct kunit *test, struct paxos_group *g,
		       u32 src_node, u16 sport, const void *dgram, u32 len,
		       const void *want, u32 want_len)
{
	struct sk_buff *skb = at_skb(test, src_node, sport, dgram, len);
	u8 *buf = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);
	const u8 *msg;
	u32 msg_len;
	bool ok;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, dgram, len);
	ok = paxos_auth_rx_check(g, skb) &&
	     paxos_auth_open(g, skb, buf, len, &msg, &msg_len);
	if (ok && want) {
		KUNIT_EXPECT_EQ(test, msg_len, want_len);
		if (msg_len == want_len)
			KUNIT_EXPECT_MEMEQ(test, msg, want, want_len);
	}
	kfree_skb(skb);
	return ok;
}

/* Seal @msg at @g; the sealed datagram is copied to @out. */
static u32 at_seal(struct paxos_group *g, const u8 *msg, u32 len, u8 *out)
{
	const void *d;
	u32 dlen;

	paxos_auth_seal(g, msg, len, &d, &dlen);
	memcpy(out, d, dlen);
	return dlen;
}

static void auth_roundtrip(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	u8 msg[128], d[256];
	u32 len = at_msg(msg, 1, AT_INC, 64, 'S'), dlen;

	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_GT(test, dlen, len);
	KUNIT_EXPECT_LE(test, dlen - len, (u32)PAXOS_ENVELOPE_MAX);
	/* The body travels encrypted. */
	KUNIT_EXPECT_NULL(test, strnstr((char *)d, "SSSSSSSS", dlen));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen,
					   msg, len));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 0);
	at_free(a);
	at_free(b);
}

/*
 * A broadcast is sealed once: the envelope paxos_auth_sealed() hands out
 * again is byte for byte the last one, and each member takes it once.
 */
static void auth_broadcast(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	struct paxos_group *c = at_group(test, 3, 0x11, false);
	u8 msg[128], d[256];
	u32 len = at_msg(msg, 1, AT_INC, 64, 'B'), dlen, again_len;
	const void *again;

	dlen = at_seal(a, msg, len, d);
	paxos_auth_sealed(a, msg, len, &again, &again_len);
	KUNIT_ASSERT_EQ(test, again_len, dlen);
	KUNIT_EXPECT_MEMEQ(test, again, d, dlen);
	KUNIT_EXPECT_EQ(test, a->tx_counter, 1ULL);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, again,
					   again_len, msg, len));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, c, 1, AT_PORT, d, dlen,
					   msg, len));
	/* Once each. */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, c, 1, AT_PORT, d, dlen,
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&c->stats.rx_replay), 1);
	at_free(a);
	at_free(b);
	at_free(c);
}

static void auth_forgeries(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	struct paxos_group *evil = at_group(test, 1, 0x99, false);
	u8 msg[128], d[256], bad[256];
	u32 len = at_msg(msg, 1, AT_INC, 40, 'v'), dlen, i;
	u64 auth = 0, source = 0;

	/* Clear text to a keyed group. */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, msg, len,
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), ++auth);
	/* Sealed under another key. */
	dlen = at_seal(evil, msg, len, d);
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d, dlen,
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), ++auth);
	/* Every single flipped byte of a genuine datagram. */
	dlen = at_seal(a, msg, len, d);
	for (i = 0; i < dlen; i++) {
		memcpy(bad, d, dlen);
		bad[i] ^= 0x40;
		KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, bad,
						    dlen, NULL, 0));
	}
	/* Header bytes 8..11 name another sender: a source drop, the rest
	 * fail authentication.
	 */
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), source + 4);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth),
			auth + dlen - 4);
	source += 4;
	auth += dlen - 4;
	/* Truncated. */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d, 40, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), ++auth);
	/* The genuine datagram from another address or port. */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 3, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT + 1, d, dlen,
					    NULL, 0));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 9, AT_PORT, d, dlen, NULL,
					    0));
	source += 3;
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), source);
	/* A message claiming to be node 3's inside node 1's envelope. */
	len = at_msg(msg, 3, AT_INC, 40, 'v');
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), ++auth);
	/* ... or another incarnation of node 1. */
	len = at_msg(msg, 1, AT_INC + 1, 40, 'v');
	dlen = at_seal(a, msg, len, d);
	/* (the envelope takes the incarnation from the message: consistent) */
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	/* Still, the genuine one goes through. */
	len = at_msg(msg, 1, AT_INC + 1, 40, 'w');
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 0);
	at_free(a);
	at_free(b);
	at_free(evil);
}

static void auth_replay_window(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	const u32 n = PAXOS_REPLAY_BITS + 8;
	u8 msg[64], (*d)[128];
	u32 len = at_msg(msg, 1, AT_INC, 8, 'r'), *dlen, i;

	d = kunit_kmalloc_array(test, n, sizeof(*d), GFP_KERNEL);
	dlen = kunit_kmalloc_array(test, n, sizeof(*dlen), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_NOT_NULL(test, dlen);
	for (i = 0; i < n; i++)
		dlen[i] = at_seal(a, msg, len, d[i]);
	/* Out of order within the window: 5, 3, 4, each once. */
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[5], dlen[5],
					   msg, len));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[3], dlen[3],
					   msg, len));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[4], dlen[4],
					   msg, len));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[3], dlen[3],
					    NULL, 0));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[5], dlen[5],
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 2);
	/* Jump to the last: 0..7 are now older than the window. */
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[n - 1],
					   dlen[n - 1], msg, len));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[0], dlen[0],
					    NULL, 0));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[6], dlen[6],
					    NULL, 0));
	/* 8 .. n-2 were never taken and are inside the window. */
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[8], dlen[8],
					   msg, len));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[n - 2],
					   dlen[n - 2], msg, len));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[8], dlen[8],
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 5);
	/* A forged datagram does not move the window: 9 still goes through. */
	memcpy(d[0], d[9], dlen[9]);
	d[0][dlen[9] - 1] ^= 1;
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d[0], dlen[9],
					    NULL, 0));
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d[9], dlen[9],
					   msg, len));
	at_free(a);
	at_free(b);
}

static void auth_incarnations(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *a2 = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	u8 msg[64], old[128], d[128];
	u32 len, oldlen, dlen;

	len = at_msg(msg, 1, AT_INC, 8, 'i');
	oldlen = at_seal(a, msg, len, old);
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	/* The node restarts: a new incarnation counts from 1 again. */
	len = at_msg(msg, 1, AT_INC + 5, 8, 'j');
	dlen = at_seal(a2, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	/* What the old incarnation sent is refused now, even unseen. */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, old, oldlen,
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 1);
	at_free(a);
	at_free(a2);
	at_free(b);
}

static void auth_rekey(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	u8 msg[64], k2[PAXOS_KEY_LEN], k3[PAXOS_KEY_LEN], d[128];
	u32 len = at_msg(msg, 1, AT_INC, 8, 'k'), dlen;

	at_key(k2, 0x22);
	at_key(k3, 0x33);
	/* b moves to k2 first, keeping k1 for a while: a still gets in. */
	KUNIT_ASSERT_EQ(test, paxos_auth_set_key(b, k2, 60000), 0);
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	/* Then a moves too. */
	KUNIT_ASSERT_EQ(test, paxos_auth_set_key(a, k2, 60000), 0);
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	/* k3 without grace at b: k2 (now old) and k1 are refused. */
	KUNIT_ASSERT_EQ(test, paxos_auth_set_key(b, k3, 0), 0);
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_auth), 1);
	/* A refused datagram is not marked: sent again under k3, it's fine. */
	KUNIT_ASSERT_EQ(test, paxos_auth_set_key(a, k3, 0), 0);
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	at_free(a);
	at_free(b);
}

static void auth_insecure(struct kunit *test)
{
	struct paxos_group *a = at_group(test, 1, 0, true);
	struct paxos_group *b = at_group(test, 2, 0, true);
	u8 msg[64], k[PAXOS_KEY_LEN], d[128];
	u32 len = at_msg(msg, 1, AT_INC, 8, 'c'), dlen;

	/* Clear text, same bytes, but only from the member's address. */
	dlen = at_seal(a, msg, len, d);
	KUNIT_EXPECT_EQ(test, dlen, len);
	KUNIT_EXPECT_MEMEQ(test, d, msg, len);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, msg,
					   len));
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 3, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 1);
	/* Claiming to be this node itself. */
	len = at_msg(msg, 2, AT_INC, 8, 'c');
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 2, AT_PORT, msg, len, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 2);
	at_key(k, 1);
	KUNIT_EXPECT_EQ(test, paxos_auth_set_key(b, k, 0), -EINVAL);
	at_free(a);
	at_free(b);
}

/* Member @i of @m: node @node, a voter at 198.18.<@net>.2:AT_PORT. */
static void at_member(struct paxos_membership *m, u32 i, u32 node, u32 net)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *a = (void *)&ss;

	a->sin_family = AF_INET;
	a->sin_port = htons(AT_PORT);
	a->sin_addr.s_addr = htonl(0xc6120002 | (net << 8));
	m->members[i].node_id = node;
	m->members[i].role = PAXOS_MEMBER_VOTER;
	paxos_addr_encode(m->members[i].addr, &ss);
	if (i >= m->nr_members)
		m->nr_members = i + 1;
}

static void at_update(struct kunit *test, struct paxos_group *g,
		      const struct paxos_membership *m)
{
	mutex_lock(&g->lock);
	KUNIT_EXPECT_EQ(test, paxos_peers_update(g, m), 0);
	mutex_unlock(&g->lock);
}

/*
 * The member table follows the configuration: a member removed is not
 * heard (even for a datagram queued before), one added is, one moved is
 * heard at its new address only, and one that stays keeps its replay
 * window.
 */
static void auth_members(struct kunit *test)
{
	struct paxos_group *a1 = at_group(test, 1, 0x11, false);
	struct paxos_group *a3 = at_group(test, 3, 0x11, false);
	struct paxos_group *a4 = at_group(test, 4, 0x11, false);
	struct paxos_group *b = at_group(test, 2, 0x11, false);
	struct paxos_membership *m = kunit_kzalloc(test, sizeof(*m),
						   GFP_KERNEL);
	u8 msg[64], d[128], d3[128], buf[128];
	u32 len, dlen, d3len, msg_len;
	struct sk_buff *skb;
	const u8 *out;

	KUNIT_ASSERT_NOT_NULL(test, m);
	len = at_msg(msg, 3, AT_INC, 8, 'm');
	d3len = at_seal(a3, msg, len, d3);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 3, AT_PORT, d3, d3len,
					   msg, len));
	/* Node 1's datagram passes the softirq check, then 1 is removed. */
	len = at_msg(msg, 1, AT_INC, 8, 'm');
	dlen = at_seal(a1, msg, len, d);
	skb = at_skb(test, 1, AT_PORT, d, dlen);
	KUNIT_EXPECT_TRUE(test, paxos_auth_rx_check(b, skb));
	at_member(m, 0, 2, 2);
	at_member(m, 1, 3, 3);
	at_member(m, 2, 4, 4);
	at_update(test, b, m);
	memcpy(buf, d, dlen);
	KUNIT_EXPECT_FALSE(test, paxos_auth_open(b, skb, buf, dlen, &out,
						 &msg_len));
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 1);
	dlen = at_seal(a1, msg, len, d);
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 1, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 2);
	/* Node 4 is heard. */
	len = at_msg(msg, 4, AT_INC, 8, 'm');
	dlen = at_seal(a4, msg, len, d);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 4, AT_PORT, d, dlen, msg,
					   len));
	/* Node 3 stayed: its window too (a replay is still a replay). */
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 3, AT_PORT, d3, d3len,
					    NULL, 0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_replay), 1);
	/* Node 3 moves to 198.18.9.2: heard there, not at its old address. */
	at_member(m, 1, 3, 9);
	at_update(test, b, m);
	len = at_msg(msg, 3, AT_INC, 8, 'n');
	dlen = at_seal(a3, msg, len, d);
	KUNIT_EXPECT_FALSE(test, at_deliver(test, b, 3, AT_PORT, d, dlen, NULL,
					    0));
	KUNIT_EXPECT_EQ(test, atomic64_read(&b->stats.rx_source), 3);
	KUNIT_EXPECT_TRUE(test, at_deliver(test, b, 9, AT_PORT, d, dlen, msg,
					   len));
	at_free(a1);
	at_free(a3);
	at_free(a4);
	at_free(b);
}

static struct kunit_case paxos_auth_cases[] = {
	KUNIT_CASE(auth_roundtrip),
	KUNIT_CASE(auth_broadcast),
	KUNIT_CASE(auth_forgeries),
	KUNIT_CASE(auth_replay_window),
	KUNIT_CASE(auth_incarnations),
	KUNIT_CASE(auth_rekey),
	KUNIT_CASE(auth_insecure),
	KUNIT_CASE(auth_members),
	{}
};

static struct kunit_suite paxos_auth_suite = {
	.name = "paxos_auth",
	.test_cases = paxos_auth_cases,
};

kunit_test_suite(paxos_auth_suite);
