"""Whole frames in and out: from_pandas / from_arrow / polars / DuckDB keep every other column as a
typed attribute, with the CSV reader's semantics, and a log goes back out (to_arrow, to_pandas,
to_polars, pickle) in the layout it reads back."""

import datetime
import pickle
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
JOURNEYS = ROOT / "tests" / "data" / "logs" / "journeys.csv"


def journeys_frame():
    df = pd.read_csv(JOURNEYS)
    df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True)
    return df


def test_a_frames_extra_columns_reach_attribution_and_breakdowns_as_from_csv():
    from_csv = js.read_csv(JOURNEYS)
    from_frame = js.from_pandas(journeys_frame())
    a_csv = js.attribution("linear", log=from_csv, conversion="purchase")
    a_frame = js.attribution("linear", log=from_frame, conversion="purchase")
    assert [c.channel for c in a_frame.channels] == [c.channel for c in a_csv.channels]
    assert [c.conversions for c in a_frame.channels] == pytest.approx([c.conversions for c in a_csv.channels])
    f_csv = js.funnel(from_csv, ["visit", "purchase"], breakdown="signed_up")
    f_frame = js.funnel(from_frame, ["visit", "purchase"], breakdown="signed_up")
    assert [g.value for g in f_frame.breakdown] == [g.value for g in f_csv.breakdown] != []
    assert [[s.count for s in g.steps] for g in f_frame.breakdown] == [
        [s.count for s in g.steps] for g in f_csv.breakdown
    ]


def typed_frame():
    return pd.DataFrame(
        {
            "case:concept:name": ["c1", "c1", "c2"],
            "concept:name": ["visit", "buy", "visit"],
            "time:timestamp": pd.to_datetime(
                ["2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z", "2024-01-02T00:00:00Z"]
            ),
            "channel": pd.Categorical(["web", "app", "web"]),
            "segment": ["a", "a", "b"],
            "amount": [1.5, float("nan"), 3.0],
            "n": [1, 2, 3],
            "flag": [True, False, True],
            "seen": pd.to_datetime(["2023-12-31", "2024-01-01", "2024-01-01"], utc=True),
            "case:plan": ["pro", None, "free"],
        }
    )


def test_attributes_are_typed_and_come_back_out():
    log = js.from_pandas(typed_frame(), case_attributes=["segment"])
    t = log.to_arrow()
    types = {f.name: f.type for f in t.schema}
    assert pa.types.is_dictionary(types["channel"]) and pa.types.is_string(types["channel"].value_type)
    assert types["amount"] == pa.float64() and types["n"] == pa.int64() and types["flag"] == pa.bool_()
    assert types["seen"] == pa.timestamp("ns", tz="UTC")
    # Case attributes: case:plan (pm4py's prefix) and segment (named), written back as case:X.
    assert "case:plan" in types and "case:segment" in types and "segment" not in types
    rows = t.to_pylist()
    assert [r["amount"] for r in rows] == [1.5, None, 3.0]  # NaN is a missing value
    assert [r["case:plan"] for r in rows] == ["pro", "pro", "free"]  # the case's last value
    assert [r["n"] for r in rows] == [1, 2, 3]
    assert rows[0]["seen"] == datetime.datetime(2023, 12, 31, tzinfo=datetime.timezone.utc)
    df = log.to_pandas()
    assert list(df.columns[:3]) == ["case:concept:name", "concept:name", "time:timestamp"]
    assert len(df) == 3


def test_a_log_round_trips_through_arrow_polars_and_pickle():
    df = typed_frame()
    df["start"] = pd.to_datetime(["2023-12-31T23:30:00Z", None, "2024-01-01T23:00:00Z"])
    log = js.from_pandas(df, start_timestamp="start")
    assert js.from_arrow(log.to_arrow(), start_timestamp="start_timestamp") == log
    assert js.from_arrow(log, start_timestamp="start_timestamp") == log  # __arrow_c_stream__
    back = pickle.loads(pickle.dumps(log))
    assert back == log and back.num_events() == 3
    pl = pytest.importorskip("polars")
    assert js.from_arrow(pl.DataFrame(log), start_timestamp="start_timestamp") == log
    assert log.to_polars().height == 3
    assert js.from_pandas(df.drop(columns=["flag"]), start_timestamp="start") != log


def test_which_attributes_are_kept():
    df = typed_frame()
    none = js.from_pandas(df, attributes=False).to_arrow()
    assert none.column_names == ["case:concept:name", "concept:name", "time:timestamp"]
    some = js.from_pandas(df, attributes=["channel", "case:plan"]).to_arrow()
    assert some.column_names == ["case:concept:name", "concept:name", "time:timestamp", "channel", "case:plan"]
    with pytest.raises(js.InputError, match="did you mean 'channel'"):
        js.from_pandas(df, attributes=["chanel"])
    with pytest.raises(js.InputError, match="did you mean 'segment'"):
        js.from_pandas(df, case_attributes=["segmnt"])
    with pytest.raises(TypeError, match="attributes=\\['channel'\\]"):
        js.from_pandas(df, attributes="channel")


def test_a_missing_column_suggests_the_closest():
    with pytest.raises(js.InputError, match="did you mean 'concept:name'"):
        js.from_pandas(typed_frame(), activity="concept:nme")


def test_a_column_an_attribute_cannot_hold_is_named_not_dropped():
    t = pa.table(
        {
            "case:concept:name": ["c1"],
            "concept:name": ["a"],
            "time:timestamp": pa.array([0], pa.timestamp("s")),
            "tags": pa.array([["x", "y"]]),
        }
    )
    with pytest.raises(js.InputError, match="tags.*attributes kept"):
        js.from_arrow(t)
    assert js.from_arrow(t, attributes=False).num_events() == 1
    big = t.drop(["tags"]).append_column("n", pa.array([2**63], pa.uint64()))
    with pytest.raises(js.InputError, match="row 0.*9223372036854775808 is past"):
        js.from_arrow(big)


def test_duckdb_results_keep_their_columns():
    duckdb = pytest.importorskip("duckdb")
    frame = journeys_frame()  # noqa: F841 (read by DuckDB by name)
    rel = duckdb.sql('select * from frame where channel is not null')
    log = js.from_arrow(rel)
    assert "channel" in log.to_arrow().column_names and "case:signed_up" in log.to_arrow().column_names
