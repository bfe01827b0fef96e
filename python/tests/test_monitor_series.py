"""KPI series and monitors from Python: a planted drop in conversion found on its day, batches
kept between runs as bytes equal to the whole log, and damaged bytes refused."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import journeystream as js

LOGS = Path(__file__).resolve().parents[2] / "tests" / "data" / "logs"


def shop(days: range, change: int = 60, per_day: int = 400, seed: int = 7) -> js.EventLog:
    """Visitors from 2024-01-01 who buy with probability 0.30 before day ``change``, 0.20 after."""
    rng = np.random.default_rng(seed)
    rows = []
    for day in range(days.stop):
        at = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(day, "D")
        offsets = rng.uniform(0, 0.9, per_day)
        buys = rng.uniform(0, 1, per_day) < (0.30 if day < change else 0.20)
        if day not in days:
            continue
        for k in range(per_day):
            t = at + pd.to_timedelta(offsets[k], "D")
            case = f"d{day}-{k}"
            rows.append((case, "visit", t))
            if buys[k]:
                rows.append((case, "buy", t + pd.Timedelta(minutes=10)))
    df = pd.DataFrame(rows, columns=["case", "activity", "time"])
    return js.from_pandas(df, case="case", activity="activity", timestamp="time")


CONVERSION = dict(from_activity="visit", to_activity="buy")


def test_a_planted_drop_in_conversion_is_found_on_its_day():
    s = js.kpi_series(shop(range(90)), "conversion", targets=[0.25], **CONVERSION)
    assert isinstance(s, js.KpiSeries)
    assert len(s.points) == 90
    assert [(c.index, c.period) for c in s.changes] == [(60, "2024-03-01")]
    assert s.changes[0].before == pytest.approx(0.30, abs=0.015)
    assert s.changes[0].after == pytest.approx(0.20, abs=0.015)
    breached = [a for a in s.alerts if a.kind == "breached"]
    assert breached[0].period == "2024-03-01" and breached[0].confirmed
    assert s.chart is not None and s.chart.chart == "p"
    frame = s.to_pandas()
    assert list(frame.columns) == ["start", "n", "value", "ci_low", "ci_high"]
    assert frame.loc["2024-03-01", "n"] == 400
    svg = s.to_svg()
    assert svg.count('class="change"') == 1 and 'class="limits"' in svg and "target 25%" in svg
    assert "▼ breached target in 2024-03-01" in svg
    assert "2024-03-01" in s.alerts_frame().index
    assert all(a.kind == "trending" for a in s.alerts if a.index < 60)


def test_weeks_in_a_time_zone_equal_kpi_on_each_week():
    log = js.read_csv(LOGS / "kpi_journeys.csv")
    s = js.kpi_series(log, "nps", period="week", time_zone="Europe/Amsterdam", segment_by="persona")
    whole = js.kpi("nps", log=log, segment_by="persona")
    assert [p.period for p in s.points] == ["2024-02-26"]
    assert s.points[0].estimate == whole.overall
    assert [g.segment for g in s.segments] == ["new", "pro"]
    assert s.segment("pro").loc["2024-02-26", "value"] == whole.segment("pro").value


def test_a_monitor_kept_as_bytes_between_batches_equals_the_whole_log():
    whole = js.kpi_series(shop(range(30), change=15, per_day=60), "conversion", targets=[0.25], **CONVERSION)
    monitor = js.KpiMonitor("conversion", **CONVERSION)
    saved = b""
    for days in (range(0, 9), range(9, 10), range(10, 30)):
        if saved:
            monitor = js.KpiMonitor.from_bytes(saved)
        series = monitor.update(shop(days, change=15, per_day=60), targets=[0.25])
        saved = monitor.to_bytes()
    assert saved[:8] == b"JSKPIMON"
    assert series.points == whole.points
    assert series.alerts == whole.alerts
    assert js.KpiMonitor.from_bytes(saved).series(targets=[0.25]).changes == whole.changes


def test_damaged_bytes_are_errors_saying_what_is_wrong():
    monitor = js.KpiMonitor("conversion", **CONVERSION)
    monitor.update(shop(range(3), per_day=10))
    good = monitor.to_bytes()
    with pytest.raises(js.InputError, match="shorter than the 24-byte header"):
        js.KpiMonitor.from_bytes(good[:5])
    with pytest.raises(js.InputError, match="checksum"):
        js.KpiMonitor.from_bytes(good[:-2] + bytes([good[-2] ^ 1, good[-1]]))
    with pytest.raises(js.InputError, match="not a saved KPI monitor"):
        js.KpiMonitor.from_bytes(b"X" + good[1:])
    with pytest.raises(ValueError, match="no data yet"):
        js.KpiMonitor("nps").to_bytes()


def test_tables_through_the_data_plane():
    log = js.read_csv(LOGS / "kpi_journeys.csv")
    r = js.evaluate({"analysis": "kpi_series", "kpi": {"metric": "conversion", **CONVERSION},
                     "period": "hour", "targets": [{"value": 0.5}]}, log)
    assert {"points", "alerts"} <= set(r.table_names())
    points = r.table("points")
    assert len(points) == 8 and "estimate" in points.columns
    assert len(r.table("alerts")) == 4


def test_process_drift_finds_a_new_rework_loop():
    rows = []
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    rng = np.random.default_rng(4)
    for i in range(300):
        loop = i >= 150 and rng.uniform() < 0.4
        path = ["open", "check", "check", "close"] if loop else ["open", "check", "close"]
        for k, a in enumerate(path):
            rows.append((f"c{i}", a, t0 + pd.Timedelta(hours=i, minutes=k)))
    log = js.from_pandas(pd.DataFrame(rows, columns=["case", "activity", "time"]),
                         case="case", activity="activity", timestamp="time")
    d = js.process_drift(log, "2024-01-07T06:00:00Z")
    assert (d.cases_before, d.cases_after) == (150, 150)
    assert d.edge_p_value <= 0.002 and d.edges[0].path == "check > check"
    assert d.to_pandas().index[0] == "check > check"
    with pytest.raises(js.InvalidArgumentError, match="resamples"):
        js.process_drift(log, "2024-01-07T06:00:00Z", resamples=5)
