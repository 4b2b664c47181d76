"""Option methods that change their receiver: ``take``, ``replace``, ``insert``,
``get_or_insert``, ``get_or_insert_with``.

An Option value is immutable here (``Some`` objects, the ``NONE`` singleton), so each
mutator gives the receiver's new value and the method's result; the translator stores
the new value back into the receiver's place (interp/option_mut.py), as it does for
the string mutators. A :class:`~.aggregates.Cell` holding an Option (the callee's side
of ``&mut o``, a ``&mut self`` enum receiver) is changed in place, so the runtime
method alone suffices there.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Some, Variant
from .arity import declare, widest


def is_option(v: Any) -> bool:
    """Whether ``v`` is a value of Rust's ``Option``."""
    return isinstance(v, Variant) and v._enum == "Option"


def _payload(o: Any) -> Any:
    return o.f_0 if o is not NONE else None


def m_take(o: Any) -> tuple[Any, Any]:
    return NONE, o


def m_replace(o: Any, v: Any) -> tuple[Any, Any]:
    return Some(v), o


def m_insert(o: Any, v: Any) -> tuple[Any, Any]:
    return Some(v), v


def m_get_or_insert(o: Any, v: Any) -> tuple[Any, Any]:
    return (o, _payload(o)) if o is not NONE else (Some(v), v)


def m_get_or_insert_with(o: Any, f: Callable[[], Any]) -> tuple[Any, Any]:
    if o is not NONE:
        return o, _payload(o)
    v = f()
    return Some(v), v


#: name -> (receiver, *args) -> (new receiver, result)
MUTATORS: dict[str, Callable[..., tuple[Any, Any]]] = {
    "take": m_take, "replace": m_replace, "insert": m_insert,
    "get_or_insert": m_get_or_insert, "get_or_insert_with": m_get_or_insert_with,
}
ARITY = {"take": (0, 0), "replace": (1, 1), "insert": (1, 1), "get_or_insert": (1, 1),
          "get_or_insert_with": (1, 1)}


def _method(name: str, prev: Any) -> Callable[..., Any]:
    """The runtime method ``name``: an Option's mutator on a Cell (changed in place) or
    on a value (the result only: a temporary has no place), else ``prev``'s."""
    mut = MUTATORS[name]
    lo, hi = ARITY[name]

    def method(recv: Any, *args: Any) -> Any:
        cell = type(recv) is Cell
        o = recv.v if cell else recv
        if is_option(o):
            if not lo <= len(args) <= hi:
                raise RuchyRuntimeError(f"wrong number of arguments: '.{name}' takes "
                                        f"{hi} argument{'s' * (hi != 1)}, got {len(args)}")
            new, res = mut(o, *args)
            if cell:
                recv.v = new
            return res
        if prev is None:
            from .values import kind
            raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)
    method.__name__ = name
    declare(method, lambda: widest((lo, hi), prev))
    return method


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Put the Option mutators in front of the methods of the same names."""
    for name in MUTATORS:
        methods[name] = _method(name, methods.get(name))


__all__ = ["ARITY", "MUTATORS", "install", "is_option"]
