"""Lowering of the methods that give their place a new value: the string mutators
(``s.push_str(t)``, ``s.push(c)``, ``s.truncate(n)``, ``self.text.clear()``) and
Option's (``o.take()``, ``o.replace(v)``, ``o.get_or_insert_with(f)``).

A str and an Option cannot change, so tier 0 computes the place's new value and stores
it back (interp/strings.py, interp/option_mut.py). The IR does the same with one
``method.mut`` (ir/ops_effects.py), which gives the pair (new value, result) through
the runtime's own tables (runtime/methods.call_mutator): field 0 is stored into the
receiver's place (places.locate: a variable, a field path, an element; an in-out
parameter or ``&mut self`` is then returned to the caller as any change of it is),
field 1 is the call's value. On a receiver that turns out to be an array or a map at
run time the method changes the object and field 0 is the receiver itself.

A receiver whose IR type is an array or a collection's handle needs no store: the
usual ``method`` on the place's object (calls.method_call). A receiver that is not a
place (a temporary) also takes the usual path: the runtime's method gives the result
only, as at tier 0.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Sequence

from ..ir.core import Value
from ..ir.handles import HandleType
from ..runtime.methods import PLACE_MUTATORS
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def place_root(node: A.Node) -> Optional[A.Name]:
    """The variable at the root of a place (``s``, ``self.text``, ``v[i].name``,
    ``*s``), or None if ``node`` is not a place."""
    while isinstance(node, (A.Field, A.Index, A.Deref)):
        node = node.operand if isinstance(node, A.Deref) else node.target
    return node if isinstance(node, A.Name) else None


def mutated_places(nodes: Sequence[Optional[A.Node]]) -> set[str]:
    """The variables at the root of the receiver of a place mutator in ``nodes``
    (``s.push_str(t)``, ``s.buf.clear()``)."""
    out: set[str] = set()
    stack = [n for n in nodes if n is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, A.MethodCall) and n.method in PLACE_MUTATORS:
            root = place_root(n.receiver)
            if root is not None:
                out.add(root.id)
        stack.extend(c for c in A.children(n) if c is not None)
    return out


def mutator_call(lw: "FunctionLowerer", node: A.MethodCall) -> Optional[Value]:
    """``place.m(args)`` for ``m`` among the place mutators: ``method.mut`` and the
    store of the new value; None when the usual ``method`` does it (see the module
    docstring)."""
    name = node.method
    if name not in PLACE_MUTATORS or not lw.ctx.aggregates or not lw.ctx.place_mutators:
        return None
    root = place_root(node.receiver)
    if root is None or lw.lookup(root.id) is None:
        return None
    from .methods import check_not_let_ref
    from .places import locate
    check_not_let_ref(lw, node.receiver)
    recv, store = locate(lw, node.receiver, any_element=True)
    if store is None or recv.type == "arr" or isinstance(recv.type, HandleType):
        from .calls import method_call_on
        return method_call_on(lw, node, recv)
    vals = lw.operands(node.args)
    from .calls import arity_message, method_arity
    arity = method_arity(name)
    if arity is not None and not arity[0] <= len(vals) <= arity[1]:
        return lw.fail(arity_message("." + name, arity[1], len(vals)), node)
    pair = lw.emit("method.mut", [recv] + vals, imms=(name,), node=node)
    store(lw.emit("extract", [pair], imms=("0",), node=node))
    return lw.emit("extract", [pair], imms=("1",), node=node)


__all__ = ["mutated_places", "mutator_call", "place_root"]
