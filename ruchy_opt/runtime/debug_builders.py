"""The builders of a hand-written ``impl Debug``: ``f.debug_struct("P").field("x",
&self.x).finish()``, ``debug_tuple``, ``debug_list``, ``debug_set``, ``debug_map``, and
``f.alternate()``.

They print what Rust's do: ``P { x: 1 }``, ``P(1)``, ``[1, 2]``, ``{1}``, ``{"a": 1}``,
and under ``{:#?}`` (the formatter's ``alt``) one field or entry per line, nested values
pretty-printed and indented. ``finish()`` writes the text into the formatter and is
``Ok(())``. Registered into ``methods.METHODS`` by :func:`install`, each name passing
other receivers on to the method it replaces (``entry`` of a map, ``field``...).
"""
from __future__ import annotations

from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import Formatter, Ok
from .arity import declare, widest
from .values import debug, kind, pretty

_INDENT = "    "


class DebugBuilder:
    """One ``debug_*`` builder: its formatter, shape (struct, tuple, list, set, map),
    name and the parts added so far (already formatted)."""

    __slots__ = ("f", "shape", "name", "parts")

    def __init__(self, f: Formatter, shape: str, name: str = "") -> None:
        self.f, self.shape, self.name = f, shape, name
        self.parts: list[str] = []

    def show(self, v: Any) -> str:
        return pretty(v, _INDENT) if self.f.alt else debug(v)

    def text(self) -> str:
        ps, alt = self.parts, self.f.alt
        opener, closer = {"struct": (" {", "}"), "tuple": ("(", ")"), "list": ("[", "]"),
                          "set": ("{", "}"), "map": ("{", "}")}[self.shape]
        if not ps:
            return self.name + ("" if self.shape in ("struct", "tuple") else opener + closer)
        if alt:
            body = "".join(f"{_INDENT}{p},\n" for p in ps)
            return f"{self.name}{opener}\n{body}{closer}"
        if self.shape == "struct":
            return f"{self.name} {{ {', '.join(ps)} }}"
        return f"{self.name}{opener}{', '.join(ps)}{closer}"


def _builder(shape: str) -> Callable[..., DebugBuilder]:
    def make(f: Any, name: str = "") -> DebugBuilder:
        if type(f) is not Formatter:
            raise RuchyRuntimeError(f"type error: no method 'debug_{shape}' on {kind(f)}")
        return DebugBuilder(f, shape, name)
    return make


def _field(b: DebugBuilder, *args: Any) -> DebugBuilder:
    if b.shape == "struct" and len(args) == 2:
        b.parts.append(f"{args[0]}: {b.show(args[1])}")
    elif b.shape == "tuple" and len(args) == 1:
        b.parts.append(b.show(args[0]))
    else:
        raise RuchyRuntimeError(f"wrong number of arguments to method 'field' of "
                                f"debug_{b.shape}")
    return b


def _entry(b: DebugBuilder, *args: Any) -> DebugBuilder:
    if b.shape == "map" and len(args) == 2:
        b.parts.append(f"{b.show(args[0])}: {b.show(args[1])}")
    elif b.shape in ("list", "set") and len(args) == 1:
        b.parts.append(b.show(args[0]))
    else:
        raise RuchyRuntimeError(f"wrong number of arguments to method 'entry' of "
                                f"debug_{b.shape}")
    return b


def _entries(b: DebugBuilder, items: Any) -> DebugBuilder:
    from .iterators import py_iter
    for x in py_iter(items):
        if b.shape == "map":
            _entry(b, x[0], x[1])
        else:
            _entry(b, x)
    return b


def _finish(b: DebugBuilder) -> Any:
    b.f.write(b.text())
    return Ok(None)


def _alternate(f: Formatter) -> bool:
    return f.alt


#: name -> (the builders' method, its arity after the receiver)
_METHODS: dict[str, tuple[Callable[..., Any], tuple[int, int], type]] = {
    "debug_struct": (_builder("struct"), (1, 1), Formatter),
    "debug_tuple": (_builder("tuple"), (1, 1), Formatter),
    "debug_list": (_builder("list"), (0, 0), Formatter),
    "debug_set": (_builder("set"), (0, 0), Formatter),
    "debug_map": (_builder("map"), (0, 0), Formatter),
    "alternate": (_alternate, (0, 0), Formatter),
    "field": (_field, (1, 2), DebugBuilder),
    "entry": (_entry, (1, 2), DebugBuilder),
    "entries": (_entries, (1, 1), DebugBuilder),
    "finish": (_finish, (0, 0), DebugBuilder),
    "finish_non_exhaustive": (_finish, (0, 0), DebugBuilder),
}


def _wrap(name: str, own: Callable[..., Any], cls: type,
          prev: Any) -> Callable[..., Any]:
    def method(recv: Any, *args: Any) -> Any:
        if type(recv) is cls:
            return own(recv, *args)
        if prev is None:
            raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)
    method.__name__ = name
    return method


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Register the builders' methods (each wrapping the method of that name, if any)."""
    for name, (own, arity, cls) in _METHODS.items():
        prev = methods.get(name)
        m = _wrap(name, own, cls, prev)
        declare(m, (lambda a=arity, p=prev: widest(a, p)))
        methods[name] = m
