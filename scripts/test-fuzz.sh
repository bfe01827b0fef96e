#!/usr/bin/env bash
# A short run of every fuzz target (fuzz/), so that a regression the fuzzers would find is
# caught on every submission: JOURNEYSTREAM_FUZZ_SECONDS (20) per target on the nightly
# toolchain, when there is one. cargo-fuzz needs nightly; without it the run is skipped with a
# notice (the seed corpora and every crash input still run on stable: core/tests/fuzz_corpus.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "fuzz: skipped, no nightly toolchain here (cargo-fuzz needs one); the seed corpora ran on stable"
    exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi
seconds="${JOURNEYSTREAM_FUZZ_SECONDS:-20}"
cd fuzz
cargo +nightly fuzz build -O
for target in $(cargo +nightly fuzz list); do
    mkdir -p "corpus/$target"
    echo "fuzz: $target for ${seconds} s"
    log="target/fuzz-$target.log"
    status=0
    cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1 || status=$?
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$log" | tr '\n' ' ' || true
    echo
    if [ "$status" -ne 0 ]; then
        grep -E -A12 "panicked|ERROR" "$log" | head -40 >&2 || true
        echo "fuzz: $target failed; the input is in fuzz/artifacts/$target, the output in fuzz/$log" >&2
        exit 1
    fi
done
