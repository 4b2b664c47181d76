"""Tier 0 internals: name resolution, kind specialisation, profile counters, error mapping."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyError, SourceFile
from ruchy_opt.interp.program import translate_program
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.syntax.parser import parse_program


def compile_(text: str) -> Tier0Program:
    src = SourceFile("t.ruchy", text)
    return Tier0Program(parse_program(text, src.name), src)


def run(text: str) -> tuple[str, Tier0Program]:
    prog = compile_(text)
    out = io.StringIO()
    prog.run(out)
    return out.getvalue(), prog


FIB = """
fun fib(n) { if n < 2 { return n } fib(n - 1) + fib(n - 2) }
println(fib(15))
"""


def test_call_with_int_literal_uses_int_specialisation():
    code = compile_(FIB).module.source
    assert "r_fib__i(15)" in code
    # inside the int version the recursion is typed: no generic helper calls remain
    body = code.split("def r_fib__i")[1]
    assert "_add(" not in body and "_sub(" not in body and "type(" not in body


def test_unknown_argument_kind_uses_generic_version():
    code = compile_("fun id(x) { x }\nfun first(a) { id(a[0]) }\nprintln(first([1]), id(2))"
                    ).module.source
    assert "r_first__a(" in code and "r_id__x(" in code and "r_id__i(" in code


def test_specialisations_agree_with_generic_semantics():
    out, _ = run("fun f(a, b) { a + b }\nprintln(f(1, 2), f(1.5, 2), f(\"s\", 1), f(2, 0.5))")
    assert out == "3 3.5 s1 2.5\n"


def test_profile_counts_calls_and_loop_iterations():
    out, prog = run("""
fun sq(x) { x * x }
let mut t = 0
for i in 0..10 { t += sq(i) }
let mut j = 0
while j < 3 { j += 1 }
println(t)
""")
    assert out == "285\n"
    prof = prog.last_profile
    assert prof.calls == {"sq": 10}
    assert sorted(prof.loops.values()) == [3, 10]


def test_main_runs_once_after_top_level():
    out, prog = run('fun main() { println("main") }\nprintln("top")\nmain()')
    assert out == "top\nmain\n"
    assert prog.last_profile.main_called


def test_loop_counter_flushed_on_return_from_loop():
    _, prog = run("fun f() { let mut i = 0\n loop { i += 1\n if i == 4 { return i } } }\nf()")
    assert list(prog.last_profile.loops.values()) == [4]


@pytest.mark.parametrize("text,message,line,col", [
    ("let a = [1, 2]\nlet i = 2\nprintln(a[i])", "index out of bounds", 3, 10),
    ("fun f(n) { f(n + 1) }\nf(0)", "stack overflow", 1, 12),
    ("let x = 9223372036854775807\nlet y = x + 1", "integer overflow", 2, 11),
    ("let z = 0\nprintln(7 % z)", "division by zero", 2, 11),
    ("println(1 + true)", "type error: cannot apply '+' to int and bool", 1, 11),
    ("if 1 { }", "type error: expected bool in condition, found int", 1, 4),
])
def test_runtime_errors_are_located(text, message, line, col):
    out = io.StringIO()
    with pytest.raises(RuchyError) as e:
        compile_(text).run(out)
    assert e.value.message == message
    assert (e.value.span.line, e.value.span.col) == (line, col)


def test_output_before_error_is_kept():
    out = io.StringIO()
    with pytest.raises(RuchyError):
        compile_('println("a")\nprint("b")\nlet x = [1][5]').run(out)
    assert out.getvalue() == "a\nb"


def test_ten_thousand_deep_recursion():
    out, _ = run("fun d(n) { if n == 0 { 0 } else { 1 + d(n - 1) } }\nprintln(d(10000))")
    assert out == "10000\n"


def test_shadowing_is_resolved_statically():
    out, _ = run("let x = 1\n{ let x = \"s\"\n println(x) }\nprintln(x + 1)")
    assert out == "s\n2\n"


def test_evaluation_order_saves_operands_changed_later():
    out, _ = run("let mut i = 1\nlet a = i + { i = 10\n i }\nprintln(a, i)")
    assert out == "11 10\n"
