"""Tier 0: places (``x``, ``a[i][j]``, ``p.pos.x``, ``t.1.0``, ``*n``) and writes to them.

A place is a local followed by steps: an index ``[i]``, a named field ``.x``, a tuple
(or tuple-struct) element ``.0``, or ``*`` at the root. Writing through a place walks to
the container of its last step, making each array on the way private (copy on write:
``_elem_w``), and stores there. Structs and variants are held by one place, so a field
write mutates the object in place; a tuple is immutable, so a write to an element
builds a new tuple and stores that into the tuple's own place, up to the first object
or the root (docs/level3.md).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError
from ..syntax import ast as A
from .fieldkinds import field_kind
from .opcode import binary

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


@dataclass
class Step:
    """One step of a place: ``idx`` (code of the index), ``fld`` (field name), ``tup``
    (element number), ``deref`` (``*`` of the root)."""

    kind: str
    code: str
    node: A.Node
    ikind: Optional[str] = None


@dataclass
class Loc:
    """A place with its index expressions evaluated: the root's Python local (None if
    the root is not a local) and the steps."""

    root: Optional[str]
    root_node: A.Node
    steps: list[Step]


def field_span(node: A.Field) -> A.Span:
    """The span of a field access's name (``z`` of ``p.z``): where its errors point."""
    sp = node.span
    return A.Span(sp.end_line, max(1, sp.end_col - len(node.name)), sp.end_line, sp.end_col)


def _split(node: A.Node) -> tuple[A.Node, list[A.Node]]:
    """The root of a place expression and its step nodes, outermost last."""
    steps: list[A.Node] = []
    while True:
        if isinstance(node, (A.Index, A.Field)):
            steps.append(node)
            node = node.target
        elif isinstance(node, A.Deref) and isinstance(node.operand, A.Name):
            steps.append(node)
            node = node.operand
            break
        elif isinstance(node, A.Deref):
            node = node.operand  # `*a.b`: the reference a field holds is the value itself
        else:
            break
    return node, steps[::-1]


def _root_var(tr: "FunctionTranslator", root: A.Node) -> Optional[str]:
    """The Python name of a place's root: a variable, or a static named by a path."""
    if isinstance(root, A.Name):
        return tr.lookup(root.id)
    if isinstance(root, A.Path):
        from .items import path_variable
        return path_variable(tr, root)
    return None


def is_place(tr: "FunctionTranslator", node: A.Node) -> bool:
    root, _ = _split(node)
    return _root_var(tr, root) is not None


def locate(tr: "FunctionTranslator", node: A.Node) -> Loc:
    """Evaluate the index expressions of place ``node`` (left to right)."""
    root, nodes = _split(node)
    py = _root_var(tr, root)
    steps: list[Step] = []
    for n in nodes:
        if isinstance(n, A.Index):
            mark, depth = tr.out.mark, tr.out.depth
            ic, ik = tr.expr(n.index)
            if tr.out.mark > mark:
                codes = [s.code for s in steps if s.kind == "idx"]
                tr.save_operands(codes, [None] * len(codes), mark, depth, n)
                it = iter(codes)
                for s in steps:
                    if s.kind == "idx":
                        s.code = next(it)
            steps.append(Step("idx", tr.simple(ic, ik, n.index), n, ik))
        elif isinstance(n, A.Field):
            steps.append(Step("tup" if n.name.isdigit() else "fld", n.name, n))
        else:
            steps.append(Step("deref", "", n))
    return Loc(py, root, steps)


def _line(tr: "FunctionTranslator", code: str, step: Step) -> str:
    t = tr.tmp()
    span = field_span(step.node) if isinstance(step.node, A.Field) else A.error_span(step.node)
    tr.out.emit(f"{t} = {code}", span)
    return t


def read_step(tr: "FunctionTranslator", c: str, ck: Optional[str], s: Step,
              write: bool) -> Value:
    """The value that step ``s`` reaches from container ``c``; with ``write``, an array
    container is made private first (its element is about to change)."""
    if s.kind == "fld":
        return _line(tr, f"{c}.f_{s.code}", s), field_kind(tr.ctx, s.code)  # fieldkinds.py
    if s.kind == "tup":
        return _line(tr, f"{c}[{s.code}] if type({c}) is tuple else _tget({c}, {s.code})",
                     s), "any"
    if s.kind == "deref":
        return _line(tr, f"{c}.v if type({c}) is Cell else {c}", s), "any"
    i, ik = s.code, s.ikind
    if write:
        if ck == "arr" and ik == "int":
            code = f"{c}.d[{i}] if not {c}.shared and {i} >= 0 else _elem_w({c}, {i})"
        else:
            code = (f"{c}.d[{i}] if type({c}) is Arr and not {c}.shared and type({i}) is int "
                    f"and {i} >= 0 else _elem_w({c}, {i})")
    elif ck == "arr" and ik == "int":
        code = f"{c}.d[{i}] if {i} >= 0 else _index({c}, {i})"
    else:
        code = (f"{c}.d[{i}] if type({c}) is Arr and type({i}) is int and {i} >= 0 "
                f"else _index({c}, {i})")
    return _line(tr, code, s), "any"


def containers(tr: "FunctionTranslator", loc: Loc, upto: int) -> list[Value]:
    """The root and the containers of ``loc.steps[:upto]``, for writing."""
    assert loc.root is not None
    out: list[Value] = [(loc.root, tr.kind_of_var(loc.root))]
    for s in loc.steps[:upto]:
        out.append(read_step(tr, *out[-1], s, write=True))
    return out


def store(tr: "FunctionTranslator", loc: Loc, conts: list[Value], v: str,
          kv: Optional[str], node: A.Node) -> None:
    """Store ``v`` at ``loc`` (``conts``: the containers of every step). A tuple element
    store rebuilds the tuple and stores it one step up."""
    assert loc.root is not None
    for k in range(len(loc.steps) - 1, -1, -1):
        s, (c, ck) = loc.steps[k], conts[k]
        if s.kind == "fld":
            tr.out.emit(f"{c}.f_{s.code} = {v}", field_span(s.node))
            return
        if s.kind == "idx":
            _set(tr, c, ck, s.code, s.ikind, v, node)
            return
        if s.kind == "deref":
            # (a pattern's binding is written back: it may hold another variant)
            dset = "_drebind" if loc.root in tr.pattern_locals else "_dset"
            tr.emit(f"{loc.root} = {dset}({loc.root}, {v})", node)
            tr.observe(loc.root, "any")
            alias = getattr(tr, "ref_places", {}).get(loc.root)
            if alias is not None:  # `let r = &mut n`: n takes the cell's new value
                aloc, aconts, akind = alias
                tr.emit(f"if type({loc.root}) is Cell:", node)
                tr.out.depth += 1
                store(tr, aloc, aconts, f"{loc.root}.v", akind, node)
                tr.out.depth -= 1
            return
        v, kv = _line(tr, f"_tset({c}, {s.code}, {v})", s), "any"
    tr.emit(f"{loc.root} = {v}", node)
    tr.observe(loc.root, kv)


def place(tr: "FunctionTranslator", node: A.Node) -> Value:
    """The object a place holds, ready to be written through (``&mut a``, the receiver
    of ``a.push(v)`` or of a ``&mut self`` method); any other expression is just
    evaluated (a temporary)."""
    if not is_place(tr, node):
        return tr.expr(node)
    loc = locate(tr, node)
    return containers(tr, loc, len(loc.steps))[-1]


def _set(tr: "FunctionTranslator", c: str, ck: Optional[str], i: str, ik: Optional[str],
         v: str, node: A.Node) -> None:
    if ck == "arr" and ik == "int":
        slow = f"{c}.shared" if i.isdigit() else f"{c}.shared or {i} < 0"
    else:
        slow = f"type({c}) is not Arr or {c}.shared or type({i}) is not int or {i} < 0"
    tr.emit(f"if {slow}: _setindex({c}, {i}, {v})", node)
    tr.emit(f"else: {c}.d[{i}] = {v}", node)


def assign(tr: "FunctionTranslator", node: A.Assign) -> None:
    """``place = value`` and ``place op= value``. As in Rust, the value is evaluated
    before the place's index expressions."""
    op = node.op[:-1]
    v, kv = tr.expr(node.value)
    if op == "":
        v = tr.copied(v, kv, node.value)
    root, steps = _split(node.target)
    if not isinstance(root, (A.Name, A.Path)):
        from .collections import assign_through  # *m.entry(k).or_insert(0) += 1
        if assign_through(tr, node, root, v, kv):
            return
        raise RuchySyntaxError("cannot assign to this expression", node.target.span)
    py = _root_var(tr, root)
    if py is None:
        what = root.id if isinstance(root, A.Name) else f"{root.owner}::{root.name}"
        tr.emit(f"_undef({what!r})", root)
        return
    if not steps:
        if op:
            v = tr.simple(v, kv, node.value)
            code, kv2, own, check = binary(op, py, tr.kind_of_var(py) or "any", v, kv or "any")
            if tr.kind_of_var(py) is None or kv is None:
                kv2 = None
            v, kv = tr.value_line(code, kv2, node, check) if own else (code, kv2)
        tr.emit(f"{py} = {v}", node)
        tr.observe(py, kv)
        return
    mark, depth = tr.out.mark, tr.out.depth
    v = tr.simple(v, kv, node.value)
    loc = locate(tr, node.target)
    if tr.out.mark > mark:
        codes = [v]
        tr.save_operands(codes, [kv], mark, depth, node)
        v = codes[0]
    conts = containers(tr, loc, len(loc.steps) - 1)
    if op:
        cur, kcur = read_step(tr, *conts[-1], loc.steps[-1], write=False)
        code, kind, own, check = binary(op, cur, kcur or "any", v, kv or "any")
        v, kv = tr.value_line(code, kind, node, check) if own else (code, kind)
        v = tr.simple(v, kind, node)
    store(tr, loc, conts, v, kv, node)


def enum_receiver(tr: "FunctionTranslator", recv: A.Node) -> tuple[str, str]:
    """The receiver of a ``&mut self`` method that an enum defines: (the value, for the
    type test or dispatch; what the method gets). An enum value goes in a Cell
    (``_vref``) because the method may replace it (``*self = State::B``): after the
    call the Cell's value is stored back into the receiver's place (queued on
    ``tr.post_call``, see calls.flush_post). A receiver that is already a Cell (``self``
    of such a method, a ``&mut State`` parameter) is passed on as it is."""
    if not is_place(tr, recv):
        v, k = tr.expr(recv)
        v = tr.simple(v, k, recv)
        return v, tr.value_line(f"_vref({v})", "any", recv)[0]
    loc = locate(tr, recv)
    conts = containers(tr, loc, len(loc.steps))
    v, _ = conts[-1]
    rv = tr.value_line(f"{v}.v if type({v}) is Cell else {v}", "any", recv)[0]
    c = tr.value_line(f"_vref({v})", "any", recv)[0]

    def write_back() -> None:
        tr.emit(f"if {c} is not {v}:", recv)
        tr.out.depth += 1
        store(tr, loc, conts, f"{c}.v", "any", recv)
        tr.out.depth -= 1
    if not hasattr(tr, "post_call"):
        tr.post_call = []
    tr.post_call.append(write_back)
    return rv, c


def ref_params(tr: "FunctionTranslator") -> set[str]:
    """The Python locals of the parameters that may hold a Cell of an enum value (read
    through it: translate.x_Name): ``self`` of a ``&mut self`` method of an enum, and
    parameters declared ``&mut E`` for an enum ``E`` (``Option``, ``Result``, ``Self``
    of an enum's impl)."""
    fn, info = tr.fn, tr.ctx.info
    if fn is None or info is None:
        return set()
    out = set()
    for p in fn.node.params:
        if p.name == "self":
            if p.self_mode == "mut_ref" and fn.owner in info.enums:
                out.add(tr.lookup("self"))
            continue
        t = p.type
        if t is None or t.kind != "ref" or not t.mutable or t.inner is None:
            continue
        name = t.inner.text.split("<", 1)[0].strip()
        if name == "Self":
            name = fn.owner or ""
        from .items import resolve
        if name in ("Option", "Result") or name in info.enums or \
                type(resolve(tr, name)).__name__ == "EnumInfo":
            out.add(tr.lookup(p.name))
    out.discard(None)
    return out
