"""Lowering of the default value ``unwrap_or_default()`` is given: the default of its
receiver's declared payload type, which the resolution layer reads from the
annotations in sight (resolve/declared.py, as tier 0 does: interp/defaults.py). When
no annotation says, no argument is passed and the runtime's default (``0``) is used,
as at tier 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..ir.core import Value
from ..ir.enums import OPTION
from ..ir.types import tuple_of
from ..resolve.declared import Scope, declared_type, payload_type
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer

#: The scalar defaults by annotation kind (a char's is ``'\0'``).
_SCALAR = {"int": 0, "float": 0.0, "bool": False, "string": "", "unit": None}


def default_of(lw: "FunctionLowerer", node: A.MethodCall) -> Optional[Value]:
    """The default of the payload type of the receiver of ``node`` (an Option or a
    Result), emitted in the current block; None if no annotation says what it is."""
    receiver = node.receiver
    if lw.lifted:  # tier 0 reads the annotations of the function the closure is in
        raise NotInIR("'.unwrap_or_default()' in a closure or nested function",
                      A.error_span(node))
    params, body = lw.source
    scope = Scope(params, A.Block(list(body)) if lw.f.name != "ruchy.toplevel" else None,
                  lw.self_type)
    t = payload_type(declared_type(lw.ctx.info, scope, receiver))
    return _default(lw, t, receiver) if _known(t) else None


def _known(t: Optional[A.TypeRef]) -> bool:
    """Whether type ``t`` has a default tier 0 knows (interp/defaults.default_code)."""
    if t is None:
        return False
    if t.kind == "ref" and t.inner is not None:
        return _known(t.inner)
    if t.kind == "tuple":
        return all(_known(a) for a in t.args)
    return t.kind in _SCALAR or t.kind in ("char", "array") or t.text.startswith("Option")


def _default(lw: "FunctionLowerer", t: A.TypeRef, node: A.Node) -> Value:
    if t.kind == "ref" and t.inner is not None:
        return _default(lw, t.inner, node)
    if t.kind in _SCALAR:
        return lw.const(_SCALAR[t.kind], node)
    if t.kind == "char":
        return lw.emit("char", imms=("\x00",), node=node)
    if t.kind == "array":
        return lw.emit("array", node=node)
    if t.kind == "tuple":
        parts = [_default(lw, a, node) for a in t.args]
        return lw.emit("make", parts, imms=(tuple_of(["any"] * len(parts)),), node=node)
    return lw.emit("variant", imms=(OPTION, "None"), node=node)


__all__ = ["default_of"]
