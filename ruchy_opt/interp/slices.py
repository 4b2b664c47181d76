"""Tier 0: a mutating method called on a slice of a Vec (``v[1..4].sort()``,
``v[..k].reverse()``, ``v[2..].swap(0, 1)``, ``v[a..b].fill(0)``).

A slice read (``&v[1..3]``) is a new array (interp/strings.slice_index). For a method
that changes its receiver, the slice is taken from the Vec's own (private) storage, the
method runs on it, and its elements are stored back over the range: the methods that
change a slice keep its length (sorting, reversing, swapping, filling, rotating), so
the Vec changes exactly as in Rust.
"""
from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Optional

from ..runtime.strings_mut import slice_put
from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def is_slice_receiver(node: A.MethodCall) -> bool:
    """Whether the receiver of ``node`` is ``v[range]`` (``&mut v[range]``)."""
    r = node.receiver
    while isinstance(r, A.Ref):
        r = r.operand
    return isinstance(r, A.Index) and isinstance(r.index, A.Range)


def _take(tr: "FunctionTranslator", recv: A.Index) -> tuple[str, str, str]:
    """The Vec object of ``v[range]`` (private, for writing), the range's start, and a
    new array holding the slice."""
    from .places import place
    rng = recv.index
    assert isinstance(rng, A.Range)
    v, vk = place(tr, recv.target)
    v = tr.simple(v, vk, recv.target)
    ends = [e for e in (rng.start, rng.end) if e is not None]
    vals = iter(tr.operands(ends))
    a = tr.simple(*next(vals), rng.start) if rng.start is not None else "None"
    b = tr.simple(*next(vals), rng.end) if rng.end is not None else "None"
    part = tr.value_line(f"_slice({v}, {a}, {b}, {rng.inclusive})", "arr", recv)[0]
    return v, a, part


def mut_slice_arg(tr: "FunctionTranslator", operand: A.Index) -> Value:
    """``f(&mut v[a..b])``: the callee gets the slice as an array; its elements are
    stored back over the range after the call (calls.flush_post)."""
    v, a, part = _take(tr, operand)

    def write_back() -> None:
        tr.emit(f"_slice_put({v}, {a}, {part})", operand)
    if not hasattr(tr, "post_call"):
        tr.post_call = []
    tr.post_call.append(write_back)
    return part, "arr"


def slice_method(tr: "FunctionTranslator", node: A.MethodCall) -> Value:
    """``v[a..b].m(args)`` for a method ``m`` that changes its receiver."""
    from .calls import method_call
    recv = node.receiver
    while isinstance(recv, A.Ref):
        recv = recv.operand
    assert isinstance(recv, A.Index)
    v, a, part = _take(tr, recv)
    name = f"$slice{len(tr.scopes)}"
    tr.scopes.append({name: part})
    try:
        out = method_call(tr, dataclasses.replace(node, receiver=A.Name(name, span=recv.span)))
        out = (tr.simple(*out, node), out[1])
    finally:
        tr.scopes.pop()
    tr.emit(f"_slice_put({v}, {a}, {part})", node)
    return out


def namespace() -> dict[str, Any]:
    return {"_slice_put": slice_put}
