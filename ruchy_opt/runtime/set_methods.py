"""The methods of ``HashSet`` and ``BTreeSet`` (runtime/collections.py); registered by
runtime/collection_methods.py. The set operations (``union``...) are iterators over the
elements they give, in the receiver's order (key order for a BTreeSet)."""
from __future__ import annotations

from typing import Any, Callable

from .aggregates import NONE, Cell, Some
from .collections import SET_TYPES, BTreeSet, HashSet, _MISSING, err, pkey, rkey
from .iterators import Iter, py_iter
from .map_methods import (_edge, _in_range, _take, c_clear, c_is_empty, c_len, m_drain,
                          m_get_key_value)
from .values import kind


# ---- sets ------------------------------------------------------------------------------


def s_insert(s: HashSet, x: Any) -> bool:
    return s.add(x)


def s_contains(s: HashSet, x: Any) -> bool:
    return pkey(x) in s.r()


def s_remove(s: HashSet, x: Any) -> bool:
    pk = pkey(x)
    if pk not in s.r():
        return False
    _take(s, pk)
    return True


def s_take(s: HashSet, x: Any) -> Any:
    got = m_get_key_value(s, x)  # type: ignore[arg-type]
    if got is NONE:
        return NONE
    _take(s, pkey(x))
    return Some(got.f_0[0])


def s_get(s: HashSet, x: Any) -> Any:
    got = m_get_key_value(s, x)  # type: ignore[arg-type]
    return got if got is NONE else Some(got.f_0[0])


def s_iter(s: HashSet) -> Iter:
    s.r()
    s.shared = True
    ks = s.keys_view()
    return Iter(map(rkey, ks), lambda: map(rkey, reversed(ks)), len(ks))


def s_extend(s: HashSet, items: Any) -> None:
    for x in list(py_iter(items)):
        s.add(x)


def s_retain(s: HashSet, f: Callable) -> None:
    d = s.w()
    for pk in list(s.keys_view()):
        if f(rkey(pk)) is not True:
            del d[pk]
            s.removed(pk)


def _other(o: Any, name: str) -> Any:
    """The other set of a set operation."""
    if type(o) is Cell:
        o = o.v
    if type(o) not in SET_TYPES:
        raise err(f"type error: {name}() expects a set, found {kind(o)}")
    o.r()
    return o


def _set_iter(s: HashSet, pks: list) -> Iter:
    if type(s) is BTreeSet:
        from .collections import sort_keys
        pks = sort_keys(pks)
    xs = [rkey(k) for k in pks]
    return Iter(iter(xs), xs.__reversed__, len(xs))


def s_union(s: HashSet, o: Any) -> Iter:
    o, d = _other(o, "union"), s.r()
    return _set_iter(s, list(s.keys_view()) + [k for k in o.keys_view() if k not in d])


def s_intersection(s: HashSet, o: Any) -> Iter:
    od = _other(o, "intersection").d
    return _set_iter(s, [k for k in s.keys_view() if k in od])


def s_difference(s: HashSet, o: Any) -> Iter:
    od = _other(o, "difference").d
    return _set_iter(s, [k for k in s.keys_view() if k not in od])


def s_symmetric_difference(s: HashSet, o: Any) -> Iter:
    o, d = _other(o, "symmetric_difference"), s.r()
    od = o.d
    return _set_iter(s, [k for k in s.keys_view() if k not in od]
                     + [k for k in o.keys_view() if k not in d])


def s_is_subset(s: HashSet, o: Any) -> bool:
    od = _other(o, "is_subset").d
    return all(k in od for k in s.r())


def s_is_superset(s: HashSet, o: Any) -> bool:
    od, d = _other(o, "is_superset").d, s.r()
    return all(k in d for k in od)


def s_is_disjoint(s: HashSet, o: Any) -> bool:
    od = _other(o, "is_disjoint").d
    return not any(k in od for k in s.r())


def s_first(s: HashSet) -> Any:
    pk = _edge(s, False)
    return NONE if pk is _MISSING else Some(rkey(pk))


def s_last(s: HashSet) -> Any:
    pk = _edge(s, True)
    return NONE if pk is _MISSING else Some(rkey(pk))


def s_pop_first(s: HashSet) -> Any:
    pk = _edge(s, False)
    if pk is _MISSING:
        return NONE
    _take(s, pk)
    return Some(rkey(pk))


def s_pop_last(s: HashSet) -> Any:
    pk = _edge(s, True)
    if pk is _MISSING:
        return NONE
    _take(s, pk)
    return Some(rkey(pk))


def s_range(s: HashSet, r: Any) -> Iter:
    inside = _in_range(r)
    xs = [x for x in s if inside(x)]
    return Iter(iter(xs), xs.__reversed__, len(xs))


SET_METHODS = {
    "insert": s_insert, "contains": s_contains, "remove": s_remove, "take": s_take,
    "get": s_get, "iter": s_iter, "into_iter": s_iter, "drain": m_drain, "len": c_len,
    "is_empty": c_is_empty, "clear": c_clear, "extend": s_extend, "retain": s_retain,
    "union": s_union, "intersection": s_intersection, "difference": s_difference,
    "symmetric_difference": s_symmetric_difference, "is_subset": s_is_subset,
    "is_superset": s_is_superset, "is_disjoint": s_is_disjoint, "first": s_first,
    "last": s_last, "pop_first": s_pop_first, "pop_last": s_pop_last, "range": s_range,
}


# ---- operators -------------------------------------------------------------------------

def _set_op(keep: Callable[[Any, dict, dict], bool], both: bool) -> Callable[[Any, Any], Any]:
    """``&a - &b``, ``&a & &b``, ``&a | &b``, ``&a ^ &b`` of two sets of one type: a new
    set of the elements of ``a`` (then of ``b`` if ``both``) that ``keep`` accepts."""
    def op(a: Any, b: Any) -> Any:
        if type(b) is not type(a):
            from .ops import type_error
            raise type_error("set operator", a, b)
        da, db = a.r(), b.r()
        out = type(a)()
        for pk in list(a.keys_view()):
            if keep(pk, da, db):
                out.add(rkey(pk))
        if both:
            for pk in list(b.keys_view()):
                if keep(pk, db, da):
                    out.add(rkey(pk))
        return out
    return op


HashSet._op_sub = _set_op(lambda k, mine, other: k not in other, False)  # type: ignore[attr-defined]
HashSet._op_bitand = _set_op(lambda k, mine, other: k in other, False)  # type: ignore[attr-defined]
HashSet._op_bitor = _set_op(lambda k, mine, other: True, True)  # type: ignore[attr-defined]
HashSet._op_bitxor = _set_op(lambda k, mine, other: k not in other, True)  # type: ignore[attr-defined]
