"""Every result shows in Jupyter as a picture or a table: a chart (``_repr_svg_``, and above the
table in ``_repr_html_``) where one suits, a table otherwise."""

from pathlib import Path

import pandas as pd
import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"


def shown(result):
    html = result._repr_html_()
    assert isinstance(html, str) and "<table" in html, type(result).__name__
    return html, result._repr_svg_()


def charted(result, *expected):
    html, svg = shown(result)
    assert svg is not None and svg.startswith("<svg"), type(result).__name__
    assert "<svg" in html
    for text in expected:
        assert text in svg, f"{text!r} not in the {type(result).__name__} chart"
    return svg


@pytest.fixture(scope="module")
def journeys():
    return js.read_csv(LOGS / "journeys.csv")


@pytest.fixture(scope="module")
def kpi_log():
    return js.read_csv(LOGS / "kpi_journeys.csv")


def test_journey_results(journeys):
    charted(js.funnel(journeys, ["ad", "purchase"]), "Funnel", "purchase")
    charted(js.retention(journeys, period="day", periods=2), "Retention by day")
    charted(js.attribution("linear", log=journeys, conversion="purchase"), "Attribution (linear)")
    for table_only in (js.transition_graph(journeys), js.step_matrix(journeys, max_steps=3), js.top_paths(journeys)):
        html, svg = shown(table_only)
        assert svg is None


def test_kpi_results(kpi_log):
    csat = js.kpi("csat", scores=[5, 4, 3, 5], segments=["web", "app", "web", "app"])
    svg = charted(csat, "csat with 95% intervals", "web", "app")
    assert "%" in svg  # shares read as percentages
    nps = js.kpi("nps", log=kpi_log, activity="survey", segment_by="persona")
    charted(nps)
    c = js.kpi_compare("churn_rate", before={"counts": [{"start": 1000, "lost": 100}]},
                       after={"counts": [{"start": 1000, "lost": 60}]})
    charted(c, "after − before", "significant")
    shown(js.moments_of_truth(kpi_log, {"activity": "buy"}, experience={"wait_over_seconds": 600}))
    shown(js.emotion_curve(kpi_log, "sentiment", order=["awareness", "consideration", "purchase"]))


def test_clv_results():
    s = pd.read_csv(ROOT / "tests" / "data" / "clv" / "cdnow_customers_summary.csv")
    fit = js.clv_fit("bg_nbd", data=s)
    html, _ = shown(fit)
    assert "se(coef)" in html
    p = js.clv_predict(fit, data=s, t=39, max_frequency=7)
    charted(p, "model against observed", "observed", "model")


def test_value_stream_and_log_results():
    current = js.load(ROOT / "examples" / "support-journey.json")
    charted(current.measure(), "lead-time ladder", "Lead time")
    shown(js.compare(current.measure(), current.project().map.measure()))
    log = js.read_csv(ROOT / "examples" / "support-log.csv")
    charted(log.profile(), "Flow graph")
    shown(log.arrivals())


def test_a_result_with_nothing_to_draw_shows_its_table_without_a_chart(journeys):
    without = journeys.filter(~js.Filter.activities(["purchase"]))
    r = js.attribution("linear", log=without, conversion="purchase")  # nothing attributed
    html, svg = shown(r)
    assert svg is None
