// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace driver: runs the KUnit suites (unit tests) and the cluster
 * simulation with exactly the code the KUnit module runs.
 *
 *   sim [-u] [-U] [-n SEEDS] [-j JOBS] [-s SEED] [-c CONFIG] [-S SLOTS]
 *       [-x CLASSES] [-f FILTER] [-v]
 *
 *   -n SEEDS    total seeds, split over the configurations by weight (1000)
 *   -j JOBS     worker processes over the seed space (1)
 *   -s SEED     replay only this seed (prints the trace if it fails)
 *   -c CONFIG   only this configuration (see -h)
 *   -S SLOTS    chosen slots per seed (200)
 *   -x CLASSES  turn these fault classes off: comma-separated names, or
 *               "all" (the original faults only)
 *   -u          unit suites only;  -U  simulation only
 *   -f FILTER   only suites whose name contains FILTER
 *
 * The last line is the summary: seeds, failures, slots chosen and the mix of
 * faults the seeds injected.
 */
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <kunit/test.h>

#include "../paxos_sim.h"

int host_kunit_run(const char *filter, bool verbose, int *nr_run);

/* Sums over the seeds one worker ran. */
struct totals {
	u64 runs, failed, chosen, msgs, ticks, acked, proposals;
	u64 restarts, restarts_new, majority_loss, nomem, timeouts, big, skips;
	u64 changes, removes, readds;
	u64 eased, rounds_out;
	u64 settle, min_chosen;
};

static void print_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "    %s\n", line);
}

static void totals_add(struct totals *t, const struct totals *o)
{
	t->runs += o->runs;
	t->failed += o->failed;
	t->chosen += o->chosen;
	t->msgs += o->msgs;
	t->ticks += o->ticks;
	t->acked += o->acked;
	t->proposals += o->proposals;
	t->restarts += o->restarts;
	t->restarts_new += o->restarts_new;
	t->majority_loss += o->majority_loss;
	t->nomem += o->nomem;
	t->timeouts += o->timeouts;
	t->big += o->big;
	t->skips += o->skips;
	t->changes += o->changes;
	t->removes += o->removes;
	t->readds += o->readds;
	t->eased += o->eased;
	t->rounds_out += o->rounds_out;
	t->settle = max(t->settle, o->settle);
	t->min_chosen = min(t->min_chosen, o->min_chosen);
}

struct plan {
	u32 selected;		/* configurations that run */
	u64 per[32];		/* their seeds */
	u64 only_seed;
	u32 slots;
	u32 classes_off;
	const char *off;	/* -x as given */
	bool verbose;
};

/* The core's WARNs: each fails the seed or unit test that fired it. */
u32 host_warnings;
static char warned_at[128];

void host_warn(const char *file, int line)
{
	snprintf(warned_at, sizeof(warned_at), "WARN at %s:%d", file, line);
	host_warnings++;
	fprintf(stderr, "WARN %s:%d\n", file, line);
}

static void run_seed(const struct plan *pl, u32 c, u64 seed, struct totals *t)
{
	struct paxos_sim_params p = paxos_sim_configs[c];
	bool trace = pl->only_seed || pl->verbose;
	struct paxos_sim_result r;
	u32 warnings;
	int err;

	if (pl->slots)
		p.slots = pl->slots;
	p.classes &= ~pl->classes_off;
	warnings = host_warnings;
	err = paxos_sim_run(&p, seed, &r, trace ? print_line : NULL, NULL);
	if (host_warnings != warnings && !err) {
		err = -EINVAL;
		snprintf(r.error, sizeof(r.error), "%s", warned_at);
	}
	if (!r.majority_loss && !r.rounds_out)
		t->min_chosen = min(t->min_chosen, r.chosen);
	t->runs++;
	t->chosen += r.chosen;
	t->msgs += r.msgs;
	t->ticks += r.ticks;
	t->acked += r.acked;
	t->proposals += r.proposals;
	t->restarts += r.restarts;
	t->restarts_new += r.restarts_new;
	t->majority_loss += r.majority_loss;
	t->nomem += r.nomem;
	t->timeouts += r.timeouts;
	t->big += r.big;
	t->skips += r.skips;
	t->changes += r.changes;
	t->removes += r.removes;
	t->readds += r.readds;
	t->eased += r.eased;
	t->rounds_out += r.rounds_out;
	t->settle = max(t->settle, r.settle_ticks);
	if (err) {
		t->failed++;
		printf("FAIL config %s seed %llu: %s [%s] (replay: -c %s -s %llu%s%s)\n",
		       p.name, (unsigned long long)seed, r.error, r.profile,
		       p.name, (unsigned long long)seed,
		       pl->off ? " -x " : "", pl->off ? pl->off : "");
	} else if (pl->verbose) {
		printf("ok %s seed %llu: %llu slots, %llu ticks, %llu msgs [%s]\n",
		       p.name, (unsigned long long)seed,
		       (unsigned long long)r.chosen, (unsigned long long)r.ticks,
		       (unsigned long long)r.msgs, r.profile);
	}
}

/* Worker @job of @jobs: every jobs-th seed of the plan, in plan order. */
static void run_share(const struct plan *pl, u32 job, u32 jobs,
		      struct totals *t)
{
	u64 index = 0, seed;
	u32 c;

	for (c = 0; c < paxos_sim_nr_configs; c++) {
		if (!(pl->selected & BIT(c)))
			continue;
		if (pl->only_seed) {
			run_seed(pl, c, pl->only_seed, t);
			continue;
		}
		for (seed = 1; seed <= pl->per[c]; seed++, index++)
			if (index % jobs == job)
				run_seed(pl, c, seed, t);
	}
}

static int run_jobs(const struct plan *pl, u32 jobs, struct totals *sum)
{
	int fds[64][2];
	pid_t pids[64];
	u32 j;

	for (j = 0; j < jobs; j++) {
		if (pipe(fds[j]))
			return -1;
		fflush(stdout);
		fflush(stderr);
		pids[j] = fork();
		if (pids[j] < 0)
			return -1;
		if (!pids[j]) {
			struct totals t = { .min_chosen = U64_MAX };
			ssize_t n;

			close(fds[j][0]);
			run_share(pl, j, jobs, &t);
			fflush(stdout);
			n = write(fds[j][1], &t, sizeof(t));
			_exit(n == sizeof(t) ? 0 : 1);
		}
		close(fds[j][1]);
	}
	for (j = 0; j < jobs; j++) {
		struct totals t;
		int status;
		ssize_t n = read(fds[j][0], &t, sizeof(t));

		close(fds[j][0]);
		waitpid(pids[j], &status, 0);
		if (n != sizeof(t) || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "sim: worker %u died\n", j);
			return -1;
		}
		totals_add(sum, &t);
	}
	return 0;
}

static int parse_classes(const char *arg, u32 *mask)
{
	char *list = strdup(arg), *name, *save = NULL;
	int err = 0;
	u32 k;

	for (name = strtok_r(list, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		if (!strcmp(name, "all")) {
			*mask |= BIT(PAXOS_SIM_NR_CLASSES) - 1;
			continue;
		}
		for (k = 0; k < PAXOS_SIM_NR_CLASSES; k++)
			if (!strcmp(name, paxos_sim_class_names[k]))
				break;
		if (k == PAXOS_SIM_NR_CLASSES) {
			fprintf(stderr, "unknown fault class %s\n", name);
			err = -1;
			break;
		}
		*mask |= BIT(k);
	}
	free(list);
	return err;
}

static void usage(const char *prog)
{
	u32 k;

	fprintf(stderr, "usage: %s [-u|-U] [-n seeds] [-j jobs] [-s seed] [-c config] [-S slots] [-x classes] [-f filter] [-v]\nconfigs:",
		prog);
	for (k = 0; k < paxos_sim_nr_configs; k++)
		fprintf(stderr, " %s", paxos_sim_configs[k].name);
	fprintf(stderr, "\nfault classes (-x):");
	for (k = 0; k < PAXOS_SIM_NR_CLASSES; k++)
		fprintf(stderr, " %s", paxos_sim_class_names[k]);
	fprintf(stderr, " all\n");
}

int main(int argc, char **argv)
{
	const char *config = NULL, *filter = NULL;
	struct plan pl = { 0 };
	struct totals t = { .min_chosen = U64_MAX };
	bool unit = true, sim = true;
	u64 seeds = 1000;
	u32 jobs = 1, c;
	int opt, failed = 0, nr_unit = 0;
	struct timespec t0, t1;

	while ((opt = getopt(argc, argv, "n:j:s:c:S:x:f:uUvh")) != -1) {
		switch (opt) {
		case 'n':
			seeds = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			jobs = clamp(strtoul(optarg, NULL, 0), 1UL, 64UL);
			break;
		case 's':
			pl.only_seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			config = optarg;
			break;
		case 'S':
			pl.slots = strtoul(optarg, NULL, 0);
			break;
		case 'x':
			if (parse_classes(optarg, &pl.classes_off))
				return 2;
			pl.off = optarg;
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
			pl.verbose = true;
			break;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unit) {
		failed = host_kunit_run(filter, pl.verbose, &nr_unit);
		printf("unit: %d cases, %d failed\n", nr_unit, failed);
	}
	if (!sim)
		return failed ? 1 : 0;

	for (c = 0; c < paxos_sim_nr_configs; c++)
		if (!config || !strcmp(config, paxos_sim_configs[c].name))
			pl.selected |= BIT(c);
	if (!pl.selected) {
		usage(argv[0]);
		return 2;
	}
	for (c = 0; c < paxos_sim_nr_configs; c++)
		pl.per[c] = paxos_sim_config_seeds(c, pl.selected, seeds, false);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (jobs == 1 || pl.only_seed) {
		run_share(&pl, 0, 1, &t);
	} else if (run_jobs(&pl, jobs, &t)) {
		fprintf(stderr, "sim: cannot run %u workers\n", jobs);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (pl.verbose)
		printf("sim: %llu proposals, %llu acked, %llu ticks, %llu msgs, longest settle after faults %llu ticks, fewest slots %llu\n",
		       t.proposals, t.acked, t.ticks, t.msgs, t.settle,
		       t.min_chosen);
	printf("sim: %llu seeds, %llu failed, %llu slots chosen, restarts new/existing %llu/%llu, majority-loss seeds %llu, rounds-out seeds %llu, alloc failures %llu, timeouts %llu, big values %llu, skips %llu, changes %llu (removals %llu, re-adds %llu), eased %llu, settle <= %llu ticks, %.1f s\n",
	       t.runs, t.failed, t.chosen, t.restarts_new,
	       t.restarts - t.restarts_new, t.majority_loss, t.rounds_out,
	       t.nomem,
	       t.timeouts, t.big, t.skips, t.changes, t.removes, t.readds, t.eased, t.settle,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return failed || t.failed ? 1 : 0;
}
