"""C, compiled by GCC."""

from __future__ import annotations

from languages.base import FLAGS, Language


class C(Language):
    id = "c"
    name = "C (GCC)"
    extension = ".c"
    toolchain = "gcc"
    flags = ("-O2", "-std=gnu17", "-lm")  # after the source, so -lm links
    compile = ("{toolchain}", "{source}", "-o", "solution", FLAGS)
    artifact = "solution"
    run = ("/box/solution",)
    host_paths = ("/etc/alternatives",)  # gcc runs `as` and `ld` through these links
    self_test = """\
#include <stdio.h>

int main(void) {
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0)
        fwrite(buffer, 1, n, stdout);
    return 0;
}
"""
