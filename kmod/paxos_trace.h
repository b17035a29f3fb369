/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of the paxos runtime, under events/paxos/ in tracefs.
 *
 * The protocol core is a pure state machine with no tracing of its own:
 * these are emitted by the runtime (group.c, auth.c) from what the core
 * hands it (deliveries, completions, its status) and from the datagrams it
 * drops.  Every event names the group and this node.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM paxos

#if !defined(_PAXOS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PAXOS_TRACE_H

#include <linux/tracepoint.h>

/* Why a datagram was dropped (the stats counter of the same name). */
#ifndef _PAXOS_TRACE_REASONS
#define _PAXOS_TRACE_REASONS
#define PAXOS_DROP_MALFORMED		1
#define PAXOS_DROP_TRUNCATED		2
#define PAXOS_DROP_BAD_VERSION		3
#define PAXOS_DROP_UNKNOWN_TYPE		4
#define PAXOS_DROP_WRONG_GROUP		5
#define PAXOS_DROP_UNKNOWN_SENDER	6
#define PAXOS_DROP_STALE		7
#define PAXOS_DROP_AUTH			8
#define PAXOS_DROP_REPLAY		9
#define PAXOS_DROP_SOURCE		10
#define PAXOS_DROP_NOMEM		11
#endif

DECLARE_EVENT_CLASS(paxos_election,
	TP_PROTO(u32 group, u32 node, u32 round, u32 ballot_node),
	TP_ARGS(group, node, round, ballot_node),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u32, round)
		__field(u32, ballot_node)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->round = round;
		__entry->ballot_node = ballot_node;
	),
	TP_printk("group=%u node=%u ballot=%u.%u", __entry->group,
		  __entry->node, __entry->round, __entry->ballot_node)
);

/* This node started phase 1 (it became a candidate). */
DEFINE_EVENT(paxos_election, paxos_election_start,
	TP_PROTO(u32 group, u32 node, u32 round, u32 ballot_node),
	TP_ARGS(group, node, round, ballot_node));

/* This node's phase 1 made it leader. */
DEFINE_EVENT(paxos_election, paxos_election_won,
	TP_PROTO(u32 group, u32 node, u32 round, u32 ballot_node),
	TP_ARGS(group, node, round, ballot_node));

/* This node stopped being a candidate without leading. */
DEFINE_EVENT(paxos_election, paxos_election_lost,
	TP_PROTO(u32 group, u32 node, u32 round, u32 ballot_node),
	TP_ARGS(group, node, round, ballot_node));

/* The leader this node follows changed (0: none known). */
TRACE_EVENT(paxos_leader_change,
	TP_PROTO(u32 group, u32 node, u32 leader, u32 round, u32 ballot_node),
	TP_ARGS(group, node, leader, round, ballot_node),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u32, leader)
		__field(u32, round)
		__field(u32, ballot_node)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->leader = leader;
		__entry->round = round;
		__entry->ballot_node = ballot_node;
	),
	TP_printk("group=%u node=%u leader=%u ballot=%u.%u", __entry->group,
		  __entry->node, __entry->leader, __entry->round,
		  __entry->ballot_node)
);

/* Slot @slot is chosen and learned here, in slot order (@value: not a no-op). */
TRACE_EVENT(paxos_slot_chosen,
	TP_PROTO(u32 group, u32 node, u64 slot, bool value),
	TP_ARGS(group, node, slot, value),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u64, slot)
		__field(bool, value)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->slot = slot;
		__entry->value = value;
	),
	TP_printk("group=%u node=%u slot=%llu %s", __entry->group,
		  __entry->node, __entry->slot,
		  __entry->value ? "value" : "noop")
);

/* A value was delivered to this node's readers and subscribers. */
TRACE_EVENT(paxos_value_delivered,
	TP_PROTO(u32 group, u32 node, u64 slot, u32 len, u32 origin),
	TP_ARGS(group, node, slot, len, origin),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u64, slot)
		__field(u32, len)
		__field(u32, origin)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->slot = slot;
		__entry->len = len;
		__entry->origin = origin;
	),
	TP_printk("group=%u node=%u slot=%llu len=%u origin=%u",
		  __entry->group, __entry->node, __entry->slot, __entry->len,
		  __entry->origin)
);

/* A proposal (or membership change) was handed to the protocol. */
TRACE_EVENT(paxos_proposal_submit,
	TP_PROTO(u32 group, u32 node, u32 req, u32 len),
	TP_ARGS(group, node, req, len),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u32, req)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->req = req;
		__entry->len = len;
	),
	TP_printk("group=%u node=%u req=%u len=%u", __entry->group,
		  __entry->node, __entry->req, __entry->len)
);

DECLARE_EVENT_CLASS(paxos_proposal_end,
	TP_PROTO(u32 group, u32 node, u32 req, u64 slot, int error),
	TP_ARGS(group, node, req, slot, error),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u32, req)
		__field(u64, slot)
		__field(int, error)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->req = req;
		__entry->slot = slot;
		__entry->error = error;
	),
	TP_printk("group=%u node=%u req=%u slot=%llu error=%d",
		  __entry->group, __entry->node, __entry->req, __entry->slot,
		  __entry->error)
);

/* A proposal completed: chosen in @slot (error 0), or failed. */
DEFINE_EVENT(paxos_proposal_end, paxos_proposal_complete,
	TP_PROTO(u32 group, u32 node, u32 req, u64 slot, int error),
	TP_ARGS(group, node, req, slot, error));

/* A proposal was not learned within the group's proposal timeout. */
DEFINE_EVENT(paxos_proposal_end, paxos_proposal_timeout,
	TP_PROTO(u32 group, u32 node, u32 req, u64 slot, int error),
	TP_ARGS(group, node, req, slot, error));

/* A datagram was dropped, and why. */
TRACE_EVENT(paxos_drop,
	TP_PROTO(u32 group, u32 node, u32 reason, u32 len),
	TP_ARGS(group, node, reason, len),
	TP_STRUCT__entry(
		__field(u32, group)
		__field(u32, node)
		__field(u32, reason)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->group = group;
		__entry->node = node;
		__entry->reason = reason;
		__entry->len = len;
	),
	TP_printk("group=%u node=%u reason=%s len=%u", __entry->group,
		  __entry->node,
		  __print_symbolic(__entry->reason,
				   { PAXOS_DROP_MALFORMED, "malformed" },
				   { PAXOS_DROP_TRUNCATED, "truncated" },
				   { PAXOS_DROP_BAD_VERSION, "bad-version" },
				   { PAXOS_DROP_UNKNOWN_TYPE, "unknown-type" },
				   { PAXOS_DROP_WRONG_GROUP, "wrong-group" },
				   { PAXOS_DROP_UNKNOWN_SENDER,
				     "unknown-sender" },
				   { PAXOS_DROP_STALE, "stale" },
				   { PAXOS_DROP_AUTH, "auth" },
				   { PAXOS_DROP_REPLAY, "replay" },
				   { PAXOS_DROP_SOURCE, "source" },
				   { PAXOS_DROP_NOMEM, "nomem" }),
		  __entry->len)
);

#endif /* _PAXOS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE paxos_trace
#include <trace/define_trace.h>
