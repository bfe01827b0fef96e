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
from typing import TYPE_CHECKING, Any, List, Optional, Union

from . import _native
from ._convert import record
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
    "read_xes",
    "from_arrow",
    "from_pandas",
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
        return Profile.from_dict(json.loads(self._native.profile()))

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
