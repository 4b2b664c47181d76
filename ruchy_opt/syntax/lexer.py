"""lark's basic lexer with a tighter token loop.

Lexing was about a third of parsing. lark's ``BasicLexer.next_token`` runs per token a
few Python calls (the scanner's ``match``, ``LineCounter.feed``, ``Token.__new__`` and
its keyword handling), and every run of white space goes through the same loop as a
token, after the scanner's regex has tried the seven terminals listed before it. This
subclass keeps everything that decides *what* the tokens are — lark's scanner (one
regex of all terminals, in lark's priority order), its ignore and newline sets, the
terminal callbacks and its ``UnexpectedCharacters`` error — and only runs the loop
with local variables, skipping white space with one regex before asking the scanner.

Skipping white space first gives the same tokens: no terminal of the grammar starts
with a white-space character, so at such a position the scanner could only have
matched the ignored ``WS`` terminal, and it would have matched the same run.

The tokens then pass through layout.py, which adds what the grammar cannot see
(virtual statement ends, struct-literal braces, split ``>>``).

This module imports lark; it is imported only when a parser is built (parser.py).
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from lark.exceptions import LexError, UnexpectedCharacters
from lark.lexer import BasicLexer, LexerState, Token

from .layout import layout

#: White space, then what can begin an expression (not `+= x`, `- x`, `== x`, `.f()`).
_EXPR_AFTER = r"[ \t]+(?![-&|]=|[-&|][ \t\n])[A-Za-z_0-9\"'(\[{!&|-]"

#: Ruchy's words that are names elsewhere, and the text that must follow one for it to be
#: a keyword (ruchy.lark declares their token types): `var x =`, `module m {`,
#: `import a`, `try {`, `catch e`, `finally {`, `throw e`, `requires c`, `ensures c`.
#: Deciding here, for NAME tokens only, keeps them out of the scanner's regex, which
#: every token would otherwise try them against.
_AFTER_WORD = {
    "var": ("VAR", r"[ \t]+(mut[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*(:[^=\n]*)?=[^=>]"),
    "module": ("MODULE", r"\s+[A-Za-z_][A-Za-z0-9_]*\s*\{"),
    "import": ("IMPORT", r"[ \t]+[A-Za-z_{]"),
    "try": ("TRY", r"\s*\{"),
    "catch": ("CATCH", r"\s*[A-Za-z_(]"),
    "finally": ("FINALLY", r"\s*\{"),
    "throw": ("THROW", _EXPR_AFTER),
    "requires": ("REQUIRES", _EXPR_AFTER),
    "ensures": ("ENSURES", _EXPR_AFTER),
}
CONTEXTUAL = {w: (t, re.compile(p).match) for w, (t, p) in _AFTER_WORD.items()}

#: Name of the grammar's white-space terminal (ruchy.lark: ``%ignore WS``).
WS = "WS"

_new_str = str.__new__


class RuchyLexer(BasicLexer):
    """``BasicLexer`` with a faster ``lex`` (same tokens, positions and errors)."""

    # lark's custom-lexer protocol: 2 means lex(lexer_state, parser_state) as here.
    __future_interface__ = 2

    def lex(self, state: LexerState, parser_state: Any) -> Iterator[Token]:
        """The tokens, with the statement ends and braces of layout.py added."""
        return layout(self._scan(state, parser_state))

    def _scan(self, state: LexerState, parser_state: Any) -> Iterator[Token]:
        scanner = self.scanner
        if len(scanner._mres) != 1 or self.use_bytes:  # pragma: no cover - not this grammar
            yield from super().lex(state, parser_state)
            return
        match = scanner._mres[0].match
        ws_match = None
        if WS in self.ignore_types and WS not in self.callback:
            ws_match = self.re.compile(self.terminals_by_name[WS].pattern.to_regexp(),
                                       self.g_regex_flags).match
        ignore = self.ignore_types
        newline_types = self.newline_types
        callbacks = self.callback
        contextual = CONTEXTUAL

        text_slice = state.text
        text, end = text_slice.text, text_slice.end
        ctr = state.line_ctr
        pos, line, line_start = ctr.char_pos, ctr.line, ctr.line_start_pos
        last = state.last_token
        while pos < end:
            if ws_match is not None:
                m = ws_match(text, pos, end)
                if m is not None:
                    value = m.group()
                    nl = value.count("\n")
                    if nl:
                        line += nl
                        line_start = pos + value.rindex("\n") + 1
                    pos += len(value)
                    continue
            m = match(text, pos, end)
            if m is None:
                col = pos - line_start + 1
                ctr.char_pos, ctr.line, ctr.column, ctr.line_start_pos = pos, line, col, line_start
                state.last_token = last
                allowed = scanner.allowed_types - ignore
                if not allowed:
                    allowed = {"<END-OF-FILE>"}
                raise UnexpectedCharacters(text, pos, line, col, allowed=allowed,
                                           token_history=last and [last], state=parser_state,
                                           terminals_by_name=self.terminals_by_name)
            value = m.group()
            type_ = m.lastgroup
            start, start_line, start_col = pos, line, pos - line_start + 1
            if type_ in newline_types:
                nl = value.count("\n")
                if nl:
                    line += nl
                    line_start = pos + value.rindex("\n") + 1
            pos += len(value)
            if type_ == "NAME" and value in contextual:
                kw, follows = contextual[value]
                if follows(text, pos, end) is not None:
                    type_ = kw
            ignored = type_ in ignore
            if ignored and type_ not in callbacks:
                continue
            # The token, built as Token(type_, value, start, line, column) would (without
            # the keyword-argument handling of Token.__new__).
            t = _new_str(Token, value)
            t.type = type_
            t.value = value
            t.start_pos = start
            t.line = start_line
            t.column = start_col
            t.end_line = line
            t.end_column = pos - line_start + 1
            t.end_pos = pos
            if type_ in callbacks:
                # Keep the counter current: a callback may raise, or look at it.
                ctr.char_pos, ctr.line, ctr.line_start_pos = pos, line, line_start
                ctr.column = pos - line_start + 1
                t = callbacks[type_](t)
                if not ignored and not isinstance(t, Token):
                    raise LexError("Callbacks must return a token (returned %r)" % t)
            if not ignored:
                last = t
                yield t
        ctr.char_pos, ctr.line, ctr.column, ctr.line_start_pos = pos, line, pos - line_start + 1, line_start
        state.last_token = last
