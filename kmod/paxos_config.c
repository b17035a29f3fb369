// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: membership, chosen in the log (work in progress: stubs).
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <kunit/visibility.h>

#include "paxos_core_int.h"

/**
 * paxos_core_change() - submit a configuration change
 * @core: the core
 * @ch: the change
 * @req_id: the caller's id for the request, returned in its completion
 * @gfp: allocation flags for this call
 *
 * Return: 0 if queued (a completion follows, with the change's slot or an
 * error); -EOPNOTSUPP in basic mode; as paxos_core_propose() otherwise.
 */
int paxos_core_change(struct paxos_core *core, const struct paxos_change *ch,
		      u64 req_id, gfp_t gfp)
{
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_change);

/**
 * paxos_core_membership() - the configuration in effect after the learned
 * point, and the next one if a chosen change waits for its slot
 * @core: the core
 * @m: filled in
 */
void paxos_core_membership(const struct paxos_core *core,
			   struct paxos_membership *m)
{
	const struct paxos_core *c = core;

	memset(m, 0, sizeof(*m));
	m->effective = 1;
	m->nr_members = c->cfg.nr_members;
	memcpy(m->members, c->cfg.members, sizeof(m->members));
	m->voters = hweight32(c->voters);
	m->quorum = c->quorum;
	m->live = m->voters;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_membership);

/**
 * paxos_core_force_new_cluster() - operator recovery after a quorum loss
 * @core: the core
 * @gfp: allocation flags for this call
 *
 * Return: 0, or -EOPNOTSUPP in basic mode.
 */
int paxos_core_force_new_cluster(struct paxos_core *core, gfp_t gfp)
{
	return -EOPNOTSUPP;
}
EXPORT_SYMBOL_IF_KUNIT(paxos_core_force_new_cluster);
