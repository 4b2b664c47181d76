"""Type arguments as values: what ``T::name()`` on a generic type parameter ``T`` tests
(resolve/generics.py, lower/generics.py).

A type is found at run time, as tier 0 finds it (interp/generics.py): the runtime's
class of a value passed for a parameter declared ``T`` (``type_of``), or the class a
caller stated for ``T`` in the module global the callee reads (``type_token``, stored
with ``store_global``). ``type_is`` tests one against a type; the call is a chain of
those tests, one per type that answers ``T::name`` (a ``call`` each)::

    %c = type_of %t                  ; fn describe<T: Shape>(t: &T): T is t's type
    %k = type_is !Sq, %c
    cond_br %k, ^sq, ^next           ; ^sq: call @Sq::name
    ...
    %s = type_token !Circle          ; build::<Circle>(): stated before the call
    store_global @typearg.build::T, %s

A type is a named type (``!Point``: a struct's class, an enum's own class) or a scalar
whose values have one class (``i64``, ``f64``, ``bool``, ``str``, ``arr``, ``char<>``). The values
are the runtime's classes, compared by identity. ``type_is`` knows its answer when its
operand is a ``type_token`` or the ``type_of`` of a ``make !S`` or of a value typed
``i64``/``f64``/``bool``/``str`` (:meth:`TypeIs.known`), so constfold and sccp, after
inlining shows the type, leave only the call it chooses: the call devirtualized.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..runtime.aggregates import Cell, Char
from ..runtime.values import Arr
from .opdef import NO_FOLD, PURE, OpDef, register_op
from .ops_char import CharType
from .types import IRType, NamedType, ScalarType

#: The runtime's class of the values of each scalar type a type argument may be.
_SCALAR_CLASSES: dict[str, type] = {"i64": int, "f64": float, "bool": bool, "str": str,
                                    "arr": Arr}


def _type_class(t: IRType, env: Any) -> type:
    if isinstance(t, NamedType):
        return env.type_decl(t.name).runtime_class()
    if isinstance(t, CharType):
        return Char
    return _SCALAR_CLASSES[str(t)]


def _why_not_a_type_arg(t: Any) -> Optional[str]:
    if isinstance(t, (NamedType, CharType)) or (isinstance(t, ScalarType)
                                                and str(t) in _SCALAR_CLASSES):
        return None
    return f"{t} is not a type a type argument may be (a named type, i64, f64, bool, str, " \
           "arr, char<>)"


def _type_of(v: Any) -> type:
    return type(v.v if type(v) is Cell else v)


@register_op
class TypeOf(OpDef):
    """``%c = type_of %v``: the runtime's class of ``%v`` (through a cell)."""

    name = "type_of"
    traits = frozenset({PURE})
    operands = 1
    impl = staticmethod(_type_of)

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return NO_FOLD  # (a class is no literal)


@register_op
class TypeToken(OpDef):
    """``%c = type_token !Point``: the runtime's class of the values of a type."""

    name = "type_token"
    traits = frozenset({PURE})
    imms = ("type",)

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        t = imms[0]
        return lambda: _type_class(t, env)

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return NO_FOLD

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        return _why_not_a_type_arg(instr.imms[0])


def _known_class(v: Any) -> Optional[str]:
    """The type whose class ``v`` (an operand of ``type_is``) surely is, or None."""
    op = getattr(v, "op", None)
    if op is TypeToken:
        return str(v.imms[0])
    if op is not TypeOf:
        return None
    x = v.operands[0]
    while getattr(x, "op", None) is not None and x.op.name == "copy":
        x = x.operands[0]
    xop = getattr(x, "op", None)
    if xop is not None and xop.name == "make" and isinstance(x.imms[0], NamedType):
        return str(x.imms[0])  # (a struct's make: its class, whatever it is)
    if str(x.type) in ("i64", "f64", "bool", "str"):
        return str(x.type)
    return None


@register_op
class TypeIs(OpDef):
    """``%b = type_is !Point, %c``: whether class ``%c`` (a ``type_of`` or
    ``type_token``) is the class of the values of the type."""

    name = "type_is"
    traits = frozenset({PURE})
    imms = ("type",)
    operands = 1
    result_type_name = "bool"

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        t = imms[0]
        box: list = []

        def test(c: Any) -> bool:
            if not box:
                box.append(_type_class(t, env))
            return c is box[0]
        return test

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return NO_FOLD

    @classmethod
    def known(cls, instr: Any) -> Any:
        k = _known_class(instr.operands[0])  # (every type has a class of its own)
        return NO_FOLD if k is None else k == str(instr.imms[0])

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        return _why_not_a_type_arg(instr.imms[0])


__all__ = ["TypeIs", "TypeOf", "TypeToken"]
