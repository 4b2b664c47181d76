"""String literal escapes and f-string splitting (positions reported in file coordinates)."""
from __future__ import annotations

from typing import Any, Union

from ..errors import RuchySyntaxError
from .ast import Span

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "'": "'", "0": "\0",
            "{": "{", "}": "}"}


def _pos(tok: Any, raw: str, i: int, prefix: int) -> Span:
    """The file position of ``raw[i]`` where raw starts ``prefix`` characters into ``tok``."""
    before = raw[:i]
    nl = before.count("\n")
    if nl:
        col = i - before.rfind("\n")
        return Span(tok.line + nl, col, tok.line + nl, col + 1)
    col = tok.column + prefix + i
    return Span(tok.line, col, tok.line, col + 1)


def _escape(raw: str, i: int, tok: Any, prefix: int) -> tuple[str, int]:
    """Decode the escape at ``raw[i] == '\\'``; return (text, index after it)."""
    c = raw[i + 1] if i + 1 < len(raw) else ""
    if c in _ESCAPES:
        return _ESCAPES[c], i + 2
    if c == "u" and raw[i + 2:i + 3] == "{":
        end = raw.find("}", i + 3)
        digits = raw[i + 3:end] if end > 0 else ""
        try:
            return chr(int(digits, 16)), end + 1
        except (ValueError, OverflowError):
            pass
    if c == "x" and len(raw) >= i + 4 and raw[i + 2] in "01234567" \
            and raw[i + 3] in "0123456789abcdefABCDEF":
        return chr(int(raw[i + 2:i + 4], 16)), i + 4  # Rust's ASCII escape: "\x41" is "A"
    if c == "":
        raise RuchySyntaxError("a string cannot end in a lone '\\'", _pos(tok, raw, i, prefix))
    # Any other escape stays as it is written (`"\x"` is a backslash and an x), as the
    # reference implementation's lexer keeps it.
    return "\\" + c, i + 2


def decode_string(raw: str, tok: Any, prefix: int = 1) -> str:
    """The value of a string literal whose text between the quotes is ``raw``."""
    if "\\" not in raw:
        return raw
    out, i = [], 0
    while i < len(raw):
        if raw[i] == "\\":
            s, i = _escape(raw, i, tok, prefix)
            out.append(s)
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


Hole = tuple[str, int, int, str]  # (expression source, line, column, format spec)


def split_fstring(raw: str, tok: Any) -> list[Union[str, Hole]]:
    """Split the inside of ``f"..."`` into literal text and holes ``{expr[:spec]}``."""
    prefix = 2  # f"
    parts: list[Union[str, Hole]] = []
    text: list[str] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c == "\\":
            s, i = _escape(raw, i, tok, prefix)
            text.append(s)
        elif c == "{" and raw[i + 1:i + 2] == "{":
            text.append("{")
            i += 2
        elif c == "}" and raw[i + 1:i + 2] == "}":
            text.append("}")
            i += 2
        elif c == "{":
            end = _matching_brace(raw, i)
            if end < 0:
                raise RuchySyntaxError("unclosed '{' in f-string", _pos(tok, raw, i, prefix))
            inner = raw[i + 1:end]
            expr, spec = _split_spec(inner)
            if not expr.strip():
                raise RuchySyntaxError("empty '{}' in f-string", _pos(tok, raw, i, prefix))
            if text:
                parts.append("".join(text))
                text = []
            sp = _pos(tok, raw, i + 1, prefix)
            parts.append((expr, sp.line, sp.col, spec))
            i = end + 1
        elif c == "}":
            raise RuchySyntaxError("unmatched '}' in f-string (write '}}')",
                                   _pos(tok, raw, i, prefix))
        else:
            text.append(c)
            i += 1
    if text:
        parts.append("".join(text))
    return parts


def _matching_brace(raw: str, i: int) -> int:
    depth, j, quote = 0, i, False
    while j < len(raw):
        c = raw[j]
        if quote:
            if c == "\\":
                j += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
        elif c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
            if depth == 0:
                return j if c == "}" else -1
        j += 1
    return -1


def _split_spec(inner: str) -> tuple[str, str]:
    """``x + 1:.2`` -> (``x + 1``, ``.2``); a ``::`` path is not a spec separator."""
    depth, j = 0, 0
    while j < len(inner):
        c = inner[j]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ":" and depth == 0:
            if inner[j + 1:j + 2] == ":":
                j += 2
                continue
            return inner[:j], inner[j + 1:]
        j += 1
    return inner, ""
