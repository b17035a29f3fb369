# SPDX-License-Identifier: GPL-2.0
"""A warm python3 for the VM tests: the server half of pyfork (the client,
tests/harness/pyfork.c, says why and what it hands over).

    python3 pyfork.py SOCKET

imports what the tests use, parses the project's netlink spec once, then
listens on SOCKET.  For each client it reads the request and forks a
runner, which enters the client's network namespace and directory, takes
its umask, environment and standard files, and runs the script as python3
would, as __main__.  The server passes the client's signals on to the
runner, kills it if the client goes away, and sends its wait status back
(an exit code, or minus the signal that killed it).
"""
import ctypes
import os
import signal
import socket
import struct
import sys
import traceback

# What the tests import, imported once here (each runner inherits it).
import argparse  # noqa: F401
import errno  # noqa: F401
import fcntl  # noqa: F401
import ipaddress  # noqa: F401
import json  # noqa: F401
import random  # noqa: F401
import runpy
import select
import subprocess  # noqa: F401
import threading
import time
import yaml

import paxos_test
import cli  # noqa: F401 (the kernel's ynl CLI, for ynlcli.py)
import history  # noqa: F401
import workload  # noqa: F401

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def _memo_load(load):
    """yaml loading of a file, once per file version: the tests make a
    family per process, and the spec takes the longest of it."""
    memo = {}

    def _load(stream, *args, **kwargs):
        name = getattr(stream, 'name', None)
        if not isinstance(name, str):
            return load(stream, *args, **kwargs)
        st = os.fstat(stream.fileno())
        key = (name, st.st_ino, st.st_mtime_ns, st.st_size)
        if key not in memo:
            memo[key] = load(stream, *args, **kwargs)
        return memo[key]
    return _load


yaml.safe_load = _memo_load(yaml.safe_load)
with open(paxos_test.SPEC) as f:
    yaml.safe_load(f)


def recv_exact(conn, n):
    buf = b''
    while len(buf) < n:
        part = conn.recv(n - len(buf))
        if not part:
            raise EOFError
        buf += part
    return buf


def strings(buf, off):
    (count,) = struct.unpack_from('=I', buf, off)
    off += 4
    out = []
    for _ in range(count):
        end = buf.index(b'\0', off)
        out.append(os.fsdecode(buf[off:end]))
        off = end + 1
    return out, off


def read_request(conn):
    """(umask, argv, environ, [stdin, stdout, stderr, cwd, netns fds])"""
    fds = []
    msg, anc, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(5 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds += list(struct.unpack(f'={len(data) // 4}i',
                                      data[:len(data) - len(data) % 4]))
    if len(fds) != 5 or len(msg) < 8:
        raise EOFError
    (total, umask) = struct.unpack_from('=II', msg)
    if len(msg) < total:
        msg += recv_exact(conn, total - len(msg))
    argv, off = strings(msg, 8)
    env, _ = strings(msg, off)
    return umask, argv, env, fds


def run(argv):
    """Run python3's command line @argv as the interpreter would; return
    its exit status."""
    args = argv[1:]
    unbuffered = args[:1] == ['-u']
    if unbuffered:
        args = args[1:]
    if args[0] == '-c':
        code, name, path0 = args[1], '<string>', ''
        sys.argv = ['-c'] + args[2:]
    elif args[0] == '-':
        code, name, path0 = None, '<stdin>', ''
        sys.argv = args
    else:
        code, name = None, args[0]
        path0 = os.path.dirname(os.path.abspath(args[0]))
        sys.argv = args
    extra = [p for p in os.environ.get('PYTHONPATH', '').split(':') if p]
    sys.path[:] = [path0] + extra + [p for p in sys.path[1:]
                                     if p not in extra]
    enc = dict(encoding='utf-8', errors='strict', closefd=False)
    sys.stdin = open(0, 'r', **enc)
    if unbuffered:
        sys.stdout = open(1, 'w', buffering=1, **enc)
        sys.stdout.reconfigure(write_through=True)
    else:
        sys.stdout = open(1, 'w', **enc)
    sys.stderr = open(2, 'w', buffering=1, encoding='utf-8',
                      errors='backslashreplace', closefd=False)
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = (
        sys.stdin, sys.stdout, sys.stderr)
    # Where this script's netlink attributes are noted (its environment).
    paxos_test.spec_seen = paxos_test.SpecSeen(paxos_test._spec_seen_path())
    status = 0
    try:
        try:
            if code is None and name == '<stdin>':
                code = sys.stdin.read()
            if code is not None:
                glb = {'__name__': '__main__', '__builtins__': __builtins__}
                exec(compile(code, name, 'exec'), glb)
            else:
                runpy.run_path(name, run_name='__main__')
        finally:
            # As the interpreter does at exit: join the threads that are
            # not daemons (private, but what Py_Finalize calls).
            threading._shutdown()
    except SystemExit as e:
        if e.code is None:
            status = 0
        elif isinstance(e.code, int):
            status = e.code
        else:
            print(e.code, file=sys.stderr)
            status = 1
    except KeyboardInterrupt:
        traceback.print_exc()
        status = 128 + signal.SIGINT
    except BaseException:   # as the interpreter: a traceback, status 1
        traceback.print_exc()
        status = 1
    try:
        import atexit
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    return status & 0xff


def runner(umask, argv, env, fds):
    if libc.setns(fds[4], CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        os.write(fds[2], f'pyfork: setns: {os.strerror(e)}\n'.encode())
        os._exit(70)
    os.fchdir(fds[3])
    os.umask(umask)
    os.environ.clear()
    os.environ.update(kv.split('=', 1) for kv in env if '=' in kv)
    for i in range(3):
        os.dup2(fds[i], i)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    status = run(argv)
    os._exit(status)


def start(conn, others):
    """Read @conn's request and fork its runner; return the runner's pid
    and its command line.  @others: the server's other descriptors, which
    the runner closes."""
    conn.settimeout(30)     # a client that never sends does not stop us
    umask, argv, env, fds = read_request(conn)
    conn.settimeout(None)
    pid = os.fork()
    if pid == 0:
        try:
            for o in others:
                os.close(o if isinstance(o, int) else o.fileno())
            conn.close()
            signal.signal(signal.SIGINT, signal.default_int_handler)
            runner(umask, argv, env, fds)
        finally:
            os._exit(70)
    for fd in fds:
        os.close(fd)
    return pid, argv


def main():
    path = sys.argv[1]
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + '.new')
    srv.listen(64)
    os.rename(path + '.new', path)     # clients connect once it is ready
    sys.stdout.flush()
    sys.stderr.flush()
    # One loop for every client: its connection (signals to pass on, or
    # its end) and its runner (a pidfd, readable when the runner ends).
    runners = {}        # pidfd -> (pid, connection, argv, start time)
    listening = {}      # connection -> pid, while the client is there
    while True:
        ready, _, _ = select.select([srv, *listening, *runners], [], [])
        for r in ready:
            if r is srv:
                conn, _ = srv.accept()
                try:
                    pid, argv = start(conn, [srv, *listening, *runners])
                except (EOFError, OSError):   # it ran the interpreter
                    conn.close()
                    continue
                runners[os.pidfd_open(pid)] = (pid, conn, argv,
                                               time.monotonic())
                listening[conn] = pid
            elif r in runners:
                pid, conn, argv, t0 = runners.pop(r)
                listening.pop(conn, None)
                os.close(r)
                _, wstatus = os.waitpid(pid, 0)
                if os.WIFSIGNALED(wstatus):
                    status = -os.WTERMSIG(wstatus)
                else:
                    status = os.WEXITSTATUS(wstatus)
                try:
                    conn.sendall(struct.pack('=i', status))
                except OSError:
                    pass
                conn.close()
                # What ran, for whoever wonders where the time went.
                print(f'{time.monotonic() - t0:.3f}s status {status}:',
                      ' '.join(argv[1:])[:100].replace('\n', ' '),
                      flush=True)
            elif r in listening:
                pid = listening[r]
                try:
                    data = r.recv(64)
                except OSError:
                    data = b''
                if not data:    # the client is gone: so is its script
                    del listening[r]
                    data = bytes([signal.SIGKILL])
                for sig in data:
                    try:
                        os.kill(pid, sig)
                    except OSError:
                        pass


if __name__ == '__main__':
    main()
