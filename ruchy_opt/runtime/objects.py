"""Ruchy's object values (``{ name: "Bob", "age": 30 }``) and its ``throw``/``try``.

An object is a map from string keys to values, read and written as fields (``p.x``,
``p.x = 1``) or by index (``p["x"]``), with the map methods (``keys``, ``len``, ``get``,
``contains_key``...). It is a :class:`~.collections.HashMap` (a value, copied on write
like every collection) whose fields are its keys: tier 0 reads a field ``x`` as the
attribute ``f_x`` (interp/data.py), which an object answers from its storage.

Display (the reference implementation's ``format_object``): ``{key: value, ...}`` with
the keys sorted and bare, the values in their debug form (strings quoted):
``{age: 30, name: "Bob"}``.

``throw v`` raises :class:`Thrown`; ``try { .. } catch e { .. }`` (syntax/build_dialect.py)
calls the try block through :func:`try_call`, which turns what it raised into ``Err``:
the thrown value itself, or for a runtime error the object ``{message: .., type:
"RuntimeError"}`` (as the reference turns its errors into values).
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import Err, Ok
from .collections import HashMap, _MISSING
from .values import debug, pretty


class Object(HashMap):
    """A Ruchy object: a map with string keys that are also its fields."""

    __slots__ = ()
    _name = "object"

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes that are not slots: `f_<key>` is a field read.
        if name.startswith("f_"):
            v = self.r().get(name[2:], _MISSING)
            if v is _MISSING:
                raise RuchyRuntimeError(f"no field '{name[2:]}' on object {self._display()}")
            return v
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("f_"):  # `p.x = v` (a new key is added, as in the reference)
            self.put(name[2:], value)
        else:
            object.__setattr__(self, name, value)

    def _set_index(self, key: Any, value: Any) -> None:  # `p["x"] = v` (ops.set_index)
        if type(key) is not str:
            raise RuchyRuntimeError(f"type error: an object's keys are strings, found {key!r}")
        self.put(key, value)

    def _display(self) -> str:
        d = self.r()
        return "{" + ", ".join(f"{k}: {debug(d[k])}" for k in sorted(d)) + "}"

    def _pretty(self, indent: str) -> str:
        d = self.r()
        inner = indent + "    "
        rows = [f"{inner}{k}: {pretty(d[k], inner)},\n" for k in sorted(d)]
        return "{\n" + "".join(rows) + indent + "}" if rows else "{}"


def has_field(value: Any, name: str) -> bool:
    """Whether ``value`` has the field ``name``, as an object pattern ``{ name, .. }``
    asks: an object's key, or a field of a struct or variant (a slot ``f_<name>`` of
    its class)."""
    if isinstance(value, Object):
        return name in value.r()
    return hasattr(type(value), "f_" + name)


def new_object(keys: tuple, values: tuple) -> Object:
    """``{ k1: v1, k2: v2 }``: a later duplicate key replaces the earlier value."""
    return Object(zip(keys, values))


class Thrown(RuchyRuntimeError):
    """``throw v`` on its way to a ``catch`` (uncaught, a runtime error naming ``v``)."""

    def __init__(self, value: Any) -> None:
        super().__init__(f"uncaught exception: {debug(value)}")
        self.value = value


def throw(value: Any) -> None:
    raise Thrown(value)


#: Python exceptions a tier-0 fast path lets through, and the Ruchy error each means
#: (as interp/runner.py reports them when nothing catches them).
_NATIVE = {IndexError: "index out of bounds", ZeroDivisionError: "division by zero",
           OverflowError: "integer overflow"}


def try_call(body: Callable[[], Any]) -> Any:
    """``Ok(body())``, or ``Err`` of what it threw (see the module's docstring)."""
    try:
        return Ok(body())
    except Thrown as e:
        return Err(e.value)
    except RuchyRuntimeError as e:
        return Err(_error_value(e.message))
    except (IndexError, ZeroDivisionError, OverflowError) as e:
        return Err(_error_value(_NATIVE[type(e)]))
    except AttributeError as e:
        from .ops import attribute_error
        return Err(_error_value(attribute_error(e)))


def _error_value(message: str) -> Object:
    return Object((("message", message), ("type", "RuntimeError")))


__all__ = ["Object", "new_object", "Thrown", "throw", "try_call"]
