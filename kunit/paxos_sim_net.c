// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the simulator's network.  One PRNG stream drives everything but
 * the allocation failures; values carry their id and a pattern derived from
 * it; datagrams wait in a heap ordered by arrival tick, and the network
 * loses, duplicates, delays and (through the partitions of
 * paxos_sim_fault.c) cuts them on the way.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_sim_int.h"

u64 sim_mix(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 sim_rand(struct sim *s)
{
	return sim_mix(&s->rng);
}

u32 sim_below(struct sim *s, u32 n)
{
	return n ? (u32)sim_rand(s) % n : 0;
}

/* ---- values: id, then a pattern derived from the id ------------------- */

/* A few percent of the values are big (PAXOS_SIM_BIG), by a hash of the id. */
u32 sim_value_len(const struct sim *s, u64 id)
{
	if (s->big_pct) {
		u64 h = id;

		h = sim_mix(&h);
		if (h % 100 < s->big_pct)
			return SIM_BIG_VALUE +
			       (u32)((h >> 32) % (s->max_value - SIM_BIG_VALUE + 1));
	}
	return 8 + (u32)(id * 7 % 41);
}

void sim_value_make(const struct sim *s, u64 id, u8 *buf)
{
	u32 i, len = sim_value_len(s, id);

	put_unaligned_le64(id, buf);
	for (i = 8; i < len; i++)
		buf[i] = (u8)(id * 31 + i);
}

u64 sim_value_check(struct sim *s, const u8 *data, u32 len)
{
	u32 i;
	u64 id;

	if (len < 8)
		return 0;
	id = get_unaligned_le64(data);
	if (!id || id > s->nr_vals || len != sim_value_len(s, id))
		return 0;
	for (i = 8; i < len; i++)
		if (data[i] != (u8)(id * 31 + i))
			return 0;
	return id;
}

/* ---- the network ------------------------------------------------------ */

static bool msg_before(const struct sim_msg *a, const struct sim_msg *b)
{
	return a->at != b->at ? a->at < b->at : a->order < b->order;
}

static void heap_push(struct sim *s, struct sim_msg *m)
{
	u32 i;

	if (s->heap_n == s->heap_cap) {
		u32 cap = s->heap_cap ? 2 * s->heap_cap : 256;
		struct sim_msg **h = kmalloc_array(cap, sizeof(*h), GFP_KERNEL);

		if (!h) {
			sim_fail(s, "simulator out of memory");
			kfree(m);
			return;
		}
		if (s->heap_n)
			memcpy(h, s->heap, s->heap_n * sizeof(*h));
		kfree(s->heap);
		s->heap = h;
		s->heap_cap = cap;
	}
	m->order = s->order++;
	i = s->heap_n++;
	while (i && msg_before(m, s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = m;
}

struct sim_msg *sim_heap_pop(struct sim *s)
{
	struct sim_msg *top = s->heap[0], *last;
	u32 i = 0;

	last = s->heap[--s->heap_n];
	for (;;) {
		u32 l = 2 * i + 1, r = l + 1, m = i;
		const struct sim_msg *best = last;

		if (l < s->heap_n && msg_before(s->heap[l], best)) {
			m = l;
			best = s->heap[l];
		}
		if (r < s->heap_n && msg_before(s->heap[r], best))
			m = r;
		if (m == i)
			break;
		s->heap[i] = s->heap[m];
		i = m;
	}
	if (s->heap_n)
		s->heap[i] = last;
	return top;
}

/*
 * Is node index @from a member by node index @to's configurations (its
 * current one or the next)?  Datagrams of others are dropped as unknown
 * (PAXOS_SIM_CONFIG: a removed node, or one added back that @to has not
 * learned of yet).
 */
bool sim_knows(struct sim *s, u32 to, u32 from)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	bool in = false;
	u32 j;

	if (!m)
		return true;
	paxos_core_membership(s->nodes[to].core, m);
	for (j = 0; j < m->nr_members; j++)
		in |= m->members[j].node_id == s->nodes[from].id;
	for (j = 0; m->pending && j < m->next.nr_members; j++)
		in |= m->next.members[j].node_id == s->nodes[from].id;
	kfree(m);
	return in;
}

static int node_index(struct sim *s, u32 id)
{
	return id >= 1 && id <= s->n ? (int)id - 1 : -1;
}

void net_send(struct sim *s, u32 from, const struct paxos_msg_out *out)
{
	int to = node_index(s, out->dest);
	u32 copies = 1, i;

	s->res->msgs++;
	if (to < 0) {
		sim_fail(s, "n%u sent to unknown node %u", from + 1, out->dest);
		return;
	}
	if (out->len > PAXOS_MAX_DATAGRAM) {
		sim_fail(s, "datagram: n%u sent a %s of %u bytes to n%u (UDP max %u)",
			 from + 1,
			 sim_msg_name(out->len > 5 ? out->data[5] : 0),
			 out->len, to + 1, PAXOS_MAX_DATAGRAM);
		return;
	}
	if (sim_below(s, 100) < s->loss_pct)
		return;
	if (sim_below(s, 100) < s->dup_pct)
		copies = 2;
	for (i = 0; i < copies; i++) {
		struct sim_msg *m = kmalloc(sizeof(*m) + out->len, GFP_KERNEL);

		if (!m) {
			sim_fail(s, "simulator out of memory");
			return;
		}
		m->at = s->now + 1 + sim_below(s, s->delay_max);
		/* Slow datagrams outlive restarts (PAXOS_SIM_STALE). */
		if (s->slow_pct && sim_below(s, 100) < s->slow_pct)
			m->at += sim_below(s, s->slow_max);
		m->from = from;
		m->to = to;
		m->from_inc = s->nodes[from].incarnations;
		m->len = out->len;
		memcpy(m->data, out->data, out->len);
		heap_push(s, m);
	}
}

void deliver_due(struct sim *s)
{
	while (s->heap_n && s->heap[0]->at <= s->now && !s->failed) {
		struct sim_msg *m = sim_heap_pop(s);
		struct sim_node *nd = &s->nodes[m->to];
		u8 type = m->len > 5 ? m->data[5] : 0;
		u64 info = m->len >= 36 ? get_unaligned_le64(m->data + 28) : 0;
		u32 i;
		int rc;

		node_running(s, nd);
		if (nd->paused) {
			/* Held in the paused node's socket buffer. */
			m->at = nd->pause_until + 1 + sim_below(s, s->delay_max);
			heap_push(s, m);
			continue;
		}
		if (nd->down || s->cut[m->from][m->to]) {
			sim_trace(s, EV_DROP, m->from, m->to, type, m->len,
				  info);
			kfree(m);
			continue;
		}
		rc = paxos_core_receive(nd->core, m->data, m->len, GFP_KERNEL);
		sim_trace(s, EV_RECV, m->from, m->to, type, m->len, info);
		/*
		 * Only a restarted sender's older incarnation may be stale,
		 * and once the receiver heard a newer one, it must be.
		 */
		if (rc && !(rc == -ESTALE &&
			    m->from_inc < s->nodes[m->from].incarnations) &&
		    !(rc == -ESRCH && !sim_knows(s, m->to, m->from)))
			sim_fail(s, "n%u rejected a datagram from n%u: %d",
				 m->to + 1, m->from + 1, rc);
		else if (!rc && m->from_inc + 1 < s->heard[m->to][m->from])
			sim_fail(s,
				 "stale: n%u took a datagram of n%u's incarnation %u after hearing its incarnation %u",
				 m->to + 1, m->from + 1, m->from_inc,
				 s->heard[m->to][m->from] - 1);
		else if (!rc)
			s->heard[m->to][m->from] = m->from_inc + 1;
		i = m->to;
		kfree(m);
		sim_drain(s, i);
	}
}
