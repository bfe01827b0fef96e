"""XES(.gz) import with rustxes (rust4pm's Python binding: XES to a polars DataFrame).

    /tmp/peers/bin/python benches/peers/rustxes_import.py <log.xes.gz> [repeats] [--parquet out.parquet]

Prints one JSON line: the median import time of `repeats` runs (each run imports and drops the
frame), rows, the peak resident memory of this process, and the rustxes version. With
`--parquet`, also writes the case, activity and timestamp columns of the imported log to a
parquet file (once, untimed), the input of benches/peers/polars_profile.py; if rustxes cannot
import the file, the export falls back to pm4py and the JSON says so.
"""

import json
import resource
import statistics
import sys
import time
from importlib import metadata

import polars as pl

CASE, ACT, TS = "case:concept:name", "concept:name", "time:timestamp"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = args[0]
    repeats = int(args[1]) if len(args) > 1 else 5
    parquet = sys.argv[sys.argv.index("--parquet") + 1] if "--parquet" in sys.argv else None
    if parquet in args:
        args.remove(parquet)
    out = {"file": path, "repeats": repeats}
    try:
        import rustxes

        out["rustxes_version"] = metadata.version("rustxes")
        times, df = [], None
        for _ in range(repeats):
            df = None  # drop the previous frame before the next import
            t = time.perf_counter()
            df, _log_attributes = rustxes.import_xes(path)
            times.append(time.perf_counter() - t)
        out.update(median_s=statistics.median(times), runs_s=times, rows=df.height,
                   cases=df[CASE].n_unique(), columns=df.columns)
        out["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    except Exception as e:  # recorded, not hidden: the summary prints it
        out["error"] = f"{type(e).__name__}: {e}"
        df = None
    if parquet:
        if df is None:
            import os

            os.environ.setdefault("TQDM_DISABLE", "1")
            import pm4py

            pdf = pm4py.read_xes(path)[[CASE, ACT, TS]]
            df = pl.from_pandas(pdf)
            out["parquet_from"] = "pm4py"
        else:
            out["parquet_from"] = "rustxes"
        df.select(pl.col(CASE).cast(pl.String), pl.col(ACT).cast(pl.String), pl.col(TS)).write_parquet(parquet)
        out["parquet"] = parquet
    print(json.dumps(out))


if __name__ == "__main__":
    main()
