"""Closures in the IR (ir/ops_closure.py, lower/closures.py): the ops print, parse and
verify; the IR interpreter calls closures and function values, and fails as tier 0
does on a wrong number of arguments or a call of something that is not a function;
closures whose captured values may change while they live are refused, with why."""
from __future__ import annotations

import pytest

from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import VerifyError, verify_module
from ruchy_opt.lower import NotInIR

from ir_helpers import lower_text, run_ir, run_tier0

MODULE = """source "t.ruchy"

func @ruchy.start() {
^entry:
  %k.0 = const 3
  %f.1 = closure @add, %k.0
  %2 = const 4
  %3 = call_closure %f.1, %2
  %4 = format "{} {}\\n", %3, %f.1
  print %4
  %g.5 = closure @add
  %6 = format "{}\\n", %g.5
  print %6
  ret
}

func @add(%a.0, %b.1) {
^entry:
  %2 = add %a.0, %b.1
  ret %2
}
"""


def _run(text: str) -> str:
    import io
    from ruchy_opt.irinterp import Interpreter
    out = io.StringIO()
    Interpreter(parse_module(text), out).run_program()
    return out.getvalue()


def test_closure_ops_round_trip_verify_and_run() -> None:
    m = parse_module(MODULE)
    verify_module(m)
    assert print_module(m) == MODULE
    assert _run(MODULE) == "7 <fn add>\n<fn add>\n"


@pytest.mark.parametrize("bad,message", [
    ("closure @nowhere, %k.0", "closure of unknown function @nowhere"),
    ("closure @add, %k.0, %k.0, %k.0", "closure captures 3 values but @add takes 2"),
])
def test_verifier_checks_closures(bad: str, message: str) -> None:
    m = parse_module(MODULE.replace("closure @add, %k.0", bad, 1))
    with pytest.raises(VerifyError) as e:
        verify_module(m)
    assert message in str(e.value)


@pytest.mark.parametrize("text", [
    # a closure reading what was computed before it, with typed and untyped parameters
    "let mut t = 0\nfor i in 0..4 { t += i }\nlet f = |x: i64, y| x * y + t\n"
    "println(\"{}\", f(2, 3))\n",
    # made in one function, called in another, returned from a third
    "fn mk(k: i64) -> impl Fn(i64) -> i64 { move |x| x - k }\n"
    "fn use_it(f: impl Fn(i64) -> i64) -> i64 { f(10) }\nprintln(\"{}\", use_it(mk(4)))\n",
    # function values, computed callees, recursion through a closure
    "fn fact(n: i64) -> i64 { if n < 2 { 1 } else { n * (fact)(n - 1) } }\n"
    "let fs = [fact, fact]\nprintln(\"{} {:?}\", fs[1](5), fs)\n",
    # errors: arity (too few, too many), not a function; output before them is kept
    "let f = |a: i64, b: i64| a + b\nprintln(\"ok\")\nprintln(\"{}\", f(1))\n",
    "let f = |a: i64| a\nprintln(\"{}\", f(1, 2, 3))\n",
    "fn one(a: i64) -> i64 { a }\nlet g = one\nprintln(\"{}\", g())\n",
    "let n = 5\nprintln(\"{}\", n(1))\n",
    # the runtime calls a closure back (Option methods); its errors keep their place
    "fn half(n: i64) -> Option<i64> { if n % 2 == 0 { Some(n / 2) } else { None } }\n"
    "let z = 0\nprintln(\"{:?}\", half(4).map(|x| x + 1))\n"
    "println(\"{:?}\", half(4).map(|x| x / z))\n",
    "fn half(n: i64) -> Option<i64> { if n % 2 == 0 { Some(n / 2) } else { None } }\n"
    "println(\"{:?}\", half(4).map(|x, y| x))\n",
    # a pattern parameter, as a function's
    "let k = 2\nlet tri = |(x, y, z): (i64, i64, i64), m: i64| (x + y + z) * m * k\n"
    "println(\"{}\", tri((1, 2, 3), 4))\n",
])
def test_ir_interpreter_agrees_with_tier0(text: str) -> None:
    assert run_ir(text) == run_tier0(text)


SHARED = [
    # a closure that changes what it captures: the function sees it (a cell)
    "let mut c = 0\nlet mut inc = || { c += 1 }\ninc()\ninc()\nprintln(\"{}\", c)\n",
    # a closure that reads what changes after it is made, or what another one changes
    "let mut c = 0\nlet get = || c\nc = 5\nprintln(\"{}\", get())\n",
    "let mut n = 0\nlet mut inc = || n += 1\nlet get = || n\ninc()\nprintln(\"{}\", get())\n",
    # an array changed in place through the cell, and outside while a closure lives
    "let mut v = [1]\nlet n = || v.len()\nv.push(2)\nlet mut p = |x| v.push(x)\np(7)\n"
    "println(\"{} {:?}\", n(), v)\n",
    # in a loop: the variable is made before the loop
    "let mut s = 0\nlet mut k = 0\nwhile k < 3 { let f = || s\n s += f() + 1\n k += 1 }\n"
    "println(\"{}\", s)\n",
    # a parameter, a nested closure, a string
    "fn bump(mut n: i64) -> i64 { let mut add = |k: i64| n += k\n add(2)\n add(3)\n n }\n"
    "let mut t = \"a\"\nlet mut g = || { let mut h = || t = t + \"b\"\n h() }\ng()\ng()\n"
    "println(\"{} {}\", bump(1), t)\n",
    # a `move` closure's own copy lasts from call to call
    "fn counter() -> impl FnMut() -> i64 { let mut c = 0\n move || { c += 1\n c } }\n"
    "let mut a = counter()\nlet mut b = counter()\nprintln(\"{} {} {}\", a(), a(), b())\n",
]


@pytest.mark.parametrize("text", SHARED)
def test_shared_variables_live_in_cells(text: str) -> None:
    assert run_ir(text) == run_tier0(text)
    assert "cell." in print_module(lower_text(text)) or "move" in text


@pytest.mark.parametrize("text,why", [
    ("let mut fs = []\nfor i in 0..3 { fs.push(|| i) }\nprintln(\"{}\", fs[0]())\n",
     "a closure that captures 'i', a variable of the loop it is in,"),
    ("let (mut a, b) = (1, 2)\nlet mut f = || a += b\nf()\nprintln(\"{}\", a)\n",
     "a closure that shares 'a', which a pattern or a loop binds and which changes,"),
    # (one of its own block, itself included, it calls directly: test_ir_library.py)
    ("fn main() {\n fn f() -> i64 { g() }\n { fn g() -> i64 { 2 }\n"
     " println!(\"{} {}\", f(), g()); }\n}\n",
     "a nested function that names the nested function 'g'"),
    ("fn main() {\n fn g() -> i64 { 1 }\n { fn g() -> i64 { 2 }\n println!(\"{}\", g()); }\n}\n",
     "a second nested function 'g' in one function"),
])
def test_closures_the_ir_cannot_build_are_refused(text: str, why: str) -> None:
    with pytest.raises(NotInIR) as e:
        lower_text(text)
    assert e.value.message == f"{why} is not in the IR yet"


def test_a_move_closure_copies_what_changes_later() -> None:
    text = "let mut c = 1\nlet get = move || c\nc = 5\nprintln(\"{} {}\", get(), c)\n"
    assert run_ir(text) == run_tier0(text) == ("1 5\n", None)
