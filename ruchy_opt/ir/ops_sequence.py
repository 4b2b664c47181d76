"""Ops of the patterns on sequences: slice patterns (``[a, b]``, ``[first, .., last]``,
``[x, rest @ ..]``) and tuple patterns with ``..`` (``(0, ..)``, ``(.., last)``).

A pattern plan (resolve/plans.py) tests an array's length (``len``), reads elements
counted from either end (``("elem", i)``, negative from the end), binds the middle
as a new array (``("slice", a, b)``), and tests a tuple's length at least (``tuple``
not exact) before reading its elements from the end (``("tup", -k)``). These ops do
exactly that, with tier 0's meaning (interp/patterns.py):

================================  =============================================
``%c = len_is 2, true, %v``       ``%v`` is an array of exactly 2 elements
                                  (``false``: at least 2); never fails
``%x = elem_at -1, %v``           element ``-1`` (the last) of array ``%v``
``%r = slice_rest 1, 1, %v``      a new array of ``%v``'s elements ``1..len-1``
``%c = tuple_min 2, %v``          ``%v`` is a tuple of at least 2 elements
``%x = tuple_at -1, %v``          element ``-1`` (the last) of tuple ``%v``
``%s = slice_range false, %v, %a, %b``  ``&v[a..b]`` (an open end is unit): a new
                                  array (``[x, rest @ ..] = &v[1..]``)
``slice.put %v, %a, %s``          store the elements of ``%s`` (a slice of array
                                  ``%v`` from ``%a``) back over that range
================================  =============================================

``slice.put`` is how a slice is changed in place (tier 0's interp/slices.py): for
``v[1..4].sort()`` or ``f(&mut v[a..b])`` the slice is taken with ``slice_range``
from ``v``'s private array, changed, and put back (the methods that change a slice
keep its length). It writes ``%v``'s contents, so it has ``side_effects``.

Arrays are objects whose contents change (ops_values.py), so the array ops ``read``
(``slice_rest`` also ``allocates``: its array is a new holder's); tuples are values,
so the tuple ops are ``pure``. Lowering reads an element only after its length test,
so ``elem_at``/``tuple_at`` do not fail on what it emits; a hand-written module may
read past the end, which fails as tier 0's indexing does.
"""
from __future__ import annotations

from typing import Any

from ..errors import RuchyRuntimeError
from ..runtime.matching import slice_rest
from ..runtime.strings_mut import slice_, slice_put
from ..runtime.values import Arr, kind
from .opdef import ALLOCATES, MAY_FAIL, NO_FOLD, PURE, READS, SIDE_EFFECTS, OpDef, define, \
    register_op
from .types import TupleType


def _len_is(n: int, exact: bool, v: Any) -> bool:
    if type(v) is not Arr:
        return False
    return len(v.d) == n if exact else len(v.d) >= n


def _elem_at(i: int, v: Any) -> Any:
    if type(v) is not Arr:
        raise RuchyRuntimeError(f"type error: cannot index {kind(v)}")
    if not -len(v.d) <= i < len(v.d):
        raise RuchyRuntimeError(f"index {i} out of bounds for array of length {len(v.d)}")
    return v.d[i]


def _slice_rest(start: int, after: int, v: Any) -> Arr:
    if type(v) is not Arr:
        raise RuchyRuntimeError(f"type error: cannot slice {kind(v)}")
    return slice_rest(v, start, after)


def _tuple_min(n: int, v: Any) -> bool:
    return type(v) is tuple and len(v) >= n


def _tuple_at(i: int, v: Any) -> Any:
    if type(v) is not tuple or not -len(v) <= i < len(v):
        raise RuchyRuntimeError("index out of bounds")  # (as ops_aggregate.read_field)
    return v[i]


define("len_is", _len_is, traits=(READS,), imms=("int", "bool"), operands=1,
       result_type="bool", doc="a slice pattern's length test (exact, or at least)")
define("elem_at", _elem_at, traits=(READS, MAY_FAIL), imms=("int",), operands=1,
       doc="element i of an array, negative from the end (a slice pattern's element)")
define("slice_rest", _slice_rest, traits=(READS, ALLOCATES, MAY_FAIL), imms=("int", "int"),
       operands=1, result_type="arr",
       doc="``rest @ ..``: a new array of the elements a..len-b")
def _slice_range(inclusive: bool, v: Any, a: Any, b: Any) -> Any:
    return slice_(v, a, b, inclusive)


define("slice_range", _slice_range, traits=(READS, ALLOCATES, MAY_FAIL), imms=("bool",),
       operands=3, doc="``&v[a..b]`` (true: ``a..=b``; an open end is unit): a new "
                       "array, or a string's bytes a..b (tier 0's slice)")


define("slice.put", slice_put, traits=(SIDE_EFFECTS, MAY_FAIL), operands=3, result=False,
       doc="store a slice's elements back into the array it was taken from, at its start")


def _made_tuple(v: Any) -> Any:
    """The operands of the ``make tuple<..>`` that ``v`` is (None: not one in view)."""
    if getattr(v, "opname", None) == "make" and isinstance(v.imms[0], TupleType):
        return v.operands
    return None


@register_op
class TupleMin(OpDef):
    """``%c = tuple_min 2, %v``: whether ``%v`` is a tuple of at least 2 elements."""

    name = "tuple_min"
    traits = frozenset({PURE})
    imms = ("int",)
    operands = 1
    result_type_name = "bool"
    impl = staticmethod(_tuple_min)

    @classmethod
    def known(cls, instr: Any) -> Any:
        elems = _made_tuple(instr.operands[0])
        return NO_FOLD if elems is None else len(elems) >= instr.imms[0]


@register_op
class TupleAt(OpDef):
    """``%x = tuple_at -1, %v``: element -1 (the last) of tuple ``%v``."""

    name = "tuple_at"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("int",)
    operands = 1
    impl = staticmethod(_tuple_at)

    @classmethod
    def forward(cls, instr: Any) -> Any:
        elems = _made_tuple(instr.operands[0])
        i = instr.imms[0]
        if elems is None or not -len(elems) <= i < len(elems):
            return None
        return elems[i]


__all__ = ["TupleAt", "TupleMin"]
