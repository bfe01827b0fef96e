"""Side by side on one input: pm4py's profile calls vs journeystream's, and whether they agree.

    python benches/peers/pm4py_profile.py ../shared/data/bpic2012.xes.gz

Runs journeystream (target/release/profile_log) and pm4py on the same XES file; prints medians,
the ratios, and checks that the profiles match: counts exactly, durations to 1 ms.
Needs pm4py installed in the running Python (see benches/README.md).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars in the output

import pm4py  # noqa: E402
from pm4py.util import constants as pm4py_constants  # noqa: E402

# pm4py's own XES parser. With rustxes (or r4pm) installed, pm4py.read_xes switches to that Rust
# backend by default; rustxes is measured on its own (benches/peers/rustxes_import.py), so this
# column stays pm4py's importer whatever else is installed.
XES_PARSER = pm4py_constants.DEFAULT_XES_PARSER

ROOT = Path(__file__).resolve().parents[2]


def timed(fn, repeats):
    times, result = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def pm4py_profile(df):
    dfg, start, end = pm4py.discover_dfg(df)
    perf, _, _ = pm4py.discover_performance_dfg(df)
    variants = pm4py.get_variants(df)
    durations = pm4py.get_all_case_durations(df)
    return dfg, perf, start, end, variants, durations


def compare(ours, theirs):
    dfg, perf, start, end, variants, durations = theirs
    problems = []
    our_dfg = {(e["source"], e["target"]): e for e in ours["dfg"]}
    if set(our_dfg) != set(dfg):
        problems.append(f"DFG edges differ: {len(our_dfg)} vs {len(dfg)}")
    for key, count in dfg.items():
        e = our_dfg.get(key)
        if e is None or e["count"] != count:
            problems.append(f"edge {key}: count {e and e['count']} vs {count}")
            continue
        p = perf[key]
        for ours_key, theirs_key in [("mean", "mean"), ("median", "median"), ("min", "min"), ("max", "max"), ("total", "sum")]:
            if abs(e[ours_key] - p[theirs_key]) > 1e-3:
                problems.append(f"edge {key} {ours_key}: {e[ours_key]} vs {p[theirs_key]}")
        sd = p["stdev"]
        if (e["stdev"] is None) != (sd != sd):  # pandas gives NaN for one value
            problems.append(f"edge {key} stdev: {e['stdev']} vs {sd}")
        elif e["stdev"] is not None and abs(e["stdev"] - sd) > 1e-3:
            problems.append(f"edge {key} stdev: {e['stdev']} vs {sd}")
    for name, ours_list, theirs_map in [("start", ours["start_activities"], start), ("end", ours["end_activities"], end)]:
        if {x["activity"]: x["cases"] for x in ours_list} != dict(theirs_map):
            problems.append(f"{name} activities differ")
    our_variants = {tuple(v["activities"]): v["count"] for v in ours["variants"]}
    their_variants = {tuple(k): (v if isinstance(v, int) else len(v)) for k, v in variants.items()}
    if our_variants != their_variants:
        problems.append(f"variants differ: {len(our_variants)} vs {len(their_variants)}")
    our_durations = sorted(c["duration"] for c in ours["cases_by_duration"])
    if len(our_durations) != len(durations) or any(abs(a - b) > 1e-3 for a, b in zip(our_durations, sorted(durations))):
        problems.append("case durations differ")
    return problems


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT.parent / "shared/data/bpic2012.xes.gz")
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    binary = ROOT / "target/release/profile_log"
    subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "journeystream-benches", "--bin", "profile_log"], cwd=ROOT, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        ours_t = json.loads(subprocess.run([str(binary), path, str(out), str(repeats), str(max(repeats, 15))], check=True, capture_output=True, text=True).stdout)
        ours = json.loads(out.read_text())
    load_t, df = timed(lambda: pm4py.read_xes(path, variant=XES_PARSER), repeats)
    prof_t, theirs = timed(lambda: pm4py_profile(df), repeats)
    problems = compare(ours, theirs)
    print(f"input: {path} ({ours_t['cases']} cases, {ours_t['events']} events); pm4py {pm4py.__version__} (XES parser {XES_PARSER}); medians of {repeats}")
    print(f"{'step':<34}{'pm4py':>10}{'journeystream':>15}{'ratio':>9}")
    for name, theirs_s, ours_s in [("XES.gz import", load_t, ours_t["load_s"]), ("profile (DFG+perf, variants, start/end, case durations)", prof_t, ours_t["profile_s"])]:
        print(f"{name[:33]:<34}{theirs_s:>9.3f}s{ours_s:>14.4f}s{theirs_s / ours_s:>8.1f}x")
    print(f"journeystream log in memory: {ours_t['heap_bytes'] / ours_t['events']:.1f} bytes/event (all columns and attributes)")
    if problems:
        print(f"MISMATCH ({len(problems)}):")
        for p in problems[:20]:
            print("  " + p)
        sys.exit(1)
    print("profiles match: DFG counts and performance, start/end activities, variants, case durations")


if __name__ == "__main__":
    main()
