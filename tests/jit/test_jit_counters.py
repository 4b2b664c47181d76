"""Tier-1 code counts its own calls and loop back edges (jit/exportgen.py, the ``count``
hook of codegen/function.py), so a function whose hot work runs inside tier-1 code
reaches tier 2 although the interpreter calls it only a few times; counting changes no
output; cached tier-1 code (a shared object or an object file) still counts; callees
compiled into the same object count towards it; tier 2 and whole programs count
nothing."""
from __future__ import annotations

import re
from pathlib import Path

from jit_support import events, run_auto, split_log, tier0

#: Few calls from the interpreter, each with a long loop inside tier-1 code (OSR is
#: kept out of the way, so the loop can only run in the function's compiled code).
LOOP = """fun work(n: i64) -> i64 {
    let mut s = 0
    let mut i = 0
    while i < n {
        s = (s + i * 7) % 1000003
        i += 1
    }
    s
}
let mut t = 0
for k in 0..8 { t = (t + work(2000 + k)) % 1000003 }
println(t)
"""
#: A recursion that runs, after promotion, inside one call of tier-1 code.
FIB = """fun fib(n: i64) -> i64 { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
println(fib(18))
println(fib(21))
println(fib(12))
"""
#: A leaf callee compiled into its caller's object: its calls count for the caller.
CALLEE = """fun inner(x: i64) -> i64 { x % 7 + 1 }
fun outer(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + inner(i) }
    s
}
let mut t = 0
for k in 0..8 { t = t + outer(1000) }
println(t)
"""
THRESHOLDS = ["--jit-tier1=100", "--jit-tier2=5000", "--jit-osr=1000000000"]
_COUNTED = re.compile(r"heat (\d+) >= (\d+): calls (\d+), back-edges (\d+) counted in "
                      r"tier-1 code \((\d+) calls into tier-1 code\), (\d+) interpreted")


def _promotions(stderr: str, fn: str) -> list[str]:
    log, _ = split_log(stderr)
    return [ln for ln in events(log, "promote") if f"promote {fn}(" in ln]


def _counted(line: str) -> tuple[int, ...]:
    m = _COUNTED.search(line)
    assert m, line
    return tuple(int(x) for x in m.groups())


def test_hot_loop_inside_tier1_reaches_tier2(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(LOOP)
    got = run_auto(path, tmp_path / "c", THRESHOLDS)
    assert got.status == 0 and got.stdout == tier0(path).stdout, got.stderr
    promoted = _promotions(got.stderr, "work")
    assert len(promoted) == 2, promoted
    assert "-> tier 1: heat 2002 (calls 2, back-edges 2000)" in promoted[0]
    assert "-> tier 2" in promoted[1]
    heat, need, calls, back, crossings, interpreted = _counted(promoted[1])
    # exact: one call per crossing, one back edge per iteration (2002 + 2003 + ...)
    assert calls == crossings and back == sum(2002 + k for k in range(crossings))
    assert heat == calls + back + interpreted >= need == 5000
    assert crossings < 8  # far fewer calls than the heat: the loop was counted


def test_recursion_inside_tier1_reaches_tier2(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(FIB)
    got = run_auto(path, tmp_path / "c", ["--jit-tier1=1000", "--jit-tier2=20000"])
    assert got.status == 0 and got.stdout == tier0(path).stdout == "2584\n10946\n144\n"
    promoted = _promotions(got.stderr, "fib")
    assert [("-> tier 1" in p, "-> tier 2" in p) for p in promoted] == \
        [(True, False), (False, True)], promoted
    heat, need, calls, back, crossings, _ = _counted(promoted[1])
    assert back == 0 and calls >= 28657 and crossings < 1000 and heat >= need


def test_callees_count_for_their_compiled_caller(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(CALLEE)
    got = run_auto(path, tmp_path / "c", THRESHOLDS)
    assert got.status == 0 and got.stdout == tier0(path).stdout, got.stderr
    promoted = _promotions(got.stderr, "outer")
    assert "-> tier 2" in promoted[-1], promoted
    _, _, calls, back, crossings, _ = _counted(promoted[-1])
    assert back == 1000 * crossings and calls == crossings + 1000 * crossings


def test_cached_tier1_code_still_counts(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(LOOP)
    cache = tmp_path / "c"
    first = run_auto(path, cache, THRESHOLDS)
    assert list((cache / "jit").glob("*.so")), "no shared object was linked"
    # a shared object loaded with ctypes, then (without them) the object files (MCJIT)
    for drop_shared in (False, True):
        if drop_shared:
            for so in (cache / "jit").glob("*.so"):
                so.unlink()
        again = run_auto(path, cache, THRESHOLDS)
        assert again.status == 0 and again.stdout == first.stdout, again.stderr
        log, _ = split_log(again.stderr)
        assert len(events(log, "cache-hit")) == 2, log
        promoted = _promotions(again.stderr, "work")
        assert len(promoted) == 2 and all("loaded from the code cache" in p
                                          for p in promoted), promoted
        assert _counted(promoted[1]) == _counted(_promotions(first.stderr, "work")[1])


def test_only_tier1_jit_code_counts(tmp_path: Path) -> None:
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.jit.exportgen import generate_export
    from ruchy_opt.jit.native import EXPORT, HEAT, type_specialisation
    from ruchy_opt.lower import lower_program
    from ruchy_opt.syntax.parser import parse_program
    from ruchy_harness import run_cli
    src = SourceFile("p.ruchy", LOOP)
    module = lower_program(parse_program(LOOP, "p.ruchy"), src)
    typed = type_specialisation(module, "work", ("i64",))
    counted = str(generate_export(typed.prog, src, EXPORT, count=True))
    plain = str(generate_export(typed.prog, src, EXPORT))
    assert HEAT in counted and "ruchy.heat" in counted
    assert HEAT not in plain and "ruchy.heat" not in plain
    path = tmp_path / "p.ruchy"
    path.write_text(LOOP)
    whole = run_cli(["--emit=llvm", "--tier=1", str(path)])
    assert whole.status == 0 and "ruchy_run" in whole.stdout, whole.stderr
    assert "ruchy.heat" not in whole.stdout and HEAT not in whole.stdout
