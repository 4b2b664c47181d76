"""Ops that make and inspect values: constants, copies, arrays, strings and formatting.

Arrays are values in Ruchy but objects here: an ``arr`` SSA value refers to one array
object, and the copy-on-write ``copy`` op is where value semantics happen (``let b = a``
lowers to ``copy``). Ops that write through an array reference (``set_index``,
``elem_mut``, mutating methods) therefore have side effects, and ops that read array
contents (``index``, ``len``, ``format``) are marked ``reads``.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..runtime import ops as R
from ..runtime.fmt import FormatError, format_dyn, format_value, parse_format
from ..runtime.aggregates import IMMUTABLE
from ..runtime.values import Arr, cp, kind, text
from .opdef import ALLOCATES, MAY_FAIL, PURE, READS, SIDE_EFFECTS, OpDef, \
    NO_FOLD, define, literal_type, register_op


@register_op
class Const(OpDef):
    """``const 42``: a literal value (int, float, bool, str or ``()``)."""

    name = "const"
    traits = frozenset({PURE})
    imms = ("lit",)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return literal_type(imms[0]) if imms else "any"

    @staticmethod
    def impl(v: Any) -> Any:
        return v


@register_op
class Copy(OpDef):
    """``copy %a``: the value as a new holder sees it (arrays: an O(1) copy-on-write copy;
    other values are returned as they are). Two copies are never interchangeable."""

    name = "copy"
    traits = frozenset({ALLOCATES})
    operands = 1

    impl = staticmethod(cp)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return operand_types[0] if operand_types else "any"


def _array(*elems: Any) -> Arr:
    return Arr(list(elems))


def _set_index(a: Any, i: Any, v: Any) -> None:
    R.set_index(a, i, v)


def _snapshot(a: Any) -> Arr:
    """The elements a ``for x in a`` loop visits, fixed when the loop starts (each
    element that is not immutable copied: the loop variable is its own holder)."""
    if type(a) is Arr:
        a.shared = True  # later writes to `a` copy its list, so the snapshot stays intact
        d = a.d
        return Arr([cp(x) for x in d] if any(type(x) not in IMMUTABLE for x in d) else d)
    if type(a) is str:
        return Arr(list(a))
    from .ops_iter import snapshot_of_collection  # a map, set or deque: its own items
    try:
        return snapshot_of_collection(a)
    except RuchyRuntimeError:
        if not hasattr(type(a), "__iter__") or type(a) is tuple:
            raise RuchyRuntimeError(f"type error: cannot iterate over {kind(a)}") from None
        raise


def _check_range(a: Any, b: Any) -> None:
    R.range_of(a, b, False)


define("array", _array, traits=(ALLOCATES,), operands=(0, None), result_type="arr",
       doc="a new array of the operands (already copied by the producer)")
define("repeat", R.repeat, traits=(ALLOCATES, MAY_FAIL), operands=2, result_type="arr",
       doc="`[v; n]`")
define("index", R.index, traits=(READS, MAY_FAIL), operands=2, doc="`a[i]`")
define("set_index", _set_index, traits=(SIDE_EFFECTS, MAY_FAIL), operands=3, result=False,
       doc="`a[i] = v` on the array object %a refers to")
define("elem_mut", R.elem_mut, traits=(SIDE_EFFECTS, MAY_FAIL), operands=2, result_type="arr",
       doc="element `a[i]` made private for a write through it (`a[i][j] = v`)")
def _elem_own(a: Any, i: Any) -> Any:
    """``a[i]`` made private for a write through it, whatever it is (a struct whose
    array field is written next: ``a[i].items.push(v)``)."""
    R.index(a, i)
    e = R.own(a).d[i]
    return R.own(e) if type(e) is Arr else e


define("elem_own", _elem_own, traits=(SIDE_EFFECTS, MAY_FAIL), operands=2,
       doc="element `a[i]` (any value) made private for a write through it "
           "(`a[i].items.push(v)`)")
define("snapshot", _snapshot, traits=(READS, ALLOCATES, MAY_FAIL), operands=1,
       result_type="arr", doc="what `for x in v` iterates over: an array of the elements "
                              "(the characters of a string)")
define("len", R.length, traits=(READS, MAY_FAIL), operands=1, result_type="i64",
       doc="length of an array or (in bytes) of a string")
define("check_range", _check_range, traits=(PURE, MAY_FAIL), operands=2, result=False,
       doc="fails unless both bounds of a `for` range are ints")
define("text", text, traits=(READS,), operands=1, result_type="str",
       doc="text form of a value (`String::from`, `to_string`)")


def _format_holes(fmt: str) -> Optional[list]:
    try:
        pieces = parse_format(fmt)
    except FormatError:
        return None
    holes = [p for p in pieces if not isinstance(p, str)]
    if any(ref != i for i, (ref, _) in enumerate(holes)):
        return None
    return pieces


@register_op
class Format(OpDef):
    """``format "x = {} y = {:.2}\\n", %x, %y``: the text of a format string whose holes
    take the operands in order (lowering turns named and numbered holes into positional
    ones). ``println`` and friends lower to ``format`` then ``print``."""

    name = "format"
    traits = frozenset({READS})
    imms = ("str",)
    operands = (0, None)
    result_type_name = "str"

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        pieces = parse_format(imms[0])

        def run(*args: Any) -> str:
            return "".join(p if type(p) is str else format_value(args[p[0]], p[1])
                           for p in pieces)
        return run

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return cls.bind(imms, None)(*args)  # constant operands are scalars: no state read

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        pieces = _format_holes(instr.imms[0])
        if pieces is None:
            return "format string must be valid with positional holes {} in order"
        holes = sum(1 for p in pieces if not isinstance(p, str))
        if holes != len(instr.operands):
            return f"format string has {holes} holes but {len(instr.operands)} operands"
        return None


@register_op
class FormatDyn(OpDef):
    """``format.dyn "[{0:>1$}] [{2:.1$}]", %x, %w, %f``: a format string with a width or
    precision taken from an operand (Rust's ``{:>w$}``, ``{:.*}``, ``{:.p$}``). Every
    hole names its operand by index and ``N$`` names the operand giving the width or
    precision; an operand may serve several holes. It fails when a width or precision
    is not an int >= 0 (runtime/fmt.format_dyn, as tier 0 fails)."""

    name = "format.dyn"
    traits = frozenset({READS, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    result_type_name = "str"

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        pieces = parse_format(imms[0])

        def run(*args: Any) -> str:
            out = []
            for p in pieces:
                if type(p) is str:
                    out.append(p)
                    continue
                ref, spec = p
                w = args[spec.width_arg] if spec.width_arg is not None else None
                pr = args[spec.prec_arg] if spec.prec_arg is not None else None
                out.append(format_dyn(args[ref], spec, w, pr))
            return "".join(out)
        return run

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        try:
            return cls.bind(imms, None)(*args)
        except RuchyRuntimeError:
            return NO_FOLD  # a bad width fails at run time, with its position

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        try:
            pieces = parse_format(instr.imms[0])
        except FormatError as e:
            return f"format.dyn string is not a format string: {e}"
        n = len(instr.operands)
        refs = []
        for p in pieces:
            if isinstance(p, str):
                continue
            ref, spec = p
            refs += [ref, spec.width_arg, spec.prec_arg]
        if any(r is not None and not (type(r) is int and 0 <= r < n) for r in refs):
            return f"format.dyn holes must name operands by index below {n}"
        return None

