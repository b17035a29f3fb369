/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * paxos: ioctls of the /dev/paxos character device.
 *
 * An open file is bound to one group of the opener's network namespace: the
 * only group there when there is exactly one, otherwise the one chosen with
 * PAXOS_IOC_BIND.  The file position is a slot number.
 */
#ifndef _UAPI_LINUX_PAXOS_DEV_H
#define _UAPI_LINUX_PAXOS_DEV_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define PAXOS_IOC_MAGIC		0xb5

/* Bind the file to group *arg of the opener's netns (ENOENT: no such group). */
#define PAXOS_IOC_BIND		_IOW(PAXOS_IOC_MAGIC, 1, __u32)
/* The group the file is bound to (ENOTCONN: none). */
#define PAXOS_IOC_GET_GROUP	_IOR(PAXOS_IOC_MAGIC, 2, __u32)
/*
 * The slot of this file's last blocking write that returned, or of its last
 * O_NONBLOCK write that was learned (0: none).  A write that timed out and
 * is learned later does not move it.
 */
#define PAXOS_IOC_LAST_SLOT	_IOR(PAXOS_IOC_MAGIC, 3, __u64)
/* The next slot not yet learned on this node (what SEEK_END moves to). */
#define PAXOS_IOC_NEXT_SLOT	_IOR(PAXOS_IOC_MAGIC, 4, __u64)

#endif /* _UAPI_LINUX_PAXOS_DEV_H */
