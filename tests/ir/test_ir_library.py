"""Library calls in the IR: casts (``cast``), the numeric and char methods
(``method.pure``), ``cmp`` and ``Ordering`` (``ordering<>``), ``unwrap_or_default``,
associated consts, the consts and functions of modules and nested functions that call
each other (docs/level3.md, "Fourth slice").

The programs of tests/programs that use them (their ``.expected`` outputs are rustc's
where they are valid Rust) run as tier 0 runs them, also after ``-O2`` with the module
verified after every pass, and their printed SSA reads back to the same text."""
from __future__ import annotations

import os

import pytest

from ruchy_opt.errors import SourceFile
from ruchy_opt.ir.parser import parse_module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.lower import NotInIR, lower_program
from ruchy_opt.lower.level3 import NotCompiled
from ruchy_opt.passmgr.driver import run_passes
from ruchy_opt.passmgr.registry import NAMED_PIPELINES
from ruchy_opt.syntax.parser import parse_program

from ir_helpers import ROOT, lower_text, run_ir, run_tier0

PROGRAMS = ["l3_casts", "l3_chars", "l3_compare", "l3_numeric", "l3_option", "l3_result",
            "l3_impl", "l3_items", "l3_library_ir", "l3_modules_ir"]


def _program(name: str) -> str:
    with open(os.path.join(ROOT, "tests", "programs", name + ".ruchy"),
              encoding="utf-8") as f:
        return f.read()


def _run_module(m) -> tuple:
    import io
    from ruchy_opt.errors import RuchyError
    from ruchy_opt.irinterp import Interpreter
    out = io.StringIO()
    try:
        Interpreter(m, out).run_program()
    except RuchyError as e:
        return out.getvalue(), (e.message, e.span.line, e.span.col)
    return out.getvalue(), None


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_runs_as_tier0_also_after_O2(name: str) -> None:
    text = _program(name)
    expected = run_tier0(text, name + ".ruchy")
    assert run_ir(text, name + ".ruchy") == expected
    m = lower_text(text, name + ".ruchy")
    printed = print_module(m)
    assert print_module(parse_module(printed)) == printed
    run_passes(m, NAMED_PIPELINES["O2"], verify_each=True)
    verify_module(m)
    out, err = _run_module(m)
    assert out == expected[0] and (err is None) == (expected[1] is None)


def _ops(text: str, pipeline: str = "") -> list[str]:
    m = lower_text(text)
    if pipeline:
        run_passes(m, pipeline, verify_each=True)
    return [i.op.name for f in m.functions.values() for i in f.instructions()]


def test_casts_fold_on_constants_but_a_char_stays() -> None:
    text = "fn main() {\n    let n = 300;\n    println!(\"{} {}\", n as u8, 66 as u8 as char);\n}\n"
    assert run_ir(text) == run_tier0(text) == ("44 B\n", None)
    ops = _ops(text, "sccp,constfold,dce")
    assert ops.count("cast") == 1  # `as char` of the folded 66: a Char is no literal


def test_a_failing_pure_method_is_not_folded_and_fails_where_tier0_does() -> None:
    text = "fn main() {\n    let k = 0;\n    println!(\"{}\", 7.rem_euclid(k));\n}\n"
    assert "method.pure" in _ops(text, NAMED_PIPELINES["O2"])
    got = run_ir(text)
    assert got == run_tier0(text)
    assert got[1][1:] == ("division by zero", 3, 22)


def test_equal_pure_methods_are_merged_by_gvn() -> None:
    text = ("fn f(x: f64) -> f64 {\n    x.signum() + x.signum()\n}\n"
            "fn main() {\n    println!(\"{:?}\", f(-2.0));\n}\n")
    assert run_ir(text) == run_tier0(text) == ("-2.0\n", None)
    m = lower_text(text)
    run_passes(m, "gvn,dce", verify_each=True)
    assert [i.op.name for i in m.functions["f"].instructions()].count("method.pure") == 1


def test_method_pure_refuses_a_method_with_effects() -> None:
    text = ('source "t"\n\nfunc @main() {\n^entry:\n  %0 = array\n'
            '  %1 = method.pure "push", %0, %0\n  ret\n}\n')
    with pytest.raises(Exception, match="not a pure built-in method"):
        verify_module(parse_module(text))


def test_ordering_is_a_sum_type_that_folds_a_match() -> None:
    text = ("use std::cmp::Ordering;\nfn main() {\n    let o = Ordering::Greater;\n"
            "    match o {\n        Ordering::Less => println!(\"lt\"),\n"
            "        _ => println!(\"ge {:?}\", o),\n    }\n}\n")
    assert run_ir(text) == run_tier0(text) == ("ge Greater\n", None)
    printed = print_module(lower_text(text))
    assert 'variant ordering<>, "Greater"' in printed
    assert "tag" not in _ops(text, NAMED_PIPELINES["O2"])  # decided at compile time


def test_unwrap_or_default_takes_the_declared_type() -> None:
    text = ("fn name() -> Option<String> {\n    None\n}\n"
            "fn main() {\n    let v: Option<Vec<i64>> = None;\n"
            "    println!(\"[{}] {:?}\", name().unwrap_or_default(), v.unwrap_or_default());\n}\n")
    assert run_ir(text) == run_tier0(text) == ("[] []\n", None)


def test_unwrap_or_default_in_a_closure_is_refused() -> None:
    text = ("fn main() {\n    let f = |o: Option<String>| o.unwrap_or_default();\n"
            "    println!(\"{}\", f(None));\n}\n")
    with pytest.raises(NotInIR, match="unwrap_or_default"):
        lower_text(text)


def test_nested_functions_call_each_other_directly() -> None:
    text = ("fn outer(n: i64) -> i64 {\n    fn even(k: i64) -> bool { if k == 0 { true } "
            "else { odd(k - 1) } }\n    fn odd(k: i64) -> bool { if k == 0 { false } "
            "else { even(k - 1) } }\n    if even(n) { 1 } else { 0 }\n}\n"
            "fn main() {\n    println!(\"{} {}\", outer(4), outer(7));\n}\n")
    assert run_ir(text) == run_tier0(text) == ("1 0\n", None)
    assert "call @outer.odd" in print_module(lower_text(text))


def test_compiled_tiers_leave_library_calls_to_the_interpreter() -> None:
    for body in ("let n = 300;\n    println!(\"{}\", n as u8);",
                 "let x: f64 = 2.0;\n    println!(\"{}\", x.signum());",
                 "println!(\"{}\", m::f());"):
        text = f"mod m {{\n    pub fn f() -> i64 {{ 1 }}\n}}\nfn main() {{\n    {body}\n}}\n"
        with pytest.raises(NotCompiled):
            lower_program(parse_program(text, "t"), SourceFile("t", text), aggregates=False)
