"""The native extension (Rust, pyo3): documents and results cross as JSON text; event logs stay
native (``_EventLog``) and come in as XES files or Arrow C streams.

Every error is an exception of its own class under :class:`JourneyStreamError` (a ``ValueError``)
with ``kind``, ``path`` and ``file`` attributes.
"""

from typing import Any, Callable, Dict, List, Optional, Tuple

__all__ = [
    "__version__",
    "JourneyStreamError",
    "IoError",
    "ParseError",
    "UnknownReferenceError",
    "DuplicateIdError",
    "OutOfRangeError",
    "NegativeTimeError",
    "EmotionOutOfScaleError",
    "CycleWithoutExitError",
    "InvalidError",
    "MissingDataError",
    "InvalidArgumentError",
    "InputError",
    "load_json",
    "load_path",
    "problems",
    "measure",
    "project",
    "compare",
    "littles_law",
    "stage_preset",
    "text_report",
    "read_xes",
    "from_arrow",
    "read_table",
    "analyze",
    "bulk_fields",
    "column_address",
    "result_from_json",
    "render_map",
    "render_report",
    "render_profile",
    "render_flow",
    "render_chart",
]

__version__: str

class JourneyStreamError(ValueError):
    """Root of every journeystream error."""

    #: The snake_case error kind (``"duplicate_id"``).
    kind: str
    #: The JSON path of the offending field, where the error has one.
    path: Optional[str]
    #: The file the error was found in, where it came from one.
    file: Optional[str]

class IoError(JourneyStreamError):
    """A file could not be read or written."""

class ParseError(JourneyStreamError):
    """Not a well-formed document."""

class UnknownReferenceError(JourneyStreamError):
    """A field names an id the document does not define."""

class DuplicateIdError(JourneyStreamError):
    """The same id is defined twice."""

class OutOfRangeError(JourneyStreamError):
    """A number outside its field's range."""

class NegativeTimeError(JourneyStreamError):
    """A negative time."""

class EmotionOutOfScaleError(JourneyStreamError):
    """An emotion outside the declared scale."""

class CycleWithoutExitError(JourneyStreamError):
    """Steps that work can enter and never leave."""

class InvalidError(JourneyStreamError):
    """A value that breaks a rule of the model."""

class MissingDataError(JourneyStreamError):
    """A metric needs data the document does not give."""

class InvalidArgumentError(JourneyStreamError):
    """A function argument is wrong."""

class InputError(JourneyStreamError):
    """Bad input data in an event log: a malformed row, an unparseable timestamp, invalid XML."""

def load_json(text: str, file: Optional[str] = None) -> str:
    """Parses and validates a JSON document; returns it as canonical JSON."""

def load_path(path: str) -> str:
    """Reads, parses and validates a JSON document file; returns it as canonical JSON."""

def problems(text: str) -> List[Tuple[str, Optional[str], str]]:
    """Every problem of a JSON document as a list of ``(kind, path, message)``."""

def measure(document: str, rework: str = "single_pass") -> str:
    """Measures the value stream of a document; ``rework`` is ``"single_pass"`` or
    ``"geometric"``. Returns the metrics as JSON."""

def project(document: str) -> str:
    """Applies the document's plan: ``{"map": ..., "applied": [...]}`` as JSON."""

def compare(before: str, after: str) -> str:
    """Compares two metrics (JSON from ``measure``); returns the comparison as JSON."""

def littles_law(
    wip: Optional[float] = None,
    throughput_per_day: Optional[float] = None,
    lead_time_days: Optional[float] = None,
) -> Tuple[float, float, float]:
    """Little's law from exactly two of the three: ``(wip, throughput_per_day, lead_time_days)``."""

def stage_preset(name: str) -> str:
    """The stages of a preset (``"five_stage"``, ``"three_stage"``) as JSON."""

def text_report(document: str, metrics: str, comparison: Optional[str] = None) -> str:
    """The text report of a document's metrics (and of a comparison, when given)."""

class _EventLog:
    """A native event log (wrapped by :class:`journeystream.EventLog`); not built directly."""

    def num_cases(self) -> int:
        """Number of cases."""

    def num_events(self) -> int:
        """Number of events."""

    def activities(self) -> List[str]:
        """The names of the activities that occur, in first-seen order."""

    def filter(self, filter: str) -> "_EventLog":
        """A new log with what the filter (JSON) keeps."""

    def equals(self, other: "_EventLog") -> bool:
        """Whether both hold the same events, attributes and dictionaries."""

    def to_table(self) -> "_Table":
        """The log as one Arrow table (the layout ``from_arrow`` reads back)."""

def read_xes(
    path: str, skip_bad_rows: bool = False, progress: Optional[Callable[[int], Any]] = None
) -> Tuple[_EventLog, int, int, List[str]]:
    """Reads an XES file (``.xes`` or ``.xes.gz``): ``(log, rows_read, rows_skipped,
    [messages of the first skipped rows])``."""

def from_arrow(
    data: Any,
    case: str,
    activity: str,
    timestamp: str,
    start_timestamp: Optional[str] = None,
    attributes: Optional[List[str]] = None,
    case_attributes: List[str] = ...,
) -> _EventLog:
    """Builds a log from an object with ``__arrow_c_stream__``: the named columns, and as
    attributes every other column (``attributes`` None), none (``[]``) or those listed;
    ``case_attributes`` are case attributes under their own names."""

def read_table(
    path: str, format: str, settings: str, progress: Optional[Callable[[int], Any]] = None
) -> Tuple[_EventLog, int, int, List[str]]:
    """Reads a CSV or JSON Lines file (``format`` ``"csv"`` or ``"jsonl"``, plain or gzipped) with
    reader settings as JSON: ``(log, rows_read, rows_skipped, [skipped row errors])``."""

class _Table:
    """One table of a result, held natively as Arrow."""

    @property
    def name(self) -> str: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def column_names(self) -> List[str]: ...
    def __len__(self) -> int: ...
    def __arrow_c_stream__(self, requested_schema: Optional[object] = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...
    def rows(self, start: int = 0, stop: Optional[int] = None) -> List[Dict[str, Any]]: ...
    def column_floats(self, name: str) -> bytearray: ...
    def column_list(self, name: str) -> List[Any]: ...

class _Result:
    """The typed Rust result of one analysis."""

    @property
    def analysis(self) -> str: ...
    def to_json(self) -> str: ...
    def scalars(self) -> str: ...
    def table_names(self) -> List[str]: ...
    def table(self, name: str) -> _Table: ...

def result_from_json(analysis: str, text: str) -> _Result:
    """Reads a result of ``analysis`` back from its JSON, strictly."""

def bulk_fields(analysis: str) -> List[str]:
    """The array-shaped fields ``analysis`` takes as columns."""

def column_address(values: Any) -> int:
    """The address of the first value the column reader reads for ``values`` (numbers)."""

def analyze(request: str, log: Optional[_EventLog] = None, columns: Optional[Dict[str, Any]] = None) -> _Result:
    """Runs one analytic by name (a JSON request) over ``log`` or the request's own data; the
    result is JSON (computed without the GIL)."""

def render_map(document: str, kind: str, options: str) -> str:
    """A drawing of a document (``kind``: journey_map, blueprint, value_stream,
    value_stream_compare) as SVG; ``options`` is a JSON object of render options."""

def render_report(document: str, profile: Optional[str], options: str) -> str:
    """The HTML report of a document, with the flow graph of a profile (JSON) when given."""

def render_profile(profile: str, format: str, options: str) -> str:
    """The directly-follows graph of a profile (JSON) as ``format``: svg, dot or mermaid."""

def render_flow(document: str, format: str, options: str) -> str:
    """The flow of a document's value stream (steps, routes, rework) as ``format``: svg, dot or
    mermaid."""

def render_chart(kind: str, data: str, options: str) -> str:
    """A chart (``kind``: funnel, sankey, retention, bars, lines, ladder, kpi_series, personas) from its
    input as JSON (for kpi_series and personas: the analysis result), as SVG."""
