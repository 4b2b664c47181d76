"""Function values (closures and named functions at tier 0 are Python functions):
their display form, and the Ruchy message of a failed call of one."""
from __future__ import annotations

import re
from typing import Any

#: Python's messages for a call with the wrong arguments or of a non-function.
_ARITY = re.compile(r"^(?:[\w.<>]*\.)?(\w+)\(\) (?:takes (\d+) positional arguments? but (\d+) (?:was|were) "
                    r"given|missing (\d+) required positional arguments?)")
_NOT_CALLABLE = re.compile(r"^'(\w+)' object is not callable")
_TYPE_NAMES = {"int": "int", "float": "float", "bool": "bool", "str": "string",
               "NoneType": "unit", "tuple": "tuple", "Arr": "array", "Char": "char"}


def name_of(py: str) -> str:
    """The Ruchy name of a generated function (``r_double__x`` is ``double``; a
    closure ``_f12`` is ``closure``)."""
    if py.startswith("r_") and "__" in py:
        return py[2:py.rindex("__")].replace("_S_", "::")
    if py.startswith("_f") and py[2:].rstrip("m").isdigit():
        return "closure"
    return py.lstrip("_")


def describe(f: Any) -> str:
    """The display form of a function value (Rust has none): ``<fn double>``,
    ``<closure>``."""
    name = name_of(getattr(f, "__name__", ""))
    return "<closure>" if name == "closure" else f"<fn {name}>"


def arity_error(who: str, want: int, got: int) -> str:
    """The message for a call of function value ``who`` (``closure`` for a closure)
    with ``got`` arguments where it takes ``want``: Python's two cases, in Ruchy's
    words (too few names how many are missing)."""
    if got < want:
        s = "" if want - got == 1 else "s"
        return f"wrong number of arguments: '{who}' needs {want - got} more argument{s}"
    s = "" if want == 1 else "s"
    return f"wrong number of arguments: '{who}' takes {want} argument{s}, got {got}"


def not_a_function(type_name: str) -> str:
    """The message for a call of a value of Python type ``type_name``."""
    return f"type error: {_TYPE_NAMES.get(type_name, type_name)} is not a function"


def call_error(e: TypeError) -> str:
    """The Ruchy message for Python's TypeError from a call of a value."""
    msg = str(e)
    m = _ARITY.match(msg)
    if m:
        who = name_of(m.group(1))
        if m.group(4):
            return arity_error(who, int(m.group(4)), 0)
        return arity_error(who, int(m.group(2)), int(m.group(3)))
    m = _NOT_CALLABLE.match(msg)
    if m:
        return not_a_function(m.group(1))
    return f"type error: {msg}"
