#!/usr/bin/env python3
"""Where do calls bunch on their way to Meta's throughput count?

Reads the simulator's call trace (GET /sim/trace, simulator started with WACAST_SIM_TRACE_CALLS=<rows>,
senders with WACAST_META_TRACE_CALLS=true) and prints, for each stage a call passes, the most calls in
any sliding one-second window and the delay added by the stage:

  slot      the slot of the shared schedule the sender took
  checked   the sender's departure check (on its HTTP client's event loop; later than lateness: not sent)
  sent      the write to the socket, once a connection was had
  received  the simulator's HTTP server read the request's head
  handled   the simulator's handler counted it against the number's cap

A stage whose busiest second exceeds the cap while the stage before it does not is where calls bunch.

usage: call-trace.py TRACE.csv CAP [--gc SIMULATOR_GC_LOG] [--gc SENDER_GC_LOG ...]
"""
import csv
import re
import sys
from datetime import datetime, timezone

STAGES = ["slot", "checked", "sent", "received", "handled"]


def busiest(times):
    """(most calls in any [t, t + 1 s) window, the window's start) over sorted epoch-µs times."""
    best, start, j = 0, 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 1_000_000:
            j += 1
        if i - j + 1 > best:
            best, start = i - j + 1, times[j]
    return best, start


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def stamp(us):
    return datetime.fromtimestamp(us / 1e6, timezone.utc).strftime("%H:%M:%S.%f")[:-3]


def gc_pauses(path):
    """(end epoch µs, ms) of every pause in a -Xlog:gc,safepoint file with the `time` decoration."""
    pauses = []
    pattern = re.compile(r"^\[(\d{4}-\d\d-\d\dT[\d:.]+)([+-]\d{4})\].*Pause .* ([\d.]+)ms$")
    with open(path) as log:
        for line in log:
            m = pattern.match(line.strip())
            if m:
                end = datetime.strptime(m.group(1) + m.group(2), "%Y-%m-%dT%H:%M:%S.%f%z")
                pauses.append((int(end.timestamp() * 1e6), float(m.group(3))))
    return pauses


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        sys.exit(__doc__)
    path, cap = args[0], int(args[1])
    gc_logs = [args[i + 1] for i, a in enumerate(args) if a == "--gc"]
    rows = []
    with open(path) as f:
        for r in csv.DictReader(line for line in f if not line.startswith("#")):
            if int(r["slot_us"]) > 0 and int(r["received_us"]) > 0:
                rows.append({s: int(r[s + "_us"]) for s in STAGES} | {"admitted": r["admitted"] == "1"})
    if not rows:
        sys.exit("no traced calls with sender stamps: start the senders with WACAST_META_TRACE_CALLS=true")
    print(f"{len(rows)} traced calls, cap {cap}/s, {sum(not r['admitted'] for r in rows)} refused at the cap\n")
    print(f"{'stage':<10}{'busiest second':>16}   {'from':<13}  delay added by the stage, ms: p50 / p99 / p99.9 / max")
    previous = None
    for stage in STAGES:
        times = sorted(r[stage] for r in rows)
        most, start = busiest(times)
        delay = ""
        if previous:
            d = [(r[stage] - r[previous]) / 1000 for r in rows]
            delay = f"{pct(d, 50):7.2f} / {pct(d, 99):7.2f} / {pct(d, 99.9):7.2f} / {max(d):8.2f}"
        flag = "  over the cap" if most > cap else ""
        print(f"{stage:<10}{most:>16}   {stamp(start):<13}  {delay}{flag}")
        previous = stage

    # the seconds over the cap where Meta counts (handled): which stage made their calls late
    times = sorted(r["handled"] for r in rows)
    over = []
    j = 0
    for i, t in enumerate(times):
        while times[j] <= t - 1_000_000:
            j += 1
        if i - j + 1 > cap:
            over.append(t)
    if over:
        print(f"\n{len(over)} calls were counted in a second that was over the cap; the calls of such seconds, "
              "by how late they were at each stage (ms, max):")
        seen = set()
        for end in over:
            window = [r for r in rows if end - 1_000_000 < r["handled"] <= end]
            key = window[0]["handled"] // 100_000
            if key in seen:
                continue
            seen.add(key)
            worst = max(window, key=lambda r: r["handled"] - r["slot"])
            parts = " ".join(f"{b}→{a} {(worst[a] - worst[b]) / 1000:.1f}" for b, a in zip(STAGES, STAGES[1:]))
            print(f"  second ending {stamp(end)}: {len(window)} calls; latest call: {parts}")
            if len(seen) >= 10:
                break

    stalls = sorted(rows, key=lambda r: r["received"] - r["sent"], reverse=True)[:5]
    print("\nlongest sent→received (the way to the simulator and its event loop), with when it was received:")
    for r in stalls:
        print(f"  {(r['received'] - r['sent']) / 1000:8.1f} ms, received {stamp(r['received'])}")
    for log in gc_logs:
        pauses = [p for p in gc_pauses(log) if rows[0]["slot"] <= p[0] <= rows[-1]["handled"] + 1_000_000]
        long_ones = sorted(pauses, key=lambda p: -p[1])[:5]
        print(f"\n{log}: {len(pauses)} pauses during the trace, {sum(p[1] for p in pauses):.0f} ms in all; longest: "
              + ", ".join(f"{ms:.0f} ms ending {stamp(end)}" for end, ms in long_ones))


if __name__ == "__main__":
    main()
