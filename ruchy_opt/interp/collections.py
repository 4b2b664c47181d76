"""Tier 0: what the collections need from the translator (runtime/collections.py).

- ``HashMap::new()``, ``BTreeSet::from([..])``, ``VecDeque::with_capacity(n)``,
  ``HashMap::from_iter(it)``, ``Vec::from(x)``: a fresh collection.
- Assignments through a place a call returns: ``*m.entry(k).or_insert(0) += 1``,
  ``*m.get_mut(&k).unwrap() = v``, ``m.get_mut(&k).unwrap().hits += 1``. The call's
  value (a Cell the collection reads back, or the object it holds) is bound to a
  hidden local and the assignment is translated as one through that local
  (interp/places.py).
- ``entry(k).or_default()``: the map's value type's default, when an annotation in sight
  says what it is (interp/defaults.py); the runtime guesses otherwise.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Callable, Optional

from ..resolve.iterators import entry_update_parts
from ..runtime import collections as C
from ..syntax import ast as A
from .rt import BINOP_HELPER

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]
_NEW = frozenset({"new", "with_capacity", "default", "with_hasher", "with_capacity_and_hasher"})
_FROM = frozenset({"from", "from_iter"})


def path_call(tr: "FunctionTranslator", node: A.Call, p: A.Path) -> Optional[Value]:
    """The code of a collection constructor path call, or None."""
    owner = p.owner.rsplit("::", 1)[-1]
    if owner not in C.BY_NAME and not (owner == "Vec" and p.name in _FROM):
        return None
    if p.name not in _NEW and p.name not in _FROM:
        return None
    from .data import mark_fresh
    vals = tr.operands(node.args)
    if p.name in _FROM:
        if len(vals) != 1:
            tr.emit(f"_arity({f'{owner}::{p.name}'!r}, 1, {len(vals)})", node)
            return "None", "any"
        arg = tr.simple(*vals[0], node.args[0])
        mark_fresh(tr, node)
        if owner == "Vec":
            return tr.value_line(f"_M_collect({arg}, 'Vec')", "arr", node)
        return tr.value_line(f"_coll_build({owner!r}, {arg})", "any", node)
    mark_fresh(tr, node)
    return tr.value_line(f"_coll_new({owner!r})", "any", node)


from ..resolve.iterators import PLACE_METHODS, place_call  # noqa: E402  (shared with lowering)


def before_method(tr: "FunctionTranslator", node: A.MethodCall) -> None:
    """Notes for a method call about to be translated: a reference it gives is fresh
    (no copy when stored, see gives_place); a use of ``entry(k).or_default()``'s value
    (``.push(x)``: a Vec) is the default's type when no annotation says it."""
    if gives_place(tr, node):
        tr.fresh_nodes.add(id(node))
    r = node.receiver
    if isinstance(r, A.MethodCall) and r.method == "or_default" and not r.args:
        from ..resolve.declared import default_by_use
        d = default_by_use(node)
        code = _default_code(d) if d is not None else None
        if code is not None:
            tr.__dict__.setdefault("default_hints", {})[id(r)] = code


def gives_place(tr: "FunctionTranslator", node: A.MethodCall) -> bool:
    """Whether method call ``node`` gives a reference into a collection (a
    ``get_mut``, ``or_insert``..., possibly unwrapped), unless a user type defines it
    (resolve/iterators.place_call)."""
    return place_call(tr.ctx.info, node) is not None


def constructor_value(p: A.Path) -> Optional[Value]:
    """``Vec::new``, ``HashMap::new``, ``String::new`` as a function value."""
    owner = p.owner.rsplit("::", 1)[-1]
    if p.name not in ("new", "default"):
        return None
    if owner in C.BY_NAME:
        return f"(lambda: _coll_new({owner!r}))", "any"
    if owner == "Vec":
        return "(lambda: Arr([]))", "any"
    if owner == "String":
        return "(lambda: '')", "any"
    return None


_ZERO = {"int": "0", "float": "0.0", "str": "''"}


def assign_through(tr: "FunctionTranslator", node: A.Assign, root: A.Node, v: str,
                   kv: Optional[str]) -> bool:
    """``place op= value`` whose place starts at a call (``root``), ``v`` being the
    value's code (already evaluated, as Rust evaluates it first). False if ``root`` is
    not an expression that can give a place."""
    if not isinstance(root, (A.MethodCall, A.Call, A.Index, A.Field, A.Deref)):
        return False
    if entry_update(tr, node, v, kv):
        return True
    from .places import assign
    if isinstance(root, A.MethodCall) and root.method == "or_default" and node.op != "=" \
            and kv in _ZERO:
        tr.__dict__.setdefault("default_hints", {})[id(root)] = _ZERO[kv]
    r, rk = tr.expr(root)
    if not (r.startswith("_t") and r.isidentifier()):  # a local of its own: it is rebound
        r = tr.value_line(r, rk, root)[0]
    val = tr.simple(v, kv, node.value)
    n = len(tr.scopes)
    place, value = f"$place{n}", f"$value{n}"
    tr.scopes.append({place: r, value: val})
    try:
        target = _reroot(node.target, root, A.Name(place, span=root.span))
        assign(tr, A.Assign(target, node.op, A.Name(value, span=node.value.span),
                            op_span=node.op_span, span=node.span))
    finally:
        tr.scopes.pop()
    return True


def entry_update(tr: "FunctionTranslator", node: A.Assign, v: str, kv: Optional[str]) -> bool:
    """``*m.entry(k).or_insert(d) op= x`` (``or_default()`` with an int, float or string
    ``x``) on a local map ``m``: one call of runtime/map_methods.entry_update, which
    updates the storage itself (the general way makes an Entry, a Cell handed out as
    the place and its write-back: a word count's inner loop). False for anything else."""
    op, parts = node.op[:-1], entry_update_parts(node)
    if op not in BINOP_HELPER or parts is None:
        return False
    entry, call = parts
    if call.method == "or_insert" and len(call.args) == 1:
        dflt = None
    elif call.method == "or_default" and not call.args and kv in _ZERO:
        dflt = _ZERO[kv]
    else:
        return False
    m = tr.lookup(entry.receiver.id)
    if m is None:
        return False
    k, kk = tr.expr(entry.args[0])
    k = tr.simple(k, kk, entry.args[0])
    if dflt is None:
        dflt, dk = tr.expr(call.args[0])
        dflt = tr.simple(dflt, dk, call.args[0])
    tr.emit(f"_entry_op({m}, {k}, {dflt}, {op!r}, {tr.simple(v, kv, node.value)})", node)
    return True


def call_root(node: A.Node) -> Optional[A.Node]:
    """The call a place expression with at least one field or index step starts at
    (``m.get_mut(&k).unwrap()`` of ``m.get_mut(&k).unwrap().name``), or None."""
    if not isinstance(node, (A.Index, A.Field)):
        return None
    while isinstance(node, (A.Index, A.Field)):
        node = node.target
    return node if isinstance(node, (A.MethodCall, A.Call)) else None


def through_call(tr: "FunctionTranslator", node: A.Node, root: A.Node,
                 then: Callable[[A.Node], Value]) -> Value:
    """``then`` of place ``node`` with its root call evaluated into a hidden local
    (``items.first_mut().unwrap().name.push('!')`` changes the item's field)."""
    r, rk = tr.expr(root)
    r = tr.value_line(r, rk, root)[0]
    name = f"$root{len(tr.scopes)}"
    tr.scopes.append({name: r})
    try:
        return then(_reroot(node, root, A.Name(name, span=root.span)))
    finally:
        tr.scopes.pop()


def _reroot(node: A.Node, root: A.Node, new: A.Node) -> A.Node:
    """``node`` (a place expression) with ``root`` replaced by ``new``."""
    if node is root:
        return new
    if isinstance(node, (A.Index, A.Field)):
        return dataclasses.replace(node, target=_reroot(node.target, root, new))
    if isinstance(node, A.Deref):
        return dataclasses.replace(node, operand=_reroot(node.operand, root, new))
    return node


def or_default_arg(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[str]:
    """For ``m.entry(k).or_default()``: the code of the default of ``m``'s value type
    when an annotation says it, else None."""
    from ..resolve.declared import entry_default
    from .defaults import scope_of
    recv = node.receiver
    if node.args or not (isinstance(recv, A.MethodCall) and recv.method == "entry"):
        return None
    hint = getattr(tr, "default_hints", {}).get(id(node))
    d = entry_default(tr.ctx.info, scope_of(tr), node, None)  # (the declared type's)
    return _default_code(d) if d is not None else hint


def _default_code(d: Any) -> str:
    """Python code of a resolve/declared.Default."""
    if d.kind == "collection":
        return f"_coll_new({d.value!r})"
    from .defaults import _code
    return _code(d)


def namespace() -> dict[str, Any]:
    """The names the generated code of collections calls."""
    from .slices import namespace as slices_namespace
    from ..runtime.map_methods import entry_update
    return {"_coll_new": lambda name: C.BY_NAME[name](), "_coll_build": C.build,
            "_entry_op": entry_update, **slices_namespace()}
