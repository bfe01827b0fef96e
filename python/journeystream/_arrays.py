"""Array-shaped inputs (scores, segments, durations, a fit's columns) made ready to cross into
Rust without JSON: numpy arrays and Arrow arrays pass as they are (read in place), pandas and
polars Series as their numpy or Arrow arrays, other iterables as lists. The native side checks
every value (a null, NaN, infinity, a non-number or an integer past 2^53 raises
:class:`journeystream.InvalidArgumentError` naming the field and the index)."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from . import _native


def prepare(values: Any) -> Any:
    """``values`` in a form the native column reader takes."""
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__array_interface__"):
        if hasattr(values, "__array_interface__") and values.ndim == 1 and not values.flags["C_CONTIGUOUS"]:
            import numpy

            return numpy.ascontiguousarray(values)
        return values
    module = type(values).__module__
    if module.startswith("pyarrow") and hasattr(values, "combine_chunks"):  # a ChunkedArray
        return values.combine_chunks()
    if module.startswith("polars"):
        if values.null_count():
            return values.to_list()  # the reader names the first null
        return values.to_numpy() if values.dtype.is_numeric() else prepare(values.to_arrow())
    if module.startswith("pandas"):
        if values.dtype == object:
            return prepare(values.to_numpy())  # strings read in place; a missing one named by index
        if str(values.dtype) in ("string", "str"):
            converted = _via_arrow(values)  # Arrow-backed text crosses without a copy
            if converted is not None:
                return converted
        if values.dtype == object or str(values.dtype) in ("string", "str", "category") or values.isna().any():
            return [None if missing else v for v, missing in zip(values.tolist(), values.isna().tolist())]
        return prepare(values.to_numpy())
    if isinstance(values, (list, tuple, str)):
        return values
    return list(values)


def _via_arrow(values: Any) -> Any:
    """A pandas object or string Series as an Arrow array (None and NaN become nulls, which the
    reader names), or None without pyarrow or for mixed values (then read item by item, so the
    reader names the odd one)."""
    try:
        import pyarrow
    except ImportError:
        return None
    try:
        converted = pyarrow.array(values, from_pandas=True)
    except (pyarrow.ArrowInvalid, pyarrow.ArrowTypeError):
        return None
    if isinstance(converted, pyarrow.ChunkedArray):
        converted = converted.combine_chunks()
    return converted


def split(request: Dict[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The request without its array-shaped fields, and those fields ready for the reader."""
    analysis = request.get("analysis")
    fields: List[str] = _native.bulk_fields(analysis) if isinstance(analysis, str) else []
    request = dict(request)
    columns: Dict[str, Any] = {}
    for f in fields:
        if "." in f:
            side, name = f.split(".", 1)
            part = request.get(side)
            if isinstance(part, dict) and part.get(name) is not None:
                part = dict(part)
                columns[f] = prepare(part.pop(name))
                if part:
                    request[side] = part
                else:
                    del request[side]
        elif request.get(f) is not None:
            columns[f] = prepare(request.pop(f))
    return request, columns
