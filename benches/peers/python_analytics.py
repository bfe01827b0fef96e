"""KPIs, lifetime value and attribution from Python, side by side with the Rust core and with the
peer a Python user would pick, on the same input in one run.

    python benches/peers/python_analytics.py <bin_dir> <clv_summary.csv> <paths.csv> [repeats]

`<bin_dir>` holds the release bench binaries `kpi_scores`, `clv` and `attribution` (the Rust
figures: the core on the same sizes, without Python); the Python must have journeystream, numpy,
pandas, statsmodels and lifetimes (see benches/README.md, "From Python"). Timed, as medians of
`repeats` runs (default 5; lifetimes once on the 1M base):

- NPS and CSAT with intervals on 10M int64 numpy scores: `js.nps` / `js.csat` against numpy +
  statsmodels (`kpi_bench.py`); results compared;
- BG/NBD and Gamma-Gamma fit and predictions (39 weeks, probability alive, expected spend,
  12-month CLV) on 1M customers from pandas columns: ours against lifetimes (`clv_bench.py`, in a
  subprocess) and against `clv run` (Rust), with the Python layer's share of our total;
- the Markov model (order 1) on the 1M-row path table from a pandas frame: ours against
  `attribution run` (Rust, which parses the same path strings).

Prints one JSON line with every figure and the ratios.
"""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import journeystream as js  # noqa: E402
import kpi_bench  # noqa: E402
from timing import timed  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def rust(bin_dir, *args):
    out = subprocess.run([os.path.join(bin_dir, args[0]), *args[1:]], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def kpis(bin_dir, repeats):
    rng = np.random.default_rng(1)
    scores = {"nps": rng.integers(0, 11, kpi_bench.N), "csat": rng.integers(1, 6, kpi_bench.N)}
    ours_rust = rust(bin_dir, "kpi_scores", str(kpi_bench.N), str(repeats))
    out = {}
    for name, ours_f, peer_f in [("nps", js.nps, kpi_bench.nps), ("csat", js.csat, kpi_bench.csat)]:
        s = scores[name]
        ours_s, _, ours = timed(lambda: ours_f(s), repeats)
        # The peer starts from the same int64 array (its checks need floats for floor()).
        peer_s, _, peer = timed(lambda: peer_f(s.astype(np.float64)), repeats)
        value, (low, high) = (peer[0], peer[1:]) if name == "nps" else (peer[0], peer[1])
        out[name] = {
            "python_s": ours_s,
            "numpy_statsmodels_s": peer_s,
            "rust_s": ours_rust[name]["median_s"],
            "peer_over_python": peer_s / ours_s,
            "python_over_rust": ours_s / ours_rust[name]["median_s"],
            "max_abs_diff": max(
                abs(ours.overall.value - value),
                abs(ours.overall.ci_low - low),
                abs(ours.overall.ci_high - high),
            ),
        }
    return out


def clv(bin_dir, summary_csv, repeats):
    df = pd.read_csv(summary_csv)
    rep = df[df["frequency"] > 0]

    def run():
        bg = js.clv_fit("bg_nbd", df["frequency"], df["recency"], df["T"])
        gg = js.clv_fit("gamma_gamma", rep["frequency"], rep["recency"], rep["T"], rep["monetary_value"])
        p = js.clv_predict(bg, df["frequency"], df["recency"], df["T"], df["monetary_value"], t=39,
                           spend=gg, clv={"time": 12, "discount_rate": 0.01, "freq": "W"})
        # What a user reads: the predictions as numpy arrays.
        return bg, gg, (p.expected_purchases, p.probability_alive, p.expected_average_spend, p.clv)

    ours_s, _, (bg, gg, arrays) = timed(run, repeats)
    r = rust(bin_dir, "clv", "run", summary_csv, str(repeats))
    rust_s = r["fit_bg_nbd_s"] + r["fit_gamma_gamma_s"] + r["predict_s"]
    peer = subprocess.run([sys.executable, os.path.join(HERE, "clv_bench.py"), summary_csv, "1"],
                          check=True, capture_output=True, text=True)
    peer = json.loads(peer.stdout.strip().splitlines()[-1])
    peer_s = peer["fit_bg_nbd_s"] + peer["fit_gamma_gamma_s"] + peer["predict_s"]
    sums = dict(zip(["expected_purchases", "probability_alive", "expected_average_spend", "clv"],
                    [float(np.sum(a)) for a in arrays]))
    return {
        "customers": len(df),
        "python_s": ours_s,
        "rust_s": rust_s,
        "lifetimes_s": peer_s,
        "lifetimes": {k: peer[k] for k in ["fit_bg_nbd_s", "fit_gamma_gamma_s", "predict_s"]},
        "lifetimes_over_python": peer_s / ours_s,
        "python_layer_share": (ours_s - rust_s) / ours_s,
        "params": {"ours": {"bg_nbd": bg.params, "gamma_gamma": gg.params},
                   "lifetimes": {"bg_nbd": peer["bg_nbd"], "gamma_gamma": peer["gamma_gamma"]}},
        "sums_rel_diff": {k: abs(sums[k] - peer["sums"][k]) / abs(peer["sums"][k]) for k in sums},
    }


def attribution(bin_dir, paths_csv, repeats):
    frame = pd.read_csv(paths_csv, sep=";")
    ours_s, _, ours = timed(lambda: js.attribution("markov", paths=frame, order=1), repeats)
    r = rust(bin_dir, "attribution", "run", paths_csv, "markov", "1", str(repeats))
    theirs = {c["channel"]: c for c in r["result"]["channels"]}
    diff = max(abs(c.conversions - theirs[c.channel]["conversions"]) for c in ours.channels)
    return {
        "rows": len(frame),
        "python_s": ours_s,
        "rust_s": r["median_s"],
        "python_over_rust": ours_s / r["median_s"],
        "max_conversions_diff": diff,
    }


def main():
    bin_dir, summary_csv, paths_csv = sys.argv[1:4]
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    print(json.dumps({
        "kpi_10m": kpis(bin_dir, repeats),
        "clv_1m": clv(bin_dir, summary_csv, repeats),
        "attribution_markov_1m": attribution(bin_dir, paths_csv, repeats),
    }))


if __name__ == "__main__":
    main()
