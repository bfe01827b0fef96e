"""Customer lifetime value: the RFM summary of transactions, BG/NBD, Pareto/NBD and Gamma-Gamma
models fitted by maximum likelihood, and per-customer predictions — typed wrappers over
:func:`journeystream.analyze` (requests ``rfm_summary``, ``clv_fit``, ``clv_predict``; the native
library computes everything, on all cores)::

    import journeystream as js

    summary = js.rfm_summary(transactions, "customer_id", "date", "value", freq="W",
                             observation_period_end="1997-09-30")   # like lifetimes'
    bg = js.clv_fit("bg_nbd", data=summary)                           # ClvFit: params, se, converged
    gg = js.clv_fit("gamma_gamma", data=summary)
    p = js.clv_predict(bg, data=summary, t=39, spend=gg, clv={"time": 12, "discount_rate": 0.01, "freq": "W"})
    p.to_pandas()         # expected_purchases, probability_alive, expected_average_spend, clv per customer

Conventions are lifetimes' (``summary_data_from_transaction_data``, ``BetaGeoFitter``,
``ParetoNBDFitter``, ``GammaGammaFitter``, ``customer_lifetime_value``); arrays come in as
anything numpy accepts (or DataFrame columns) and go out as numpy arrays. A missing or non-finite
number raises :class:`journeystream.ParseError` naming it (``recency[3]``); data that cannot
support a model (no repeat buyers) :class:`journeystream.MissingDataError`.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Sequence, Union

from ._args import time
from .log import EventLog, _run, analyze, evaluate
from .display import Displayed
from .table import AnalysisResult
from .results import _pandas

if TYPE_CHECKING:
    import numpy  # type: ignore[import-untyped, import-not-found, unused-ignore]
    import pandas  # type: ignore[import-untyped, import-not-found, unused-ignore]

__all__ = [
    "ClvModel",
    "Freq",
    "RfmSummary",
    "ClvFit",
    "ClvPredictions",
    "rfm_summary",
    "clv_fit",
    "clv_predict",
]

#: The models of ``clv_fit``.
ClvModel = Literal["bg_nbd", "pareto_nbd", "gamma_gamma"]
#: Time units (lifetimes' ``freq``): hours, days, weeks (Monday–Sunday), months.
Freq = Literal["H", "D", "W", "M"]


def _numpy() -> Any:
    try:
        import numpy
    except ImportError as e:
        raise ImportError("journeystream.clv needs numpy: pip install numpy") from e
    return numpy


def _floats(values: Any) -> Any:
    """Numbers for the request, as a float64 array: it crosses into Rust as an array, and a NaN
    or infinity is rejected there naming the field and index."""
    if values is None:
        return None
    return _numpy().ascontiguousarray(values, dtype="float64").ravel()


def _array(values: Optional[Sequence[float]]) -> Optional["numpy.ndarray"]:
    return None if values is None else _numpy().asarray(values, dtype="float64")


def _times(values: Any) -> Any:
    """Timestamps for the column reader: pandas and numpy datetimes and integer nanoseconds as a
    ``datetime64[ns]`` array, Arrow and polars timestamps as Arrow arrays, text as it is."""
    np = _numpy()
    module = type(values).__module__
    if module.startswith("polars"):
        return values.to_arrow()
    if module.startswith("pyarrow"):
        return values.combine_chunks() if hasattr(values, "combine_chunks") else values
    if hasattr(values, "dt") and hasattr(values.dt, "tz"):  # a pandas datetime Series
        if values.dt.tz is not None:
            values = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return np.ascontiguousarray(values.to_numpy(dtype="datetime64[ns]"))
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return np.ascontiguousarray(values.astype("datetime64[ns]"))
    items = [_time_or_as_is(v) for v in values]
    if items and all(isinstance(t, int) for t in items):
        return np.array(items, dtype="int64").view("datetime64[ns]")
    return items


def _time_or_as_is(value: Any) -> Any:
    """A time as the reader takes it; anything else as it is, for the reader to name with its
    index."""
    try:
        return time(value, "timestamps")
    except TypeError:
        return value


def _end(value: Any) -> Optional[str]:
    if value is None:
        return None
    t = time(value, "observation_period_end")
    if isinstance(t, int):
        seconds, nanos = divmod(t, 1_000_000_000)
        stamp = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
        return stamp.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos:09d}Z"
    if len(t) == 10:  # a date
        return t + "T00:00:00Z"
    return t


@dataclasses.dataclass(frozen=True)
class RfmSummary(Displayed):
    """One row per customer (sorted by id): ``frequency`` (repeat periods), ``recency`` and ``T``
    in periods, ``monetary_value`` (mean repeat value; None without values)."""

    customer: List[str]
    frequency: "numpy.ndarray"
    recency: "numpy.ndarray"
    T: "numpy.ndarray"
    monetary_value: Optional["numpy.ndarray"]

    def __len__(self) -> int:
        return len(self.customer)

    def to_pandas(self) -> "pandas.DataFrame":
        """The summary as lifetimes gives it: index ``customer``, columns ``frequency``,
        ``recency``, ``T`` and ``monetary_value`` (with values)."""
        pd = _pandas()
        data: Dict[str, Any] = {"frequency": self.frequency, "recency": self.recency, "T": self.T}
        if self.monetary_value is not None:
            data["monetary_value"] = self.monetary_value
        return pd.DataFrame(data, index=pd.Index(self.customer, name="customer"))


def _summary_request(
    transactions: Any,
    customer_id_col: Optional[str],
    datetime_col: Optional[str],
    monetary_value_col: Optional[str],
    customers: Any,
    timestamps: Any,
    values: Any,
    options: Dict[str, Any],
) -> Dict[str, Any]:
    request: Dict[str, Any] = {k: v for k, v in options.items() if v is not None}
    if "observation_period_end" in request:
        request["observation_period_end"] = _end(request["observation_period_end"])
    if transactions is not None:
        if customer_id_col is None or datetime_col is None:
            raise TypeError("rfm_summary(transactions, ...) needs customer_id_col and datetime_col")
        customers = transactions[customer_id_col]
        timestamps = transactions[datetime_col]
        values = None if monetary_value_col is None else transactions[monetary_value_col]
    if customers is not None or timestamps is not None:
        # The transactions cross as columns (customer ids read in place, timestamps as
        # nanoseconds).
        if customers is not None:
            request["customers"] = customers
        if timestamps is not None:
            request["timestamps"] = _times(timestamps)
        if values is not None:
            request["values"] = values
    return request


def rfm_summary(
    transactions: Any = None,
    customer_id_col: Optional[str] = None,
    datetime_col: Optional[str] = None,
    monetary_value_col: Optional[str] = None,
    *,
    customers: Any = None,
    timestamps: Any = None,
    values: Any = None,
    log: Optional[EventLog] = None,
    purchase_activity: Optional[str] = None,
    value_attribute: Optional[str] = None,
    freq: Freq = "D",
    freq_multiplier: float = 1.0,
    observation_period_end: Any = None,
    include_first_transaction: bool = False,
) -> RfmSummary:
    """The RFM summary, as lifetimes' ``summary_data_from_transaction_data``: from a
    DataFrame (``transactions`` with the column names), from arrays (``customers``,
    ``timestamps`` as datetimes, RFC 3339 text or nanoseconds, ``values``), or from a ``log``
    (each case a customer, its ``purchase_activity`` events — all events when None — valued by
    the number attribute ``value_attribute``)."""
    options = dict(
        purchase_activity=purchase_activity, value_attribute=value_attribute, freq=freq,
        freq_multiplier=freq_multiplier, observation_period_end=observation_period_end,
        include_first_transaction=include_first_transaction,
    )
    request = _summary_request(
        transactions, customer_id_col, datetime_col, monetary_value_col, customers, timestamps, values, options
    )
    request["analysis"] = "rfm_summary"
    rows = evaluate(request, log).table("rows")  # the summary's columns, as Arrow
    # A summary of no customers is a table without columns.
    empty = not rows.columns

    def column(name: str) -> Any:
        return _numpy().empty(0) if empty else rows.to_numpy(name)

    return RfmSummary(
        customer=[] if empty else rows.column("customer"),
        frequency=column("frequency"),
        recency=column("recency"),
        T=column("T"),
        monetary_value=rows.to_numpy("monetary_value") if "monetary_value" in rows.columns else None,
    )


@dataclasses.dataclass(frozen=True)
class ClvFit(Displayed):
    """A fitted model: ``params`` and standard errors ``se`` by name (an se is None when the
    Hessian is not positive definite), the log-likelihood, and convergence diagnostics."""

    model: ClvModel
    params: Dict[str, float]
    se: Dict[str, Optional[float]]
    log_likelihood: float
    objective: float
    penalizer: float
    customers: float
    iterations: int
    evaluations: int
    gradient_norm: float
    converged: bool

    @classmethod
    def _from(cls, out: Dict[str, Any]) -> "ClvFit":
        names = out["param_names"]
        c = out["convergence"]
        return cls(
            model=out["model"],
            params=dict(zip(names, out["params"])),
            se=dict(zip(names, out["standard_errors"])),
            log_likelihood=out["log_likelihood"],
            objective=out["objective"],
            penalizer=out["penalizer"],
            customers=out["customers"],
            iterations=c["iterations"],
            evaluations=c["evaluations"],
            gradient_norm=c["gradient_norm"],
            converged=c["converged"],
        )

    def to_pandas(self) -> "pandas.DataFrame":
        """lifetimes' ``summary`` layout: index the parameter, columns ``coef``, ``se(coef)``,
        ``lower 95% bound``, ``upper 95% bound`` (coef ∓ 1.96 se; NaN without an se)."""
        pd = _pandas()
        rows = []
        for name, value in self.params.items():
            se = self.se.get(name)
            s = float("nan") if se is None else se
            rows.append({"coef": value, "se(coef)": s, "lower 95% bound": value - 1.96 * s,
                         "upper 95% bound": value + 1.96 * s})
        return pd.DataFrame(rows, index=pd.Index(list(self.params), name="param"))


def _data(
    frequency: Any, recency: Any, T: Any, monetary_value: Any, data: Any
) -> Dict[str, Any]:
    if data is not None:
        if isinstance(data, RfmSummary):
            frequency, recency, T, monetary_value = data.frequency, data.recency, data.T, data.monetary_value
        else:
            frequency, recency, T = data["frequency"], data["recency"], data["T"]
            columns = getattr(data, "columns", data)
            if monetary_value is None and "monetary_value" in columns:
                monetary_value = data["monetary_value"]
    out: Dict[str, Any] = {}
    for name, values in [("frequency", frequency), ("recency", recency), ("T", T), ("monetary_value", monetary_value)]:
        if values is not None:
            out[name] = _floats(values)
    return out


def clv_fit(
    model: ClvModel,
    frequency: Any = None,
    recency: Any = None,
    T: Any = None,
    monetary_value: Any = None,
    *,
    data: Any = None,
    weights: Any = None,
    summary: Optional[Dict[str, Any]] = None,
    log: Optional[EventLog] = None,
    penalizer: float = 0.0,
    initial_params: Optional[Sequence[float]] = None,
    tolerance: Optional[float] = None,
    max_iterations: Optional[int] = None,
) -> ClvFit:
    """Fits ``model`` by maximum likelihood on arrays, on ``data`` (an :class:`RfmSummary` or a
    DataFrame with lifetimes' column names), or on the summary of a ``log`` (``summary``: the
    :func:`rfm_summary` options as a dict). ``penalizer`` is lifetimes' ``penalizer_coef``. The
    Gamma-Gamma model is fitted on the customers with ``frequency > 0``."""
    request: Dict[str, Any] = {"analysis": "clv_fit", "model": model, "penalizer": penalizer}
    request.update(_data(frequency, recency, T, monetary_value, data))
    if weights is not None:
        request["weights"] = _floats(weights)
    if summary is not None:
        request["summary"] = summary
    if initial_params is not None:
        request["initial_params"] = [float(v) for v in initial_params]
    if tolerance is not None:
        request["tolerance"] = tolerance
    if max_iterations is not None:
        request["max_iterations"] = max_iterations
    return ClvFit._from(analyze(request, log))


class ClvPredictions(AnalysisResult):
    """Per-customer predictions and population curves, held natively: the table ``rows`` has a
    column per prediction asked for; the attributes below read them as numpy arrays (None when
    not asked for), one copy and no Python object per customer."""

    __slots__ = ()

    _PREDICTED = ("expected_purchases", "probability_alive", "expected_average_spend", "clv")

    def _column(self, name: str) -> Optional["numpy.ndarray"]:
        rows = self.table("rows")
        return rows.to_numpy(name) if name in rows.columns else None

    @property
    def customer(self) -> Optional[List[str]]:
        """The customer ids, when the predictions come from transactions or a log."""
        rows = self.table("rows")
        return rows.column("customer") if "customer" in rows.columns else None

    @property
    def expected_purchases(self) -> Optional["numpy.ndarray"]:
        """Expected purchases in the next ``t`` periods."""
        return self._column("expected_purchases")

    @property
    def probability_alive(self) -> Optional["numpy.ndarray"]:
        """The probability that the customer is still active."""
        return self._column("probability_alive")

    @property
    def expected_average_spend(self) -> Optional["numpy.ndarray"]:
        """The Gamma-Gamma expected value of a purchase."""
        return self._column("expected_average_spend")

    @property
    def clv(self) -> Optional["numpy.ndarray"]:
        """The discounted customer lifetime value."""
        return self._column("clv")

    def _columns_dict(self, name: str) -> Optional[Dict[str, Any]]:
        if name not in self.table_names():
            return None
        t = self.table(name)
        out: Dict[str, Any] = {c: t.column(c) for c in t.columns}
        scalars = self._scalars().get(name)
        if isinstance(scalars, dict):
            out.update(scalars)
        return out

    @property
    def population_curve(self) -> Optional[Dict[str, List[float]]]:
        """Expected purchases of a new customer by time: ``t`` and ``expected_purchases``."""
        return self._columns_dict("population_curve")

    @property
    def period_transactions(self) -> Optional[Dict[str, Any]]:
        """Observed vs model customers by repeat purchases: ``frequency``, ``observed``,
        ``model`` and the tails ``observed_tail``, ``model_tail``."""
        return self._columns_dict("period_transactions")

    def to_pandas(self) -> "pandas.DataFrame":
        """One row per customer (index ``customer`` when known) with the predicted columns."""
        pd = _pandas()
        columns = self.table("rows").columns
        data = {name: self._column(name) for name in self._PREDICTED if name in columns}
        customer = self.customer
        index = None if customer is None else pd.Index(customer, name="customer")
        return pd.DataFrame(data, index=index)

    def to_svg(self, **options: Any) -> str:
        """The model against the observed customers by repeat purchases (predicted with
        ``max_frequency``), else a new customer's expected purchases over time."""
        from . import render

        p = self.period_transactions
        if p is not None:
            f = p["frequency"]
            series = {"observed": list(zip(f, p["observed"])), "model": list(zip(f, p["model"]))}
            options.setdefault("title", "Customers by repeat purchases: model against observed")
            return render.lines(series, "repeat purchases", "customers", **options)
        c = self.population_curve
        if c is None:
            raise ValueError("nothing to draw: predict with max_frequency=... or curve_times=...")
        options.setdefault("title", "Expected purchases of a new customer")
        return render.lines({"expected purchases": list(zip(c["t"], c["expected_purchases"]))}, "t", "purchases", **options)

    def _chart(self) -> Optional[str]:
        return self.to_svg()

    def period_transactions_frame(self) -> "pandas.DataFrame":
        """Observed vs model customers by repeat purchases (lifetimes' ``plot_period_transactions``
        bars, the model's as expectations), index ``frequency``."""
        pd = _pandas()
        p = self.period_transactions
        if p is None:
            raise ValueError("no period transactions: predict with max_frequency=...")
        return pd.DataFrame({"observed": p["observed"], "model": p["model"]},
                            index=pd.Index(p["frequency"], name="frequency"))


def clv_predict(
    fit: Union[ClvFit, Dict[str, Any]],
    frequency: Any = None,
    recency: Any = None,
    T: Any = None,
    monetary_value: Any = None,
    *,
    data: Any = None,
    t: float = 1.0,
    spend: Union[ClvFit, Dict[str, float], None] = None,
    clv: Union[bool, Dict[str, Any], None] = None,
    curve_times: Optional[Sequence[float]] = None,
    max_frequency: Optional[int] = None,
    summary: Optional[Dict[str, Any]] = None,
    log: Optional[EventLog] = None,
) -> ClvPredictions:
    """Predictions of a fitted model (a :class:`ClvFit`, or ``{"model": ..., "params": {...}}``):
    expected purchases in the next ``t`` periods and probability alive (BG/NBD, Pareto/NBD), the
    expected average spend (with ``spend``, a Gamma-Gamma fit or its params, or for a Gamma-Gamma
    ``fit``), the discounted ``clv`` (``True`` or lifetimes' ``{"time": 12, "discount_rate": 0.01,
    "freq": "D"}``), the population curve at ``curve_times`` and the repeat-purchase histogram up
    to ``max_frequency``."""
    if isinstance(fit, ClvFit):
        model, params = fit.model, fit.params
    else:
        model, params = fit["model"], fit["params"]
    request: Dict[str, Any] = {"analysis": "clv_predict", "model": model, "params": dict(params), "t": float(t)}
    request.update(_data(frequency, recency, T, monetary_value, data))
    if spend is not None:
        request["spend_params"] = dict(spend.params if isinstance(spend, ClvFit) else spend)
    if clv is not None and clv is not False:
        request["clv"] = {} if clv is True else dict(clv)
    if curve_times is not None:
        request["curve_times"] = [float(v) for v in curve_times]
    if max_frequency is not None:
        request["max_frequency"] = int(max_frequency)
    if summary is not None:
        request["summary"] = summary
    return ClvPredictions._wrap(_run(request, log))
