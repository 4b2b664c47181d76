"""Named constants reachable by path, such as ``i64::MAX`` and ``f64::INFINITY``."""
from __future__ import annotations

import math

_INT_BOUNDS = {"i8": 7, "i16": 15, "i32": 31, "i64": 63, "isize": 63}
_UINT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 63, "usize": 63}  # ints are 64-bit signed

PATH_CONSTANTS: dict[str, object] = {
    **{f"{t}::MAX": 2**b - 1 for t, b in _INT_BOUNDS.items()},
    **{f"{t}::MIN": -(2**b) for t, b in _INT_BOUNDS.items()},
    **{f"{t}::MAX": 2**b - 1 for t, b in _UINT_BITS.items()},
    **{f"{t}::MIN": 0 for t in _UINT_BITS},
    **{f"{t}::{name}": v for t in ("f64", "f32") for name, v in {
        "INFINITY": math.inf, "NEG_INFINITY": -math.inf, "NAN": math.nan,
        "MAX": 1.7976931348623157e308, "MIN": -1.7976931348623157e308,
        "EPSILON": 2.220446049250313e-16, "MIN_POSITIVE": 2.2250738585072014e-308}.items()},
}
