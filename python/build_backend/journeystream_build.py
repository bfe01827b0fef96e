"""journeystream's build backend: maturin, once it is clear that a Rust toolchain is there.

A source build compiles the native library with cargo. Without cargo on ``PATH``, maturin on its
own would download a whole Rust toolchain (hundreds of MB, and failing offline); this backend stops
at once instead, saying what is needed. Every hook is maturin's otherwise.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, List, Mapping, Optional

import maturin

_MESSAGE = (
    "journeystream: building from source needs a Rust toolchain (cargo and rustc 1.80 or newer), "
    "and `cargo` is not on PATH. Install one with https://rustup.rs (then open a new shell), or "
    "install a prebuilt wheel instead: `bash scripts/build-wheel.sh` on a machine with Rust makes "
    "target/dist/journeystream-*-abi3-manylinux2014_*.whl, which `pip install` takes with no "
    "Rust at all."
)


def _require_cargo() -> None:
    cargo = os.environ.get("CARGO")
    if not (cargo and os.path.exists(cargo)) and shutil.which("cargo") is None:
        raise RuntimeError(_MESSAGE)
    # Never let maturin fetch a toolchain of its own.
    os.environ.setdefault("MATURIN_NO_INSTALL_RUST", "1")


def get_requires_for_build_wheel(config_settings: Optional[Mapping[str, Any]] = None) -> List[str]:
    _require_cargo()
    return maturin.get_requires_for_build_wheel(config_settings)


def get_requires_for_build_editable(config_settings: Optional[Mapping[str, Any]] = None) -> List[str]:
    _require_cargo()
    return maturin.get_requires_for_build_editable(config_settings)


def get_requires_for_build_sdist(config_settings: Optional[Mapping[str, Any]] = None) -> List[str]:
    _require_cargo()
    return maturin.get_requires_for_build_sdist(config_settings)


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: Optional[Mapping[str, Any]] = None
) -> str:
    _require_cargo()
    return maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings)


def prepare_metadata_for_build_editable(
    metadata_directory: str, config_settings: Optional[Mapping[str, Any]] = None
) -> str:
    _require_cargo()
    return maturin.prepare_metadata_for_build_editable(metadata_directory, config_settings)


def build_wheel(
    wheel_directory: str,
    config_settings: Optional[Mapping[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_cargo()
    return maturin.build_wheel(wheel_directory, config_settings, metadata_directory)


def build_editable(
    wheel_directory: str,
    config_settings: Optional[Mapping[str, Any]] = None,
    metadata_directory: Optional[str] = None,
) -> str:
    _require_cargo()
    return maturin.build_editable(wheel_directory, config_settings, metadata_directory)


def build_sdist(sdist_directory: str, config_settings: Optional[Mapping[str, Any]] = None) -> str:
    _require_cargo()
    return maturin.build_sdist(sdist_directory, config_settings)
