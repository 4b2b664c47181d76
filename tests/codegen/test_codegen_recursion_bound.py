"""A recursion that an argument bounds runs a fast body without the call-depth argument
(codegen/recursion.py, module.py): which functions qualify, that the fast body has no
depth parameter, and that a run near the depth limit prints and fails exactly as the
checked code (and the IR interpreter) does, at tiers 1 and 2."""
from __future__ import annotations

import re

import pytest

from ruchy_harness import run_cli
from ruchy_opt.codegen import recursion
from ruchy_opt.codegen.infer import infer_program
from ruchy_opt.errors import SourceFile
from ruchy_opt.lower import lower_program
from ruchy_opt.syntax.parser import parse_program

FIB = """fun fib(n: i64) -> i64 {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
println(fib(20))
"""

# (source, name of the function, its bound or None)
CASES = [
    (FIB, "fib", (0, 2)),
    # b >= 3 guards the call; the bound is on the second parameter
    ("fun g(a, b: i64) -> i64 {\n    if b >= 3 { return g(a + 1, b - 1) }\n    a\n}\n"
     "println(g(0, 9))\n", "g", (1, 3)),
    # the mirrored comparison: 0 < n proves n >= 1
    ("fun h(n: i64) -> i64 {\n    if 0 < n { return h(n - 2) + 1 }\n    0\n}\n"
     "println(h(9))\n", "h", (0, 1)),
    # n == 0 stops it, but a negative n recurses for ever: no bound
    ("fun d(n: i64) -> i64 {\n    if n == 0 { return 0 }\n    d(n - 1) + 1\n}\n"
     "println(d(9))\n", "d", None),
    # the argument grows
    ("fun u(n: i64) -> i64 {\n    if n > 100 { return 0 }\n    u(n + 1) + 1\n}\n"
     "println(u(9))\n", "u", None),
    # the call is not under the comparison's edge
    ("fun w(n: i64) -> i64 {\n    let x = if n < 2 { 0 } else { 1 }\n"
     "    if x == 0 { return n }\n    w(n - 1) + x\n}\nprintln(w(9))\n", "w", None),
    # it calls another function too (which would need the depth)
    ("fun leaf(n: i64) -> i64 {\n    println(n)\n    n\n}\n"
     "fun m(n: i64) -> i64 {\n    if n < 1 { return 0 }\n    m(n - 1) + leaf(n)\n}\n"
     "println(m(3))\n", "m", None),
]


def _spec(text: str, name: str):
    """The (tier-1) specialisation of function ``name`` in program ``text``."""
    src = SourceFile("prog.ruchy", text)
    prog = infer_program(lower_program(parse_program(text, src.name), src))
    return next(s for s in prog.reachable if s.name == name)


@pytest.mark.parametrize("text,name,want", CASES, ids=[c[1] for c in CASES])
def test_which_recursions_are_bounded(text, name, want):
    got = recursion.bound(_spec(text, name))
    assert (None if got is None else tuple(got)) == want


def test_the_fast_body_takes_no_depth(tmp_path):
    p = tmp_path / "fib.ruchy"
    p.write_text(FIB)
    r = run_cli(["--emit=llvm", "--tier=2", str(p)])
    assert r.status == 0, r.stderr
    heads = dict(re.findall(r'^define internal i64 @"([\w.]+)"\(([^)]*)\)', r.stdout, re.M))
    assert heads["r.fib"].count("i64") == 2          # depth, n: the checked body
    assert heads["r.fib.fast"].count("i64") == 1     # n only
    # (the fast body's calls go to the pure body and its twins: codegen/puresum.py)
    for name in ("r.fib.pure", "r.fib.pure.twin1", "r.fib.pure.twin2"):
        assert heads[name].count("i64") == 1
    assert "20193" not in r.stdout.split('define internal i64 @"r.fib.fast"')[1]


# Near the limit: d(20000) runs the fast body from its first call; g(0, 40001) starts in
# the checked body and enters the fast one about 19,800 calls down (b falls by 2 a call,
# the room by 1); g(0, 40390) never may, and overflows after printing its last levels.
NEAR = """fun d(n: i64) -> i64 {
    if n < 0 { return 0 }
    if n < 130 { println(n) }
    d(n - 1) + 1
}
fun g(a, b: i64) -> i64 {
    if b >= 3 {
        if b < 40 { println(b) }
        return g(a + 1, b - 2) + a
    }
    a
}
println(d(20000))
println(g(0, 40001))
println(g(0, 40390))
println("never")
"""


def test_near_the_limit_tier_1_is_the_ir_interpreter(tmp_path, monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    p = tmp_path / "near.ruchy"
    p.write_text(NEAR)
    want = run_cli(["run", "--tier=ir", str(p)])
    got = run_cli(["run", "--tier=1", str(p)])
    assert want.status == 1 and "error: stack overflow" in want.stderr
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


@pytest.mark.parametrize("tier", ["1", "2"])
def test_near_the_limit_same_as_checked_code_only(tmp_path, monkeypatch, tier):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    p = tmp_path / "near.ruchy"
    p.write_text(NEAR)
    got = run_cli(["run", f"--tier={tier}", str(p)])
    monkeypatch.setattr(recursion, "bound", lambda spec: None)
    want = run_cli(["run", f"--tier={tier}", str(p)])
    assert want.status == 1 and "error: stack overflow" in want.stderr
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)
