"""Level 3 patterns: the plans of resolve/patterns.py (tests, access paths, bindings),
name-versus-variant resolution, pattern errors found before running, and tier 0 running
match / if let / while let / let-else / ``?`` / Option methods."""
from __future__ import annotations

import io

import pytest

from ruchy_opt.errors import RuchyError, RuchyRuntimeError, RuchySyntaxError, SourceFile
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.resolve import resolve_program
from ruchy_opt.resolve.patterns import compile_match, compile_pattern
from ruchy_opt.syntax import ast as A
from ruchy_opt.syntax.parser import parse_program

ITEMS = """
enum Color { Red, Green, Blue }
enum Shape { Circle(f64), Rect { w: f64, h: f64 }, Dot }
struct P { x: i64, y: i64 }
struct M(i64, i64);
const LIMIT: i64 = 10;
"""


def _match_plan(arms: str, module_items: str = ITEMS, uses: str = ""):
    text = f"{module_items}\n{uses}\nfn f(v) {{ match v {{ {arms} }} }}"
    prog = parse_program(text, "t.ruchy")
    info = resolve_program(prog)
    fn = next(i for i in prog.items if isinstance(i, A.FunDef))
    match = fn.body.stmts[0]
    return compile_match(info, match)


def _rows(arms: str, **kw):
    return [arm.plan.rows for arm in _match_plan(arms, **kw).arms]


def test_variant_pattern_tests_tag_then_fields():
    (rows,) = _rows("Shape::Rect { w, h: 2.0 } => 1,")
    (row,) = rows
    assert [(t.access, t.op) for t in row.tests] == [((), "variant"), ((("field", "h"),), "lit")]
    assert row.tests[0].value.qualified == "Shape::Rect"
    assert [(b.name, b.access) for b in row.binds] == [("w", (("field", "w"),))]


def test_tuple_with_rest_uses_negative_indices():
    (rows,) = _rows("(a, .., z) => 1,")
    (row,) = rows
    assert row.tests[0].op == "tuple" and row.tests[0].value == (2, False)
    assert [(b.name, b.access) for b in row.binds] == [("a", (("tup", 0),)),
                                                        ("z", (("tup", -1),))]


def test_slice_pattern_binds_rest_as_a_slice():
    (rows,) = _rows("[first, rest @ .., last] => 1,")
    (row,) = rows
    assert row.tests[0].op == "len" and row.tests[0].value == (2, False)
    assert [b.access for b in row.binds] == [(("elem", 0),), (("slice", 1, 1),),
                                             (("elem", -1),)]


def test_nested_alternatives_expand_into_rows():
    (rows,) = _rows("Some(1 | 2) | None => 1,")
    assert len(rows) == 3
    assert [t.op for t in rows[0].tests] == ["variant", "lit"]
    assert [t.value.name for t in (rows[0].tests[0], rows[2].tests[0])] == ["Some", "None"]


def test_bare_name_is_a_binding_unless_a_unit_variant_or_const_is_in_scope():
    rows = _rows("None => 0, LIMIT => 1, Red => 2, other => 3,")
    assert rows[0][0].tests[0].op == "variant" and not rows[0][0].binds
    assert rows[1][0].tests[0].op == "const"
    assert rows[2][0].binds[0].name == "Red"  # Color::Red is not imported
    assert rows[3][0].binds[0].name == "other"
    rows = _rows("Red => 2, _ => 3,", uses="use Color::*;")
    assert rows[0][0].tests[0].op == "variant" and rows[0][0].tests[0].value.name == "Red"


def test_binding_modes():
    (rows,) = _rows("Some(ref mut x) => 1,")
    assert rows[0].binds[0].mode == "ref_mut"
    (rows,) = _rows("Some(mut x) => 1,")
    assert rows[0].binds[0].mode == "value" and rows[0].binds[0].mutable
    prog = parse_program(ITEMS + "\nfn f(v) { match &mut v { Some(x) => 1, _ => 0 } }", "t")
    info = resolve_program(prog)
    match = prog.items[-1].body.stmts[0]
    plan = compile_match(info, match, default_mode="ref_mut")
    assert plan.arms[0].plan.rows[0].binds[0].mode == "ref_mut"


def test_refutability():
    prog = parse_program(ITEMS, "t")
    info = resolve_program(prog)

    def refutable(src: str) -> bool:
        p = parse_program(f"fn f(v) {{ match v {{ {src} => 1 }} }}", "t")
        return compile_pattern(info, p.items[0].body.stmts[0].arms[0].patterns).refutable

    assert not refutable("(a, b)")
    assert not refutable("P { x, .. }")
    assert not refutable("M(a, _)")
    assert refutable("Some(x)")
    assert refutable("(1, b)")
    assert not refutable("Ok(x) | Err(x)")


@pytest.mark.parametrize("arms, message", [
    ("Shape::Square(x) => 1,", "unknown tuple struct or tuple variant 'Shape::Square'"),
    ("Shape::Circle(a, b) => 1,", "this pattern has 2 fields, but the tuple variant"),
    ("M(a) => 1,", "this pattern has 1 field, but the tuple struct 'M' has 2 fields"),
    ("P { x, z } => 1,", "struct 'P' does not have a field named 'z'"),
    ("Shape::Rect { w, d } => 1,", "does not have a field named 'd'"),
    ("Some(x) | None => 1,", "variable 'x' is not bound in all patterns"),
    ("(x, x) => 1,", "identifier 'x' is bound more than once"),
    ("Shape::Circle => 1,", "is a tuple variant"),
    ("Nope::A => 1,", "unknown variant, struct or constant 'Nope::A'"),
])
def test_pattern_errors_are_located_syntax_errors(arms: str, message: str):
    with pytest.raises(RuchySyntaxError) as e:
        _match_plan(arms)
    assert message in e.value.message
    assert e.value.span.line > 0


# ---- tier 0, end to end -----------------------------------------------------------

def run(text: str) -> str:
    src = SourceFile("t.ruchy", text)
    prog = Tier0Program(parse_program(text, src.name), src)
    out = io.StringIO()
    prog.run(out)
    return out.getvalue()


def source(text: str) -> str:
    src = SourceFile("t.ruchy", text)
    return Tier0Program(parse_program(text, src.name), src).module.source


def test_match_on_a_tuple_literal_builds_no_tuple():
    code = source("""
fn f(a: i64, b: i64) -> i64 { match (a % 3, b % 5) { (0, 0) => 1, (0, _) => 2, _ => 3 } }
println(f(3, 5))""")
    body = code.split("def r_f__ii")[1].split("def ")[0]
    assert "tuple" not in body and "type(" not in body


def test_match_scalars_unchanged_fast_path():
    out = run("""
fn k(n: i64) -> i64 { match n { 0 => 10, 1 | 2 => 20, 3..=9 => 30, x if x < 0 => -1, _ => 0 } }
println(k(0), k(2), k(5), k(-4), k(50))""")
    assert out == "10 20 30 -1 0\n"


def test_no_arm_matched_is_a_runtime_error_at_the_match():
    with pytest.raises(RuchyRuntimeError) as e:
        run("let x = 5\nmatch x {\n 1 => println(1),\n}\n")
    assert "no match arm matched" in e.value.message
    assert e.value.span.line == 2


def test_refutable_let_is_a_syntax_error():
    with pytest.raises(RuchySyntaxError) as e:
        run("fn f(o) { let Some(x) = o; x }\nprintln(f(1))")
    assert "refutable pattern" in e.value.message


def test_let_else_must_diverge():
    with pytest.raises(RuchySyntaxError) as e:
        run("fn f(o) { let Some(x) = o else { println(1) }; x }\nprintln(f(1))")
    assert "must diverge" in e.value.message


def test_try_on_a_value_that_is_no_option_is_a_located_error():
    with pytest.raises(RuchyRuntimeError) as e:
        run("fn f(x: i64) -> Option<i64> {\n    let y = x?;\n    Some(y)\n}\nprintln(f(3))")
    assert e.value.message == "`?` needs an Option or a Result, got int"
    assert (e.value.span.line, e.value.span.col) == (2, 13)


def test_try_returns_none_and_err_early():
    out = run("""
fn half(n: i64) -> Option<i64> { if n % 2 == 0 { Some(n / 2) } else { None } }
fn quarter(n: i64) -> Option<i64> { let h = half(n)?; half(h) }
fn parse(s: &str) -> Result<i64, String> { if s == "1" { Ok(1) } else { Err(s.to_string()) } }
fn two(a: &str, b: &str) -> Result<i64, String> { Ok(parse(a)? + parse(b)?) }
println!("{:?} {:?} {:?} {:?}", quarter(8), quarter(6), two("1", "1"), two("1", "x"))""")
    assert out == 'Some(2) None Ok(2) Err("x")\n'


def test_unwrap_or_default_takes_the_annotated_payload_type():
    out = run("""
fn name(i: i64) -> Option<String> { if i == 1 { Some("one".to_string()) } else { None } }
fn main() {
    let n: Option<f64> = None;
    println!("{:?} {:?} {}", name(2).unwrap_or_default(), n.unwrap_or_default(),
             name(1).unwrap_or_default())
}""")
    assert out == '"" 0.0 one\n'


def test_while_let_pop_gives_options_and_labels_leave_outer_loops():
    out = run("""
fn main() {
    let mut s = vec![1, 2, 3];
    while let Some(x) = s.pop() { print!("{} ", x); }
    'o: for i in 0..5 { for j in 0..5 { if j == 2 { continue 'o; } if i == 3 { break 'o; } print!("{}{} ", i, j); } }
    println!();
}""")
    assert out == "3 2 1 00 01 10 11 20 21 \n"


def test_a_const_bound_in_a_range_pattern_is_evaluated_once():
    text = "const LO: i64 = 3;\nconst HI: i64 = 7;\nfn f(n: i64) -> i64 { match n { _ => 0 } }"
    prog = parse_program(text, "t")
    info = resolve_program(prog)
    pat = A.Pattern("range", A.Name("LO"), A.Name("HI"))
    plan = compile_pattern(info, [pat])
    (test,) = plan.rows[0].tests
    assert test.op == "range" and test.kind == "const"
    with pytest.raises(RuchySyntaxError):
        compile_pattern(info, [A.Pattern("range", A.Name("NOPE"), 5)])
