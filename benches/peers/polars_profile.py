"""The process profile written by hand in polars (lazy API), timed and checked against ours.

    /tmp/peers/bin/python benches/peers/polars_profile.py <events.parquet|events.csv> <ours.json> [repeats]

`<ours.json>` is journeystream's profile of the same events (written by profile_log or
csv_ingest). The input is loaded into a DataFrame first (timed apart, as `load_s`, including
casting the activity column to a categorical); the profile
is timed after loading, as ours is: the median of `repeats` runs of one `collect_all` over

- the events sorted by case, then timestamp, ties in file order (a stable sort, as ours and pm4py);
- the directly-follows graph: consecutive events of a case (a global shift, masked where the case
  changes), grouped by (source, target): count, and mean, median, min, max, sum and sample
  standard deviation of the flow time (next timestamp minus this one, seconds);
- activities: events and distinct cases of each;
- per case: the activity list (the variant), first and last activity, duration (last minus first
  timestamp); then variants (count and duration statistics per activity list), start and end
  activities, statistics of all case durations, and every case's duration, longest first.

Prints one JSON line: load_s, profile_s, runs, and `problems` — the differences from ours (counts
must be equal; times within 1 ms or 1e-9 relative). An empty list means the profiles agree.
"""

import json
import math
import statistics
import sys
import time

import polars as pl

CASE, ACT, TS = "case:concept:name", "concept:name", "time:timestamp"


def load(path):
    if path.endswith(".parquet"):
        df = pl.read_parquet(path, columns=[CASE, ACT, TS])
    else:
        df = pl.read_csv(path, columns=[CASE, ACT, TS], try_parse_dates=True)
    if df.schema[TS] == pl.String:  # the parser did not take it: say so rather than guess
        raise SystemExit(f"{path}: polars did not parse {TS} as a datetime")
    # Activities as categoricals (interned, as ours are on loading): 30 % faster profile than
    # strings on BPIC 2012. Case ids stay strings (categoricals gained nothing there).
    return df.with_columns(pl.col(ACT).cast(pl.Categorical))


def stats(col):
    """Duration statistics (seconds) of an integer nanosecond column."""
    c = pl.col(col)
    return [
        pl.len().alias("count"),
        (c.mean() / 1e9).alias("mean"),
        (c.median() / 1e9).alias("median"),
        (c.min() / 1e9).alias("min"),
        (c.max() / 1e9).alias("max"),
        # Summed as floats: an Int64 sum of nanoseconds wraps around silently past 292 years
        # (BPIC 2012's case durations add up to 309 years).
        (c.cast(pl.Float64).sum() / 1e9).alias("total"),
        (c.std(ddof=1) / 1e9).alias("stdev"),
    ]


def profile_plan(df):
    events = (
        df.lazy()
        .select(pl.col(CASE).alias("case"), pl.col(ACT).alias("act"), pl.col(TS).alias("ts"))
        .sort(["case", "ts"], maintain_order=True)
    )
    dfg = (
        events.with_columns(
            target=pl.col("act").shift(-1),
            same=pl.col("case") == pl.col("case").shift(-1),
            flow=(pl.col("ts").shift(-1) - pl.col("ts")).dt.total_nanoseconds(),
        )
        .filter(pl.col("same"))
        .group_by("act", "target")
        .agg(stats("flow"))
    )
    activities = events.group_by("act").agg(events=pl.len(), cases=pl.col("case").n_unique())
    cases = events.group_by("case").agg(
        variant=pl.col("act"),
        first=pl.col("act").first(),
        last=pl.col("act").last(),
        duration=(pl.col("ts").last() - pl.col("ts").first()).dt.total_nanoseconds(),
    )
    variants = cases.group_by("variant").agg(stats("duration"))
    start = cases.group_by("first").len()
    end = cases.group_by("last").len()
    case_stats = cases.select(stats("duration"))
    by_duration = cases.select("case", "duration").sort(["duration", "case"], descending=[True, False])
    return [dfg, activities, variants, start, end, case_stats, by_duration]


def profile(df):
    return pl.collect_all(profile_plan(df))


def close(a, b):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) == (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(a - b) <= max(1e-3, 1e-9 * abs(b))


def compare(ours, theirs):
    dfg, activities, variants, start, end, case_stats, by_duration = theirs
    problems = []
    if ours["events"] != activities["events"].sum():
        problems.append(f"events: {ours['events']} vs {activities['events'].sum()}")
    if ours["cases"] != case_stats["count"][0]:
        problems.append(f"cases: {ours['cases']} vs {case_stats['count'][0]}")
    our_dfg = {(e["source"], e["target"]): e for e in ours["dfg"]}
    their_dfg = {(r["act"], r["target"]): r for r in dfg.iter_rows(named=True)}
    if set(our_dfg) != set(their_dfg):
        problems.append(f"DFG edges differ: {len(our_dfg)} vs {len(their_dfg)}")
    for key, r in their_dfg.items():
        e = our_dfg.get(key)
        if e is None or e["count"] != r["count"]:
            problems.append(f"edge {key}: count {e and e['count']} vs {r['count']}")
            continue
        for k in ["mean", "median", "min", "max", "total", "stdev"]:
            if not close(e[k], r[k]):
                problems.append(f"edge {key} {k}: {e[k]} vs {r[k]}")
    our_acts = {a["activity"]: (a["events"], a["cases"]) for a in ours["activities"]}
    their_acts = {r["act"]: (r["events"], r["cases"]) for r in activities.iter_rows(named=True)}
    if our_acts != their_acts:
        problems.append("activity counts differ")
    for name, ours_list, frame, col in [("start", ours["start_activities"], start, "first"), ("end", ours["end_activities"], end, "last")]:
        if {x["activity"]: x["cases"] for x in ours_list} != dict(zip(frame[col], frame["len"])):
            problems.append(f"{name} activities differ")
    our_variants = {tuple(v["activities"]): v for v in ours["variants"]}
    their_variants = {tuple(r["variant"]): r for r in variants.iter_rows(named=True)}
    if {k: v["count"] for k, v in our_variants.items()} != {k: r["count"] for k, r in their_variants.items()}:
        problems.append(f"variants differ: {len(our_variants)} vs {len(their_variants)}")
    else:
        for k, r in their_variants.items():
            d = our_variants[k]["duration"]
            if not all(close(d[s], r[s]) for s in ["mean", "median", "min", "max", "total"]):
                problems.append(f"variant {k[:3]}... durations differ")
                break
    cs = case_stats.row(0, named=True)
    for k in ["mean", "median", "min", "max", "total", "stdev"]:
        if not close(ours["case_durations"][k], cs[k]):
            problems.append(f"case durations {k}: {ours['case_durations'][k]} vs {cs[k]}")
    our_list = [(c["case"], c["duration"]) for c in ours["cases_by_duration"]]
    their_list = list(zip(by_duration["case"], (by_duration["duration"] / 1e9)))
    if len(our_list) != len(their_list) or any(a[0] != b[0] or not close(a[1], b[1]) for a, b in zip(our_list, their_list)):
        problems.append("cases by duration differ")
    return problems


def main():
    path, ours_path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    t = time.perf_counter()
    df = load(path)
    load_s = time.perf_counter() - t
    runs, result = [], None
    for _ in range(repeats):
        result = None
        t = time.perf_counter()
        result = profile(df)
        runs.append(time.perf_counter() - t)
    with open(ours_path) as f:
        ours = json.load(f)
    problems = compare(ours, result)
    print(json.dumps({
        "file": path, "polars_version": pl.__version__, "threads": pl.thread_pool_size(),
        "events": df.height, "load_s": load_s, "profile_s": statistics.median(runs), "runs_s": runs,
        "dfg_edges": result[0].height, "variants": result[2].height,
        "problems": problems[:20], "problem_count": len(problems),
    }))


if __name__ == "__main__":
    main()
