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

:func:`kpi_series` estimates a KPI per calendar period of a log (in a time zone), overall and
per segment, charts it, finds its change points and raises alerts against its targets (given,
or the map's ``kpi_targets``); :class:`KpiMonitor` keeps the data between runs as bytes::

    s = js.kpi_series(log, "conversion", from_activity="visit", to_activity="buy",
                      period="week", time_zone="Europe/Amsterdam", targets=[0.25])
    s.to_pandas()              # one row a period: n, value, interval
    [(a.kind, a.period) for a in s.alerts]

    monitor = js.KpiMonitor("nps", period="day")
    monitor.update(todays_log)         # adds the day's data, returns the series
    open("nps.state", "wb").write(monitor.to_bytes())
    monitor = js.KpiMonitor.from_bytes(open("nps.state", "rb").read())
"""

from __future__ import annotations

import base64
import dataclasses
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence, Union

from ._convert import record
from .kpi import KpiEstimate, Metric, _request
from .log import EventLog, analyze
from .model import Persona
from .results import Result, _frame

if TYPE_CHECKING:
    import pandas

ChangeCost = Literal["normal_mean", "normal_mean_var", "poisson"]
ChangeMethod = Literal["pelt", "binary_segmentation"]
ChartKind = Literal["individuals", "xbar_r", "p", "ewma", "cusum"]
RunRules = Literal["beyond_limits", "western_electric", "nelson"]
Period = Literal["hour", "day", "week", "month", "quarter"]
SeriesChart = Literal["auto", "p", "individuals", "ewma", "cusum", "none"]
Direction = Literal["at_least", "at_most"]
AlertKind = Literal["breached", "recovered", "trending"]


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


@record(frozen=True)
class SeriesTarget(Result):
    """A target in the KPI's unit (fractions for shares, points for the NPS, seconds);
    ``direction`` None takes the KPI's usual one (at most for churn and resolution time)."""

    value: float
    direction: Optional[Direction]
    #: The segment whose series it watches; None: the overall series.
    segment: Optional[str]
    name: Optional[str]


@record(frozen=True)
class SeriesPoint(Result):
    """One period: its label, first instant (UTC nanoseconds) and the KPI in it (None: no data)."""

    period: str
    start: int
    estimate: Optional[KpiEstimate]


@record(frozen=True)
class SegmentSeries(Result):
    segment: Optional[str]
    points: List[SeriesPoint]


@record(frozen=True)
class Change(Result):
    """A change point: ``points[index]`` is the first period after it."""

    index: int
    period: str
    start: int
    before: float
    after: float


@record(frozen=True)
class Alert(Result):
    """A target's state changing in one period; ``confirmed``: the period's interval lies wholly
    on the alert's side of the target."""

    kind: AlertKind
    index: int
    period: str
    start: int
    segment: Optional[str]
    name: Optional[str]
    value: float
    ci_low: Optional[float]
    ci_high: Optional[float]
    target: float
    direction: Direction
    confirmed: bool
    rule: str


def _points_frame(points: Sequence[SeriesPoint]) -> "pandas.DataFrame":
    import pandas as pd

    rows = []
    for p in points:
        e = p.estimate
        rows.append({
            "period": p.period,
            "start": pd.Timestamp(p.start, unit="ns", tz="UTC"),
            "n": 0 if e is None else e.n,
            "value": None if e is None else e.value,
            "ci_low": None if e is None else e.ci_low,
            "ci_high": None if e is None else e.ci_high,
        })
    frame = pd.DataFrame(rows, columns=["period", "start", "n", "value", "ci_low", "ci_high"])
    for c in ("value", "ci_low", "ci_high"):
        frame[c] = frame[c].astype("float64")
    return frame.set_index("period")


@record(frozen=True)
class KpiSeries(Result):
    """A KPI per period, with its chart, change points and alerts (see :func:`kpi_series`)."""

    metric: Metric
    period: Period
    time_zone: str
    confidence: float
    interval: str
    points: List[SeriesPoint]
    segments: List[SegmentSeries]
    chart: Optional[ControlChart]
    changes: List[Change]
    targets: List[SeriesTarget]
    alerts: List[Alert]
    excluded: int
    #: The saved monitor (base64) when ``save_state`` asked for it.
    state: Optional[str] = None

    def to_pandas(self) -> "pandas.DataFrame":
        """One row a period (index ``period``): ``start`` (UTC), ``n``, ``value``, ``ci_low``,
        ``ci_high``; NaN values for periods without data."""
        return _points_frame(self.points)

    def segment(self, label: Optional[str]) -> "pandas.DataFrame":
        """The periods of one segment, as :meth:`to_pandas`."""
        for s in self.segments:
            if s.segment == label:
                return _points_frame(s.points)
        raise KeyError(label)

    def alerts_frame(self) -> "pandas.DataFrame":
        """One row an alert, indexed by ``period``."""
        return _frame(self.alerts, Alert).reset_index().set_index("period")

    def to_svg(self, **options: Any) -> str:
        """The series with its intervals, control limits, targets, change points, out-of-control
        periods and alerts marked, and the alerts listed in words (the ``kpi_series`` chart)."""
        from . import render

        return render.chart("kpi_series", self.to_dict(), **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg() if any(p.estimate for p in self.points) else None


def _targets(targets: Any) -> Optional[List[Dict[str, Any]]]:
    """Targets as numbers (the overall KPI, its usual direction), dicts or SeriesTarget."""
    if targets is None:
        return None
    out = []
    for t in targets:
        if isinstance(t, SeriesTarget):
            out.append(t.to_dict())
        elif isinstance(t, dict):
            out.append(t)
        else:
            out.append({"value": float(t)})
    return out


def _series_request(kpi: Dict[str, Any], presentation: Dict[str, Any]) -> Dict[str, Any]:
    request = _request("kpi_series", presentation)
    request["kpi"] = {k: v for k, v in _request("kpi", kpi).items() if k != "analysis"}
    return request


def kpi_series(
    log: EventLog,
    metric: Metric,
    *,
    period: Period = "day",
    time_zone: Optional[str] = None,
    targets: Optional[Sequence[Any]] = None,
    map: Any = None,
    chart: SeriesChart = "auto",
    rules: RunRules = "beyond_limits",
    change_points: bool = True,
    change_cost: ChangeCost = "normal_mean",
    change_penalty: Union[Literal["bic"], float] = "bic",
    min_size: int = 2,
    trend_periods: int = 4,
    **kpi_options: Any,
) -> KpiSeries:
    """``metric`` per ``period`` of ``log`` in ``time_zone`` (UTC, ``+02:00`` or an IANA name),
    overall and per ``segment_by``, with intervals; its control ``chart`` (``auto``: a p-chart
    of shares, an individuals chart of others) with run ``rules``; PELT change points; and the
    alerts of ``targets`` (numbers, dicts ``{"value", "direction", "segment", "name"}`` or
    :class:`SeriesTarget`) and of the ``map``'s KPI targets. ``kpi_options`` are those of
    :func:`journeystream.kpi` (``score_attribute``, ``from_activity``, ``to_activity``,
    ``segment_by``, ``confidence`` ...)."""
    if map is not None and hasattr(map, "to_dict"):
        map = map.to_dict()
    presentation = dict(
        period=period, time_zone=time_zone, targets=_targets(targets), map=map, chart=chart,
        rules=rules, change_points=change_points, change_cost=change_cost,
        change_penalty=change_penalty if isinstance(change_penalty, str) else float(change_penalty),
        min_size=min_size, trend_periods=trend_periods,
    )
    return KpiSeries.from_dict(analyze(_series_request(dict(metric=metric, **kpi_options), presentation), log))


class KpiMonitor:
    """A KPI series kept between runs: :meth:`update` adds a log (whole cases: a day's closed
    cases; scores in any batches) without recomputing history; :meth:`to_bytes` saves it in the
    documented, versioned format (magic ``JSKPIMON``, version, length, CRC-32, body), which
    :meth:`from_bytes` reads back in any language's binding."""

    def __init__(self, metric: Metric, *, period: Period = "day", time_zone: Optional[str] = None,
                 **kpi_options: Any) -> None:
        self._kpi: Dict[str, Any] = dict(metric=metric, **kpi_options)
        self._data = dict(period=period, time_zone=time_zone)
        self._state: Optional[str] = None

    def update(self, log: EventLog, **presentation: Any) -> KpiSeries:
        """Adds ``log``'s data and returns the series (``presentation``: the options of
        :func:`kpi_series` other than the KPI, period and zone)."""
        series = self._run(log, presentation)
        self._state = series.state
        return series

    def series(self, **presentation: Any) -> KpiSeries:
        """The series of the data so far."""
        if self._state is None:
            from . import MissingDataError

            raise MissingDataError("the monitor holds no data yet: update it with a log")
        return self._run(None, presentation)

    def _run(self, log: Optional[EventLog], presentation: Dict[str, Any]) -> KpiSeries:
        if "targets" in presentation:
            presentation["targets"] = _targets(presentation["targets"])
        if hasattr(presentation.get("map"), "to_dict"):
            presentation["map"] = presentation["map"].to_dict()
        request = _series_request(self._kpi, dict(self._data, **presentation))
        request["save_state"] = True
        if self._state is not None:
            request["state"] = self._state
        return KpiSeries.from_dict(analyze(request, log))

    def to_bytes(self) -> bytes:
        """The saved monitor (see :class:`KpiMonitor`); an empty monitor saves no bytes."""
        if self._state is None:
            raise ValueError("the monitor holds no data yet: update it with a log first")
        return base64.b64decode(self._state)

    @classmethod
    def from_bytes(cls, data: bytes) -> "KpiMonitor":
        """Reads :meth:`to_bytes`' bytes; bytes that are not a saved monitor raise
        :class:`journeystream.InputError` saying what is wrong with them."""
        state = base64.b64encode(bytes(data)).decode()
        info = analyze({"analysis": "monitor_info", "state": state})
        monitor = cls(info["kpi"].pop("metric"), period=info["period"], time_zone=info["time_zone"])
        monitor._kpi.update(info["kpi"])
        monitor._state = state
        return monitor


# --------------------------------------------------------------------------------------------
# Personas


@record(frozen=True)
class Distinguishing(Result):
    """A feature a cluster has more of than the rest: means, lift and Welch z with its p."""

    feature: str
    mean: float
    rest_mean: float
    lift: Optional[float]
    z: float
    p_value: float


@record(frozen=True)
class ClusterPath(Result):
    path: str
    cases: int


@record(frozen=True)
class Conversion(Result):
    """A cluster's conversion, Wilson interval, and the two-proportion test against the rest."""

    converted: int
    rate: float
    ci_low: float
    ci_high: float
    rest_rate: Optional[float]
    p_value: Optional[float]


@record(frozen=True)
class ChannelShare(Result):
    channel: str
    share: float


@record(frozen=True)
class ClusterValue(Result):
    """A cluster's customer lifetime value (the ``clv`` option of :func:`personas`): its buyers,
    their mean CLV with a 95% interval, its total and share of all clusters' value."""

    buyers: int
    mean_clv: Optional[float]
    ci_low: Optional[float]
    ci_high: Optional[float]
    total_clv: float
    share_of_total: float
    mean_repeat_purchases: Optional[float]
    mean_spend: Optional[float]
    mean_probability_alive: Optional[float]


@record(frozen=True)
class ValueModel(Result):
    """The BG/NBD and Gamma-Gamma parameters fitted on the whole log for the clusters' CLV."""

    purchase_params: Dict[str, float]
    spend_params: Dict[str, float]
    freq: str
    months: int
    discount_rate: float
    buyers: int
    repeat_buyers: int


@record(frozen=True)
class Cluster(Result):
    """One cluster's profile; ``medoid`` is the case id of the journey that represents it
    (``method="kmedoids"``; None under k-means)."""

    cluster: int
    cases: int
    share: float
    medoid: Optional[str]
    top_paths: List[ClusterPath]
    distinguishing: List[Distinguishing]
    conversion: Optional[Conversion]
    mean_duration_seconds: float
    mean_events: float
    channels: List[ChannelShare]
    value: Optional[ClusterValue]


@record(frozen=True)
class KScore(Result):
    k: int
    silhouette: Optional[float]
    inertia: float


@record(frozen=True)
class Assignments(Result):
    """The cluster of each case, in the log's case order."""

    case: List[str]
    cluster: List[int]


@record(frozen=True)
class HeatMap(Result):
    """The mean of each cluster's distinguishing features in every cluster:
    ``means[cluster][feature]``."""

    features: List[str]
    means: List[List[float]]


@record(frozen=True)
class Personas(Result):
    """Customers clustered by behaviour (see :func:`personas`); ``assignments`` holds the
    ``case`` ids and their ``cluster``; ``personas`` the draft :class:`journeystream.Persona`
    entries of a map."""

    method: Literal["kmeans", "kmedoids"]
    k: int
    features: List[str]
    silhouette: Optional[float]
    inertia: float
    k_scores: List[KScore]
    clusters: List[Cluster]
    assignments: Assignments
    personas: List[Persona]
    heat_map: HeatMap
    value_model: Optional[ValueModel]

    def to_pandas(self) -> "pandas.DataFrame":
        """One row a cluster, indexed by ``cluster``: cases, share, conversion, duration."""
        import pandas as pd

        rows = [{"cluster": c.cluster, "cases": c.cases, "share": c.share,
                 "conversion": None if c.conversion is None else c.conversion.rate,
                 "mean_duration_seconds": c.mean_duration_seconds, "mean_events": c.mean_events,
                 "mean_clv": None if c.value is None else c.value.mean_clv,
                 "top_path": c.top_paths[0].path if c.top_paths else None,
                 "sets_apart": ", ".join(d.feature for d in c.distinguishing)} for c in self.clusters]
        return pd.DataFrame(rows).set_index("cluster")

    def to_svg(self, **options: Any) -> str:
        """Each cluster's share of customers and what sets it apart, beside the heat map of the
        distinguishing features' means (the ``personas`` chart)."""
        from . import render

        without_cases = dataclasses.replace(self, assignments=Assignments(case=[], cluster=[]))
        return render.chart("personas", without_cases.to_dict(), **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()


def personas(log: EventLog, k: Optional[int] = None, **options: Any) -> Personas:
    """Groups the log's customers (cases) by behaviour and profiles each group: ``k`` clusters,
    or the best silhouette over ``k_range`` (``(2, 8)``); ``method``: ``"kmeans"`` on the
    features (default) or ``"kmedoids"`` (PAM on the edit distance of the activity sequences,
    at most 5000 cases, each cluster's ``medoid`` a real journey); ``features`` (``{"activities": True,
    "ngram": 2, "max_features": 64, "duration": False, "events": False}``), ``outcome_activity``,
    ``channel_attribute``, ``clv`` (``{"purchase_activity": "buy", "value_attribute": "amount",
    "months": 12, "discount_rate": 0.01}``: each cluster's lifetime value), ``seed``, ``starts``, ``top``, ``alpha``."""
    request = _request("personas", dict(k=k, **options))
    if "k_range" in request:
        request["k_range"] = list(request["k_range"])
    data = analyze(request, log)
    # One entry per case: built directly (the library wrote them), not checked item by item.
    assignments = Assignments(case=data["assignments"]["case"], cluster=data["assignments"]["cluster"])
    data["assignments"] = {"case": [], "cluster": []}
    return dataclasses.replace(Personas.from_dict(data), assignments=assignments)


# --------------------------------------------------------------------------------------------
# Process drift


@record(frozen=True)
class ShareChange(Result):
    """A variant or edge whose share changed: counts and shares before and after."""

    path: str
    before: int
    after: int
    before_share: float
    after_share: float
    change: float


@record(frozen=True)
class Drift(Result):
    """Variants and directly-follows edges before and after a time: total variation distances
    with permutation p-values, and what changed most."""

    cases_before: int
    cases_after: int
    variant_distance: float
    variant_p_value: float
    edge_distance: float
    edge_p_value: float
    resamples: int
    variants: List[ShareChange]
    edges: List[ShareChange]

    def to_pandas(self) -> "pandas.DataFrame":
        """The edges that changed most, indexed by ``path``."""
        return _frame(self.edges, ShareChange)


def process_drift(log: EventLog, split_at: str, *, resamples: int = 999, seed: int = 0, top: int = 10) -> Drift:
    """Whether the process changed at ``split_at`` (RFC 3339): cases starting before it against
    those after, by variant mix and by directly-follows edges."""
    return Drift.from_dict(analyze({"analysis": "process_drift", "split_at": split_at,
                                    "resamples": int(resamples), "seed": int(seed), "top": int(top)}, log))
