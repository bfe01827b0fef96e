"""Analysis results held natively, and their tables as Arrow.

Every analysis returns an :class:`AnalysisResult`: a handle on the Rust result. Its scalars
(counts, rates, intervals) are attributes; each of its table-shaped parts (a DFG, the variants,
per-customer predictions, funnel steps, ...) is a :class:`Table`, which speaks the Arrow PyCapsule
interface (``__arrow_c_stream__``), so pyarrow, polars and DuckDB read it without copies::

    p = log.profile()
    p.cases                                  # a scalar
    pyarrow.table(p.dfg)                     # zero-copy
    polars.DataFrame(p.variants)
    duckdb.sql("select * from dfg order by count desc")   # with dfg = p.dfg in scope
    p.cases_by_duration.to_pandas()

Nothing is converted until asked for. A table's rows are also readable one by one
(``p.dfg[0].source``; nested records by attribute, ``p.variants[0].duration.mean``), which builds
Python objects for the rows read only. :meth:`AnalysisResult.to_dict` gives the whole result as
plain data, :meth:`AnalysisResult.to_json` as JSON text (the same the C and Rust APIs give).

Tables follow one rule, for every result: a sequence in the result is a table named by its path
(``dfg``, ``population_curve``, ``rows`` for a result that is itself a sequence); a sequence of
records has a column per field, nested records are struct columns and nested sequences list
columns; a sequence of scalars has one column, ``value``. Integers are int64, floats float64,
text utf8; durations are float seconds.
"""

from __future__ import annotations

import difflib
import json
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Iterator, List, Mapping, Optional, Tuple, Type, TypeVar, Union

from .display import Displayed

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import numpy  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import polars  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pyarrow  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = ["Row", "Table", "AnalysisResult"]

A = TypeVar("A", bound="AnalysisResult")

#: Rows built per native call while iterating a table.
_CHUNK = 4096


def _suggest(name: str, names: List[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3)
    if close:
        return "; did you mean " + " or ".join(repr(c) for c in close) + "?"
    return "; it has " + ", ".join(repr(n) for n in names) if names else ""


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return Row(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


class Row(Mapping[str, Any]):
    """One row of a table (or a record inside a result): fields by attribute (``row.count``) or
    key (``row["count"]``); nested records are rows, lists are lists. Equal to a row or dict with
    the same fields."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, name: str) -> Any:
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError(f"the row has no field {name!r}{_suggest(name, list(self._data))}") from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("rows are read-only")

    def __getitem__(self, key: str) -> Any:
        return _wrap(self._data[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Row):
            return self._data == other._data
        if isinstance(other, dict):
            return self._data == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def to_dict(self) -> Dict[str, Any]:
        """The row as plain data."""
        return json.loads(json.dumps(self._data))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._data.items())
        return f"Row({inner})"


class Table:
    """A table of a result, held natively as Arrow. Read it with any Arrow consumer
    (``pyarrow.table(t)``, ``polars.DataFrame(t)``, DuckDB), or with :meth:`to_arrow`,
    :meth:`to_polars`, :meth:`to_pandas`; index and iterate it for :class:`Row` objects."""

    __slots__ = ("_native",)

    def __init__(self, native: Any) -> None:
        self._native = native

    @property
    def name(self) -> str:
        """The table's path in the result (``dfg``, ``population_curve``, ``rows``)."""
        return str(self._native.name)

    @property
    def columns(self) -> List[str]:
        """The column names."""
        return list(self._native.column_names)

    def __len__(self) -> int:
        return int(self._native.num_rows)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._native.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> Any:
        return self._native.__arrow_c_schema__()

    def to_arrow(self) -> "pyarrow.Table":
        """A pyarrow Table sharing this table's buffers (needs pyarrow ≥ 14)."""
        pa = _require("pyarrow", "to_arrow()")
        return pa.table(self)

    def to_polars(self) -> "polars.DataFrame":
        """A polars DataFrame sharing this table's buffers."""
        pl = _require("polars", "to_polars()")
        return pl.DataFrame(self)

    def to_pandas(self, *, flatten: bool = True) -> "pandas.DataFrame":
        """A pandas DataFrame (through pyarrow). Struct columns are flattened into
        ``parent.child`` columns unless ``flatten=False``; integer columns with nulls are
        float64 with NaN, as pyarrow converts them."""
        table = self.to_arrow()
        if flatten:
            while any(_is_struct(f.type) for f in table.schema):
                table = table.flatten()
        return table.to_pandas()

    def frame(self, columns: List[str], index: Union[str, List[str], None] = None) -> "pandas.DataFrame":
        """A pandas DataFrame of ``columns`` (struct columns flattened as ``parent_child``), indexed
        by ``index``; a table without rows (and so without known columns) gives an empty frame of
        those columns."""
        pd = _require("pandas", "frames")
        keys = list(columns) + ([] if index is None else [index] if isinstance(index, str) else list(index))
        if self._native.column_names:
            df = self.to_pandas()
            df.columns = [c.replace(".", "_") for c in df.columns]
        else:
            df = pd.DataFrame(index=pd.RangeIndex(0))
        # A column the table lacks was null in every row (its type unknown): NaN.
        for c in keys:
            if c not in df.columns:
                df[c] = pd.Series(float("nan"), index=df.index, dtype="float64")
        df = df[keys]
        return df if index is None else df.set_index(index)

    def rows(self, start: int = 0, stop: Optional[int] = None) -> List[Row]:
        """Rows ``start`` to ``stop`` (end of the table by default) as :class:`Row` objects."""
        return [Row(r) for r in self._native.rows(start, stop)]

    def to_numpy(self, column: str) -> "numpy.ndarray":
        """The numeric column ``column`` as a float64 numpy array (nulls as NaN): one copy, no
        Python object per value, no pyarrow needed."""
        np = _require("numpy", "to_numpy()")
        return np.frombuffer(self._native.column_floats(column), dtype="float64")

    def column(self, name: str) -> List[Any]:
        """The column ``name`` as a list of Python values (a ``KeyError`` suggests the closest
        column)."""
        return list(self._native.column_list(name))

    def to_list(self) -> List[Any]:
        """Every row: :class:`Row` objects, or plain values for a table of one column ``value``."""
        if self.columns == ["value"]:
            return [r["value"] for r in self._native.rows(0, None)]
        return self.rows()

    def __getitem__(self, index: Union[int, slice]) -> Any:
        n = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step == 1:
                return self.rows(start, max(start, stop))
            return self.rows()[index]
        i = index + n if index < 0 else index
        if not 0 <= i < n:
            raise IndexError(f"row {index} of a table of {n} rows")
        return self.rows(i, i + 1)[0]

    def __iter__(self) -> Iterator[Row]:
        n = len(self)
        for start in range(0, n, _CHUNK):
            yield from self.rows(start, min(n, start + _CHUNK))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Table):
            return self.columns == other.columns and self._native.rows() == other._native.rows()
        if isinstance(other, list):
            return self.to_list() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Table({self.name!r}, rows={len(self)}, columns={self.columns})"

    def _repr_html_(self) -> str:
        import html

        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = ""
        for r in self._native.rows(0, 10):
            body += "<tr>" + "".join(f"<td>{html.escape(_short(v))}</td>" for v in r.values()) + "</tr>"
        more = f"<p>{len(self)} rows</p>" if len(self) > 10 else ""
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"


def _short(v: Any) -> str:
    text = json.dumps(v) if isinstance(v, (dict, list)) else str(v)
    return text if len(text) <= 80 else text[:77] + "..."


def _is_struct(t: Any) -> bool:
    import pyarrow

    return bool(pyarrow.types.is_struct(t))


def _require(module: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"journeystream: {what} needs {module}, which is not installed: pip install {module}") from e


class AnalysisResult(Displayed):
    """The result of an analysis, held natively: scalars are attributes, tables :class:`Table`
    objects (attributes too, by their name). Subclasses name the attributes for type checkers and
    add helpers; :func:`journeystream.evaluate` returns this class for any analysis."""

    __slots__ = ("_native", "_scalar_cache")

    #: Tables of one column ``value`` presented as plain lists.
    _lists: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, *_: Any, **__: Any) -> None:
        raise TypeError(f"{type(self).__name__} is returned by an analysis, not built directly")

    @classmethod
    def _wrap(cls: Type[A], native: Any) -> A:
        r = object.__new__(cls)
        object.__setattr__(r, "_native", native)
        object.__setattr__(r, "_scalar_cache", None)
        return r

    def _scalars(self) -> Dict[str, Any]:
        cached = self._scalar_cache
        if cached is None:
            cached = json.loads(self._native.scalars()) or {}
            object.__setattr__(self, "_scalar_cache", cached)
        return cached

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        names = self.table_names()
        if name in names:
            t = self.table(name)
            return t.to_list() if name in self._lists else t
        scalars = self._scalars()
        if name in scalars:
            return _wrap(scalars[name])
        raise AttributeError(
            f"{type(self).__name__} has no attribute {name!r}{_suggest(name, list(scalars) + names)}"
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def table_names(self) -> List[str]:
        """The names of the result's tables."""
        return list(self._native.table_names())

    def table(self, name: str) -> Table:
        """The table ``name`` (a ``KeyError`` names the tables the result has)."""
        return Table(self._native.table(name))

    def tables(self) -> Dict[str, Table]:
        """Every table by name."""
        return {n: self.table(n) for n in self.table_names()}

    def to_dict(self) -> Any:
        """The whole result as plain data (dicts and lists), as :func:`journeystream.analyze`
        returns it."""
        return json.loads(self._native.to_json())

    def to_json(self) -> str:
        """The whole result as JSON text."""
        return str(self._native.to_json())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, AnalysisResult):
            return type(self) is type(other) and bool(self._native == other._native)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        scalars = ", ".join(
            f"{k}={v!r}" for k, v in self._scalars().items() if not isinstance(v, (dict, list))
        )
        tables = ", ".join(f"{n}[{len(self.table(n))}]" for n in self.table_names())
        parts = [p for p in (scalars, f"tables: {tables}" if tables else "") if p]
        return f"{type(self).__name__}({'; '.join(parts)})"

