#!/usr/bin/env bash
# The main job on the bundled sample: the support journey's value-stream metrics, its projected
# future state after the plan, and the comparison; the JSON report goes to out/report.json.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --quiet --release -p journeystream --example report -- "${1:-examples/support-journey.json}" "${2:-out/report.json}"
