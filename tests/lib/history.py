# SPDX-License-Identifier: GPL-2.0
"""The history checker of the fault tests (issue 11).

Judges one run of a cluster from what its clients saw and what its nodes
learned, and nothing else: it knows no protocol internals.

Input (a dict, or a JSON file of one):

  records  every write a client made, one dict each:
             writer   name of the writer (one open file of /dev/paxos)
             node     node the writer ran on
             value    the bytes written, as a str (unique over the run)
             t0       when the write was issued (before write(2))
             t1       when write(2) returned (None: never returned)
             outcome  "ack" (write returned the byte count),
                      "indeterminate" (ETIMEDOUT, EINTR, or ENOTCONN from a
                      group deleted under the write: it may still be
                      learned), or "fail" (refused before it was queued:
                      it must never be learned)
             err      errno name for the two others
             slot     for an ack, PAXOS_IOC_LAST_SLOT after the write
             clock    which clock t0/t1 come from (writers in separate
                      machines have unrelated clocks); default "vm"
  logs     {name: log}, every log one node learned (a node whose group was
           re-created has one log per incarnation):
             entries  [[slot, value], ...] in the order read; value None
                      is a no-op
             noops    True if no-ops are listed (log-get dumps); False for
                      /dev/paxos readers, which never see them
             final    True if the node was alive at the end and had
                      converged: its log must reach the end of the log
             gaps     slots where a reader got EPIPE (trimmed, announced)
  phases   [{name, start, end, clock, must_commit}]: the nemesis
           schedule, for rates; a phase with must_commit (a majority can
           talk) fails liveness if nothing is acknowledged in it; clock
           "any" counts records of every clock (wall clocks of several
           machines)
  heal     when the last fault was lifted (liveness is measured from it),
           on the clock heal_clock (default "vm"; "any" as for phases)
  bound    seconds within which a write must be acknowledged after heal

Verdicts (each violation is listed, with the values and slots involved):

  agreement   no two logs hold different values (or a value and a no-op)
              at one slot
  order       every log is gap-free from its first slot to its last: it
              is a prefix (from where it started) of the one log that all
              of them together spell; an acknowledged write's slot is the
              one its writer was told; and a write acknowledged before
              another was issued (same clock) sits at a lower slot
  integrity   no value at two slots
  validity    every learned value was written, and none that failed
  durability  every acknowledged value is in the log, and every final log
              reaches its end
  liveness    a write is acknowledged within `bound` seconds of `heal`

Run as a program, it reads the JSON file named on the command line, prints
the counts and the verdict and exits 1 on any violation.
"""
import json
import sys

VERDICTS = ('agreement', 'order', 'integrity', 'validity', 'durability',
            'liveness')
SHOW = 5        # violations listed per verdict


class Result:
    def __init__(self):
        self.violations = {v: [] for v in VERDICTS}
        self.counts = {}
        self.lines = []

    @property
    def ok(self):
        return not any(self.violations.values())

    def bad(self, verdict, what):
        self.violations[verdict].append(what)

    def failed(self):
        return [v for v in VERDICTS if self.violations[v]]

    def report(self):
        out = list(self.lines)
        for v in VERDICTS:
            vs = self.violations[v]
            if not vs:
                out.append(f'history: {v}: ok')
                continue
            out.append(f'history: {v}: {len(vs)} violation(s)')
            out.extend(f'history:   {x}' for x in vs[:SHOW])
            if len(vs) > SHOW:
                out.append(f'history:   ... {len(vs) - SHOW} more')
        out.append('history: ' + ('PASS' if self.ok else
                                  'FAIL (' + ', '.join(self.failed()) + ')'))
        return '\n'.join(out)


def _short(v):
    return 'no-op' if v is None else repr(v if len(v) <= 40 else v[:37] + '...')


def _same_clock(rec, clock):
    # "any": the phases of a run over several machines, on wall clocks
    return clock == 'any' or rec.get('clock', 'vm') == clock


def check(h):
    """Judge history @h (see the module's doc); returns a Result."""
    r = Result()
    records = h.get('records', [])
    logs = h.get('logs', {})

    by_value = {}
    for rec in records:
        if rec['value'] in by_value:
            # Writers must not write one value twice: the run is unusable.
            r.bad('validity', f'value {_short(rec["value"])} written twice '
                  f'(by {by_value[rec["value"]]["writer"]} and {rec["writer"]})')
        by_value[rec['value']] = rec

    # --- agreement: one value per slot over every log ---
    views = {}           # slot -> {value: [names of the logs with it]}
    for name, log in sorted(logs.items()):
        for slot, value in log['entries']:
            views.setdefault(slot, {}).setdefault(value, []).append(name)
    chosen = {}          # slot -> value (None: no-op) most logs agree on
    for slot, vs in views.items():
        # Most logs win (a value over a no-op on a tie): the one log the
        # others are judged against.
        ranked = sorted(vs.items(), key=lambda kv: (-len(kv[1]),
                                                    kv[0] is None))
        chosen[slot] = ranked[0][0]
        for value, names in ranked[1:]:
            r.bad('agreement', f'slot {slot}: {", ".join(names)} learned '
                  f'{_short(value)}, {", ".join(ranked[0][1])} learned '
                  f'{_short(ranked[0][0])}')
    # A reader that never sees no-ops may still have seen a value at a slot
    # that another log only knows as a no-op: caught above.

    # --- order: each log gap-free and in slot order ---
    last = max(chosen) if chosen else 0
    # Slot ranges that a log listing no-ops covers: a slot there that no
    # log has is a hole, not an unseen no-op.
    spans = [(log['entries'][0][0], log['entries'][-1][0])
             for log in logs.values() if log.get('noops') and log['entries']]
    for name, log in sorted(logs.items()):
        slots = [s for s, _ in log['entries']]
        gaps = set(log.get('gaps', []))
        if any(b <= a for a, b in zip(slots, slots[1:])):
            bad = next((a, b) for a, b in zip(slots, slots[1:]) if b <= a)
            r.bad('order', f'{name}: slot {bad[1]} read after slot {bad[0]}')
        have = set(slots)
        if slots:
            for s in range(slots[0], slots[-1] + 1):
                if s in have or s in gaps:
                    continue
                if s in chosen:
                    hole = log.get('noops') or chosen[s] is not None
                else:
                    hole = log.get('noops') or any(a <= s <= b
                                                   for a, b in spans)
                if hole:
                    # a complete log misses a slot, or a reader skipped a
                    # value (or a slot a complete log should have had)
                    r.bad('order', f'{name}: hole at slot {s} '
                          f'(log has {slots[0]}..{slots[-1]}; '
                          f'elsewhere {_short(chosen.get(s)) if s in chosen else "unknown"})')
        if log.get('final') and (not slots or slots[-1] < last):
            # a node that converged must end where the log ends (trailing
            # no-ops are invisible to readers)
            tail = [s for s in chosen if s > (slots[-1] if slots else -1)
                    and chosen[s] is not None]
            if log.get('noops') or tail:
                r.bad('durability', f'{name}: ends at slot '
                      f'{slots[-1] if slots else "-"}, the log at {last}')

    # --- integrity and validity over the one log ---
    seen = {}
    for slot in sorted(chosen):
        v = chosen[slot]
        if v is None:
            continue
        if v in seen:
            r.bad('integrity', f'{_short(v)} at slots {seen[v]} and {slot}')
            continue
        seen[v] = slot
        rec = by_value.get(v)
        if rec is None:
            r.bad('validity', f'slot {slot}: {_short(v)} was never written')
        elif rec['outcome'] == 'fail':
            r.bad('validity', f'slot {slot}: {_short(v)} is learned but its '
                  f'write failed with {rec.get("err")}')

    # --- durability and the slot each writer was told ---
    acked = [x for x in records if x['outcome'] == 'ack']
    lost = 0
    for rec in acked:
        slot = seen.get(rec['value'])
        if slot is None:
            lost += 1
            r.bad('durability', f'{_short(rec["value"])} acknowledged '
                  f'(slot {rec.get("slot")}) but not in the log')
        elif rec.get('slot') is not None and rec['slot'] != slot:
            r.bad('order', f'{_short(rec["value"])} acknowledged at slot '
                  f'{rec["slot"]} but learned at slot {slot}')

    # --- real-time order: acked before issued => lower slot ---
    by_clock = {}
    for rec in records:
        if rec['value'] in seen:
            by_clock.setdefault(rec.get('clock', 'vm'), []).append(rec)
    for recs in by_clock.values():
        # Walk in issue order keeping the highest slot acknowledged so far.
        acks = sorted((x for x in recs if x['outcome'] == 'ack'),
                      key=lambda x: x['t1'])
        issued = sorted(recs, key=lambda x: x['t0'])
        i = 0
        best = None          # the acked record with the highest slot
        for rec in issued:
            while i < len(acks) and acks[i]['t1'] < rec['t0']:
                if best is None or seen[acks[i]['value']] > seen[best['value']]:
                    best = acks[i]
                i += 1
            if best is not None and seen[rec['value']] < seen[best['value']]:
                r.bad('order', f'{_short(rec["value"])} issued after '
                      f'{_short(best["value"])} was acknowledged, but at slot '
                      f'{seen[rec["value"]]} < {seen[best["value"]]}')

    # --- liveness ---
    heal, bound = h.get('heal'), h.get('bound')
    if heal is not None and bound is not None:
        after = sorted(x['t1'] - heal for x in acked
                       if x['t1'] is not None and x['t1'] >= heal and
                       _same_clock(x, h.get('heal_clock', 'vm')))
        if not after or after[0] > bound:
            r.bad('liveness', 'no write acknowledged within '
                  f'{bound:g} s of the last heal' +
                  (f' (first after {after[0]:.1f} s)' if after else ''))
        r.counts['recovery'] = after[0] if after else None

    # --- counts ---
    indet = [x for x in records if x['outcome'] == 'indeterminate']
    failed = [x for x in records if x['outcome'] == 'fail']
    c = r.counts
    c.update(writes=len(records), acknowledged=len(acked),
             indeterminate=len(indet),
             indeterminate_learned=sum(x['value'] in seen for x in indet),
             failed=len(failed), learned=len(seen),
             noops=sum(v is None for v in chosen.values()), lost=lost,
             duplicated=len(r.violations['integrity']),
             divergent=len(r.violations['agreement']))
    r.lines.append(
        f'history: writes {c["writes"]}: acknowledged {c["acknowledged"]}, '
        f'indeterminate {c["indeterminate"]} '
        f'({c["indeterminate_learned"]} learned), failed {c["failed"]}; '
        f'learned {c["learned"]} values in {len(chosen)} slots '
        f'({c["noops"]} no-ops) over {len(logs)} logs; '
        f'lost {c["lost"]}, duplicated {c["duplicated"]}, '
        f'divergent {c["divergent"]}')
    errs = {}
    for x in indet + failed:
        errs[x.get('err')] = errs.get(x.get('err'), 0) + 1
    if errs:
        r.lines.append('history: errors: ' + ', '.join(
            f'{k} {v}' for k, v in sorted(errs.items(), key=str)))
    for p in h.get('phases', []):
        span = max(p['end'] - p['start'], 1e-9)
        ph = [x for x in records if x['t1'] is not None and
              _same_clock(x, p.get('clock', 'vm')) and
              p['start'] <= x['t1'] < p['end']]
        n = sum(x['outcome'] == 'ack' for x in ph)
        if p.get('must_commit') and not n:
            r.bad('liveness', f'nothing acknowledged in phase {p["name"]}')
        r.lines.append(f'history: phase {p["name"]:<14} {span:6.1f} s: '
                       f'{n:5d} acknowledged ({n / span:6.1f}/s), '
                       f'{len(ph) - n} not')
    if 'recovery' in c and c['recovery'] is not None:
        r.lines.append(f'history: first acknowledgement {c["recovery"]:.2f} s '
                       f'after the last heal (bound {bound:g} s)')
    return r


def main(argv):
    if len(argv) != 2:
        print(f'usage: {argv[0]} HISTORY.json', file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        r = check(json.load(f))
    print(r.report())
    return 0 if r.ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
