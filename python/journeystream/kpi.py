"""Customer KPIs with confidence intervals, before/after tests, moments of truth and the emotion
curve: typed wrappers over :func:`journeystream.analyze` (requests ``kpi``, ``kpi_compare``,
``moments_of_truth``, ``emotion_curve``; the native library computes everything)::

    import journeystream as js

    js.nps([10, 9, 9, 8, 7, 6, 3, 10, 9, 0]).overall.value          # 20.0 (points)
    js.kpi("csat", scores=[5, 4, 3], segments=["web", "app", "web"]).to_pandas()
    js.kpi_compare("churn_rate", before={"counts": [{"start": 1000, "lost": 100}]},
                   after={"counts": [{"start": 1000, "lost": 60}]}).significant   # True
    log = js.read_csv("journeys.csv")
    js.moments_of_truth(log, {"activity": "buy"}, experience={"wait_over_seconds": 600}).to_pandas()
    js.emotion_curve(log, "sentiment", threshold=3.5).pain_points

Shares are fractions (0..1), the NPS is in points (-100..100), times are seconds. Keyword options
are the request fields of ``core/src/analytics/request.rs`` (``confidence``, ``nps_interval``,
``segment_by``, ``alpha`` ...); an unknown one raises :class:`journeystream.ParseError`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence

from ._args import seconds
from ._convert import record
from .log import EventLog, analyze
from .results import Result, _pandas

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "Metric",
    "Percentile",
    "KpiEstimate",
    "KpiResult",
    "KpiComparison",
    "Rate",
    "Effect",
    "TouchpointImpact",
    "DeclaredMoment",
    "MomentsOfTruth",
    "StageEmotion",
    "EmotionCurve",
    "kpi",
    "nps",
    "csat",
    "ces",
    "kpi_compare",
    "moments_of_truth",
    "emotion_curve",
]

#: The KPIs of the ``kpi`` request.
Metric = Literal[
    "nps", "csat", "ces", "churn_rate", "retention_rate", "repeat_purchase_rate", "resolution_time", "sla",
    "conversion",
]


def _format(metric: str) -> Literal["share", "number", "seconds"]:
    """How a KPI's values read in a chart."""
    if metric == "resolution_time":
        return "seconds"
    return "number" if metric in ("nps", "ces") else "share"


@record(frozen=True)
class Percentile(Result):
    """A percentile of resolution time: ``q`` a fraction (0.9), ``value`` seconds."""

    q: float
    value: float


@record(frozen=True)
class KpiEstimate(Result):
    """A KPI over one segment (``segment`` None: over all data, or data without a label).
    ``value`` is in points for the NPS, a fraction for shares, the mean for a CES mean, seconds for
    resolution time; ``ci_low``/``ci_high`` its interval (None where undefined)."""

    segment: Optional[str]
    n: int
    value: float
    ci_low: Optional[float]
    ci_high: Optional[float]
    standard_error: Optional[float]
    successes: Optional[int]
    promoters: Optional[int]
    passives: Optional[int]
    detractors: Optional[int]
    stdev: Optional[float]
    percentiles: List[Percentile]


_ESTIMATE_COLUMNS = [
    "n", "value", "ci_low", "ci_high", "standard_error", "successes", "promoters", "passives", "detractors", "stdev",
]


def _estimates_frame(rows: Sequence[KpiEstimate], index: List[Any]) -> "pandas.DataFrame":
    pd = _pandas()
    data: Dict[str, Any] = {"segment": index}
    for c in _ESTIMATE_COLUMNS:
        values = [getattr(r, c) for r in rows]
        if c in ("n", "successes", "promoters", "passives", "detractors"):
            data[c] = pd.Series(values, dtype="Int64")
        else:
            data[c] = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
    return pd.DataFrame(data).set_index("segment")


@record(frozen=True)
class KpiResult(Result):
    """A KPI overall and per segment; ``interval`` is ``wilson``, ``adjusted_wald``, ``wald`` or
    ``normal``; ``excluded`` counts log data left out (cases without the activities of a
    resolution time, events of ``activity`` without a score)."""

    metric: Metric
    confidence: float
    interval: str
    overall: KpiEstimate
    segments: List[KpiEstimate]
    excluded: int

    def segment(self, label: Optional[str]) -> Optional[KpiEstimate]:
        """The estimate of one segment."""
        return next((s for s in self.segments if s.segment == label), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per segment (index ``segment``), then the overall row (index ``"(all)"``)."""
        rows = [*self.segments, self.overall]
        return _estimates_frame(rows, [s.segment for s in self.segments] + ["(all)"])

    def to_svg(self, **options: Any) -> str:
        """The estimates per segment and overall, each with its interval."""
        from . import render

        rows = [(s.segment if s.segment is not None else "(no segment)", s.value, s.ci_low, s.ci_high) for s in self.segments]
        rows.append(("all", self.overall.value, self.overall.ci_low, self.overall.ci_high))
        options.setdefault("title", f"{self.metric} with {self.confidence:.0%} intervals ({self.interval})")
        return render.bars(rows, _format(self.metric), **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()


@record(frozen=True)
class KpiComparison(Result):
    """A KPI before and after: ``difference`` = after − before with its interval, the ``test``
    (``two_proportion_z``, ``net_score_z`` or ``bootstrap_percentile``), its ``statistic`` and
    two-sided ``p_value``; ``significant`` is ``p_value < alpha``."""

    metric: Metric
    confidence: float
    alpha: float
    before: KpiEstimate
    after: KpiEstimate
    difference: float
    ci_low: float
    ci_high: float
    test: str
    statistic: Optional[float]
    p_value: Optional[float]
    significant: bool

    def to_pandas(self) -> "pandas.DataFrame":
        """The before and after estimates, index ``before`` / ``after``."""
        return _estimates_frame([self.before, self.after], ["before", "after"])

    def to_svg(self, **options: Any) -> str:
        """Before and after with their intervals; the title gives the difference and the test."""
        from . import render

        rows = [(name, e.value, e.ci_low, e.ci_high) for name, e in (("before", self.before), ("after", self.after))]
        p = "" if self.p_value is None else f", p = {self.p_value:.3g}"
        verdict = "significant" if self.significant else "not significant"
        options.setdefault("title", f"{self.metric}: after − before = {self.difference:.4g}{p}, {verdict}")
        return render.bars(rows, _format(self.metric), **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()


@record(frozen=True)
class Rate(Result):
    """An outcome rate with its Wilson interval (None without cases)."""

    cases: int
    outcomes: int
    rate: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]


@record(frozen=True)
class Effect(Result):
    """A difference of two rates with Newcombe's interval and the pooled z-test."""

    difference: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]
    z: Optional[float]
    p_value: Optional[float]


@record(frozen=True)
class TouchpointImpact(Result):
    """One touchpoint's effect on the outcome: ``presence`` (rate with − without), ``experience``
    (after a good − a bad experience), ``score`` = \\|impact\\| × reach."""

    touchpoint: str
    reach: float
    with_: Rate = dataclasses.field(metadata={"json": "with"})
    without: Rate
    presence: Effect
    good: Optional[Rate]
    bad: Optional[Rate]
    experience: Optional[Effect]
    impact: Optional[float]
    score: float
    moment_of_truth: bool
    declared: List[str]


@record(frozen=True)
class DeclaredMoment(Result):
    """A moment of truth of the map: the log touchpoints it stands for that occur (``observed``) and
    whether one of them is flagged (``confirmed``)."""

    id: str
    name: str
    stage: str
    touchpoint: Optional[str]
    observed: List[str]
    confirmed: bool


@record(frozen=True)
class MomentsOfTruth(Result):
    """Touchpoints ranked by ``score``, the declared moments checked, and the flagged touchpoints
    no declared moment names (``undeclared``)."""

    cases: int
    outcomes: int
    outcome_rate: float
    excluded: int
    alpha: float
    confidence: float
    rank_by: Literal["presence", "experience"]
    touchpoints: List[TouchpointImpact]
    declared: List[DeclaredMoment]
    undeclared: List[str]

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per touchpoint (index ``touchpoint``), in rank order: ``reach``, ``score``,
        ``impact``, ``moment_of_truth``, ``rate_with``, ``rate_without``, ``difference``,
        ``ci_low``, ``ci_high``, ``p_value`` and, with an experience rule, ``rate_good``,
        ``rate_bad``, ``experience_difference``, ``experience_p_value`` (NaN where undefined)."""
        pd = _pandas()

        def num(v: Optional[float]) -> float:
            return float("nan") if v is None else v

        rows = []
        for t in self.touchpoints:
            row: Dict[str, Any] = {
                "touchpoint": t.touchpoint,
                "reach": t.reach,
                "score": t.score,
                "impact": num(t.impact),
                "moment_of_truth": t.moment_of_truth,
                "rate_with": num(t.with_.rate),
                "rate_without": num(t.without.rate),
                "difference": num(t.presence.difference),
                "ci_low": num(t.presence.ci_low),
                "ci_high": num(t.presence.ci_high),
                "p_value": num(t.presence.p_value),
            }
            if t.experience is not None and t.good is not None and t.bad is not None:
                row["rate_good"] = num(t.good.rate)
                row["rate_bad"] = num(t.bad.rate)
                row["experience_difference"] = num(t.experience.difference)
                row["experience_p_value"] = num(t.experience.p_value)
            rows.append(row)
        columns = ["touchpoint", "reach", "score", "impact", "moment_of_truth", "rate_with", "rate_without",
                   "difference", "ci_low", "ci_high", "p_value"]
        if any("rate_good" in r for r in rows):
            columns += ["rate_good", "rate_bad", "experience_difference", "experience_p_value"]
        return pd.DataFrame(rows, columns=columns).set_index("touchpoint")


@record(frozen=True)
class StageEmotion(Result):
    """The emotion of one stage: mean score with its interval, the one-sided test against the other
    stages, the pain-point flags, and the map's ``declared`` emotion vs the ``observed`` mean on the
    map's scale (``gap`` = observed − declared)."""

    stage: str
    n: int
    mean: Optional[float]
    stdev: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]
    z: Optional[float]
    p_value: Optional[float]
    below_threshold: bool
    significantly_below: bool
    pain_point: bool
    declared: Optional[float]
    observed: Optional[float]
    gap: Optional[float]


@record(frozen=True)
class EmotionCurve(Result):
    """Mean score per stage in stage order, with the pain points."""

    n: int
    mean: float
    stdev: Optional[float]
    confidence: float
    alpha: float
    threshold: Optional[float]
    stages: List[StageEmotion]
    pain_points: List[str]
    excluded: int

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per stage (index ``stage``, in stage order) with every field of
        :class:`StageEmotion` (NaN where undefined)."""
        pd = _pandas()
        fields = [f.name for f in dataclasses.fields(StageEmotion) if f.name != "stage"]
        data: Dict[str, Any] = {"stage": [s.stage for s in self.stages]}
        for f in fields:
            values = [getattr(s, f) for s in self.stages]
            if f in ("below_threshold", "significantly_below", "pain_point"):
                data[f] = pd.Series(values, dtype="bool")
            elif f == "n":
                data[f] = pd.Series(values, dtype="int64")
            else:
                data[f] = pd.Series([float("nan") if v is None else v for v in values], dtype="float64")
        return pd.DataFrame(data).set_index("stage")


def _request(analysis: str, fields: Dict[str, Any]) -> Dict[str, Any]:
    """The request of ``analysis``; an option named ``*_seconds`` (``target_seconds``) takes seconds
    or a ``datetime.timedelta``."""
    request: Dict[str, Any] = {"analysis": analysis}
    for k, v in fields.items():
        if v is not None:
            request[k] = seconds(v, k) if k.endswith("_seconds") else v
    return request


def _list(values: Any) -> Any:
    """Counts rows as a list; arrays (scores, segments, durations) as they are: they cross into
    Rust as arrays (journeystream._arrays)."""
    return values


def kpi(
    metric: Metric,
    *,
    scores: Optional[Sequence[float]] = None,
    segments: Optional[Sequence[str]] = None,
    counts: Optional[Sequence[Dict[str, Any]]] = None,
    durations: Optional[Sequence[float]] = None,
    log: Optional[EventLog] = None,
    **options: Any,
) -> KpiResult:
    """A KPI with its confidence interval, overall and per segment. Data: ``scores`` (with optional
    ``segments`` labels), ``counts`` rows (``{"segment", "start", "lost", "end", "new",
    "customers", "repeat"}``), ``durations`` in seconds, or ``log`` with options such as
    ``score_attribute``, ``activity``, ``segment_by``, ``from_activity``/``to_activity``,
    ``purchase_activity``. A score outside its scale raises :class:`journeystream.OutOfRangeError`
    naming ``scores[i]``; no data raises :class:`journeystream.MissingDataError`."""
    fields = dict(
        metric=metric, scores=_list(scores), segments=_list(segments), counts=_list(counts),
        durations=_list(durations), **options,
    )
    return KpiResult.from_dict(analyze(_request("kpi", fields), log))


def nps(scores: Sequence[float], segments: Optional[Sequence[str]] = None, **options: Any) -> KpiResult:
    """The Net Promoter Score of 0–10 scores (points; adjusted Wald interval unless
    ``nps_interval="wald"``)."""
    return kpi("nps", scores=scores, segments=segments, **options)


def csat(scores: Sequence[float], segments: Optional[Sequence[str]] = None, **options: Any) -> KpiResult:
    """CSAT: the share of 4–5 answers on a 1–5 scale (Wilson interval)."""
    return kpi("csat", scores=scores, segments=segments, **options)


def ces(
    scores: Sequence[float],
    segments: Optional[Sequence[str]] = None,
    *,
    method: Literal["mean", "top_box"] = "mean",
    scale: Literal[5, 7] = 7,
    **options: Any,
) -> KpiResult:
    """CES: the mean score, or the top-box share (5–7 of 7, 4–5 of 5)."""
    return kpi("ces", scores=scores, segments=segments, ces_method=method, ces_scale=scale, **options)


def kpi_compare(
    metric: Metric,
    before: Optional[Dict[str, Any]] = None,
    after: Optional[Dict[str, Any]] = None,
    *,
    log: Optional[EventLog] = None,
    split_at: Optional[str] = None,
    **options: Any,
) -> KpiComparison:
    """Compares a KPI before and after: ``before`` and ``after`` each ``{"scores": [...]}``,
    ``{"counts": [...]}`` or ``{"durations": [...]}``; or a ``log`` split at ``split_at`` (RFC 3339).
    Options: ``alpha``, ``confidence``, ``quantile`` (bootstrap a quantile of times instead of the
    mean), ``resamples``, ``seed`` and the :func:`kpi` options."""
    fields = dict(metric=metric, before=before, after=after, split_at=split_at, **options)
    return KpiComparison.from_dict(analyze(_request("kpi_compare", fields), log))


def moments_of_truth(
    log: EventLog,
    outcome: Dict[str, Any],
    *,
    map: Any = None,
    **options: Any,
) -> MomentsOfTruth:
    """Touchpoints ranked by their impact on an outcome (``{"activity": "buy"}``,
    ``{"case_attribute": "churned"}`` or ``{"score_attribute": "nps", "at_least": 9}``), flagged at
    ``alpha``, with ``experience`` (``{"wait_over_seconds": 600}`` or ``{"score_attribute": ...,
    "below": 7}``), ``touchpoint_attribute`` (``"channel"``) and a ``map`` (a
    :class:`journeystream.Map` or its dict) whose declared moments are checked."""
    if map is not None and hasattr(map, "to_dict"):
        map = map.to_dict()
    fields = dict(outcome=outcome, map=map, **options)
    return MomentsOfTruth.from_dict(analyze(_request("moments_of_truth", fields), log))


def emotion_curve(
    log: EventLog,
    score_attribute: str = "score",
    *,
    map: Any = None,
    **options: Any,
) -> EmotionCurve:
    """Mean score per stage (``stage_attribute``, ``stage`` by default, or the stages of a ``map``),
    with intervals and pain points (``threshold``, ``alpha``); ``scale`` (``{"min": 1, "max": 5}``)
    checks scores and rescales means to the map's emotion scale."""
    if map is not None and hasattr(map, "to_dict"):
        map = map.to_dict()
    fields = dict(score_attribute=score_attribute, map=map, **options)
    return EmotionCurve.from_dict(analyze(_request("emotion_curve", fields), log))
