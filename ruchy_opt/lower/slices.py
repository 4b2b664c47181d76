"""Lowering of a slice of a Vec changed in place: ``v[1..4].sort()``, ``v[..k].fill(0)``,
``v[2..].swap(0, 1)``, and ``f(&mut v[a..b])``.

Tier 0's translation (interp/slices.py), op for op: the slice is taken from the Vec's
own private array (places.place, then ``slice_range``: a new array), the method or the
callee changes that array, and ``slice.put`` (ir/ops_sequence.py) stores its elements
back over the range. The methods that change a slice keep its length, so the Vec
changes exactly as in Rust.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from ..interp.slices import is_slice_receiver
from ..ir.core import Value
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def slice_operand(node: A.Node) -> "A.Index | None":
    """The ``v[range]`` of ``&mut v[range]`` (or of ``v[range]``), else None."""
    while isinstance(node, A.Ref):
        node = node.operand
    if isinstance(node, A.Index) and isinstance(node.index, A.Range):
        return node
    return None


def take(lw: "FunctionLowerer", recv: A.Index) -> tuple[Value, Value, Value]:
    """The Vec object of ``v[range]`` (private, for writing), the range's start (unit if
    open) and a new array holding the slice."""
    from .places import place
    rng = recv.index
    assert isinstance(rng, A.Range)
    v = place(lw, recv.target)
    ends = lw.operands([e for e in (rng.start, rng.end) if e is not None])
    vals = iter(ends)
    a = next(vals) if rng.start is not None else lw.unit()
    b = next(vals) if rng.end is not None else lw.unit()
    part = lw.emit("slice_range", [v, a, b], imms=(rng.inclusive,), node=recv)
    return v, a, part


def slice_method(lw: "FunctionLowerer", node: A.MethodCall) -> Value:
    """``v[a..b].m(args)`` for a method ``m`` that changes its receiver."""
    from .calls import method_call_on
    recv = slice_operand(node.receiver)
    assert recv is not None
    v, a, part = take(lw, recv)
    out = method_call_on(lw, node, part)
    lw.emit("slice.put", [v, a, part], node=node)
    return out


def slice_argument(lw: "FunctionLowerer", operand: A.Index
                   ) -> tuple[Value, Callable[[], None], Callable[[Value], None]]:
    """``f(&mut v[a..b])``: the slice the callee gets; what puts it back after the call
    (a callee that changes the array object), and what stores the final value an in-out
    parameter returns."""
    v, a, part = take(lw, operand)

    def after() -> None:
        lw.emit("slice.put", [v, a, part], node=operand)

    def store(new: Value) -> None:
        lw.emit("slice.put", [v, a, new], node=operand)
    return part, after, store


__all__ = ["is_slice_receiver", "slice_argument", "slice_method", "slice_operand", "take"]
