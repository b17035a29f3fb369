// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: a deterministic simulation of a cluster of paxos cores.
 *
 * Everything derives from one seed: the fault profile, the clients, the
 * network, each core's own PRNG and the allocation failures (a stream of its
 * own), so a failing seed replays exactly.  The cores exchange real encoded
 * datagrams through a simulated network that loses, duplicates, delays (and
 * so reorders) messages and that can be partitioned; nodes can be paused.
 *
 * Fault classes on top of that (&struct paxos_sim_params.classes):
 *
 *   restarts   a node restarts without its state, with a strictly greater
 *              incarnation ((restarts << 40) | 40 random bits), either
 *              joining the existing cluster (every configuration with
 *              faults) or claiming a new one (RESTART_NEW: half the
 *              restarts, voters more often, and in one seed in eight a
 *              voter restarts so early that no node holds state yet).
 *              REPEAT restarts nodes again and again; MAJORITY lets one
 *              seed in eight restart voters one after another until a
 *              majority of them lost its state.  STALE keeps a restarted
 *              node down for a while and delays a few datagrams for up to
 *              hundreds of ticks, so that the old incarnation's messages
 *              reach peers (and the new incarnation) long after the
 *              restart.
 *   ALLOC      every allocation of a core fails with a per-seed probability
 *              (0 to 20%) until the liveness phase.
 *   TIMEOUT    proposals time out after 100 to 2000 ticks in half the seeds.
 *   BIG        max_value_size is PAXOS_MAX_VALUE and a few percent of the
 *              values are 1 KiB up to that, so promises page and ACCEPT and
 *              LEARN messages split; no datagram may exceed
 *              PAXOS_MAX_DATAGRAM (checked for every configuration).
 *   CHURN      learners restart (joining the existing cluster) every few
 *              ticks and propose in between: far more origin incarnations
 *              than the exactly-once table tracks.
 *   LIMITS     in one seed in four, datagrams with a voter's identity carry
 *              numbers at their limits: a PREPARE with a round a few
 *              thousand below U32_MAX (every later ballot lives there), and
 *              an ACCEPT whose commit point is at PAXOS_SLOT_LIMIT, which
 *              every node must drop as malformed.
 *
 * Out of scope: every voter without state at once (total amnesia).  A voter
 * is restarted only while another voter visibly holds state (it promised a
 * ballot or learned a slot), so a node claiming a new cluster always has a
 * peer that must refuse it.
 *
 * A checker looks at every delivery and completion as it is produced:
 *
 *   Agreement  no two nodes learn different things for one slot
 *   Validity   only proposed values (byte for byte) and no-ops are learned
 *   Integrity  no value is delivered in two slots (whatever its proposal's
 *              fate: acknowledged, timed out, or lost with its node); a
 *              completed proposal was delivered, in the slot its completion
 *              names; every proposal a core accepted gets exactly one
 *              completion, unless its node restarted (the cores' pending
 *              counts must match the simulator's)
 *   Order      every node delivers slots contiguously from 1 (a node may
 *              only skip slots that a peer has trimmed, explicitly), so its
 *              sequence is a prefix of the longest
 *   Refusal    a node that claimed a new cluster while another voter
 *              visibly held state (and kept it) never votes unless it was
 *              refused first: that voter must refuse it, every time
 *
 * Then faults stop.  Nodes still probing must be answered.  If the voters
 * that still vote are a majority, a liveness phase requires every pending
 * proposal to complete and every node to learn the same prefix within
 * SIM_LIVENESS_TICKS.  Otherwise (a majority of voters lost its state) the
 * cluster must refuse: clients keep proposing, nothing they propose may
 * complete successfully, and the restarted nodes that claimed a new cluster
 * report PAXOS_STATUS_REFUSED.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "paxos_sim_int.h"

/* ---- the main loop ---------------------------------------------------- */

static bool vals_grow(struct sim *s, u64 id)
{
	u64 cap = s->vals_cap ? 2 * s->vals_cap : 1024;
	struct sim_value *v;

	if (id < s->vals_cap)
		return true;
	v = kcalloc(cap, sizeof(*v), GFP_KERNEL);
	if (!v) {
		sim_fail(s, "simulator out of memory");
		return false;
	}
	if (s->vals_cap)
		memcpy(v, s->vals, s->vals_cap * sizeof(*v));
	kfree(s->vals);
	s->vals = v;
	s->vals_cap = cap;
	return true;
}

static void client_step(struct sim *s)
{
	u32 k, burst = sim_below(s, 3);

	for (k = 0; k < burst && !s->failed; k++) {
		u32 i = sim_below(s, s->n), len;
		u64 id = s->nr_vals + 1;
		int rc;

		/* With churn, most values come from the learners. */
		if ((s->classes & PAXOS_SIM_CHURN) && sim_below(s, 4))
			i = s->p->voters + sim_below(s, s->p->learners);
		if (!node_running(s, &s->nodes[i]) || !vals_grow(s, id))
			continue;
		len = sim_value_len(s, id);
		sim_value_make(s, id, s->buf);
		rc = paxos_core_propose(s->nodes[i].core, s->buf, len, id,
					GFP_KERNEL);
		sim_trace(s, EV_PROPOSE, i, 0, 0, rc, id);
		s->trace[(s->trace_pos - 1) % SIM_TRACE].z = len;
		if (rc == 0) {
			s->nr_vals = id;
			s->vals[id].node = i;
			s->vals[id].state = VAL_PENDING;
			s->nodes[i].pending++;
			s->res->proposals++;
			if (len >= SIM_BIG_VALUE)
				s->res->big++;
		} else if (rc == -EAGAIN || (rc == -ENOMEM && s->alloc_on) ||
			   (rc == -ECONNREFUSED &&
			    (s->majority_lost || node_refused(s, i))) ||
			   (rc == -ENOTRECOVERABLE && !sim_quorum_alive(s, i)) ||
			   (rc == -ENOLINK && sim_leaving(s, i))) {
			/* A refused request: the client may try again. */
		} else {
			sim_fail(s, "n%u refused a proposal: %d", i + 1, rc);
		}
		sim_drain(s, i);
	}
}

void sim_tick(struct sim *s, bool clients)
{
	u32 i;

	s->now++;
	deliver_due(s);
	for (i = 0; i < s->n && !s->failed; i++) {
		struct sim_node *nd = &s->nodes[i];

		if (!node_running(s, nd))
			continue;
		paxos_core_tick(nd->core, GFP_KERNEL);
		sim_drain(s, i);
	}
	if (clients)
		client_step(s);
	if (!(s->now % 16))
		for (i = 0; i < s->n && !s->failed; i++)
			check_node(s, i);
}

static u64 max_learned(struct sim *s)
{
	u64 m = 0;
	u32 i;

	for (i = 0; i < s->n; i++)
		m = max(m, paxos_core_learned(s->nodes[i].core));
	return m;
}

static bool converged(struct sim *s)
{
	u64 top = max_learned(s);
	u32 i;

	for (i = 0; i < s->n; i++)
		if ((paxos_core_learned(s->nodes[i].core) != top ||
		     s->nodes[i].pending) && !sim_leaving(s, i))
			return false;
	return true;
}

static void sim_free(struct sim *s)
{
	u32 i;

	for (i = 0; i < s->n; i++)
		paxos_core_destroy(s->nodes[i].core);
	while (s->heap_n)
		kfree(sim_heap_pop(s));
	kfree(s->heap);
	kfree(s->slot_code);
	kfree(s->vals);
	kfree(s->buf);
}

#define SIM_STD		(PAXOS_SIM_RESTART_NEW | PAXOS_SIM_REPEAT |	\
			 PAXOS_SIM_MAJORITY | PAXOS_SIM_STALE |		\
			 PAXOS_SIM_ALLOC | PAXOS_SIM_TIMEOUT | PAXOS_SIM_LIMITS)

/*
 * The weights keep 100,000 seeds near two minutes on two CPUs: basic mode
 * with five voters and big values in basic mode cost several times what
 * multi3 costs per seed, so they get a smaller share of the seeds.  In the
 * KUnit module (vm_weight), under KASAN, 1,000 seeds take about ten minutes
 * on two vCPUs: there basic5 costs four times multi3 and the cheap multi3
 * and basic3 carry most seeds (every class is still in every run).
 */
const struct paxos_sim_params paxos_sim_configs[] = {
	{ .name = "multi3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true, .classes = SIM_STD | PAXOS_SIM_CONFIG,
	  .weight = 8,
	  .vm_weight = 8 },
	{ .name = "multi5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_MULTI,
	  .slots = 200, .faults = true, .classes = SIM_STD | PAXOS_SIM_CONFIG,
	  .weight = 4,
	  .vm_weight = 2 },
	{ .name = "basic3", .voters = 3, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 4,
	  .vm_weight = 8 },
	{ .name = "basic5", .voters = 5, .learners = 1, .mode = PAXOS_CORE_BASIC,
	  .slots = 200, .faults = true, .classes = SIM_STD, .weight = 2,
	  .vm_weight = 1 },
	{ .name = "multi3-big", .voters = 3, .learners = 1,
	  .mode = PAXOS_CORE_MULTI, .slots = 200, .faults = true,
	  .classes = SIM_STD | PAXOS_SIM_BIG | PAXOS_SIM_CONFIG, .weight = 2,
	  .vm_weight = 1 },
	{ .name = "basic3-big", .voters = 3, .learners = 1,
	  .mode = PAXOS_CORE_BASIC, .slots = 200, .faults = true,
	  .classes = SIM_STD | PAXOS_SIM_BIG, .weight = 1,
	  .vm_weight = 1 },
	{ .name = "churn3", .voters = 3, .learners = 2, .mode = PAXOS_CORE_MULTI,
	  .slots = 400, .faults = true,
	  .classes = PAXOS_SIM_CHURN | PAXOS_SIM_STALE | PAXOS_SIM_TIMEOUT |
		     PAXOS_SIM_CONFIG,
	  .weight = 2,
	  .vm_weight = 1 },
};

const u32 paxos_sim_nr_configs = ARRAY_SIZE(paxos_sim_configs);

const char *const paxos_sim_class_names[PAXOS_SIM_NR_CLASSES] = {
	"restart-new", "repeat", "majority", "stale", "alloc", "timeout",
	"big", "churn", "limits", "config",
};

static u32 sim_weight(u32 c, bool vm)
{
	return max(vm ? paxos_sim_configs[c].vm_weight :
			paxos_sim_configs[c].weight, 1U);
}

/**
 * paxos_sim_config_seeds() - the share of seeds one configuration gets
 * @config: index in paxos_sim_configs
 * @selected: bit mask of the configurations that run
 * @total: seeds in total
 * @vm: the KUnit module's shares (&paxos_sim_params.vm_weight)
 *
 * Return: how many seeds (1, 2, ...) @config runs, by its weight; 0 if it is
 * not selected.
 */
u64 paxos_sim_config_seeds(u32 config, u32 selected, u64 total, bool vm)
{
	u64 sum = 0;
	u32 c;

	if (config >= paxos_sim_nr_configs || !(selected & BIT(config)))
		return 0;
	for (c = 0; c < paxos_sim_nr_configs; c++)
		if (selected & BIT(c))
			sum += sim_weight(c, vm);
	return DIV_ROUND_UP(max(total, 1ULL) * sim_weight(config, vm), sum);
}

/* The fault profile of this seed, drawn from the seed. */
static void sim_profile(struct sim *s)
{
	const struct paxos_sim_params *p = s->p;
	u32 c = s->classes;
	char *b = s->res->profile;
	size_t len = sizeof(s->res->profile);
	int n = 0;

	s->delay_max = 1;
	s->timeout = U32_MAX;
	s->max_value = SIM_SMALL_VALUE;
	if (p->faults) {
		s->loss_pct = sim_below(s, 31);
		s->dup_pct = sim_below(s, 21);
		s->delay_max = 1 + sim_below(s, 6);
		s->next_fault = 50 + sim_below(s, 100);
	}
	if ((c & PAXOS_SIM_STALE) && sim_below(s, 4)) {
		s->slow_pct = 1 + sim_below(s, 4);
		s->slow_max = SIM_STALE_MAX;
		if (c & PAXOS_SIM_CHURN) {
			s->slow_pct += 3 + sim_below(s, 4);
			s->slow_max = SIM_CHURN_STALE_MAX;
		}
		s->down_max = SIM_DOWN_MAX;
	}
	if ((c & PAXOS_SIM_ALLOC) && sim_below(s, 2)) {
		/* A failed allocation is a lost message: keep the sum sane. */
		s->alloc_pct = 1 + sim_below(s, SIM_ALLOC_PCT_MAX);
		s->loss_pct = min(s->loss_pct, SIM_DROP_PCT_MAX - s->alloc_pct);
	}
	s->alloc_on = s->alloc_pct;
	s->alloc_rng = s->seed ^ 0xa110cfa11a110cULL;
	if ((c & PAXOS_SIM_TIMEOUT) && sim_below(s, 2))
		s->timeout = 100 + sim_below(s, 1901);
	if (c & PAXOS_SIM_BIG) {
		s->max_value = PAXOS_MAX_VALUE;
		s->big_pct = 1 + sim_below(s, 5);
		if (sim_below(s, 2))
			s->retain_bytes = SIM_TIGHT_BYTES;
	}
	if ((c & PAXOS_SIM_MAJORITY) && p->faults && !sim_below(s, 8))
		s->amnesia = true;
	if ((c & PAXOS_SIM_RESTART_NEW) && p->faults && !sim_below(s, 8))
		s->early_at = 1 + sim_below(s, 8);
	if (c & PAXOS_SIM_CHURN)
		s->next_churn = 30 + sim_below(s, 20);
	if ((c & PAXOS_SIM_CONFIG) && sim_below(s, 2))
		s->next_change = 40 + sim_below(s, 200);
	if ((c & PAXOS_SIM_LIMITS) && !sim_below(s, 4)) {
		s->limits_at = 60 + sim_below(s, 300);
		/* One in four of these runs out of rounds. */
		s->limits_headroom = sim_below(s, 4) ? SIM_ROUND_HEADROOM :
				     sim_below(s, 20);
	}

	n += scnprintf(b + n, len - n, "loss %u%% dup %u%% delay %u",
		       s->loss_pct, s->dup_pct, s->delay_max);
	if (s->slow_pct)
		n += scnprintf(b + n, len - n, " stale %u%%/%u down %u",
			       s->slow_pct, s->slow_max, s->down_max);
	if (s->alloc_pct)
		n += scnprintf(b + n, len - n, " alloc %u%%", s->alloc_pct);
	if (s->timeout != U32_MAX)
		n += scnprintf(b + n, len - n, " timeout %u", s->timeout);
	if (s->big_pct)
		n += scnprintf(b + n, len - n, " big %u%%", s->big_pct);
	if (s->retain_bytes)
		n += scnprintf(b + n, len - n, " bytes %u", s->retain_bytes);
	if (s->amnesia)
		n += scnprintf(b + n, len - n, " majority-restarts");
	if (s->next_change)
		n += scnprintf(b + n, len - n, " config");
	if (s->early_at)
		n += scnprintf(b + n, len - n, " early-restart@%llu",
			       s->early_at);
	if (c & PAXOS_SIM_CHURN)
		n += scnprintf(b + n, len - n, " churn");
	if (s->limits_at)
		n += scnprintf(b + n, len - n, " limits@%llu/%u", s->limits_at,
			       s->limits_headroom);
}

/* Faults stop: links heal, paused and restarting nodes come back. */
static void heal_all(struct sim *s)
{
	u32 i;

	sim_heal(s);
	s->loss_pct = 0;
	s->dup_pct = 0;
	s->slow_pct = 0;
	s->alloc_on = false;
	for (i = 0; i < s->n; i++) {
		s->nodes[i].pause_until = min(s->nodes[i].pause_until, s->now);
		s->nodes[i].down_until = min(s->nodes[i].down_until, s->now);
	}
	sim_trace(s, EV_HEAL, 0, 0, 0, 0, 0);
}

/*
 * A leader the log removed leads on while a quorum still hears it, and
 * steps down once none did for the reachability horizon, counted on its
 * own clock (which stood still while it was paused): the others may have
 * converged before that.  Give it the horizon and a heartbeat; then
 * check_removed() judges.
 */
static void settle_removed(struct sim *s)
{
	u64 end = s->now + 2 * SIM_ELECTION_MAX + SIM_HEARTBEAT + 2;
	u32 i;

	while (!s->failed && s->now < end) {
		for (i = 0; i < s->n; i++) {
			const struct paxos_core_status *st =
				sim_node_status(s, i);

			if ((st->flags & PAXOS_STATUS_REMOVED) &&
			    (st->state == PAXOS_CS_LEADER ||
			     st->state == PAXOS_CS_CANDIDATE))
				break;
		}
		if (i == s->n)
			return;
		sim_tick(s, false);
	}
}

/* A node probing its peers on a healthy network is answered, and soon. */
static void settle_probes(struct sim *s, u64 deadline)
{
	u32 i = 0;

	while (!s->failed) {
		for (i = 0; i < s->n; i++)
			if (sim_node_status(s, i)->state == PAXOS_CS_PROBING &&
			    !sim_leaving(s, i))
				break;
		if (i == s->n)
			return;
		if (s->now >= deadline) {
			sim_fail(s, "probe: n%u still probing %u ticks after faults stopped",
				 i + 1, SIM_LIVENESS_TICKS);
			return;
		}
		sim_tick(s, false);
	}
}

/*
 * A majority of voters lost its state: nothing proposed from now on may be
 * chosen, and the restarted nodes that claimed a new cluster are refused
 * (unless they were let in before anyone held state, and vote).
 */
static void refusal_phase(struct sim *s)
{
	u64 until = s->now + SIM_REFUSAL_TICKS;
	u32 i;

	s->majority_lost = true;
	s->res->majority_loss = true;
	if (!s->refusal_first)
		s->refusal_first = s->nr_vals + 1;
	while (!s->failed && s->now < until)
		sim_tick(s, true);
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = sim_node_status(s, i);

		/*
		 * A node that caught up with the most advanced one says
		 * so when its configuration has no quorum left (Multi-Paxos
		 * judges it; Basic Paxos has no configurations).
		 */
		if (s->p->mode == PAXOS_CORE_MULTI &&
		    !sim_quorum_alive(s, i) && !sim_leaving(s, i) &&
		    st->learned == max_learned(s) &&
		    st->learned >= st->commit &&
		    !(st->flags & PAXOS_STATUS_QUORUM_LOST))
			sim_fail(s,
				 "quorum: n%u caught up (learned %llu) and its configuration has no quorum, but it does not say quorum-lost",
				 i + 1, st->learned);

		if (i < s->p->voters && s->nodes[i].restarted &&
		    !s->nodes[i].joined && !status_votes(st) &&
		    !(st->flags & PAXOS_STATUS_REFUSED) && !sim_demoted(s, i) &&
		    !sim_leaving(s, i))
			sim_fail(s,
				 "refusal: n%u claimed a new cluster, a majority of voters lost its state, n%u is in state %u and not refused",
				 i + 1, i + 1, st->state);
	}
}

/* Faults and clients until enough slots are chosen (or no quorum is left). */
static void fault_phase(struct sim *s)
{
	while (!s->failed && max_learned(s) < s->p->slots) {
		if (s->now >= SIM_FAULT_TICKS) {
			sim_fail(s, "liveness: only %llu of %u slots chosen in %u ticks",
				 max_learned(s), s->p->slots, SIM_FAULT_TICKS);
			return;
		}
		if (s->now == SIM_EASE_TICKS && (s->loss_pct || s->alloc_on)) {
			/*
			 * Basic Paxos with five voters barely progresses when a
			 * fifth of the allocations and datagrams are lost: the
			 * seed goes on with the other faults.
			 */
			s->loss_pct = 0;
			s->alloc_on = false;
			s->res->eased = true;
			sim_trace(s, EV_HEAL, 0, s->dup_pct, 0, 0, 0);
		}
		if (s->p->faults && s->now >= s->next_fault)
			fault_step(s);
		if (s->early_at == s->now + 1)
			node_restart(s, sim_below(s, s->p->voters), false, 0);
		if (s->next_churn && s->now >= s->next_churn)
			churn_step(s);
		if (s->next_change && s->now >= s->next_change)
			change_step(s);
		if (s->limits_at == s->now + 1)
			limits_step(s);
		sim_tick(s, true);
		if (s->res->rounds_out && !(s->now % 8) && rounds_exhausted(s))
			return;
		if (!(s->now % 8) && majority_lost(s)) {
			sim_trace(s, EV_LOST, sim_most_advanced(s), 0, 0, 0, 0);
			s->majority_lost = true;
			s->refusal_first = s->nr_vals + 1;
			return;
		}
	}
}

/**
 * paxos_sim_run() - simulate one seed of one configuration
 * @params: the configuration
 * @seed: the seed; the run is a pure function of (@params, @seed)
 * @res: the outcome
 * @print: receives the trace lines of a failing run (may be NULL)
 * @ctx: passed to @print
 *
 * Return: 0 if every check passed, -EINVAL if a check failed (@res->error
 * says which), -ENOMEM.
 */
int paxos_sim_run(const struct paxos_sim_params *params, u64 seed,
		  struct paxos_sim_result *res, paxos_sim_print_t print,
		  void *ctx)
{
	struct sim *s;
	u64 deadline = 0;
	u32 i;
	int err = 0;

	memset(res, 0, sizeof(*res));
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->p = params;
	s->res = res;
	s->seed = seed;
	s->rng = seed ^ 0x5eed5eed5eed5eedULL;
	s->print = print;
	s->ctx = ctx;
	s->n = params->voters + params->learners;
	s->classes = params->faults ? params->classes : 0;
	s->quorum = params->voters / 2 + 1;
	if (s->n > SIM_MAX_NODES || !params->voters ||
	    ((s->classes & PAXOS_SIM_CHURN) && !params->learners)) {
		kfree(s);
		return -EINVAL;
	}
	sim_profile(s);
	s->buf = kmalloc(s->max_value, GFP_KERNEL);
	if (!s->buf) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		err = node_create(s, i, false);
		if (err)
			goto out;
	}

	fault_phase(s);
	if (s->failed)
		goto done;

	/* Faults stop: probes are answered, then liveness or refusal. */
	heal_all(s);
	deadline = s->now + SIM_LIVENESS_TICKS;
	settle_probes(s, deadline);
	if (s->failed)
		goto done;
	if (s->majority_lost || majority_lost(s)) {
		refusal_phase(s);
		deadline = 0;
		goto done;
	}
	if (s->res->rounds_out) {
		/* No ballot may be left: clients go on, safety is checked. */
		for (deadline = s->now + SIM_REFUSAL_TICKS;
		     !s->failed && s->now < deadline;)
			sim_tick(s, true);
		deadline = 0;
		goto done;
	}
	while (!s->failed && !converged(s)) {
		/* A quorum may turn out lost only now (a dead next config). */
		if (!(s->now % 8) && majority_lost(s)) {
			refusal_phase(s);
			deadline = 0;
			goto done;
		}
		if (s->now >= deadline) {
			u64 k;

			for (k = 1; k <= s->nr_vals; k++)
				if (s->vals[k].state == VAL_PENDING)
					break;
			sim_fail(s,
				 "liveness: not converged %u ticks after faults stopped (v%llu pending, learned %llu)",
				 SIM_LIVENESS_TICKS, k <= s->nr_vals ? k : 0,
				 max_learned(s));
			break;
		}
		sim_tick(s, false);
	}
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = sim_node_status(s, i);

		if (i < params->voters && !s->nodes[i].joined &&
		    st->state == PAXOS_CS_LEARNER &&
		    !(st->flags & PAXOS_STATUS_REFUSED) &&
		    !sim_demoted(s, i) && !sim_leaving(s, i))
			sim_fail(s,
				 "refusal: n%u claimed a new cluster and is a learner, not marked refused",
				 i + 1);
	}
	settle_removed(s);
	for (i = 0; i < s->n && !s->failed; i++)
		check_removed(s, i);
	if (!s->failed)
		check_views(s);

done:
	for (i = 0; i < s->n && !s->failed; i++)
		check_node(s, i);
	if (s->bad_voter)
		sim_fail(s,
			 "restart: n%u claimed a new cluster while n%u held state, and voted (t=%llu)",
			 s->bad_voter, s->bad_witness, s->bad_at);
	res->chosen = max_learned(s);
	if (deadline)
		res->settle_ticks = s->now + SIM_LIVENESS_TICKS - deadline;
	res->ticks = s->now;
	if (s->failed) {
		err = -EINVAL;
		sim_trace_dump(s);
	}
	res->ok = !s->failed;
out:
	sim_free(s);
	kfree(s);
	return err;
}
