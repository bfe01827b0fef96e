#!/usr/bin/env bash
# Funnel and step matrix side by side with retentioneering and a hand-written polars version,
# one run, one summary (see benches/README.md, "Journeys").
#
#   benches/run_journey.sh              # from anywhere: it cd's to the workspace root
#
# Builds the `journey` and `gen_journeys` bench binaries in release, writes the synthetic journey
# log of EVENTS events as CSV (target/bench-data/journeys_<EVENTS>.csv, git-ignored; the same
# generator and seed as the event-log benches), and on it runs
#   - journeystream: CSV load (timed apart), then the strict-order uniques funnel over STEPS and
#     the step matrix over MAX_STEPS steps (benches/src/bin/journey.rs), REPEATS times each;
#   - polars (benches/peers/journey_peers.py polars): read_csv, sort + per-case index (timed
#     apart), then the funnel by joins and the step matrix by a group-by;
#   - retentioneering (Eventstream.funnel_data, step_matrix_data) on RETE_EVENTS events (default
#     EVENTS; set it lower when retentioneering is too slow or too big at EVENTS);
# checks that the funnel counts are equal and the step matrices agree, and prints the medians and
# the ratios peer / journeystream of the analytic calls (loading and preparation excluded on all
# sides, printed apart).
#
# Environment: PY (python with polars and retentioneering; default /tmp/funnelpeer/bin/python;
# install with `python3 -m venv /tmp/funnelpeer && /tmp/funnelpeer/bin/pip install retentioneering
# polars`), EVENTS (default 10000000), RETE_EVENTS, REPEATS (default 5), MAX_STEPS (default 10),
# STEPS (comma-separated activities).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-/tmp/funnelpeer/bin/python}"
EVENTS="${EVENTS:-10000000}"
RETE_EVENTS="${RETE_EVENTS:-$EVENTS}"
REPEATS="${REPEATS:-5}"
MAX_STEPS="${MAX_STEPS:-10}"
STEPS="${STEPS:-landing_page,view_product,add_to_cart,start_checkout,place_order}"
DATA="$ROOT/target/bench-data"
OUT="$DATA/journey"
mkdir -p "$OUT"
export RETENTIONEERING_NO_TRACK=1

cargo build --release -q -p journeystream-benches --bin journey --bin gen_journeys
for n in "$EVENTS" "$RETE_EVENTS"; do
    [[ -f "$DATA/journeys_$n.csv" ]] || "$ROOT/target/release/gen_journeys" csv "$n" "$DATA/journeys_$n.csv" > /dev/null
done

run_ours() { "$ROOT/target/release/journey" "$DATA/journeys_$1.csv" "$REPEATS" "$MAX_STEPS" "$STEPS" > "$OUT/ours-$1.json"; }
echo "== journeystream ($EVENTS events)" >&2
run_ours "$EVENTS"
echo "== polars ($EVENTS events)" >&2
"$PY" benches/peers/journey_peers.py polars "$DATA/journeys_$EVENTS.csv" "$REPEATS" "$MAX_STEPS" "$STEPS" "$OUT/ours-$EVENTS.json" > "$OUT/polars-$EVENTS.json"
if [[ "$RETE_EVENTS" != "$EVENTS" ]]; then
    echo "== journeystream ($RETE_EVENTS events)" >&2
    run_ours "$RETE_EVENTS"
fi
echo "== retentioneering ($RETE_EVENTS events)" >&2
"$PY" benches/peers/journey_peers.py retentioneering "$DATA/journeys_$RETE_EVENTS.csv" "$((REPEATS < 3 ? REPEATS : 3))" "$MAX_STEPS" "$STEPS" "$OUT/ours-$RETE_EVENTS.json" 2> "$OUT/retentioneering.err" | tail -1 > "$OUT/retentioneering-$RETE_EVENTS.json"

"$PY" - "$OUT" "$EVENTS" "$RETE_EVENTS" <<'PYEOF'
import json, sys
out, events, rete_events = sys.argv[1], sys.argv[2], sys.argv[3]
print(f"Journeys: funnel (strict order, uniques, 5 steps) and step matrix (10 steps); medians in seconds of the calls, load/prep apart")
print(f"{'peer':<16} {'events':>9} {'analytic':<12} {'peer s':>9} {'ours s':>9} {'ratio':>8}  same result")
for peer, n in [("polars", events), ("retentioneering", rete_events)]:
    p = json.load(open(f"{out}/{peer}-{n}.json"))
    o = json.load(open(f"{out}/ours-{n}.json"))
    for key, name in [("funnel_s", "funnel"), ("step_matrix_s", "step_matrix")]:
        same = p["funnel_counts_equal"] if name == "funnel" else p["step_matrix_max_diff"] < 1e-12
        print(f"{peer:<16} {int(n):>9} {name:<12} {p[key]:>9.4f} {o[key]:>9.4f} {p[key] / o[key]:>7.1f}x  {same}")
    print(f"  {peer}: load {p['load_s']:.2f} s + prepare {p['prep_s']:.2f} s; journeystream CSV load {o['load_s']:.2f} s "
          f"({o['cases']} cases, {o['threads']} threads)" + (f"; retentioneering {p['version']}" if "version" in p else ""))
    print(f"  funnel counts {o['funnel_counts']}")
PYEOF
