"""Change points side by side with ruptures, from Python: the same series, cost, penalty,
min_size and jump through ruptures' Pelt and Binseg and journeystream's change_points; checks
the breakpoints are equal and prints the time of each and the ratio.

    python benches/peers/ruptures_changepoints.py [N] [REPEATS]

Needs numpy, ruptures and journeystream (the wheel or `maturin develop`) in the same Python.
Series: piecewise-constant means (a new level every 500 points, levels N(0, 3²)) plus N(0, 1)
noise, seeded. The penalty is the BIC journeystream computes for the series (the value it
reports), given to ruptures as a number.
"""

import json
import sys

import numpy as np
import ruptures as rpt

import journeystream as js
from timing import timed

MODELS = {"normal_mean": "l2", "normal_mean_var": "normal"}


def series(n, seed):
    rng = np.random.default_rng(seed)
    levels = np.repeat(rng.normal(0, 3, n // 500 + 1), 500)[:n]
    return levels + rng.normal(0, 1, n)


def compare(y, cost, method, jump, repeats, min_size=2):
    ours_t, _, ours = timed(
        lambda: js.change_points(y, cost=cost, method=method, jump=jump, min_size=min_size), repeats)
    algo = rpt.Pelt if method == "pelt" else rpt.Binseg
    peer = algo(model=MODELS[cost], min_size=min_size, jump=jump).fit(y)
    peer_t, _, theirs = timed(lambda: peer.predict(pen=ours.penalty), max(1, repeats // 3))
    return {
        "n": len(y), "cost": cost, "method": method, "jump": jump, "min_size": min_size,
        "penalty": ours.penalty, "changes": len(ours.breakpoints) - 1,
        "equal": list(ours.breakpoints) == list(theirs),
        "journeystream_s": ours_t, "ruptures_s": peer_t, "ratio": peer_t / ours_t,
    }


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rows = []
    # Equality on small series, every cost, method and both jumps.
    for seed in range(5):
        y = series(2_000, seed)
        for cost in MODELS:
            for method in ("pelt", "binary_segmentation"):
                for jump in (1, 5):
                    min_size = 2 if cost == "normal_mean" else 10
                    rows.append(compare(y, cost, method, jump, 1, min_size))
    # Speed: PELT on N points with ruptures' default jump of 5, normal mean (l2).
    rows.append(compare(series(n, 42), "normal_mean", "pelt", 5, repeats))
    for r in rows:
        print(json.dumps(r))
    bad = [r for r in rows if not r["equal"]]
    big = rows[-1]
    print(f"equal breakpoints: {len(rows) - len(bad)} of {len(rows)}; PELT on {big['n']} points "
          f"({big['changes']} changes): journeystream {big['journeystream_s'] * 1e3:.1f} ms, "
          f"ruptures {big['ruptures_s']:.2f} s, ratio {big['ratio']:.0f}x", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
