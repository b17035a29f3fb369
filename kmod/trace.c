// SPDX-License-Identifier: GPL-2.0
/* The paxos tracepoints (paxos_trace.h), defined here once. */
#define CREATE_TRACE_POINTS
#include "paxos_trace.h"
