"""Funnel and step matrix on a journey CSV with a peer: a hand-written polars version, or
retentioneering (Eventstream.funnel_data / step_matrix_data). Prints one JSON line: load and
preparation time, the medians of the funnel and step-matrix calls, and the largest differences
from journeystream's results (its JSON from benches/src/bin/journey.rs).

    python journey_peers.py polars|retentioneering <events.csv> <repeats> <max_steps> <steps> <ours.json>

The funnel is strict order (other events allowed between), counted in unique cases, no window:
per case, the first event of step 1, then the first event of step k after step k-1's. Events are
ordered by time within a case (the generator's times strictly increase within a case).
"""

import json
import os
import sys
import time

from timing import timed

os.environ.setdefault("RETENTIONEERING_NO_TRACK", "1")

CASE, ACT, TIME = "case:concept:name", "concept:name", "time:timestamp"


def polars_peer(path, repeats, max_steps, steps):
    import polars as pl

    t = time.perf_counter()
    df = pl.read_csv(path, columns=[CASE, ACT, TIME], try_parse_dates=True)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    df = (
        df.rename({CASE: "case", ACT: "a", TIME: "t"})
        .sort(["case", "t"], maintain_order=True)
        .with_columns(pl.int_range(pl.len()).over("case").alias("idx"))
    )
    prep_s = time.perf_counter() - t

    def funnel():
        first = df.filter(pl.col("a") == steps[0]).group_by("case").agg(pl.col("idx").min(), pl.col("t").min())
        start = first.select("case", pl.col("t").alias("t0"))
        counts, medians, prev = [first.height], [None], first
        for s in steps[1:]:
            cur = (
                df.filter(pl.col("a") == s)
                .join(prev.select("case", pl.col("idx").alias("pidx")), on="case")
                .filter(pl.col("idx") > pl.col("pidx"))
                .group_by("case")
                .agg(pl.col("idx").min(), pl.col("t").min())
            )
            counts.append(cur.height)
            dt = cur.join(start, on="case").select((pl.col("t") - pl.col("t0")).dt.total_milliseconds() / 1000.0)
            medians.append(dt.to_series().median() if cur.height else None)
            prev = cur
        return counts, medians

    def matrix():
        cases = df["case"].n_unique()
        counts = df.filter(pl.col("idx") < max_steps).group_by("a", "idx").len()
        shares = {}
        ended = [cases] * max_steps
        for a, idx, n in counts.iter_rows():
            shares.setdefault(a, [0.0] * max_steps)[idx] = n / cases
            ended[idx] -= n
        shares["ENDED"] = [e / cases for e in ended]
        return shares

    f_s, f_runs, (counts, medians) = timed(funnel, repeats)
    m_s, m_runs, shares = timed(matrix, repeats)
    return {"load_s": load_s, "prep_s": prep_s, "funnel_s": f_s, "funnel_runs_s": f_runs, "step_matrix_s": m_s,
            "step_matrix_runs_s": m_runs, "funnel_counts": counts, "funnel_median_from_start_s": medians,
            "step_matrix": shares}


def retentioneering_peer(path, repeats, max_steps, steps):
    import pandas as pd
    from retentioneering.eventstream import Eventstream

    t = time.perf_counter()
    df = pd.read_csv(path, usecols=[CASE, ACT, TIME])
    df = df.rename(columns={CASE: "user_id", ACT: "event", TIME: "timestamp"})
    df["timestamp"] = pd.to_datetime(df["timestamp"]).dt.tz_localize(None)
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    stream = Eventstream(df)
    prep_s = time.perf_counter() - t

    def funnel():
        return [s["unique_paths"] for s in stream.funnel_data(steps=list(steps))["steps"]]

    def matrix():
        m = stream.step_matrix_data(max_steps=max_steps)
        shares = {}
        for event, row in m.iterrows():
            if event == "path_start":
                continue
            name = "ENDED" if event == "path_end" else str(event)
            shares[name] = [float(row[j]) for j in range(1, max_steps + 1)]
        return shares

    f_s, f_runs, counts = timed(funnel, repeats)
    m_s, m_runs, shares = timed(matrix, repeats)
    import retentioneering

    return {"version": retentioneering.__version__, "load_s": load_s, "prep_s": prep_s, "funnel_s": f_s,
            "funnel_runs_s": f_runs, "step_matrix_s": m_s, "step_matrix_runs_s": m_runs, "funnel_counts": counts,
            "step_matrix": shares}


def main():
    peer, path, repeats, max_steps, steps, ours_path = sys.argv[1:7]
    repeats, max_steps, steps = int(repeats), int(max_steps), steps.split(",")
    out = (polars_peer if peer == "polars" else retentioneering_peer)(path, repeats, max_steps, steps)
    ours = json.load(open(ours_path))
    out["peer"] = peer
    out["funnel_counts_equal"] = out["funnel_counts"] == ours["funnel_counts"]
    names = set(out["step_matrix"]) | set(ours["step_matrix"])
    zero = [0.0] * max_steps
    out["step_matrix_max_diff"] = max(
        abs(x - y)
        for n in names
        for x, y in zip(out["step_matrix"].get(n, zero), ours["step_matrix"].get(n, zero))
    )
    if "funnel_median_from_start_s" in out:
        out["funnel_median_max_diff_s"] = max(
            [abs(x - y) for x, y in zip(out["funnel_median_from_start_s"], ours["funnel_median_from_start_s"]) if x is not None and y is not None] or [0.0]
        )
    del out["step_matrix"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
