"""Hardening seen from Python: threads sharing a log agree with one thread, memory stays flat
over many calls, and the fuzzers' seed corpora (which hold every crash input found) cross the
boundary as results or journeystream errors, never as a panic."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

import journeystream as js

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / "tests" / "data" / "logs"
SEEDS = ROOT / "fuzz" / "seeds"

REQUESTS = [
    {"analysis": "profile"},
    {"analysis": "activity_stats"},
    {"analysis": "arrivals", "period": "hour"},
    {"analysis": "funnel", "steps": ["visit", "chat", "buy"]},
    {"analysis": "transition_graph"},
    {"analysis": "step_matrix", "max_steps": 5},
    {"analysis": "top_paths", "top": 5},
    {"analysis": "retention", "period": "day", "periods": 3},
    {"analysis": "kpi", "metric": "nps", "score_attribute": "score"},
    {"analysis": "kpi", "metric": "resolution_time", "from_activity": "visit", "to_activity": "buy"},
    {"analysis": "stage_dwell", "stage_attribute": "stage"},
    {"analysis": "emotion_curve", "score_attribute": "sentiment", "stage_attribute": "stage"},
    {"analysis": "attribution", "model": "markov", "conversion": {"activity": "buy"}},
]


@pytest.fixture(scope="module")
def log() -> js.EventLog:
    return js.read_csv(LOGS / "kpi_journeys.csv")


def results(log: js.EventLog) -> list:
    return [json.dumps(js.analyze(r, log), sort_keys=True) for r in REQUESTS]


def test_threads_sharing_a_log_agree_with_one_thread(log):
    alone = results(log)
    got: dict = {}

    def work(k: int) -> None:
        got[k] = [results(log) for _ in range(3)]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == [0, 1, 2, 3]
    for rounds in got.values():
        for r in rounds:
            assert r == alone


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_memory_stays_flat_over_ten_thousand_calls_of_every_analysis(log):
    """10,000 calls of each analysis (typed results and errors alike); resident memory after the
    first thousand is the baseline, and the rest may not add more than 16 MiB."""
    calls = REQUESTS + [{"analysis": "funnel", "steps": ["visit", "nosuch"]}]

    def run(n: int) -> None:
        for _ in range(n):
            for r in calls:
                try:
                    js.evaluate(r, log)
                except js.JourneyStreamError:
                    pass

    run(1000)
    before = resident_kib()
    run(9000)
    grown = resident_kib() - before
    assert grown < 16 * 1024, f"resident memory grew by {grown} KiB over 9000 rounds"


def seeds(target: str) -> list:
    return sorted((SEEDS / target).iterdir())


def no_panic(call) -> None:
    """The call gives a result or a journeystream error; a panic would be pyo3's PanicException,
    which is not one."""
    try:
        call()
    except js.JourneyStreamError:
        pass


@pytest.mark.parametrize("target,reader,suffix", [
    ("csv", js.read_csv, ".csv"),
    ("jsonl", js.read_jsonl, ".jsonl"),
    ("xes", js.read_xes, ".xes"),
])
def test_reader_seeds_cross_the_boundary_without_a_panic(tmp_path, target, reader, suffix):
    for seed in seeds(target):
        data = seed.read_bytes()[1:]  # the first byte picks the fuzz target's options
        path = tmp_path / (seed.name + suffix)
        path.write_bytes(data)
        no_panic(lambda: reader(path))


def test_request_map_and_filter_seeds_cross_the_boundary_without_a_panic(log):
    for seed in seeds("request"):
        text = seed.read_text()
        no_panic(lambda: js.analyze(text, log))
    for seed in seeds("map"):
        text = seed.read_text()
        no_panic(lambda: js.loads(text))
    for seed in seeds("filter"):
        text = seed.read_text()
        no_panic(lambda: log.filter(text))
