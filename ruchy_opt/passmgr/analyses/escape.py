"""Escape analysis of aggregates (structs and tuples: ir/ops_aggregate.py).

Aggregate values are grouped into *webs*: a ``make``, the ``insert``s and ``copy``s
made from it, and the block parameters they flow into are one web (union-find over
those edges), because a transformation must treat them together: a block parameter
that receives a struct on one edge and an updated struct on another holds both.

A web **escapes** when something outside it may see it as a whole: it is passed to a
call, returned, printed, compared, stored into another aggregate or an array, or one
of its values comes from outside the web (a function parameter, a call's result, an
``extract`` from another aggregate). Reading a field (``extract``), updating one
(``insert``, whose result is in the web), copying, passing along a branch, and the
tests lowering makes (``is_type``, ``check_tuple``) do not make it escape: all of
them can be answered field by field. A web that does not escape, whose ``make``s all
build the same type and whose field reads all name its fields, can be replaced by its
fields as SSA values (passes/sroa.py).

The result is cached per function like every analysis and dropped when a pass that
changes the function does not preserve ``escape``.
"""
from __future__ import annotations

from typing import Any, Optional

from ...ir.core import BlockParam, Function, Instruction, Value
from ...ir.types import IRType, TupleType
from ..analysis import Analysis

#: Ops whose result is the same aggregate web as their first operand.
_IN_WEB = frozenset({"insert", "copy"})


class Web:
    """One web of aggregate values; ``escape`` is why it escapes (None: it does not)."""

    def __init__(self) -> None:
        self.members: list[Value] = []
        self.makes: list[Instruction] = []
        self.type: Optional[IRType] = None
        self.fields: Optional[list[str]] = None
        self.escape: Optional[str] = None

    def __repr__(self) -> str:
        return f"<Web {self.type} {len(self.members)} values" + \
            (f", escapes: {self.escape}>" if self.escape else ">")


class EscapeInfo:
    """The webs of a function: ``web_of[v]`` for every aggregate value in one."""

    def __init__(self, webs: list[Web]) -> None:
        self.webs = webs
        self.web_of: dict[Value, Web] = {v: w for w in webs for v in w.members}

    def escapes(self, v: Value) -> bool:
        """Whether aggregate value ``v`` may be seen whole outside its web (True for a
        value in no web: nothing is known about it)."""
        w = self.web_of.get(v)
        return w is None or w.escape is not None

    def local_webs(self) -> list[Web]:
        """The webs that do not escape."""
        return [w for w in self.webs if w.escape is None]


def _find(parent: dict[Value, Value], v: Value) -> Value:
    root = v
    while parent[root] is not root:
        root = parent[root]
    while parent[v] is not root:  # path compression
        parent[v], v = root, parent[v]
    return root


def analyse(f: Function) -> EscapeInfo:
    """The webs of ``f`` and whether each escapes (see the module docstring)."""
    parent: dict[Value, Value] = {}

    def node(v: Value) -> Value:
        if v not in parent:
            parent[v] = v
        return v

    def union(a: Value, b: Value) -> None:
        ra, rb = _find(parent, node(a)), _find(parent, node(b))
        if ra is not rb:
            parent[ra] = rb

    makes = [i for i in f.instructions() if i.op.name == "make"]
    if not makes:
        return EscapeInfo([])
    for m in makes:
        node(m)
    for i in f.instructions():
        if i.op.name in _IN_WEB:
            union(i, i.operands[0])
        for s in i.succs:
            for p, a in zip(s.block.params, s.args):
                union(p, a)
    groups: dict[Value, Web] = {}
    for v in parent:
        w = groups.setdefault(_find(parent, v), Web())
        w.members.append(v)
    webs = [w for w in groups.values() if any(_is_make(v) for v in w.members)]
    for w in webs:
        _judge(w, f)
    return EscapeInfo(webs)


def _is_make(v: Value) -> bool:
    return isinstance(v, Instruction) and v.op.name == "make"


def _judge(w: Web, f: Function) -> None:
    """Fill in the web's type and fields, and why it escapes (if it does)."""
    module = f.module
    w.makes = [v for v in w.members if _is_make(v)]  # type: ignore[misc]
    types = {m.imms[0] for m in w.makes}
    w.type = w.makes[0].imms[0]
    w.fields = w.type.fields(module) if isinstance(w.type, IRType) else None
    if w.fields is None:
        w.escape = f"the fields of {w.type} are not known"
        return
    if len(types) > 1 and not all(isinstance(t, TupleType) and
                                  len(t.params) == len(w.fields) for t in types):
        w.escape = "values of different types meet"
        return
    members = set(w.members)
    for v in w.members:
        why = _source_problem(v, f) or _use_problem(v, w, members)
        if why:
            w.escape = why
            return


def _source_problem(v: Value, f: Function) -> Optional[str]:
    """Why a web member's value may come from outside the web."""
    if isinstance(v, BlockParam):
        return "it is a parameter of the function" if v.block is f.entry else None
    if isinstance(v, Instruction) and v.op.name in ("make", *_IN_WEB):
        return None
    what = getattr(v, "opname", "a value")
    return f"a value in it comes from '{what}'"


def _use_problem(v: Value, w: Web, members: set[Value]) -> Optional[str]:
    """Why a use of web member ``v`` lets the aggregate be seen whole."""
    fields = w.fields or []
    for u in v.users:
        name = u.op.name
        if u.is_terminator and v not in u.operands:
            continue  # a branch argument: the parameter is in the web
        if name in ("extract", "insert") and u.operands[0] is v and \
                (len(u.operands) < 2 or u.operands[1] is not v):
            if u.imms[0] not in fields:
                return f"'{name} \"{u.imms[0]}\"' names no field of {w.type}"
            continue
        if name == "copy" or name == "is_type":
            continue
        if name == "check_tuple" and check_passes(u, w, members):
            continue  # the whole value is shown only when the check fails
        return f"it is used by '{name}'"
    return None


def check_passes(u: Instruction, w: Optional[Web] = None,
                 members: frozenset = frozenset()) -> bool:
    """Whether ``check_tuple n, %v, ..`` passes whatever runs: ``%v`` is a tuple of
    ``n`` (a member of web ``w`` of that type, or a ``make`` of one)."""
    v, n = u.operands[0], u.imms[0]
    if w is not None and v in members:
        return isinstance(w.type, TupleType) and n == len(w.fields or ())
    t = v.imms[0] if _is_make(v) else None  # type: ignore[union-attr]
    return isinstance(t, TupleType) and len(t.params) == n


class EscapeAnalysis(Analysis):
    """Aggregate webs and whether each escapes (passes/sroa.py, codegen later)."""

    name = "escape"
    description = "which structs and tuples escape their function (webs of make/insert)"

    @classmethod
    def compute(cls, target: Any, am: Any) -> EscapeInfo:
        return analyse(target)


__all__ = ["EscapeAnalysis", "EscapeInfo", "Web", "analyse", "check_passes"]
