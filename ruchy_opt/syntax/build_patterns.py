"""Builder callbacks for patterns (match arms, `let`, `if let`, `while let`, `for`,
parameters, closure parameters, `matches!`).

Imported only when a parser is built (it imports lark)."""
from __future__ import annotations

import re

from lark import Token

from ..errors import RuchySyntaxError
from . import ast as A
from .builder import _parse_int, parse_float, tok_span
from .strings import decode_string


def _has(ch: tuple, type_: str) -> bool:
    return any(type(c) is Token and c.type == type_ for c in ch)


def _pats(ch: tuple) -> list:
    return [c for c in ch if isinstance(c, A.Node)]


def _path_of(head) -> str:
    return head.path if isinstance(head, A.PathPat) else str(head)


#: A CHAR token that is a char literal (one character or escape); any other CHAR token
#: is a Ruchy single-quoted string ('ab', '': ruchy.lark).
_ONE_CHAR = re.compile(r"'(\\u\{[0-9a-fA-F]{1,6}\}|\\.|[^'\\\n])'")


def is_char(tok) -> bool:
    """Whether a CHAR token is a char literal rather than a single-quoted string."""
    return _ONE_CHAR.fullmatch(tok.value) is not None


def char_value(tok) -> str:
    """The character of a CHAR token (`'a'`, `'\\n'`, `'\\u{1F600}'`)."""
    value = decode_string(tok.value[1:-1], tok)
    if len(value) != 1:
        raise RuchySyntaxError("a char literal holds one character", tok_span(tok))
    return value


#: The integer types' bounds, which a range pattern may name (`i64::MIN..=-1`).
_INT_BOUNDS = {f"{t}{b}::{m}": v for b in (8, 16, 32, 64, 128)
               for t, m, v in (("i", "MIN", -2 ** (b - 1)), ("i", "MAX", 2 ** (b - 1) - 1),
                               ("u", "MIN", 0), ("u", "MAX", 2 ** b - 1))}
_INT_BOUNDS.update({"isize::MIN": -2 ** 63, "isize::MAX": 2 ** 63 - 1, "usize::MIN": 0,
                    "usize::MAX": 2 ** 64 - 1, "char::MAX": "\U0010FFFF"})


def _int_const(path: A.PathPat):
    """The value of an integer type's MIN or MAX named as a range pattern's bound."""
    if path.path not in _INT_BOUNDS:
        raise RuchySyntaxError("a range pattern's bounds must be literals or an integer "
                               "type's MIN/MAX", path.span)
    return _INT_BOUNDS[path.path]


class PatternRules:
    """One callback per pattern rule of ruchy.lark (see builder.py for the protocol)."""

    def pat_alts(self, meta, *ch):
        return _pats(ch)

    def pat_elem(self, meta, *ch):
        alts = _pats(ch)
        return alts[0] if len(alts) == 1 else A.OrPat(alts, span=meta)

    def pat_int(self, meta, tok):
        return A.Pattern("int", _parse_int(str(tok), tok), span=meta)

    def pat_neg_int(self, meta, _m, tok):
        return A.Pattern("int", -_parse_int(str(tok), tok), span=meta)

    def pat_float(self, meta, tok):
        return A.Pattern("float", parse_float(tok.value), span=meta)

    def pat_neg_float(self, meta, _m, tok):
        return A.Pattern("float", -parse_float(tok.value), span=meta)

    def pat_str(self, meta, tok):
        return A.Pattern("str", decode_string(str(tok)[1:-1], tok), span=meta)

    def pat_char(self, meta, tok):
        if not is_char(tok):  # Ruchy's 'text'
            return A.Pattern("str", decode_string(tok.value[1:-1], tok), span=meta)
        return A.Pattern("char", char_value(tok), span=meta)

    def pat_true(self, meta, tok):
        return A.Pattern("bool", True, span=meta)

    def pat_false(self, meta, tok):
        return A.Pattern("bool", False, span=meta)

    def pat_name(self, ch):  # raw: NAME
        tok = ch[0]
        sp = tok_span(tok)
        if tok.value == "_":
            return A.Pattern("wild", span=sp)
        return A.Pattern("bind", tok.value, span=sp)
    pat_name.raw = True

    def pat_bind(self, meta, *ch):
        name = next(c for c in ch if type(c) is Token and c.type == "NAME")
        sub = next((c for c in ch if isinstance(c, A.Node)), None)
        if isinstance(sub, A.RestPat):
            return A.RestPat(str(name), span=meta)  # `rest @ ..` in a slice pattern
        return A.Pattern("bind", str(name), mutable=_has(ch, "MUT"), by_ref=_has(ch, "REF"),
                         sub=sub, span=meta)

    def range_bound(self, meta, *ch):
        if isinstance(ch[0], A.PathPat):
            return _int_const(ch[0])
        if ch[0].type == "CHAR":
            return char_value(ch[0])
        return -_parse_int(str(ch[1]), ch[1]) if len(ch) == 2 else _parse_int(str(ch[0]), ch[0])

    def pat_range(self, meta, lo, op, hi):
        if isinstance(lo, str) != isinstance(hi, str):
            raise RuchySyntaxError("a range pattern's bounds must both be chars or both ints", meta)
        return A.Pattern("range", lo, hi, str(op) == "..=", span=meta)

    def pat_range_from(self, meta, lo, op):
        return A.Pattern("range", lo, None, True, span=meta)

    def pat_range_to(self, meta, op, hi):
        return A.Pattern("range", None, hi, True, span=meta)

    def pat_rest(self, meta, _dots, name=None):  # `..`, and the reference's `..rest`
        return A.RestPat(str(name) if name is not None else None, span=meta)

    def pat_path(self, meta, *ch):
        return A.PathPat("::".join(str(c) for c in ch if type(c) is Token), span=meta)

    def pat_tuple_struct(self, meta, head, *ch):
        return A.TupleStructPat(_path_of(head), _pats(ch), span=meta)

    def pat_struct(self, meta, head, *ch):
        fields = [c for c in ch if isinstance(c, A.FieldPat)]
        return A.StructPat(_path_of(head), fields, _has(ch, "DOTDOT"), span=meta)

    def pat_object(self, meta, *ch):
        """Ruchy's ``{ name: "Bob", age, .. }``: a struct pattern that names no type (path
        ``""``); it matches an object, or a struct or variant value, having the fields."""
        fields = [c for c in ch if isinstance(c, A.FieldPat)]
        return A.StructPat("", fields, _has(ch, "DOTDOT"), span=meta)

    def field_pat(self, meta, name, pat):
        return A.FieldPat(str(name), pat, span=meta)

    def field_pat_short(self, meta, *ch):
        name = ch[-1]
        bind = A.Pattern("bind", str(name), mutable=_has(ch, "MUT"), by_ref=_has(ch, "REF"),
                         span=meta)
        return A.FieldPat(str(name), bind, span=meta)

    def pat_unit(self, meta, *ch):
        return A.TuplePat([], span=meta)

    def pat_paren(self, meta, pat):
        return pat

    def pat_tuple(self, meta, *ch):
        return A.TuplePat(_pats(ch), span=meta)

    def pat_slice(self, meta, *ch):
        return A.SlicePat(_pats(ch), span=meta)

    def pat_ref(self, meta, *ch):
        return A.RefPat(ch[-1], span=meta)

    def pat_ref_ref(self, meta, *ch):
        return A.RefPat(A.RefPat(ch[-1], span=meta), span=meta)
