// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the runtime with real sockets.  Three groups in three network
 * namespaces (made by the harness, see tests/harness/kunit-vm.sh, and named
 * here by the pid of a process in each) agree over UDP, driven through the
 * in-kernel API the way a kernel client would.  The lifecycle cases race
 * creation and deletion against the API from kernel threads: under KASAN a
 * use after free is a failure of the run.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/inet.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
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
	u32 nr_skipped;
	u64 skipped_first;
	u64 skipped_last;
	u64 last_slot;		/* slot of the last call, to check order */
	bool out_of_order;
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
	if (slot <= r->last_slot)
		r->out_of_order = true;
	r->last_slot = slot;
	if (r->n < RT_MAX_LOG) {
		r->slots[r->n] = slot;
		memcpy(r->values[r->n], value, min_t(u32, len, 15));
		r->values[r->n][min_t(u32, len, 15)] = 0;
		r->n++;
	}
	spin_unlock(&r->lock);
}

static void rt_skipped(struct paxos_listener *l, u64 first, u64 last)
{
	struct rt_listener *r = container_of(l, struct rt_listener, l);

	spin_lock(&r->lock);
	if (first <= r->last_slot || last < first)
		r->out_of_order = true;
	r->last_slot = last;
	if (!r->nr_skipped++)
		r->skipped_first = first;
	r->skipped_last = last;
	spin_unlock(&r->lock);
}

static void rt_params(struct paxos_group_params *p, u32 self, u32 n)
{
	u32 i;

	memset(p, 0, sizeof(*p));
	p->insecure = true;
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

static void rt_cluster_init_retention(struct kunit *test,
				      struct rt_cluster *c, u32 n,
				      u32 retention)
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
		if (retention)
			p->retention = retention;
		KUNIT_ASSERT_EQ(test, paxos_group_create(nd->net, p, NULL), 0);
		nd->g = paxos_group_get(nd->net, RT_GROUP);
		KUNIT_ASSERT_NOT_NULL(test, nd->g);
		spin_lock_init(&nd->rec.lock);
		nd->rec.l.learned = rt_learned;
		nd->rec.l.skipped = rt_skipped;
		KUNIT_ASSERT_EQ(test, paxos_subscribe(nd->g, &nd->rec.l), 0);
	}
}

static void rt_cluster_init(struct kunit *test, struct rt_cluster *c, u32 n)
{
	rt_cluster_init_retention(test, c, n, 0);
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

/*
 * A node that comes back after the others moved more than twice the
 * retention on finds what it missed trimmed everywhere: its listener hears
 * of the gap through ->skipped, in order, and then learns the rest.
 */
#define RT_RETENTION	16
#define RT_BEHIND	60	/* values learned while node 3 is away */

static void rt_node_drop(struct rt_node *nd)
{
	paxos_unsubscribe(nd->g, &nd->rec.l);
	paxos_group_put(nd->g);
	nd->g = NULL;
	paxos_group_delete(nd->net, RT_GROUP);
}

static const char *rt_value_at(struct rt_listener *r, u64 slot)
{
	u32 k;

	for (k = 0; k < r->n; k++)
		if (r->slots[k] == slot)
			return r->values[k];
	return NULL;
}

static void paxos_runtime_skipped(struct kunit *test)
{
	struct rt_cluster *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct paxos_group_params *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);
	struct rt_node *n1, *n3;
	struct rt_listener *r;
	u32 i, k, try, after = 0;
	u64 slot, last;
	char v[16];
	int ms;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, p);
	rt_cluster_init_retention(test, c, 3, RT_RETENTION);
	n1 = &c->nodes[0];
	n3 = &c->nodes[2];
	KUNIT_ASSERT_EQ(test, paxos_propose_sync(n1->g, "b0", 3, &slot), 0);
	KUNIT_ASSERT_TRUE(test, rt_wait_learned(c, 1, U32_MAX));

	rt_node_drop(n3);
	for (i = 1; i < RT_BEHIND; i++) {
		snprintf(v, sizeof(v), "b%u", i);
		KUNIT_ASSERT_EQ(test, paxos_propose_sync(c->nodes[i % 2].g, v,
							 strlen(v) + 1, &slot),
				0);
	}
	KUNIT_ASSERT_TRUE(test, rt_wait_learned(c, RT_BEHIND, 2));

	/*
	 * Node 3 comes back as a new incarnation joining the cluster.  Its
	 * listener must be there before it learns anything: if it learned
	 * before we subscribed, start it over.
	 */
	rt_params(p, 3, 3);
	p->retention = RT_RETENTION;
	p->cluster_state = PAXOS_CLUSTER_STATE_EXISTING;
	for (try = 0; try < 3; try++) {
		memset(&n3->rec, 0, sizeof(n3->rec));
		spin_lock_init(&n3->rec.lock);
		n3->rec.l.learned = rt_learned;
		n3->rec.l.skipped = rt_skipped;
		KUNIT_ASSERT_EQ(test, paxos_group_create(n3->net, p, NULL), 0);
		n3->g = paxos_group_get(n3->net, RT_GROUP);
		KUNIT_ASSERT_NOT_NULL(test, n3->g);
		KUNIT_ASSERT_EQ(test, paxos_subscribe(n3->g, &n3->rec.l), 0);
		if (!paxos_group_learned(n3->g))
			break;
		rt_node_drop(n3);
	}
	KUNIT_ASSERT_LT(test, try, 3U);

	/* Until its listener heard of node 1's last value. */
	last = n1->rec.slots[n1->rec.n - 1];
	for (ms = 0; ms < 30000 && READ_ONCE(n3->rec.last_slot) < last;
	     ms += 50)
		msleep(50);
	KUNIT_ASSERT_GE(test, READ_ONCE(n3->rec.last_slot), last);

	/* Nothing is proposed any more: the listeners are quiet. */
	r = &n3->rec;
	kunit_info(test, "node 3: skipped %u time(s), %llu..%llu, then %u values from slot %llu; node 1: %u values, learned %llu",
		   r->nr_skipped, r->skipped_first, r->skipped_last, r->n,
		   r->n ? r->slots[0] : 0, n1->rec.n,
		   paxos_group_learned(n1->g));
	KUNIT_EXPECT_EQ(test, r->nr_skipped, 1U);
	KUNIT_EXPECT_EQ(test, r->skipped_first, 1ULL);
	KUNIT_EXPECT_GE(test, r->skipped_last, 1ULL);
	KUNIT_EXPECT_FALSE(test, r->out_of_order);
	/* Everything after the gap, exactly as node 1 learned it. */
	for (k = 0; k < n1->rec.n; k++)
		if (n1->rec.slots[k] > r->skipped_last)
			after++;
	KUNIT_EXPECT_EQ(test, r->n, after);
	KUNIT_EXPECT_LT(test, after, (u32)RT_BEHIND);
	for (k = 0; k < r->n; k++) {
		const char *want = rt_value_at(&n1->rec, r->slots[k]);

		KUNIT_EXPECT_GT(test, r->slots[k], r->skipped_last);
		KUNIT_EXPECT_NOT_NULL(test, want);
		if (want)
			KUNIT_EXPECT_STREQ(test, r->values[k], want);
	}
	KUNIT_EXPECT_FALSE(test, n1->rec.out_of_order);
	rt_cluster_exit(test, c);
}

/* A second group beside RT_GROUP's, on its own port. */
static void rt_params_other(struct paxos_group_params *p, u32 id, u16 port,
			    u32 self, u32 n)
{
	u32 i;

	rt_params(p, self, n);
	p->id = id;
	for (i = 0; i < n; i++)
		((struct sockaddr_in *)&p->members[i].addr)->sin_port =
			htons(port);
	p->listen = p->members[self - 1].addr;
}

struct rt_done {
	atomic_t calls;
	int error;
};

static void rt_done_cb(void *ctx, int error, u64 slot)
{
	struct rt_done *d = ctx;

	d->error = error;
	atomic_inc(&d->calls);
}

/*
 * One deadline for the whole proposal: a proposal that waits for queue
 * space fails when the proposal timeout from its call has passed, not a
 * whole timeout after it finally got the space.
 */
#define RT_DEADLINE_GROUP	43
#define RT_DEADLINE_PORT	7101
#define RT_DEADLINE_MS		1000

static void paxos_runtime_one_deadline(struct kunit *test)
{
	struct paxos_group_params *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);
	struct rt_done *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	struct paxos_group *g;
	unsigned long t0;
	struct net *net;
	u32 elapsed;
	u64 slot;
	int err, ms;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_GE(test, nr_netns_pids, 1);
	net = get_net_ns_by_pid(netns_pids[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(net));
	/* Three voters of which only node 1 exists: nothing is chosen. */
	rt_params_other(p, RT_DEADLINE_GROUP, RT_DEADLINE_PORT, 1, 3);
	p->proposal_timeout_ms = RT_DEADLINE_MS;
	p->queue_len = 1;
	KUNIT_ASSERT_EQ(test, paxos_group_create(net, p, NULL), 0);
	g = paxos_group_get(net, RT_DEADLINE_GROUP);
	KUNIT_ASSERT_NOT_NULL(test, g);

	KUNIT_ASSERT_EQ(test, paxos_propose(g, "fill", 5, rt_done_cb, d), 0);
	t0 = jiffies;
	err = paxos_propose_sync(g, "late", 5, &slot);
	elapsed = jiffies_to_msecs(jiffies - t0);
	KUNIT_EXPECT_EQ(test, err, -ETIMEDOUT);
	KUNIT_EXPECT_GE(test, elapsed, RT_DEADLINE_MS * 9 / 10);
	KUNIT_EXPECT_LT_MSG(test, elapsed, RT_DEADLINE_MS * 3 / 2,
			    "the wait for queue space counts in the timeout");

	for (ms = 0; ms < 10000 && !atomic_read(&d->calls); ms += 20)
		msleep(20);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->calls), 1);
	KUNIT_EXPECT_EQ(test, d->error, -ETIMEDOUT);

	paxos_group_put(g);
	KUNIT_EXPECT_EQ(test, paxos_group_delete(net, RT_DEADLINE_GROUP), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->calls), 1);
	put_net(net);
}

/*
 * Creation and deletion race proposals, subscriptions and each other, in
 * kernel threads, on a one-node group (its values are chosen at once).
 * Every proposal accepted is completed exactly once, and nothing is used
 * after it is freed (KASAN).
 */
#define RT_RACE_GROUP	44
#define RT_RACE_PORT	7102
#define RT_RACE_MS	5000

struct rt_race {
	struct net *net;
	struct paxos_group_params *p;
	atomic_t created;
	atomic_t deleted;
	atomic_t proposed;
	atomic_t sync_ok;
	atomic_t done;
	atomic_t learned;
};

static void rt_race_done(void *ctx, int error, u64 slot)
{
	struct rt_race *r = ctx;

	atomic_inc(&r->done);
}

struct rt_race_sub {
	struct paxos_listener l;
	struct rt_race *r;
};

static void rt_race_learned(struct paxos_listener *l, u64 slot,
			    const void *value, u32 len)
{
	struct rt_race_sub *sub = container_of(l, struct rt_race_sub, l);

	atomic_inc(&sub->r->learned);
}

static int rt_race_create(void *arg)
{
	struct rt_race *r = arg;

	while (!kthread_should_stop()) {
		if (!paxos_group_create(r->net, r->p, NULL))
			atomic_inc(&r->created);
		msleep(get_random_u32() % 8);
	}
	return 0;
}

static int rt_race_delete(void *arg)
{
	struct rt_race *r = arg;

	while (!kthread_should_stop()) {
		if (!paxos_group_delete(r->net, RT_RACE_GROUP))
			atomic_inc(&r->deleted);
		/* Some groups live long enough to elect themselves. */
		msleep(get_random_u32() % 100);
	}
	return 0;
}

static int rt_race_propose(void *arg)
{
	struct rt_race_sub sub = { .r = arg };
	struct rt_race *r = arg;
	struct paxos_group *g;
	u32 i = 0;
	u64 slot;

	sub.l.learned = rt_race_learned;
	while (!kthread_should_stop()) {
		g = paxos_group_get(r->net, RT_RACE_GROUP);
		if (!g) {
			usleep_range(50, 200);
			continue;
		}
		paxos_subscribe(g, &sub.l);
		if (i % 4 == 0) {
			if (!paxos_propose_sync(g, "sync", 5, &slot))
				atomic_inc(&r->sync_ok);
		} else if (i % 4 == 1) {
			/* As a /dev/paxos write: the pass in this thread. */
			struct paxos_req *req;
			void *v = kvmemdup("flush", 6, GFP_KERNEL);

			req = v ? paxos_req_submit(g, v, 6, PAXOS_SUBMIT_FLUSH,
						   NULL, rt_race_done, r) :
				  ERR_PTR(-ENOMEM);
			if (!IS_ERR(req)) {
				atomic_inc(&r->proposed);
				paxos_group_flush(g);
				paxos_req_put(req);
			}
		} else if (!paxos_propose(g, "async", 6, rt_race_done, r)) {
			atomic_inc(&r->proposed);
		}
		i++;
		paxos_unsubscribe(g, &sub.l);
		paxos_group_put(g);
	}
	return 0;
}

static void paxos_runtime_lifecycle_race(struct kunit *test)
{
	struct rt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t[4];
	int ms;
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->p = kunit_kzalloc(test, sizeof(*r->p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->p);
	KUNIT_ASSERT_GE(test, nr_netns_pids, 1);
	r->net = get_net_ns_by_pid(netns_pids[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(r->net));
	rt_params_other(r->p, RT_RACE_GROUP, RT_RACE_PORT, 1, 1);
	r->p->heartbeat_ms = 10;
	r->p->election_min_ms = 20;
	r->p->election_max_ms = 40;
	r->p->proposal_timeout_ms = 2000;
	r->p->queue_len = 8;

	t[0] = kthread_run(rt_race_create, r, "rt_race_create");
	t[1] = kthread_run(rt_race_delete, r, "rt_race_delete");
	t[2] = kthread_run(rt_race_propose, r, "rt_race_prop1");
	t[3] = kthread_run(rt_race_propose, r, "rt_race_prop2");
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (IS_ERR(t[i]))
			t[i] = NULL;
	msleep(RT_RACE_MS);
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (t[i])
			kthread_stop(t[i]);
	paxos_group_delete(r->net, RT_RACE_GROUP);

	/* Deleting fails what is left: every callback has run by now. */
	for (ms = 0; ms < 1000 && atomic_read(&r->done) !=
				  atomic_read(&r->proposed); ms += 20)
		msleep(20);
	for (i = 0; i < ARRAY_SIZE(t); i++)
		KUNIT_EXPECT_NOT_NULL(test, t[i]);
	kunit_info(test, "created %d deleted %d proposed %d (+%d sync) learned %d",
		   atomic_read(&r->created), atomic_read(&r->deleted),
		   atomic_read(&r->proposed), atomic_read(&r->sync_ok),
		   atomic_read(&r->learned));
	KUNIT_EXPECT_GT(test, atomic_read(&r->created), 1);
	KUNIT_EXPECT_GT(test, atomic_read(&r->deleted), 1);
	KUNIT_EXPECT_GT(test, atomic_read(&r->proposed), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&r->sync_ok), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->done), atomic_read(&r->proposed));
	put_net(r->net);
}

#define RT_PASS_GROUP	45
#define RT_PASS_PORT	7103

struct rt_delete {
	struct net *net;
	struct completion done;
	int ret;
};

static int rt_delete_once(void *arg)
{
	struct rt_delete *d = arg;

	d->ret = paxos_group_delete(d->net, RT_PASS_GROUP);
	complete(&d->done);
	return 0;
}

/*
 * A writer may run the group's pass itself (paxos_group_flush()) and still
 * be sending when the group is deleted: deletion waits for that pass
 * before it closes the socket the pass sends on.  The test holds the pass
 * lock as such a writer would, with the group's clock stopped and its
 * worker idle first (a worker blocked on the pass lock would make the
 * deletion wait for it anyway, hiding a missing wait).  A group of one
 * node receives nothing that would queue the worker again.
 */
static void paxos_runtime_delete_waits_pass(struct kunit *test)
{
	struct paxos_group_params *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);
	struct rt_delete *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	struct task_struct *t;
	struct paxos_group *g;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_ASSERT_GE(test, nr_netns_pids, 1);
	d->net = get_net_ns_by_pid(netns_pids[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(d->net));
	init_completion(&d->done);
	rt_params_other(p, RT_PASS_GROUP, RT_PASS_PORT, 1, 1);
	KUNIT_ASSERT_EQ(test, paxos_group_create(d->net, p, NULL), 0);
	g = paxos_group_get(d->net, RT_PASS_GROUP);
	KUNIT_ASSERT_NOT_NULL(test, g);

	timer_shutdown_sync(&g->tick);
	cancel_work_sync(&g->work);
	mutex_lock(&g->pass_lock);
	t = kthread_run(rt_delete_once, d, "rt_delete_once");
	if (IS_ERR(t)) {
		mutex_unlock(&g->pass_lock);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		paxos_group_delete(d->net, RT_PASS_GROUP);
	} else {
		msleep(500);
		KUNIT_EXPECT_FALSE(test, completion_done(&d->done));
		KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(g->sock));
		/*
		 * The writer's pass, ending, may queue the worker (datagrams
		 * left in the queue): once deletion began it must not, or
		 * the work would run after the last reference is gone.
		 */
		KUNIT_EXPECT_FALSE(test, queue_work(system_wq, &g->work));
		mutex_unlock(&g->pass_lock);
		wait_for_completion(&d->done);
		KUNIT_EXPECT_EQ(test, d->ret, 0);
		KUNIT_EXPECT_NULL(test, READ_ONCE(g->sock));
		KUNIT_EXPECT_FALSE(test, work_busy(&g->work));
	}
	paxos_group_put(g);
	put_net(d->net);
}

#define RT_SLOT_GROUP	46
#define RT_SLOT_PORT	7104

/* Wait (up to 10 s) until @req completed. */
static bool rt_req_done(struct paxos_req *req)
{
	int ms;

	for (ms = 0; ms < 10000 && !READ_ONCE(req->done); ms += 20)
		msleep(20);
	return READ_ONCE(req->done);
}

/*
 * PAXOS_IOC_LAST_SLOT is the slot of the write that just returned.  A
 * blocking write whose wait ended (ETIMEDOUT) may still be learned later,
 * after the file's next write returned: that late completion must not
 * move the file's last slot (it did, and a writer read the earlier
 * write's slot as its own: 51-faults-5's history checker, an "order"
 * violation).  A non-blocking write has nobody waiting: its completion
 * sets it.
 */
static void paxos_runtime_last_slot(struct kunit *test)
{
	struct paxos_group_params *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);
	struct paxos_file_acct *acct = kunit_kzalloc(test, sizeof(*acct),
						     GFP_KERNEL);
	struct paxos_req *req;
	struct paxos_group *g;
	struct net *net;
	char *v;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, acct);
	KUNIT_ASSERT_GE(test, nr_netns_pids, 1);
	kref_init(&acct->ref);
	net = get_net_ns_by_pid(netns_pids[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(net));
	rt_params_other(p, RT_SLOT_GROUP, RT_SLOT_PORT, 1, 1);
	KUNIT_ASSERT_EQ(test, paxos_group_create(net, p, NULL), 0);
	g = paxos_group_get(net, RT_SLOT_GROUP);
	KUNIT_ASSERT_NOT_NULL(test, g);

	/* A blocking write nobody waits for any more: learned, unseen. */
	v = kvmalloc(4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	memcpy(v, "gone", 4);
	req = paxos_req_submit(g, v, 4, 0, acct, NULL, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(req));
	KUNIT_EXPECT_TRUE(test, rt_req_done(req));
	KUNIT_EXPECT_EQ(test, req->error, 0);
	KUNIT_EXPECT_GT(test, req->slot, 0ULL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&acct->last_slot), 0LL);
	paxos_req_put(req);

	/* A non-blocking write: its completion is what the file learns. */
	v = kvmalloc(4, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, v);
	memcpy(v, "sent", 4);
	req = paxos_req_submit(g, v, 4, PAXOS_SUBMIT_NONBLOCK, acct, NULL,
			       NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(req));
	KUNIT_EXPECT_TRUE(test, rt_req_done(req));
	KUNIT_EXPECT_EQ(test, req->error, 0);
	KUNIT_EXPECT_EQ(test, atomic64_read(&acct->last_slot), (s64)req->slot);
	paxos_req_put(req);

	KUNIT_EXPECT_EQ(test, atomic_read(&acct->inflight), 0);
	paxos_group_put(g);
	KUNIT_EXPECT_EQ(test, paxos_group_delete(net, RT_SLOT_GROUP), 0);
	put_net(net);
}

#define RT_WAITER_GROUP	47
#define RT_WAITER_PORT	7105

struct rt_waiter {
	struct paxos_req *req;
	int ret;
	u64 slot;
	struct completion done;
};

static int rt_wait_running(void *arg)
{
	struct rt_waiter *w = arg;

	allow_signal(SIGUSR1);
	w->ret = paxos_req_wait_running(w->req, &w->slot);
	complete(&w->done);
	return 0;
}

/* A writer's proposal, queued for a pass that nobody runs yet. */
static struct paxos_req *rt_queue_unflushed(struct paxos_group *g,
					    const char *val)
{
	size_t len = strlen(val);
	struct paxos_req *req;
	char *v;

	v = kvmalloc(len, GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	memcpy(v, val, len);
	/* FLUSH: the submitter runs the pass, the worker is not kicked. */
	req = paxos_req_submit(g, v, len, PAXOS_SUBMIT_FLUSH, NULL, NULL,
			       NULL);
	return req;
}

/* Start a writer thread on @w->req; true once it is the rx waiter. */
static bool rt_start_waiter(struct kunit *test, struct paxos_group *g,
			    struct rt_waiter *w, struct task_struct **tp)
{
	struct task_struct *t;
	int ms;

	*tp = NULL;
	init_completion(&w->done);
	t = kthread_run(rt_wait_running, w, "rt_wait_running");
	if (IS_ERR(t)) {
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		return false;
	}
	get_task_struct(t);
	*tp = t;
	for (ms = 0; ms < 5000 && READ_ONCE(g->rx_waiter) != t; ms += 20)
		msleep(20);
	return READ_ONCE(g->rx_waiter) == t;
}

/*
 * A blocking writer waits as the group's rx waiter: a datagram wakes it
 * rather than the worker, and it runs the pass itself.  With the worker
 * disabled, only the writer can have run the pass that completed its
 * proposal.  And a writer that leaves (a signal) leaves the slot empty,
 * so the next datagram goes to the worker again.
 */
static void paxos_runtime_rx_waiter(struct kunit *test)
{
	struct paxos_group_params *p = kunit_kzalloc(test, sizeof(*p),
						     GFP_KERNEL);
	struct rt_waiter *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct task_struct *t;
	struct paxos_group *g;
	struct net *net;
	u64 slot;

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_GE(test, nr_netns_pids, 1);
	net = get_net_ns_by_pid(netns_pids[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(net));
	rt_params_other(p, RT_WAITER_GROUP, RT_WAITER_PORT, 1, 1);
	KUNIT_ASSERT_EQ(test, paxos_group_create(net, p, NULL), 0);
	g = paxos_group_get(net, RT_WAITER_GROUP);
	KUNIT_ASSERT_NOT_NULL(test, g);
	/* The lone node leads once its first value is learned. */
	KUNIT_ASSERT_EQ(test, paxos_propose_sync(g, "first", 5, &slot), 0);

	/* Nothing runs a pass but the writer: no worker, no clock. */
	timer_shutdown_sync(&g->tick);
	disable_work_sync(&g->work);

	w->req = rt_queue_unflushed(g, "woken");
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->req));
	if (rt_start_waiter(test, g, w, &t)) {
		/* Not done: its value is still queued, the pass not run. */
		msleep(200);
		KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
		/* A datagram's arrival. */
		rcu_read_lock_bh();
		paxos_group_rx_kick(g);
		rcu_read_unlock_bh();
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w->done,
								  5 * HZ),
				0UL);
		KUNIT_EXPECT_EQ(test, w->ret, 0);
		KUNIT_EXPECT_GT(test, w->slot, slot);
	} else if (t) {
		KUNIT_FAIL(test, "the writer never became the rx waiter");
		send_sig(SIGUSR1, t, 0);
		wait_for_completion(&w->done);
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(g->rx_waiter));
	if (t)
		put_task_struct(t);
	paxos_req_put(w->req);

	/* A writer that leaves on a signal gives the slot back. */
	w->req = rt_queue_unflushed(g, "signalled");
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->req));
	KUNIT_EXPECT_TRUE(test, rt_start_waiter(test, g, w, &t));
	if (t) {
		send_sig(SIGUSR1, t, 0);
		KUNIT_EXPECT_NE(test,
				wait_for_completion_timeout(&w->done, 5 * HZ),
				0UL);
		KUNIT_EXPECT_EQ(test, w->ret, -EINTR);
		put_task_struct(t);
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(g->rx_waiter));
	/* Its value is still queued: the worker, back, learns it. */
	enable_work(&g->work);
	rcu_read_lock_bh();
	paxos_group_rx_kick(g);
	rcu_read_unlock_bh();
	KUNIT_EXPECT_TRUE(test, rt_req_done(w->req));
	KUNIT_EXPECT_EQ(test, w->req->error, 0);
	paxos_req_put(w->req);

	paxos_group_put(g);
	KUNIT_EXPECT_EQ(test, paxos_group_delete(net, RT_WAITER_GROUP), 0);
	put_net(net);
}

#define RT_NOCLOCK_WRITERS	6
#define RT_NOCLOCK_VALUES	40

struct rt_writer {
	struct paxos_group *g;
	u32 id;
	int err;		/* the first error, or 0 */
	u32 done;		/* values learned */
	struct completion finished;
};

/* A /dev/paxos writer's calls, RT_NOCLOCK_VALUES times in a row. */
static int rt_write_loop(void *arg)
{
	struct rt_writer *w = arg;
	struct paxos_req *req;
	char val[16];
	u64 slot;
	u32 i;

	for (i = 0; i < RT_NOCLOCK_VALUES && !w->err; i++) {
		snprintf(val, sizeof(val), "w%u.%u", w->id, i);
		req = rt_queue_unflushed(w->g, val);
		if (IS_ERR(req)) {
			w->err = PTR_ERR(req);
			break;
		}
		paxos_group_submitted(w->g);
		w->err = paxos_req_wait_running(req, &slot);
		paxos_req_put(req);
		if (!w->err)
			w->done++;
	}
	complete(&w->finished);
	return 0;
}

/*
 * Nothing a write needs may wait for the clock.  With every node's tick
 * stopped once the group has a leader, writers at two nodes (a follower's
 * values go through the forward) write back to back, some finding the
 * core empty, some leaving their values to the pass that answers bring:
 * every value must be learned.  A value left for a tick would never be
 * (and its writer fail with ETIMEDOUT at the deadline).
 */
static void paxos_runtime_no_clock(struct kunit *test)
{
	struct rt_cluster *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct rt_writer *w = kunit_kcalloc(test, RT_NOCLOCK_WRITERS,
					    sizeof(*w), GFP_KERNEL);
	struct task_struct *t;
	u64 slot;
	u32 i, started = 0;

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, w);
	rt_cluster_init(test, c, 3);
	/* A leader everyone knows: a value learned everywhere. */
	KUNIT_ASSERT_EQ(test, paxos_propose_sync(c->nodes[0].g, "up", 3,
						 &slot), 0);
	KUNIT_ASSERT_TRUE(test, rt_wait_learned(c, 1, U32_MAX));
	for (i = 0; i < 3; i++)
		timer_shutdown_sync(&c->nodes[i].g->tick);

	for (i = 0; i < RT_NOCLOCK_WRITERS; i++) {
		w[i].g = c->nodes[i % 2].g;
		w[i].id = i;
		init_completion(&w[i].finished);
		t = kthread_run(rt_write_loop, &w[i], "rt_write_loop");
		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		wait_for_completion(&w[i].finished);
		KUNIT_EXPECT_EQ_MSG(test, w[i].err, 0, "writer %u at n%u", i,
				    i % 2 + 1);
		KUNIT_EXPECT_EQ(test, w[i].done, RT_NOCLOCK_VALUES);
	}
	rt_cluster_exit(test, c);
}

static struct kunit_case paxos_runtime_cases[] = {
	KUNIT_CASE_SLOW(paxos_runtime_agreement),
	KUNIT_CASE_SLOW(paxos_runtime_leader_deleted),
	KUNIT_CASE_SLOW(paxos_runtime_skipped),
	KUNIT_CASE_SLOW(paxos_runtime_one_deadline),
	KUNIT_CASE_SLOW(paxos_runtime_lifecycle_race),
	KUNIT_CASE_SLOW(paxos_runtime_delete_waits_pass),
	KUNIT_CASE_SLOW(paxos_runtime_last_slot),
	KUNIT_CASE_SLOW(paxos_runtime_rx_waiter),
	KUNIT_CASE_SLOW(paxos_runtime_no_clock),
	{}
};

static struct kunit_suite paxos_runtime_suite = {
	.name = "paxos_runtime",
	.test_cases = paxos_runtime_cases,
};

kunit_test_suite(paxos_runtime_suite);
