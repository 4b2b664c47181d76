"""Type names of runtime values as the profiler's type-stability tables say them: the
Level 1 and 2 kinds as before (``int``, ``float``, ``bool``, ``str``, ``arr``, ``unit``),
and the Level 3 types by what they are (docs/level3.md, runtime/aggregates.py): a
struct's or enum's name (``Point``, ``Shape``), ``Option<int>``, ``Result<int, str>``,
a tuple's element types ``(int, float)``, ``char``, ``fn`` for a function value.

:func:`type_key` is what a profiling tier-0 run records per argument (``_tk`` in the
generated code, when the profiler asks for value types): the Python type itself for the
Level 1 and 2 values, so that the tiered runtime's guards read the same keys, and the
name for everything else.
"""
from __future__ import annotations

from typing import Any

from ..runtime.aggregates import Cell, Char, Struct, Variant
from ..runtime.values import Arr

#: The kinds the profile has always shown for the Level 1 and 2 types.
KIND_OF_TYPE: dict[Any, str] = {int: "int", float: "float", bool: "bool", str: "str",
                                type(None): "unit", Arr: "arr"}
_PLAIN = frozenset(KIND_OF_TYPE)
_GENERIC = {"Option": 1, "Result": 2}
#: Python classes of function values (named functions and closures).
_FUNCTION_TYPES = frozenset({"function", "builtin_function_or_method", "method", "partial"})
#: How deep a name looks into payloads and elements (a long list stays short).
_DEPTH = 3


def type_key(v: Any) -> Any:
    """The signature key of one argument (see the module docstring)."""
    t = type(v)
    return t if t in _PLAIN else type_name(v)


def key_name(k: Any) -> str:
    """A recorded key (a Python type or a name) as the profile shows it."""
    if isinstance(k, str):
        return k
    return KIND_OF_TYPE.get(k) or class_name(k)


def class_name(t: type) -> str:
    """The name of a value's class when only the class is known."""
    if t is Char:
        return "char"
    if t is tuple:
        return "tuple"
    if isinstance(t, type) and issubclass(t, Variant):
        return _short(t._enum)
    if isinstance(t, type) and issubclass(t, Struct):
        return _short(t._qual)
    if t is Cell:
        return "&mut"
    name = getattr(t, "__name__", "?")
    return "fn" if name in _FUNCTION_TYPES else name


def type_name(v: Any, depth: int = _DEPTH) -> str:
    """The name of the type of ``v`` (see the module docstring)."""
    t = type(v)
    plain = KIND_OF_TYPE.get(t)
    if plain is not None:
        return plain
    if t is tuple:
        if depth <= 0:
            return "tuple"
        return "(" + ", ".join(type_name(x, depth - 1) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, Variant):
        enum = _short(t._enum)
        n = _GENERIC.get(t._enum)
        if n is None or depth <= 0:
            return enum
        args = ["_"] * n
        if t._fields:  # Some(x), Ok(x), Err(e): the payload names one argument
            i = 1 if t._name == "Err" else 0
            args[i] = type_name(getattr(v, t._fields[0]), depth - 1)
        return f"{enum}<{', '.join(args)}>"
    if isinstance(v, Struct):
        return _short(t._qual)
    if t is Cell:
        return "&mut " + type_name(v.v, depth)
    if callable(v):
        return "fn"
    return class_name(t)


def _short(qual: str) -> str:
    return qual.rsplit("::", 1)[-1]


__all__ = ["KIND_OF_TYPE", "class_name", "key_name", "type_key", "type_name"]
