"""Closures, iterator chains and maps for tools/ruchy_gen.py (``--closures``).

What it generates:

- closures ``|x| e``, typed ``|x: i64| -> i64 { .. }`` with block bodies, closures that
  capture a ``let mut`` counter and change it (the counter is printed afterwards), closures
  passed to functions taking ``impl Fn(i64) -> i64`` and ``&dyn Fn(i64) -> i64``, closures
  returned from a function (``move |x| x + k``), named functions used as values;
- iterator chains over ranges and Vecs (map, filter, enumerate, zip, take, skip, rev,
  chain ending in sum, count, fold, collect, any, all, min, max, position), some with a
  ``println!`` or a captured counter inside ``map`` so that laziness is visible in the
  output (what is printed depends on which items are pulled);
- HashMap, BTreeMap and HashSet with insert, get, ``entry().or_insert()``, contains_key,
  contains and remove. A BTreeMap prints in key order; a HashMap or HashSet prints through
  its keys collected into a Vec and sorted, because Rust leaves their order unspecified
  (LANGUAGE.md makes it insertion order, but the programs are meant to be valid Rust).

Well-defined output: the numbers these statements compute come from literals in -9..9 and
from the ints declared here (``self.fn_small``), never from the rest of the program, whose
ints may be huge; ranges have at most 8 items and at most two maps multiply, so nothing
overflows. Closures, Vecs and maps are local to the statement that makes them (never
declared to the rest of the generator, which would print them or pass them around); only
int results are declared, so that later expressions read them.

Every line ends in ``;`` and ``generate_fn_program`` wraps the statements in ``fn main``
after ``use std::collections::..``: such a program is valid Rust, and rustc's output is an
independent oracle for tier 0 (``python tools/ruchy_gen_l3_fn.py --seed 3``).
"""
from __future__ import annotations

import argparse
import random
from typing import Optional

from ruchy_gen_model import Fn, FnContext, Var

#: the helper functions every program with closures has: name -> what it is
HELPERS = ("apply_impl", "apply_dyn", "adder", "named")


class Level3Fn:
    """Closures, iterator chains and maps, mixed into ruchy_gen.Generator."""

    def fn_setup(self) -> None:
        """State of this part; no random numbers are drawn here."""
        self.fn_small: set[str] = set()

    # --- values ---------------------------------------------------------------------

    def small(self) -> str:
        """A small int: a literal in -9..9 or an int declared by this module, taken
        modulo 10 (so that values cannot grow from one statement to the next)."""
        names = sorted(v.name for v in self.visible() if v.name in self.fn_small)
        if names and self.chance(0.4):
            return f"({self.pick(names)} % 10)"
        n = self.rng.randint(-9, 9)
        return f"({n})" if n < 0 else str(n)

    def body(self, x: str) -> str:
        """A closure body over the int ``x`` (at most one multiplication by <= 5)."""
        k = self.rng.random()
        if k < 0.3:
            return f"{x} {self.pick(['+', '-'])} {self.small()}"
        if k < 0.6:
            return f"{x} * {self.rng.randint(-3, 5)} + {self.small()}"
        if k < 0.8:
            return f"{x} % {self.rng.randint(2, 5)} - {self.small()}"
        return f"if {x} > {self.small()} {{ {x} - 1 }} else {{ {x} * 2 }}"

    def pred(self, x: str, by_ref: bool) -> str:
        """A condition on ``x``; with ``by_ref`` one that Rust also allows on ``&i64``."""
        m = self.rng.randint(2, 4)
        if by_ref or self.chance(0.5):
            return f"{x} % {m} {self.pick(['==', '!='])} {self.rng.randint(0, m - 1)}"
        return f"{x} {self.pick(['>', '<', '>=', '<='])} {self.small()}"

    def source(self) -> tuple[str, int]:
        """An iterator of ints (text) and the most items it yields."""
        vecs = [v for v in self.visible() if v.ty == "fvec"]
        k = self.rng.random()
        if vecs and k < 0.35:
            v = self.pick(vecs)
            return f"{v.name}.iter().copied()", v.minlen
        lo = self.rng.randint(-3, 3)
        n = self.rng.randint(0, 7)
        r = f"({lo}..{lo + n})" if lo >= 0 else f"(({lo})..{lo + n})"
        if k < 0.5:
            return f"{r}.rev()", n
        return r, n

    def declare_small(self, name: str) -> None:
        self.declare(Var(name, "int", False, False))
        self.fn_small.add(name)

    # --- items ----------------------------------------------------------------------

    def fn_items(self) -> None:
        """The ``use`` line and the helper functions (constants drawn at random)."""
        a, b, c = (self.rng.randint(1, 4) for _ in range(3))
        self.out += ["use std::collections::{BTreeMap, HashMap, HashSet};", "",
                     "fn apply_impl(f: impl Fn(i64) -> i64, x: i64) -> i64 {",
                     f"    f(x) + {a}", "}", "",
                     "fn apply_dyn(f: &dyn Fn(i64) -> i64, x: i64) -> i64 {",
                     f"    f(x) * {b}", "}", "",
                     "fn adder(k: i64) -> impl Fn(i64) -> i64 {",
                     f"    move |x| x {self.pick(['+', '-'])} k", "}", "",
                     "fn named(x: i64) -> i64 {", f"    x * {c} - 1", "}", ""]

    # --- statements -------------------------------------------------------------------

    def fn_statement(self) -> None:
        """One statement (or a few lines) of closures, iterator chains or maps."""
        self.ctx.cost += self.ctx.mult * 10  # a chain or a map fill is a small loop
        k = self.rng.random()
        if k < 0.22:
            self.closure_stmt()
        elif k < 0.34:
            self.counter_stmt()
        elif k < 0.48:
            self.pass_stmt()
        elif k < 0.56:
            self.vec_fn_stmt()
        elif k < 0.82:
            self.chain_stmt()
        else:
            self.map_stmt()

    def closure_stmt(self) -> None:
        f, r = self.fresh("f"), self.fresh("r")
        k = self.rng.random()
        if k < 0.4:
            # typed: Rust checks a closure's body where it is written, not where called
            self.emit(f"let {f} = |x: i64| {self.body('x')};")
        elif k < 0.7:
            y = self.fresh("y")
            self.emit(f"let {f} = |x: i64| -> i64 {{ let {y} = {self.body('x')}; "
                      f"{y} + {self.small()} }};")
        elif k < 0.85:
            self.emit(f"let {f} = adder({self.small()});")
        else:
            ann = ": fn(i64) -> i64" if self.chance(0.5) else ""
            self.emit(f"let {f}{ann} = named;")
        self.emit(f"let {r}: i64 = {f}({self.small()});")
        self.emit(f'println!("{r} = {{}}", {r});')
        self.declare_small(r)

    def counter_stmt(self) -> None:
        """A closure that changes a captured ``let mut``, seen afterwards."""
        c, g = self.fresh("c"), self.fresh("g")
        self.emit(f"let mut {c}: i64 = {self.small()};")
        if self.chance(0.5):
            self.emit(f"let mut {g} = |d: i64| {{ {c} += d; }};")
            calls = [f"{g}({self.small()});" for _ in range(self.rng.randint(1, 3))]
        else:
            self.emit(f"let mut {g} = || {c} += {self.rng.randint(1, 3)};")
            calls = [f"{g}();" for _ in range(self.rng.randint(1, 3))]
        for line in calls:
            self.emit(line)
        self.emit(f'println!("{c} = {{}}", {c});')
        self.declare_small(c)

    def pass_stmt(self) -> None:
        """A closure, a named function or a returned closure passed to a helper."""
        r = self.fresh("r")
        k = self.rng.random()
        if k < 0.4:
            f = f"|x| {self.body('x')}"
        elif k < 0.6:
            f = "named"
        elif k < 0.8:
            f = f"adder({self.small()})"
        else:
            f = f"|x: i64| {{ {self.body('x')} }}"
        if self.chance(0.5):
            self.emit(f"let {r}: i64 = apply_impl({f}, {self.small()});")
        else:
            self.emit(f"let {r}: i64 = apply_dyn(&{f}, {self.small()});")
        self.emit(f'println!("{r} = {{}}", {r});')
        self.declare_small(r)

    def vec_fn_stmt(self) -> None:
        """A Vec of small ints for later chains to read."""
        v = self.fresh("xs")
        n = self.rng.randint(0, 5)
        self.emit(f"let {v}: Vec<i64> = vec![{', '.join(self.small() for _ in range(n))}];")
        self.declare(Var(v, "fvec", False, False, n, n))

    def chain_stmt(self) -> None:
        """``src.adapters().end()``, printed; a sum or fold is declared as an int."""
        src, n = self.source()
        parts = [src]
        muls = 0
        seen: Optional[str] = None
        if self.chance(0.2):  # laziness seen through a captured counter
            seen = self.fresh("seen")
            self.emit(f"let mut {seen} = 0;")
        for _ in range(self.rng.randint(0, 3)):
            a = self.rng.random()
            if a < 0.3 and muls < 2:
                muls += 1
                if seen and muls == 1:  # one closure at a time may borrow the counter
                    parts.append(f"map(|x| {{ {seen} += 1; {self.body('x')} }})")
                elif self.chance(0.3):
                    parts.append(f'map(|x| {{ println!("at {{}}", x); {self.body("x")} }})')
                else:
                    parts.append(f"map(|x| {self.body('x')})")
            elif a < 0.45:
                parts.append(f"filter(|x| {self.pred('x', True)})")
            elif a < 0.55:
                parts.append(f"take({self.rng.randint(0, 4)})")
            elif a < 0.63:
                parts.append(f"skip({self.rng.randint(0, 3)})")
            elif a < 0.72:
                parts.append(f"chain({self.rng.randint(0, 3)}..{self.rng.randint(3, 6)})")
            elif a < 0.86 and not any("+=" in p or "println" in p for p in parts):
                # Rust's Zip may skip pulling its left side's item when the right one is
                # empty (a specialization), so no side effect comes before a zip
                parts.append(f"zip({self.source()[0]})")
                parts.append(f"map(|(p, q)| p {self.pick(['+', '-', '*'])} q)")
                muls += 2
            else:
                parts.append("enumerate()")
                parts.append(f"map(|(i, x)| i as i64 {self.pick(['+', '-'])} x)")
        if seen and not any(seen in p for p in parts):  # pulled items are counted
            after_zip = max([i + 2 for i, p in enumerate(parts) if p.startswith("zip(")] or [1])
            parts.insert(self.rng.randint(after_zip, len(parts)), f"map(|x| {{ {seen} += 1; x }})")
        chain = ".".join(parts)
        r = self.fresh("r")
        end = self.rng.random()
        declare = False
        if end < 0.22:
            chain += ".sum::<i64>()"
            declare = True
        elif end < 0.36:
            chain += f".fold({self.small()}, |acc, x| acc {self.pick(['+', '-'])} x)"
            declare = True
        elif end < 0.46:
            chain += ".count()"
        elif end < 0.64:
            chain += ".collect::<Vec<_>>()"
        elif end < 0.76:
            chain += f".{self.pick(['any', 'all'])}(|x| {self.pred('x', False)})"
        elif end < 0.88:
            chain += f".{self.pick(['min', 'max'])}()"
        else:
            chain += f".position(|x| {self.pred('x', False)})"
        self.emit(f"let {r}{': i64' if declare else ''} = {chain};")
        self.emit(f'println!("{r} = {{:?}}", {r});')
        if seen:
            self.emit(f'println!("{seen} = {{}}", {seen});')
        if declare:
            self.declare_small(r)

    def map_stmt(self) -> None:
        """A map or set filled in a loop, read and changed, then printed in order."""
        m, i = self.fresh("m"), self.fresh("i")
        kind = self.pick(["BTreeMap", "HashMap", "HashSet"])
        n = self.rng.randint(0, 6)
        mod = self.rng.randint(1, 4)
        self.emit(f"let mut {m} = {kind}::new();")
        if kind == "HashSet":
            line = f"{m}.insert({i} % {mod} + {self.small()});"
        elif self.chance(0.5):
            line = f"*{m}.entry({i} % {mod}).or_insert({self.small()}) += {i};"
        else:
            line = f"{m}.insert({i} * {mod}, {i} + {self.small()});"
        self.emit(f"for {i} in 0..{n} {{ {line} }}")
        for _ in range(self.rng.randint(1, 3)):
            key = self.rng.randint(-1, 5)
            if kind == "HashSet":
                op = self.pick([f"{m}.insert({key})", f"{m}.contains(&{key})",
                                f"{m}.remove(&{key})", f"{m}.len()"])
            else:
                op = self.pick([f"{m}.insert({key}, {self.small()})", f"{m}.get(&{key})",
                                f"{m}.contains_key(&{key})", f"{m}.remove(&{key})",
                                f"{m}.len()"])
            self.emit(f'println!("{m}: {{:?}}", {op});')
        if kind == "BTreeMap":
            self.emit(f'println!("{m} = {{:?}}", {m});')
            return
        ks = self.fresh("ks")
        self.emit(f"let mut {ks}: Vec<i64> = {m}.{'keys' if kind == 'HashMap' else 'iter'}()"
                  f".copied().collect();")
        self.emit(f"{ks}.sort();")
        if kind == "HashMap" and self.chance(0.6):
            k = self.fresh("k")
            self.emit(f'for {k} in &{ks} {{ println!("{{}} -> {{}}", {k}, {m}[{k}]); }}')
        else:
            self.emit(f'println!("{ks} = {{:?}}", {ks});')


def generate_fn_program(rng: random.Random, size: int = 12) -> str:
    """A program of only this module's statements, inside ``fn main``: valid Rust too."""
    from ruchy_gen import Generator
    g = Generator(rng, size, closures=True)
    g.out.append("// generated by tools/ruchy_gen_l3_fn.py")
    g.fn_items()
    g.ctx = FnContext(Fn("main", [], "unit"))
    with g.block("fn main()"):
        for _ in range(size):
            g.fn_statement()
    return "\n".join(g.out) + "\n"


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Print a random program of closures, iterator "
                                            "chains and maps that is valid Rust too.")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=int, default=12, help="how many statements")
    a = p.parse_args(argv)
    print(generate_fn_program(random.Random(a.seed), a.size), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
