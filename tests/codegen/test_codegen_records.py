"""Arrays of tuples, structs and enums of scalars in compiled code (codegen/ops_records.py):
the elements are records stored inline in the array's data, with the value semantics
of tier 0 (copy on write), at tiers 1, 2, auto and as a ``build`` executable; they cross
the boundary between the interpreter and compiled code both ways (jit/boxing.py); a
loop that builds and drops them runs in flat memory (aliases.py, lifetimes.py).

tests/programs/l3v_arrays.ruchy is valid Rust: its .expected is what rustc's build of it
prints (tests/test_programs.py runs it at every tier too)."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from ruchy_harness import PROGRAMS_DIR, REPO, TRACEBACK_MARK, run_cli, run_with_max_rss

os.environ.setdefault("RUCHY_OPT_STRICT", "1")  # a compiler bug fails, not falls back

ARRAYS = PROGRAMS_DIR / "l3v_arrays.ruchy"
WANT = (PROGRAMS_DIR / "l3v_arrays.expected").read_text(encoding="utf-8")
BODY = "!Body<!V<f64, f64>, !V<f64, f64>, f64, bool, i64>"
#: specialisations tier 1 compiles, taking or returning arrays of records
SPECS = (f"@total_mass(arr[{BODY}])", f"@centre(arr[{BODY}])", f"@step(arr[{BODY}], f64)",
         "@scaled(arr[tuple<f64, f64>], f64)", "@weight(arr[!Cell{Empty, Wall(i64), "
         "Spot(f64, bool)}])", "@make(i64)", "@main()")


def _clean(r) -> None:
    assert TRACEBACK_MARK not in r.stderr, r.stderr


@pytest.mark.parametrize("tier", ["1", "2"])
def test_the_program_compiles_whole_and_prints_what_rustc_prints(tier):
    r = run_cli(["run", f"--tier={tier}", "--verbose", str(ARRAYS)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, WANT), r.stderr
    assert f"tier {tier}: compiled" in r.stderr and "interpreter" not in r.stderr
    if tier == "1":
        for s in SPECS:
            assert s in r.stderr, s


def test_auto_prints_what_rustc_prints(monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    r = run_cli(["run", "--tier=auto", str(ARRAYS)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, WANT), r.stderr


def test_build_makes_an_executable_that_prints_the_same(tmp_path: Path):
    exe = tmp_path / "arrays"
    r = run_cli(["build", "-o", str(exe), str(ARRAYS)])
    _clean(r)
    assert r.status == 0, r.stderr
    assert subprocess.run([str(exe)], capture_output=True, text=True).stdout == WANT


#: Ruchy's value semantics where Rust would not compile: copies, `&mut`, a `for` over a
#: snapshot while the array grows, nested arrays copied one level, `[v; n]` copied
SEMANTICS = """\
struct P { x: i64, f: f64 }
fun modify(mut v: Vec<P>) -> i64 { v[0].x = 99; v.push(P { x: 7, f: 0.0 }); v.len() }
fun grow(v: &mut Vec<P>) { let n = v.len(); for i in 0..n { v.push(v[i]) } }
let mut v = vec![P { x: 1, f: 0.5 }, P { x: 2, f: 1.5 }]
let w = v
let mut u = v.clone()
u[1].f = -3.0
println(modify(v), v[0].x, w[0].x, u[1].f, v[1].f)
for p in &v { v.push(P { x: p.x * 10, f: p.f }) }
println(v.len(), v[3].x)
grow(&mut v)
println(v.len(), v[7].x)
let mut snap = 0
for p in v.iter() { v[0].x += 1; snap += p.x }
println(snap, v[0].x)
let mut grid = vec![vec![P { x: 0, f: 0.0 }; 2]; 2]
let row = grid[0]
grid[0][1].x = 5
println(row[1].x, grid[0][1].x, grid[1][1].x)
let mut tv = [(1, true); 3]
let tw = tv
tv[2].1 = false
println(tv[2].1, tw[2].1)
let mut o = [None, Some(1.5)]
o[0] = Some(2.5)
println("{:?} {:#?}", o, [(1, 2)])
let mut e = vec![P { x: 1, f: 1.0 }]
let last = e.pop()
println(last.x, e.len())
println(e.pop().x)
"""
SEMANTICS_OUT = "3 1 1 -3.0 1.5\n4 20\n8 20\n66 9\n0 5 0\nfalse true\n" \
    "[Some(2.5), Some(1.5)] [\n    (\n        1,\n        2,\n    ),\n]\n1 0\n"

ERRORS = {
    "index": ("let mut v = [(1, 2.5), (2, 0.5)]\nv[2].1 += 1.0\n", "2:2", "index out of bounds"),
    "remove": ("struct P { a: i64 }\nlet mut v = vec![P { a: 1 }]\nv.remove(1)\n", "3:3",
               "index out of bounds"),
    "swap": ("let mut v = [(true, 1)]\nv.swap(0, 1)\n", "2:3", "index out of bounds"),
    "insert": ("let mut v = [(true, 1)]\nv.insert(2, (false, 0))\n", "2:3",
               "index out of bounds"),
}


@pytest.mark.parametrize("tier", ["1", "2"])
def test_value_semantics_are_tier_0s(tmp_path, tier):
    p = tmp_path / "sem.ruchy"
    p.write_text(SEMANTICS, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    assert want.stdout == SEMANTICS_OUT and want.status == 1, want.stderr
    got = run_cli(["run", f"--tier={tier}", "--verbose", str(p)], subprocess_=True)
    _clean(got)
    assert (got.status, got.stdout) == (want.status, want.stdout), got.stderr
    assert want.stderr.splitlines()[0] in got.stderr  # pop from an empty array, there
    assert "interpreter" not in got.stderr, got.stderr


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_are_tier_0s(tmp_path, name, tier):
    text, where, msg = ERRORS[name]
    p = tmp_path / f"{name}.ruchy"
    p.write_text(text, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    assert want.stderr.startswith(f"{p}:{where}: error: {msg}"), want.stderr
    got = run_cli(["run", f"--tier={tier}", str(p)], subprocess_=True)
    _clean(got)
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_records_layout_is_llvms():
    """typerules/values.layout (the runtime's element size, boxing's offsets) is the
    size LLVM gives the element's struct type, for every shape of member."""
    import llvmlite.binding as llvm
    from ruchy_opt.codegen import engine
    from ruchy_opt.codegen.lltypes import lltype
    from ruchy_opt.ir.types import TupleType
    from ruchy_opt.typerules.values import RecT, SumT, layout
    td = engine.target_machine(jit=True).target_data
    P = RecT("P", ["x", "on"], ["f64", "bool"])
    types = [P, TupleType("bool", "i64", "bool"), TupleType("bool", "bool"),
             RecT("Q", ["p", "u", "k"], [P, "unit", "i64"]), TupleType(),
             SumT("option", "option", [("None", "unit", (), ()), ("Some", "tuple", ("0",),
                                                                  (TupleType("bool", "f64"),))]),
             SumT("E", "named", [("A", "unit", (), ()), ("B", "tuple", ("0", "1"), ("bool", "i64")),
                                 ("C", "named", ("w",), None)])]
    for t in types:
        ll = llvm.parse_assembly(f"@g = global {lltype(t)} zeroinitializer")
        g = ll.get_global_variable("g")
        size = td.get_abi_size(g.global_value_type)
        assert layout(t)[0] == size, (t, layout(t), size)


def test_an_element_is_stored_inline_and_written_field_by_field(tmp_path):
    """IR shape: `v[i].x += d` over a Vec<P> is a getelementptr into the record type, a
    load of each field and a store of the field written (ops_records.field_writes; no
    allocation per element); after LLVM at tier 2 the loop makes no runtime call."""
    p = tmp_path / "shift.ruchy"
    p.write_text("struct P { x: f64, y: f64 }\n"
                 "fun shift(v: &mut Vec<P>, d: f64) { for i in 0..v.len() { v[i].x += d } }\n"
                 "let mut v = vec![P { x: 1.0, y: 2.0 }; 100]\n"
                 "for k in 0..10 { shift(&mut v, 0.5) }\nprintln(\"{:?}\", v[99])\n",
                 encoding="utf-8")
    r = run_cli(["--emit=llvm", "--tier=1", str(p)])
    _clean(r)
    fn = re.search(r'^define [^\n]*@"r\.shift"\(.*?^}', r.stdout, re.M | re.S).group(0)
    assert "getelementptr {double, double}, ptr" in fn
    assert "rt_alloc" not in fn and "rt_arr_push" not in fn
    assert fn.count("store double") == 1, fn  # x only: y holds what was read
    r = run_cli(["--emit=llvm", "--tier=2", "--llvm-opt", str(p)])
    _clean(r)
    loops = [b for b in re.split(r"\n(?=\S+:)", r.stdout) if "fadd double" in b]
    assert loops, r.stdout
    assert any("call" not in b for b in loops), loops


def _function_body(llvm: str, name: str) -> str:
    m = re.search(r'^define [^\n]*@"r\.' + re.escape(name) + r'"\(.*?^}', llvm, re.M | re.S)
    assert m, llvm
    return m.group(0)


def test_new_arrays_are_not_copied_and_are_freed(tmp_path):
    """`let mut v = Vec::new()` (a copy of the new array) and `for p in &v` (a snapshot)
    are the array itself (aliases.py): no rt_arr_cp, no rt_arr_snapshot; the array is
    freed after its last use. Where `v` grows in the loop, `&v` copies (a new object)
    and the loop reads that, unchanged, without a snapshot."""
    p = tmp_path / "b.ruchy"
    p.write_text("struct P { x: f64, k: i64 }\n"
                 "fun build(n: i64) -> f64 {\n    let mut v = Vec::new()\n"
                 "    for i in 0..n { v.push(P { x: i as f64, k: i }) }\n"
                 "    let mut s = 0.0\n    for p in &v { s += p.x }\n    s\n}\n"
                 "fun kept(n: i64) -> Vec<P> {\n    let mut v = Vec::new()\n"
                 "    for i in 0..n { v.push(P { x: 1.0, k: i }) }\n"
                 "    for p in &v { v.push(P { x: p.x, k: 0 }) }\n    v\n}\n"
                 "println(build(10), kept(3).len())\n", encoding="utf-8")
    for tier in ("1", "2"):
        r = run_cli(["--emit=llvm", f"--tier={tier}", str(p)])
        _clean(r)
        if tier == "1":
            build = _function_body(r.stdout, "build")
            for word in ("rt_arr_cp", "rt_arr_snapshot"):
                assert word not in build, (word, build)
            assert build.count("rt_arr_free") == 1, build
            kept = _function_body(r.stdout, "kept")  # `&v` is a copy: v grows in the loop
            assert "rt_arr_snapshot" not in kept and "rt_arr_cp" in kept, kept
    want = run_cli(["run", "--tier=0", str(p)])
    for tier in ("1", "2"):
        assert run_cli(["run", f"--tier={tier}", str(p)]).stdout == want.stdout == "45.0 6\n"


@pytest.mark.parametrize("tier", ["1", "2"])
def test_memory_stays_flat(tmp_path, tier):
    """400 arrays of 50,000 structs of 24 bytes, built by push and dropped: 480 MB if
    kept, a few MB when freed."""
    p = tmp_path / "flat.ruchy"
    p.write_text("struct P { x: f64, y: f64, k: i64 }\n"
                 "fun build(n: i64) -> f64 {\n    let mut v = Vec::new()\n"
                 "    for i in 0..n { v.push(P { x: i as f64, y: 0.5, k: i }) }\n"
                 "    let mut w = vec![P { x: 0.0, y: 1.0, k: 0 }; n as usize]\n"
                 "    w[1].x = v[n - 1].x\n    let mut s = 0.0\n"
                 "    for p in &v { s += p.y }\n    s + w[1].x\n}\n"
                 "let mut t = 0.0\nfor r in 0..200 { t += build(50000) }\nprintln(t)\n",
                 encoding="utf-8")
    out, rss = run_with_max_rss(tier, p)
    assert out == "14999800.0"
    assert rss < 250_000, f"max RSS {rss} KB"


CROSSING = """\
use std::collections::HashMap;
#[derive(Debug, Clone, Copy, PartialEq)]
struct P { x: f64, k: i64, on: bool }
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape { Dot, Box(f64, f64) }
fun make(n: i64) -> Vec<P> {
    let mut v = Vec::new()
    for i in 0..n { v.push(P { x: i as f64, k: i, on: i % 2 == 0 }) }
    v
}
fun bump(v: &mut Vec<P>) { for i in 0..v.len() { v[i].x += 1.0; v[i].on = !v[i].on } }
fun total(v: &Vec<P>) -> f64 { let mut s = 0.0; for p in v { s += p.x + p.k as f64 } s }
fun first(v: &Vec<P>) -> P { v[0] }
fun shape(i: i64) -> Shape { if i % 2 == 0 { Shape::Dot } else { Shape::Box(1.0, i as f64) } }
fun grid(n: i64) -> Vec<Vec<(i64, Option<f64>)>> {
    let mut g = Vec::new()
    for i in 0..n { g.push(vec![(i, if i % 2 == 0 { None } else { Some(0.5) }); i as usize]) }
    g
}
fn main() {
    let mut m: HashMap<i64, Shape> = HashMap::new();
    let mut acc = 0.0;
    for r in 0..300 {
        let mut v = make(3 + r % 3);
        bump(&mut v);
        acc += total(&v);
        if first(&v) == (P { x: 1.0, k: 0, on: false }) { acc += 1.0 }
        m.insert(r % 4, shape(r));
        if r == 299 { println!("{:?}", v); println!("{:?}", grid(3)); }
    }
    println!("{} {:?} {:?}", acc, m.get(&1), m.get(&2));
}
"""


@pytest.mark.parametrize("tier", ["1", "2"])
def test_arrays_of_records_cross_the_boundary_both_ways(tmp_path, tier):
    """main stays interpreted (a HashMap); the functions it calls are compiled with
    arrays of structs as arguments (copied in as records, written back for `&mut`) and
    results (arrays of structs, nested arrays of tuples of Options, a struct, an enum of
    the program: tier 0's classes)."""
    p = tmp_path / "cross.ruchy"
    p.write_text(CROSSING, encoding="utf-8")
    want = run_cli(["run", "--tier=0", str(p)])
    assert want.status == 0, want.stderr
    got = run_cli(["run", f"--tier={tier}", "--verbose", str(p)], subprocess_=True)
    _clean(got)
    assert (got.status, got.stdout) == (0, want.stdout), got.stderr
    for promoted in ("make(int) as (i64)", "bump(array) as (arr[!P<f64, i64, bool>])",
                     "total(array) as (arr[!P<f64, i64, bool>])",
                     "first(array) as (arr[!P<f64, i64, bool>])", "shape(int) as (i64)"):
        assert f"promote {promoted} -> tier {tier}" in got.stderr, promoted
    assert "internal error" not in got.stderr and "deopt" not in got.stderr, got.stderr


def test_auto_enters_a_loop_over_a_vec_of_structs(monkeypatch, tmp_path):
    """OSR into the top level's loop with a Vec of structs live (copied in as records)."""
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    text = (REPO / "bench" / "programs" / "nbody_structs.ruchy").read_text(encoding="utf-8")
    p = tmp_path / "nbody.ruchy"
    p.write_text(re.sub(r"^let N = \d+", "let N = 300000", text, flags=re.M),
                 encoding="utf-8")
    r = run_cli(["run", "--tier=auto", "--jit-log", str(p)], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, "-0.169075164\n-0.169087840\n"), r.stderr
    assert re.search(r"osr loop at \S+:78:1 in the top level .* -> tier 2 with live values "
                     r"bodies", r.stderr), r.stderr
