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
