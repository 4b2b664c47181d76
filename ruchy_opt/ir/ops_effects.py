"""Ops with effects: output, calls, methods, globals, checks that stop the program, and
the terminators (``br``, ``cond_br``, ``ret``).

``call`` and the terminators have no ``impl``: they are control flow, which the IR
interpreter and code generators implement themselves.
"""
from __future__ import annotations

from typing import Any, Callable, NoReturn, Optional

from ..errors import RuchyRuntimeError
from ..runtime import ops as R
from ..runtime.methods import METHODS, PLACE_MUTATORS, call_method, call_mutator
from ..runtime.values import debug
from .opdef import MAY_FAIL, READS, SIDE_EFFECTS, TERMINATOR, OpDef, define, register_op


@register_op
class Print(OpDef):
    """``print %s``: write a string to standard output."""

    name = "print"
    traits = frozenset({SIDE_EFFECTS})
    operands = 1
    result = False

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return env.write


@register_op
class EPrint(OpDef):
    """``eprint %s``: write a string to standard error (after flushing standard output)."""

    name = "eprint"
    traits = frozenset({SIDE_EFFECTS})
    operands = 1
    result = False

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return env.ewrite


@register_op
class Call(OpDef):
    """``call @f, %a, %b``: call function @f of the module with the operands as
    arguments (already copied as the language requires)."""

    name = "call"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("sym",)
    operands = (0, None)

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        module = getattr(instr.block.func, "module", None) if instr.block else None
        if module is None:
            return None
        callee = module.functions.get(str(instr.imms[0]))
        if callee is None:
            return f"call to unknown function @{instr.imms[0]}"
        if len(callee.params) != len(instr.operands):
            return (f"call passes {len(instr.operands)} arguments but @{callee.name} "
                    f"takes {len(callee.params)}")
        bad = [f"argument %{a.name} has type {a.type} but @{callee.name} wants {p.type}"
               for a, p in zip(instr.operands, callee.params)
               if p.type != "any" and a.type != p.type]
        return "; ".join(bad) or None  # every mismatch, not only the first


def _method(name: str, recv: Any, *args: Any) -> Any:
    return call_method(recv, name, args)


@register_op
class Method(OpDef):
    """``method "push", %a, %v``: built-in method on a receiver (a mutating method
    changes the array object %a refers to)."""

    name = "method"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    impl = staticmethod(_method)

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        m = METHODS.get(imms[0])
        if m is None:
            return lambda recv, *args: call_method(recv, imms[0], args)

        def run(recv: Any, *args: Any) -> Any:
            try:
                return m(recv, *args)
            except TypeError:
                raise RuchyRuntimeError(
                    f"wrong number of arguments to method '{imms[0]}'") from None
        return run


def _mutate(name: str, recv: Any, *args: Any) -> tuple[Any, Any]:
    return call_mutator(recv, name, args)


@register_op
class MethodMut(OpDef):
    """``%r = method.mut "push_str", %s, %t``: a method that changes the place it is
    called on, where that place may hold a str or an Option, which cannot change in
    place: the result is the tuple ``(new value of the place, the method's result)``,
    and lowering stores field 0 back into the place (lower/calls.py), as tier 0 does
    (runtime/methods.call_mutator). On an array or a map the method changes the object
    itself and field 0 is the receiver."""

    name = "method.mut"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str",)
    operands = (1, None)
    impl = staticmethod(_mutate)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> Any:
        from .types import tuple_of
        return tuple_of(["any", "any"])

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        if instr.imms[0] not in PLACE_MUTATORS:
            return f"'{instr.imms[0]}' is not a method that gives its place a new value " \
                   "(use 'method')"
        return None


def _fail(msg: str) -> NoReturn:
    raise RuchyRuntimeError(msg)


def _match_fail(v: Any) -> NoReturn:
    raise RuchyRuntimeError(f"no match arm matched value {debug(v)}")


def _assert_fail(c: Any, what: Any) -> NoReturn:
    R.truth(c)  # a non-bool condition is a type error, not a failed assertion
    raise RuchyRuntimeError(f"assertion failed: {what}")


def _assert_eq(negate: bool) -> Callable[..., None]:
    def check(a: Any, b: Any, msg: Any = None) -> None:
        if R.eq(a, b) == negate:
            detail = f"{msg}: " if msg is not None else ""
            raise RuchyRuntimeError(f"assertion failed: {detail}left {'!=' if negate else '=='} "
                                    f"right (left: {debug(a)}, right: {debug(b)})")
    return check


def _panic(msg: Any) -> NoReturn:
    raise RuchyRuntimeError(f"panic: {msg}")


_STOPS = (SIDE_EFFECTS, MAY_FAIL)
define("error", _fail, traits=_STOPS, imms=("str",), result=False,
       doc="stop with a runtime error (undefined name, wrong argument count, ...)")
define("match_fail", _match_fail, traits=_STOPS, operands=1, result=False,
       doc="stop: no match arm matched the operand")
define("assert_fail", _assert_fail, traits=_STOPS, operands=2, result=False,
       doc="stop: `assert!` of the first operand failed; the second is the message")
define("assert_eq", _assert_eq(False), traits=_STOPS, operands=(2, 3), result=False,
       doc="`assert_eq!(a, b[, msg])`")
define("assert_ne", _assert_eq(True), traits=_STOPS, operands=(2, 3), result=False,
       doc="`assert_ne!(a, b[, msg])`")
define("panic", _panic, traits=_STOPS, operands=1, result=False, doc="`panic!(msg)`")


def _global_check(instr: Any) -> Optional[str]:
    module = getattr(instr.block.func, "module", None) if instr.block else None
    if module is not None and str(instr.imms[0]) not in module.globals:
        return f"unknown global @{instr.imms[0]}"
    return None


@register_op
class LoadGlobal(OpDef):
    """``load_global @g``: the current value of a module global."""

    name = "load_global"
    traits = frozenset({READS})
    imms = ("sym",)

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        g, name = env.globals, str(imms[0])
        return lambda: g[name]

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        return _global_check(instr)


@register_op
class StoreGlobal(OpDef):
    """``store_global @g, %v``: set a module global."""

    name = "store_global"
    traits = frozenset({SIDE_EFFECTS})
    imms = ("sym",)
    operands = 1
    result = False

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        g, name = env.globals, str(imms[0])

        def store(v: Any) -> None:
            g[name] = v
        return store

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        return _global_check(instr)


# ---- terminators ------------------------------------------------------------------

define("br", traits=(TERMINATOR,), successors=1, result=False,
       doc="jump to a block, passing arguments to its parameters")
define("cond_br", traits=(TERMINATOR,), operands=1, successors=2, result=False,
       operand_types=("bool",), doc="jump to the first block if the bool is true, else the "
                                    "second")
define("ret", traits=(TERMINATOR,), operands=(0, 1), result=False,
       doc="return the operand (unit if none) to the caller")
