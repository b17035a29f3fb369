#!/usr/bin/env python3
"""Where the CPU goes, by function, from bench-vm.sh's "fgraph" phase: the
function-graph tracer timed every call of a few functions (the /dev/paxos
write, the group's pass, the core's entry points, XChaCha20-Poly1305 sealing
and opening, udp_sendmsg, the receive hook, try_to_wake_up) while a load
generator ran for a second.

Each traced call's time is wall-clock time inside the function, what it
calls included (so a pass includes its sealing, and a write includes its
wait for the commit).  Summed per learned value and set against the VM's
busy CPU time per value, they say which pieces a value's cost is made of.

  fgraph.py TRACE LOADGEN_JSON [CPU_JSON] [--json]
"""
import argparse
import collections
import json
import re
import statistics
import sys

# " 1)  kworker-1327  | + 76.766 us   |    } /* paxos_group_pass [paxos] */"
# " 0)  bench-v-165   |   2.064 us    |  try_to_wake_up();"
LINE = re.compile(r'^\s*\d+\)\s+(?P<task>\S+)\s+\|\s*[-+!#*@$]?\s*'
                  r'(?P<us>\d+(?:\.\d+)?) us\s+\|\s+(?:\} /\* )?'
                  r'(?P<fn>[A-Za-z_][A-Za-z0-9_.]*)')

# What each traced function stands for, in the report.
ROLE = {
    'paxos_dev_write': 'the write(2) of a value, its wait included',
    'paxos_group_pass': "one pass of a group's work (in a worker or a "
                        'writer)',
    'paxos_core_receive': 'the core takes one message',
    'paxos_core_propose': 'the core takes one proposal',
    'paxos_core_tick': 'the core takes clock ticks',
    'paxos_core_ready': "the core's output handed over",
    'xchacha20poly1305_encrypt': 'sealing one datagram',
    'xchacha20poly1305_decrypt': 'opening one datagram',
    'udp_sendmsg': 'sending one datagram (on veth: through the router to '
                   "the receiver's softirq)",
    'paxos_udp_encap_rcv': 'the receive hook (softirq)',
    'try_to_wake_up': 'waking a task (any in the VM)',
}


# Traced functions whose time is mostly sleeping.
WAITS = {'paxos_dev_write'}


def parse(lines):
    """Each traced call's duration in µs, by function."""
    calls = collections.defaultdict(list)
    for line in lines:
        m = LINE.match(line)
        if m:
            calls[m['fn']].append(float(m['us']))
    return calls


def summarize(calls, run, cpu=None):
    """Per function: calls and µs per value, the median call, and its share
    of the VM's busy time."""
    values = run.get('values') or 0
    secs = run.get('seconds') or 0
    busy_us = None
    if cpu and secs:
        busy_us = cpu['vm_cpu_busy'] * cpu['cpus'] * secs * 1e6
    rows = []
    for fn, ds in calls.items():
        total = sum(ds)
        rows.append({
            'fn': fn,
            'role': ROLE.get(fn, ''),
            'calls': len(ds),
            'calls_per_value': len(ds) / values if values else None,
            'p50_us': statistics.median(ds),
            'us_per_value': total / values if values else None,
            # A write's time is mostly its wait: no share of the CPU.
            'share_of_busy': (total / busy_us if busy_us and
                              fn not in WAITS else None),
        })
    rows.sort(key=lambda r: -(r['us_per_value'] or 0))
    out = {
        'values': values,
        'values_per_s': run.get('values_per_s'),
        'p50_us': (run.get('latency_us') or {}).get('p50'),
        'busy_us_per_value': busy_us / values if busy_us and values else None,
        'overrun': cpu.get('overrun') if cpu else None,
        'functions': rows,
    }
    return out


def load(trace, run_json, cpu_json=None):
    """summarize() of the files of one traced run, or None."""
    try:
        run = json.load(open(run_json))
        cpu = json.load(open(cpu_json)) if cpu_json else None
    except (OSError, ValueError):
        return None
    with open(trace, errors='replace') as f:
        return summarize(parse(f), run, cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('trace')
    ap.add_argument('loadgen_json')
    ap.add_argument('cpu_json', nargs='?')
    ap.add_argument('--json', action='store_true')
    args = ap.parse_args()
    s = load(args.trace, args.loadgen_json, args.cpu_json)
    if not s:
        sys.exit('fgraph.py: cannot read the run')
    if args.json:
        json.dump(s, sys.stdout, indent=1)
        print()
        return
    print(f"{s['values']} values, p50 {s['p50_us']} µs traced, "
          f"{s['busy_us_per_value'] or 0:.0f} µs of vCPU per value")
    for r in s['functions']:
        print(f"{r['fn']:28} {r['calls_per_value'] or 0:6.2f} calls/value "
              f"{r['p50_us']:8.1f} µs/call {r['us_per_value'] or 0:8.1f} "
              f"µs/value")


if __name__ == '__main__':
    main()
