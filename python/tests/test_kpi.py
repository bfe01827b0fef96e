"""Customer KPIs, before/after tests, moments of truth and the emotion curve from Python: typed
results checked against hand computations (the same as the kpi-*, moments-* and emotion-*
vectors), frames, and errors."""

import math
from pathlib import Path

import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "tests" / "data" / "logs" / "kpi_journeys.csv"
Z95 = 1.959963984540054


def test_nps_adjusted_wald_by_hand():
    r = js.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0])
    assert isinstance(r, js.KpiResult) and r.interval == "adjusted_wald"
    o = r.overall
    assert (o.n, o.value, o.promoters, o.passives, o.detractors) == (10, 20.0, 5, 2, 3)
    pp, pd_ = 5.75 / 13, 3.75 / 13
    se = 100 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / 13)
    assert o.ci_low == pytest.approx(100 * (pp - pd_) - Z95 * se, rel=1e-12)
    wald = js.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0], nps_interval="wald")
    assert wald.overall.standard_error == pytest.approx(100 * math.sqrt(0.076), rel=1e-12)


def test_csat_segments_frame():
    r = js.csat([5, 4, 3, 1, 5, 4], segments=["web", "app", "web", "app", "web", "store"])
    assert [s.segment for s in r.segments] == ["app", "store", "web"]
    assert r.segment("web").successes == 2
    frame = r.to_pandas()
    assert list(frame.index) == ["app", "store", "web", "(all)"]
    assert frame.loc["(all)", "value"] == pytest.approx(4 / 6)
    assert frame.loc["app", "n"] == 2


def test_ces_and_rates():
    c = js.ces([2, 4, 6, 7, 6, 5])
    assert c.overall.value == 5.0 and c.overall.stdev == pytest.approx(math.sqrt(3.2))
    t = js.ces([1, 2, 4, 5, 5, 3, 4], method="top_box", scale=5)
    assert t.overall.successes == 4
    churn = js.kpi("churn_rate", counts=[{"segment": "a", "start": 300, "lost": 12}, {"segment": "b", "start": 500, "lost": 45}])
    # statsmodels proportion_confint(57, 800, method="wilson")
    assert churn.overall.ci_low == pytest.approx(0.055398305362103356, rel=1e-12)
    sla = js.kpi("sla", durations=[3600, 7200, 90000, 86400, 100, 200000], target_seconds=86400)
    assert sla.overall.successes == 4


def test_compare():
    c = js.kpi_compare(
        "churn_rate",
        before={"counts": [{"start": 1000, "lost": 100}]},
        after={"counts": [{"start": 1000, "lost": 60}]},
    )
    # statsmodels proportions_ztest([60, 100], [1000, 1000])
    assert c.test == "two_proportion_z" and c.significant
    assert c.statistic == pytest.approx(-3.296902366978936, rel=1e-12)
    assert list(c.to_pandas().index) == ["before", "after"]
    log = js.read_csv(LOG)
    b = js.kpi_compare("resolution_time", log=log, split_at="2024-03-01T13:00:00Z",
                       from_activity="visit", to_activity="buy", resamples=300, seed=3)
    assert b.test == "bootstrap_percentile" and b.difference == -410.0


def test_kpi_from_a_log():
    log = js.read_csv(LOG)
    r = js.kpi("nps", log=log, activity="survey", segment_by="persona")
    assert r.overall.value == -12.5
    assert [(s.segment, s.value) for s in r.segments] == [("new", -50.0), ("pro", 25.0)]
    t = log.analyze({"analysis": "kpi", "metric": "resolution_time", "from_activity": "visit", "to_activity": "buy"})
    assert t["overall"]["value"] == 936.0 and t["excluded"] == 3


def test_moments_of_truth():
    log = js.read_csv(LOG)
    m = js.moments_of_truth(log, {"activity": "buy"}, experience={"wait_over_seconds": 600})
    assert [t.touchpoint for t in m.touchpoints] == ["survey", "chat", "visit"]
    chat = m.touchpoints[1]
    assert (chat.with_.outcomes, chat.with_.cases, chat.without.outcomes, chat.without.cases) == (4, 5, 1, 3)
    assert chat.presence.p_value == pytest.approx(0.18685750266304058, rel=1e-12)
    assert m.touchpoints[0].moment_of_truth and not chat.moment_of_truth
    frame = m.to_pandas()
    assert frame.loc["chat", "rate_good"] == 1.0 and frame.loc["chat", "rate_bad"] == 0.5
    assert math.isnan(frame.loc["visit", "difference"])
    assert m.to_dict()["touchpoints"][1]["with"]["cases"] == 5


def test_emotion_curve():
    log = js.read_csv(LOG)
    e = js.emotion_curve(log, "sentiment", order=["awareness", "consideration", "purchase"], threshold=3.5)
    assert [s.stage for s in e.stages] == ["awareness", "consideration", "purchase"]
    assert e.pain_points == ["consideration"]
    frame = e.to_pandas()
    assert frame.loc["consideration", "mean"] == 3.0 and bool(frame.loc["consideration", "pain_point"])


def test_errors():
    with pytest.raises(js.OutOfRangeError) as e:
        js.nps([10, 9, 0, 11])
    assert e.value.path == "scores[3]" and "11" in str(e.value)
    with pytest.raises(js.MissingDataError):
        js.csat([])
    with pytest.raises(js.ParseError) as e:
        js.nps([9], confidance=0.9)
    assert "confidance" in str(e.value)
    with pytest.raises(js.InputError) as e:
        js.kpi("csat", log=js.read_csv(LOG), activity="survey")
    assert "case 'c1', event 4" in str(e.value)
