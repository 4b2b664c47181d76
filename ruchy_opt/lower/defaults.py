"""Lowering of the default value ``unwrap_or_default()`` is given: the default of its
receiver's declared payload type, which the resolution layer reads from the
annotations in sight and decides (resolve/declared.py, as for tier 0:
interp/defaults.py). When no annotation says, no argument is passed and the runtime's
default (``0``) is used, as at tier 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from ..ir.core import Value
from ..ir.enums import OPTION
from ..ir.types import tuple_of
from ..resolve.declared import Default, Scope, declared_type, payload_type
from ..resolve.declared import default_of as default_value
from ..syntax import ast as A
from .level3 import NotInIR

if TYPE_CHECKING:
    from .function import FunctionLowerer


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
    d = default_value(payload_type(declared_type(lw.ctx.info, scope, receiver)))
    return _default(lw, d, receiver) if d is not None else None


def or_default_of(lw: "FunctionLowerer", node: A.MethodCall) -> Optional[Value]:
    """The default ``m.entry(k).or_default()`` inserts (resolve/declared.entry_default:
    the declared value type's, else what the method called on its value says), or
    None: the runtime's (that of a value already in the map), as at tier 0."""
    if lw.lifted:  # tier 0 reads the annotations of the function the closure is in
        raise NotInIR("'.or_default()' in a closure or nested function", A.error_span(node))
    from ..resolve.declared import entry_default
    params, body = lw.source
    scope = Scope(params, A.Block(list(body)) if lw.f.name != "ruchy.toplevel" else None,
                  lw.self_type)
    d = entry_default(lw.ctx.info, scope, node, lw.default_uses.get(id(node)))
    return _default(lw, d, node) if d is not None else None


def _default(lw: "FunctionLowerer", d: Default, node: A.Node) -> Value:
    if d.kind == "scalar":
        return lw.const(d.value, node)
    if d.kind == "char":
        return lw.emit("char", imms=("\x00",), node=node)
    if d.kind == "array":
        return lw.emit("array", node=node)
    if d.kind == "collection":
        from ..ir.handles import handle_of
        return lw.emit("coll.new", imms=(handle_of(d.value),), node=node)
    if d.kind == "tuple":
        parts = [_default(lw, p, node) for p in d.parts]
        return lw.emit("make", parts, imms=(tuple_of(["any"] * len(parts)),), node=node)
    return lw.emit("variant", imms=(OPTION, "None"), node=node)


__all__ = ["default_of", "or_default_of"]
