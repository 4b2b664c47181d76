"""Guards, deoptimization and blacklisting: a generic function called with an int, then
a float, then a string prints what tier 0 prints, and the log says what happened."""
from __future__ import annotations

from pathlib import Path

from jit_support import EVERYTHING_HOT, events, run_auto, split_log, tier0

# The loops sit inside `let once = [{ }]` so that OSR does not resume them (a loop in an
# array literal's elements is refused: jit/osr.py): the calls stay interpreted ->
# compiled, which is what this test is about.
CHANGING_TYPES = """fun twice(x) {
    x + x
}
fun show(v) {
    println(twice(v))
}
fun ident(x) {
    x
}
fun show_any(v) {
    println(ident(v))
}
let mut v = 1
let once = [{
    for i in 0..3 { show(v); v = v + 1 }
    v = 1.5
    for i in 0..3 { show(v); v = v + 1.0 }
    v = "a"
    for i in 0..3 { show(v); v = v + "b" }
    v = 7
    show(v)
    show_any(v)
    v = [1, 2]
    for i in 0..8 { show_any(v); v.push(i) }
}]
"""


def test_changing_types(tmp_path: Path) -> None:
    path = tmp_path / "types.ruchy"
    path.write_text(CHANGING_TYPES)
    got = run_auto(path, tmp_path / "c", EVERYTHING_HOT)
    assert got.status == 0, got.stderr
    assert got.stdout == tier0(path).stdout
    log, rest = split_log(got.stderr)
    assert rest == ""
    promoted = events(log, "promote")
    assert any("show(any) as (i64)" in ln for ln in promoted), log
    # the float calls fail the int guard, run interpreted, and add a specialisation;
    # so do the strings
    deopts = events(log, "deopt")
    assert any("show(any): guard (int) failed for (float)" in ln for ln in deopts), log
    assert any("show(any) as (f64)" in ln and "after a deopt" in ln for ln in promoted), log
    assert any("show(any): guard (int), (float) failed for (str)" in ln for ln in deopts)
    assert any("show(any) as (str)" in ln for ln in promoted), log
    # an array is another guard key (with its element type): one more specialisation
    assert any("show_any(any): guard (int) failed for (array of int)" in ln
               for ln in deopts), log
    assert any("show_any(any) as (arr[i64])" in ln for ln in promoted), log
    assert not any("blacklist" in ln for ln in log), log


def test_blacklist_threshold_is_a_knob(tmp_path: Path) -> None:
    path = tmp_path / "types.ruchy"
    path.write_text(CHANGING_TYPES)
    got = run_auto(path, tmp_path / "c", EVERYTHING_HOT + ["--jit-max-deopts=0"])
    assert got.stdout == tier0(path).stdout
    log, _ = split_log(got.stderr)
    assert any("blacklist show(any): 1 deoptimizations > 0" in ln for ln in log), log
    assert not any("as (f64)" in ln for ln in events(log, "promote"))
    assert any("blacklist show_any(any): 1 deoptimizations > 0" in ln for ln in log), log


def test_types_stable_at_default_thresholds(tmp_path: Path) -> None:
    """Hot enough to promote at the default policy (a float argument is another
    specialisation at tier 0 already: no deopt)."""
    path = tmp_path / "hot.ruchy"
    path.write_text("fun f(x) {\n  let mut r = x\n  for k in 0..2 { r = r + x }\n  r\n}\n"
                    "let mut s = 0\nlet once = [{\n"
                    "  for i in 0..8000 { s = s + f(i) }\n}]\nprintln(s)\n"
                    "let mut t = 0.5\nlet once = [{ for i in 0..3 { t = t + f(t) } }]\n"
                    "println(t)\n")
    got = run_auto(path, tmp_path / "c")
    assert got.stdout == tier0(path).stdout
    log, _ = split_log(got.stderr)
    assert any("f(int) as (i64) -> tier 1: heat 2000" in ln
               for ln in events(log, "promote")), log
    assert not events(log, "deopt"), log


def test_strings_cross_the_boundary(tmp_path: Path) -> None:
    """String arguments and results of compiled code, non-ASCII text included."""
    path = tmp_path / "s.ruchy"
    path.write_text('fun deco(s: String, n: i64) -> String {\n'
                    '    let mut r = s\n    for i in 0..n { r = r + "·" + i.to_string() }\n'
                    '    r\n}\n'
                    'let once = [{\n'
                    '    for k in 0..3 { println(deco("héllo", k), deco("", k).len()) }\n}]\n')
    got = run_auto(path, tmp_path / "c", EVERYTHING_HOT)
    assert got.status == 0 and got.stdout == tier0(path).stdout, got.stderr
    log, _ = split_log(got.stderr)
    assert any("deco(str, int) as (str, i64)" in ln for ln in events(log, "promote")), log
