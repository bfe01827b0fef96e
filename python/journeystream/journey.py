"""Journey analytics of an event log: funnels, the transition graph, the step matrix, top paths
and retention cohorts — typed wrappers over :func:`journeystream.analyze` (requests ``funnel``,
``transition_graph``, ``step_matrix``, ``top_paths``, ``retention``; the native library computes
everything, on all cores)::

    import journeystream as js

    log = js.read_csv("events.csv")
    js.funnel(log, ["visit", "cart", "buy"], window_seconds=3600).to_pandas()
    js.funnel(log, [{"activity": "visit", "attribute": {"name": "device", "value": "app"}}, "buy"],
              order="exact", counting="totals", breakdown="plan")
    js.transition_graph(log, weight="cases", normalization="node").to_pandas()
    js.step_matrix(log, max_steps=10).to_pandas()        # activities x steps, columns sum to 1
    js.top_paths(log, ngram=3, anchor="cart").variants
    js.retention(log, period="week", windows="calendar", return_activity="buy").to_pandas()

A case is a customer journey. Shares and rates are fractions (0..1), times are seconds.
Definitions (which step-1 event a funnel uses, how windows count): ``docs/metrics.md``,
"Journeys". An unknown or bad option raises :class:`journeystream.ParseError` or
:class:`journeystream.InvalidArgumentError` naming the field.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence, Union

from ._args import Seconds, names, seconds
from ._convert import record
from .log import EventLog, analyze
from .results import Result, _pandas

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "TimeStats",
    "FunnelStep",
    "FunnelGroup",
    "Funnel",
    "GraphNode",
    "GraphEdge",
    "TransitionGraph",
    "StepRow",
    "StepMatrix",
    "PathCount",
    "AnchorPaths",
    "TopPaths",
    "Cohort",
    "Retention",
    "funnel",
    "transition_graph",
    "step_matrix",
    "top_paths",
    "retention",
]

#: A funnel step: an activity name, or ``{"activity": a, "attribute": {"name": n, "value": v}}``
#: (either key, or both).
StepSpec = Union[str, Dict[str, Any]]

_NAN = float("nan")


@record(frozen=True)
class TimeStats(Result):
    """Durations in seconds: count, mean, min, quartiles (``p25``, ``median``, ``p75``), ``p90``,
    max; percentiles interpolate linearly (numpy's default)."""

    count: int
    mean: float
    min: float
    p25: float
    median: float
    p75: float
    p90: float
    max: float


@record(frozen=True)
class FunnelStep(Result):
    """One step: cases (uniques) or attempts (totals) reaching it, conversion from the start and
    from the previous step, drop-off, and the time to convert from step 1 and from the previous
    step (None for step 1, or when no one reached it)."""

    step: int
    label: str
    count: int
    conversion_from_start: float
    conversion_from_previous: float
    drop_off: int
    drop_off_rate: float
    time_from_start: Optional[TimeStats]
    time_from_previous: Optional[TimeStats]


@record(frozen=True)
class FunnelGroup(Result):
    """The funnel of one value of the breakdown attribute (None: cases without a value)."""

    value: Optional[str]
    steps: List[FunnelStep]


def _steps_frame(groups: Sequence[tuple]) -> "pandas.DataFrame":
    pd = _pandas()
    rows: List[Dict[str, Any]] = []
    for group, steps in groups:
        for s in steps:
            row: Dict[str, Any] = {} if group is _NO_GROUP else {"group": group}
            row.update(
                step=s.step,
                label=s.label,
                count=s.count,
                conversion_from_start=s.conversion_from_start,
                conversion_from_previous=s.conversion_from_previous,
                drop_off=s.drop_off,
                drop_off_rate=s.drop_off_rate,
            )
            for prefix, t in (("from_start", s.time_from_start), ("from_previous", s.time_from_previous)):
                for q in ("median", "p25", "p75", "p90", "mean"):
                    row[f"{prefix}_{q}"] = _NAN if t is None else getattr(t, q)
            rows.append(row)
    return pd.DataFrame(rows)


_NO_GROUP = object()


@record(frozen=True)
class Funnel(Result):
    """A funnel over all cases (``steps``) and per value of the ``breakdown_attribute``."""

    order: Literal["strict", "exact", "any"]
    counting: Literal["uniques", "totals"]
    window_seconds: Optional[float]
    cases: int
    steps: List[FunnelStep]
    breakdown_attribute: Optional[str]
    breakdown: List[FunnelGroup]

    def group(self, value: Optional[str]) -> Optional[FunnelGroup]:
        """The funnel of one breakdown value."""
        return next((g for g in self.breakdown if g.value == value), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per step (per group and step with a breakdown: column ``group``): count,
        conversions, drop-off and the time-to-convert median, quartiles, p90 and mean (seconds,
        NaN where none)."""
        if self.breakdown_attribute is None:
            return _steps_frame([(_NO_GROUP, self.steps)])
        return _steps_frame([(g.value, g.steps) for g in self.breakdown])

    def to_svg(self, **options: Any) -> str:
        """The funnel as bars, each with its share of the first step and of the step before."""
        from . import render

        options.setdefault("title", f"Funnel ({self.order} order, {self.counting}): {self.cases} cases")
        return render.funnel([(s.label, s.count) for s in self.steps], **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()


@record(frozen=True)
class GraphNode(Result):
    """An activity: its events and the cases having one."""

    activity: str
    events: int
    cases: int


@record(frozen=True)
class GraphEdge(Result):
    """A transition ``from_`` → ``to``: its requested ``weight``, transitions, cases, and the
    sessions having it within them (None without a session attribute)."""

    from_: str = dataclasses.field(metadata={"json": "from"})
    to: str
    weight: float
    transitions: int
    cases: int
    sessions: Optional[int]


@record(frozen=True)
class TransitionGraph(Result):
    """Retentioneering's transition graph: ``weight`` ``transitions`` or ``cases``,
    ``normalization`` ``none``, ``full`` or ``node``."""

    weight: Literal["transitions", "cases", "sessions"]
    normalization: Literal["none", "full", "node"]
    cases: int
    sessions: Optional[int]
    transitions: int
    nodes: List[GraphNode]
    edges: List[GraphEdge]

    def to_pandas(self) -> "pandas.DataFrame":
        """The edges: ``from``, ``to``, ``weight``, ``transitions``, ``cases`` (and ``sessions`` when
        counted)."""
        pd = _pandas()
        return pd.DataFrame(
            {
                "from": [e.from_ for e in self.edges],
                "to": [e.to for e in self.edges],
                "weight": pd.Series([e.weight for e in self.edges], dtype="float64"),
                "transitions": pd.Series([e.transitions for e in self.edges], dtype="int64"),
                "cases": pd.Series([e.cases for e in self.edges], dtype="int64"),
                **(
                    {"sessions": pd.Series([e.sessions for e in self.edges], dtype="Int64")}
                    if self.sessions is not None
                    else {}
                ),
            }
        )


@record(frozen=True)
class StepRow(Result):
    """One activity (or the end marker): paths having it at each step, and their shares."""

    activity: str
    counts: List[int]
    shares: List[float]


@record(frozen=True)
class StepMatrix(Result):
    """The step matrix: rows by activity name, the end marker last; columns are steps 1..n."""

    max_steps: int
    paths: int
    rows: List[StepRow]

    def to_pandas(self) -> "pandas.DataFrame":
        """Shares: activities as the index, steps 1..max_steps as columns (each sums to 1)."""
        pd = _pandas()
        return pd.DataFrame(
            [r.shares for r in self.rows],
            index=pd.Index([r.activity for r in self.rows], name="activity"),
            columns=list(range(1, self.max_steps + 1)),
        )


@record(frozen=True)
class PathCount(Result):
    """A path, its occurrences, the cases having it, and their share."""

    path: List[str]
    count: int
    cases: int
    share: float


@record(frozen=True)
class AnchorPaths(Result):
    """The paths before and after the first event of the anchor activity."""

    activity: str
    cases: int
    before: List[PathCount]
    after: List[PathCount]


@record(frozen=True)
class TopPaths(Result):
    """The most frequent variants, n-grams and anchor paths."""

    cases: int
    distinct_variants: int
    variants: List[PathCount]
    ngrams: List[PathCount]
    anchor: Optional[AnchorPaths]

    def to_pandas(self) -> "pandas.DataFrame":
        """Every list in one frame: ``kind`` (``variant``, ``ngram``, ``before``, ``after``),
        ``path`` (joined with `` > ``), ``count``, ``cases``, ``share``."""
        pd = _pandas()
        lists = [("variant", self.variants), ("ngram", self.ngrams)]
        if self.anchor is not None:
            lists += [("before", self.anchor.before), ("after", self.anchor.after)]
        rows = [
            {"kind": kind, "path": " > ".join(p.path), "count": p.count, "cases": p.cases, "share": p.share}
            for kind, items in lists
            for p in items
        ]
        return pd.DataFrame(rows, columns=["kind", "path", "count", "cases", "share"])


@record(frozen=True)
class Cohort(Result):
    """One cohort (``cohort`` its first day, or ``total``): size, customers returning in period k
    (``on``) and in period k or later (``on_or_after``), their rates, the churn rate per period,
    the repeat rate, and for young cohorts the customers whose period k had begun by the log's
    last event (``observable``) with ``on`` among them (``observable_rate``, None when none)."""

    cohort: str
    start: Optional[int]
    size: int
    on: List[int]
    on_or_after: List[int]
    on_rate: List[float]
    on_or_after_rate: List[float]
    churn_rate: List[float]
    repeat_rate: float
    observable: List[int]
    observable_rate: List[Optional[float]]


@record(frozen=True)
class Retention(Result):
    """Retention cohorts, oldest first, and their ``total``."""

    period: Literal["day", "week", "month"]
    windows: Literal["rolling", "calendar"]
    periods: int
    cohorts: List[Cohort]
    total: Cohort

    def to_pandas(
        self, rate: Literal["on", "on_or_after", "churn", "observable"] = "on"
    ) -> "pandas.DataFrame":
        """The cohort table: one row per cohort (index ``cohort``), ``size`` and the rates of
        periods 0..periods as columns (``observable``: ``on`` among the customers whose period
        had begun, missing where none had)."""
        pd = _pandas()
        field = {
            "on": "on_rate",
            "on_or_after": "on_or_after_rate",
            "churn": "churn_rate",
            "observable": "observable_rate",
        }[rate]
        data: Dict[str, Any] = {"size": [c.size for c in self.cohorts]}
        for k in range(self.periods + 1):
            data[k] = [getattr(c, field)[k] for c in self.cohorts]
        return pd.DataFrame(data, index=pd.Index([c.cohort for c in self.cohorts], name="cohort"))

    def to_svg(self, **options: Any) -> str:
        """The cohorts' return rates ("on") as a heat map, periods as columns; periods a young
        cohort has not reached yet are blank."""
        from . import render

        if not self.cohorts:
            raise ValueError("no cohorts to draw")
        values = []
        for c in self.cohorts:
            values.append([rate if seen else None for rate, seen in zip(c.on_rate, c.observable)])
        options.setdefault("title", f"Retention by {self.period} ({self.windows} windows)")
        return render.retention([c.cohort for c in self.cohorts], list(range(self.periods + 1)), values, **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()


def funnel(
    log: EventLog,
    steps: Sequence[StepSpec],
    *,
    order: Literal["strict", "exact", "any"] = "strict",
    window_seconds: Optional[Seconds] = None,
    counting: Literal["uniques", "totals"] = "uniques",
    exclusions: Sequence[Dict[str, Any]] = (),
    hold_constant: Sequence[str] = (),
    breakdown: Optional[str] = None,
) -> Funnel:
    """A funnel over ``steps`` (2 to 32). ``exclusions``: predicates like steps, with an optional
    ``"between": [a, b]`` (1-based steps); ``hold_constant``: event attributes that must keep the
    step-1 event's value; ``breakdown``: a case attribute. ``window_seconds``: the conversion
    window, seconds or a ``datetime.timedelta``.

    A step, exclusion or attribute the log does not have raises
    :class:`journeystream.InvalidArgumentError` naming the closest it has; a lone string as
    ``steps`` raises ``TypeError``."""
    request: Dict[str, Any] = {
        "analysis": "funnel",
        "steps": names(steps, "steps"),
        "order": order,
        "counting": counting,
    }
    if window_seconds is not None:
        request["window_seconds"] = seconds(window_seconds, "window_seconds")
    if exclusions:
        request["exclusions"] = names(exclusions, "exclusions")
    if hold_constant:
        request["hold_constant"] = names(hold_constant, "hold_constant")
    if breakdown is not None:
        request["breakdown"] = breakdown
    return Funnel.from_dict(analyze(request, log))


def transition_graph(
    log: EventLog,
    *,
    weight: Literal["transitions", "cases", "sessions"] = "transitions",
    normalization: Literal["none", "full", "node"] = "none",
    start_end: bool = False,
    session_attribute: Optional[str] = None,
) -> TransitionGraph:
    """The transition graph, weights as retentioneering's ``edges_weight_col`` (``event_id``:
    ``transitions``, ``user_id``: ``cases``, ``session_id``: ``sessions`` with the event attribute
    ``session_attribute``) and ``edges_norm_type``; ``start_end`` adds ``path_start`` and
    ``path_end`` nodes (retentioneering 5's graphs have them)."""
    request: Dict[str, Any] = {
        "analysis": "transition_graph",
        "weight": weight,
        "normalization": normalization,
        "start_end": start_end,
    }
    if session_attribute is not None:
        request["session_attribute"] = session_attribute
    return TransitionGraph.from_dict(analyze(request, log))


def step_matrix(log: EventLog, *, max_steps: int = 20, end_marker: str = "ENDED") -> StepMatrix:
    """The share of paths having each activity at steps 1..max_steps (ended paths under
    ``end_marker``)."""
    request = {"analysis": "step_matrix", "max_steps": int(max_steps), "end_marker": end_marker}
    return StepMatrix.from_dict(analyze(request, log))


def top_paths(
    log: EventLog,
    *,
    top: int = 10,
    ngram: Optional[int] = None,
    anchor: Optional[str] = None,
    steps: int = 3,
) -> TopPaths:
    """The ``top`` variants (0: all), path n-grams of length ``ngram``, and the paths of up to
    ``steps`` activities before and after the first event of ``anchor``."""
    request: Dict[str, Any] = {"analysis": "top_paths", "top": int(top), "steps": int(steps)}
    if ngram is not None:
        request["ngram"] = int(ngram)
    if anchor is not None:
        request["anchor"] = anchor
    return TopPaths.from_dict(analyze(request, log))


def retention(
    log: EventLog,
    *,
    period: Literal["day", "week", "month"] = "day",
    periods: int = 7,
    windows: Literal["rolling", "calendar"] = "rolling",
    cohort_activity: Optional[str] = None,
    return_activity: Optional[str] = None,
) -> Retention:
    """Retention cohorts by the period of each customer's entry (first event, or first
    ``cohort_activity``); returns are later events (of ``return_activity``)."""
    request: Dict[str, Any] = {
        "analysis": "retention",
        "period": period,
        "periods": int(periods),
        "windows": windows,
    }
    if cohort_activity is not None:
        request["cohort_activity"] = cohort_activity
    if return_activity is not None:
        request["return_activity"] = return_activity
    return Retention.from_dict(analyze(request, log))
