"""Event logs: XES files and Arrow tables (pyarrow, pandas, polars) in, the process profile out,
checked against numbers worked out by hand; the errors; BPI Challenge 2012 when the data is there."""

import datetime as dt
import json
import math
import sys
from pathlib import Path

import pytest

import journeystream as js

pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed: pip install pyarrow")
pd = pytest.importorskip("pandas", reason="pandas is not installed: pip install pandas")
pl = pytest.importorskip("polars", reason="polars is not installed: pip install polars")

ROOT = Path(__file__).resolve().parents[2]
BPIC = ROOT.parent / "shared" / "data" / "bpic2012.xes.gz"

# ------------------------------------------------------------------------------------------------
# The small log (as in tests/c/test_log.c and tests/vectors/log-profile-basic.json).
#
# Rows (case, activity, seconds after T0) in input order:
#   c1 a 0 | c2 a 100 | c1 b 10 | c1 c 30 | c2 c 160 | c2 b 130 | c3 a 50 | c3 b 50 | c4 a 1000 | c4 d 1004
# c1: a b c (0, 10, 30), c2: a b c (100, 130, 160), c3: a b (50, 50: a tie, input order), c4: a d.
# a -> b: 10, 30, 0 s; b -> c: 20, 30 s; a -> d: 4 s (once: no stdev). Durations 30, 60, 0, 4 s.

T0 = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
CASES = ["c1", "c2", "c1", "c1", "c2", "c2", "c3", "c3", "c4", "c4"]
ACTIVITIES = ["a", "a", "b", "c", "c", "b", "a", "b", "a", "d"]
SECONDS = [0, 100, 10, 30, 160, 130, 50, 50, 1000, 1004]
TIMES = [T0 + dt.timedelta(seconds=s) for s in SECONDS]


def check_small(p: js.Profile) -> None:
    assert (p.cases, p.events) == (4, 10)
    assert [(a.activity, a.events, a.cases) for a in p.activities] == [
        ("a", 4, 4),
        ("b", 3, 3),
        ("c", 2, 2),
        ("d", 1, 1),
    ]
    assert [(e.activity, e.cases) for e in p.start_activities] == [("a", 4)]
    assert [(e.activity, e.cases) for e in p.end_activities] == [("c", 2), ("b", 1), ("d", 1)]
    assert [(e.source, e.target, e.count) for e in p.dfg] == [("a", "b", 3), ("b", "c", 2), ("a", "d", 1)]
    ab = p.edge("a", "b")
    assert ab is not None
    assert ab.mean == pytest.approx(40 / 3)
    assert (ab.median, ab.min, ab.max, ab.total) == (10.0, 0.0, 30.0, 40.0)
    assert ab.stdev == pytest.approx(math.sqrt(700 / 3))
    bc = p.edge("b", "c")
    assert bc is not None and (bc.mean, bc.median, bc.total) == (25.0, 25.0, 50.0)
    assert bc.stdev == pytest.approx(math.sqrt(50))
    ad = p.edge("a", "d")
    assert ad is not None and ad.count == 1 and ad.mean == 4.0 and ad.stdev is None
    assert p.edge("d", "a") is None
    assert [(v.activities, v.count, v.share) for v in p.variants] == [
        (["a", "b", "c"], 2, 0.5),
        (["a", "b"], 1, 0.25),
        (["a", "d"], 1, 0.25),
    ]
    abc = p.variant("a", "b", "c")
    assert abc is not None and abc.duration.mean == 45.0 and abc.duration.stdev == pytest.approx(math.sqrt(450))
    d = p.case_durations
    assert (d.count, d.mean, d.median, d.min, d.max, d.total) == (4, 23.5, 17.0, 0.0, 60.0, 94.0)
    assert d.stdev == pytest.approx(math.sqrt(769))
    assert [(c.case, c.duration) for c in p.cases_by_duration] == [
        ("c2", 60.0),
        ("c1", 30.0),
        ("c4", 4.0),
        ("c3", 0.0),
    ]


def small_table(time_type=None, times=None):
    return pa.table(
        {
            "case:concept:name": CASES,
            "concept:name": ACTIVITIES,
            "time:timestamp": pa.array(TIMES if times is None else times, type=time_type),
        }
    )


# ------------------------------------------------------------------------------------------------
# Arrow inputs


def test_pyarrow_table():
    log = js.from_arrow(small_table())
    assert isinstance(log, js.EventLog)
    assert (log.num_cases(), log.num_events()) == (4, 10)
    assert log.activities() == ["a", "b", "c", "d"]
    assert log.report is None
    assert repr(log) == "EventLog(cases=4, events=10)"
    check_small(log.profile())


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("tz", [None, "UTC", "Europe/Amsterdam"])
def test_timestamp_units_and_zones(unit, tz):
    """Arrow timestamps are instants: the unit and the zone (or none) do not change the log."""
    epoch = [int(t.timestamp()) for t in TIMES]
    scale = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[unit]
    times = pa.array([e * scale for e in epoch], type=pa.timestamp(unit, tz=tz))
    table = small_table(times=times)
    check_small(js.from_arrow(table).profile())


def test_string_timestamps_rfc3339():
    """Text times are RFC 3339: offsets are honoured, text without one is UTC."""
    text = [t.isoformat() for t in TIMES]
    text[2] = (TIMES[2] + dt.timedelta(hours=1)).replace(tzinfo=None).isoformat() + "+01:00"
    text[5] = TIMES[5].replace(tzinfo=None).isoformat(sep=" ")
    text[7] = TIMES[7].astimezone(dt.timezone(dt.timedelta(hours=-1))).isoformat()
    for string_type in (pa.string(), pa.large_string(), pa.string_view()):
        check_small(js.from_arrow(small_table(times=pa.array(text, type=string_type))).profile())


def test_string_view_large_string_and_dictionary_columns():
    for string_type in (pa.large_string(), pa.string_view()):
        table = pa.table(
            {
                "case:concept:name": pa.array(CASES, type=string_type),
                "concept:name": pa.array(ACTIVITIES, type=string_type),
                "time:timestamp": TIMES,
            }
        )
        check_small(js.from_arrow(table).profile())
    table = pa.table(
        {
            "case:concept:name": pa.array(CASES).dictionary_encode(),
            "concept:name": pa.array(ACTIVITIES).dictionary_encode(),
            "time:timestamp": TIMES,
        }
    )
    assert pa.types.is_dictionary(table.schema.field("concept:name").type)
    check_small(js.from_arrow(table).profile())


def test_integer_case_ids():
    for int_type in (pa.int64(), pa.uint8(), pa.int32()):
        ids = pa.array([int(c[1:]) for c in CASES], type=int_type)
        table = pa.table({"id": ids, "act": ACTIVITIES, "ts": TIMES})
        p = js.from_arrow(table, case="id", activity="act", timestamp="ts").profile()
        assert [c.case for c in p.cases_by_duration] == ["2", "1", "4", "3"]
        assert [(e.source, e.target, e.count) for e in p.dfg] == [("a", "b", 3), ("b", "c", 2), ("a", "d", 1)]


def test_dates():
    table = pa.table(
        {
            "case:concept:name": ["x", "x", "y"],
            "concept:name": ["a", "b", "a"],
            "time:timestamp": pa.array([dt.date(2024, 1, 1), dt.date(2024, 1, 3), dt.date(2024, 1, 2)]),
        }
    )
    p = js.from_arrow(table).profile()
    assert p.edge("a", "b").mean == 2 * 86400.0


def test_record_batch_reader_in_several_batches():
    table = small_table()
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=3))
    check_small(js.from_arrow(reader).profile())


def test_ties_keep_input_order():
    """Events of a case with equal times stay in input order, whatever their names."""
    table = pa.table(
        {
            "case:concept:name": ["k", "k", "k"],
            "concept:name": ["z", "a", "m"],
            "time:timestamp": [T0, T0, T0 - dt.timedelta(seconds=5)],
        }
    )
    p = js.from_arrow(table).profile()
    assert p.variants[0].activities == ["m", "z", "a"]
    assert p.edge("z", "a").mean == 0.0 and p.edge("z", "a").stdev is None


def test_start_timestamps():
    """Flow = max(start(b), complete(a)) - complete(a); duration from the first start; a null start
    is no start (see tests/c/test_log.c)."""
    s = dt.timedelta(seconds=1)
    table = pa.table(
        {
            "case": ["x", "x", "y", "y", "z", "z"],
            "activity": ["a", "b", "a", "b", "a", "b"],
            "done": [T0 + 10 * s, T0 + 20 * s, T0, T0 + 8 * s, T0 + 10 * s, T0 + 12 * s],
            "start": [T0, T0 + 15 * s, None, T0 + 3 * s, T0, T0 + 5 * s],
        }
    )
    p = js.from_arrow(table, case="case", activity="activity", timestamp="done", start_timestamp="start").profile()
    ab = p.edge("a", "b")
    assert (ab.count, ab.median, ab.min, ab.max, ab.total) == (3, 3.0, 0.0, 5.0, 8.0)
    assert p.case_durations.median == 12.0 and p.case_durations.max == 20.0
    assert p.case_durations.mean == pytest.approx(40 / 3)


def test_empty_table():
    table = pa.table(
        {
            "case:concept:name": pa.array([], type=pa.string()),
            "concept:name": pa.array([], type=pa.string()),
            "time:timestamp": pa.array([], type=pa.timestamp("ns", tz="UTC")),
        }
    )
    log = js.from_arrow(table)
    assert (log.num_cases(), log.num_events()) == (0, 0)
    p = log.profile()
    assert (p.cases, p.events, p.dfg, p.variants) == (0, 0, [], [])
    assert p.case_durations.count == 0 and p.case_durations.stdev is None
    assert p.dfg_frame().shape == (0, 7)


def test_pandas():
    df = pd.DataFrame(
        {"case:concept:name": CASES, "concept:name": ACTIVITIES, "time:timestamp": pd.to_datetime(TIMES, utc=True)}
    )
    check_small(js.from_pandas(df).profile())
    if hasattr(df, "__arrow_c_stream__"):  # pandas >= 2.2
        check_small(js.from_arrow(df).profile())
    # Naive datetimes (taken as UTC), categorical activities, integer case ids.
    df2 = pd.DataFrame(
        {
            "case": [int(c[1:]) for c in CASES],
            "activity": pd.Categorical(ACTIVITIES),
            "time": pd.to_datetime(TIMES, utc=True).tz_localize(None),
        }
    )
    p = js.from_pandas(df2, case="case", activity="activity", timestamp="time").profile()
    assert [(e.source, e.target, e.count) for e in p.dfg] == [("a", "b", 3), ("b", "c", 2), ("a", "d", 1)]
    assert p.case_durations.total == 94.0


def test_from_pandas_without_pyarrow(monkeypatch):
    df = pd.DataFrame({"case:concept:name": ["x"], "concept:name": ["a"], "time:timestamp": [T0]})
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        js.from_pandas(df)


def test_polars():
    df = pl.DataFrame({"case:concept:name": CASES, "concept:name": ACTIVITIES, "time:timestamp": TIMES})
    check_small(js.from_arrow(df).profile())
    # Categorical activities, integer case ids, millisecond times without a zone.
    df2 = pl.DataFrame(
        {
            "case": [int(c[1:]) for c in CASES],
            "activity": pl.Series(ACTIVITIES, dtype=pl.Categorical),
            "time": pl.Series([t.replace(tzinfo=None) for t in TIMES]).cast(pl.Datetime("ms")),
        }
    )
    p = js.from_arrow(df2, case="case", activity="activity", timestamp="time").profile()
    assert [(e.source, e.target, e.count) for e in p.dfg] == [("a", "b", 3), ("b", "c", 2), ("a", "d", 1)]
    # String times.
    df3 = df.with_columns(pl.col("time:timestamp").dt.strftime("%Y-%m-%dT%H:%M:%S%z"))
    assert df3.schema["time:timestamp"] == pl.String
    check_small(js.from_arrow(df3).profile())


def test_duckdb():
    duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (optional): pip install duckdb")
    table = small_table()  # noqa: F841 (read by DuckDB's replacement scan)
    result = duckdb.sql('SELECT * FROM "table"')
    check_small(js.from_arrow(result).profile())


# ------------------------------------------------------------------------------------------------
# Frames


def test_frames():
    p = js.from_arrow(small_table()).profile()
    dfg = p.dfg_frame()
    assert list(dfg.index.names) == ["source", "target"]
    assert list(dfg.columns) == ["count", "mean", "median", "min", "max", "total", "stdev"]
    assert dfg.loc[("a", "b"), "count"] == 3
    assert dfg["count"].dtype == "int64"
    assert math.isnan(dfg.loc[("a", "d"), "stdev"])
    assert dfg.loc[("b", "c"), "stdev"] == pytest.approx(math.sqrt(50))

    variants = p.variants_frame()
    assert list(variants["variant"]) == ["a,b,c", "a,b", "a,d"]
    assert variants.loc[0, "activities"] == ("a", "b", "c")
    assert list(variants["count"]) == [2, 1, 1]
    assert list(variants["share"]) == [0.5, 0.25, 0.25]
    assert variants.loc[0, "mean"] == 45.0
    assert math.isnan(variants.loc[1, "stdev"])

    durations = p.case_durations_frame()
    assert durations.index.name == "case"
    assert list(durations.index) == ["c2", "c1", "c4", "c3"]
    assert list(durations["duration"]) == [60.0, 30.0, 4.0, 0.0]

    activities = p.activities_frame()
    assert activities.index.name == "activity"
    assert activities.to_dict("index") == {
        "a": {"events": 4, "cases": 4},
        "b": {"events": 3, "cases": 3},
        "c": {"events": 2, "cases": 2},
        "d": {"events": 1, "cases": 1},
    }


def test_profile_dict_round_trip_and_strictness():
    p = js.from_arrow(small_table()).profile()
    data = p.to_dict()
    assert js.Profile.from_dict(data) == p
    data["dfg"][0]["extra"] = 1
    with pytest.raises(js.ParseError, match="unknown field `extra`") as e:
        js.Profile.from_dict(data)
    assert e.value.path == "dfg[0].extra"


# ------------------------------------------------------------------------------------------------
# Errors


def test_null_in_a_required_column_names_the_column_and_row():
    table = pa.table(
        {
            "case:concept:name": ["x", "x", None],
            "concept:name": ["a", "b", "c"],
            "time:timestamp": TIMES[:3],
        }
    )
    with pytest.raises(js.InputError) as e:
        js.from_arrow(table)
    assert str(e.value) == "row 2, field 'case:concept:name': null in a required column"
    assert (e.value.kind, e.value.path, e.value.file) == ("input", "row 2", None)
    # Rows are counted across batches.
    reader = pa.RecordBatchReader.from_batches(
        table.schema, [table.slice(0, 2).to_batches()[0], table.slice(2).to_batches()[0]]
    )
    with pytest.raises(js.InputError, match="row 2, field 'case:concept:name'"):
        js.from_arrow(reader)
    for column in ("concept:name", "time:timestamp"):
        t = small_table()
        i = t.schema.get_field_index(column)
        values = t.column(column).to_pylist()
        values[4] = None
        t = t.set_column(i, column, pa.array(values, type=t.schema.field(column).type))
        with pytest.raises(js.InputError, match=f"row 4, field '{column}': null in a required column"):
            js.from_arrow(t)


def test_nulls_in_dictionary_and_polars_columns():
    t = small_table().set_column(1, "concept:name", pa.array(ACTIVITIES[:9] + [None]).dictionary_encode())
    with pytest.raises(js.InputError, match="row 9, field 'concept:name'"):
        js.from_arrow(t)
    df = pl.DataFrame({"case:concept:name": CASES[:9] + [None], "concept:name": ACTIVITIES, "time:timestamp": TIMES})
    with pytest.raises(js.InputError, match="row 9, field 'case:concept:name'"):
        js.from_arrow(df)


def test_bad_text_timestamp():
    text = [t.isoformat() for t in TIMES]
    text[3] = "2023-02-30T00:00:00Z"
    with pytest.raises(js.InputError) as e:
        js.from_arrow(small_table(times=pa.array(text)))
    assert "row 3, field 'time:timestamp': '2023-02-30T00:00:00Z' is not an RFC 3339 timestamp" in str(e.value)


def test_time_out_of_the_nanosecond_range():
    times = pa.array([10**11] * len(TIMES), type=pa.timestamp("s"))  # the year 5138
    with pytest.raises(js.InputError, match="row 0, field 'time:timestamp': the time is outside the range"):
        js.from_arrow(small_table(times=times))


def test_missing_column_lists_the_columns():
    table = pa.table({"case": ["x"], "activity": ["a"], "time": [T0]})
    with pytest.raises(js.InputError) as e:
        js.from_arrow(table)
    assert "no column 'case:concept:name'; the columns are: case, activity, time" in str(e.value)
    with pytest.raises(js.InputError, match="no column 'begin'"):
        js.from_arrow(table, case="case", activity="activity", timestamp="time", start_timestamp="begin")


def test_column_of_the_wrong_type():
    table = pa.table({"case": [1.5], "activity": ["a"], "time": [T0], "n": [3]})
    with pytest.raises(js.InputError, match="field 'case': the column has type Float64"):
        js.from_arrow(table, case="case", activity="activity", timestamp="time")
    with pytest.raises(js.InputError, match="field 'n': the column has type Int64; expected timestamps"):
        js.from_arrow(table, case="activity", activity="activity", timestamp="n")


def test_not_a_table():
    with pytest.raises(TypeError, match="__arrow_c_stream__.*builtins.list"):
        js.from_arrow([{"case": "x"}])
    with pytest.raises(TypeError, match="not built directly"):
        js.EventLog()


# ------------------------------------------------------------------------------------------------
# XES

SMALL_XES = ROOT / "tests" / "vectors" / "log-small.xes"
BAD_XES = ROOT / "tests" / "vectors" / "log-bad-event.xes"


def test_read_xes():
    log = js.read_xes(SMALL_XES)
    assert (log.num_cases(), log.num_events()) == (3, 9)
    assert log.activities() == ["submit", "review", "approve", "reject"]
    assert log.report == js.ReadReport(rows_read=9, rows_skipped=0, examples=[])
    p = log.profile()
    e = p.edge("submit", "review")
    assert (e.count, e.mean, e.min, e.max) == (2, 2700.0, 1800.0, 3600.0)
    assert p.edge("review", "review").stdev is None
    assert p.case_durations.max == 10800.0


def test_read_xes_gz(tmp_path):
    import gzip

    path = tmp_path / "small.xes.gz"
    path.write_bytes(gzip.compress(SMALL_XES.read_bytes()))
    assert js.read_xes(str(path)).profile() == js.read_xes(SMALL_XES).profile()


def test_read_xes_bad_event():
    with pytest.raises(js.InputError) as e:
        js.read_xes(BAD_XES)
    assert e.value.path == "trace[1]/event[1]"
    assert e.value.file == str(BAD_XES)
    assert "field 'time:timestamp': 'yesterday' is not a valid date" in str(e.value)
    log = js.read_xes(BAD_XES, skip_bad_rows=True)
    assert (log.num_cases(), log.num_events()) == (2, 4)
    assert log.report.rows_skipped == 1
    assert len(log.report.examples) == 1 and "trace[1]/event[1]" in log.report.examples[0]


def test_read_xes_missing_file(tmp_path):
    missing = tmp_path / "nope.xes"
    with pytest.raises(js.IoError) as e:
        js.read_xes(missing)
    assert str(missing) in str(e.value)
    assert e.value.kind == "io"


def test_read_xes_not_xes(tmp_path):
    path = tmp_path / "x.xes"
    path.write_text('{"not": "xes"}')
    with pytest.raises(js.InputError, match=r"byte 1: '\{' is not the start of XML"):
        js.read_xes(path)
    path.write_text('<?xml version="1.0"?><log><trace>')
    with pytest.raises(js.InputError, match="truncated or not XES"):
        js.read_xes(path)


def test_bpic2012():
    if not BPIC.exists():
        pytest.skip(f"{BPIC} is not there: BPI Challenge 2012 not checked")
    log = js.read_xes(BPIC)
    assert (log.num_cases(), log.num_events()) == (13087, 262200)
    assert log.report.rows_skipped == 0
    p = log.profile()
    assert (len(p.activities), len(p.dfg), len(p.variants)) == (24, 125, 4366)
    counts = {(e.source, e.target): e.count for e in p.dfg}
    assert counts[("A_SUBMITTED", "A_PARTLYSUBMITTED")] == 13087
    assert counts[("W_Completeren aanvraag", "W_Completeren aanvraag")] == 38004
    assert counts[("O_CREATED", "O_SENT")] == 7030
    assert [(e.activity, e.cases) for e in p.start_activities] == [("A_SUBMITTED", 13087)]
    assert p.variants[0].activities == ["A_SUBMITTED", "A_PARTLYSUBMITTED", "A_DECLINED"]
    assert p.variants[0].count == 3429
    frame = p.dfg_frame()
    assert frame.loc[("A_SUBMITTED", "A_PARTLYSUBMITTED"), "median"] == pytest.approx(0.273)


# ------------------------------------------------------------------------------------------------
# CSV and JSON Lines files (tests/data/logs: see core/tests/readers.rs).

LOGS = ROOT / "tests" / "data" / "logs"


def test_read_csv_and_jsonl_give_the_same_log():
    csv = js.read_csv(LOGS / "small.csv")
    jsonl = js.read_jsonl(str(LOGS / "small.jsonl"))
    gz = js.read_csv(LOGS / "small.csv.gz")
    for log in (csv, jsonl, gz):
        assert (log.num_cases(), log.num_events()) == (3, 8)
        assert log.report == js.ReadReport(rows_read=8, rows_skipped=0, examples=[])
    assert csv.profile() == jsonl.profile() == gz.profile()
    # order-1: register at 09:00+01:00 (08:00Z) comes before check stock at 08:30Z.
    assert csv.profile().variant("register", "check stock", "ship, express").count == 2


def test_read_csv_options():
    log = js.read_csv(
        LOGS / "tabs.tsv",
        delimiter="\t",
        timestamp_format="%d/%m/%Y %H:%M",
        time_zone="+02:00",
        value="cost",
    )
    assert (log.num_cases(), log.num_events()) == (2, 3)
    # The offset applies to every time alike: c1's a -> b is one day.
    assert log.profile().edge("a", "b").mean == 86400.0
    with pytest.raises(js.InputError, match="tabs.tsv"):
        js.read_csv(LOGS / "tabs.tsv", delimiter="\t")  # slashed dates are never guessed
    with pytest.raises(js.InvalidArgumentError, match="iso"):
        js.read_csv(LOGS / "tabs.tsv", delimiter="\t", timestamp_format="iso")
    with pytest.raises(js.InvalidArgumentError, match="Mars/Olympus"):
        js.read_csv(LOGS / "tabs.tsv", delimiter="\t", time_zone="Mars/Olympus")
    with pytest.raises(js.InvalidArgumentError, match="delimiter"):
        js.read_csv(LOGS / "tabs.tsv", delimiter="\t\t")
    with pytest.raises(js.InputError, match="ticket"):
        js.read_csv(LOGS / "small.csv", case="ticket")
    with pytest.raises(TypeError):
        js.read_csv(LOGS / "small.csv", "case")  # the mapping is keyword-only


def test_read_csv_bad_rows():
    with pytest.raises(js.InputError, match="line 3") as e:
        js.read_csv(LOGS / "bad_rows.csv", value="value")
    assert e.value.file.endswith("bad_rows.csv")
    log = js.read_csv(LOGS / "bad_rows.csv", value="value", skip_bad_rows=True)
    assert log.num_events() == 2
    assert (log.report.rows_read, log.report.rows_skipped) == (7, 5)
    assert len(log.report.examples) == 5 and "line 3" in log.report.examples[0]
    with pytest.raises(js.IoError):
        js.read_jsonl(LOGS / "no-such-log.jsonl")


# ------------------------------------------------------------------------------------------------
# Activity statistics, arrivals and filters on the small log.


def test_activity_stats():
    stats = js.from_arrow(small_table()).activity_stats()
    assert isinstance(stats, js.ActivityStatsTable)
    assert [(a.activity, a.events, a.cases) for a in stats.activities] == [
        ("a", 4, 4),
        ("b", 3, 3),
        ("c", 2, 2),
        ("d", 1, 1),
    ]
    a, b = stats.activity("a"), stats.activity("b")
    assert a.waiting_time is None and a.service_time is None  # a is always first; no start times
    assert b.waiting_time.count == 3 and b.waiting_time.mean == pytest.approx(40 / 3)  # 10, 30, 0
    assert (b.rework_cases, b.repeats, b.self_loops, b.self_loop_cases) == (0, 0, 0, 0)
    assert stats.activity("z") is None
    assert js.ActivityStatsTable.from_dict(stats.to_dict()) == stats
    df = stats.to_pandas()
    assert list(df.index) == ["a", "b", "c", "d"]
    assert df.loc["b", "events"] == 3 and df["events"].dtype == "int64"
    assert df.loc["b", "waiting_time_mean"] == pytest.approx(40 / 3)
    assert math.isnan(df.loc["a", "waiting_time_mean"]) and math.isnan(df.loc["b", "service_time_max"])


def test_arrivals():
    log = js.from_arrow(small_table())
    # Cases arrive at T0 + 0, 100, 50, 1000 s (T0 is 2023-11-14 22:13:20Z): inter-arrival 50, 50, 900 s.
    for period in ["hour", "day", "week"]:
        a = log.arrivals(period)
        assert isinstance(a, js.Arrivals)
        assert (a.period, a.cases, a.periods, a.rate) == (period, 4, 1, 4.0)
        assert a.inter_arrival.mean == pytest.approx(1000 / 3)
        assert [b.cases for b in a.buckets] == [4]
    day = log.arrivals()
    assert day.period == "day"
    assert day.buckets[0].start == int(dt.datetime(2023, 11, 14, tzinfo=dt.timezone.utc).timestamp()) * 10**9
    df = day.to_pandas()
    assert list(df["cases"]) == [4]
    assert df.index[0] == pd.Timestamp("2023-11-14", tz="UTC")
    with pytest.raises(js.ParseError, match="month"):
        log.arrivals("month")


def test_filter():
    log = js.from_arrow(small_table())
    top = log.filter({"top_variants": 1})  # a,b,c: c1 and c2
    assert isinstance(top, js.EventLog) and top is not log
    assert (top.num_cases(), top.num_events()) == (2, 6)
    assert top.report is None
    assert (log.num_cases(), log.num_events()) == (4, 10)  # unchanged
    assert log.filter({"not": {"activities": ["a"]}}).num_events() == 6
    assert log.filter('{"contains_any": ["d"]}').num_cases() == 1
    assert log.filter({"follows": {"activities": ["b", "c"], "directly": True}}).num_cases() == 2
    assert log.filter({"case_size": {"min": 3, "max": None}}).num_cases() == 2
    # Filters chain.
    assert log.filter({"top_variants": 2}).filter({"contains_any": ["c"]}).num_cases() == 2
    with pytest.raises(js.ParseError, match="unknown variant `sometimes`"):
        log.filter({"sometimes": 1})
    with pytest.raises(js.ParseError):
        log.filter("{")


def test_filter_by_case_attribute_of_a_csv_log():
    log = js.read_csv(LOGS / "small.csv")
    retail = log.filter({"case_attribute": {"name": "segment", "predicate": {"equals": "retail"}}})
    assert retail.num_cases() == 2  # order-1 and order-3
    with pytest.raises(js.JourneyStreamError):
        log.filter({"case_attribute": {"name": "nope", "predicate": {"equals": 1}}})


def test_stage_dwell_from_a_column_and_from_a_map():
    log = js.read_csv(ROOT / "tests" / "data" / "logs" / "stages.csv")
    table = log.stage_dwell(order=["awareness", "consideration", "purchase"])
    assert [s.stage for s in table.stages] == ["awareness", "consideration", "purchase"]
    consideration = table.stage("consideration")
    assert (consideration.cases, consideration.visits) == (2, 3)
    assert consideration.dwell.mean == 1600.0  # 1200, 3600 and 0 s
    df = table.to_pandas()
    assert df.loc["purchase", "mean"] == 300.0
    assert math.isnan(df.loc["purchase", "stdev"])
    # The same stages from a map: activities name touchpoints of the stages.
    doc = js.loads(
        json.dumps(
            {
                "journey": {
                    "id": "j",
                    "name": "Shop",
                    "stages": [
                        {"id": "aware", "name": "Aware", "touchpoints": [{"id": "ad", "name": "Ad", "channel": "web"}]},
                        {
                            "id": "consider",
                            "name": "Consider",
                            "touchpoints": [
                                {"id": "visit", "name": "Visit", "channel": "web"},
                                {"id": "compare", "name": "Compare", "channel": "app"},
                            ],
                        },
                    ],
                }
            }
        )
    )
    by_map = log.stage_dwell(map=doc)
    assert by_map.stage("aware").dwell.total == 2400.0
    with pytest.raises(js.InvalidArgumentError):
        log.stage_dwell("stage", map=doc)


def test_calibrate_fills_the_value_stream():
    doc = js.loads(
        json.dumps(
            {
                "value_stream": {
                    "id": "vs",
                    "name": "Tickets",
                    "time_basis": {"days": "calendar"},
                    "steps": [
                        {"id": "open", "name": "Open", "process_time": "5min"},
                        {"id": "fix", "name": "Fix", "process_time": "30min", "wait": "1d"},
                        {"id": "close", "name": "Close", "process_time": "1min"},
                    ],
                }
            }
        )
    )
    rows = [("1", "open", 0), ("1", "fix", 2), ("2", "open", 0), ("2", "fix", 4)]
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(
        {
            "case:concept:name": [r[0] for r in rows],
            "concept:name": [r[1] for r in rows],
            "time:timestamp": pd.to_datetime([r[2] * 3600 for r in rows], unit="s", utc=True),
        }
    )
    log = js.from_pandas(frame)
    c = log.calibrate(doc, statistic="median")
    assert c.unseen_steps == ["close"]
    fix = next(s for s in c.steps if s.step == "fix")
    assert fix.lead_time.p50 == 10800.0
    assert isinstance(c.map, js.Map)
    assert c.to_pandas().loc["fix", "lead_time_p90"] == 13680.0
    with pytest.raises(js.ParseError, match="statistic"):
        log.calibrate(doc, statistic="p99")
