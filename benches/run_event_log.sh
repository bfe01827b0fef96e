#!/usr/bin/env bash
# Event-log benchmarks side by side, one run, one summary table (see benches/README.md,
# "Event log: side by side with peers").
#
#   benches/run_event_log.sh            # from the workspace root (or anywhere: it cd's there)
#
# Builds the bench binaries in release, generates the synthetic journeys into
# target/bench-data/ (git-ignored), and runs:
#   1. XES.gz import of BPIC 2012: journeystream vs process_mining (rust4pm crate) vs rustxes
#   2. profile of BPIC 2012: journeystream vs a hand-written polars profile (checked equal)
#   3. CSV ingestion of 1M and 10M synthetic events: MB/s, peak RSS and heap bytes per event,
#      load + profile; polars reading and profiling the same CSV (checked equal)
#   4. growth: profile of 1M, 10M, 50M synthetic events built in memory, ns per event, the sizes
#      taking turns in each of GROWTH_ROUNDS rounds (default 5) so drift hits them all alike
#   5. pm4py on BPIC 2012 (benches/peers/pm4py_profile.py), unless SKIP_PM4PY=1
#
# Environment: PY (python with the peers; default /tmp/peers/bin/python), BPIC (default
# ../shared/data/bpic2012.xes.gz), REPEATS (import and load repeats, default 5), SCALE (event
# counts of the growth run, default "1000000 10000000 50000000"), GROWTH_ROUNDS,
# SCALE_1THREAD=1 (also run the growth on one thread: per-event cost without the scheduling
# noise), SKIP_PM4PY=1, WAIT_IDLE
# (seconds to wait before each step for other work on the machine to stop, default 60; the
# summary lists steps that started with the CPUs more than 20 % busy).
# A step that fails is recorded in the summary as failed; the run goes on.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-/tmp/peers/bin/python}"
BPIC="${BPIC:-../shared/data/bpic2012.xes.gz}"
REPEATS="${REPEATS:-5}"
SCALE="${SCALE:-1000000 10000000 50000000}"
DATA="$ROOT/target/bench-data"
OUT="$DATA/results"
BIN="$ROOT/target/release"
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt "$OUT"/*.err

export TQDM_DISABLE=1
failed=()
# Share of the CPUs busy over 2 s (the machine may be shared: figures taken while other work
# runs are slower and noisier; the summary prints this before and after the run).
busy() {
    local a b
    read -r -a a < <(head -1 /proc/stat)
    sleep 2
    read -r -a b < <(head -1 /proc/stat)
    local total=0 idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) i
    for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
    echo "$(( 100 * (total - idle) / (total > 0 ? total : 1) ))%"
}

# run <name> <command...>: stdout to $OUT/<name>.json (or .txt), stderr to $OUT/<name>.err.
run() {
    local name="$1"
    shift
    local ext=json
    [[ "$name" == *.txt ]] && ext="" && name="${name%.txt}" && ext=txt
    echo "== $name: $*" >&2
    # Wait (up to WAIT_IDLE seconds, default 60) for the CPUs to be free of other work.
    local waited=0 b
    b=$(busy)
    while [[ ${b%\%} -gt 20 && $waited -lt ${WAIT_IDLE:-60} ]]; do
        waited=$((waited + 2))
        b=$(busy)
    done
    echo "$name $b" >>"$OUT/busy.txt"
    local t0=$SECONDS
    if ! "$@" >"$OUT/$name.$ext" 2>"$OUT/$name.err"; then
        echo "   FAILED (see $OUT/$name.err)" >&2
        tail -3 "$OUT/$name.err" >&2
        failed+=("$name")
        rm -f "$OUT/$name.$ext"
    fi
    echo "   $((SECONDS - t0)) s" >&2
}

# --- build ---------------------------------------------------------------------------------
FEATURES=()
if [[ -f core/src/log/csv.rs ]] && grep -q '^pub mod csv;' core/src/log/mod.rs; then
    FEATURES=(--features csv)
else
    echo "core/src/log/csv.rs is not there yet: the CSV ingestion step is skipped" >&2
fi
echo "== build (release)" >&2
cargo build --release --quiet -p journeystream-benches "${FEATURES[@]}" --bins || exit 1

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
    echo "CPU busy before the run (nothing of ours running): $(busy)"
    echo "rustc: $(rustc --version)"
    echo "python: $("$PY" --version 2>&1)"
} >"$OUT/machine.txt"

# --- 1. XES.gz import of BPIC 2012 ----------------------------------------------------------
run import_all "$BIN/import_peers" "$BPIC" "$REPEATS" all
for importer in journeystream process_mining process_mining_sorted; do
    run "import_rss_$importer" "$BIN/import_peers" "$BPIC" 1 "$importer"
done
run rustxes "$PY" benches/peers/rustxes_import.py "$BPIC" "$REPEATS" --parquet "$DATA/bpic2012.parquet"

# --- 2. profile of BPIC 2012 vs polars ------------------------------------------------------
run bpic_ours "$BIN/profile_log" "$BPIC" "$DATA/bpic2012_profile.json" 1 21
if [[ -f "$DATA/bpic2012.parquet" ]]; then
    run bpic_polars "$PY" benches/peers/polars_profile.py "$DATA/bpic2012.parquet" "$DATA/bpic2012_profile.json" 21
fi

# --- 3. CSV ingestion -----------------------------------------------------------------------
run gen_1m "$BIN/gen_journeys" csv 1000000 "$DATA/journeys_1m.csv"
run gen_10m "$BIN/gen_journeys" csv 10000000 "$DATA/journeys_10m.csv"
if [[ ${#FEATURES[@]} -gt 0 ]]; then
    run csv_1m "$BIN/csv_ingest" "$DATA/journeys_1m.csv" "$REPEATS" 5 "$DATA/journeys_1m_profile.json"
    run csv_10m "$BIN/csv_ingest" "$DATA/journeys_10m.csv" 3 3 "$DATA/journeys_10m_profile.json"
    run csv_1m_polars "$PY" benches/peers/polars_profile.py "$DATA/journeys_1m.csv" "$DATA/journeys_1m_profile.json" 5
    run csv_10m_polars "$PY" benches/peers/polars_profile.py "$DATA/journeys_10m.csv" "$DATA/journeys_10m_profile.json" 3
fi

# --- 4. growth, in memory -------------------------------------------------------------------
# One process builds every size, then profiles them in turn, round after round (a small log
# several times per round, since it takes milliseconds and a shared VM's noise is large there).
SIZES="$(echo $SCALE | tr ' ' ',')"
run growth "$BIN/gen_journeys" growth "$SIZES" "${GROWTH_ROUNDS:-5}"
if [[ "${SCALE_1THREAD:-0}" == 1 ]]; then
    run growth1t env RAYON_NUM_THREADS=1 "$BIN/gen_journeys" growth "$SIZES" "${GROWTH_ROUNDS:-5}"
fi

# --- 5. pm4py -------------------------------------------------------------------------------
if [[ "${SKIP_PM4PY:-0}" != 1 ]]; then
    run pm4py.txt "$PY" benches/peers/pm4py_profile.py "$BPIC" 3
fi

# --- summary --------------------------------------------------------------------------------
echo "CPU busy after the run (nothing of ours running): $(busy)" >>"$OUT/machine.txt"
"$PY" - "$OUT" "${failed[@]}" <<'EOF' | tee "$OUT/summary.txt"
import json, sys
from pathlib import Path

out, failed = Path(sys.argv[1]), sys.argv[2:]
def load(name):
    p = out / f"{name}.json"
    return json.loads(p.read_text()) if p.exists() else None

def row(what, peer, theirs, ours, unit="s"):
    if theirs is None or ours is None:
        print(f"  {what:<46}{peer:<24}{'n/a':>11}{'n/a':>11}{'':>9}")
        return
    print(f"  {what:<46}{peer:<24}{theirs:>10.4f}{unit}{ours:>10.4f}{unit}{theirs / ours:>8.1f}x")

print((out / "machine.txt").read_text().rstrip())
print()
print("  ratio = peer time / journeystream time (above 1: journeystream is faster)")
print(f"  {'step':<46}{'peer':<24}{'peer':>11}{'ours':>11}{'ratio':>9}")
imp = load("import_all") or {}
js = imp.get("journeystream", {}).get("median_s")
row("XES.gz import, BPIC 2012 (median)", "process_mining", imp.get("process_mining", {}).get("median_s"), js)
row("XES.gz import, BPIC 2012 (median)", "process_mining sorted", imp.get("process_mining_sorted", {}).get("median_s"), js)
rx = load("rustxes") or {}
row("XES.gz import, BPIC 2012 (median)", f"rustxes {rx.get('rustxes_version', '?')}", rx.get("median_s"), js)
if "error" in rx:
    print(f"    rustxes FAILED: {rx['error']}")
rss = {k: (load(f"import_rss_{k}") or {}).get("peak_rss_bytes") for k in ["journeystream", "process_mining", "process_mining_sorted"]}
rss["rustxes (python process)"] = rx.get("peak_rss_bytes")
print("    peak RSS of the importing process: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in rss.items() if v))
bo, bp = load("bpic_ours"), load("bpic_polars")
row("profile, BPIC 2012 (median)", f"polars {bp['polars_version'] if bp else '?'}", bp and bp["profile_s"], bo and bo["profile_s"])
if bp:
    print(f"    polars vs ours: {'EQUAL (counts exact, times within 1 ms)' if bp['problem_count'] == 0 else 'MISMATCH: ' + '; '.join(bp['problems'])}")
for size in ["1m", "10m"]:
    c, p = load(f"csv_{size}"), load(f"csv_{size}_polars")
    if c is None:
        print(f"  CSV {size}: not run")
        continue
    row(f"CSV load, {c['events']:,} events, {c['bytes'] / 1e6:.0f} MB", "polars read_csv", p and p["load_s"], c["load_s"])
    row(f"profile after CSV load, {c['events']:,} events", "polars", p and p["profile_s"], c["profile_s"])
    print(f"    ours: {c['mb_per_s']:.0f} MB/s, {c['load_ns_per_event']:.0f} ns/event to load; load + profile {c['load_plus_profile_s']:.2f} s; "
          f"heap {c['heap_bytes_per_event']:.1f} B/event (core columns {c['core_heap_bytes_per_event']:.1f}, goal <= 32); "
          f"peak RSS {c['peak_rss_bytes_per_event_loaded']:.0f} B/event after loading, {c['peak_rss_bytes_per_event_profiled']:.0f} after profiling")
    if p:
        print(f"    polars: {c['bytes'] / 1e6 / p['load_s']:.0f} MB/s; {'EQUAL profile' if p['problem_count'] == 0 else 'MISMATCH: ' + '; '.join(p['problems'])}")
print()
for name, title in [("growth", "all cores"), ("growth1t", "one thread (RAYON_NUM_THREADS=1)")]:
    g = load(name)
    if not g:
        continue
    print()
    print(f"  growth: profile of synthetic events built in memory, {title}; {g['rounds']} rounds, the sizes in turn (median and fastest run)")
    print(f"  {'events':>12}{'cases':>11}{'variants':>10}{'build s':>9}{'runs':>6}{'median s':>10}{'ns/event':>10}{'min s':>8}{'ns/event':>10}{'core B/ev':>10}")
    for s in g["sizes"]:
        print(f"  {s['events']:>12,}{s['cases']:>11,}{s['variants']:>10,}{s['build_s']:>9.2f}{len(s['profile_runs_s']):>6}{s['profile_s']:>10.3f}{s['profile_ns_per_event']:>10.1f}"
              f"{s['profile_min_s']:>8.3f}{s['profile_min_ns_per_event']:>10.1f}{s['core_heap_bytes_per_event']:>10.1f}")
    if g.get("exponent_median") is not None:
        # Time = c * events^b, fitted over the sizes: b = 1 is linear growth.
        print(f"  growth exponent b in time ~ events^b (least squares over the sizes): {g['exponent_median']:.2f} (medians), {g['exponent_min']:.2f} (fastest runs); 1 is linear")
pm = out / "pm4py.txt"
if pm.exists():
    print()
    print("  pm4py (benches/peers/pm4py_profile.py):")
    for line in pm.read_text().splitlines():
        print("    " + line)
busy = [l.split() for l in (out / "busy.txt").read_text().splitlines()] if (out / "busy.txt").exists() else []
noisy = [f"{n} ({b})" for n, b in busy if int(b.rstrip("%")) > 20]
if noisy:
    print()
    print("  started while other work kept the CPUs more than 20 % busy (slower, noisier): " + ", ".join(noisy))
if failed:
    print()
    print("FAILED steps (stderr in target/bench-data/results/<step>.err): " + ", ".join(failed))
EOF
