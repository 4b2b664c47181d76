"""A bounded recursion that only adds values that are never negative gets a pure body
(codegen/puresum.py): which functions qualify, that the pure body cannot fail (LLVM
finds it reads and writes no memory), and that programs print and fail exactly as at
tier 0, an overflow deep in the calls included, at the right `+` of several."""
from __future__ import annotations

import re

import pytest

from ruchy_harness import run_cli
from ruchy_opt.codegen import puresum, recursion
from ruchy_opt.codegen.infer import infer_program
from ruchy_opt.errors import SourceFile
from ruchy_opt.lower import lower_program
from ruchy_opt.syntax.parser import parse_program

FIB = "fun f(n: i64) -> i64 {\n    if n < 2 { return n }\n    f(n - 1) + f(n - 2)\n}\n"

# (source of f, how many sum positions its plan has; 0: it does not qualify)
CASES = [
    ("fib", FIB, 1),
    ("tribonacci", "fun f(n: i64) -> i64 {\n    if n < 3 { return 1 }\n"
     "    f(n - 1) + f(n - 2) + f(n - 3)\n}\n", 2),
    ("plus_constant", "fun f(n: i64) -> i64 {\n    if 0 < n { return f(n - 2) + 1 }\n"
     "    0\n}\n", 1),
    # n >= 1 where it is added
    ("plus_guarded_param", "fun f(n: i64) -> i64 {\n    if n < 1 { return 0 }\n"
     "    f(n - 1) + n\n}\n", 1),
    # m is passed along (a copy of an int)
    ("passes_a_param", "fun f(n: i64, m: i64) -> i64 {\n    if 0 > n { return 1 }\n"
     "    f(n - 1, m) + n\n}\n", 1),
    # k may be negative
    ("plus_unknown_param", "fun f(n: i64, k: i64) -> i64 {\n    if n < 1 { return 0 }\n"
     "    f(n - 1, k) + k\n}\n", 0),
    # an inner call (n >= 0) may return n - 5 < 0
    ("negative_base", "fun f(n: i64) -> i64 {\n    if n < 2 { return n - 5 }\n"
     "    f(n - 1) + f(n - 2)\n}\n", 0),
    ("difference", "fun f(n: i64) -> i64 {\n    if n < 2 { return n }\n"
     "    f(n - 1) - f(n - 2)\n}\n", 0),
    ("product", "fun f(n: i64) -> i64 {\n    if n < 2 { return 1 }\n"
     "    2 * f(n - 1)\n}\n", 0),
    # a result is compared: an overflow would change the branch taken
    ("compared", "fun f(n: i64) -> i64 {\n    if n < 2 { return n }\n"
     "    let a = f(n - 1)\n    if a > 10 { return a }\n    a + f(n - 2)\n}\n", 0),
    # it prints
    ("prints", "fun f(n: i64) -> i64 {\n    if n < 2 { println(n)\n return n }\n"
     "    f(n - 1) + f(n - 2)\n}\n", 0),
]


def _spec(text: str, name: str):
    src = SourceFile("prog.ruchy", text)
    prog = infer_program(lower_program(parse_program(text, src.name), src))
    return next(s for s in prog.reachable if s.name == name)


@pytest.mark.parametrize("text,want", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_which_recursions_are_pure_sums(text, want):
    args = "20, 3" if ", k: i64" in text or ", m: i64" in text else "20"
    spec = _spec(text + f"println(f({args}))\n", "f")
    bound = recursion.bound(spec)
    assert bound is not None
    plan = puresum.plan(spec, bound)
    assert (0 if plan is None else len(plan.spans)) == want


def _llvm(path, *extra) -> str:
    r = run_cli(["--emit=llvm", "--tier=2", *extra, str(path)])
    assert r.status == 0, r.stderr
    return r.stdout


def _body(text: str, name: str) -> str:
    m = re.search(rf'^define [^@]*@"?{re.escape(name)}"?\(.*?^}}', text, re.M | re.S)
    assert m, name
    return m.group(0)


def test_the_pure_body_cannot_fail(tmp_path):
    p = tmp_path / "fib.ruchy"
    p.write_text(FIB + "println(f(20))\n")
    text = _llvm(p)
    fast, pure = _body(text, "r.f.fast"), _body(text, "r.f.pure")
    assert '@"r.f.pure"(' in fast and "rt_fail_c" in fast  # it reports the overflow
    assert "rt_fail_c" not in pure and "with.overflow" not in pure
    assert re.search(r"add nuw i64", pure)
    assert re.search(r'ret i64 -1\b', pure)  # the code of the one '+'
    # so LLVM finds it pure
    opt = _llvm(p, "--llvm-opt")
    attrs = re.search(r"^; Function Attrs: (.*)\ndefine [^@]*@r\.f\.pure\(", opt, re.M)
    assert attrs and "memory(none)" in attrs.group(1)


PROGRAM = """fun fib(n: i64) -> i64 {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
fun trib(n: i64) -> i64 {
    if n < 3 { return 1 }
    trib(n - 1) + trib(n - 2) + trib(n - 3)
}
fun big(n: i64) -> i64 {
    if n < 2 { return 3074457345618258602 }
    big(n - 1) + big(n - 2)
}
fun inner(n: i64) -> i64 {
    if n < 1 { return 0 }
    if n == 1 { return 9223372036854775000 }
    inner(n - 2) + (inner(n - 1) + 1000)
}
fun outer(n: i64) -> i64 {
    if n < 1 { return 0 }
    if n == 1 { return 4611686018427387904 }
    outer(n - 1) + (outer(n - 2) + 0)
}
println(fib(-4), fib(0), fib(1), fib(20))
println(trib(15), big(3), inner(1), outer(2))
"""

# (last line, the column of the '+' that overflows first at tier 0)
FAILING = {
    "fib_like": ("println(big(30))", (11, 16)),
    "inner_plus": ("println(inner(9))", (16, 34)),
    "outer_plus": ("println(outer(9))", (21, 18)),
}
# by hand (a Python twin of the functions)
STDOUT = "-4 0 1 6765\n4063 9223372036854775806 9223372036854775000 4611686018427387904\n"


@pytest.mark.parametrize("tier", ["1", "2"])
def test_values(tmp_path, tier):
    p = tmp_path / "prog.ruchy"
    p.write_text(PROGRAM)
    got = run_cli(["run", f"--tier={tier}", str(p)])
    assert (got.status, got.stdout, got.stderr) == (0, STDOUT, "")


@pytest.mark.parametrize("name", list(FAILING))
def test_overflow_deep_in_the_calls(tmp_path, name):
    last, (line, col) = FAILING[name]
    p = tmp_path / "prog.ruchy"
    p.write_text(PROGRAM + last + "\nprintln(\"never\")\n")
    ref = run_cli(["run", "--tier=0", str(p)], subprocess_=True)
    assert ref.status == 1 and ref.stdout == STDOUT
    assert f"prog.ruchy:{line}:{col}: error: integer overflow" in ref.stderr
    for tier in ("1", "2"):
        got = run_cli(["run", f"--tier={tier}", str(p)], subprocess_=True)
        assert (got.status, got.stdout, got.stderr) == (ref.status, ref.stdout, ref.stderr)
