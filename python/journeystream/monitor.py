"""Monitoring a KPI over time: where a series changes, and whether it stays in control.

:func:`change_points` segments a series (a KPI per period, any numbers) by PELT or binary
segmentation, with the segment costs and search of the ``ruptures`` package (``l2`` is
``"normal_mean"``, ``normal`` is ``"normal_mean_var"``) and a Poisson cost for counts; the
penalty is the BIC by default::

    import journeystream as js
    found = js.change_points(weekly_conversion, cost="normal_mean")
    found.breakpoints          # segment ends, the last one len(series), as ruptures gives them
    found.to_pandas()          # one row a segment: start, end, mean, variance, cost

:func:`control_chart` draws a Shewhart chart (``individuals``, ``xbar_r``, ``p``), an EWMA or a
tabular CUSUM, with run rules chosen explicitly (``"beyond_limits"``, ``"western_electric"``,
``"nelson"``)::

    chart = js.control_chart("p", defects=complaints, sizes=orders, rules="western_electric")
    [(s.index, s.rule) for s in chart.signals]

Series cross to the library as arrays (numpy, pyarrow, a list).
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
ChartKind = Literal["individuals", "xbar_r", "p", "ewma", "cusum"]
RunRules = Literal["beyond_limits", "western_electric", "nelson"]


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


@record(frozen=True)
class ChartPoint(Result):
    """One plotted point with its center and limits."""

    index: int
    value: float
    center: float
    lower: float
    upper: float


@record(frozen=True)
class ChartSignal(Result):
    """A point a rule flagged."""

    index: int
    #: ``beyond_3_sigma``, ``two_of_three_beyond_2_sigma``, ``eight_on_one_side``, ...
    rule: str
    #: ``high``, ``low`` or ``none`` (rules of no side).
    side: str


@record(frozen=True)
class ControlChart(Result):
    """A control chart: its points, its companion range chart, and the rules' signals."""

    chart: ChartKind
    #: σ of one value, estimated or given (None for a p-chart).
    sigma: Optional[float]
    points: List[ChartPoint]
    #: Moving ranges (individuals) or subgroup ranges (xbar_r).
    ranges: List[ChartPoint]
    #: CUSUM: the lower sums (the upper ones are ``points``).
    lower_sums: List[ChartPoint]
    rules: RunRules
    signals: List[ChartSignal]

    def to_pandas(self) -> "pandas.DataFrame":
        """One row a point, indexed by ``index``."""
        return _frame(self.points, ChartPoint)


def control_chart(
    chart: ChartKind,
    values: Any = None,
    *,
    subgroups: Optional[List[List[float]]] = None,
    defects: Any = None,
    sizes: Any = None,
    center: Optional[float] = None,
    sigma: Optional[float] = None,
    rules: RunRules = "beyond_limits",
    lam: float = 0.2,
    l: float = 3.0,
    k: float = 0.5,
    h: float = 5.0,
) -> ControlChart:
    """A control chart (see the module documentation): ``values`` for ``individuals``,
    ``ewma`` and ``cusum``, ``subgroups`` (lists of 2 to 25 values) for ``xbar_r``, ``defects``
    out of ``sizes`` for ``p``. ``center`` and ``sigma`` are known values (a phase II chart),
    else estimated from the data. EWMA: smoothing ``lam`` and limits ``l`` σ wide; CUSUM:
    reference ``k`` σ and decision interval ``h`` σ."""
    request: Dict[str, Any] = {"analysis": "control_chart", "chart": chart, "rules": rules,
                               "lambda": float(lam), "l": float(l), "k": float(k), "h": float(h)}
    for key, value in (("values", values), ("subgroups", subgroups), ("defects", defects),
                       ("sizes", sizes), ("center", center), ("sigma", sigma)):
        if value is not None:
            request[key] = value
    if subgroups is not None:
        request["subgroups"] = [[float(v) for v in g] for g in subgroups]
    return ControlChart.from_dict(analyze(request))
