"""Arrays across the boundary between the interpreter and compiled code: OSR with live
arrays (copied in), promoted functions taking and returning arrays (copied in, results
and `&mut` arguments copied out), guards on element types, errors after OSR."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import EVERYTHING_HOT, events, run_auto, split_log, tier0

SIEVE = """let n = 30000
let mut is = [true; n + 1]
is[0] = false
is[1] = false
let mut i = 2
while i * i <= n {
    if is[i] {
        let mut j = i * i
        while j <= n {
            is[j] = false
            j += i
        }
    }
    i += 1
}
let mut count = 0
let mut last = 0
for k in 0..n + 1 {
    if is[k] { count += 1; last = k }
}
println(count, last)
"""

MATRIX = """let n = 40
let mut a = []
let mut b = []
for i in 0..n {
    let mut ra = []
    let mut rb = []
    for j in 0..n { ra.push((i * j % 7) as f64 + 0.5); rb.push((i + j) % 5) }
    a.push(ra)
    b.push(rb)
}
let mut c = [[0.0; n]; n]
let mut r = 0
while r < n {
    for k in 0..n {
        for j in 0..n {
            c[r][j] = c[r][j] + a[r][k] * (b[k][j] as f64)
        }
    }
    r += 1
}
let mut tr = 0.0
for i in 0..n { tr = tr + c[i][i] }
println(tr, c[3][5], c[n - 1])
"""

KINDS = """let mut fs = [0.5, 1.25]
let mut bs = [false, true, true]
let mut ss = ["a", "é", ""]
let mut nest = [[[1], []], [[2, 3]]]
let mut empty = []
let mut i = 0
while i < 300 {
    fs[i % 2] = fs[i % 2] * 1.01
    bs[i % 3] = !bs[i % 3]
    if i % 100 == 0 { ss.push(ss[1] + i.to_string()); nest[1][0].push(i) }
    if i % 150 == 0 { empty.push(i * 2) }
    i += 1
}
println(fs, bs, ss)
println(nest, empty, nest[0][1].len())
"""

FUNCTIONS = """fun fill(a: &mut Vec<i64>, n: i64) {
    let mut i = 0
    while i < n { a.push(i * i); i += 1 }
}
fun bump(a: &mut Vec<f64>) {
    for k in 0..a.len() { a[k] = a[k] + 1.0 }
}
fun total(a) {
    let mut s = 0
    for x in a { s += x }
    s
}
fun scale(a, k) {
    let mut out = []
    for x in a { out.push(x * k) }
    out
}
fun flip(a) {
    let mut out = []
    for x in a { out.push(!x) }
    out
}
fun bang(a) {
    let mut out = []
    for x in a { out.push(x + "!") }
    out
}
fun rows(m) {
    let mut out = []
    for r in m { out.push([r.len(), total(r)]) }
    out
}
fun keep(a) {
    let mut b = a
    for i in 0..2 { b.push(99) }
    a
}
let mut v = []
let once = [{ for rep in 0..2 {
    fill(&mut v, 10)
    println(v, total(v))
    fill(&mut v, 3)
    let w = v
    fill(&mut v, 1)
    println(v, w)
    let mut f = [1.5, 2.5]
    bump(&mut f)
    bump(&mut f)
    println(f)
    println(scale(v, 2), scale([1.5], 2.0), scale([], 2))
    println(flip([true, false]), bang(["a", "ü"]))
    let m = [[1, 2], [3, 4, 5], []]
    println(rows(m), m)
    println(keep(v), v.len())
} }]
"""


def _same(path: Path, tmp_path: Path, extra=()):
    got = run_auto(path, tmp_path / "c", list(extra), subprocess_=True)
    want = tier0(path)
    assert (got.stdout, got.status) == (want.stdout, want.status), got.stderr
    log, rest = split_log(got.stderr)
    assert rest == want.stderr
    return log


@pytest.mark.parametrize("name,text,live", [("sieve", SIEVE, "is"),
                                              ("matrix", MATRIX, "c"),
                                              ("kinds", KINDS, "nest")])
@pytest.mark.parametrize("extra", [EVERYTHING_HOT, []], ids=["scale0", "default"])
def test_osr_with_live_arrays(name: str, text: str, live: str, extra: list,
                              tmp_path: Path) -> None:
    path = tmp_path / f"{name}.ruchy"
    path.write_text(text)
    if name == "kinds" and not extra:
        extra = ["--jit-osr=100"]  # 300 iterations: below the default threshold
    log = _same(path, tmp_path, extra)
    osr = events(log, "osr")
    assert osr and "in the top level" in osr[0] and live in osr[0], log
    assert not events(log, "osr-refused"), log


def test_functions_with_arrays(tmp_path: Path) -> None:
    path = tmp_path / "fns.ruchy"
    path.write_text(FUNCTIONS)
    log = _same(path, tmp_path, EVERYTHING_HOT)
    promoted = "\n".join(events(log, "promote"))
    for want in ("fill(array, int) as (arr[i64], i64)", "bump(array) as (arr[f64])",
                 # (rows' loop runs compiled after OSR: total is not called with
                 # an `any` row from the interpreter)
                 "total(array) as (arr[i64])", "flip(array) as (arr[bool])",
                 "bang(array) as (arr[str])", "rows(array) as (arr[arr[i64]])",
                 "keep(array) as (arr[i64])", "scale(array, float) as (arr[f64], f64)", "scale(array, int) as (arr[i64], i64)"):
        assert want in promoted, log
    assert not events(log, "not-compiled"), log


def test_element_types_are_guarded(tmp_path: Path) -> None:
    """A function seen with an int array, then a float one, then an empty one: each
    fails the guard, runs interpreted, and gets its own specialisation."""
    path = tmp_path / "guard.ruchy"
    path.write_text("fun first(a) {\n    let mut r = a\n    for i in 0..1 { r = a }\n"
                    "    r\n}\nif true {\n    println(first([1, 2]))\n"
                    "    println(first([1, 2]))\n    println(first([1.5]))\n"
                    "    println(first([1.5]))\n    println(first([]))\n"
                    "    println(first([[true]]))\n}\n")
    log = _same(path, tmp_path, EVERYTHING_HOT)
    deopts = events(log, "deopt")
    assert any("guard (array of int) failed for (array of float)" in ln
               for ln in deopts), log
    assert any("failed for (array)" in ln for ln in deopts), log
    promoted = "\n".join(events(log, "promote"))
    for sig in ("(arr[i64])", "(arr[f64])", "(arr[?])", "(arr[arr[bool]])"):
        assert f"first(array) as {sig}" in promoted, log


def test_index_error_after_osr(tmp_path: Path) -> None:
    """Index out of bounds in OSR-compiled code: same diagnostic and position, status
    1, and everything printed before."""
    path = tmp_path / "oob.ruchy"
    path.write_text('let mut a = [0; 10]\nprintln("before", a)\nlet mut i = 0\n'
                    'while i < 500 {\n    if i == 300 { println("at", i, a[2]) }\n'
                    '    a[i % 10] += i\n    let x = a[i / 40]\n    i += 1\n}\n'
                    'println(a)\n')
    got = run_auto(path, tmp_path / "c", ["--jit-osr=100"], subprocess_=True)
    want = tier0(path)
    assert got.status == want.status == 1
    assert got.stdout == want.stdout and "at 300" in got.stdout
    log, rest = split_log(got.stderr)
    assert rest == want.stderr and "index out of bounds" in rest
    assert events(log, "osr"), log


def test_mut_param_osr_copies_back(tmp_path: Path) -> None:
    """OSR inside a function whose `&mut` parameter the loop writes: the caller sees
    the writes."""
    path = tmp_path / "mut.ruchy"
    path.write_text("fun zero(a: &mut Vec<i64>) {\n    let mut i = 0\n"
                    "    while i < a.len() { a[i] = i * 3; i += 1 }\n    a.push(-1)\n}\n"
                    "let mut v = [7; 500]\nzero(&mut v)\nprintln(v[0], v[499], v.len())\n")
    log = _same(path, tmp_path, ["--jit-osr=100", "--jit-tier1=1e9", "--jit-tier2=1e9"])
    assert events(log, "osr"), log


BOOL_PUSHES = """fun add(a: &mut Vec<bool>, n: i64) {
    let mut k = 0
    while k < n { a.push(k % 3 == 0); k += 1 }
}
fun built(n: i64) -> [bool] {
    let mut f = []
    for k in 0..n { f.push(k % 2 == 0) }
    f
}
fun count(a: [bool]) -> i64 {
    let mut c = 0
    for k in 0..a.len() { if a[k] { c += 1 } }
    c
}
let mut v = [true]
for rep in 0..3 {
    let w = v
    add(&mut v, 5 + rep * 7)
    let b = built(rep * 5 + 1)
    let mut z = b
    z.push(true)
    println(v.len(), count(v), w.len(), count(w), v[v.len() - 1])
    println(b, z, b.len(), count(z))
}
println(v)
"""


@pytest.mark.parametrize("extra,osr", [(["--jit-tier1=1", "--jit-tier2=2", "--jit-osr=1000000"],
                                        False), (EVERYTHING_HOT, True)],
                         ids=["calls", "osr"])
def test_bool_pushes_cross_the_boundary(tmp_path: Path, extra: list, osr: bool) -> None:
    """Bool arrays (one byte an element) pushed to past their capacity in compiled code,
    by reference from the interpreter and returned to it, with copies the interpreter
    keeps (copy on write); or live in a loop entered by OSR: as at tier 0."""
    path = tmp_path / "bools.ruchy"
    path.write_text(BOOL_PUSHES)
    log = _same(path, tmp_path, extra)
    if osr:
        entered = events(log, "osr")
        assert entered and "live values v" in entered[0], log
        return
    promoted = "\n".join(events(log, "promote"))
    for want in ("add(array, int) as (arr[bool], i64)", "built(int) as (i64)",
                 "count(array) as (arr[bool])"):
        assert want in promoted, log
