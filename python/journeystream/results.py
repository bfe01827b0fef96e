"""Results of the value-stream algorithms, as frozen dataclasses mirroring the Rust structs.

Units, as in the JSON of the Rust library: every duration (``lead_time``, ``process_time``,
``takt_time``, ...) is a float number of **seconds**; ``*_days`` fields are days of the value
stream's ``day_length``; ratios and shares are fractions (0–1), not percentages. Fields the Rust
library writes as ``null`` are ``None``.

:meth:`to_dict` gives exactly the Rust JSON; :meth:`from_dict` is strict, so a field the Rust
library adds that this package lacks raises :class:`journeystream.ParseError`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Type, TypeVar, Union

from . import _convert, _native
from ._convert import record
from .display import Displayed
from .model import Map, Polarity, ReworkModel, ValueClass

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "Result",
    "BottleneckBasis",
    "StepMetrics",
    "GroupMetrics",
    "MomentMetrics",
    "Bottleneck",
    "ValueStreamMetrics",
    "MetricChange",
    "Comparison",
    "AppliedEffect",
    "Projection",
    "LittlesLaw",
    "compare",
    "littles_law",
]

R = TypeVar("R", bound="Result")

#: What the bottleneck was chosen by: highest ``utilization`` (demand known) or highest effective
#: ``cycle_time`` (visits × C/T ÷ uptime; no demand given).
BottleneckBasis = Literal["utilization", "cycle_time"]


def _pandas() -> Any:
    try:
        import pandas
    except ImportError as e:
        raise ImportError(
            "journeystream: to_pandas() and the *_frame() methods need pandas, which is not "
            "installed: pip install pandas (or pip install 'journeystream[pandas]')"
        ) from e
    return pandas


def _frame(items: List[Any], cls: type) -> "pandas.DataFrame":
    pd = _pandas()
    columns = [f.key for f in _convert.spec(cls)]
    return pd.DataFrame([i.to_dict() for i in items], columns=columns).set_index(columns[0])


class Result(Displayed):
    """Base of the result classes: dict conversion, a readable repr, and a chart and table in
    Jupyter (:mod:`journeystream.display`)."""

    # Rust writes `None` fields of results as `null`.
    _omit_none = False

    def to_dict(self) -> Dict[str, Any]:
        """The result as the Rust library serializes it (durations in seconds)."""
        return _convert.to_dict(self)

    @classmethod
    def from_dict(cls: Type[R], data: Dict[str, Any]) -> R:
        """Builds the result from the Rust JSON, strictly (unknown or missing keys raise
        :class:`journeystream.ParseError`)."""
        return _convert.from_dict(cls, data)

    def __repr__(self) -> str:
        return _convert.short_repr(self)


@record(frozen=True)
class StepMetrics(Result):
    """Metrics of one step (durations in seconds)."""

    id: str
    name: str
    #: Expected visits per unit without rework.
    visits: float
    #: Expected visits per unit with rework, under the rework model.
    rework_visits: float
    wait_time: float
    #: The inventory before the step in days of demand, when given as inventory.
    inventory_days: Optional[float]
    process_time: float
    lead_time: float
    cycle_time: float
    #: %C&A as a fraction.
    complete_accurate: float
    value_class: ValueClass
    #: Units per day (None without demand or with a zero cycle time).
    capacity_per_day: Optional[float]
    #: Above 1 the step cannot keep takt.
    utilization: Optional[float]
    cycle_time_to_takt: Optional[float]


@record(frozen=True)
class GroupMetrics(Result):
    """Totals over a journey stage (``id`` the stage id) or a blueprint lane (``id`` the lane
    name), each step weighted by its visits (durations in seconds)."""

    id: str
    name: str
    steps: List[str]
    lead_time: float
    process_time: float
    wait_time: float
    #: None when the group takes no time.
    activity_ratio: Optional[float]
    rolled_complete_accurate: float
    share_of_lead_time: float


@record(frozen=True)
class MomentMetrics(Result):
    """The steps behind a moment of truth (durations in seconds)."""

    id: str
    name: str
    stage: str
    touchpoint: Optional[str]
    polarity: Polarity
    steps: List[str]
    lead_time: float
    process_time: float
    rolled_complete_accurate: float


@record(frozen=True)
class Bottleneck(Result):
    """The limiting step; ``value`` is its utilization (basis ``utilization``) or its effective
    cycle time in seconds (basis ``cycle_time``)."""

    step: str
    basis: BottleneckBasis
    value: float


@record(frozen=True)
class ValueStreamMetrics(Result):
    """Metrics of a value stream. Durations are float seconds; ``*_days`` are days of
    ``day_length``; ratios and shares are fractions."""

    value_stream: str
    day_length: float
    lead_time: float
    lead_time_days: float
    process_time: float
    wait_time: float
    activity_ratio: float
    process_cycle_efficiency: float
    rolled_complete_accurate: float
    value_adding_time: float
    necessary_non_value_adding_time: float
    waste_time: float
    value_adding_share: float
    necessary_non_value_adding_share: float
    waste_share: float
    rework_model: ReworkModel
    rework_adjusted_lead_time: float
    rework_adjusted_lead_time_days: float
    demand_per_day: Optional[float]
    available_time_per_day: Optional[float]
    takt_time: Optional[float]
    total_inventory: float
    inventory_days: float
    bottleneck: Optional[Bottleneck]
    steps: List[StepMetrics]
    stages: List[GroupMetrics]
    lanes: List[GroupMetrics]
    moments_of_truth: List[MomentMetrics]

    def step(self, id: str) -> Optional[StepMetrics]:
        """The metrics of the step with this id."""
        return next((s for s in self.steps if s.id == id), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """The step metrics as a DataFrame indexed by step id (durations in seconds)."""
        return _frame(self.steps, StepMetrics)

    def _chart(self) -> Optional[str]:
        from . import render

        steps = [(s.name, s.wait_time, s.process_time) for s in self.steps]
        title = f"{self.value_stream}: lead-time ladder"
        return render.ladder(steps, day_length=self.day_length, title=title)

    def stages_frame(self) -> "pandas.DataFrame":
        """The stage rollups as a DataFrame indexed by stage id."""
        return _frame(self.stages, GroupMetrics)

    def lanes_frame(self) -> "pandas.DataFrame":
        """The lane rollups as a DataFrame indexed by lane name."""
        return _frame(self.lanes, GroupMetrics)

    def moments_frame(self) -> "pandas.DataFrame":
        """The moment-of-truth rollups as a DataFrame indexed by moment id."""
        return _frame(self.moments_of_truth, MomentMetrics)


@record(frozen=True)
class MetricChange(Result):
    """The change of one summary metric: ``unit`` is ``s``, ``d``, ``ratio``, ``units``,
    ``count``...; ``absolute`` = after − before; ``relative`` = (after − before) ÷ |before|, None
    when before is 0 or either side is missing."""

    metric: str
    unit: str
    before: Optional[float]
    after: Optional[float]
    absolute: Optional[float]
    relative: Optional[float]


@record(frozen=True)
class Comparison(Result):
    """Two states compared, metric by metric."""

    changes: List[MetricChange]
    steps_removed: List[str]
    steps_added: List[str]
    bottleneck_before: Optional[str]
    bottleneck_after: Optional[str]

    def change(self, metric: str) -> Optional[MetricChange]:
        """The change of the named metric (``"lead_time"``)."""
        return next((c for c in self.changes if c.metric == metric), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """The changes as a DataFrame indexed by metric: unit, before, after, absolute,
        relative."""
        return _frame(self.changes, MetricChange)


@record(frozen=True)
class AppliedEffect(Result):
    """One effect applied to one step, with the field's value before and after as text."""

    initiative: str
    step: str
    effect: str
    before: str
    after: str


@record(frozen=True)
class Projection(Result):
    """A future state (journey kept, value stream changed, no plan) and what was done to reach
    it."""

    map: Map
    applied: List[AppliedEffect]


@record(frozen=True)
class LittlesLaw(Result):
    """Little's law: WIP (units) = throughput (units per day) × lead time (days)."""

    wip: float
    throughput_per_day: float
    lead_time_days: float


def _metrics(state: Union[Map, ValueStreamMetrics]) -> ValueStreamMetrics:
    return state.measure() if isinstance(state, Map) else state


def compare(
    before: Union[ValueStreamMetrics, Map], after: Union[ValueStreamMetrics, Map]
) -> Comparison:
    """Current vs future state. Takes metrics, or maps (measured with the default options)."""
    text = _native.compare(
        json.dumps(_metrics(before).to_dict()), json.dumps(_metrics(after).to_dict())
    )
    return Comparison.from_dict(json.loads(text))


def littles_law(
    wip: Optional[float] = None,
    throughput_per_day: Optional[float] = None,
    lead_time_days: Optional[float] = None,
) -> LittlesLaw:
    """Given exactly two of WIP (units), throughput (units per day) and lead time (days), all
    three; otherwise :class:`journeystream.InvalidArgumentError`."""
    w, t, l = _native.littles_law(wip, throughput_per_day, lead_time_days)
    return LittlesLaw(wip=w, throughput_per_day=t, lead_time_days=l)
