"""Tokens of the textual IR, with their line and column (for error positions)."""
from __future__ import annotations

import re
from typing import Any

from ..errors import RuchySyntaxError
from ..syntax.ast import Span

_TOKEN = re.compile(r"""
    (?P<NL>\n) | (?P<WS>[ \t\r]+) | (?P<COMMENT>;[^\n]*)
  | (?P<LOC>loc\((?P<l>\d+):(?P<c>\d+)-(?:(?P<el>\d+):)?(?P<ec>\d+)\))
  | (?P<VALUE>%[A-Za-z0-9_.]+) | (?P<BLOCK>\^[A-Za-z0-9_.]+) | (?P<SYM>@[A-Za-z_][A-Za-z0-9_.:]*)
  | (?P<TYPEREF>![A-Za-z_][A-Za-z0-9_.:]*)
  | (?P<STRING>"(?:\\.|[^"\\\n])*")
  | (?P<NUMBER>-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+|inf\b)|nan\b)
  | (?P<WORD>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<PUNCT>->|[(){},=:<>])
""", re.VERBOSE)


class Token:
    """One token: kind (NL, LOC, VALUE, BLOCK, SYM, TYPEREF, STRING, NUMBER, WORD, PUNCT,
    EOF)."""

    __slots__ = ("kind", "text", "line", "col", "m")

    def __init__(self, kind: str, text: str, line: int, col: int, m: Any = None) -> None:
        self.kind, self.text, self.line, self.col, self.m = kind, text, line, col, m

    @property
    def span(self) -> Span:
        """Where the token is, for error messages."""
        return Span(self.line, self.col, self.line, self.col + max(1, len(self.text)))


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with EOF; raises RuchySyntaxError on a bad character."""
    out: list[Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = pos - line_start + 1
        if m is None:
            ch = text[pos]
            msg = "unterminated string" if ch == '"' else f"unexpected character {ch!r}"
            raise RuchySyntaxError(msg, Span(line, col, line, col + 1))
        kind = m.lastgroup if m.lastgroup in ("NL", "WS", "COMMENT") else \
            next(k for k in ("LOC", "VALUE", "BLOCK", "SYM", "TYPEREF", "STRING", "NUMBER", "WORD",
                      "PUNCT")
                 if m.group(k) is not None)
        if kind == "NL":
            out.append(Token("NL", "", line, col))
            line, line_start = line + 1, m.end()
        elif kind not in ("WS", "COMMENT"):
            out.append(Token(kind, m.group(kind), line, col, m))
        pos = m.end()
    out.append(Token("EOF", "", line, pos - line_start + 1))
    return out
