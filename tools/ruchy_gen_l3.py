"""Level 3 for tools/ruchy_gen.py (``--level3``): structs with impl blocks (associated
``new``, methods taking ``&self``, ``&mut self`` and ``self``), field reads and writes at
any depth, struct values copied and then changed, Vecs of structs, tuples (literals,
``.0``, destructuring ``let``), an enum with unit and tuple variants matched with
bindings, literals, ranges and guards, and functions returning ``Option`` consumed by
``if let``, ``while let``, ``match``, ``unwrap_or`` and ``?``.

The ``Level3`` mixin draws random numbers only when ``self.level3`` is set (the hooks in
ruchy_gen.py test it first), so that without the option every seed gives the program it
gave before. Termination is kept as in the rest of the generator: items have no loops of
their own except through ``statements`` (which count their cost), calls are charged
their callee's cost, and the one ``while let`` counts down from a literal.

Types: ``st:P0`` a struct, ``vst:P0`` a Vec of them of fixed length (``Var.minlen``),
``tup`` an ``(i64, f64)``, ``en`` the enum, ``opt`` an ``Option<i64>``.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator, Optional

from ruchy_gen_l3_exprs import Level3Exprs
from ruchy_gen_model import (CALL_BUDGET, ENUM, MAX_EXPR_DEPTH, MAX_MULT, P_OR, P_POSTFIX,
                             SCALARS, TOTAL_BUDGET, VARIANTS, Expr, Fn, FnContext, L3Fn,
                             Method, StructInfo, Var, rust_type)

class Level3(Level3Exprs):
    """Items, statements and the hooks of Level 3 (expressions: Level3Exprs)."""

    def l3_setup(self) -> None:
        """State of Level 3; no random numbers are drawn here."""
        self.structs: dict[str, StructInfo] = {}
        self.l3_fns: list[L3Fn] = []
        self.enum_glob = False

    # --- helpers -------------------------------------------------------------------

    def affordable(self, cost: int) -> bool:
        """Whether a call costing ``cost`` fits the call and total budgets here."""
        need = self.ctx.mult * cost
        return need <= CALL_BUDGET and self.total_cost + self.ctx.cost + need <= TOTAL_BUDGET

    def charge(self, cost: int) -> None:
        self.ctx.cost += self.ctx.mult * cost

    def variant(self, name: str) -> str:
        """How a variant is named here: bare after ``use Shape::*`` now and then."""
        return name if self.enum_glob and self.chance(0.5) else f"{ENUM}::{name}"

    def places(self) -> list[tuple[str, str, bool]]:
        """Every readable place of Level 3 in scope: (text, type, writable), through
        struct fields at any depth, Vec elements and tuple elements."""
        out: list[tuple[str, str, bool]] = []
        for v in self.visible():
            if v.ty.startswith("st:"):
                self._walk(v.name, v.ty, v.mutable, out)
            elif v.ty.startswith("vst:"):
                for i in range(v.minlen):
                    self._walk(f"{v.name}[{i}]", "st:" + v.ty[4:], v.mutable, out)
            elif v.ty == "tup":
                out += [(v.name, "tup", False), (f"{v.name}.0", "int", v.mutable),
                        (f"{v.name}.1", "float", v.mutable)]
            elif v.ty in ("opt", "en"):
                out.append((v.name, v.ty, False))
        return out

    def _walk(self, text: str, ty: str, writable: bool, out: list) -> None:
        out.append((text, ty, writable))
        for fname, fty in self.structs[ty[3:]].fields:
            if fty.startswith("st:"):
                self._walk(f"{text}.{fname}", fty, writable, out)
            else:
                out.append((f"{text}.{fname}", fty, writable))

    @contextmanager
    def in_function(self, fn: Fn) -> Iterator[None]:
        """Generate an item's body in a context of its own (its cost is ``fn.cost``)."""
        old, self.ctx = self.ctx, FnContext(fn)
        try:
            yield
        finally:
            fn.cost = max(1, self.ctx.cost)
            self.ctx = old

    def tail(self, ty: str) -> None:
        """The value line of a body (a line that cannot continue the one before)."""
        e = self.l3_expr(ty, 1)
        self.emit(e.text if e.text[0].isalpha() else f"return {e.text}")

    # --- items ---------------------------------------------------------------------

    def l3_items(self) -> None:
        """The structs, the enum, their impls and the Level 3 functions."""
        for i in range(self.rng.randint(1, 3)):
            name = f"P{i}"
            fields = [(f"k{j}", self.pick(SCALARS + ("int", "float")))
                      for j in range(self.rng.randint(1, 3))]
            if self.structs and self.chance(0.6):
                fields.append((f"k{len(fields)}", "st:" + self.pick(self.structs)))
            self.structs[name] = StructInfo(name, fields)
            self.out.append("#[derive(Debug, Clone, PartialEq)]")
            with self.block(f"struct {name}"):
                for fname, fty in fields:
                    self.out.append("    " * self.indent + f"{fname}: {rust_type(fty)},")
            self.out.append("")
        self.out.append("#[derive(Debug, Clone, PartialEq)]")
        with self.block(f"enum {ENUM}"):
            for vname, payload in VARIANTS:
                args = f"({', '.join(rust_type(t) for t in payload)})" if payload else ""
                self.out.append("    " * self.indent + f"{vname}{args},")
        if self.chance(0.5):
            self.enum_glob = True
            self.out.append(f"use {ENUM}::*;")
        self.out.append("")
        # a state machine: `*self = ..` in a `&mut self` method of the enum
        self.out += [f"impl {ENUM} {{", "    fn step(&mut self) {", "        *self = match self {",
                     f"            {ENUM}::Nil => {ENUM}::One(1),",
                     f"            {ENUM}::One(a) => {{ *a += 1; {ENUM}::Two(*a, 0.5) }}",
                     f"            {ENUM}::Two(a, _) => {ENUM}::Txt(a.to_string()),",
                     f"            {ENUM}::Txt(_) => {ENUM}::Nil,", "        };", "    }",
                     "}", ""]
        for st in self.structs.values():
            self.impl(st)
        for _ in range(self.rng.randint(1, 3)):
            self.l3_function()

    def impl(self, st: StructInfo) -> None:
        ty = "st:" + st.name
        with self.block(f"impl {st.name}"):
            params = ", ".join(f"{f}: {rust_type(t)}" for f, t in st.fields)
            fields = self.rng.sample(st.fields, len(st.fields))
            owner = self.pick([st.name, "Self"])
            with self.block(f"fn new({params}) -> Self"):
                self.emit(f"{owner} {{ {', '.join(f for f, _ in fields)} }}")
            st.methods.append(Method("new", "", [(f, t) for f, t in st.fields], ty))
            for i in range(self.rng.randint(1, 3)):
                mode = self.pick(["&self", "&mut self", "&mut self", "self"])
                ret = (ty if mode == "self" else
                       self.pick(SCALARS + ("int", "int")) if mode == "&self" or self.chance(0.4)
                       else None)
                params = [(f"a{j}", self.pick(["int", "int", "float"]))
                          for j in range(self.rng.randint(0, 2))]
                m = Method(f"m{i}", mode, params, ret)
                fn = Fn(m.name, [], ret or "unit")
                plist = "".join(f", {p}: {rust_type(t)}" for p, t in params)
                rann = f" -> {'Self' if ret == ty else rust_type(ret)}" if ret else ""
                with self.in_function(fn), self.block(f"fn {m.name}({mode}{plist}){rann}"):
                    self.declare(Var("self", ty, mode == "&mut self", False, param=True))
                    for p, t in params:
                        self.declare(Var(p, t, False, False, param=True))
                    self.statements(self.rng.randint(0, 3))
                    if ret == ty:
                        f, t = self.pick(st.fields)
                        self.emit(f"{self.pick([st.name, 'Self'])} {{ {f}: "
                                  f"{self.l3_expr(t, 1).text}, ..self }}")
                    elif ret:
                        self.tail(ret)
                m.cost = fn.cost
                st.methods.append(m)
        self.out.append("")

    def l3_function(self) -> None:
        i = len(self.l3_fns)
        kinds = ["opt", "opt", "enum", "val", "mut"]
        kind = self.pick(kinds)
        sname = self.pick(self.structs)
        f = L3Fn(f"g{i}", kind, sname)
        fn = Fn(f.name, [], "unit")
        sty = "st:" + sname
        if kind == "opt":
            header = f"fn g{i}(n: i64) -> Option<i64>"
        elif kind == "enum":
            header = f"fn g{i}(e: {ENUM}) -> i64"
        elif kind == "val":
            header = f"fn g{i}(mut s: {sname}, n: i64) -> {sname}"
        else:
            header = f"fn g{i}(s: &mut {sname}, n: i64)"
        with self.in_function(fn), self.block(header):
            if kind == "enum":
                self.declare(Var("e", "en", False, False, param=True))
            else:
                self.declare(Var("n", "int", False, False, param=True))
            if kind in ("val", "mut"):
                self.declare(Var("s", sty, True, False, param=True))
            self.statements(self.rng.randint(0, 2))
            if kind == "opt":
                earlier = [g for g in self.l3_fns if g.kind == "opt"]
                if earlier and self.chance(0.5):
                    g = self.pick(earlier)
                    self.charge(g.cost)
                    self.emit(f"let q = {g.name}(n)?")
                    self.declare(Var("q", "int", False, False))
                self.emit(f"if {self.cond(2)} {{ Some({self.l3_expr('int', 2).text}) }} "
                          f"else {{ None }}")
            elif kind == "enum":
                self.emit(self.enum_match("int", 2, Expr("e")))
            elif kind == "val":
                self.emit("s")
        f.cost = fn.cost
        self.l3_fns.append(f)
        self.out.append("")

    # --- statements ------------------------------------------------------------------

    def l3_statement(self) -> None:
        """One Level 3 statement (the caller has checked the block depth)."""
        k = self.rng.random()
        places = self.places()
        writable = [p for p in places if p[2] and p[1] in SCALARS]
        if k < 0.14:
            self.let_struct()
        elif k < 0.30 and writable:
            text, ty, _ = self.pick(writable)
            op = self.pick(["=", "+=", "-="]) if ty in ("int", "float") else "="
            self.emit(f"{text} {op} {self.l3_expr(ty, 2).text}")
        elif k < 0.40:
            self.method_stmt(places)
        elif k < 0.47 and places:
            text, _, _ = self.pick(places)
            self.emit(f'println!("{self.pick(["{:?}", "{}", "{:?}"])}", {text})')
        elif k < 0.55:
            self.tuple_stmt(places)
        elif k < 0.63:
            self.opt_stmt()
        elif k < 0.70:
            self.enum_stmt()
        elif k < 0.76:
            ty = self.pick(["opt", "en", "tup"])
            name = self.fresh()
            ann = f": {rust_type(ty)}" if self.chance(0.3) else ""
            steps = ty == "en" and self.chance(0.4)
            self.emit(f"let {'mut ' if steps else ''}{name}{ann} = {self.l3_expr(ty, 1).text}")
            if steps:  # the enum's `&mut self` state change (impl in l3_items)
                for _ in range(self.rng.randint(1, 3)):
                    self.emit(f"{name}.step()")
                self.emit(f'println!("{{:?}}", {name})')
            self.declare(Var(name, ty, False, False))
        elif k < 0.84:
            self.fn_stmt(places)
        elif k < 0.91:
            self.vec_stmt()
        elif k < 0.96:
            self.copy_stmt(places)
        else:
            self.destructure_stmt(places)

    def let_struct(self, sname: Optional[str] = None) -> None:
        sname = sname or self.pick(self.structs)
        name = self.fresh()
        e = self.struct_expr(sname, 1, bare=True)
        ann = f": {sname}" if self.chance(0.2) else ""
        self.emit(f"let mut {name}{ann} = {e.text}")
        self.declare(Var(name, "st:" + sname, True, True))

    def method_stmt(self, places: list) -> None:
        calls = [(p, m) for p in places if p[1].startswith("st:")
                 for m in self.structs[p[1][3:]].methods
                 if m.mode and (m.mode != "&mut self" or p[2]) and self.affordable(m.cost)]
        if not calls:
            self.let_struct()
            return
        (text, _, _), m = self.pick(calls)
        call = self.method_call(text, m)
        if m.ret and not m.ret.startswith("st:"):
            self.emit(f"println!(\"{m.name}: {{:?}}\", {call})")
        elif m.ret:
            name = self.fresh()
            self.emit(f"let mut {name} = {call}")
            self.declare(Var(name, m.ret, True, True))
        else:
            self.emit(call)

    def tuple_stmt(self, places: list) -> None:
        tups = [p for p in places if p[1] == "tup"]
        if tups and self.chance(0.5):
            a, b = self.fresh(), self.fresh()
            self.emit(f"let ({a}, {b}) = {self.pick(tups)[0]}")
            self.declare(Var(a, "int", False, False))
            self.declare(Var(b, "float", False, False))
            return
        name = self.fresh()
        self.emit(f"let mut {name} = ({self.l3_expr('int', 2).text}, "
                  f"{self.l3_expr('float', 2).text})")
        self.declare(Var(name, "tup", True, False))

    def opt_stmt(self) -> None:
        if self.chance(0.25) and MAX_MULT // self.ctx.mult >= 4 and self.block_depth() < 6:
            self.while_let()
            return
        b = self.fresh("b")
        if self.chance(0.15):
            self.overwritten_place(b)
            return
        if self.chance(0.5):
            with self.block(f"if let Some({b}) = {self.scrutinee(self.l3_expr('opt', 1))}"):
                self.declare(Var(b, "int", False, False))
                self.statements(self.rng.randint(1, 2))
            if self.chance(0.5):
                self.out[-1] += " else {"
                self.indent += 1
                self.ctx.scopes.append([])
                self.statements(self.rng.randint(1, 2))
                self.ctx.scopes.pop()
                self.indent -= 1
                self.out.append("    " * self.indent + "}")
            return
        with self.block(f"match {self.scrutinee(self.l3_expr('opt', 1))}"):
            if self.chance(0.4):
                with self.block(f"Some({b}) if {b} > {self.rng.randint(-2, 9)} =>", "},"):
                    self.declare(Var(b, "int", False, False))
                    self.statements(1)
            with self.block(f"Some({b}) =>", "},"):
                self.declare(Var(b, "int", False, False))
                self.statements(self.rng.randint(1, 2))
            with self.block("None =>"):
                self.statements(self.rng.randint(0, 1))

    def overwritten_place(self, b: str) -> None:
        """``if let Some(b) = &mut o { *b = ..; o = ..; }``: the direct assignment after
        the reference's last use is what ``o`` holds after (resolve/overwrites.py)."""
        o = self.fresh()
        self.emit(f"let mut {o} = {self.l3_expr('opt', 1).text}")
        with self.block(f"if let Some({b}) = &mut {o}"):
            self.emit(f"*{b} = *{b} % 1000 + {self.rng.randint(1, 9)}")
            if self.chance(0.7):
                new = self.pick(["None", f"Some(*{b} * 2)", f"Some({self.rng.randint(0, 9)})"])
                self.emit(f"{o} = {new}")
        self.emit(f'println!("{{:?}}", {o})')
        self.declare(Var(o, "opt", False, False))

    def while_let(self) -> None:
        """``while let Some(b) = w`` counting ``w`` down from a literal: the update comes
        first, so that a ``continue`` in the body cannot skip it."""
        w, b = self.fresh("w"), self.fresh("b")
        trips = self.rng.randint(1, 3)
        self.emit(f"let mut {w} = Some({trips})")
        with self.loop_body(f"while let Some({b}) = {w}", trips + 1):
            self.emit(f"{w} = if {b} > 0 {{ Some({b} - 1) }} else {{ None }}")
            self.declare(Var(b, "int", False, False))
            self.statements(self.rng.randint(1, 2))

    def enum_stmt(self) -> None:
        with self.block(f"match {self.l3_expr('en', 1).at(P_OR)}"):
            covered = 0
            for vname, payload in self.rng.sample(VARIANTS, self.rng.randint(1, len(VARIANTS))):
                pat, binds = self.variant_pattern(vname, payload)
                guard = f" if {self.cond(2)}" if binds and self.chance(0.3) else ""
                covered += not guard
                with self.block(f"{pat}{guard} =>", "},"):
                    for b, t in binds:
                        self.declare(Var(b, t, False, False))
                    self.statements(self.rng.randint(0, 2))
            with self.block("_ =>"):
                self.statements(self.rng.randint(0, 1))

    def fn_stmt(self, places: list) -> None:
        structs = [p for p in places if p[1].startswith("st:")]
        params = {v.name for v in self.visible() if v.param}
        # a &mut parameter is not passed on (see ruchy_gen.py's docstring)
        muts = [(p, f) for p in structs if p[2] and _root(p[0]) not in params
                for f in self.l3_fns if f.kind == "mut" and "st:" + f.struct == p[1]
                and self.affordable(f.cost)]
        if muts and self.chance(0.6):
            (text, _, _), f = self.pick(muts)
            self.charge(f.cost)
            self.emit(f"{f.name}(&mut {text}, {self.l3_expr('int', 2).text})")
            return
        vals = [f for f in self.l3_fns if f.kind == "val" and self.affordable(f.cost)]
        if vals:
            f = self.pick(vals)
            self.charge(f.cost)
            name = self.fresh()
            arg = self.struct_expr(f.struct, 2)
            self.emit(f"let {name} = {f.name}({arg.text}, {self.l3_expr('int', 2).text})")
            self.declare(Var(name, "st:" + f.struct, False, False))
            return
        self.let_struct()

    def vec_stmt(self) -> None:
        vecs = [v for v in self.visible() if v.ty.startswith("vst:")]
        room = MAX_MULT // self.ctx.mult
        if vecs and self.chance(0.6) and room >= 3 and self.block_depth() < 6:
            v = self.pick(vecs)
            it = self.fresh("it")
            mut = v.mutable and self.chance(0.5)
            with self.loop_body(f"for {it} in &{'mut ' if mut else ''}{v.name}", v.minlen):
                self.declare(Var(it, v.ty.replace("vst:", "st:"), mut, False, param=True))
                self.statements(self.rng.randint(1, 2))
            return
        sname = self.pick(self.structs)
        n = self.rng.randint(1, 3)
        name = self.fresh()
        if self.chance(0.5):
            items = ", ".join(self.struct_expr(sname, 2, bare=True).text for _ in range(n))
            self.emit(f"let mut {name} = vec![{items}]")
        else:
            self.emit(f"let mut {name} = vec![{self.struct_expr(sname, 2, bare=True).text}; {n}]")
        self.declare(Var(name, "vst:" + sname, True, False, n, n))

    def copy_stmt(self, places: list) -> None:
        """A copy of a struct value, changed, then both printed: value semantics."""
        structs = [p for p in places if p[1].startswith("st:")]
        if not structs:
            self.let_struct()
            return
        text, ty, _ = self.pick(structs)
        name = self.fresh()
        self.emit(f"let mut {name} = {text}")
        self.declare(Var(name, ty, True, True))
        mine = [p for p in self.places() if p[0].startswith(name + ".") and p[1] in SCALARS]
        ftext, fty, _ = self.pick(mine)
        self.emit(f"{ftext} = {self.l3_expr(fty, 2).text}")
        self.emit(f'println!("{{:?}} {{:?}}", {text}, {name})')

    def destructure_stmt(self, places: list) -> None:
        structs = [p for p in places if p[1].startswith("st:")]
        if not structs:
            self.tuple_stmt(places)
            return
        text, ty, _ = self.pick(structs)
        st = self.structs[ty[3:]]
        fname, fty = self.pick(st.fields)
        name = self.fresh()
        rest = ", .." if len(st.fields) > 1 else ""
        self.emit(f"let {st.name} {{ {fname}: {name}{rest} }} = {text}")
        self.declare(Var(name, fty, False, False))

    # --- the hooks of ruchy_gen.py ------------------------------------------------------

    def l3_hook_statement(self) -> bool:
        """Maybe generate a Level 3 statement (only with ``level3``)."""
        if self.block_depth() < 6 and self.chance(0.25):
            self.l3_statement()
            return True
        return False

    def l3_hook_expr(self, ty: str, depth: int) -> Optional[Expr]:
        """Maybe a Level 3 expression of the scalar type ``ty`` (only with ``level3``)."""
        if depth < MAX_EXPR_DEPTH and self.chance(0.25):
            return self.l3_scalar(ty, depth)
        return None

    def l3_hook_leaf(self, ty: str) -> Optional[Expr]:
        """Maybe a field or tuple element as a leaf of type ``ty``."""
        if ty in SCALARS and self.chance(0.25):
            reads = [p for p in self.places() if p[1] == ty]
            if reads:
                return Expr(self.pick(reads)[0], P_POSTFIX)
        return None


def _root(place: str) -> str:
    """The variable a place starts from (``v3`` of ``v3[1].k0.k2``)."""
    return place.split(".")[0].split("[")[0]
