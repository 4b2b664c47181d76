"""Chars in the IR: ``%c = char "a"`` (a Ruchy ``char``: the runtime's Char, as at
tier 0, so it prints ``a`` and debugs ``'a'``) and the pattern tests on chars,
``is_char "a", %x`` and ``char_range "a", "z", %x`` (inclusive; a value that is not
a char never matches, as tier 0's ``type(x) is Char and ..``).

A char is not one of the IR's literals (a string immediate is a ``str``), so ``char``
does not fold to a constant: it is ``pure`` and gvn, licm and dce treat it so.
"""
from __future__ import annotations

from typing import Any

from ..runtime.aggregates import Char
from .opdef import NO_FOLD, PURE, define
from .types import ParamType, register_type


@register_type
class CharType(ParamType):
    """``char<>``: the type of chars (the runtime's Char). No parameters: the ``<>``
    makes it a parametric type, as ``ordering<>``; values of it are made by ``char``
    and are ``any`` where the IR does not know better."""

    keyword = "char"
    kind = "char"

    def runtime_test(self, env: Any) -> Any:
        return lambda v: type(v) is Char

    def verify(self, module: Any) -> Any:
        return None if not self.params else f"char<> takes no types, got {len(self.params)}"


CHAR = CharType()


def _char(text: str) -> Any:
    return Char(text)


def _is_char(c: str, v: Any) -> bool:
    return type(v) is Char and v == c


def _char_range(lo: str, hi: str, v: Any) -> bool:
    return type(v) is Char and lo <= v <= hi


Char_ = define("char", _char, traits=(PURE,), imms=("str",),
               doc="a char literal (the text is one character)")
Char_.fold = classmethod(lambda cls, imms, args: NO_FOLD)  # (a Char is not a literal)
define("is_char", _is_char, traits=(PURE,), operands=1, imms=("str",), result_type="bool",
       doc="match pattern test: a char equal to the immediate")
define("char_range", _char_range, traits=(PURE,), operands=1, imms=("str", "str"),
       result_type="bool", doc="match pattern test: a char in lo..=hi")

__all__ = ["CHAR", "CharType"]
