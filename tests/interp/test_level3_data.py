"""Tier 0, Level 3 data: tuples, structs, methods, traits, chars, places (interp/data.py,
interp/places.py, interp/dispatch.py) -- what the l3_* programs do not cover: located
errors, dispatch choices in the generated code, value semantics in corners. Expected
outputs of programs that are valid Rust come from rustc."""
from __future__ import annotations

from tier0_support import compile_, error, run

POINT = "struct Point { x: i64, y: i64 }\n"


# ---- located errors -------------------------------------------------------------------

def test_unknown_field_read_is_located_at_the_field_name():
    msg, line, col, _ = error(POINT + "fn main() {\n    let p = Point { x: 1, y: 2 };\n"
                              "    println!(\"{}\", p.z);\n}\n")
    assert msg == "no field 'z' on type Point" and (line, col) == (4, 22)


def test_field_of_a_number_is_an_error_not_a_traceback():
    msg, line, _, out = error("fn main() {\n    println!(\"a\");\n    let n = 5;\n"
                              "    println!(\"{}\", n.x);\n}\n")
    assert msg == "no field 'x' on type int" and line == 4 and out == "a\n"


def test_unknown_field_in_a_literal_is_an_error_before_anything_runs():
    msg, line, col, out = error(POINT + "println!(\"x\");\nlet p = Point { x: 1, y: 2, w: 3 };\n")
    assert msg == "no field 'w' on type Point" and (line, col) == (3, 29) and out == ""


def test_missing_field_in_a_literal():
    msg, line, _, out = error(POINT + "let p = Point { x: 1 };\n")
    assert msg == "missing field 'y' in initializer of 'Point'" and line == 2 and out == ""


def test_unknown_method_on_a_struct():
    msg, line, _, _ = error(POINT + "impl Point { fn norm(&self) -> i64 { self.x } }\n"
                            "let p = Point { x: 1, y: 2 };\nprintln!(\"{}\", p.nrom());\n")
    assert "no method 'nrom'" in msg and line == 4


def test_method_of_one_type_called_on_another_value():
    msg, line, _, _ = error(POINT + "impl Point { fn norm(&self) -> i64 { self.x } }\n"
                            "let n = 3;\nprintln!(\"{}\", n.norm());\n")
    assert msg == "no method 'norm' on type int" and line == 4


def test_method_with_wrong_number_of_arguments():
    msg, line, _, _ = error(POINT + "impl Point { fn shift(&mut self, d: i64) { self.x += d; } }\n"
                            "let mut p = Point { x: 1, y: 2 };\np.shift(1, 2);\n")
    assert "wrong number of arguments" in msg and "'.shift' takes 1 argument" in msg \
        and line == 4


def test_tuple_element_out_of_range():
    msg, line, col, _ = error("let t = (1, 2);\nlet i = 0;\nprintln!(\"{}\", t.5);\n")
    assert msg == "index out of bounds" and (line, col) == (3, 18)


def test_element_of_a_tuple_struct_that_has_none():
    msg, line, _, _ = error("struct M(i64);\nlet m = M(1);\nprintln!(\"{}\", m.1);\n")
    assert msg == "no field '1' on type M" and line == 3


# ---- dispatch -------------------------------------------------------------------------

def test_self_method_calls_are_direct_and_specialised():
    code = compile_(POINT + """
impl Point {
    fn sum(&self) -> i64 { self.x + self.y }
    fn twice(&self) -> i64 { self.sum() * 2 }
}
fn main() { let p = Point { x: 1, y: 2 }; println!("{}", p.twice()); }
""").module.source
    twice = code.split("def r_Point_S_twice")[1].split("\n    def ")[0]
    assert "r_Point_S_sum__x(v_self)" in twice and "_MT_" not in twice


def test_user_method_named_like_a_builtin_wins_for_user_types_only():
    out = run("""
struct Stack { items: Vec<i64> }
impl Stack {
    fn len(&self) -> i64 { self.items.len() as i64 * 100 }
    fn push(&mut self, x: i64) { self.items.push(x); }
}
fn main() {
    let mut s = Stack { items: vec![] };
    let mut v = vec![1];
    s.push(5);
    s.push(6);
    v.push(2);
    println!("{} {} {:?}", s.len(), v.len(), v);
}
""")
    assert out == "200 2 [1, 2]\n"


def test_trait_on_a_builtin_type_and_on_structs():
    out = run("""
trait Describe { fn describe(&self) -> String; fn twice(&self) -> String { format!("{}{}", self.describe(), self.describe()) } }
struct A;
impl Describe for A { fn describe(&self) -> String { "A".to_string() } }
impl Describe for i64 { fn describe(&self) -> String { format!("i{}", self) } }
fn show(d: &dyn Describe) -> String { d.twice() }
fn main() {
    println!("{} {} {}", show(&A), show(&7), 5.describe());
}
""")
    assert out == "AA i7i7 i5\n"


def test_by_value_self_through_a_table_gets_a_copy():
    out = run("""
#[derive(Debug, Clone, Copy)]
struct P { x: i64 }
#[derive(Debug, Clone, Copy)]
struct Q { x: i64 }
trait Bump { fn bumped(self) -> Self; }
impl Bump for P { fn bumped(mut self) -> P { self.x += 1; self } }
impl Bump for Q { fn bumped(mut self) -> Q { self.x += 10; self } }
fn main() {
    let p = P { x: 1 };
    let q = Q { x: 1 };
    let p2 = p.bumped();
    let q2 = q.bumped();
    println!("{:?} {:?} {:?} {:?}", p, p2, q, q2);
}
""")
    assert out == "P { x: 1 } P { x: 2 } Q { x: 1 } Q { x: 11 }\n"


def test_ufcs_and_trait_qualified_calls():
    out = run("""
trait Area { fn area(&self) -> i64; }
struct Sq { s: i64 }
impl Area for Sq { fn area(&self) -> i64 { self.s * self.s } }
impl Sq { fn grow(&mut self) { self.s += 1; } }
fn main() {
    let mut q = Sq { s: 3 };
    Sq::grow(&mut q);
    println!("{} {}", Sq::area(&q), Area::area(&q));
}
""")
    assert out == "16 16\n"


# ---- places and &mut ------------------------------------------------------------------

def test_mut_ref_of_scalars_tuple_elements_and_fields():
    out = run("""
struct W { n: i64, t: (i64, i64) }
fn inc(n: &mut i64) { *n += 1; }
fn set(t: &mut (i64, i64)) { *t = (t.1, t.0); }
fn main() {
    let mut w = W { n: 1, t: (5, 6) };
    let mut v = vec![10, 20];
    let mut t = (1, (2, 3));
    inc(&mut w.n);
    inc(&mut w.t.1);
    inc(&mut v[1]);
    inc(&mut t.1.0);
    set(&mut w.t);
    println!("{} {:?} {:?} {:?}", w.n, w.t, v, t);
}
""")
    assert out == "2 (7, 5) [10, 21] (1, (3, 3))\n"


def test_nested_writes_leave_copies_alone():
    out = run("""
#[derive(Debug, Clone)]
struct In { v: Vec<i64>, p: (i64, i64) }
#[derive(Debug, Clone)]
struct Out { items: Vec<In> }
fn main() {
    let a = Out { items: vec![In { v: vec![1], p: (0, 0) }] };
    let mut b = a.clone();
    let c = b.clone();
    b.items[0].v[0] = 9;
    b.items[0].p.1 = 4;
    b.items[0].v.push(2);
    println!("{:?}", a);
    println!("{:?}", b);
    println!("{:?}", c);
}
""")
    assert out == ("Out { items: [In { v: [1], p: (0, 0) }] }\n"
                   "Out { items: [In { v: [9, 2], p: (0, 4) }] }\n"
                   "Out { items: [In { v: [1], p: (0, 0) }] }\n")


def test_array_copy_then_element_write_does_not_alias_structs():
    out = run("""
#[derive(Debug, Clone, Copy)]
struct P { x: i64 }
fn main() {
    let a = vec![P { x: 1 }, P { x: 2 }];
    let mut b = a.clone();
    b[0].x = 100;
    let mut c = b.clone();
    c[1].x += 5;
    println!("{:?} {:?} {:?}", a, b, c);
}
""")
    assert out == "[P { x: 1 }, P { x: 2 }] [P { x: 100 }, P { x: 2 }] [P { x: 100 }, P { x: 7 }]\n"


# ---- values ---------------------------------------------------------------------------

def test_display_impl_with_width_and_to_string():
    out = run("""
use std::fmt;
struct M(i64);
impl fmt::Display for M {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { write!(f, "m{}", self.0) }
}
fn main() {
    let v = vec![M(1), M(2)];
    println!("[{:>6}] {} {}", M(3), v[1].to_string() + "!", format!("{}", v[0]));
}
""")
    assert out == "[m3] m2! m1\n"


def test_write_to_a_string_and_writeln():
    out = run("""
use std::fmt::Write;
fn main() {
    let mut s = String::new();
    write!(s, "{}-{}", 1, 2).unwrap();
    writeln!(s, "!").unwrap();
    print!("{}", s);
}
""")
    assert out == "1-2!\n"


def test_chars_debug_escapes_and_ordering():
    out = run(r"""
fn main() {
    let cs = vec!['\'', '"', '\\', '\n', '\t', 'é'];
    println!("{:?}", cs);
    println!("{} {} {}", 'a' < 'b', 'Z' < 'a', 'q' == 'q');
}
""")
    assert out == "['\\'', '\"', '\\\\', '\\n', '\\t', 'é']\ntrue true true\n"


def test_ordering_of_options_results_and_enums():
    out = run("""
#[derive(Debug, PartialEq, PartialOrd)]
enum E { A, B(i64), C { x: i64 } }
fn main() {
    let none: Option<i64> = None;
    println!("{} {} {}", none < Some(0), Some(1) < Some(2), E::B(5) < E::C { x: 0 });
    let ok: Result<i64, i64> = Ok(9);
    println!("{} {:?} {:?}", ok < Err(0), E::A.partial_cmp(&E::B(0)), 3.cmp(&3));
}
""")
    assert out == "true true true\ntrue Some(Less) Equal\n"


def test_struct_values_hash_and_compare_by_content():
    from ruchy_opt.runtime import aggregates as G
    from ruchy_opt.runtime.values import Arr
    P = G.struct_class("P", "named", ["x", "v"])
    a, b = P(1, Arr([1, 2])), P(1, Arr([1, 2]))
    assert a == b and hash(a) == hash(b) and a is not b
    assert G.Some(1) != G.NONE and {G.Some((1, 2)): 1}[G.Some((1, 2))] == 1


def test_pretty_debug_and_alternate_hex():
    out = run("""
#[derive(Debug)]
struct P { x: i64, t: (i64,) }
fn main() { println!("{:#?} {:#x} {:#b}", P { x: 1, t: (2,) }, 255, 5); }
""")
    assert out == "P {\n    x: 1,\n    t: (\n        2,\n    ),\n} 0xff 0b101\n"


def test_operator_traits_on_user_types():
    out = run("""
use std::ops::{Add, Mul, Neg, AddAssign};
#[derive(Debug, Clone, Copy, PartialEq)]
struct C { re: f64, im: f64 }
impl Add for C { type Output = C; fn add(self, o: C) -> C { C { re: self.re + o.re, im: self.im + o.im } } }
impl Mul for C { type Output = C; fn mul(self, o: C) -> C { C { re: self.re * o.re - self.im * o.im, im: self.re * o.im + self.im * o.re } } }
impl Neg for C { type Output = C; fn neg(self) -> C { C { re: -self.re, im: -self.im } } }
#[derive(Debug, Clone, Copy)]
struct Cnt(i64);
impl AddAssign for Cnt { fn add_assign(&mut self, o: Cnt) { self.0 += o.0; } }
fn main() {
    let a = C { re: 1.0, im: 2.0 };
    let b = C { re: 0.5, im: -1.0 };
    let mut z = a + b * a;
    z = -z;
    println!("{:?} {:?}", z, a);
    let mut c = Cnt(1);
    c += Cnt(5);
    c += Cnt(2);
    println!("{:?}", c);
}
""")
    assert out == "C { re: -3.5, im: -2.0 } C { re: 1.0, im: 2.0 }\nCnt(8)\n"


def test_derived_default():
    out = run("""
#[derive(Debug, Default, Clone)]
struct Inner { a: i64, b: String, c: Vec<i64>, d: Option<i64> }
#[derive(Debug, Default)]
struct Cfg { name: String, inner: Inner, t: (i64, bool), f: f64 }
fn main() {
    println!("{:?}", Cfg::default());
    let d = Cfg { name: "x".to_string(), f: 2.5, ..Default::default() };
    println!("{:?}", d);
    println!("{:?}", Inner { a: 3, ..Inner::default() });
}
""")
    assert out == ('Cfg { name: "", inner: Inner { a: 0, b: "", c: [], d: None }, t: (0, false), '
                   'f: 0.0 }\nCfg { name: "x", inner: Inner { a: 0, b: "", c: [], d: None }, '
                   't: (0, false), f: 2.5 }\nInner { a: 3, b: "", c: [], d: None }\n')


def test_let_of_a_mut_ref_writes_through():
    out = run("""
#[derive(Debug, Clone)]
struct S { v: Vec<i64>, n: i64 }
fn main() {
    let mut v = vec![1, 2];
    {
        let r = &mut v;
        r.push(3);
        r[0] = 10;
    }
    let mut s = S { v: vec![], n: 0 };
    {
        let sr = &mut s;
        sr.n += 5;
        sr.v.push(7);
    }
    let mut n = 5;
    {
        let m = &mut n;
        *m += 1;
    }
    let mut w = vec![1, 2, 3];
    let mut i = 1;
    {
        let e = &mut w[i];
        i = 2;
        *e += 100;
    }
    let mut t = (1, 2);
    {
        let a = &mut t.1;
        *a = 9;
    }
    println!("{:?} {:?} {} {:?} {} {:?}", v, s, n, w, i, t);
}
""")
    assert out == "[10, 2, 3] S { v: [7], n: 5 } 6 [1, 102, 3] 2 (1, 9)\n"
