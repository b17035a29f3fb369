// SPDX-License-Identifier: GPL-2.0
/*
 * loadgen: closed-loop load on /dev/paxos.
 *
 * N writer threads, each with its own open /dev/paxos bound to one group,
 * each writing unique values of one size back to back: a write returns once
 * its value is learned on this node, so every write is one commit latency.
 * Latencies go into a log-linear histogram (1/64 octave buckets); the run
 * ends after a duration or a count.  With --verify the local log is read
 * back afterwards and every acknowledged value must be in it exactly once,
 * byte for byte.
 *
 * Values are "lg<run>.<writer>.<seq>." followed by filler up to the size:
 * unique across writers and runs (the run id is random).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <linux/paxos_dev.h>

#define MIN_SIZE	40
#define MAX_SIZE	(60 * 1024)
#define SUB_BITS	6
#define SUB		64	/* 1 << SUB_BITS */
#define BUCKETS		(SUB + 58 * SUB)
#define MAX_ERRNO	256

struct hist {
	__u64 count;
	__u64 sum;
	__u64 max;
	__u64 bucket[BUCKETS];
};

struct trace_rec {
	__u64 done_us;		/* CLOCK_REALTIME at completion */
	__u32 lat_us;
	__u32 writer;
};

struct writer {
	pthread_t thread;
	unsigned int id;
	int fd;
	__u64 seq;		/* values issued */
	unsigned char *acked;	/* per seq: 1 acknowledged, 2 failed */
	size_t acked_cap;
	struct hist hist;	/* completions inside the measured window */
	__u64 errors[MAX_ERRNO];
	struct trace_rec *trace;
	size_t ntrace, trace_cap;
	char *buf;
	int fatal;		/* errno that stopped this writer, 0 if none */
};

static struct {
	unsigned int group;
	unsigned int writers;
	unsigned int size;
	double duration;
	double warmup;
	__u64 count;
	bool json;
	bool verify;
	const char *label;
	const char *trace;
	const char *device;
} opt = {
	.writers = 1,
	.size = 64,
	.duration = 5,
	.device = "/dev/paxos",
};

static __u32 run_id;
static __u64 claimed;		/* count mode: values handed out */
static int stop;
static __u64 window_start;	/* CLOCK_MONOTONIC ns; 0: not measuring yet */
static __u64 window_end;	/* ~0: still measuring */
static pthread_barrier_t ready;

static __u64 now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned int bucket_of(__u64 v)
{
	unsigned int e;

	if (v < SUB)
		return v;
	e = 63 - __builtin_clzll(v);
	if (e - SUB_BITS + 1 >= 58)
		return BUCKETS - 1;
	return SUB + (e - SUB_BITS) * SUB + ((v >> (e - SUB_BITS)) & (SUB - 1));
}

/* The middle of bucket b, in the histogram's unit. */
static double bucket_value(unsigned int b)
{
	unsigned int e;
	double lo, width;

	if (b < SUB)
		return b;
	e = (b - SUB) / SUB + SUB_BITS;
	width = (double)(1ull << (e - SUB_BITS));
	lo = (double)(1ull << e) + ((b - SUB) % SUB) * width;
	return lo + width / 2;
}

static void hist_add(struct hist *h, __u64 v)
{
	h->count++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	h->bucket[bucket_of(v)]++;
}

static void hist_merge(struct hist *to, const struct hist *from)
{
	unsigned int b;

	to->count += from->count;
	to->sum += from->sum;
	if (from->max > to->max)
		to->max = from->max;
	for (b = 0; b < BUCKETS; b++)
		to->bucket[b] += from->bucket[b];
}

/* Percentile p (0..100); never above the exact maximum. */
static double hist_pct(const struct hist *h, double p)
{
	__u64 want, seen = 0;
	unsigned int b;
	double v;

	if (!h->count)
		return 0;
	want = (__u64)(p / 100 * h->count + 0.5);
	if (want < 1)
		want = 1;
	for (b = 0; b < BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= want)
			break;
	}
	v = bucket_value(b);
	return v > h->max ? h->max : v;
}

static int make_value(char *buf, unsigned int writer, __u64 seq)
{
	int n = snprintf(buf, opt.size, "lg%08x.%u.%llu.", run_id, writer,
			 (unsigned long long)seq);

	if (n < 0 || (unsigned int)n >= opt.size)
		return -1;
	memset(buf + n, 'a' + seq % 26, opt.size - n);
	return 0;
}

static int note_ack(struct writer *w, __u64 seq, unsigned char state)
{
	if (!opt.verify)
		return 0;
	if (seq >= w->acked_cap) {
		size_t cap = w->acked_cap ? 2 * w->acked_cap : 1024;
		unsigned char *p = realloc(w->acked, cap);

		if (!p)
			return -1;
		memset(p + w->acked_cap, 0, cap - w->acked_cap);
		w->acked = p;
		w->acked_cap = cap;
	}
	w->acked[seq] = state;
	return 0;
}

static int note_trace(struct writer *w, __u64 lat_ns)
{
	struct trace_rec *r;

	if (!opt.trace)
		return 0;
	if (w->ntrace == w->trace_cap) {
		size_t cap = w->trace_cap ? 2 * w->trace_cap : 4096;

		r = realloc(w->trace, cap * sizeof(*r));
		if (!r)
			return -1;
		w->trace = r;
		w->trace_cap = cap;
	}
	r = &w->trace[w->ntrace++];
	r->done_us = now_ns(CLOCK_REALTIME) / 1000;
	r->lat_us = lat_ns / 1000 > 0xffffffffull ? 0xffffffffu : lat_ns / 1000;
	r->writer = w->id;
	return 0;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	pthread_barrier_wait(&ready);
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		__u64 seq = w->seq, t0, t1, ws, we;
		ssize_t n;

		if (opt.count &&
		    __atomic_fetch_add(&claimed, 1, __ATOMIC_RELAXED) >= opt.count)
			break;
		if (make_value(w->buf, w->id, seq)) {
			w->fatal = EMSGSIZE;
			break;
		}
		w->seq++;
		t0 = now_ns(CLOCK_MONOTONIC);
		n = write(w->fd, w->buf, opt.size);
		t1 = now_ns(CLOCK_MONOTONIC);
		if (n != (ssize_t)opt.size) {
			int err = n < 0 ? errno : EIO;

			w->errors[err < MAX_ERRNO ? err : 0]++;
			note_ack(w, seq, 2);
			if (err == ENOTCONN || err == EBADF || err == EINVAL ||
			    err == EMSGSIZE || err == ECONNREFUSED) {
				w->fatal = err;
				break;
			}
			continue;
		}
		if (note_ack(w, seq, 1) || note_trace(w, t1 - t0)) {
			w->fatal = ENOMEM;
			break;
		}
		ws = __atomic_load_n(&window_start, __ATOMIC_ACQUIRE);
		we = __atomic_load_n(&window_end, __ATOMIC_ACQUIRE);
		if (ws && t1 >= ws && t1 <= we)
			hist_add(&w->hist, (t1 - t0) / 1000);
	}
	return NULL;
}

static int open_bound(void)
{
	int fd = open(opt.device, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "loadgen: open %s: %s\n", opt.device,
			strerror(errno));
		return -1;
	}
	if (opt.group && ioctl(fd, PAXOS_IOC_BIND, &opt.group)) {
		fprintf(stderr, "loadgen: bind to group %u: %s\n", opt.group,
			strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void sleep_s(double s)
{
	struct timespec ts = {
		.tv_sec = (time_t)s,
		.tv_nsec = (long)((s - (time_t)s) * 1e9),
	};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct verdict {
	__u64 read;		/* values of this run found in the log */
	__u64 lost;		/* acknowledged, not in the log */
	__u64 duplicate;	/* in the log more than once */
	__u64 corrupt;		/* ours by prefix, wrong length or filler */
	__u64 unacked_in_log;	/* failed writes that were chosen anyway */
	__u64 trimmed;		/* EPIPE: part of the log was gone */
};

/* Returns 0 if the value is ours and in range, setting *writer and *seq. */
static int parse_value(const char *v, ssize_t len, unsigned int *writer,
		       __u64 *seq)
{
	char prefix[64];
	unsigned int run, wr;
	unsigned long long sq;
	int n, i;

	if (len < 3 || memcmp(v, "lg", 2))
		return 1;
	n = len < (ssize_t)sizeof(prefix) - 1 ? (int)len : (int)sizeof(prefix) - 1;
	memcpy(prefix, v, n);
	prefix[n] = 0;
	if (sscanf(prefix, "lg%8x.%u.%llu.%n", &run, &wr, &sq, &i) != 3 ||
	    run != run_id)
		return 1;
	*writer = wr;
	*seq = sq;
	return 0;
}

static int verify_log(struct writer *ws, struct verdict *vd)
{
	unsigned char **seen;
	char *buf, expect[MAX_SIZE];
	unsigned int i;
	int fd, ret = 0;

	memset(vd, 0, sizeof(*vd));
	seen = calloc(opt.writers, sizeof(*seen));
	buf = malloc(MAX_SIZE + 1);
	fd = open_bound();
	if (!seen || !buf || fd < 0) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < opt.writers; i++) {
		seen[i] = calloc(ws[i].acked_cap + 1, 1);
		if (!seen[i]) {
			ret = -1;
			goto out;
		}
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK)) {
		ret = -1;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf, MAX_SIZE + 1);
		unsigned int wr;
		__u64 seq;

		if (n < 0 && errno == EPIPE) {
			vd->trimmed++;
			continue;
		}
		if (!n || (n < 0 && errno == EAGAIN))
			break;
		if (n < 0) {
			fprintf(stderr, "loadgen: verify: read: %s\n",
				strerror(errno));
			ret = -1;
			goto out;
		}
		if (parse_value(buf, n, &wr, &seq))
			continue;
		vd->read++;
		if (wr >= opt.writers || seq >= ws[wr].seq ||
		    n != (ssize_t)opt.size || make_value(expect, wr, seq) ||
		    memcmp(buf, expect, n)) {
			vd->corrupt++;
			continue;
		}
		if (seen[wr][seq]++)
			vd->duplicate++;
		else if (ws[wr].acked[seq] != 1)
			vd->unacked_in_log++;
	}
	for (i = 0; i < opt.writers; i++) {
		__u64 s;

		for (s = 0; s < ws[i].seq; s++)
			if (ws[i].acked[s] == 1 && !seen[i][s])
				vd->lost++;
	}
out:
	if (fd >= 0)
		close(fd);
	if (seen)
		for (i = 0; i < opt.writers; i++)
			free(seen[i]);
	free(seen);
	free(buf);
	return ret;
}

static int trace_cmp(const void *a, const void *b)
{
	const struct trace_rec *x = a, *y = b;

	return x->done_us < y->done_us ? -1 : x->done_us > y->done_us;
}

static int write_trace(struct writer *ws)
{
	struct trace_rec *all;
	size_t n = 0, i;
	FILE *f;

	for (i = 0; i < opt.writers; i++)
		n += ws[i].ntrace;
	all = malloc((n + 1) * sizeof(*all));
	f = fopen(opt.trace, "w");
	if (!all || !f) {
		fprintf(stderr, "loadgen: trace %s: %s\n", opt.trace,
			strerror(errno));
		free(all);
		if (f)
			fclose(f);
		return -1;
	}
	n = 0;
	for (i = 0; i < opt.writers; i++) {
		memcpy(all + n, ws[i].trace, ws[i].ntrace * sizeof(*all));
		n += ws[i].ntrace;
	}
	qsort(all, n, sizeof(*all), trace_cmp);
	fputs("# done_realtime_us latency_us writer\n", f);
	for (i = 0; i < n; i++)
		fprintf(f, "%llu %u %u\n", (unsigned long long)all[i].done_us,
			all[i].lat_us, all[i].writer);
	free(all);
	return fclose(f) ? -1 : 0;
}

static void print_usage(FILE *f)
{
	fprintf(f,
		"Usage: loadgen [options]\n"
		"Closed-loop writers on /dev/paxos: each thread opens its own file,\n"
		"writes a unique value, waits for it to be learned, and repeats.\n"
		"\n"
		"  -g, --group ID       bind every file to group ID (default: the\n"
		"                       only group of this network namespace)\n"
		"  -w, --writers N      writer threads (default 1)\n"
		"  -s, --size BYTES     value size, %d..%d (default 64)\n"
		"  -d, --duration SEC   measure for SEC seconds (default 5)\n"
		"  -W, --warmup SEC     write for SEC seconds before measuring\n"
		"  -n, --count N        write N values in all, measuring all of\n"
		"                       them, instead of a duration\n"
		"  -j, --json           print one JSON object instead of text\n"
		"  -l, --label TEXT     name the run in the JSON output\n"
		"  -t, --trace FILE     write the completion time (CLOCK_REALTIME\n"
		"                       us), latency (us) and writer of every\n"
		"                       acknowledged value to FILE\n"
		"  -v, --verify         afterwards read this node's log and check\n"
		"                       that every acknowledged value is in it\n"
		"                       exactly once (the retention must hold them)\n"
		"  -D, --device PATH    default /dev/paxos\n"
		"  -h, --help\n"
		"\n"
		"Exit status: 0, or 1 if a write failed or verification found a\n"
		"lost, duplicated or corrupted value; 2 for bad usage.\n",
		MIN_SIZE, MAX_SIZE);
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "writers", required_argument, NULL, 'w' },
		{ "size", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "count", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "label", required_argument, NULL, 'l' },
		{ "trace", required_argument, NULL, 't' },
		{ "verify", no_argument, NULL, 'v' },
		{ "device", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "g:w:s:d:W:n:jl:t:vD:h", longopts,
				NULL)) != -1) {
		errno = 0;
		end = NULL;
		switch (c) {
		case 'g':
			opt.group = strtoul(optarg, &end, 0);
			break;
		case 'w':
			opt.writers = strtoul(optarg, &end, 0);
			break;
		case 's':
			opt.size = strtoul(optarg, &end, 0);
			break;
		case 'd':
			opt.duration = strtod(optarg, &end);
			break;
		case 'W':
			opt.warmup = strtod(optarg, &end);
			break;
		case 'n':
			opt.count = strtoull(optarg, &end, 0);
			break;
		case 'j':
			opt.json = true;
			break;
		case 'l':
			opt.label = optarg;
			break;
		case 't':
			opt.trace = optarg;
			break;
		case 'v':
			opt.verify = true;
			break;
		case 'D':
			opt.device = optarg;
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			return -1;
		}
		if (end && (*end || errno || end == optarg)) {
			fprintf(stderr, "loadgen: bad number '%s'\n", optarg);
			return -1;
		}
	}
	if (optind != argc || opt.writers < 1 || opt.writers > 4096 ||
	    opt.size < MIN_SIZE || opt.size > MAX_SIZE || opt.duration <= 0 ||
	    opt.warmup < 0) {
		print_usage(stderr);
		return -1;
	}
	return 0;
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void report(struct writer *ws, double secs, const struct verdict *vd)
{
	struct hist *h = calloc(1, sizeof(*h));
	__u64 errs[MAX_ERRNO] = { 0 }, nerr = 0;
	unsigned int i, e;
	const char *sep = "";

	if (!h)
		return;
	for (i = 0; i < opt.writers; i++) {
		hist_merge(h, &ws[i].hist);
		for (e = 0; e < MAX_ERRNO; e++) {
			errs[e] += ws[i].errors[e];
			nerr += ws[i].errors[e];
		}
	}
	if (!opt.json) {
		printf("%u writers, %u-byte values: %llu values in %.2f s = %.0f values/s\n"
		       "latency us: p50 %.0f  p90 %.0f  p99 %.0f  max %llu  mean %.0f\n",
		       opt.writers, opt.size, (unsigned long long)h->count, secs,
		       h->count / secs, hist_pct(h, 50), hist_pct(h, 90),
		       hist_pct(h, 99), (unsigned long long)h->max,
		       h->count ? (double)h->sum / h->count : 0.0);
		for (e = 0; e < MAX_ERRNO; e++)
			if (errs[e])
				printf("errors: %llu x %s\n",
				       (unsigned long long)errs[e],
				       e ? strerror(e) : "other");
		if (vd)
			printf("verify: %llu in the log, %llu lost, %llu duplicated, ",
			       (unsigned long long)vd->read,
			       (unsigned long long)vd->lost,
			       (unsigned long long)vd->duplicate);
		if (vd)
			printf("%llu corrupt, %llu failed writes chosen anyway, %llu trimmed\n",
			       (unsigned long long)vd->corrupt,
			       (unsigned long long)vd->unacked_in_log,
			       (unsigned long long)vd->trimmed);
		free(h);
		return;
	}
	printf("{\"label\": ");
	print_json_string(opt.label ? opt.label : "");
	printf(", \"group\": %u, \"writers\": %u, \"size\": %u, ",
	       opt.group, opt.writers, opt.size);
	printf("\"seconds\": %.3f, \"values\": %llu, \"values_per_s\": %.1f, ",
	       secs,
	       (unsigned long long)h->count, h->count / secs);
	printf("\"latency_us\": {\"p50\": %.0f, \"p90\": %.0f, \"p99\": %.0f, ",
	       hist_pct(h, 50), hist_pct(h, 90), hist_pct(h, 99));
	printf("\"max\": %llu, \"mean\": %.1f}, ",
	       (unsigned long long)h->max,
	       h->count ? (double)h->sum / h->count : 0.0);
	printf("\"errors\": %llu, \"errno\": {", (unsigned long long)nerr);
	for (e = 0; e < MAX_ERRNO; e++) {
		if (!errs[e])
			continue;
		printf("%s\"%u\": %llu", sep, e, (unsigned long long)errs[e]);
		sep = ", ";
	}
	printf("}");
	if (vd)
		printf(", \"verify\": {\"read\": %llu, \"lost\": %llu, \"duplicate\": %llu, ",
		       (unsigned long long)vd->read,
		       (unsigned long long)vd->lost,
		       (unsigned long long)vd->duplicate);
	if (vd)
		printf("\"corrupt\": %llu, \"unacked_in_log\": %llu, \"trimmed\": %llu}",
		       (unsigned long long)vd->corrupt,
		       (unsigned long long)vd->unacked_in_log,
		       (unsigned long long)vd->trimmed);
	printf("}\n");
	free(h);
}

int main(int argc, char **argv)
{
	struct verdict vd;
	struct writer *ws;
	__u64 t0, t_end = 0;
	unsigned int i;
	int bad = 0;

	if (parse_args(argc, argv))
		return 2;
	if (getrandom(&run_id, sizeof(run_id), 0) != sizeof(run_id))
		run_id = now_ns(CLOCK_REALTIME) ^ getpid();
	ws = calloc(opt.writers, sizeof(*ws));
	if (!ws || pthread_barrier_init(&ready, NULL, opt.writers + 1))
		return 1;
	window_end = ~0ull;
	for (i = 0; i < opt.writers; i++) {
		ws[i].id = i;
		ws[i].fd = open_bound();
		ws[i].buf = malloc(opt.size);
		if (ws[i].fd < 0 || !ws[i].buf)
			return 1;
	}
	for (i = 0; i < opt.writers; i++) {
		errno = pthread_create(&ws[i].thread, NULL, writer_main, &ws[i]);
		if (errno) {
			perror("loadgen: pthread_create");
			return 1;
		}
	}
	t0 = now_ns(CLOCK_MONOTONIC);
	if (opt.count) {
		__atomic_store_n(&window_start, t0, __ATOMIC_RELEASE);
		pthread_barrier_wait(&ready);
	} else {
		pthread_barrier_wait(&ready);
		if (opt.warmup > 0)
			sleep_s(opt.warmup);
		t0 = now_ns(CLOCK_MONOTONIC);
		__atomic_store_n(&window_start, t0, __ATOMIC_RELEASE);
		sleep_s(opt.duration);
		t_end = now_ns(CLOCK_MONOTONIC);
		__atomic_store_n(&window_end, t_end, __ATOMIC_RELEASE);
		__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	}
	for (i = 0; i < opt.writers; i++)
		pthread_join(ws[i].thread, NULL);
	if (opt.count)
		t_end = now_ns(CLOCK_MONOTONIC);
	for (i = 0; i < opt.writers; i++) {
		unsigned int e;

		close(ws[i].fd);
		for (e = 0; e < MAX_ERRNO; e++)
			bad |= ws[i].errors[e] != 0;
		if (ws[i].fatal) {
			fprintf(stderr, "loadgen: writer %u stopped: %s\n", i,
				strerror(ws[i].fatal));
			bad = 1;
		}
	}
	if (opt.verify) {
		if (verify_log(ws, &vd)) {
			fprintf(stderr, "loadgen: verify failed to read the log\n");
			return 1;
		}
		bad |= vd.lost || vd.duplicate || vd.corrupt || vd.trimmed;
	}
	if (opt.trace && write_trace(ws))
		bad = 1;
	report(ws, (t_end - t0) / 1e9, opt.verify ? &vd : NULL);
	for (i = 0; i < opt.writers; i++) {
		free(ws[i].acked);
		free(ws[i].trace);
		free(ws[i].buf);
	}
	free(ws);
	return bad;
}
