// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: Multi-Paxos consensus in the kernel.
 *
 * Module entry point: brings the subsystems up in order and tears them down
 * in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>

static int __init paxos_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit paxos_exit(void)
{
	pr_info("unloaded\n");
}

module_init(paxos_init);
module_exit(paxos_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Multi-Paxos consensus over UDP");
MODULE_AUTHOR("The paxos developers");
