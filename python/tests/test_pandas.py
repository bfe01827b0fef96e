"""DataFrames of the results, for the Acme Stamping example (Learning to See)."""

from pathlib import Path

import pytest

try:
    import pandas as pd
except ImportError:  # pragma: no cover - the test script installs pandas
    pytest.skip("pandas is not installed: pip install pandas to run these tests", allow_module_level=True)

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def acme():
    return js.load(ROOT / "examples" / "acme-stamping.json").measure()


@pytest.fixture(scope="module")
def support():
    return js.load(ROOT / "examples" / "support-journey.json")


def test_steps_frame(acme):
    df = acme.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert df.index.name == "id"
    assert list(df.index) == ["stamping", "weld1", "weld2", "assembly1", "assembly2", "shipping"]
    assert df.shape == (6, 13)
    assert list(df.columns)[:3] == ["name", "visits", "rework_visits"]
    assert acme.takt_time == 60.0
    assert df["process_time"].sum() == 188.0
    assert acme.process_time == 188.0
    assert df["utilization"].idxmax() == "assembly1" == acme.bottleneck.step
    assert df.loc["assembly1", "cycle_time_to_takt"] == pytest.approx(62 / 60)
    assert df.loc["weld1", "inventory_days"] == pytest.approx(7000 / 920)
    assert pd.isna(df.loc["stamping", "inventory_days"])
    assert df.loc["stamping", "capacity_per_day"] == pytest.approx(46920.0)
    assert (df["cycle_time"] / acme.takt_time).round(4).tolist() == (df["cycle_time_to_takt"]).round(4).tolist()


def test_lanes_and_stages_frames(acme, support):
    assert acme.stages_frame().empty and acme.lanes_frame().empty
    assert list(acme.stages_frame().columns) == [
        "name", "steps", "lead_time", "process_time", "wait_time", "activity_ratio",
        "rolled_complete_accurate", "share_of_lead_time",
    ]
    m = support.measure()
    stages = m.stages_frame()
    assert stages.index.name == "id"
    steps = m.to_pandas()
    members = stages.loc["seek_help", "steps"]
    assert isinstance(members, list) and members
    expected = (steps.loc[members, "lead_time"] * steps.loc[members, "visits"]).sum()
    assert stages.loc["seek_help", "lead_time"] == pytest.approx(expected)
    assert stages["share_of_lead_time"].sum() == pytest.approx(1.0)
    lanes = m.lanes_frame()
    assert lanes.loc["customer", "lead_time"] == pytest.approx(600.0)
    moments = m.moments_frame()
    assert set(moments.index) == {"mot_first_contact", "mot_resolution"}


def test_comparison_frame(support):
    future = support.project().map
    c = js.compare(support.measure(), future.measure())
    df = c.to_pandas()
    assert df.index.name == "metric"
    assert list(df.columns) == ["unit", "before", "after", "absolute", "relative"]
    assert len(df) == len(c.changes)
    assert df.loc["lead_time", "before"] == 387060.0
    assert df.loc["lead_time", "after"] == pytest.approx(261600.0)
    assert df.loc["steps", "absolute"] == -1.0
    assert df.loc["lead_time", "unit"] == "s"
