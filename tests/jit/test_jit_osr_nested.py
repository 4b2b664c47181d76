"""On-stack replacement of loops that are not statements of the function's outermost
block: the inner loop of a nest, a loop in an `if` arm or a block statement. The continuation runs
the loop, then the rest of each enclosing construct (jit/osr.py); what it prints,
returns and fails with is what tier 0 does."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import (EVERYTHING_HOT, assert_osr_entered_same_as_tier0, events,
                         log_of_run_like_tier0, run_auto, split_log, tier0)

from ruchy_opt.jit.osr import loop_sites, osr_points
from ruchy_opt.syntax.parser import parse_program as parse

OSR_SOON = ["--jit-osr=100", "--jit-tier1=1e9", "--jit-tier2=1e9"]

#: name -> (program, the line:col of the loop entered first, its live values)
PROGRAMS = {
    "toplevel_nest": ("""let mut total = 0
for i in 0..3 {
    let mut j = 0
    while j < 1000 {
        total = total + j * i
        j += 1
    }
    println("i", i, total)
}
println(total)
""", "4:5", "i#2, j#3, total, #cur1, #end1"),
    "if_arm_in_function_shadowing": ("""const K = 3
fun f(n: i64) -> i64 {
    let mut s = 0
    let x = 100
    if n > 0 {
        let x = 7
        let K = 11
        let mut k = 0
        while k < n { k += 1; s += x }
        println("inner", x, K, k, s)
    }
    println("outer", x, K)
    s + x
}
println(f(500))
println(f(0))
""", "9:9", "K#5, k#6, n, s, x, x#4"),
    "outer_break_continue_in_rest": ("""fun g(m: i64) -> i64 {
    let mut found = 0
    let mut i = 0
    while i < m {
        i += 1
        let mut j = 0
        let mut acc = 0
        while j < 300 { acc += j; j += 1 }
        if i % 2 == 0 { continue }
        if i > 7 { break }
        found += acc + i
    }
    found * 10 + i
}
println(g(20))
let r = g(5)
println(r)
""", "8:9", "acc#5, found, i, j#4, m"),
    "loop_break_value": ("""fun h() -> i64 {
    let mut n = 0
    loop {
        n += 1
        for t in 0..400 {
            if t == 399 { n += t }
        }
        if n > 1500 { break n * 2 }
    }
}
println(h())
""", "5:9", "n, #cur, #end"),
    "return_from_nested_range": ("""fun find(limit: i64) -> i64 {
    for a in 1..50 {
        for b in a..=limit {
            if a * b == 391 { return a * 1000 + b }
        }
        if a == 40 { return -1 }
    }
    0
}
println(find(400))
println(find(10))
""", "3:9", "a#2, limit, #cur1, #end1, #cur, #end"),
    "toplevel_if_in_loop_then_main": ("""fun main() { println("main once") }
let mut z = 0
for i in 0..3 {
    if i > 0 {
        let mut j = 0
        loop { j += 1; z += 1; if j == 500 { break } }
    }
}
println(z)
""", "6:9", "j#3, z, #cur1, #end1"),
    "block_statement_shadowed_string": ("""let mut log = ""
let mut c = 0
for i in 0..3 {
    let tag = "r" + i.to_string()
    {
        let tag = tag + "!"
        let mut k = 0
        while k < 300 { k += 1; c += 1 }
        log = log + tag
    }
    log = log + tag
}
println(log, c)
""", "8:9", "c, k#6, log, tag#4, tag#5, #cur1, #end1"),
    "while_condition_with_effects": ("""fun tick(i: i64) -> bool {
    if i % 3 == 0 { println("tick", i) }
    i < 7
}
let mut i = 0
let mut s = 0
while tick(i) {
    i += 1
    let mut j = 0
    while j < 200 { j += 1; s += i }
}
println(i, s)
""", "10:5", "i, j#3, s"),
    "else_if_arm": ("""fun k(n: i64) -> i64 {
    let mut r = 0
    if n < 0 {
        r = -1
    } else if n > 10 {
        let mut q = 0
        while q < n { q += 2; r += q }
    } else {
        r = 1
    }
    r
}
println(k(1000), k(5), k(-3))
""", "7:9", "n, q#3, r"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_nested_osr_same_as_tier0(name: str, tmp_path: Path) -> None:
    text, where, live = PROGRAMS[name]
    assert_osr_entered_same_as_tier0(tmp_path / f"{name}.ruchy", text, where, live,
                                     tmp_path / "c", OSR_SOON)


def test_nested_osr_runtime_error_in_rest(tmp_path: Path) -> None:
    """An error in the rest of the enclosing loop after OSR: the same diagnostic, status
    1, and the output before it."""
    path = tmp_path / "err.ruchy"
    path.write_text('println("start")\nlet mut i = 0\nwhile i < 4 {\n    let mut j = 0\n'
                    '    while j < 300 { j += 1 }\n    println("row", i)\n'
                    '    let d = 2 - i\n    println(10 / d)\n    i += 1\n}\n'
                    'println("never")\n')
    got = run_auto(path, tmp_path / "c", OSR_SOON, subprocess_=True)
    want = tier0(path)
    assert got.status == want.status == 1
    assert got.stdout == want.stdout == "start\nrow 0\n5\nrow 1\n10\nrow 2\n"
    log, rest = split_log(got.stderr)
    assert rest == want.stderr and "err.ruchy:8:" in rest
    assert len(events(log, "osr")) == 1 and "err.ruchy:5:5 " in events(log, "osr")[0]


def test_loop_in_call_argument_is_refused_with_reason(tmp_path: Path) -> None:
    """A loop inside a call's arguments would have to be resumed halfway through the
    call's operands: refused, with the reason in the log (loops in other expression
    positions: test_jit_osr_expressions.py)."""
    path = tmp_path / "expr.ruchy"
    path.write_text("fun id(x: i64) -> i64 { x }\nfun m(n: i64) -> i64 {\n"
                    "    let total = id({\n        let mut s = 0\n"
                    "        let mut k = 0\n        while k < n { s += k; k += 1 }\n"
                    "        s\n    })\n    total\n}\nprintln(m(1000))\n")
    got = run_auto(path, tmp_path / "c", OSR_SOON)
    assert got.stdout == tier0(path).stdout == "499500\n"
    log, _ = split_log(got.stderr)
    refused = events(log, "osr-refused")
    assert len(refused) == 1 and "expr.ruchy:6:9 in m(int)" in refused[0], log
    assert "a call's arguments" in refused[0]
    assert not events(log, "osr")


def test_inner_refusal_leaves_outer_loop_to_osr(tmp_path: Path) -> None:
    """A live value of the inner loop that cannot cross (unit) refuses it; the heat of
    the nest still brings the outer loop in, at its next iteration."""
    path = tmp_path / "unit.ruchy"
    text = ('let mut t = 0\nfor i in 0..4 {\n    let u = println("row", i)\n'
            '    let mut j = 0\n    while j < 300 { j += 1; t += 1 }\n'
            '    println(u, t)\n}\nprintln(t)\n')
    log = log_of_run_like_tier0(path, text, tmp_path / "c", OSR_SOON)
    refused, osr = events(log, "osr-refused"), events(log, "osr")
    assert len(refused) == 1 and "unit.ruchy:5:5 " in refused[0], log
    assert "live variable 'u' holds unit" in refused[0]
    assert len(osr) == 1 and "unit.ruchy:2:1 " in osr[0], log


def test_enclosing_range_that_assigns_its_variable_is_not_resumed(tmp_path: Path) -> None:
    path = tmp_path / "assign.ruchy"
    text = ("let mut t = 0\nfor i in 0..4 {\n    let mut j = 0\n"
            "    while j < 300 { j += 1; t += 1 }\n    i = i + 10\n"
            "    println(i, t)\n}\nprintln(t)\n")
    log = log_of_run_like_tier0(path, text, tmp_path / "c", OSR_SOON)
    assert "assigns its variable 'i'" in " ".join(events(log, "osr-refused")), log


def test_everything_hot_enters_nested_loops(tmp_path: Path) -> None:
    """With every threshold at zero (the differential test's setting) an inner loop is
    entered by OSR too."""
    text, _, _ = PROGRAMS["if_arm_in_function_shadowing"]
    path = tmp_path / "hot.ruchy"
    log = log_of_run_like_tier0(path, text, tmp_path / "c", EVERYTHING_HOT)
    assert any("hot.ruchy:9:9 " in ln for ln in events(log, "osr")), log


def test_loop_sites_paths_and_reasons() -> None:
    prog = parse("fun f(n) {\n  if n > 0 { while n > 1 { loop { break } } }\n"
                 "  let y = { while n > 2 { } ; 1 }\n  for x in [1] { while true { } }\n"
                 "  match n { 1 => { while false { } }, _ => { } }\n"
                 "  let z = 1 + { while n > 3 { } ; 2 }\n  f({ loop { break } })\n}\n",
                 "t.ruchy")
    body = prog.items[0].body.stmts
    sites = loop_sites(body)
    paths = sorted((s.path for s in sites.values() if s.path is not None),
                   key=lambda p: (len(p), repr(p)))
    s, b = "stmts", "body"
    assert paths == [
        ((s, 2),),  # the `for` over an array
        ((s, 0), ("then", None), (s, 0)),  # a loop in an `if` arm
        ((s, 1), ("value", None), (s, 0)),  # in a block, the value of a `let`
        ((s, 2), (b, None), (s, 0)),  # the loop in the `for`'s body
        ((s, 3), ("arms", 0), (b, None), (s, 0)),  # in a `match` arm's block
        ((s, 0), ("then", None), (s, 0), (b, None), (s, 0))]  # in the `if` arm's loop
    whys = sorted(s.why for s in sites.values() if s.path is None)
    assert len(whys) == 2 and "a call's arguments" in whys[0], whys
    assert "the right operand of `+`" in whys[1], whys
    assert len(sites) == 8
    assert len(osr_points(prog)) == 6
