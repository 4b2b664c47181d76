"""Lowering of patterns: the plans of the resolution layer (resolve/patterns.py), which
tier 0 turns into Python conditions (interp/patterns.py), become branches here. What a
pattern means (which name is a binding and which a unit variant or const, how nested
``|`` expand into rows, which tests each row makes on which part of the value, in
which order) is decided there once; this module only emits each test as an op:

========================  ================================================================
plan test                  IR
========================  ================================================================
``variant`` V of E         ``%t = tag E, %x`` and ``eq.i64 %t, INDEX`` (ops_enum.py)
``struct`` S               ``is_type !S, %x``
``tuple`` (n, exact)       ``is_type tuple<any, ..>, %x``; in a ``let``/``for``/parameter
                           pattern ``check_tuple n, %x, %whole`` (fails as tier 0 does)
``lit``                    ``matches LIT, %x``
``range`` (int bounds)     ``in_range LO, HI, %x``
``const``                  ``eq %x, %c`` (the const read before any test, as tier 0)
========================  ================================================================

and each access step as ``extract`` (a tuple's element, a struct's field) or
``payload`` (a variant's field, after its test). A row's tests branch to the next row
when they fail; a row that passes binds its names and goes to the arm. Slice patterns
and ``..`` in tuple patterns use the ops of ir/ops_sequence.py (``len_is``,
``elem_at``, ``slice_rest``, ``tuple_min``, ``tuple_at``); ``ref mut`` bindings that
their scope changes are written back by refs.py. What the IR cannot test yet (float
ranges, Ruchy's object patterns) is refused with :class:`NotInIR` at its position.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

from ..errors import RuchySyntaxError
from ..ir.core import Block, Value
from ..ir.types import tuple_of
from ..resolve import StructInfo
from ..resolve.patterns import PatternCompiler
from ..resolve.plans import Access, PatternPlan, Row, Test
from ..runtime.values import INT_MAX, INT_MIN
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer


def compile_plan(lw: "FunctionLowerer", pats: Sequence[A.Node],
                 mode: str = "value") -> PatternPlan:
    """The resolution layer's plan of the alternatives ``pats`` in this function."""
    return PatternCompiler(lw.ctx.info, lw.module, lw.self_type).compile(list(pats), mode)


def alternatives(pat: A.Node) -> list[A.Node]:
    """A pattern's top-level alternatives (``if let A | B = ..``)."""
    return list(pat.alts) if isinstance(pat, A.OrPat) else [pat]


def default_mode(lw: "FunctionLowerer", value: Optional[A.Node]) -> str:
    """Rust's default binding mode for matching ``value`` (tier 0's rule,
    interp/patterns.default_mode): through ``&mut e``, ``self`` of a ``&mut self``
    method and a parameter declared ``&mut``, plain bindings are ``ref mut``; so they are
    in the ``Option<&mut T>`` of an element reference (``v.last_mut()``: elemrefs.py),
    which tier 0 hands out as the element object itself."""
    if isinstance(value, A.Ref) and value.mutable:
        return "ref_mut"
    from .elemrefs import is_element_ref
    if is_element_ref(lw.ctx.info, value):  # `Some(x)` of `v.last_mut()`: x is `&mut T`
        return "ref_mut"
    if isinstance(value, A.Name) and lw.params_by_name.get(value.id) is not None:
        p = lw.params_by_name[value.id]
        if lw.lookup(value.id) is lw.param_vars.get(value.id):  # (not shadowed)
            if value.id == "self" and p.self_mode == "mut_ref":
                return "ref_mut"
            if p.type is not None and p.type.kind == "ref" and p.type.mutable:
                return "ref_mut"
    return "value"


class Matcher:
    """Emits the tests of plan rows on one subject value.

    ``tuple_len`` is the length of a tuple literal the subject is made of (its tuple
    test is then known to pass, as tier 0 drops it); ``strict`` marks a ``let``,
    ``for`` or parameter pattern, whose tuple tests are ``check_tuple`` (failing with
    ``whole``)."""

    def __init__(self, lw: "FunctionLowerer", subject: Value, node: A.Node,
                 tuple_len: Optional[int] = None, strict: bool = False) -> None:
        self.lw = lw
        self.subject = subject
        self.node = node
        self.tuple_len = tuple_len
        self.strict = strict
        self.consts: dict[int, Value] = {}

    def prelude(self, plans: Sequence[PatternPlan]) -> None:
        """Read the consts that tests compare with, before any test (as tier 0)."""
        for p in plans:
            for r in p.rows:
                for t in r.tests:
                    if t.op == "const" and id(t.value) not in self.consts:
                        self.consts[id(t.value)] = self.lw.expr(t.value)  # type: ignore

    # ---- one row ------------------------------------------------------------------------

    def row(self, row: Row, fail: Block) -> dict[str, Value]:
        """Emit ``row``'s tests (each branching to ``fail`` when false) and return the
        values its bindings take; lowering continues where every test passed."""
        vals: dict[Access, Value] = {(): self.subject}
        shapes: dict[Access, Test] = {}
        for t in row.tests:
            x = self.at(t.access, vals, shapes, t.span)
            cond = self.test(t, x)
            if t.op in ("variant", "struct"):
                shapes[t.access] = t
            if cond is None:
                continue
            ok = self.lw.new_block("pat.ok")
            self.lw.branch(cond, ok, fail, node=self.node)
            self.lw.ssa.seal(ok)
            self.lw.start(ok)
        return {b.name: self.at(b.access, vals, shapes, b.span) for b in row.binds}

    def at(self, acc: Access, vals: dict[Access, Value], shapes: dict[Access, Test],
           span: A.Span) -> Value:
        """The part of the subject at access path ``acc`` (read once per row)."""
        if acc in vals:
            return vals[acc]
        parent = acc[:-1]
        step = acc[-1]
        pv = self.at(parent, vals, shapes, span)
        lw = self.lw
        if step[0] == "tup" and step[1] >= 0:
            v = lw.emit("extract", [pv], imms=(str(step[1]),), span=span)
        elif step[0] == "field" and parent in shapes:
            shape = shapes[parent]
            if shape.op == "variant":
                from .enums import sum_type
                item = shape.value
                v = lw.emit("payload", [pv], imms=(sum_type(lw, item.enum, span), item.name,
                                                   step[1]), span=span)
            else:
                v = lw.emit("extract", [pv], imms=(step[1],), span=span)
        elif step[0] == "elem":
            v = lw.emit("elem_at", [pv], imms=(step[1],), span=span)
        elif step[0] == "slice":
            v = lw.emit("slice_rest", [pv], imms=(step[1], step[2]), span=span)
        elif step[0] == "tup" and parent == () and self.tuple_len is not None:
            # (after '..', of a tuple literal: its length is known)
            v = lw.emit("extract", [pv], imms=(str(self.tuple_len + step[1]),), span=span)
        elif step[0] == "tup":  # after '..': counted from the end
            v = lw.emit("tuple_at", [pv], imms=(step[1],), span=span)
        else:
            raise NotInIR("an object pattern '{ .. }'", span)
        vals[acc] = v
        return v

    def test(self, t: Test, x: Value) -> Optional[Value]:
        """A bool that is true when test ``t`` holds of ``x`` (None: it always holds)."""
        lw, op = self.lw, t.op
        if op == "variant":
            from .enums import sum_type
            item = t.value
            tag = lw.emit("tag", [x], imms=(sum_type(lw, item.enum, t.span),), span=t.span)
            return lw.emit("eq.i64", [tag, lw.const(item.index)], span=t.span)
        if op == "struct":
            from .aggregates import struct_type
            from .level3 import ir_struct
            if not isinstance(t.value, StructInfo) or ir_struct(lw.ctx.names, t.value) \
                    is not t.value:  # type: ignore[arg-type]
                raise NotInIR(f"the struct pattern '{t.value.name}'", t.span)
            return lw.emit("is_type", [x], imms=(struct_type(lw, t.value),), span=t.span)
        if op == "tuple":
            n, exact = t.value
            if t.access == () and self.tuple_len is not None:
                return None  # a tuple literal of that length (checked statically)
            if not exact:  # (in a `let`: the row fails to `let_fail`, as tier 0's test)
                return lw.emit("tuple_min", [x], imms=(n,), span=t.span)
            if self.strict:
                lw.emit("check_tuple", [x, self.subject], imms=(n,), node=self.node)
                return None
            return lw.emit("is_type", [x], imms=(tuple_of(["any"] * n),), span=t.span)
        if op == "len":
            n, exact = t.value
            return lw.emit("len_is", [x], imms=(n, exact), span=t.span)
        if op == "lit":
            if t.kind == "char":
                return lw.emit("is_char", [x], imms=(str(t.value),), span=t.span)
            return lw.emit("matches", [x], imms=(t.value,), span=t.span)
        if op == "range" and t.kind == "char":
            return self.char_range(t, x)
        if op == "range":
            lo, hi, inclusive = t.value
            if t.kind != "int":
                raise NotInIR(f"a {t.kind} range pattern", t.span)
            lo = INT_MIN if lo is None else lo
            if hi is None:
                hi = INT_MAX
            elif not inclusive:
                hi -= 1
            if hi < INT_MIN or lo > INT_MAX:
                return lw.const(False)
            return lw.emit("in_range", [x], imms=(lo, hi), span=t.span)
        if op == "const":
            return lw.emit("eq", [x, self.consts[id(t.value)]], span=t.span)
        raise NotInIR("an object pattern '{ .. }'", t.span)


    def char_range(self, t: Test, x: Value) -> Value:
        """``'a'..='z'`` (open bounds: the first and last chars)."""
        lo, hi, inclusive = t.value
        lo = "\x00" if lo is None else str(lo)
        hi = "\U0010ffff" if hi is None else str(hi)
        if not inclusive:
            if hi == "\x00":
                return self.lw.const(False)
            hi = chr(ord(hi) - 1)
        return self.lw.emit("char_range", [x], imms=(lo, hi), span=t.span)


def check_tuple_literal(value: A.Node, plans: Sequence[PatternPlan]) -> Optional[int]:
    """For ``match (a, b) { .. }``: the literal's length when no pattern needs the whole
    tuple (tier 0 then keeps its elements apart and checks each tuple pattern's length
    statically, with this error); None otherwise."""
    if not isinstance(value, A.TupleLit):
        return None
    rows = [r for p in plans for r in p.rows]
    if any(b.access == () for r in rows for b in r.binds) or any(
            t.access == () and t.op != "tuple" for r in rows for t in r.tests):
        return None
    n = len(value.elems)
    for r in rows:
        for t in r.tests:
            if t.access == () and t.op == "tuple" and (
                    t.value[0] != n if t.value[1] else t.value[0] > n):
                raise RuchySyntaxError(f"this tuple pattern has {t.value[0]} elements, but "
                                       f"the value has {n}", t.span)
    return n


def bind_values(lw: "FunctionLowerer", values: dict[str, Value], plan: PatternPlan,
                copy_from: Optional[A.Node]) -> None:
    """Write the bound values into the (already bound) variables of ``plan``'s names,
    each copied as a new holder takes it unless ``copy_from`` is None (a fresh value)."""
    for name in plan.names:
        v = values[name]
        if copy_from is not None:
            v = lw.copied(v, copy_from)
        lw.write(lw.lookup(name), v)  # type: ignore[arg-type]


def match_rows(lw: "FunctionLowerer", m: Matcher, plan: PatternPlan, success: Block,
               fail: Block, copy_from: Optional[A.Node]) -> None:
    """Test the rows of ``plan`` in order: the first that passes binds the plan's names
    (declared in the current scope) and jumps to ``success``; if none does, ``fail``.
    The caller seals both (it may add edges of its own to them)."""
    for k, row in enumerate(plan.rows):
        last = k == len(plan.rows) - 1 or not row.tests
        nxt = fail if last else lw.new_block("pat.alt")
        values = m.row(row, nxt)
        bind_values(lw, values, plan, copy_from)
        lw.jump(success)
        if last:
            break
        lw.ssa.seal(nxt)
        lw.start(nxt)


def declare(lw: "FunctionLowerer", plan: PatternPlan) -> None:
    """Bind ``plan``'s names in the current scope (their values come from the rows)."""
    for name in plan.names:
        lw.bind(name)


__all__ = ["Matcher", "alternatives", "bind_values", "check_tuple_literal", "compile_plan",
           "declare", "default_mode", "match_rows"]
