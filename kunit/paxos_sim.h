/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paxos: deterministic cluster simulator and safety checker, shared by the
 * KUnit suite (paxos_sim_test.c) and the userspace build (host/).
 */
#ifndef _PAXOS_SIM_H
#define _PAXOS_SIM_H

#include <linux/types.h>

/**
 * struct paxos_sim_params - one simulated configuration
 * @name: short name for reports
 * @voters: voting members (3 or 5)
 * @learners: learner-only members
 * @mode: &enum paxos_core_mode
 * @slots: run until at least this many slots are chosen
 * @faults: inject faults (loss, duplication, partitions, pauses, restarts)
 */
struct paxos_sim_params {
	const char *name;
	u32 voters;
	u32 learners;
	u32 mode;
	u32 slots;
	bool faults;
};

/**
 * struct paxos_sim_result - outcome of one seed
 * @ok: every check passed
 * @chosen: slots chosen (highest learned slot on any node)
 * @ticks: simulated ticks
 * @settle_ticks: ticks from the end of the faults until every proposal
 *	completed and every node learned the same prefix
 * @msgs: datagrams sent
 * @proposals: client proposals accepted by the cores
 * @acked: proposals completed successfully
 * @restarts: nodes restarted without state
 * @skips: nodes that skipped trimmed slots
 * @error: what failed (empty if @ok)
 */
struct paxos_sim_result {
	bool ok;
	u64 chosen;
	u64 ticks;
	u64 settle_ticks;
	u64 msgs;
	u64 proposals;
	u64 acked;
	u32 restarts;
	u32 skips;
	char error[160];
};

/* Where the simulator prints its failure trace: one line per call. */
typedef void (*paxos_sim_print_t)(void *ctx, const char *line);

/* The configurations `make check` covers, each with a learner-only node. */
extern const struct paxos_sim_params paxos_sim_configs[];
extern const u32 paxos_sim_nr_configs;

int paxos_sim_run(const struct paxos_sim_params *params, u64 seed,
		  struct paxos_sim_result *res, paxos_sim_print_t print,
		  void *ctx);

#endif /* _PAXOS_SIM_H */
