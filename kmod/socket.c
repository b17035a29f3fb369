// SPDX-License-Identifier: GPL-2.0
/*
 * paxos: the UDP transport.
 *
 * One kernel UDP socket per group, IPv4 or IPv6, bound to the group's listen
 * address in the group's namespace.  Datagrams arrive in encap_rcv, in
 * softirq: they are only queued there, and the group's worker processes them.
 * Datagrams leave from the worker, in process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>
#include <net/udp_tunnel.h>

#include "runtime.h"

/*
 * encap_rcv: called for every datagram to our port, in softirq, with the
 * UDP header at skb->data.  Return values: 0 = we consumed the skb;
 * > 0 = hand it back to the UDP stack as a normal datagram (never wanted
 * here: nobody reads the socket from userspace).
 */
static int paxos_udp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct paxos_group *g;

	rcu_read_lock_bh();
	g = rcu_dereference_sk_user_data(sk);
	if (likely(g))
		paxos_group_rx(g, skb);
	else
		kfree_skb(skb);
	rcu_read_unlock_bh();
	return 0;
}

/**
 * paxos_socket_open() - create and bind the group's socket
 * @g: the group, with its listen address set
 *
 * Return: 0, or the error of udp_sock_create() (-EADDRINUSE, ...).
 */
int paxos_socket_open(struct paxos_group *g)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = g,
		.encap_type = 1,
		.encap_rcv = paxos_udp_encap_rcv,
	};
	struct udp_port_cfg pcfg = {};
	struct socket *sock;
	int err;

	if (g->p.listen.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (void *)&g->p.listen;

		pcfg.family = AF_INET6;
		pcfg.local_ip6 = a->sin6_addr;
		pcfg.local_udp_port = a->sin6_port;
		pcfg.ipv6_v6only = 1;
		pcfg.use_udp6_tx_checksums = 1;
		pcfg.use_udp6_rx_checksums = 1;
	} else {
		const struct sockaddr_in *a = (void *)&g->p.listen;

		pcfg.family = AF_INET;
		pcfg.local_ip = a->sin_addr;
		pcfg.local_udp_port = a->sin_port;
		pcfg.use_udp_checksums = 1;
	}
	err = udp_sock_create(g->net, &pcfg, &sock);
	if (err)
		return err;
	setup_udp_tunnel_sock(g->net, sock, &tcfg);
	g->sock = sock;
	return 0;
}

/*
 * Closing is udp_tunnel_sock_release() cut in two around its grace period,
 * so that one grace period serves many groups (a namespace's exit).
 */

/**
 * paxos_socket_stop() - stop handing datagrams to the group
 * @g: the group
 *
 * An encap_rcv that starts after this drops what it gets; one already
 * running may still hand @g a datagram until the next RCU grace period.
 */
void paxos_socket_stop(struct paxos_group *g)
{
	if (g->sock)
		rcu_assign_sk_user_data(g->sock->sk, NULL);
}

/**
 * paxos_socket_release() - close the socket
 * @g: the group, stopped with paxos_socket_stop() at least one RCU grace
 *	period ago, and whose worker no longer runs
 */
void paxos_socket_release(struct paxos_group *g)
{
	struct socket *sock = g->sock;

	if (!sock)
		return;
	g->sock = NULL;
	kernel_sock_shutdown(sock, SHUT_RDWR);
	sock_release(sock);
}

/**
 * paxos_socket_send() - send one datagram to a member
 * @g: the group
 * @dest: the member's node id
 * @buf: the core's message (sealed here in a keyed group)
 * @len: its length
 * @sealed: @buf is the message the last call sealed (a broadcast's next
 *	copy): send that envelope again instead of sealing anew
 *
 * Context: a pass of the group's work (g->pass_lock).
 * Return: 0, -ENOENT for an unknown member (nothing was sealed), or the
 * socket's error (also counted in the group's tx_errors).
 */
int paxos_socket_send(struct paxos_group *g, u32 dest, const void *buf,
		      u32 len, bool sealed)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct paxos_peer_state *ps = NULL;
	struct sockaddr_storage addr;
	struct paxos_peers *t;
	struct kvec iov;
	const void *dgram;
	u32 i, dlen;
	int ret;

	/* The member table follows the configuration: copy the address. */
	rcu_read_lock();
	t = rcu_dereference(g->peers);
	for (i = 0; t && i < t->nr; i++) {
		if (t->m[i].node_id == dest) {
			addr = t->m[i].addr;
			ps = &g->peer_state[t->m[i].state];
			break;
		}
	}
	rcu_read_unlock();
	if (!ps || !g->sock)
		return -ENOENT;
	if (sealed)
		paxos_auth_sealed(g, buf, len, &dgram, &dlen);
	else
		paxos_auth_seal(g, buf, len, &dgram, &dlen);
	iov.iov_base = (void *)dgram;
	iov.iov_len = dlen;
	msg.msg_name = &addr;
	msg.msg_namelen = addr.ss_family == AF_INET6 ?
			  sizeof(struct sockaddr_in6) :
			  sizeof(struct sockaddr_in);
	ret = kernel_sendmsg(g->sock, &msg, &iov, 1, dlen);
	if (ret < 0) {
		atomic64_inc(&g->stats.tx_errors);
		return ret;
	}
	/* Only the worker, which is us, rewrites the table and its state. */
	WRITE_ONCE(ps->tx_msgs, ps->tx_msgs + 1);
	atomic64_add(dlen, &g->stats.tx_bytes);
	return 0;
}
