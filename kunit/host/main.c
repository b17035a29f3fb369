// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace driver: runs the KUnit suites (unit tests) and the cluster
 * simulation with exactly the code the KUnit module runs.
 *
 *   sim [-u] [-U] [-n SEEDS] [-s SEED] [-c CONFIG] [-S SLOTS] [-f FILTER] [-v]
 *
 *   -n SEEDS   total seeds, split evenly over the configurations (1000)
 *   -s SEED    replay only this seed (prints the trace if it fails)
 *   -c CONFIG  only this configuration (multi3, multi5, basic3, basic5)
 *   -S SLOTS   chosen slots per seed (200)
 *   -u         unit suites only;  -U  simulation only
 *   -f FILTER  only suites whose name contains FILTER
 */
#include <time.h>
#include <unistd.h>
#include <kunit/test.h>

#include "../paxos_sim.h"

int host_kunit_run(const char *filter, bool verbose, int *nr_run);

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "    %s\n", line);
}

int main(int argc, char **argv)
{
	const char *config = NULL, *filter = NULL;
	u64 seeds = 1000, only_seed = 0, chosen = 0, msgs = 0, ticks = 0;
	u64 acked = 0, restarts = 0, skips = 0, runs = 0, settle = 0;
	bool unit = true, sim = true, verbose = false;
	u32 slots = 0, c;
	int opt, failed = 0, nr_unit = 0, sim_failed = 0;
	struct timespec t0, t1;

	while ((opt = getopt(argc, argv, "n:s:c:S:f:uUv")) != -1) {
		switch (opt) {
		case 'n':
			seeds = strtoull(optarg, NULL, 0);
			break;
		case 's':
			only_seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			config = optarg;
			break;
		case 'S':
			slots = strtoul(optarg, NULL, 0);
			break;
		case 'f':
			filter = optarg;
			break;
		case 'u':
			sim = false;
			break;
		case 'U':
			unit = false;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-u|-U] [-n seeds] [-s seed] [-c config] [-S slots] [-f filter] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unit) {
		failed = host_kunit_run(filter, verbose, &nr_unit);
		printf("unit: %d cases, %d failed\n", nr_unit, failed);
	}
	if (!sim)
		return failed ? 1 : 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (c = 0; c < paxos_sim_nr_configs; c++) {
		struct paxos_sim_params p = paxos_sim_configs[c];
		u64 per = (seeds + paxos_sim_nr_configs - 1) / paxos_sim_nr_configs;
		u64 first = only_seed ? only_seed : 1, last = only_seed ? only_seed : per;
		u64 seed;

		if (config && strcmp(config, p.name))
			continue;
		if (slots)
			p.slots = slots;
		for (seed = first; seed <= last; seed++) {
			struct paxos_sim_result r;
			int err = paxos_sim_run(&p, seed, &r,
						only_seed || verbose ? print_line : NULL,
						NULL);

			runs++;
			chosen += r.chosen;
			msgs += r.msgs;
			ticks += r.ticks;
			acked += r.acked;
			restarts += r.restarts;
			skips += r.skips;
			settle = max(settle, r.settle_ticks);
			if (err) {
				sim_failed++;
				printf("FAIL config %s seed %llu: %s (replay: -c %s -s %llu)\n",
				       p.name, (unsigned long long)seed, r.error, p.name,
				       (unsigned long long)seed);
			} else if (verbose) {
				printf("ok %s seed %llu: %llu slots, %llu ticks, %llu msgs\n",
				       p.name, (unsigned long long)seed,
				       (unsigned long long)r.chosen,
				       (unsigned long long)r.ticks,
				       (unsigned long long)r.msgs);
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("sim: longest settle after faults: %llu ticks\n",
	       (unsigned long long)settle);
	printf("sim: %llu seeds, %d failed, %llu slots chosen, %llu proposals acked, %llu ticks, %llu msgs, %llu restarts, %llu skips, %.3f s\n",
	       (unsigned long long)runs, sim_failed, (unsigned long long)chosen,
	       (unsigned long long)acked, (unsigned long long)ticks,
	       (unsigned long long)msgs, (unsigned long long)restarts,
	       (unsigned long long)skips,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failed || sim_failed ? 1 : 0;
}
