"""The reference implementation's plain functions and extra methods that Rust lacks:
``max(a, b)``, ``min(a, b)``, ``range(a, b)``, ``sqrt(x)``, ``abs(x)``..., and the
methods ``v.length()``, ``v.slice(a, b)``, ``v.unique()``, ``v.each(f)`` on arrays,
``s.char_at(i)``, ``s.substring(a, b)`` (and its alias ``s.slice(a, b)``), ``s.to_upper()``/``to_lower()``, ``s.is_numeric()``,
``is_alphabetic()``, ``is_alphanumeric()`` (every char), ``s.to_integer()``, ``x.to_int()`` on a
float (paiml/ruchy's builtin table; a program's own function of the same name wins).
"""
from __future__ import annotations

import math
import os
from typing import Any

from ..errors import RuchyRuntimeError
from . import ops
from . import strings
from .aggregates import Char
from .io import _path
from .libmethods import register
from .values import Arr, cp, kind


def _num(name: str, x: Any) -> float:
    if type(x) in (int, float):
        return float(x)
    raise RuchyRuntimeError(f"type error: {name}() expects a number, found {kind(x)}")


def _numbers(name: str, a: Any, b: Any) -> tuple[Any, Any]:
    if type(a) not in (int, float) or type(b) not in (int, float):
        raise RuchyRuntimeError(f"type error: {name}() expects two numbers, found "
                                f"{kind(a)} and {kind(b)}")
    if type(a) is not type(b):  # an int with a float: both floats, as the reference
        return float(a), float(b)
    return a, b


def max_(a: Any, b: Any) -> Any:
    a, b = _numbers("max", a, b)
    return b if b > a else a


def min_(a: Any, b: Any) -> Any:
    a, b = _numbers("min", a, b)
    return b if b < a else a


def range_(a: Any, b: Any = None, step: Any = 1) -> Arr:
    """``range(end)``, ``range(start, end)``, ``range(start, end, step)``: an array."""
    start, end = (0, a) if b is None else (a, b)
    for v in (start, end, step):
        if type(v) is not int:
            raise RuchyRuntimeError(f"type error: range() expects int arguments, found {kind(v)}")
    if step == 0:
        raise RuchyRuntimeError("range() step cannot be zero")
    return Arr(list(range(start, end, step)))


def sqrt(x: Any) -> float:
    v = _num("sqrt", x)
    return math.sqrt(v) if v >= 0 else math.nan


def abs_(x: Any) -> Any:
    if type(x) is int:
        return ops.checked(abs(x))
    return abs(_num("abs", x))


def pow_(x: Any, y: Any) -> Any:
    if type(x) is int and type(y) is int and y >= 0:
        return ops.int_pow(x, y)
    return ops.float_pow(_num("pow", x), _num("pow", y))


def _float_fn(name: str, f: Any) -> Any:
    def g(x: Any) -> float:
        try:
            return f(_num(name, x))
        except (ValueError, OverflowError):
            return math.nan
    g.__name__ = name
    return g


sin, cos, tan = _float_fn("sin", math.sin), _float_fn("cos", math.cos), _float_fn("tan", math.tan)
log, log10 = _float_fn("log", math.log), _float_fn("log10", math.log10)


def file_exists(p: Any) -> bool:
    return os.path.exists(_path("file_exists", p))


def is_file(p: Any) -> bool:
    return os.path.isfile(_path("fs_is_file", p))


# ---- methods --------------------------------------------------------------------

def _char_at(s: str, i: Any) -> Any:
    """``s.char_at(i)``: the ``i``-th character (counted in chars), or unit past the
    end (the reference's nil). A char, so that ``s.char_at(i) == ' '`` compares as a
    Rust programmer expects."""
    if type(i) is not int:
        raise RuchyRuntimeError(f"type error: char_at() expects an int, found {kind(i)}")
    if i < 0:
        raise RuchyRuntimeError("char_at index must be non-negative")
    return Char(s[i]) if i < len(s) else None


def _substring(s: str, a: Any, b: Any) -> str:
    """``s.substring(start, end)``: characters ``start..end`` (clamped to the end)."""
    if type(a) is not int or type(b) is not int or a < 0 or b < a:
        raise RuchyRuntimeError("substring indices must be non-negative and start <= end")
    return str.__str__(s[a:b])


def _arr_slice(a: Arr, start: Any, end: Any) -> Arr:
    """``v.slice(start, end)`` on an array (the reference's STDLIB-004): the elements
    ``start..end``, each bound clamped to ``0..len`` (an empty array if end <= start)."""
    if type(start) is not int or type(end) is not int:
        raise RuchyRuntimeError("type error: slice() expects two int arguments, found "
                                f"{kind(start)} and {kind(end)}")
    lo = max(start, 0)
    return Arr([cp(x) for x in a.d[lo:max(end, lo)]])  # elements are values (cp)


def _arr_unique(a: Arr) -> Arr:
    """``v.unique()``: the first of each run of equal elements, in order (the reference
    keeps an element whose value it has not seen before)."""
    out: list = []
    for x in a.d:
        if not any(ops.eq(x, y) for y in out):
            out.append(cp(x))
    return Arr(out)


def _arr_each(a: Arr, f: Any) -> None:
    """``v.each(f)``: ``f`` called on each element, for its effects; unit."""
    for x in list(a.d):
        f(x)


def _float_to_int(x: float) -> int:
    """The reference's ``3.7.to_int()``: truncation toward zero, as ``x as i64``."""
    return ops.to_int(x)


def _all_chars(test: Any) -> Any:
    """The reference's ``s.is_numeric()`` and friends on a string: every character
    passes (so the empty string does, as Rust's ``s.chars().all(..)``)."""
    return lambda s: all(test(c) for c in s)


def _upper(s: str) -> str:
    return str.upper(s)


def _lower(s: str) -> str:
    return str.lower(s)


register(Arr, {"length": lambda a: len(a.d), "slice": _arr_slice, "unique": _arr_unique,
               "each": _arr_each})
register(str, {"char_at": _char_at, "substring": _substring, "slice": _substring,
               "to_upper": _upper, "to_lower": _lower,
               "is_numeric": _all_chars(str.isnumeric),
               "is_alphabetic": _all_chars(str.isalpha),
               "is_alphanumeric": _all_chars(str.isalnum),
               "to_integer": strings.to_int})
register(float, {"to_int": _float_to_int})
register(int, {"to_int": lambda n: n})
