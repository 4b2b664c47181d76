"""Errors in Ruchy programs and how they are shown: ``file:line:col: error: message``,
the source line, and a caret under the position."""
from __future__ import annotations

from typing import Optional

from .syntax.ast import NO_SPAN, Span


class RuchyError(Exception):
    """An error in the user's program (syntax, type or runtime), with its position."""

    kind = "error"

    def __init__(self, message: str, span: Optional[Span] = None) -> None:
        super().__init__(message)
        self.message = message
        self.span = span or NO_SPAN


class RuchySyntaxError(RuchyError):
    """Raised before anything runs."""


class RuchyRuntimeError(RuchyError):
    """Raised while the program runs (division by zero, overflow, bounds, ...)."""


class SourceFile:
    """A named source text, kept for rendering diagnostics."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._lines: Optional[list[str]] = None

    def line(self, n: int) -> str:
        """Line ``n`` (1-based) without its newline, or '' if out of range."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[n - 1].rstrip("\r") if 0 < n <= len(self._lines) else ""

    def position(self, n: int) -> tuple[str, int]:
        """The file name and line number a diagnostic shows for line ``n``: this file's
        own (a REPL session's source maps its lines to the inputs and files they came
        from: repl/source.py)."""
        return self.name, n


def render(err: RuchyError, src: SourceFile) -> str:
    """The full diagnostic for ``err``: location line, source line and caret."""
    sp = err.span
    if not sp.line:
        return f"{src.name}: error: {err.message}\n"
    name, shown = src.position(sp.line)
    text = src.line(sp.line)
    caret_col = max(1, sp.col)
    # Keep tabs in the padding so the caret lines up under tab-indented source.
    pad = "".join("\t" if ch == "\t" else " " for ch in text[: caret_col - 1])
    width = 1
    if sp.end_line == sp.line and sp.end_col > sp.col:
        width = min(sp.end_col - sp.col, max(1, len(text) - caret_col + 1))
    return (f"{name}:{shown}:{sp.col}: error: {err.message}\n"
            f"{text}\n{pad}^{'~' * (width - 1)}\n")


def undecodable(path: str, raw: bytes, start: int) -> RuchySyntaxError:
    """The error of a source file that is not UTF-8: at the line and column (in
    characters) of its first bad byte, carrying the text to show (``source``: the bad
    bytes replaced), since no SourceFile of the program exists."""
    line_start = raw.rfind(b"\n", 0, start) + 1
    line = raw.count(b"\n", 0, start) + 1
    col = len(raw[line_start:start].decode("utf-8", "replace")) + 1
    err = RuchySyntaxError(f"source is not valid UTF-8 (byte 0x{raw[start]:02x})",
                           Span(line, col, line, col + 1))
    err.source = SourceFile(path, raw.decode("utf-8", "replace"))  # type: ignore[attr-defined]
    return err
