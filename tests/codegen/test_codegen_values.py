"""Level 3 values in compiled code (typerules/values.py, codegen/ops_values.py): tuples,
structs and enums of ints, floats and bools are compiled at tiers 1 and 2, by the
tiered runtime and by ``build``, unboxed (LLVM struct values, never allocated), and
print what tier 0 prints; anything else stays in the interpreter and says why.

tests/programs/l3v_values.ruchy is valid Rust: its .expected is what rustc's build of
it prints (tests/test_programs.py runs it at every tier too)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from ruchy_harness import PROGRAMS_DIR, TRACEBACK_MARK, run_cli

os.environ.setdefault("RUCHY_OPT_STRICT", "1")  # a compiler bug fails, not falls back

VALUES = PROGRAMS_DIR / "l3v_values.ruchy"
WANT = (PROGRAMS_DIR / "l3v_values.expected").read_text(encoding="utf-8")

#: the specialisations tier 1 compiles (whole-program typing: every one structural)
SPECS = ("@main()", "@dist2(!P<i64, i64>)", "@shift(!P<i64, i64>, i64)",
         "@len2(!Seg<!P<i64, i64>, !P<i64, i64>, bool>)", "@divmod(i64, i64)",
         "@area(!Shape{Circle(f64), Rect(f64, f64), Dot})", "@half(i64)",
         "@checked(i64, i64)", "@pick(i64)")


def _clean(r) -> None:
    assert TRACEBACK_MARK not in r.stderr, r.stderr


def test_tier_1_compiles_the_whole_program():
    r = run_cli(["run", "--tier=1", "--verbose", str(VALUES)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, WANT), r.stderr
    assert "tier 1: compiled 11 specialisations" in r.stderr
    for s in SPECS:
        assert s in r.stderr, s
    assert "interpreter" not in r.stderr


@pytest.mark.parametrize("tier", ["1", "2"])
def test_derived_order_compiles_and_agrees_with_rustc(tier):
    path = PROGRAMS_DIR / "l3v_order.ruchy"
    r = run_cli(["run", f"--tier={tier}", "--verbose", str(path)], subprocess_=True)
    _clean(r)
    want = path.with_suffix(".expected").read_text(encoding="utf-8")
    assert (r.status, r.stdout) == (0, want), r.stderr
    assert f"tier {tier}: compiled" in r.stderr and "interpreter" not in r.stderr


def test_tier_2_compiles_the_whole_program():
    r = run_cli(["run", "--tier=2", "--verbose", str(VALUES)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, WANT), r.stderr
    assert "tier 2: compiled" in r.stderr and "interpreter" not in r.stderr
    assert "did not run" not in r.stderr and "no longer types" not in r.stderr


def test_auto_enters_the_struct_loop_compiled(monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")  # (no program remembered as hot)
    r = run_cli(["run", "--tier=auto", "--jit-log", str(VALUES)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, WANT), r.stderr
    assert re.search(r"osr loop at \S+:79:5 in main\(\) .* -> tier 2", r.stderr), r.stderr
    assert "osr-refused" not in r.stderr and "failed" not in r.stderr


def test_build_makes_an_executable_that_prints_the_same(tmp_path: Path):
    exe = tmp_path / "values"
    r = run_cli(["build", "-o", str(exe), str(VALUES)])
    _clean(r)
    assert r.status == 0, r.stderr
    assert subprocess.run([str(exe)], capture_output=True, text=True).stdout == WANT


DIST = """\
struct P { x: i64, y: i64 }
fn dist(p: P) -> i64 { p.x * p.x + p.y * p.y }
fn moved(p: P, d: i64) -> P { P { x: p.x + d, y: p.y } }
fn main() {
    let mut s = 0;
    for i in 0..1000 { let p = P { x: i, y: i + 1 }; s = s + dist(moved(p, 1)) % 7; }
    println!("{}", s);
}
"""


def _function(llvm: str, name: str) -> str:
    m = re.search(r'^define [^\n]*@"?(?:r\.)?' + re.escape(name) + r'"?\(.*?^}', llvm,
                  re.M | re.S)
    assert m, f"no function {name} in\n{llvm}"
    return m.group(0)


def test_a_struct_is_an_llvm_struct_value_never_allocated(tmp_path: Path):
    """IR shape (FileCheck-style): tier 1's ``P`` is ``{i64, i64}`` passed and returned
    by value; fields are extractvalue/insertvalue; no allocation, no memory."""
    path = tmp_path / "dist.ruchy"
    path.write_text(DIST, encoding="utf-8")
    r = run_cli(["--emit=llvm", "--tier=1", str(path)])
    _clean(r)
    assert r.status == 0, r.stderr
    dist = _function(r.stdout, "dist")
    assert re.match(r'define internal i64 @"r\.dist"\(i64 %"\.1", \{i64, i64\} %"\.2"\)',
                    dist), dist
    assert "extractvalue {i64, i64}" in dist
    moved = _function(r.stdout, "moved")
    assert moved.startswith("define internal {i64, i64} @")
    assert "insertvalue {i64, i64}" in moved
    main = _function(r.stdout, "main")
    for body in (dist, moved, main):
        for word in ("alloca", "rt_alloc", "malloc", "load ", "store {"):
            assert word not in body, (word, body)
    # and after LLVM's pipeline at tier 2, the loop is all registers: the functions are
    # inlined, no memory is allocated or used for the struct
    r = run_cli(["--emit=llvm", "--tier=2", "--llvm-opt", str(path)])
    _clean(r)
    run = _function(r.stdout, "ruchy_run")
    assert not re.search(r'call [^\n]*@"?r\.', run), run
    for word in ("alloca", "rt_alloc", "malloc"):
        assert word not in run, (word, run)


@pytest.mark.parametrize("text,why", [
    ("struct S { name: String, n: i64 }\n"
     "fn get(s: S) -> i64 { s.n }\n"
     "fn main() { let mut t = 0; for i in 0..10 { let s = S { name: String::from(\"a\"), n: i };"
     " t = t + get(s); } println!(\"{}\", t); }\n",
     "a value of type S holding a string is not compiled yet"),
    ("fn main() { let v = vec![(1, \"a\"), (3, \"b\")]; let mut t = 0;"
     " for i in 0..2 { t = t + v[i].0; } println!(\"{}\", t); }\n",
     "a tuple holding a string is not compiled yet"),
    ("use std::fmt;\nstruct P { x: i64 }\nimpl fmt::Display for P {\n"
     "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, \"<{}>\", self.x) }\n"
     "}\nfn main() { let p = P { x: 1 }; println!(\"{}\", p); }\n",
     "formatting a value of type P, which implements Display or Debug, is not compiled yet"),
])
def test_what_is_outside_the_slice_stays_interpreted_and_says_why(tmp_path, text, why):
    path = tmp_path / "p.ruchy"
    path.write_text(text, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(path)])
    r = run_cli(["run", "--tier=1", "--verbose", str(path)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (want.status, want.stdout), r.stderr
    assert why in r.stderr, r.stderr
    assert "stays in the interpreter" in r.stderr or "run in the interpreter" in r.stderr


def test_enum_values_join_and_print_at_every_compiled_tier(tmp_path):
    """A phi joining ``Some(x)`` and ``None`` widens each (ops_values.coerce); a match
    on a value never ``Some`` compiles its arm as unreachable; ``{:#?}`` nests."""
    text = """\
#[derive(Debug, Clone, Copy)]
enum E { A(i64, f64), B { on: bool }, C }
fn mk(i: i64) -> E { if i % 3 == 0 { E::A(i, 0.5) } else if i % 3 == 1 { E::B { on: i > 3 } } else { E::C } }
fn first(v: i64) -> Option<(i64, bool)> { if v > 2 { Some((v, v % 2 == 0)) } else { None } }
fn main() {
    for i in 0..4 { println!("{:?} {:?}", mk(i), first(i)); }
    println!("{:#?}", (mk(3), first(4)));
    let n: Option<i64> = None;
    match n { Some(x) => println!("{}", x), None => println!("none") }
}
"""
    path = tmp_path / "e.ruchy"
    path.write_text(text, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(path)])
    assert want.status == 0
    for tier in ("1", "2"):
        r = run_cli(["run", f"--tier={tier}", "--verbose", str(path)], subprocess_=True)
        _clean(r)
        assert (r.status, r.stdout) == (0, want.stdout), r.stderr
        assert "interpreter" not in r.stderr, r.stderr


@pytest.mark.parametrize("seed", range(3))
def test_generated_value_programs_compile_whole_and_agree(tmp_path, seed):
    """tools/ruchy_gen_values.py (difftest --values runs many more): the whole program
    compiled at tier 1, printing what tier 0 prints."""
    import random
    import sys
    from ruchy_harness import TOOLS_DIR
    sys.path.insert(0, str(TOOLS_DIR))
    from ruchy_gen_values import generate_program
    p = tmp_path / f"values{seed}.ruchy"
    p.write_text(generate_program(random.Random(seed)), encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    got = run_cli(["run", "--tier=1", "--verbose", str(p)], subprocess_=True)
    _clean(got)
    assert (got.status, got.stdout) == (want.status, want.stdout), got.stderr
    assert "tier 1: compiled" in got.stderr and "interpreter" not in got.stderr


OSR = """\
#[derive(Debug, Clone, Copy)]
struct P { x: i64, y: f64, on: bool }
#[derive(Debug, Clone, Copy)]
enum S { A, B(i64, bool), C { p: P } }
fn main() {
    let mut p = P { x: 1, y: 0.5, on: true };
    let mut o: Option<i64> = None;
    let mut s = S::C { p: p };
    let mut t = (1, (2.5, false));
    let mut acc = 0;
    for i in 0..300000 {
        p.x = (p.x + i) % 1000;
        p.on = !p.on;
        if i % 7 == 0 { o = Some(i); }
        if i % 5 == 0 { s = S::B(i % 13, p.on); } else if i % 11 == 0 { s = S::A; }
        t.0 = t.0 + 1;
        acc = (acc + p.x + match s { S::A => 1, S::B(k, b) => if b { k } else { -k }, S::C { p } => p.x }) % 100000;
    }
    println!("{} {:?} {:?} {:?} {:?}", acc, p, o, s, t);
}
"""
#: what rustc's build of OSR prints
OSR_OUT = "4589 P { x: 1, y: 0.5, on: true } Some(299999) B(7, true) (300001, (2.5, false))\n"


def test_osr_enters_a_loop_whose_live_values_are_structs_and_enums(tmp_path, monkeypatch):
    """The interpreter's struct, Option, enum and tuple values cross into compiled code
    as their scalars (jit/boxing.value_leaves), which the entry rebuilds."""
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    path = tmp_path / "osr.ruchy"
    path.write_text(OSR, encoding="utf-8")
    r = run_cli(["run", "--tier=auto", "--jit-log", str(path)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, OSR_OUT), r.stderr
    assert "osr loop at" in r.stderr and "with live values acc, o, p, s, t" in r.stderr
    assert "osr-refused" not in r.stderr


RETURNS = """\
fn first_even(v: &Vec<i64>) -> Option<i64> {
    let mut i = 0;
    while i < v.len() { if v[i] % 2 == 0 { return Some(v[i]); } i += 1; }
    None
}
fn stats(v: &Vec<i64>) -> (i64, f64, bool) {
    let mut s = 0;
    for x in v.iter() { s += *x; }
    (s, s as f64 / 2.0, s > 10)
}
fn check(v: &Vec<i64>, k: i64) -> Result<Option<i64>, (i64, bool)> {
    if k < 0 { Err((k, true)) } else if k == 0 { Ok(None) } else { Ok(Some(v.len() as i64 * k)) }
}
fn main() {
    let v = vec![3, 5, 8, 9];
    let c = 'x';
    let w = vec![1, 3];
    let mut n = 0;
    for i in 0..3000 { match first_even(&v) { Some(x) => n += x, None => n -= 1 } if first_even(&w).is_none() { n += i % 3; } }
    println!("{} {:?} {:?} {:?}", n, first_even(&v), first_even(&w), stats(&v));
    println!("{:?} {:?} {:?} {}", check(&v, -2), check(&v, 0), check(&v, 3), c);
}
"""
#: what rustc's build of RETURNS prints
RETURNS_OUT = "27000 Some(8) None (25, 12.5, true)\nErr((-2, true)) Ok(None) Ok(Some(12)) x\n"


@pytest.mark.parametrize("tier", ["auto", "1"])
def test_tuples_options_and_results_cross_back_to_the_interpreter(tmp_path, monkeypatch, tier):
    """main stays interpreted (a char); the functions it calls are compiled and return
    Options, tuples and Results to it (jit/boxing.read_value)."""
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    path = tmp_path / "returns.ruchy"
    path.write_text(RETURNS, encoding="utf-8")
    opts = ["--jit-log", "--jit-scale=0"] if tier == "auto" else ["--verbose"]
    r = run_cli(["run", f"--tier={tier}", *opts, str(path)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, RETURNS_OUT), r.stderr
    assert "promote first_even(array) as (arr[i64])" in r.stderr
    assert "promote check(array, int) as (arr[i64], i64)" in r.stderr
    assert "it returns" not in r.stderr


def test_struct_update_that_changes_a_fields_type_compiles(tmp_path, monkeypatch):
    """``q.k0 = x as f64`` or ``P { k0: x as f64, ..p }`` where ``p.k0`` holds an int (Ruchy's fields are
    dynamic): the update's type has an f64 field where ``p``'s has an i64, so the other
    fields are widened one by one and the old k0 is dropped (ops_values.insert). Expected
    text: the fields as LANGUAGE.md prints them."""
    text = """\
#[derive(Debug, Clone, Copy)]
struct P { k0: f64, k1: i64 }
impl P { fn upd(self, a: i64) -> P { P { k0: (a as f64), ..self } } }
fn upd(p: P, a: i64) -> P { let mut q = p.upd(a); q.k0 = p.k0; q.k0 = (a as f64); q }
fn main() {
    let mut total = 0.0
    for i in 0..300 {
        let p = if i % 2 == 0 { P { k0: 13, k1: i } } else { P { k0: 0.5, k1: i } }
        let q = upd(p, i)
        total = total + q.k0
    }
    println!("{:?} {}", upd(P { k0: 13, k1: 7 }, 2), total)
}
"""
    path = tmp_path / "u.ruchy"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("RUCHY_OPT_JIT_SCALE", "0.001")
    for tier in ("0", "1", "2", "auto"):
        r = run_cli(["run", f"--tier={tier}", str(path)], subprocess_=True)
        assert TRACEBACK_MARK not in r.stderr, r.stderr
        assert (r.status, r.stdout) == (0, "P { k0: 2.0, k1: 7 } 44850.0\n"), (tier, r.stderr)


def test_generated_program_whose_struct_fields_change_type_agrees_at_tier_1(monkeypatch):
    """A generated Level 3 program (tests/test_generated.py, level3 seed 3000 on the day it
    failed) whose ``v.k0 = 38.125`` changes an i64 field to f64 in a hot method: at tier 1
    under CI's small JIT scale the update rebuilt the old struct into the new type, the
    changed field included (an LLVM parse error and a traceback). The oracle is tier 0."""
    path = Path(__file__).parent / "field_type_changes.ruchy"
    want = run_cli(["run", "--tier=0", str(path)], subprocess_=True)
    assert want.status == 0, want.stderr
    monkeypatch.setenv("RUCHY_OPT_JIT_SCALE", "0.001")
    got = run_cli(["run", "--tier=1", str(path)], subprocess_=True)
    assert TRACEBACK_MARK not in got.stderr, got.stderr
    assert (got.status, got.stdout, got.stderr) == (0, want.stdout, want.stderr)
