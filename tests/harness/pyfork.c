// SPDX-License-Identifier: GPL-2.0
/*
 * pyfork: `python3` for the VM tests, answered by a warm interpreter.
 *
 * Under TCG a python3 start costs 0.5-5 s (the interpreter, then the
 * imports: YNL's library and the spec), and the tests start hundreds.
 * vm-batch.sh starts tests/lib/pyfork.py, which imports what the tests
 * use and listens on a unix socket, and puts this program first in PATH
 * as `python3`.  It hands the server its arguments, environment, umask,
 * standard files, working directory and network namespace; the server
 * forks, the child enters that namespace and directory, takes those
 * files as 0, 1 and 2 and runs the script; its exit status comes back
 * and is this program's.  Signals this program gets (TERM, INT, HUP,
 * QUIT, USR1, USR2) are passed on; if it is killed, the child is too.
 *
 * Whatever the server could not reproduce runs the real interpreter
 * instead (exec, so nothing differs): no server, a caller whose
 * credentials, capabilities or cgroup differ from the server's (the
 * privilege tests), and command lines other than
 * `python3 [-u] SCRIPT|-c CODE|- [ARG...]`.  PYFORK_OFF=1 in the
 * environment runs the real interpreter too; PYFORK_SOCK names another
 * socket than /run/pyfork.sock (tests/lib/test_pyfork.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/types.h>

#define REAL_PYTHON "/usr/bin/python3"
#define SOCK_PATH "/run/pyfork.sock"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int sock = -1;

static void real_python(char **argv)
{
	argv[0] = REAL_PYTHON;
	execv(REAL_PYTHON, argv);
	perror("pyfork: exec " REAL_PYTHON);
	exit(127);
}

/* The line of /proc/PID/status that starts with @key, or "". */
static void status_line(const char *pid, const char *key, char *out,
			size_t size)
{
	char path[64], line[256];
	FILE *f;

	out[0] = 0;
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key))) {
			snprintf(out, size, "%s", line);
			break;
		}
	fclose(f);
}

static int same_file(const char *pid, const char *name, char *out,
		     size_t size)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%s/%s", pid, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(out, 1, size - 1, f);
	out[n] = 0;
	fclose(f);
	return 0;
}

/* The same credentials, capabilities and cgroup as the server, @pid. */
static int like_the_server(const char *pid)
{
	char a[256], b[256];
	static const char * const keys[] = {
		"Uid:", "Gid:", "Groups:", "CapEff:", "CapPrm:", "CapBnd:",
		"NoNewPrivs:", "Seccomp:"
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		status_line("self", keys[i], a, sizeof(a));
		status_line(pid, keys[i], b, sizeof(b));
		if (strcmp(a, b))
			return 0;
	}
	if (same_file("self", "cgroup", a, sizeof(a)) ||
	    same_file(pid, "cgroup", b, sizeof(b)) || strcmp(a, b))
		return 0;
	return 1;
}

/* The command lines the server runs: [-u] then SCRIPT, -c CODE or -. */
static int supported(int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-u"))
		i++;
	if (i >= argc)
		return 0;	/* the interactive interpreter */
	if (!strcmp(argv[i], "-c"))
		return i + 1 < argc;
	return !strcmp(argv[i], "-") || argv[i][0] != '-';
}

static void forward(int sig)
{
	unsigned char b = sig;

	/* If the server is gone, the status read says so. */
	if (write(sock, &b, 1) < 0)
		return;
}

/* Append @len bytes to the request buffer. */
static int put(char **buf, size_t *used, size_t *cap, const void *p,
	       size_t len)
{
	if (*used + len > *cap) {
		size_t n = (*cap ? *cap * 2 : 4096);
		char *nb;

		while (n < *used + len)
			n *= 2;
		nb = realloc(*buf, n);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = n;
	}
	memcpy(*buf + *used, p, len);
	*used += len;
	return 0;
}

static int put_strings(char **buf, size_t *used, size_t *cap, char **v,
		       int n)
{
	__u32 c = n;
	int i;

	if (put(buf, used, cap, &c, sizeof(c)))
		return -1;
	for (i = 0; i < n; i++)
		if (put(buf, used, cap, v[i], strlen(v[i]) + 1))
			return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int fds[5] = { 0, 1, 2, -1, -1 };
	char cbuf[CMSG_SPACE(sizeof(fds))];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t used = 0, cap = 0, off;
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	socklen_t plen = sizeof(struct ucred);
	struct ucred peer;
	struct iovec iov;
	char *buf = NULL, pid[16];
	const char *path;
	__u32 len, um;
	__s32 status;
	ssize_t n;
	int envc, i;

	if (!supported(argc, argv) || getenv("PYFORK_OFF"))
		real_python(argv);
	path = getenv("PYFORK_SOCK") ?: SOCK_PATH;
	if (strlen(path) >= sizeof(sa.sun_path))
		real_python(argv);
	memcpy(sa.sun_path, path, strlen(path) + 1);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &peer, &plen))
		real_python(argv);
	snprintf(pid, sizeof(pid), "%d", (int)peer.pid);
	if (!like_the_server(pid))
		real_python(argv);
	fds[3] = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	fds[4] = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fds[3] < 0 || fds[4] < 0)
		real_python(argv);
	for (i = 0; i < 3; i++)
		if (fcntl(i, F_GETFD) < 0)	/* closed: pass /dev/null */
			fds[i] = open("/dev/null", O_RDWR | O_CLOEXEC);

	/* The request: u32 length, u32 umask, argv, then environ. */
	um = umask(022);
	umask(um);
	for (envc = 0; environ[envc]; envc++)
		;
	len = 0;
	if (put(&buf, &used, &cap, &len, sizeof(len)) ||
	    put(&buf, &used, &cap, &um, sizeof(um)) ||
	    put_strings(&buf, &used, &cap, argv, argc) ||
	    put_strings(&buf, &used, &cap, environ, envc))
		real_python(argv);
	len = used;
	memcpy(buf, &len, sizeof(len));

	iov.iov_base = buf;
	iov.iov_len = used;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	if (n <= 0)
		real_python(argv);	/* nothing reached the server */
	for (off = n; off < used; off += n) {
		n = send(sock, buf + off, used - off, MSG_NOSIGNAL);
		if (n <= 0) {
			fprintf(stderr, "pyfork: lost the server\n");
			return 70;
		}
	}
	free(buf);
	close(fds[3]);
	close(fds[4]);

	{
		int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
			       SIGUSR2 };
		struct sigaction act = { .sa_handler = forward };

		for (i = 0; i < (int)ARRAY_SIZE(sigs); i++)
			sigaction(sigs[i], &act, NULL);
	}

	/* The reply: the child's wait status, when it ends. */
	for (off = 0; off < sizeof(status); off += n) {
		n = read(sock, (char *)&status + off, sizeof(status) - off);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0) {
			fprintf(stderr, "pyfork: the server ended the script\n");
			return 70;
		}
	}
	if (status >= 0)
		return status;
	/* Killed by signal -status: so is this program. */
	signal(-status, SIG_DFL);
	kill(getpid(), -status);
	return 128 - status;
}
