"""What code may change, and which pattern bindings are written back: decided once,
for tier 0 (interp/bindings.py) and the SSA lowering (lower/refs.py).

Both back ends keep a ``ref mut`` binding as a value of its own (tier 0: a Python
local; the IR: an SSA value), not an alias of the part of the matched value it came
from. A binding whose scope may change it is therefore *written back* into the
matched place when its scope is left (its end, or a ``break``, ``continue``,
``return`` or ``?`` out of it): a ``ref mut`` binding (written, or by Rust's default
binding mode when the matched value is a ``&mut``) that the scope may change in any
way (assigned, ``&mut``-borrowed, a method that may change its receiver such as
``s.push_str(..)``), and a plain binding assigned through ``*x = ..`` or borrowed as
``&mut x`` when not ``mut x`` (Rust accepts that only of a reference: ``for e in
v.iter_mut() { if let Some(x) = e { *x += 1 } }``, ``if let Some(v) = o.as_mut() {
inc(v) }``).
"""
from __future__ import annotations

from typing import Collection, Optional, Sequence

from ..runtime import methods as M, option_mut, strings_mut
from ..syntax import ast as A
from .plans import Binding, PatternPlan

#: Stands for code that is not known (it may change every variable).
UNKNOWN_CODE = A.Block([])


class _Every(frozenset):
    """The set of every name."""

    def __contains__(self, name: object) -> bool:
        return True


def place_root(node: A.Node) -> Optional[str]:
    """The variable a place expression (``a``, ``a.b[i]``, ``*r``, ``&mut a.b``) is in."""
    while True:
        if isinstance(node, A.Name):
            return node.id
        if isinstance(node, (A.Ref, A.Deref)):
            node = node.operand
        elif isinstance(node, (A.Field, A.Index)):
            node = node.target
        else:
            return None


#: Methods whose value is a reference to their receiver's place, seen through its
#: Option or Box: ``o.as_mut()`` is ``Option<&mut T>`` of ``o: Option<T>``, a Box's
#: ``as_mut`` a ``&mut T`` (True: mutable).
VIEWS = {"as_mut": True, "as_deref_mut": True, "as_ref": False, "as_deref": False}


def viewed_place(node: Optional[A.Node], info: object = None) -> Optional[A.Ref]:
    """``&mut place`` for ``place.as_mut()`` (``as_deref_mut``), ``&place`` for
    ``place.as_ref()`` (``as_deref``), of a place and unless a type of the program
    defines the method: what a pattern matching the reference matches, with the same
    bindings (``if let Some(r) = n.right.as_mut()`` binds ``r`` as ``if let Some(r) =
    &mut n.right`` does). None for any other node."""
    if not (isinstance(node, A.MethodCall) and node.method in VIEWS and not node.args
            and not node.type_args and place_root(node.receiver) is not None):
        return None
    if info is not None and info.types_with_method(node.method):  # type: ignore[attr-defined]
        return None
    return A.Ref(VIEWS[node.method], node.receiver, span=node.span)


def borrowed_place(node: A.Let) -> Optional[A.Node]:
    """The place ``let r = &mut place;`` borrows, if ``r`` is not ``mut`` (a reference
    never re-pointed) and ``place`` is a variable or a field or element path of one
    (through ``*`` too); else None. Such an ``r`` is the binding of ``let ref mut r =
    place;`` (tier 0's interp/translate.py and the lowering's lower/refs.let_borrow),
    unless :func:`moved_use` finds a use of it as a value of its own."""
    v = node.value
    if not (isinstance(v, A.Ref) and v.mutable and not node.mutable):
        return None
    n = v.operand
    while isinstance(n, (A.Field, A.Index)):
        n = n.target
    if isinstance(n, A.Deref):
        n = n.operand
    return v.operand if isinstance(n, A.Name) else None


def moved_use(name: str, stmts: Sequence[Optional[A.Node]]) -> Optional[A.Node]:
    """The first use of the variable ``name`` in ``stmts`` (the rest of its block) as a
    value of its own: bound by ``let`` or assigned to a variable, returned or the
    block's value, put in a tuple, array or struct, or named in a closure (unknown
    code: the statement itself); None if there is none."""
    def whole(n: Optional[A.Node]) -> bool:
        return isinstance(n, A.Name) and n.id == name

    if any(n is UNKNOWN_CODE for n in stmts):
        return UNKNOWN_CODE
    if stmts and whole(stmts[-1]):
        return stmts[-1]
    stack: list[tuple[A.Node, bool]] = [(s, False) for s in stmts if s is not None]
    found: list[A.Node] = []
    while stack:
        n, in_closure = stack.pop()
        if in_closure and whole(n):
            found.append(n)
        vals: list[Optional[A.Node]] = []
        if isinstance(n, (A.Let, A.LetPat)) or (isinstance(n, A.Assign) and n.op == "="):
            vals = [n.value]
        elif isinstance(n, A.Return):
            vals = [n.value]
        elif isinstance(n, (A.TupleLit, A.ArrayLit)):
            vals = list(n.elems)
        elif isinstance(n, A.StructLit):
            vals = [f.value for f in n.fields]
        found += [v for v in vals if whole(v)]
        inner = in_closure or isinstance(n, A.Closure)
        stack.extend((c, inner) for c in A.children(n) if c is not None)
    return min(found, key=lambda x: (x.span.line, x.span.col)) if found else None


def changed_names(nodes: Sequence[Optional[A.Node]], info: object = None) -> tuple[set, set]:
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
        elif isinstance(n, A.MethodCall) and may_change(n.method, info):
            r = place_root(n.receiver)
            if r:
                changed.add(r)
        stack.extend(A.children(n))
    return assigned, changed


#: Methods that never change their receiver: the built-in ones but the mutators (of
#: arrays and collections, of strings: ``push_str``, of Options: ``take``), and these.
_PURE = (frozenset(M.METHODS) - M.MUTATING - set(strings_mut.MUTATORS)
         - set(option_mut.MUTATORS)) | {
    "unwrap", "expect", "unwrap_or", "unwrap_or_else", "unwrap_or_default", "is_some",
    "is_none", "is_ok", "is_err", "map", "and_then", "ok_or", "ok", "err", "unwrap_err",
    "iter", "get", "contains_key", "keys", "values", "chars", "to_string", "clone",
    "as_ref", "as_str", "cloned", "copied", "enumerate", "len", "is_empty"}


def may_change(method: str, info: object) -> bool:
    """Whether a call of ``method`` may change its receiver (a built-in mutator, an
    unknown method, or a user method of that name taking ``&mut self``)."""
    if method not in _PURE:
        return True
    if info is not None:  # a user method of that name taking &mut self
        return any(f.self_mode == "mut_ref" for _, f in info.types_with_method(method))
    return False


def deref_assigned(nodes: Sequence[Optional[A.Node]]) -> set[str]:
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


def mut_borrowed(nodes: Sequence[Optional[A.Node]]) -> set[str]:
    """The names borrowed whole as ``&mut name`` in ``nodes`` (also a reference passed
    on to a ``&mut`` parameter: syntax/reborrow.py writes that ``&mut name``)."""
    out: set[str] = set()
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, A.Ref) and n.mutable and isinstance(n.operand, A.Name):
            out.add(n.operand.id)
        stack.extend(A.children(n))
    return out


def written_back(plan: PatternPlan, scope: Sequence[Optional[A.Node]],
                 info: object, also: Collection[str] = ()) -> list[Binding]:
    """The bindings (of every row of ``plan``) that are written back into the matched
    place after ``scope`` (the module docstring), and the ``ref mut`` ones named in
    ``also`` (changed another way: by the write-back of a reference made from one,
    ``let r = &mut t.1; let d = &mut r.0; *d += 1;``)."""
    if also:
        back = written_back(plan, scope, info)
        return back + [b for r in plan.rows for b in r.binds
                       if b.mode == "ref_mut" and b.name in also and b not in back]
    refs = any(b.mode == "ref_mut" for r in plan.rows for b in r.binds)
    values = any(b.mode == "value" for r in plan.rows for b in r.binds)
    if not refs and not values:
        return []
    through = deref_assigned(scope) if values else set()
    if any(b.mode == "value" and not b.mutable for r in plan.rows for b in r.binds):
        through |= {n for n in mut_borrowed(scope)
                    if any(b.name == n and not b.mutable for r in plan.rows for b in r.binds)}
    if not refs and not through:
        return []
    names = changed_names(scope, info)[1] if refs else set()
    return [b for r in plan.rows for b in r.binds
            if (b.mode == "ref_mut" and b.name in names) or
            (b.mode == "value" and b.name in through)]


__all__ = ["UNKNOWN_CODE", "VIEWS", "borrowed_place", "changed_names", "moved_use", "deref_assigned", "may_change", "place_root",
           "viewed_place", "written_back"]
