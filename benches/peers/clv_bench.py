"""lifetimes on a summary CSV, timed the way benches/src/bin/clv.rs times journeystream.

    /tmp/clvpeer/bin/python benches/peers/clv_bench.py <summary.csv> [repeats] [t]

Reads the CSV once (not timed: columns frequency, recency, T, monetary_value, or CDNOW's x, t_x,
T, zbar), then times `repeats` runs of BetaGeoFitter().fit (lifetimes computes the Hessian and
standard errors inside fit), GammaGammaFitter().fit on the repeat buyers, and the predictions
(conditional expected purchases in t periods, probability alive, conditional expected average
profit, 12-month CLV at 1 % a month with weekly data). Prints one JSON object.
"""
import json
import sys
import time
import warnings

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

warnings.simplefilter("ignore")
path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
horizon = float(sys.argv[3]) if len(sys.argv) > 3 else 39.0
df = pd.read_csv(path).rename(columns={"x": "frequency", "t_x": "recency", "zbar": "monetary_value"})
x, tx, T, m = df["frequency"], df["recency"], df["T"], df["monetary_value"]
rep = x > 0
fit_bg, fit_gg, predict = [], [], []
for _ in range(repeats):
    s = time.perf_counter()
    bg = BetaGeoFitter().fit(x, tx, T)
    fit_bg.append(time.perf_counter() - s)
    s = time.perf_counter()
    gg = GammaGammaFitter().fit(x[rep], m[rep])
    fit_gg.append(time.perf_counter() - s)
    s = time.perf_counter()
    e = bg.conditional_expected_number_of_purchases_up_to_time(horizon, x, tx, T)
    alive = bg.conditional_probability_alive(x, tx, T)
    spend = gg.conditional_expected_average_profit(x, m)
    clv = gg.customer_lifetime_value(bg, x, tx, T, m, time=12, discount_rate=0.01, freq="W")
    predict.append(time.perf_counter() - s)
print(json.dumps({
    "customers": len(df),
    "fit_bg_nbd_s": float(np.median(fit_bg)),
    "fit_gamma_gamma_s": float(np.median(fit_gg)),
    "predict_s": float(np.median(predict)),
    "runs": {"fit_bg_nbd_s": fit_bg, "fit_gamma_gamma_s": fit_gg, "predict_s": predict},
    "bg_nbd": {k: float(v) for k, v in bg.params_.items()},
    "gamma_gamma": {k: float(v) for k, v in gg.params_.items()},
    "sums": {"expected_purchases": float(np.sum(e)), "probability_alive": float(np.sum(alive)),
             "expected_average_spend": float(np.sum(spend)), "clv": float(np.sum(clv))},
}))
