"""Ops of ranges, iterators and collections: each calls the runtime's own implementation
(runtime/iterators.py, iter_consumers.py, collections.py, map_methods.py), the one tier
0 calls, so results and errors are tier 0's by construction.

Values are handles (ir/handles.py: ``range<T>``, ``iter<T>``, ``hashmap<K, V>``...):
runtime objects only ops look into. Effects are declared as they are: making a
collection allocates; pulling an iterator may run the program's closures (a ``map``'s
``println!``), so ``iter.next``, ``iter.items`` and ``iter.collect`` have side effects;
a map update writes memory.

Iterator chains the lowering knows statically become loops (lower/chains.py) that pull
from ``iter.items``/``iter.next`` and call the chain's closures with ``call_closure``;
the rest goes through the ``method`` op, after ``iter.lazy`` where tier 0 makes a
chain lazy (interp/iterators.py).
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..runtime import iterators as I
from ..runtime.aggregates import NONE, Cell, Some
from ..runtime.collections import BY_NAME, COLLECTION_TYPES, build
from ..runtime.element_refs import KeyRef
from ..runtime.iter_consumers import collect
from ..runtime.map_methods import entry_update
from ..runtime.parsing import parse
from ..runtime.values import Arr, debug
from .enums import OPTION
from .handles import ITER, RANGE
from .opdef import ALLOCATES, MAY_FAIL, PURE, READS, SIDE_EFFECTS, OpDef, define, \
    register_op

_END = object()
INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1


@register_op
class CollNew(OpDef):
    """``%m = coll.new hashmap<any, any>``: an empty collection of the handle type
    (``HashMap::new()``, ``VecDeque::with_capacity(n)``...)."""

    name = "coll.new"
    traits = frozenset({ALLOCATES})
    imms = ("type",)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return imms[0]

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return imms[0].runtime_class()

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        if getattr(instr.imms[0], "runtime_name", "") not in BY_NAME:
            return f"coll.new needs a collection type, not {instr.imms[0]}"
        return None


@register_op
class CollFrom(OpDef):
    """``%s = coll.from hashset<any>, %items``: ``HashSet::from([..])``,
    ``BTreeMap::from_iter(it)`` (the items pulled from an array or iterator)."""

    name = "coll.from"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("type",)
    operands = 1

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return imms[0]

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        name = imms[0].runtime_name
        return lambda items: build(name, items)

    verify = CollNew.verify


def _range(inclusive: bool, a: Any, b: Any) -> I.RangeIter:
    return I.make_range(a, b, inclusive)


define("range", _range, traits=(ALLOCATES, MAY_FAIL), imms=("bool",), operands=2,
       result_type=RANGE, doc="`a..b` (false) or `a..=b` (true) as a value; an open end "
                              "is unit")


def _lazy(v: Any) -> I.Iter:
    return I.lazy(v)


define("iter.lazy", _lazy, traits=(READS, ALLOCATES, MAY_FAIL), operands=1, result_type=ITER,
       doc="tier 0's `_lazy`: an array, string or iterator as a lazy iterator (a chain "
           "that starts at `v.iter()` or a range)")


@register_op
class IterAdapt(OpDef):
    """``%it = iter.adapt "map", %src, %f``: the runtime's adapter (runtime/iterators
    .ADAPTERS) on a lazy iterator, as tier 0 calls it on ``_lazy(r)``: nothing is
    pulled yet, except by the adapters that must (``rev`` of an iterator that cannot
    run backwards, ``cycle``)."""

    name = "iter.adapt"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    result_type_name = ITER

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return I.ADAPTERS[imms[0]][0]

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        entry = I.ADAPTERS.get(instr.imms[0])
        if entry is None:
            return f"unknown iterator adapter '{instr.imms[0]}'"
        if len(instr.operands) != entry[1] + 1:
            return f"adapter '{instr.imms[0]}' takes {entry[1]} arguments"
        return None


def _items(v: Any) -> I.Iter:
    """What a ``for`` loop (or a chain lowered to a loop) pulls from: tier 0's ``_iter``
    (an array's snapshot, a string's chars, any other iterable's own items)."""
    from ..interp.rt import _iter
    return I.Iter(iter(_iter(v)))


define("iter.items", _items, traits=(SIDE_EFFECTS, MAY_FAIL), operands=1, result_type=ITER,
       doc="the items `for x in v` visits (tier 0's `_iter`); an iterator is pulled from "
           "from now on")


def _next(it: I.Iter) -> Any:
    x = next(it.it, _END)
    return NONE if x is _END else Some(x)


define("iter.next", _next, traits=(SIDE_EFFECTS, MAY_FAIL), operands=1, result_type=OPTION,
       doc="pull the next item of an `iter.items` iterator: `Some(x)` or `None` (may run "
           "the closures of a lazy chain)")


@register_op
class IterCollect(OpDef):
    """``%v = iter.collect "Vec", "Vec", %it``: ``collect()`` into the target tier 0
    decides (the turbofish or the type Rust infers: runtime/iter_consumers.collect)."""

    name = "iter.collect"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str", "str")
    operands = 1

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        target, inner = imms
        return lambda v: collect(v, target, inner)


def _check_count(what: str, k: Any) -> Any:
    """The argument of ``take``/``skip``/``step_by`` in a chain lowered to a loop,
    checked as the runtime's adapter checks it when the chain is built."""
    if what == "step_by":
        if type(k) is not int or k <= 0:
            raise RuchyRuntimeError("assertion failed: step != 0" if k == 0 else
                                    f"type error: step_by() expects a positive int, found "
                                    f"{debug(k)}")
        return k
    if type(k) is not int or k < 0:
        raise RuchyRuntimeError(f"type error: {what}() expects a non-negative int, found "
                                f"{debug(k)}")
    return k


define("iter.check_count", _check_count, traits=(PURE, MAY_FAIL), imms=("str",), operands=1,
       doc="the count of `take`/`skip`/`step_by`, or the runtime's error")


def _sum_add(total: Any, x: Any) -> Any:
    """One step of the runtime's ``sum`` (iter_consumers._sum): ints and floats add
    without a check per step (the total is checked at the end), anything else through
    ``+``."""
    if type(x) is int and type(total) is int:
        return total + x
    if type(x) is float and type(total) is float:
        return total + x
    from ..runtime import ops
    return ops.add(total, x.v if type(x) is Cell else x)


def _sum_check(total: Any) -> Any:
    if type(total) is int and not INT_MIN <= total <= INT_MAX:
        raise RuchyRuntimeError("integer overflow")
    return total


define("sum.add", _sum_add, traits=(PURE, MAY_FAIL), operands=2,
       doc="a step of `sum()`: the running total and an item")
define("sum.check", _sum_check, traits=(PURE, MAY_FAIL), operands=1,
       doc="the total of `sum()`: an int out of 64 bits is `integer overflow`")
@register_op
class Truthy(OpDef):
    """``%k = truthy %r``: whether the runtime's ``filter`` keeps an item for this
    result of its closure (Python's truth, as tier 0's filter); a bool is itself."""

    name = "truthy"
    traits = frozenset({PURE})
    operands = 1
    result_type_name = "bool"
    impl = staticmethod(bool)

    @classmethod
    def forward(cls, instr: Any) -> Any:
        v = instr.operands[0]
        return v if v.type == "bool" else None


def _entry_op(op: str, m: Any, k: Any, dflt: Any, x: Any) -> None:
    entry_update(m, k, dflt, op, x)


define("map.entry_op", _entry_op, traits=(SIDE_EFFECTS, MAY_FAIL), imms=("str",), operands=4,
       result=False, doc="`*m.entry(k).or_insert(d) OP= x` (map, key, default, x): the "
                         "runtime's entry_update")


def _ref_elem(name: str, c: Any, *args: Any) -> tuple[Any, Any]:
    from ..runtime.element_refs import element_ref
    return element_ref(name, c, *args)


@register_op
class RefElem(OpDef):
    """``%p = ref.elem "last_mut", %v``: the element a reference-giving method
    (``get_mut``, ``first_mut``, ``last_mut``, ``front_mut``, ``back_mut``) refers to,
    as the tuple ``(Some(element) or None, a reference to it)`` (a collection and a
    key: runtime/element_refs.KeyRef); the lowering changes the element as a value and
    stores it back with ``deref_set`` (lower/elemrefs.py). It may make the
    collection's storage private (copy on write), which changes no value, so it only
    reads."""

    name = "ref.elem"
    traits = frozenset({READS, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    impl = staticmethod(_ref_elem)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> Any:
        from .types import tuple_of
        return tuple_of(["any", "any"])

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        from ..runtime.element_refs import ELEMENT_REFS
        if instr.imms[0] not in ELEMENT_REFS:
            return f"'{instr.imms[0]}' gives no reference into its receiver's elements"
        return None


def _ref_items(name: str, c: Any) -> Any:
    from ..runtime.element_refs import item_refs
    return item_refs(name, c)


# `for x in m.values_mut()`, `for c in v.iter_mut().rev()` (lower/mutloops.py): the
# references to the items first, then per reference the item (`deref`), changed as a
# value and stored back through it (`deref_set`).
define("ref.items", _ref_items, traits=(READS, ALLOCATES, MAY_FAIL), imms=("str",),
       operands=1, result_type="arr",
       doc="references to the items of `c.iter_mut()`/`c.values_mut()` (by a map's keys, "
           "by a sequence's positions: runtime/element_refs.py)")


def _deref(r: Any) -> Any:
    t = type(r)
    if t is Cell:
        return r.v
    return r.get() if t is KeyRef else r


@register_op
class Deref(OpDef):
    """``%v = deref %r``: ``*r`` of a reference into a collection: the value a cell
    holds (what ``or_insert``, a vacant entry's ``insert`` give, or a closure the
    runtime calls with a map's value gets), the item at a key (``ref.elem``,
    ``ref.items``), or the element object itself (tier 0's ``r.v if type(r) is Cell
    else r``)."""

    name = "deref"
    traits = frozenset({READS})  # (a key the lowering made a reference to is there)
    operands = 1
    impl = staticmethod(_deref)

    @classmethod
    def forward(cls, instr: Any) -> Any:
        v = instr.operands[0]  # (a scalar is never a reference)
        return v if v.type in ("i64", "f64", "bool", "str", "unit") else None


def _deref_set(r: Any, v: Any) -> Any:
    from ..runtime.ops import deref_set
    return deref_set(r, v)


define("deref_set", _deref_set, traits=(SIDE_EFFECTS, MAY_FAIL), operands=2,
       doc="`*r = v` through a reference into a collection (runtime/ops.deref_set: into "
           "the cell, at the item's key, or the element object takes v's contents); the "
           "result is what `r` holds afterwards")


def _parse(target: Any, s: Any) -> Any:
    return parse(s, target)


define("parse", _parse, traits=(PURE, MAY_FAIL), imms=("lit",), operands=1,
       doc="`s.parse::<T>()` (T's text, or unit when no type is given): a Result")


def snapshot_of_collection(a: Any) -> Arr:
    """The items ``for x in m`` visits when ``m`` is a collection (ops_values.snapshot's
    case for values that are not arrays): its own iteration, fixed when the loop
    starts."""
    if type(a) in COLLECTION_TYPES:
        return Arr(list(I.py_iter(a)))
    if isinstance(a, I.Iter):
        raise RuchyRuntimeError("a lazy iterator reached a 'for' loop the lowering took "
                                "for one over an array: not in the IR yet")
    raise RuchyRuntimeError(f"type error: cannot iterate over {type(a).__name__}")


__all__ = ["CollFrom", "CollNew", "Deref", "IterAdapt", "IterCollect", "RefElem",
           "snapshot_of_collection"]
