"""Event logs and their process profile.

An :class:`EventLog` holds a native (Rust) log: events grouped by case, ordered by time within a
case with ties kept in input order. Logs are big, so they stay native; they leave only when asked
for, as one Arrow table (``log.to_arrow()``, ``to_pandas()``, ``to_polars()``). Read one from XES
with :func:`read_xes`, or import any table that speaks the Arrow PyCapsule interface (pyarrow,
pandas, polars, DuckDB) with :func:`from_arrow`::

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
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Literal, Optional, Sequence, Tuple, Union

from . import _arrays, _native
from ._convert import record
from .model import Map
from .results import Result, _pandas
from .table import AnalysisResult, Row, Table

#: What flow-graph edges are labelled with: counts, or median flow times.
EdgeLabels = Literal["frequency", "performance"]
#: Arrival buckets.
Period = Literal["hour", "day", "week"]
#: The statistic ``calibrate`` reads from the log.
Statistic = Literal["median", "mean", "p90"]

if TYPE_CHECKING:
    from .filters import Filter
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import polars  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "EventLog",
    "ReadReport",
    "Profile",
    "ActivityStatsTable",
    "Arrivals",
    "StageDwellTable",
    "Calibration",
    "read_xes",
    "read_csv",
    "read_jsonl",
    "from_arrow",
    "from_pandas",
    "analyze",
    "evaluate",
]

#: Default column names: the XES standard keys, as pm4py names a log's DataFrame columns.
CASE = "case:concept:name"
ACTIVITY = "concept:name"
TIMESTAMP = "time:timestamp"


# --------------------------------------------------------------------------------------------
# The profile

_STATS = ["mean", "median", "min", "max", "total", "stdev"]


class Profile(AnalysisResult):
    """The process profile of a log, with pm4py's definitions: activity counts, start and end
    activities, the directly-follows graph with frequency and performance, variants, case
    durations. Tables are ordered most first (ties by name); durations are float seconds.

    - ``cases``, ``events``: counts; ``case_durations``: a row of duration statistics
      (``count``, ``mean``, ``median``, ``min``, ``max``, ``total``, ``stdev``; ``stdev`` is the
      sample standard deviation, None below two values);
    - ``activities`` (``activity``, ``events``, ``cases``), ``start_activities`` and
      ``end_activities`` (``activity``, ``cases``): tables;
    - ``dfg``: a table of edges (``source``, ``target``, ``count`` and the flow time's statistics:
      ``max(start(target), complete(source)) − complete(source)``, completion to completion
      without start times; ``stdev`` null for an edge seen once);
    - ``variants``: a table (``activities`` a list, ``count``, ``share``, ``duration`` a struct of
      statistics);
    - ``cases_by_duration``: every case's duration (``case``, ``duration``), longest first (ties
      by case id): last completion − first start (first completion without start times).
    """

    __slots__ = ()

    if TYPE_CHECKING:
        cases: int
        events: int
        activities: Table
        start_activities: Table
        end_activities: Table
        dfg: Table
        variants: Table
        case_durations: Row
        cases_by_duration: Table

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Profile":
        """Reads a profile back from :meth:`to_dict`, strictly (an unknown field raises
        :class:`journeystream.ParseError` naming its path)."""
        return _from_data(cls, "profile", data)

    def edge(self, source: str, target: str) -> Optional[Row]:
        """The directly-follows edge ``source → target``, or None when it never occurs."""
        return next((e for e in self.dfg if e.source == source and e.target == target), None)

    def variant(self, *activities: str) -> Optional[Row]:
        """The variant with exactly this activity sequence, or None."""
        wanted = list(activities)
        return next((v for v in self.variants if v.activities == wanted), None)

    # Drawings (journeystream.render): the directly-follows graph.
    def to_svg(self, labels: EdgeLabels = "frequency", edge_threshold: float = 0.0, **options: Any) -> str:
        """The directly-follows graph as SVG: edges labelled by ``"frequency"`` or
        ``"performance"`` (median flow time), those under ``edge_threshold`` × the largest count
        left out; at most ``max_edges`` drawn (default 40, ``None``: all; see
        :func:`journeystream.render.profile_graph`)."""
        from . import render

        return render.profile_graph(self, "svg", labels=labels, edge_threshold=edge_threshold, **options)

    def to_dot(self, labels: EdgeLabels = "frequency", edge_threshold: float = 0.0, **options: Any) -> str:
        """The directly-follows graph as Graphviz DOT (options as :meth:`to_svg`)."""
        from . import render

        return render.profile_graph(self, "dot", labels=labels, edge_threshold=edge_threshold, **options)

    def to_mermaid(self, labels: EdgeLabels = "frequency", edge_threshold: float = 0.0, **options: Any) -> str:
        """The directly-follows graph as a Mermaid flowchart (options as :meth:`to_svg`)."""
        from . import render

        return render.profile_graph(self, "mermaid", labels=labels, edge_threshold=edge_threshold, **options)

    def save(self, path: Any, **options: Any) -> None:
        """Writes the graph by extension: ``.svg``, ``.dot``, ``.mmd`` or ``.html``."""
        from . import render

        render.save_profile(self, path, **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()

    def activities_frame(self) -> "pandas.DataFrame":
        """Activities as a DataFrame indexed by activity: ``events``, ``cases``."""
        return self.activities.frame(["events", "cases"], index="activity")

    def dfg_frame(self) -> "pandas.DataFrame":
        """The directly-follows graph as a DataFrame indexed by (``source``, ``target``):
        ``count`` and flow-time ``mean``, ``median``, ``min``, ``max``, ``total``, ``stdev``
        (seconds; NaN where undefined), most frequent first."""
        return self.dfg.frame(["count"] + _STATS, index=["source", "target"])

    def variants_frame(self) -> "pandas.DataFrame":
        """Variants as a DataFrame, most cases first: ``variant`` (the activities joined by
        ``","``), ``activities`` (a tuple), ``count``, ``share`` and the case durations'
        ``mean``, ``median``, ``min``, ``max``, ``total``, ``stdev`` (seconds)."""
        df = self.variants.frame(["activities", "count", "share"] + [f"duration_{f}" for f in _STATS])
        df = df.rename(columns={f"duration_{f}": f for f in _STATS})
        activities = [tuple(a) for a in df["activities"]]
        df["activities"] = activities
        df.insert(0, "variant", [",".join(a) for a in activities])
        return df

    def case_durations_frame(self) -> "pandas.DataFrame":
        """Case durations as a DataFrame indexed by case id: ``duration`` (seconds), longest
        first."""
        return self.cases_by_duration.frame(["duration"], index="case")


def _from_data(cls: Any, analysis: str, data: Any) -> Any:
    return cls._wrap(_native.result_from_json(analysis, json.dumps(data)))


# --------------------------------------------------------------------------------------------
# Activity statistics and arrivals


class ActivityStatsTable(AnalysisResult):
    """The statistics of every activity, most events first (ties by name): the table
    ``activities`` with, per activity (seconds): ``events``, ``cases``; ``service_time``
    (completion − start; null without start timestamps) and ``waiting_time`` (from the previous
    event's completion to its start, not below zero; null when it never follows another event),
    each a struct of duration statistics; ``rework_cases`` (cases where it occurs more than once),
    ``repeats`` (events − cases), ``self_loops`` (times directly followed by itself) and
    ``self_loop_cases``."""

    __slots__ = ()

    @property
    def activities(self) -> Table:
        """The table of activities."""
        return self.table("rows")

    @classmethod
    def from_dict(cls, data: Any) -> "ActivityStatsTable":
        """Reads the table back from :meth:`to_dict`, strictly."""
        return _from_data(cls, "activity_stats", data)

    def activity(self, name: str) -> Optional[Row]:
        """The statistics of one activity, or None when it has no events."""
        return next((a for a in self.activities if a.activity == name), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """A DataFrame indexed by activity: ``events``, ``cases``, ``rework_cases``, ``repeats``,
        ``self_loops``, ``self_loop_cases`` and the ``mean``, ``median``, ``min``, ``max``,
        ``total`` of ``service_time_*`` and ``waiting_time_*`` (seconds; NaN where undefined)."""
        stats = [f"{t}_{f}" for t in ["service_time", "waiting_time"] for f in ["mean", "median", "min", "max", "total"]]
        counts = ["events", "cases", "rework_cases", "repeats", "self_loops", "self_loop_cases"]
        return self.activities.frame(counts + stats, index="activity")


class Arrivals(AnalysisResult):
    """Case arrivals: a case arrives at its first event (its start time, else its completion).
    ``period``; ``cases``; ``periods`` counts the periods from the first arrival's to the last's;
    ``rate`` is cases per period; ``inter_arrival`` a row of statistics of the time between
    consecutive arrivals (seconds; its ``mean`` is pm4py's case arrival average). The table
    ``buckets`` (``start`` in UTC nanoseconds, ``cases``) leaves out periods without arrivals."""

    __slots__ = ()

    if TYPE_CHECKING:
        period: str
        cases: int
        periods: int
        rate: float
        inter_arrival: Row
        buckets: Table

    @classmethod
    def from_dict(cls, data: Any) -> "Arrivals":
        """Reads arrivals back from :meth:`to_dict`, strictly."""
        return _from_data(cls, "arrivals", data)

    def to_pandas(self) -> "pandas.DataFrame":
        """The buckets as a DataFrame indexed by ``start`` (UTC datetime): ``cases``."""
        pd = _pandas()
        df = self.buckets.frame(["cases"], index="start")
        df.index = pd.to_datetime(df.index.astype("int64"), unit="ns", utc=True).rename("start")
        return df


# --------------------------------------------------------------------------------------------
# Stage dwell and calibration


class StageDwellTable(AnalysisResult):
    """Dwell time of every stage seen: the table ``stages`` with ``stage``, the ``cases`` that
    entered it, its ``visits`` (a case may come back) and ``dwell``, a struct of the visits'
    duration statistics (seconds)."""

    __slots__ = ()

    @property
    def stages(self) -> Table:
        """The table of stages."""
        return self.table("rows")

    @classmethod
    def from_dict(cls, data: Any) -> "StageDwellTable":
        """Reads the table back from :meth:`to_dict`, strictly."""
        return _from_data(cls, "stage_dwell", data)

    def stage(self, name: str) -> Optional[Row]:
        """The dwell of one stage, or None when no event has it."""
        return next((s for s in self.stages if s.stage == name), None)

    def to_pandas(self) -> "pandas.DataFrame":
        """A DataFrame indexed by stage: ``cases``, ``visits`` and the dwell's ``mean``,
        ``median``, ``min``, ``max``, ``total``, ``stdev`` (seconds; NaN where undefined)."""
        df = self.stages.frame(["cases", "visits"] + [f"dwell_{f}" for f in _STATS], index="stage")
        return df.rename(columns={f"dwell_{f}": f for f in _STATS})


class Calibration(AnalysisResult):
    """A value stream calibrated from a log: ``map`` with observed times; the table ``steps``
    (what was observed per step: ``step``, the ``activities`` matched, their ``occurrences`` and
    ``cases``, the observed ``process_time``, ``wait_time`` and ``lead_time`` as structs of
    ``count``, ``mean``, ``min``, ``p10``, ``p50``, ``p90``, ``max`` in seconds (percentiles
    interpolate linearly, numpy's default), and ``rework_share``, the share of cases that repeat
    it); the steps and touchpoints the log never shows (``unseen_steps``,
    ``unseen_touchpoints``); ``notes`` on observations not applied."""

    __slots__ = ()
    _lists = ("unseen_steps", "unseen_touchpoints", "notes")

    if TYPE_CHECKING:
        statistic: str
        steps: Table
        unseen_steps: List[str]
        unseen_touchpoints: List[str]
        notes: List[str]

    @property
    def map(self) -> Map:
        """The calibrated copy of the map."""
        return Map.from_dict(self.to_dict()["map"])

    @classmethod
    def from_dict(cls, data: Any) -> "Calibration":
        """Reads a calibration back from :meth:`to_dict`, strictly."""
        return _from_data(cls, "calibrate", data)

    def to_pandas(self) -> "pandas.DataFrame":
        """The steps as a DataFrame indexed by step: ``occurrences``, ``cases``,
        ``rework_share`` and ``p10``/``p50``/``p90``/``mean`` of ``process_time_*``,
        ``wait_time_*``, ``lead_time_*`` (seconds; NaN where unobserved)."""
        stats = [f"{t}_{f}" for t in ["process_time", "wait_time", "lead_time"] for f in ["p10", "p50", "p90", "mean"]]
        return self.steps.frame(["occurrences", "cases", "rework_share"] + stats, index="step")


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

    # The log as a table: the layout from_arrow reads back (``from_arrow(log.to_arrow()) == log``).
    def to_table(self) -> Table:
        """The log as one Arrow table (built natively, without the GIL): ``case:concept:name``
        and ``concept:name`` dictionary-encoded (categorical), ``time:timestamp`` (UTC,
        nanoseconds), ``start_timestamp`` when the log has start times, every event attribute
        under its name and every case attribute as ``case:X``; events grouped by case, in time
        within a case."""
        return Table(self._native.to_table())

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self.to_table().__arrow_c_stream__(requested_schema)

    def to_arrow(self) -> "pyarrow.Table":
        """The log as a pyarrow Table (see :meth:`to_table`)."""
        return self.to_table().to_arrow()

    def to_polars(self) -> "polars.DataFrame":
        """The log as a polars DataFrame (see :meth:`to_table`)."""
        return self.to_table().to_polars()

    def to_pandas(self) -> "pandas.DataFrame":
        """The log as a pandas DataFrame, pm4py's column names (see :meth:`to_table`). Integer
        and boolean attributes are pandas' nullable ``Int64`` and ``boolean``, so that an
        attribute with missing values keeps its type (``from_pandas(log.to_pandas()) == log``)."""
        pd = _pandas()
        table = self.to_arrow()  # says what to install when pyarrow is missing
        import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]

        nullable = {pyarrow.int64(): pd.Int64Dtype(), pyarrow.bool_(): pd.BooleanDtype()}
        return table.to_pandas(types_mapper=nullable.get)

    def __reduce__(self) -> Any:
        # Pickled as its Arrow table (pyarrow pickles it as Arrow buffers), for Spark, Dask and
        # multiprocessing; the read report, which belongs to a file read, is not kept.
        return (_unpickle_log, (self.to_arrow(),))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, EventLog) and bool(self._native.equals(other._native))

    __hash__ = None  # type: ignore[assignment]

    def num_events(self) -> int:
        """Number of events."""
        return int(self._native.num_events())

    def activities(self) -> List[str]:
        """The names of the activities that occur, in first-seen order."""
        return list(self._native.activities())

    def profile(self) -> Profile:
        """The process profile (computed on all cores with the GIL released)."""
        return Profile._wrap(self._evaluate({"analysis": "profile"}))

    def activity_stats(self) -> ActivityStatsTable:
        """Per-activity statistics: frequency, service and waiting time, rework, self-loops
        (computed with the GIL released). ``log.activity_stats().to_pandas()`` is a DataFrame."""
        return ActivityStatsTable._wrap(self._evaluate({"analysis": "activity_stats"}))

    def arrivals(self, period: Period = "day") -> Arrivals:
        """Case arrivals counted per UTC ``"hour"``, ``"day"`` or ``"week"`` (weeks start on
        Monday). Another period raises :class:`journeystream.ParseError`."""
        return Arrivals._wrap(self._evaluate({"analysis": "arrivals", "period": period}))

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
        return StageDwellTable._wrap(self._evaluate(request))

    def calibrate(self, map: "Map", statistic: Statistic = "median") -> Calibration:
        """Fills the value stream of ``map`` from this log: each step's observed process, wait and
        lead time (``"median"``, ``"mean"`` or ``"p90"`` of what the log shows, with percentiles
        kept in the result) and rework share; lists the steps and touchpoints the log never
        shows. Steps match the activities they name (``Step.activities``), else their id or
        name. ``map`` is not changed: ``result.map`` is the calibrated copy."""
        return Calibration._wrap(self._evaluate({"analysis": "calibrate", "map": map.to_dict(), "statistic": statistic}))

    def analyze(self, request: Union[Dict[str, Any], str]) -> Any:
        """Runs one analytic by name over this log; see :func:`journeystream.analyze`."""
        return analyze(request, self)

    def evaluate(self, request: Union[Dict[str, Any], str]) -> AnalysisResult:
        """Runs one analytic by name over this log; see :func:`journeystream.evaluate`."""
        return evaluate(request, self)

    def _evaluate(self, request: Union[Dict[str, Any], str]) -> Any:
        return _run(request, self)

    def filter(self, filter: Union["Filter", Dict[str, Any], str]) -> "EventLog":
        """A new log with the cases and events the filter keeps; this log is not changed. The
        filter is built with :class:`journeystream.filters.Filter`
        (``log.filter(Filter.case_duration(max=timedelta(hours=1)))``), or is a dict (or its JSON
        text) naming one filter::

            log.filter({"top_variants": 3})                     # cases of the 3 most frequent variants
            log.filter({"variant_coverage": 0.8})               # top variants covering 80 % of cases
            log.filter({"activities": ["a", "b"]})              # events of these activities
            log.filter({"not": {"activities": ["a"]}})          # every event but a's
            log.filter({"contains_any": ["cancel"]})            # cases with a cancel
            log.filter({"contains_all": ["a", "b"]})
            log.filter({"follows": {"activities": ["a", "b"], "directly": True}})
            log.filter({"case_size": {"min": 2, "max": None}})
            log.filter({"case_duration": {"min_seconds": 0, "max_seconds": 3600}})  # seconds
            log.filter({"time_range": {"from": "2024-03-01T00:00:00Z", "to": t1_ns, "mode": "contained"}})
            log.filter({"case_attribute": {"name": "segment", "predicate": {"equals": "retail"}}})

        Time-range modes: ``contained``, ``intersecting``, ``started``, ``completed``, ``events``.
        Times are RFC 3339 text or integer nanoseconds since the epoch (UTC). A dict that is not a
        filter raises :class:`journeystream.ParseError` naming the field; an activity, attribute
        or value the log does not have raises :class:`journeystream.InvalidArgumentError`
        suggesting the closest it has. The filtered log has no :attr:`report`.
        """
        from .filters import as_json

        return EventLog._wrap(self._native.filter(as_json(filter)))

    def __repr__(self) -> str:
        return f"EventLog(cases={self.num_cases()}, events={self.num_events()})"


#: A progress option of the readers: ``None`` (a tqdm bar for files of :data:`PROGRESS_BYTES` or
#: more, when tqdm is installed), ``True`` (always a bar), ``False`` (none), or a callable
#: ``progress(bytes_read, file_size)``.
ProgressOption = Union[bool, None, Callable[[int, int], Any]]

#: Files at least this big show a progress bar by default.
PROGRESS_BYTES = 64 << 20


def _progress(path: str, progress: ProgressOption) -> Tuple[Optional[Callable[[int], Any]], Callable[[], Any]]:
    """The native callback of a read and what to do after it. Ctrl-C stops any read (the native
    reader checks for it as it reports progress); a callback that raises stops the read too, and
    its exception is what the read raises."""
    def done() -> None:
        return None

    if progress is False:
        return None, done
    try:
        size = os.path.getsize(path)
    except OSError:
        size = 0  # the reader names the file
    if callable(progress):
        report = progress
        return (lambda n: report(n, size)), done
    if progress is not True and size < PROGRESS_BYTES:
        return None, done
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        if progress is True:
            raise ImportError("progress=True shows a tqdm bar: pip install tqdm (or pass a callable)") from None
        return None, done
    bar = tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1024, desc=os.path.basename(path), leave=False)
    return (lambda n: bar.update(n - bar.n)), bar.close


def read_xes(
    path: Union[str, "os.PathLike[str]"], *, skip_bad_rows: bool = False, progress: ProgressOption = None
) -> EventLog:
    """Reads an XES event log, plain or gzipped (``.xes.gz``, told by content). Case ids come
    from the trace's ``concept:name``, activities from the event's ``concept:name``, timestamps
    from ``time:timestamp``.

    A bad event or trace raises :class:`journeystream.InputError` naming the file, the element
    (``trace[3]/event[5]``) and the attribute; with ``skip_bad_rows=True`` bad events are skipped
    and counted in :attr:`EventLog.report` instead. A file that cannot be read raises
    :class:`journeystream.IoError`.

    ``progress``: a tqdm bar while a file of 64 MiB or more loads (``None``, when tqdm is
    installed), always (``True``), never (``False``), or a callable ``progress(bytes_read,
    file_size)``. Ctrl-C stops a read.
    """
    path = os.fspath(path)
    callback, done = _progress(path, progress)
    try:
        native, read, skipped, examples = _native.read_xes(path, bool(skip_bad_rows), callback)
    finally:
        done()
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
    instead. A file that cannot be read raises :class:`journeystream.IoError`. ``progress`` as
    for :func:`read_xes`: a tqdm bar for big files, ``False``, or ``progress(bytes_read,
    file_size)``.
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
    progress: ProgressOption = None,
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
    path = os.fspath(path)
    callback, done = _progress(path, settings.pop("progress"))
    try:
        native, read, skipped, examples = _native.read_table(path, format, json.dumps(settings), callback)
    finally:
        done()
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
    progress: ProgressOption = None,
) -> EventLog:
    """Reads a JSON Lines event log (one JSON object a line, one event each), plain or gzipped
    (told by content), with the same column mapping as :func:`read_csv` (keys instead of
    columns)."""
    settings = dict(locals())
    return _read_table(settings.pop("path"), "jsonl", settings)


read_csv.__doc__ = (read_csv.__doc__ or "") + _MAPPING_DOC
read_jsonl.__doc__ = (read_jsonl.__doc__ or "") + _MAPPING_DOC


def _unpickle_log(table: Any) -> EventLog:
    names = table.column_names
    return from_arrow(table, start_timestamp="start_timestamp" if "start_timestamp" in names else None)


def from_arrow(
    data: Any,
    *,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    start_timestamp: Optional[str] = None,
    attributes: Union[bool, Sequence[str]] = True,
    case_attributes: Sequence[str] = (),
) -> EventLog:
    """Builds a log from any table with the Arrow PyCapsule interface (``__arrow_c_stream__``): a
    pyarrow Table or RecordBatchReader, a polars DataFrame, a pandas DataFrame (pandas ≥ 2.2 with
    pyarrow installed), a DuckDB result. Columns are read without copies through Python objects.

    - ``case`` and ``activity``: string, large string or string-view columns, dictionary-encoded
      (categorical) or not, or integers;
    - ``timestamp`` (completion) and the optional ``start_timestamp``: timestamps of any unit,
      with or without a time zone (instants are UTC; naive ones are taken as UTC), dates, or RFC
      3339 text (text without an offset is UTC).

    - every other column is kept, as the CSV reader keeps its columns: named ``case:X``, or
      listed in ``case_attributes``, a case attribute (the case's last non-null value); else an
      event attribute of its own name. Text (and categoricals) stay text, integers integers,
      floats numbers (NaN is missing), booleans booleans, timestamps and dates times. With
      ``attributes=False`` none is kept; with a list, those columns. A column of another type
      (lists, structs, binary) raises :class:`journeystream.InputError` naming it: leave it out
      with ``attributes=[...]``.

    Rows keep their order: events of a case with equal times stay in input order. A missing
    column (with the closest names suggested), a column of another type, a null in a required
    column or a time that does not parse raises :class:`journeystream.InputError` naming the
    column and the row (0-based). Nulls in ``start_timestamp`` mean "no start time".
    ``log.to_arrow()`` gives the table back.
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
    if isinstance(attributes, str):
        raise TypeError(
            f"attributes must be True, False or a list of column names, not the string {attributes!r} "
            f"(for one column: attributes=[{attributes!r}])"
        )
    if isinstance(case_attributes, str):
        raise TypeError(
            f"case_attributes must be a list of column names, not the string {case_attributes!r} "
            f"(for one column: case_attributes=[{case_attributes!r}])"
        )
    keep: Optional[List[str]]
    if attributes is True:
        keep = None
    elif attributes is False:
        keep = []
    else:
        keep = [str(a) for a in attributes]
    native = _native.from_arrow(
        data, case, activity, timestamp, start_timestamp, keep, [str(c) for c in case_attributes]
    )
    return EventLog._wrap(native)


def from_pandas(
    df: Any,
    *,
    case: str = CASE,
    activity: str = ACTIVITY,
    timestamp: str = TIMESTAMP,
    start_timestamp: Optional[str] = None,
    attributes: Union[bool, Sequence[str]] = True,
    case_attributes: Sequence[str] = (),
) -> EventLog:
    """Builds a log from a pandas DataFrame (as :func:`from_arrow`, every other column kept as
    an attribute), converting it with pyarrow (``pyarrow.Table.from_pandas``, index dropped).
    Needs pyarrow."""
    try:
        import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as e:
        raise ImportError(
            "journeystream.from_pandas needs pyarrow, which is not installed: pip install pyarrow "
            "(or pass a pyarrow Table or polars DataFrame to journeystream.from_arrow)"
        ) from e
    table = pyarrow.Table.from_pandas(df, preserve_index=False)
    return from_arrow(
        table,
        case=case,
        activity=activity,
        timestamp=timestamp,
        start_timestamp=start_timestamp,
        attributes=attributes,
        case_attributes=case_attributes,
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
    return evaluate(request, log).to_dict()


def evaluate(request: Union[Dict[str, Any], str], log: Optional[EventLog] = None) -> AnalysisResult:
    """Runs one analytic by name, as :func:`analyze`, and returns its result held natively: its
    scalars as attributes, its tables as :class:`journeystream.Table` (Arrow, zero-copy into
    pyarrow, polars, DuckDB)::

        r = js.evaluate({"analysis": "top_paths", "top": 5}, log)
        r.table_names()          # ['paths', ...]
        polars.DataFrame(r.table("paths"))
    """
    return AnalysisResult._wrap(_run(request, log))


def _run(request: Union[Dict[str, Any], str], log: Optional[EventLog]) -> Any:
    """The native result; array-shaped fields cross as arrays, the rest as JSON."""
    native = None if log is None else log._native
    if isinstance(request, str):
        return _native.analyze(request, native)
    request, columns = _arrays.split(request)
    return _native.analyze(json.dumps(request), native, columns or None)
