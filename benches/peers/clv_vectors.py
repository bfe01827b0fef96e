"""Writes the clv-*.json conformance vectors with lifetimes' figures.

    /tmp/clvpeer/bin/python benches/peers/clv_vectors.py

Each vector's request is built here; its expected values are lifetimes 0.11.3's results on the
same data (the published Fader, Hardie & Lee 2005 parameters where noted).
"""
import json
import os

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter
from lifetimes.utils import summary_data_from_transaction_data

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
VEC = os.path.join(ROOT, "tests", "vectors")
DATA = os.path.join(ROOT, "tests", "data", "clv")


def fl(a):
    return [float(v) for v in np.asarray(a)]


def near(values, tol):
    return [{"value": float(v), "tol": tol} for v in np.asarray(values)]


def write(name, vector):
    with open(os.path.join(VEC, name + ".json"), "w") as f:
        json.dump(vector, f, indent=1)
        f.write("\n")


# RFM summary from transaction arrays, weeks, with values and an observation end.
tx = pd.DataFrame({
    "customer": ["a", "a", "a", "a", "b", "b", "c", "d", "d", "d"],
    "date": ["2024-01-01T10:00:00Z", "2024-01-03T09:00:00Z", "2024-01-20T12:00:00Z", "2024-03-02T08:00:00Z",
             "2024-01-07T23:00:00Z", "2024-01-08T01:00:00Z", "2024-02-10T00:00:00Z", "2024-01-15T00:00:00Z",
             "2024-01-15T05:00:00Z", "2024-02-28T00:00:00Z"],
    "value": [10.0, 5.0, 20.0, 99.0, 7.5, 12.5, 30.0, 4.0, 6.0, 8.0],
})
tx["when"] = pd.to_datetime(tx["date"]).dt.tz_localize(None)
for freq in ["D", "W", "M"]:
    s = summary_data_from_transaction_data(tx, "customer", "when", monetary_value_col="value",
                                           observation_period_end="2024-02-29", freq=freq).sort_index()
    write(f"clv-rfm-summary-{freq.lower()}", {
        "description": f"RFM summary in periods of {freq} (weeks Monday-Sunday), observation end 2024-02-29 "
                       "(periods after the end's period dropped: customer a's purchase of Saturday March 2 is kept "
                       "in weeks, dropped in days and months; purchases in one period counted once, values summed): lifetimes' summary_data_from_transaction_data (benches/peers/clv_vectors.py).",
        "call": "analyze",
        "request": {"analysis": "rfm_summary", "customers": list(tx["customer"]), "timestamps": list(tx["date"]),
                    "values": fl(tx["value"]), "freq": freq, "observation_period_end": "2024-02-29T00:00:00Z"},
        "expect": {"customer": list(s.index), "frequency": fl(s["frequency"]), "recency": fl(s["recency"]),
                   "T": fl(s["T"]), "monetary_value": fl(s["monetary_value"])},
    })

# RFM summary from an event log: purchases are "buy" events; no values.
events = [["c1", "visit", "2024-05-01T08:00:00Z"], ["c1", "buy", "2024-05-01T09:00:00Z"],
          ["c1", "buy", "2024-05-01T17:00:00Z"], ["c1", "buy", "2024-05-04T10:00:00Z"],
          ["c2", "buy", "2024-05-02T10:00:00Z"], ["c2", "visit", "2024-05-09T10:00:00Z"],
          ["c3", "visit", "2024-05-03T10:00:00Z"], ["c4", "buy", "2024-05-03T10:00:00Z"],
          ["c4", "buy", "2024-05-10T10:00:00Z"]]
buys = pd.DataFrame([e for e in events if e[1] == "buy"], columns=["customer", "activity", "date"])
buys["when"] = pd.to_datetime(buys["date"]).dt.tz_localize(None)
s = summary_data_from_transaction_data(buys, "customer", "when", freq="D").sort_index()
write("clv-rfm-summary-log", {
    "description": "RFM summary in days from a log, purchases = buy events (c3 never buys; c1's two buys on "
                   "May 1 count once); observation end = the latest purchase: lifetimes.",
    "call": "analyze",
    "log_events": events,
    "request": {"analysis": "rfm_summary", "purchase_activity": "buy"},
    "expect": {"customer": list(s.index), "frequency": fl(s["frequency"]), "recency": fl(s["recency"]),
               "T": fl(s["T"])},
})

# BG/NBD on CDNOW, as distinct (x, t_x, T) rows with weights.
cd = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary.csv"))
g = cd.groupby(["frequency", "recency", "T"]).size().reset_index(name="w")
bg = BetaGeoFitter().fit(g["frequency"], g["recency"], g["T"], weights=g["w"])
published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
write("clv-fit-bg-nbd-cdnow", {
    "description": "BG/NBD on the CDNOW summary (2357 customers as distinct rows with weights): the parameters of "
                   "Fader, Hardie & Lee (2005) to the 3 decimals printed, and lifetimes' weighted fit to 1e-4 "
                   f"relative (r {bg.params_['r']:.6f}, alpha {bg.params_['alpha']:.6f}, a {bg.params_['a']:.6f}, "
                   f"b {bg.params_['b']:.6f}); LL -9582.4 as published.",
    "call": "analyze",
    "request": {"analysis": "clv_fit", "model": "bg_nbd", "frequency": fl(g["frequency"]),
                "recency": fl(g["recency"]), "T": fl(g["T"]), "weights": fl(g["w"])},
    "expect": {"param_names": ["r", "alpha", "a", "b"],
               "params": [{"round": 3, "value": published[n]} for n in ["r", "alpha", "a", "b"]],
               "log_likelihood": {"round": 1, "value": -9582.4},
               "customers": 2357, "convergence": {"converged": True}},
})

# Gamma-Gamma on the repeat buyers of the first 200 CDNOW customers.
mo = pd.read_csv(os.path.join(DATA, "cdnow_customers_summary_with_transactions.csv")).head(200)
gg = GammaGammaFitter().fit(mo["x"][mo["x"] > 0], mo["zbar"][mo["x"] > 0])
write("clv-fit-gamma-gamma", {
    "description": "Gamma-Gamma on the first 200 CDNOW customers (fitted on those with repeat purchases): lifetimes' "
                   "parameters, to 1e-4 relative.",
    "call": "analyze",
    "request": {"analysis": "clv_fit", "model": "gamma_gamma", "frequency": fl(mo["x"]), "recency": fl(mo["t_x"]),
                "T": fl(mo["T"]), "monetary_value": fl(mo["zbar"])},
    "expect": {"param_names": ["p", "q", "v"],
               "params": [{"value": float(gg.params_[n]), "tol": 1e-4 * float(gg.params_[n])} for n in "pqv"],
               "customers": int((mo["x"] > 0).sum()), "convergence": {"converged": True}},
})

# Predictions at the published parameters for 6 CDNOW customers.
few = mo.iloc[[0, 1, 2, 5, 8, 17]]
m = BetaGeoFitter()
m.params_ = pd.Series(published)
gp = {"p": 6.25, "q": 3.74, "v": 15.44}
ggm = GammaGammaFitter()
ggm.params_ = pd.Series(gp)
m.predict = m.conditional_expected_number_of_purchases_up_to_time
x, t_x, T, z = (pd.Series(few[c].values) for c in ["x", "t_x", "T", "zbar"])
clv = ggm.customer_lifetime_value(m, x, t_x, T, z, time=12, discount_rate=0.01, freq="W")
times = [1, 10, 39, 78]
hist_T = mo["T"].values
write("clv-predict-bg-nbd", {
    "description": "BG/NBD predictions at the published CDNOW parameters (Fader, Hardie & Lee 2005; customer 1 "
                   "expects 1.226 purchases in 39 weeks), Gamma-Gamma spend p 6.25 q 3.74 v 15.44, CLV over 12 "
                   "months at 1 % a month with weekly data: lifetimes' formulas (conditional_expected_number_of_"
                   "purchases_up_to_time, conditional_probability_alive, conditional_expected_average_profit, "
                   "customer_lifetime_value, expected_number_of_purchases_up_to_time); the model histogram is the "
                   "sum of lifetimes' probability_of_n_purchases_up_to_time over the customers' T.",
    "call": "analyze",
    "request": {"analysis": "clv_predict", "model": "bg_nbd", "params": published, "spend_params": gp,
                "frequency": fl(x), "recency": fl(t_x), "T": fl(T), "monetary_value": fl(z), "t": 39,
                "clv": {"time": 12, "discount_rate": 0.01, "freq": "W"}, "curve_times": times},
    "expect": {
        "expected_purchases": near(m.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T), 1e-9),
        "probability_alive": near(m.conditional_probability_alive(x, t_x, T), 1e-9),
        "expected_average_spend": near(ggm.conditional_expected_average_profit(x, z), 1e-9),
        "clv": near(clv, 1e-7),
        "population_curve": {"t": times, "expected_purchases": near(
            [m.expected_number_of_purchases_up_to_time(t) for t in times], 1e-9)},
    },
})
write("clv-predict-period-transactions", {
    "description": "Observed vs expected customers by repeat purchases 0..6 for the first 200 CDNOW customers at the "
                   "published BG/NBD parameters: expected = sum over customers of lifetimes' "
                   "probability_of_n_purchases_up_to_time(T_i, n) (what plot_period_transactions simulates).",
    "call": "analyze",
    "request": {"analysis": "clv_predict", "model": "bg_nbd", "params": published, "frequency": fl(mo["x"]),
                "recency": fl(mo["t_x"]), "T": fl(mo["T"]), "max_frequency": 7},
    "expect": {"period_transactions": {
        "frequency": list(range(7)),
        "observed": [float((mo["x"] == n).sum()) for n in range(7)],
        "model": near([sum(m.probability_of_n_purchases_up_to_time(t, n) for t in hist_T) for n in range(7)], 1e-7),
        "observed_tail": float((mo["x"] >= 7).sum()),
    }},
})

pn = ParetoNBDFitter()
pp = {"r": 0.5533, "alpha": 10.5777, "s": 0.6062, "beta": 11.6685}
pn.params_ = pd.Series(pp)
write("clv-predict-pareto-nbd", {
    "description": "Pareto/NBD predictions for 6 CDNOW customers at about lifetimes' CDNOW fit: lifetimes' "
                   "conditional_expected_number_of_purchases_up_to_time(39), conditional_probability_alive, "
                   "expected_number_of_purchases_up_to_time.",
    "call": "analyze",
    "request": {"analysis": "clv_predict", "model": "pareto_nbd", "params": pp, "frequency": fl(x),
                "recency": fl(t_x), "T": fl(T), "t": 39, "curve_times": times},
    "expect": {
        "expected_purchases": near(pn.conditional_expected_number_of_purchases_up_to_time(39, x, t_x, T), 1e-9),
        "probability_alive": near(pn.conditional_probability_alive(x, t_x, T), 1e-9),
        "population_curve": {"t": times, "expected_purchases": near(
            [pn.expected_number_of_purchases_up_to_time(t) for t in times], 1e-9)},
    },
})

write("clv-error-no-repeat-buyers", {
    "description": "Nobody bought twice: the BG/NBD cannot be fitted; a missing_data error, not NaN.",
    "call": "analyze",
    "request": {"analysis": "clv_fit", "model": "bg_nbd", "frequency": [0, 0, 0], "recency": [0, 0, 0],
                "T": [10, 20, 30]},
    "error": {"kind": "missing_data", "path": "frequency", "message_contains": "repeat buyers"},
})
write("clv-error-bad-customer", {
    "description": "A recency larger than T: an input error naming the customer index and the field.",
    "call": "analyze",
    "request": {"analysis": "clv_fit", "model": "bg_nbd", "frequency": [1, 2, 0], "recency": [3, 12, 0],
                "T": [10, 10, 10]},
    "error": {"kind": "input", "message_contains": "customer 1"},
})
write("clv-error-unknown-param", {
    "description": "A parameter the model does not have: an invalid_argument error naming it.",
    "call": "analyze",
    "request": {"analysis": "clv_predict", "model": "bg_nbd",
                "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "s": 1},
                "frequency": [1], "recency": [1], "T": [2]},
    "error": {"kind": "invalid_argument", "message_contains": "params.s"},
})
print("ok")
