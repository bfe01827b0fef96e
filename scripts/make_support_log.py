#!/usr/bin/env python3
"""Writes examples/support-log.csv: 80 synthetic support cases that follow the value stream of
examples/support-journey.json (activities named like its steps; waits and process times drawn
around the document's values, branch 60/40 after diagnosis, 15% reopened after confirmation).
Deterministic: the same file every run."""
import csv
import datetime as dt
import random
from pathlib import Path

rng = random.Random(2026)
H = 3600.0
# step name, mean wait before (s), process time (s)
STEPS = {
    "search": ("Search help center", 0, 600),
    "open": ("Open ticket in chat", 900, 360),
    "triage": ("Triage and categorise", 4 * H, 300),
    "assign": ("Assign to specialist", 6 * H, 180),
    "diagnose": ("Diagnose with customer", 24 * H, 1500),
    "approve": ("Approve replacement", 24 * H, 300),
    "ship": ("Ship replacement", 48 * H, 900),
    "remote": ("Guided remote fix", 2 * H, 1200),
    "confirm": ("Confirm resolution", 4 * H, 300),
    "close": ("Close and survey", 24 * H, 120),
}


def path():
    p = ["open", "triage", "assign", "diagnose"] if rng.random() < 0.2 else ["search", "open", "triage", "assign", "diagnose"]
    while True:
        p += ["approve", "ship", "confirm"] if rng.random() < 0.6 else ["remote", "confirm"]
        if rng.random() >= 0.15:
            break
        p.append("diagnose")
    return p + ["close"]


def main():
    out = Path(__file__).resolve().parent.parent / "examples" / "support-log.csv"
    t0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)
    rows = []
    for n in range(80):
        t = t0 + dt.timedelta(seconds=n * 5400 + rng.randint(0, 1800))
        for step in path():
            name, wait, pt = STEPS[step]
            t += dt.timedelta(seconds=round(rng.expovariate(1 / wait)) if wait else 0)
            t += dt.timedelta(seconds=round(pt * rng.uniform(0.6, 1.4)))
            rows.append((f"case-{n + 1:03d}", name, t.strftime("%Y-%m-%dT%H:%M:%SZ")))
    with out.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "activity", "timestamp"])
        w.writerows(rows)
    print(f"wrote {out} ({len(rows)} events)")


if __name__ == "__main__":
    main()
