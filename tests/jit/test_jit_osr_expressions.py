"""On-stack replacement of loops in expression position: the value of a `let`, an
assignment, a `return` or a `break`, a block used as a value, an `if` or `match` arm
used as a value (a function's tail expression), and the first operand of an expression
(an `if` condition, a `match` scrutinee, a range's start, an iterated array, a binary
operator's left operand, a cast). The continuation finishes the loop, then the rest of
the enclosing expression with the loop's value where the interpreter put it, then the
rest of the frame (jit/osr.py); what it prints, returns and fails with is what tier 0
does."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import (EVERYTHING_HOT, assert_osr_entered_same_as_tier0, events,
                         log_of_run_like_tier0, run_auto, split_log, tier0)

OSR_SOON = ["--jit-osr=100", "--jit-tier1=1e9", "--jit-tier2=1e9"]

#: name -> (program, the line:col of the loop entered first, its live values)
PROGRAMS = {
    "let_block_toplevel": ("""let base = 3
let total = {
    let mut s = base
    for i in 0..5000 { s += i % 7 }
    println("inner", s)
    s
}
println(total, base)
""", "4:5", "base, s#2, #cur, #end"),
    "match_arm_value_in_function": ("""fun f(k: i64) -> i64 {
    let r = match k {
        0 => { let mut s = 0; let mut i = 0; while i < 3000 { s += i; i += 1 }; s },
        1 | 2 => k,
        _ => 0
    }
    r + 1
}
println(f(0), f(2), f(9))
""", "3:46", "i#3, s#2"),
    "tail_match_with_binding": ("""fun m(n: i64) -> i64 {
    match n % 3 {
        0 => -1,
        v => {
            let mut s = v
            for i in 0..n { s += i % 5 }
            s * 10 + v
        }
    }
}
println(m(5000))
println(m(7), m(3))
""", "6:13", "s#3, v#2, #cur, #end"),
    "tail_if_without_block_statement": ("""fun g(n: i64) -> i64 {
    let x = 10
    if n > 100 { let x = n; let mut t = 0; while t < x { t += 3 }; t - x } else { x }
}
println(g(4000), g(5))
""", "3:44", "t#4, x, x#3"),
    "loop_break_value_in_let": ("""fun h(n: i64) -> i64 {
    let mut acc = 0
    let got = loop { acc += 1; if acc > n { break acc * 2 } }
    got + acc
}
println(h(3000))
""", "3:15", "acc, n"),
    "compound_assign_and_return": ("""fun c(n: i64) -> i64 {
    let mut acc = 7
    acc += { let mut s = 0; for i in 0..n { s += i }; s }
    if acc > 1000000 {
        return { let mut k = 0; while k < 500 { k += 1; acc -= 1 }; acc }
    }
    acc
}
println(c(3000))
""", "3:29", "acc, s#3, #cur, #end"),
    "operand_positions": ("""let mut s = 0
let mut i = 0
let v = ({ while i < 2000 { s += i; i += 1 }; s } * 2 + 1) as f64
println(v)
""", "3:12", "i, s"),
    "if_condition_and_match_scrutinee": ("""fun p(n: i64) -> i64 {
    let mut s = 0
    if { for i in 0..n { s += i % 3 }; s > 10 } {
        println("big", s)
    } else {
        println("small", s)
    }
    match { let mut j = 0; while j < n { j += 2 }; j % 3 } {
        0 => 100,
        1 => 200,
        _ => 300
    }
}
println(p(3000))
println(p(4))
""", "3:10", "n, s, #cur, #end"),
    "range_start_and_iterated_array": ("""let mut t = 0
for i in { let mut k = 0; loop { k += 1; if k == 1500 { break 1495 } } }..1500 {
    t += i
}
for x in { let mut a = []; for i in 0..2000 { a.push(i % 11) }; a } {
    t += x
}
println(t)
""", "2:27", "k#2, t"),
    "let_value_in_enclosing_loop": ("""fun run(n: i64) -> i64 {
    let mut total = 0
    for r in 0..4 {
        let v = {
            let mut s = r
            let mut j = 0
            while j < n { s += j % 5; j += 1 }
            s
        }
        if r == 1 { continue }
        total += v
        if total > 100000000 { break }
        println("row", r, v)
    }
    total
}
println(run(700))
""", "7:13", "j#5, n, r#3, s#4, total, #cur1, #end1"),
    "shadowed_names_in_value_blocks": ("""let s = "outer"
let k = 5
let n = {
    let s = 2
    let k = {
        let mut k = k
        let mut s = s
        while k < 3000 { k += s }
        k
    }
    k + s
}
println(s, k, n)
""", "8:9", "k, k#4, s, s#3, s#5"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_expression_osr_same_as_tier0(name: str, tmp_path: Path) -> None:
    text, where, live = PROGRAMS[name]
    assert_osr_entered_same_as_tier0(tmp_path / f"{name}.ruchy", text, where, live,
                                     tmp_path / "c", OSR_SOON)


def _same_error(path: Path, text: str, cache: Path, stdout: str, where: str,
                entered: str) -> None:
    path.write_text(text)
    got = run_auto(path, cache, OSR_SOON, subprocess_=True)
    want = tier0(path)
    assert got.status == want.status == 1
    assert got.stdout == want.stdout == stdout
    log, rest = split_log(got.stderr)
    assert rest == want.stderr and f"{path.name}:{where}: error:" in rest, rest
    osr = events(log, "osr")
    assert len(osr) == 1 and f"{path.name}:{entered} " in osr[0], log


def test_error_in_rest_of_let_value_after_osr(tmp_path: Path) -> None:
    """A runtime error after the loop, still inside the `let`'s value, raised in the
    continuation: the same diagnostic and position, status 1, the output before it."""
    _same_error(tmp_path / "let.ruchy", """println("start")
let zero = 0
let total = {
    let mut s = 0
    for i in 0..3000 { s += i }
    println("sum", s)
    s / zero
}
println("never", total)
""", tmp_path / "c", "start\nsum 4498500\n", "7:7", "5:5")


def test_error_in_function_tail_match_after_osr(tmp_path: Path) -> None:
    """The same from a `match` arm that is a function's tail expression, the frame
    returning through interpreted callers."""
    _same_error(tmp_path / "tail.ruchy", """fun f(n: i64) -> i64 {
    match n {
        0 => 0,
        m => {
            let mut acc = [0; 3]
            let mut i = 0
            while i < m { acc[i % 3] += i; i += 1 }
            println("acc", acc)
            acc[m]
        }
    }
}
println(f(0))
println(f(2000))
println("never")
""", tmp_path / "c", "0\nacc [666333, 667000, 665667]\n", "9:16", "7:13")


def test_everything_hot_enters_expression_loops(tmp_path: Path) -> None:
    """With every threshold at zero (the differential test's setting) the loop in the
    `let` is entered at once."""
    text, _, _ = PROGRAMS["match_arm_value_in_function"]
    path = tmp_path / "hot.ruchy"
    log = log_of_run_like_tier0(path, text, tmp_path / "c", EVERYTHING_HOT)
    assert not events(log, "osr-refused"), log


@pytest.mark.parametrize("where,text,why", [
    ("4:5", "let mut s = 0\nlet v = [0, {\n    let mut i = 0\n    while i < 3000 "
             "{ i += 1; s += i }\n    s\n}]\nprintln(v)\n", "an array literal"),
    ("3:5", "let mut s = 0\nlet v = 1 + {\n    for i in 0..3000 { s += i }\n    s\n}\n"
            "println(v)\n", "the right operand of `+`"),
    ("2:9", "let mut s = 0\nwhile { for i in 0..3000 { s += i }; s < 10 } { s += 1 }\n"
            "println(s)\n", "a loop condition"),
])
def test_unresumable_expressions_are_refused_with_reason(where: str, text: str, why: str,
                                                         tmp_path: Path) -> None:
    """Where part of an expression was evaluated before the loop (an array literal's
    earlier elements, an operator's left operand), or the loop would have to be
    re-entered in the middle of its condition, the loop stays in the interpreter and
    the log says why; the output is tier 0's."""
    path = tmp_path / "refused.ruchy"
    log = log_of_run_like_tier0(path, text, tmp_path / "c", OSR_SOON)
    refused = events(log, "osr-refused")
    assert refused and f"refused.ruchy:{where} " in refused[0] and why in refused[0], log
