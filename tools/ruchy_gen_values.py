"""Random programs of the Level 3 values compiled code has (typerules/values.py): structs,
tuples and enums whose fields are ints, floats and bools, nested, Option and Result of
them, for differential testing of the compiled tiers against tier 0
(tools/difftest.py --values).

Each program declares a struct of scalars, one holding it, a tuple struct and an enum
of every variant shape, then functions that take, build, update and return them by
value, match on them (variants, Option, Result, tuples), compare them with ``==``,
unwrap Options and Results, and print them with ``{:?}`` and ``{:#?}``; ``main`` calls
them in loops (so that the tiered runtime compiles them) and prints what they return.
Every program is valid Rust too (integer arithmetic stays small: no overflow).

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
]

_STMT = [
    "p.x = p.x + {n};", "p.on = !p.on;", "q.p = mk(i + {n});", "q.w = q.w + 0.25;",
    "t = (t.1, t.0 + {n});", "s = shape(i + {n});", "o = half(i + {n});",
    "acc = acc + {e};", "acc = acc + {e} - {e};", "q = wrap(p, {n} as f64 + 0.5);",
    "if p.on { acc = acc + {e}; } else { p = mk(acc % 11); }",
    "t.0 = t.0 + 1;", "q.t.1 = p.on;",
]

_PRINTS = [
    'println!("{:?} {:?}", p, t);', 'println!("{:?}", q);', 'println!("{:?}", s);',
    'println!("{:?} {:?}", o, half(acc));', 'println!("{:#?}", s);',
    'println!("{:?}", ratio(acc, {n}));', 'println!("{:#?}", (p, o));',
    'println!("{:?} {}", M(acc, 0.5), p == q.p);',
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
             f"    for i in 0..{rng.randint(3, 40)} {{"]
    lines += ["        " + b for b in body]
    lines += ["        acc = acc % 1000;", "    }"]
    lines += ["    if n == 1 {"] + ["        " + p for p in prints] + ["    }"]
    lines += ["    acc + p.x + t.0 % 10 + weight(s)", "}"]
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
