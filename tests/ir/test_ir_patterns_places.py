"""Slice patterns, '..' in tuple patterns, assignment through '*' and 'ref mut' write-back
in the IR (lower/patterns.py, lower/refs.py, ir/ops_sequence.py): the programs of
tests/ir/programs (ir_slice_patterns, ir_inout_refs, ir_ref_mut_writeback; their
outputs from rustc) also after -O2 with every pass verified, the new ops' folds, and the
clean refusals of what the IR does not keep (a reference made by 'let', a write-back
that an early exit would skip)."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ruchy_opt.ir import OPS
from ruchy_opt.ir.printer import print_module
from ruchy_opt.lower import NotInIR

from ir_helpers import lower_text, run_ir, run_tier0

HERE = os.path.dirname(os.path.abspath(__file__))
WORKTREE = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = ["ir_slice_patterns", "ir_inout_refs", "ir_ref_mut_writeback"]


@pytest.mark.parametrize("name", PROGRAMS)
def test_programs_after_o2_print_rustc_output(name: str) -> None:
    path = os.path.join(HERE, "programs", name + ".ruchy")
    want = open(path[:-len(".ruchy")] + ".expected", encoding="utf-8").read()
    env = dict(os.environ, PYTHONPATH=WORKTREE)
    r = subprocess.run([sys.executable, "-m", "ruchy_opt.cli", "run", "--tier=ir", "-O2",
                        "--verify-each", path], capture_output=True, text=True, env=env,
                       timeout=300)
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == want


@pytest.mark.parametrize("text, ops", [
    ("let v = [1, 2, 3]\nmatch v { [a, rest @ ..] => println(\"{} {:?}\", a, rest), "
     "_ => println(\"no\") }\n", ["len_is", "slice_rest"]),
    ("let v = [1, 2, 3]\nif let [.., z] = v { println(\"{}\", z) }\n", ["elem_at"]),
    ("fn f(t: (i64, i64, i64)) -> i64 { match t { (.., 0) => 0, (a, ..) => a } }\n"
     "println(\"{}\", f((4, 5, 6)))\n", ["tuple_min", "tuple_at"]),
    ("let v = [1, 2, 3]\nlet s = &v[1..]\nprintln(\"{:?}\", s)\n", ["slice_range"]),
])
def test_sequence_patterns_lower_to_their_ops(text: str, ops: list[str]) -> None:
    assert run_ir(text) == run_tier0(text)
    ssa = print_module(lower_text(text))
    for op in ops:
        assert f" {op} " in ssa


def test_a_failed_slice_let_stops_as_tier0() -> None:
    text = "let v = [1, 2]\nlet [a, b, c] = v\nprintln(\"{}\", a)\n"
    out, err = run_ir(text)
    assert (out, err) == run_tier0(text)
    assert err is not None and "pattern does not match value [1, 2]" in err[1]


def test_tuple_ops_fold_on_a_tuple_in_view() -> None:
    m = lower_text("fn f() -> i64 { let t = (1, 2, 3)\n match t { (.., 3) => 1, _ => 0 } }\n"
                   "println(\"{}\", f())\n")
    f = m.functions["f"] if isinstance(m.functions, dict) else \
        next(g for g in m.functions if g.name == "f")
    at = next(i for i in f.instructions() if i.opname == "tuple_at")
    made = at.operands[0]
    assert OPS["tuple_at"].forward(at) is made.operands[2]
    mn = next((i for i in f.instructions() if i.opname == "tuple_min"), None)
    if mn is not None:
        assert OPS["tuple_min"].known(mn) is True


def test_ops_meaning() -> None:
    from ruchy_opt.runtime.values import Arr
    a = Arr([1, 2, 3])
    assert OPS["len_is"].impl(3, True, a) and not OPS["len_is"].impl(4, False, a)
    assert OPS["len_is"].impl(2, False, a) and not OPS["len_is"].impl(1, True, (1,))
    assert OPS["elem_at"].impl(-1, a) == 3
    assert OPS["slice_rest"].impl(1, 1, a).d == [2]
    assert OPS["tuple_min"].impl(2, (1, 2)) and not OPS["tuple_min"].impl(3, (1, 2))
    assert OPS["tuple_at"].impl(-2, (1, 2, 3)) == 2


@pytest.mark.parametrize("text, what", [
    ("struct P { x: i64 }\nlet mut p = P { x: 1 }\nlet r = &mut p\nlet w = r\nw.x = 5\n",
     "a use of 'r', a reference made by 'let', as a value of its own"),
    ("let mut n = 1;\nlet mut r = &mut n;\n*r += 1;\n", "a write through 'r'"),
    ("let mut t = (1, 2)\nmatch t { (ref mut a, 0) | (0, ref mut a) => *a += 1, _ => {} }\n",
     "a pattern with alternatives"),
    ("fn f(v: &mut Vec<i64>) { g(&mut v) }\nfn g(v: &mut Vec<i64>) { *v = vec![1] }\n"
     "let mut v = vec![0]\nf(&mut v)\n", "passed on"),
])
def test_references_the_ir_does_not_keep_are_refused(text: str, what: str) -> None:
    with pytest.raises(NotInIR) as e:
        lower_text(text)
    assert what in str(e.value)


@pytest.mark.parametrize("text", [
    # a scalar `&mut` parameter changed through `*`, passed on, at an element and a field
    "fn inc(n: &mut i64) { *n += 1 }\nfn two(n: &mut i64) { inc(n)\n inc(n) }\n"
    "let mut a = [1, 2]\nlet mut x = 5\ntwo(&mut x)\ninc(&mut a[1])\nprintln(\"{} {:?}\", x, a)\n",
    # a `ref mut` binding of a `let` written back after each statement that changes it
    "let mut t = (1, 2);\nlet (ref mut a, _) = t;\n*a += 5;\nprintln(\"{:?}\", t);\n*a += 1;\n"
    "println(\"{:?}\", t);\n",
    # default binding mode under `&mut`: a struct field in an element
    "struct P { x: i64 }\nlet mut v = vec![P { x: 1 }]\n"
    "if let P { x } = &mut v[0] { *x *= 9 }\nprintln(\"{}\", v[0].x)\n",
    # a reference made by `let r = &mut place`: `let ref mut r = place`
    "struct P { x: i64 }\nlet mut p = P { x: 1 }\nlet r = &mut p\nr.x = 5\nprintln(\"{}\", p.x)\n",
    "let mut n = 1;\nlet r = &mut n;\n*r += 1;\nprintln(\"{}\", n);\n",
    # a `ref mut` binding written back on the edges that leave its scope early
    "let mut o = Some(1)\nlet mut k = 0\nwhile let Some(ref mut c) = o {\n *c += 1\n k += 1\n"
    " if k > 2 { break }\n}\nprintln(\"{:?}\", o)\n",
    # an enum payload through `ref mut`, a value only read after it
    "let mut o = Some(3)\nif let Some(ref mut n) = o { *n = *n * 2 }\nprintln(\"{:?}\", o)\n",
])
def test_writes_through_references_agree_with_tier0(text: str) -> None:
    assert run_ir(text) == run_tier0(text)
    assert run_ir(text, roundtrip=True) == run_tier0(text)
