"""Drawings from Python: SVG of maps and profiles, the HTML report, DOT/Mermaid, Jupyter display,
saving by extension; the same bytes as the Rust library gives."""

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def support():
    return js.load(ROOT / "examples" / "support-journey.json")


@pytest.fixture(scope="module")
def profile():
    return js.read_csv(ROOT / "examples" / "support-log.csv").profile()


def parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == SVG_NS + "svg"
    assert root.find(SVG_NS + "title") is not None
    return root


@pytest.mark.parametrize("kind", js.render.KINDS)
def test_every_map_drawing_is_xml_and_deterministic(support, kind):
    svg = support.to_svg(kind=kind)
    root = parse(svg)
    texts = [t.text for t in root.iter(SVG_NS + "text")]
    assert len(texts) > 10
    assert svg == support.to_svg(kind=kind)


def test_default_kinds_and_options(support):
    assert "Journey map: Getting a faulty device fixed" in support.to_svg()
    acme = js.load(ROOT / "examples" / "acme-stamping.json")
    assert "Value stream map: " in acme.to_svg() and "Takt" in acme.to_svg()
    small = support.to_svg(font_size=10, title="Support <wall>")
    assert "Support &lt;wall&gt;" in small
    with pytest.raises(js.OutOfRangeError) as e:
        support.to_svg(font_size=100)
    assert e.value.path == "font_size"
    with pytest.raises(js.InvalidArgumentError):
        support.to_svg(kind="pie")
    with pytest.raises(js.MissingDataError) as e:
        acme.to_svg(kind="journey_map")
    assert e.value.path == "journey"


def test_jupyter_display(support, profile):
    assert support._repr_svg_().startswith("<svg")
    assert support._repr_html_().startswith('<div style="overflow-x:auto')
    assert profile._repr_svg_().startswith("<svg")
    # A map that cannot be drawn falls back to its text repr instead of raising.
    assert js.Map()._repr_svg_() is None


def test_profile_graph(profile):
    svg = profile.to_svg()
    assert ">Open ticket in chat</text>" in svg
    parse(svg)
    assert "median flow time" in profile.to_svg(labels="performance")
    dot = profile.to_dot(edge_threshold=0.5)
    assert dot.startswith("digraph ") and 'label="12"' not in dot
    assert profile.to_mermaid().startswith("flowchart TD")


def test_report_and_save(support, profile, tmp_path):
    html = support.to_html(profile=profile)
    assert html.startswith("<!DOCTYPE html>") and 'id="flow-graph"' in html and "<script" not in html
    support.save(tmp_path / "map.html", profile=profile)
    assert (tmp_path / "map.html").read_text(encoding="utf-8") == html
    support.save(tmp_path / "vsm.svg", kind="value_stream")
    parse((tmp_path / "vsm.svg").read_text(encoding="utf-8"))
    support.save(tmp_path / "flow.dot")
    assert "rework" in (tmp_path / "flow.dot").read_text(encoding="utf-8")
    support.save(tmp_path / "flow.mmd")
    profile.save(tmp_path / "dfg.svg")
    profile.save(tmp_path / "dfg.html")
    assert (tmp_path / "dfg.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        support.save(tmp_path / "map.pdf")


def test_charts():
    f = js.render.funnel([("Visit", 1000), ("Sign up", 420), ("Buy", 95)])
    parse(f)
    assert "42% of Visit" in f and f._repr_svg_() == str(f)
    s = js.render.sankey([("Web", "Chat", 30), ("Chat", "Buy", 25), ("Web", "Buy", 5)])
    parse(s)
    r = js.render.retention(["2026-01", "2026-02"], ["M0", "M1"], [[1.0, 0.42], [1.0, None]])
    assert "42%" in r
    with pytest.raises(js.OutOfRangeError) as e:
        js.render.retention(["a"], ["M0"], [[1.5]])
    assert e.value.path == "values[0][0]"


def test_same_bytes_as_rust(support, tmp_path):
    """The draw example (Rust) and Python give identical SVG."""
    out = tmp_path / "rust.svg"
    r = subprocess.run(
        ["cargo", "run", "--quiet", "-p", "journeystream", "--example", "draw", "--",
         str(ROOT / "examples" / "support-journey.json"), "value_stream_compare", str(out)],
        cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"cargo not usable here: {r.stderr[-300:]}")
    assert out.read_text(encoding="utf-8") == support.to_svg(kind="value_stream_compare")
