"""``s.parse::<T>()``: a ``Result`` with Rust's value or Rust's error.

The error payloads are structs shaped like Rust's (``ParseIntError { kind: InvalidDigit }``
in debug form) whose display form is Rust's message (``invalid digit found in string``),
so both ``{}`` and ``{:?}`` of an ``Err`` print what Rust prints.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from ..errors import RuchyRuntimeError
from .aggregates import Cell, Char, Err, Ok, enum_classes, struct_class
from .values import kind

#: Range of each integer type (LANGUAGE.md: every integer type is an int).
_INT_RANGES: dict[str, tuple[int, int]] = {
    **{f"i{b}": (-(2 ** (b - 1)), 2 ** (b - 1) - 1) for b in (8, 16, 32, 64, 128)},
    **{f"u{b}": (0, 2 ** b - 1) for b in (8, 16, 32, 64, 128)},
    "isize": (-(2 ** 63), 2 ** 63 - 1), "usize": (0, 2 ** 64 - 1),
}
_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_FLOAT = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)\Z",
                    re.IGNORECASE)

_INT_KINDS, _IK = enum_classes("IntErrorKind", [(n, "unit", []) for n in (
    "Empty", "InvalidDigit", "PosOverflow", "NegOverflow", "Zero")])
_FLOAT_KINDS, _FK = enum_classes("FloatErrorKind", [("Empty", "unit", []),
                                                    ("Invalid", "unit", [])])
_CHAR_KINDS, _CK = enum_classes("CharErrorKind", [("EmptyString", "unit", []),
                                                  ("TooManyChars", "unit", [])])


def _error_type(name: str, messages: dict[str, str]) -> type:
    cls = struct_class(name, "named", ["kind"])
    cls._display = lambda e: messages[e.f_kind._name]
    return cls


ParseIntError = _error_type("ParseIntError", {
    "Empty": "cannot parse integer from empty string",
    "InvalidDigit": "invalid digit found in string",
    "PosOverflow": "number too large to fit in target type",
    "NegOverflow": "number too small to fit in target type",
    "Zero": "number would be zero for non-zero type"})
ParseFloatError = _error_type("ParseFloatError", {
    "Empty": "cannot parse float from empty string", "Invalid": "invalid float literal"})
ParseCharError = _error_type("ParseCharError", {
    "EmptyString": "cannot parse char from empty string",
    "TooManyChars": "too many characters in string"})
ParseBoolError = struct_class("ParseBoolError", "unit", [])
ParseBoolError._display = lambda e: "provided string was not `true` or `false`"


def parse_int(s: str, lo: int, hi: int) -> Any:
    if s == "":
        return Err(ParseIntError(_IK["Empty"]))
    digits = s[1:] if s[0] in "+-" else s
    if not digits or not digits.isascii() or not digits.isdigit() or (s[0] == "-" and lo == 0):
        return Err(ParseIntError(_IK["InvalidDigit"]))
    v = int(s)
    if v > hi:
        return Err(ParseIntError(_IK["PosOverflow"]))
    if v < lo:
        return Err(ParseIntError(_IK["NegOverflow"]))
    return Ok(v)


def parse_float(s: str) -> Any:
    if s == "":
        return Err(ParseFloatError(_FK["Empty"]))
    if not _FLOAT.match(s):
        return Err(ParseFloatError(_FK["Invalid"]))
    return Ok(float(s))


def parse_char(s: str) -> Any:
    if len(s) == 1:
        return Ok(Char(s))
    return Err(ParseCharError(_CK["EmptyString" if not s else "TooManyChars"]))


def parse_bool(s: str) -> Any:
    if s in ("true", "false"):
        return Ok(s == "true")
    return Err(ParseBoolError())


def parse(s: Any, target: Optional[str] = None) -> Any:
    """``s.parse::<target>()`` (``target`` the type's text; None when the program gives
    no turbofish: an integer if the text is one, else a float, as inference most often
    decides)."""
    if type(s) is Cell:
        s = s.v
    if not isinstance(s, str):
        raise RuchyRuntimeError(f"type error: no method 'parse' on {kind(s)}")
    s = str.__str__(s)
    if target is None:
        r = parse_int(s, *_INT64)
        return r if type(r) is Ok or s == "" else (parse_float(s) if _FLOAT.match(s) else r)
    if target in _INT_RANGES:
        lo, hi = _INT_RANGES[target]
        # Ruchy's ints are 64-bit signed: a u64 above i64::MAX cannot be held either.
        return parse_int(s, max(lo, _INT64[0]), min(hi, _INT64[1]))
    if target in ("f64", "f32"):
        return parse_float(s)
    if target == "bool":
        return parse_bool(s)
    if target == "char":
        return parse_char(s)
    if target in ("String", "str", "&str"):
        return Ok(s)
    raise RuchyRuntimeError(f"parse::<{target}>() is not supported")
