"""The methods of ``HashMap`` and ``BTreeMap`` (runtime/collections.py; the entry API is
runtime/map_entry.py); registered by runtime/collection_methods.py.

Rust's borrowing methods give the map's own objects (``get`` of a Vec value is the Vec
the map holds: a caller that stores it copies it); ``get_mut``, ``entry`` and
``iter_mut`` hand out places (collections.Coll.place). Arguments are stored as copies.
"""
from __future__ import annotations

from typing import Any, Callable

from .aggregates import IMMUTABLE, NONE, Cell, Some
from .collections import (_MISSING, _SIMPLE, Coll, HashMap, err, held, is_object,
                          pkey, rkey)
from .iterators import Iter, RangeIter, range_contains
from .map_entry import entry
from .values import Arr, kind

# ---- maps ----------------------------------------------------------------------------


def _opt(v: Any) -> Any:
    return NONE if v is _MISSING else Some(v)


def m_insert(m: HashMap, k: Any, v: Any) -> Any:
    return _opt(m.put(k, v))


def m_get(m: HashMap, k: Any) -> Any:
    return _opt(m.r().get(pkey(k), _MISSING))


def m_get_mut(m: HashMap, k: Any) -> Any:
    pk = pkey(k)
    d = m.w()
    v = d.get(pk, _MISSING)
    return NONE if v is _MISSING else Some(m.place(pk, v))


def m_contains_key(m: HashMap, k: Any) -> bool:
    return pkey(k) in m.r()


def _take(m: Any, pk: Any) -> Any:
    """Remove Python key ``pk`` (present) and give its value (None for a set)."""
    v = m.w().pop(pk)
    m.removed(pk)
    return v


def m_remove(m: HashMap, k: Any) -> Any:
    pk = pkey(k)
    return Some(_take(m, pk)) if pk in m.r() else NONE


def m_remove_entry(m: HashMap, k: Any) -> Any:
    pk = pkey(k)
    return Some((rkey(pk), _take(m, pk))) if pk in m.r() else NONE


def m_get_key_value(m: HashMap, k: Any) -> Any:
    pk = pkey(k)
    d = m.r()
    for q in d:  # the stored key, not the argument
        if q == pk:
            return Some((rkey(q), d[q]))
    return NONE


def entry_update(m: Any, k: Any, dflt: Any, op: str, x: Any) -> None:
    """``*m.entry(k).or_insert(dflt) op= x`` (interp/collections.py): on a map with a
    plain key, the value is updated in the storage itself, without the Entry, the Cell
    handed out as the place and its write-back; anything else goes the general way."""
    if isinstance(m, HashMap) and type(k) in _SIMPLE:
        d = m.w() if m.pending or m.shared else m.d
        cur = d.get(k, _MISSING)
        if cur is _MISSING:
            d[k] = cur = held(dflt)
            m.added(k)
        if op == "+" and type(cur) is int and type(x) is int:
            r = cur + x
            if not -9223372036854775808 <= r <= 9223372036854775807:
                raise err("integer overflow")
            d[k] = r
            return
        if type(cur) in IMMUTABLE:
            from .ops import BINARY
            d[k] = BINARY[op](cur, x)
            return
    from .methods import METHODS
    from .ops import BINARY, deref_set
    place = METHODS["or_insert"](METHODS["entry"](m, k), dflt)
    deref_set(place, BINARY[op](place.v if type(place) is Cell else place, x))


def _iter(items: Any, back: Any = None, n: Any = None) -> Iter:
    return Iter(iter(items), back, n)


def m_keys(m: HashMap) -> Iter:
    m.r()
    m.shared = True
    ks = m.keys_view()
    return Iter(map(rkey, ks), lambda: map(rkey, reversed(ks)), len(ks))


def m_values(m: HashMap) -> Iter:
    d = m.r()
    m.shared = True
    ks = m.keys_view()
    if ks is d:
        return Iter(iter(d.values()), lambda: reversed(d.values()), len(d))
    return Iter(map(d.__getitem__, ks), lambda: map(d.__getitem__, reversed(ks)), len(ks))


def m_iter(m: HashMap) -> Iter:
    d = m.r()
    m.shared = True
    ks = m.keys_view()
    return Iter(((rkey(k), d[k]) for k in ks),
                lambda: ((rkey(k), d[k]) for k in reversed(ks)), len(ks))


def m_values_mut(m: HashMap) -> Iter:
    d = m.w()
    vs = [m.place(k, d[k]) for k in list(m.keys_view())]
    return Iter(iter(vs), vs.__reversed__, len(vs))


def m_iter_mut(m: HashMap) -> Iter:
    d = m.w()
    ps = [(rkey(k), m.place(k, d[k])) for k in list(m.keys_view())]
    return Iter(iter(ps), ps.__reversed__, len(ps))


def m_drain(m: Any) -> Iter:
    items = list(m)
    c_clear(m)
    return Iter(iter(items), items.__reversed__, len(items))


def c_len(c: Coll) -> int:
    return len(c.r())


def c_is_empty(c: Coll) -> bool:
    return not c.r()


def c_clear(c: Coll) -> None:
    c.w().clear()
    clear = getattr(c, "clear_order", None)
    if clear is not None:
        clear()


def m_extend(m: HashMap, items: Any) -> None:
    from .collections import _pairs
    for k, v in list(_pairs(items, "extend")):
        m.put(k, v)


def m_retain(m: HashMap, f: Callable) -> None:
    d = m.w()
    for pk in list(m.keys_view()):
        v = d[pk]
        arg = v if is_object(v) else Cell(v)
        keep = f(rkey(pk), arg)
        if arg is not v:
            d[pk] = arg.v
        if keep is not True:
            del d[pk]
            m.removed(pk)


def _edge(c: Any, last: bool) -> Any:
    ks = c.keys_view() if c.r() else None
    if not ks:
        return _MISSING
    return next(reversed(ks)) if last else next(iter(ks))


def m_first_key_value(m: HashMap) -> Any:
    pk = _edge(m, False)
    return NONE if pk is _MISSING else Some((rkey(pk), m.d[pk]))


def m_last_key_value(m: HashMap) -> Any:
    pk = _edge(m, True)
    return NONE if pk is _MISSING else Some((rkey(pk), m.d[pk]))


def m_pop_first(m: HashMap) -> Any:
    pk = _edge(m, False)
    return NONE if pk is _MISSING else Some((rkey(pk), _take(m, pk)))


def m_pop_last(m: HashMap) -> Any:
    pk = _edge(m, True)
    return NONE if pk is _MISSING else Some((rkey(pk), _take(m, pk)))


def _in_range(r: Any) -> Callable[[Any], bool]:
    if type(r) is not RangeIter:
        raise err(f"type error: range() expects a range, found {kind(r)}")
    return lambda k: range_contains(r, k)


def m_range(m: HashMap, r: Any) -> Iter:
    inside = _in_range(r)
    items = [kv for kv in m if inside(kv[0])]
    return Iter(iter(items), items.__reversed__, len(items))


MAP_METHODS = {
    "insert": m_insert, "get": m_get, "get_mut": m_get_mut, "contains_key": m_contains_key,
    "remove": m_remove, "remove_entry": m_remove_entry, "get_key_value": m_get_key_value,
    "entry": entry, "keys": m_keys, "values": m_values, "values_mut": m_values_mut,
    "iter": m_iter, "iter_mut": m_iter_mut, "into_iter": m_iter, "into_keys": m_keys,
    "into_values": m_values, "drain": m_drain, "len": c_len, "is_empty": c_is_empty,
    "clear": c_clear, "extend": m_extend, "retain": m_retain,
    "first_key_value": m_first_key_value, "last_key_value": m_last_key_value,
    "pop_first": m_pop_first, "pop_last": m_pop_last, "range": m_range,
}
