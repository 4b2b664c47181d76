"""The methods of ``char`` (LANGUAGE.md, Level 3), with Rust's meaning.

A char is :class:`~ruchy_opt.runtime.aggregates.Char`, a str of one character. A plain
one-character str is accepted as a receiver too (older string methods such as
``chars()`` may still hand out plain strs). Rust's Unicode properties are approximated
with Python's ``unicodedata`` where the two differ (``is_numeric`` is the N* general
categories, ``is_whitespace`` the White_Space property).
"""
from __future__ import annotations

import unicodedata
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Char, Some
from .values import kind

#: Unicode's White_Space property (Rust's char::is_whitespace); Python's isspace also
#: counts the separators U+001C..U+001F, which Rust does not.
_WHITESPACE = frozenset("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                        "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_HEX = frozenset("0123456789abcdefABCDEF")


def _char(name: str, c: Any) -> str:
    t = type(c)
    if t is Char or (t is str and len(c) == 1):
        return c
    raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(c)}")


def to_digit(c: Any, radix: Any = 10) -> Any:
    """``c.to_digit(radix)``: ``Some(value)`` of an ASCII digit or letter below the
    radix, else ``None``."""
    ch = _char("to_digit", c)
    if type(radix) is not int or not 2 <= radix <= 36:
        raise RuchyRuntimeError(f"to_digit: radix must be between 2 and 36, found {radix!r}")
    o = ord(ch)
    if 48 <= o <= 57:
        d = o - 48
    elif 97 <= o <= 122:
        d = o - 87
    elif 65 <= o <= 90:
        d = o - 55
    else:
        return NONE
    return Some(d) if d < radix else NONE


def is_digit(c: Any, radix: Any = 10) -> bool:
    return to_digit(c, radix) is not NONE


def _pred(name: str, f: Callable[[str], bool]) -> Callable[[Any], bool]:
    def m(c: Any) -> bool:
        return f(_char(name, c))
    m.__name__ = name
    return m


def _numeric(ch: str) -> bool:
    return unicodedata.category(ch) in ("Nd", "Nl", "No")


def _alphabetic(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch) == "Nl"


def _ascii_or_str(name: str, f: Callable[[str], str]) -> Callable[[Any], Any]:
    """``to_ascii_uppercase`` and friends: a char gives a char, a string a string."""
    def m(c: Any) -> Any:
        t = type(c)
        if t is Char:
            return Char(f(c))
        if t is str:
            return f(c)
        raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(c)}")
    m.__name__ = name
    return m


def _ascii_map(upper: bool) -> Callable[[str], str]:
    def f(s: str) -> str:
        return "".join((ch.upper() if upper else ch.lower()) if ch < "\x80" else ch for ch in s)
    return f


def case(name: str, f: Callable[[str], str]) -> Callable[[Any], str]:
    """``to_uppercase``/``to_lowercase`` of a char or a string: the text (a char's
    iterator of chars prints and collects as this text)."""
    def m(c: Any) -> str:
        if type(c) is Char or type(c) is str:
            return f(c)
        raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(c)}")
    m.__name__ = name
    return m


def eq_ignore_ascii_case(a: Any, b: Any) -> bool:
    low = _ascii_map(False)
    if isinstance(a, str) and isinstance(b, str):
        return low(a) == low(b)
    raise RuchyRuntimeError(f"type error: eq_ignore_ascii_case expects text, found {kind(a)}")


def is_ascii(c: Any) -> bool:
    if isinstance(c, str):
        return c.isascii()
    raise RuchyRuntimeError(f"type error: no method 'is_ascii' on {kind(c)}")


def len_utf8(c: Any) -> int:
    return len(_char("len_utf8", c).encode("utf-8"))


#: Char methods by name (registered in methods.METHODS).
METHODS: dict[str, Callable[..., Any]] = {
    "to_digit": to_digit,
    "is_digit": is_digit,
    "is_alphabetic": _pred("is_alphabetic", _alphabetic),
    "is_numeric": _pred("is_numeric", _numeric),
    "is_alphanumeric": _pred("is_alphanumeric", lambda ch: _alphabetic(ch) or _numeric(ch)),
    "is_whitespace": _pred("is_whitespace", lambda ch: ch in _WHITESPACE),
    "is_uppercase": _pred("is_uppercase", str.isupper),
    "is_lowercase": _pred("is_lowercase", str.islower),
    "is_control": _pred("is_control", lambda ch: unicodedata.category(ch) == "Cc"),
    "is_ascii_digit": _pred("is_ascii_digit", lambda ch: "0" <= ch <= "9"),
    "is_ascii_hexdigit": _pred("is_ascii_hexdigit", lambda ch: ch in _HEX),
    "is_ascii_alphabetic": _pred("is_ascii_alphabetic",
                                 lambda ch: "a" <= ch <= "z" or "A" <= ch <= "Z"),
    "is_ascii_alphanumeric": _pred("is_ascii_alphanumeric", lambda ch: "a" <= ch <= "z"
                                   or "A" <= ch <= "Z" or "0" <= ch <= "9"),
    "is_ascii_uppercase": _pred("is_ascii_uppercase", lambda ch: "A" <= ch <= "Z"),
    "is_ascii_lowercase": _pred("is_ascii_lowercase", lambda ch: "a" <= ch <= "z"),
    "is_ascii_punctuation": _pred("is_ascii_punctuation", lambda ch: ch in _PUNCT),
    "is_ascii_graphic": _pred("is_ascii_graphic", lambda ch: "!" <= ch <= "~"),
    "is_ascii_whitespace": _pred("is_ascii_whitespace", lambda ch: ch in " \t\n\x0c\r"),
    "is_ascii_control": _pred("is_ascii_control", lambda ch: ch < " " or ch == "\x7f"),
    "is_ascii": is_ascii,
    "to_ascii_uppercase": _ascii_or_str("to_ascii_uppercase", _ascii_map(True)),
    "to_ascii_lowercase": _ascii_or_str("to_ascii_lowercase", _ascii_map(False)),
    "to_uppercase": case("to_uppercase", str.upper),
    "to_lowercase": case("to_lowercase", str.lower),
    "eq_ignore_ascii_case": eq_ignore_ascii_case,
    "len_utf8": len_utf8,
}

RESULT_KINDS: dict[str, str] = {
    **{n: "bool" for n in METHODS if n.startswith("is_")},
    "eq_ignore_ascii_case": "bool", "len_utf8": "int", "to_uppercase": "str",
    "to_lowercase": "str",
}
