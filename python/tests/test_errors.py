"""The exception hierarchy and the attributes every error carries."""

import json
from pathlib import Path

import pytest

import journeystream as js
from journeystream import _native

ROOT = Path(__file__).resolve().parents[2]

SUBCLASSES = {
    "io": "IoError",
    "parse": "ParseError",
    "unknown_reference": "UnknownReferenceError",
    "duplicate_id": "DuplicateIdError",
    "out_of_range": "OutOfRangeError",
    "negative_time": "NegativeTimeError",
    "emotion_out_of_scale": "EmotionOutOfScaleError",
    "cycle_without_exit": "CycleWithoutExitError",
    "invalid": "InvalidError",
    "missing_data": "MissingDataError",
    "invalid_argument": "InvalidArgumentError",
    "input": "InputError",
}


def test_root_is_a_value_error():
    assert issubclass(js.JourneyStreamError, ValueError)
    assert js.JourneyStreamError is _native.JourneyStreamError


@pytest.mark.parametrize("kind,name", sorted(SUBCLASSES.items()))
def test_hierarchy(kind, name):
    cls = getattr(js, name)
    assert cls is getattr(_native, name)
    assert issubclass(cls, js.JourneyStreamError) and cls is not js.JourneyStreamError
    assert cls.__bases__ == (js.JourneyStreamError,)
    assert cls.__module__ == "journeystream"
    assert js.ERRORS_BY_KIND[kind] is cls
    assert name in js.__all__


def test_every_error_class_is_mapped():
    native = {
        n for n in dir(_native) if isinstance(getattr(_native, n), type) and issubclass(getattr(_native, n), js.JourneyStreamError)
    }
    assert native == set(SUBCLASSES.values()) | {"JourneyStreamError"}
    assert set(js.ERRORS_BY_KIND) == set(SUBCLASSES)


def test_attributes_of_a_validation_error():
    with pytest.raises(js.DuplicateIdError) as e:
        js.loads('{"journey": {"id": "j", "name": "J", "stages": [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}]}}')
    err = e.value
    assert err.kind == "duplicate_id"
    assert err.path == "journey.stages[1].id"
    assert err.file is None
    assert "journey.stages[0].id" in str(err)


def test_syntax_error_has_no_path():
    with pytest.raises(js.ParseError) as e:
        js.loads('{"value_stream": ')
    assert e.value.kind == "parse" and e.value.path is None and e.value.file is None
    assert "line 1" in str(e.value)


def test_empty_document():
    with pytest.raises(js.ParseError, match="empty"):
        js.loads("")


def test_load_of_a_bad_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"value_stream": {"id": "v", "name": "V", "time_basis": {"days": "calendar"},'
                   ' "steps": [{"id": "s", "name": "S", "process_time": "-1s"}]}}')
    with pytest.raises(js.NegativeTimeError) as e:
        js.load(bad)
    assert e.value.kind == "negative_time"
    assert e.value.file == str(bad)
    assert e.value.path == "value_stream.steps[0].process_time"
    assert str(bad) in str(e.value)


def test_load_of_a_broken_file_names_the_file(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text("{")
    with pytest.raises(js.ParseError) as e:
        js.load(str(bad))
    assert e.value.file == str(bad)


def test_missing_file_is_an_io_error(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(js.IoError) as e:
        js.load(missing)
    assert e.value.kind == "io"
    assert e.value.file == str(missing)
    assert e.value.path is None
    assert isinstance(e.value, ValueError)


def test_missing_data():
    with pytest.raises(js.MissingDataError) as e:
        js.Map(journey=js.Journey(id="j", name="J", stages=[])).measure()
    assert e.value.path == "value_stream"


def test_invalid_argument_has_no_path():
    with pytest.raises(js.InvalidArgumentError) as e:
        js.littles_law()
    assert e.value.kind == "invalid_argument" and e.value.path is None and e.value.file is None


def test_native_errors_catchable_as_value_error():
    with pytest.raises(ValueError):
        js.loads("[1, 2")


def test_python_parse_errors_look_like_native_ones():
    with pytest.raises(js.ParseError) as e:
        js.Map.from_dict({"version": 1, "bogus": True})
    assert type(e.value) is js.ParseError
    assert (e.value.kind, e.value.path, e.value.file) == ("parse", "bogus", None)
    native = None
    try:
        js.loads(json.dumps({"version": 1, "bogus": True}))
    except js.ParseError as n:
        native = n
    assert native is not None and (native.kind, native.path) == ("parse", "bogus")
