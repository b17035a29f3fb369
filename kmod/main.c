// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: Multi-Paxos consensus in the kernel.
 *
 * Module entry point: brings the subsystems up in order and tears them down
 * in reverse.  Unloading deletes every group of every namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/init.h>

#include <uapi/linux/paxos.h>

#include "runtime.h"

static int __init paxos_init(void)
{
	int err;

	err = paxos_wq_init();
	if (err)
		return err;
	err = paxos_pernet_init();
	if (err)
		goto err_wq;
	err = paxos_netlink_init();
	if (err)
		goto err_pernet;
	err = paxos_chardev_init();
	if (err)
		goto err_netlink;
	pr_info("loaded\n");
	return 0;

err_netlink:
	paxos_netlink_exit();
err_pernet:
	paxos_pernet_exit();
err_wq:
	paxos_wq_exit();
	return err;
}

static void __exit paxos_exit(void)
{
	paxos_chardev_exit();
	paxos_netlink_exit();
	paxos_pernet_exit();
	paxos_wq_exit();
	rcu_barrier();		/* old keys freed by call_rcu (auth.c) */
	pr_info("unloaded\n");
}

module_init(paxos_init);
module_exit(paxos_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multi-Paxos consensus over UDP");
MODULE_AUTHOR("The paxos developers");
MODULE_VERSION("1.0");	/* = dkms.conf, debian/changelog, paxosctl --version */
MODULE_ALIAS_GENL_FAMILY(PAXOS_FAMILY_NAME);
