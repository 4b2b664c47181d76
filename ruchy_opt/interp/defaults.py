"""Tier 0: the default value of a type named in an annotation, for
``unwrap_or_default()``, whose ``None``/``Err`` case has no payload to learn the type
from at run time.

The type comes from what is in sight at translation: a local's or parameter's
annotation (``let n: Option<i64> = ...``), a function's or method's declared return type
(``name_of(3).unwrap_or_default()``), a struct field's declared type, through
``.clone()``. When nothing says, the runtime uses ``0`` (runtime/options.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

_SCALAR = {"int": "0", "float": "0.0", "bool": "False", "string": "''", "unit": "None",
           "char": "Char('\\x00')"}
#: Methods that give back a value of their receiver's type.
_SAME_TYPE = frozenset({"clone", "as_ref", "as_mut", "cloned", "copied", "to_owned"})


def default_code(t: Optional[A.TypeRef]) -> Optional[str]:
    """Python code of the default value of type ``t`` (None: not known)."""
    if t is None:
        return None
    if t.kind == "ref" and t.inner is not None:
        return default_code(t.inner)
    if t.kind in _SCALAR:
        return _SCALAR[t.kind]
    if t.kind == "array":
        return "Arr([])"
    if t.kind == "tuple":
        parts = [default_code(a) for a in t.args]
        if any(p is None for p in parts):
            return None
        return "(" + "".join(p + ", " for p in parts) + ")"
    if t.text.startswith("Option"):
        return "V_Option_S_None"
    return None


def payload_type(t: Optional[A.TypeRef]) -> Optional[A.TypeRef]:
    """``T`` of ``Option<T>`` / ``Result<T, E>`` (through references)."""
    while t is not None and t.kind == "ref":
        t = t.inner
    if t is not None and t.kind == "other" and t.args and \
            t.text.split("<", 1)[0].strip() in ("Option", "Result"):
        return t.args[0]
    return None


def type_of(tr: "FunctionTranslator", e: A.Node) -> Optional[A.TypeRef]:
    """The declared type of expression ``e`` as far as annotations say (None: unknown)."""
    info = tr.ctx.info
    if isinstance(e, A.Name):
        return _local_type(tr, e.id)
    if isinstance(e, (A.Ref, A.Deref)):
        return type_of(tr, e.operand)
    if isinstance(e, A.Call) and isinstance(e.callee, A.Name) and info is not None:
        fn = info.functions.get(e.callee.id)
        return fn.node.ret if fn is not None else None
    if isinstance(e, A.MethodCall):
        if e.method in _SAME_TYPE:
            return type_of(tr, e.receiver)
        rets = {f.node.ret.text: f.node.ret for _, f in
                (info.types_with_method(e.method) if info is not None else [])
                if f.node.ret is not None}
        return next(iter(rets.values())) if len(rets) == 1 else None
    if isinstance(e, A.Field):
        owner = type_of(tr, e.target)
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


def _local_type(tr: "FunctionTranslator", name: str) -> Optional[A.TypeRef]:
    """A local's annotation: a parameter's, or the ``let`` of that name in the
    function (only if every such ``let`` says the same type)."""
    if name == "self" and tr.fn is not None and tr.fn.owner:
        return A.TypeRef("other", tr.fn.owner)
    for p in tr.params:
        if p.name == name and p.type is not None:
            return p.type
    body = tr.fn.node.body if getattr(tr, "fn", None) is not None else None
    found: dict[str, A.TypeRef] = {}
    stack = [body] if body is not None else []
    while stack:
        n = stack.pop()
        if isinstance(n, A.Let) and n.name == name and n.type is not None:
            found[n.type.text] = n.type
        stack.extend(A.children(n))
    return next(iter(found.values())) if len(found) == 1 else None


def default_of(tr: "FunctionTranslator", receiver: A.Node) -> Optional[str]:
    """Code of the default of the payload type of ``receiver`` (an Option or a
    Result), or None if no annotation says what it is."""
    return default_code(payload_type(type_of(tr, receiver)))
