"""The columnar data plane: results' tables cross as Arrow (no JSON, no Python object per row),
array inputs cross as arrays (no JSON), and bad values are errors naming the field and index."""

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"


def support_log():
    return js.read_csv(ROOT / "examples" / "support-log.csv")


def at(data, path, kind):
    # `rows` is the root when the result is itself a sequence, or a record of columns.
    if path == "rows" and (isinstance(data, list) or kind == "columns"):
        return data
    for key in path.split("."):
        data = data[key]
    return data


def table_as_json(table, kind):
    t = pa.table(table)
    if kind == "values":
        return t.column("value").to_pylist() if t.num_columns else []
    if kind == "columns":
        return {c: t.column(c).to_pylist() for c in t.column_names}
    return t.to_pylist()


def without_nulls(v):
    if isinstance(v, dict):
        return {k: without_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [without_nulls(x) for x in v]
    return v


REQUESTS = [
    {"analysis": "profile"},
    {"analysis": "activity_stats"},
    {"analysis": "arrivals", "period": "day"},
    {"analysis": "top_paths", "top": 5},
    {"analysis": "step_matrix", "max_steps": 4},
    {"analysis": "transition_graph"},
    {"analysis": "retention", "period": "day", "periods": 3},
]


@pytest.mark.parametrize("request_", REQUESTS, ids=[r["analysis"] for r in REQUESTS])
def test_every_table_equals_the_json(request_):
    r = js.evaluate(request_, support_log())
    data = r.to_dict()
    assert r.table_names(), "a result with tables"
    for name in r.table_names():
        t = r.table(name)
        kind = pa.table(t).schema.metadata[b"journeystream.kind"].decode()
        expected = at(data, name, kind)
        got = table_as_json(t, kind)
        if kind == "columns":
            got = {**{k: v for k, v in expected.items() if not isinstance(v, list)}, **got}
        assert without_nulls(got) == without_nulls(expected), name


def test_columns_tables_of_predictions_equal_the_json():
    r = js.evaluate({"analysis": "clv_predict", "model": "bg_nbd",
                     "params": {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43},
                     "frequency": np.array([0, 2, 5]), "recency": [0.0, 10.5, 30.0], "T": pd.Series([38.0, 38.0, 38.0]),
                     "curve_times": [1.0, 2.0]})
    assert sorted(r.table_names()) == ["population_curve", "rows"]
    data = r.to_dict()
    rows = pa.table(r.table("rows"))
    assert rows.column_names == ["expected_purchases", "probability_alive"]
    assert rows.column("expected_purchases").to_pylist() == data["expected_purchases"]
    assert pa.table(r.population_curve).column("t").to_pylist() == [1.0, 2.0]


def test_tables_are_shared_not_copied():
    p = support_log().profile()
    a = pa.table(p.dfg).column("count").chunks[0].buffers()[1].address
    b = pa.table(p.dfg).column("count").chunks[0].buffers()[1].address
    assert a == b  # two imports, one native buffer
    frame = pl.DataFrame(p.dfg)
    assert frame.height == len(p.dfg) and frame.columns == p.dfg.columns
    assert p.dfg.to_pandas()["count"].dtype == "int64"
    assert "duration.mean" in p.variants.to_pandas().columns


def test_duckdb_reads_a_table():
    duckdb = pytest.importorskip("duckdb")
    dfg = support_log().profile().dfg
    ((n,),) = duckdb.sql("select count(*) from dfg").fetchall()
    assert n == len(dfg)


def test_a_table_of_ten_million_rows_crosses_without_an_object_per_row():
    n = 10_000_000
    r = js.evaluate({"analysis": "clv_predict", "model": "bg_nbd",
                     "params": {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43},
                     "frequency": np.zeros(n), "recency": np.zeros(n), "T": np.full(n, 30.0)})
    t = r.table("rows")
    before = sys.getallocatedblocks()
    table = pa.table(t)
    after = sys.getallocatedblocks()
    assert table.num_rows == n
    assert after - before < 1000, after - before


def test_rows_read_by_index_and_attribute():
    p = support_log().profile()
    first = p.dfg[0]
    assert isinstance(first, js.Row) and first.count == max(e.count for e in p.dfg)
    assert first == p.dfg.rows(0, 1)[0] and p.dfg[-1] == list(p.dfg)[-1]
    assert p.variants[0].duration.count == p.variants[0].count
    with pytest.raises(AttributeError, match="did you mean 'count'"):
        first.cuont
    with pytest.raises(AttributeError, match="did you mean 'dfg'"):
        p.dgf
    with pytest.raises(KeyError, match="its tables are"):
        p.table("nope")
    assert js.Profile.from_dict(p.to_dict()) == p


SCORES = [10, 9, 9, 8, 7, 6, 3, 0, 10, 10]


@pytest.mark.parametrize(
    "scores",
    [
        SCORES,
        tuple(SCORES),
        np.array(SCORES, dtype=np.int64),
        np.array(SCORES, dtype=np.int8),
        np.array(SCORES, dtype=np.uint16),
        np.array(SCORES, dtype=np.float32),
        np.repeat(np.array(SCORES, dtype=np.float64), 2)[::2],  # not contiguous
        pd.Series(SCORES),
        pd.Series(SCORES, dtype="Int64"),
        pl.Series(SCORES),
        pa.array(SCORES),
        pa.chunked_array([SCORES[:4], SCORES[4:]]),
        [np.int64(s) for s in SCORES],
    ],
    ids=["list", "tuple", "int64", "int8", "uint16", "float32", "strided", "pandas", "pandas-Int64",
         "polars", "pyarrow", "chunked", "numpy-scalars"],
)
def test_scores_come_in_any_array(scores):
    # 5 promoters (9-10), 3 detractors (0-6) of 10.
    assert js.nps(scores).overall.value == pytest.approx(100 * (5 - 3) / 10)


@pytest.mark.parametrize("values", [
    np.arange(1000, dtype=np.int64) % 11,
    np.arange(1000, dtype=np.float32) % 11,
    np.arange(1000, dtype=np.uint8) % 11,
], ids=["int64", "float32", "uint8"])
def test_numpy_arrays_are_read_in_place(values):
    assert js._native.column_address(values) == values.__array_interface__["data"][0]


def test_arrow_and_pandas_arrays_are_read_in_place():
    arrow = pa.array(np.arange(1000, dtype=np.int32) % 11)
    assert js._native.column_address(arrow) == arrow.buffers()[1].address
    series = pd.Series(np.arange(1000, dtype=np.int64) % 11)
    prepared = js._arrays.prepare(series)
    assert js._native.column_address(prepared) == series.to_numpy().__array_interface__["data"][0]


def test_ten_million_scores_cross_without_an_object_per_score():
    import tracemalloc

    scores = np.random.default_rng(3).integers(0, 11, 10_000_000)
    tracemalloc.start()
    try:
        r = js.nps(scores)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.overall.n == 10_000_000
    assert peak < 1_000_000, peak  # the scores alone would be 80 MB as f64, 280 MB as ints


def test_segments_come_in_as_arrays():
    k = js.nps(np.array(SCORES), segments=pd.Series(["a"] * 5 + ["b"] * 5))
    assert [s.segment for s in k.segments] == ["a", "b"]
    k2 = js.nps(pa.array(SCORES), segments=pa.array(["a"] * 5 + ["b"] * 5).dictionary_encode())
    assert k2 == k


@pytest.mark.parametrize(
    "scores, message",
    [
        (np.array([9.0, float("nan"), 3.0]), r"scores\[1\]': 'NaN' is not a finite number"),
        ([9, None, 3], r"scores\[1\]': 'None' is missing"),
        (pd.Series([9, None, 3], dtype="Int64"), r"scores\[1\]': 'None' is missing"),
        (pl.Series([9, None, 3]), r"scores\[1\]': 'None' is missing"),
        (pa.array([9, None, 3]), r"scores\[1\]': 'null' is missing"),
        ([9, 2**60, 3], r"scores\[1\]'.*past 2\^53"),
        (np.array([9, 2**60], dtype=np.int64), r"scores\[1\]'.*past 2\^53"),
        (np.array([9, 2**53 + 1], dtype=np.int64), r"scores\[1\]': '9007199254740993'.*past 2\^53"),
        (pa.array([9, -(2**53) - 1]), r"scores\[1\]': '-9007199254740993'.*past 2\^53"),
        ([9, 2**53 + 1], r"scores\[1\]': '9007199254740993'.*past 2\^53"),
        (["9", "3"], r"scores': '2 text values' expected numbers"),
        ([9, "x"], r"scores\[1\]': ''x'' is not a number"),
        ("9", r"is one string"),
        (np.ones((2, 2)), r"one-dimensional"),
    ],
)
def test_bad_values_are_named_by_field_and_index(scores, message):
    with pytest.raises(js.InvalidArgumentError, match=message):
        js.nps(scores)


@pytest.mark.parametrize(
    "segments, message",
    [
        (pd.Series(["a", "b", None, "a"] + ["b"] * 6), r"segments\[2\]': '(None|null)' is missing"),
        (pd.Series(["a", "b", float("nan"), "a"] + ["b"] * 6), r"segments\[2\]': '(nan|null)' is missing"),
        (pd.Series(["a", "b", None, "a"] + ["b"] * 6, dtype=object), r"segments\[2\]': 'None' is missing"),
        (np.array(["a", "b", 3] + ["b"] * 7, dtype=object), r"segments\[2\]': '3' is not text"),
        (["a", "b", b"x"] + ["b"] * 7, r"segments\[2\]': 'b'x'' is not text"),
    ],
)
def test_bad_text_is_named_by_field_and_index(segments, message):
    with pytest.raises(js.InvalidArgumentError, match=message):
        js.nps(np.array(SCORES), segments=segments)


def test_text_from_pandas_objects_equals_it_from_arrow():
    class Label(str):
        pass

    labels = ["café", "über > straße", Label("a"), "a", "日本", "b", "café", "b", "a", "b"]
    from_objects = js.nps(np.array(SCORES), segments=pd.Series(labels, dtype=object))
    from_arrow = js.nps(np.array(SCORES), segments=pa.array([str(x) for x in labels]))
    assert from_objects == from_arrow
    assert {s.segment for s in from_objects.segments} == {"café", "über > straße", "a", "日本", "b"}
    frame = pd.DataFrame({"path": ["café > 日本", "日本", "café"], "total_conversions": [1, 1, 0],
                          "total_null": [1, 0, 2]})
    assert js.attribution("markov", paths=frame) == js.attribution("markov", paths=pa.table(frame))


def test_float_scores_where_integers_are_meant_are_an_error():
    with pytest.raises(js.JourneyStreamError, match=r"scores\[1\]"):
        js.nps(np.array([9.0, 7.5]))


def test_mismatched_lengths_are_an_error():
    with pytest.raises(js.JourneyStreamError, match="segments"):
        js.nps(np.array(SCORES), segments=["a", "b"])


def test_a_column_the_analysis_does_not_take_is_named():
    with pytest.raises(js.InvalidArgumentError, match="did you mean 'scores'"):
        js._native.analyze('{"analysis": "kpi", "metric": "nps"}', None, {"score": [1]})


PATH_ROWS = [["a > b", 2, 20.0, 1], ["b", 1, 5.0, 3], ["a > c > b", 0, 0.0, 2], ["c", 3, 9.0, 0]]
PATH_FRAME = pd.DataFrame(PATH_ROWS, columns=["path", "total_conversions", "total_conversion_value", "total_null"])


@pytest.mark.parametrize(
    "frame",
    [PATH_FRAME, pl.from_pandas(PATH_FRAME), pa.Table.from_pandas(PATH_FRAME)],
    ids=["pandas", "polars", "pyarrow"],
)
@pytest.mark.parametrize("model", ["markov", "linear", "shapley"])
def test_a_path_frame_crosses_as_columns_and_equals_its_rows(frame, model):
    assert js.attribution(model, paths=frame) == js.attribution(model, paths=PATH_ROWS)


def test_a_path_frame_with_missing_totals_counts_them_zero():
    frame = PATH_FRAME.astype({"total_null": "float64"})
    frame.loc[1, "total_null"] = float("nan")
    rows = [list(r) for r in PATH_ROWS]
    rows[1][3] = None  # a null in rows counts 0
    want = js.attribution("linear", paths=rows)
    for f in [frame, pl.from_pandas(frame, nan_to_null=True), pa.Table.from_pandas(frame)]:
        assert js.attribution("linear", paths=f) == want


def test_a_bad_path_column_is_named():
    bad = PATH_FRAME.assign(total_conversions=[2, -1, 0, 3])
    with pytest.raises(js.JourneyStreamError, match=r"paths\.total_conversions\[1\]"):
        js.attribution("linear", paths=bad)
    with pytest.raises(js.JourneyStreamError, match=r"paths\.path\[1\]"):
        js.attribution("linear", paths=PATH_FRAME.assign(path=["a", 3, "b", "c"]))


def test_table_columns_as_numpy_and_lists():
    r = js.evaluate({"analysis": "profile"}, support_log())
    dfg = r.table("dfg")
    counts = dfg.to_numpy("count")
    assert counts.dtype == np.float64 and counts.tolist() == pa.table(dfg).column("count").to_pylist()
    stdev = dfg.to_numpy("stdev")  # nulls as NaN
    assert np.isnan(stdev).sum() == pa.table(dfg).column("stdev").null_count
    assert dfg.column("source") == pa.table(dfg).column("source").to_pylist()
    with pytest.raises(KeyError, match="did you mean 'count'"):
        dfg.to_numpy("cont")
    with pytest.raises(TypeError, match="'dfg.source': 'Utf8' is a column of this type"):
        dfg.to_numpy("source")


def test_predictions_read_their_columns_as_numpy():
    f, r, t = np.array([2.0, 1, 0, 3]), np.array([30.4, 1.7, 0, 20]), np.full(4, 38.9)
    p = js.clv_predict({"model": "bg_nbd", "params": {"r": 0.24, "alpha": 4.4, "a": 0.79, "b": 2.4}},
                       f, r, t, t=10, curve_times=[1, 2], max_frequency=3)
    d = p.to_dict()
    assert p.expected_purchases.tolist() == d["expected_purchases"]
    assert p.probability_alive.tolist() == d["probability_alive"]
    assert p.clv is None and p.customer is None
    assert p.population_curve == d["population_curve"]
    assert p.period_transactions == d["period_transactions"]
