// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the runtime with real sockets.  Three groups in three network
 * namespaces (made by the harness, see tests/harness/kunit-vm.sh, and named
 * here by the pid of a process in each) agree over UDP, driven through the
 * in-kernel API the way a kernel client would.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include <uapi/linux/paxos.h>

#include "paxos_api.h"
#include "runtime.h"

static int netns_pids[5];
static int nr_netns_pids;
module_param_array(netns_pids, int, &nr_netns_pids, 0444);
MODULE_PARM_DESC(netns_pids,
		 "pids of processes in the namespaces n1..nN of tests/harness/cluster.sh");

#define RT_GROUP	42
#define RT_PORT		7100
#define RT_VALUES	12
#define RT_MAX_LOG	64

struct rt_listener {
	struct paxos_listener l;
	spinlock_t lock;	/* protects the log */
	u32 n;
	u64 slots[RT_MAX_LOG];
	char values[RT_MAX_LOG][16];
};

struct rt_node {
	struct net *net;
	struct paxos_group *g;
	struct rt_listener rec;
};

struct rt_cluster {
	u32 n;
	struct rt_node nodes[5];
};

static void rt_learned(struct paxos_listener *l, u64 slot, const void *value,
		       u32 len)
{
	struct rt_listener *r = container_of(l, struct rt_listener, l);

	spin_lock(&r->lock);
	if (r->n < RT_MAX_LOG) {
		r->slots[r->n] = slot;
		memcpy(r->values[r->n], value, min_t(u32, len, 15));
		r->values[r->n][min_t(u32, len, 15)] = 0;
		r->n++;
	}
	spin_unlock(&r->lock);
}

static void rt_params(struct paxos_group_params *p, u32 self, u32 n)
{
	u32 i;

	memset(p, 0, sizeof(*p));
	p->id = RT_GROUP;
	p->node_id = self;
	p->mode = PAXOS_MODE_MULTI;
	p->cluster_state = PAXOS_CLUSTER_STATE_NEW;
	p->heartbeat_ms = 50;
	p->election_min_ms = 300;
	p->election_max_ms = 600;
	p->proposal_timeout_ms = 20000;
	p->max_value_size = 1024;
	p->retention = 256;
	p->queue_len = 16;
	p->nr_members = n;
	for (i = 0; i < n; i++) {
		struct sockaddr_in *sin = (void *)&p->members[i].addr;

		p->members[i].node_id = i + 1;
		p->members[i].role = PAXOS_ROLE_VOTER;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(RT_PORT);
		/* 198.18.<i+1>.2, see tests/harness/cluster.sh */
		sin->sin_addr.s_addr = htonl(0xc6120002 | ((i + 1) << 8));
	}
	p->listen = p->members[self - 1].addr;
}

static void rt_cluster_exit(struct kunit *test, struct rt_cluster *c)
{
	u32 i;

	for (i = 0; i < c->n; i++) {
		struct rt_node *nd = &c->nodes[i];

		if (nd->g) {
			paxos_unsubscribe(nd->g, &nd->rec.l);
			paxos_group_put(nd->g);
			paxos_group_delete(nd->net, RT_GROUP);
		}
		if (nd->net)
			put_net(nd->net);
	}
}

static void rt_cluster_init(struct kunit *test, struct rt_cluster *c, u32 n)
{
	struct paxos_group_params *p;
	u32 i;

	KUNIT_ASSERT_GE_MSG(test, nr_netns_pids, (int)n,
			    "the harness passes netns_pids= for %u namespaces", n);
	p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	c->n = n;
	for (i = 0; i < n; i++) {
		struct rt_node *nd = &c->nodes[i];

		nd->net = get_net_ns_by_pid(netns_pids[i]);
		KUNIT_ASSERT_FALSE(test, IS_ERR(nd->net));
		rt_params(p, i + 1, n);
		KUNIT_ASSERT_EQ(test, paxos_group_create(nd->net, p, NULL), 0);
		nd->g = paxos_group_get(nd->net, RT_GROUP);
		KUNIT_ASSERT_NOT_NULL(test, nd->g);
		spin_lock_init(&nd->rec.lock);
		nd->rec.l.learned = rt_learned;
		KUNIT_ASSERT_EQ(test, paxos_subscribe(nd->g, &nd->rec.l), 0);
	}
}

/* Wait until every live node's listener saw @want values. */
static bool rt_wait_learned(struct rt_cluster *c, u32 want, u32 skip)
{
	int ms;
	u32 i;

	for (ms = 0; ms < 30000; ms += 50) {
		bool all = true;

		for (i = 0; i < c->n; i++)
			if (i != skip && c->nodes[i].g &&
			    READ_ONCE(c->nodes[i].rec.n) < want)
				all = false;
		if (all)
			return true;
		msleep(50);
	}
	return false;
}

static void rt_expect_same_log(struct kunit *test, struct rt_cluster *c,
			       u32 want, u32 skip)
{
	struct rt_listener *ref = NULL;
	u32 i, k;

	for (i = 0; i < c->n; i++) {
		struct rt_listener *r = &c->nodes[i].rec;

		if (i == skip || !c->nodes[i].g)
			continue;
		KUNIT_EXPECT_EQ(test, r->n, want);
		if (!ref) {
			ref = r;
			continue;
		}
		for (k = 0; k < min(r->n, ref->n); k++) {
			KUNIT_EXPECT_EQ(test, r->slots[k], ref->slots[k]);
			KUNIT_EXPECT_STREQ(test, r->values[k], ref->values[k]);
		}
	}
}

static void paxos_runtime_agreement(struct kunit *test)
{
	struct rt_cluster *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	char v[16];
	u64 slot, last = 0;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, c);
	rt_cluster_init(test, c, 3);
	for (i = 0; i < RT_VALUES; i++) {
		struct rt_node *nd = &c->nodes[i % 3];

		snprintf(v, sizeof(v), "v%u@n%u", i, i % 3 + 1);
		KUNIT_ASSERT_EQ(test, paxos_propose_sync(nd->g, v, strlen(v) + 1,
							 &slot), 0);
		/* One client proposing in sequence sees increasing slots. */
		KUNIT_EXPECT_GT(test, slot, last);
		last = slot;
	}
	KUNIT_EXPECT_TRUE(test, rt_wait_learned(c, RT_VALUES, U32_MAX));
	rt_expect_same_log(test, c, RT_VALUES, U32_MAX);
	for (i = 0; i < RT_VALUES; i++) {
		snprintf(v, sizeof(v), "v%u@n%u", i, i % 3 + 1);
		KUNIT_EXPECT_STREQ(test, c->nodes[0].rec.values[i], v);
	}
	rt_cluster_exit(test, c);
}

static void paxos_runtime_leader_deleted(struct kunit *test)
{
	struct rt_cluster *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	u32 leader = 0, old, i, other;
	char v[16];
	u64 slot;
	int ms;

	KUNIT_ASSERT_NOT_NULL(test, c);
	rt_cluster_init(test, c, 3);
	KUNIT_ASSERT_EQ(test, paxos_propose_sync(c->nodes[0].g, "first", 6,
						 &slot), 0);
	for (ms = 0; ms < 10000 && !leader; ms += 50) {
		leader = paxos_group_leader(c->nodes[0].g);
		if (!leader)
			msleep(50);
	}
	KUNIT_ASSERT_GE(test, leader, 1U);
	KUNIT_ASSERT_LE(test, leader, 3U);
	KUNIT_ASSERT_TRUE(test, rt_wait_learned(c, 1, U32_MAX));

	/* Delete the leader's group: the other two elect a new leader. */
	old = leader - 1;
	paxos_unsubscribe(c->nodes[old].g, &c->nodes[old].rec.l);
	paxos_group_put(c->nodes[old].g);
	c->nodes[old].g = NULL;
	KUNIT_ASSERT_EQ(test, paxos_group_delete(c->nodes[old].net, RT_GROUP),
			0);

	other = (old + 1) % 3;
	for (i = 0; i < 4; i++) {
		snprintf(v, sizeof(v), "after%u", i);
		KUNIT_ASSERT_EQ(test, paxos_propose_sync(c->nodes[other].g, v,
							 strlen(v) + 1, &slot),
				0);
	}
	KUNIT_EXPECT_TRUE(test, rt_wait_learned(c, 5, old));
	rt_expect_same_log(test, c, 5, old);
	leader = paxos_group_leader(c->nodes[other].g);
	KUNIT_EXPECT_NE(test, leader, old + 1);
	KUNIT_EXPECT_NE(test, leader, 0U);
	rt_cluster_exit(test, c);
}

static struct kunit_case paxos_runtime_cases[] = {
	KUNIT_CASE_SLOW(paxos_runtime_agreement),
	KUNIT_CASE_SLOW(paxos_runtime_leader_deleted),
	{}
};

static struct kunit_suite paxos_runtime_suite = {
	.name = "paxos_runtime",
	.test_cases = paxos_runtime_cases,
};

kunit_test_suite(paxos_runtime_suite);
