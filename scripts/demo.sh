#!/usr/bin/env bash
# The main job on the bundled sample: the support journey's value-stream metrics, its projected
# future state after the plan, and the comparison; the JSON report goes to out/report.json, and
# out/report.html draws the journey map, service blueprint, value stream map current vs future and
# the flow graph of the sample event log (examples/support-log.csv).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p journeystream --example report -- "${1:-examples/support-journey.json}" "${2:-out/report.json}" "${3:-examples/support-log.csv}"
