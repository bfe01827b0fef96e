#!/usr/bin/env bash
# The Python package as a user installs it: scripts/build-wheel.sh builds the manylinux2014 abi3
# wheel and the sdist; the wheel goes into a new, clean venv (target/python-venv, with pytest and
# the frame libraries the tests use), and the suite in python/tests runs against that install, not
# against the source tree. Then: the sdist builds a wheel (with the cargo build cache), and a source
# install on a PATH without cargo stops at once with what is needed (no toolchain download).
# Prints pytest's output and one line per check; exits non-zero on any failure.
# (For development, `maturin develop --release -m python/Cargo.toml` in a venv of your own.)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/python-venv"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

quiet() {
    if ! "$@" >"$log" 2>&1; then
        echo "test-python.sh: failed: $*" >&2
        cat "$log" >&2
        exit 1
    fi
}

wheel="$(bash scripts/build-wheel.sh | tail -n 1)"
sdist="$(ls "$target"/dist/journeystream-*.tar.gz)"
case "$wheel" in
*-abi3-manylinux2014_x86_64*.whl | *-abi3-manylinux_2_17_*.whl) echo "ok wheel $(basename "$wheel")" ;;
*)
    echo "FAIL wheel tag: $(basename "$wheel") is not abi3 manylinux2014" >&2
    exit 1
    ;;
esac

# manylinux2014 means no glibc symbol newer than 2.17 in the extension.
if command -v objdump >/dev/null 2>&1; then
    so="$(mktemp -d)"
    python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.endswith(".so")]' "$wheel" "$so"
    newest="$(objdump -T "$so"/journeystream/*.so | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)"
    rm -rf "$so"
    if [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -n 1)" = "2.17" ]; then
        echo "ok extension needs glibc $newest at most (manylinux2014: 2.17)"
    else
        echo "FAIL the extension needs glibc $newest, newer than manylinux2014's 2.17" >&2
        exit 1
    fi
fi

rm -rf "$venv"
quiet python3 -m venv "$venv"
py="$venv/bin/python"
quiet "$py" -m pip install -q --disable-pip-version-check "$wheel" pytest pandas pyarrow polars duckdb numpy nbconvert nbformat ipykernel
# The suite must see the installed package, not python/journeystream.
where="$(cd /tmp && "$py" -c 'import journeystream, os; print(os.path.dirname(journeystream.__file__))')"
case "$where" in
"$venv"/lib/python3*/site-packages/journeystream) echo "ok installed at $where" ;;
*)
    echo "FAIL journeystream imports from $where, not the venv's site-packages" >&2
    exit 1
    ;;
esac

status=0
"$py" -m pytest python/tests -q -p no:cacheprovider "$@" || status=$?

# A source install without cargo: a clear message at once.
nocargo="$target/python-nocargo"
rm -rf "$nocargo"
quiet python3 -m venv "$nocargo"
started=$(date +%s)
if env PATH="$nocargo/bin:/usr/bin:/bin" CARGO= "$nocargo/bin/pip" install --disable-pip-version-check "$sdist" >"$log" 2>&1; then
    echo "FAIL source install without cargo succeeded"
    status=1
elif grep -q "building from source needs a Rust toolchain" "$log"; then
    echo "ok source install without cargo stops in $(($(date +%s) - started)) s with what is needed"
else
    echo "FAIL source install without cargo: not the expected message:"
    tail -n 20 "$log"
    status=1
fi

# The sdist builds (its own wheel, with this checkout's cargo cache).
if CARGO_TARGET_DIR="$target" "$py" -m pip wheel -q --disable-pip-version-check --no-deps "$sdist" \
    -w "$target/sdist-wheel" >"$log" 2>&1; then
    echo "ok sdist builds $(basename "$(ls "$target"/sdist-wheel/journeystream-*.whl | head -n 1)")"
else
    echo "FAIL sdist build:"
    tail -n 30 "$log"
    status=1
fi
rm -rf "$nocargo" "$target/sdist-wheel"
exit "$status"
