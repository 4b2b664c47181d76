"""Reading the session's inputs: when an input is complete, and where lines come from.

An input continues on the next line while a brace, bracket or parenthesis is open, a
string literal or a block comment is unterminated. That is decided by the Ruchy lexer
(the parser's own), so a ``{`` inside a string, a char or a comment opens nothing.
Lines come from a terminal (prompt_toolkit: line editing, history, the continuation
prompt; :mod:`repl.terminal`) or from a pipe (:class:`PipeReader`: read as typed, with
no prompt written).
"""
from __future__ import annotations

import sys
from typing import IO, Optional

_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}


def needs_more(text: str) -> bool:
    """Whether ``text`` is an unfinished input: a bracket still open, or a string or
    block comment that runs to its end. A command (``:...``) is one line. Anything else
    the lexer rejects is complete: the parser reports the error."""
    if text.lstrip().startswith(":"):
        return False
    from lark.exceptions import UnexpectedCharacters
    from ..errors import RuchySyntaxError
    from ..syntax.parser import _parser
    depth = 0
    try:
        for tok in _parser().lex(text):
            v = str(tok)
            if v in _OPEN:
                depth += 1
            elif v in _CLOSE:
                depth -= 1
    except UnexpectedCharacters as e:
        # a string literal that does not end before the end of the text
        return e.pos_in_stream < len(text) and text[e.pos_in_stream] == '"'
    except RuchySyntaxError as e:
        return e.message == "unterminated block comment"
    return depth > 0


class PipeReader:
    """Inputs from a stream that is not a terminal: lines gathered until complete, no
    prompt. ``line`` is the number of the last line read (for ``<repl>:N``)."""

    def __init__(self, stream: Optional[IO[str]] = None) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.line = 0

    def read(self) -> Optional[tuple[str, int]]:
        """The next input and the number of its first line; None at the end. An input
        left open at the end of the stream is returned as it is (the parser says what
        is missing)."""
        lines: list[str] = []
        first = self.line + 1
        while True:
            raw = self.stream.readline()
            if not raw:
                return ("\n".join(lines), first) if lines else None
            self.line += 1
            lines.append(raw.rstrip("\n").rstrip("\r"))
            text = "\n".join(lines)
            if not text.strip() and len(lines) == 1:
                return text, first
            if not needs_more(text):
                return text, first


__all__ = ["PipeReader", "needs_more"]
