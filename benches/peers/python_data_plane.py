"""The profile from Python, side by side with the Rust core and with polars by hand, one run.

    python benches/peers/python_data_plane.py <events.csv> <csv_ingest.json> <profile.json> [repeats]

`<csv_ingest.json>` is the `csv_ingest` binary's line for the same file (Rust: `read_csv_file`
and the profile, medians), `<profile.json>` the profile it wrote. This script times, as medians of `repeats` runs:

- ours from Python: `js.read_csv` + `profile()` + its DFG, variants and cases as polars frames
  and as pandas frames (each table through `__arrow_c_stream__`), and the same after loading;
- polars by hand (`polars_profile.py`): `read_csv` + the profile as one lazy plan, and the
  profile after loading;

checks that our tables equal the JSON profile csv_ingest wrote next to them (counts; the first
rows), and reports peak resident memory (VmHWM) above the loaded log while the profile is handed
over, against the size of its Arrow tables. Prints one JSON line with every figure and the ratios:
`python_over_rust` (goal ≤ 1.3), `polars_over_python_after_load` (goal ≥ 5).
"""

import gc
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow as pa  # noqa: E402

import journeystream as js  # noqa: E402
import polars_profile  # noqa: E402


def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    return 0


def reset_peak():
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def frames(p, to):
    return [to(p.dfg), to(p.variants), to(p.cases_by_duration)]


def main():
    path, rust_path = sys.argv[1], sys.argv[2]
    ours_path = sys.argv[3]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with open(rust_path) as f:
        rust = json.loads(f.read().strip().splitlines()[-1])

    steps = {k: [] for k in ["load", "profile", "polars_frames", "pandas_frames"]}
    log = p = None
    for _ in range(repeats):
        log = p = None
        gc.collect()
        t0 = time.perf_counter()
        log = js.read_csv(path)
        t1 = time.perf_counter()
        p = log.profile()
        _ = p.cases  # the scalars, as a user reads them
        t2 = time.perf_counter()
        pl_frames = frames(p, pl.DataFrame)
        t3 = time.perf_counter()
        pd_frames = frames(p, lambda t: pa.table(t).to_pandas())
        t4 = time.perf_counter()
        for k, v in zip(steps, [t1 - t0, t2 - t1, t3 - t2, t4 - t3]):
            steps[k].append(v)
        del pl_frames, pd_frames
    med = {k: statistics.median(v) for k, v in steps.items()}
    python_total = med["load"] + med["profile"] + med["polars_frames"]
    python_after_load = med["profile"] + med["polars_frames"]

    # Memory: peak above the loaded log while profiling and handing the tables to pyarrow.
    p = None
    gc.collect()
    rss_loaded = status("VmRSS")
    reset_peak()
    p = log.profile()
    tables = [pa.table(p.table(n)) for n in p.table_names()]
    peak_above_log = status("VmHWM") - rss_loaded
    arrow_bytes = sum(t.nbytes for t in tables)

    # Equal to the profile the Rust run wrote (same file, same defaults).
    problems = []
    if os.path.exists(ours_path):
        with open(ours_path) as f:
            ours = json.load(f)
        for name in ["dfg", "variants", "cases_by_duration", "activities"]:
            t = tables[p.table_names().index(name)]
            if t.num_rows != len(ours[name]):
                problems.append(f"{name}: {t.num_rows} rows vs {len(ours[name])}")
            elif t.slice(0, 50).to_pylist() != ours[name][:50]:
                problems.append(f"{name}: first rows differ")

    # polars by hand.
    pl_load, pl_profile = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        df = polars_profile.load(path)
        t1 = time.perf_counter()
        result = polars_profile.profile(df)
        t2 = time.perf_counter()
        pl_load.append(t1 - t0)
        pl_profile.append(t2 - t1)
        del df, result
    polars_total = statistics.median(pl_load) + statistics.median(pl_profile)
    rust_total = rust["load_s"] + rust["profile_s"]
    print(json.dumps({
        "file": path, "events": log.num_events(), "repeats": repeats,
        "rust": {"load_s": rust["load_s"], "profile_s": rust["profile_s"], "total_s": rust_total},
        "python": {**{f"{k}_s": v for k, v in med.items()}, "total_s": python_total,
                   "after_load_s": python_after_load, "runs": steps},
        "polars": {"load_s": statistics.median(pl_load), "profile_s": statistics.median(pl_profile),
                   "total_s": polars_total},
        "memory": {"peak_above_loaded_log_bytes": peak_above_log, "arrow_table_bytes": arrow_bytes,
                   "ratio": peak_above_log / arrow_bytes if arrow_bytes else None},
        "python_over_rust": python_total / rust_total,
        "polars_over_python_total": polars_total / python_total,
        "polars_over_python_after_load": statistics.median(pl_profile) / python_after_load,
        "versions": {"polars": pl.__version__, "pyarrow": pa.__version__, "pandas": pd.__version__},
        "problems": problems,
    }))


if __name__ == "__main__":
    main()
