"""Monitoring a KPI over time: where a series changes.

:func:`change_points` segments a series (a KPI per period, any numbers) by PELT or binary
segmentation, with the segment costs and search of the ``ruptures`` package (``l2`` is
``"normal_mean"``, ``normal`` is ``"normal_mean_var"``) and a Poisson cost for counts; the
penalty is the BIC by default::

    import journeystream as js
    found = js.change_points(weekly_conversion, cost="normal_mean")
    found.breakpoints          # segment ends, the last one len(series), as ruptures gives them
    found.to_pandas()          # one row a segment: start, end, mean, variance, cost

The series crosses to the library as an array (numpy, pyarrow, a list).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Union

from ._convert import record
from .log import analyze
from .results import Result, _frame

if TYPE_CHECKING:
    import pandas

ChangeCost = Literal["normal_mean", "normal_mean_var", "poisson"]
ChangeMethod = Literal["pelt", "binary_segmentation"]


@record(frozen=True)
class Segment(Result):
    """One segment: ``series[start:end]``."""

    start: int
    end: int
    mean: float
    #: Variance (divided by the length).
    variance: float
    cost: float


@record(frozen=True)
class ChangePoints(Result):
    """A segmentation of a series."""

    cost: ChangeCost
    #: The penalty used (the BIC's value when the BIC was asked for).
    penalty: float
    #: Segment ends; the last is the length of the series.
    breakpoints: List[int]
    segments: List[Segment]
    #: The sum of the segments' costs, without penalties.
    total_cost: float

    def to_pandas(self) -> "pandas.DataFrame":
        """One row a segment, indexed by ``start``."""
        return _frame(self.segments, Segment)


def change_points(
    series: Any,
    *,
    cost: ChangeCost = "normal_mean",
    penalty: Union[Literal["bic"], float] = "bic",
    method: ChangeMethod = "pelt",
    min_size: int = 2,
    jump: int = 1,
    max_changes: Optional[int] = None,
) -> ChangePoints:
    """The change points of ``series`` (see the module documentation). ``min_size`` is the
    shortest segment, ``jump`` lays candidate breakpoints on multiples of it (``ruptures``'
    names and meaning); ``max_changes`` stops binary segmentation after that many changes
    instead of at the penalty."""
    request: Dict[str, Any] = {
        "analysis": "change_points",
        "series": series,
        "cost": cost,
        "penalty": penalty if isinstance(penalty, str) else float(penalty),
        "method": method,
        "min_size": int(min_size),
        "jump": int(jump),
    }
    if max_changes is not None:
        request["max_changes"] = int(max_changes)
    return ChangePoints.from_dict(analyze(request))
