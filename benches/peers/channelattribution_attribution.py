"""ChannelAttribution's heuristic_models and markov_model, timed and compared with journeystream.

    /tmp/capeer/bin/python benches/peers/channelattribution_attribution.py <table.csv|Data> <order> <repeats> \
        <ours_heuristics.json> <ours_markov.json>

`<table.csv>` is a path table in ChannelAttribution's layout (`;`-separated: path,
total_conversions, total_conversion_value, total_null); `Data` reads the package's own example
data. The ours_*.json files are the outputs of `attribution run` (benches/src/bin/attribution.rs)
on the same table: ours_heuristics.json a JSON list of the first_touch, last_touch and linear runs.

Timed (median of `repeats`): `heuristic_models` and `markov_model` (order `order`, its defaults
otherwise: 1e5 simulations, seed 0, convergence 5 %), on a DataFrame read beforehand.

Prints one JSON line: the timings; `heuristic_max_rel_diff` (largest relative difference of any
channel's first/last/linear conversions or value: the models are deterministic, so this must be
below 1e-9); for the Markov model the largest absolute difference of a removal effect
(`markov_max_re_diff`) and of a channel's share of the conversions (`markov_max_share_diff`), and
`markov_noise_sd`: the binomial standard deviation of ChannelAttribution's estimate of the largest
removal effect from its effective number of simulated conversions (one fold: 1e5 / 10 paths times
P(conversion)), so the differences can be read in units of its simulation noise.
"""

import json
import math
import os
import sys

from timing import timed

import pandas as pd
import ChannelAttribution as ca


def load(arg):
    if arg == "Data":
        arg = os.path.join(os.path.dirname(ca.__file__), "..", "cypack", "data", "Data.csv")
    return pd.read_csv(arg, sep=";")


def main():
    table, order, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ours_h = json.load(open(sys.argv[4]))
    ours_m = json.load(open(sys.argv[5]))["result"]
    data = load(table)

    h_s, h_runs, h = timed(
        lambda: ca.heuristic_models(
            data, "path", "total_conversions", var_value="total_conversion_value", flg_pro=False
        ),
        repeats,
    )
    m_s, m_runs, m = timed(
        lambda: ca.markov_model(
            data,
            "path",
            "total_conversions",
            var_value="total_conversion_value",
            var_null="total_null",
            order=order,
            out_more=True,
            verbose=False,
            flg_pro=False,
        ),
        repeats,
    )

    worst = 0.0
    h = h.set_index("channel_name")
    for run in ours_h:
        model = run["result"]["model"]
        col = {"first_touch": "first_touch", "last_touch": "last_touch", "linear": "linear_touch"}[model]
        for c in run["result"]["channels"]:
            for ours, theirs in [
                (c["conversions"], h.loc[c["channel"], col + "_conversions"]),
                (c["value"], h.loc[c["channel"], col + "_value"]),
            ]:
                worst = max(worst, abs(ours - theirs) / max(1.0, abs(theirs)))

    res = m["result"].set_index("channel_name")
    re = m["removal_effects"].set_index("channel_name")
    total = res["total_conversions"].sum()
    re_diff = share_diff = 0.0
    for c in ours_m["channels"]:
        name = c["channel"]
        if name not in re.index:
            continue
        re_diff = max(re_diff, abs(c["removal_effect"] - re.loc[name, "removal_effects_conversion"]))
        ours_total = sum(x["conversions"] for x in ours_m["channels"])
        share_diff = max(
            share_diff,
            abs(c["conversions"] / ours_total - res.loc[name, "total_conversions"] / total),
        )
    p = ours_m["markov"]["conversion_probability"]
    top = max(c["removal_effect"] for c in ours_m["channels"])
    simulated_conversions = 1e5 / 10 * p
    noise = math.sqrt(top * (1 - top) / simulated_conversions)
    print(
        json.dumps(
            {
                "table": table,
                "rows": len(data),
                "order": order,
                "ca_heuristic_s": h_s,
                "ca_heuristic_runs_s": h_runs,
                "ca_markov_s": m_s,
                "ca_markov_runs_s": m_runs,
                "heuristic_max_rel_diff": worst,
                "markov_max_re_diff": re_diff,
                "markov_max_share_diff": share_diff,
                "markov_noise_sd": noise,
            }
        )
    )


if __name__ == "__main__":
    main()
