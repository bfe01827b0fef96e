"""Drawings: self-contained SVG pictures and an HTML report, drawn by the native library.

A map draws as a journey map, a service blueprint, a value stream map, or current vs future
value stream maps with the change of each summary metric; a log's :class:`~journeystream.Profile`
draws as its directly-follows graph (also as Graphviz DOT or Mermaid text). In Jupyter, maps and
profiles display themselves::

    import journeystream as js

    support = js.load("examples/support-journey.json")
    support                                      # the journey map, inline
    support.to_svg(kind="value_stream_compare")  # an SVG string
    support.save("support.html", profile=js.read_csv("examples/support-log.csv").profile())

Options (keyword arguments, all optional): ``font_size`` (8–24 px), ``max_lines`` (lines a
label wraps to, 1–8), ``labels`` (flow graphs: ``"frequency"`` or ``"performance"``),
``edge_threshold`` (flow graphs: keep edges with at least this share of the largest count, 0–1),
``title``. Every picture is deterministic and parses as XML; text is real ``<text>``.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, Literal, Optional, Union

from . import _native

if TYPE_CHECKING:
    from .log import Profile
    from .model import Map

#: The drawings of a map.
MapKind = Literal["journey_map", "blueprint", "value_stream", "value_stream_compare"]
#: The text formats of graphs.
GraphFormat = Literal["svg", "dot", "mermaid"]
KINDS = ("journey_map", "blueprint", "value_stream", "value_stream_compare")


class SVG(str):
    """An SVG document (a ``str``) that displays itself in Jupyter and saves to a file."""

    def _repr_svg_(self) -> str:
        return str(self)

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the SVG to ``path``."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self)


#: Options whose ``None`` means something (no title of one's own, every edge), passed as null.
_NULLABLE = ("title", "max_edges")


def _options(options: dict) -> str:
    return json.dumps({k: v for k, v in options.items() if v is not None or k in _NULLABLE})


def default_kind(map: "Map") -> str:
    """The drawing a map shows by default: its journey map, else its value stream (current vs
    future when it has a plan)."""
    if map.journey is not None:
        return "journey_map"
    if map.plan is not None:
        return "value_stream_compare"
    return "value_stream"


def map_svg(map: "Map", kind: Optional[MapKind] = None, **options: Any) -> SVG:
    """A drawing of ``map`` as SVG (``kind`` defaults to :func:`default_kind`)."""
    return SVG(_native.render_map(map.to_json(), kind or default_kind(map), _options(options)))


def map_html(map: "Map", profile: Optional["Profile"] = None, **options: Any) -> str:
    """The HTML report of ``map`` (journey map, blueprint, value stream map current vs future)
    with the flow graph of ``profile`` when given: one self-contained page."""
    p = json.dumps(profile.to_dict()) if profile is not None else None
    return _native.render_report(map.to_json(), p, _options(options))


def map_flow(map: "Map", format: GraphFormat = "svg", **options: Any) -> str:
    """The flow of the map's value stream (steps, routes with shares, rework) as ``format``."""
    text = _native.render_flow(map.to_json(), format, _options(options))
    return SVG(text) if format == "svg" else text


def profile_graph(profile: "Profile", format: GraphFormat = "svg", **options: Any) -> str:
    """The directly-follows graph of ``profile`` as ``format`` (``"svg"``, ``"dot"``, ``"mermaid"``).

    A big graph is thinned to ``max_edges`` (default 40; ``None`` draws every edge): the most
    frequent edges, always keeping each activity's most frequent incoming and outgoing one; the
    title says how many of how many are drawn. ``edge_threshold`` (0–1 of the largest count) drops
    rare edges first."""
    text = _native.render_profile(json.dumps(profile.to_dict()), format, _options(options))
    return SVG(text) if format == "svg" else text


def save_map(map: "Map", path: Union[str, "os.PathLike[str]"], kind: Optional[MapKind] = None,
             profile: Optional["Profile"] = None, **options: Any) -> None:
    """Writes ``map`` by the file's extension: ``.html`` the report, ``.svg`` one drawing,
    ``.dot`` / ``.mmd`` the value stream's flow, ``.json`` the document."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext in (".html", ".htm"):
        text = map_html(map, profile, **options)
    elif ext == ".svg":
        text = map_svg(map, kind, **options)
    elif ext in (".dot", ".gv"):
        text = map_flow(map, "dot", **options)
    elif ext in (".mmd", ".mermaid"):
        text = map_flow(map, "mermaid", **options)
    elif ext == ".json":
        text = map.to_json() + "\n"
    else:
        raise ValueError(f"cannot tell what to write from the extension of {os.fspath(path)!r}: "
                         "use .html, .svg, .dot, .mmd or .json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def save_profile(profile: "Profile", path: Union[str, "os.PathLike[str]"], **options: Any) -> None:
    """Writes the directly-follows graph by the file's extension: ``.svg``, ``.dot``, ``.mmd``,
    or ``.html`` (a page holding the SVG)."""
    ext = os.path.splitext(os.fspath(path))[1].lower()
    formats = {".svg": "svg", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid"}
    if ext in (".html", ".htm"):
        text = _page(profile_graph(profile, "svg", **options))
    elif ext in formats:
        text = profile_graph(profile, formats[ext], **options)
    else:
        raise ValueError(f"cannot tell what to write from the extension of {os.fspath(path)!r}: "
                         "use .svg, .dot, .mmd or .html")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def funnel(steps: Any, **options: Any) -> SVG:
    """A funnel chart from ``[(step, count), ...]`` in funnel order (or a ``{step: count}`` dict)."""
    pairs = list(steps.items()) if isinstance(steps, dict) else [tuple(s) for s in steps]
    data = {"steps": [[str(name), int(n)] for name, n in pairs]}
    return SVG(_native.render_chart("funnel", json.dumps(data), _options(options)))


def sankey(links: Any, **options: Any) -> SVG:
    """A path Sankey from ``[(source, target, value), ...]``."""
    data = {"links": [{"source": str(s), "target": str(t), "value": float(v)} for s, t, v in links]}
    return SVG(_native.render_chart("sankey", json.dumps(data), _options(options)))


def retention(cohorts: Any, periods: Any, values: Any, **options: Any) -> SVG:
    """A retention heat map: ``values[i][k]`` is the share (0–1, or None) of cohort ``i`` active in
    period ``k``."""
    data = {"cohorts": [str(c) for c in cohorts], "periods": [str(p) for p in periods],
            "values": [[None if v is None else float(v) for v in row] for row in values]}
    return SVG(_native.render_chart("retention", json.dumps(data), _options(options)))


def bars(rows: Any, format: Literal["share", "number", "seconds"] = "number", **options: Any) -> SVG:
    """Labelled values as bars: ``[(label, value), ...]`` or ``[(label, value, low, high), ...]``
    (an interval drawn as a whisker); ``format`` reads values as shares (percentages), numbers or
    seconds."""
    data_rows = []
    for r in rows:
        label, value, *interval = r
        row = {"label": str(label), "value": float(value)}
        if len(interval) == 2 and interval[0] is not None and interval[1] is not None:
            row["low"], row["high"] = float(interval[0]), float(interval[1])
        data_rows.append(row)
    data = {"rows": data_rows, "format": format}
    return SVG(_native.render_chart("bars", json.dumps(data), _options(options)))


def lines(series: Dict[str, Any], x_label: str = "", y_label: str = "", **options: Any) -> SVG:
    """Lines on shared axes: ``{name: [(x, y), ...]}``."""
    data = {"x_label": x_label, "y_label": y_label,
            "series": [{"name": str(n), "points": [[float(x), float(y)] for x, y in pts]} for n, pts in series.items()]}
    return SVG(_native.render_chart("lines", json.dumps(data), _options(options)))


def ladder(steps: Any, day_length: Optional[float] = None, **options: Any) -> SVG:
    """The lead-time ladder from ``[(step, wait_seconds, process_seconds), ...]`` in flow order,
    with lead time, process time and activity ratio."""
    data: Dict[str, Any] = {"steps": [{"name": str(n), "wait": float(w), "process": float(p)} for n, w, p in steps]}
    if day_length is not None:
        data["day_length"] = float(day_length)
    return SVG(_native.render_chart("ladder", json.dumps(data), _options(options)))


def chart(kind: str, data: Dict[str, Any], **options: Any) -> SVG:
    """A chart by its name from its input as a dict: ``kpi_series`` (a :class:`KpiSeries` as
    :meth:`~journeystream.Result.to_dict`), or any of the kinds above in their JSON form."""
    return SVG(_native.render_chart(kind, json.dumps(data), _options(options)))


def _page(svg: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Flow graph</title>"
            "</head><body>\n" + svg + "</body></html>\n")


def inline_html(svg: str) -> str:
    """An SVG wrapped for a notebook cell: scrolls sideways when wider than the cell."""
    return '<div style="overflow-x:auto;max-width:100%">' + svg + "</div>"


def repr_svg(draw: Any) -> Optional[str]:
    """``draw()`` for Jupyter's ``_repr_svg_``: None (text display) when it cannot be drawn."""
    try:
        return str(draw())
    except (ValueError, KeyError, TypeError):
        return None


__all__ = ["SVG", "KINDS", "MapKind", "GraphFormat", "default_kind", "map_svg", "map_html", "map_flow",
           "profile_graph", "save_map", "save_profile", "inline_html", "repr_svg", "funnel", "sankey",
           "retention", "bars", "lines", "ladder"]
