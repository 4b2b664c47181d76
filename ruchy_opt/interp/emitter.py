"""A buffer of generated Python lines, each tagged with the Ruchy span it came from.

The tier-0 translator writes one Ruchy operation per Python line, so a Python
exception's line number (from its traceback) names the Ruchy operation that failed:
error positions cost nothing on the fast path.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..syntax.ast import NO_SPAN, Span


class Emitter:
    """Indented lines of Python source with a parallel list of source spans."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.spans: list[Span] = []
        self.depth = 0

    def emit(self, text: str, span: Span = NO_SPAN) -> None:
        self.lines.append("    " * self.depth + text)
        self.spans.append(span)

    def insert(self, at: int, text: str, span: Span = NO_SPAN, depth: int = -1) -> None:
        """Insert a line before line ``at`` (used to save an operand before code that
        was emitted after it could change it)."""
        d = self.depth if depth < 0 else depth
        self.lines.insert(at, "    " * d + text)
        self.spans.insert(at, span)

    @property
    def mark(self) -> int:
        return len(self.lines)

    @contextmanager
    def indented(self) -> Iterator[None]:
        self.depth += 1
        start = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == start:
                self.emit("pass")
            self.depth -= 1

    @contextmanager
    def capture(self) -> Iterator["Emitter"]:
        """Emit into a side buffer (same indentation); the caller may splice it in."""
        side = Emitter()
        side.depth = self.depth
        saved = self.lines, self.spans
        self.lines, self.spans = side.lines, side.spans
        try:
            yield side
        finally:
            self.lines, self.spans = saved

    def splice(self, side: "Emitter") -> None:
        self.lines.extend(side.lines)
        self.spans.extend(side.spans)
