"""Level 3 values as Python objects: structs, enum variants and chars (docs/level3.md).

A program's structs and enums become Python classes when its module is set up
(:func:`struct_class`, :func:`enum_classes`); fields are ``__slots__`` named ``f_<field>``
(``f_0``, ``f_1``... for tuple structs and tuple variants). Every variant of an enum is a
subclass of one class per enum; a unit variant is a single shared instance (it has no
fields, so sharing it cannot be observed). Option, Result and Ordering are enums like any
other.

Structs and variants with fields are mutable values held by one place (docs/level3.md):
``_cp`` (made per class, see :func:`_cp_source`) copies one for a new holder, fields
copied in turn. ``==`` and ``hash`` compare and hash by content, so they can be map keys.
"""
from __future__ import annotations

from typing import Any, Callable


class Char(str):
    """A Ruchy ``char``: a str of one character that prints as ``'a'`` in debug form."""

    __slots__ = ()


class Cell:
    """``&mut n`` of a value that is not an object (a number, a string, a tuple): the
    callee reads and writes ``v`` (``*n += 1``) and the caller stores it back after the
    call."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __repr__(self) -> str:
        return f"Cell({self.v!r})"


#: The types whose values are never shared mutable state: storing one needs no copy.
IMMUTABLE = frozenset({int, float, bool, str, type(None), Char})


class Formatter:
    """The ``f`` of ``fn fmt(&self, f: &mut fmt::Formatter)``: ``write!(f, ...)`` appends;
    ``alt`` is ``{:#?}``'s flag (``f.alternate()``, the debug builders' pretty form)."""

    __slots__ = ("parts", "alt")

    def __init__(self, alt: bool = False) -> None:
        self.parts: list[str] = []
        self.alt = alt

    def write(self, text: str) -> None:
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)


class _Aggregate:
    """What structs and enum variants share: equality and hashing by content (so any
    value that compares with == can be a map key), and the debug form as repr."""

    __slots__ = ()
    _name = ""
    _qual = ""
    _fields: tuple[str, ...] = ()
    _display: Any = None
    _debug: Any = None  # (value -> text) from a user's `impl Debug`
    _ucmp: Any = None  # ((a, b) -> -1, 0, 1 or 2) from a user's `impl Ord`/`PartialOrd`

    def __eq__(self, other: object) -> bool:
        from .ops import eq
        return type(self) is type(other) and eq(self, other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        from .ops import hash_key
        return hash(hash_key(self))

    def __repr__(self) -> str:
        from .values import debug
        return debug(self)


class Struct(_Aggregate):
    """Base of every struct class. Class attributes: ``_name`` (as printed), ``_qual``
    (qualified name), ``_fields`` (slot names in order), ``_shape`` (named/tuple/unit);
    ``_display`` (value -> text) when the type implements Display, ``_debug`` when it
    implements Debug by hand (else the derived form)."""

    __slots__ = ()
    _shape = "named"


class Variant(_Aggregate):
    """Base of every enum class. Class attributes as :class:`Struct`, plus ``_enum``
    (the enum's qualified name) and ``_tag`` (the variant's index: Rust's derived order)."""

    __slots__ = ()
    _enum = ""
    _tag = 0
    _shape = "unit"


def _init_source(slots: tuple[str, ...]) -> str:
    args = ", ".join(slots)
    body = "".join(f"\n    self.{s} = {s}" for s in slots) or "\n    pass"
    return f"def __init__(self, {args}):{body}" if slots else f"def __init__(self):{body}"


def _cp_source(slots: tuple[str, ...]) -> str:
    """A copy method: each field as a new holder sees it (scalars as they are)."""
    if not slots:
        return "def _cp(self):\n    return self"
    reads = "".join(f"\n    {s} = self.{s}" for s in slots)
    args = ", ".join(f"{s} if type({s}) in IMM else cp({s})" for s in slots)
    return f"def _cp(self):{reads}\n    return self.__class__({args})"


#: The globals of the generated methods; values.py adds ``cp`` (a cycle of imports).
_GEN: dict[str, Any] = {"IMM": IMMUTABLE}


def _make(base: type, name: str, slots: tuple[str, ...], attrs: dict[str, Any]) -> type:
    exec(_init_source(slots), _GEN)  # a plain __init__ is the fastest constructor CPython has
    init = _GEN.pop("__init__")
    exec(_cp_source(slots), _GEN)
    return type(name, (base,), {"__slots__": slots, "__init__": init,
                                "_cp": _GEN.pop("_cp"), **attrs})


def struct_class(qual: str, shape: str, fields: list[str]) -> type:
    """The class of struct ``qual`` (its instances are the struct's values)."""
    slots = tuple(f"f_{f}" for f in fields)
    return _make(Struct, qual.replace("::", "_"), slots,
                 {"_name": qual.rsplit("::", 1)[-1], "_qual": qual, "_fields": slots,
                  "_shape": shape})


def enum_classes(qual: str, variants: list[tuple[str, str, list[str]]]) -> tuple[type, dict[str, Any]]:
    """The class of enum ``qual`` and, per variant name, its class (tuple and named
    variants) or its single instance (unit variants)."""
    base = _make(Variant, qual.replace("::", "_"), (), {"_enum": qual, "_qual": qual,
                                                         "_name": qual.rsplit("::", 1)[-1]})
    out: dict[str, Any] = {}
    for tag, (vname, shape, fields) in enumerate(variants):
        slots = tuple(f"f_{f}" for f in fields)
        cls = _make(base, f"{base.__name__}_{vname}", slots,
                    {"_name": vname, "_qual": f"{qual}::{vname}", "_enum": qual, "_tag": tag,
                     "_fields": slots, "_shape": shape})
        out[vname] = cls() if shape == "unit" else cls
    return base, out


def variant_classes(enum: type) -> list[type]:
    """The class of each variant of an enum class (a method table keys on these)."""
    return list(enum.__subclasses__())


def display_via(fmt: Callable[[Any, Formatter], Any]) -> Callable[..., str]:
    """A type's ``_display`` (or ``_debug``) from its ``fmt(&self, f)`` (the translated
    function); ``alt``: formatted for ``{:#?}``."""
    def display(v: Any, alt: bool = False) -> str:
        f = Formatter(alt)
        fmt(v, f)
        return f.text()
    return display


def ord_via(f: Callable[[Any, Any], Any], partial: bool = False) -> Callable[[Any, Any], int]:
    """A type's ``_ucmp`` (runtime/ops.cmp: -1, 0, 1, or 2 for unordered) from its
    ``cmp(&self, other)`` (an Ordering) or, ``partial``, ``partial_cmp`` (an Option)."""
    def ucmp(a: Any, b: Any) -> int:
        r = f(a, b)
        if partial:
            if r is NONE:
                return 2
            r = r.f_0
        return r._tag - 1
    return ucmp


#: The built-in enums, shared by every program and by the runtime library (a method
#: that returns an Option builds it from these).
Option, _OPTION = enum_classes("Option", [("None", "unit", []), ("Some", "tuple", ["0"])])
Result, _RESULT = enum_classes("Result", [("Ok", "tuple", ["0"]), ("Err", "tuple", ["0"])])
Ordering, _ORDERING = enum_classes("Ordering", [("Less", "unit", []), ("Equal", "unit", []),
                                                ("Greater", "unit", [])])
Some: type = _OPTION["Some"]
NONE: Variant = _OPTION["None"]
Ok: type = _RESULT["Ok"]
Err: type = _RESULT["Err"]
LESS: Variant = _ORDERING["Less"]
EQUAL: Variant = _ORDERING["Equal"]
GREATER: Variant = _ORDERING["Greater"]
BUILTIN_VARIANTS: dict[str, Any] = {"Option::Some": Some, "Option::None": NONE,
                                    "Result::Ok": Ok, "Result::Err": Err,
                                    "Ordering::Less": LESS, "Ordering::Equal": EQUAL,
                                    "Ordering::Greater": GREATER}
#: std::collections::{hash_map, btree_map}::Entry: a map's ``entry(k)``
#: (runtime/map_entry.py); each payload (OccupiedEntry, VacantEntry) knows the map.
Entry, _ENTRY = enum_classes("Entry", [("Occupied", "tuple", ["0"]), ("Vacant", "tuple", ["0"])])
ENTRY_OCCUPIED: type = _ENTRY["Occupied"]
ENTRY_VACANT: type = _ENTRY["Vacant"]
BUILTIN_VARIANTS.update({"Entry::Occupied": ENTRY_OCCUPIED, "Entry::Vacant": ENTRY_VACANT})
BUILTIN_ENUMS: dict[str, type] = {"Option": Option, "Result": Result, "Ordering": Ordering,
                                  "Entry": Entry}

from . import values as _values  # noqa: E402,F401  (binds _GEN["cp"])
