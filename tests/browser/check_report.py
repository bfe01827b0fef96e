#!/usr/bin/env python3
"""Opens out/report.html in headless Chromium and checks it as a person would see it.

Talks to the browser over the DevTools protocol on a pipe (--remote-debugging-pipe; no Python
packages needed): loads the page from disk with a fresh profile and no network, collects console
messages, log entries and exceptions, checks that the journey map, service blueprint, value stream
map and flow graph are present, visible, sized, and carry their key text, that every SVG has a
<title> and parses as XML, and saves a full-page screenshot (out/report.png by default).

Usage: check_report.py [report.html] [screenshot.png]. Exits 1 on any failure.
Set CHROMIUM to use another browser binary.
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe",
]
# What must be on the page: section, selector, texts its drawing must show.
EXPECT = [
    ("journey map", "#journey-map svg", ["Problem noticed", "Support chat", "Emotion", "Pain points",
                                          "Moments of truth", "Negative", "Priority #1"]),
    ("service blueprint", "#blueprint svg", ["Line of visibility", "Front stage", "Triage and categorise"]),
    ("value stream map", "#value-stream svg", ["Current state", "Future state", "BOTTLENECK", "Lead time",
                                               "Takt", "C/T", "%C&A", "Activity ratio"]),
    ("flow graph", "#flow-graph svg", ["Open ticket in chat", "Confirm resolution", "events"]),
]


class Browser:
    def __init__(self, binary, profile):
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds():  # the browser reads commands from fd 3 and writes replies to fd 4
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._id = 0
        self.events = []

    def _read(self, deadline):
        while b"\0" not in self._buf:
            if time.time() > deadline:
                raise TimeoutError("the browser did not answer in time")
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("the browser closed the pipe: " + self.proc.stderr.read().decode(errors="replace")[-2000:])
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            e = self._read(deadline)
            self.events.append(e)
            if e.get("method") == method:
                return e

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main():
    report = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "report.html").resolve()
    shot = Path(sys.argv[2] if len(sys.argv) > 2 else report.with_suffix(".png"))
    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    failures = []

    def check(ok, what):
        print(("ok   " if ok else "FAIL ") + what)
        if not ok:
            failures.append(what)

    if not binary:
        print("FAIL no chromium found (install Debian's chromium package)")
        return 1
    if not report.exists():
        print(f"FAIL {report} does not exist: run scripts/demo.sh first")
        return 1
    html = report.read_text(encoding="utf-8")
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    check(len(svgs) >= 4, f"the report holds {len(svgs)} SVG drawings (4 expected)")
    for i, svg in enumerate(svgs):
        try:
            root = ET.fromstring(svg)
            titled = root.find("{http://www.w3.org/2000/svg}title") is not None
            check(titled, f"SVG {i + 1} parses as XML and has a <title>")
        except ET.ParseError as e:
            check(False, f"SVG {i + 1} parses as XML: {e}")
    check("<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", ""),
          "no scripts and no links to fetch")

    with tempfile.TemporaryDirectory(prefix="js-chromium-") as profile:
        b = Browser(binary, profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                b.call(f"{domain}.enable", session=s)
            b.call("Emulation.setDeviceMetricsOverride",
                   {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False}, session=s)
            started = time.time()
            b.call("Page.navigate", {"url": report.as_uri()}, session=s)
            b.wait_for("Page.loadEventFired")
            load_ms = (time.time() - started) * 1000
            probe = """(() => {
              const out = {};
              for (const [name, sel, texts] of %s) {
                const el = document.querySelector(sel);
                if (!el) { out[name] = {present: false}; continue; }
                const r = el.getBoundingClientRect();
                const st = getComputedStyle(el);
                const text = Array.from(el.querySelectorAll('text')).map(t => t.textContent).join('\\n').toLowerCase();
                const box = el.querySelector('text') ? el.querySelector('text').getBBox() : {width: 0};
                out[name] = {present: true, width: r.width, height: r.height,
                  visible: st.display !== 'none' && st.visibility !== 'hidden' && Number(st.opacity) > 0,
                  textElements: el.querySelectorAll('text').length, firstTextWidth: box.width,
                  missing: texts.filter(t => !text.includes(t.toLowerCase()))};
              }
              out.title = document.title;
              out.h1 = document.querySelector('h1') && document.querySelector('h1').textContent;
              return JSON.stringify(out);
            })()""" % json.dumps([[n, sel, t] for n, sel, t in EXPECT])
            res = b.call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=s)
            found = json.loads(res["result"]["value"])
            check(bool(found.get("h1")), f"page heading: {found.get('h1')!r}")
            for name, _, _ in EXPECT:
                f = found[name]
                check(f["present"], f"{name} is on the page")
                if not f["present"]:
                    continue
                check(f["visible"] and f["width"] > 300 and f["height"] > 150,
                      f"{name} is visible ({f['width']:.0f} x {f['height']:.0f} px)")
                check(f["textElements"] > 5 and f["firstTextWidth"] > 0,
                      f"{name} shows real text ({f['textElements']} <text> elements)")
                check(not f["missing"], f"{name} shows its key labels" +
                      (f" (missing: {f['missing']})" if f["missing"] else ""))
            metrics = b.call("Page.getLayoutMetrics", session=s)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            shot_data = b.call("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}},
                session=s, timeout=60)["data"]
            shot.parent.mkdir(parents=True, exist_ok=True)
            shot.write_bytes(base64.b64decode(shot_data))
            check(shot.stat().st_size > 10000, f"screenshot {shot} ({size['width']:.0f} x {size['height']:.0f} px)")
            problems = []
            for e in b.events:
                m, p = e.get("method"), e.get("params", {})
                if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
                    problems.append("console " + p["type"] + ": " + " ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
                elif m == "Runtime.exceptionThrown":
                    problems.append("exception: " + p["exceptionDetails"].get("text", ""))
                elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                    problems.append("log " + p["entry"]["level"] + ": " + p["entry"]["text"])
            check(not problems, "no console errors, warnings or exceptions" + "".join("\n     " + x for x in problems))
            print(f"page loaded in {load_ms:.0f} ms")
        finally:
            b.close()
    print(f"browser: {'FAILED' if failures else 'passed'} ({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
