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

from ..resolve.declared import Default, Scope, declared_type, payload_type
from ..resolve.declared import default_of as default_value
from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

def default_code(t: Optional[A.TypeRef]) -> Optional[str]:
    """Python code of the default value of type ``t`` (None: not known)."""
    d = default_value(t)
    return _code(d) if d is not None else None


def _code(d: Default) -> str:
    if d.kind == "scalar":
        return repr(d.value)
    if d.kind == "tuple":
        return "(" + "".join(_code(p) + ", " for p in d.parts) + ")"
    return {"char": "Char('\\x00')", "array": "Arr([])", "none": "V_Option_S_None"}[d.kind]


def scope_of(tr: "FunctionTranslator") -> Scope:
    """The annotations in sight of the function being translated (its parameters, its
    body's ``let``s, the type of its ``impl``)."""
    fn = getattr(tr, "fn", None)
    owner = tr.fn.owner if fn is not None and fn.owner else None
    body = fn.node.body if fn is not None else None
    return Scope(tr.params, body, owner)


def type_of(tr: "FunctionTranslator", e: A.Node) -> Optional[A.TypeRef]:
    """The declared type of expression ``e`` as far as annotations say (None: unknown;
    the resolution layer's rule, resolve/declared.py)."""
    return declared_type(tr.ctx.info, scope_of(tr), e)


def default_of(tr: "FunctionTranslator", receiver: A.Node) -> Optional[str]:
    """Code of the default of the payload type of ``receiver`` (an Option or a
    Result), or None if no annotation says what it is."""
    return default_code(payload_type(type_of(tr, receiver)))
