"""Lowering of ``for`` loops over references into a collection's items: ``for x in
m.values_mut()``, ``for (k, v) in m.iter_mut()``, ``for c in v.iter_mut().rev()``,
``for (i, (a, b)) in xs.iter_mut().zip(ys.iter_mut()).enumerate()``.

Structs are SSA values in the IR, so the loop cannot hand out the item itself.
Instead it iterates over references to the items (``ref.items``: a collection and a
key each, runtime/element_refs.KeyRef), with the same adapters the program applies:
those that leave the items alone (``rev``, ``skip``, ``take``, ``step_by``, ``fuse``)
and those that only put them in a tuple (``enumerate``, ``zip``), as runtime adapters
on an iterator over the references (``iter.adapt``: tier 0's own, so their errors
are its errors). Each reference then sits at a known tuple path of the item pulled
(a *slot*); the item the program sees is that one with each slot's reference
replaced by the item it refers to (``deref``), and its pattern binds ``ref mut``. At
the end of each iteration, and on every edge that leaves it early (exits.py), the
bindings the body changes are written back into that item (refs.py) and each slot's
item stored back through its reference (``deref_set``), as tier 0's places in the
collection leave them.

Which chains are such loops is resolve/refchains.py's (tier 0's too). Adapters that
look at the items (``filter``, ``map``, ``skip_while``...) or mix two
collections in one slot (``chain``) are not kept this way: such a loop is refused.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..resolve.refchains import RefChain, ref_chain
from ..syntax import ast as A

if TYPE_CHECKING:
    from .function import FunctionLowerer


def _refs(lw: "FunctionLowerer", chain: RefChain, node: A.Node
          ) -> tuple[Value, list[tuple[int, ...]]]:
    """The iterator over references to the items of ``chain`` with its adapters
    applied (evaluated in the program's order: the collection, then each adapter's
    argument), and the tuple paths of the references in its items (the slots)."""
    from .places import place
    c = place(lw, chain.source)
    it = lw.emit("iter.lazy", [lw.emit("ref.items", [c], imms=(chain.method,), node=node)],
                 node=node)
    slots: list[tuple[int, ...]] = [()]
    for a in chain.adapters:
        args: list[Value] = []
        if a.method == "zip":
            inner = ref_chain(lw.ctx.info, a.args[0])
            if inner is not None:  # `a.iter_mut().zip(b.iter_mut())`: references of both
                other, more = _refs(lw, inner, a)
                args = [other]
                slots = [(0,) + p for p in slots] + [(1,) + p for p in more]
            else:
                args = [lw.expr(a.args[0])]
                slots = [(0,) + p for p in slots]
        else:
            args = lw.operands(a.args)
            if a.method == "enumerate":
                slots = [(1,) + p for p in slots]
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
    it, slots = _refs(lw, chain, node)
    items = lw.emit("iter.items", [it], node=node)
    head, body, end = lw.new_block("for.head"), lw.new_block("for.body"), \
        lw.new_block("for.end")
    lw.jump(head)
    lw.start(head)
    pulled = next_item(lw, items, body, end, node)
    lw.scopes.append({})
    item = pulled
    refs_at = []
    for path in slots:
        ref = _at(lw, pulled, path, node)
        refs_at.append(ref)
        item = _put_at(lw, item, path, lw.emit("deref", [ref], node=node), node)

    def put(new: Value) -> None:
        for path, ref in zip(slots, refs_at):
            lw.emit("deref_set", [ref, _at(lw, new, path, node)], node=node)
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
