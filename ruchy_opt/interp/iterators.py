"""Tier 0: ranges as values and the calls of iterator chains (runtime/iterators.py).

A chain that starts at an iterator source (``v.iter()``, ``s.chars()``, ``s.split(..)``,
a range...) is Rust's lazy iterator: the source is made an iterator (``_lazy``) before
the first adapter, so ``v.iter().map(f).take(2)`` calls ``f`` twice. The sources
themselves stay arrays (the reference implementation indexes ``s.split(",")[0]``), and
an adapter called on an array held in a variable is the reference's eager array
method (``numbers.map(|x| x * 2)`` is an array).

``collect`` takes its target from the turbofish or the type Rust would infer
(syntax/turbofish.py): a Vec by default, a String, a collection, or a Result/Option of
one; ``sum``/``product`` of floats start from ``0.0``/``1.0`` when the type says f64.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Optional

from ..resolve.iterators import collect_target, type_head
from ..resolve import iterators as _shared
from ..runtime.iterators import ADAPTERS
from ..syntax import ast as A
from .opcode import is_temp

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]

_FLOAT_TYPES = frozenset({"f64", "f32"})


def range_value(tr: "FunctionTranslator", node: A.Range) -> Value:
    """``a..b`` as a value: a range iterator (runtime/iterators.RangeIter)."""
    ends = [e for e in (node.start, node.end) if e is not None]
    vals = iter(tr.operands(ends))
    a = tr.simple(*next(vals), node.start) if node.start is not None else "None"
    b = tr.simple(*next(vals), node.end) if node.end is not None else "None"
    return tr.value_line(f"_rng({a}, {b}, {node.inclusive})", "any", node)


def is_iterator(tr: "FunctionTranslator", node: A.Node) -> bool:
    """Whether ``node`` is syntactically a Rust iterator (resolve/iterators.py)."""
    return _shared.is_iterator(tr.ctx.info, node)


def method_call(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """The code of an iterator method call that needs the translator (a lazy chain's
    first adapter, ``collect`` into a type, a float ``sum``, ``iter_mut`` of a place),
    or None for the usual path."""
    name = node.method
    if tr.ctx.info is not None and tr.ctx.info.types_with_method(name):
        return None
    if name == "collect" and len(node.args) == 0:
        r = _receiver(tr, node)
        target, inner = collect_target(node)
        return tr.value_line(f"_M_collect({r}, {target!r}, {inner!r})",
                             "str" if target == "String" else "any", node)
    if name in ("sum", "product") and not node.args:
        r = _receiver(tr, node)
        from .fusion import int_items
        if name == "sum" and int_items(tr, r) and not (
                node.type_args and type_head(node.type_args[0]) in _FLOAT_TYPES):
            return tr.value_line(f"_int_sum({r})", "int", node)  # a fused chain of ints
        floats = node.type_args and type_head(node.type_args[0]) in _FLOAT_TYPES
        zero = ("-0.0" if name == "sum" else "1.0") if floats else ("0" if name == "sum" else "1")
        return tr.value_line(f"_M_{name}({r}, {zero})", "float" if floats else "any", node)
    if name == "for_each" and len(node.args) == 1:
        from ..resolve.refchains import ref_chain
        if ref_chain(tr.ctx.info, node.receiver) is not None:  # `v.iter_mut().rev().for_each(..)`
            start = tr.out.mark
            r = _receiver(tr, node)
            if not is_temp(r):
                r = tr.value_line(r, "any", node)[0]
            (f, fk), = tr.operands(node.args)
            tr.emit(f"_M_for_each({r}, {tr.simple(f, fk, node.args[0])})", node)
            # let go of the chain, as a `for` loop does: a `take` that stops early
            # leaves iter_mut's last cell to be stored back when it is dropped
            tr.emit(" = ".join(temps_in(tr.out.lines[start:], r)) + " = None", node)
            return "None", "unit"
    if name == "iter_mut" and not node.args:
        from .places import place
        r, rk = place(tr, node.receiver)
        r = tr.simple(r, rk, node.receiver)
        return tr.value_line(f"_iter_mut_it({r})", "any", node)
    if name in ADAPTERS and is_iterator(tr, node.receiver):
        from .fusion import FUSED, fused_chain  # range.filter(..).map(..): one generator
        fused = fused_chain(tr, node) if name in FUSED else None
        if fused is not None:
            return fused
        r = _receiver(tr, node)
        vals = tr.operands(node.args)
        n = ADAPTERS[name][1]
        if len(vals) != n:
            tr.emit(f"_arity({'.' + name!r}, {n}, {len(vals)})", node)
            return "None", "any"
        args = "".join(f", {tr.simple(c, k, a)}" for (c, k), a in zip(vals, node.args))
        return tr.value_line(f"_it_{name}(_lazy({r}){args})", "any", node)
    return None


def temps_in(lines: list[str], last: str) -> list[str]:
    """The temps assigned in ``lines`` (the code of a ``for`` loop's iterable) and
    ``last``: cleared after the loop so that the iterator chain is let go of."""
    out = [m.group(1) for m in map(_TEMP.match, lines) if m]
    return list(dict.fromkeys(out + [last]))


_TEMP = re.compile(r"^\s*(_t\d+) = ")


def _receiver(tr: "FunctionTranslator", node: A.MethodCall) -> str:
    r, rk = tr.expr(node.receiver)
    return tr.simple(r, rk, node.receiver)


def namespace() -> dict:
    """The names the generated code of iterator chains calls."""
    from ..runtime import iterators as I
    from ..runtime.iter_consumers import int_sum
    ns = {"_rng": I.make_range, "_lazy": I.lazy, "_iter_mut_it": I.iter_mut,
          "_for_iter": I.for_iter, "_for_iter_mut": I.for_iter_mut, "_for_pos": I.for_pos,
          "_for_snap": I.for_snap, "_fuse": I.fuse,
          "_int_sum": int_sum}
    for name, (f, _) in ADAPTERS.items():
        ns[f"_it_{name}"] = f
    return ns
