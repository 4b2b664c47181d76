"""Library calls without side effects: the casts ``as`` makes beyond ``to_int``/
``to_float``/``to_bool``, and the built-in methods that are functions of their operands.

===========================================  ==========================================
``%b = cast "u8", %x``                       ``x as u8`` (also ``i8 i16 i32 u16 u32``:
                                             wrapping; ``f32``: rounded to single
                                             precision; ``char``: an int that is a
                                             Unicode scalar value, or a char)
``%s = method.pure "signum", %x``            a built-in method of :data:`PURE_METHODS`,
                                             run through the runtime's own table
===========================================  ==========================================

Both mean exactly what tier 0 computes, because both call the runtime tier 0 calls
(runtime/numeric.cast_int, cast_float, cast_char; runtime/methods.METHODS), errors
included. Unlike ``method`` (which may change an array or an iterator it is given), both
are ``pure, may_fail``: the result depends on the operands alone, so gvn merges equal
ones, licm hoists them, constfold and sccp fold them on constants (a fold that would
fail is left for run time, at its position), and dce deletes unused ones that cannot
fail. A char result is not an IR literal, so a cast to char never folds.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..runtime import chars, numeric
from ..runtime import methods as M
from .opdef import MAY_FAIL, PURE, OpDef, register_op

#: The targets of ``cast`` and the IR type of each result.
CAST_TARGETS: dict[str, str] = {"i8": "i64", "i16": "i64", "i32": "i64", "u8": "i64",
                                "u16": "i64", "u32": "i64", "f32": "f64", "char": "any"}


def cast_value(target: str, v: Any) -> Any:
    """``v as target`` as tier 0 casts it (interp/opcode.cast)."""
    if target == "char":
        return numeric.cast_char(v)
    if target == "f32":
        return numeric.cast_float(v, "f32")
    return numeric.cast_int(v, target)


@register_op
class Cast(OpDef):
    """``%r = cast "u8", %v``: ``v as u8`` (see the module docstring)."""

    name = "cast"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("str",)
    operands = 1
    impl = staticmethod(cast_value)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return CAST_TARGETS.get(imms[0], "any") if imms else "any"

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        if instr.imms[0] not in CAST_TARGETS:
            return f"cast to '{instr.imms[0]}': the targets are {', '.join(CAST_TARGETS)}"
        return None


def _pure_methods() -> frozenset[str]:
    """The built-in methods that are functions of their operands on every receiver the
    runtime accepts: the numeric and char methods and the number methods of
    runtime/methods.py, each only while the runtime's table holds that very function (a
    name that another module wraps, to dispatch to an array's or an iterator's method
    of the same name, is no longer pure and drops out by itself). ``clamp`` compares
    with ``<``, which reads arrays, so it is not among them."""
    own: dict[str, Callable[..., Any]] = {**numeric.METHODS, **chars.METHODS}
    for name in ("abs", "sqrt", "pow", "powi", "powf", "round"):  # numbers only
        f = M.METHODS.get(name)
        if f is not None and f.__module__ == M.__name__ and "<locals>" not in f.__qualname__:
            own[name] = f
    return frozenset(n for n, f in own.items() if M.METHODS.get(n) is f and n != "clamp")


#: Method names ``method.pure`` may call (see :func:`_pure_methods`).
PURE_METHODS = _pure_methods()


def _pure_method(name: str, recv: Any, *args: Any) -> Any:
    m = M.METHODS[name]
    try:
        return m(recv, *args)
    except TypeError:  # a wrong count, as the ``method`` op reports it
        raise RuchyRuntimeError(f"wrong number of arguments to method '{name}'") from None


@register_op
class PureMethod(OpDef):
    """``%r = method.pure "rem_euclid", %x, %m``: a built-in method of
    :data:`PURE_METHODS` on a receiver and arguments."""

    name = "method.pure"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    impl = staticmethod(_pure_method)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return "any"  # (an int method gives an int, a float method a float: typespec's)

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        if instr.imms[0] not in PURE_METHODS:
            return f"'{instr.imms[0]}' is not a pure built-in method (use 'method')"
        return None


__all__ = ["CAST_TARGETS", "Cast", "PURE_METHODS", "PureMethod", "cast_value"]
