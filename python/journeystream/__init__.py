"""journeystream: customer-journey and value-stream analytics.

Load a map document (a journey, the value stream behind it and a plan to change it), measure it,
project the plan and compare current and future state::

    import journeystream as js

    current = js.load("examples/support-journey.json")
    metrics = current.measure()                 # durations in seconds, ratios as fractions
    future = current.project().map
    change = js.compare(metrics, future.measure())
    print(current.report(future))

Event logs (XES files, or any Arrow table: pyarrow, pandas, polars, DuckDB) are profiled
natively: ``js.read_xes(path).profile().dfg_frame()``. Customer KPIs with confidence intervals
(``js.nps(scores)``, ``js.kpi("csat", ...)``, ``js.kpi_compare(...)``), moments of truth and the
emotion curve of a log (``js.moments_of_truth(log, {"activity": "buy"})``,
``js.emotion_curve(log, "sentiment")``) live in :mod:`journeystream.kpi`; funnels, the transition
graph, the step matrix, top paths and retention cohorts (``js.funnel(log, ["visit", "buy"])``) in
:mod:`journeystream.journey`; multi-touch attribution (``js.attribution("markov", paths=df)``) in
:mod:`journeystream.attribution`; the RFM summary and the BG/NBD, Pareto/NBD and Gamma-Gamma
lifetime-value models (``js.clv_fit("bg_nbd", data=summary)``) in :mod:`journeystream.clv`.
Maps and profiles draw themselves (``map.to_svg()``, ``map.save("map.html")``, pictures in
Jupyter); charts are in :mod:`journeystream.render`.

Documents can also be built from Python objects (``js.Map(value_stream=js.ValueStream(...))``);
the native library validates them when they are measured, projected or validated. Every error is
a :class:`JourneyStreamError` (a ``ValueError``) of a class per kind, with ``kind``, ``path`` (the
JSON path of the bad field) and ``file`` attributes.
"""

from __future__ import annotations

import json
import os
from typing import List, Union

from . import _native, render
from ._native import (
    CycleWithoutExitError,
    DuplicateIdError,
    EmotionOutOfScaleError,
    InvalidArgumentError,
    InputError,
    InvalidError,
    IoError,
    JourneyStreamError,
    MissingDataError,
    NegativeTimeError,
    OutOfRangeError,
    ParseError,
    UnknownReferenceError,
)
from .attribution import (
    Attribution,
    ChannelCredit,
    MarkovSummary,
    attribution,
    path_table,
)
from .filters import Filter
from .journey import (
    AnchorPaths,
    Cohort,
    Funnel,
    FunnelGroup,
    FunnelStep,
    GraphEdge,
    GraphNode,
    PathCount,
    Retention,
    StepMatrix,
    StepRow,
    TimeStats,
    TopPaths,
    TransitionGraph,
    funnel,
    retention,
    step_matrix,
    top_paths,
    transition_graph,
)
from .clv import (
    ClvFit,
    ClvPredictions,
    RfmSummary,
    clv_fit,
    clv_predict,
    rfm_summary,
)
from .kpi import (
    DeclaredMoment,
    Effect,
    EmotionCurve,
    KpiComparison,
    KpiEstimate,
    KpiResult,
    MomentsOfTruth,
    Percentile,
    Rate,
    StageEmotion,
    TouchpointImpact,
    ces,
    csat,
    emotion_curve,
    kpi,
    kpi_compare,
    moments_of_truth,
    nps,
)
from .table import AnalysisResult, Row, Table
from .log import (
    ActivityStatsTable,
    Arrivals,
    Calibration,
    EventLog,
    Profile,
    ReadReport,
    StageDwellTable,
    analyze,
    evaluate,
    from_arrow,
    from_pandas,
    read_csv,
    read_jsonl,
    read_xes,
)
from .monitor import (
    Alert,
    Change,
    ChangePoints,
    ChartPoint,
    ChartSignal,
    ControlChart,
    KpiMonitor,
    KpiSeries,
    Personas,
    Segment,
    SegmentSeries,
    SeriesPoint,
    SeriesTarget,
    change_points,
    control_chart,
    kpi_series,
    personas,
    process_drift,
)
from .model import (
    AvailableTime,
    DayBasis,
    Demand,
    EmotionScale,
    Initiative,
    Inventory,
    Journey,
    KpiTarget,
    Lane,
    Map,
    MomentOfTruth,
    Opportunity,
    PainPoint,
    Persona,
    Plan,
    Polarity,
    Problem,
    ReworkLoop,
    ReworkModel,
    Route,
    Stage,
    Step,
    Time,
    TimeBasis,
    Touchpoint,
    ValueClass,
    ValueStream,
    WasteType,
)
from .results import (
    AppliedEffect,
    Bottleneck,
    BottleneckBasis,
    Comparison,
    GroupMetrics,
    LittlesLaw,
    MetricChange,
    MomentMetrics,
    Projection,
    StepMetrics,
    ValueStreamMetrics,
    compare,
    littles_law,
)

__version__: str = _native.__version__

#: The exception class of each error kind (``exception.kind``).
ERRORS_BY_KIND = {
    "io": IoError,
    "parse": ParseError,
    "unknown_reference": UnknownReferenceError,
    "duplicate_id": DuplicateIdError,
    "out_of_range": OutOfRangeError,
    "negative_time": NegativeTimeError,
    "emotion_out_of_scale": EmotionOutOfScaleError,
    "cycle_without_exit": CycleWithoutExitError,
    "invalid": InvalidError,
    "missing_data": MissingDataError,
    "invalid_argument": InvalidArgumentError,
    "input": InputError,
}


def load(path: Union[str, "os.PathLike[str]"]) -> Map:
    """Reads, parses and validates a JSON document file. Errors name the file (``file``);
    a file that cannot be read raises :class:`IoError`."""
    return Map.from_dict(json.loads(_native.load_path(os.fspath(path))))


def loads(text: Union[str, bytes]) -> Map:
    """Parses and validates a JSON document."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8")
    return Map.from_dict(json.loads(_native.load_json(text)))


def dumps(map: Map) -> str:
    """The document as pretty JSON, in the canonical form (same as ``map.to_json()``)."""
    return map.to_json()


def stage_preset(name: str) -> List[Stage]:
    """The empty stages of a preset: ``"five_stage"`` (awareness, consideration, purchase,
    retention, advocacy) or ``"three_stage"`` (pre-purchase, purchase, post-purchase)."""
    return [Stage.from_dict(s) for s in json.loads(_native.stage_preset(name))]


__all__ = [
    "__version__",
    "load",
    "loads",
    "dumps",
    "compare",
    "littles_law",
    "stage_preset",
    "analyze",
    "ERRORS_BY_KIND",
    # documents
    "Map",
    "Problem",
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
    # vocabularies
    "Time",
    "Polarity",
    "Lane",
    "ValueClass",
    "WasteType",
    "DayBasis",
    "ReworkModel",
    "BottleneckBasis",
    # results
    "ValueStreamMetrics",
    "StepMetrics",
    "GroupMetrics",
    "MomentMetrics",
    "Bottleneck",
    "Comparison",
    "MetricChange",
    "Projection",
    "AppliedEffect",
    "LittlesLaw",
    # event logs
    "EventLog",
    "read_xes",
    "read_csv",
    "read_jsonl",
    "from_arrow",
    "from_pandas",
    "ReadReport",
    "evaluate",
    "AnalysisResult",
    "Table",
    "Row",
    "Profile",
    "ActivityStatsTable",
    "Arrivals",
    "StageDwellTable",
    "Calibration",
    # attribution
    "attribution",
    "path_table",
    "Attribution",
    "ChannelCredit",
    "MarkovSummary",
    # customer KPIs, moments of truth, emotion curve
    "kpi",
    "nps",
    "csat",
    "ces",
    "kpi_compare",
    "moments_of_truth",
    "emotion_curve",
    "KpiResult",
    "KpiEstimate",
    "Percentile",
    "KpiComparison",
    "MomentsOfTruth",
    "TouchpointImpact",
    "Rate",
    "Effect",
    "DeclaredMoment",
    "EmotionCurve",
    "StageEmotion",
    # journeys: funnels, paths, retention
    "funnel",
    "Filter",
    "transition_graph",
    "step_matrix",
    "top_paths",
    "retention",
    "Funnel",
    "FunnelStep",
    "FunnelGroup",
    "TimeStats",
    "TransitionGraph",
    "GraphNode",
    "GraphEdge",
    "StepMatrix",
    "StepRow",
    "TopPaths",
    "PathCount",
    "AnchorPaths",
    "Retention",
    "Cohort",
    # lifetime value
    "rfm_summary",
    "clv_fit",
    "clv_predict",
    "RfmSummary",
    "ClvFit",
    "ClvPredictions",
    # monitoring
    "change_points",
    "ChangePoints",
    "Segment",
    "control_chart",
    "ControlChart",
    "ChartPoint",
    "ChartSignal",
    "kpi_series",
    "KpiSeries",
    "KpiMonitor",
    "SeriesPoint",
    "SegmentSeries",
    "SeriesTarget",
    "Change",
    "Alert",
    "personas",
    "Personas",
    "process_drift",
    # errors
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
    # drawings
    "render",
]
