"""Level 3 values as Python objects: structs, enum variants and chars (docs/level3.md).

A program's structs and enums become Python classes when its module is set up
(:func:`struct_class`, :func:`enum_classes`); fields are ``__slots__`` named ``f_<field>``
(``f_0``, ``f_1``... for tuple structs and tuple variants). Every variant of an enum is a
subclass of one class per enum; a unit variant is a single shared instance (it has no
fields, so sharing it cannot be observed). Option and Result are enums like any other.
"""
from __future__ import annotations

from typing import Any


class Char(str):
    """A Ruchy ``char``: a str of one character that prints as ``'a'`` in debug form."""

    __slots__ = ()


class Struct:
    """Base of every struct class. Class attributes: ``_name`` (as printed), ``_qual``
    (qualified name), ``_fields`` (slot names in order), ``_shape`` (named/tuple/unit)."""

    __slots__ = ()
    _name = ""
    _qual = ""
    _fields: tuple[str, ...] = ()
    _shape = "named"


class Variant:
    """Base of every enum class. Class attributes as :class:`Struct`, plus ``_enum``
    (the enum's qualified name) and ``_tag`` (the variant's index: Rust's derived order)."""

    __slots__ = ()
    _name = ""
    _qual = ""
    _enum = ""
    _tag = 0
    _fields: tuple[str, ...] = ()
    _shape = "unit"


def _init_source(slots: tuple[str, ...]) -> str:
    args = ", ".join(slots)
    body = "".join(f"\n    self.{s} = {s}" for s in slots) or "\n    pass"
    return f"def __init__(self, {args}):{body}" if slots else f"def __init__(self):{body}"


def _make(base: type, name: str, slots: tuple[str, ...], attrs: dict[str, Any]) -> type:
    ns: dict[str, Any] = {}
    exec(_init_source(slots), ns)  # a plain __init__ is the fastest constructor CPython has
    cls = type(name, (base,), {"__slots__": slots, "__init__": ns["__init__"], **attrs})
    return cls


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


#: The built-in enums, shared by every program and by the runtime library (a method
#: that returns an Option builds it from these).
Option, _OPTION = enum_classes("Option", [("Some", "tuple", ["0"]), ("None", "unit", [])])
Result, _RESULT = enum_classes("Result", [("Ok", "tuple", ["0"]), ("Err", "tuple", ["0"])])
Some: type = _OPTION["Some"]
NONE: Variant = _OPTION["None"]
Ok: type = _RESULT["Ok"]
Err: type = _RESULT["Err"]
BUILTIN_VARIANTS: dict[str, Any] = {"Option::Some": Some, "Option::None": NONE,
                                    "Result::Ok": Ok, "Result::Err": Err}
