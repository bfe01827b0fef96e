"""How results show in Jupyter: a chart where one suits, and a table.

Every result class mixes in :class:`Displayed`. A class whose result reads best as a picture
defines ``_chart()`` (an SVG, or None when there is nothing to draw): a funnel draws its bars, a
retention its heat map, an attribution its channels' shares, a KPI its estimates with intervals, a
comparison before and after, value-stream metrics their lead-time ladder, CLV predictions the
model against the observed customers. Jupyter then shows the chart above the result's table
(``_repr_html_``), or the chart alone where only SVG is taken (``_repr_svg_``). The table is the
result's ``to_pandas()`` when pandas is installed, else its fields.
"""

from __future__ import annotations

import html
import json
from typing import Any, Dict, List, Optional

#: Rows of a table shown before "... n rows".
ROWS = 20


class Displayed:
    """Jupyter display for result classes: ``_chart()`` (override) and a table."""

    __slots__ = ()

    def _chart(self) -> Optional[str]:
        return None

    def _repr_svg_(self) -> Optional[str]:
        return _drawn(self)

    def _repr_html_(self) -> str:
        svg = _drawn(self)
        chart = "" if svg is None else '<div style="overflow-x:auto;max-width:100%">' + svg + "</div>"
        return chart + table_html(self)


def _drawn(result: Any) -> Optional[str]:
    try:
        svg = result._chart()
    except (ValueError, KeyError, TypeError, IndexError):
        return None  # not drawable (an empty result): the table shows it
    return None if svg is None else str(svg)


def table_html(result: Any) -> str:
    """The result as an HTML table: its ``to_pandas()`` with pandas, else its fields."""
    to_pandas = getattr(result, "to_pandas", None)
    if to_pandas is not None:
        try:
            frame = to_pandas()
        except (ImportError, ValueError, KeyError, TypeError):
            pass  # no pandas, or no frame of this result: its fields below
        else:
            return str(frame.to_html(max_rows=ROWS, float_format=lambda v: f"{v:.6g}"))
    if hasattr(result, "table_names"):  # held natively: its scalars, then each table
        parts = [fields_html(result._scalars())] if result._scalars() else []
        for name in result.table_names():
            parts.append(f"<p><b>{html.escape(name)}</b></p>" + result.table(name)._repr_html_())
        return "".join(parts)
    if hasattr(result, "to_dict"):
        return fields_html(result.to_dict())
    return f"<pre>{html.escape(repr(result))}</pre>"


def fields_html(data: Dict[str, Any]) -> str:
    """A dict as a two-column table; lists of records as nested tables (first :data:`ROWS`)."""
    rows = []
    for key, value in data.items():
        rows.append(f"<tr><th style=\"text-align:left\">{html.escape(str(key))}</th><td>{_cell(value)}</td></tr>")
    return "<table>" + "".join(rows) + "</table>"


def _cell(value: Any) -> str:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return _records(value)
    if isinstance(value, dict):
        return fields_html(value)
    text = json.dumps(value) if isinstance(value, list) else str(value)
    return html.escape(text if len(text) <= 120 else text[:117] + "...")


def _records(items: List[Dict[str, Any]]) -> str:
    columns = list(dict.fromkeys(k for item in items for k in item))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(item.get(c))}</td>" for c in columns) + "</tr>" for item in items[:ROWS]
    )
    more = f"<tr><td colspan=\"{len(columns)}\">... {len(items)} rows</td></tr>" if len(items) > ROWS else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}{more}</tbody></table>"
