#!/usr/bin/env bash
# Builds the C library (release, no debug info) and installs it under a prefix:
#   PREFIX/include/journeystream.h
#   PREFIX/lib/libjourneystream.so.VERSION, .so.0 (the SONAME), .so, and libjourneystream.a
#   PREFIX/lib/pkgconfig/journeystream.pc
#   PREFIX/lib/cmake/journeystream/journeystreamConfig.cmake, journeystreamConfigVersion.cmake
# Usage: scripts/install-c.sh [PREFIX]   (default /usr/local; DESTDIR is honoured for staging).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

prefix="${1:-/usr/local}"
dest="${DESTDIR:-}$prefix"
target="${CARGO_TARGET_DIR:-target}"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
if [ -z "$version" ]; then
    echo "install-c.sh: no version in Cargo.toml's [workspace.package]" >&2
    exit 1
fi

cargo build --release -p journeystream-ffi

install -d "$dest/include" "$dest/lib/pkgconfig" "$dest/lib/cmake/journeystream"
install -m 644 include/journeystream.h "$dest/include/journeystream.h"
install -m 755 "$target/release/libjourneystream.so" "$dest/lib/libjourneystream.so.$version"
ln -sf "libjourneystream.so.$version" "$dest/lib/libjourneystream.so.0"
ln -sf libjourneystream.so.0 "$dest/lib/libjourneystream.so"
install -m 644 "$target/release/libjourneystream.a" "$dest/lib/libjourneystream.a"
# The archive carries the debug info of the standard library's objects; drop it.
if command -v strip >/dev/null 2>&1; then
    strip --strip-debug "$dest/lib/libjourneystream.a"
fi
for f in journeystream.pc:pkgconfig journeystreamConfig.cmake:cmake/journeystream \
    journeystreamConfigVersion.cmake:cmake/journeystream; do
    name="${f%%:*}" dir="${f#*:}"
    sed "s/@VERSION@/$version/g" "ffi/package/$name.in" >"$dest/lib/$dir/$name"
    chmod 644 "$dest/lib/$dir/$name"
done
echo "installed journeystream $version (C) under $dest"
