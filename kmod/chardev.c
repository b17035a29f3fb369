// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: /dev/paxos.
 *
 * An open file is bound to one group of the opener's network namespace (the
 * only one there, or the one chosen with PAXOS_IOC_BIND).  write() proposes
 * its whole buffer as one value and blocks until it is learned here; read()
 * returns one learned value per call, the file position being the slot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/net_namespace.h>
#include <uapi/linux/paxos_dev.h>

#include "runtime.h"

/**
 * struct paxos_file - an open /dev/paxos
 * @net: the opener's network namespace
 * @lock: protects @group and the file position against concurrent calls
 * @group: the bound group, or NULL
 * @acct: what this file has in flight
 */
struct paxos_file {
	struct net *net;
	struct mutex lock;	/* protects group */
	struct paxos_group *group;
	struct paxos_file_acct *acct;
};

static u64 paxos_first_slot(struct paxos_group *g)
{
	u64 slot = 1;

	mutex_lock(&g->lock);
	if (g->core)
		slot = paxos_core_first_retained(g->core);
	mutex_unlock(&g->lock);
	return slot ?: 1;
}

static void paxos_file_bind(struct file *file, struct paxos_group *g)
{
	struct paxos_file *pf = file->private_data;

	paxos_group_put(pf->group);
	pf->group = g;
	file->f_pos = paxos_first_slot(g);
}

static int paxos_dev_open(struct inode *inode, struct file *file)
{
	struct paxos_file *pf;
	struct paxos_group *g;
	u32 count;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pf->acct = kzalloc(sizeof(*pf->acct), GFP_KERNEL);
	if (!pf->acct) {
		kfree(pf);
		return -ENOMEM;
	}
	kref_init(&pf->acct->ref);
	mutex_init(&pf->lock);
	pf->net = get_net(current->nsproxy->net_ns);
	file->private_data = pf;
	g = paxos_group_only(pf->net, &count);
	if (g)
		paxos_file_bind(file, g);
	return 0;
}

static int paxos_dev_release(struct inode *inode, struct file *file)
{
	struct paxos_file *pf = file->private_data;

	paxos_group_put(pf->group);
	paxos_file_acct_put(pf->acct);
	put_net(pf->net);
	kfree(pf);
	return 0;
}

/* The bound group, referenced, or NULL. */
static struct paxos_group *paxos_file_group(struct paxos_file *pf)
{
	struct paxos_group *g;

	mutex_lock(&pf->lock);
	g = pf->group;
	if (g)
		kref_get(&g->ref);
	mutex_unlock(&pf->lock);
	return g;
}

static ssize_t paxos_dev_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_slot_info si;
	struct paxos_group *g;
	size_t size;
	void *kbuf;
	u64 slot;
	int len;

	g = paxos_file_group(pf);
	if (!g)
		return -ENOTCONN;
	size = min_t(size_t, count, g->p.max_value_size);
	kbuf = kvmalloc(size ?: 1, GFP_KERNEL);
	if (!kbuf) {
		len = -ENOMEM;
		goto out;
	}
	slot = *ppos;
	for (;;) {
		mutex_lock(&g->lock);
		if (!g->core) {
			mutex_unlock(&g->lock);
			len = -ENOTCONN;
			break;
		}
		if (slot < paxos_core_first_retained(g->core))
			slot = paxos_core_first_retained(g->core);
		len = paxos_core_read(g->core, slot, kbuf, size, &si);
		mutex_unlock(&g->lock);

		if (len == -EAGAIN) {
			if (file->f_flags & O_NONBLOCK)
				break;
			if (wait_event_interruptible(g->wq,
						     READ_ONCE(g->dead) ||
						     READ_ONCE(g->learned) >= slot)) {
				len = -ERESTARTSYS;
				break;
			}
			continue;
		}
		if (len == -ENOENT)	/* trimmed meanwhile: move on */
			continue;
		if (len < 0)		/* -EMSGSIZE: nothing consumed */
			break;
		if (si.kind != PAXOS_DELIVER_VALUE) {
			slot++;		/* no-ops are not for readers */
			continue;
		}
		if (copy_to_user(buf, kbuf, len)) {
			len = -EFAULT;
			break;
		}
		slot++;
		break;
	}
	/* Skipped no-ops and trimmed slots stay skipped. */
	*ppos = slot;
	kvfree(kbuf);
out:
	paxos_group_put(g);
	return len;
}

static ssize_t paxos_dev_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_group *g;
	struct paxos_req *req;
	void *kbuf;
	u64 slot;
	int err;

	g = paxos_file_group(pf);
	if (!g)
		return -ENOTCONN;
	if (!count) {
		err = -EINVAL;
		goto out;
	}
	if (count > g->p.max_value_size) {
		err = -EMSGSIZE;
		goto out;
	}
	kbuf = vmemdup_user(buf, count);
	if (IS_ERR(kbuf)) {
		err = PTR_ERR(kbuf);
		goto out;
	}
	req = paxos_req_submit(g, kbuf, count, file->f_flags & O_NONBLOCK,
			       pf->acct, NULL, NULL);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out;
	}
	err = 0;
	if (!(file->f_flags & O_NONBLOCK))
		err = paxos_req_wait(req, &slot);
	paxos_req_put(req);
out:
	paxos_group_put(g);
	return err ?: count;
}

static loff_t paxos_dev_llseek(struct file *file, loff_t offset, int whence)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_group *g;
	loff_t pos;

	g = paxos_file_group(pf);
	if (!g)
		return -ENOTCONN;
	switch (whence) {
	case SEEK_SET:
		pos = offset;
		break;
	case SEEK_CUR:
		pos = file->f_pos + offset;
		break;
	case SEEK_END:
		pos = READ_ONCE(g->learned) + 1 + offset;
		break;
	default:
		pos = -EINVAL;
	}
	paxos_group_put(g);
	if (pos < 0)
		return -EINVAL;
	file->f_pos = pos;
	return pos;
}

static __poll_t paxos_dev_poll(struct file *file, poll_table *wait)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_group *g;
	__poll_t mask = 0;

	g = paxos_file_group(pf);
	if (!g)
		return EPOLLERR | EPOLLHUP;
	poll_wait(file, &g->wq, wait);
	if (READ_ONCE(g->dead)) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		if (READ_ONCE(g->learned) >= file->f_pos)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (atomic_read(&g->inflight) < g->p.queue_len &&
		    atomic_read(&pf->acct->inflight) < PAXOS_FILE_QUEUE_LEN)
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	paxos_group_put(g);
	return mask;
}

static long paxos_dev_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	struct paxos_file *pf = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct paxos_group *g;
	u64 v64;
	u32 id;

	switch (cmd) {
	case PAXOS_IOC_BIND:
		if (get_user(id, (u32 __user *)uarg))
			return -EFAULT;
		if (!id)
			return -EINVAL;
		g = paxos_group_get(pf->net, id);
		if (!g)
			return -ENOENT;
		mutex_lock(&pf->lock);
		paxos_file_bind(file, g);
		mutex_unlock(&pf->lock);
		return 0;
	case PAXOS_IOC_GET_GROUP:
		g = paxos_file_group(pf);
		if (!g)
			return -ENOTCONN;
		id = g->p.id;
		paxos_group_put(g);
		return put_user(id, (u32 __user *)uarg);
	case PAXOS_IOC_LAST_SLOT:
		v64 = atomic64_read(&pf->acct->last_slot);
		return put_user(v64, (u64 __user *)uarg);
	case PAXOS_IOC_NEXT_SLOT:
		g = paxos_file_group(pf);
		if (!g)
			return -ENOTCONN;
		v64 = READ_ONCE(g->learned) + 1;
		paxos_group_put(g);
		return put_user(v64, (u64 __user *)uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations paxos_dev_fops = {
	.owner = THIS_MODULE,
	.open = paxos_dev_open,
	.release = paxos_dev_release,
	.read = paxos_dev_read,
	.write = paxos_dev_write,
	.llseek = paxos_dev_llseek,
	.poll = paxos_dev_poll,
	.unlocked_ioctl = paxos_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice paxos_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "paxos",
	.fops = &paxos_dev_fops,
	.mode = 0600,
};

/**
 * paxos_chardev_init() - register /dev/paxos
 *
 * Return: 0 or a negative errno.
 */
int paxos_chardev_init(void)
{
	return misc_register(&paxos_miscdev);
}

/**
 * paxos_chardev_exit() - unregister /dev/paxos
 */
void paxos_chardev_exit(void)
{
	misc_deregister(&paxos_miscdev);
}
