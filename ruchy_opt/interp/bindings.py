"""Tier 0: the bindings of a pattern plan, and writing ``ref mut`` bindings back.

Bindings follow value semantics (docs/level3.md): a by-value binding takes a copy only
if the code in its scope may change it or the matched variable (otherwise sharing
cannot be observed: :func:`changed_names`); ``ref mut`` bindings (explicit, or by Rust's
default binding mode under ``&mut``) alias the matched part, and one that is assigned
is written back into the matched place when its scope ends (:func:`write_back`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ..resolve.plans import Binding, PatternPlan
from ..runtime import methods as M
from ..syntax import ast as A
from .patterns import Subject, access, place_root, row_code

if TYPE_CHECKING:
    from .translate import FunctionTranslator


#: Stands for code that is not known (it may change every variable).
UNKNOWN_CODE = A.Block([])


class _Every(frozenset):
    """The set of every name."""

    def __contains__(self, name: object) -> bool:
        return True


def changed_names(nodes: list[Optional[A.Node]], info: object = None) -> tuple[set, set]:
    """(assigned, changed): the variables the code of ``nodes`` assigns (``x = ..``,
    ``*x += ..``, ``x.f = ..``) and those it may change in any way (also ``&mut x``
    and method calls that may change their receiver)."""
    assigned: set[str] = set()
    changed: set[str] = set()
    stack = [n for n in nodes if n is not None]
    if any(n is UNKNOWN_CODE for n in stack):
        return _Every(), _Every()
    while stack:
        n = stack.pop()
        if isinstance(n, A.Assign):
            r = place_root(n.target)
            if r:
                assigned.add(r)
                changed.add(r)
        elif isinstance(n, A.Ref) and n.mutable:
            r = place_root(n.operand)
            if r:
                changed.add(r)
        elif isinstance(n, A.MethodCall) and _may_change(n.method, info):
            r = place_root(n.receiver)
            if r:
                changed.add(r)
        stack.extend(A.children(n))
    return assigned, changed


# (a string or Option mutator gives its place a new value: runtime/methods.PLACE_MUTATORS)
_PURE = frozenset(M.METHODS) - M.MUTATING - M.PLACE_MUTATORS | {
    "unwrap", "expect", "unwrap_or", "unwrap_or_else", "unwrap_or_default", "is_some",
    "is_none", "is_ok", "is_err", "map", "and_then", "ok_or", "ok", "err", "unwrap_err",
    "iter", "get", "contains_key", "keys", "values", "chars", "to_string", "clone",
    "as_ref", "as_str", "cloned", "copied", "enumerate", "len", "is_empty"}


def _may_change(method: str, info: object) -> bool:
    if method not in _PURE:
        return True
    if info is not None:  # a user method of that name taking &mut self
        return any(f.self_mode == "mut_ref" for _, f in info.types_with_method(method))
    return False


@dataclass
class Bound:
    """A binding made: its plan entry (per row), Python local and whether it is
    written back."""

    name: str
    py: str
    binds: list[Binding]


def bind(tr: "FunctionTranslator", subj: Subject, plan: PatternPlan, node: A.Node,
         scope: list[Optional[A.Node]], copy: bool = True) -> list[Bound]:
    """Bind the names of ``plan`` (in the innermost scope) from the row that matched;
    ``scope`` is the code that sees them (for the copy and write-back decisions);
    ``copy`` false: the value is fresh and nobody else holds it."""
    if not plan.names:
        return []
    info = tr.ctx.info
    assigned, changed = changed_names(scope, info)
    root_changed = subj.root is not None and subj.root in changed
    per_name = {n: [next(b for b in r.binds if b.name == n) for r in plan.rows]
                for n in plan.names}
    kinds = {n: _bind_kind(subj, plan, bs) for n, bs in per_name.items()}
    out = [Bound(n, tr.bind(n, kinds[n]), per_name[n]) for n in plan.names]
    rows = plan.rows
    if len(rows) == 1:
        _bind_row(tr, subj, [(b.py, b.binds[0]) for b in out], node, copy, changed,
                  root_changed)
        return out
    consts: dict[int, str] = {}
    for i, r in enumerate(rows):
        cond = row_code(subj, r, consts)
        head = "if" if i == 0 else "elif" if i < len(rows) - 1 else "else"
        tr.emit(f"{head} {cond}:" if head != "else" else "else:", node)
        with tr.out.indented():
            _bind_row(tr, subj, [(b.py, b.binds[i]) for b in out], node, copy, changed,
                      root_changed)
    return out


def _bind_row(tr: "FunctionTranslator", subj: Subject, pairs: list, node: A.Node,
              copy: bool, changed: set, root_changed: bool) -> None:
    for py, b in pairs:
        code, kind = access(subj, b.access)
        if b.mode == "value" and copy and (b.name in changed or root_changed):
            code = tr.copied(code, kind, node)
        tr.emit(f"{py} = {code}", node)


def _bind_kind(subj: Subject, plan: PatternPlan, binds: list[Binding]) -> Optional[str]:
    """The kind of a binding: its access's if known, else what a literal or range test
    on the same access proves."""
    from .translate import join
    kind: Optional[str] = None
    for r, b in zip(plan.rows, binds):
        k = access(subj, b.access)[1]
        if k == "any" or k == "tuple":
            k = "any"
            for t in r.tests:
                if t.access == b.access and t.op in ("lit", "range") and \
                        t.kind in ("int", "float", "str", "bool"):
                    k = t.kind
        kind = join(kind, k)
    return kind


def write_back(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
               scope: list[Optional[A.Node]], node: A.Node) -> None:
    """Store each assigned ``ref mut`` binding back into the matched place. A plain
    binding assigned through ``*x = ..`` is one too: Rust accepts that only of a
    reference, which a binding is by the default binding mode when the matched value
    is a ``&mut`` (``for e in v.iter_mut() { if let Some(x) = e { *x += 1 } }``)."""
    assigned, _ = changed_names(scope, tr.ctx.info)
    through = _deref_assigned(scope) if any(
        b.name in assigned and b.binds[0].mode == "value" for b in bound) else set()
    for b in bound:
        if b.name not in assigned or len(b.binds) != 1 or (
                b.binds[0].mode != "ref_mut" and b.name not in through):
            continue
        _store(tr, subj, b.binds[0].access, b.py, node)


def _deref_assigned(nodes: list[Optional[A.Node]]) -> set[str]:
    """The names assigned through ``*name = ..`` / ``*name op= ..`` in ``nodes``."""
    out: set[str] = set()
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Assign) and isinstance(n.target, A.Deref) and \
                isinstance(n.target.operand, A.Name):
            out.add(n.target.operand.id)
        stack.extend(A.children(n))
    return out


def _store(tr: "FunctionTranslator", subj: Subject, acc: tuple, new: str,
           node: A.Node) -> None:
    """Write ``new`` at ``acc`` of the matched value: objects (structs, variants,
    arrays) are changed in place; tuples are rebuilt up to the nearest object or the
    matched place itself."""
    steps = list(acc)
    while steps:
        step = steps.pop()
        parent, _ = access(subj, tuple(steps))
        if step[0] == "field":
            tr.emit(f"{parent}.f_{step[1]} = {new}", node)
            return
        if step[0] == "elem":
            i = step[1] if step[1] >= 0 else f"len({parent}.d) - {-step[1]}"
            tr.emit(f"_setindex({parent}, {i}, {new})", node)
            return
        if step[0] != "tup":
            return  # a slice rest is a new array: nothing to write back to
        if subj.elems is not None and not steps:
            target = subj.elem_places[step[1]] if step[1] < len(subj.elem_places) else None
            if target is not None:
                _assign_place(tr, target, new, node)
            return
        i = step[1]
        end = f"{parent}[{i + 1}:]" if i != -1 else "()"
        start = f"{parent}[:{i}]"
        new = tr.value_line(f"{start} + ({new},) + {end}", None, node)[0]
    if subj.place is not None:
        _assign_place(tr, subj.place, new, node)


def _assign_place(tr: "FunctionTranslator", place: A.Node, new: str, node: A.Node) -> None:
    hidden = f"$wb{tr.ntemps}"
    tr.scopes[-1][hidden] = new
    tr.assign(A.Assign(place, "=", A.Name(hidden, span=node.span), span=node.span))
