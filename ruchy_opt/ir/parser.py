"""Read the textual IR (see printer.py for the syntax) back into a Module.

Errors are RuchySyntaxError with the position in the ``.ssa`` text, so the command line
reports ``FILE:LINE:COL: error: ...`` with a caret, as it does for Ruchy source. The
shape of each instruction (immediates, operand and successor counts) is checked here
against its op class, so a plugin op parses as soon as it is registered; the semantic
rules (dominance, types, arities of branches) are the verifier's.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from ..errors import RuchySyntaxError
from .core import Module
from .function_parser import FunctionParser
from .lexer import Token, tokenize
from .opdef import Sym
from .types import DECL_KINDS, SCALARS, TYPE_KINDS, IRType, NamedType, ScalarType

class _Parser:
    def __init__(self, text: str, positions: Optional[dict] = None) -> None:
        self.toks = tokenize(text)
        self.i = 0
        self.positions = positions if positions is not None else {}

    # ---- token helpers ----------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def error(self, msg: str, tok: Optional[Token] = None) -> RuchySyntaxError:
        t = tok or self.tok
        what = {"NL": "end of line", "EOF": "end of input"}.get(t.kind, f"'{t.text}'")
        return RuchySyntaxError(msg.replace("{found}", what), t.span)

    def next(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, kind: str, text: Optional[str] = None) -> Optional[Token]:
        t = self.tok
        if t.kind == kind and (text is None or t.text == text):
            self.i += 1
            return t
        return None

    def expect(self, kind: str, text: Optional[str] = None, what: str = "") -> Token:
        t = self.accept(kind, text)
        if t is None:
            raise self.error(f"expected {what or repr(text) or kind.lower()}, found {{found}}")
        return t

    def skip_newlines(self) -> None:
        while self.tok.kind == "NL":
            self.i += 1

    def end_of_line(self) -> None:
        if self.tok.kind != "EOF":
            self.expect("NL", what="end of line")

    # ---- module --------------------------------------------------------------------------

    def module(self) -> Module:
        m = Module()
        self.skip_newlines()
        if self.accept("WORD", "source"):
            m.source = self.string()
            self.end_of_line()
        while True:
            self.skip_newlines()
            t = self.tok
            if t.kind == "EOF":
                return m
            if self.accept("WORD", "global"):
                name = self.expect("SYM", what="a global name like @g")
                if name.text[1:] in m.globals:
                    raise self.error(f"global {name.text} is defined twice", name)
                self.expect("PUNCT", "=")
                m.add_global(name.text[1:], self.literal())
                self.end_of_line()
            elif t.kind == "WORD" and t.text in DECL_KINDS:
                self.i += 1
                name = self.expect("TYPEREF", what="a type name like !Point")
                if name.text[1:] in m.type_decls:
                    raise self.error(f"type {name.text} is declared twice", name)
                m.add_type_decl(DECL_KINDS[t.text].parse(self, name.text[1:]))
                self.end_of_line()
            elif self.accept("WORD", "impl"):
                from .traits import ImplDecl
                decl = ImplDecl.parse(self)
                if decl.key in m.impls:
                    what = f"{decl.trait} for " if decl.trait else ""
                    raise self.error(f"impl {what}!{decl.type_name} is declared twice", t)
                m.add_impl(decl)
                self.end_of_line()
            elif self.accept("WORD", "func"):
                f = FunctionParser(self, m).function()
                m.add_function(f)
            else:
                kinds = "".join(f"'{k}', " for k in DECL_KINDS)
                raise self.error(f"expected 'func', 'global', {kinds}'impl' or 'source', "
                                 "found {found}")

    # ---- literals ----------------------------------------------------------------------

    def string(self) -> str:
        t = self.expect("STRING", what="a string")
        try:
            return json.loads(t.text)
        except ValueError:
            raise self.error("invalid escape in string", t) from None

    def literal(self) -> Any:
        t = self.tok
        if t.kind == "STRING":
            return self.string()
        if t.kind == "SYM":
            self.i += 1
            return Sym(t.text[1:])
        if t.kind == "NUMBER":
            self.i += 1
            txt = t.text
            if txt.lstrip("-").isdigit():
                v = int(txt)
                if not -(2**63) <= v < 2**63:
                    raise self.error("integer literal does not fit in 64 bits", t)
                return v
            return float(txt)
        if t.kind == "WORD" and t.text in ("true", "false"):
            self.i += 1
            return t.text == "true"
        if t.kind == "PUNCT" and t.text == "(" and self.toks[self.i + 1].text == ")":
            self.i += 2
            return None
        raise self.error("expected a literal, found {found}")

    def type_name(self) -> IRType:
        """A type: a scalar word, ``keyword<params>`` (a registered parametric type) or
        ``!Name`` (a type declared in the module; the verifier checks it is)."""
        t = self.tok
        if t.kind == "TYPEREF":
            self.i += 1
            return NamedType(t.text[1:])
        t = self.expect("WORD", what="a type")
        if t.text in SCALARS:
            return ScalarType(t.text)
        kind = TYPE_KINDS.get(t.text)
        if kind is None:
            known = ", ".join([*SCALARS, *(f"{k}<..>" for k in TYPE_KINDS), "!Name"])
            raise self.error(f"unknown type '{t.text}' (types: {known})", t)
        self.expect("PUNCT", "<", f"'<' after '{t.text}'")
        try:
            return kind(*kind.parse_params(self))
        except (TypeError, ValueError) as e:  # a plugin type that rejects its parameters
            raise self.error(f"invalid type {t.text}<..>: {e}", t) from None


def parse_module(text: str, positions: Optional[dict] = None) -> Module:
    """Parse a whole ``.ssa`` text. Raises RuchySyntaxError with a position. If
    ``positions`` is given, it receives the span in the text of every function, block
    and instruction (for reporting verifier problems where they are)."""
    return _Parser(text, positions).module()
