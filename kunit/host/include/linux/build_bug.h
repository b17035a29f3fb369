/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOST_LINUX_BUILD_BUG_H
#define _HOST_LINUX_BUILD_BUG_H

#include "../host_kernel.h"

/* As the kernel's: a C11 static assertion, the message optional. */
#define static_assert(expr, ...)	BUILD_BUG_ON(!(expr))

#endif /* _HOST_LINUX_BUILD_BUG_H */
