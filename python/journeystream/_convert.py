"""One generic converter between JSON-shaped dicts and the package's dataclasses.

Every document and result class is a dataclass whose field names, order and types mirror a Rust
struct. This module reads those fields and their type hints; no class has conversion code of its
own. The rules follow the Rust serde attributes:

* a class with ``_omit_none = True`` (the document classes) leaves out fields that are ``None``
  (Rust: ``skip_serializing_if = "Option::is_none"``); result classes write them as ``null``;
* a field whose metadata has ``skip_empty`` is left out when it is an empty list
  (Rust: ``skip_serializing_if = "is_empty"``); a missing one reads as ``[]``;
* every other field is always written, defaults included;
* a field named after a Python keyword has a trailing underscore and its JSON key in the metadata
  (``ReworkLoop.from_``, key ``"from"``);
* reading is strict: an unknown key, a missing required key, a value of the wrong type or a
  string outside a closed vocabulary (``Literal``) raises :class:`journeystream.ParseError`, created
  here in Python, whose ``kind`` is ``"parse"``, ``path`` the JSON path of the offending value
  (``value_stream.steps[0].proces_time``; ``None`` for the root) and ``file`` ``None``.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import typing
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar, Union, overload

from . import _native

T = TypeVar("T")

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda f: f

_NoneType = type(None)


# --------------------------------------------------------------------------------------------
# Errors


def parse_error(path: str, message: str) -> _native.ParseError:
    """A :class:`journeystream.ParseError` raised by Python code, shaped like the native ones."""
    err = _native.ParseError(f"{path}: {message}" if path else message)
    err.kind = "parse"
    err.path = path or None
    err.file = None
    return err


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean `{'true' if value else 'false'}`"
    if isinstance(value, int):
        return f"integer `{value}`"
    if isinstance(value, float):
        return f"floating point `{value}`"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return f"a {type(value).__name__}"


# --------------------------------------------------------------------------------------------
# Class description, computed once per class


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str  # the attribute
    key: str  # the JSON key: the name, or metadata "json" where the name is a Python keyword
    type: Any
    required: bool
    skip_empty: bool


_specs: Dict[type, Tuple[_Field, ...]] = {}


def spec(cls: type) -> Tuple[_Field, ...]:
    """The fields of a dataclass with their resolved type hints."""
    try:
        return _specs[cls]
    except KeyError:
        pass
    hints = typing.get_type_hints(cls, globalns=vars(sys.modules[cls.__module__]))
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        required = (
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        ) or f.default is _REQUIRED
        key = f.metadata.get("json", f.name)
        out.append(_Field(f.name, key, hints[f.name], required, bool(f.metadata.get("skip_empty"))))
    _specs[cls] = tuple(out)
    return _specs[cls]


def _optional_arg(tp: Any) -> Optional[Any]:
    """``X`` for ``Optional[X]``, else ``None``."""
    if typing.get_origin(tp) is Union:
        args = [a for a in typing.get_args(tp) if a is not _NoneType]
        if len(args) < len(typing.get_args(tp)):
            return Union[tuple(args)] if len(args) > 1 else args[0]
    return None


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in typing.get_args(tp))
    if origin in (list, List):
        return "a list"
    if origin in (dict, Dict):
        return "a map"
    if origin is Union:
        return " or ".join(_type_name(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return f"a {tp.__name__} object"
    return {str: "a string", float: "a number", int: "an integer", bool: "a boolean"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


# --------------------------------------------------------------------------------------------
# dataclass -> dict


def to_dict(obj: Any) -> Dict[str, Any]:
    """The object as a JSON-shaped dict, exactly as the Rust library serializes it."""
    cls = type(obj)
    omit_none = getattr(cls, "_omit_none", False)
    out: Dict[str, Any] = {}
    for f in spec(cls):
        value = getattr(obj, f.name)
        if value is None and omit_none:
            continue
        if f.skip_empty and isinstance(value, (list, tuple)) and not value:
            continue
        out[f.key] = _to_value(f.type, value)
    return out


def _to_value(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    inner = _optional_arg(tp)
    if inner is not None:
        tp = inner
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    if isinstance(value, (list, tuple)):
        args = typing.get_args(tp)
        item = args[0] if typing.get_origin(tp) in (list, List) and args else Any
        return [_to_value(item, v) for v in value]
    if isinstance(value, dict):
        args = typing.get_args(tp)
        item = args[1] if typing.get_origin(tp) in (dict, Dict) and len(args) == 2 else Any
        return {k: _to_value(item, v) for k, v in value.items()}
    # A float field given an int writes as a float, like Rust's f64 ("80.0", not "80").
    if isinstance(value, int) and not isinstance(value, bool) and _accepts_float(tp):
        return float(value)
    return value


def _accepts_float(tp: Any) -> bool:
    if tp is float:
        return True
    return typing.get_origin(tp) is Union and float in typing.get_args(tp)


# --------------------------------------------------------------------------------------------
# dict -> dataclass


def from_dict(cls: Type[T], data: Any, path: str = "") -> T:
    """Builds ``cls`` from a JSON-shaped dict, strictly (see the module documentation)."""
    if not isinstance(data, dict):
        raise parse_error(path, f"invalid type: {_describe(data)}, expected a {cls.__name__} object")
    fields = spec(cls)
    known = {f.key for f in fields}
    for key in data:
        if key not in known:
            expected = ", ".join(f"`{f.key}`" for f in fields)
            raise parse_error(
                _join(path, str(key)), f"unknown field `{key}`, expected one of {expected}"
            )
    kwargs = {}
    for f in fields:
        if f.key not in data:
            if f.required:
                raise parse_error(path, f"missing field `{f.key}`")
            continue
        kwargs[f.name] = _from_value(f.type, data[f.key], _join(path, f.key))
    return cls(**kwargs)


def _from_value(tp: Any, value: Any, path: str) -> Any:
    if tp is Any:
        return value
    inner = _optional_arg(tp)
    if inner is not None:
        return None if value is None else _from_value(inner, value, path)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return from_dict(tp, value, path)
    if origin in (list, List):
        if not isinstance(value, list):
            raise _mismatch(tp, value, path)
        (item,) = typing.get_args(tp) or (Any,)
        return [_from_value(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin in (dict, Dict):
        if not isinstance(value, dict):
            raise _mismatch(tp, value, path)
        _, item = typing.get_args(tp) or (str, Any)
        return {str(k): _from_value(item, v, _join(path, str(k))) for k, v in value.items()}
    if origin is typing.Literal:
        allowed = typing.get_args(tp)
        if not isinstance(value, str):
            raise _mismatch(tp, value, path)
        if value not in allowed:
            names = ", ".join(f"`{a}`" for a in allowed)
            raise parse_error(path, f"unknown variant `{value}`, expected one of {names}")
        return value
    if origin is Union:
        # Untagged: the first alternative that takes the value (Rust's `Target`: number, then time).
        for alt in typing.get_args(tp):
            try:
                return _from_value(alt, value, path)
            except _native.ParseError:
                continue
        raise _mismatch(tp, value, path)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _mismatch(tp, value, path)
        if not math.isfinite(value):
            raise parse_error(path, f"{value} is not a finite number")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _mismatch(tp, value, path)
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _mismatch(tp, value, path)
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise _mismatch(tp, value, path)
        return value
    raise TypeError(f"journeystream._convert: unsupported field type {tp!r} at {path}")


def _mismatch(tp: Any, value: Any, path: str) -> _native.ParseError:
    return parse_error(path, f"invalid type: {_describe(value)}, expected {_type_name(tp)}")


# --------------------------------------------------------------------------------------------
# Readable reprs


def short_repr(obj: Any) -> str:
    """``Class(field=value, ...)`` with only the fields that differ from their defaults; lists
    of objects are summarised (``stages=<5 Stage>``)."""
    parts = []
    for f in dataclasses.fields(obj):
        if not f.repr:
            continue
        value = getattr(obj, f.name)
        if f.default is not dataclasses.MISSING and value == f.default:
            continue
        if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
            continue
        parts.append(f"{f.name}={_short_value(value)}")
    return f"{type(obj).__name__}({', '.join(parts)})"


def _short_value(value: Any) -> str:
    if isinstance(value, (list, tuple)) and value and all(
        dataclasses.is_dataclass(v) for v in value
    ):
        names = sorted({type(v).__name__ for v in value})
        return f"<{len(value)} {'/'.join(names)}>"
    return repr(value)


class _Required:
    """Placeholder default of a required field on Python 3.9 (see :func:`record`)."""

    def __repr__(self) -> str:
        return "<required>"


_REQUIRED: Any = _Required()


@overload
def record(cls: Type[T]) -> Type[T]: ...


@overload
def record(*, frozen: bool = False) -> Callable[[Type[T]], Type[T]]: ...


@dataclass_transform(kw_only_default=True, field_specifiers=(dataclasses.field,))
def record(cls: Optional[type] = None, *, frozen: bool = False) -> Any:
    """``@dataclass`` with keyword-only construction, the readable repr of the base class, and the
    field order of the Rust struct (required fields may follow defaulted ones).

    Python 3.10+ has ``kw_only``; on 3.9 required fields that follow a defaulted one get a
    placeholder default, and the constructor takes keywords only and checks them.
    """

    def wrap(cls: type) -> type:
        if sys.version_info >= (3, 10):
            return dataclasses.dataclass(cls, frozen=frozen, repr=False, kw_only=True)
        seen_default = False
        for name in list(cls.__dict__.get("__annotations__", {})):
            if name in cls.__dict__:
                seen_default = True
            elif seen_default:
                setattr(cls, name, dataclasses.field(default=_REQUIRED))
        cls = dataclasses.dataclass(cls, frozen=frozen, repr=False)
        required = [
            f.name
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            or f.default is _REQUIRED
        ]
        init: Any = getattr(cls, "__init__")

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if args:
                raise TypeError(f"{cls.__name__}() takes keyword arguments only")
            missing = [n for n in required if n not in kwargs]
            if missing:
                raise TypeError(
                    f"{cls.__name__}() missing required keyword arguments: {', '.join(missing)}"
                )
            init(self, **kwargs)

        __init__.__doc__ = init.__doc__
        setattr(cls, "__init__", __init__)
        return cls

    return wrap if cls is None else wrap(cls)
