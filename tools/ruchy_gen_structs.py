"""Random programs of structs and tuples only (what the SSA IR has of Level 3 so far),
for differential testing of the IR interpreter and the passes against tier 0
(tools/difftest.py --structs; tests/ir/test_ir_structs_generated.py).

Each program declares two structs (one holding the other, a tuple and a Vec), their
methods (``&self``, ``&mut self``, ``self``, associated functions), a function taking
``&mut``, and then runs a random sequence of statements over a struct, a nested struct,
a Vec of structs and a nested tuple: field writes at any depth, compound assignment,
``&mut self`` calls on variables, fields and elements, ``&mut`` arguments, clones,
destructuring, comparisons and prints. ruchy_gen.py --level3 also writes enums and
Options, which the IR does not have yet; these programs stay inside it.

    .venv/bin/python tools/ruchy_gen_structs.py 7      # the program of seed 7
"""
from __future__ import annotations

import random
import sys

HEADER = """\
#[derive(Debug, Clone, PartialEq)]
struct A { x: i64, y: i64, v: Vec<i64> }

#[derive(Debug, Clone, PartialEq)]
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
    ])


def generate_program(rng: random.Random) -> str:
    """One program (valid Rust too); its size is drawn from ``rng``."""
    lines = [HEADER, f"    let mut a = A::new({rng.randint(-3, 5)});",
             f"    let mut b = B::mk({rng.randint(-3, 5)});",
             "    let mut bs = vec![B::mk(1), B::mk(2)];", "    let mut t = (1, (2, 3));"]
    lines += ["    " + _statement(rng) for _ in range(rng.randint(5, 25))]
    lines += ['    println!("{:?} {:?} {:?} {:?}", a, b, bs, t);', "}", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    print(generate_program(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)),
          end="")
