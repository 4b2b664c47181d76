"""The text of a REPL session as one source file with many origins.

Every input typed at the prompt and every file ``:load`` reads is appended as a *chunk*
to one text, so that each has lines of its own in a single line space (the "virtual"
lines): a function defined ten inputs ago still has the positions it was parsed with,
and an error raised in it later (by tier 0, or by compiled code, whose diagnostics are
rendered when it is compiled) shows its source line. Diagnostics name the chunk's
origin and line (:meth:`SessionSource.position`): ``<repl>:N`` for the N-th line the
session read, ``FILE:N`` for a loaded file's own line N.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from ..errors import SourceFile

REPL_NAME = "<repl>"


@dataclass(frozen=True)
class Chunk:
    """Lines ``first .. first + count - 1`` of the session text came from ``origin``,
    where they are lines ``shown_first`` on."""

    first: int
    count: int
    origin: str
    shown_first: int


class SessionSource(SourceFile):
    """The session's text: every chunk, in the order they were added."""

    def __init__(self) -> None:
        super().__init__(REPL_NAME, "")
        self.chunks: list[Chunk] = []
        self._firsts: list[int] = []
        self._parts: list[str] = []

    @property
    def lines(self) -> int:
        """How many virtual lines the session has used."""
        return self.chunks[-1].first + self.chunks[-1].count - 1 if self.chunks else 0

    def add(self, text: str, origin: str = REPL_NAME, shown_first: int = 1) -> int:
        """Append ``text`` (its own lines) and return its first virtual line."""
        first = self.lines + 1
        body = text if text.endswith("\n") else text + "\n"
        self.chunks.append(Chunk(first, body.count("\n"), origin, shown_first))
        self._firsts.append(first)
        self._parts.append(body)
        self.text = "".join(self._parts)
        self._lines = None
        return first

    def padded(self, text: str, first: int) -> str:
        """``text`` preceded by blank lines so that the parser gives it virtual line
        numbers from ``first`` on (a blank line costs the lexer nothing)."""
        return "\n" * (first - 1) + text

    def position(self, n: int) -> tuple[str, int]:
        i = bisect.bisect_right(self._firsts, n) - 1
        if i < 0:
            return self.name, n
        c = self.chunks[i]
        return c.origin, c.shown_first + n - c.first


__all__ = ["Chunk", "REPL_NAME", "SessionSource"]
