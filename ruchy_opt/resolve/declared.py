"""The declared type of an expression, as far as the annotations in sight say, and the
default value of a type: what ``unwrap_or_default()`` (and ``or_default()``) default
to, whose ``None``/``Err`` case has no payload to learn the type from at run time. Tier 0 (interp/defaults.py) and the
SSA lowering (lower/defaults.py) both ask this, so both choose the same default.

The type comes from a local's or parameter's annotation (``let n: Option<i64> = ...``),
a function's or method's declared return type (``name_of(3).unwrap_or_default()``), a
struct field's declared type, through ``.clone()`` and the like. None: nothing says.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Sequence

from ..syntax import ast as A

#: Methods that give back a value of their receiver's type.
SAME_TYPE = frozenset({"clone", "as_ref", "as_mut", "cloned", "copied", "to_owned"})


@dataclass
class Scope:
    """Where an expression is: its function's parameters, body (whose ``let``
    annotations count; None: none do) and ``impl`` type (what ``self`` is)."""

    params: Sequence[A.Param]
    body: Optional[A.Node]
    owner: Optional[str] = None


def payload_type(t: Optional[A.TypeRef]) -> Optional[A.TypeRef]:
    """``T`` of ``Option<T>`` / ``Result<T, E>`` (through references)."""
    while t is not None and t.kind == "ref":
        t = t.inner
    if t is not None and t.kind == "other" and t.args and \
            t.text.split("<", 1)[0].strip() in ("Option", "Result"):
        return t.args[0]
    return None


#: The defaults of the scalar annotation kinds.
_SCALAR_DEFAULTS = {"int": 0, "float": 0.0, "bool": False, "string": "", "unit": None}


@dataclass(frozen=True)
class Default:
    """The default value of a type, for a back end to build: ``kind`` is ``scalar``
    (``value`` is it), ``char`` (``'\\0'``), ``array`` (empty), ``none`` (``None``),
    ``tuple`` (``parts`` are the elements' defaults) or ``collection`` (an empty one of
    the collection named ``value``: ``HashMap``...)."""

    kind: str
    value: Any = None
    parts: tuple["Default", ...] = ()


def default_of(t: Optional[A.TypeRef]) -> Optional[Default]:
    """The default value of type ``t`` (None: not one the language knows)."""
    if t is None:
        return None
    if t.kind == "ref" and t.inner is not None:
        return default_of(t.inner)
    if t.kind in _SCALAR_DEFAULTS:
        return Default("scalar", _SCALAR_DEFAULTS[t.kind])
    if t.kind in ("char", "array"):
        return Default(t.kind)
    if t.kind == "tuple":
        parts = [default_of(a) for a in t.args]
        return None if any(p is None for p in parts) else Default("tuple", parts=tuple(parts))
    if t.text.startswith("Option"):
        return Default("none")
    return None


def declared_type(info: Any, scope: Scope, e: A.Node) -> Optional[A.TypeRef]:
    """The declared type of expression ``e`` (None: unknown); ``info`` is the
    resolution layer's ProgramInfo (or None)."""
    if isinstance(e, A.Name):
        return _local_type(scope, e.id)
    if isinstance(e, (A.Ref, A.Deref)):
        return declared_type(info, scope, e.operand)
    if isinstance(e, A.Call) and isinstance(e.callee, A.Name) and info is not None:
        fn = info.functions.get(e.callee.id)
        return fn.node.ret if fn is not None else None
    if isinstance(e, A.MethodCall):
        if e.method in SAME_TYPE:
            return declared_type(info, scope, e.receiver)
        rets = {f.node.ret.text: f.node.ret for _, f in
                (info.types_with_method(e.method) if info is not None else [])
                if f.node.ret is not None}
        return next(iter(rets.values())) if len(rets) == 1 else None
    if isinstance(e, A.Field):
        owner = declared_type(info, scope, e.target)
        while owner is not None and owner.kind == "ref":
            owner = owner.inner
        if owner is None or info is None:
            return None
        s = info.structs.get(owner.text.split("<", 1)[0])
        if s is not None and s.node is not None:
            for f in s.node.fields:
                if f.name == e.name:
                    return f.type
    return None


def _local_type(scope: Scope, name: str) -> Optional[A.TypeRef]:
    """A local's annotation: a parameter's, or the ``let`` of that name in the
    function (only if every such ``let`` says the same type)."""
    if name == "self" and scope.owner:
        return A.TypeRef("other", scope.owner)
    for p in scope.params:
        if p.name == name and p.type is not None:
            return p.type
    found: dict[str, A.TypeRef] = {}
    stack = [scope.body] if scope.body is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, A.Let) and n.name == name and n.type is not None:
            found[n.type.text] = n.type
        stack.extend(A.children(n))
    return next(iter(found.values())) if len(found) == 1 else None


__all__ = ["Default", "SAME_TYPE", "Scope", "declared_type", "default_of", "payload_type"]


#: What a use of ``m.entry(k).or_default()``'s value says its default is when no
#: annotation says (``.push(x)``: an empty Vec): the method called on it -> the type
#: (tier 0's rule and the IR's; ``insert`` is a map's with two arguments, else a set's).
DEFAULT_BY_USE = {"push": "Vec", "pop": "Vec", "extend": "Vec", "sort": "Vec",
                  "push_str": "String", "push_back": "VecDeque", "push_front": "VecDeque",
                  "contains_key": "HashMap", "entry": "HashMap", "contains": "Vec"}
_COLLECTIONS = frozenset({"HashMap", "BTreeMap", "HashSet", "BTreeSet", "VecDeque",
                          "BinaryHeap"})


def default_by_use(use: A.MethodCall) -> Optional[Default]:
    """The default :data:`DEFAULT_BY_USE` gives for ``use`` (a method called on an
    ``or_default()``), or None."""
    t = DEFAULT_BY_USE.get(use.method)
    if use.method == "insert":
        t = "HashMap" if len(use.args) == 2 else "HashSet"
    if t is None:
        return None
    if t == "Vec":
        return Default("array")
    if t == "String":
        return Default("scalar", "")
    return Default("collection", t)


def entry_default(info: Any, scope: Scope, node: A.MethodCall,
                  use: Optional[A.MethodCall]) -> Optional[Default]:
    """The default ``m.entry(k).or_default()`` (``node``) inserts: that of the value
    type of ``m``'s declared ``HashMap``/``BTreeMap`` type, else what the method
    ``use`` called on its value says (:func:`default_by_use`); None if neither says
    (the runtime then takes the default of a value already in the map)."""
    recv = node.receiver
    if node.args or not (isinstance(recv, A.MethodCall) and recv.method == "entry"):
        return None
    hint = default_by_use(use) if use is not None else None
    t = declared_type(info, scope, recv.receiver)
    while t is not None and t.kind == "ref" and t.inner is not None:
        t = t.inner
    if t is None or len(t.args) != 2 or \
            t.text.split("<", 1)[0].strip().rsplit("::", 1)[-1] not in ("HashMap", "BTreeMap"):
        return hint
    vt = t.args[1]
    d = default_of(vt)
    if d is None and vt.kind == "other":
        head = vt.text.split("<", 1)[0].strip().rsplit("::", 1)[-1]
        if head in _COLLECTIONS:
            d = Default("collection", head)
    return d if d is not None else hint
