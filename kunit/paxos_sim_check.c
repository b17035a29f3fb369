// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the simulator's trace and checker.  Every delivery and completion
 * is checked as it is produced, and the nodes' state every few ticks (the
 * properties are listed at the top of paxos_sim.c); the trace keeps the
 * last events, printed with the nodes' state when a seed fails.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "paxos_sim_int.h"

void sim_trace(struct sim *s, u8 kind, u8 a, u8 b, u8 c, u32 x, u64 y)
{
	struct sim_event *e = &s->trace[s->trace_pos++ % SIM_TRACE];

	e->t = s->now;
	e->kind = kind;
	e->a = a;
	e->b = b;
	e->c = c;
	e->x = x;
	e->y = y;
	e->z = 0;
}

static const char *const sim_msg_names[] = {
	"?", "PREPARE", "PROMISE", "REJECT", "ACCEPT", "ACCEPTED", "FORWARD",
	"CATCHUP", "LEARN", "STATUS", "HELLO",
};

const char *sim_msg_name(u32 type)
{
	return sim_msg_names[type < ARRAY_SIZE(sim_msg_names) ? type : 0];
}

static void trace_print_one(struct sim *s, const struct sim_event *e)
{
	char line[128];

	switch (e->kind) {
	case EV_RECV:
	case EV_DROP:
		scnprintf(line, sizeof(line),
			  "t=%llu %s n%u->n%u %s len=%u %u.%u",
			  e->t, e->kind == EV_RECV ? "recv" : "drop", e->a + 1,
			  e->b + 1, sim_msg_name(e->c), e->x, (u32)e->y,
			  (u32)(e->y >> 32));
		break;
	case EV_PROPOSE:
		scnprintf(line, sizeof(line),
			  "t=%llu propose n%u v%llu len=%u rc=%d",
			  e->t, e->a + 1, e->y, e->z, (int)e->x);
		break;
	case EV_DELIVER:
		scnprintf(line, sizeof(line), "t=%llu deliver n%u slot %u %s%llu",
			  e->t, e->a + 1, e->x, e->y == SIM_NOOP ? "noop" : "v",
			  e->y == SIM_NOOP ? 0 : e->y);
		break;
	case EV_COMPLETE:
		scnprintf(line, sizeof(line),
			  "t=%llu complete n%u v%llu slot %u err=%d",
			  e->t, e->a + 1, e->y, e->x, -(int)e->z);
		break;
	case EV_STATE:
		scnprintf(line, sizeof(line),
			  "t=%llu state n%u state=%u leader=n%u ballot=%u.%u",
			  e->t, e->a + 1, e->b, e->c, e->x, (u32)e->y);
		break;
	case EV_PARTITION:
		scnprintf(line, sizeof(line), "t=%llu partition kind=%u mask=%x",
			  e->t, e->a, e->x);
		break;
	case EV_PAUSE:
		scnprintf(line, sizeof(line), "t=%llu pause n%u until %llu",
			  e->t, e->a + 1, e->y);
		break;
	case EV_RESTART:
		scnprintf(line, sizeof(line),
			  "t=%llu restart n%u as %s (incarnation #%u, down %llu ticks)",
			  e->t, e->a + 1, e->b ? "existing" : "new", e->x, e->y);
		break;
	case EV_HEAL:
		scnprintf(line, sizeof(line), "t=%llu heal (loss %u%% dup %u%%)",
			  e->t, e->a, e->b);
		break;
	case EV_SKIP:
		scnprintf(line, sizeof(line), "t=%llu skip n%u slots %u..%llu",
			  e->t, e->a + 1, e->x, e->y);
		break;
	case EV_LIMITS:
		scnprintf(line, sizeof(line),
			  "t=%llu limits: round %u as n%u, commit %llu",
			  e->t, e->x, e->a + 1, e->y);
		break;
	case EV_LOST:
		scnprintf(line, sizeof(line),
			  "t=%llu majority lost (by n%u's configuration)",
			  e->t, e->a + 1);
		break;
	case EV_CHANGE:
		scnprintf(line, sizeof(line),
			  "t=%llu change at n%u: op %u node n%u rc=%d",
			  e->t, e->a + 1, e->b, e->x, (int)e->y);
		break;
	default:
		return;
	}
	s->print(s->ctx, line);
}

/* Append @nr members as n<id>:V|L/adm|pend|cur|old (cur: the node's own). */
static size_t trace_members(struct sim *s, char *line, size_t len,
			    size_t size, const struct paxos_member *m, u32 nr)
{
	u32 j, k;

	for (j = 0; j < nr; j++) {
		for (k = 0; k < s->n && s->nodes[k].id != m[j].node_id; k++)
			;
		len += scnprintf(line + len, size - len, " n%u:%s/%s",
				 m[j].node_id, m[j].role ? "L" : "V",
				 m[j].incarnation == PAXOS_INC_ADMITTED ? "adm" :
				 m[j].incarnation == PAXOS_INC_PENDING ? "pend" :
				 k < s->n && m[j].incarnation == s->nodes[k].inc ?
				 "cur" : "old");
	}
	return len;
}

/* Node @i's configuration, and the next one if a change is pending. */
static void trace_print_membership(struct sim *s, u32 i, char *line,
				   size_t size)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	size_t len;

	if (!m)
		return;
	paxos_core_membership(s->nodes[i].core, m);
	len = scnprintf(line, size, "    config slot %llu eff %llu%s quorum %u live %u:",
			m->slot, m->effective, m->pending ? " (change pending)" : "",
			m->quorum, m->live);
	len = trace_members(s, line, len, size, m->members, m->nr_members);
	if (m->pending) {
		len += scnprintf(line + len, size - len,
				 " | next slot %llu eff %llu:", m->next.slot,
				 m->next.effective);
		trace_members(s, line, len, size, m->next.members,
			      m->next.nr_members);
	}
	s->print(s->ctx, line);
	kfree(m);
}

void sim_trace_dump(struct sim *s)
{
	u32 n = min_t(u32, s->trace_pos, SIM_TRACE_PRINT), i;
	struct paxos_core_status *st = &s->st;
	char line[400];

	if (!s->print)
		return;
	scnprintf(line, sizeof(line), "seed %llu config %s: %s", s->seed,
		  s->p->name, s->res->profile);
	s->print(s->ctx, line);
	scnprintf(line, sizeof(line), "last %u events", n);
	s->print(s->ctx, line);
	for (i = s->trace_pos - n; i != s->trace_pos; i++)
		trace_print_one(s, &s->trace[i % SIM_TRACE]);
	for (i = 0; i < s->n; i++) {
		struct sim_node *nd = &s->nodes[i];

		paxos_core_status(nd->core, st);
		scnprintf(line, sizeof(line),
			  "n%u: state %u flags %x leader n%u ballot %u.%u promised %u.%u first %llu learned %llu commit %llu next %llu pending %u/%u queued %u nomem %llu%s%s%s",
			  i + 1, st->state, st->flags, st->leader_id,
			  st->ballot.round, st->ballot.node, st->promised.round,
			  st->promised.node, st->first_retained, st->learned,
			  st->commit, st->next_slot, st->pending, nd->pending,
			  st->queued, st->counters.nomem,
			  nd->paused ? " paused" : "", nd->down ? " down" : "",
			  !nd->restarted ? "" :
			  nd->joined ? " restarted(existing)" : " restarted(new)");
		s->print(s->ctx, line);
		trace_print_membership(s, i, line, sizeof(line));
	}
}

void sim_fail(struct sim *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vscnprintf(s->res->error, sizeof(s->res->error), fmt, ap);
	va_end(ap);
}

/* ---- node state as the cores report it -------------------------------- */

const struct paxos_core_status *sim_node_status(struct sim *s, u32 i)
{
	paxos_core_status(s->nodes[i].core, &s->st);
	return &s->st;
}

/*
 * Does node @i's configuration (learned from the log) name its current
 * incarnation as a voter?  Then it votes by a chosen change, not by a
 * probe that should have been refused.
 */
bool sim_named_voter(struct sim *s, u32 i)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	bool named = false;
	u32 j;

	if (!m)
		return false;
	paxos_core_membership(s->nodes[i].core, m);
	for (j = 0; j < m->nr_members; j++)
		if (m->members[j].node_id == s->nodes[i].id &&
		    m->members[j].role == PAXOS_MEMBER_VOTER &&
		    m->members[j].incarnation == s->nodes[i].inc)
			named = true;
	for (j = 0; m->pending && j < m->next.nr_members; j++)
		if (m->next.members[j].node_id == s->nodes[i].id &&
		    m->next.members[j].role == PAXOS_MEMBER_VOTER &&
		    m->next.members[j].incarnation == s->nodes[i].inc)
			named = true;
	kfree(m);
	return named;
}

/*
 * Node @k runs an incarnation a new cluster's probe let vote (or, if
 * @probing, one still probing, which may yet be let vote).
 */
static bool sim_admitted(struct sim *s, u32 k, bool probing)
{
	const struct paxos_core_status *st = sim_node_status(s, k);

	if (st->state == PAXOS_CS_PROBING)
		return probing;
	return st->flags & PAXOS_STATUS_ADMITTED;
}

/*
 * Ground truth: how many voters of a configuration still run the
 * incarnation it names (not counting node index @except)?  An admitted
 * voter is alive until it first restarts; a pinned one while it runs that
 * incarnation.
 */
static u32 sim_alive(struct sim *s, const struct paxos_member *members,
		     u32 nr, u32 except, bool probing)
{
	u32 j, k, alive = 0;

	for (j = 0; j < nr; j++) {
		const struct paxos_member *mb = &members[j];

		if (mb->role != PAXOS_MEMBER_VOTER)
			continue;
		for (k = 0; k < s->n; k++) {
			const struct sim_node *nd = &s->nodes[k];

			if (nd->id != mb->node_id || k == except)
				continue;
			if (mb->incarnation == PAXOS_INC_ADMITTED ?
			    sim_admitted(s, k, probing) :
			    mb->incarnation == nd->inc)
				alive++;
		}
	}
	return alive;
}

static u32 sim_nr_voters(const struct paxos_member *members, u32 nr)
{
	u32 j, n = 0;

	for (j = 0; j < nr; j++)
		n += members[j].role == PAXOS_MEMBER_VOTER;
	return n;
}

/*
 * Node @i's configuration (and the next, if pending) keeps a quorum of
 * voters alive without node @except (U32_MAX: none)?
 */
static bool sim_config_alive(struct sim *s, u32 i, u32 except, bool probing,
			     bool next)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	u64 top;
	bool ok;
	u32 j;

	if (!m)
		return false;
	paxos_core_membership(s->nodes[i].core, m);
	/*
	 * Once a running node learned every slot it governs, the current
	 * one is done (not for a restart: that node may be the one).
	 */
	for (top = 0, j = 0; probing && j < s->n; j++)
		top = max(top, paxos_core_learned(s->nodes[j].core));
	ok = (m->pending && top + 1 >= m->next.effective) ||
	     sim_alive(s, m->members, m->nr_members, except, probing) >=
	     sim_nr_voters(m->members, m->nr_members) / 2 + 1;
	if (next && m->pending)
		ok = ok && sim_alive(s, m->next.members, m->next.nr_members,
				     except, probing) >=
			   sim_nr_voters(m->next.members,
					 m->next.nr_members) / 2 + 1;
	kfree(m);
	return ok;
}

/*
 * Is node @i a member by the newest configuration (the most advanced
 * node's current one or, if pending, its next)?
 */
bool sim_member(struct sim *s, u32 i)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	bool in = false;
	u32 j;

	if (!m)
		return true;
	paxos_core_membership(s->nodes[sim_most_advanced(s)].core, m);
	for (j = 0; j < m->nr_members; j++)
		in |= m->members[j].node_id == s->nodes[i].id;
	for (j = 0; m->pending && j < m->next.nr_members; j++)
		in |= m->next.members[j].node_id == s->nodes[i].id;
	kfree(m);
	return in;
}

/*
 * Is node @i out of the group (PAXOS_SIM_CONFIG): not a member, or told
 * by the log it is removed?  Such a node need not learn anything more.
 */
bool sim_leaving(struct sim *s, u32 i)
{
	return (sim_node_status(s, i)->flags & PAXOS_STATUS_REMOVED) ||
	       !sim_member(s, i);
}

/*
 * A node that learned the change removing it (its own configurations no
 * longer name it) says so and stands for election no more.
 */
void check_removed(struct sim *s, u32 i)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	const struct paxos_core_status *st;
	bool named = false;
	u32 j;

	if (!m || sim_member(s, i)) {
		kfree(m);
		return;
	}
	paxos_core_membership(s->nodes[i].core, m);
	for (j = 0; !m->pending && j < m->nr_members; j++)
		named |= m->members[j].node_id == s->nodes[i].id;
	for (j = 0; m->pending && j < m->next.nr_members; j++)
		named |= m->next.members[j].node_id == s->nodes[i].id;
	kfree(m);
	st = sim_node_status(s, i);
	if (!named && (!(st->flags & PAXOS_STATUS_REMOVED) ||
		       st->state == PAXOS_CS_CANDIDATE ||
		       st->state == PAXOS_CS_LEADER))
		sim_fail(s, "removed: n%u learned its removal but is in state %u, flags %#x",
			 i + 1, st->state, st->flags);
}

/*
 * Does node @i's configuration keep it from voting: a learner (a demoted
 * voter), or a voter pinned to another of its incarnations (one that
 * restarted, until the leader pins the new one)?
 */
bool sim_demoted(struct sim *s, u32 i)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	const struct paxos_member *mb;
	bool out = false;
	u32 j;

	if (!m)
		return false;
	paxos_core_membership(s->nodes[i].core, m);
	for (j = 0; j < m->nr_members; j++) {
		mb = &m->members[j];
		if (mb->node_id == s->nodes[i].id)
			out = mb->role == PAXOS_MEMBER_LEARNER ||
			      (mb->incarnation != PAXOS_INC_ADMITTED &&
			       mb->incarnation != s->nodes[i].inc);
	}
	kfree(m);
	return out;
}

/*
 * May node @i say a quorum is lost for good?  When it is, by its own
 * configuration; or when it cannot know better yet: slots were delivered
 * somewhere that it has not heard are chosen (its commit point is behind),
 * and only those would show that its current configuration is done.
 */
bool sim_quorum_alive(struct sim *s, u32 i)
{
	const struct paxos_core_status *st = sim_node_status(s, i);

	if (st->commit < s->top_delivered)
		return false;
	return sim_config_alive(s, i, U32_MAX, false, true);
}

/* Node @i's next configuration's first slot (0: none pending). */
static u64 sim_next_effective(struct sim *s, u32 i)
{
	struct paxos_membership *m = kzalloc(sizeof(*m), GFP_KERNEL);
	u64 eff = 0;

	if (!m)
		return 0;
	paxos_core_membership(s->nodes[i].core, m);
	if (m->pending)
		eff = m->next.effective;
	kfree(m);
	return eff;
}

/* The most advanced node (whose configuration is the newest). */
u32 sim_most_advanced(struct sim *s)
{
	u32 i, best = 0;
	u64 max = 0;

	for (i = 0; i < s->n; i++) {
		u64 l = paxos_core_learned(s->nodes[i].core);

		if (l > max) {
			max = l;
			best = i;
		}
	}
	return best;
}

/* Would a quorum of the newest configuration survive node @i's restart? */
bool sim_restart_keeps_quorum(struct sim *s, u32 i)
{
	return sim_config_alive(s, sim_most_advanced(s), i, false, true);
}

bool status_votes(const struct paxos_core_status *st)
{
	return (st->flags & PAXOS_STATUS_VOTING) &&
	       st->state != PAXOS_CS_LEARNER && st->state != PAXOS_CS_PROBING;
}

/* Visibly: it promised a ballot or learned a slot. */
bool status_holds_state(const struct paxos_core_status *st)
{
	return st->promised.round || st->learned;
}

/*
 * Voters other than @except whose acceptor takes part in votes; @probing (if
 * not NULL) gets those still probing, which may yet start voting.
 */
u32 voting_voters(struct sim *s, u32 except, u32 *probing, bool *state)
{
	u32 i, voting = 0;

	if (probing)
		*probing = 0;
	if (state)
		*state = false;
	for (i = 0; i < s->p->voters; i++) {
		const struct paxos_core_status *st;

		if (i == except)
			continue;
		st = sim_node_status(s, i);
		voting += status_votes(st);
		if (probing && st->state == PAXOS_CS_PROBING)
			(*probing)++;
		if (state && status_holds_state(st))
			*state = true;
	}
	return voting;
}

/* No quorum of voters votes, or ever can again (learners never vote). */
bool majority_lost(struct sim *s)
{
	u32 probing, voting = voting_voters(s, U32_MAX, &probing, NULL);

	/*
	 * Multi: refused and joined voters come back, by the log; a chosen
	 * configuration that lost its quorum before its slot stops the log
	 * there for good (no other change can pass it).
	 */
	if (s->p->mode == PAXOS_CORE_MULTI) {
		u32 top = sim_most_advanced(s);

		/*
		 * The log may still move: slots that only a node now gone had
		 * learned were chosen, and its peers may still have them
		 * (split between nodes a partition keeps apart, maybe).  Lost
		 * is lost for good: no slot learned for a while on a whole
		 * network.
		 */
		if (sim_cut_any(s) ||
		    s->now - max(s->progress_at, s->whole_at) <
		    SIM_STUCK_TICKS ||
		    sim_config_alive(s, top, U32_MAX, true, true))
			return false;
		/*
		 * If only the next configuration lost its quorum, the slots
		 * before it governs may still be chosen; else none.
		 */
		if (!s->loss_known) {
			s->loss_known = true;
			s->loss_from = sim_config_alive(s, top, U32_MAX, true,
							false) ?
				       sim_next_effective(s, top) : 0;
		}
		return true;
	}
	return voting + probing < s->quorum;
}

/* LIMITS with little headroom: a voter promised the last round there is. */
bool rounds_exhausted(struct sim *s)
{
	u32 i;

	/* Any node: a learner may have been promoted (PAXOS_SIM_CONFIG). */
	for (i = 0; i < s->n; i++)
		if (sim_node_status(s, i)->promised.round == U32_MAX)
			return true;
	return false;
}

bool node_refused(struct sim *s, u32 i)
{
	return sim_node_status(s, i)->flags & PAXOS_STATUS_REFUSED;
}

/*
 * Every proposal a core accepted is pending there until its completion; a
 * node that claimed a new cluster while a voter held state is refused, so it
 * never votes without having been refused first.
 */
void check_node(struct sim *s, u32 i)
{
	const struct paxos_core_status *st = sim_node_status(s, i);
	struct sim_node *nd = &s->nodes[i];
	u64 max_bytes = s->retain_bytes ?:
			2ULL * SIM_RETENTION * (s->max_value + PAXOS_SLOT_COST);
	u32 w = 0;

	/* Memory follows use, within the configured bounds. */
	if (st->retained_bytes > max_bytes)
		sim_fail(s, "bytes: n%u keeps %llu bytes of learned slots, more than %llu",
			 i + 1, st->retained_bytes, max_bytes);
	if (!st->ring_cells || st->ring_cells > SIM_RING_SPAN ||
	    (st->ring_cells & (st->ring_cells - 1)))
		sim_fail(s, "ring: n%u has %llu cells", i + 1, st->ring_cells);

	/* What the core derives from its configurations is current. */
	if (!paxos_core_derived_ok(nd->core))
		sim_fail(s, "derived: n%u's masks or quorums lag its configurations",
			 i + 1);

	/* An acceptor's promise never falls (a wrapped round would). */
	if (st->promised.round < nd->promised.round ||
	    (st->promised.round == nd->promised.round &&
	     st->promised.node < nd->promised.node))
		sim_fail(s, "promise: n%u lowered its promise from %u.%u to %u.%u",
			 i + 1, nd->promised.round, nd->promised.node,
			 st->promised.round, st->promised.node);
	nd->promised = st->promised;

	while (nd->witnesses && !(nd->witnesses & BIT(w)))
		w++;
	if (st->pending != nd->pending)
		sim_fail(s,
			 "completion: n%u has %u proposals pending, %u accepted and not completed (%s)",
			 i + 1, st->pending, nd->pending,
			 st->pending < nd->pending ? "a completion was lost" :
			 "a completion was invented");
	else if (nd->witnesses && status_votes(st) &&
		 !(st->flags & PAXOS_STATUS_REFUSED) && !s->bad_voter &&
		 !sim_named_voter(s, i)) {
		/* Reported at the end, unless it led to worse. */
		s->bad_voter = i + 1;
		s->bad_witness = w + 1;
		s->bad_at = s->now;
	}
}

/* ---- the checker ------------------------------------------------------ */

static bool slot_grow(struct sim *s, u64 slot)
{
	u64 cap = s->slot_cap ? s->slot_cap : 1024, *n;

	while (cap <= slot)
		cap *= 2;
	if (cap == s->slot_cap)
		return true;
	n = kcalloc(cap, sizeof(*n), GFP_KERNEL);
	if (!n) {
		sim_fail(s, "simulator out of memory");
		return false;
	}
	if (s->slot_cap)
		memcpy(n, s->slot_code, s->slot_cap * sizeof(*n));
	kfree(s->slot_code);
	s->slot_code = n;
	s->slot_cap = cap;
	return true;
}

static u64 max_first_retained(struct sim *s, u32 except)
{
	u64 m = 0;
	u32 i;

	for (i = 0; i < s->n; i++)
		if (i != except)
			m = max(m, paxos_core_first_retained(s->nodes[i].core));
	return max(m, s->gone_first);
}

static void check_delivery(struct sim *s, u32 i, const struct paxos_delivery *d)
{
	struct sim_node *nd = &s->nodes[i];
	u64 code;

	if (d->kind == PAXOS_DELIVER_SKIPPED) {
		sim_trace(s, EV_SKIP, i, 0, 0, (u32)d->slot, d->last_slot);
		s->res->skips++;
		if (d->slot != nd->next || d->last_slot < d->slot)
			sim_fail(s, "order: n%u skipped %llu..%llu, next was %llu",
				 i + 1, d->slot, d->last_slot, nd->next);
		else if (max_first_retained(s, i) <= d->last_slot)
			sim_fail(s, "n%u skipped %llu..%llu that no peer trimmed",
				 i + 1, d->slot, d->last_slot);
		nd->next = d->last_slot + 1;
		return;
	}
	if (d->kind == PAXOS_DELIVER_VALUE && d->len >= 8)
		sim_trace(s, EV_DELIVER, i, 0, 0, (u32)d->slot,
			  get_unaligned_le64(d->data));
	else
		sim_trace(s, EV_DELIVER, i, 0, 0, (u32)d->slot, SIM_NOOP);
	if (d->slot != nd->next) {
		sim_fail(s, "order: n%u delivered slot %llu, expected %llu",
			 i + 1, d->slot, nd->next);
		return;
	}
	nd->next++;
	if (d->slot > s->top_delivered) {
		s->top_delivered = d->slot;
		s->progress_at = s->now;
	}
	if (d->kind == PAXOS_DELIVER_NOOP) {
		/* Which duplicate or change it is must agree too. */
		code = d->origin ? SIM_TAG(d->origin, d->seq) : SIM_NOOP;
	} else {
		code = sim_value_check(s, d->data, d->len);
		if (!code) {
			sim_fail(s, "validity: n%u slot %llu holds a value never proposed",
				 i + 1, d->slot);
			return;
		}
		if (d->origin != s->nodes[s->vals[code].node].id) {
			sim_fail(s, "validity: n%u slot %llu v%llu has origin %u",
				 i + 1, d->slot, code, d->origin);
			return;
		}
	}
	if (!slot_grow(s, d->slot))
		return;
	if (!s->slot_code[d->slot]) {
		s->slot_code[d->slot] = code;
		if (code == SIM_NOOP || (code & SIM_TAGGED))
			return;
		if (s->vals[code].slot) {
			sim_fail(s, "integrity: v%llu delivered in slots %llu and %llu",
				 code, s->vals[code].slot, d->slot);
			return;
		}
		s->vals[code].slot = d->slot;
	} else if (s->slot_code[d->slot] != code) {
		sim_fail(s, "agreement: slot %llu is %s%llu at n%u, %s%llu before",
			 d->slot, code == SIM_NOOP ? "noop" : "v",
			 code == SIM_NOOP ? 0 : code, i + 1,
			 s->slot_code[d->slot] == SIM_NOOP ? "noop" : "v",
			 s->slot_code[d->slot] == SIM_NOOP ? 0 : s->slot_code[d->slot]);
	}
}

static void check_completion(struct sim *s, u32 i,
			     const struct paxos_completion *c)
{
	struct sim_value *v;

	if (c->req_id & SIM_CHANGE_REQ) {
		/* A change: chosen (or refused by the log), or lost in time. */
		sim_trace(s, EV_COMPLETE, i, 0, 0, (u32)c->slot, c->req_id);
		s->nodes[i].pending--;
		if (c->error && c->error != -EBUSY && c->error != -EALREADY &&
		    c->error != -EINVAL && c->error != -ETIMEDOUT &&
		    c->error != -ENOTRECOVERABLE && c->error != -EHOSTUNREACH &&
		    (c->error != -ENOLINK || !sim_leaving(s, i)))
			sim_fail(s, "n%u completed change %llu with error %d",
				 i + 1, c->req_id & ~SIM_CHANGE_REQ, c->error);
		return;
	}
	if (!c->req_id || c->req_id > s->nr_vals) {
		sim_fail(s, "n%u completed unknown request %llu", i + 1, c->req_id);
		return;
	}
	v = &s->vals[c->req_id];
	sim_trace(s, EV_COMPLETE, i, 0, 0, (u32)c->slot, c->req_id);
	s->trace[(s->trace_pos - 1) % SIM_TRACE].z = -c->error;
	if (v->node != i || v->state != VAL_PENDING) {
		sim_fail(s, "n%u completed v%llu twice or not its own", i + 1,
			 c->req_id);
		return;
	}
	s->nodes[i].pending--;
	if (c->error == -ETIMEDOUT) {
		v->state = VAL_TIMEDOUT;
		s->res->timeouts++;
		return;
	}
	if (c->error == -ENOLINK && sim_leaving(s, i)) {
		/* Failed by a node the log removed: maybe chosen anyway. */
		v->state = VAL_TIMEDOUT;
		return;
	}
	if (c->error == -ENOTRECOVERABLE) {
		/* Maybe chosen, like a timeout: only if really no quorum. */
		v->state = VAL_TIMEDOUT;
		if (sim_quorum_alive(s, i))
			sim_fail(s,
				 "quorum: n%u failed v%llu for a lost quorum, but a quorum of its voters lives",
				 i + 1, c->req_id);
		return;
	}
	if (c->error) {
		sim_fail(s, "n%u completed v%llu with error %d", i + 1, c->req_id,
			 c->error);
		return;
	}
	v->state = VAL_ACKED;
	s->res->acked++;
	if (s->refusal_first && c->req_id >= s->refusal_first &&
	    c->slot >= s->loss_from)
		sim_fail(s,
			 "refusal: v%llu, proposed at n%u after a majority of voters lost its state, succeeded",
			 c->req_id, i + 1);
	else if (c->slot && (c->slot >= s->slot_cap ||
			     s->slot_code[c->slot] != c->req_id))
		sim_fail(s, "integrity: v%llu acknowledged in slot %llu, not delivered there",
			 c->req_id, c->slot);
	else if (!c->slot && !v->slot)
		sim_fail(s, "integrity: v%llu acknowledged but never delivered",
			 c->req_id);
}

void sim_drain(struct sim *s, u32 i)
{
	struct sim_node *nd = &s->nodes[i];
	struct paxos_delivery *d;
	struct paxos_completion *c;
	struct paxos_msg_out *m;
	struct paxos_ready r;

	paxos_ready_init(&r);
	paxos_core_ready(nd->core, &r);
	list_for_each_entry(m, &r.msgs, list)
		net_send(s, i, m);
	list_for_each_entry(d, &r.deliveries, list)
		check_delivery(s, i, d);
	list_for_each_entry(c, &r.completions, list)
		check_completion(s, i, c);
	if (r.events & (PAXOS_EVENT_STATE | PAXOS_EVENT_LEADER)) {
		const struct paxos_core_status *st = sim_node_status(s, i);

		sim_trace(s, EV_STATE, i, st->state, st->leader_id,
			  st->ballot.round, st->ballot.node);
	}
	paxos_ready_release(&r);
}

/*
 * With the network healthy for longer than the reachability horizon (two
 * maximum election timeouts), every node must see every other member as
 * reachable, followers and learners included: they hear from each other only
 * through their periodic status.
 */
void check_views(struct sim *s)
{
	u64 until = s->now + 3ULL * SIM_ELECTION_MAX;
	u32 i, j;

	while (!s->failed && s->now < until)
		sim_tick(s, false);
	for (i = 0; i < s->n && !s->failed; i++) {
		const struct paxos_core_status *st = sim_node_status(s, i);

		if (sim_leaving(s, i))
			continue;
		for (j = 0; j < st->nr_peers; j++)
			if (!st->peers[j].reachable)
				sim_fail(s, "view: n%u sees n%u unreachable on a healthy network",
					 s->nodes[i].id, st->peers[j].node_id);
	}
}
