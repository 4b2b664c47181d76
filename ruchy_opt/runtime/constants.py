"""Named constants reachable by path, such as ``i64::MAX``, ``f64::INFINITY`` and
``std::f64::consts::PI``.

Ruchy's int is 64-bit signed, so ``u64::MAX`` and ``usize::MAX`` cannot be held: they
are clamped to ``i64::MAX`` (9223372036854775807). A program that uses them as "larger
than any value" sentinels (the usual use) runs as in Rust; one that prints them or
computes with the top bit differs, which LANGUAGE.md's "ints are 64-bit signed" implies.
"""
from __future__ import annotations

import math
from typing import Optional

_INT_BOUNDS = {"i8": 7, "i16": 15, "i32": 31, "i64": 63, "isize": 63, "i128": 63}
_UINT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 63, "usize": 63, "u128": 63}

_FLOAT_CONSTS = {
    "INFINITY": math.inf, "NEG_INFINITY": -math.inf, "NAN": math.nan,
    "MAX": 1.7976931348623157e308, "MIN": -1.7976931348623157e308,
    "EPSILON": 2.220446049250313e-16, "MIN_POSITIVE": 2.2250738585072014e-308}
_F32_CONSTS = {
    "INFINITY": math.inf, "NEG_INFINITY": -math.inf, "NAN": math.nan,
    "MAX": 3.4028234663852886e38, "MIN": -3.4028234663852886e38,
    "EPSILON": 1.1920928955078125e-07, "MIN_POSITIVE": 1.1754943508222875e-38}
#: std::f64::consts (the f32 ones are the f64 values: floats are 64-bit here).
_MATH_CONSTS = {
    "PI": math.pi, "E": math.e, "TAU": math.tau, "SQRT_2": math.sqrt(2.0),
    "FRAC_1_SQRT_2": 1.0 / math.sqrt(2.0), "LN_2": math.log(2.0), "LN_10": math.log(10.0),
    "LOG2_E": 1.0 / math.log(2.0), "LOG10_E": 1.0 / math.log(10.0),
    "LOG2_10": math.log2(10.0), "LOG10_2": math.log10(2.0),
    "FRAC_PI_2": math.pi / 2, "FRAC_PI_3": math.pi / 3, "FRAC_PI_4": math.pi / 4,
    "FRAC_PI_6": math.pi / 6, "FRAC_PI_8": math.pi / 8, "FRAC_1_PI": 1 / math.pi,
    "FRAC_2_PI": 2 / math.pi, "FRAC_2_SQRT_PI": 2 / math.sqrt(math.pi)}

PATH_CONSTANTS: dict[str, object] = {
    **{f"{t}::MAX": 2**b - 1 for t, b in _INT_BOUNDS.items()},
    **{f"{t}::MIN": -(2**b) for t, b in _INT_BOUNDS.items()},
    **{f"{t}::MAX": 2**b - 1 for t, b in _UINT_BITS.items()},
    **{f"{t}::MIN": 0 for t in _UINT_BITS},
    **{f"{t}::BITS": 64 if b == 63 else b + (t[0] == "i") for t, b in
       {**_INT_BOUNDS, **_UINT_BITS}.items()},
    **{f"f64::{name}": v for name, v in _FLOAT_CONSTS.items()},
    **{f"f32::{name}": v for name, v in _F32_CONSTS.items()},
    **{f"{t}::consts::{name}": v for t in ("f64", "f32") for name, v in _MATH_CONSTS.items()},
}
#: Old spellings: ``std::i64::MAX`` and ``std::f64::consts::PI`` mean the same.
PATH_CONSTANTS.update({f"std::{k}": v for k, v in list(PATH_CONSTANTS.items())})
PATH_CONSTANTS.update({f"core::{k}": v for k, v in list(PATH_CONSTANTS.items())
                       if not k.startswith("std::")})

#: Module paths under which constants live (``use std::f64::consts;`` then
#: ``consts::PI``).
CONSTANT_MODULES = frozenset(k.rpartition("::")[0] for k in PATH_CONSTANTS)


def path_constant(path: str) -> Optional[object]:
    """The value of the constant ``path`` names (None: not a constant)."""
    return PATH_CONSTANTS.get(path)
