"""Timing shared by the peer scripts (imported from their own folder)."""

import statistics
import time


def timed(f, repeats):
    """Runs ``f`` ``repeats`` times: (median seconds, every run's seconds, the last result)."""
    runs, out = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        out = f()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs, out
