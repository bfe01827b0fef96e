#!/usr/bin/env python3
"""Checks the executed tour notebook and its HTML export as a person would see them.

The notebook (examples/tour.ipynb, written by examples/notebook/make_tour.py): every cell that
shows a result shows it as a picture or a table (``text/html`` holding an ``<svg>`` or a
``<table>``), none failed. The HTML export, opened in headless Chromium (the DevTools pipe of
check_report.py): each expected chart is on the page, visible and sized, every SVG parses as XML
with a <title>, no console errors; a full-page screenshot is saved.

Usage: check_notebook.py tour.ipynb tour.html [screenshot.png]. Exits 1 on any failure.
"""
import base64
import json
import re
import shutil
import os
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_report import Browser  # noqa: E402

# Texts of the charts the tour must show (each in some SVG on the page).
CHARTS = ["Journey map", "lead-time ladder", "Flow graph", "Funnel", "Retention by day",
          "Attribution (markov)", "nps with 95% intervals", "churn_rate: after", "model against observed"]


def main():
    notebook, page = Path(sys.argv[1]), Path(sys.argv[2])
    shot = Path(sys.argv[3]) if len(sys.argv) > 3 else page.with_suffix(".png")
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    nb = json.loads(notebook.read_text(encoding="utf-8"))
    shown = 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        outputs = cell.get("outputs", [])
        check(all(o["output_type"] != "error" for o in outputs), f"cell {i} ran without an error")
        for o in outputs:
            if o["output_type"] != "execute_result" or "text/html" not in o.get("data", {}):
                continue
            text = "".join(o["data"]["text/html"])
            check("<svg" in text or "<table" in text, f"cell {i} shows its result as a picture or a table")
            shown += 1
    check(shown >= 16, f"{shown} results shown as pictures or tables (16 expected)")

    html = page.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    for i, svg in enumerate(svgs):
        try:
            root = ET.fromstring(svg)
            check(root.find("{http://www.w3.org/2000/svg}title") is not None, f"SVG {i + 1} parses and has a <title>")
        except ET.ParseError as e:
            check(False, f"SVG {i + 1} parses as XML: {e}")
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        print("FAIL no chromium found")
        return 1
    with tempfile.TemporaryDirectory(prefix="js-chromium-") as profile:
        b = Browser(binary, profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                b.call(f"{domain}.enable", session=s)
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=s)
            b.call("Page.navigate", {"url": page.resolve().as_uri()}, session=s)
            b.wait_for("Page.loadEventFired")
            probe = """(() => {
              const out = {};
              const svgs = Array.from(document.querySelectorAll('svg'));
              for (const want of %s) {
                const el = svgs.find(s => s.textContent.toLowerCase().includes(want.toLowerCase()));
                if (!el) { out[want] = null; continue; }
                const r = el.getBoundingClientRect();
                out[want] = {width: r.width, height: r.height, texts: el.querySelectorAll('text').length};
              }
              out.tables = document.querySelectorAll('table').length;
              return JSON.stringify(out);
            })()""" % json.dumps(CHARTS)
            found = json.loads(b.call("Runtime.evaluate", {"expression": probe, "returnByValue": True},
                                      session=s)["result"]["value"])
            for want in CHARTS:
                f = found[want]
                check(f is not None and f["width"] > 200 and f["height"] > 80 and f["texts"] >= 3,
                      f"chart '{want}' is drawn" + ("" if f is None else f" ({f['width']:.0f} x {f['height']:.0f} px)"))
            check(found["tables"] >= 10, f"{found['tables']} tables on the page")
            metrics = b.call("Page.getLayoutMetrics", session=s)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            data = b.call("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
                session=s, timeout=60)["data"]
            shot.parent.mkdir(parents=True, exist_ok=True)
            shot.write_bytes(base64.b64decode(data))
            problems = [e for e in b.events if e.get("method") == "Runtime.exceptionThrown"
                        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
                        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error")]
            check(not problems, "no console errors or exceptions" + "".join(f"\n     {p}" for p in problems))
        finally:
            b.close()
    print(f"notebook: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
