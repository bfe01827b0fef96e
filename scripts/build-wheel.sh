#!/usr/bin/env bash
# Builds the Python package for distribution into target/dist/:
#   - the wheel: abi3 (CPython 3.10 and later), manylinux2014 (glibc 2.17: Ubuntu 18.04+,
#     Debian 10+, RHEL 7+), linked with zig (`maturin build --zig`, ziglang from PyPI) so that no
#     container is needed, release build without debug info;
#   - the source distribution (sdist), which builds with any Rust toolchain.
# maturin and ziglang go into target/build-venv. Prints the files' paths, the wheel's last.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target="${CARGO_TARGET_DIR:-target}"
venv="$target/build-venv"
out="$target/dist"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

quiet() {
    if ! "$@" >"$log" 2>&1; then
        echo "build-wheel.sh: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

[ -x "$venv/bin/python" ] || quiet python3 -m venv "$venv"
quiet "$venv/bin/python" -m pip install -q --disable-pip-version-check "maturin>=1.5,<2" "ziglang==0.17.1"
rm -rf "$out"
quiet env PATH="$venv/bin:$PATH" "$venv/bin/maturin" sdist -m python/Cargo.toml --out "$out"
quiet env PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --strip --zig \
    --compatibility manylinux2014 -m python/Cargo.toml --out "$out"
ls "$out"/*.tar.gz
ls "$out"/*.whl
