"""Rust, compiled by rustc alone (no cargo)."""

from __future__ import annotations

import shutil
from pathlib import Path

from languages.base import FLAGS, Language, probe


class Rust(Language):
    id = "rust"
    name = "Rust"
    extension = ".rs"
    toolchain = "rustc"
    flags = ("--edition", "2021", "-O", "-C", "strip=debuginfo")  # 10x smaller binaries
    compile = ("{toolchain}", "{source}", "-o", "solution", FLAGS)
    artifact = "solution"
    run = ("/box/solution",)
    host_paths = ("/etc/alternatives",)  # rustc links with `cc`, which is such a link
    self_test = """\
use std::io::{self, Read, Write};

fn main() {
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input).unwrap();
    io::stdout().write_all(&input).unwrap();
}
"""

    def resolve_toolchain(self) -> Path | None:
        """The real rustc of the sysroot: `rustc` on PATH is often a rustup proxy."""
        found = shutil.which(self.configured_toolchain()) or shutil.which(
            self.configured_toolchain(), path=str(Path.home() / ".cargo/bin")
        )
        if found is None:
            return None
        sysroot = probe([found, "--print", "sysroot"])
        if sysroot is None:
            return None
        real = Path(sysroot.strip()) / "bin/rustc"
        return real.resolve() if real.exists() else None
