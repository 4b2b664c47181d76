"""Random programs of the Level 3 values compiled code has (typerules/values.py): structs,
tuples and enums whose fields are ints, floats and bools, nested, Option and Result of
them, for differential testing of the compiled tiers against tier 0
(tools/difftest.py --values).

Each program declares a struct of scalars, one holding it, a tuple struct and an enum
of every variant shape, then functions that take, build, update and return them by
value, match on them (variants, Option, Result, tuples), compare them with ``==``,
unwrap Options and Results, and print them with ``{:?}`` and ``{:#?}``; ``main`` calls
them in loops (so that the tiered runtime compiles them) and prints what they return.
They also keep them in arrays (``Vec<P>``, ``Vec<(i64, f64)>``, ``Vec<S>``, ``[P; 3]``:
codegen/ops_records.py): built with ``vec!``/``push``/``[p; n]``, fields read and written
through an index, elements replaced, removed, inserted and swapped, iterated with
``for p in &v``, ``.iter()``, ``.iter_mut()`` and indices, cloned and changed (value
semantics), passed by ``&``, ``&mut`` and by value, returned, compared and printed.
Every program is valid Rust too (integer arithmetic stays small: no overflow; an index
is taken modulo a length that never drops below 3).

    .venv/bin/python tools/ruchy_gen_values.py 7      # the program of seed 7
"""
from __future__ import annotations

import random
import sys

HEADER = """\
#[derive(Debug, Clone, Copy, PartialEq)]
struct P { x: i64, y: i64, on: bool }

#[derive(Debug, Clone, Copy, PartialEq)]
struct Q { p: P, w: f64, t: (i64, bool) }

#[derive(Debug, Clone, Copy, PartialEq)]
struct M(i64, f64);

#[derive(Debug, Clone, Copy, PartialEq)]
enum S { Dot, Num(i64), Pair(i64, f64), Pt { p: P, k: i64 } }

fn mk(i: i64) -> P { P { x: i % 7, y: i / 3, on: i % 2 == 0 } }

fn wrap(p: P, w: f64) -> Q { Q { p, w, t: (p.x + p.y, p.on) } }

fn shape(i: i64) -> S {
    match i % 4 {
        0 => S::Dot,
        1 => S::Num(i),
        2 => S::Pair(i, i as f64 * 0.5),
        _ => S::Pt { p: mk(i), k: i % 5 },
    }
}

fn weight(s: S) -> i64 {
    match s {
        S::Dot => 0,
        S::Num(n) => n,
        S::Pair(a, b) => a + b as i64,
        S::Pt { p, k } => p.x * k + p.y,
    }
}

fn half(n: i64) -> Option<i64> { if n % 2 == 0 { Some(n / 2) } else { None } }

fn ratio(a: i64, b: i64) -> Result<M, (i64, bool)> {
    if b == 0 { Err((a, a > 0)) } else { Ok(M(a / b, a as f64 / b as f64)) }
}

fn fill(n: i64) -> Vec<P> {
    let mut v = Vec::new();
    for i in 0..n { v.push(mk(i)); }
    v
}

fn bump_all(v: &mut Vec<P>, d: i64) {
    for i in 0..v.len() { v[i].x = v[i].x + d; v[i].on = !v[i].on; }
}

fn sum_xy(v: &Vec<P>) -> i64 {
    let mut s = 0;
    for p in v { s = s + p.x + p.y; }
    s
}

fn count_on(v: &[P]) -> i64 {
    let mut c = 0;
    for p in v.iter() { if p.on { c = c + 1; } }
    c
}

fn weights(ss: &Vec<S>) -> i64 {
    let mut w = 0;
    for s in ss { w = w + weight(*s); }
    w
}

fn first_of(v: Vec<P>) -> P { v[0] }

fn shifted(mut ts: Vec<(i64, f64)>, d: i64) -> Vec<(i64, f64)> {
    for k in 0..ts.len() { ts[k].0 = ts[k].0 + d; ts[k].1 = ts[k].1 * 0.5; }
    ts
}
"""

#: expressions of type i64 over the locals i (the loop index), p (P), q (Q), s (S), t
#: ((i64, i64)), o (Option<i64>)
_INT = [
    "p.x", "p.y", "q.p.x", "q.t.0", "t.0 - t.1", "weight(s)", "weight(shape(i + 1))",
    "mk(i).x * 2", "o.unwrap_or(-1)", "if o.is_some() { 1 } else { 0 }",
    "match o { Some(v) => v, None => 3 }", "match half(i) { Some(h) if h > 2 => h, _ => 0 }",
    "match ratio(i, i % 3) { Ok(m) => m.0, Err((a, b)) => if b { a } else { -a } }",
    "if p == mk(i) { 5 } else { 6 }", "if s == S::Dot { 7 } else { 8 }",
    "if q.t == (p.x + p.y, p.on) { 9 } else { 10 }", "match (p.on, i % 3) { (true, 0) => 1, "
    "(false, _) => 2, _ => 3 }",
    "{ let (a, b) = t; a * b }", "wrap(p, 1.5).t.0",
    # arrays of them (v: Vec<P>, ts: Vec<(i64, f64)>, ss: Vec<S>, g: [P; 3]), never
    # shorter than 3
    "v[0].x", "v[v.len() - 1].y", "v.len() as i64", "sum_xy(&v) % 100", "count_on(&v)",
    "weights(&ss) % 50", "ts[1].0", "g[2].x + g[0].y", "first_of(v.clone()).y",
    "if v.contains(&mk(i)) { 2 } else { 3 }", "if v[1] == g[1] { 4 } else { 5 }",
    "if ss[0] == S::Dot { 6 } else { weight(ss[1]) }",
]

_STMT = [
    "p.x = p.x + {n};", "p.on = !p.on;", "q.p = mk(i + {n});", "q.w = q.w + 0.25;",
    "t = (t.1, t.0 + {n});", "s = shape(i + {n});", "o = half(i + {n});",
    "acc = acc + {e};", "acc = acc + {e} - {e};", "q = wrap(p, {n} as f64 + 0.5);",
    "if p.on { acc = acc + {e}; } else { p = mk(acc % 11); }",
    "t.0 = t.0 + 1;", "q.t.1 = p.on;",
    "v.push(mk(i + {n}));", "v[(i as usize) % v.len()].x = {e};",
    "let k = (i as usize) % v.len(); v[k].on = !v[k].on;",
    "let k = (i as usize) % v.len(); v[k].y = v[k].y + {n};",
    "let k = (i as usize + 1) % v.len(); v[k] = p;", "bump_all(&mut v, {n});",
    "if v.len() > 3 { let r = v.remove(1); acc = acc + r.x; }",
    "v.insert(1, mk(acc % 9));", "v.swap(0, 2);",
    "let mut w = v.clone(); w[0].x = 100; acc = acc + w[0].x - v[0].x;",
    "for e in v.iter_mut() { e.y = e.y + 1; }", "for e in &v { if e.on { acc = acc + 1; } }",
    "for k in 0..v.len() { if v[k].x > 4 { v[k].x = v[k].x - 2; } }",
    "ts.push((i, i as f64 * 0.5));", "let k = (i as usize) % ts.len(); ts[k].1 = ts[k].1 + 1.0;",
    "ts = shifted(ts.clone(), {n});", "ss.push(shape(i + {n}));",
    "let k = (i as usize) % ss.len(); ss[k] = shape(acc);",
    "g[(i as usize) % 3].x = p.x;", "let h = g; g[0].on = !g[0].on; acc = acc + h[0].x;",
    "if ss.len() > 20 { ss = vec![S::Dot, S::Num(i), s]; }",
    "if v.len() > 20 { v = fill(4); }",
]

_PRINTS = [
    'println!("{:?} {:?}", p, t);', 'println!("{:?}", q);', 'println!("{:?}", s);',
    'println!("{:?} {:?}", o, half(acc));', 'println!("{:#?}", s);',
    'println!("{:?}", ratio(acc, {n}));', 'println!("{:#?}", (p, o));',
    'println!("{:?} {}", M(acc, 0.5), p == q.p);',
    'println!("{:?}", v);', 'println!("{:?} {:?}", ts, ss);', 'println!("{:#?}", g);',
    'println!("{:?} {}", v[0], v == fill(v.len() as i64));',
]


def _fill(rng: random.Random, template: str) -> str:
    """A template with each ``{e}`` an int expression and each ``{n}`` a small int."""
    while "{e}" in template or "{n}" in template:
        e, n = template.find("{e}"), template.find("{n}")
        if n < 0 or 0 <= e < n:
            template = template.replace("{e}", rng.choice(_INT), 1)
        else:
            k = rng.randint(-3, 6)
            template = template.replace("{n}", str(k) if k >= 0 else f"({k})", 1)
    return template


def _function(rng: random.Random, k: int) -> str:
    body = [_fill(rng, rng.choice(_STMT)) for _ in range(rng.randint(2, 6))]
    prints = [_fill(rng, rng.choice(_PRINTS)) for _ in range(rng.randint(0, 2))]
    lines = [f"fn run{k}(n: i64) -> i64 {{",
             "    let mut acc = 0;",
             "    let mut p = mk(n);",
             "    let mut q = wrap(p, 0.5);",
             "    let mut s = shape(n);",
             "    let mut t = (n, 1);",
             "    let mut o = half(n);",
             "    let mut v = fill(3 + n % 3);",
             "    let mut ts: Vec<(i64, f64)> = vec![(n, 0.5); 3];",
             "    let mut ss = vec![shape(n), S::Dot, S::Num(n)];",
             "    let mut g = [mk(n); 3];",
             f"    for i in 0..{rng.randint(3, 40)} {{"]
    lines += ["        " + b for b in body]
    lines += ["        acc = acc % 1000;", "    }"]
    lines += ["    if n == 1 {"] + ["        " + p for p in prints] + ["    }"]
    lines += ["    acc + p.x + t.0 % 10 + weight(s) + v.len() as i64 + ts.len() as i64 % 7 "
              "+ g[1].x", "}"]
    return "\n".join(lines)


def generate_program(rng: random.Random) -> str:
    """One program (valid Rust too)."""
    n = rng.randint(1, 3)
    parts = [HEADER] + [_function(rng, k) for k in range(n)]
    main = ["fn main() {", "    let mut total = 0;"]
    for k in range(n):
        main += [f"    for n in 0..{rng.randint(2, 30)} {{ total = (total + run{k}(n)) % 100000; }}",
                 f'    println!("run{k} {{}}", total);']
    main += ['    println!("{:?} {:?}", shape(3), wrap(mk(5), 2.0));', "}", ""]
    return "\n".join(parts + main)


if __name__ == "__main__":
    print(generate_program(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)),
          end="")
