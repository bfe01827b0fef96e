"""Event logs and their process profile.

An :class:`EventLog` holds a native (Rust) log: events grouped by case, ordered by time within a
case with ties kept in input order. Logs are big, so they stay native; only results cross into
Python. Read one from XES with :func:`read_xes`, or import any table that speaks the Arrow
PyCapsule interface (pyarrow, pandas, polars, DuckDB) with :func:`from_arrow`::

    import journeystream as js

    log = js.read_xes("BPI_Challenge_2012.xes.gz")
    log = js.from_arrow(polars_df, case="case_id", activity="activity", timestamp="time")
    p = log.profile()
    p.dfg_frame().sort_values("count", ascending=False).head()

Reading, importing and profiling run with the GIL released. Durations are float seconds. A bad
value in the data raises :class:`journeystream.InputError` naming the row (0-based) or XES element
and the column.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

from . import _native
from ._convert import record
from .model import Map
from .results import Result, _pandas

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "EventLog",
    "ReadReport",
    "DurationStats",
    "ActivityCount",
    "Endpoint",
    "DfgEdge",
    "Variant",
    "CaseDuration",
    "Profile",
    "ActivityStats",
    "ActivityStatsTable",
    "ArrivalBucket",
    "Arrivals",
    "StageDwell",
    "StageDwellTable",
    "Observed",
    "StepCalibration",
    "Calibration",
    "read_xes",
    "read_csv",
    "read_jsonl",
    "from_arrow",
    "from_pandas",
    "analyze",
]

#: Default column names: the XES standard keys, as pm4py names a log's DataFrame columns.
CASE = "case:concept:name"
ACTIVITY = "concept:name"
TIMESTAMP = "time:timestamp"


# --------------------------------------------------------------------------------------------
# The profile


@record(frozen=True)
class DurationStats(Result):
    """Statistics of durations in seconds. ``stdev`` is the sample standard deviation (n − 1),
    None below two values."""

    count: int
    mean: float
    median: float
    min: float
    max: float
    total: float
    stdev: Optional[float]


@record(frozen=True)
class ActivityCount(Result):
    """An activity: its events, and the cases with at least one."""

    activity: str
    events: int
    cases: int


@record(frozen=True)
class Endpoint(Result):
    """An activity that starts (or ends) cases, and in how many."""

    activity: str
    cases: int


@record(frozen=True)
class DfgEdge(Result):
    """An edge of the directly-follows graph: how often ``target`` directly follows ``source`` in
    a case, and the flow time in seconds (``max(start(target), complete(source)) −
    complete(source)``; completion to completion without start times). ``stdev`` is None for an
    edge seen once."""

    source: str
    target: str
    count: int
    mean: float
    median: float
    min: float
    max: float
    total: float
    stdev: Optional[float]


@record(frozen=True)
class Variant(Result):
    """A variant (the activity sequence of a case), its cases, their share of all cases, and the
    statistics of their durations."""

    activities: List[str]
    count: int
    share: float
    duration: DurationStats


@record(frozen=True)
class CaseDuration(Result):
    """The duration of one case in seconds: last completion − first start (first completion
    without start times)."""

    case: str
    duration: float


@record(frozen=True)
class Profile(Result):
    """The process profile of a log, with pm4py's definitions: activity counts, start and end
    activities, the directly-follows graph with frequency and performance, variants, case
    durations. Lists are ordered most first (ties by name)."""

    cases: int
    events: int
    activities: List[ActivityCount]
    start_activities: List[Endpoint]
    end_activities: List[Endpoint]
    dfg: List[DfgEdge]
    variants: List[Variant]
    case_durations: DurationStats
    #: Every case's duration, longest first (ties by case id).
    cases_by_duration: List[CaseDuration]

    def edge(self, source: str, target: str) -> Optional[DfgEdge]:
        """The directly-follows edge ``source → target``, or None when it never occurs."""
        return next((e for e in self.dfg if e.source == source and e.target == target), None)

    def variant(self, *activities: str) -> Optional[Variant]:
        """The variant with exactly this activity sequence, or None."""
        wanted = list(activities)
        return next((v for v in self.variants if v.activities == wanted), None)

    # Drawings (journeystream.render): the directly-follows graph.
    def to_svg(self, labels: str = "frequency", edge_threshold: float = 0.0, **options: Any) -> str:
        """The directly-follows graph as SVG: edges labelled by ``"frequency"`` or
        ``"performance"`` (median flow time), those under ``edge_threshold`` × the largest count
        left out."""
        from . import render

        return render.profile_graph(self, "svg", labels=labels, edge_threshold=edge_threshold, **options)

    def to_dot(self, labels: str = "frequency", edge_threshold: float = 0.0) -> str:
        """The directly-follows graph as Graphviz DOT."""
        from . import render

        return render.profile_graph(self, "dot", labels=labels, edge_threshold=edge_threshold)

    def to_mermaid(self, labels: str = "frequency", edge_threshold: float = 0.0) -> str:
        """The directly-follows graph as a Mermaid flowchart."""
        from . import render

        return render.profile_graph(self, "mermaid", labels=labels, edge_threshold=edge_threshold)

    def save(self, path: Any, **options: Any) -> None:
        """Writes the graph by extension: ``.svg``, ``.dot``, ``.mmd`` or ``.html``."""
        from . import render

        render.save_profile(self, path, **options)

    def _repr_svg_(self) -> Optional[str]:
        from . import render

        return render.repr_svg(lambda: self.to_svg())

    def activities_frame(self) -> "pandas.DataFrame":
        """Activities as a DataFrame indexed by activity: ``events``, ``cases``."""
        pd = _pandas()
        return pd.DataFrame(
            {
                "activity": [a.activity for a in self.activities],
                "events": pd.Series([a.events for a in self.activities], dtype="int64"),
                "cases": pd.Series([a.cases for a in self.activities], dtype="int64"),
            }
        ).set_index("activity")

    def dfg_frame(self) -> "pandas.DataFrame":
        """The directly-follows graph as a DataFrame indexed by (``source``, ``target``):
        ``count`` and flow-time ``mean``, ``median``, ``min``, ``max``, ``total``, ``stdev``
        (seconds; NaN where undefined), most frequent first."""
        pd = _pandas()
        fields = ["mean", "median", "min", "max", "total", "stdev"]
        data = {
            "source": [e.source for e in self.dfg],
            "target": [e.target for e in self.dfg],
            "count": pd.Series([e.count for e in self.dfg], dtype="int64"),
        }
        for f in fields:
            data[f] = pd.Series([_nan(getattr(e, f)) for e in self.dfg], dtype="float64")
        return pd.DataFrame(data).set_index(["source", "target"])

    def variants_frame(self) -> "pandas.DataFrame":
        """Variants as a DataFrame, most cases first: ``variant`` (the activities joined by
        ``","``), ``activities`` (a tuple), ``count``, ``share`` and the case durations'
        ``mean``, ``median``, ``min``, ``max``, ``total``, ``stdev`` (seconds)."""
        pd = _pandas()
        fields = ["mean", "median", "min", "max", "total", "stdev"]
        data = {
            "variant": [",".join(v.activities) for v in self.variants],
            "activities": [tuple(v.activities) for v in self.variants],
            "count": pd.Series([v.count for v in self.variants], dtype="int64"),
            "share": pd.Series([v.share for v in self.variants], dtype="float64"),
        }
        for f in fields:
            data[f] = pd.Series([_nan(getattr(v.duration, f)) for v in self.variants], dtype="float64")
        return pd.DataFrame(data)

    def case_durations_frame(self) -> "pandas.DataFrame":
        """Case durations as a DataFrame indexed by case id: ``duration`` (seconds), longest
        first."""
        pd = _pandas()
        return pd.DataFrame(
            {
                "case": [c.case for c in self.cases_by_duration],
                "duration": pd.Series([c.duration for c in self.cases_by_duration], dtype="float64"),
            }
        ).set_index("case")


def _nan(x: Optional[float]) -> float:
    return float("nan") if x is None else x


def _stat_columns(data: Dict[str, Any], rows: List[Any], times: List[str], fields: List[str]) -> None:
    """Adds a float column ``<time>_<field>`` per time and statistic (NaN where the row has none)."""
    pd = _pandas()
    for time in times:
        for f in fields:
            values = [float("nan") if getattr(r, time) is None else getattr(getattr(r, time), f) for r in rows]
            data[f"{time}_{f}"] = pd.Series(values, dtype="float64")


# --------------------------------------------------------------------------------------------
# Activity statistics and arrivals


@record(frozen=True)
class ActivityStats(Result):
    """Statistics of one activity (seconds): its events and cases; ``service_time`` (completion −
    start, None without start timestamps); ``waiting_time`` (from the previous event's completion
    to its start, not below zero; None when it never follows another event); ``rework_cases``
    (cases where it occurs more than once), ``repeats`` (events − cases), ``self_loops`` (times
    directly followed by itself) and ``self_loop_cases``."""

    activity: str
    events: int
    cases: int
    service_time: Optional[DurationStats]
    waiting_time: Optional[DurationStats]
    rework_cases: int
    repeats: int
    self_loops: int
    self_loop_cases: int


@record(frozen=True)
class ActivityStatsTable(Result):
    """The statistics of every activity, most events first (ties by name)."""

    activities: List[ActivityStats]

    def activity(self, name: str) -> Optional[ActivityStats]:
        """The statistics of one activity, or None when it has no events."""
        return next((a for a in self.activities if a.activity == name), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """A DataFrame indexed by activity: ``events``, ``cases``, ``rework_cases``, ``repeats``,
        ``self_loops``, ``self_loop_cases`` and the ``mean``, ``median``, ``min``, ``max``,
        ``total`` of ``service_time_*`` and ``waiting_time_*`` (seconds; NaN where undefined)."""
        pd = _pandas()
        rows = self.activities
        data: Dict[str, Any] = {"activity": [a.activity for a in rows]}
        for f in ["events", "cases", "rework_cases", "repeats", "self_loops", "self_loop_cases"]:
            data[f] = pd.Series([getattr(a, f) for a in rows], dtype="int64")
        _stat_columns(data, rows, ["service_time", "waiting_time"], ["mean", "median", "min", "max", "total"])
        return pd.DataFrame(data).set_index("activity")


@record(frozen=True)
class ArrivalBucket(Result):
    """The cases that arrived in one period; ``start`` in UTC nanoseconds."""

    start: int
    cases: int


@record(frozen=True)
class Arrivals(Result):
    """Case arrivals: a case arrives at its first event (its start time, else its completion).
    ``periods`` counts the periods from the first arrival's to the last's, ``rate`` is cases per
    period, ``inter_arrival`` the time between consecutive arrivals (seconds; its ``mean`` is
    pm4py's case arrival average). ``buckets`` leave out periods without arrivals."""

    period: str
    cases: int
    periods: int
    rate: float
    inter_arrival: DurationStats
    buckets: List[ArrivalBucket]

    def to_pandas(self) -> "pandas.DataFrame":
        """The buckets as a DataFrame indexed by ``start`` (UTC datetime): ``cases``."""
        pd = _pandas()
        return pd.DataFrame(
            {
                "start": pd.to_datetime([b.start for b in self.buckets], unit="ns", utc=True),
                "cases": pd.Series([b.cases for b in self.buckets], dtype="int64"),
            }
        ).set_index("start")


# --------------------------------------------------------------------------------------------
# Stage dwell and calibration


@record(frozen=True)
class StageDwell(Result):
    """Dwell time in one journey stage (seconds): the cases that entered it, its visits (a case
    may come back), and the statistics of the visits' durations."""

    stage: str
    cases: int
    visits: int
    dwell: DurationStats


@record(frozen=True)
class StageDwellTable(Result):
    """Dwell time of every stage seen."""

    stages: List[StageDwell]

    def stage(self, name: str) -> Optional[StageDwell]:
        """The dwell of one stage, or None when no event has it."""
        return next((s for s in self.stages if s.stage == name), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """A DataFrame indexed by stage: ``cases``, ``visits`` and the dwell's ``mean``,
        ``median``, ``min``, ``max``, ``total``, ``stdev`` (seconds; NaN where undefined)."""
        pd = _pandas()
        data: Dict[str, Any] = {
            "stage": [s.stage for s in self.stages],
            "cases": pd.Series([s.cases for s in self.stages], dtype="int64"),
            "visits": pd.Series([s.visits for s in self.stages], dtype="int64"),
        }
        for f in ["mean", "median", "min", "max", "total", "stdev"]:
            data[f] = pd.Series([_nan(getattr(s.dwell, f)) for s in self.stages], dtype="float64")
        return pd.DataFrame(data).set_index("stage")


@record(frozen=True)
class Observed(Result):
    """Observed times of a step (seconds); percentiles interpolate linearly (numpy's default)."""

    count: int
    mean: float
    min: float
    p10: float
    p50: float
    p90: float
    max: float


@record(frozen=True)
class StepCalibration(Result):
    """What the log shows of one step: the activities matched, their events and cases, the
    observed process, wait and lead times, and the share of cases that repeat it."""

    step: str
    activities: List[str]
    occurrences: int
    cases: int
    process_time: Optional[Observed]
    wait_time: Optional[Observed]
    lead_time: Optional[Observed]
    rework_share: Optional[float]


@record(frozen=True)
class Calibration(Result):
    """A value stream calibrated from a log: ``map`` with observed times, what was observed per
    step, the steps and touchpoints the log never shows, and notes on observations not applied."""

    map: Map
    statistic: str
    steps: List[StepCalibration]
    unseen_steps: List[str]
    unseen_touchpoints: List[str]
    notes: List[str]

    def to_pandas(self) -> "pandas.DataFrame":
        """The steps as a DataFrame indexed by step: ``occurrences``, ``cases``,
        ``rework_share`` and ``p10``/``p50``/``p90``/``mean`` of ``process_time_*``,
        ``wait_time_*``, ``lead_time_*`` (seconds; NaN where unobserved)."""
        pd = _pandas()
        rows = self.steps
        data: Dict[str, Any] = {
            "step": [s.step for s in rows],
            "occurrences": pd.Series([s.occurrences for s in rows], dtype="int64"),
            "cases": pd.Series([s.cases for s in rows], dtype="int64"),
            "rework_share": pd.Series([_nan(s.rework_share) for s in rows], dtype="float64"),
        }
        _stat_columns(data, rows, ["process_time", "wait_time", "lead_time"], ["p10", "p50", "p90", "mean"])
        return pd.DataFrame(data).set_index("step")


# --------------------------------------------------------------------------------------------
# The log


@record(frozen=True)
class ReadReport(Result):
    """What a reader did: rows (events) read, rows skipped under ``skip_bad_rows=True``, and the
    error messages of the first few skipped ones."""

    rows_read: int
    rows_skipped: int
    examples: List[str]


class EventLog:
    """An event log held natively. Build one with :func:`read_xes`, :func:`from_arrow` or
    :func:`from_pandas`."""

    __slots__ = ("_native", "_report")

    def __init__(self, *_: Any, **__: Any) -> None:
        raise TypeError(
            "EventLog is not built directly: use journeystream.read_xes, from_arrow or from_pandas"
        )

    @classmethod
    def _wrap(cls, native: Any, report: Optional[ReadReport] = None) -> "EventLog":
        log = object.__new__(cls)
        object.__setattr__(log, "_native", native)
        object.__setattr__(log, "_report", report)
        return log

    @property
    def report(self) -> Optional[ReadReport]:
        """What the file reader read and skipped (None for a log imported from a table)."""
        return self._report

    def num_cases(self) -> int:
        """Number of cases."""
        return int(self._native.num_cases())

    def num_events(self) -> int:
        """Number of events."""
        return int(self._native.num_events())

    def activities(self) -> List[str]:
        """The names of the activities that occur, in first-seen order."""
        return list(self._native.activities())

    def profile(self) -> Profile:
        """The process profile (computed on all cores with the GIL released)."""
        return Profile.from_dict(self.analyze({"analysis": "profile"}))

    def activity_stats(self) -> ActivityStatsTable:
        """Per-activity statistics: frequency, service and waiting time, rework, self-loops
        (computed with the GIL released). ``log.activity_stats().to_pandas()`` is a DataFrame."""
        rows = self.analyze({"analysis": "activity_stats"})
        return ActivityStatsTable(activities=[ActivityStats.from_dict(r) for r in rows])

    def arrivals(self, period: str = "day") -> Arrivals:
        """Case arrivals counted per UTC ``"hour"``, ``"day"`` or ``"week"`` (weeks start on
        Monday). Another period raises :class:`journeystream.ParseError`."""
        return Arrivals.from_dict(self.analyze({"analysis": "arrivals", "period": period}))

    def stage_dwell(
        self,
        stage_attribute: Optional[str] = None,
        *,
        map: Optional["Map"] = None,
        order: Sequence[str] = (),
    ) -> StageDwellTable:
        """Observed dwell time per journey stage, from entering a stage to entering the next (the
        last visit ends at the case's last event). Each event's stage comes from a text event
        attribute (``stage_attribute``, ``"stage"`` by default) or from ``map``: its steps'
        activities and its touchpoints' ids and names. Stages in ``order`` come first, in that
        order. ``log.stage_dwell().to_pandas()`` is a DataFrame."""
        request: Dict[str, Any] = {"analysis": "stage_dwell", "order": list(order)}
        if stage_attribute is not None:
            request["stage_attribute"] = stage_attribute
        if map is not None:
            request["map"] = map.to_dict()
        rows = self.analyze(request)
        return StageDwellTable(stages=[StageDwell.from_dict(r) for r in rows])

    def calibrate(self, map: "Map", statistic: str = "median") -> Calibration:
        """Fills the value stream of ``map`` from this log: each step's observed process, wait and
        lead time (``"median"``, ``"mean"`` or ``"p90"`` of what the log shows, with percentiles
        kept in the result) and rework share; lists the steps and touchpoints the log never
        shows. Steps match the activities they name (``Step.activities``), else their id or
        name. ``map`` is not changed: ``result.map`` is the calibrated copy."""
        data = self.analyze({"analysis": "calibrate", "map": map.to_dict(), "statistic": statistic})
        return Calibration.from_dict(data)

    def analyze(self, request: Union[Dict[str, Any], str]) -> Any:
        """Runs one analytic by name over this log; see :func:`journeystream.analyze`."""
        return analyze(request, self)

    def filter(self, filter: Dict[str, Any]) -> "EventLog":
        """A new log with the cases and events the filter keeps; this log is not changed. The
        filter is a dict (or its JSON text) naming one filter::

            log.filter({"top_variants": 3})                     # cases of the 3 most frequent variants
            log.filter({"variant_coverage": 0.8})               # top variants covering 80 % of cases
            log.filter({"activities": ["a", "b"]})              # events of these activities
            log.filter({"not": {"activities": ["a"]}})          # every event but a's
            log.filter({"contains_any": ["cancel"]})            # cases with a cancel
            log.filter({"contains_all": ["a", "b"]})
            log.filter({"follows": {"activities": ["a", "b"], "directly": True}})
            log.filter({"case_size": {"min": 2, "max": None}})
            log.filter({"case_duration": {"min": 0, "max": 3_600_000_000_000}})  # nanoseconds
            log.filter({"time_range": {"from": t0_ns, "to": t1_ns, "mode": "contained"}})
            log.filter({"case_attribute": {"name": "segment", "predicate": {"equals": "retail"}}})

        Time-range modes: ``contained``, ``intersecting``, ``started``, ``completed``, ``events``.
        A dict that is not a filter raises :class:`journeystream.ParseError`. The filtered log has
        no :attr:`report`.
        """
        text = filter if isinstance(filter, str) else json.dumps(filter)
        return EventLog._wrap(self._native.filter(text))

    def __repr__(self) -> str:
        return f"EventLog(cases={self.num_cases()}, events={self.num_events()})"


def read_xes(path: Union[str, "os.PathLike[str]"], *, skip_bad_rows: bool = False) -> EventLog:
    """Reads an XES event log, plain or gzipped (``.xes.gz``, told by content). Case ids come
    from the trace's ``concept:name``, activities from the event's ``concept:name``, timestamps
    from ``time:timestamp``.

    A bad event or trace raises :class:`journeystream.InputError` naming the file, the element
    (``trace[3]/event[5]``) and the attribute; with ``skip_bad_rows=True`` bad events are skipped
    and counted in :attr:`EventLog.report` instead. A file that cannot be read raises
    :class:`journeystream.IoError`.
    """
    native, read, skipped, examples = _native.read_xes(os.fspath(path), bool(skip_bad_rows))
    return EventLog._wrap(native, ReadReport(rows_read=read, rows_skipped=skipped, examples=examples))


_MAPPING_DOC = """
    Each role is read from the column (CSV) or key (JSON Lines) named by its argument; ``None``
    takes the first default name the header has: ``case`` from ``case:concept:name``, ``case``
    or ``case_id``; ``activity`` from ``concept:name`` or ``activity``; ``timestamp`` (the
    completion time) from ``time:timestamp`` or ``timestamp``; ``start_timestamp`` from
    ``start_timestamp``; ``resource`` from ``org:resource`` or ``resource``. ``channel``,
    ``stage`` and ``value`` (a number) are read only when named. A named column must exist. Other
    columns are kept as attributes (``case:X`` as case attribute ``X``).

    ``timestamp_format`` is ``"auto"`` (RFC 3339 and a few unambiguous layouts), ``"rfc3339"``,
    ``"epoch_s"``, ``"epoch_ms"``, ``"epoch_us"``, ``"epoch_ns"`` or a strftime pattern (any text
    with ``%``, e.g. ``"%d/%m/%Y %H:%M"``). ``time_zone`` is where times without an offset were
    written: ``"UTC"``, an offset such as ``"+02:00"`` or an IANA name such as
    ``"Europe/Amsterdam"``; an offset in the text always wins. An unknown format or zone raises
    :class:`journeystream.InvalidArgumentError`.

    A bad row raises :class:`journeystream.InputError` naming the file, the line and the column;
    with ``skip_bad_rows=True`` bad rows are skipped and counted in :attr:`EventLog.report`
    instead. A file that cannot be read raises :class:`journeystream.IoError`.
"""


def read_csv(
    path: Union[str, "os.PathLike[str]"],
    *,
    case: Optional[str] = None,
    activity: Optional[str] = None,
    timestamp: Optional[str] = None,
    start_timestamp: Optional[str] = None,
    resource: Optional[str] = None,
    channel: Optional[str] = None,
    stage: Optional[str] = None,
    value: Optional[str] = None,
    delimiter: str = ",",
    timestamp_format: str = "auto",
    time_zone: str = "UTC",
    skip_bad_rows: bool = False,
) -> EventLog:
    """Reads a CSV event log (one event a row, the first line naming the columns), plain or
    gzipped (told by content). ``delimiter`` is one character (``","``, ``";"``, ``"\\t"``)::

        log = js.read_csv("tickets.csv", case="ticket", delimiter=";",
                          timestamp_format="%d/%m/%Y %H:%M", time_zone="Europe/Amsterdam")
    """
    settings = dict(locals())
    return _read_table(settings.pop("path"), "csv", settings)


def _read_table(path: Union[str, "os.PathLike[str]"], format: str, settings: Dict[str, Any]) -> EventLog:
    settings["skip_bad_rows"] = bool(settings["skip_bad_rows"])
    native, read, skipped, examples = _native.read_table(os.fspath(path), format, json.dumps(settings))
    return EventLog._wrap(native, ReadReport(rows_read=read, rows_skipped=skipped, examples=examples))


def read_jsonl(
    path: Union[str, "os.PathLike[str]"],
    *,
    case: Optional[str] = None,
    activity: Optional[str] = None,
    timestamp: Optional[str] = None,
    start_timestamp: Optional[str] = None,
    resource: Optional[str] = None,
    channel: Optional[str] = None,
    stage: Optional[str] = None,
    value: Optional[str] = None,
    timestamp_format: str = "auto",
    time_zone: str = "UTC",
    skip_bad_rows: bool = False,
) -> EventLog:
    """Reads a JSON Lines event log (one JSON object a line, one event each), plain or gzipped
    (told by content), with the same column mapping as :func:`read_csv` (keys instead of
    columns)."""
    settings = dict(locals())
    return _read_table(settings.pop("path"), "jsonl", settings)


read_csv.__doc__ = (read_csv.__doc__ or "") + _MAPPING_DOC
read_jsonl.__doc__ = (read_jsonl.__doc__ or "") + _MAPPING_DOC


def from_arrow(
    data: Any,
    *,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    start_timestamp: Optional[str] = None,
) -> EventLog:
    """Builds a log from any table with the Arrow PyCapsule interface (``__arrow_c_stream__``): a
    pyarrow Table or RecordBatchReader, a polars DataFrame, a pandas DataFrame (pandas ≥ 2.2 with
    pyarrow installed), a DuckDB result. Columns are read without copies through Python objects.

    - ``case`` and ``activity``: string, large string or string-view columns, dictionary-encoded
      (categorical) or not, or integers;
    - ``timestamp`` (completion) and the optional ``start_timestamp``: timestamps of any unit,
      with or without a time zone (instants are UTC; naive ones are taken as UTC), dates, or RFC
      3339 text (text without an offset is UTC).

    Rows keep their order: events of a case with equal times stay in input order. A missing
    column, a column of another type, a null in a required column or a time that does not parse
    raises :class:`journeystream.InputError` naming the column and the row (0-based). Nulls in
    ``start_timestamp`` mean "no start time".
    """
    if not hasattr(data, "__arrow_c_stream__"):
        hint = ""
        if type(data).__module__.startswith("pandas"):
            hint = " (for pandas use journeystream.from_pandas, which converts through pyarrow)"
        raise TypeError(
            "from_arrow needs a table with the Arrow PyCapsule interface (__arrow_c_stream__): a "
            "pyarrow Table or RecordBatchReader, a polars DataFrame, a DuckDB result; got "
            f"{type(data).__module__}.{type(data).__qualname__}{hint}"
        )
    native = _native.from_arrow(data, case, activity, timestamp, start_timestamp)
    return EventLog._wrap(native)


def from_pandas(
    df: Any,
    *,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    start_timestamp: Optional[str] = None,
) -> EventLog:
    """Builds a log from a pandas DataFrame (as :func:`from_arrow`), converting it with pyarrow
    (``pyarrow.Table.from_pandas``, index dropped). Needs pyarrow."""
    try:
        import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as e:
        raise ImportError(
            "journeystream.from_pandas needs pyarrow, which is not installed: pip install pyarrow "
            "(or pass a pyarrow Table or polars DataFrame to journeystream.from_arrow)"
        ) from e
    table = pyarrow.Table.from_pandas(df, preserve_index=False)
    return from_arrow(
        table, case=case, activity=activity, timestamp=timestamp, start_timestamp=start_timestamp
    )


def analyze(request: Union[Dict[str, Any], str], log: Optional[EventLog] = None) -> Any:
    """Runs one analytic by name and returns its result as plain data (dicts and lists).

    ``request`` is a dict (or its JSON text) whose ``"analysis"`` names the analytic and whose
    other keys are its parameters; ``log`` is the event log it reads (None for analytics that
    carry their data in the request)::

        js.analyze({"analysis": "stage_dwell", "stage_attribute": "stage"}, log)
        js.analyze({"analysis": "calibrate", "map": doc, "statistic": "p90"}, log)

    The typed methods (:meth:`EventLog.profile`, ...) wrap the same results in classes. An
    unknown analysis or parameter raises :class:`journeystream.ParseError` naming it; an
    analysis that reads a log, called without one, :class:`journeystream.MissingDataError`.
    """
    text = request if isinstance(request, str) else json.dumps(request)
    native = None if log is None else log._native
    return json.loads(_native.analyze(text, native))
