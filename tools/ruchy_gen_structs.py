"""Random programs of structs, tuples and enums only (what the SSA IR has of Level 3 so
far), for differential testing of the IR interpreter and the passes against tier 0
(tools/difftest.py --structs; tests/ir/test_ir_structs_generated.py).

Each program declares two structs (one holding the other, a tuple and a Vec), their
methods (``&self``, ``&mut self``, ``self``, associated functions), a function taking
``&mut``, and then runs a random sequence of statements over a struct, a nested struct,
a Vec of structs and a nested tuple: field writes at any depth, compound assignment,
``&mut self`` calls on variables, fields and elements, ``&mut`` arguments, clones,
destructuring, comparisons and prints. An enum of every variant shape (one holding a
struct) with methods that match on ``self``, Option and Result functions with ``?``, and
statements that match with the pattern language (nested variants, ranges, ``@``, ``|``,
guards, tuple scrutinees, chars), ``if let``, ``while let``, ``let ... else`` and
``matches!``; slice patterns (``[f, .., l]``, ``rest @ ..``), ``..`` in tuple patterns,
``*n += d`` through a ``&mut`` parameter, ``ref mut`` bindings and ``iter_mut``.
Closures: capturing by value, changing what they capture (a cell shared with the
function), ``move`` counters, closures and named functions passed to and
returned from functions. Library calls: casts to narrow ints and char, char and numeric
methods, ``cmp`` and a match on ``Ordering``, ``unwrap_or_default``, associated consts,
and a ``mod`` with a const and a function. Traits: a trait with a required and a
default method implemented by both structs (one overriding the default), ``impl
Display`` for one, called on a concrete receiver, through ``&dyn Score``, a
``Vec<Box<dyn Score>>``, a generic function with a bound and ``Score::score(&x)``.
Iterator chains over ranges and arrays (adapters and consumers, a ``println!`` or a
captured counter inside a closure now and then, so that an order other than Rust's lazy
one shows), an iterator held in a variable and pulled later, and a HashMap updated
through ``entry`` and printed sorted, and once in its insertion order (LANGUAGE.md's
order; the one output rustc may print differently). Methods that change their
receiver's place: ``push_str``/``push``/``truncate``/``insert``/``pop`` on a String
(and on an element of a Vec of them), ``retain``/``extend``/``dedup`` on Vecs at any
depth, ``fill``/``reverse``/``sort`` of a slice, ``last_mut``/``first_mut``/``get_mut``
of a Vec of structs (``if let`` and ``.unwrap()``), Option's ``take``/``replace``/
``get_or_insert(_with)``, ``iter_mut().enumerate()`` with a ``break``,
``iter_mut().for_each``, ``values_mut``, ``entry(..).or_default()``/``or_insert`` kept
in a variable, ``f64::max`` as a value and ``scan`` with its ``&mut`` state; ``iter_mut``
with adapters, ``as_mut`` views, ``let r = &mut place`` and ``ref mut`` bindings left
early by ``break``, ``continue``, ``return`` and ``?``. Format specs the compiled code
leaves to the interpreter (``{:e}``, ``{:>w$}``, ``{:.*}``), a BinaryHeap of ints and
of ``Reverse``, a HashMap's ``Entry`` matched and written through (``*o.get_mut() +=``,
a vacant entry's ``insert``, ``and_modify``, ``or_default``), and associated functions
called on a type parameter (``T::kind()``, ``T::make(n)``, ``T::default()``).

    .venv/bin/python tools/ruchy_gen_structs.py 7      # the program of seed 7
"""
from __future__ import annotations

import random
import sys

HEADER = """\
use std::cmp::Ordering;
use std::cmp::Reverse;
use std::collections::hash_map::Entry;
use std::collections::{BinaryHeap, HashMap};

#[derive(Debug, Clone, PartialEq, Default)]
struct A { x: i64, y: i64, v: Vec<i64> }

#[derive(Debug, Clone, PartialEq, Default)]
struct B { a: A, t: (i64, i64), n: i64 }

impl A {
    fn new(x: i64) -> A { A { x, y: x * 2, v: vec![x] } }
    fn bump(&mut self, d: i64) -> i64 { self.x += d; self.v.push(d); self.x }
    fn sum(&self) -> i64 { let mut s = self.x + self.y; for e in &self.v { s += e; } s }
    fn with(self, y: i64) -> A { A { y, ..self } }
}

impl B {
    fn mk(n: i64) -> B { B { a: A::new(n), t: (n, -n), n } }
    fn step(&mut self) { self.a.bump(self.n); self.t.0 += 1; self.n -= 1; }
}

fn touch(b: &mut B, k: i64) { b.a.y += k; b.t = (b.t.1, b.t.0); }

impl B {
    const BASE: i64 = 7;
    const TWICE: i64 = Self::BASE * 2;
}

mod util {
    pub const K: i64 = 3;
    pub fn tri(n: i64) -> i64 { n * (n + 1) / 2 * K }
    pub mod inner { pub fn neg(n: i64) -> i64 { -super::tri(n) } }
}

use util::inner::neg;

fn rank(x: i64, y: i64) -> i64 {
    match x.cmp(&y) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

fn letter(n: i64) -> char { (n.rem_euclid(26) as u8 + 'a' as u8) as char }

#[derive(Debug, Clone, PartialEq)]
enum E { Unit, One(i64), Two(i64, i64), Rec { p: i64, q: A } }

#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
enum Lv { Lo = 1, Mid = 5, Hi = 9 }

impl E {
    fn weight(&self) -> i64 {
        match self {
            E::Unit => 0,
            E::One(n) if *n < 0 => -n,
            E::One(n) => *n,
            E::Two(a, b) => a * 2 + b,
            E::Rec { p, q } => p + q.x,
        }
    }
    fn next(self, k: i64) -> E {
        match self {
            E::Unit => E::One(k),
            E::One(n) => E::Two(n, k),
            E::Two(a, b) => E::Rec { p: a + b, q: A::new(k) },
            E::Rec { p, .. } => if p > 3 { E::Unit } else { E::One(p) },
        }
    }
}

fn pick(n: i64) -> Option<i64> { if n % 3 == 0 { None } else { Some(n * 2) } }

fn chain(n: i64) -> Option<i64> { let a = pick(n)?; let b = pick(a + 1)?; Some(a + b) }

fn check(n: i64) -> Result<i64, String> {
    if n > 20 { Err(format!("big {}", n)) } else { Ok(n - 1) }
}

fn code(e: &E) -> i64 {
    match e {
        E::Two(1..=3, _) | E::One(0) => 100,
        E::Two(x, y) if x == y => 200,
        E::Rec { p: p @ 0..=5, q: A { x, .. } } => p * 10 + x,
        E::Rec { q: A { v, .. }, .. } => v.len() as i64,
        _ => -1,
    }
}

fn apply(f: impl Fn(i64) -> i64, x: i64) -> i64 { f(x) }

fn twice(f: fn(i64) -> i64, x: i64) -> i64 { f(f(x)) }

fn dbl(x: i64) -> i64 { x * 2 }

fn adder(k: i64) -> impl Fn(i64) -> i64 { move |x| x + k }

fn counter(start: i64) -> impl FnMut() -> i64 {
    let mut c = start;
    move || { c += 1; c }
}

trait Score {
    fn score(&self) -> i64;
    fn label(&self) -> String { format!("score {}", self.score()) }
}

impl Score for A {
    fn score(&self) -> i64 { self.x * 3 + self.y - self.v.len() as i64 }
}

impl Score for B {
    fn score(&self) -> i64 { self.a.score() + self.n * 2 + self.t.0 }
    fn label(&self) -> String { format!("B{} has {}", self.n, self.score()) }
}

impl std::fmt::Display for A {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "A<{}, {}; {}>", self.x, self.y, self.v.len())
    }
}

fn show(s: &dyn Score) -> String { format!("[{}]", s.label()) }

fn best<T: Score>(p: &T, q: &T) -> i64 { if p.score() >= q.score() { p.score() } else { q.score() } }

fn ends(v: &[i64]) -> i64 {
    match v { [] => 0, [x] => *x, [f, .., l] => *f * 10 + *l }
}

fn inc(n: &mut i64, d: i64) { *n += d; }

trait Kind {
    fn kind() -> String;
    fn make(n: i64) -> Self;
}

impl Kind for A {
    fn kind() -> String { "a".to_string() }
    fn make(n: i64) -> Self { A::new(n) }
}

impl Kind for B {
    fn kind() -> String { format!("b{}", B::BASE) }
    fn make(n: i64) -> Self { B::mk(n) }
}

fn kind_of<T: Kind>(_x: &T) -> String { T::kind() }

fn kind_n<T: Kind>(n: i64) -> String { format!("{}:{}", T::kind(), n) }

fn made<T: Kind>(n: i64) -> T { println!("made {}", T::kind()); T::make(n) }

fn zero<T: Default>() -> T { T::default() }

fn first_big(bs: &mut Vec<B>, lim: i64) -> Option<usize> {
    for (k, z) in bs.iter_mut().enumerate().rev() {
        z.n += 1;
        if z.n > lim {
            return Some(k);
        }
    }
    None
}

fn grow(o: &mut Option<i64>, s: &str) -> Option<i64> {
    if let Some(v) = o.as_mut() {
        *v += 1;
        let d: i64 = s.parse().ok()?;
        *v += d;
    }
    *o
}

fn main() {"""


def _statement(rng: random.Random) -> str:
    i, n = rng.randint(0, 1), rng.randint(-5, 9)
    return rng.choice([
        f"a.x += {n};", f"a.bump({n});", "b.step();", f"b.a.v.push({n});",
        f"bs[{i}].step();", f"bs[{i}].a.x = {n};", f"bs[{i}].a.bump({n});",
        f"touch(&mut b, {n});", f"touch(&mut bs[{i}], {n});",
        f'let c = b.clone(); b.n += {n}; println!("{{:?}} {{:?}}", c.n, b.n);',
        f"a = a.clone().with({n});", f"t.1.0 += {n};", f"t = (t.1.1, (t.0, {n}));",
        'let (p, (q, w)) = t; println!("{} {} {}", p, q, w);',
        'println!("{:?}", a);', 'println!("{:?}", b);', 'println!("{:?}", bs);',
        'println!("{}", a.sum() + b.a.sum());', "b.a = a.clone();",
        f"bs[{i}] = b.clone();", 'println!("{}", a == b.a);',
        f"for k in 0..3 {{ if k == {i} {{ a.y += k; }} else {{ b.t.1 -= k; }} }}",
        f'let mut m = A::new({n}); m.v[0] = {n}; m.bump(1); println!("{{:?}}", m);',
        f"let mut s = b.t; s.0 *= {n}; b.t.1 = s.0 - s.1;",
    ] + [
        f"e = e.clone().next({n});", "es.push(e.clone());",
        'println!("{:?} {} {}", e, e.weight(), code(&e));',
        "let mut w = 0; for x in es.iter() { w += code(x) + x.weight(); } "
        'println!("w {}", w);',
        'if let E::Two(p, q) = &e { println!("two {} {}", p, q); } else { a.x -= 1; }',
        f'println!("{{:?}} {{:?}}", pick({n}), chain({n}));',
        f'match check(a.x + {n}) {{ Ok(v) => a.y += v, Err(m) => println!("{{}}", m) }}',
        f"let o = if a.x > {n} {{ Some(a.x) }} else {{ None }}; "
        'println!("{} {}", o.unwrap_or(-1), o.is_some());',
        f"let mut st = vec![1, {n}, 3]; while let Some(top) = st.pop() {{ a.y += top; }}",
        'println!("{}", matches!(e, E::One(_) | E::Unit));',
        f"for k in 0..3 {{ let Some(v) = pick(k + {n}) else {{ continue; }}; a.x += v; }}",
        f"let ch = if {n} > 0 {{ 'p' }} else {{ 'n' }}; match ch {{ 'a'..='o' => "
        "println!(\"low\"), 'p' => println!(\"p\"), _ => println!(\"other\") }",
        f"match (pick({n}), {i}) {{ (Some(v), 0) => a.x += v, (None, _) => a.y -= 1, "
        "(Some(_), k) => b.n += k }",
        f'match {n} {{ i64::MIN..=-1 => a.y -= 1, 0 | 1 => a.y += 1, '
        f'x @ 2..=5 if x % 2 == 0 => a.x += x, _ => b.n -= 1 }}',
        'println!("{} {:?} {}", Lv::Mid as i64, Lv::Hi, Lv::Lo < Lv::Hi);',
        f"if let (Some(u), Ok(z)) = (pick({n}), check({n})) "
        '{ println!("uz {} {}", u, z); }',
    ] + [  # slice patterns, '..' in tuple patterns, '*' through '&mut' and `ref mut`
        'println!("{} {}", ends(&a.v), ends(&b.a.v[1..]));',
        'if let [f, rest @ ..] = &b.a.v[..] { println!("{} {:?}", f, rest); }',
        f'let [p, .., q] = [{n}, {i}, a.x]; println!("{{}} {{}}", p, q);',
        f"match t {{ (0, ..) => a.x += 1, (.., (_, {n})) => a.y -= 1, (x, ..) => b.n += x }}",
        'let (f0, ..) = t; let (.., (g1, _)) = t; println!("{} {}", f0, g1);',
        f"inc(&mut a.x, {n});", f"inc(&mut t.0, {n});", f"inc(&mut bs[{i}].n, {n});",
        f"if let (ref mut p, _) = t {{ *p += {n}; }}",
        f"{{ let (ref mut p, ref mut q) = t; *p += {n}; q.0 -= {i}; }}",
        f"match &mut t {{ (p, (_, w)) => {{ inc(p, {n}); inc(w, {i}); }} }}",
        f"{{ let mut oo = (pick({n}), {i}); {{ let (ref mut r, _) = oo; *r = None; }} "
        'println!("{:?}", oo); }',
        f"for x in a.v.iter_mut() {{ *x += {n}; }}",
        f"for z in &mut bs {{ z.n -= {i}; }}",
        f'match &bs[{i}].a.v[..] {{ [h, ..] => a.y += *h, [] => println!("none") }}',
    ] + [  # library calls: casts, char and numeric methods, cmp, consts of impls and mods
        f'println!("{{}} {{}} {{}}", (a.x * 37 + {n}) as u8, (a.y * 1000) as i16, '
        f'(b.n * 70000 - {n}) as u16);',
        f'println!("{{}} {{}}", (a.x - {n}) as i8, (b.n * 3000000000) as i32);',
        f'{{ let c = letter(a.x + {n}); println!("{{}} {{}} {{}} {{:?}} {{}}", c, '
        "c.is_alphabetic(), c.to_ascii_uppercase(), c.to_digit(16), c as u32); }",
        f"{{ let d = ('0' as i64 + ({n} as i64).rem_euclid(10)) as u8 as char; "
        'println!("{} {} {:?}", d.is_numeric(), d.is_alphanumeric(), d.to_digit(10)); }',
        f'println!("{{}} {{}} {{}} {{}}", a.x.signum(), (a.y - {n}).rem_euclid(4), '
        "b.n.abs(), (a.x - b.n).pow(2));",
        f"{{ let fl = a.x as f64 * 0.7 - {n} as f64; "
        'println!("{:?} {:?} {:?} {:?} {:?}", fl.floor(), fl.round(), fl.signum(), '
        "fl.trunc(), (fl * fl + 1.0).sqrt()); }",
        f'println!("{{:?}} {{}} {{:?}} {{:?}}", a.x.cmp(&b.n), rank(a.y, {n}), '
        f"(a.x, 1).cmp(&(b.n, 2)), letter({n}).cmp(&'m'));",
        f'if a.y.cmp(&{n}) == Ordering::Greater {{ a.y -= 1; }} else {{ b.n += 1; }}',
        f'println!("{{}} {{}} {{}}", B::BASE + a.x, B::TWICE - {n}, util::K);',
        f'println!("{{}} {{}}", util::tri(b.n.rem_euclid(9)), neg({i} + 2));',
        f'{{ let od: Option<i64> = pick(a.x + {n}); let os: Option<String> = None; '
        'println!("{} [{}]", od.unwrap_or_default(), os.unwrap_or_default()); }',
    ] + [  # closures: by value, in cells (FnMut, shared), move copies, function values
        f'{{ let k = {n}; let f = |x: i64| x * k + a.x; println!("{{}}", f({i} + 3)); }}',
        f'println!("{{}} {{}}", apply(|x| x - {n}, a.y), twice(dbl, {n}));',
        f'{{ let add = adder({n}); println!("{{}} {{}}", add(a.x), adder({i})(2)); }}',
        f'{{ let mut c = counter({n}); println!("{{}} {{}} {{}}", c(), c(), c()); }}',
        f"{{ let mut tot = {i}; let mut addto = |x: i64| tot += x; addto({n}); addto(a.x); "
        'println!("tot {}", tot); }',
        f"{{ let mut v = vec![{n}]; let mut p = |x: i64| v.push(x + b.n); p(1); p({i}); "
        'println!("{:?}", v); }',
        f"{{ let s = a.x; let g = move || s * 2; a.x += {n}; "
        'println!("{} {}", g(), a.x); }',
        '{ let f = |p: &A| p.x + p.y; println!("{}", f(&a)); }',
        '{ let h = |x: &E| x.weight() * 2 + code(x); println!("{}", h(&e)); }',
        f"{{ let mut m = {n}; {{ let mut bump = || m += 2; bump(); bump(); }} "
        'println!("m {}", m); }',
        f"{{ let g = dbl; let comp = |x: i64| g(x) + apply(g, {n}); "
        'println!("{}", comp(b.n)); }',
    ] + [  # traits: concrete receivers, &dyn, boxed trait objects, bounds, Display
        'println!("{} {} {}", a.score(), a.label(), b.label());',
        f'println!("{{}} {{}}", show(&a), show(&bs[{i}]));',
        "{ let ds: Vec<Box<dyn Score>> = vec![Box::new(a.clone()), Box::new(b.clone()), "
        f"Box::new(A::new({n}))]; let mut s = 0; "
        'for d in &ds { s += d.score(); println!("{}", d.label()); } println!("{}", s); }',
        f'println!("{{}} {{}}", best(&a, &b.a), best(&bs[{i}], &b));',
        'println!("{} / {} / {:?}", a, b.a, a);',
        f'{{ let s = A::new({n}).to_string(); println!("{{}} {{}}", s, s.len()); }}',
        'println!("{}", Score::score(&b) + Score::score(&a));',
        f"a.x += B::mk({n}).score() % 7;",
    ] + _iterator_statements(rng, i, n) + _mutator_statements(rng, i, n)
      + _more_statements(rng, i, n) + _reference_statements(rng, i, n))


def _reference_statements(rng: random.Random, i: int, n: int) -> list[str]:
    """References the program keeps: ``iter_mut`` followed by adapters (``rev``,
    ``skip``, ``take``, ``step_by``, ``enumerate``, ``zip``) with patterns taking the
    elements apart, ``as_mut`` views matched, ``let r = &mut place`` (and a reference
    made from one), and the scopes of ``ref mut`` bindings left early (``break``,
    labelled ``continue``, ``return``, ``?``)."""
    j = rng.randint(0, 3)
    return [
        f"for z in bs.iter_mut().rev() {{ z.n += {n}; if z.n > {i + 3} {{ break; }} }}",
        f"for (k, x) in a.v.iter_mut().skip({j}).enumerate() {{ *x += k as i64 * {n}; }}",
        f"for (x, z) in a.v.iter_mut().zip(bs.iter_mut().rev()) {{ *x += z.n; z.n -= {i}; }}",
        f"for x in b.a.v.iter_mut().rev().step_by(2).take({j + 1}) {{ *x *= {n}; }}",
        f"bs.iter_mut().rev().skip({i}).for_each(|z| z.t.0 += {n});",
        f"for (k, z) in bs.iter_mut().enumerate() {{ let (p, q) = &mut z.t; *p += k as i64; "
        f"if *q > {n} {{ continue; }} *q = {n}; }}",
        f"{{ let mut ps = vec![(1, 'a'), ({n}, 'b')]; for (p, c) in ps.iter_mut().rev() {{ "
        f"*p *= {i + 2}; if *p > 4 {{ *c = 'z'; }} }} println!(\"{{:?}}\", ps); }}",
        f"{{ let mut o = pick(a.x + {n}); if let Some(v) = o.as_mut() {{ *v += {i}; }} "
        'println!("{:?}", o); }',
        f"{{ let mut oa = Some(a.clone()); if let Some(q) = oa.as_mut() {{ q.bump({n}); }} "
        "a = oa.unwrap(); }",
        f"{{ let r = &mut b.a; r.x += {n}; r.bump({i}); }}",
        f"{{ let r = &mut bs[{i}]; r.step(); inc(&mut r.n, {n}); }}",
        f"{{ let r = &mut t.1; r.0 += {n}; let d = &mut r.1; *d -= {i}; }}",
        f"for k in 0..3 {{ if let (p, (_, w)) = &mut t {{ *p += k; if k == {i} {{ break; }} "
        "*w += 1; } }",
        f"'o: for k in 0..2 {{ match &mut bs[k] {{ z => {{ z.n += {n}; if z.n > 3 "
        "{ continue 'o; } z.t.0 += 1; } } }",
        f"{{ let mut o = pick({n}); let mut c = 0; while let Some(x) = &mut o {{ *x += 1; "
        'c += 1; if c > 2 { break; } } println!("{:?}", o); }',
        f'println!("{{:?}} {{:?}}", first_big(&mut bs, {n}), bs);',
        f'{{ let mut o = pick(a.x + {n}); println!("{{:?}} {{:?}} {{:?}}", '
        f'grow(&mut o, "{i}"), grow(&mut o, "x"), o); }}',
    ]


def _more_statements(rng: random.Random, i: int, n: int) -> list[str]:
    """Format specs (``{:e}``, widths and precisions from arguments), BinaryHeap and
    Reverse, a map's Entry matched and written through, ``T::f()`` on a type
    parameter and the derived Default."""
    j = rng.randint(0, 6)
    return [
        f'println!("[{{:e}}] [{{:e}}] [{{:.2e}}] [{{:E}}]", a.x as f64 * 1.5, b.n * 1000, '
        f"a.y as f64 / 7.0, {n} as f64 + 0.25);",
        f"{{ let w: usize = {j} + 1; println!(\"[{{:>w$}}] [{{:^1$}}] [{{:.*}}]\", a.x, w + 2, "
        "2, b.n as f64 / 3.0); }",
        f"{{ let mut h = BinaryHeap::new(); for x in a.v.iter() {{ h.push(*x); }} h.push({n}); "
        'println!("{:?} {} {:?}", h.peek(), h.len(), h.clone().into_sorted_vec()); '
        "while let Some(x) = h.pop() { a.y += x; } }",
        f"{{ let mut r = BinaryHeap::new(); for s in bs.iter() {{ r.push(Reverse(s.n)); }} "
        f'r.push(Reverse({n})); if let Some(Reverse(m)) = r.pop() {{ println!("min {{}}", m); }} '
        'println!("{:?}", r.into_vec()); }',
        f'match hm.entry(format!("k{{}}", {i})) {{ Entry::Occupied(mut o) => {{ '
        f'*o.get_mut() += {n}; println!("occ {{}} {{}}", o.key(), o.get()); }} '
        "Entry::Vacant(v) => { let r = v.insert(a.x); *r += 1; } }",
        f'hm.entry(format!("k{{}}", {n})).and_modify(|x| *x *= 2).or_insert({i});',
        f'*hm.entry(format!("k{{}}", {n})).or_default() += 3;',
        f'println!("{{}} {{}} {{}}", kind_of(&a), kind_of(&bs[{i}]), kind_n::<B>({n}));',
        f'{{ let k: A = made({n}); let q = made::<B>({i}); println!("{{:?}} {{}}", k, q.n); }}',
        '{ let z: B = zero(); let s = zero::<String>(); println!("{:?} [{}]", z, s); }',
    ]


def _iterator_statements(rng: random.Random, i: int, n: int) -> list[str]:
    """Iterator chains (lowered to loops, or through the runtime) and a HashMap."""
    k, j = rng.randint(0, 12), rng.randint(0, 4)
    return [
        f"{{ let s: i64 = (0..{k}).filter(|x| x % 3 != {i}).map(|x| x * a.x).sum(); "
        'println!("s {}", s); }',
        f"{{ let v: Vec<i64> = (1..{k}).map(|x| {{ println!(\"m {{}}\", x); x * 2 }})"
        f'.filter(|x| x % 3 != 0).take({j}).collect(); println!("{{:?}}", v); }}',
        f'{{ let c = b.a.v.iter().filter(|x| **x > {n}).count(); println!("c {{}}", c); }}',
        '{ let f = bs.iter().fold(0, |acc, x| acc * 2 + x.n); println!("f {}", f); }',
        f'println!("{{}} {{}}", a.v.iter().any(|x| *x == {n}), a.v.iter().all(|x| *x > {n}));',
        f'println!("{{:?}} {{:?}}", a.v.iter().position(|x| *x == {n}), '
        f"a.v.iter().find(|x| **x < {n}));",
        f"for (k, x) in a.v.iter().map(|x| x + {n}).enumerate().skip(1) {{ "
        "b.n += k as i64 * x; }",
        "{ let z: Vec<(i64, i64)> = (0..3).zip(a.v.iter().map(|x| x * 2)).collect(); "
        'println!("{:?}", z); }',
        f'{{ let r: Vec<i64> = (0..{k}).rev().step_by({j + 1}).collect(); '
        'println!("{:?}", r); }',
        f"{{ let mut it = a.v.iter().map(|x| {{ println!(\"pull {{}}\", x); x + {n} }}); "
        'println!("{:?}", it.nth(0)); let rest: i64 = it.sum(); println!("rest {}", rest); }',
        "{ let w: Vec<i64> = es.iter().map(|e| e.weight()).take_while(|w| *w < 50)"
        '.collect(); println!("{:?}", w); }',
        '{ let mx = bs.iter().map(|x| x.a.x).max(); println!("{:?}", mx); }',
        f"{{ let mut cnt = 0; let v: Vec<i64> = (0..{k}).inspect(|_| cnt += 1)"
        f".filter(|x| x % 2 == {i}).step_by({j + 1}).collect(); "
        'println!("{:?} {}", v, cnt); }',
        f'{{ let t: i64 = a.v.iter().skip_while(|x| **x < {n}).sum(); println!("t {{}}", t); }}',
        f"for x in (0..{k}).filter(|x| x % 2 == 1).map(|x| x * x) {{ if x > {n * 4} "
        "{ break; } a.y += x; }",
        f'hm.insert(format!("k{{}}", {n}), a.x);',
        f'*hm.entry(format!("k{{}}", {i})).or_insert(0) += {n};',
        "{ let mut ks: Vec<(String, i64)> = hm.iter().map(|(k, v)| (k.clone(), *v))"
        '.collect(); ks.sort(); println!("{:?} {}", ks, hm.len()); }',
        f'println!("{{:?}} {{}}", hm.get(&format!("k{{}}", {n})), hm.contains_key("k0"));',
        'for (k, v) in hm.iter() { print!("{}={} ", k, v); } println!();',
    ]


def _mutator_statements(rng: random.Random, i: int, n: int) -> list[str]:
    """Methods that change their receiver's place: string and Option mutators, Vec
    methods with closures, slices changed in place, references into elements and map
    values, ``iter_mut`` loops and closures the runtime passes a reference to."""
    j = rng.randint(0, 4)
    return [
        f's.push_str(&format!("{{}}", {n}));', "s.push('x');", f"s.truncate({j});",
        "s.insert(0, 'y');", 'let p = s.pop(); println!("{:?} {}", p, s);',
        f'names[{i}].push_str("z"); names[{1 - i}].clear();',
        f"a.v.retain(|x| *x != {n});", f"b.a.v.extend(vec![{n}, {i}]);",
        f"bs[{i}].a.v.retain(|x| x % 2 == 0);", f"a.v.extend_from_slice(&[{n}, {n}]);",
        "a.v.dedup();",
        f"{{ let k = a.v.len().min(2); a.v[..k].fill({n}); let h = k.min(b.a.v.len()); "
        "b.a.v[..h].reverse(); }",
        f"{{ let k = a.v.len(); a.v[k / 2..].sort(); }}",
        f"if let Some(z) = bs.last_mut() {{ z.n += {n}; }}",
        f"bs.first_mut().unwrap().a.x -= {n};",
        f"if let Some(z) = bs.get_mut({i}) {{ z.step(); }}",
        f"{{ let mut o = pick(a.x + {n}); let old = o.take(); let r = *o.get_or_insert({i}); "
        f'let q = o.replace({n}); println!("{{:?}} {{:?}} {{}} {{:?}}", old, o, r, q); }}',
        "{ let mut on: Option<String> = None; "
        'let w = on.get_or_insert_with(|| format!("w{}", a.x)).clone(); '
        'println!("{} {:?}", w, on); }',
        f"for (k, x) in a.v.iter_mut().enumerate() {{ *x += k as i64; if k == {i} "
        "{ break; } }",
        f"a.v.iter_mut().for_each(|x| *x -= {i});",
        f"for v in hm.values_mut() {{ *v += {n}; }}",
        f'*hm.entry(format!("k{{}}", {i})).or_default() += {n};',
        'if let Some(v) = hm.get_mut("k0") { *v *= 2; }',
        f'{{ let r = hm.entry("k1".to_string()).or_insert(5); *r += {n}; }}',
        "{ let m = a.v.iter().map(|x| *x as f64).fold(f64::MIN, f64::max); "
        'println!("{:?}", m); }',
        "{ let sc: Vec<i64> = a.v.iter().scan(0, |acc, x| { *acc += x; Some(*acc) })"
        '.collect(); println!("{:?}", sc); }',
    ]


def generate_program(rng: random.Random) -> str:
    """One program (valid Rust too); its size is drawn from ``rng``."""
    lines = [HEADER, f"    let mut a = A::new({rng.randint(-3, 5)});",
             f"    let mut b = B::mk({rng.randint(-3, 5)});",
             "    let mut bs = vec![B::mk(1), B::mk(2)];", "    let mut t = (1, (2, 3));",
             "    let mut e = E::Unit;", "    let mut es: Vec<E> = vec![];",
             "    let mut hm: HashMap<String, i64> = HashMap::new();",
             "    let mut s = String::new();",
             '    let mut names = vec![String::from("p"), String::from("q")];']
    lines += ["    " + _statement(rng) for _ in range(rng.randint(5, 25))]
    lines += ['    println!("{:?} {:?} {:?} {:?}", a, b, bs, t);',
              '    println!("{:?} {:?} {}", e, es, hm.len());',
              '    println!("{} {:?}", s, names);', "}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(generate_program(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)),
          end="")
