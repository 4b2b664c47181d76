"""Methods of the standard library's objects (files, processes, clocks).

The runtime's library types (runtime/fs.py, process.py, clock.py) register their
methods here by class: ``register(File, {"write_all": File.write_all, ...})``.
:func:`install` then puts one wrapper per method name into ``methods.METHODS``: it
looks the receiver's class up in that name's table and otherwise passes the call on to
the method of the same name it replaces (a string's ``lines``, an array's ``len``), so
a library method costs nothing to values of other types beyond one dict lookup.
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .arity import declare, method_arity, widest
from .values import kind

#: method name -> {receiver class -> function(receiver, *args)}.
_TABLES: dict[str, dict[type, Callable[..., Any]]] = {}


def register(cls: type, methods: dict[str, Callable[..., Any]]) -> None:
    """Give the library type ``cls`` the methods ``methods`` (name -> function)."""
    for name, f in methods.items():
        _TABLES.setdefault(name, {})[cls] = f


def _arity(table: dict[type, Callable[..., Any]]) -> tuple[int, int]:
    lo, hi = 9, 0
    for f in table.values():
        a, b = method_arity(f)
        lo, hi = min(lo, a), max(hi, b)
    return lo, hi


def _wrapper(name: str, table: dict[type, Callable[..., Any]],
             prev: Callable[..., Any] | None) -> Callable[..., Any]:
    get = table.get

    def method(recv: Any, *args: Any) -> Any:
        f = get(type(recv))
        if f is not None:
            try:
                return f(recv, *args)
            except TypeError as e:
                if "positional argument" in str(e):
                    raise RuchyRuntimeError(
                        f"wrong number of arguments to method '{name}'") from None
                raise
        if prev is None:
            raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)
    method.__name__ = name
    declare(method, lambda: widest(_arity(table), prev))
    return method


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Add every registered library method to ``methods`` (runtime/methods.METHODS)."""
    for name, table in _TABLES.items():
        methods[name] = _wrapper(name, table, methods.get(name))


def lib_classes() -> set[type]:
    """Every class that has a library method."""
    return {cls for table in _TABLES.values() for cls in table}
