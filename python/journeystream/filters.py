"""Typed filters of an event log, built by name; ``~f`` keeps what ``f`` drops.

::

    from datetime import timedelta
    from journeystream.filters import Filter

    quick = log.filter(Filter.case_duration(max=timedelta(hours=1)))
    web = log.filter(Filter.event_attribute("channel", equals="web", level="case"))
    no_cancel = log.filter(~Filter.contains_any(["cancel"]))
    march = log.filter(Filter.time_range("2024-03-01", "2024-04-01", mode="started"))

Each builder gives the same filter as its dict form (:meth:`Filter.to_dict`), which
:meth:`journeystream.EventLog.filter` also takes. Durations are seconds or ``timedelta``; times
are datetimes, dates, RFC 3339 text or integer nanoseconds (UTC). An activity, attribute or value
the log does not have raises :class:`journeystream.InvalidArgumentError` naming the closest it has.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Literal, Optional, Sequence, Union

from ._args import Seconds, Time, names, seconds, time

#: How a time range selects (pm4py's modes): cases ``contained`` in it, ``intersecting`` it,
#: ``started`` or ``completed`` in it, or the ``events`` in it.
TimeMode = Literal["contained", "intersecting", "started", "completed", "events"]
#: Whether an event attribute filter keeps the matching ``event``\\ s or the ``case``\\ s having one.
Level = Literal["event", "case"]
#: A value an attribute can be compared with.
Value = Union[str, int, float, bool]


class Filter:
    """A filter of an event log. Build one with the class methods; combine with ``~``."""

    __slots__ = ("_spec",)

    def __init__(self, spec: Dict[str, Any]) -> None:
        self._spec = spec

    def to_dict(self) -> Dict[str, Any]:
        """The filter as the dict :meth:`journeystream.EventLog.filter` takes."""
        return self._spec

    def to_json(self) -> str:
        return json.dumps(self._spec)

    def __invert__(self) -> "Filter":
        inner = self._spec.get("not")
        return Filter(inner) if len(self._spec) == 1 and inner is not None else Filter({"not": self._spec})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Filter) and other._spec == self._spec

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Filter({self._spec!r})"

    @staticmethod
    def time_range(start: Time, end: Time, mode: TimeMode = "contained") -> "Filter":
        """Cases (or events) by time in ``[start, end)``."""
        return Filter({"time_range": {"from": time(start, "start"), "to": time(end, "end"), "mode": mode}})

    @staticmethod
    def case_attribute(
        name: str,
        *,
        equals: Optional[Value] = None,
        one_of: Optional[Sequence[Value]] = None,
        min: Optional[float] = None,
        max: Optional[float] = None,
    ) -> "Filter":
        """Cases whose case attribute ``name`` equals a value, is one of several, or is within
        ``[min, max]``."""
        return Filter({"case_attribute": {"name": name, "predicate": _predicate(equals, one_of, min, max)}})

    @staticmethod
    def event_attribute(
        name: str,
        *,
        equals: Optional[Value] = None,
        one_of: Optional[Sequence[Value]] = None,
        min: Optional[float] = None,
        max: Optional[float] = None,
        level: Level = "event",
    ) -> "Filter":
        """Events whose event attribute ``name`` matches (``level="case"``: cases with such an
        event)."""
        predicate = _predicate(equals, one_of, min, max)
        return Filter({"event_attribute": {"name": name, "predicate": predicate, "level": level}})

    @staticmethod
    def activities(activities: Iterable[str]) -> "Filter":
        """The events of these activities (``~``: every event but theirs)."""
        return Filter({"activities": names(activities, "activities")})

    @staticmethod
    def top_variants(k: int) -> "Filter":
        """Cases of the ``k`` most frequent variants."""
        return Filter({"top_variants": int(k)})

    @staticmethod
    def variant_coverage(share: float) -> "Filter":
        """Cases of the most frequent variants covering at least ``share`` (0 to 1) of cases."""
        return Filter({"variant_coverage": float(share)})

    @staticmethod
    def contains_any(activities: Iterable[str]) -> "Filter":
        """Cases with an event of one of these activities."""
        return Filter({"contains_any": names(activities, "activities")})

    @staticmethod
    def contains_all(activities: Iterable[str]) -> "Filter":
        """Cases with events of all of these activities."""
        return Filter({"contains_all": names(activities, "activities")})

    @staticmethod
    def follows(activities: Iterable[str], *, directly: bool = False) -> "Filter":
        """Cases in which these activities occur in this order (consecutively when ``directly``)."""
        return Filter({"follows": {"activities": names(activities, "activities"), "directly": bool(directly)}})

    @staticmethod
    def case_size(min: Optional[int] = None, max: Optional[int] = None) -> "Filter":
        """Cases with ``min <= events <= max``."""
        return Filter({"case_size": {"min": _int(min), "max": _int(max)}})

    @staticmethod
    def case_duration(min: Optional[Seconds] = None, max: Optional[Seconds] = None) -> "Filter":
        """Cases lasting ``min`` to ``max`` (seconds or ``timedelta``; first start to last
        completion, as the profile's case durations)."""
        bounds = {
            "min_seconds": None if min is None else seconds(min, "min"),
            "max_seconds": None if max is None else seconds(max, "max"),
        }
        return Filter({"case_duration": bounds})


def _int(value: Optional[int]) -> Optional[int]:
    return None if value is None else int(value)


def _predicate(
    equals: Optional[Value], one_of: Optional[Sequence[Value]], low: Optional[float], high: Optional[float]
) -> Dict[str, Any]:
    given = [k for k, v in (("equals", equals), ("one_of", one_of)) if v is not None]
    if low is not None or high is not None:
        given.append("min/max")
    if len(given) != 1:
        raise TypeError(f"give exactly one of equals, one_of, or min/max (got {', '.join(given) or 'none'})")
    if equals is not None:
        return {"equals": equals}
    if one_of is not None:
        return {"one_of": names(one_of, "one_of")}
    return {"range": {"min": None if low is None else float(low), "max": None if high is None else float(high)}}


def as_json(filter: Union[Filter, Dict[str, Any], str]) -> str:
    """A filter given as a :class:`Filter`, a dict or JSON text, as JSON text."""
    if isinstance(filter, Filter):
        return filter.to_json()
    if isinstance(filter, str):
        return filter
    if isinstance(filter, dict):
        return json.dumps(filter)
    raise TypeError(f"filter must be a Filter, a dict or JSON text, not {type(filter).__name__}")


__all__ = ["Filter", "Level", "TimeMode", "Value"]
