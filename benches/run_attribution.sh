#!/usr/bin/env bash
# Attribution side by side with ChannelAttribution, one run, one summary (see benches/README.md,
# "Attribution").
#
#   benches/run_attribution.sh          # from anywhere: it cd's to the workspace root
#
# Builds the `attribution` bench binary in release, generates a synthetic path table of 1M rows
# (target/bench-data/paths_1m.csv, git-ignored), and on ChannelAttribution's example data
# (`Data`, 10 000 paths, read from the installed package) and on the 1M table runs:
#   - journeystream first_touch, last_touch, linear (checked against the peer one by one, and
#     timed together on one parse of the table) and markov (order ORDER) — the Markov run
#     twice, in two processes, to show the exact results are the same numbers every time;
#   - ChannelAttribution's heuristic_models and markov_model (benches/peers/...py);
# and prints per table the medians, the ratio ChannelAttribution / journeystream, the largest
# heuristic difference (must be < 1e-9) and the Markov differences next to the peer's noise.
#
# Environment: PY (python with ChannelAttribution; default /tmp/capeer/bin/python; install with
# `python3 -m venv /tmp/capeer && /tmp/capeer/bin/pip install ChannelAttribution matplotlib`),
# REPEATS (default 5), ORDER (default 1), ROWS (synthetic rows, default 1000000).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-/tmp/capeer/bin/python}"
REPEATS="${REPEATS:-5}"
ORDER="${ORDER:-1}"
ROWS="${ROWS:-1000000}"
DATA="$ROOT/target/bench-data"
OUT="$DATA/attribution"
BIN="$ROOT/target/release/attribution"
mkdir -p "$OUT"

cargo build --release -q -p journeystream-benches --bin attribution
[[ -f "$DATA/paths_1m.csv" && "$ROWS" == 1000000 ]] || "$BIN" gen "$ROWS" "$DATA/paths_1m.csv"
SYN="$DATA/paths_1m.csv"
[[ "$ROWS" == 1000000 ]] || { SYN="$DATA/paths_$ROWS.csv"; "$BIN" gen "$ROWS" "$SYN"; }
CA_DATA="$("$PY" -c 'import os, ChannelAttribution as c; print(os.path.join(os.path.dirname(c.__file__), "..", "cypack", "data", "Data.csv"))' 2>/dev/null | tail -1)"

for name in data synthetic; do
    if [[ $name == data ]]; then table="$CA_DATA"; peer_table=Data; else table="$SYN"; peer_table="$SYN"; fi
    echo "== $name: journeystream" >&2
    for m in first_touch last_touch linear; do
        "$BIN" run "$table" "$m" 1 "$REPEATS" > "$OUT/$name-$m.json"
    done
    "$PY" -c 'import json, sys; print(json.dumps([json.load(open(f)) for f in sys.argv[1:]]))' \
        "$OUT/$name-first_touch.json" "$OUT/$name-last_touch.json" "$OUT/$name-linear.json" > "$OUT/$name-heuristics.json"
    "$BIN" run "$table" heuristics 1 "$REPEATS" > "$OUT/$name-heuristics-one-parse.json"
    "$BIN" run "$table" markov "$ORDER" "$REPEATS" > "$OUT/$name-markov.json"
    "$BIN" run "$table" markov "$ORDER" "$REPEATS" > "$OUT/$name-markov-again.json"
    echo "== $name: ChannelAttribution" >&2
    "$PY" benches/peers/channelattribution_attribution.py "$peer_table" "$ORDER" "$REPEATS" \
        "$OUT/$name-heuristics.json" "$OUT/$name-markov.json" 2> "$OUT/$name-peer.err" | tail -1 > "$OUT/$name-peer.json"
done

"$PY" - "$OUT" "$ORDER" <<'EOF'
import json, sys
out, order = sys.argv[1], sys.argv[2]
print(f"Attribution, Markov order {order}: medians in seconds (path strings parsed + model)")
print(f"{'table':<10} {'rows':>8} {'model':<10} {'ChannelAttribution':>18} {'journeystream':>14} {'ratio':>7}")
for name in ["data", "synthetic"]:
    peer = json.load(open(f"{out}/{name}-peer.json"))
    ours_h = json.load(open(f"{out}/{name}-heuristics-one-parse.json"))["median_s"]
    m1 = json.load(open(f"{out}/{name}-markov.json"))
    m2 = json.load(open(f"{out}/{name}-markov-again.json"))
    print(f"{name:<10} {peer['rows']:>8} {'heuristic':<10} {peer['ca_heuristic_s']:>18.4f} {ours_h:>14.4f} {peer['ca_heuristic_s'] / ours_h:>7.1f}x")
    print(f"{name:<10} {peer['rows']:>8} {'markov':<10} {peer['ca_markov_s']:>18.4f} {m1['median_s']:>14.4f} {peer['ca_markov_s'] / m1['median_s']:>7.1f}x")
    same = m1["same_every_run"] and m2["same_every_run"] and m1["result"] == m2["result"]
    print(f"  heuristics (first + last + linear on one parse, as their one call): largest relative difference {peer['heuristic_max_rel_diff']:.2e}")
    print(f"  markov: removal effects differ by at most {peer['markov_max_re_diff']:.4f} (peer noise sd about {peer['markov_noise_sd']:.4f}), "
          f"conversion shares by {peer['markov_max_share_diff']:.4f}; ours the same numbers in every run and both processes: {same}")
    top = sorted(m1["result"]["channels"], key=lambda c: -c["conversions"])[:3]
    print("  ours, top channels: " + ", ".join(f"{c['channel']} {c['conversions']:.6f} (RE {c['removal_effect']:.9f})" for c in top))
EOF
