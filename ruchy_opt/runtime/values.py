"""Ruchy values as Python objects, and their display, debug and text forms.

Representation (shared by every Python-hosted tier):

=========  ==========================================================
int        Python ``int``, always within 64 bits (operations check)
float      Python ``float``
bool       Python ``bool`` (so ``type(v) is int`` is false for bools)
string     Python ``str`` (immutable, as in Ruchy)
unit       ``None``
array      :class:`Arr`: a list with copy-on-write sharing
tuple      Python ``tuple`` (a write to an element rebuilds it)
struct     an instance of its class (runtime/aggregates.py)
variant    an instance of its variant's class; unit variants are singletons
char       :class:`~.aggregates.Char`
=========  ==========================================================
"""
from __future__ import annotations

from typing import Any

from .aggregates import IMMUTABLE, Cell, Char, Struct, Variant

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
    """The value ``v`` as seen by a new holder: arrays become O(1) shared copies,
    structs and variants with fields are copied field by field (docs/level3.md), a tuple
    is rebuilt only if an element is a mutable aggregate."""
    t = type(v)
    if t in IMMUTABLE:
        return v
    if t is Arr:
        v.shared = True
        n = Arr(v.d)
        n.shared = True
        return n
    if t is tuple:
        for x in v:
            if type(x) not in IMMUTABLE:
                return tuple([cp(y) for y in v])
        return v
    c = getattr(t, "_cp", None)
    return v if c is None else c(v)


def own(a: Arr) -> Arr:
    """Make ``a``'s list private before a write (copy on write). A list that nothing
    else references any more (the holder that shared it is gone, a ``for`` loop over
    it has ended: CPython's reference count is ``a.d``'s and the argument's) is private
    already: it is kept, not copied with every struct in it."""
    if a.shared:
        if _refcount(a.d) > 2:
            a.d = [x if type(x) in IMMUTABLE else cp(x) for x in a.d]
        a.shared = False
    return a


def _any_holder(d: list) -> int:
    return 3  # (a Python without reference counts: always copy)


_refcount = getattr(__import__("sys"), "getrefcount", _any_holder)


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
    if t is tuple:
        return "tuple"
    if t is Char:
        return "char"
    if t is Cell:
        return kind(v.v)
    if isinstance(v, (Struct, Variant)):
        return v._enum if isinstance(v, Variant) else v._qual
    return t.__name__


def fmt_float(x: float) -> str:
    """Display form of a float: ``3.0``, shortest round-trip otherwise, never an exponent."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    r = repr(x)
    if "e" in r:
        from decimal import Decimal  # (here: decimal's import is ~5 ms of every start-up)
        r = format(Decimal(r), "f")
        if "." not in r:
            r += ".0"
    return r


def float_text(x: float) -> str:
    """Text form of a float (``to_string``, string ``+``): whole floats lose ``.0``."""
    s = fmt_float(x)
    return s[:-2] if s.endswith(".0") else s


def display(v: Any) -> str:
    """Display form (``{}`` and ``println``): a struct or enum with Display is its
    ``fmt``'s text, other aggregates their debug form (LANGUAGE.md)."""
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
    if t is Char:
        return str.__str__(v)
    shown = getattr(t, "_display", None)
    if shown is not None:
        return shown(v)
    if t is Cell:
        return display(v.v)
    if callable(v):  # a closure or function value (runtime/functions.py)
        from .functions import describe
        return describe(v)
    return debug(v)


_CHAR_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", "'": "\\'",
                 "\0": "\\0"}


def debug(v: Any) -> str:
    """Debug form (``{:?}``): as display, but strings quoted and escaped, chars in single
    quotes, structs and enums in Rust's derived form (``P { x: 1.0 }``, ``Circle(2.0)``)."""
    t = type(v)
    if t is str:
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") \
            .replace("\t", "\\t").replace("\r", "\\r") + '"'
    if t is Char:
        return "'" + _CHAR_ESCAPES.get(v, str.__str__(v)) + "'"
    if t is tuple:
        if len(v) == 1:
            return "(" + debug(v[0]) + ",)"
        return "(" + ", ".join(debug(x) for x in v) + ")"
    if t is Arr:
        return "[" + ", ".join(debug(x) for x in v.d) + "]"
    if isinstance(v, (Struct, Variant)):
        if t._debug is not None:  # a hand-written `impl Debug`
            return t._debug(v)
        fields = t._fields
        if not fields:
            return t._name
        if t._shape == "tuple":
            return t._name + "(" + ", ".join(debug(getattr(v, f)) for f in fields) + ")"
        return t._name + " { " + ", ".join(f"{f[2:]}: {debug(getattr(v, f))}"
                                            for f in fields) + " }"
    if t is Cell:
        return debug(v.v)
    return display(v)


def pretty(v: Any, indent: str = "") -> str:
    """The ``{:#?}`` form: Rust's pretty debug, one field or element per line."""
    t = type(v)
    inner = indent + "    "
    if t is Cell:
        return pretty(v.v, indent)
    if t is tuple and v:
        items = [pretty(x, inner) for x in v]
        return "(\n" + "".join(f"{inner}{x},\n" for x in items) + indent + ")"
    if t is Arr:
        if not v.d:
            return "[]"
        items = [pretty(x, inner) for x in v.d]
        return "[\n" + "".join(f"{inner}{x},\n" for x in items) + indent + "]"
    if isinstance(v, (Struct, Variant)) and t._debug is not None:  # `impl Debug`
        return t._debug(v, True).replace("\n", "\n" + indent)
    if isinstance(v, (Struct, Variant)) and t._fields:
        if t._shape == "tuple":
            items = [pretty(getattr(v, f), inner) for f in t._fields]
            return t._name + "(\n" + "".join(f"{inner}{x},\n" for x in items) + indent + ")"
        items = [f"{f[2:]}: {pretty(getattr(v, f), inner)}" for f in t._fields]
        return t._name + " {\n" + "".join(f"{inner}{x},\n" for x in items) + indent + "}"
    shown = getattr(t, "_pretty", None)  # the collections (runtime/collections.py)
    if shown is not None:
        return shown(v, indent)
    return debug(v)


def text(v: Any) -> str:
    """Text form (``to_string``, string concatenation)."""
    if type(v) is float:
        return float_text(v)
    return display(v)


_aggregates_gen: dict = __import__("ruchy_opt.runtime.aggregates", fromlist=["_GEN"])._GEN
_aggregates_gen["cp"] = cp
