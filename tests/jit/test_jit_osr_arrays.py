"""On-stack replacement of `for x in array` loops: tier 0 iterates over the array's
snapshot with an iterator of its own, and offers the loop's position (the current index
and the snapshot) with the live values; the continuation resumes it as
`for #k in #cur..#snap.len() { let x = #snap[#k]; ... }` (jit/osr.py), alone or as an
enclosing loop of the loop entered. What it prints, returns and fails with is what
tier 0 does."""
from __future__ import annotations

from pathlib import Path

import pytest

from jit_support import (assert_osr_entered_same_as_tier0, events, log_of_run_like_tier0, run_auto,
                         split_log, tier0)

OSR_SOON = ["--jit-osr=500", "--jit-tier1=1e9", "--jit-tier2=1e9"]

#: fills an array with 100 elements per call: loops of fewer iterations than OSR_SOON's
#: threshold, so that the array loop is the one entered
FILL = "fun fill(xs: &mut Vec<i64>, c: i64) { for i in 0..100 { xs.push(%s) } }\n"

#: name -> (program, the line:col of the loop entered, its live values)
PROGRAMS = {
    "toplevel": (FILL % "(c * 100 + i) % 7" + """let mut xs = []
for c in 0..30 { fill(&mut xs, c) }
let mut s = 0
for x in xs { if x % 2 == 0 { s += x } else { s -= 1 } }
println(s)
""", "5:1", "s, #cur, #snap"),
    "in_range_holding_a_while": (FILL % "(c * 100 + i) % 7" + """let mut xs = []
for c in 0..3 { fill(&mut xs, c) }
let mut t = 0
for r in 0..3 {
    for x in xs {
        let mut j = 0
        while j < x { j += 1; t += j * r }
        if x == 5 { t += 1 }
    }
    println("row", r, t)
}
println(t)
""", "8:9", "j#5, r#3, t, x#4, xs, #cur1, #end1, #cur2, #snap2"),
    "break_continue_in_function": ("""fun scan(xs: [i64], limit: i64) -> i64 {
    let mut acc = 0
    let mut seen = 0
    for x in xs {
        seen += 1
        if x == 3 { continue }
        acc += x
        if acc > limit { break }
    }
    acc * 10000 + seen
}
fun fill(xs: &mut Vec<i64>, c: i64) { for i in 0..100 { xs.push((c * 100 + i) % 7) } }
let mut w = []
for c in 0..30 { fill(&mut w, c) }
println(scan(w, 3000), scan(w, 100000))
""", "4:5", "acc, limit, seen, #cur, #snap"),
    "array_and_variable_written_in_body": (FILL % "(c * 100 + i) % 7" + """let mut xs = []
for c in 0..30 { fill(&mut xs, c) }
let mut s = 0
for x in xs {
    xs.push(x * 2)
    xs[0] = xs[0] + x
    x = x + 1
    s += x
}
println(xs.len(), xs[0], xs[2999], xs[3000], xs[5999], s)
""", "5:1", "s, xs, #cur, #snap"),
    "mut_param_iterated_in_function": ("""fun dup(v: &mut Vec<i64>) -> i64 {
    let mut n = 0
    for x in v {
        if x % 2 == 0 && x < 1000 { v.push(x + 1000) } else { v[0] = v[0] + 1 }
        n += x
    }
    n
}
let mut a = []
for c in 0..400 { a.push(c) }
let mut t = 0
for c in 0..3 { t += dup(&mut a) }
println(t, a.len(), a[0], a[a.len() - 1])
""", "3:5", "n, v, #cur, #snap"),
    "floats": ("""fun fill(xs: &mut Vec<f64>, c: i64) {
    for i in 0..100 { xs.push((c * 100 + i) as f64 * 0.25) }
}
let mut fs = []
for c in 0..30 { fill(&mut fs, c) }
let mut s = 0.0
let mut m = 0.0
for f in fs { s += f * 1.5; m = m.max(f / 3.0) }
println(s, m)
""", "8:1", "m, s, #cur, #snap"),
    "bools": ("""fun fill(xs: &mut Vec<bool>, c: i64) {
    for i in 0..100 { xs.push((c + i) % 3 == 0) }
}
let mut bs = []
for c in 0..30 { fill(&mut bs, c) }
let mut yes = 0
let mut flips = 0
let mut last = false
for b in bs { if b { yes += 1 } if b != last { flips += 1 } last = b }
println(yes, flips, last)
""", "9:1", "flips, last, yes, #cur, #snap"),
    "arrays_of_arrays": ("""fun fill(rows: &mut Vec<Vec<i64>>, c: i64) {
    for i in 0..100 { rows.push([c, i, c * i]) }
}
let mut rows = []
for c in 0..30 { fill(&mut rows, c) }
let mut s = 0
for row in rows {
    row.push(7)
    row[0] = 99
    s += row[1] + row[2] + row.len()
    rows[0][1] = rows[0][1] + 1
}
println(s, rows[0], rows[1], rows[2999])
""", "7:1", "rows, s, #cur, #snap"),
    "string_characters": ("""fun piece(c: i64) -> String {
    let mut s = ""
    for i in 0..100 { s = s + "ab" + ((i + c) % 10).to_string() }
    s
}
let mut text = ""
for c in 0..10 { text = text + piece(c) + "é" }
let mut n = 0
let mut out = ""
for ch in text { if ch == "a" { n += 1 } else if ch.len() > 1 { out = out + ch } }
println(n, out)
""", "10:1", "n, out, #cur, #snap"),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_array_loop_osr_same_as_tier0(name: str, tmp_path: Path) -> None:
    text, where, live = PROGRAMS[name]
    assert_osr_entered_same_as_tier0(tmp_path / f"{name}.ruchy", text, where, live,
                                     tmp_path / "c", OSR_SOON)


def test_array_loop_runtime_error_after_osr(tmp_path: Path) -> None:
    """An error in the resumed loop: the same diagnostic, status 1, the output before."""
    path = tmp_path / "err.ruchy"
    path.write_text(FILL % "c * 100 + i" + 'println("start")\nlet mut xs = []\n'
                    "for c in 0..30 { fill(&mut xs, c) }\nlet mut s = 0\nfor x in xs {\n"
                    '    if x % 1000 == 0 { println("at", x, s) }\n'
                    "    s += 100000 / (2500 - x)\n}\n" 'println("never", s)\n')
    got = run_auto(path, tmp_path / "c", OSR_SOON, subprocess_=True)
    want = tier0(path)
    assert got.status == want.status == 1
    assert got.stdout == want.stdout
    assert got.stdout.startswith("start\nat 0 0\n") and got.stdout.count("\nat ") == 3
    log, rest = split_log(got.stderr)
    assert rest == want.stderr and "err.ruchy:8:17: error: division by zero" in rest
    osr = events(log, "osr")
    assert len(osr) == 1 and "err.ruchy:6:1 " in osr[0], log


def test_array_of_mixed_elements_is_refused_with_reason(tmp_path: Path) -> None:
    path = tmp_path / "mixed.ruchy"
    text = ("fun fill(xs, c) { for i in 0..100 { xs.push(c * 100 + i) } }\n"
            "let mut xs = [1.5]\nfor c in 0..10 { fill(&mut xs, c) }\n"
            "let mut s = 0.0\nfor x in xs { s = s + x }\nprintln(s)\n")
    log = log_of_run_like_tier0(path, text, tmp_path / "c", OSR_SOON)
    refused = events(log, "osr-refused")
    assert len(refused) == 1 and "mixed.ruchy:5:1 " in refused[0], log
    assert "the `for` loop iterates over an array whose elements are not all of one " \
        "type" in refused[0]
    assert not events(log, "osr")


def test_tier0_offers_array_loop_without_a_counter() -> None:
    """Tier 0's code for an array loop that is an OSR point: the same `for` over the
    snapshot (through an iterator), the position computed only when offered."""
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.interp.program import translate_program
    from ruchy_opt.interp.translate import JitHooks
    from ruchy_opt.syntax.parser import parse_program as parse
    text = "let xs = [1, 2]\nlet mut s = 0\nfor x in xs { s += x }\nprintln(s)\n"
    src = SourceFile("t.ruchy", text)
    lines = translate_program(parse(text, "t.ruchy"), src, True, False,
                              JitHooks(osr=7)).source.split("\n")
    head = next(i for i, ln in enumerate(lines) if "for v_x in " in ln)
    before = "\n".join(lines[head - 4:head])
    assert "= iter(_t" in before and "= _iter(v_xs)" in before
    check = "\n".join(lines[head + 1:head + 5])
    # (the position through helpers that also take a lazy iterator: runtime/iterators.py)
    assert "_for_pos(_t" in check and "_for_snap(_t" in check and "_osr(" in check
    plain = translate_program(parse(text, "t.ruchy"), src, True, False, None).source
    assert "__length_hint__" not in plain and "= iter(" not in plain
