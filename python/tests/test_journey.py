"""Funnels, the transition graph, the step matrix, top paths and retention from Python: typed
results checked against the hand computations of the journey-* vectors, frames, and errors."""

from pathlib import Path

import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "tests" / "data" / "logs" / "funnels.csv"


@pytest.fixture(scope="module")
def log():
    return js.read_csv(LOG)


def test_funnel_strict_by_hand(log):
    f = js.funnel(log, ["visit", "cart", "buy"])
    assert isinstance(f, js.Funnel) and f.order == "strict" and f.cases == 6
    assert [s.count for s in f.steps] == [6, 4, 3]
    assert f.steps[2].conversion_from_previous == 0.75
    assert f.steps[0].time_from_start is None
    t = f.steps[1].time_from_start
    assert isinstance(t, js.TimeStats)
    assert (t.median, t.p25, t.p75, t.p90) == (750, 255, 1350, 1620)
    frame = f.to_pandas()
    assert list(frame["count"]) == [6, 4, 3]
    assert frame.loc[2, "from_start_median"] == 3000


def test_funnel_options(log):
    steps = ["visit", "cart", "buy"]
    assert [s.count for s in js.funnel(log, steps, window_seconds=3600).steps] == [6, 4, 2]
    assert [s.count for s in js.funnel(log, steps, order="exact").steps] == [6, 3, 2]
    assert [s.count for s in js.funnel(log, steps, counting="totals").steps] == [7, 4, 3]
    assert [s.count for s in js.funnel(log, steps, hold_constant=["device"]).steps] == [6, 3, 2]
    excl = js.funnel(log, steps, exclusions=[{"activity": "support", "between": [2, 3]}])
    assert [s.count for s in excl.steps] == [6, 4, 2]
    app = js.funnel(log, [{"activity": "visit", "attribute": {"name": "device", "value": "app"}}, "cart", "buy"])
    assert app.steps[0].label == "visit [device=app]" and app.steps[0].count == 3


def test_funnel_breakdown_frame(log):
    f = js.funnel(log, ["visit", "cart", "buy"], breakdown="plan")
    assert [g.value for g in f.breakdown] == [None, "free", "pro"]
    assert [s.count for s in f.group("pro").steps] == [3, 2, 2]
    frame = f.to_pandas()
    assert len(frame) == 9 and set(frame["group"].dropna()) == {"free", "pro"}


def test_transition_graph(log):
    g = js.transition_graph(log, weight="cases", normalization="node")
    assert (g.cases, g.transitions) == (6, 14)
    edge = next(e for e in g.edges if e.from_ == "visit" and e.to == "cart")
    assert (edge.weight, edge.transitions, edge.cases) == (3 / 5, 3, 3)
    frame = js.transition_graph(log, normalization="full").to_pandas()
    assert frame["weight"].sum() == pytest.approx(1.0)
    assert list(frame.columns) == ["from", "to", "weight", "transitions", "cases"]
    v5 = js.transition_graph(log, normalization="node", start_end=True)
    assert v5.transitions == 26
    out_of_visit = {e.to: e.weight for e in v5.edges if e.from_ == "visit"}
    assert out_of_visit == {"ad": 0.125, "buy": 0.25, "cart": 0.375, "visit": 0.125, "path_end": 0.125}
    # Sessions by device: u2's visit (app) > cart (web) crosses sessions and counts for none.
    by_device = js.transition_graph(log, weight="sessions", session_attribute="device")
    edge = next(e for e in by_device.edges if e.from_ == "visit" and e.to == "cart")
    assert (by_device.sessions, edge.sessions, edge.weight) == (8, 2, 2)
    assert "sessions" in by_device.to_pandas().columns


def test_step_matrix_columns_sum_to_one(log):
    m = js.step_matrix(log, max_steps=4)
    frame = m.to_pandas()
    assert list(frame.index)[-1] == "ENDED"
    assert list(frame.sum()) == pytest.approx([1.0] * 4)
    assert frame.loc["visit", 1] == pytest.approx(5 / 6)


def test_top_paths(log):
    p = js.top_paths(log, top=3, ngram=2, anchor="cart", steps=1)
    assert p.distinct_variants == 6
    assert p.ngrams[0].path == ["visit", "cart"] and p.ngrams[0].count == 3
    assert p.anchor is not None and p.anchor.before[0].path == ["visit"]
    frame = p.to_pandas()
    assert set(frame["kind"]) == {"variant", "ngram", "before", "after"}


def pd_isna(value):
    import math

    return value is None or (isinstance(value, float) and math.isnan(value))


def test_retention(log):
    r = js.retention(log, period="day", periods=3)
    assert [c.cohort for c in r.cohorts] == ["2024-03-04", "2024-03-05", "2024-03-11", "2024-03-12"]
    assert r.total.on_or_after == [5, 2, 2, 1]
    assert r.total.repeat_rate == pytest.approx(5 / 6)
    frame = r.to_pandas("on_or_after")
    assert frame.loc["2024-03-04", 3] == 0.5
    # The last event is 2024-03-12 14:00: u4 and u5 (entered 2024-03-11 12:00 and 13:00) could
    # return in days 0 and 1 only, u6 (entered 2024-03-12 14:00) in day 0 only.
    assert [c.observable for c in r.cohorts] == [[2, 2, 2, 2], [1, 1, 1, 1], [2, 2, 0, 0], [1, 0, 0, 0]]
    assert r.total.observable == [6, 5, 3, 3]
    young = r.cohorts[3]
    assert young.observable_rate[1:] == [None, None, None]
    assert pd_isna(r.to_pandas("observable").loc["2024-03-12", 1])
    weekly = js.retention(log, period="week", windows="calendar", periods=2, cohort_activity="visit", return_activity="buy")
    assert [c.on for c in weekly.cohorts] == [[2, 1, 0], [2, 0, 0]]


def test_errors_name_the_field(log):
    with pytest.raises(js.InvalidArgumentError, match="steps"):
        js.funnel(log, ["visit"])
    with pytest.raises(js.InvalidArgumentError, match="breakdown"):
        js.funnel(log, ["visit", "buy"], breakdown="nope")
    with pytest.raises(js.ParseError) as e:
        js.analyze({"analysis": "step_matrix", "max_step": 3}, log)
    assert "max_step" in str(e.value)
