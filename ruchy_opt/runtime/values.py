"""Ruchy values as Python objects, and their display, debug and text forms.

Representation (shared by every Python-hosted tier):

=========  ==========================================================
int        Python ``int``, always within 64 bits (operations check)
float      Python ``float``
bool       Python ``bool`` (so ``type(v) is int`` is false for bools)
string     Python ``str`` (immutable, as in Ruchy)
unit       ``None``
array      :class:`Arr`: a list with copy-on-write sharing
=========  ==========================================================
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

INT_MIN = -(2**63)
INT_MAX = 2**63 - 1


class Arr:
    """An array value. Arrays are values: copying one (``let b = a``, passing it) is O(1)
    and marks both sides ``shared``; the first write through either copies the list.

    Invariant: an ``Arr`` object is held by exactly one place (variable, element or
    parameter); only ``&mut`` passes the object itself to a callee.
    """

    __slots__ = ("d", "shared")

    def __init__(self, d: list) -> None:
        self.d = d
        self.shared = False

    def __eq__(self, other: object) -> bool:
        from .ops import eq
        return type(other) is Arr and eq(self, other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Arr({self.d!r})"


def cp(v: Any) -> Any:
    """The value ``v`` as seen by a new holder: arrays become O(1) shared copies."""
    if type(v) is Arr:
        v.shared = True
        n = Arr(v.d)
        n.shared = True
        return n
    return v


def own(a: Arr) -> Arr:
    """Make ``a``'s list private before a write (copy on write)."""
    if a.shared:
        a.d = [cp(x) if type(x) is Arr else x for x in a.d]
        a.shared = False
    return a


def kind(v: Any) -> str:
    """The Ruchy type name of a value, as error messages say it."""
    t = type(v)
    if t is int:
        return "int"
    if t is float:
        return "float"
    if t is bool:
        return "bool"
    if t is str:
        return "string"
    if t is Arr:
        return "array"
    if v is None:
        return "unit"
    return t.__name__


def fmt_float(x: float) -> str:
    """Display form of a float: ``3.0``, shortest round-trip otherwise, never an exponent."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    r = repr(x)
    if "e" in r:
        r = format(Decimal(r), "f")
        if "." not in r:
            r += ".0"
    return r


def float_text(x: float) -> str:
    """Text form of a float (``to_string``, string ``+``): whole floats lose ``.0``."""
    s = fmt_float(x)
    return s[:-2] if s.endswith(".0") else s


def display(v: Any) -> str:
    """Display form (``{}`` and ``println``)."""
    t = type(v)
    if t is str:
        return v
    if t is int:
        return str(v)
    if t is float:
        return fmt_float(v)
    if t is bool:
        return "true" if v else "false"
    if t is Arr:
        return "[" + ", ".join(debug(x) for x in v.d) + "]"
    if v is None:
        return "()"
    return str(v)


def debug(v: Any) -> str:
    """Debug form (``{:?}``): as display, but strings quoted and escaped."""
    if type(v) is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
            .replace("\t", "\\t").replace("\r", "\\r") + '"'
    return display(v)


def text(v: Any) -> str:
    """Text form (``to_string``, string concatenation)."""
    if type(v) is float:
        return float_text(v)
    return display(v)
