"""Level 3 programs in front of the compiled tiers (ruchy_opt/lower/level3.py): tiers
1, 2 and auto print what tier 0 prints. Tuples, structs and enums of scalars are
compiled (typerules/values.py, codegen/ops_values.py); the functions that use other
Level 3 values (a tuple holding a string, say), and their callers, stay interpreted and the
rest is compiled, and ``--verbose``/``--jit-log`` say which and why. The stages that
need the IR (``--tier=ir``, ``--emit=ssa``, ``--passes``) run what the IR has and stop
at the first construct it does not have, with a located error naming it; the profiler
names the new types.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ruchy_harness import TRACEBACK_MARK, run_cli

os.environ.setdefault("RUCHY_OPT_STRICT", "1")  # a compiler bug fails, not falls back

#: Valid Rust as well; MIXED_OUT is what rustc's build of it prints.
MIXED = """\
#[derive(Debug, Clone, Copy)]
struct Point {
    x: f64,
    y: f64,
}

impl Point {
    fn new(x: f64, y: f64) -> Point {
        Point { x: x, y: y }
    }

    fn norm2(&self) -> f64 {
        self.x * self.x + self.y * self.y
    }
}

fn collatz_steps(n: i64) -> i64 {
    let mut steps = 0;
    let mut m = n;
    while m != 1 {
        if m % 2 == 0 {
            m = m / 2;
        } else {
            m = 3 * m + 1;
        }
        steps += 1;
    }
    steps
}

fn total_steps(limit: i64) -> i64 {
    let mut total = 0;
    for i in 1..limit {
        total += collatz_steps(i);
    }
    total
}

fn first_even(v: &Vec<i64>) -> Option<i64> {
    let mut i = 0;
    while i < v.len() {
        if v[i] % 2 == 0 {
            return Some(v[i]);
        }
        i += 1;
    }
    None
}

fn main() {
    let p = Point::new(3.5, 4.5);
    println!("{:?} {}", p, p.norm2());
    println!("{}", total_steps(3000));
    let v = vec![3, 5, 8, 9];
    match first_even(&v) {
        Some(x) => println!("first even: {}", x),
        None => println!("none"),
    }
    let mut far = 0;
    for k in 0..40 {
        let q = Point::new(k as f64, 1.5);
        if q.norm2() > 100.25 {
            far += 1;
        }
    }
    println!("far: {}", far);
}
"""
MIXED_OUT = "Point { x: 3.5, y: 4.5 } 32.5\n215015\nfirst even: 8\nfar: 30\n"

#: A script (not Rust): Level 3 at the top level, which is a function too. The output
#: is worked out by hand: 3 * 1.5 * 1.5 + 2.5 * 2.5 = 13.0; 0 + ... + 99999; 45 + 2.
SCRIPT = """\
enum Shape { Circle(f64), Square(f64) }
fun area(s) { match s { Shape::Circle(r) => 3.0 * r * r, Shape::Square(a) => a * a } }
fun sum_to(n) {
    let mut t = 0
    for i in 0..n { t += i }
    t
}
let shapes = [(Shape::Circle(1.5), "c"), (Shape::Square(2.5), "s")]
let mut total = 0.0
for (s, _) in shapes { total += area(s) }
println(total)
println(sum_to(100000))
let pair = (sum_to(10), 2)
println(pair.0 + pair.1)
"""
SCRIPT_OUT = "13.0\n4999950000\n47\n"

#: Items alone (a struct and its impl nothing calls) leave the plain program compilable.
ITEMS_ONLY = """\
struct Unused { a: i64 }
impl Unused { fn get(&self) -> i64 { self.a } }
fun fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
fun never() { Unused { a: 1 }.get() }
println(fib(20))
"""


def _write(tmp_path: Path, text: str, name: str = "prog.ruchy") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def _clean(r) -> None:
    assert TRACEBACK_MARK not in r.stderr, r.stderr


@pytest.mark.parametrize("tier", ["0", "1", "2", "auto"])
@pytest.mark.parametrize("text,want", [(MIXED, MIXED_OUT), (SCRIPT, SCRIPT_OUT)],
                         ids=["mixed", "script"])
def test_every_tier_prints_what_tier_0_prints(tmp_path, tier, text, want):
    r = run_cli(["run", f"--tier={tier}", _write(tmp_path, text)])
    _clean(r)
    assert (r.status, r.stdout) == (0, want), r.stderr


def test_verbose_shows_structs_and_options_compiled(tmp_path):
    """MIXED's struct, its methods and the Option first_even returns are compiled: the
    whole program, at tier 1 (tier 2 inlines most of it)."""
    path = _write(tmp_path, MIXED)
    r = run_cli(["run", "--tier=1", "--verbose", path])
    _clean(r)
    assert (r.status, r.stdout) == (0, MIXED_OUT), r.stderr
    assert "tier 1: compiled 8 specialisations" in r.stderr
    for spec in ("@main()", "@Point::new(f64, f64)", "@Point::norm2(!Point<f64, f64>)",
                 "@first_even(arr[i64])", "@total_steps(i64)"):
        assert spec in r.stderr
    assert "interpreter" not in r.stderr and "not-lowered" not in r.stderr


@pytest.mark.parametrize("tier", ["1", "2"])
def test_verbose_names_what_stays_interpreted_and_compiles_the_rest(tmp_path, tier):
    """SCRIPT's top level makes tuples holding strings, which compiled code does not
    have: it stays interpreted and says so; sum_to is compiled at the tier asked for."""
    path = _write(tmp_path, SCRIPT)
    r = run_cli(["run", f"--tier={tier}", "--verbose", path])
    _clean(r)
    assert (r.status, r.stdout) == (0, SCRIPT_OUT), r.stderr
    assert (f"tier {tier}: {path}:8:15: @ruchy.toplevel is not compiled: a tuple holding "
            "a string is not compiled yet") in r.stderr
    assert f"promote sum_to(int) as (i64) -> tier {tier}" in r.stderr


def test_jit_log_names_the_top_level_and_why(tmp_path):
    path = _write(tmp_path, SCRIPT)
    r = run_cli(["run", "--tier=auto", "--jit-log", "--jit-scale=0", path])
    _clean(r)
    assert (r.status, r.stdout) == (0, SCRIPT_OUT), r.stderr
    assert f"osr-refused loop at {path}:10:1 in the top level" in r.stderr
    assert "not-compiled area(any)" in r.stderr
    assert "promote sum_to(int) as (i64) -> tier 2" in r.stderr


_IR_STAGES = {
    "run-ir": ["run", "--tier=ir"], "emit-ssa": ["--emit=ssa"], "passes": ["--passes=dce"],
    "O2": ["-O2", "--emit=ssa"], "emit-llvm": ["--emit=llvm"], "build": ["build", "-o", "EXE"],
    "profile-passes": ["run", "--tier=ir", "--passes=dce,gvn"],
}


#: where SCRIPT first uses what code generation does not have (a tuple holding a string)
_STOPS = {
    "compiled": ("8:15: error: @ruchy.toplevel is not compiled: a tuple holding a string is "
                 "not compiled yet (compiled code has tuples, structs and enums of ints, "
                 "floats and bools)",
                 "let shapes = [(Shape::Circle(1.5), \"c\"), (Shape::Square(2.5), \"s\")]",
                 " " * 14 + "^" + "~" * 24),
}


@pytest.mark.parametrize("stage", list(_IR_STAGES))
def test_stages_that_need_the_ir_run_it_and_compiling_ones_compile(tmp_path, stage):
    path = _write(tmp_path, MIXED)
    exe = tmp_path / "exe"
    argv = [str(exe) if a == "EXE" else a for a in _IR_STAGES[stage]]
    r = run_cli(argv + [path])
    _clean(r)
    assert r.status == 0, r.stderr
    if argv[0] == "run":
        assert r.stdout == MIXED_OUT
    elif stage == "build":
        import subprocess
        assert subprocess.run([str(exe)], capture_output=True, text=True).stdout == MIXED_OUT
    elif stage == "emit-llvm":  # Point is an LLVM struct value, never allocated
        assert "{double, double}" in r.stdout and "rt_alloc" not in r.stdout
    else:
        assert "variant option<any>, \"Some\"" in r.stdout and "tag option<any>" in r.stdout


@pytest.mark.parametrize("stage", ["emit-llvm", "build"])
def test_compiling_stages_stop_at_what_code_generation_does_not_have(tmp_path, stage):
    path = _write(tmp_path, SCRIPT)
    argv = [str(tmp_path / "exe") if a == "EXE" else a for a in _IR_STAGES[stage]]
    r = run_cli(argv + [path])
    _clean(r)
    assert r.status == 1 and r.stdout == "", (r.stdout, r.stderr)
    lines = r.stderr.splitlines()
    message, source, caret = _STOPS["compiled"]
    assert lines[0] == f"{path}:{message}"
    assert lines[1] == source
    assert lines[2] == caret
    assert not (tmp_path / "exe").exists()


def test_items_alone_do_not_stop_the_ir(tmp_path):
    path = _write(tmp_path, ITEMS_ONLY)
    ssa = run_cli(["--emit=ssa", path])
    _clean(ssa)
    assert ssa.status == 0 and "func @fib" in ssa.stdout
    assert "@never" not in ssa.stdout  # unreachable and Level 3: left out, as tier 0 does
    r = run_cli(["run", "--tier=1", "--verbose", path])
    _clean(r)
    assert (r.status, r.stdout) == (0, "6765\n")
    assert "tier 1: compiled" in r.stderr and "not-lowered" not in r.stderr


@pytest.mark.parametrize("snippet,what,where", [
    ("fun f() { let mut a = 1;\n let r = &mut a;\n let w = r;\n *w += 1;\n a }\n"
     "println(f())\n", "a use of 'r', a reference made by 'let', as a value of its own",
     "3:10"),
    ("enum E { A }\nimpl std::ops::AddAssign for E { fn add_assign(&mut self, o: E) {} }\n"
     "fun f() { E::A }\nprintln(f())\n",
     "'E::A' (an enum variant of an enum that implements AddAssign)", "3:11"),
    ("fun f(t) { let mut u = t\n match u { (ref mut a, 0) | (0, ref mut a) => { *a += 1 },"
     " _ => {} }\n u }\nprintln(f((1, 0)))\n",
     "the 'ref mut' binding 'a' changed in its scope (a pattern with alternatives)", "2:13"),
    ("fun f(x) { let g = |o| o.unwrap_or_default()\n g(x) }\nprintln(f(None))\n",
     "'.unwrap_or_default()' in a closure or nested function", "1:26"),
    ("fun f(x) { let mut fs = [x]\n for i in 0..3 { let g = |y| y + i\n fs.push(g(1)) }\n"
     " fs }\nprintln(f(1))\n", "a closure that captures 'i', a variable of the loop it is in,",
     "2:26"),
    ("fun f(x) { x.values_mut().count() }\nprintln(f([1]))\n", "the method '.values_mut()'",
     "1:14"),
    ("mod m { pub fn g() -> i64 { 1 } }\nfun f() { let h = m::g\n h() }\nprintln(f())\n",
     "the path 'm::g'", "2:19"),
    ("let mut n = 1\nfun f() { n += 1 }\nf()\nprintln(n)\n",
     "an assignment to the top-level variable 'n'", "2:11"),
    ("fun f() { fun a(n) { b(n) }\n { fun b(n) { n }\n println(b(1)) }\n a(3) }\nf()\n",
     "a nested function that names the nested function 'b'", "1:"),
])
def test_level3_constructs_are_named_where_they_are(tmp_path, snippet, what, where):
    """The first construct in source order, at its position (``where`` is line:col, or
    just the line where the column is the parser's choice)."""
    path = _write(tmp_path, snippet)
    r = run_cli(["--emit=ssa", path])
    _clean(r)
    assert r.status == 1
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"{path}:{where}") and ":" in first[len(path) + len(where) + 1:]
    assert first.endswith(f": error: {what} is not in the IR yet"), first


PROFILED = """\
struct Point { x: f64, y: f64 }
fun norm(p) { p.x * p.x + p.y * p.y }
fun val(o) { match o { Some(v) => v, None => 0 } }
fun pair(t) { t }
fn main() {
    let mut t = 0.0
    for i in 0..30 { t += norm(Point { x: 1.5, y: i as f64 }) }
    let mut u = 0
    for i in 0..30 { u += val(Some(i)) + val(None) }
    pair((1, 2.5))
    println("{} {}", t, u)
}
"""


def test_profile_names_level3_types(tmp_path):
    path = _write(tmp_path, PROFILED)
    r = run_cli(["profile", "--tier=0", "--json", path])
    _clean(r)
    assert r.status == 0, r.stderr
    sigs = {f["name"]: f["signatures"] for f in json.loads(r.stdout)["functions"]}
    assert sigs["norm"] == [["Point", 1.0]]
    assert sigs["val"] == [["Option<int>", 1.0]]  # None counts with the one Option seen
    assert sigs["pair"] == [["(int, float)", 1.0]]


def test_hotspots_say_which_construct_keeps_a_function_interpreted(tmp_path):
    path = _write(tmp_path, PROFILED)
    r = run_cli(["hotspots", "--jit-scale=0.0001", path])
    _clean(r)
    assert r.status == 0, r.stderr
    # norm's struct and val's Option are compiled inside their callers; a call of one
    # alone costs more than it saves, and values of neither cross from the interpreter
    assert "specialise on (Point); stays in the interpreter: neither loops nor calls" \
        in r.stdout
    assert "(Option<int>)" in r.stdout


def test_profile_at_a_compiled_tier_profiles_the_compiled_or_mixed_run(tmp_path):
    path = _write(tmp_path, MIXED)
    r = run_cli(["profile", "--tier=1", path], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, MIXED_OUT), r.stderr
    assert "compiled whole at tier 1" in r.stderr
    assert "(!Point<f64, f64>) 100%" in r.stderr
    path = _write(tmp_path, SCRIPT, "script.ruchy")
    r = run_cli(["profile", "--tier=1", path], subprocess_=True)
    _clean(r)
    assert (r.status, r.stdout) == (0, SCRIPT_OUT), r.stderr
    assert "--tier=1: Level 3 functions interpreted, the rest compiled at tier 1" in r.stderr
    assert f"note: {path}:8:15: @ruchy.toplevel is not compiled: a tuple holding" in r.stderr
