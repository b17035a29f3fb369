/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: deterministic cluster simulator and safety checker, shared by the
 * KUnit suite (paxos_sim_test.c) and the userspace build (host/).
 */
#ifndef _PAXOS_SIM_H
#define _PAXOS_SIM_H

#include <linux/bits.h>
#include <linux/types.h>

/*
 * Fault classes beyond loss, duplication, delay, partitions, pauses and
 * single restarts that join the existing cluster (which every configuration
 * with faults has).  See the comment at the top of paxos_sim.c.
 */
#define PAXOS_SIM_RESTART_NEW	BIT(0)	/* restarts as cluster-state new */
#define PAXOS_SIM_REPEAT	BIT(1)	/* nodes restart again and again */
#define PAXOS_SIM_MAJORITY	BIT(2)	/* a majority of voters loses its state */
#define PAXOS_SIM_STALE		BIT(3)	/* downtime, datagrams outlive restarts */
#define PAXOS_SIM_ALLOC		BIT(4)	/* the cores' allocations fail */
#define PAXOS_SIM_TIMEOUT	BIT(5)	/* finite proposal timeouts */
#define PAXOS_SIM_BIG		BIT(6)	/* values up to PAXOS_MAX_VALUE */
#define PAXOS_SIM_CHURN		BIT(7)	/* learners restart many times */
#define PAXOS_SIM_LIMITS	BIT(8)	/* rounds and slots at their limits */
#define PAXOS_SIM_CONFIG	BIT(9)	/* configuration changes in the log */
#define PAXOS_SIM_NR_CLASSES	10

/**
 * struct paxos_sim_params - one simulated configuration
 * @name: short name for reports
 * @voters: voting members (3 or 5)
 * @learners: learner-only members
 * @mode: &enum paxos_core_mode
 * @slots: run until at least this many slots are chosen
 * @faults: inject faults (loss, duplication, partitions, pauses, restarts)
 * @classes: %PAXOS_SIM_* fault classes on top of @faults
 * @weight: relative share of the seeds this configuration gets on the host
 *	(also its cost: a lower weight is a costlier seed)
 * @vm_weight: the same in the KUnit module, where KASAN makes the costly
 *	configurations several times slower still
 */
struct paxos_sim_params {
	const char *name;
	u32 voters;
	u32 learners;
	u32 mode;
	u32 slots;
	bool faults;
	u32 classes;
	u32 weight;
	u32 vm_weight;
};

/**
 * struct paxos_sim_result - outcome of one seed
 * @ok: every check passed
 * @majority_loss: a majority of voters lost its state: the seed checked that
 *	the cluster refuses, instead of liveness
 * @rounds_out: LIMITS left so few rounds that they ran out (no ballot is
 *	left above U32_MAX): the seed checked safety only, promises included
 * @eased: the target was not met in SIM_EASE_TICKS, so loss and allocation
 *	failures stopped (the other faults went on)
 * @chosen: slots chosen (highest learned slot on any node)
 * @ticks: simulated ticks
 * @settle_ticks: ticks from the end of the faults until every proposal
 *	completed and every node learned the same prefix
 * @msgs: datagrams sent
 * @proposals: client proposals accepted by the cores
 * @acked: proposals completed successfully
 * @timeouts: proposals completed with -ETIMEDOUT
 * @big: values of 1 KiB or more accepted by the cores
 * @nomem: allocations the simulator made fail
 * @restarts: nodes restarted without state
 * @restarts_new: of which as cluster-state new
 * @skips: nodes that skipped trimmed slots
 * @profile: the seed's fault mix, for reports
 * @error: what failed (empty if @ok)
 */
struct paxos_sim_result {
	bool ok;
	bool majority_loss;
	bool rounds_out;
	bool eased;
	u64 chosen;
	u64 ticks;
	u64 settle_ticks;
	u64 msgs;
	u64 proposals;
	u64 acked;
	u64 timeouts;
	u64 big;
	u64 nomem;
	u32 restarts;
	u32 restarts_new;
	u32 skips;
	u32 changes;
	u32 removes;		/* REMOVE changes submitted */
	u32 readds;		/* removed nodes added back */
	char profile[128];
	char error[200];
};

/* Where the simulator prints its failure trace: one line per call. */
typedef void (*paxos_sim_print_t)(void *ctx, const char *line);

/* The configurations `make check` covers, each with a learner-only node. */
extern const struct paxos_sim_params paxos_sim_configs[];
extern const u32 paxos_sim_nr_configs;
extern const char *const paxos_sim_class_names[PAXOS_SIM_NR_CLASSES];

u64 paxos_sim_config_seeds(u32 config, u32 selected, u64 total, bool vm);
int paxos_sim_run(const struct paxos_sim_params *params, u64 seed,
		  struct paxos_sim_result *res, paxos_sim_print_t print,
		  void *ctx);

#endif /* _PAXOS_SIM_H */
