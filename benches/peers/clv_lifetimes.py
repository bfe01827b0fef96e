"""lifetimes' results on the CDNOW data, written as the fixture tests/data/clv/lifetimes_expected.json.

    /tmp/clvpeer/bin/python benches/peers/clv_lifetimes.py [out.json]

Needs `pip install "numpy<2" "pandas<2" "scipy<1.13" lifetimes` (lifetimes 0.11.3 fails on
newer numpy/pandas/scipy). Predictions are taken at lifetimes' fitted parameters, so a Rust test
can check them to 1e-6 independently of its own fit.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
DATA = os.path.join(ROOT, "tests", "data", "clv")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(DATA, "lifetimes_expected.json")

summary = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary.csv"))
money = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv"))
x, tx, T = summary["frequency"].values, summary["recency"].values, summary["T"].values


def fl(a):
    return [float(v) for v in np.asarray(a)]


def fitted(model, names):
    return {"params": {n: float(model.params_[n]) for n in names},
            "se": {n: float(model.standard_errors_[n]) for n in names}}


result = {"description": "lifetimes 0.11.3 on the CDNOW summary (benches/peers/clv_lifetimes.py)"}

bg = BetaGeoFitter().fit(x, tx, T)
times = [1.0, 5.0, 10.0, 39.0, 78.0]
result["bg_nbd"] = dict(
    fitted(bg, ["r", "alpha", "a", "b"]),
    expected_purchases_39=fl(bg.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, T)),
    probability_alive=fl(bg.conditional_probability_alive(x, tx, T)),
    curve_times=times,
    curve=fl([bg.expected_number_of_purchases_up_to_time(t) for t in times]),
    probability_of_n_39=fl([bg.probability_of_n_purchases_up_to_time(39.0, n) for n in range(8)]),
)
bgp = BetaGeoFitter(penalizer_coef=0.1).fit(x, tx, T)
result["bg_nbd_penalized"] = dict(fitted(bgp, ["r", "alpha", "a", "b"]), penalizer=0.1)

mx, mtx, mT, mm = money["x"].values, money["t_x"].values, money["T"].values, money["zbar"].values
repeat = mx > 0
gg = GammaGammaFitter().fit(mx[repeat], mm[repeat])
bgm = BetaGeoFitter().fit(mx, mtx, mT)
result["gamma_gamma"] = dict(
    fitted(gg, ["p", "q", "v"]),
    expected_average_profit=fl(gg.conditional_expected_average_profit(pd.Series(mx), pd.Series(mm))),
    bg_nbd_params={n: float(bgm.params_[n]) for n in ["r", "alpha", "a", "b"]},
    clv_12_months_weekly=fl(gg.customer_lifetime_value(
        bgm, pd.Series(mx), pd.Series(mtx), pd.Series(mT), pd.Series(mm),
        time=12, discount_rate=0.01, freq="W")),
)

pn = ParetoNBDFitter().fit(x, tx, T)
result["pareto_nbd"] = dict(
    params={n: float(pn.params_[n]) for n in ["r", "alpha", "s", "beta"]},
    expected_purchases_39=fl(pn.conditional_expected_number_of_purchases_up_to_time(39.0, x, tx, T)),
    probability_alive=fl(pn.conditional_probability_alive(x, tx, T)),
    curve_times=times,
    curve=fl([pn.expected_number_of_purchases_up_to_time(t) for t in times]),
)

tr = pd.read_csv(os.path.join(DATA, "CDNOW_sample.txt"), sep=r"\s+", header=None,
                 names=["master", "customer", "date", "cds", "value"], dtype={"customer": str, "date": str})
tr["date"] = pd.to_datetime(tr["date"], format="%Y%m%d")
rfm = {}
for freq in ["D", "W", "M"]:
    s = summary_data_from_transaction_data(tr, "customer", "date", monetary_value_col="value",
                                           observation_period_end="1997-09-30", freq=freq)
    s = s.sort_index()
    rfm[freq] = {"customer": list(s.index), "frequency": fl(s["frequency"]), "recency": fl(s["recency"]),
                 "T": fl(s["T"]), "monetary_value": fl(s["monetary_value"])}
result["rfm"] = rfm

with open(out, "w") as f:
    json.dump(result, f)
print(json.dumps({k: v.get("params") for k, v in result.items() if isinstance(v, dict) and "params" in v}, indent=1))
