"""Format strings (``println("{} {:.2}", a, b)``) and format specs, as in Rust's ``format!``.

Spec grammar (Rust's): ``[[fill]align][sign]['#']['0'][width]['.' precision][type]``:
align ``<`` ``^`` ``>``; sign ``+``; ``#`` the alternate form (``0x`` prefixes, pretty
``{:#?}``); ``0`` zero padding after the sign and prefix; width and precision a number,
an argument (``1$``, ``name$``) or, for the precision, ``*`` (the next argument);
type ``?`` (debug), ``x`` ``X`` ``o`` ``b`` (radix; a negative int in two's complement),
``e`` ``E`` (exponent); ``,`` or ``_`` after the width groups a decimal number's
digits in threes (Python's grouping, seen in Ruchy's f-strings). ``{:.N}`` formats any number with N decimals (an int too, see
LANGUAGE.md). A width counts characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from .aggregates import Cell, Char, Struct, Variant
from .values import Arr, debug, display, fmt_float, pretty

_COUNT = r"\d+\$?|[A-Za-z_][A-Za-z0-9_]*\$"
_SPEC = re.compile(r"^(?:(?P<fill>.)?(?P<align>[<^>]))?(?P<sign>[+-])?(?P<alt>#)?(?P<zero>0)?"
                   rf"(?P<width>{_COUNT})?(?P<group>[,_])?(?:\.(?P<prec>{_COUNT}|\*))?"
                   r"(?P<type>\?|[xX]\?|[xXobeE])?$", re.S)

Arg = Union[int, str]  # an argument: its position, or a name (named or captured)


class FormatError(ValueError):
    """A malformed format string; ``offset`` is where in the string."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Spec:
    """A parsed format spec. ``width_arg``/``prec_arg`` name the argument that gives the
    width or precision (``{:>w$}``, ``{:.1$}``, ``{:.*}``: ``"*"`` until the format
    string is resolved, then the position it took)."""

    fill: str = " "
    align: str = ""
    sign: bool = False
    zero: bool = False
    width: int = 0
    prec: Optional[int] = None
    type: str = ""
    #: ``#``: pretty debug (``{:#?}``), ``0x``/``0o``/``0b`` prefixes
    alt: bool = False
    width_arg: Optional[Arg] = None
    prec_arg: Optional[Arg] = None
    #: ``,`` or ``_``: digit grouping of a decimal number (``{:,}`` is ``1,234,567``)
    group: str = ""


PLAIN = Spec()
DEBUG = Spec(type="?")


def _count(text: Optional[str]) -> tuple[Optional[int], Optional[Arg]]:
    """A width or precision: (the number, None) or (None, the argument)."""
    if text is None:
        return None, None
    if text == "*":
        return None, "*"
    if text.endswith("$"):
        name = text[:-1]
        return None, int(name) if name.isdigit() else name
    return int(text), None


def parse_spec(spec: str) -> Spec:
    """Parse the part after ``:`` in ``{:...}``; raises FormatError."""
    if not spec:
        return PLAIN
    m = _SPEC.match(spec)
    if not m:
        raise FormatError(f"unknown format spec ':{spec}'")
    width, width_arg = _count(m["width"])
    prec, prec_arg = _count(m["prec"])
    return Spec(m["fill"] or " ", m["align"] or "", m["sign"] == "+", bool(m["zero"]),
                width or 0, prec, m["type"] or "", bool(m["alt"]), width_arg, prec_arg,
                m["group"] or "")


# ---- numbers -----------------------------------------------------------------------

def _exp(v: Union[int, float], prec: Optional[int], upper: bool) -> str:
    """Rust's ``{:e}``: shortest digits (or ``prec`` decimals), exponent without ``+``
    or leading zeros: ``1.2345e3``, ``1e0``, ``1.2e-4``."""
    if type(v) is float and (v != v or v in (float("inf"), float("-inf"))):
        return fmt_float(v)
    from decimal import Decimal  # (here: decimal's import is ~5 ms of every start-up)
    d = Decimal(repr(v)) if type(v) is float else Decimal(v)
    if prec is not None:
        s = format(d, f".{prec}e")
    else:
        sign, digits, exp = d.as_tuple()
        ds = "".join(map(str, digits)).rstrip("0") or "0"
        e = len(digits) - 1 + exp if any(digits) else 0
        s = ("-" if sign else "") + ds[0] + ("." + ds[1:] if len(ds) > 1 else "") + f"e{e}"
    mant, _, e = s.partition("e")
    s = f"{mant}e{int(e)}"
    return s.upper() if upper else s


def _radix(v: int, t: str, alt: bool) -> tuple[str, str]:
    """(prefix, digits) of ``{:x}`` and friends; a negative int in 64-bit two's
    complement, as Rust prints an i64."""
    if v < 0:
        v &= (1 << 64) - 1
    digits = format(v, "X" if t == "X" else t)
    prefix = ("0x" if t in "xX" else "0" + t) if alt else ""
    return prefix, digits


def _fixed(v: Union[int, float], prec: int) -> str:
    x = float(v) if type(v) is float else v
    if type(x) is float and (x != x or x in (float("inf"), float("-inf"))):
        return fmt_float(x)
    if type(v) is int:
        from decimal import Decimal  # (here, not at start-up)
        return format(Decimal(v), f".{prec}f")
    return format(x, f".{prec}f")


def _debug_leaves(v: Any, s: Spec, width: int, prec: Optional[int]) -> str:
    """``{:8?}``, ``{:.2?}``, ``{:+?}``: Rust's derived Debug hands the width, precision
    and sign down to every number inside (``Some(1)`` in ``{:4?}`` is ``Some(   1)``);
    strings and chars ignore them."""
    t = type(v)
    if t is int or t is float:
        if t is float and prec is None:
            return format_value(v, _with(s, type=""), width, None)
        return format_value(v, _with(s, type="", prec=None), width, prec if t is float else None)
    if t is Cell:
        return _debug_leaves(v.v, s, width, prec)
    if t is Arr:
        return "[" + ", ".join(_debug_leaves(x, s, width, prec) for x in v.d) + "]"
    if t is tuple:
        inner = ", ".join(_debug_leaves(x, s, width, prec) for x in v)
        return "(" + inner + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, (Struct, Variant)) and t._fields and t._debug is None:
        parts = [_debug_leaves(getattr(v, f), s, width, prec) for f in t._fields]
        if t._shape == "tuple":
            return t._name + "(" + ", ".join(parts) + ")"
        return t._name + " { " + ", ".join(f"{f[2:]}: {x}" for f, x in
                                            zip(t._fields, parts)) + " }"
    return debug(v)


# ---- one value -----------------------------------------------------------------------

def format_value(v: Any, s: Spec, width: Optional[int] = None, prec: Optional[int] = None) -> str:
    """Format one value by a spec (``width``/``prec``: from arguments, ``{:>w$}``)."""
    if s is PLAIN:
        return display(v)
    if width is None:
        width = s.width
    if prec is None:
        prec = s.prec
    if type(v) is Cell:
        v = v.v
    t = type(v)
    numeric = t is int or t is float
    prefix = ""
    if s.type != "?" and s.type[:1] != "x" and s.type[:1] != "X" \
            and getattr(t, "_display", None) is not None:
        return display(v)  # a Display impl writing with write! ignores width, as in Rust
    if s.type in ("?", "x?", "X?"):
        if s.type != "?" and t is int:
            prefix, body = _radix(v, s.type[0], s.alt)
        elif s.alt:
            body = pretty(v)
        elif prec is not None or width or s.sign:
            return _debug_leaves(v, s, width, prec)
        else:
            body = debug(v)
    elif s.type in ("x", "X", "o", "b") and t is int:
        prefix, body = _radix(v, s.type, s.alt)
    elif s.type in ("e", "E") and numeric:
        body = _exp(v, prec, s.type == "E")
    elif prec is not None and numeric:
        body = _fixed(v, prec)
    elif prec is not None and (t is str or t is Char):
        body = v[:prec]
    else:
        body = display(v)
    sign = ""
    if numeric and body[:1] == "-":
        sign, body = "-", body[1:]
    elif s.sign and numeric and body != "NaN":
        sign = "+"
    if s.group and numeric and not prefix and body[:1].isdigit():
        body = _grouped(body, s.group)
    return _pad(body, s, width, numeric, sign, prefix)


def _grouped(body: str, sep: str) -> str:
    """``1234567.5`` as ``1,234,567.5``: the integer digits in threes (the grouping
    option of Python's spec language, which Ruchy's f-strings borrow: ``{n:,}``)."""
    head, dot, tail = body.partition(".")
    if "e" in head or "E" in head:
        return body
    return format(int(head), "," if sep == "," else "_") + dot + tail


def _pad(body: str, s: Spec, width: int, numeric: bool, sign: str = "",
         prefix: str = "") -> str:
    """``sign + prefix + body`` padded to ``width`` characters as the spec says (zero
    padding goes between the prefix and the digits)."""
    n = len(sign) + len(prefix) + len(body)
    if n >= width:
        return sign + prefix + body
    if s.zero and numeric:
        return sign + prefix + "0" * (width - n) + body
    body = sign + prefix + body
    align = s.align or (">" if numeric else "<")
    pad = width - n
    if align == "<":
        return body + s.fill * pad
    if align == ">":
        return s.fill * pad + body
    return s.fill * (pad // 2) + body + s.fill * (pad - pad // 2)


def format_dyn(v: Any, s: Spec, width: Any, prec: Any) -> str:
    """``{:>w$}``/``{:.*}``: a width or precision from an argument (None: the spec's)."""
    for what, n in (("width", width), ("precision", prec)):
        if n is not None and (type(n) is not int or n < 0):
            from ..errors import RuchyRuntimeError
            raise RuchyRuntimeError(f"type error: format {what} must be an int >= 0, "
                                    f"found {display(n)}")
    return format_value(v, s, width, prec)


# ---- format strings ------------------------------------------------------------------

Piece = Union[str, tuple[Arg, Spec]]


def parse_format(fmt: str) -> list[Piece]:
    """Split a format string into text and holes ``(arg, spec)``; arg is a positional index
    or a name (``{x}``: a named argument or a variable in scope). ``{{``/``}}`` are
    braces. A ``{:.*}`` takes its precision from the next positional argument (its
    ``prec_arg`` becomes that index) and its value from the one after."""
    pieces: list[Piece] = []
    buf: list[str] = []
    i, nxt = 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "{" and fmt.startswith("{{", i):
            buf.append("{")
            i += 2
        elif c == "}" and fmt.startswith("}}", i):
            buf.append("}")
            i += 2
        elif c == "{":
            end = fmt.find("}", i)
            if end < 0:
                raise FormatError("unclosed '{' in format string", i)
            inner = fmt[i + 1:end]
            name, _, spec = inner.partition(":")  # no spaces: `{ x }` is not a hole
            if buf:
                pieces.append("".join(buf))
                buf = []
            try:
                parsed = parse_spec(spec)
            except FormatError as e:
                raise FormatError(str(e), i) from None
            if parsed.prec_arg == "*":
                parsed = _with(parsed, prec_arg=nxt)
                nxt += 1
            if name == "":
                pieces.append((nxt, parsed))
                nxt += 1
            elif name.isdigit():
                pieces.append((int(name), parsed))
            elif name.isidentifier():
                pieces.append((name, parsed))
            else:
                raise FormatError(f"invalid placeholder '{{{inner}}}'", i)
            i = end + 1
        elif c == "}":
            raise FormatError("unmatched '}' in format string (write '}}')", i)
        else:
            buf.append(c)
            i += 1
    if buf:
        pieces.append("".join(buf))
    return pieces


def _with(s: Spec, **changes: Any) -> Spec:
    from dataclasses import replace
    return replace(s, **changes)


def has_placeholders(fmt: str) -> bool:
    """Whether a string used as the first ``println`` argument is a format string."""
    return "{" in fmt or "}" in fmt
