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


#: programs whose typing needs more than one pass somewhere: recursion (the result type
#: grows), arrays whose element type is learnt after a callee read it, a callee that
#: fills its caller's array, consts
FIXPOINT_PROGRAMS = [
    "fun g(n) { if n > 0 { g(n - 1) + 1 } else { 0 } }\n"
    "fun ev(n) { if n == 0 { true } else { od(n - 1) } }\n"
    "fun od(n) { if n == 0 { false } else { ev(n - 1) } }\n"
    "println(g(5))\nprintln(ev(10))\n",
    "fun f1(a) {\n let n = a.len()\n if n > 0 { let v = a[0]\n println(v) }\n n\n}\n"
    "fun f2(a: &mut [i64]) { a.push(3) }\n"
    "fun f3(a) { let mut t = 0\n for x in a { t += x }\n t }\n"
    "let mut xs = []\nprintln(f1(xs))\nf2(&mut xs)\nprintln(f3(xs))\n"
    "let mut ys = []\nlet mut i = 0\n"
    "while i < 3 { if i > 0 { println(f1(ys)) }\n ys.push(i)\n i += 1 }\n",
    "fun rec(a, n) { if n == 0 { a } else { let mut b = a\n b.push(n)\n rec(b, n - 1) } }\n"
    "let mut zs = []\nlet mut ws = []\nzs.push(ws)\nws.push(1.5)\nprintln(zs)\n"
    "println(rec([], 3))\n",
    "const A = 5\nconst B = A * 2\nfun main() { let mut s = 0\n for i in 0..B { s += i + A }\n"
    " println(s) }\n",
]


def test_types_are_a_fixed_point():
    """Inference skips the passes that cannot change anything (infer._pass, _inputs);
    what it leaves must still be a fixed point: one more pass over every
    specialisation, in any order, changes no type."""
    from ruchy_opt.codegen import infer
    from ruchy_opt.typerules.rtypes import Cell
    for text in FIXPOINT_PROGRAMS:
        p = _prog(text)
        for s in list(p.specs.values()):
            if s.failure is None:
                before = (p.version, Cell.version, len(s.live), len(s.fails))
                assert infer._pass(s) is False, s
                assert (p.version, Cell.version, len(s.live), len(s.fails)) == before, s


def test_every_op_inference_accepts_has_code():
    """The rule table types more ops than compiled code has (the Level 3 ones):
    inference accepts only those codegen has a handler for (infer.COMPILED)."""
    from ruchy_opt.codegen import infer, module  # noqa: F401  (module: the handlers)
    from ruchy_opt.codegen.function import HANDLERS
    from ruchy_opt.typerules.table import RULES
    assert {n for n in infer.COMPILED if n != "call"} <= set(HANDLERS)
    assert infer.COMPILED <= set(RULES)
