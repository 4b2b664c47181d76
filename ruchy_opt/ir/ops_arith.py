"""Arithmetic, comparison and conversion ops: the generic (dynamically typed) forms that
lowering emits, and typed variants (``add.i64``, ``lt.f64``, ...) that type
specialisation introduces. Semantics come from ruchy_opt.runtime.ops, so every tier
agrees on results and error messages.

Generic ops are never marked commutative: their type errors name the operand kinds in
order (``cannot apply '+' to string and int``), so swapping operands changes the
message. Typed variants cannot fail with a type error and are.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from ..runtime import ops as R
from ..runtime.values import kind
from .opdef import COMMUTATIVE, MAY_FAIL, PURE, define, literal_type

#: Generic binary ops: IR name -> (Ruchy operator, implementation).
BINARY: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "add": ("+", R.add), "sub": ("-", R.sub), "mul": ("*", R.mul), "div": ("/", R.div),
    "rem": ("%", R.rem), "pow": ("**", R.pow_), "shl": ("<<", R.shl), "shr": (">>", R.shr),
    "and": ("&", R.band), "or": ("|", R.bor), "xor": ("^", R.bxor),
    "eq": ("==", R.eq), "ne": ("!=", R.ne), "lt": ("<", R.lt), "le": ("<=", R.le),
    "gt": (">", R.gt), "ge": (">=", R.ge),
}
COMPARISONS = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})
#: Ruchy operator -> generic IR op name.
OP_OF_OPERATOR = {sym: name for name, (sym, _) in BINARY.items()}
UNARY = {"neg": ("-", R.neg), "not": ("!", R.not_)}
OP_OF_UNARY = {sym: name for name, (sym, _) in UNARY.items()}

for _name, (_sym, _f) in BINARY.items():
    define(_name, _f, traits=(PURE, MAY_FAIL), operands=2,
           result_type="bool" if _name in COMPARISONS else "any",
           doc=f"Ruchy `a {_sym} b` on any values")
for _name, (_sym, _f) in UNARY.items():
    define(_name, _f, traits=(PURE, MAY_FAIL), operands=1, doc=f"Ruchy `{_sym}a`")


def _truth(v: Any) -> bool:
    return R.truth(v)


define("truth", _truth, traits=(PURE, MAY_FAIL), operands=1, result_type="bool",
       doc="a condition's value: the operand itself if it is a bool, else a type error")
define("is_true", lambda v: v is True, traits=(PURE,), operands=1, result_type="bool",
       doc="true if the operand is the bool true (never fails)")
def _to_int(v: Any) -> int:
    """``v as i64``: as tier 0 casts a value of a kind not known statically (interp/
    opcode.cast): a unit variant gives its discriminant, a char its code."""
    t = type(v)
    if t is int or t is float or t is bool:
        return R.to_int(v)
    from ..runtime.numeric import cast_int
    return cast_int(v, "i64")


define("to_int", _to_int, traits=(PURE, MAY_FAIL), operands=1, result_type="i64",
       doc="`v as i64`")
define("to_float", R.to_float, traits=(PURE, MAY_FAIL), operands=1, result_type="f64",
       doc="`v as f64`")
define("to_bool", R.to_bool, traits=(PURE, MAY_FAIL), operands=1, result_type="bool",
       doc="`v as bool`")


def _matches(lit: Any, v: Any) -> bool:
    if type(lit) is bool:
        return v is lit
    return type(v) is type(lit) and v == lit


def _in_range(lo: int, hi: int, v: Any) -> bool:
    return type(v) is int and lo <= v <= hi


define("matches", _matches, traits=(PURE,), operands=1, imms=("lit",), result_type="bool",
       doc="match pattern test: a value of the literal's kind equal to it")
define("in_range", _in_range, traits=(PURE,), operands=1, imms=("int", "int"),
       result_type="bool", doc="match pattern test: an int in lo..=hi")

# ---- typed variants ---------------------------------------------------------------


def _f_rem(a: float, b: float) -> float:
    try:
        return math.fmod(a, b)
    except ValueError:
        return math.nan


_TYPED: dict[str, dict[str, Callable[[Any, Any], Any]]] = {
    "i64": {"add": lambda a, b: R.checked(a + b), "sub": lambda a, b: R.checked(a - b),
            "mul": lambda a, b: R.checked(a * b), "div": R.int_div, "rem": R.int_rem,
            "and": lambda a, b: a & b, "or": lambda a, b: a | b, "xor": lambda a, b: a ^ b},
    "f64": {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
            "div": R.float_div, "rem": _f_rem},
}
_CMP = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
        "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b}
_CAN_FAIL_I64 = {"add", "sub", "mul", "div", "rem"}
_COMMUTES = {"add", "mul", "and", "or", "xor", "eq", "ne"}

for _t, _table in _TYPED.items():
    for _name, _f in {**_table, **_CMP}.items():
        traits = [PURE]
        if _t == "i64" and _name in _CAN_FAIL_I64:
            traits.append(MAY_FAIL)
        if _name in _COMMUTES:
            traits.append(COMMUTATIVE)
        define(f"{_name}.{_t}", _f, traits=tuple(traits), operands=2, operand_types=(_t,),
               result_type="bool" if _name in _CMP else _t,
               doc=f"`{_name}` on two {_t} values")
# Shifts as Ruchy's `<<` and `>>` on ints (runtime/ops.shl, shr): the amount must be in
# 0..=63, else `integer overflow`; `<<` keeps the low 64 bits (bits shifted out are
# lost, the sign bit included: `1 << 63` is i64::MIN, no overflow); `>>` is arithmetic
# (the sign is copied in: `-8 >> 1` is -4). Not commutative.
for _name, _f in (("shl", R.shl), ("shr", R.shr)):
    define(f"{_name}.i64", _f, traits=(PURE, MAY_FAIL), operands=2, operand_types=("i64",),
           result_type="i64", doc=f"Ruchy `{BINARY[_name][0]}` on two i64 values (amount "
                                  "0..=63, else integer overflow)")
define("neg.i64", lambda a: R.checked(-a), traits=(PURE, MAY_FAIL), operands=1,
       operand_types=("i64",), result_type="i64", doc="checked integer negation")
define("neg.f64", lambda a: -a, traits=(PURE,), operands=1, operand_types=("f64",),
       result_type="f64", doc="float negation")


def _guard(t: str) -> Callable[[Any], Any]:
    py = {"i64": int, "f64": float, "bool": bool, "str": str}

    def check(v: Any) -> Any:
        if t == "arr" and kind(v) == "array" or t in py and type(v) is py[t]:
            return v
        raise RuchyRuntimeError(f"type guard failed: expected {t}, found {kind(v)}")
    return check


for _t in ("i64", "f64", "bool", "str", "arr"):
    define(f"guard.{_t}", _guard(_t), traits=(PURE, MAY_FAIL), operands=1, result_type=_t,
           doc=f"the operand as a {_t}; fails if it is not one (compiled tiers deoptimise)")

__all__ = ["BINARY", "UNARY", "COMPARISONS", "OP_OF_OPERATOR", "OP_OF_UNARY", "literal_type"]
