"""C++, compiled by g++: what nearly every programming contest accepts."""

from __future__ import annotations

from languages.base import FLAGS, Language


class Cpp(Language):
    id = "cpp"
    name = "C++ (GCC)"
    extension = ".cpp"
    extra_extensions = (".cc",)
    toolchain = "g++"
    flags = ("-O2", "-std=gnu++20")
    compile = ("{toolchain}", "{source}", "-o", "solution", FLAGS)
    artifact = "solution"
    run = ("/box/solution",)
    host_paths = ("/etc/alternatives",)  # g++ runs `as` and `ld` through these links
    self_test = """\
#include <iostream>

int main() {
    std::cout << std::cin.rdbuf();
}
"""
