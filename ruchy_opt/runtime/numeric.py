"""Numbers beyond the operators: ``as`` casts to every numeric type and ``char``, and the
numeric methods of ints and floats (``x.signum()``, ``n.rem_euclid(m)``,
``a.checked_add(b)``...), with Rust's meaning (LANGUAGE.md, Level 3).

Ruchy has one int type (64-bit signed), so an integer method works at 64 bits whatever
type the program wrote (``x.checked_add(y)`` is ``None`` only past ``i64``); a cast to a
narrower integer type is where a program gets Rust's narrower widths.
"""
from __future__ import annotations

import math
import struct
from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Char, Some, Variant
from .values import INT_MAX, INT_MIN, kind

#: Integer types: (bits, signed). ``u64``/``usize`` hold what an i64 holds (see casts).
INT_TYPES: dict[str, tuple[int, bool]] = {
    "i8": (8, True), "i16": (16, True), "i32": (32, True), "i64": (64, True),
    "isize": (64, True), "i128": (64, True), "u8": (8, False), "u16": (16, False),
    "u32": (32, False), "u64": (64, True), "usize": (64, True), "u128": (64, True)}
FLOAT_TYPES = ("f32", "f64")


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


# ---- casts -------------------------------------------------------------------------

def wrap(v: int, bits: int, signed: bool) -> int:
    """``v`` wrapped to a ``bits``-wide integer (two's complement), as Rust's ``as``."""
    mask = (1 << bits) - 1
    v &= mask
    if signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def _float_to_int(v: float, bits: int, signed: bool) -> int:
    """Rust's float-to-int ``as``: truncate toward zero, saturate, NaN is 0."""
    if v != v:
        return 0
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    if v <= lo:
        return lo
    if v >= hi:
        return hi
    return int(v)


def cast_int(v: Any, type_name: str) -> int:
    """``v as T`` for an integer type ``T`` (the result is always an int)."""
    bits, signed = INT_TYPES[type_name]
    t = type(v)
    if t is int:
        return v if bits == 64 else wrap(v, bits, signed)
    if t is float:
        return _float_to_int(v, bits, signed)
    if t is bool:
        return int(v)
    if t is Char:
        n = ord(v)
        return n if bits >= 32 else wrap(n, bits, signed)
    if isinstance(v, Variant) and v._shape == "unit":
        return wrap(_discriminant(v), bits, signed)
    raise _err(f"type error: cannot cast {kind(v)} to {type_name}")


def _discriminant(v: Any) -> int:
    """A unit variant's ``as`` value: its declared discriminant, else its index."""
    d = getattr(type(v), "_disc", None)
    return d if type(d) is int else v._tag


def cast_float(v: Any, type_name: str = "f64") -> float:
    """``v as f64`` / ``v as f32`` (f32 rounds to single precision)."""
    t = type(v)
    if t is int or t is float:
        f = float(v)
    elif t is bool:
        raise _err(f"type error: cannot cast bool to {type_name}")
    else:
        raise _err(f"type error: cannot cast {kind(v)} to {type_name}")
    if type_name == "f32" and f == f and not math.isinf(f):
        try:
            f = struct.unpack("f", struct.pack("f", f))[0]
        except OverflowError:
            f = math.copysign(math.inf, f)
    return f


def cast_char(v: Any) -> Char:
    """``n as char`` (an int that is a Unicode scalar value) and ``c as char``."""
    t = type(v)
    if t is Char:
        return v
    if t is int and (0 <= v < 0xD800 or 0xE000 <= v <= 0x10FFFF):
        return Char(chr(v))
    if t is int:
        raise _err(f"cannot cast {v} to char")
    raise _err(f"type error: cannot cast {kind(v)} to char")


def char_from_u32(v: Any) -> Any:
    """``char::from_u32(n)``: ``Some(c)`` for a Unicode scalar value, else ``None``."""
    if type(v) is not int:
        raise _err(f"type error: char::from_u32 expects an int, found {kind(v)}")
    return Some(Char(chr(v))) if 0 <= v < 0xD800 or 0xE000 <= v <= 0x10FFFF else NONE


def char_from_digit(d: Any, radix: Any) -> Any:
    """``char::from_digit(d, radix)``: the digit's char (lowercase letters past 9)."""
    _radix(radix)
    if type(d) is not int:
        raise _err(f"type error: char::from_digit expects an int, found {kind(d)}")
    if 0 <= d < radix:
        return Some(Char("0123456789abcdefghijklmnopqrstuvwxyz"[d]))
    return NONE


def _radix(radix: Any) -> int:
    if type(radix) is not int or not 2 <= radix <= 36:
        raise _err(f"radix must be between 2 and 36, found {radix!r}")
    return radix


# ---- numeric methods -----------------------------------------------------------------

def _num(name: str, v: Any) -> float:
    t = type(v)
    if t is float or t is int:
        return float(v)
    raise _err(f"type error: no method '{name}' on {kind(v)}")


def _int(name: str, v: Any) -> int:
    if type(v) is int:
        return v
    raise _err(f"type error: {name}() expects an int, found {kind(v)}")


def _checked(r: int) -> int:
    if INT_MIN <= r <= INT_MAX:
        return r
    raise _err("integer overflow")


def float_fn(name: str, f: Callable[[float], float], below: Optional[float] = None,
             at_zero: Optional[float] = None) -> Callable[[Any], float]:
    """A float method from a math function: NaN where the function is undefined (Rust's
    answer), ``at_zero`` at 0 (``ln(0)`` is ``-inf``), inf on overflow."""
    def m(x: Any) -> float:
        v = _num(name, x)
        if v != v:
            return v
        if at_zero is not None and v == 0:
            return at_zero
        if below is not None and v < below:
            return math.nan
        try:
            return float(f(v))
        except OverflowError:
            return math.inf
        except ValueError:
            return math.nan
    m.__name__ = name
    return m


def _signed_zero(f: Callable[[float], Any]) -> Callable[[float], float]:
    """floor/ceil/trunc that keep the sign of a zero result (``(-0.5).ceil()`` is -0.0)."""
    def g(v: float) -> float:
        return math.copysign(float(f(v)), v) if math.isfinite(v) else v
    return g


def _cbrt(x: float) -> float:
    """Cube root as Rust computes it (musl's algorithm; glibc's cbrt, which Python
    uses, differs in the last bit for some inputs)."""
    if not math.isfinite(x) or x == 0:
        return x + x if not math.isfinite(x) else x
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    hx = (bits >> 32) & 0x7FFFFFFF
    if hx < 0x00100000:  # subnormal
        bits = struct.unpack("<Q", struct.pack("<d", x * 18014398509481984.0))[0]
        hx = (bits >> 32) & 0x7FFFFFFF
        hx = hx // 3 + 696219795
    else:
        hx = hx // 3 + 715094163
    bits = (bits & (1 << 63)) | (hx << 32)
    t = struct.unpack("<d", struct.pack("<Q", bits))[0]
    r = (t * t) * (t / x)
    t = t * ((1.87595182427177009643 + r * (-1.88497979543377169875
                                             + r * 1.621429720105354466140))
             + ((r * r) * r) * (-0.758397934778766047437 + r * 0.145996192886612446982))
    bits = struct.unpack("<Q", struct.pack("<d", t))[0]
    bits = (bits + 0x80000000) & 0xFFFFFFFFC0000000
    t = struct.unpack("<d", struct.pack("<Q", bits))[0]
    s = t * t
    r = x / s
    w = t + t
    r = (r - t) / (w + r)
    return t + t * r


def _asinh(x: float) -> float:
    """Rust's f64::asinh formula (its result differs from C's asinh in the last bit)."""
    ax = abs(x)
    if ax == math.inf:
        return x
    ix = 1.0 / ax if ax else math.inf
    return math.copysign(math.log1p(ax + ax / (math.hypot(1.0, ix) + ix)), x)


def _acosh(x: float) -> float:
    return math.nan if x < 1.0 else math.log(x + math.sqrt(x - 1.0) * math.sqrt(x + 1.0))


def _atanh(x: float) -> float:
    if x == 1.0:
        return math.inf
    if x == -1.0:
        return -math.inf
    return 0.5 * math.log1p((2.0 * x) / (1.0 - x))


def signum(x: Any) -> Any:
    if type(x) is int:
        return (x > 0) - (x < 0)
    v = _num("signum", x)
    return v if v != v else math.copysign(1.0, v)


def fract(x: Any) -> float:
    v = _num("fract", x)
    return v - math.copysign(float(math.trunc(v)), v) if math.isfinite(v) else math.nan


def log(x: Any, base: Any) -> float:
    v, b = _num("log", x), _num("log", base)
    ln = float_fn("ln", math.log, 0.0, -math.inf)
    d = ln(b)
    return ln(v) / d if d else (math.nan if ln(v) == 0 else math.copysign(math.inf, ln(v)))


def atan2(y: Any, x: Any) -> float:
    return math.atan2(_num("atan2", y), _num("atan2", x))


def hypot(x: Any, y: Any) -> float:
    return math.hypot(_num("hypot", x), _num("hypot", y))


def exp2(x: Any) -> float:
    try:
        return math.pow(2.0, _num("exp2", x))
    except OverflowError:
        return math.inf


def rem_euclid(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        if b == 0:
            raise _err("division by zero")
        return a % abs(b)
    x, y = _num("rem_euclid", a), _num("rem_euclid", b)
    if y == 0 or not math.isfinite(x):
        return math.nan
    r = math.fmod(x, y)
    return r + abs(y) if r < 0 else r


def div_euclid(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        if b == 0:
            raise _err("division by zero")
        r = a % abs(b)
        return _checked((a - r) // b)
    x, y = _num("div_euclid", a), _num("div_euclid", b)
    if y == 0:
        return math.copysign(math.inf, x) * math.copysign(1.0, y) if x else math.nan
    q = math.trunc(x / y)
    if math.fmod(x, y) < 0:
        return float(q - 1 if y > 0 else q + 1)
    return float(q)


def abs_diff(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return _checked(abs(a - b))
    return abs(_num("abs_diff", a) - _num("abs_diff", b))


def clamp(x: Any, lo: Any, hi: Any) -> Any:
    from .ops import gt, lt
    if gt(lo, hi):
        raise _err("clamp: min is greater than max")
    if lt(x, lo):
        return lo
    if gt(x, hi):
        return hi
    return x


def _option_int(name: str, f: Callable[[int, int], Optional[int]]) -> Callable[[Any, Any], Any]:
    """``checked_*``: ``Some(result)``, or ``None`` on overflow or division by zero."""
    def m(a: Any, b: Any) -> Any:
        r = f(_int(name, a), _int(name, b))
        return NONE if r is None or not INT_MIN <= r <= INT_MAX else Some(r)
    m.__name__ = name
    return m


def _cdiv(a: int, b: int) -> Optional[int]:
    if b == 0:
        return None
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _crem(a: int, b: int) -> Optional[int]:
    if b == 0 or (a == INT_MIN and b == -1):
        return None
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def _cpow(a: int, b: int) -> Optional[int]:
    if b < 0:
        return None
    if abs(a) >= 2 and b >= 64:
        return None
    return a ** b


def _wrapping(name: str, f: Callable[[int, int], int]) -> Callable[[Any, Any], int]:
    def m(a: Any, b: Any) -> int:
        return wrap(f(_int(name, a), _int(name, b)), 64, True)
    m.__name__ = name
    return m


def _saturating(name: str, f: Callable[[int, int], int]) -> Callable[[Any, Any], int]:
    def m(a: Any, b: Any) -> int:
        return max(INT_MIN, min(INT_MAX, f(_int(name, a), _int(name, b))))
    m.__name__ = name
    return m


def _bits(name: str, f: Callable[[int], int]) -> Callable[[Any], int]:
    """Bit counts over the 64-bit two's-complement form of an int."""
    def m(a: Any) -> int:
        return f(_int(name, a) & 0xFFFF_FFFF_FFFF_FFFF)
    m.__name__ = name
    return m


def _trailing_zeros(u: int) -> int:
    return 64 if u == 0 else (u & -u).bit_length() - 1


def _is_float(name: str, f: Callable[[float], bool]) -> Callable[[Any], bool]:
    def m(x: Any) -> bool:
        return f(_num(name, x))
    m.__name__ = name
    return m


def _int_pred(name: str, f: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def m(x: Any) -> bool:
        t = type(x)
        if t is int or t is float:
            return f(x)
        raise _err(f"type error: no method '{name}' on {kind(x)}")
    m.__name__ = name
    return m


def _deg(x: Any) -> float:
    return _num("to_degrees", x) * (180.0 / math.pi)


def _rad(x: Any) -> float:
    return _num("to_radians", x) * (math.pi / 180.0)


#: Numeric methods by name (registered in methods.METHODS).
METHODS: dict[str, Callable[..., Any]] = {
    "signum": signum, "fract": fract, "log": log, "atan2": atan2, "hypot": hypot,
    "exp2": exp2, "rem_euclid": rem_euclid, "div_euclid": div_euclid, "abs_diff": abs_diff,
    "clamp": clamp, "to_degrees": _deg, "to_radians": _rad,
    "sin": float_fn("sin", math.sin), "cos": float_fn("cos", math.cos),
    "tan": float_fn("tan", math.tan), "asin": float_fn("asin", math.asin),
    "acos": float_fn("acos", math.acos), "atan": float_fn("atan", math.atan),
    "sinh": float_fn("sinh", math.sinh), "cosh": float_fn("cosh", math.cosh),
    "tanh": float_fn("tanh", math.tanh), "asinh": float_fn("asinh", _asinh),
    "acosh": float_fn("acosh", _acosh), "atanh": float_fn("atanh", _atanh),
    "exp": float_fn("exp", math.exp),
    "ln": float_fn("ln", math.log, 0.0, -math.inf),
    "log10": float_fn("log10", math.log10, 0.0, -math.inf),
    "log2": float_fn("log2", math.log2, 0.0, -math.inf),
    "ln_1p": float_fn("ln_1p", math.log1p, -1.0), "exp_m1": float_fn("exp_m1", math.expm1),
    "cbrt": float_fn("cbrt", _cbrt),
    "floor": float_fn("floor", _signed_zero(math.floor)),
    "ceil": float_fn("ceil", _signed_zero(math.ceil)),
    "trunc": float_fn("trunc", _signed_zero(math.trunc)), "recip": float_fn("recip", lambda v: 1.0 / v
                                                            if v else math.copysign(math.inf, v)),
    "is_nan": _is_float("is_nan", math.isnan),
    "is_infinite": _is_float("is_infinite", math.isinf),
    "is_finite": _is_float("is_finite", math.isfinite),
    "is_sign_positive": _is_float("is_sign_positive", lambda v: math.copysign(1.0, v) > 0),
    "is_sign_negative": _is_float("is_sign_negative", lambda v: math.copysign(1.0, v) < 0),
    "is_positive": _int_pred("is_positive", lambda v: v > 0),
    "is_negative": _int_pred("is_negative", lambda v: v < 0),
    "checked_add": _option_int("checked_add", lambda a, b: a + b),
    "checked_sub": _option_int("checked_sub", lambda a, b: a - b),
    "checked_mul": _option_int("checked_mul", lambda a, b: a * b),
    "checked_div": _option_int("checked_div", lambda a, b: None if a == INT_MIN and b == -1
                               else _cdiv(a, b)),
    "checked_rem": _option_int("checked_rem", _crem),
    "checked_pow": _option_int("checked_pow", _cpow),
    "wrapping_add": _wrapping("wrapping_add", lambda a, b: a + b),
    "wrapping_sub": _wrapping("wrapping_sub", lambda a, b: a - b),
    "wrapping_mul": _wrapping("wrapping_mul", lambda a, b: a * b),
    "saturating_add": _saturating("saturating_add", lambda a, b: a + b),
    "saturating_sub": _saturating("saturating_sub", lambda a, b: a - b),
    "saturating_mul": _saturating("saturating_mul", lambda a, b: a * b),
    "count_ones": _bits("count_ones", lambda u: bin(u).count("1")),
    "count_zeros": _bits("count_zeros", lambda u: 64 - bin(u).count("1")),
    "leading_zeros": _bits("leading_zeros", lambda u: 64 - u.bit_length()),
    "trailing_zeros": _bits("trailing_zeros", _trailing_zeros),
    "is_power_of_two": _bits("is_power_of_two", lambda u: u != 0 and u & (u - 1) == 0),
}

#: The kind each numeric method returns, where it is fixed.
RESULT_KINDS: dict[str, str] = {
    **{n: "bool" for n in METHODS if n.startswith("is_")},
    **{n: "float" for n in ("fract", "log", "atan2", "hypot", "exp2", "to_degrees",
                            "to_radians", "sin", "cos", "tan", "asin", "acos", "atan",
                            "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "exp", "ln",
                            "log10", "log2", "ln_1p", "exp_m1", "cbrt", "floor", "ceil",
                            "trunc", "recip")},
    **{n: "int" for n in ("wrapping_add", "wrapping_sub", "wrapping_mul", "saturating_add",
                          "saturating_sub", "saturating_mul", "count_ones", "count_zeros",
                          "leading_zeros", "trailing_zeros")},
}


# ---- associated functions of the primitive types (interp/items.primitive_call) --------

def from_int(v: Any, type_name: str) -> int:
    """``i64::from(x)``, ``u32::from(c)``: a lossless conversion to an integer type."""
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is Char:
        return ord(v)
    raise _err(f"type error: {type_name}::from expects an integer, found {kind(v)}")


def try_from(v: Any, type_name: str) -> Any:
    """``u8::try_from(x)``: ``Ok(x)`` if ``x`` fits ``type_name``, else ``Err``."""
    from .aggregates import Err, Ok
    n = from_int(v, type_name)
    bits, signed = INT_TYPES[type_name]
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    if lo <= n <= hi:
        return Ok(n)
    return Err("out of range integral type conversion attempted")


def from_str_radix(s: Any, radix: Any) -> Any:
    """``i64::from_str_radix(s, radix)``: ``Ok(n)``, or ``Err`` naming what was wrong."""
    from .aggregates import Err, Ok
    if type(s) is not str:
        raise _err(f"type error: from_str_radix expects a string, found {kind(s)}")
    _radix(radix)
    if not s or s in ("+", "-"):
        return Err("cannot parse integer from empty string")
    try:
        n = int(s, radix)
    except ValueError:
        return Err("invalid digit found in string")
    if "_" in s or " " in s:
        return Err("invalid digit found in string")
    if not INT_MIN <= n <= INT_MAX:
        return Err("number too large to fit in target type")
    return Ok(n)


def process_exit(code: Any) -> None:
    """``std::process::exit(code)``: what was printed stays; the status is ``code``."""
    import sys
    if type(code) is not int:
        raise _err(f"type error: exit expects an int, found {kind(code)}")
    sys.stdout.flush()
    raise SystemExit(code & 0xFF)


#: What generated tier-0 code calls by name (interp/rt.namespace).
NAMESPACE: dict[str, Callable[..., Any]] = {
    "_cast_int": cast_int, "_cast_float": cast_float, "_cast_char": cast_char,
    "_prim_from_int": from_int, "_prim_try_from": try_from,
    "_from_str_radix": from_str_radix, "_char_from_u32": char_from_u32,
    "_char_from_digit": char_from_digit, "_exit": process_exit,
}
