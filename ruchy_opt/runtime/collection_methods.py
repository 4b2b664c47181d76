"""The methods of the collections (runtime/collections.py), registered into
``methods.METHODS`` by :func:`install`: each name dispatches on the receiver's type to
the collection's function (map_methods.py, set_methods.py, deque_methods.py; the Vec
methods of vec_methods.py), and to the method it replaces otherwise (strings, arrays,
iterators). Also the collections as ``collect`` targets.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from .aggregates import ENTRY_OCCUPIED, ENTRY_VACANT, Cell
from .arity import declare, method_arity
from .collections import BTreeMap, BTreeSet, HashMap, HashSet, VecDeque, collector, err
from .map_entry import (ENTRY_METHODS, OCCUPIED_METHODS, VACANT_METHODS, OccupiedEntry,
                        VacantEntry)
from .map_methods import MAP_METHODS
from .set_methods import SET_METHODS
from .values import Arr, kind


def tables() -> dict[str, dict[type, Callable[..., Any]]]:
    """Method name -> receiver class -> function, for every collection type."""
    from .deque_methods import DEQUE
    from .heap import HEAP, BinaryHeap
    out: dict[str, dict[type, Callable[..., Any]]] = {}
    from .objects import Object
    for classes, methods in (((HashMap, BTreeMap, Object), MAP_METHODS),
                             ((HashSet, BTreeSet), SET_METHODS),
                             ((ENTRY_OCCUPIED, ENTRY_VACANT), ENTRY_METHODS),
                             ((OccupiedEntry,), OCCUPIED_METHODS),
                             ((VacantEntry,), VACANT_METHODS), ((VecDeque,), DEQUE),
                             ((BinaryHeap,), HEAP)):
        for name, f in methods.items():
            for cls in classes:
                out.setdefault(name, {})[cls] = f
    return out


#: Methods that change their receiver (the receiver must be a place, made private).
MUTATING = frozenset({"insert", "get_mut", "remove", "remove_entry", "entry", "values_mut",
                      "iter_mut", "drain", "clear", "extend", "retain", "pop_first",
                      "pop_last", "take", "push_back", "push_front", "pop_back",
                      "pop_front", "front_mut", "back_mut", "truncate", "swap",
                      "rotate_left", "rotate_right", "append", "split_off", "resize"})


def register_collectors(collectors: dict[str, Callable[[Iterator], Any]]) -> None:
    """``collect()`` into each collection (runtime/iter_consumers.COLLECTORS)."""
    for name in ("HashMap", "BTreeMap", "HashSet", "BTreeSet", "VecDeque", "BinaryHeap"):
        collectors[name] = collector(name)


def _dispatch(name: str, table: dict[type, Callable[..., Any]],
              prev: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    """Method ``name``: the function for the receiver's class in ``table``, else
    ``prev`` (the method of the same name on other types)."""
    def wrong(recv: Any, args: tuple) -> bool:
        lo, hi = method_arity(table[type(recv)])
        return not lo <= len(args) <= hi

    def slow(recv: Any, args: tuple) -> Any:
        if type(recv) is Cell and type(recv.v) in table:
            return method(recv.v, *args)  # a collection handed out as a place (iter_mut)
        if prev is None:
            raise err(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)

    def method(recv: Any, *args: Any) -> Any:
        f = table.get(type(recv))
        if f is None:
            return slow(recv, args)
        try:
            return f(recv, *args)
        except TypeError:  # (checked only when something failed: the fast path pays nothing)
            if wrong(recv, args):
                raise err(f"wrong number of arguments to method '{name}': takes "
                          f"{method_arity(table[type(recv)])[1]}, got {len(args)}") from None
            raise
    method.__name__ = name

    def arity() -> tuple[int, int]:  # every receiver's, asked only by the translator
        arities = [method_arity(f) for f in table.values()]
        if prev is not None:
            arities.append(method_arity(prev))
        return min(a[0] for a in arities), max(a[1] for a in arities)
    declare(method, arity)
    return method


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Register the collections' methods and the Vec methods of runtime/vec_methods.py,
    each dispatching on the receiver's type to the method it replaces otherwise; and the
    collections as ``collect`` targets."""
    from .iter_consumers import COLLECTORS
    from .vec_methods import VEC
    table = tables()
    for name, f in VEC.items():
        table.setdefault(name, {})[Arr] = f
    if "sort" in methods:
        table.setdefault("sort_unstable", {})[Arr] = methods["sort"]
    for name, per_type in table.items():
        methods[name] = _dispatch(name, per_type, methods.get(name))
    register_collectors(COLLECTORS)


__all__ = ["tables", "MUTATING", "register_collectors", "install"]
