"""Map keys and set elements (runtime/collections.py): the Python key of a Ruchy value,
and the order of keys (Rust's ``Ord``, runtime/ops.cmp).

Ints, floats, bools, strings, chars, tuples of those, structs and enum values (which
runtime/aggregates.py hashes by content) are their own Python keys; anything else (an
array, a tuple holding an array, a collection) is wrapped in :class:`Key`, which hashes
and compares by content. A stored key is a copy of the value inserted (``held``): a
later change to the original does not reach the map.
"""
from __future__ import annotations

import functools
from typing import Any

from ..errors import RuchyRuntimeError
from .aggregates import IMMUTABLE, Cell, Char, Struct, Variant
from .values import cp

_SIMPLE = frozenset({int, float, bool, str, Char})


class Key:
    """A map key or set element that Python cannot hash as Ruchy compares it (an array,
    a tuple holding one...): hashes by content (ops.hash_key) and compares with ops.eq."""

    __slots__ = ("v", "h")

    def __init__(self, v: Any) -> None:
        from .ops import hash_key
        self.v = v
        self.h = hash(hash_key(v))

    def __hash__(self) -> int:
        return self.h

    def __eq__(self, other: object) -> bool:
        from .ops import eq
        return type(other) is Key and eq(self.v, other.v)

    def __repr__(self) -> str:
        return f"Key({self.v!r})"


def pkey(k: Any) -> Any:
    """The Python key of Ruchy value ``k`` (see the module's docstring)."""
    t = type(k)
    if t in _SIMPLE:
        return k
    if t is tuple:
        for x in k:
            if type(x) not in _SIMPLE:
                return Key(k)
        return k
    if t is Cell:
        return pkey(k.v)
    if isinstance(k, (Struct, Variant)):
        return k
    return Key(k)


def rkey(pk: Any) -> Any:
    """The Ruchy value of a Python key."""
    return pk.v if type(pk) is Key else pk


def held(v: Any) -> Any:
    """``v`` as a new holder (the collection) stores it."""
    return v if type(v) in IMMUTABLE else cp(v)


def _ruchy_cmp(a: Any, b: Any) -> int:
    from .ops import cmp
    c = cmp("cmp", rkey(a), rkey(b))
    if c == 2:
        raise RuchyRuntimeError("cannot order NaN keys")
    return c


_RUCHY_ORDER = functools.cmp_to_key(_ruchy_cmp)


def sort_keys(keys: Any) -> list:
    """Python keys in Rust's order: natively when Python orders them as Ruchy does
    (numbers, strings, chars, tuples of them), else through ops.cmp."""
    ks = list(keys)
    try:
        if all(type(k) in _SIMPLE or type(k) is tuple for k in ks):
            ks.sort()
            return ks
    except TypeError:
        pass
    ks.sort(key=_RUCHY_ORDER)
    return ks
