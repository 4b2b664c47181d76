"""Type tests: ``is.i64 %v`` is true when the value is an int, and never fails.

Type specialisation (passes/typespec.py) uses them to choose, on entry to a function,
between a version specialised to assumed argument types and the generic body, so that
an assumption that does not hold costs speed, never behaviour. They pair with the
``guard.*`` ops of ops_arith.py, which convert a value to a typed one and fail (in
compiled code: deoptimise) when it is of another type.
"""
from __future__ import annotations

from typing import Any, Callable

from ..runtime.values import kind
from .opdef import PURE, define


def _test(t: str) -> Callable[[Any], bool]:
    py = {"i64": int, "f64": float, "bool": bool, "str": str}
    if t == "arr":
        return lambda v: kind(v) == "array"
    cls = py[t]
    return lambda v: type(v) is cls


for _t in ("i64", "f64", "bool", "str", "arr"):
    define(f"is.{_t}", _test(_t), traits=(PURE,), operands=1, result_type="bool",
           doc=f"true if the operand is a {_t} (never fails)")
