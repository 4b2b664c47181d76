"""Whole-program type inference: one specialisation per signature, and the reasons why
code stays in the interpreter."""
from __future__ import annotations

from ruchy_opt.codegen.infer import explain, infer_program
from ruchy_opt.errors import SourceFile
from ruchy_opt.lower import lower_source

from ruchy_harness import run_cli


def _prog(text: str):
    return infer_program(lower_source(SourceFile("t.ruchy", text)))


def test_one_specialisation_per_signature():
    p = _prog("fun twice(x) { x + x }\nprintln(twice(1), twice(2.5), twice(3))\n")
    assert p.ok
    names = sorted(s.name for s in p.reachable if s.func.name == "twice")
    assert names == ["twice.f64", "twice.i64"]


def test_recursive_return_type_is_found():
    p = _prog("fun fib(n) { if n < 2 { return n }\n fib(n - 1) + fib(n - 2) }\nprintln(fib(9))\n")
    fib = next(s for s in p.reachable if s.func.name == "fib")
    assert (fib.sig, fib.ret) == (("i64",), "i64")


def test_array_element_types_flow_through_mut_references():
    p = _prog("fun fill(a: &mut Vec<f64>) { a.push(1.5) }\nlet mut v = []\nfill(&mut v)\n"
              "println(v[0] + 1.0)\n")
    assert p.ok


def test_mixed_types_are_explained(tmp_path):
    text = "let n = [1].len()\nlet mut x = 1\nif n > 0 { x = 2.5 }\nprintln(x)\n"
    p = _prog(text)
    assert not p.ok
    assert "int and float" in explain(p)[0] or "float and int" in explain(p)[0]
    f = tmp_path / "mixed.ruchy"
    f.write_text(text)
    r = run_cli(["run", "--tier=2", "--verbose", str(f)])
    assert r.status == 0 and r.stdout == "2.5\n"
    assert "stays in the interpreter" in r.stderr and "tier 0" in r.stderr


def test_constant_branches_type_only_the_side_that_runs():
    assert _prog("let x = match 3 { 1 => 1.5, _ => 2 }\nprintln(x + 1)\n").ok


def test_always_failing_operation_is_compiled_as_its_error():
    p = _prog("let b = true\nprintln(b - 1)\n")
    assert p.ok
    top = next(s for s in p.reachable if s.func.name == "ruchy.toplevel")
    assert "type error: cannot apply '-' to bool and int" in top.fails.values()
