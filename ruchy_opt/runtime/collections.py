"""Ruchy's standard collections as Python objects: ``HashMap``, ``HashSet``,
``BTreeMap``, ``BTreeSet`` and ``VecDeque`` (LANGUAGE.md Level 3). Their methods are in
runtime/collection_methods.py.

Representation:

- A map is a dict from a *Python key* (:func:`pkey`) to the value; a set is a dict from
  the Python key to ``None`` (a dict, not a set: the hash ones iterate in insertion
  order, as LANGUAGE.md promises). Ints, floats, bools, strings, chars, tuples of those,
  structs and enum values (runtime/aggregates.py hashes them by content) are their own
  Python keys; anything else (an array, a tuple holding an array, a collection) is
  wrapped in :class:`Key`, which hashes and compares by content.
- The B-tree ones iterate in key order (Rust's ``Ord``: runtime/ops.cmp): ``order``
  caches the sorted Python keys; it is kept up to date by insertion while the keys sort
  natively, else rebuilt when next needed.
- A ``VecDeque`` is a ``collections.deque``.

Collections are values, like arrays (docs/level3.md): ``cp`` is O(1) and shares the
storage (``shared``); the first change through either holder copies it.

A scalar value handed out as a place (``get_mut``, ``entry(k).or_insert(0)``,
``values_mut``, ``iter_mut``) is a :class:`~.aggregates.Cell` that the collection
remembers (``pending``) and reads back into itself at its next use: Rust's borrow rules
guarantee the reference is dead by then, so ``*m.entry(w).or_insert(0) += 1`` and
``if let Some(c) = m.get_mut(&k) { *c += 1 }`` change the map. Aggregate values are
objects held by the collection and are handed out themselves.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from typing import Any, Callable, Iterator, Optional

from ..errors import RuchyRuntimeError
from .aggregates import IMMUTABLE, Cell, Struct, Variant
from .keys import _SIMPLE, Key, held, pkey, rkey, sort_keys  # noqa: F401 (re-exported)
from .values import Arr, cp, debug, pretty

def is_object(v: Any) -> bool:
    """Whether a value is changed in place through a reference (an array, a struct or
    variant with fields, a collection), so it is handed out itself as a place."""
    t = type(v)
    return t is Arr or t in COLLECTION_TYPES or (isinstance(v, (Struct, Variant))
                                                 and bool(t._fields))


def err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


class Coll:
    """Base of the collections: storage ``d``, copy-on-write flag ``shared``, and the
    cells handed out as places (``pending``: (Python key or index, cell) pairs)."""

    __slots__ = ("d", "shared", "pending")
    _name = ""

    def r(self) -> Any:
        """The storage, for reading (cells handed out earlier are read back first)."""
        if self.pending:
            self.flush()
        return self.d

    def w(self) -> Any:
        """The storage, made private for a change."""
        if self.pending:
            self.flush()
        if self.shared:
            self.unshare()
        return self.d

    def flush(self) -> None:
        if self.shared:
            self.unshare()
        d, ps = self.d, self.pending
        self.pending = []
        if type(d) is dict:
            for k, c in ps:
                if k in d:
                    d[k] = c.v
        else:
            for k, c in ps:
                if 0 <= k < len(d):
                    d[k] = c.v

    def unshare(self) -> None:
        raise NotImplementedError

    def place(self, k: Any, v: Any) -> Any:
        """Value ``v`` stored at ``k`` handed out as a place (see the module's docstring)."""
        if type(v) not in IMMUTABLE and is_object(v):
            return v
        c = Cell(v)
        self.pending.append((k, c))
        return c

    def _cp(self) -> "Coll":
        self.r()
        self.shared = True
        n = self.__class__.__new__(self.__class__)
        n.d, n.shared, n.pending = self.d, True, []
        self._copy_extra(n)
        return n

    def _copy_extra(self, n: "Coll") -> None:
        pass

    def assign(self, v: "Coll") -> None:
        """``*r = v`` through a reference: this object takes ``v``'s contents."""
        v.r()
        v.shared = True
        self.d, self.shared, self.pending = v.d, True, []
        v._copy_extra(self)

    def _len(self) -> int:
        return len(self.r())

    def __repr__(self) -> str:
        return f"{self._name}({debug(self)})"


class HashMap(Coll):
    """A map iterating in insertion order."""

    __slots__ = ()
    _name = "HashMap"

    def __init__(self, items: Any = ()) -> None:
        self.d, self.shared, self.pending = {}, False, []
        for k, v in items:
            self.put(k, v)

    def unshare(self) -> None:
        self.d = {k: v if type(v) in IMMUTABLE else cp(v) for k, v in self.d.items()}
        self.shared = False

    def put(self, k: Any, v: Any) -> Any:
        """Insert (copies of) ``k`` and ``v``; the old value or a miss marker."""
        d = self.w()
        pk = pkey(k if type(k) in _SIMPLE else held(k))
        old = d.get(pk, _MISSING)
        d[pk] = held(v)
        if old is _MISSING:
            self.added(pk)
        return old

    def added(self, pk: Any) -> None:
        """A new key went in (the B-tree map keeps its order)."""

    def removed(self, pk: Any) -> None:
        """A key went out."""

    def items(self) -> Iterator[tuple[Any, Any]]:
        """(Ruchy key, value) pairs in iteration order; later changes copy (shared)."""
        d = self.r()
        self.shared = True
        return ((rkey(pk), d[pk]) for pk in self.keys_view())

    def keys_view(self) -> Any:
        """The Python keys in iteration order (the storage itself: mark it shared first)."""
        return self.d

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        return self.items()

    def __eq__(self, other: object) -> bool:
        from .ops import eq
        if type(other) is not type(self):
            return False
        a, b = self.r(), other.r()  # type: ignore[attr-defined]
        return len(a) == len(b) and all(k in b and eq(v, b[k]) for k, v in a.items())

    def __hash__(self) -> int:
        return hash(frozenset(self.r()))

    def _display(self) -> str:
        return "{" + ", ".join(f"{debug(k)}: {debug(v)}" for k, v in self.items()) + "}"

    def _pretty(self, indent: str) -> str:
        inner = indent + "    "
        rows = [f"{inner}{pretty(k, inner)}: {pretty(v, inner)},\n" for k, v in self.items()]
        return "{\n" + "".join(rows) + indent + "}" if rows else "{}"


_MISSING = object()


class _Ordered:
    """Mixin of the B-tree collections: ``order`` caches the sorted Python keys."""

    __slots__ = ()

    def added(self, pk: Any) -> None:
        o = self.order  # type: ignore[attr-defined]
        if o is not None:
            if type(pk) in _SIMPLE and (not o or type(o[0]) is type(pk)):
                insort(o, pk)
            else:
                self.order = None  # type: ignore[attr-defined]

    def removed(self, pk: Any) -> None:
        o = self.order  # type: ignore[attr-defined]
        if o is not None:
            if type(pk) in _SIMPLE and type(o[0]) is type(pk):
                del o[bisect_left(o, pk)]
            else:
                self.order = None  # type: ignore[attr-defined]

    def keys_view(self) -> list:
        if self.order is None:  # type: ignore[attr-defined]
            self.order = sort_keys(self.r())  # type: ignore[attr-defined]
        return self.order  # type: ignore[attr-defined]

    def unshare(self) -> None:
        super().unshare()  # type: ignore[misc]
        if self.order is not None:  # type: ignore[attr-defined]
            self.order = list(self.order)  # type: ignore[attr-defined]

    def _copy_extra(self, n: Any) -> None:
        n.order = self.order  # type: ignore[attr-defined]  (both shared: unshare copies)

    def _cmp(self, other: Any) -> int:
        from .ops import _cmp_seq
        return _cmp_seq("cmp", list(self), list(other))  # type: ignore[call-overload]


class BTreeMap(_Ordered, HashMap):
    """A map iterating in key order."""

    __slots__ = ("order",)
    _name = "BTreeMap"

    def __init__(self, items: Any = ()) -> None:
        self.order: Optional[list] = []
        HashMap.__init__(self, items)

    def clear_order(self) -> None:
        self.order = []


class HashSet(Coll):
    """A set iterating in insertion order."""

    __slots__ = ()
    _name = "HashSet"

    def __init__(self, items: Any = ()) -> None:
        self.d, self.shared, self.pending = {}, False, []
        for x in items:
            self.add(x)

    def unshare(self) -> None:
        self.d = dict(self.d)
        self.shared = False

    def add(self, x: Any) -> bool:
        """Insert a copy of ``x``; whether it was new."""
        d = self.w()
        pk = pkey(x if type(x) in _SIMPLE else held(x))
        if pk in d:
            return False
        d[pk] = None
        self.added(pk)
        return True

    def added(self, pk: Any) -> None:
        pass

    def removed(self, pk: Any) -> None:
        pass

    def keys_view(self) -> Any:
        return self.d

    def __iter__(self) -> Iterator[Any]:
        self.r()
        self.shared = True
        return map(rkey, self.keys_view())

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.r().keys() == other.r().keys()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(frozenset(self.r()))

    def _display(self) -> str:
        return "{" + ", ".join(debug(x) for x in self) + "}"

    def _pretty(self, indent: str) -> str:
        inner = indent + "    "
        rows = [f"{inner}{pretty(x, inner)},\n" for x in self]
        return "{\n" + "".join(rows) + indent + "}" if rows else "{}"


class BTreeSet(_Ordered, HashSet):
    """A set iterating in order."""

    __slots__ = ("order",)
    _name = "BTreeSet"

    def __init__(self, items: Any = ()) -> None:
        self.order: Optional[list] = []
        HashSet.__init__(self, items)

    def clear_order(self) -> None:
        self.order = []


class VecDeque(Coll):
    """A double-ended queue (displays and compares as a Vec does)."""

    __slots__ = ()
    _name = "VecDeque"

    def __init__(self, items: Any = ()) -> None:
        self.d, self.shared, self.pending = deque(held(x) for x in items), False, []

    def unshare(self) -> None:
        self.d = deque(x if type(x) in IMMUTABLE else cp(x) for x in self.d)
        self.shared = False

    def __iter__(self) -> Iterator[Any]:
        d = self.r()
        self.shared = True
        return iter(d)

    def __eq__(self, other: object) -> bool:
        from .ops import eq
        if type(other) is Arr:
            return len(self.r()) == len(other.d) and all(map(eq, self.d, other.d))
        if type(other) is not VecDeque:
            return False
        a, b = self.r(), other.r()
        return len(a) == len(b) and all(map(eq, a, b))

    def __hash__(self) -> int:
        from .ops import hash_key
        return hash(tuple(hash_key(x) for x in self.r()))

    def _cmp(self, other: Any) -> int:
        from .ops import _cmp_seq
        return _cmp_seq("cmp", list(self.r()), list(other.r()))

    def _display(self) -> str:
        return "[" + ", ".join(debug(x) for x in self.r()) + "]"

    def _pretty(self, indent: str) -> str:
        return pretty(Arr(list(self.r())), indent)

    def _index(self, i: Any) -> Any:
        d = self.r()
        if type(i) is not int:
            raise err(f"type error: VecDeque index must be int, found {_kind(i)}")
        if 0 <= i < len(d):
            return d[i]
        raise err("index out of bounds")

    def _set_index(self, i: Any, v: Any) -> None:
        self._index(i)
        self.w()[i] = v

    def _elem_w(self, i: Any) -> Any:
        self._index(i)
        return self.w()[i]


def _kind(v: Any) -> str:
    from .values import kind
    return kind(v)


def _map_index(m: HashMap, k: Any) -> Any:
    """``m[&k]``: the value; a missing key is a runtime error (Rust panics)."""
    v = m.r().get(pkey(k), _MISSING)
    if v is _MISSING:
        raise err(f"key not found in {m._name}: {debug(k.v if type(k) is Cell else k)}")
    return v


HashMap._index = _map_index  # type: ignore[attr-defined]

from .heap import BinaryHeap  # noqa: E402  (a Coll too: runtime/heap.py)
from .objects import Object  # noqa: E402  (Ruchy's `{ k: v }`, a HashMap: runtime/objects.py)

#: Every collection class (their values are objects held by one place).
COLLECTION_TYPES: frozenset = frozenset({HashMap, BTreeMap, HashSet, BTreeSet, VecDeque,
                                         BinaryHeap, Object})
MAP_TYPES = frozenset({HashMap, BTreeMap, Object})
SET_TYPES = frozenset({HashSet, BTreeSet})
BY_NAME: dict[str, type] = {c._name: c for c in COLLECTION_TYPES}


def _pairs(items: Any, what: str) -> Iterator[tuple[Any, Any]]:
    from .iterators import py_iter
    for x in py_iter(items):
        if type(x) is not tuple or len(x) != 2:
            raise err(f"type error: {what} needs (key, value) pairs, found {_kind(x)}")
        yield x


def build(name: str, items: Any = ()) -> Coll:
    """``T::new()`` (no items), ``T::from(array)``, ``T::from_iter(it)``, ``collect``."""
    from .iterators import py_iter
    cls = BY_NAME[name]
    if cls in MAP_TYPES:
        return cls(_pairs(items, f"{name}::from"))
    return cls(py_iter(items) if items != () else ())


def collector(name: str) -> Callable[[Iterator], Any]:
    """The ``collect`` target for collection ``name`` (iter_consumers.COLLECTORS)."""
    cls = BY_NAME[name]
    if cls in MAP_TYPES:
        return lambda items: cls(_pairs(items, "collect into a map"))
    return lambda items: cls(items)
