"""Lifetime value from Python: the RFM summary, BG/NBD, Gamma-Gamma and Pareto/NBD fits and
predictions on the CDNOW data, checked against Fader, Hardie & Lee (2005) and lifetimes' figures
(tests/data/clv/lifetimes_expected.json, written by benches/peers/clv_lifetimes.py), frames and
errors."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "clv"
EXPECTED = json.loads((DATA / "lifetimes_expected.json").read_text())


def cdnow():
    return pd.read_csv(DATA / "cdnow_customers_summary.csv")


def test_bg_nbd_reproduces_the_published_fit():
    s = cdnow()
    fit = js.clv_fit("bg_nbd", data=s)
    assert fit.converged
    assert {k: round(v, 3) for k, v in fit.params.items()} == {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    theirs = EXPECTED["bg_nbd"]
    for name, value in theirs["params"].items():
        assert fit.params[name] == pytest.approx(value, rel=1e-4)
        assert fit.se[name] == pytest.approx(theirs["se"][name], rel=1e-3)
    assert round(fit.log_likelihood, 1) == -9582.4
    frame = fit.to_pandas()
    assert list(frame.columns) == ["coef", "se(coef)", "lower 95% bound", "upper 95% bound"]
    assert list(frame.index) == ["r", "alpha", "a", "b"]


def test_predictions_match_lifetimes():
    s = cdnow()
    theirs = EXPECTED["bg_nbd"]
    p = js.clv_predict({"model": "bg_nbd", "params": theirs["params"]}, s["frequency"], s["recency"], s["T"],
                       t=39, curve_times=theirs["curve_times"], max_frequency=7)
    np.testing.assert_allclose(p.expected_purchases, theirs["expected_purchases_39"], rtol=1e-6)
    np.testing.assert_allclose(p.probability_alive, theirs["probability_alive"], rtol=1e-6)
    np.testing.assert_allclose(p.population_curve["expected_purchases"], theirs["curve"], rtol=1e-6)
    hist = p.period_transactions_frame()
    assert hist["observed"].sum() + p.period_transactions["observed_tail"] == len(s)
    assert hist["model"].sum() + p.period_transactions["model_tail"] == pytest.approx(len(s))
    assert p.to_pandas().shape == (len(s), 2)


def test_gamma_gamma_and_clv_match_lifetimes():
    m = pd.read_csv(DATA / "cdnow_customers_summary_with_transactions.csv")
    theirs = EXPECTED["gamma_gamma"]
    gg = js.clv_fit("gamma_gamma", m["x"], m["t_x"], m["T"], m["zbar"])
    for name, value in theirs["params"].items():
        assert gg.params[name] == pytest.approx(value, rel=1e-4)
    bg = {"model": "bg_nbd", "params": theirs["bg_nbd_params"]}
    p = js.clv_predict(bg, m["x"], m["t_x"], m["T"], m["zbar"], spend=theirs["params"],
                       clv={"time": 12, "discount_rate": 0.01, "freq": "W"})
    np.testing.assert_allclose(p.expected_average_spend, theirs["expected_average_profit"], rtol=1e-6)
    np.testing.assert_allclose(p.clv, theirs["clv_12_months_weekly"], rtol=1e-6)


def test_pareto_nbd():
    s = cdnow()
    theirs = EXPECTED["pareto_nbd"]
    fit = js.clv_fit("pareto_nbd", data=s)
    for name, value in theirs["params"].items():
        assert fit.params[name] == pytest.approx(value, rel=1e-3)
    p = js.clv_predict({"model": "pareto_nbd", "params": theirs["params"]}, data=s, t=39)
    np.testing.assert_allclose(p.expected_purchases, theirs["expected_purchases_39"], rtol=1e-6)


def test_rfm_summary_from_a_frame_matches_lifetimes():
    tr = pd.read_csv(DATA / "CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["master", "customer", "date", "cds", "value"], dtype={"customer": str, "date": str})
    tr["date"] = pd.to_datetime(tr["date"], format="%Y%m%d")
    s = js.rfm_summary(tr, "customer", "date", "value", freq="W", observation_period_end="1997-09-30")
    theirs = EXPECTED["rfm"]["W"]
    assert s.customer == theirs["customer"]
    for column in ["frequency", "recency", "T", "monetary_value"]:
        np.testing.assert_allclose(getattr(s, column), theirs[column], rtol=1e-12)
    frame = s.to_pandas()
    assert list(frame.columns) == ["frequency", "recency", "T", "monetary_value"]
    # The summary feeds a fit directly.
    assert js.clv_fit("bg_nbd", data=s).converged


def test_transactions_cross_as_columns_in_any_form():
    import polars as pl
    import pyarrow as pa

    tr = pd.read_csv(DATA / "CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["master", "customer", "date", "cds", "value"], dtype={"customer": str, "date": str})
    tr["date"] = pd.to_datetime(tr["date"], format="%Y%m%d")
    want = js.rfm_summary(tr, "customer", "date", "value", freq="W", observation_period_end="1997-09-30")
    forms = {
        "utc": tr.assign(date=tr["date"].dt.tz_localize("UTC")),
        "other zone": tr.assign(date=tr["date"].dt.tz_localize("UTC").dt.tz_convert("Asia/Tokyo")),
        "polars": pl.from_pandas(tr),
        "pyarrow": pa.Table.from_pandas(tr),
        "datetime64[s]": {"customer": tr["customer"].to_numpy(), "date": tr["date"].to_numpy().astype("datetime64[s]"),
                          "value": tr["value"].to_numpy()},
        "text": {"customer": list(tr["customer"]), "date": [d.isoformat() + "Z" for d in tr["date"]],
                 "value": list(tr["value"])},
    }
    for name, frame in forms.items():
        got = js.rfm_summary(frame, "customer", "date", "value", freq="W", observation_period_end="1997-09-30")
        assert got.customer == want.customer, name
        for column in ["frequency", "recency", "T", "monetary_value"]:
            np.testing.assert_array_equal(getattr(got, column), getattr(want, column), err_msg=name)
    numbered = js.rfm_summary(tr.assign(customer=tr["customer"].astype(int)), "customer", "date", "value",
                              freq="W", observation_period_end="1997-09-30")
    assert sorted(numbered.customer) == sorted(str(int(c)) for c in want.customer)
    none = js.rfm_summary(customers=[], timestamps=np.array([], dtype="datetime64[ns]"))
    assert len(none) == 0 and none.customer == [] and none.frequency.shape == (0,)


@pytest.mark.parametrize("timestamps, message", [
    (np.array(["2024-01-01", "NaT"], dtype="datetime64[ns]"), r"timestamps\[1\]': 'NaT' is missing"),
    (["2024-01-01T00:00:00Z", "yesterday"], r"timestamps\[1\]"),
    ([1.5, 2.5], r"timestamps"),
])
def test_bad_transaction_timestamps_are_named(timestamps, message):
    with pytest.raises(js.JourneyStreamError, match=message):
        js.rfm_summary(customers=["a", "b"], timestamps=timestamps, values=[1.0, 2.0])


def test_bad_transaction_values_are_named():
    with pytest.raises(js.InvalidArgumentError, match=r"values\[1\]"):
        js.rfm_summary(customers=["a", "b"], timestamps=np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[ns]"),
                       values=np.array([1.0, np.nan]))


def test_rfm_summary_from_a_log():
    log = js.read_csv(ROOT / "tests" / "data" / "logs" / "kpi_journeys.csv")
    s = js.rfm_summary(log=log, purchase_activity="buy")
    assert len(s) > 0 and s.monetary_value is None
    assert (s.frequency >= 0).all() and (s.recency <= s.T).all()


def test_errors():
    with pytest.raises(js.MissingDataError, match="repeat buyers"):
        js.clv_fit("bg_nbd", [0, 0], [0, 0], [5, 6])
    # Arrays cross as arrays: a NaN is an argument error naming the field and the index.
    with pytest.raises(js.InvalidArgumentError, match=r"recency\[1\]': 'NaN' is not a finite number"):
        js.clv_fit("bg_nbd", [1, 2], [1, float("nan")], [5, 6])
    with pytest.raises(js.InputError, match="customer 1"):
        js.clv_fit("bg_nbd", [1, 2], [1, 9], [5, 6])
    with pytest.raises(js.InvalidArgumentError, match="params.s"):
        js.clv_predict({"model": "bg_nbd", "params": {"r": 1, "alpha": 1, "a": 1, "b": 1, "s": 1}}, [1], [1], [2])
