/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: completions, enough for a single-threaded run. */
#ifndef _HOST_LINUX_COMPLETION_H
#define _HOST_LINUX_COMPLETION_H

struct completion {
	int done;
};

static inline void init_completion(struct completion *c) { c->done = 0; }
static inline void complete(struct completion *c) { c->done = 1; }
static inline void wait_for_completion(struct completion *c) { }

#endif
