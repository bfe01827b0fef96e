"""The map document: a journey, the value stream behind it, and a plan to change it.

Each class mirrors a struct of the Rust library one to one, with the same field names, in the same
order, with the same defaults. Times are the strings a document holds (``"39s"``, ``"10min"``,
``"1.5h"``, ``"5d"``), kept as written; enums are strings. Building objects here does not
validate them: :meth:`Map.validate`, :meth:`Map.measure` and the other methods send the document
to the native library, which does, and raises the typed exception with the JSON ``path`` of the
bad field.

:meth:`to_dict` gives exactly the JSON the Rust library writes (``None`` fields and empty optional
lists left out, defaults written); :meth:`from_dict` is strict (see :mod:`journeystream._convert`).
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Type, TypeVar, Union

from . import _convert, _native
from ._convert import record

if TYPE_CHECKING:
    from .results import Projection, ValueStreamMetrics

__all__ = [
    "Time",
    "Polarity",
    "Lane",
    "ValueClass",
    "WasteType",
    "DayBasis",
    "ReworkModel",
    "Document",
    "Journey",
    "EmotionScale",
    "Persona",
    "Stage",
    "Touchpoint",
    "PainPoint",
    "MomentOfTruth",
    "Opportunity",
    "KpiTarget",
    "ValueStream",
    "TimeBasis",
    "Demand",
    "AvailableTime",
    "Step",
    "Inventory",
    "Route",
    "ReworkLoop",
    "Plan",
    "Initiative",
    "Map",
    "Problem",
]

#: A time as written in a document: a number and a unit, ``"39s"``, ``"10min"``, ``"1.5h"``,
#: ``"5d"`` (days under the value stream's :class:`TimeBasis`).
Time = str

#: Whether a moment of truth is experienced well or badly today.
Polarity = Literal["positive", "negative", "mixed"]
#: Where a step sits in a service blueprint.
Lane = Literal["customer", "front_stage", "back_stage", "support"]
#: Whether the customer would pay for a step.
ValueClass = Literal["value_adding", "necessary_non_value_adding", "waste"]
#: The eight wastes of lean (TIMWOODS; ``skills``: unused skills and talent).
WasteType = Literal[
    "transport",
    "inventory",
    "motion",
    "waiting",
    "overproduction",
    "overprocessing",
    "defects",
    "skills",
]
#: What a day is: a working day or a calendar day (24 h).
DayBasis = Literal["working", "calendar"]
#: How rework loops add to the lead time (see :meth:`Map.measure`).
ReworkModel = Literal["single_pass", "geometric"]

D = TypeVar("D", bound="Document")


def _optional_list(**kwargs: Any) -> Any:
    """A list field that Rust leaves out of the JSON when it is empty."""
    return dataclasses.field(default_factory=list, metadata={"skip_empty": True}, **kwargs)


class Document:
    """Base of the document classes: dict and JSON conversion, readable repr."""

    # Rust leaves `None` fields of documents out of the JSON.
    _omit_none = True

    def to_dict(self) -> Dict[str, Any]:
        """The object as the Rust library serializes it."""
        return _convert.to_dict(self)

    @classmethod
    def from_dict(cls: Type[D], data: Dict[str, Any]) -> D:
        """Builds the object from a dict, strictly: an unknown or missing key, or a value of the
        wrong type, raises :class:`journeystream.ParseError` naming its path."""
        return _convert.from_dict(cls, data)

    def __repr__(self) -> str:
        return _convert.short_repr(self)


# ---------------------------------------------------------------------------------------------
# Journey


@record
class EmotionScale(Document):
    """The declared scale of emotion scores, inclusive (``-2..+2`` by default)."""

    min: float = -2.0
    max: float = 2.0


@record
class Persona(Document):
    """Who travels the journey."""

    id: str
    name: str
    description: Optional[str] = None
    goals: List[str] = _optional_list()
    needs: List[str] = _optional_list()
    frustrations: List[str] = _optional_list()


@record
class Touchpoint(Document):
    """A point of contact between customer and organisation.

    ``channel`` is open: ``web``, ``mobile_app``, ``social``, ``email``, ``phone``, ``chat``,
    ``store``, ``event``, ``partner`` or any other non-empty name. ``personas``: ids of the
    personas it concerns (all when empty). ``emotion``: a score on the journey's scale.
    """

    id: str
    name: str
    channel: str
    description: Optional[str] = None
    personas: List[str] = _optional_list()
    actions: List[str] = _optional_list()
    thoughts: List[str] = _optional_list()
    feelings: List[str] = _optional_list()
    emotion: Optional[float] = None


@record
class PainPoint(Document):
    """Something that hurts the customer: ``severity`` 1 (minor) to 5 (critical),
    ``frequency_pct`` the share of customers who meet it (0–100)."""

    id: str
    description: str
    touchpoint: Optional[str] = None
    severity: int
    frequency_pct: Optional[float] = None


@record
class MomentOfTruth(Document):
    """A moment that decides what the customer thinks of the organisation.

    ``kind`` is open: ``first_impression``, ``purchase_decision``, ``support`` or any other name.
    """

    id: str
    name: str
    kind: str
    polarity: Polarity
    touchpoint: Optional[str] = None
    description: Optional[str] = None


@record
class Opportunity(Document):
    """An improvement idea, prioritised RICE-style: ``reach`` (customers per period), ``impact``
    (3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal), ``confidence_pct`` (0–100) and
    ``effort`` (person-months, above 0)."""

    id: str
    name: str
    touchpoint: Optional[str] = None
    pain_point: Optional[str] = None
    reach: float
    impact: float
    confidence_pct: float
    effort: float

    @property
    def priority(self) -> float:
        """RICE score: reach × impact × confidence ÷ effort (confidence as a fraction)."""
        return self.reach * self.impact * (self.confidence_pct / 100.0) / self.effort


@record
class KpiTarget(Document):
    """A KPI's target for a stage: a number, or a time (``"48h"``) for time KPIs.

    ``kpi`` is open: ``nps``, ``csat``, ``ces``, ``churn_rate``, ``retention_rate``,
    ``repeat_purchase_rate``, ``resolution_time``, ``sla_compliance`` or any other name.
    """

    kpi: str
    target: Union[float, Time]


@record
class Stage(Document):
    """A stage of the journey and what happens in it."""

    id: str
    name: str
    description: Optional[str] = None
    touchpoints: List[Touchpoint] = _optional_list()
    pain_points: List[PainPoint] = _optional_list()
    moments_of_truth: List[MomentOfTruth] = _optional_list()
    opportunities: List[Opportunity] = _optional_list()
    kpi_targets: List[KpiTarget] = _optional_list()


@record
class Journey(Document):
    """A customer journey: stages in journey order."""

    id: str
    name: str
    description: Optional[str] = None
    emotion_scale: EmotionScale = dataclasses.field(default_factory=EmotionScale)
    personas: List[Persona] = _optional_list()
    stages: List[Stage]


# ---------------------------------------------------------------------------------------------
# Value stream


@record
class TimeBasis(Document):
    """What a day is: ``TimeBasis(days="calendar")`` (24 h) or ``TimeBasis(days="working")``
    (the available time per day of the demand, or ``day_length`` when given)."""

    days: DayBasis
    day_length: Optional[Time] = None


@record
class AvailableTime(Document):
    """Available time per day: shifts × (shift length − breaks − other planned downtime)."""

    shift_length: Time
    shifts_per_day: float = 1.0
    breaks_per_shift: Time = "0s"
    other_downtime_per_shift: Time = "0s"


@record
class Demand(Document):
    """Customer demand: units per day, and the time available to meet it."""

    per_day: float
    available_time: AvailableTime


@record
class Inventory(Document):
    """Units queued before a step; ``daily_demand`` defaults to the value stream's demand."""

    quantity: float
    daily_demand: Optional[float] = None


@record
class Route(Document):
    """Where a step passes its work, and which share of it (percent)."""

    step: str
    share_pct: float = 100.0


@record
class ReworkLoop(Document):
    """A share (percent) of a step's output sent back to an earlier step (or to itself)."""

    from_: str = dataclasses.field(metadata={"json": "from"})
    to: str
    share_pct: float


@record
class Step(Document):
    """One process step.

    Its lead time is ``lead_time`` when given (including the process time), else the wait before
    it (``wait``, or ``inventory`` converted by the daily demand) plus ``process_time``.
    ``cycle_time`` defaults to the process time. ``next``: ``None`` passes work to the following
    step (or ends the flow, for the last step); ``[]`` ends the flow.
    """

    id: str
    name: str
    process_time: Time
    cycle_time: Optional[Time] = None
    wait: Optional[Time] = None
    inventory: Optional[Inventory] = None
    lead_time: Optional[Time] = None
    complete_accurate_pct: float = 100.0
    value_class: ValueClass = "value_adding"
    waste_type: Optional[WasteType] = None
    lane: Optional[Lane] = None
    owner: Optional[str] = None
    changeover: Optional[Time] = None
    uptime_pct: float = 100.0
    operators: Optional[float] = None
    stage: Optional[str] = None
    touchpoint: Optional[str] = None
    #: Event-log activities the step stands for (calibration); empty: its id, else its name.
    activities: List[str] = _optional_list()
    next: Optional[List[Route]] = None


@record
class ValueStream(Document):
    """A value stream: steps from request to delivery; the first is where work enters."""

    id: str
    name: str
    description: Optional[str] = None
    time_basis: TimeBasis
    demand: Optional[Demand] = None
    steps: List[Step]
    rework: List[ReworkLoop] = _optional_list()


# ---------------------------------------------------------------------------------------------
# Plan


@record
class Initiative(Document):
    """One change to the value stream: ``effects`` (``"wait -50%"``, ``"process time +10%"``,
    ``"%C&A to 98%"``, ``"wait to 2h"``, ``"operators to 2"``, ``"remove step"``) applied to each
    of ``steps``. ``due``: a date, ``YYYY-MM-DD``."""

    id: str
    name: str
    owner: Optional[str] = None
    due: Optional[str] = None
    steps: List[str]
    effects: List[str]
    notes: List[str] = _optional_list()


@record
class Plan(Document):
    """Initiatives, applied in order by :meth:`Map.project`."""

    id: str
    name: str
    initiatives: List[Initiative]


# ---------------------------------------------------------------------------------------------
# The document


@record(frozen=True)
class Problem:
    """One problem of a document: the error ``kind`` (``"duplicate_id"``), the JSON ``path`` of
    the bad field (``None`` when there is none) and the message."""

    kind: str
    path: Optional[str]
    message: str

    def __repr__(self) -> str:
        return _convert.short_repr(self)


@record
class Map(Document):
    """A journeystream document: any of a journey, its value stream and a plan."""

    version: int = 1
    journey: Optional[Journey] = None
    value_stream: Optional[ValueStream] = None
    plan: Optional[Plan] = None

    def to_json(self) -> str:
        """The document as pretty JSON, in the canonical form the Rust library writes."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def validate(self) -> None:
        """Raises the first problem of the document as its typed exception (a subclass of
        :class:`journeystream.JourneyStreamError` with ``kind`` and ``path``)."""
        _native.load_json(self.to_json())

    def problems(self) -> List[Problem]:
        """Every problem of the document, in document order (empty when it is valid)."""
        return [Problem(kind=k, path=p, message=m) for k, p, m in _native.problems(self.to_json())]

    def measure(self, rework: ReworkModel = "single_pass") -> "ValueStreamMetrics":
        """The value-stream metrics of the document (durations in seconds, ratios as fractions).

        ``rework``: ``"single_pass"`` (each loop adds its share of the path it repeats, once) or
        ``"geometric"`` (a reworked unit may be sent back again).
        """
        from .results import ValueStreamMetrics

        return ValueStreamMetrics.from_dict(json.loads(_native.measure(self.to_json(), rework)))

    def project(self) -> "Projection":
        """Applies the plan: the future-state map and every effect applied."""
        from .results import Projection

        return Projection.from_dict(json.loads(_native.project(self.to_json())))

    def report(self, future: Optional["Map"] = None) -> str:
        """The text report of the metrics; with a ``future`` map, also current vs future."""
        from .results import compare

        metrics = self.measure()
        comparison = None
        if future is not None:
            comparison = json.dumps(compare(metrics, future.measure()).to_dict())
        return _native.text_report(self.to_json(), json.dumps(metrics.to_dict()), comparison)

    # Drawings (journeystream.render): SVG, the HTML report, Jupyter display.
    def to_svg(self, kind: Optional[str] = None, **options: Any) -> str:
        """A drawing as SVG: ``kind`` ``"journey_map"`` (default with a journey),
        ``"blueprint"``, ``"value_stream"`` or ``"value_stream_compare"`` (default with a plan);
        options as in :mod:`journeystream.render` (``font_size=13``, ``title=...``)."""
        from . import render

        return render.map_svg(self, kind, **options)  # type: ignore[arg-type]

    def to_html(self, profile: Any = None, **options: Any) -> str:
        """The self-contained HTML report; with a log's ``profile``, its flow graph too."""
        from . import render

        return render.map_html(self, profile, **options)

    def save(self, path: Any, kind: Optional[str] = None, profile: Any = None, **options: Any) -> None:
        """Writes the map by extension: ``.html`` report, ``.svg`` drawing, ``.dot``/``.mmd``
        flow of the value stream, ``.json`` document."""
        from . import render

        render.save_map(self, path, kind, profile, **options)  # type: ignore[arg-type]

    def _repr_svg_(self) -> Optional[str]:
        from . import render

        return render.repr_svg(lambda: self.to_svg())

    def _repr_html_(self) -> Optional[str]:
        from . import render

        svg = render.repr_svg(lambda: self.to_svg())
        return None if svg is None else render.inline_html(svg)

    def __repr__(self) -> str:
        parts = []
        if self.version != 1:
            parts.append(f"version={self.version!r}")
        if self.journey is not None:
            parts.append(f"journey={self.journey.name!r}")
            parts.append(f"stages={len(self.journey.stages)}")
        if self.value_stream is not None:
            if self.journey is None:
                parts.append(f"value_stream={self.value_stream.name!r}")
            parts.append(f"steps={len(self.value_stream.steps)}")
        if self.plan is not None:
            parts.append(f"initiatives={len(self.plan.initiatives)}")
        return f"Map({', '.join(parts)})"
