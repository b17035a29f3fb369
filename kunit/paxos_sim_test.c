// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: seeded cluster simulations of the paxos core (see paxos_sim.c).
 *
 * Module parameters:
 *   sim_seeds=N     seeds in total, split over the configurations by their
 *                   weight (1000)
 *   sim_seed=S      replay only seed S (on every configuration, or on
 *                   sim_config); a failing seed prints its trace
 *   sim_config=NAME only this configuration: multi3 multi5 basic3 basic5
 *                   multi3-big basic3-big churn3
 *   sim_slots=N     chosen slots per seed (each configuration's own)
 *   sim_without=M   turn these fault classes off: a mask of PAXOS_SIM_*
 *                   (0x1 restart-new, 0x2 repeat, 0x4 majority, 0x8 stale,
 *                   0x10 alloc, 0x20 timeout, 0x40 big, 0x80 churn,
 *                   0x100 limits)
 *
 * Each configuration is split into chunks that run as separate parameters,
 * so no single case comes near the KUnit or hung-task timeouts under QEMU
 * TCG with KASAN (see sim_chunk_size()).
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "paxos_core.h"
#include "paxos_sim.h"

static unsigned int sim_seeds = 1000;
module_param(sim_seeds, uint, 0444);
MODULE_PARM_DESC(sim_seeds, "simulation seeds in total (default 1000)");

static unsigned long long sim_seed;
module_param(sim_seed, ullong, 0444);
MODULE_PARM_DESC(sim_seed, "replay only this seed (0: off)");

static char *sim_config;
module_param(sim_config, charp, 0444);
MODULE_PARM_DESC(sim_config, "only this configuration (see paxos_sim.c)");

static unsigned int sim_slots;
module_param(sim_slots, uint, 0444);
MODULE_PARM_DESC(sim_slots, "chosen slots per seed (0: each configuration's own)");

static unsigned int sim_without;
module_param(sim_without, uint, 0444);
MODULE_PARM_DESC(sim_without, "fault classes turned off (mask of PAXOS_SIM_*)");

#define SIM_CHUNKS_MAX	256
#define SIM_CHUNK_SEEDS	16	/* seeds per case of a weight-8 configuration */

struct sim_chunk {
	u32 config;
	u64 first;
	u64 count;
};

static struct sim_chunk sim_chunks[SIM_CHUNKS_MAX];
static u32 sim_nr_chunks;

static bool sim_config_selected(u32 c)
{
	return !sim_config || !*sim_config ||
	       !strcmp(sim_config, paxos_sim_configs[c].name);
}

/*
 * Seeds per case of configuration @c: a configuration's weight is about the
 * inverse of its cost per seed, so a costly one gets small chunks and no
 * case runs anywhere near the hung-task timeout under KASAN (basic5 takes
 * about 4 s a seed there).  More per chunk only if @per seeds would not fit
 * in the configuration's share of SIM_CHUNKS_MAX.
 */
static u64 sim_chunk_size(u32 c, u64 per, u32 nr_configs)
{
	u64 size = max(2U, SIM_CHUNK_SEEDS *
			   max(paxos_sim_configs[c].weight, 1U) / 8);

	return max(size, DIV_ROUND_UP(per, SIM_CHUNKS_MAX / nr_configs));
}

/* Every selected configuration gets its weighted share of sim_seeds. */
static void sim_plan(void)
{
	u32 c, nr_configs = 0, selected = 0;
	u64 total = max(sim_seeds, 1U), chunk;

	sim_nr_chunks = 0;
	for (c = 0; c < paxos_sim_nr_configs; c++) {
		if (!sim_config_selected(c))
			continue;
		selected |= BIT(c);
		nr_configs++;
	}
	if (!nr_configs)
		return;
	for (c = 0; c < paxos_sim_nr_configs; c++) {
		u64 first, per;

		per = sim_seed ? 1 : paxos_sim_config_seeds(c, selected, total,
							      true);
		chunk = sim_chunk_size(c, per, nr_configs);
		for (first = 0; first < per; first += chunk) {
			if (WARN_ON(sim_nr_chunks == SIM_CHUNKS_MAX))
				return;
			struct sim_chunk *k = &sim_chunks[sim_nr_chunks++];

			k->config = c;
			k->first = sim_seed ? sim_seed : first + 1;
			k->count = min(chunk, per - first);
		}
	}
}

static const void *sim_gen_params(const void *prev, char *desc)
{
	const struct sim_chunk *k;

	if (!prev)
		sim_plan();
	k = prev ? (const struct sim_chunk *)prev + 1 : sim_chunks;
	if (k >= sim_chunks + sim_nr_chunks)
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s seeds %llu..%llu",
		 paxos_sim_configs[k->config].name, k->first,
		 k->first + k->count - 1);
	return k;
}

static void sim_print(void *ctx, const char *line)
{
	struct kunit *test = ctx;

	kunit_err(test, "%s", line);
}

/*
 * Half of a chunk's seeds (every other one), run by the case itself and by a
 * helper thread, so that both of the VM's CPUs simulate.  Seeds are
 * independent and deterministic, so a failing one is simply run again, with
 * its trace, by the case.
 */
struct sim_half {
	const struct paxos_sim_params *params;
	u64 first;
	u64 end;
	struct paxos_sim_result res;
	u64 slots, ticks, msgs, settle, restarts, majority_loss, nomem;
	u64 failed[3];
	u32 nr_failed;
	struct completion done;
};

static void sim_half_run(struct sim_half *h)
{
	u64 seed;

	for (seed = h->first; seed < h->end; seed += 2) {
		if (paxos_sim_run(h->params, seed, &h->res, NULL, NULL) &&
		    h->nr_failed < ARRAY_SIZE(h->failed))
			h->failed[h->nr_failed++] = seed;
		h->slots += h->res.chosen;
		h->ticks += h->res.ticks;
		h->msgs += h->res.msgs;
		h->settle = max(h->settle, h->res.settle_ticks);
		h->restarts += h->res.restarts;
		h->majority_loss += h->res.majority_loss;
		h->nomem += h->res.nomem;
		cond_resched();
	}
}

static int sim_half_thread(void *arg)
{
	struct sim_half *h = arg;

	sim_half_run(h);
	complete(&h->done);
	return 0;
}

/* Safety after every step, liveness after the faults, for each seed. */
static void paxos_sim_cluster(struct kunit *test)
{
	const struct sim_chunk *k = test->param_value;
	struct paxos_sim_params params = paxos_sim_configs[k->config];
	struct task_struct *helper;
	struct sim_half *h;
	u32 i, j;

	h = kunit_kcalloc(test, 2, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);
	if (sim_slots)
		params.slots = sim_slots;
	params.classes &= ~sim_without;
	for (i = 0; i < 2; i++) {
		h[i].params = &params;
		h[i].first = k->first + i;
		h[i].end = k->first + k->count;
		init_completion(&h[i].done);
	}
	helper = kthread_run(sim_half_thread, &h[1], "paxos-sim");
	sim_half_run(&h[0]);
	if (IS_ERR(helper))
		sim_half_run(&h[1]);
	else
		wait_for_completion(&h[1].done);

	for (i = 0; i < 2; i++) {
		for (j = 0; j < h[i].nr_failed; j++) {
			u64 seed = h[i].failed[j];

			paxos_sim_run(&params, seed, &h[0].res, sim_print, test);
			KUNIT_FAIL(test,
				   "config %s seed %llu: %s [%s] (replay: sim_config=%s sim_seed=%llu)",
				   params.name, seed, h[0].res.error,
				   h[0].res.profile, params.name, seed);
		}
	}
	kunit_info(test, "%s: %llu seeds, %llu slots chosen, %llu ticks, %llu datagrams, %llu restarts, %llu majority-loss seeds, %llu allocation failures, settled within %llu ticks",
		   params.name, k->count, h[0].slots + h[1].slots,
		   h[0].ticks + h[1].ticks, h[0].msgs + h[1].msgs,
		   h[0].restarts + h[1].restarts,
		   h[0].majority_loss + h[1].majority_loss,
		   h[0].nomem + h[1].nomem, max(h[0].settle, h[1].settle));
}

static struct kunit_case paxos_sim_cases[] = {
	KUNIT_CASE_PARAM_ATTR(paxos_sim_cluster, sim_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite paxos_sim_suite = {
	.name = "paxos_sim",
	.test_cases = paxos_sim_cases,
};

kunit_test_suite(paxos_sim_suite);
