"""Document classes: keyword construction, reprs, strict dict conversion, and drift against the
Rust library's JSON for documents and results."""

import dataclasses
import json
import sys
from pathlib import Path

import pytest

import journeystream as js
from journeystream import _native

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
VECTORS = sorted((ROOT / "tests" / "vectors").glob("*.json"))


def small_map():
    return js.Map(
        journey=js.Journey(
            id="bike",
            name="Buying a bike",
            stages=[
                js.Stage(
                    id="purchase",
                    name="Purchase",
                    touchpoints=[js.Touchpoint(id="shop", name="Web shop", channel="web", emotion=1)],
                )
            ],
        ),
        value_stream=js.ValueStream(
            id="order",
            name="Order",
            time_basis=js.TimeBasis(days="working", day_length="8h"),
            steps=[
                js.Step(id="pick", name="Pick", process_time="5min", wait="2h", touchpoint="shop"),
                js.Step(id="pack", name="Pack", process_time="10min", wait="1d", complete_accurate_pct=90),
                js.Step(id="ship", name="Ship", process_time="15min", wait="1h", lane="back_stage"),
            ],
            rework=[js.ReworkLoop(from_="ship", to="pack", share_pct=10)],
        ),
    )


def document_texts():
    """(name, canonical text) of every example and every vector document that loads."""
    out = []
    for path in EXAMPLES:
        out.append((f"examples/{path.name}", _native.load_path(str(path))))
    for path in VECTORS:
        v = json.loads(path.read_text(encoding="utf-8"))
        if "error" in v or v.get("call") in ("littles_law", "profile", "analyze"):
            continue
        if "document_file" in v:
            text = (ROOT / v["document_file"]).read_text(encoding="utf-8")
        elif "document_text" in v:
            text = v["document_text"]
        else:
            text = json.dumps(v["document"])
        out.append((f"vectors/{path.name}", _native.load_json(text)))
    return out


DOCUMENTS = document_texts()
DOC_IDS = [name for name, _ in DOCUMENTS]


# ---------------------------------------------------------------------------------------------
# Construction


def test_keyword_construction_measures():
    m = small_map()
    m.validate()
    assert m.problems() == []
    metrics = m.measure()
    assert isinstance(metrics, js.ValueStreamMetrics)
    assert metrics.day_length == 8 * 3600
    # waits 2h + 8h + 1h, process times 30 min
    assert metrics.lead_time == pytest.approx(11 * 3600 + 30 * 60)
    assert metrics.process_time == pytest.approx(30 * 60)
    assert [s.id for s in metrics.steps] == ["pick", "pack", "ship"]
    assert metrics.rolled_complete_accurate == pytest.approx(0.9)
    assert metrics.rework_adjusted_lead_time > metrics.lead_time
    assert metrics.stages[0].id == "purchase"
    assert metrics.bottleneck is not None and metrics.bottleneck.basis == "cycle_time"


def test_constructors_take_keywords_only():
    with pytest.raises(TypeError):
        js.Stage("a", "A")
    with pytest.raises(TypeError):
        js.Stage(id="a")  # name is required
    assert js.Stage(id="a", name="A").touchpoints == []


def test_defaults_are_written_and_empty_lists_left_out():
    step = js.Step(id="s", name="S", process_time="1min")
    assert step.to_dict() == {
        "id": "s",
        "name": "S",
        "process_time": "1min",
        "complete_accurate_pct": 100.0,
        "value_class": "value_adding",
        "uptime_pct": 100.0,
    }
    assert js.Step(id="s", name="S", process_time="1min", next=[]).to_dict()["next"] == []
    assert js.Journey(id="j", name="J", stages=[]).to_dict() == {
        "id": "j",
        "name": "J",
        "emotion_scale": {"min": -2.0, "max": 2.0},
        "stages": [],
    }
    assert js.AvailableTime(shift_length="8h").to_dict() == {
        "shift_length": "8h",
        "shifts_per_day": 1.0,
        "breaks_per_shift": "0s",
        "other_downtime_per_shift": "0s",
    }
    assert js.Map().to_dict() == {"version": 1}


def test_ints_in_float_fields_write_as_floats():
    text = js.Step(id="s", name="S", process_time="1min", complete_accurate_pct=90).to_dict()
    assert isinstance(text["complete_accurate_pct"], float)
    assert '"complete_accurate_pct": 90.0' in small_map().to_json()


def test_keyword_map_matches_native_canonical_json():
    m = small_map()
    assert m.to_json() == _native.load_json(m.to_json())
    assert js.loads(m.to_json()) == m


def test_reprs():
    assert repr(js.load(ROOT / "examples" / "support-journey.json")) == (
        "Map(journey='Getting a faulty device fixed', stages=5, steps=10, initiatives=5)"
    )
    assert repr(js.load(ROOT / "examples" / "acme-stamping.json")).startswith(
        "Map(value_stream='Acme Stamping"
    )
    assert repr(js.Map()) == "Map()"
    assert repr(js.Stage(id="a", name="A")) == "Stage(id='a', name='A')"
    stage = js.Stage(id="a", name="A", touchpoints=[js.Touchpoint(id="t", name="T", channel="web")])
    assert repr(stage) == "Stage(id='a', name='A', touchpoints=<1 Touchpoint>)"
    assert repr(js.Route(step="b")) == "Route(step='b')"
    metrics = js.load(ROOT / "examples" / "acme-stamping.json").measure()
    assert "steps=<6 StepMetrics>" in repr(metrics)
    assert len(repr(metrics)) < 2000


def test_rework_loop_from_is_from_in_json():
    loop = js.ReworkLoop(from_="b", to="a", share_pct=5)
    assert loop.to_dict() == {"from": "b", "to": "a", "share_pct": 5.0}
    assert js.ReworkLoop.from_dict({"from": "b", "to": "a", "share_pct": 5}) == loop


def test_opportunity_priority_is_rice():
    o = js.Opportunity(id="o", name="Self-service returns", reach=500, impact=2, confidence_pct=80, effort=4)
    assert o.priority == 200.0
    support = js.load(ROOT / "examples" / "support-journey.json")
    auto_triage = support.journey.stages[2].opportunities[0]
    assert auto_triage.priority == pytest.approx(2400 * 2 * 0.8 / 3)


def test_kpi_target_is_number_or_time():
    assert js.KpiTarget.from_dict({"kpi": "nps", "target": 30}).target == 30.0
    assert js.KpiTarget.from_dict({"kpi": "resolution_time", "target": "48h"}).target == "48h"


def test_stage_preset():
    stages = js.stage_preset("five_stage")
    assert [s.id for s in stages] == ["awareness", "consideration", "purchase", "retention", "advocacy"]
    assert all(isinstance(s, js.Stage) for s in stages)
    assert [s.name for s in js.stage_preset("three_stage")] == ["Pre-purchase", "Purchase", "Post-purchase"]
    with pytest.raises(js.InvalidArgumentError, match="five_stage"):
        js.stage_preset("seven_stage")


def test_littles_law():
    law = js.littles_law(wip=7000, throughput_per_day=920)
    assert isinstance(law, js.LittlesLaw)
    assert law.lead_time_days == pytest.approx(7000 / 920)
    assert law.to_dict() == {"wip": 7000.0, "throughput_per_day": 920.0, "lead_time_days": 7000 / 920}
    with pytest.raises(js.InvalidArgumentError, match="exactly two"):
        js.littles_law(wip=1)


def test_version_and_dumps():
    assert js.__version__ == _native.__version__
    assert js.__version__.count(".") == 2
    m = small_map()
    assert js.dumps(m) == m.to_json()
    assert js.loads(js.dumps(m).encode("utf-8")) == m


# ---------------------------------------------------------------------------------------------
# Validation through the native library


def test_invalid_objects_raise_typed_errors_with_paths():
    m = small_map()
    m.value_stream.steps[1].complete_accurate_pct = 120
    with pytest.raises(js.OutOfRangeError) as e:
        m.measure()
    assert e.value.path == "value_stream.steps[1].complete_accurate_pct"
    with pytest.raises(js.OutOfRangeError):
        m.validate()
    problems = m.problems()
    assert problems == [
        js.Problem(kind="out_of_range", path="value_stream.steps[1].complete_accurate_pct", message=problems[0].message)
    ]
    assert "120" in problems[0].message


def test_wrong_python_types_surface_as_parse_errors():
    m = small_map()
    m.value_stream.steps[0].process_time = "5 parsecs"
    with pytest.raises(js.ParseError) as e:
        m.validate()
    assert e.value.path == "value_stream.steps[0].process_time"
    m.value_stream.steps[0].process_time = "5min"
    m.value_stream.steps[0].lane = "upstairs"
    with pytest.raises(js.ParseError) as e:
        m.measure()
    assert e.value.path == "value_stream.steps[0].lane"


def test_problems_lists_every_problem():
    m = small_map()
    m.value_stream.steps[0].touchpoint = "fax"
    m.value_stream.steps[2].uptime_pct = 0
    kinds = [(p.kind, p.path) for p in m.problems()]
    assert ("unknown_reference", "value_stream.steps[0].touchpoint") in kinds
    assert ("out_of_range", "value_stream.steps[2].uptime_pct") in kinds


def test_project_and_report():
    support = js.load(ROOT / "examples" / "support-journey.json")
    p = support.project()
    assert isinstance(p, js.Projection) and isinstance(p.map, js.Map)
    assert p.map.plan is None
    assert any(a.effect == "remove step" for a in p.applied)
    assert all(isinstance(a, js.AppliedEffect) for a in p.applied)
    c = js.compare(support.measure(), p.map.measure())
    assert c == js.compare(support, p.map)
    assert c.steps_removed == ["assign"]
    assert c.change("lead_time").relative < 0
    assert c.change("no such metric") is None
    text = support.report()
    assert "Support case, current state" in text
    both = support.report(p.map)
    assert len(both) > len(text)
    with pytest.raises(js.MissingDataError) as e:
        js.load(ROOT / "examples" / "acme-stamping.json").project()
    assert e.value.path == "plan"


def test_geometric_rework():
    support = js.load(ROOT / "examples" / "support-journey.json")
    single = support.measure()
    geometric = support.measure(rework="geometric")
    assert single.rework_model == "single_pass" and geometric.rework_model == "geometric"
    assert geometric.rework_adjusted_lead_time > single.rework_adjusted_lead_time
    with pytest.raises(js.InvalidArgumentError, match="single_pass"):
        support.measure(rework="triple")


# ---------------------------------------------------------------------------------------------
# Strict from_dict


def test_from_dict_rejects_unknown_keys_with_path():
    data = json.loads(small_map().to_json())
    data["value_stream"]["steps"][1]["proces_time"] = "1min"
    with pytest.raises(js.ParseError) as e:
        js.Map.from_dict(data)
    assert e.value.kind == "parse"
    assert e.value.path == "value_stream.steps[1].proces_time"
    assert e.value.file is None
    assert "unknown field `proces_time`" in str(e.value)
    assert isinstance(e.value, js.JourneyStreamError) and isinstance(e.value, ValueError)


def test_from_dict_rejects_missing_and_mistyped_values():
    with pytest.raises(js.ParseError) as e:
        js.Map.from_dict({"journey": {"id": "j", "name": "J"}})
    assert e.value.path == "journey" and "missing field `stages`" in str(e.value)
    with pytest.raises(js.ParseError) as e:
        js.Step.from_dict({"id": "s", "name": "S", "process_time": "1s", "uptime_pct": "high"})
    assert e.value.path == "uptime_pct"
    with pytest.raises(js.ParseError) as e:
        js.Step.from_dict({"id": "s", "name": "S", "process_time": "1s", "lane": "upstairs"})
    assert e.value.path == "lane" and "unknown variant `upstairs`" in str(e.value)
    with pytest.raises(js.ParseError) as e:
        js.PainPoint.from_dict({"id": "p", "description": "d", "severity": 2.5})
    assert e.value.path == "severity"
    with pytest.raises(js.ParseError) as e:
        js.Map.from_dict([])
    assert e.value.path is None
    with pytest.raises(js.ParseError):
        js.Stage.from_dict({"id": "s", "name": "S", "touchpoints": {}})


def test_results_from_dict_are_strict():
    metrics = js.load(ROOT / "examples" / "acme-stamping.json").measure().to_dict()
    extra = dict(metrics, flow_efficiency=0.5)
    with pytest.raises(js.ParseError) as e:
        js.ValueStreamMetrics.from_dict(extra)
    assert e.value.path == "flow_efficiency"
    missing = dict(metrics)
    del missing["takt_time"]
    with pytest.raises(js.ParseError, match="missing field `takt_time`"):
        js.ValueStreamMetrics.from_dict(missing)
    metrics["steps"][0]["new_metric"] = 1.0
    with pytest.raises(js.ParseError) as e:
        js.ValueStreamMetrics.from_dict(metrics)
    assert e.value.path == "steps[0].new_metric"


def test_results_are_frozen():
    metrics = js.load(ROOT / "examples" / "acme-stamping.json").measure()
    with pytest.raises(dataclasses.FrozenInstanceError):
        metrics.lead_time = 0.0


# ---------------------------------------------------------------------------------------------
# Round trip and drift against the Rust JSON


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_round_trip(path):
    m = js.load(path)
    again = js.Map.from_dict(m.to_dict())
    assert again == m
    assert again.to_dict() == m.to_dict()
    assert js.loads(m.to_json()) == m


@pytest.mark.parametrize("text", [t for _, t in DOCUMENTS], ids=DOC_IDS)
def test_document_drift(text):
    rust = json.loads(text)
    m = js.Map.from_dict(rust)
    assert m.to_dict() == rust
    # The same text, not only the same data: key order, number format, indentation.
    assert m.to_json() == text


@pytest.mark.parametrize("text", [t for _, t in DOCUMENTS], ids=DOC_IDS)
def test_result_drift(text):
    rust = json.loads(text)
    if "value_stream" not in rust:
        pytest.skip("no value stream to measure")
    for rework in ("single_pass", "geometric"):
        result = json.loads(_native.measure(text, rework))
        assert js.ValueStreamMetrics.from_dict(result).to_dict() == result
    if "plan" in rust:
        projected = json.loads(_native.project(text))
        assert js.Projection.from_dict(projected).to_dict() == projected
        before = _native.measure(text)
        after = _native.measure(json.dumps(projected["map"]))
        comparison = json.loads(_native.compare(before, after))
        assert js.Comparison.from_dict(comparison).to_dict() == comparison


def test_drift_covers_every_result_class():
    """The documents above exercise every result class and every optional branch."""
    support = js.load(ROOT / "examples" / "support-journey.json").measure()
    acme = js.load(ROOT / "examples" / "acme-stamping.json").measure()
    assert support.moments_of_truth and support.stages and support.lanes
    assert acme.bottleneck is not None and support.bottleneck is not None
    assert any(s.inventory_days is not None for s in acme.steps)


def test_to_pandas_without_pandas(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    metrics = js.load(ROOT / "examples" / "acme-stamping.json").measure()
    with pytest.raises(ImportError, match="pip install pandas"):
        metrics.to_pandas()
