"""Small self-recursive functions get twins at tier 2 (codegen/module.py): LLVM inlines
them, and the program still behaves exactly as at tier 0, stack overflow included."""
from __future__ import annotations

import re

import pytest

from ruchy_harness import run_cli

FIB = """
fun fib(n: i64) -> i64 {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
println(fib(25))
"""

# Recursion that never stops: the error must come at the same call, after the same output.
DEEP = """
fun down(n: i64) -> i64 {
    if n % 5000 == 0 { println(n) }
    down(n + 1) + 1
}
fun fib(n: i64) -> i64 {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
println(fib(15))
println(down(0))
"""

# Overflow inside the unrolled levels: reported at the same `+` as at tier 0.
OVERFLOW = """
fun tri(n: i64) -> i64 {
    if n == 0 { return 9223372036854775000 }
    tri(n - 1) + n
}
println(tri(10))
println(tri(100))
"""


def _defines(path, tier: int, llvm_opt: bool) -> list[str]:
    argv = ["--emit=llvm", f"--tier={tier}", str(path)]
    if llvm_opt:
        argv.insert(1, "--llvm-opt")
    r = run_cli(argv)
    assert r.status == 0, r.stderr
    return re.findall(r"^define [^@]*@\"?([\w.]+)", r.stdout, re.M)


def test_twins_only_at_tier_2(tmp_path):
    p = tmp_path / "fib.ruchy"
    p.write_text(FIB)
    # (fib's recursion is bounded by n, and it only adds what it returns: the twins
    # are those of its pure body, codegen/recursion.py and puresum.py)
    assert {"r.fib.pure.twin1", "r.fib.pure.twin2"} <= set(_defines(p, 2, False))
    assert not [d for d in _defines(p, 1, False) if "twin" in d]


def test_llvm_inlines_the_twins(tmp_path):
    p = tmp_path / "fib.ruchy"
    p.write_text(FIB)
    defines = _defines(p, 2, True)
    # (r.fib, which tests the bound, and the fast body inlined into their caller)
    assert "r.fib.pure" in defines
    assert not [d for d in defines if "twin" in d]  # inlined and removed


def test_large_functions_get_none(tmp_path):
    body = "\n".join(f"    let a{i} = n * {i} + 1" for i in range(40))
    p = tmp_path / "big.ruchy"
    p.write_text(f"fun big(n: i64) -> i64 {{\n    if n < 1 {{ return 0 }}\n{body}\n"
                 f"    big(n - 1) + a39 - a38\n}}\nprintln(big(5))\n")
    assert not [d for d in _defines(p, 2, False) if "twin" in d]


@pytest.mark.parametrize("source", [FIB, DEEP, OVERFLOW], ids=["fib", "deep", "overflow"])
def test_same_behaviour_as_tier_0(tmp_path, source):
    p = tmp_path / "prog.ruchy"
    p.write_text(source)
    ref = run_cli(["run", "--tier=0", str(p)], subprocess_=True)
    got = run_cli(["run", "--tier=2", str(p)], subprocess_=True)
    assert (got.status, got.stdout, got.stderr) == (ref.status, ref.stdout, ref.stderr)
