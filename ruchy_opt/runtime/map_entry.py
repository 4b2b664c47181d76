"""The entry API of ``HashMap`` and ``BTreeMap``: ``m.entry(k)`` is Rust's enum
``Entry``, ``Occupied(OccupiedEntry)`` or ``Vacant(VacantEntry)`` (the variant classes
are runtime/aggregates.py's, so patterns test them like Option's), chosen when the entry
is made. The Entry's own methods (``or_insert``...) work on either variant; the
payloads have Rust's methods (``get``, ``get_mut``, ``insert``, ``remove``, ``key``,
``into_mut``; ``insert``, ``key``, ``into_key``). Every one reads and writes the map's
storage, so changes through an entry reach the map. Registered by
runtime/collection_methods.py.
"""
from __future__ import annotations

from typing import Any, Callable

from .aggregates import ENTRY_OCCUPIED, ENTRY_VACANT, IMMUTABLE, Cell
from .collections import _MISSING, _SIMPLE, Coll, HashMap, err, held, is_object, pkey, rkey
from .values import Arr, debug


class _Slot:
    """The map an entry is in, its (copied) key and that key's Python form."""

    __slots__ = ("m", "k", "pk")

    def __init__(self, m: HashMap, k: Any, pk: Any) -> None:
        self.m, self.k, self.pk = m, k, pk

    def value(self, write: bool = False) -> Any:
        """The value stored at the key (an OccupiedEntry's is there while it lives);
        ``write``: the storage is made private first (the value is changed through)."""
        v = (self.m.w() if write else self.m.r()).get(self.pk, _MISSING)
        if v is _MISSING:  # (only if the map changed behind the entry's back)
            raise err("the entry's key is no longer in the map")
        return v


class OccupiedEntry(_Slot):
    """The payload of ``Entry::Occupied``: a key the map holds."""

    __slots__ = ()

    def _display(self) -> str:
        return f"OccupiedEntry {{ key: {debug(self.k)}, value: {debug(self.value())}, .. }}"


class VacantEntry(_Slot):
    """The payload of ``Entry::Vacant``: a key the map does not hold."""

    __slots__ = ()

    def _display(self) -> str:
        return f"VacantEntry({debug(self.k)})"


def _entry_debug(v: Any, alt: bool = False) -> str:
    return f"Entry({debug(v.f_0)})"


ENTRY_OCCUPIED._debug = ENTRY_VACANT._debug = staticmethod(_entry_debug)


def entry(m: HashMap, k: Any) -> Any:
    """``m.entry(k)``: ``Entry::Occupied`` if ``m`` holds ``k``, else ``Entry::Vacant``."""
    if type(k) not in _SIMPLE:
        k = held(k)
    pk = pkey(k)
    if pk in m.r():
        return ENTRY_OCCUPIED(OccupiedEntry(m, k, pk))
    return ENTRY_VACANT(VacantEntry(m, k, pk))


def _put(s: _Slot, v: Any) -> Any:
    """Store ``v`` (a copy) at a vacant slot's key; its value as a place (``&mut V``)."""
    m, pk = s.m, s.pk
    d = m.w()
    if pk in d:
        raise err("the entry's key is already in the map")
    d[pk] = v = held(v)
    m.added(pk)
    return m.place(pk, v)


def _or_insert_with(e: Any, make: Callable[[], Any]) -> Any:
    s = e.f_0
    m, pk = s.m, s.pk
    d = m.w()
    v = d.get(pk, _MISSING)
    if v is _MISSING:
        d[pk] = v = held(make())
        m.added(pk)
    return m.place(pk, v)


# ---- the methods of Entry (either variant) -------------------------------------------


def e_or_insert(e: Any, v: Any) -> Any:
    s = e.f_0
    m, pk = s.m, s.pk
    d = m.w()
    cur = d.get(pk, _MISSING)
    if cur is _MISSING:
        d[pk] = cur = held(v)
        m.added(pk)
    if type(cur) in IMMUTABLE:  # (the common case of Coll.place, inline)
        c = Cell(cur)
        m.pending.append((pk, c))
        return c
    return m.place(pk, cur)


def e_or_insert_with(e: Any, f: Callable) -> Any:
    return _or_insert_with(e, f)


def e_or_insert_with_key(e: Any, f: Callable) -> Any:
    return _or_insert_with(e, lambda: f(e.f_0.k))


def e_or_default(e: Any, dflt: Any = _MISSING) -> Any:
    """``or_default()``: the translator passes the value type's default when an
    annotation says it; else the default of a value already in the map (0 if none)."""
    return _or_insert_with(e, lambda: default_like(e.f_0.m) if dflt is _MISSING else dflt)


def e_and_modify(e: Any, f: Callable) -> Any:
    s = e.f_0
    d = s.m.w()
    v = d.get(s.pk, _MISSING)
    if v is not _MISSING:
        if is_object(v):
            f(v)
        else:
            c = Cell(v)
            f(c)
            d[s.pk] = c.v
    return e


def e_key(e: Any) -> Any:
    return e.f_0.k


ENTRY_METHODS = {"or_insert": e_or_insert, "or_insert_with": e_or_insert_with,
                 "or_insert_with_key": e_or_insert_with_key, "or_default": e_or_default,
                 "and_modify": e_and_modify, "key": e_key}

# ---- OccupiedEntry and VacantEntry ---------------------------------------------------


def o_get(o: OccupiedEntry) -> Any:
    return o.value()


def o_get_mut(o: OccupiedEntry) -> Any:
    return o.m.place(o.pk, o.value(True))


def o_insert(o: OccupiedEntry, v: Any) -> Any:
    """Replace the value; the old one."""
    old = o.value()
    o.m.w()[o.pk] = held(v)
    return old


def o_remove(o: OccupiedEntry) -> Any:
    old = o.value()
    del o.m.w()[o.pk]
    o.m.removed(o.pk)
    return old


def o_remove_entry(o: OccupiedEntry) -> Any:
    return (rkey(o.pk), o_remove(o))


def s_key(s: _Slot) -> Any:
    return s.k


OCCUPIED_METHODS = {"get": o_get, "get_mut": o_get_mut, "into_mut": o_get_mut,
                    "insert": o_insert, "remove": o_remove, "remove_entry": o_remove_entry,
                    "key": s_key}
VACANT_METHODS = {"insert": _put, "key": s_key, "into_key": s_key}

# ---- defaults --------------------------------------------------------------------------


def default_like(m: HashMap) -> Any:
    """The default of the type of the values ``m`` holds (0 for an empty map)."""
    for v in m.r().values():
        return _default_of(v)
    return 0


def _default_of(v: Any) -> Any:
    t = type(v)
    if t is bool:
        return False
    if t in (int, float, str):
        return t()
    if t is Arr:
        return Arr([])
    if t is tuple:
        return tuple(_default_of(x) for x in v)
    if isinstance(v, Coll):
        return t()
    return 0


__all__ = ["OccupiedEntry", "VacantEntry", "entry", "ENTRY_METHODS", "OCCUPIED_METHODS",
           "VACANT_METHODS", "default_like"]
