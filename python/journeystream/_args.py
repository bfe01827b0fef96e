"""Arguments the whole API reads the same way: durations in seconds, points in time, lists of
names.

Every duration the library takes or gives is in seconds; a ``datetime.timedelta`` (or a pandas
``Timedelta``, a numpy ``timedelta64``) is taken too. A point in time is a ``datetime`` (naive
means UTC), a ``date`` (its midnight UTC), a pandas ``Timestamp``, a numpy ``datetime64``, RFC 3339
text, or integer nanoseconds since 1970-01-01 UTC. A list of names is a list (or tuple, or any
iterable but a string): a lone string is a ``TypeError``, since iterating it would give its
letters.
"""

from __future__ import annotations

import datetime
from typing import Any, List, Union

#: A duration: seconds (int or float), or a ``datetime.timedelta``.
Seconds = Union[float, int, datetime.timedelta]
#: A point in time.
Time = Union[datetime.datetime, datetime.date, str, int]


def seconds(value: Any, argument: str) -> float:
    """``value`` as float seconds; ``argument`` names it in the error.

    >>> seconds(datetime.timedelta(hours=1), "window"), seconds(90, "window")
    (3600.0, 90.0)
    """
    if isinstance(value, datetime.timedelta) or hasattr(value, "total_seconds"):
        return float(value.total_seconds())
    if type(value).__name__ == "timedelta64":  # numpy, without importing it
        return float(value.astype("timedelta64[ns]").astype("int64")) / 1e9
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(f"{argument}: {value!r} is not a duration (seconds, or a datetime.timedelta)")
    return float(value)


def time(value: Any, argument: str) -> Union[str, int]:
    """``value`` as the requests take a time: RFC 3339 text or integer nanoseconds (UTC).

    >>> time(datetime.date(2024, 3, 1), "start"), time(datetime.datetime(2024, 3, 1, 9, 30), "start")
    ('2024-03-01T00:00:00Z', '2024-03-01T09:30:00+00:00')
    """
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        if hasattr(value, "value") and hasattr(value, "tz_convert"):  # pandas.Timestamp: exact ns
            return int(value.value)
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat() + "T00:00:00Z"
    if type(value).__name__ == "datetime64":  # numpy
        return int(value.astype("datetime64[ns]").astype("int64"))
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iu":
        return int(value)
    raise TypeError(
        f"{argument}: {value!r} is not a time (a datetime, date, RFC 3339 text or integer "
        "nanoseconds since 1970-01-01 UTC)"
    )


def names(value: Any, argument: str) -> List[Any]:
    """``value`` as a list; a lone string (or bytes) is a ``TypeError`` naming ``argument``.

    >>> names(("visit", "buy"), "steps")
    ['visit', 'buy']
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{argument} must be a list, not the string {value!r} (for one name: [{value!r}])"
        )
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{argument} must be a list, not {type(value).__name__}") from None
