"""interp/fieldkinds.py: which struct fields provably hold floats (their reads skip the
type tests), and that a field an annotation calls f64 but that may hold something else
keeps the generic path (annotations are hints: LANGUAGE.md)."""
from __future__ import annotations

import io

from ruchy_opt.errors import SourceFile
from ruchy_opt.interp.fieldkinds import float_fields
from ruchy_opt.interp.runner import Tier0Program
from ruchy_opt.syntax.parser import parse_program


def _fields(src: str) -> frozenset[str]:
    return float_fields(parse_program(src))


def _run(src: str) -> str:
    out = io.StringIO()
    Tier0Program(parse_program(src), SourceFile("t.ruchy", src)).run(out=out)
    return out.getvalue()


_BASE = "struct P { x: f64, y: f64, n: i64 }\n"


def test_float_stores_prove_the_field() -> None:
    src = _BASE + """fn main() {
    let w = 2.0;
    let x = w * 3.0;
    let mut p = P { x, y: 1.0 + 2, n: 1 };
    p.x += p.y * 2.0;
    p.y = -p.x / 4.0;
    p.y -= 1;
}"""
    assert _fields(src) == {"x", "y"}


def test_local_names_are_per_function() -> None:
    # `w` is a parameter of another function: main's `let w` is still a float
    src = _BASE + """fn f(w: i64) -> i64 { w }
fn main() {
    let w = 2.0;
    let x = w;
    let p = P { x, y: w, n: 0 };
}"""
    assert _fields(src) == {"x", "y"}
    # ... but a parameter of the same function is not
    assert _fields(_BASE + "fn f(w: f64) -> P { let x = w; P { x, y: 0.0, n: 0 } }") == {"y"}


def test_unproven_stores_and_loans_keep_the_field_generic() -> None:
    # a parameter (annotations are hints), a string + float, a &mut of the field
    assert _fields(_BASE + "fn mk(v: f64) -> P { P { x: v, y: 0.0, n: 0 } }") == {"y"}
    assert _fields(_BASE + "fn f(p: P, s: String) { let q = P { x: p.x + s, y: 0.0, n: 0 }; }") == {"y"}
    assert _fields(_BASE + "fn g(a: &mut f64) {} fn f(mut p: P) { g(&mut p.x); }") == {"y"}
    # a field of the same name that is not a float in another struct
    assert _fields(_BASE + "struct Q { x: i64 }") == {"y"}


def test_writes_through_references_give_up() -> None:
    assert _fields(_BASE + "fn g(a: &mut f64) { *a = 1; }") == frozenset()
    assert _fields(_BASE + "fn f(mut p: P, mut q: P) { std::mem::swap(&mut p, &mut q); }") \
        == frozenset()
    src = _BASE + "fn f(p: &mut P) { match p { P { x, .. } => { x = 3; } } }"
    assert _fields(src) == frozenset()


def test_optimistic_fixed_point_drops_what_depends_on_a_refuted_field() -> None:
    src = "struct A { a: f64, b: f64 }\nfn f(v: i64) { let s = A { a: v + 1, b: 0.0 }; " \
          "let t = A { a: 0.0, b: s.a + 0.5 }; }"
    # s.a + 0.5: s.a is not proven (an integer may be stored), and + of a string
    # would concatenate, so b is refuted too
    assert _fields(src) == frozenset()


def test_proven_fields_run_as_rust() -> None:
    # Valid Rust; expected output from rustc (non-integral floats: Ruchy prints 1.0).
    src = """struct P { x: f64, y: f64, n: i64 }
struct Q { x: f64 }
fn bump(v: &mut f64) { *v += 1.25; }
fn main() {
    let mut p = P { x: 1.25, y: 2.0, n: 3 };
    let q = Q { x: 0.5 };
    p.x += q.x * 2.0;
    p.y = -p.y / 4.0 + 1.0;
    bump(&mut p.y);
    let s = p.x * p.y - p.x % 1.25;
    println!("{} {} {} {}", p.x, p.y, p.n, s);
    println!("{}", p.x > p.y);
}"""
    assert float_fields(parse_program(src)) == {"x"}
    assert _run(src) == "2.25 1.75 3 2.9375\ntrue\n"


def test_an_integer_in_an_f64_field_keeps_integer_arithmetic() -> None:
    # Not Rust (7 is no f64), but Ruchy's annotations are hints: the field holds 7 and
    # p.x / 2 divides integers, as before this pass.
    src = _BASE + """fn mk(v: f64) -> P { P { x: v, y: 0.5, n: 0 } }
fn main() {
    let p = mk(7);
    println!("{} {}", p.x / 2, p.y * 2.0);
}"""
    assert _fields(src) == {"y"}
    assert _run(src) == "3 1.0\n"  # (Ruchy prints 1.0)
