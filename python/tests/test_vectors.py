"""Runs every conformance vector in tests/vectors/ through the Python API, with the semantics of
tests/vectors/README.md. An unknown call, argument, expectation or field is a failure."""

import json
import math
from pathlib import Path

import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
VECTORS = sorted((ROOT / "tests" / "vectors").glob("*.json"))

VECTOR_KEYS = {
    "description",
    "document",
    "document_file",
    "document_text",
    "log_events",
    "log_file",
    "call",
    "args",
    "expect",
    "error",
    "request",
}
ERROR_KEYS = {"kind", "path", "message_contains"}

# The exception class of each error kind, spelled out here (not taken from the package) so that a
# wrong mapping in the package fails.
KIND_CLASSES = {
    "io": js.IoError,
    "parse": js.ParseError,
    "unknown_reference": js.UnknownReferenceError,
    "duplicate_id": js.DuplicateIdError,
    "out_of_range": js.OutOfRangeError,
    "negative_time": js.NegativeTimeError,
    "emotion_out_of_scale": js.EmotionOutOfScaleError,
    "cycle_without_exit": js.CycleWithoutExitError,
    "invalid": js.InvalidError,
    "missing_data": js.MissingDataError,
    "invalid_argument": js.InvalidArgumentError,
    "input": js.InputError,
}


class VectorFailure(AssertionError):
    pass


def fail(message):
    raise VectorFailure(message)


def check_number(what, actual, spec):
    """A number spec: a number (1e-9 relative), {"round": d, "value": x}, or null (absent)."""
    if actual is not None and (isinstance(actual, bool) or not isinstance(actual, (int, float))):
        fail(f"{what}: not a number: {actual!r}")
    if spec is None:
        if actual is not None:
            fail(f"{what}: expected absent, got {actual}")
        return
    if actual is None:
        fail(f"{what}: expected {spec}, got absent")
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        if not abs(actual - spec) <= 1e-9 * max(1.0, abs(spec)):
            fail(f"{what}: expected {spec}, got {actual}")
        return
    if isinstance(spec, dict) and set(spec) == {"tol", "value"}:
        if not abs(actual - spec["value"]) <= spec["tol"]:
            fail(f"{what}: expected {spec['value']} +- {spec['tol']}, got {actual}")
        return
    if isinstance(spec, dict) and set(spec) == {"round", "value"}:
        digits, value = spec["round"], spec["value"]
        if not isinstance(digits, int) or isinstance(digits, bool):
            fail(f"{what}: round must be an integer")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            fail(f"{what}: value must be a number")
        # Round half away from zero, as Rust's f64::round does (Python's round() is half-even).
        scale = 10.0**digits
        scaled = actual * scale
        rounded = math.copysign(math.floor(abs(scaled) + 0.5), scaled) / scale
        if not abs(rounded - value) <= 1e-9 * max(1.0, abs(value)):
            fail(f"{what}: expected {value} at {digits} decimals, got {actual}")
        return
    fail(f"{what}: unknown number spec {spec!r}")


def check_fields(what, obj, specs):
    """`{field: spec}` against the attributes of a result object."""
    if not isinstance(specs, dict):
        fail(f"{what}: expected an object of fields")
    names = set(obj.to_dict())
    for field, spec in specs.items():
        if field not in names:
            fail(f"{what}: unknown field '{field}'")
        check_number(f"{what}.{field}", getattr(obj, field), spec)


def check_list(what, items, specs):
    """`{id: {field: spec}}` against a list of results with `id`."""
    if not isinstance(specs, dict):
        fail(f"{what}: expected an object of ids")
    for id_, fields in specs.items():
        item = next((x for x in items if x.id == id_), None)
        if item is None:
            fail(f"{what}: no '{id_}'")
        check_fields(f"{what}[{id_}]", item, fields)


def document(v):
    given = [k for k in ("document", "document_file", "document_text") if k in v]
    if len(given) != 1:
        fail(f"the vector needs exactly one of document, document_file, document_text; has {given}")
    if "document_file" in v:
        return js.load(ROOT / v["document_file"])
    if "document_text" in v:
        return js.loads(v["document_text"])
    return js.loads(json.dumps(v["document"]))


def check_args(call, args, allowed):
    if not isinstance(args, dict):
        fail(f"{call}: args must be an object")
    for key in args:
        if key not in allowed:
            fail(f"unknown {call} argument '{key}'")


STATS = {"count", "mean", "median", "min", "max", "total", "stdev"}


def event_log(v, args):
    """The vector's log: `log_events` through journeystream.from_arrow (a pyarrow table of string
    columns, the library parsing the RFC 3339 text), or `log_file` through read_xes."""
    check_args("log", args, {"skip_bad_rows"})
    skip = args.get("skip_bad_rows", False)
    if not isinstance(skip, bool):
        fail("args.skip_bad_rows must be a boolean")
    given = [k for k in ("document", "document_file", "document_text") if k in v]
    if given:
        fail(f"a log vector takes a log, not {given}")
    if ("log_events" in v) == ("log_file" in v):
        fail("a log vector needs exactly one of log_events and log_file")
    if "log_file" in v:
        file = v["log_file"]
        if not isinstance(file, str):
            fail("log_file must be a string")
        if ".csv" in file:
            return js.read_csv(ROOT / file, skip_bad_rows=skip)
        if ".jsonl" in file:
            return js.read_jsonl(ROOT / file, skip_bad_rows=skip)
        return js.read_xes(ROOT / file, skip_bad_rows=skip)
    if skip:
        fail("skip_bad_rows needs a log_file")
    rows = v["log_events"]
    if not isinstance(rows, list) or not all(
        isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in rows
    ):
        fail("log_events must be a list of [case, activity, timestamp] strings")
    import pyarrow as pa

    table = pa.table(
        {
            "case": pa.array([r[0] for r in rows], type=pa.string()),
            "activity": pa.array([r[1] for r in rows], type=pa.string()),
            "time": pa.array([r[2] for r in rows], type=pa.string()),
        }
    )
    return js.from_arrow(table, case="case", activity="activity", timestamp="time")


def same_entries(what, names, spec):
    """The keys of `spec` are exactly `names`."""
    if not isinstance(spec, dict):
        fail(f"{what}: expected an object")
    missing = [k for k in spec if k not in names]
    if missing:
        fail(f"{what}: expected {missing}, which the profile does not have")
    extra = [n for n in names if n not in spec]
    if extra:
        fail(f"{what}: the profile has {extra}, which the vector does not list")


def check_known(what, obj, specs, allowed):
    if not isinstance(specs, dict):
        fail(f"{what}: expected an object of fields")
    for field in specs:
        if field not in allowed:
            fail(f"{what}: unknown field '{field}'")
    check_fields(what, obj, specs)


def run_profile(v, args, expect):
    log = event_log(v, args)
    profile = log.profile()
    if expect is None:
        return
    if not isinstance(expect, dict):
        fail("profile needs an expect object")
    skipped = log.report.rows_skipped if log.report is not None else 0
    for section, spec in expect.items():
        if section == "summary":
            check_known("summary", profile, spec, {"cases", "events"})
        elif section == "skipped":
            check_number("skipped", skipped, spec)
        elif section == "activities":
            same_entries(section, [a.activity for a in profile.activities], spec)
            for a in profile.activities:
                check_known(f"activities[{a.activity}]", a, spec[a.activity], {"events", "cases"})
        elif section in ("start_activities", "end_activities"):
            items = getattr(profile, section)
            same_entries(section, [e.activity for e in items], spec)
            for e in items:
                check_number(f"{section}[{e.activity}]", e.cases, spec[e.activity])
        elif section == "dfg":
            keys = [f"{e.source} -> {e.target}" for e in profile.dfg]
            same_entries(section, keys, spec)
            for key, e in zip(keys, profile.dfg):
                check_known(f"dfg[{key}]", e, spec[key], STATS)
        elif section == "variants":
            keys = [",".join(x.activities) for x in profile.variants]
            same_entries(section, keys, spec)
            for key, x in zip(keys, profile.variants):
                check_number(f"variants[{key}]", x.count, spec[key])
        elif section == "case_durations":
            check_known("case_durations", profile.case_durations, spec, STATS)
        else:
            fail(f"unknown profile expectation '{section}'")


def is_number_spec(spec):
    return isinstance(spec, dict) and (set(spec) == {"round", "value"} or set(spec) == {"tol", "value"})


def match_json(what, actual, spec):
    """An `analyze` expectation: objects key by key (the result may have more; a null spec matches
    an absent key), lists item by item with the same length, numbers as number specs, anything
    else exactly."""
    if is_number_spec(spec) or (isinstance(spec, (int, float)) and not isinstance(spec, bool)):
        check_number(what, actual, spec)
    elif spec is None:
        if actual is not None:
            fail(f"{what}: expected null, got {actual!r}")
    elif isinstance(spec, dict):
        if not isinstance(actual, dict):
            fail(f"{what}: expected an object, got {actual!r}")
        for key, item in spec.items():
            if key not in actual and item is not None:
                fail(f"{what}.{key}: expected {item!r}, got absent")
            match_json(f"{what}.{key}", actual.get(key), item)
    elif isinstance(spec, list):
        if not isinstance(actual, list) or len(actual) != len(spec):
            fail(f"{what}: expected {len(spec)} items, got {actual!r}")
        for i, (a, s) in enumerate(zip(actual, spec)):
            match_json(f"{what}[{i}]", a, s)
    elif actual != spec or type(actual) is not type(spec):
        fail(f"{what}: expected {spec!r}, got {actual!r}")


def run_analyze(v, args, expect):
    log = event_log(v, args) if ("log_events" in v or "log_file" in v) else None
    if not isinstance(v.get("request"), dict):
        fail("analyze needs a request object")
    result = js.analyze(v["request"], log)
    if expect is not None:
        match_json("result", result, expect)


def run(v):
    """Runs the vector's call and checks `expect`; raises the library's error, if any."""
    call = v.get("call")
    args = v.get("args", {})
    expect = v.get("expect")
    if call == "analyze":
        run_analyze(v, args, expect)
        return
    if "request" in v:
        fail("only analyze takes a request")
    if call == "profile":
        run_profile(v, args, expect)
        return
    if "log_events" in v or "log_file" in v:
        fail("only profile and analyze take a log")
    if call == "littles_law":
        check_args(call, args, {"wip", "throughput_per_day", "lead_time_days"})
        result = js.littles_law(**args)
        check_fields("littles_law", result, expect)
        return
    if call not in ("load", "measure", "project"):
        fail(f"unknown call '{call}'")
    if call in ("load", "project"):
        check_args(call, args, set())
    else:
        check_args(call, args, {"rework"})
    map_ = document(v)
    if call == "load":
        again = js.loads(map_.to_json())
        if expect is None:
            return
        if not isinstance(expect, dict) or set(expect) - {"round_trip"}:
            fail(f"unknown load expectation {expect!r}")
        if expect.get("round_trip") is True:
            if again != map_ or again.to_dict() != map_.to_dict():
                fail("round trip changed the document")
        return
    if call == "measure":
        metrics = map_.measure(rework=args.get("rework", "single_pass"))
        if not isinstance(expect, dict):
            fail("measure needs an expect object")
        for section, spec in expect.items():
            if section == "summary":
                check_fields("summary", metrics, spec)
            elif section in ("steps", "stages", "lanes", "moments_of_truth"):
                check_list(section, getattr(metrics, section), spec)
            elif section == "bottleneck":
                got = metrics.bottleneck.step if metrics.bottleneck is not None else None
                if spec is not None and not isinstance(spec, str):
                    fail(f"bottleneck: expected a step id or null, got {spec!r}")
                if got != spec:
                    fail(f"bottleneck: expected {spec!r}, got {got!r}")
            else:
                fail(f"unknown measure expectation '{section}'")
        return
    # project: apply the plan, measure current and future with default options, compare.
    future = map_.project().map
    comparison = js.compare(map_.measure(), future.measure())
    if not isinstance(expect, dict):
        fail("project needs an expect object")
    for section, spec in expect.items():
        if section == "comparison":
            if not isinstance(spec, dict):
                fail("comparison: expected an object")
            for metric, fields in spec.items():
                change = comparison.change(metric)
                if change is None:
                    fail(f"no metric '{metric}'")
                if not isinstance(fields, dict) or set(fields) - {"before", "after", "absolute", "relative"}:
                    fail(f"comparison.{metric}: unknown fields {fields!r}")
                check_fields(f"comparison.{metric}", change, fields)
        elif section == "steps_removed":
            if comparison.steps_removed != spec:
                fail(f"steps_removed: expected {spec}, got {comparison.steps_removed}")
        else:
            fail(f"unknown project expectation '{section}'")


def check_error(e, spec):
    if not isinstance(spec, dict):
        fail("error must be an object")
    for key in spec:
        if key not in ERROR_KEYS:
            fail(f"unknown error expectation '{key}'")
    if "kind" in spec:
        kind = spec["kind"]
        if kind not in KIND_CLASSES:
            fail(f"unknown error kind {kind!r}")
        if type(e) is not KIND_CLASSES[kind]:
            fail(f"expected {KIND_CLASSES[kind].__name__}, got {type(e).__name__} ({e})")
        if e.kind != kind:
            fail(f"expected kind {kind!r}, got {e.kind!r} ({e})")
    if "path" in spec and e.path != spec["path"]:
        fail(f"expected path {spec['path']!r}, got {e.path!r} ({e})")
    if "message_contains" in spec and spec["message_contains"] not in str(e):
        fail(f"message {str(e)!r} does not contain {spec['message_contains']!r}")


def test_vectors_are_there():
    assert len(VECTORS) >= 30, f"expected the conformance vectors in {ROOT / 'tests' / 'vectors'}"


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_vector(path):
    v = json.loads(path.read_text(encoding="utf-8"))
    unknown = set(v) - VECTOR_KEYS
    assert not unknown, f"unknown vector fields {sorted(unknown)}"
    assert not ("expect" in v and "error" in v), "a vector has expect or error, not both"
    try:
        run(v)
    except js.JourneyStreamError as e:
        if "error" not in v:
            pytest.fail(f"unexpected error {type(e).__name__}: {e}")
        check_error(e, v["error"])
        return
    if "error" in v:
        pytest.fail(f"expected an error {v['error']}, got success")
