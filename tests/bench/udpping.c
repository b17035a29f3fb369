// SPDX-License-Identifier: GPL-2.0
/*
 * udpping: UDP request/response round trips, the yardstick for commit
 * latencies (under TCG only ratios to it mean anything).
 *
 *   udpping server [-p PORT] [-t IDLE_SEC]
 *   udpping client [-p PORT] [-n COUNT] [-s REQ_BYTES] [-r RESP_BYTES]
 *                  [-w THREADS] [-j] ADDR [ADDR...]
 *
 * The default sizes are those of a Multi-Paxos accept carrying one 64-byte
 * value (header 28 + accept 32 + entry 56 + value 64 + envelope 44 = 224)
 * and its accepted answer (28 + 32 + 44 = 104).  The server answers every
 * request with RESP_BYTES (the first byte of the request says how many, so
 * one server serves any client) and exits after IDLE_SEC without requests.
 * With -w, THREADS clients (each its own socket) run closed loops at once
 * against the one-thread server: the round trips per second a VM does with
 * no consensus and no sealing, the ceiling for as many closed-loop writers.
 *
 * With several ADDRs each request goes to every one of them (one server
 * each), and the round trip ends with the first answer: the shape of a
 * Multi-Paxos leader's Accept to the other voters, of which the first
 * Accepted commits.  Requests carry a sequence number, so the later answers
 * to an earlier request are told apart and dropped.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>

#define MAX_DGRAM	65507
#define WARMUP		100

static int port = 9000;
static unsigned int count = 2000;
static unsigned int req_size = 224, resp_size = 104;
static int idle_sec = 60;
static bool json;
static unsigned int threads = 1;
#define MAX_ADDRS	8
static struct sockaddr_in addrs[MAX_ADDRS];
static unsigned int nr_addrs;

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static int run_server(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = idle_sec };
	static unsigned char buf[MAX_DGRAM];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("udpping: listening socket");
		return 1;
	}
	for (;;) {
		struct sockaddr_in peer;
		socklen_t plen = sizeof(peer);
		ssize_t n = recvfrom(s, buf, sizeof(buf), 0,
				     (struct sockaddr *)&peer, &plen);
		size_t len;

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;	/* idle: done */
		if (n < 4)
			continue;
		len = (size_t)buf[0] << 24 | (size_t)buf[1] << 16 |
		      (size_t)buf[2] << 8 | buf[3];
		if (len < 4 || len > MAX_DGRAM)
			len = n;
		sendto(s, buf, len, 0, (struct sockaddr *)&peer, plen);
	}
}

struct client {
	__u64 *rtt;		/* count slots */
	unsigned int got, lost;
	__u64 sum, t_start, t_end;	/* after the warm-up, and at the end */
	int err;
};

static void *client_loop(void *arg)
{
	struct client *c = arg;
	struct timeval tv = { .tv_sec = 2 };
	unsigned char *buf, *in;
	unsigned int i;
	int s;

	buf = malloc(req_size);
	in = malloc(MAX_DGRAM);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (!buf || !in || s < 0 ||
	    (nr_addrs == 1 &&
	     connect(s, (struct sockaddr *)&addrs[0], sizeof(addrs[0]))) ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("udpping: socket");
		c->err = 1;
		free(buf);
		free(in);
		return NULL;
	}
	memset(buf, 'p', req_size);
	buf[0] = resp_size >> 24;
	buf[1] = resp_size >> 16;
	buf[2] = resp_size >> 8;
	buf[3] = resp_size;
	for (i = 0; i < count + WARMUP; i++) {
		__u64 t0 = now_ns(), t1;
		unsigned int a;
		ssize_t n;

		if (i == WARMUP)
			c->t_start = t0;
		memcpy(buf + 4, &i, sizeof(i));	/* request size >= 8 */
		for (a = 0; a < nr_addrs; a++) {
			if (sendto(s, buf, req_size, 0,
				   nr_addrs == 1 ? NULL : (struct sockaddr *)&addrs[a],
				   nr_addrs == 1 ? 0 : sizeof(addrs[a])) !=
			    (ssize_t)req_size) {
				perror("udpping: send");
				c->err = 1;
				break;
			}
		}
		if (c->err)
			break;
		/* The first answer to this request (a late one to an earlier is dropped). */
		do
			n = recv(s, in, MAX_DGRAM, 0);
		while (n >= 8 && memcmp(in + 4, &i, sizeof(i)));
		t1 = now_ns();
		if (n < 0) {
			if (++c->lost > 10) {
				fprintf(stderr, "udpping: no answer from %s:%d\n",
					inet_ntoa(addrs[0].sin_addr), port);
				c->err = 1;
				break;
			}
			continue;
		}
		if (i >= WARMUP) {
			c->rtt[c->got++] = (t1 - t0) / 1000;
			c->sum += (t1 - t0) / 1000;
		}
	}
	c->t_end = now_ns();
	free(buf);
	free(in);
	close(s);
	return NULL;
}

static int run_client(void)
{
	unsigned long long p50, p90, p99, max;
	unsigned int i, got = 0, lost = 0;
	__u64 *rtt, sum = 0, t0 = ~0ull, t1 = 0;
	struct client *cl;
	pthread_t *tid;
	double rate;
	int err = 0;

	cl = calloc(threads, sizeof(*cl));
	tid = calloc(threads, sizeof(*tid));
	rtt = calloc((size_t)count * threads, sizeof(*rtt));
	if (!cl || !tid || !rtt) {
		perror("udpping");
		return 1;
	}
	for (i = 0; i < threads; i++) {
		cl[i].rtt = rtt + (size_t)count * i;
		if (pthread_create(&tid[i], NULL, client_loop, &cl[i])) {
			perror("udpping: pthread_create");
			return 1;
		}
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		err |= cl[i].err;
		lost += cl[i].lost;
		sum += cl[i].sum;
		if (cl[i].t_start && cl[i].t_start < t0)
			t0 = cl[i].t_start;
		if (cl[i].t_end > t1)
			t1 = cl[i].t_end;
		/* Pack the samples together. */
		memmove(rtt + got, cl[i].rtt, cl[i].got * sizeof(*rtt));
		got += cl[i].got;
	}
	if (err || !got)
		return 1;
	qsort(rtt, got, sizeof(*rtt), cmp_u64);
	p50 = rtt[got / 2];
	p90 = rtt[got * 90 / 100];
	p99 = rtt[got * 99 / 100];
	max = rtt[got - 1];
	rate = t1 > t0 ? got * 1e9 / (double)(t1 - t0) : 0;
	if (json) {
		printf("{\"count\": %u, \"lost\": %u, \"threads\": %u, ", got,
		       lost, threads);
		printf("\"servers\": %u, ", nr_addrs);
		printf("\"req_bytes\": %u, \"resp_bytes\": %u, ",
		       req_size, resp_size);
		printf("\"per_s\": %.0f, ", rate);
		printf("\"rtt_us\": {\"p50\": %llu, \"p90\": %llu, ", p50, p90);
		printf("\"p99\": %llu, \"max\": %llu, \"mean\": %.1f}}\n",
		       p99, max, (double)sum / got);
	} else {
		printf("%u round trips (%u+%u bytes, %u threads, %u servers), %u lost, %.0f/s: ",
		       got, req_size, resp_size, threads, nr_addrs, lost, rate);
		printf("p50 %llu us, p90 %llu us, p99 %llu us, max %llu us, mean %.1f us\n",
		       p50, p90, p99, max, (double)sum / got);
	}
	free(rtt);
	free(cl);
	free(tid);
	return 0;
}

static void print_usage(FILE *f)
{
	fputs("Usage: udpping server [-p PORT] [-t IDLE_SEC]\n"
	      "       udpping client [-p PORT] [-n COUNT] [-s REQ_BYTES] [-r RESP_BYTES]\n"
	      "                      [-w THREADS] [-j] ADDR [ADDR...]\n"
	      "UDP request/response round trips (IPv4).  The client sends COUNT\n"
	      "requests one at a time (after 100 unmeasured ones) and prints the\n"
	      "round-trip percentiles in us and the round trips per second; -j as\n"
	      "JSON.  -w: THREADS such clients at once, each with its own socket\n"
	      "(COUNT each).  With several ADDRs (up to 8) each request goes to\n"
	      "all, and the first answer ends its round trip.  Defaults: port 9000, 1 thread, 2000 requests of 224\n"
	      "bytes answered with 104 (a Multi-Paxos accept of a 64-byte value\n"
	      "and its answer, sealed).  The server exits after IDLE_SEC (default\n"
	      "60) without a request.\n",
	      f);
}

int main(int argc, char **argv)
{
	bool is_server;
	int c;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		print_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "server")) {
		is_server = true;
	} else if (!strcmp(argv[1], "client")) {
		is_server = false;
	} else {
		print_usage(stderr);
		return 2;
	}
	optind = 2;
	while ((c = getopt(argc, argv, "p:n:s:r:t:w:jh")) != -1) {
		switch (c) {
		case 'p':
			port = atoi(optarg);
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			req_size = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			resp_size = strtoul(optarg, NULL, 0);
			break;
		case 't':
			idle_sec = atoi(optarg);
			break;
		case 'w':
			threads = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (port < 1 || port > 65535 || !count || req_size < 8 ||
	    req_size > MAX_DGRAM || resp_size < 8 || resp_size > MAX_DGRAM ||
	    !threads || threads > 1024 ||
	    idle_sec < 1) {
		print_usage(stderr);
		return 2;
	}
	if (is_server)
		return optind == argc ? run_server() : (print_usage(stderr), 2);
	if (optind == argc || argc - optind > MAX_ADDRS) {
		print_usage(stderr);
		return 2;
	}
	for (; optind < argc; optind++, nr_addrs++) {
		addrs[nr_addrs].sin_family = AF_INET;
		addrs[nr_addrs].sin_port = htons(port);
		if (inet_pton(AF_INET, argv[optind],
			      &addrs[nr_addrs].sin_addr) != 1) {
			fprintf(stderr, "udpping: bad address %s\n", argv[optind]);
			return 2;
		}
	}
	return run_client();
}
