#!/usr/bin/env bash
# Lifetime value side by side with lifetimes, one run, one summary (see benches/README.md,
# "Lifetime value").
#
#   benches/run_clv.sh          # from anywhere: it cd's to the workspace root
#
# Builds the `clv` bench binary in release, generates a synthetic base of N customers simulated
# from the BG/NBD and Gamma-Gamma models (target/bench-data/clv_<N>.csv, git-ignored), and on the
# CDNOW summary (tests/data/clv, 2 357 customers) and on the synthetic base runs journeystream
# (benches/src/bin/clv.rs) and lifetimes (benches/peers/clv_bench.py): BG/NBD fit, Gamma-Gamma
# fit, predictions (expected purchases in 39 weeks, probability alive, expected spend, 12-month
# CLV). Prints the medians, the ratios lifetimes / journeystream, and the parameters of both.
# lifetimes gets PEER_TIMEOUT seconds on the synthetic base; a timeout or failure is recorded.
#
# Environment: PY (python with lifetimes; default /tmp/clvpeer/bin/python; install with
# `python3 -m venv /tmp/clvpeer && /tmp/clvpeer/bin/pip install "numpy<2" "pandas<2" "scipy<1.13" lifetimes`),
# REPEATS (default 5; 1 on the synthetic base for lifetimes), N (default 1000000),
# PEER_TIMEOUT (default 1800).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PY:-/tmp/clvpeer/bin/python}"
REPEATS="${REPEATS:-5}"
N="${N:-1000000}"
PEER_TIMEOUT="${PEER_TIMEOUT:-1800}"
DATA="$ROOT/target/bench-data"
OUT="$DATA/clv"
BIN="$ROOT/target/release/clv"
mkdir -p "$OUT"

cargo build --release -q -p journeystream-benches --bin clv
SYN="$DATA/clv_$N.csv"
[[ -f "$SYN" ]] || "$BIN" gen "$N" "$SYN"
CDNOW="$ROOT/tests/data/clv/cdnow_customers_summary_with_transactions.csv"

echo "== cdnow: journeystream" >&2
"$BIN" run "$CDNOW" "$REPEATS" > "$OUT/cdnow-ours.json"
echo "== cdnow: lifetimes" >&2
"$PY" benches/peers/clv_bench.py "$CDNOW" "$REPEATS" > "$OUT/cdnow-peer.json"
echo "== synthetic $N: journeystream" >&2
"$BIN" run "$SYN" "$REPEATS" > "$OUT/synthetic-ours.json"
echo "== synthetic $N: lifetimes (timeout ${PEER_TIMEOUT}s)" >&2
start=$(date +%s.%N)
if timeout "$PEER_TIMEOUT" "$PY" benches/peers/clv_bench.py "$SYN" 1 > "$OUT/synthetic-peer.json" 2> "$OUT/synthetic-peer.err"; then
    :
else
    rc=$?
    elapsed=$(python3 -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
    reason="exit $rc"; [[ $rc == 124 ]] && reason="timeout after ${PEER_TIMEOUT}s"
    printf '{"failed": "%s", "elapsed_s": %s, "error": %s}\n' "$reason" "$elapsed" \
        "$(tail -3 "$OUT/synthetic-peer.err" | python3 -c 'import json, sys; print(json.dumps(sys.stdin.read()))')" \
        > "$OUT/synthetic-peer.json"
fi

python3 - "$OUT" <<'PYEOF'
import json, sys
out = sys.argv[1]
print("Lifetime value: medians in seconds (lifetimes / journeystream = ratio)")
print(f"{'data':<10} {'customers':>9} {'step':<16} {'lifetimes':>10} {'journeystream':>14} {'ratio':>8}")
for name in ["cdnow", "synthetic"]:
    ours = json.load(open(f"{out}/{name}-ours.json"))
    peer = json.load(open(f"{out}/{name}-peer.json"))
    n = ours["customers"]
    steps = [("fit_bg_nbd_s", "BG/NBD fit"), ("fit_gamma_gamma_s", "Gamma-Gamma fit"), ("predict_s", "predictions")]
    if "failed" in peer:
        for key, label in steps:
            print(f"{name:<10} {n:>9} {label:<16} {'—':>10} {ours[key]:>14.4f} {'':>8}")
        print(f"  lifetimes failed: {peer['failed']} after {peer['elapsed_s']:.0f} s: {peer['error'].strip()[-300:]}")
    else:
        total_p = total_o = 0.0
        for key, label in steps:
            total_p += peer[key]; total_o += ours[key]
            print(f"{name:<10} {n:>9} {label:<16} {peer[key]:>10.4f} {ours[key]:>14.4f} {peer[key] / ours[key]:>7.1f}x")
        print(f"{name:<10} {n:>9} {'all':<16} {total_p:>10.4f} {total_o:>14.4f} {total_p / total_o:>7.1f}x")
        rel = max(abs(ours["bg_nbd"]["params"][i] / peer["bg_nbd"][k] - 1) for i, k in enumerate(["r", "alpha", "a", "b"]))
        print(f"  BG/NBD parameters: largest relative difference {rel:.2e}; sums of predictions: "
              + ", ".join(f"{k} {ours['sums'][k]:.6g} vs {peer['sums'][k]:.6g}" for k in ours["sums"]))
    p = ours["bg_nbd"]
    print(f"  ours: BG/NBD " + ", ".join(f"{k} {v:.6f}" for k, v in zip(p["param_names"], p["params"]))
          + f" (converged {p['convergence']['converged']}, {p['convergence']['iterations']} iterations, "
          f"gradient {p['convergence']['gradient_norm']:.1e})")
PYEOF
