"""Lowering of closures and function values by closure conversion (ir/ops_closure.py).

A closure ``|x| x + k`` in function ``@f`` becomes a function of its own,
``@f.closure.N(k, x)``: the captured variables first (resolve/captures.py, the layer
tier 0 uses too), then the closure's parameters; where the closure is, ``closure
@f.closure.N, %k`` pairs it with the captured values. A named function used as a value
is ``closure @name``; a call of a variable, a parameter or any computed value is
``call_closure``.

Copying the captured values is capture by reference only where nothing changes them
while the closure lives; level3.py refuses the other closures with the reason
(``by_value_captures``), so this module never sees them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..ir.core import Value
from ..ir.ops_closure import LIFTED
from ..ir.opdef import Sym
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def closure(lw: "FunctionLowerer", node: A.Closure, want: bool = True) -> Value:
    """``|params| body``: lift the body into a function; the closure value here."""
    from ..resolve.captures import by_value_captures
    if lw.closure_plan is None:
        params, body = lw.source
        lw.closure_plan = by_value_captures(params, A.Block(body))
    caps, _ = lw.closure_plan[id(node)]
    names = [c.name for c in caps.reads if lw.lookup(c.name) is not None]
    name = f"{lw.f.name}{LIFTED}{lw.closures_made}"
    lw.closures_made += 1
    params = [A.Param(n, span=node.span) for n in names] + list(node.params)
    body = node.body if isinstance(node.body, A.Block) \
        else A.Block([node.body], span=node.body.span)
    lw.ctx.lift(name, params, body, node.ret)
    values = [lw.read(lw.lookup(n)) for n in names]  # (checked: all are locals)
    return lw.emit("closure", values, imms=(Sym(name),), node=node)


def function_value(lw: "FunctionLowerer", name: str, node: A.Node) -> Value:
    """A named function used as a value (``apply(double, 3)``)."""
    lw.ctx.requested.add(name)
    return lw.emit("closure", imms=(Sym(name),), node=node)


def call_value(lw: "FunctionLowerer", node: A.Call, want: bool = True) -> Value:
    """``f(a, b)`` where ``f`` is a variable or any expression: the callee first, then
    the arguments, copied as for any call (tier 0's order)."""
    f = lw.expr(node.callee)
    args = [lw.copied(lw.expr(a), a) for a in node.args]
    return lw.emit("call_closure", [f, *args], node=node)


__all__ = ["call_value", "closure", "function_value"]
