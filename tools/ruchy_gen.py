"""Random Ruchy programs for differential fuzzing: well formed, deterministic, terminating.

``generate_program(rng, size)`` returns the text of a program that uses Level 1 and 2 of
LANGUAGE.md: functions with parameters (some recursive, bounded by a depth counter; some
taking arrays by ``&mut``), ints, floats, bools, strings, arrays and 2-D arrays, every
operator (including the ones that overflow or divide by zero, so error paths are exercised),
casts, methods, if/else, match with alternatives, ranges and guards, while, loop with break
values, for over ranges and arrays, break and continue, blocks as expressions, f-strings and
format strings, and prints of intermediate values.

Termination is by construction: loops have literal trip counts (or iterate over arrays whose
length the generator bounds), recursion carries a depth counter, functions call only
functions defined before them (or themselves, one level of depth less), and the generator
keeps an estimate of the work each function does so that nested loops and calls stay within
a budget. Programs are mostly well typed, so that they run for a while; some end in a
runtime error on purpose.

Avoided, because LANGUAGE.md leaves them open: top-level variables used inside functions,
a line that begins with `-`, `(` or `[` after a complete statement (it would continue it),
`x as T < y` (read as generic arguments, as in Rust), passing a `&mut` parameter on to
another function, pushing to parameters. Display of -0.0 is not avoided: every tier must
agree on it anyway.

``--opaque-literals`` (``opaque_literals=True``) gives the same program with every literal
passed through an identity function, for metamorphic tests of static specialisation.

``--value-loops`` (``value_loops=True``) adds loops in expression position: ``let``s and
assignments whose value is a block, an ``if`` or a ``match`` (with a binding pattern now
and then) whose arm runs a loop, and function tails of that shape, which the tiered
runtime enters by on-stack replacement in the middle of the expression (docs/jit.md).
Without it a seed gives the same program as before the option existed (it draws no
random numbers of its own).

``--level3`` (``level3=True``) adds Level 3: structs with impl methods, tuples, an enum
matched with bindings and guards, functions returning Option (tools/ruchy_gen_l3.py;
the model shared by both parts is tools/ruchy_gen_model.py). Like ``--value-loops`` it
draws no random numbers unless it is on. ``--closures`` (``closures=True``, the same way)
adds closures, iterator chains and maps (tools/ruchy_gen_l3_fn.py). ``--sums``
(``sums=True``, the same way) adds a recursion that adds what it returns, the shape the
compiled tiers give a pure body (codegen/puresum.py), with calls that may overflow
deep down (tools/ruchy_gen_sums.py).

    python tools/ruchy_gen.py --seed 7 [--size 30] [--value-loops] [--level3] [--closures]
                              [--sums]
"""
from __future__ import annotations

import argparse
import random
from contextlib import contextmanager
from typing import Iterator, Optional

from ruchy_gen_l3 import Level3
from ruchy_gen_l3_fn import Level3Fn
from ruchy_gen_sums import recursive_sum, sum_calls
from ruchy_gen_model import (ANNOTATION, ARRAYS, BINARY_PREC, CALL_BUDGET, MAX_BLOCK_DEPTH,
                             MAX_EXPR_DEPTH, MAX_LEN, MAX_MULT, MAX_REC_DEPTH, OPAQUE,
                             P_ADD, P_AND, P_ATOM, P_BAND, P_BOR, P_CMP, P_CTRL, P_EQ,
                             P_MUL, P_OR, P_POSTFIX, P_POW, P_SHIFT, P_UNARY, P_XOR,
                             SCALARS, TOTAL_BUDGET, TYPES, Expr, Fn, FnContext, Loop, Var)


class Generator(Level3, Level3Fn):
    """Generates one program; see the module docstring."""

    def __init__(self, rng: random.Random, size: int, opaque: bool = False,
                 value_loops: bool = False, level3: bool = False,
                 closures: bool = False, sums: bool = False) -> None:
        self.rng = rng
        self.sums = sums
        self.opaque = opaque
        self.level3 = level3
        self.l3_setup()
        self.closures = closures
        self.fn_setup()
        self.value_loops = value_loops
        self.size = max(4, size)
        self.fns: list[Fn] = []
        self.out: list[str] = []
        self.indent = 0
        self.counter = 0
        self.ctx = FnContext(None)
        self.total_cost = 0

    # --- helpers -------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, xs):
        return self.rng.choice(list(xs))

    def fresh(self, prefix: str = "v") -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def emit(self, line: str) -> None:
        self.out.append("    " * self.indent + line)
        self.ctx.cost += self.ctx.mult

    @contextmanager
    def block(self, header: str, footer: str = "}") -> Iterator[None]:
        self.out.append("    " * self.indent + header + " {")
        self.indent += 1
        self.ctx.scopes.append([])
        try:
            yield
        finally:
            self.ctx.scopes.pop()
            self.indent -= 1
            self.out.append("    " * self.indent + footer)

    def block_depth(self) -> int:
        return len(self.ctx.scopes) - 1

    def visible(self) -> list[Var]:
        seen: dict[str, Var] = {}
        for scope in self.ctx.scopes:
            for v in scope:
                seen[v.name] = v
        return list(seen.values())

    def vars_of(self, ty: str, assignable: bool = False) -> list[Var]:
        return [v for v in self.visible() if v.ty == ty and (v.assignable or not assignable)]

    def declare(self, v: Var) -> None:
        self.ctx.scopes[-1].append(v)

    # --- literals ------------------------------------------------------------------

    def literal(self, text: str) -> Expr:
        """A literal; with ``opaque`` it goes through an identity function, so that a
        tier cannot know its kind statically (the program must print the same)."""
        if self.opaque:
            return Expr(f"{OPAQUE}({text})", P_POSTFIX)
        return Expr(text, P_UNARY if text.startswith("-") else P_ATOM)

    def int_lit(self) -> Expr:
        r = self.rng.random()
        if r < 0.8:
            n = self.rng.randint(-3, 20)
        elif r < 0.9:
            n = self.rng.randint(-1000, 1000)
        elif r < 0.95:
            return self.literal(self.pick(["0xff", "0x10", "1_000", "0b101", "0x7fff_ffff"]))
        else:
            n = self.pick([2 ** 31, 2 ** 32 + 1, 3037000500, 2 ** 62, 2 ** 63 - 1, -(2 ** 62),
                           10 ** 18, 4611686018427387904])
        return self.literal(str(n))

    def float_lit(self) -> Expr:
        r = self.rng.random()
        if r < 0.6:
            text = self.pick(["0.0", "0.5", "1.0", "1.5", "2.25", "3.14159", "0.1", "0.2",
                              "10.0", "100.0", "2.5", "0.001", "7.75"])
        elif r < 0.85:
            text = repr(self.rng.randint(-400, 400) / self.pick([4, 8, 10, 3, 7]))
        else:
            text = self.pick(["1e-3", "2.5e2", "1e21", "1e300", "1e-7", "1.5e3", "123456.789",
                              "9007199254740993.0"])
        return self.literal(text)

    def str_lit(self) -> Expr:
        return self.literal(self.pick(['""', '"a"', '"xy"', '"hello"', '"a b"', '"tab\\there"',
                               '"q\\"q"', '"back\\\\slash"', '"é"', '"{}"', '"line\\n"',
                               '"Ruchy"', '"brace \\{"']))

    # --- expressions ---------------------------------------------------------------

    def expr(self, ty: str, depth: int = 0) -> Expr:
        """An expression of type ``ty`` (most of the time; some ops may fail at run time)."""
        if ty == "float" and self.chance(0.06):
            # values are dynamically typed: an int where a float is expected (the
            # arithmetic mixes, the display differs) keeps kind inference honest
            ty = "int"
        leaf = depth >= MAX_EXPR_DEPTH or self.chance(0.3 + 0.15 * depth)
        if leaf:
            return self.leaf(ty)
        return getattr(self, "expr_" + ty.replace(":", "_"))(depth + 1)

    def leaf(self, ty: str) -> Expr:
        if self.level3:
            e = self.l3_hook_leaf(ty)
            if e:
                return e
        vs = self.vars_of(ty)
        if vs and self.chance(0.7):
            v = self.pick(vs)
            return Expr(v.name, P_ATOM, v.minlen, v.maxlen, v.rows, v.cols)
        if ty == "int":
            return self.int_lit()
        if ty == "float":
            return self.float_lit()
        if ty == "bool":
            return self.literal(self.pick(["true", "false"]))
        if ty == "str":
            return self.str_lit()
        if ty == "grid":
            return self.grid_literal(0)
        return self.array_literal(ty, MAX_EXPR_DEPTH)

    def cast(self, e: Expr, ty: str) -> Expr:
        """`e as ty`, in parentheses: as in Rust, `x as f64 < y` would read `f64<` as the
        start of generic arguments."""
        return Expr(f"({e.at(P_POSTFIX, strict=True)} as {ty})")

    def cond(self, depth: int = 0) -> str:
        """A bool expression for a condition (control expressions in parentheses)."""
        return self.expr("bool", depth).at(P_OR)

    def binary(self, op: str, a: Expr, b: Expr) -> Expr:
        p = BINARY_PREC[op]
        # comparisons and ** get parentheses on both sides at equal precedence
        tight = p in (P_EQ, P_CMP, P_POW)
        left = a.at(p + 1) if tight else a.at(p)
        if op == "-" and b.text.startswith("-"):
            right = f"({b.text})"
        else:
            right = b.at(p, strict=True)
        return Expr(f"{left} {op} {right}", p)

    def divisor(self, ty: str, depth: int) -> Expr:
        if self.chance(0.8):
            lit = self.rng.randint(1, 9) * self.pick([1, 1, 1, -1])
            return Expr(str(lit) if ty == "int" else f"{lit}.5", P_UNARY if lit < 0 else P_ATOM)
        return self.expr(ty, depth)

    def call_expr(self, ty: str, depth: int) -> Optional[Expr]:
        cands = [f for f in self.fns if f.ret == ty and self.call_affordable(f)]
        if not cands:
            return None
        f = self.pick(cands)
        return Expr(self.call_text(f, depth), P_POSTFIX)

    def self_call_expr(self, ty: str, depth: int) -> Optional[Expr]:
        ctx = self.ctx
        if (ctx.fn is None or not ctx.fn.recursive or ctx.fn.ret != ty or ctx.mult != 1
                or ctx.self_calls >= 2 or ctx.loops or ctx.in_base_case):
            return None
        ctx.self_calls += 1
        args = [f"{ctx.depth_param} - 1"] + [self.arg_text(t, mut, depth)
                                             for _, t, mut in ctx.fn.params[1:]]
        return Expr(f"{ctx.fn.name}({', '.join(args)})", P_POSTFIX)

    def call_affordable(self, f: Fn) -> bool:
        need = self.ctx.mult * f.cost
        if need > CALL_BUDGET or self.total_cost + self.ctx.cost + need > TOTAL_BUDGET:
            return False
        return all(not mut or self.mut_args(t) for _, t, mut in f.params)

    def mut_args(self, t: str) -> list[Var]:
        return [v for v in self.vars_of(t, assignable=True) if not v.param]

    def call_text(self, f: Fn, depth: int) -> str:
        self.ctx.cost += self.ctx.mult * f.cost
        args = []
        for i, (_, t, mut) in enumerate(f.params):
            if f.recursive and i == 0:
                args.append(str(self.rng.randint(0, MAX_REC_DEPTH)))
            else:
                args.append(self.arg_text(t, mut, depth))
        return f"{f.name}({', '.join(args)})"

    def arg_text(self, t: str, mut: bool, depth: int) -> str:
        if mut:
            return "&mut " + self.pick(self.mut_args(t)).name
        return self.expr(t, depth + 1).text

    def control_expr(self, ty: str, depth: int) -> Expr:
        """if/else, match or a block, as an expression of type ``ty``."""
        k = self.rng.random()
        if k < 0.45:
            c = self.cond(depth)
            return Expr(f"if {c} {{ {self.expr(ty, depth).text} }} else "
                        f"{{ {self.expr(ty, depth).text} }}", P_CTRL)
        if k < 0.8:
            return Expr(self.match_text(ty, depth), P_CTRL)
        name = self.fresh("t")
        inner = self.expr("int", depth)
        self.ctx.scopes.append([Var(name, "int", assignable=False)])
        body = self.expr(ty, depth)
        self.ctx.scopes.pop()
        return Expr(f"{{ let {name} = {inner.text}; {body.text} }}", P_CTRL)

    def match_text(self, ty: str, depth: int) -> str:
        kind = self.pick(["int", "int", "str", "bool"])
        scrut = self.expr(kind, depth)
        arms = []
        if kind == "int":
            for _ in range(self.rng.randint(1, 3)):
                a = self.rng.randint(-2, 6)
                pat = self.pick([str(a), f"{a} | {a + 1}", f"{a}..={a + self.rng.randint(0, 4)}"])
                arms.append(f"{pat} => {self.expr(ty, depth).text}")
            if self.chance(0.4):
                arms.append(f"_ if {self.cond(depth)} => {self.expr(ty, depth).text}")
        elif kind == "str":
            for w in self.rng.sample(['"a"', '"xy"', '""', '"hello"'], self.rng.randint(1, 2)):
                arms.append(f"{w} => {self.expr(ty, depth).text}")
        else:
            arms.append(f"true => {self.expr(ty, depth).text}")
            if self.chance(0.5):
                arms.append(f"false => {self.expr(ty, depth).text}")
        if kind != "bool" or len(arms) < 2:
            arms.append(f"_ => {self.expr(ty, depth).text}")
        return f"match {scrut.at(P_OR)} {{ {', '.join(arms)} }}"

    def index_text(self, arr: Expr) -> str:
        """An index into ``arr``: a safe literal when the length allows, else computed."""
        if arr.minlen > 0 and self.chance(0.8):
            return str(self.rng.randrange(arr.minlen))
        if self.chance(0.9):
            return f"{self.rng.randint(0, 50)} % {arr.at(P_POSTFIX)}.len()"
        return self.expr("int", MAX_EXPR_DEPTH).text

    def element(self, elem: str, depth: int) -> Expr:
        arrs = [v for v in self.vars_of("arr:" + elem)]
        if not arrs:
            return self.leaf(elem)
        v = self.pick(arrs)
        a = Expr(v.name, P_ATOM, v.minlen, v.maxlen)
        return Expr(f"{v.name}[{self.index_text(a)}]", P_POSTFIX)

    def expr_int(self, depth: int) -> Expr:
        if self.level3:
            e = self.l3_hook_expr("int", depth)
            if e:
                return e
        k = self.rng.random()
        if k < 0.40:
            op = self.pick(["+", "-", "*", "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>",
                            "**"])
            a = self.expr("int", depth)
            if op in ("/", "%"):
                return self.binary(op, a, self.divisor("int", depth))
            if op in ("<<", ">>"):
                return self.binary(op, a, Expr(str(self.rng.randint(0, 66 if self.chance(0.05)
                                                                      else 20))))
            if op == "**":
                return self.binary(op, a, Expr(str(self.rng.randint(0, 4 if self.chance(0.9)
                                                                      else 70))))
            return self.binary(op, a, self.expr("int", depth))
        if k < 0.48:
            a = self.expr("int", depth)
            return Expr(f"-{a.at(P_UNARY)}" if not a.text.startswith("-")
                        else f"-({a.text})", P_UNARY)
        if k < 0.58:
            a = self.expr("int", depth)
            m = self.pick(["abs()", f"min({self.expr('int', depth).text})",
                           f"max({self.expr('int', depth).text})",
                           f"pow({self.rng.randint(0, 5)})"])
            return Expr(f"{a.at(P_POSTFIX, strict=True)}.{m}", P_POSTFIX)
        if k < 0.64:
            return self.cast(self.expr("float", depth), "i64")
        if k < 0.70:
            t = self.pick(["str", "arr:int", "arr:float", "arr:str"])
            return Expr(f"{self.expr(t, depth).at(P_POSTFIX, strict=True)}.len()", P_POSTFIX)
        if k < 0.78:
            return self.element("int", depth)
        if k < 0.84:
            grids = self.vars_of("grid")
            if grids:
                g = self.pick(grids)
                return Expr(f"{g.name}[{self.rng.randrange(g.rows)}][{self.rng.randrange(g.cols)}]",
                            P_POSTFIX)
        if k < 0.92:
            c = self.self_call_expr("int", depth) or self.call_expr("int", depth)
            if c:
                return c
        return self.control_expr("int", depth)

    def expr_float(self, depth: int) -> Expr:
        if self.level3:
            e = self.l3_hook_expr("float", depth)
            if e:
                return e
        k = self.rng.random()
        if k < 0.45:
            op = self.pick("+-*/%")
            a = self.expr(self.pick(["float", "float", "int"]), depth)
            b = (self.divisor(self.pick(["float", "int"]), depth) if op in "/%" and self.chance(0.7)
                 else self.expr("float", depth))
            return self.binary(op, a, b)
        if k < 0.52:
            return self.cast(self.expr("int", depth), "f64")
        if k < 0.64:
            a = self.expr("float", depth)
            m = self.pick(["abs()", "sqrt()", f"min({self.expr('float', depth).text})",
                           f"max({self.expr('float', depth).text})",
                           f"powf({self.pick(['2.0', '0.5', '3.0', '-1.0'])})"])
            return Expr(f"{a.at(P_POSTFIX, strict=True)}.{m}", P_POSTFIX)
        if k < 0.70:
            a = self.expr("float", depth)
            return Expr(f"-{a.at(P_UNARY)}" if not a.text.startswith("-")
                        else f"-({a.text})", P_UNARY)
        if k < 0.78:
            return self.element("float", depth)
        if k < 0.88:
            c = self.self_call_expr("float", depth) or self.call_expr("float", depth)
            if c:
                return c
        return self.control_expr("float", depth)

    def expr_bool(self, depth: int) -> Expr:
        if self.level3:
            e = self.l3_hook_expr("bool", depth)
            if e:
                return e
        k = self.rng.random()
        if k < 0.45:
            t = self.pick(["int", "int", "float", "str", "mixed"])
            op = self.pick(["<", "<=", ">", ">=", "==", "!="])
            if t == "mixed":
                return self.binary(op, self.expr("int", depth), self.expr("float", depth))
            return self.binary(op, self.expr(t, depth), self.expr(t, depth))
        if k < 0.7:
            op = self.pick(["&&", "||", "==", "!="])
            return self.binary(op, self.expr("bool", depth), self.expr("bool", depth))
        if k < 0.8:
            return Expr(f"!{self.expr('bool', depth).at(P_UNARY)}", P_UNARY)
        if k < 0.88:
            c = self.self_call_expr("bool", depth) or self.call_expr("bool", depth)
            if c:
                return c
        return self.control_expr("bool", depth)

    def expr_str(self, depth: int) -> Expr:
        if self.level3:
            e = self.l3_hook_expr("str", depth)
            if e:
                return e
        k = self.rng.random()
        # at most one string variable per concatenation keeps strings from doubling in loops
        if k < 0.35:
            other = self.pick(["int", "float", "bool", "lit"])
            right = self.str_lit() if other == "lit" else self.expr(other, depth)
            return self.binary("+", self.expr("str", depth), right)
        if k < 0.5:
            t = self.pick(["int", "float", "bool"])
            return Expr(f"{self.expr(t, depth).at(P_POSTFIX, strict=True)}.to_string()",
                        P_POSTFIX)
        if k < 0.6:
            a, b = self.expr(self.pick(SCALARS), depth), self.expr(self.pick(SCALARS), depth)
            spec = self.pick(["{}", "{:?}", "{}"])
            return Expr(f'format!("{spec}-{{}}", {a.text}, {b.text})', P_POSTFIX)
        if k < 0.7:
            x = self.expr(self.pick(["int", "float", "bool"]), MAX_EXPR_DEPTH)
            if "{" in x.text or '"' in x.text:
                return self.str_lit()
            return Expr(f'f"<{{{x.text}}}>"')
        if k < 0.78:
            return self.element("str", depth)
        if k < 0.86:
            c = self.self_call_expr("str", depth) or self.call_expr("str", depth)
            if c:
                return c
        return self.control_expr("str", depth)

    def array_literal(self, ty: str, depth: int) -> Expr:
        elem = ty.split(":")[1]
        k = self.rng.random()
        if k < 0.55:
            n = self.rng.randint(0 if self.chance(0.1) else 1, 5)
            items = ", ".join(self.expr(elem, depth + 1).text for _ in range(n))
            return Expr(f"vec![{items}]" if self.chance(0.2) else f"[{items}]", P_ATOM, n, n)
        n = self.rng.randint(1, 6)
        return Expr(f"[{self.expr(elem, depth + 1).text}; {n}]", P_ATOM, n, n)

    def expr_arr(self, ty: str, depth: int) -> Expr:
        if self.chance(0.5):
            return self.array_literal(ty, depth)
        if self.chance(0.5):
            c = self.self_call_expr(ty, depth) or self.call_expr(ty, depth)
            if c:
                return Expr(c.text, c.prec, 0, MAX_LEN)
        return self.leaf(ty)

    def expr_arr_int(self, depth: int) -> Expr:
        return self.expr_arr("arr:int", depth)

    def expr_arr_float(self, depth: int) -> Expr:
        return self.expr_arr("arr:float", depth)

    def expr_arr_str(self, depth: int) -> Expr:
        return self.expr_arr("arr:str", depth)

    def grid_literal(self, depth: int) -> Expr:
        rows, cols = self.rng.randint(1, 4), self.rng.randint(1, 4)
        if self.chance(0.5):
            return Expr(f"[[{self.expr('int', depth + 1).text}; {cols}]; {rows}]",
                        rows=rows, cols=cols)
        body = ", ".join("[" + ", ".join(self.expr("int", depth + 1).text for _ in range(cols))
                         + "]" for _ in range(rows))
        return Expr(f"[{body}]", rows=rows, cols=cols)

    def expr_grid(self, depth: int) -> Expr:
        return self.leaf("grid") if self.chance(0.5) else self.grid_literal(depth)

    # --- statements ----------------------------------------------------------------

    def statements(self, n: int) -> None:
        for _ in range(n):
            self.statement()

    def statement(self) -> None:
        d = self.block_depth()
        room = d < MAX_BLOCK_DEPTH - 1
        # drawn only with the option, so that without it every seed's program is unchanged
        if self.value_loops and d < MAX_BLOCK_DEPTH - 2 and self.chance(0.1):
            self.value_loop_stmt()
            return
        if self.level3 and self.l3_hook_statement():
            return
        if self.closures and room and self.chance(0.15):
            self.fn_statement()
            return
        k = self.rng.random()
        if k < 0.22:
            self.let_stmt()
        elif k < 0.38:
            self.assign_stmt()
        elif k < 0.58:
            self.print_stmt()
        elif k < 0.66 and room:
            self.if_stmt()
        elif k < 0.80 and room:
            self.loop_stmt()
        elif k < 0.85 and room:
            self.match_stmt()
        elif k < 0.91:
            self.array_stmt()
        elif k < 0.95 and self.ctx.loops:
            self.break_or_continue()
        elif k < 0.98:
            self.call_stmt()
        else:
            self.assert_stmt()

    def let_stmt(self, ty: Optional[str] = None) -> None:
        ty = ty or self.pick(TYPES + ("int", "int", "float", "str"))
        e = self.expr(ty)
        name = self.fresh()
        mutable = self.chance(0.7)
        ann = f": {ANNOTATION[ty]}" if self.chance(0.15) else ""
        # shadow an existing name now and then, with a value of another type
        if self.chance(0.1) and self.visible():
            old = self.pick(self.visible())
            if old.assignable:
                name = old.name
        self.emit(f"let {'mut ' if mutable else ''}{name}{ann} = {e.text}")
        self.declare(Var(name, ty, mutable, True, e.minlen, min(e.maxlen, MAX_LEN),
                         e.rows, e.cols))

    def assign_stmt(self) -> None:
        vs = [v for v in self.visible() if v.assignable and v.mutable and v.ty in TYPES
              and not (v.param and v.ty in ARRAYS)]
        if not vs:
            self.let_stmt()
            return
        v = self.pick(vs)
        if v.ty in ("int", "float") and self.chance(0.6):
            op = self.pick(["+=", "-=", "*=", "/=", "%=", "+=", "-="])
            rhs = self.divisor(v.ty, 1) if op in ("/=", "%=") else self.expr(v.ty, 1)
            if v.ty == "float" and self.chance(0.3):
                rhs = self.expr("int", 1)
            self.emit(f"{v.name} {op} {rhs.text}")
        elif v.ty == "str" and self.chance(0.5):
            self.emit(f"{v.name} += {self.expr(self.pick(['int', 'float', 'bool']), 2).text}")
        else:
            e = self.expr(v.ty, 1)
            self.emit(f"{v.name} = {e.text}")
            v.minlen = min(v.minlen, e.minlen)
            v.maxlen = max(v.maxlen, min(e.maxlen, MAX_LEN))
            if v.ty == "grid" and (e.rows, e.cols) != (v.rows, v.cols):
                v.rows, v.cols = min(v.rows, e.rows), min(v.cols, e.cols)

    def array_stmt(self) -> None:
        arrs = [v for v in self.visible() if v.ty in ARRAYS and v.assignable]
        grids = [v for v in self.visible() if v.ty == "grid" and v.assignable]
        if grids and self.chance(0.3):
            g = self.pick(grids)
            op = self.pick(["=", "+=", "*="])
            self.emit(f"{g.name}[{self.rng.randrange(g.rows)}][{self.rng.randrange(g.cols)}] "
                      f"{op} {self.expr('int', 2).text}")
            return
        if not arrs:
            self.let_stmt(self.pick(ARRAYS))
            return
        a = self.pick(arrs)
        elem = a.ty.split(":")[1]
        k = self.rng.random()
        if k < 0.4 and not a.param:
            # static bounds on lengths would not survive loops that both iterate over an
            # array and grow it; a run-time test is simple and sound
            self.emit(f"if {a.name}.len() < {MAX_LEN} {{ {a.name}.push({self.expr(elem, 1).text}) }}")
            a.maxlen = MAX_LEN
        elif k < 0.5 and not a.param:
            with self.block(f"if {a.name}.len() > 0"):
                self.emit(f"{a.name}.pop()")
            a.minlen = max(0, a.minlen - self.ctx.mult)
        else:
            op = "=" if elem == "str" else self.pick(["=", "=", "+=", "-=", "*="])
            idx = self.index_text(Expr(a.name, P_ATOM, a.minlen, a.maxlen))
            self.emit(f"{a.name}[{idx}] {op} {self.expr(elem, 2).text}")

    def print_stmt(self) -> None:
        k = self.rng.random()
        vs = self.visible()
        if k < 0.3 and vs:
            shown = self.rng.sample(vs, min(len(vs), self.rng.randint(1, 3)))
            self.emit(f'println("{" ".join(v.name + "={}" for v in shown)}", '
                      f'{", ".join(v.name for v in shown)})')
        elif k < 0.5:
            t = self.pick(TYPES)
            # a string first argument would be taken as a format string
            fmt = '"{}", ' if t == "str" else ""
            self.emit(f"println({fmt}{self.expr(t).text})")
        elif k < 0.65:
            args = [self.expr(self.pick(TYPES)).text for _ in range(self.rng.randint(2, 3))]
            self.emit(f'println("{self.fresh("p")}:", {", ".join(args)})')
        elif k < 0.75:
            self.emit(f'println("{{:.{self.rng.randint(0, 6)}}}", {self.expr("float").text})')
        elif k < 0.85:
            self.emit(f'println("{{:?}} {{{{}}}}", {self.expr(self.pick(TYPES)).text})')
        elif k < 0.93:
            self.emit(f'print("{{}};", {self.expr(self.pick(SCALARS)).text})')
        else:
            self.emit(f'println!("{{}}", {self.expr(self.pick(SCALARS)).text})')

    def if_stmt(self) -> None:
        with self.block(f"if {self.cond()}"):
            self.statements(self.rng.randint(1, 3))
        while self.chance(0.3):
            self.out[-1] = self.out[-1] + " else if " + self.cond() + " {"
            self.indent += 1
            self.ctx.scopes.append([])
            self.statements(self.rng.randint(1, 2))
            self.ctx.scopes.pop()
            self.indent -= 1
            self.out.append("    " * self.indent + "}")
        if self.chance(0.4):
            self.out[-1] = self.out[-1] + " else {"
            self.indent += 1
            self.ctx.scopes.append([])
            self.statements(self.rng.randint(1, 2))
            self.ctx.scopes.pop()
            self.indent -= 1
            self.out.append("    " * self.indent + "}")

    @contextmanager
    def loop_body(self, header: str, trips: int, value_type: Optional[str] = None,
                  footer: str = "}") -> Iterator[None]:
        old = self.ctx.mult
        self.ctx.mult = old * max(1, trips)
        self.ctx.loops.append(Loop(value_type))
        try:
            with self.block(header, footer):
                yield
        finally:
            self.ctx.loops.pop()
            self.ctx.mult = old

    def loop_stmt(self) -> None:
        room = MAX_MULT // self.ctx.mult
        if room < 2:
            self.print_stmt()
            return
        trips = self.rng.randint(1, min(room, 8))
        k = self.rng.random()
        body = self.rng.randint(1, 4)
        if k < 0.35:
            i = self.fresh("i")
            lo = self.rng.randint(-2, 3)
            rng_text = self.pick([f"{lo}..{lo + trips}", f"{lo}..={lo + trips - 1}"])
            with self.loop_body(f"for {i} in {rng_text}", trips):
                self.declare(Var(i, "int", False, False))
                self.statements(body)
        elif k < 0.55:
            arrs = [v for v in self.vars_of("arr:int") + self.vars_of("arr:float")
                    + self.vars_of("arr:str") if MAX_LEN <= room]
            if arrs:
                a = self.pick(arrs)
                x = self.fresh("x")
                with self.loop_body(f"for {x} in {a.name}", MAX_LEN):
                    self.declare(Var(x, a.ty.split(":")[1], False, False))
                    self.statements(body)
            else:
                x = self.fresh("x")
                ty = self.pick(ARRAYS)
                lit = self.array_literal(ty, 2)
                with self.loop_body(f"for {x} in {lit.text}", max(1, lit.maxlen)):
                    self.declare(Var(x, ty.split(":")[1], False, False))
                    self.statements(body)
        elif k < 0.8:
            w = self.fresh("w")
            self.emit(f"let mut {w} = 0")
            self.declare(Var(w, "int", True, False))
            with self.loop_body(f"while {w} < {trips}", trips):
                self.emit(f"{w} += 1")
                self.statements(body)
        else:
            c = self.fresh("c")
            self.emit(f"let mut {c} = 0")
            self.declare(Var(c, "int", True, False))
            ty = self.pick(SCALARS) if self.chance(0.5) else None
            target = ""
            if ty:
                target = self.fresh()
                header = f"let {target} = loop"
            else:
                header = "loop"
            with self.loop_body(header, trips + 1, ty):
                self.emit(f"{c} += 1")
                value = f" {self.expr(ty).text}" if ty else ""
                self.emit(f"if {c} > {trips} {{ break{value} }}")
                self.statements(body)
            if ty:
                self.declare(Var(target, ty, False))

    def value_loop_stmt(self) -> None:
        """A loop in expression position (``value_loops``): ``let v = { ... }``, ``let v =
        if c { ... } else { e }``, ``let v = match e { p => { ... }, ... }`` or ``x op= {
        ... }``, each ``...`` a block that runs a loop and ends in a value."""
        ty = self.pick(SCALARS + ("int", "int"))
        form = self.pick(["block", "if", "match", "match", "assign"])
        ints = [v for v in self.vars_of("int") if v.assignable and v.mutable and not v.param]
        if form == "assign" and ints:
            v = self.pick(ints)
            with self.block(f"{v.name} {self.pick(['=', '+=', '-='])}"):
                self.value_body("int")
            return
        name = self.fresh()
        mutable = self.chance(0.3)
        let = f"let {'mut ' if mutable else ''}{name} ="
        ty = "int" if form == "assign" else ty
        if form in ("block", "assign"):
            with self.block(let):
                self.value_body(ty)
        elif form == "if":
            with self.block(f"{let} if {self.cond()}"):
                self.value_body(ty)
            self.out[-1] += f" else {{ {self.expr(ty).text} }}"
        else:
            with self.block(f"{let} match {self.expr('int').at(P_OR)}"):
                for _ in range(self.rng.randint(1, 2)):
                    a = self.rng.randint(-1, 5)
                    pat = self.pick([str(a), f"{a} | {a + 2}", f"{a}..={a + 3}"])
                    with self.block(f"{pat} =>", "},"):
                        self.value_body(ty)
                if self.chance(0.4):
                    m = self.fresh("m")
                    with self.block(f"{m} =>"):
                        self.declare(Var(m, "int", False, False))
                        self.value_body(ty)
                else:
                    self.emit(f"_ => {self.expr(ty).text}")
        self.declare(Var(name, ty, mutable, True))

    def value_body(self, ty: str) -> None:
        """The statements of a block whose value is of type ``ty``, with a loop among
        them (unless the loop budget is spent); the value is a variable, so the last
        line cannot continue the one before."""
        self.statements(self.rng.randint(0, 1))
        self.loop_stmt()
        self.statements(self.rng.randint(0, 1))
        r = self.fresh("r")
        e = self.expr(ty, 1) if ty != "arr:int" else self.expr_arr_int(1)
        self.emit(f"let {r} = {e.text}")
        self.emit(r)

    def break_or_continue(self) -> None:
        loop = self.ctx.loops[-1]
        cond = self.cond(2)
        if self.chance(0.5):
            value = f" {self.expr(loop.value_type, 2).text}" if loop.value_type else ""
            self.emit(f"if {cond} {{ break{value} }}")
        else:
            self.emit(f"if {cond} {{ continue }}")

    def match_stmt(self) -> None:
        with self.block(f"match {self.expr('int').at(P_OR)}"):
            for _ in range(self.rng.randint(1, 3)):
                a = self.rng.randint(-1, 5)
                pat = self.pick([str(a), f"{a} | {a + 2}", f"{a}..={a + 3}"])
                # the comma ends the arm: a next line `-1 => ...` would continue `{ }`
                with self.block(f"{pat} =>", "},"):
                    self.statements(self.rng.randint(1, 2))
            if self.chance(0.3):
                with self.block(f"_ if {self.cond(2)} =>", "},"):
                    self.statements(1)
            with self.block("_ =>"):
                self.statements(self.rng.randint(0, 1))

    def call_stmt(self) -> None:
        cands = [f for f in self.fns if self.call_affordable(f)]
        if not cands:
            self.print_stmt()
            return
        f = self.pick(cands)
        text = self.call_text(f, 1)
        if f.ret in SCALARS and self.chance(0.6):
            self.emit(f"println({text})")
        else:
            self.emit(text)

    def assert_stmt(self) -> None:
        k = self.rng.random()
        if k < 0.6:
            n = self.rng.randint(0, 9)
            self.emit(f"assert!({n} + 1 > {n})")
        elif k < 0.9:
            e = self.expr("int", 2).text
            self.emit(f"assert_eq!({e}, {e})")
        else:
            self.emit(f"assert!({self.expr('bool', 2).text})")

    # --- functions and programs --------------------------------------------------------

    def function(self) -> None:
        name = f"f{len(self.fns)}"
        recursive = self.chance(0.3)
        params: list[tuple[str, str, bool]] = []
        if recursive:
            params.append(("d", "int", False))
        for _ in range(self.rng.randint(0, 3)):
            t = self.pick(TYPES[:-1] + ("int", "float"))
            # recursive functions take no &mut arrays: they would pass them on
            mut = t in ARRAYS and not recursive and self.chance(0.4)
            params.append((f"p{len(params)}", t, mut))
        ret = self.pick(SCALARS + ("int", "arr:int"))
        fn = Fn(name, params, ret, recursive)
        old_ctx, self.ctx = self.ctx, FnContext(fn, depth_param="d" if recursive else None)
        plist = []
        for pname, t, mut in params:
            ann = (f": &mut {ANNOTATION[t]}" if mut else f": {ANNOTATION[t]}") \
                if self.chance(0.5) or mut else ""
            plist.append(f"{pname}{ann}")
            # parameters are not assigned (arrays only element-wise), so that the
            # generator's length bounds hold; &mut arrays are written element-wise only
            self.declare(Var(pname, t, True, t in ARRAYS, 0, MAX_LEN, param=True))
        rann = f" -> {ANNOTATION[ret]}" if self.chance(0.4) else ""
        kw = self.pick(["fun", "fun", "fn"])
        with self.block(f"{kw} {name}({', '.join(plist)}){rann}"):
            if recursive:
                self.ctx.in_base_case = True
                self.emit(f"if d <= 0 {{ return {self.expr(ret, 2).text} }}")
                self.ctx.in_base_case = False
            self.statements(self.rng.randint(1, 5))
            if self.chance(0.2):
                self.emit(f"if {self.cond(2)} {{ return {self.expr(ret, 2).text} }}")
            if recursive and self.ctx.self_calls == 0:
                rec = self.self_call_expr(ret, 1)
                if rec is not None:
                    self.emit(f"let r = {rec.text}")
                    self.declare(Var("r", ret, False, False, 0, MAX_LEN))
            tail_arm = self.value_loops and self.chance(0.3)
            if tail_arm:
                # the function's value is an arm that runs a loop (OSR in a tail)
                with self.block(f"if {self.cond(2)}"):
                    self.value_body(ret)
                self.out[-1] += " else {"
                self.indent += 1
                self.ctx.scopes.append([])
            last = self.expr(ret, 1) if ret != "arr:int" else self.expr_arr_int(1)
            # a line that began with `-`, `(` or `[` would continue the one before
            self.emit(last.text if last.text[0].isalpha() else f"return {last.text}")
            if tail_arm:
                self.ctx.scopes.pop()
                self.indent -= 1
                self.out.append("    " * self.indent + "}")
        self.out.append("")
        factor = (MAX_REC_DEPTH + 1) ** max(1, self.ctx.self_calls) if recursive else 1
        fn.cost = max(1, self.ctx.cost) * factor
        self.ctx = old_ctx
        self.fns.append(fn)

    def program(self) -> str:
        self.out.append(f"// generated by tools/ruchy_gen.py")
        if self.level3:
            self.l3_items()
        if self.closures:
            self.fn_items()
        for _ in range(self.rng.randint(1, 1 + self.size // 8)):
            self.function()
        if self.sums:
            self.out.append(recursive_sum(self.rng, "rsum"))
        use_main = self.chance(0.3)
        n = self.size
        self.statements(n if not use_main else n // 2)
        self.total_cost += self.ctx.cost
        self.final_prints()
        if self.sums:
            self.out.extend(sum_calls(self.rng, "rsum"))
        if use_main:
            self.ctx = FnContext(None)
            self.out.append("")
            with self.block("fun main()"):
                self.statements(n - n // 2)
                self.final_prints()
            if self.chance(0.3):
                self.out.append("main()")
        if self.opaque:  # last, so that every other line keeps its number
            self.out.append(f"fun {OPAQUE}(x) {{ x }}")
        return "\n".join(self.out) + "\n"

    def final_prints(self) -> None:
        vs = self.visible()
        for v in self.rng.sample(vs, min(len(vs), 4)):
            self.emit(f'println("{v.name} =", {v.name})')


def generate_program(rng: random.Random, size: int = 24, opaque_literals: bool = False,
                     value_loops: bool = False, level3: bool = False,
                     closures: bool = False, sums: bool = False) -> str:
    """A random, well-formed, terminating, deterministic Ruchy program of about ``size``
    top-level statements (plus functions).

    With ``opaque_literals`` every literal value is passed through an identity function
    defined on the last line; otherwise the program is the same one (same seed, same
    lines), so it must print the same output and fail with the same error on the same
    line: a metamorphic test of a tier's static type specialisation.

    With ``value_loops`` the program also has loops in expression position (see the
    module docstring).

    With ``level3`` the program also has structs, tuples, an enum and Options
    (tools/ruchy_gen_l3.py); with ``closures`` closures, iterator chains and maps
    (tools/ruchy_gen_l3_fn.py); with ``sums`` a recursion that adds what it returns,
    and calls of it (tools/ruchy_gen_sums.py)."""
    return Generator(rng, size, opaque_literals, value_loops, level3, closures,
                     sums).program()


def programs(size: int = 24):
    """A hypothesis strategy of generated programs (shrinks by seed, not by structure)."""
    from hypothesis import strategies as st
    return st.integers(0, 2 ** 32 - 1).map(lambda s: generate_program(random.Random(s), size))


def main(argv: Optional[list[str]] = None) -> int:
    p = argparse.ArgumentParser(description="Print a random Ruchy program.")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--size", type=int, default=24, help="about how many top-level statements")
    p.add_argument("--opaque-literals", action="store_true",
                   help="pass every literal through an identity function")
    p.add_argument("--value-loops", action="store_true",
                   help="also loops in expression position (let values, arms, tails)")
    p.add_argument("--level3", action="store_true",
                   help="also structs, tuples, an enum and Options (Level 3)")
    p.add_argument("--closures", action="store_true",
                   help="also closures, iterator chains and maps (ruchy_gen_l3_fn.py)")
    p.add_argument("--sums", action="store_true",
                   help="also a recursion that adds what it returns (ruchy_gen_sums.py)")
    args = p.parse_args(argv)
    print(generate_program(random.Random(args.seed), args.size, args.opaque_literals,
                           args.value_loops, args.level3, args.closures, args.sums), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
