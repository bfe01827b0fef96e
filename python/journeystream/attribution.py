"""Multi-touch attribution: which channels earned the conversions.

Input is a path table in ChannelAttribution's layout (a DataFrame or rows with ``path``
``"a > b > c"``, ``total_conversions``, ``total_conversion_value``, ``total_null``), or an
:class:`~journeystream.EventLog` whose cases are customer journeys::

    import journeystream as js

    a = js.attribution("markov", paths=df, order=2)          # df: ChannelAttribution's Data
    a.to_pandas()                                            # conversions, value, shares per channel

    log = js.read_csv("events.csv")                          # a `channel` column per event
    js.attribution("u_shaped", log=log, conversion="purchase", value_attribute="revenue")
    js.attribution("time_decay", log=log, conversion="purchase", half_life=7 * 86400)
    js.path_table(log, conversion={"case_attribute": "converted"})

Models: ``first_touch``, ``last_touch``, ``linear``, ``u_shaped`` (40/20/40), ``j_shaped``
(20/20/60), ``inverse_j`` (60/20/20), ``position`` (``first``, ``last`` shares), ``time_decay``
(``half_life`` seconds; log only), ``markov`` (``order``, exact removal effects) and ``shapley``
(simplified Shapley, up to 20 channels). Definitions: ``docs/metrics.md``, "Attribution". The
computation is native; this module only builds the request and types the result.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence, Union

from ._args import seconds
from ._convert import record
from .log import EventLog, analyze
from .results import Result, _pandas

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "Model",
    "ChannelCredit",
    "MarkovSummary",
    "Attribution",
    "attribution",
    "path_table",
]

#: The attribution models.
Model = Literal[
    "first_touch",
    "last_touch",
    "linear",
    "u_shaped",
    "j_shaped",
    "inverse_j",
    "time_decay",
    "position",
    "markov",
    "shapley",
]

#: How repeated channels in a path count: every touch (``keep``, ChannelAttribution's way),
#: consecutive repeats merged (``collapse``), or only each channel's first touch (``first``).
Repeats = Literal["keep", "collapse", "first"]

_COLUMNS = ["path", "total_conversions", "total_conversion_value", "total_null"]


@record(frozen=True)
class ChannelCredit(Result):
    """One channel's credit: ``conversions`` and ``value`` attributed to it; for the Markov model
    its ``removal_effect`` (1 − P(conversion without it) ÷ P(conversion)) and
    ``value_removal_effect`` (the same for the expected value), None for other models."""

    channel: str
    conversions: float
    value: float
    removal_effect: Optional[float]
    value_removal_effect: Optional[float]


@record(frozen=True)
class MarkovSummary(Result):
    """The Markov chain: its ``order``, transient ``states`` besides (start), the probability that
    a journey converts and its expected conversion value."""

    order: int
    states: int
    conversion_probability: float
    value_per_journey: float


@record(frozen=True)
class Attribution(Result):
    """The result of a model: every channel (sorted by name) and the input's totals. Conversions
    of journeys without any touch are ``unattributed_conversions`` (no channel gets them);
    ``conversions_without_value`` counts log conversions whose value attribute was missing."""

    model: str
    channels: List[ChannelCredit]
    total_conversions: float
    total_conversion_value: float
    total_null: float
    unattributed_conversions: float
    unattributed_value: float
    conversions_without_value: int
    markov: Optional[MarkovSummary]

    def channel(self, name: str) -> Optional[ChannelCredit]:
        """The credit of one channel, or None when the input has no such channel."""
        return next((c for c in self.channels if c.channel == name), None)

    def to_svg(self, **options: Any) -> str:
        """Each channel's share of the attributed conversions, largest first."""
        from . import render

        total = sum(c.conversions for c in self.channels)
        if total <= 0:
            raise ValueError("nothing attributed")
        rows = sorted(((c.channel, c.conversions / total) for c in self.channels), key=lambda r: -r[1])
        options.setdefault("title", f"Attribution ({self.model}): share of {total:g} conversions")
        return render.bars(rows, "share", **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()

    def to_pandas(self) -> "pandas.DataFrame":
        """A DataFrame indexed by channel: ``conversions``, ``value``, ``conversion_share`` and
        ``value_share`` (fractions of the attributed totals; NaN when nothing was attributed),
        ``removal_effect`` and ``value_removal_effect`` (NaN but for the Markov model)."""
        pd = _pandas()
        nan = float("nan")
        conv = sum(c.conversions for c in self.channels)
        value = sum(c.value for c in self.channels)
        rows = self.channels
        return pd.DataFrame(
            {
                "channel": [c.channel for c in rows],
                "conversions": pd.Series([c.conversions for c in rows], dtype="float64"),
                "value": pd.Series([c.value for c in rows], dtype="float64"),
                "conversion_share": pd.Series(
                    [c.conversions / conv if conv > 0 else nan for c in rows], dtype="float64"
                ),
                "value_share": pd.Series([c.value / value if value > 0 else nan for c in rows], dtype="float64"),
                "removal_effect": pd.Series(
                    [nan if c.removal_effect is None else c.removal_effect for c in rows], dtype="float64"
                ),
                "value_removal_effect": pd.Series(
                    [nan if c.value_removal_effect is None else c.value_removal_effect for c in rows],
                    dtype="float64",
                ),
            }
        ).set_index("channel")


def _no_nan(x: Any) -> Any:
    """A missing number (NaN in a frame) as None: the native reader counts it 0."""
    return None if isinstance(x, float) and x != x else x


def _paths(paths: Any) -> Any:
    """The path table for the request: a frame (pandas, polars, pyarrow; ChannelAttribution's
    column names, the value and null columns optional) as columns, which cross as arrays (a
    missing total, NaN or null, counts 0, as in rows); a sequence of rows (lists or dicts) as it
    is."""
    names = getattr(paths, "column_names", None) or getattr(paths, "columns", None)  # pyarrow, others
    if names is None or not hasattr(paths, "__getitem__"):
        return list(paths)
    names = list(names)
    missing = [c for c in _COLUMNS[:2] if c not in names]
    if missing:
        raise KeyError(f"the path table has no column {missing[0]!r} (columns: {names})")
    out: Dict[str, Any] = {"path": paths["path"]}
    for c in _COLUMNS[1:]:
        if c in names:
            col = paths[c]
            module = type(col).__module__
            if module.startswith("pandas"):
                col = col.fillna(0)
            elif module.startswith("polars"):
                col = col.fill_null(0).fill_nan(0) if col.dtype.is_float() else col.fill_null(0)
            elif module.startswith("pyarrow"):
                import pyarrow.compute

                col = pyarrow.compute.fill_null(col, 0)
            out[c] = col
    return out


def _journeys(
    conversion: Union[str, Dict[str, Any], None],
    channel_attribute: Optional[str],
    channel_from_activity: bool,
    value_attribute: Optional[str],
) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    if conversion is not None:
        out["conversion"] = {"activity": conversion} if isinstance(conversion, str) else conversion
    if channel_attribute is not None:
        out["channel_attribute"] = channel_attribute
    if channel_from_activity:
        out["channel_from_activity"] = True
    if value_attribute is not None:
        out["value_attribute"] = value_attribute
    return out


def attribution(
    model: Model,
    paths: Any = None,
    log: Optional[EventLog] = None,
    *,
    separator: Optional[str] = None,
    conversion: Union[str, Dict[str, Any], None] = None,
    channel_attribute: Optional[str] = None,
    channel_from_activity: bool = False,
    value_attribute: Optional[str] = None,
    repeats: Repeats = "keep",
    half_life: Union[float, datetime.timedelta, None] = None,
    first: Optional[float] = None,
    last: Optional[float] = None,
    order: Optional[int] = None,
) -> Attribution:
    """Runs one attribution model.

    Give either ``paths`` (a path table: a DataFrame with ``path``, ``total_conversions`` and
    optionally ``total_conversion_value``, ``total_null``; or rows ``[path, conversions, value,
    nulls]``; channels in a path split by ``separator``, default ``">"``) or ``log`` with
    ``conversion``: an activity name, or ``{"case_attribute": name}``, or ``{"event_attribute":
    {"name": n, "value": v}}``. Touches are the events' ``channel`` attribute (another with
    ``channel_attribute``, or the activities with ``channel_from_activity=True``); the conversion
    value comes from the number attribute ``value_attribute``.

    Parameters of models: ``first`` and ``last`` shares (``position``), ``half_life`` in seconds or a
    timedelta (``time_decay``), ``order`` (``markov``, default 1). A bad row raises
    :class:`journeystream.InvalidError` naming it (``paths[3].total_null``).
    """
    request: Dict[str, Any] = {"analysis": "attribution", "model": model}
    if paths is not None:
        request["paths"] = _paths(paths)
    if separator is not None:
        request["separator"] = separator
    request.update(_journeys(conversion, channel_attribute, channel_from_activity, value_attribute))
    if repeats != "keep":
        request["repeats"] = repeats
    if half_life is not None:
        request["half_life"] = seconds(half_life, "half_life")
    if first is not None:
        request["first"] = float(first)
    if last is not None:
        request["last"] = float(last)
    if order is not None:
        request["order"] = int(order)
    return Attribution.from_dict(analyze(request, log))


def path_table(
    log: EventLog,
    conversion: Union[str, Dict[str, Any]],
    *,
    channel_attribute: Optional[str] = None,
    channel_from_activity: bool = False,
    value_attribute: Optional[str] = None,
    repeats: Repeats = "keep",
    separator: str = " > ",
) -> "pandas.DataFrame":
    """The path table of a log's journeys, in ChannelAttribution's layout (``path``,
    ``total_conversions``, ``total_conversion_value``, ``total_null``; one row per distinct path,
    in first-seen order; journeys without touches have the empty path). Parameters as for
    :func:`attribution`."""
    pd = _pandas()
    request: Dict[str, Any] = {"analysis": "attribution_paths", "separator": separator}
    request.update(_journeys(conversion, channel_attribute, channel_from_activity, value_attribute))
    if repeats != "keep":
        request["repeats"] = repeats
    rows: Sequence[Dict[str, Any]] = analyze(request, log)
    return pd.DataFrame(
        {
            "path": pd.Series([r["path"] for r in rows], dtype="object"),
            "total_conversions": pd.Series([r["total_conversions"] for r in rows], dtype="float64"),
            "total_conversion_value": pd.Series([r["total_conversion_value"] for r in rows], dtype="float64"),
            "total_null": pd.Series([r["total_null"] for r in rows], dtype="float64"),
        }
    )
