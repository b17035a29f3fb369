// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: who may speak for a member.
 *
 * Every datagram of a keyed group travels in an envelope sealed with the
 * group key by XChaCha20-Poly1305 (lib/crypto, the construction WireGuard
 * uses):
 *
 *   0: magic "PXAE"   4: group id   8: sender node id
 *  12: sender incarnation (le64)   20: counter (le64)
 *  28: the core's message, encrypted     end - 16: Poly1305 tag
 *
 * The 28-byte header is the associated data, and bytes 4..27 (group,
 * sender, incarnation, counter) are the 24-byte nonce.  A sender's counter
 * starts at 1 with every incarnation and only grows, and incarnations only
 * grow (group.c), so a nonce never repeats under one key, even across a
 * restart that lost every other state, and without any state kept on disk.
 * XChaCha's 24-byte nonce is what makes that possible: it holds the whole
 * identity of the sender.  The core's message inside must name the same
 * sender and incarnation as the envelope.
 *
 * A receiver drops, and counts:
 *  - in softirq, before queueing: anything whose source address and port
 *    are not those of the member entry of the node it claims to be
 *    (drop-source), and in a keyed group anything that is not an envelope
 *    for this group (drop-auth);
 *  - in the worker: an envelope the key does not open (drop-auth), and one
 *    whose counter it has already seen or that is older than the replay
 *    window of that sender (drop-replay).  The window follows WireGuard's:
 *    the highest counter seen and a bitmap of the PAXOS_REPLAY_BITS below
 *    it, per member, reset when the member's incarnation grows.
 *
 * group-set-key replaces the key: sending switches at once, and the old key
 * still opens received envelopes for a grace period, so that the members
 * can be rekeyed one after the other.  Keys live in an RCU-managed struct
 * and are wiped when freed; they are never dumped.
 *
 * A group created with the insecure flag has no key: messages go in clear
 * (the source address check still applies, which stops nobody who can
 * spoof addresses).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/chacha20poly1305.h>
#include <kunit/visibility.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/udp.h>
#include <linux/vmalloc.h>
#include <net/ipv6.h>

#include "paxos_wire.h"
#include "runtime.h"
#include "paxos_trace.h"

/* A datagram dropped here, traced with why (its UDP payload length). */
static void paxos_trace_rx_drop(struct paxos_group *g,
				const struct sk_buff *skb,
				u32 why)
{
	trace_paxos_drop(g->p.id, g->p.node_id, why,
			 skb->len - sizeof(struct udphdr));
}

#define PAXOS_ENV_MAGIC		0x45415850	/* "PXAE" */

/**
 * struct paxos_env_hdr - the envelope of a keyed group's datagram
 * @magic: %PAXOS_ENV_MAGIC
 * @group: group id
 * @sender: sender's node id
 * @sender_inc: sender's incarnation
 * @counter: sender's datagram counter in this incarnation, from 1
 * @nonce: @group, @sender, @sender_inc and @counter: the AEAD nonce
 */
struct paxos_env_hdr {
	__le32 magic;
	union {
		struct {
			__le32 group;
			__le32 sender;
			__le64 sender_inc;
			__le64 counter;
		} __packed;
		u8 nonce[XCHACHA20POLY1305_NONCE_SIZE];
	};
} __packed;

#define PAXOS_ENV_LEN	(sizeof(struct paxos_env_hdr) + \
			 CHACHA20POLY1305_AUTHTAG_SIZE)

static_assert(sizeof(struct paxos_env_hdr) == 28);
static_assert(sizeof(struct paxos_env_hdr) ==
	      offsetof(struct paxos_env_hdr, nonce) +
	      XCHACHA20POLY1305_NONCE_SIZE);
static_assert(PAXOS_ENV_LEN <= PAXOS_ENVELOPE_MAX);
static_assert(PAXOS_KEY_LEN == CHACHA20POLY1305_KEY_SIZE);

/**
 * struct paxos_keys - the keys of a group
 * @cur: the key datagrams are sealed with
 * @prev: the previous key, still accepted until @prev_until
 * @has_prev: @prev is set
 * @prev_until: jiffies until which @prev opens received datagrams
 * @rcu: for freeing after readers are done
 */
struct paxos_keys {
	u8 cur[PAXOS_KEY_LEN];
	u8 prev[PAXOS_KEY_LEN];
	bool has_prev;
	unsigned long prev_until;
	struct rcu_head rcu;
};

/* What encap_rcv notes in a datagram it queues, for the worker. */
struct paxos_rx_cb {
	u32 sender;
	unsigned long arrived;
};

static struct paxos_rx_cb *paxos_rx_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct paxos_rx_cb) > sizeof(skb->cb));
	return (struct paxos_rx_cb *)skb->cb;
}

static void paxos_keys_free_rcu(struct rcu_head *head)
{
	kfree_sensitive(container_of(head, struct paxos_keys, rcu));
}

/* --- the member table --- */

/**
 * paxos_peer_state() - the worker's state of a member
 * @g: the group
 * @node_id: the member
 *
 * Context: the group's worker, or under @g->lock.
 * Return: its entry, or NULL if @node_id is not in the member table.
 */
struct paxos_peer_state *paxos_peer_state(struct paxos_group *g, u32 node_id)
{
	u32 i;

	for (i = 0; i < PAXOS_MAX_MEMBERS; i++)
		if (node_id && g->peer_state[i].node_id == node_id)
			return &g->peer_state[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_peer_state);

static struct paxos_peer *paxos_peers_find(struct paxos_peers *t, u32 node_id)
{
	u32 i;

	for (i = 0; t && i < t->nr; i++)
		if (t->m[i].node_id == node_id)
			return &t->m[i];
	return NULL;
}

/* Add @mb to @t unless it is there (then, with @replace, overwrite it). */
static void paxos_peers_add(struct paxos_peers *t,
			    const struct paxos_member *mb, bool replace)
{
	struct paxos_peer *p = paxos_peers_find(t, mb->node_id);
	struct sockaddr_storage ss;

	if (!paxos_addr_decode(&ss, mb->addr))
		return;		/* no address: nobody to talk to */
	if (p && !replace)
		return;
	if (!p) {
		if (t->nr >= PAXOS_MAX_MEMBERS)
			return;
		p = &t->m[t->nr++];
	}
	p->node_id = mb->node_id;
	p->role = mb->role == PAXOS_MEMBER_LEARNER ? PAXOS_ROLE_LEARNER :
						     PAXOS_ROLE_VOTER;
	p->incarnation = mb->incarnation;
	p->addr = ss;
}

/**
 * paxos_peers_update() - make the member table follow a configuration
 * @g: the group
 * @m: the core's configuration (paxos_core_membership())
 *
 * The new table holds every member of the configuration in effect and of
 * the next one, if a chosen change waits for its slot, with the next one's
 * address and role (a member added, or moved, is heard from as soon as the
 * change is chosen; a member removed only once the change is in effect).
 * Members that stay keep their counters and replay window; a new one gets
 * fresh ones.  The table is published with RCU for the softirq check and
 * the old one freed after a grace period.
 *
 * Context: under @g->lock, from the worker or before the group is started.
 * Return: 0, or -ENOMEM (the old table stays).
 */
int paxos_peers_update(struct paxos_group *g,
		       const struct paxos_membership *m)
{
	struct paxos_peers *t, *old;
	bool used[PAXOS_MAX_MEMBERS] = {};
	u32 i, j;

	t = kzalloc(struct_size(t, m, PAXOS_MAX_MEMBERS), PAXOS_GFP);
	if (!t)
		return -ENOMEM;
	if (m->pending)
		for (i = 0; i < m->next.nr_members; i++)
			paxos_peers_add(t, &m->next.members[i], true);
	for (i = 0; i < m->nr_members; i++)
		paxos_peers_add(t, &m->members[i], false);

	/* Keep the state of members that stay; free the others' entries. */
	for (j = 0; j < PAXOS_MAX_MEMBERS; j++) {
		struct paxos_peer_state *ps = &g->peer_state[j];

		if (!ps->node_id)
			continue;
		for (i = 0; i < t->nr; i++) {
			if (t->m[i].node_id == ps->node_id) {
				t->m[i].state = j;
				used[j] = true;
				break;
			}
		}
		if (i == t->nr)
			memset(ps, 0, sizeof(*ps));
	}
	for (i = 0; i < t->nr; i++) {
		if (paxos_peer_state(g, t->m[i].node_id))
			continue;
		for (j = 0; j < PAXOS_MAX_MEMBERS - 1 && used[j]; j++)
			;
		used[j] = true;
		memset(&g->peer_state[j], 0, sizeof(g->peer_state[j]));
		WRITE_ONCE(g->peer_state[j].node_id, t->m[i].node_id);
		t->m[i].state = j;
	}

	old = rcu_replace_pointer(g->peers, t, lockdep_is_held(&g->lock));
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_peers_update);

/* The table of the members as created, before the core reports its own. */
static int paxos_peers_init(struct paxos_group *g)
{
	struct paxos_membership *m;
	u32 i;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;
	m->nr_members = g->p.nr_members;
	for (i = 0; i < g->p.nr_members; i++) {
		struct paxos_member *mb = &m->members[i];

		mb->node_id = g->p.members[i].node_id;
		mb->role = g->p.members[i].role == PAXOS_ROLE_LEARNER ?
			   PAXOS_MEMBER_LEARNER : PAXOS_MEMBER_VOTER;
		mb->incarnation = PAXOS_INC_ADMITTED;
		paxos_addr_encode(mb->addr, &g->p.members[i].addr);
	}
	mutex_lock(&g->lock);
	err = paxos_peers_update(g, m);
	mutex_unlock(&g->lock);
	kfree(m);
	return err;
}

/**
 * paxos_auth_init() - set up a new group's keys, buffers and member table
 * @g: the group, with its parameters set
 *
 * Moves the key out of @g->p (which is wiped) into the group's key store,
 * and makes the member table of @g->p's members.
 *
 * Return: 0 or -ENOMEM.
 */
int paxos_auth_init(struct paxos_group *g)
{
	struct paxos_keys *k;

	if (paxos_peers_init(g))
		return -ENOMEM;
	if (g->p.insecure)
		return 0;
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	g->txbuf = kvmalloc(PAXOS_UDP_MAX, GFP_KERNEL_ACCOUNT);
	if (!k || !g->txbuf) {
		kfree(k);
		return -ENOMEM;
	}
	memcpy(k->cur, g->p.key, PAXOS_KEY_LEN);
	memzero_explicit(g->p.key, PAXOS_KEY_LEN);
	RCU_INIT_POINTER(g->keys, k);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_init);

/**
 * paxos_auth_free() - wipe and free a group's keys and buffers
 * @g: the group, which nothing uses any more
 */
void paxos_auth_free(struct paxos_group *g)
{
	kfree(rcu_dereference_protected(g->peers, true));
	RCU_INIT_POINTER(g->peers, NULL);
	kfree_sensitive(rcu_dereference_protected(g->keys, true));
	RCU_INIT_POINTER(g->keys, NULL);
	memzero_explicit(g->p.key, PAXOS_KEY_LEN);
	kvfree(g->txbuf);
	g->txbuf = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_free);

/**
 * paxos_auth_set_key() - replace a group's key
 * @g: the group
 * @key: the new key, %PAXOS_KEY_LEN bytes
 * @grace_ms: how long the current key still opens received datagrams
 *
 * Context: process context.
 * Return: 0, -EINVAL for an insecure group, or -ENOMEM.
 */
int paxos_auth_set_key(struct paxos_group *g, const u8 *key, u32 grace_ms)
{
	struct paxos_keys *k, *old;

	if (g->p.insecure)
		return -EINVAL;
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return -ENOMEM;
	memcpy(k->cur, key, PAXOS_KEY_LEN);
	mutex_lock(&g->lock);
	old = rcu_dereference_protected(g->keys, lockdep_is_held(&g->lock));
	if (old && grace_ms) {
		memcpy(k->prev, old->cur, PAXOS_KEY_LEN);
		k->has_prev = true;
		k->prev_until = jiffies + msecs_to_jiffies(grace_ms);
	}
	rcu_assign_pointer(g->keys, k);
	mutex_unlock(&g->lock);
	if (old)
		call_rcu(&old->rcu, paxos_keys_free_rcu);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_set_key);

static bool paxos_addr_match(const struct sockaddr_storage *ss,
			     const struct sk_buff *skb, __be16 sport)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		return skb->protocol == htons(ETH_P_IPV6) &&
		       a->sin6_port == sport &&
		       ipv6_addr_equal(&a->sin6_addr, &ipv6_hdr(skb)->saddr);
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		return skb->protocol == htons(ETH_P_IP) &&
		       a->sin_port == sport &&
		       a->sin_addr.s_addr == ip_hdr(skb)->saddr;
	}
}

/**
 * paxos_auth_rx_check() - the checks a datagram must pass to be queued
 * @g: the group
 * @skb: the datagram, UDP header at skb->data
 *
 * Context: softirq (encap_rcv).  Counts what it drops.
 * Return: true if the datagram may be queued for the worker.
 */
bool paxos_auth_rx_check(struct paxos_group *g, struct sk_buff *skb)
{
	struct paxos_env_hdr ebuf;
	const struct paxos_env_hdr *e;
	const struct paxos_peer *m;
	u32 len = skb->len - sizeof(struct udphdr), sender;
	__be16 sport = udp_hdr(skb)->source;
	bool keyed = !g->p.insecure, ok;

	paxos_rx_cb(skb)->arrived = jiffies;

	if (keyed) {
		e = skb_header_pointer(skb, sizeof(struct udphdr), sizeof(ebuf),
				       &ebuf);
		if (len < PAXOS_ENV_LEN || len > PAXOS_UDP_MAX || !e ||
		    e->magic != cpu_to_le32(PAXOS_ENV_MAGIC) ||
		    e->group != cpu_to_le32(g->p.id)) {
			atomic64_inc(&g->stats.rx_auth);
			paxos_trace_rx_drop(g, skb, PAXOS_DROP_AUTH);
			return false;
		}
		sender = le32_to_cpu(e->sender);
	} else {
		struct paxos_wire_hdr hbuf;
		const struct paxos_wire_hdr *h;

		h = skb_header_pointer(skb, sizeof(struct udphdr), sizeof(hbuf),
				       &hbuf);
		/* Too short to claim a sender: the core counts it. */
		if (!h)
			return true;
		sender = le32_to_cpu(h->sender);
	}
	/* A member removed from the configuration is no longer heard. */
	rcu_read_lock();
	m = paxos_peers_find(rcu_dereference(g->peers), sender);
	ok = m && sender != g->p.node_id &&
	     paxos_addr_match(&m->addr, skb, sport);
	rcu_read_unlock();
	if (!ok) {
		atomic64_inc(&g->stats.rx_source);
		paxos_trace_rx_drop(g, skb, PAXOS_DROP_SOURCE);
		return false;
	}
	paxos_rx_cb(skb)->sender = sender;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_rx_check);

/**
 * paxos_auth_rx_arrived() - when a queued datagram arrived
 * @skb: a datagram that passed paxos_auth_rx_check()
 *
 * Return: jiffies at its arrival.
 */
unsigned long paxos_auth_rx_arrived(struct sk_buff *skb)
{
	return paxos_rx_cb(skb)->arrived;
}

/* --- the replay window --- */

static bool paxos_replay_fresh(const struct paxos_replay *r, u64 inc,
			       u64 ctr)
{
	if (inc != r->inc)
		return inc > r->inc;
	if (ctr > r->top)
		return true;
	if (r->top - ctr >= PAXOS_REPLAY_BITS)
		return false;
	return !test_bit(ctr % PAXOS_REPLAY_BITS, r->bits);
}

static void paxos_replay_mark(struct paxos_replay *r, u64 inc, u64 ctr)
{
	u64 i;

	if (inc != r->inc) {
		r->inc = inc;
		r->top = 0;
		bitmap_zero(r->bits, PAXOS_REPLAY_BITS);
	}
	if (ctr > r->top) {
		if (ctr - r->top >= PAXOS_REPLAY_BITS)
			bitmap_zero(r->bits, PAXOS_REPLAY_BITS);
		else
			for (i = r->top + 1; i < ctr; i++)
				clear_bit(i % PAXOS_REPLAY_BITS, r->bits);
		r->top = ctr;
	}
	set_bit(ctr % PAXOS_REPLAY_BITS, r->bits);
}

/**
 * paxos_auth_open() - authenticate a queued datagram and find its message
 * @g: the group
 * @skb: the datagram, checked by paxos_auth_rx_check()
 * @buf: the datagram's bytes after the UDP header (decrypted in place)
 * @len: their number
 * @msg: set to the core's message inside @buf
 * @msg_len: set to its length
 *
 * Context: the group's worker.  Counts what it drops.
 * Return: true if the message is authentic and new.
 */
bool paxos_auth_open(struct paxos_group *g, struct sk_buff *skb, u8 *buf,
		     u32 len, const u8 **msg, u32 *msg_len)
{
	const struct paxos_env_hdr *e = (const void *)buf;
	const struct paxos_wire_hdr *h;
	struct paxos_peer_state *ps;
	struct paxos_replay *r;
	struct paxos_keys *k;
	u64 inc, ctr;
	bool ok;

	if (g->p.insecure) {
		*msg = buf;
		*msg_len = len;
		return true;
	}
	/* Removed from the configuration since it was queued: not heard. */
	ps = paxos_peer_state(g, paxos_rx_cb(skb)->sender);
	if (!ps) {
		atomic64_inc(&g->stats.rx_source);
		paxos_trace_rx_drop(g, skb, PAXOS_DROP_SOURCE);
		return false;
	}
	r = &ps->replay;
	inc = le64_to_cpu(e->sender_inc);
	ctr = le64_to_cpu(e->counter);
	if (!paxos_replay_fresh(r, inc, ctr)) {
		atomic64_inc(&g->stats.rx_replay);
		paxos_trace_rx_drop(g, skb, PAXOS_DROP_REPLAY);
		return false;
	}
	*msg = buf + sizeof(*e);
	*msg_len = len - PAXOS_ENV_LEN;
	rcu_read_lock();
	k = rcu_dereference(g->keys);
	ok = xchacha20poly1305_decrypt(buf + sizeof(*e), *msg, len - sizeof(*e),
				       buf, sizeof(*e), e->nonce,
				       k->cur);
	if (!ok && k->has_prev && time_before(jiffies, k->prev_until))
		ok = xchacha20poly1305_decrypt(buf + sizeof(*e), *msg,
					       len - sizeof(*e), buf,
					       sizeof(*e),
					       e->nonce, k->prev);
	rcu_read_unlock();
	/* The message must speak for the sender the envelope names. */
	h = (const void *)*msg;
	if (!ok || *msg_len < sizeof(*h) || h->sender != e->sender ||
	    h->sender_inc != e->sender_inc || h->group != e->group) {
		atomic64_inc(&g->stats.rx_auth);
		paxos_trace_rx_drop(g, skb, PAXOS_DROP_AUTH);
		return false;
	}
	paxos_replay_mark(r, inc, ctr);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_open);

/**
 * paxos_auth_seal() - put a core message in its envelope
 * @g: the group
 * @buf: the message, with its header (which names this node's incarnation)
 * @len: its length (at most %PAXOS_MAX_DATAGRAM)
 * @out: set to the datagram to send (@buf itself in an insecure group)
 * @out_len: set to its length
 *
 * Context: a pass of the group's work, under @g->pass_lock (which owns
 * @g->txbuf and @g->tx_counter).
 */
void paxos_auth_seal(struct paxos_group *g, const void *buf, u32 len,
		     const void **out, u32 *out_len)
{
	const struct paxos_wire_hdr *h = buf;
	struct paxos_env_hdr e;
	struct paxos_keys *k;

	if (g->p.insecure || len < sizeof(*h)) {
		*out = buf;
		*out_len = len;
		return;
	}
	e.magic = cpu_to_le32(PAXOS_ENV_MAGIC);
	e.group = cpu_to_le32(g->p.id);
	e.sender = cpu_to_le32(g->p.node_id);
	e.sender_inc = h->sender_inc;
	e.counter = cpu_to_le64(++g->tx_counter);
	memcpy(g->txbuf, &e, sizeof(e));
	rcu_read_lock();
	k = rcu_dereference(g->keys);
	xchacha20poly1305_encrypt(g->txbuf + sizeof(e), buf, len, (u8 *)&e,
				  sizeof(e), e.nonce, k->cur);
	rcu_read_unlock();
	*out = g->txbuf;
	*out_len = len + PAXOS_ENV_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_seal);

/**
 * paxos_auth_sealed() - the datagram paxos_auth_seal() made last, again
 * @g: the group
 * @buf: the same message as that call's (a broadcast: the core makes one
 *	copy per member)
 * @len: its length
 * @out: set to the datagram to send
 * @out_len: set to its length
 *
 * A message to several members is sealed once: the same envelope and
 * counter reach each of them, and each member's replay window takes it
 * once.  What a nonce must never do is seal two different messages; this
 * seals none.
 *
 * Context: as paxos_auth_seal(), in the same pass, with nothing sealed
 * since.
 */
void paxos_auth_sealed(struct paxos_group *g, const void *buf, u32 len,
		       const void **out, u32 *out_len)
{
	if (g->p.insecure || len < sizeof(struct paxos_wire_hdr)) {
		*out = buf;
		*out_len = len;
		return;
	}
	*out = g->txbuf;
	*out_len = len + PAXOS_ENV_LEN;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_auth_sealed);
