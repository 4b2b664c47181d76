"""The semantics of Ruchy's operators on runtime values (LANGUAGE.md), in one place.

These are the reference definitions: tier 0 calls them on its slow paths, the IR
interpreter calls them for generic ops, and compiled tiers must agree with them. Each
raises :class:`RuchyRuntimeError` without a position; the caller knows where it was.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .values import INT_MAX, INT_MIN, Arr, kind, own, text

_NUM = (int, float)


def overflow() -> None:
    raise RuchyRuntimeError("integer overflow")


def div_zero() -> None:
    raise RuchyRuntimeError("division by zero")


def type_error(op: str, a: Any, b: Any = None, unary: bool = False) -> RuchyRuntimeError:
    if unary:
        return RuchyRuntimeError(f"type error: cannot apply '{op}' to {kind(a)}")
    return RuchyRuntimeError(f"type error: cannot apply '{op}' to {kind(a)} and {kind(b)}")


def checked(r: int) -> int:
    if INT_MIN <= r <= INT_MAX:
        return r
    raise RuchyRuntimeError("integer overflow")


def is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


# ---- arithmetic ------------------------------------------------------------------

def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a + b)
    if ta in _NUM and tb in _NUM:
        return a + b
    if ta is str and tb is not Arr and b is not None:
        return a + text(b)
    if tb is str and ta is not Arr and a is not None:
        return text(a) + b
    raise type_error("+", a, b)


def sub(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a - b)
    if ta in _NUM and tb in _NUM:
        return a - b
    raise type_error("-", a, b)


def mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a * b)
    if ta in _NUM and tb in _NUM:
        return a * b
    raise type_error("*", a, b)


def int_div(a: int, b: int) -> int:
    if b == 0:
        raise RuchyRuntimeError("division by zero")
    if a == INT_MIN and b == -1:
        raise RuchyRuntimeError("integer overflow")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def int_rem(a: int, b: int) -> int:
    if b == 0:
        raise RuchyRuntimeError("division by zero")
    if a == INT_MIN and b == -1:
        raise RuchyRuntimeError("integer overflow")
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def float_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def div(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_div(a, b)
    if ta in _NUM and tb in _NUM:
        return float_div(float(a), float(b))
    raise type_error("/", a, b)


def rem(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_rem(a, b)
    if ta in _NUM and tb in _NUM:
        try:
            return math.fmod(a, b)
        except ValueError:
            return math.nan
    raise type_error("%", a, b)


def int_pow(a: int, b: int) -> int:
    if b < 0:
        raise RuchyRuntimeError("negative exponent in integer power")
    if a in (0, 1) or b == 0:
        return 1 if b == 0 else a
    if a == -1:
        return 1 if b % 2 == 0 else -1
    if b >= 64:  # |a| >= 2 and b >= 64 always overflows; don't build a huge number
        raise RuchyRuntimeError("integer overflow")
    return checked(a ** b)


def float_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf if a > 0 or float(b) % 2 == 0 else -math.inf
    except ValueError:
        return math.nan


def pow_(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_pow(a, b)
    if ta in _NUM and tb in _NUM:
        return float_pow(float(a), float(b))
    raise type_error("**", a, b)


def shl(a: Any, b: Any) -> Any:
    if type(a) is not int or type(b) is not int:
        raise type_error("<<", a, b)
    if not 0 <= b < 64:
        raise RuchyRuntimeError("integer overflow")
    r = (a << b) & 0xFFFF_FFFF_FFFF_FFFF
    return r - (1 << 64) if r > INT_MAX else r


def shr(a: Any, b: Any) -> Any:
    if type(a) is not int or type(b) is not int:
        raise type_error(">>", a, b)
    if not 0 <= b < 64:
        raise RuchyRuntimeError("integer overflow")
    return a >> b


def _bitwise(op: str, f: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if (ta is int and tb is int) or (ta is bool and tb is bool):
            return f(a, b)
        raise type_error(op, a, b)
    apply.__name__ = f"bit_{op}"
    return apply


band = _bitwise("&", lambda a, b: a & b)
bor = _bitwise("|", lambda a, b: a | b)
bxor = _bitwise("^", lambda a, b: a ^ b)


def neg(a: Any) -> Any:
    if type(a) is int:
        return checked(-a)
    if type(a) is float:
        return -a
    raise type_error("-", a, unary=True)


def not_(a: Any) -> Any:
    if type(a) is bool:
        return not a
    if type(a) is int:
        return ~a
    raise type_error("!", a, unary=True)


# ---- comparison ------------------------------------------------------------------

def _comparable(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    return ta is tb or (ta in _NUM and tb in _NUM)


def eq(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    if ta is Arr and tb is Arr:
        return len(a.d) == len(b.d) and all(eq(x, y) for x, y in zip(a.d, b.d))
    if _comparable(a, b):
        return a == b
    raise type_error("==", a, b)


def ne(a: Any, b: Any) -> bool:
    try:
        return not eq(a, b)
    except RuchyRuntimeError:
        raise type_error("!=", a, b) from None


def cmp(op: str, a: Any, b: Any) -> int:
    """-1, 0 or 1; NaN compares as unordered (every ordering test is false)."""
    ta, tb = type(a), type(b)
    if ta is Arr and tb is Arr:
        for x, y in zip(a.d, b.d):
            if not eq(x, y):
                return cmp(op, x, y)
        return (len(a.d) > len(b.d)) - (len(a.d) < len(b.d))
    if _comparable(a, b) and a is not None:
        if a != a or b != b:
            return 2  # unordered
        return (a > b) - (a < b)
    raise type_error(op, a, b)


def lt(a: Any, b: Any) -> bool:
    return cmp("<", a, b) == -1


def le(a: Any, b: Any) -> bool:
    return cmp("<=", a, b) in (-1, 0)


def gt(a: Any, b: Any) -> bool:
    return cmp(">", a, b) == 1


def ge(a: Any, b: Any) -> bool:
    return cmp(">=", a, b) in (0, 1)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add, "-": sub, "*": mul, "/": div, "%": rem, "**": pow_, "<<": shl, ">>": shr,
    "&": band, "|": bor, "^": bxor, "==": eq, "!=": ne, "<": lt, "<=": le, ">": gt, ">=": ge,
}
UNARY: dict[str, Callable[[Any], Any]] = {"-": neg, "!": not_}


def truth(v: Any) -> bool:
    """A condition's value: it must be a bool."""
    if type(v) is bool:
        return v
    raise RuchyRuntimeError(f"type error: expected bool in condition, found {kind(v)}")


# ---- casts -----------------------------------------------------------------------

def to_int(v: Any) -> int:
    """``v as i64``: floats truncate toward zero and saturate (NaN is 0), as in Rust."""
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is float:
        if v != v:
            return 0
        if v >= 9.223372036854775807e18:
            return INT_MAX
        if v <= -9.223372036854775808e18:
            return INT_MIN
        return int(v)
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to int")


def to_float(v: Any) -> float:
    """``v as f64``."""
    if type(v) in _NUM:
        return float(v)
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to float")


def to_bool(v: Any) -> bool:
    if type(v) is bool:
        return v
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to bool")


CASTS = {"int": to_int, "float": to_float, "bool": to_bool}


# ---- arrays ----------------------------------------------------------------------

def index(a: Any, i: Any) -> Any:
    """``a[i]`` (the element itself; a caller that stores it copies it)."""
    if type(a) is not Arr:
        raise RuchyRuntimeError(f"type error: cannot index into {kind(a)}")
    if type(i) is not int:
        raise RuchyRuntimeError(f"type error: array index must be int, found {kind(i)}")
    if 0 <= i < len(a.d):
        return a.d[i]
    raise RuchyRuntimeError("index out of bounds")


def set_index(a: Any, i: Any, v: Any) -> None:
    """``a[i] = v`` on the array object held by a place."""
    index(a, i)
    own(a).d[i] = v


def elem_mut(a: Any, i: Any) -> Arr:
    """The element ``a[i]`` made private for a write through it (``a[i][j] = v``)."""
    e = index(a, i)
    own(a)
    e = a.d[i]
    if type(e) is not Arr:
        raise RuchyRuntimeError(f"type error: cannot index into {kind(e)}")
    return own(e)


def repeat(v: Any, n: Any) -> Arr:
    """``[v; n]``."""
    if type(n) is not int:
        raise RuchyRuntimeError(f"type error: array length must be int, found {kind(n)}")
    if n < 0:
        raise RuchyRuntimeError("negative array length")
    if type(v) is Arr:
        from .values import cp
        return Arr([cp(v) for _ in range(n)])
    return Arr([v] * n)


def range_of(a: Any, b: Any, inclusive: bool) -> range:
    if type(a) is not int or type(b) is not int:
        raise RuchyRuntimeError(f"type error: range bounds must be int, found {kind(a)} and {kind(b)}")
    return range(a, b + 1 if inclusive else b)


def length(v: Any) -> int:
    if type(v) is Arr:
        return len(v.d)
    if type(v) is str:
        return len(v) if v.isascii() else len(v.encode("utf-8"))
    raise RuchyRuntimeError(f"type error: {kind(v)} has no length")
