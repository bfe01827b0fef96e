"""Change points from Python: the series crosses as an array, the result is typed."""

import numpy as np
import pytest

import journeystream as js


def planted(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.concatenate([rng.normal(0, 1, 300), rng.normal(5, 1, 300), rng.normal(1, 1, 300)])


def test_pelt_and_binary_segmentation_find_the_planted_changes():
    y = planted(3)
    for method in ("pelt", "binary_segmentation"):
        found = js.change_points(y, method=method)
        assert isinstance(found, js.ChangePoints)
        assert found.breakpoints == [300, 600, 900], method
        assert [round(s.mean) for s in found.segments] == [0, 5, 1]
    frame = js.change_points(y).to_pandas()
    assert list(frame.index) == [0, 300, 600] and list(frame["end"]) == [300, 600, 900]


def test_lists_numpy_and_pyarrow_series_agree():
    pa = pytest.importorskip("pyarrow")
    y = planted(4)
    one = js.change_points(y, penalty=50.0)
    assert js.change_points(list(y), penalty=50.0) == one
    assert js.change_points(pa.array(y), penalty=50.0) == one
    assert one.penalty == 50.0


def test_counts_under_the_poisson_cost():
    rng = np.random.default_rng(5)
    counts = np.concatenate([rng.poisson(2, 200), rng.poisson(9, 200)]).astype(float)
    assert js.change_points(counts, cost="poisson", min_size=1).breakpoints == [200, 400]
    with pytest.raises(js.InvalidArgumentError, match=r"series\[1\]"):
        js.change_points([1.0, 2.5], cost="poisson", min_size=1)


def test_bad_options_name_themselves():
    with pytest.raises(js.InvalidArgumentError, match="min_size"):
        js.change_points([1.0, 2.0, 3.0], min_size=5)
    with pytest.raises(js.ParseError, match="cost"):
        js.change_points([1.0, 2.0, 3.0], cost="gaussian")
    with pytest.raises(js.InvalidArgumentError, match=r"series\[2\]"):
        js.change_points([1.0, 2.0, float("nan")])


def test_control_charts_from_python():
    rng = np.random.default_rng(9)
    values = np.concatenate([rng.normal(10, 1, 40), rng.normal(14, 1, 10)])
    c = js.control_chart("individuals", values[:40], rules="western_electric")
    assert isinstance(c, js.ControlChart) and len(c.points) == 40 and len(c.ranges) == 39
    shifted = js.control_chart("individuals", values, center=10.0, sigma=1.0, rules="western_electric")
    assert any(s.index >= 40 and s.side == "high" for s in shifted.signals)
    assert not any(s.index < 40 and s.rule == "beyond_3_sigma" for s in shifted.signals)
    e = js.control_chart("ewma", values, center=10.0, sigma=1.0, lam=0.1, l=2.7)
    first = min(s.index for s in e.signals)
    assert 40 <= first <= 42
    cu = js.control_chart("cusum", values, center=10.0, sigma=1.0)
    assert min(s.index for s in cu.signals) >= 40
    p = js.control_chart("p", defects=[3, 4, 2, 20], sizes=[100, 100, 100, 100])
    assert [s.index for s in p.signals] == [3]
    x = js.control_chart("xbar_r", subgroups=[[1, 2, 3], [2, 3, 4], [1, 3, 2]])
    assert x.points[0].value == 2.0 and x.ranges[0].value == 2.0
    assert list(x.to_pandas().index) == [0, 1, 2]
    with pytest.raises(js.InvalidArgumentError, match="rules"):
        js.control_chart("ewma", values, rules="nelson")
