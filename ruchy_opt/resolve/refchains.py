"""Iterators over references into a collection's items, decided once for tier 0
(interp/control.py) and the SSA lowering (lower/mutloops.py): ``v.iter_mut()``,
``&mut v``, ``m.values_mut()``, and those followed by adapters that leave the items
alone (``rev``, ``skip``, ``take``, ``step_by``, ``fuse``) or only put them in a
tuple (``enumerate``, ``zip``): ``for (i, x) in v.iter_mut().rev().enumerate()``.

A ``for`` over one binds its pattern ``ref mut`` in the references (Rust's default
binding mode through ``&mut T``): a pattern that takes an element apart (``for (a,
b) in pairs.iter_mut()``) changes the element through its bindings.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..syntax import ast as A

#: The adapters that keep an iterator over references one (with their arity).
KEY_ADAPTERS = {"rev": 0, "skip": 1, "take": 1, "step_by": 1, "fuse": 0, "enumerate": 0,
                "zip": 1}


@dataclass
class RefChain:
    """``source.method()`` followed by ``adapters`` (in the order they apply)."""

    source: A.Node                 # the collection's place
    method: str                    # a method of runtime/element_refs.ITEM_REFS
    adapters: list[A.MethodCall] = field(default_factory=list)


def _user(info: object, method: str) -> bool:
    return info is not None and bool(info.types_with_method(method))  # type: ignore


def mut_iterable(info: object, it: A.Node) -> Optional[A.Node]:
    """``v`` of ``&mut v`` / ``v.iter_mut()`` (unless a user type defines ``iter_mut``);
    None otherwise."""
    if isinstance(it, A.Ref) and it.mutable:
        return it.operand
    if isinstance(it, A.MethodCall) and not it.args and it.method == "iter_mut" \
            and not it.type_args and not _user(info, "iter_mut"):
        return it.receiver
    return None


def item_refs(info: object, it: A.Node) -> Optional[tuple[A.Node, str]]:
    """``(v, method)`` of ``v.values_mut()`` / ``v.iter_mut()`` / ``&mut v`` (the method
    whose items are references: runtime/element_refs.ITEM_REFS), unless a user type
    defines it; None otherwise."""
    if isinstance(it, A.MethodCall) and not it.args and it.method == "values_mut" \
            and not it.type_args and not _user(info, "values_mut"):
        return it.receiver, "values_mut"
    source = mut_iterable(info, it)
    return (source, "iter_mut") if source is not None else None


def ref_chain(info: object, it: A.Node) -> Optional[RefChain]:
    """The :class:`RefChain` ``it`` is, or None: not an iterator over references, or
    an adapter not among :data:`KEY_ADAPTERS` (or one a type of the program
    defines)."""
    adapters: list[A.MethodCall] = []
    node = it
    while isinstance(node, A.MethodCall) and node.method in KEY_ADAPTERS and \
            len(node.args) == KEY_ADAPTERS[node.method] and not node.type_args and \
            not _user(info, node.method):
        adapters.append(node)
        node = node.receiver
    found = item_refs(info, node)
    if found is None or (adapters and not isinstance(node, A.MethodCall)):
        return None  # (`(&mut v).rev()` is no Rust: `&mut v` is not an iterator)
    return RefChain(found[0], found[1], adapters[::-1])


def chain_sources(info: object, it: A.Node) -> list[A.Node]:
    """The collections a loop over the :func:`ref_chain` ``it`` changes (a ``zip`` of
    two chains: both); [] if ``it`` is no such chain."""
    chain = ref_chain(info, it)
    if chain is None:
        return []
    out = [chain.source]
    for a in chain.adapters:
        if a.method == "zip":
            out += chain_sources(info, a.args[0])
    return out


def adapter_args(info: object, it: A.Node) -> list[A.Node]:
    """The arguments of the adapters of the chain ``it`` that are plain values (of a
    ``zip`` of another chain: that chain's own)."""
    chain = ref_chain(info, it)
    out: list[A.Node] = []
    for a in chain.adapters if chain is not None else []:
        for arg in a.args:
            out += adapter_args(info, arg) if ref_chain(info, arg) is not None else [arg]
    return out


__all__ = ["KEY_ADAPTERS", "RefChain", "adapter_args", "chain_sources", "item_refs",
           "mut_iterable", "ref_chain"]
