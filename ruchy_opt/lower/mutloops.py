"""Lowering of ``for`` loops over references into a collection's items: ``for x in
m.values_mut()``, ``for (k, v) in m.iter_mut()``, ``for c in v.iter_mut().rev()``,
``for (i, (a, b)) in xs.iter_mut().zip(ys.iter_mut()).enumerate()``.

Structs are SSA values in the IR, so the loop cannot hand out the item itself.
Instead it iterates over the items' *keys* (``elem.keys``: a map's keys, a sequence's
positions), with the same adapters the program applies to the references: those
that leave the items alone (``rev``, ``skip``, ``take``, ``step_by``, ``fuse``) and
those that only put them in a tuple (``enumerate``, ``zip``), as runtime adapters on
an iterator over the keys (``iter.adapt``: tier 0's own, so their errors are its
errors). Each key then sits at a known tuple path of the item pulled (a *slot*); the
item the program sees is that one with each slot's key replaced by the item at that
key (``elem.item``), and its pattern binds the references ``ref mut``. At the end of
each iteration, and on every edge that leaves it early (exits.py), the bindings the
body changes are written back into that item (refs.py) and each slot's item stored
back at its key (``elem.item_put``), as tier 0's places in the collection leave them
(runtime/element_refs.py).

Which chains are such loops is resolve/refchains.py's (tier 0's too). Adapters that
look at the items (``filter``, ``map``, ``skip_while``...) or mix two
collections in one slot (``chain``) are not kept this way: such a loop is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..resolve.refchains import RefChain, ref_chain
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


@dataclass
class _Slot:
    """Where a key sits in the items of the key iterator, and whose key it is."""

    path: tuple[int, ...]
    collection: Value
    method: str


def _keys(lw: "FunctionLowerer", chain: RefChain, node: A.Node
          ) -> tuple[Value, list[_Slot]]:
    """The iterator over the keys of ``chain`` with its adapters applied (evaluated in
    the program's order: the collection, then each adapter's argument), and the slots
    of its items."""
    from .places import place
    c = place(lw, chain.source)
    keys = lw.emit("elem.keys", [c], imms=(chain.method,), node=node)
    it = lw.emit("iter.lazy", [keys], node=node)
    slots = [_Slot((), c, chain.method)]
    for a in chain.adapters:
        args: list[Value] = []
        if a.method == "zip":
            inner = ref_chain(lw.ctx.info, a.args[0])
            if inner is not None:  # `a.iter_mut().zip(b.iter_mut())`: keys of both
                other, more = _keys(lw, inner, a)
                args = [other]
                slots = [_Slot((0,) + s.path, s.collection, s.method) for s in slots] + \
                    [_Slot((1,) + s.path, s.collection, s.method) for s in more]
            else:
                args = [lw.expr(a.args[0])]
                slots = [_Slot((0,) + s.path, s.collection, s.method) for s in slots]
        else:
            args = lw.operands(a.args)
            if a.method == "enumerate":
                slots = [_Slot((1,) + s.path, s.collection, s.method) for s in slots]
        it = lw.emit("iter.adapt", [it] + args, imms=(a.method,), node=a)
    return it, slots


def _at(lw: "FunctionLowerer", v: Value, path: tuple[int, ...], node: A.Node) -> Value:
    for k in path:
        v = lw.emit("extract", [v], imms=(str(k),), node=node)
    return v


def _put_at(lw: "FunctionLowerer", v: Value, path: tuple[int, ...], new: Value,
            node: A.Node) -> Value:
    if not path:
        return new
    inner = lw.emit("extract", [v], imms=(str(path[0]),), node=node)
    return lw.emit("insert", [v, _put_at(lw, inner, path[1:], new, node)],
                   imms=(str(path[0]),), node=node)


def for_refs(lw: "FunctionLowerer", node: A.For, chain: RefChain) -> Value:
    """The loop ``for pat in chain`` (the module docstring)."""
    from . import refs
    from .control import LoopTarget, _finish_join, _loop_body
    from .iterators import next_item
    from .matching import destructure
    from .patterns import alternatives, compile_plan
    it, slots = _keys(lw, chain, node)
    items = lw.emit("iter.items", [it], node=node)
    head, body, end = lw.new_block("for.head"), lw.new_block("for.body"), \
        lw.new_block("for.end")
    lw.jump(head)
    lw.start(head)
    keyed = next_item(lw, items, body, end, node)
    lw.scopes.append({})
    item = keyed
    keys = []
    for s in slots:
        key = _at(lw, keyed, s.path, node)
        keys.append(key)
        item = _put_at(lw, item, s.path, lw.emit("elem.item", [s.collection, key],
                                                 imms=(s.method,), node=node), node)

    def put(new: Value) -> None:
        for s, key in zip(slots, keys):
            lw.emit("elem.item_put", [s.collection, key, _at(lw, new, s.path, node)],
                    imms=(s.method,), node=node)
    if node.pattern is None:
        var = lw.bind(node.var)
        lw.write(var, item)
        lw.ref_vars.add(var)

        def store_back() -> None:
            put(lw.read(var))
    else:
        plan = compile_plan(lw, alternatives(node.pattern), "ref_mut")
        if plan.refutable:
            raise RuchySyntaxError("refutable pattern in a 'for' loop", node.pattern.span)
        back = refs.written_back(plan, [node.body], lw.ctx.info, None)
        destructure(lw, plan, item, node, fresh=True)
        refs.allow(lw, refs.reference_bindings(plan))
        variables = {b.name: lw.lookup(b.name) for b in back}

        def store_back() -> None:
            refs.write_back(lw, back, plan.rows[0], item, put, node, variables)
    # (the end of an iteration stores the items back; an edge out of it stores first)
    _loop_body(lw, node.body, LoopTarget(head, end, False, False, node.label), store_back)
    store_back()
    lw.jump(head)
    lw.scopes.pop()
    lw.ssa.seal(head)
    return _finish_join(lw, end, False)


__all__ = ["for_refs"]
