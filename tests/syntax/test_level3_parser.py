"""Level 3 syntax: each construct parses into the AST node of syntax/ast.py that the
resolution layer and the back ends expect, statements end where LANGUAGE.md says, and
a syntax error in the new syntax is a located diagnostic (never a traceback)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ruchy_opt.errors import RuchySyntaxError
from ruchy_opt.syntax import ast as A
from ruchy_opt.syntax.parser import parse_program


def items(src: str) -> list[A.Node]:
    return parse_program(src).items


def one(src: str) -> A.Node:
    """The single statement or item of ``src``."""
    its = items(src)
    assert len(its) == 1, A.dump(parse_program(src))
    return its[0]


def expr(src: str) -> A.Node:
    """``src`` as the value of a `let`."""
    let = one(f"let v = {src}\n")
    assert isinstance(let, A.Let)
    return let.value


def pat(src: str) -> A.Node:
    """``src`` as the single pattern of a match arm."""
    m = expr(f"match x {{ {src} => 0 }}")
    return m.arms[0].patterns[0]


# ---- items -------------------------------------------------------------------------

def test_structs_of_the_three_shapes_with_generics_where_and_pub() -> None:
    s, t, u = items("pub struct P<T: Ord + Copy, 'a> where T: Clone { x: f64, pub y: T }\n"
                    "struct M(i64, pub String);\nstruct U;")
    assert (s.name, s.shape, [(f.name, f.type.text) for f in s.fields]) == \
        ("P", "named", [("x", "f64"), ("y", "T")])
    assert (t.shape, [(f.name, f.type.kind) for f in t.fields]) == \
        ("tuple", [("0", "int"), ("1", "string")])
    assert (u.name, u.shape, u.fields) == ("U", "unit", [])


def test_enum_variants_of_every_shape() -> None:
    e = one("enum E { A, B(i64, i64), C { x: i64 }, D = 3, }")
    assert [(v.name, v.shape, len(v.fields), v.discriminant) for v in e.variants] == \
        [("A", "unit", 0, None), ("B", "tuple", 2, None), ("C", "named", 1, None),
         ("D", "unit", 0, 3)]


def test_impl_with_assoc_fn_const_and_every_self() -> None:
    i = one("impl P { fn new(..) -> Self { P { x: 1 } } const K: i64 = 1;"
            " fn m(&self) {} fn n(&mut self) {} fn o(self) {} fn p(mut self) {}"
            " fn q(&'a self) {} }".replace("(..)", "()"))
    assert (i.type_name, i.trait) == ("P", None)
    fns = [f for f in i.items if isinstance(f, A.FunDef)]
    assert [f.params[0].self_mode for f in fns[1:]] == ["ref", "mut_ref", "value", "value", "ref"]
    assert fns[4].params[0].mutable
    assert isinstance(i.items[1], A.ConstDef) and i.items[1].name == "K"


def test_trait_impls_keep_the_trait_path_and_drop_generic_arguments() -> None:
    a, b = items("impl<T> Trait for P<T> where T: Ord { }\n"
                 "impl fmt::Display for P { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result"
                 " { write!(f, \"{}\", self.x) } }")
    assert (a.type_name, a.trait) == ("P", "Trait")
    assert (b.type_name, b.trait) == ("P", "fmt::Display")
    fmt = b.items[0]
    assert fmt.ret.text == "fmt::Result" and fmt.params[1].type.text == "&mut fmt::Formatter"
    assert isinstance(fmt.body.stmts[0], A.Call) and fmt.body.stmts[0].macro


def test_trait_with_required_and_default_methods_and_supertrait() -> None:
    t = one("trait T: Other + Clone { fn m(&self) -> i64; fn d(&self) -> i64 { 1 } }")
    assert [(f.name, f.body is None) for f in t.items] == [("m", True), ("d", False)]


def test_modules_nest_and_use_forms() -> None:
    m, *uses = items("mod m { pub fn f() {} mod n { pub(crate) fn g() {} } }\n"
                     "use std::collections::HashMap;\nuse a::b::{c, d as e, self};\n"
                     "use E::*;\nuse std::fmt;")
    assert m.name == "m" and isinstance(m.items[1], A.ModDef) and m.items[1].items[0].name == "g"
    assert [(u.path, u.alias, u.glob) for u in uses] == [
        (["std", "collections", "HashMap"], None, False), (["a", "b", "c"], None, False),
        (["a", "b", "d"], "e", False), (["a", "b"], None, False), (["E"], None, True),
        (["std", "fmt"], None, False)]


def test_consts_statics_aliases_nested_fns_attributes_and_shebang() -> None:
    its = items("#!/usr/bin/env ruchy\n#![allow(unused)]\nconst N: i64 = 3;\n"
                "static mut COUNT: i64 = 0;\ntype Grid = Vec<Vec<i64>>;\n"
                "#[derive(Debug, Clone)]\n#[inline]\nfn f() { fn g() -> i64 { 1 } g() }")
    c, s, f = its
    assert (c.name, c.static, c.mutable, s.name, s.static, s.mutable) == \
        ("N", False, False, "COUNT", True, True)
    assert isinstance(f.body.stmts[0], A.FunDef) and f.body.stmts[0].name == "g"
    assert c.span.line == 3  # the `#!` line is still line 1


def test_destructuring_parameters_get_fresh_names() -> None:
    f = one("fn f((a, b): (i64, i64), n: i64, P { x, .. }: P) {}")
    assert [p.name for p in f.params] == ["_p0", "n", "_p1"]
    assert isinstance(f.params[0].pattern, A.TuplePat) and f.params[0].type.kind == "tuple"
    assert isinstance(f.params[2].pattern, A.StructPat)


# ---- types ---------------------------------------------------------------------------

@pytest.mark.parametrize("src,kind,text", [
    ("(i64, String)", "tuple", "(i64, String)"),
    ("&'a str", "ref", "&str"),
    ("&mut [i64]", "ref", "&mut [i64]"),
    ("[[i64; 3]; 3]", "array", "[[i64; 3]; 3]"),
    ("Vec<Vec<i64>>", "array", "Vec<Vec<i64>>"),
    ("Vec<Vec<Vec<i64>>>", "array", "Vec<Vec<Vec<i64>>>"),
    ("HashMap<String, Vec<(i64, f64)>>", "other", "HashMap<String, Vec<(i64, f64)>>"),
    ("Option<Box<dyn Shape>>", "other", "Option<Box<dyn Shape>>"),
    ("impl Fn(i64) -> i64", "fn", "impl Fn(i64) -> i64"),
    ("&dyn Fn(i64) -> i64", "ref", "&dyn Fn(i64) -> i64"),
    ("fn(i64, i64) -> i64", "fn", "fn(i64, i64) -> i64"),
    ("Box<dyn Fn(i32) -> i32 + 'a>", "other", "Box<dyn Fn(i32) -> i32>"),
    ("Self", "other", "Self"),
    ("std::fmt::Result", "other", "std::fmt::Result"),
    ("char", "char", "char"),
    ("()", "unit", "()"),
])
def test_types(src: str, kind: str, text: str) -> None:
    t = one(f"let x: {src} = y").type
    assert (t.kind, t.text) == (kind, text)


def test_type_arguments_are_kept() -> None:
    t = one("let m: HashMap<String, i64> = y").type
    assert [a.text for a in t.args] == ["String", "i64"]


# ---- expressions ---------------------------------------------------------------------

@pytest.mark.parametrize("src,value", [("'a'", "a"), ("'\\n'", "\n"), ("'\\''", "'"),
                                       ("'\\u{1F600}'", "\U0001F600"), ("'é'", "é")])
def test_char_literals(src: str, value: str) -> None:
    e = expr(src)
    assert isinstance(e, A.CharLit) and e.value == value


def test_lifetimes_still_lex_as_lifetimes() -> None:
    f = one("fn longest<'a>(x: &'a str, y: &'a str) -> &'a str { x }")
    assert [p.type.text for p in f.params] == ["&str", "&str"]


def test_tuples_and_tuple_fields() -> None:
    assert isinstance(expr("(a, b)"), A.TupleLit) and len(expr("(a,)").elems) == 1
    assert isinstance(expr("()"), A.UnitLit) and isinstance(expr("(a)"), A.Name)
    e = expr("t.1.0")  # the lexer's FLOAT `1.0` is split
    assert isinstance(e, A.Field) and e.name == "0" and e.target.name == "1"
    e = expr("x.0.field")
    assert e.name == "field" and e.target.name == "0"


def test_struct_literals() -> None:
    e = expr("P { x: 1.0, y }")
    assert (e.path, [f.name for f in e.fields], e.base) == ("P", ["x", "y"], None)
    assert isinstance(e.fields[1].value, A.Name)
    e = expr("P { x: 0.0, ..base }")
    assert isinstance(e.base, A.Name) and e.base.id == "base"
    assert expr("Self { x: 1 }").path == "Self"
    assert expr("E::C { x: 1 }").path == "E::C"
    assert expr("m::P { x: 1 }").path == "m::P"


def test_paths_and_turbofish() -> None:
    e = expr("a::b::c")
    assert (e.owner, e.name) == ("a::b", "c")
    c = expr("Vec::<i64>::new()")
    assert (c.callee.owner, c.callee.name) == ("Vec", "new")
    assert (expr("i64::MAX").owner, expr("std::f64::consts::PI").owner) == \
        ("i64", "std::f64::consts")
    m = expr("s.parse::<i64>()")
    assert m.method == "parse" and [t.text for t in m.type_args] == ["i64"]
    m = expr("it.collect::<Vec<Vec<_>>>()")
    assert [t.text for t in m.type_args] == ["Vec<Vec<_>>"]
    c = expr("std::mem::swap(&mut a, &mut b)")
    assert all(isinstance(a, A.Ref) and a.mutable for a in c.args)


def test_try_refs_derefs_and_casts() -> None:
    e = expr("f(x)?.y?")
    assert isinstance(e, A.Try) and isinstance(e.operand.target, A.Try)
    e = expr("&&x")
    assert isinstance(e, A.Ref) and isinstance(e.operand, A.Ref)
    assert isinstance(expr("*x"), A.Deref)
    assert [expr(f"n as {t}").type.kind for t in ("u8", "char", "usize")] == \
        ["int", "char", "int"]


def test_if_let_chains_and_while_let() -> None:
    e = expr("if let Some(x) = a { 1 } else if let P { x, .. } = b { 2 } else { 3 }")
    assert isinstance(e, A.IfLet) and isinstance(e.pattern, A.TupleStructPat)
    assert isinstance(e.orelse, A.IfLet) and isinstance(e.orelse.pattern, A.StructPat)
    assert isinstance(e.orelse.orelse, A.Block)
    w = one("while let Some(top) = stack.pop() { }")
    assert isinstance(w, A.WhileLet) and isinstance(w.value, A.MethodCall)


def test_let_forms() -> None:
    a, b, c, d, e = items("let x: i64 = 1\nlet (a, mut b) = t\nlet mut y = 2\n"
                          "let Some(z) = opt else { return };\nlet P { x, y } = p")
    assert isinstance(a, A.Let) and a.type.kind == "int"
    assert isinstance(b, A.LetPat) and b.pattern.elems[1].mutable
    assert isinstance(c, A.Let) and c.mutable
    assert isinstance(d, A.LetPat) and isinstance(d.orelse, A.Block)
    assert isinstance(e, A.LetPat) and isinstance(e.pattern, A.StructPat)


def test_let_in_is_an_expression() -> None:
    e = expr("let x = 2 in x * x")
    assert isinstance(e, A.Block) and isinstance(e.stmts[0], A.Let)
    assert isinstance(e.stmts[1], A.Binary)


def test_closures() -> None:
    c = expr("|x| x + 1")
    assert isinstance(c, A.Closure) and isinstance(c.body, A.Binary)
    c = expr("|a: i64, b| { a + b }")
    assert [p.name for p in c.params] == ["a", "b"] and c.params[0].type.kind == "int"
    c = expr("move |x| x")
    assert c.move
    c = expr("|| 42")
    assert c.params == [] and isinstance(c.body, A.IntLit)
    c = expr("|&x| x * 2")
    assert isinstance(c.params[0].pattern, A.RefPat)
    c = expr("|(a, b)| a + b")
    assert isinstance(c.params[0].pattern, A.TuplePat) and c.params[0].name == "_p0"
    c = expr("|x| -> i64 { x }")
    assert c.ret.kind == "int" and isinstance(c.body, A.Block)
    assert isinstance(expr("a || b"), A.Binary)  # `||` after an operand is still or


@pytest.mark.parametrize("src,start,end,inclusive", [
    ("0..n", True, True, False), ("a..=b", True, True, True), ("..", False, False, False),
    ("x..", True, False, False), ("..=5", False, True, True)])
def test_ranges_as_values(src: str, start: bool, end: bool, inclusive: bool) -> None:
    r = expr(src)
    assert isinstance(r, A.Range)
    assert (r.start is not None, r.end is not None, r.inclusive) == (start, end, inclusive)


def test_for_over_a_range_stays_for_range_and_patterns_get_a_fresh_var() -> None:
    f = one("for i in 0..n + 1 { }")
    assert isinstance(f, A.ForRange) and isinstance(f.end, A.Binary) and f.pattern is None
    f = one("for (i, x) in v.iter().enumerate() { }")
    assert isinstance(f, A.For) and isinstance(f.pattern, A.TuplePat)
    assert f.var.startswith("_for")
    f = one("for _ in 0..3 { }")
    assert isinstance(f, A.ForRange) and f.var == "_"


def test_macros() -> None:
    m = expr("matches!(x, Some(1) | None if y > 0)")
    assert isinstance(m, A.MacroPat) and len(m.patterns) == 2 and m.guard is not None
    for src in ('write!(f, "{}", a)', 'writeln!(f)', 'format!("{}", 1)', "assert!(x)"):
        assert isinstance(expr(src), A.Call) and expr(src).macro
    assert isinstance(expr("vec![]"), A.ArrayLit)


def test_labelled_loops() -> None:
    f = one("'outer: for i in 0..3 { loop { break 'outer; continue 'outer } }")
    assert f.label == "outer"
    inner = f.body.stmts[0].body.stmts
    assert (inner[0].label, inner[1].label) == ("outer", "outer")
    w = one("'a: while x { break 'a 5 }")
    assert w.label == "a" and w.body.stmts[0].value.value == 5


def test_assignment_targets() -> None:
    a = one("a[i].pos.x += 1.0")
    assert isinstance(a, A.Assign) and isinstance(a.target, A.Field)
    a = one("*m.entry(k).or_insert(0) += 1")
    assert isinstance(a.target, A.Deref)
    a = expr("match t { Token::Op(c) => op = *c, _ => {} }").arms[0].body
    assert isinstance(a, A.Assign)


def test_number_suffixes_raw_strings_and_byte_literals() -> None:
    assert expr("255u8").value == 255 and expr("1.5f64").value == 1.5
    assert expr("2f64").value == 2.0 and isinstance(expr("2f64"), A.FloatLit)
    assert expr('r#"a "b" \\n"#').value == 'a "b" \\n'
    assert expr("b'{'").value == ord("{")


# ---- patterns --------------------------------------------------------------------------

def test_literal_and_range_patterns() -> None:
    assert (pat("-3").kind, pat("-3").value) == ("int", -3)
    assert (pat("2.5").kind, pat("'x'").kind, pat('"s"').kind, pat("true").value) == \
        ("float", "char", "str", True)
    r = pat("1..=9")
    assert (r.kind, r.value, r.high, r.inclusive) == ("range", 1, 9, True)
    r = pat("'a'..='z'")
    assert (r.value, r.high) == ("a", "z")
    r = pat("..=5")
    assert (r.value, r.high) == (None, 5)
    r = pat("i64::MIN..=-1")  # an integer type's bounds are folded
    assert (r.value, r.high) == (-2 ** 63, -1)
    with pytest.raises(RuchySyntaxError):
        pat("LIMIT::X..=3")


def test_binding_patterns() -> None:
    assert (pat("_").kind, pat("x").kind) == ("wild", "bind")
    p = pat("mut x")
    assert p.mutable and p.value == "x"
    p = pat("ref mut x")
    assert p.by_ref and p.mutable
    p = pat("n @ 1..=5")
    assert p.value == "n" and p.sub.kind == "range"


def test_structured_patterns() -> None:
    p = pat("(a, .., b)")
    assert isinstance(p, A.TuplePat) and isinstance(p.elems[1], A.RestPat)
    p = pat("P { x, y: 0, .. }")
    assert isinstance(p, A.StructPat) and p.rest and [f.name for f in p.fields] == ["x", "y"]
    p = pat("E::C { ref x, .. }")
    assert p.path == "E::C" and p.fields[0].pat.by_ref
    p = pat("Ok(Some(v))")
    assert isinstance(p, A.TupleStructPat) and isinstance(p.elems[0], A.TupleStructPat)
    assert isinstance(pat("Color::Red"), A.PathPat) and pat("Color::Red").path == "Color::Red"
    p = pat("[first, .., last]")
    assert isinstance(p, A.SlicePat) and len(p.elems) == 3
    p = pat("[x, rest @ ..]")
    assert isinstance(p.elems[1], A.RestPat) and p.elems[1].name == "rest"
    assert pat("[]").elems == []
    p = pat("&(a, b)")
    assert isinstance(p, A.RefPat) and isinstance(p.pat, A.TuplePat)
    p = pat("Some(1 | 2)")
    assert isinstance(p.elems[0], A.OrPat) and len(p.elems[0].alts) == 2


def test_arm_level_alternatives_stay_in_the_arm() -> None:
    arm = expr("match x { 1 | 2 | 3 => a, _ => b }").arms[0]
    assert len(arm.patterns) == 3


# ---- statement ends --------------------------------------------------------------------

def test_block_like_statement_ends_at_its_brace() -> None:
    f, e = items("for i in 0..n { s += i }\n(s * 2)")
    assert isinstance(f, A.ForRange) and isinstance(e, A.Binary)
    i, n = items("if n > 2 { n }\n-n")
    assert isinstance(i, A.If) and isinstance(n, A.Unary)
    m, t = items("match x { _ => 1 }\n(a, b)")
    assert isinstance(m, A.Match) and isinstance(t, A.TupleLit)
    l, a = items("loop { break }\n[1, 2]")
    assert isinstance(l, A.Loop) and isinstance(a, A.ArrayLit)


def test_else_method_calls_and_question_marks_continue_a_block_like_statement() -> None:
    i = one("if a { 1 }\nelse { 2 }")
    assert isinstance(i.orelse, A.Block)
    m = one("match x { _ => 1 }.to_string()")
    assert isinstance(m, A.MethodCall) and isinstance(m.receiver, A.Match)


def test_block_like_expressions_inside_expressions_do_not_end_the_statement() -> None:
    let = one("let x = if c { 1 } else { 2 }\n- 1")
    assert isinstance(let.value, A.Binary)


def test_a_line_starting_with_a_paren_is_a_new_statement() -> None:
    a, b = items("let c = 7\n(a * 100) / c")
    assert isinstance(a, A.Let) and isinstance(b, A.Binary)
    let = one("let c = f(\n  (1),\n  2)")
    assert len(let.value.args) == 2  # inside brackets newlines do not end anything


def test_block_arm_bodies_end_at_their_brace() -> None:
    m = expr("match p {\n  (0, y) => { y }\n  (x, _) => if x > 0 { 1 } else { 2 }\n"
             "  [a] => a\n}".replace("[a]", "(a, b)"))
    assert [type(a.patterns[0]).__name__ for a in m.arms] == ["TuplePat"] * 3


def test_struct_literals_are_not_allowed_in_headers() -> None:
    i = one("if x == P { y }")
    assert isinstance(i, A.If) and isinstance(i.cond.right, A.Name)
    i = one("if x == (P { y: 1 }) { y }")
    assert isinstance(i.cond.right, A.StructLit)
    f = one("for p in pts { p }")
    assert isinstance(f.iterable, A.Name)
    w = one("while let P { x, .. } = next { x }")
    assert isinstance(w.pattern, A.StructPat)
    f = one("fn f() -> P { P { x: 1 } }")
    assert isinstance(f.body.stmts[0], A.StructLit)


# ---- errors ---------------------------------------------------------------------------

@pytest.mark.parametrize("src,line,col", [
    ("struct P { x: }", 1, 15),
    ("enum E { A(, }", 1, 12),
    ("let (a, = t", 1, 9),
    ("match x { P { x => 1 }", 1, 17),
    ("let f = |x x + 1", 1, 12),
    ("let c = 'a b'", 1, 12),  # ('ab' is a string in Ruchy)
    ("impl P { let x = 1 }", 1, 10),
    ("fn f(&self) { self.0. }", 1, 23),
    ("for (a, b) 0..3 {}", 1, 12),
])
def test_syntax_errors_are_located(src: str, line: int, col: int) -> None:
    with pytest.raises(RuchySyntaxError) as e:
        parse_program(src)
    assert (e.value.span.line, e.value.span.col) == (line, col), e.value.message


def test_cli_reports_a_level3_syntax_error_with_a_caret(tmp_path) -> None:
    f = tmp_path / "bad.ruchy"
    f.write_text("struct P { x: f64 }\nfn main() {\n    let p = P { x: 1.0, y: };\n}\n")
    exe = Path(sys.executable).parent / "ruchy-opt"  # as pip installed it
    p = subprocess.run([str(exe), "run", str(f)], capture_output=True, text=True)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert lines[0] == f"{f}:3:28: error: unexpected '}}'"
    assert lines[1] == "    let p = P { x: 1.0, y: };" and lines[2] == " " * 27 + "^"


def test_a_block_in_a_control_header_is_part_of_the_header() -> None:
    """`while { ..; c } { }` and `for i in { .. }..n { }`: the body brace is the one after
    a complete expression, so the header's own block neither ends a statement nor is
    taken for the body (a Level 1 program the layout pass once split)."""
    prog = parse_program("let mut s = 0\nwhile { s += 1; s < 3 } { s += 1 }\n"
                         "for i in { let a = 2; a }..5 { s += i }\nif { s > 3 } { s = 0 }\n")
    w, f, i = prog.items[1:]
    assert isinstance(w, A.While) and isinstance(w.cond, A.Block)
    assert isinstance(f, A.ForRange) and isinstance(f.start, A.Block)
    assert isinstance(i, A.If) and isinstance(i.cond, A.Block)
