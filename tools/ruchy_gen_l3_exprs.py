"""The expressions of Level 3 for tools/ruchy_gen.py (see ruchy_gen_l3.py): struct values
(constructors, literals with ``..base``, copies, calls), enum values and ``match`` over
them with bindings and guards, ``Option`` values consumed by ``if let``, ``match`` and
``unwrap_or``, tuples, and the scalar expressions read out of all of these."""
from __future__ import annotations

from typing import Optional

from ruchy_gen_model import (MAX_EXPR_DEPTH, P_ATOM, P_CTRL, P_OR, P_POSTFIX, SCALARS,
                             VARIANTS, Expr, Method, Var)


class Level3Exprs:
    """Expression generators of Level 3, mixed into ruchy_gen.Generator."""

    def l3_expr(self, ty: str, depth: int) -> Expr:
        """An expression of any type: scalars through ``expr``, Level 3 types here."""
        if ty in SCALARS:
            return self.expr(ty, depth)
        if ty.startswith("st:"):
            return self.struct_expr(ty[3:], depth)
        reads = [p for p in self.places() if p[1] == ty]
        if reads and (depth >= MAX_EXPR_DEPTH or self.chance(0.4)):
            return Expr(self.pick(reads)[0], P_POSTFIX)
        if ty == "tup":
            return Expr(f"({self.expr('int', depth + 1).text}, "
                        f"{self.expr('float', depth + 1).text})", P_ATOM)
        if ty == "en":
            vname, payload = self.pick(VARIANTS)
            args = ", ".join(self.l3_expr(t, depth + 1).text for t in payload)
            return Expr(self.variant(vname) + (f"({args})" if payload else ""), P_POSTFIX)
        k = self.rng.random()  # opt
        fns = [f for f in self.l3_fns if f.kind == "opt" and self.affordable(f.cost)]
        if k < 0.35 and fns:
            f = self.pick(fns)
            self.charge(f.cost)
            return Expr(f"{f.name}({self.expr('int', depth + 1).text})", P_POSTFIX)
        if k < 0.85:
            return Expr(f"Some({self.expr('int', depth + 1).text})", P_POSTFIX)
        if k < 0.92 and depth < MAX_EXPR_DEPTH:
            # an `if` as the Option: written bare after `if let ... =` and `match`
            # (scrutinee), where its blocks must not be taken for the header's body
            return Expr(f"if {self.cond(depth + 1)} {{ Some({self.expr('int', depth + 1).text}) }}"
                        " else { None }", P_CTRL)
        return Expr("None")

    @staticmethod
    def scrutinee(o: Expr) -> str:
        """``o`` as the value of ``if let``/``match``: an ``if`` bare (valid Rust, and a
        test of the parser's header layout), anything else as precedence asks."""
        return o.text if o.prec == P_CTRL and o.text.startswith("if ") else o.at(P_OR)

    def struct_expr(self, sname: str, depth: int, bare: bool = False) -> Expr:
        """A value of struct ``sname``. A struct literal is in parentheses unless ``bare``
        (as in Rust, a bare one is not allowed in a condition or a scrutinee)."""
        st = self.structs[sname]
        reads = [p[0] for p in self.places() if p[1] == "st:" + sname]
        k = self.rng.random()
        if reads and (k < 0.3 or depth >= MAX_EXPR_DEPTH):
            return Expr(self.pick(reads), P_POSTFIX)
        if k < 0.5:
            args = ", ".join(self.l3_expr(t, depth + 1).text for _, t in st.fields)
            return Expr(f"{sname}::new({args})", P_POSTFIX)
        owned = [m for m in st.methods if m.mode == "self" and self.affordable(m.cost)]
        if k < 0.6 and reads and owned:
            return Expr(self.method_call(self.pick(reads), self.pick(owned)), P_POSTFIX)
        vals = [f for f in self.l3_fns if f.kind == "val" and f.struct == sname
                and self.affordable(f.cost)]
        if k < 0.7 and vals:
            f = self.pick(vals)
            self.charge(f.cost)
            arg = self.struct_expr(sname, depth + 1)
            return Expr(f"{f.name}({arg.text}, {self.expr('int', depth + 1).text})", P_POSTFIX)
        if k < 0.8 and reads and len(st.fields) > 1:
            fname, fty = self.pick(st.fields)
            lit = (f"{sname} {{ {fname}: {self.l3_expr(fty, depth + 1).text}, "
                   f"..{self.pick(reads)} }}")
        else:
            inits = ", ".join(f"{f}: {self.l3_expr(t, depth + 1).text}"
                              for f, t in self.rng.sample(st.fields, len(st.fields)))
            lit = f"{sname} {{ {inits} }}"
        return Expr(lit, P_ATOM) if bare else Expr(f"({lit})", P_ATOM)

    def method_call(self, receiver: str, m: Method) -> str:
        """``receiver.m(args)``, charged with the method's cost."""
        self.charge(m.cost)
        args = ", ".join(self.expr(t, 2).text for _, t in m.params)
        return f"{receiver}.{m.name}({args})"

    def variant_pattern(self, vname: str, payload: tuple) -> tuple[str, list]:
        """A pattern of variant ``vname`` and the bindings it makes: each payload element
        is a binding, ``_``, a literal, a range or ``name @ range``."""
        elems, binds = [], []
        for t in payload:
            k = self.rng.random()
            if k < 0.55:
                b = self.fresh("b")
                elems.append(b)
                binds.append((b, t))
            elif k < 0.75 or t == "float":
                elems.append("_")
            elif t == "str":
                elems.append(self.pick(['"a"', '""', '"xy"']))
            elif k < 0.85:
                elems.append(str(self.rng.randint(-1, 5)))
            elif k < 0.93:
                lo = self.rng.randint(-3, 5)
                elems.append(f"{lo}..={lo + self.rng.randint(0, 6)}")
            else:
                b = self.fresh("b")
                elems.append(f"{b} @ 0..=9")
                binds.append((b, t))
        pat = self.variant(vname) + (f"({', '.join(elems)})" if payload else "")
        return pat, binds

    def enum_match(self, ty: str, depth: int, scrut: Optional[Expr] = None) -> str:
        """``match`` over the enum with a value of type ``ty`` in each arm; it always
        has an arm that matches."""
        scrut = scrut or self.l3_expr("en", depth + 1)
        arms = []
        if self.chance(0.2):
            (a, pa), (b, pb) = self.rng.sample(VARIANTS, 2)
            alt = [self.variant(n) + (f"({', '.join('_' for _ in p)})" if p else "")
                   for n, p in ((a, pa), (b, pb))]
            arms.append(f"{' | '.join(alt)} => {self.expr(ty, depth + 1).text}")
        for vname, payload in self.rng.sample(VARIANTS, self.rng.randint(1, len(VARIANTS))):
            pat, binds = self.variant_pattern(vname, payload)
            self.ctx.scopes.append([Var(b, t, False, False) for b, t in binds])
            guard = f" if {self.cond(depth + 1)}" if binds and self.chance(0.3) else ""
            arms.append(f"{pat}{guard} => {self.expr(ty, depth + 1).text}")
            self.ctx.scopes.pop()
        arms.append(f"_ => {self.expr(ty, depth + 1).text}")
        return f"match {scrut.at(P_OR)} {{ {', '.join(arms)} }}"

    def opt_use(self, ty: str, depth: int) -> Expr:
        """An ``Option`` consumed by ``if let`` or ``match``, as a value of type ``ty``."""
        o = self.l3_expr("opt", depth + 1)
        b = self.fresh("b")
        self.ctx.scopes.append([Var(b, "int", False, False)])
        some = self.expr(ty, depth + 1).text
        if self.chance(0.5):
            self.ctx.scopes.pop()
            return Expr(f"if let Some({b}) = {self.scrutinee(o)} {{ {some} }} else "
                        f"{{ {self.expr(ty, depth + 1).text} }}", P_CTRL)
        arms = []
        if self.chance(0.4):
            arms.append(f"Some({b}) if {b} > {self.rng.randint(-2, 9)} => "
                        f"{self.expr(ty, depth + 1).text}")
        self.ctx.scopes.pop()
        if self.chance(0.3):
            arms.append(f"Some({self.rng.randint(0, 3)}) => {self.expr(ty, depth + 1).text}")
        arms.append(f"Some({b}) => {some}")
        arms.append(f"None => {self.expr(ty, depth + 1).text}")
        return Expr(f"match {self.scrutinee(o)} {{ {', '.join(arms)} }}", P_CTRL)

    def l3_scalar(self, ty: str, depth: int) -> Optional[Expr]:
        """A scalar of type ``ty`` read out of a Level 3 value, or None."""
        k = self.rng.random()
        places = self.places()
        if k < 0.3:
            reads = [p for p in places if p[1] == ty]
            return Expr(self.pick(reads)[0], P_POSTFIX) if reads else None
        if k < 0.5:
            calls = [(p[0], m) for p in places if p[1].startswith("st:")
                     for m in self.structs[p[1][3:]].methods
                     if m.ret == ty and m.mode and (m.mode != "&mut self" or p[2])
                     and self.affordable(m.cost)]
            if not calls:
                return None
            receiver, m = self.pick(calls)
            return Expr(self.method_call(receiver, m), P_POSTFIX)
        if k < 0.62:
            return Expr(self.enum_match(ty, depth), P_CTRL)
        if k < 0.74:
            return self.opt_use(ty, depth)
        if ty == "int" and k < 0.84:
            o = self.l3_expr("opt", depth + 1)
            return Expr(f"{o.at(P_POSTFIX)}.unwrap_or({self.expr('int', depth + 1).text})",
                        P_POSTFIX)
        if ty == "int":
            fns = [f for f in self.l3_fns if f.kind == "enum" and self.affordable(f.cost)]
            if fns:
                f = self.pick(fns)
                self.charge(f.cost)
                return Expr(f"{f.name}({self.l3_expr('en', depth + 1).text})", P_POSTFIX)
            return Expr(f"{self.l3_expr('tup', depth + 1).at(P_POSTFIX)}.0", P_POSTFIX)
        if ty == "float":
            return Expr(f"{self.l3_expr('tup', depth + 1).at(P_POSTFIX)}.1", P_POSTFIX)
        if ty == "str":
            what = self.pick(["tup", "en", "opt", "st:" + self.pick(self.structs)])
            return Expr(f'format!("{{:?}}", {self.l3_expr(what, depth + 1).text})', P_POSTFIX)
        # bool
        what = self.pick(["opt", "tup", "en", "st"])
        if what == "opt":
            o = self.l3_expr("opt", depth + 1)
            return Expr(f"{o.at(P_POSTFIX)}.{self.pick(['is_some()', 'is_none()'])}",
                        P_POSTFIX)
        if what == "tup":
            op = self.pick(["<", "<=", ">", "==", "!="])
            return self.binary(op, self.l3_expr("tup", depth + 1), self.l3_expr("tup", depth + 1))
        if what == "en":
            return self.binary(self.pick(["==", "!="]), self.l3_expr("en", depth + 1),
                               self.l3_expr("en", depth + 1))
        sty = "st:" + self.pick(self.structs)
        return self.binary(self.pick(["==", "!="]), self.l3_expr(sty, depth + 1),
                           self.l3_expr(sty, depth + 1))

