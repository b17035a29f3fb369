// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: /dev/paxos.
 *
 * An open file is bound to one group of the opener's network namespace (the
 * only one there, or the one chosen with PAXOS_IOC_BIND).  write() proposes
 * its whole buffer as one value and blocks until it is learned here; read()
 * returns one learned value per call, the file position being the slot.
 *
 * poll() waits on the file's own wait queue, which lives as long as the
 * file: a poller (epoll above all, which keeps its entry until the file is
 * closed) never waits on a group's, which a rebinding file stops holding.
 * The file forwards its group's wake-ups to it through an entry on the
 * group's wait queue, moved at every bind and removed at release, while
 * the file still holds the group.
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
 * @lock: protects @group, the file position against binds, and the
 *	interrupted write (@retry_req, @retry_value, @retry_len)
 * @group: the bound group, or NULL
 * @acct: what this file has in flight
 * @wq: pollers of this file
 * @group_wait: our entry on @group's wait queue, forwarding to @wq
 * @retry_req: the proposal of the last blocking write that a signal
 *	interrupted after queueing it, in @group; the next blocking write of
 *	the same bytes waits for it instead of proposing them again
 * @retry_value: the bytes of that write
 * @retry_len: their length
 */
struct paxos_file {
	struct net *net;
	struct mutex lock;	/* protects group, retry_* */
	struct paxos_group *group;
	struct paxos_file_acct *acct;
	wait_queue_head_t wq;
	struct wait_queue_entry group_wait;
	struct paxos_req *retry_req;
	void *retry_value;
	size_t retry_len;
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

/* Whatever wakes the group's sleepers wakes this file's pollers. */
static int paxos_file_wake(struct wait_queue_entry *wait, unsigned int mode,
			   int sync, void *key)
{
	struct paxos_file *pf = container_of(wait, struct paxos_file,
					     group_wait);

	wake_up_interruptible_all(&pf->wq);
	return 0;
}

static void paxos_file_drop_retry(struct paxos_file *pf)
{
	if (pf->retry_req)
		paxos_req_put(pf->retry_req);
	kvfree(pf->retry_value);
	pf->retry_req = NULL;
	pf->retry_value = NULL;
	pf->retry_len = 0;
}

/* Bind to @g, whose reference passes to the file.  Under pf->lock. */
static void paxos_file_bind(struct file *file, struct paxos_group *g)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_group *old = pf->group;

	paxos_file_drop_retry(pf);
	if (old)
		remove_wait_queue(&old->wq, &pf->group_wait);
	add_wait_queue(&g->wq, &pf->group_wait);
	pf->group = g;
	file->f_pos = paxos_first_slot(g);
	paxos_group_put(old);
	/* Pollers look again, at the new group. */
	wake_up_interruptible_all(&pf->wq);
}

static int paxos_dev_open(struct inode *inode, struct file *file)
{
	struct paxos_file *pf;
	struct paxos_group *g;
	u32 count;

	pf = kzalloc(sizeof(*pf), PAXOS_GFP);
	if (!pf)
		return -ENOMEM;
	pf->acct = kzalloc(sizeof(*pf->acct), PAXOS_GFP);
	if (!pf->acct) {
		kfree(pf);
		return -ENOMEM;
	}
	kref_init(&pf->acct->ref);
	mutex_init(&pf->lock);
	init_waitqueue_head(&pf->wq);
	init_waitqueue_func_entry(&pf->group_wait, paxos_file_wake);
	pf->net = get_net(current->nsproxy->net_ns);
	file->private_data = pf;
	g = paxos_group_only(pf->net, &count);
	if (g) {
		mutex_lock(&pf->lock);
		paxos_file_bind(file, g);
		mutex_unlock(&pf->lock);
	}
	return 0;
}

static int paxos_dev_release(struct inode *inode, struct file *file)
{
	struct paxos_file *pf = file->private_data;

	paxos_file_drop_retry(pf);
	if (pf->group) {
		remove_wait_queue(&pf->group->wq, &pf->group_wait);
		paxos_group_put(pf->group);
	}
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

/*
 * A reader whose position was trimmed away (it fell behind the retention,
 * or this node skipped those slots) gets EPIPE once, as a /dev/kmsg reader
 * that was overrun does, and its position moves to the first retained
 * slot, where the next read continues: a gap is never silent.  Position 0
 * is not a slot: it means "from the first retained one", without an error.
 */
static ssize_t paxos_dev_read(struct file *file, char __user *buf,
			      size_t count, loff_t *ppos)
{
	struct paxos_file *pf = file->private_data;
	struct paxos_slot_info si;
	struct paxos_group *g;
	u64 slot, first;
	size_t size;
	void *kbuf;
	int len;

	g = paxos_file_group(pf);
	if (!g)
		return -ENOTCONN;
	size = min_t(size_t, count, g->p.max_value_size);
	kbuf = kvmalloc(size ?: 1, PAXOS_GFP);
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
		first = paxos_core_first_retained(g->core);
		if (!slot)
			slot = first;
		if (slot < first) {
			mutex_unlock(&g->lock);
			slot = first;
			len = -EPIPE;
			break;
		}
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
		if (len == -ENOENT) {	/* a hole in the retained log */
			slot++;
			len = -EPIPE;
			break;
		}
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
	/*
	 * Skipped no-ops stay skipped.  After EPIPE the next read continues
	 * at the first retained slot: read(2) stores *ppos back only on
	 * success, so move the file position here.
	 */
	*ppos = slot;
	if (len == -EPIPE)
		file->f_pos = slot;
	kvfree(kbuf);
out:
	paxos_group_put(g);
	return len;
}

/*
 * The proposal of the interrupted blocking write this one repeats, if it
 * is one: same file, same group, same bytes.  Any other blocking write
 * forgets the interrupted one (which goes on, and may still be learned).
 */
static struct paxos_req *paxos_file_take_retry(struct paxos_file *pf,
					       struct paxos_group *g,
					       const void *value, size_t len)
{
	struct paxos_req *req = NULL;

	mutex_lock(&pf->lock);
	if (pf->retry_req && pf->group == g && pf->retry_len == len &&
	    !memcmp(pf->retry_value, value, len)) {
		req = pf->retry_req;
		pf->retry_req = NULL;
	}
	paxos_file_drop_retry(pf);
	mutex_unlock(&pf->lock);
	return req;
}

/*
 * A signal interrupted a blocking write after its value was queued: keep
 * the proposal (the caller's reference passes to the file) with a copy of
 * the bytes, so that the write repeated after the signal (by the program,
 * or by the kernel under SA_RESTART) waits for it instead of proposing the
 * value a second time.
 *
 * Return: -ERESTARTSYS when kept, -EINTR when it could not be (no memory,
 * or the file was rebound meanwhile): a repeated write then proposes again.
 */
static int paxos_file_keep_retry(struct paxos_file *pf, struct paxos_group *g,
				 struct paxos_req *req,
				 const char __user *buf, size_t len)
{
	void *value = vmemdup_user(buf, len);

	if (IS_ERR(value)) {
		paxos_req_put(req);
		return -EINTR;
	}
	mutex_lock(&pf->lock);
	if (pf->group != g) {
		mutex_unlock(&pf->lock);
		kvfree(value);
		paxos_req_put(req);
		return -EINTR;
	}
	paxos_file_drop_retry(pf);
	pf->retry_req = req;
	pf->retry_value = value;
	pf->retry_len = len;
	mutex_unlock(&pf->lock);
	return -ERESTARTSYS;
}

static ssize_t paxos_dev_write(struct file *file, const char __user *buf,
			       size_t count, loff_t *ppos)
{
	struct paxos_file *pf = file->private_data;
	bool nonblock = file->f_flags & O_NONBLOCK;
	struct paxos_req *req = NULL;
	struct paxos_group *g;
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
	/* Not vmemdup_user(): the copy is charged to the writer's cgroup. */
	kbuf = kvmalloc(count, PAXOS_GFP);
	if (!kbuf) {
		err = -ENOMEM;
		goto out;
	}
	if (copy_from_user(kbuf, buf, count)) {
		kvfree(kbuf);
		err = -EFAULT;
		goto out;
	}
	if (!nonblock)
		req = paxos_file_take_retry(pf, g, kbuf, count);
	if (req) {
		kvfree(kbuf);
	} else {
		req = paxos_req_submit(g, kbuf, count, PAXOS_SUBMIT_FLUSH |
				       (nonblock ? PAXOS_SUBMIT_NONBLOCK : 0),
				       pf->acct, NULL, NULL);
		if (IS_ERR(req)) {
			err = PTR_ERR(req);
			/* Nothing was queued: restarting is harmless. */
			if (err == -EINTR)
				err = -ERESTARTSYS;
			goto out;
		}
		/* No worker wakeup: see paxos_group_submitted(). */
		paxos_group_submitted(g);
	}
	err = 0;
	if (!nonblock) {
		err = paxos_req_wait_running(req, &slot);
		if (err == -EINTR) {
			err = paxos_file_keep_retry(pf, g, req, buf, count);
			goto out;
		}
		/*
		 * This write's slot, set as it returns: an earlier write that
		 * timed out may still be learned later, and must not move it.
		 */
		if (!err)
			atomic64_set(&pf->acct->last_slot, slot);
	}
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

	poll_wait(file, &pf->wq, wait);
	g = paxos_file_group(pf);
	if (!g)
		return EPOLLERR | EPOLLHUP;
	if (READ_ONCE(g->dead)) {
		mask = EPOLLHUP | EPOLLERR;
	} else {
		/* A trimmed position is readable too: read() fails with EPIPE. */
		if (READ_ONCE(g->learned) >= max_t(loff_t, file->f_pos, 1))
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

/*
 * A fixed minor, so that /dev/paxos can exist before the module is loaded
 * and opening it loads the module, as /dev/net/tun does: depmod writes the
 * devname alias below to modules.devname, "kmod static-nodes" (run at boot
 * by systemd's kmod-static-nodes.service) makes the node, and misc_open()
 * asks for char-major-10-247.  A dynamic minor cannot do that.  247 is in
 * 243-254, "reserved for local use" in Documentation/admin-guide/devices.txt
 * (no in-tree misc driver takes one), above the minors 6.1 hands out
 * dynamically (0-127) and below those 6.12 does (256 and up).
 */
#define PAXOS_MISC_MINOR	247

static struct miscdevice paxos_miscdev = {
	.minor = PAXOS_MISC_MINOR,
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

MODULE_ALIAS_MISCDEV(PAXOS_MISC_MINOR);
MODULE_ALIAS("devname:paxos");
