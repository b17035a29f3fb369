/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: no kernel threads; callers fall back to running inline. */
#ifndef _HOST_LINUX_KTHREAD_H
#define _HOST_LINUX_KTHREAD_H

#include <linux/err.h>

struct task_struct;

#define kthread_run(fn, data, name, ...) \
	((void)(fn), (void)(data), (struct task_struct *)ERR_PTR(-ENOSYS))

#endif
