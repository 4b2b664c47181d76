"""The methods of the collections (runtime/collections.py): maps, sets, VecDeque and
the map entry API, registered into ``methods.METHODS`` by :func:`install` (each name
dispatches on the receiver's type, and to the method it replaces otherwise).

Rust's borrowing methods give the collection's own objects (``get`` of a Vec value is
the Vec the map holds: a caller that stores it copies it); ``get_mut``, ``entry`` and
``iter_mut`` hand out places (collections.Coll.place). Arguments are stored as copies.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from .aggregates import IMMUTABLE, NONE, Cell, Some
from .collections import (_SIMPLE, MAP_TYPES, SET_TYPES, BTreeMap, BTreeSet, Coll, HashMap, HashSet,
                          VecDeque, _MISSING, build, collector, err, held, is_object, pkey,
                          rkey)
from .iterators import Iter, RangeIter, py_iter, range_contains
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


class Entry:
    """``m.entry(k)``: the map and the (copied) key."""

    __slots__ = ("m", "k", "pk")

    def __init__(self, m: HashMap, k: Any) -> None:
        if type(k) in _SIMPLE:
            self.m, self.k, self.pk = m, k, k
        else:
            self.m = m
            self.k = k = held(k)
            self.pk = pkey(k)

    def _display(self) -> str:
        from .values import debug
        return f"Entry({debug(self.k)})"

    def insert(self, make: Callable[[], Any]) -> Any:
        m, pk = self.m, self.pk
        d = m.w()
        v = d.get(pk, _MISSING)
        if v is _MISSING:
            d[pk] = v = held(make())
            m.added(pk)
        return m.place(pk, v)


def e_or_insert(e: Entry, v: Any) -> Any:
    m, pk = e.m, e.pk
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


def e_or_insert_with(e: Entry, f: Callable) -> Any:
    return e.insert(f)


def e_or_insert_with_key(e: Entry, f: Callable) -> Any:
    return e.insert(lambda: f(e.k))


def e_or_default(e: Entry, dflt: Any = _MISSING) -> Any:
    """``or_default()``: the translator passes the value type's default when an
    annotation says it; else the default of a value already in the map (0 if none)."""
    return e.insert(lambda: default_like(e.m) if dflt is _MISSING else dflt)


def e_and_modify(e: Entry, f: Callable) -> Entry:
    d = e.m.w()
    v = d.get(e.pk, _MISSING)
    if v is not _MISSING:
        if is_object(v):
            f(v)
        else:
            c = Cell(v)
            f(c)
            d[e.pk] = c.v
    return e


def e_key(e: Entry) -> Any:
    return e.k


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


# ---- registration -------------------------------------------------------------------------

_MAP = {
    "insert": m_insert, "get": m_get, "get_mut": m_get_mut, "contains_key": m_contains_key,
    "remove": m_remove, "remove_entry": m_remove_entry, "get_key_value": m_get_key_value,
    "entry": Entry, "keys": m_keys, "values": m_values, "values_mut": m_values_mut,
    "iter": m_iter, "iter_mut": m_iter_mut, "into_iter": m_iter, "into_keys": m_keys,
    "into_values": m_values, "drain": m_drain, "len": c_len, "is_empty": c_is_empty,
    "clear": c_clear, "extend": m_extend, "retain": m_retain,
    "first_key_value": m_first_key_value, "last_key_value": m_last_key_value,
    "pop_first": m_pop_first, "pop_last": m_pop_last, "range": m_range,
}
_SET = {
    "insert": s_insert, "contains": s_contains, "remove": s_remove, "take": s_take,
    "get": s_get, "iter": s_iter, "into_iter": s_iter, "drain": m_drain, "len": c_len,
    "is_empty": c_is_empty, "clear": c_clear, "extend": s_extend, "retain": s_retain,
    "union": s_union, "intersection": s_intersection, "difference": s_difference,
    "symmetric_difference": s_symmetric_difference, "is_subset": s_is_subset,
    "is_superset": s_is_superset, "is_disjoint": s_is_disjoint, "first": s_first,
    "last": s_last, "pop_first": s_pop_first, "pop_last": s_pop_last, "range": s_range,
}
_ENTRY = {"or_insert": e_or_insert, "or_insert_with": e_or_insert_with,
          "or_insert_with_key": e_or_insert_with_key, "or_default": e_or_default,
          "and_modify": e_and_modify, "key": e_key}


def tables() -> dict[str, dict[type, Callable[..., Any]]]:
    """Method name -> receiver class -> function, for every collection type."""
    from .deque_methods import DEQUE
    out: dict[str, dict[type, Callable[..., Any]]] = {}
    for classes, methods in (((HashMap, BTreeMap), _MAP), ((HashSet, BTreeSet), _SET),
                             ((Entry,), _ENTRY), ((VecDeque,), DEQUE)):
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
    for name in ("HashMap", "BTreeMap", "HashSet", "BTreeSet", "VecDeque"):
        collectors[name] = collector(name)


def _arity(f: Callable[..., Any]) -> tuple[int, int]:
    import inspect
    try:
        ps = list(inspect.signature(f).parameters.values())[1:]
    except (TypeError, ValueError):
        return 0, 9
    if any(p.kind == p.VAR_POSITIONAL for p in ps):
        return 0, 9
    return sum(1 for p in ps if p.default is p.empty), len(ps)


def _dispatch(name: str, table: dict[type, Callable[..., Any]],
              prev: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    """Method ``name``: the function for the receiver's class in ``table``, else
    ``prev`` (the method of the same name on other types)."""
    import inspect
    arity = {cls: _arity(f) for cls, f in table.items()}

    def wrong(recv: Any, args: tuple) -> bool:
        lo, hi = arity[type(recv)]
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
                          f"{arity[type(recv)][1]}, got {len(args)}") from None
            raise
    method.__name__ = name
    lo = min(a[0] for a in arity.values())
    hi = max(a[1] for a in arity.values())
    if prev is not None:
        plo, phi = _arity(prev)
        lo, hi = min(lo, plo), max(hi, phi)
    P = inspect.Parameter
    method.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [P("recv", P.POSITIONAL_ONLY)]
        + [P(f"a{i}", P.POSITIONAL_ONLY, **({} if i < lo else {"default": None}))
           for i in range(hi)])
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


__all__ = ["tables", "MUTATING", "register_collectors", "Entry", "build", "MAP_TYPES",
           "install"]
