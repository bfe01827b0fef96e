"""NPS and CSAT with intervals over 10M scores in numpy + statsmodels, as the criterion bench
`benches/benches/kpi.rs` does in journeystream (same sizes, uniform scores; median of 7 runs).

    /tmp/kpipeer/bin/python benches/peers/kpi_bench.py

The numpy version checks the scale, tallies with bincount and computes the intervals; like ours it
starts from float64 scores.
"""

import time

import numpy as np
from statsmodels.stats.proportion import proportion_confint

N = 10_000_000


def nps(s):
    if not (np.all((s >= 0) & (s <= 10)) and np.all(s == np.floor(s))):
        raise ValueError("off scale")
    t = np.bincount(s.astype(np.int64), minlength=11)
    n = t.sum()
    pro, det = t[9:].sum() / n, t[:7].sum() / n
    pa, da, na = (t[9:].sum() + 0.75) / (n + 3), (t[:7].sum() + 0.75) / (n + 3), n + 3
    se = np.sqrt((pa + da - (pa - da) ** 2) / na)
    return 100 * (pro - det), 100 * (pa - da - 1.959963984540054 * se), 100 * (pa - da + 1.959963984540054 * se)


def csat(s):
    if not (np.all((s >= 1) & (s <= 5)) and np.all(s == np.floor(s))):
        raise ValueError("off scale")
    x = int(np.count_nonzero(s >= 4))
    return x / len(s), proportion_confint(x, len(s), method="wilson")


def median_time(f, s, runs=7):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f(s)
        times.append(time.perf_counter() - t)
    return sorted(times)[runs // 2]


if __name__ == "__main__":
    rng = np.random.default_rng(1)
    nps_scores = rng.integers(0, 11, N).astype(np.float64)
    csat_scores = rng.integers(1, 6, N).astype(np.float64)
    print(f"numpy+statsmodels nps 10M:  {median_time(nps, nps_scores) * 1e3:.1f} ms")
    print(f"numpy+statsmodels csat 10M: {median_time(csat, csat_scores) * 1e3:.1f} ms")
