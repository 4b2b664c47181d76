"""Tier 0: the code of a pattern plan (resolve/patterns.py) against a matched value.

A plan's tests become one inline Python condition per row (``type(s) is V_E_S_A and
type(s.f_0) is int and s.f_0 == 1``): no interpreter of the plan runs at run time. The
matched value is a temp (:class:`Subject`), or for a tuple literal (``match (a, b)``)
its elements kept in temps, so no tuple is built and their kinds stay known.
Bindings are made by interp/bindings.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError
from ..resolve.patterns import PatternCompiler, PatternPlan, Row, Test
from ..resolve.writes import place_root, viewed_place
from ..syntax import ast as A
from .names import type_py, variant_py
from .opcode import is_literal, is_temp

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]
_LIT_PY = {"int": "int", "float": "float", "str": "str", "char": "Char"}


def compiler(tr: "FunctionTranslator") -> PatternCompiler:
    """The pattern compiler for the function being translated (its module and Self)."""
    fn = getattr(tr, "fn", None)
    return PatternCompiler(tr.ctx.info, fn.module if fn else "", fn.owner if fn else None)


def default_mode(value: A.Node, tr: Optional["FunctionTranslator"] = None) -> str:
    """Rust's default binding mode for matching ``value``: through ``&mut`` a plain
    binding is ``ref mut`` (``&mut e``, or ``self`` of a ``&mut self`` method of an enum,
    a ``&mut E`` parameter: translate.cell_vars; ``place.as_mut()``, matched as ``&mut
    place``: resolve/writes.viewed_place)."""
    if tr is not None:
        value = viewed_place(value, tr.ctx.info) or value
    if isinstance(value, A.Ref) and value.mutable:
        return "ref_mut"
    if tr is not None and isinstance(value, A.Name) and tr.fn is not None:
        if value.id == "self":
            if tr.fn.self_mode == "mut_ref" and tr.lookup("self") == "v_self":
                return "ref_mut"
        elif any(p.name == value.id and p.type is not None and p.type.kind == "ref"
                 and p.type.mutable for p in tr.fn.node.params) and \
                tr.lookup(value.id) == f"v_{value.id}":  # (not shadowed)
            return "ref_mut"
    return "value"


@dataclass
class Subject:
    """The matched value: ``code`` (a temp, literal or local; kind ``kind``), or for a
    tuple literal its elements (``elems``). ``place`` is the matched place expression
    (for writing ``ref mut`` bindings back), ``root`` its variable."""

    code: Optional[str]
    kind: Optional[str]
    elems: Optional[list[Value]] = None
    place: Optional[A.Node] = None
    elem_places: list = field(default_factory=list)
    root: Optional[str] = None
    #: ``type(code)``, computed once when several rows test the root's variant
    tcache: Optional[str] = None

    def whole(self) -> str:
        """Python code of the whole value (a tuple literal is built)."""
        if self.elems is None:
            return self.code
        return "(" + "".join(f"{c}, " for c, _ in self.elems) + ")"


def _is_place(node: A.Node) -> bool:
    while isinstance(node, (A.Field, A.Index, A.Deref)):
        node = node.target if not isinstance(node, A.Deref) else node.operand
    return isinstance(node, A.Name)


def subject(tr: "FunctionTranslator", value: A.Node, plans: list[PatternPlan],
            temp: bool = True) -> Subject:
    """Evaluate the matched expression once. A tuple literal whose whole value no
    pattern needs stays a list of element temps; ``&e`` matches ``e`` itself (no copy).
    With ``temp``, a variable is copied into a temp (an arm or guard may assign it).
    ``place.as_mut()`` is matched as ``&mut place`` (resolve/writes.viewed_place)."""
    value = viewed_place(value, tr.ctx.info) or value
    place = value.operand if isinstance(value, A.Ref) else value
    if isinstance(value, A.TupleLit) and not any(
            b.access == () for p in plans for r in p.rows for b in r.binds) and not any(
            t.access == () and t.op != "tuple" for p in plans for r in p.rows for t in r.tests):
        elems = []
        for c, k in tr.operands(value.elems):
            if not (is_temp(c) or is_literal(c)):
                c = tr.value_line(c, k, value)[0]
            elems.append((c, k))
        n = len(elems)
        for p in plans:
            for r in p.rows:
                for t in r.tests:
                    if t.access == () and t.op == "tuple" and (
                            t.value[0] != n if t.value[1] else t.value[0] > n):
                        raise RuchySyntaxError(f"this tuple pattern has {t.value[0]} "
                                               f"elements, but the value has {n}", t.span)
        places = [e if _is_place(e) else None for e in value.elems]
        return Subject(None, "tuple", elems, None, places)
    if _is_place(place) and isinstance(value, A.Ref) and value.mutable:
        place = _pinned(tr, place)
        value = A.Ref(True, place, span=value.span)
    if _option_pop(tr, value, plans):
        from .places import place
        r, rk = place(tr, value.receiver)
        code, kind = tr.value_line(f"_pop_opt({tr.simple(r, rk, value)})", None, value)
    elif isinstance(value, A.Ref) and (not value.mutable or _is_place(value.operand)):
        # ``&e`` and ``&mut place`` match the value itself (no Cell is made for a
        # ``&mut``: bindings into it are written back into the place, bindings.py)
        code, kind = tr.expr(value.operand)
        if value.mutable and kind in (None, "any") and code.isidentifier():
            code = f"({code}.v if type({code}) is Cell else {code})"
    else:
        code, kind = tr.expr(value)
        if isinstance(value, A.Name) and kind in (None, "any") and code.isidentifier():
            # a `&mut` of an enum value is a Cell (`for e in v.iter_mut()`, `let r =
            # &mut s`): the patterns test the value in it
            code = f"({code}.v if type({code}) is Cell else {code})"
    if temp and not (is_temp(code) or is_literal(code)):
        code = tr.value_line(code, kind, value)[0]
    elif not (code.isidentifier() or is_literal(code)):
        code = tr.value_line(code, kind, value)[0]
    return Subject(code, kind, None, place if _is_place(place) else None, [],
                   place_root(place))


def _pinned(tr: "FunctionTranslator", place: A.Node) -> A.Node:
    """``place`` with each index that is not a literal evaluated now, into a temp (a
    hidden name for it): the place a ``&mut`` borrows is the one of now, so the
    write-back of its bindings goes there even if the arm changes the index variable
    (``match &mut v[i] { (a, _) => { *a += 1; i += 1; } }``)."""
    if isinstance(place, A.Index):
        target = _pinned(tr, place.target)
        index = place.index
        if not isinstance(index, (A.IntLit, A.Range)):
            code, kind = tr.expr(index)
            t, _ = tr.value_line(code, kind, index)
            hidden = f"$ix{t}"
            tr.scopes[-1][hidden] = t
            tr.observe(t, kind)
            index = A.Name(hidden, span=index.span)
        return A.Index(target, index, place.op_span, span=place.span)
    if isinstance(place, A.Field):
        return A.Field(_pinned(tr, place.target), place.name, place.op_span, span=place.span)
    if isinstance(place, A.Deref):
        return A.Deref(_pinned(tr, place.operand), span=place.span)
    return place


def _option_pop(tr: "FunctionTranslator", value: A.Node, plans: list[PatternPlan]) -> bool:
    """Whether ``value`` is ``v.pop()`` matched against Option patterns (``while let
    Some(x) = stack.pop()``): an array's ``pop`` gives the element itself (Level 2),
    so here it is asked for Rust's ``Option`` instead."""
    if not (isinstance(value, A.MethodCall) and value.method == "pop" and not value.args):
        return False
    if tr.ctx.info is not None and tr.ctx.info.types_with_method("pop"):
        return False
    return any(t.access == () and t.op == "variant" and t.value.enum == "Option"
               for p in plans for r in p.rows for t in r.tests)


def cache_type(tr: "FunctionTranslator", subj: Subject, plans: list[PatternPlan],
               node: A.Node) -> None:
    """``_k = type(s)`` once, when several rows test the root's (non-unit) variant."""
    if subj.elems is not None:
        return
    n = sum(1 for p in plans for r in p.rows for t in r.tests
            if t.access == () and t.op == "variant" and t.value.shape != "unit")
    if n >= 2:
        subj.tcache = tr.value_line(f"type({subj.code})", None, node)[0]


def access(subj: Subject, acc: tuple) -> Value:
    """Python code (and kind, if known) of the part of the value at ``acc``."""
    steps = list(acc)
    if subj.elems is not None:
        if not steps:
            return subj.whole(), "tuple"
        _, i = steps.pop(0)
        code, kind = subj.elems[i]
        if not steps:
            return code, kind
    else:
        code, kind = subj.code, subj.kind
        if not steps:
            return code, kind
    kind = "any"
    for step in steps:
        if step[0] == "tup":
            code = f"{code}[{step[1]}]"
        elif step[0] == "field":
            # (a literal matched by an object pattern: `5.f_a` would not parse)
            code = f"({code}).f_{step[1]}" if is_literal(code) else f"{code}.f_{step[1]}"
        elif step[0] == "elem":
            code = f"{code}.d[{step[1]}]"
        else:  # ("slice", a, b): a new array of the middle elements
            code = f"_slice_rest({code}, {step[1]}, {step[2]})"
            kind = "arr"
    return code, kind


def prelude(tr: "FunctionTranslator", plans: list[PatternPlan]) -> dict[int, str]:
    """Evaluate the consts that tests compare with (before any test runs)."""
    out: dict[int, str] = {}
    for p in plans:
        for r in p.rows:
            for t in r.tests:
                nodes = [t.value] if t.op == "const" else \
                    [b for b in t.value[:2] if isinstance(b, A.Node)] if t.op == "range" else []
                for n in nodes:
                    if id(n) not in out:
                        code, kind = tr.expr(n)
                        out[id(n)] = tr.simple(code, kind, n)
    return out


def test_code(subj: Subject, t: Test, consts: dict[int, str]) -> str:
    """The Python condition of one test."""
    x, kind = access(subj, t.access)
    op = t.op
    if op == "variant":
        v = t.value
        name = variant_py(v.enum, v.name)
        if v.shape == "unit":
            return f"{x} is {name}"
        if t.access == () and subj.tcache:
            return f"{subj.tcache} is {name}"
        return f"type({x}) is {name}"
    if op == "struct":
        return f"type({x}) is {type_py(t.value.name)}"
    if op == "tuple":
        n, exact = t.value
        if kind == "tuple" and subj.elems is not None and t.access == ():
            return "True"
        return f"(type({x}) is tuple and len({x}) {'==' if exact else '>='} {n})"
    if op == "len":
        n, exact = t.value
        check = f"len({x}.d) {'==' if exact else '>='} {n}"
        return check if kind == "arr" else f"(type({x}) is Arr and {check})"
    if op == "lit":
        v = t.value
        if t.kind == "bool":
            return f"{x} is {bool(v)}"
        check = f"{x} == {v!r}"
        if kind == t.kind:
            return check
        return f"(type({x}) is {_LIT_PY[t.kind]} and {check})"
    if op == "range":
        lo, hi, inclusive = t.value
        lo = consts[id(lo)] if isinstance(lo, A.Node) else None if lo is None else repr(lo)
        hi = consts[id(hi)] if isinstance(hi, A.Node) else None if hi is None else repr(hi)
        chain = (f"{lo} <= " if lo is not None else "") + x + \
            (f" {'<=' if inclusive else '<'} {hi}" if hi is not None else "")
        if t.kind == "const":
            ref = lo if lo is not None else hi
            return f"(type({x}) is type({ref}) and {chain})"
        if kind == t.kind:
            return chain
        return f"(type({x}) is {_LIT_PY[t.kind]} and {chain})"
    if op == "const":
        return f"_eq({x}, {consts[id(t.value)]})"
    if op == "field":  # Ruchy's object pattern `{ name, .. }` (runtime/objects.has_field)
        return f"_hasf({x}, {t.value!r})"
    raise AssertionError(f"unknown test {op}")


def row_code(subj: Subject, row: Row, consts: dict[int, str]) -> str:
    tests = [c for c in (test_code(subj, t, consts) for t in row.tests) if c != "True"]
    return " and ".join(tests) if tests else "True"


def plan_code(subj: Subject, plan: PatternPlan, consts: dict[int, str]) -> str:
    """The condition that some row of ``plan`` matches ("True": always)."""
    rows = [row_code(subj, r, consts) for r in plan.rows]
    if "True" in rows:
        return "True"
    if len(rows) == 1:
        return rows[0]
    return " or ".join(f"({r})" for r in rows)


# ---- bindings ---------------------------------------------------------------------
