"""Format strings (``println("{} {:.2}", a, b)``) and format specs, as in Rust's ``format!``.

Spec grammar: ``[[fill]align][sign][0][width][.precision][type]`` where align is
``<``, ``^`` or ``>``, type is ``?`` (debug), ``x``, ``X``, ``o``, ``b`` or ``e``.
``{:.N}`` formats any number with N decimals (an int too, see LANGUAGE.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional, Union

from .values import debug, display, fmt_float, pretty

_SPEC = re.compile(r"^(?:(?P<fill>.)?(?P<align>[<^>]))?(?P<sign>\+)?(?P<alt>#)?(?P<zero>0)?"
                   r"(?P<width>\d+)?(?:\.(?P<prec>\d+))?(?P<type>[?xXobe]?)$", re.S)


class FormatError(ValueError):
    """A malformed format string; ``offset`` is where in the string."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Spec:
    """A parsed format spec."""

    fill: str = " "
    align: str = ""
    sign: bool = False
    zero: bool = False
    width: int = 0
    prec: Optional[int] = None
    type: str = ""
    #: ``#``: pretty debug (``{:#?}``), ``0x``/``0o``/``0b`` prefixes
    alt: bool = False


PLAIN = Spec()
DEBUG = Spec(type="?")


def parse_spec(spec: str) -> Spec:
    """Parse the part after ``:`` in ``{:...}``; raises FormatError."""
    if not spec:
        return PLAIN
    m = _SPEC.match(spec)
    if not m:
        raise FormatError(f"unknown format spec ':{spec}'")
    return Spec(m["fill"] or " ", m["align"] or "", bool(m["sign"]), bool(m["zero"]),
                int(m["width"] or 0), int(m["prec"]) if m["prec"] is not None else None,
                m["type"] or "", bool(m["alt"]))


def format_value(v: Any, s: Spec) -> str:
    """Format one value by a spec."""
    if s is PLAIN:
        return display(v)
    t, numeric = type(v), type(v) in (int, float)
    if s.type != "?" and getattr(t, "_display", None) is not None:
        return display(v)  # a Display impl writing with write! ignores width, as in Rust
    if s.type == "?":
        body = pretty(v) if s.alt else debug(v)
    elif s.type in ("x", "X", "o", "b") and t is int:
        body = format(v, ("#" if s.alt else "") + s.type)
        if s.alt and s.type == "X":
            body = "0x" + body[2:]
    elif s.type == "e" and numeric:
        body = format(float(v), "e").replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
    elif s.prec is not None and numeric:
        x = float(v)
        body = fmt_float(x) if x != x or x in (float("inf"), float("-inf")) \
            else format(x, f".{s.prec}f")
    elif s.prec is not None and t is str:
        body = v[:s.prec]
    else:
        body = display(v)
    if s.sign and numeric and not body.startswith("-"):
        body = "+" + body
    if len(body) >= s.width:
        return body
    if s.zero and numeric and not s.align:
        sign = body[0] if body[:1] in "+-" else ""
        return sign + body[len(sign):].rjust(s.width - len(sign), "0")
    align = s.align or (">" if numeric else "<")
    pad = s.width - len(body)
    if align == "<":
        return body + s.fill * pad
    if align == ">":
        return s.fill * pad + body
    return s.fill * (pad // 2) + body + s.fill * (pad - pad // 2)


Piece = Union[str, tuple[Union[int, str], Spec]]


def parse_format(fmt: str) -> list[Piece]:
    """Split a format string into text and holes ``(arg, spec)``; arg is a positional index
    or a variable name (``{x}``). ``{{``/``}}`` are braces."""
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
            name, _, spec = inner.partition(":")
            name = name.strip()
            if buf:
                pieces.append("".join(buf))
                buf = []
            try:
                parsed = parse_spec(spec)
            except FormatError as e:
                raise FormatError(str(e), i) from None
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


def has_placeholders(fmt: str) -> bool:
    """Whether a string used as the first ``println`` argument is a format string."""
    return "{" in fmt or "}" in fmt
