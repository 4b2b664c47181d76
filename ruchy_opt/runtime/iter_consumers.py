"""Iterator consumers (``sum``, ``fold``, ``collect``, ``max_by_key``...) and the
Vec methods that take closures (``sort_by``, ``retain``...), registered into
``methods.METHODS`` by :func:`install` (runtime/iterators.py has the lazy adapters).

Each method accepts an iterator (runtime/iterators.Iter) and, where the reference
implementation or Rust's slices have the same method, an array: adapters on an array
are eager and give an array; consumers read its elements.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from ..errors import RuchyRuntimeError
from . import ops
from .aggregates import IMMUTABLE, NONE, Cell, Err, Ok, Some
from .arity import declare, method_arity, widest as _widest
from .iterators import ADAPTERS, Iter, Peekable, RangeIter, clone_iter, iter_mut, lazy, \
    make_range, py_iter, range_contains
from .values import Arr, cp, debug, kind, own, text
from .vec_closures import ORDERING_METHODS, on_ordering, binary_search, binary_search_by_key, chunks, \
    dedup_by, dedup_by_key, ordering_int, retain, sort_by, sort_by_key, windows

ITER_TYPES = frozenset({Iter, RangeIter, Peekable})
_END = object()
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


def _held(x: Any) -> Any:
    """An item as a new holder (an array element) stores it."""
    return x if type(x) in IMMUTABLE else cp(x)


# ---- consumers -------------------------------------------------------------------------

def next_(v: Any) -> Any:
    """``it.next()``; on an array (``let mut it = s.split(' ')``) the first element is
    taken off."""
    if type(v) is Arr:
        d = own(v).d
        return Some(d.pop(0)) if d else NONE
    x = next(v.pull(), _END)
    return NONE if x is _END else Some(x)


def next_back(v: Any) -> Any:
    if type(v) is Arr:
        d = own(v).d
        return Some(d.pop()) if d else NONE
    d = list(v.pull())
    x = d.pop() if d else _END
    v.it, v.back, v.n = iter(d), d.__reversed__, len(d)
    return NONE if x is _END else Some(x)


def nth(v: Any, k: Any) -> Any:
    if type(k) is not int or k < 0:
        raise _err(f"type error: nth() expects a non-negative int, found {debug(k)}")
    if type(v) is Arr:
        return Some(v.d[k]) if k < len(v.d) else NONE
    x = next(iter(_islice(v.pull(), k)), _END)
    return NONE if x is _END else Some(x)


def _islice(it: Iterator, k: int) -> Iterator:
    from itertools import islice
    return islice(it, k, None)


def last(v: Any) -> Any:
    if type(v) is Arr:
        return Some(v.d[-1]) if v.d else NONE
    x = _END
    for x in v.pull():
        pass
    return NONE if x is _END else Some(x)


def first(v: Any) -> Any:
    if type(v) is Arr:
        return Some(v.d[0]) if v.d else NONE
    return next_(v)


def count_(v: Any) -> int:
    if type(v) is Arr:
        return len(v.d)
    from itertools import islice
    it, n = v.pull(), 0
    while True:  # (a chunk at a time: the items are counted at C speed)
        k = len(list(islice(it, 4096)))
        n += k
        if k < 4096:
            return n


def sum_(v: Any, zero: Any = 0) -> Any:
    if type(zero) is int:
        return _int_sum(py_iter(v), zero)
    return _sum(py_iter(v), zero)


def int_sum(v: Iter) -> int:
    """``sum()`` of a fused chain that yields ints only (interp/fusion.py): the builtin
    sum, the result range-checked as sum_ checks it."""
    total = sum(v.pull())
    if not INT_MIN <= total <= INT_MAX:
        raise _err("integer overflow")
    return total


def _int_sum(it: Iterator, total: int) -> Any:
    """An int sum: runs of int items are added by the builtin ``sum`` (a chunk at a time,
    its types checked at C speed); a chunk holding anything else goes item by item."""
    from itertools import islice
    while True:
        chunk = list(islice(it, 512))
        if not chunk:
            break
        if set(map(type, chunk)) == _INT_ONLY and type(total) is int:
            total = sum(chunk, total)
        else:
            total = _sum(iter(chunk), total, check=False)
    if type(total) is int and not INT_MIN <= total <= INT_MAX:
        raise _err("integer overflow")
    return total


_INT_ONLY = {int}


def _sum(it: Iterator, zero: Any, check: bool = True) -> Any:
    total = zero
    for x in it:
        if type(x) is int and type(total) is int:
            total += x
        elif type(x) is float and type(total) is float:
            total += x
        else:
            total = ops.add(total, x.v if type(x) is Cell else x)
    if check and type(total) is int and not INT_MIN <= total <= INT_MAX:
        raise _err("integer overflow")
    return total


def product(v: Any, one: Any = 1) -> Any:
    total = one
    for x in py_iter(v):
        total = ops.mul(total, x.v if type(x) is Cell else x)
    return total


def _best(v: Any, key: Callable[[Any], Any], last_wins: bool, what: str) -> Any:
    """The first (min) or last (max) item whose key is least/greatest, as Rust."""
    best, bk = _END, None
    for x in py_iter(v):
        k = key(x)
        if best is _END:
            best, bk = x, k
            continue
        c = ops.cmp(what, k, bk)
        if c == 2:
            raise _err(f"{what}: values that do not compare (NaN)")
        if (c > 0 if last_wins else c < 0) or (last_wins and c == 0):
            best, bk = x, k
    return NONE if best is _END else Some(best)


def _best_by(v: Any, f: Callable, last_wins: bool, what: str) -> Any:
    best = _END
    for x in py_iter(v):
        if best is _END:
            best = x
            continue
        c = ordering_int(f(best, x), what)  # as Rust: compare(acc, x)
        if (c <= 0) if last_wins else (c > 0):
            best = x
    return NONE if best is _END else Some(best)


def _same(x: Any) -> Any:
    return x


def min_(v: Any) -> Any:
    items = _ints(v)
    if type(items) is list:
        return Some(min(items)) if items else NONE
    return _best(items, _same, False, "min")


def max_(v: Any) -> Any:
    items = _ints(v)
    if type(items) is list:
        return Some(max(items)) if items else NONE
    return _best(items, _same, True, "max")


def _ints(v: Any) -> Any:
    """The items of ``v`` as a list when they are all ints (whose least and greatest
    Python finds as Rust does: equal ints are alike), else an iterator over them."""
    items = list(py_iter(v))
    return items if set(map(type, items)) <= _INT_ONLY else iter(items)


def min_by_key(v: Any, f: Callable) -> Any:
    return _best(v, f, False, "min_by_key")


def max_by_key(v: Any, f: Callable) -> Any:
    return _best(v, f, True, "max_by_key")


def min_by(v: Any, f: Callable) -> Any:
    return _best_by(v, f, False, "min_by")


def max_by(v: Any, f: Callable) -> Any:
    return _best_by(v, f, True, "max_by")


def fold(v: Any, init: Any, f: Callable) -> Any:
    acc = init
    for x in py_iter(v):
        acc = f(acc, x)
    return acc


def reduce(v: Any, *args: Any) -> Any:
    """Rust's ``reduce(f)`` (an Option); the reference's ``reduce(init, f)`` is fold."""
    if len(args) == 2:
        return fold(v, *args)
    f, = args
    it = py_iter(v)
    acc = next(it, _END)
    if acc is _END:
        return NONE
    for x in it:
        acc = f(acc, x)
    return Some(acc)


def any_(v: Any, p: Callable) -> bool:
    for x in py_iter(v):
        if p(x) is True:
            return True
    return False


def all_(v: Any, p: Callable) -> bool:
    for x in py_iter(v):
        if p(x) is not True:
            return False
    return True


def find(v: Any, p: Callable) -> Any:
    for x in py_iter(v):
        if p(x) is True:
            return Some(x)
    return NONE


def find_map(v: Any, f: Callable) -> Any:
    for x in py_iter(v):
        r = f(x)
        if r is not NONE:
            return r
    return NONE


def position(v: Any, p: Callable) -> Any:
    for i, x in enumerate(py_iter(v)):
        if p(x) is True:
            return Some(i)
    return NONE


def rposition(v: Any, p: Callable) -> Any:
    d = v.d if type(v) is Arr else list(py_iter(v))
    for i in range(len(d) - 1, -1, -1):
        if p(d[i]) is True:
            return Some(i)
    return NONE


def for_each(v: Any, f: Callable) -> None:
    for x in py_iter(v):
        f(x)


def unzip(v: Any) -> tuple:
    a, b = [], []
    for x in py_iter(v):
        if type(x) is not tuple or len(x) != 2:
            raise _err(f"type error: unzip() needs pairs, found {kind(x)}")
        a.append(_held(x[0]))
        b.append(_held(x[1]))
    return Arr(a), Arr(b)


def partition(v: Any, p: Callable) -> tuple:
    yes, no = [], []
    for x in py_iter(v):
        (yes if p(x) is True else no).append(_held(x))
    return Arr(yes), Arr(no)


def as_str(v: Any) -> str:
    """``chars.as_str()``: the characters not taken yet, as a string."""
    d = v.d if type(v) is Arr else list(v.pull())
    if type(v) is not Arr:
        v.it = iter(d)
    return _string(iter(d))


def join_iter(v: Any, sep: Any = "") -> str:
    return str(sep).join(text(x) for x in py_iter(v))


def length(v: Any) -> int:
    """``len()`` of an ExactSizeIterator (a range, ``iter()`` of an array...)."""
    if v.n is None:
        if isinstance(v, RangeIter) and v.it is None:
            raise _err(f"type error: no method 'len' on the range {debug(v)}")
        d = list(v.pull())
        v.it, v.back, v.n = iter(d), d.__reversed__, len(d)
    return v.n


# ---- collect -----------------------------------------------------------------------------

#: ``collect`` into a collection type: the type's name -> a function of the items.
#: The collections (HashMap, HashSet, BTreeMap, BTreeSet, VecDeque) register here.
COLLECTORS: dict[str, Callable[[Iterator], Any]] = {}


def _string(items: Iterator) -> str:
    parts = []
    for x in items:
        if not isinstance(x, str):
            raise _err(f"type error: cannot collect {kind(x)} into a String")
        parts.append(x)
    return "".join(parts)


def collect(v: Any, target: str = "Vec", inner: str = "Vec") -> Any:
    """``collect()`` into ``target`` (the head of the type Rust infers: Vec, String, a
    collection registered in COLLECTORS, or Result/Option of ``inner``)."""
    items = py_iter(v)
    if target in ("Vec", "", "_", "Box", "Rc", "VecDeque") and target not in COLLECTORS:
        return Arr([x if type(x) in IMMUTABLE else cp(x) for x in items])
    if target == "String":
        return _string(items)
    if target in ("Result", "Option"):
        good: list = []
        for x in items:
            if x is NONE or type(x) is Err:
                return x
            if type(x) not in (Some, Ok):
                raise _err(f"type error: cannot collect {kind(x)} into {target}")
            good.append(x.f_0)
        inside = collect(iter(good), inner)
        return Some(inside) if target == "Option" else Ok(inside)
    f = COLLECTORS.get(target)
    if f is None:
        raise _err(f"collect into {target} is not supported yet")
    return f(items)


def iter_(v: Any) -> Any:
    """``iter()``/``into_iter()``: an array is its own (shared) copy, an iterator itself,
    an Option its 0 or 1 items."""
    if type(v) is Arr:
        return cp(v)
    if type(v) is Cell:
        return iter_(v.v)
    if type(v) in ITER_TYPES:
        return v
    if v is NONE or type(v) is Some:
        return Arr([v.f_0] if type(v) is Some else [])
    if hasattr(type(v), "__iter__") and type(v) not in (str, tuple):
        return Iter(iter(v))
    raise _err(f"type error: no method 'iter' on {kind(v)}")


def range_method(name: str) -> Callable[..., Any]:
    """Range-only methods (``contains``, ``is_empty``)."""
    def m(r: RangeIter, *args: Any) -> Any:
        if name == "contains":
            return range_contains(r, *args)
        return count_(make_range(r.f_start, r.f_end, r.incl)) == 0
    return m


# ---- registration ------------------------------------------------------------------------

def _eager(adapter: Callable[..., Iter]) -> Callable[..., Any]:
    """An adapter called on an array: the array of what it gives (peekable stays lazy)."""
    def on_array(a: Arr, *args: Any) -> Any:
        out = adapter(lazy(a), *args)
        if type(out) is Peekable:
            return out
        return Arr([_held(x) for x in out.it])
    return on_array


#: name -> (on an iterator, on an array or None, fewest and most arguments)
_CONSUMERS: dict[str, tuple[Callable, Any, int, int]] = {
    "next": (next_, next_, 0, 0), "next_back": (next_back, next_back, 0, 0),
    "nth": (nth, nth, 1, 1), "last": (last, last, 0, 0), "first": (first, first, 0, 0),
    "count": (count_, count_, 0, 0), "sum": (sum_, sum_, 0, 1),
    "product": (product, product, 0, 1), "min": (min_, min_, 0, 0), "max": (max_, max_, 0, 0),
    "min_by_key": (min_by_key, min_by_key, 1, 1), "max_by_key": (max_by_key, max_by_key, 1, 1),
    "min_by": (min_by, min_by, 1, 1), "max_by": (max_by, max_by, 1, 1),
    "fold": (fold, fold, 2, 2), "reduce": (reduce, reduce, 1, 2), "any": (any_, any_, 1, 1),
    "all": (all_, all_, 1, 1), "find": (find, find, 1, 1), "find_map": (find_map, find_map, 1, 1),
    "position": (position, position, 1, 1), "rposition": (rposition, rposition, 1, 1),
    "for_each": (for_each, for_each, 1, 1), "unzip": (unzip, unzip, 0, 0),
    "partition": (partition, partition, 1, 1), "join": (join_iter, None, 0, 1),
    "collect": (collect, collect, 0, 2), "len": (length, None, 0, 0),
    "iter": (iter_, iter_, 0, 0), "into_iter": (iter_, iter_, 0, 0),
    "iter_mut": (iter_, iter_mut, 0, 0), "clone": (clone_iter, None, 0, 0),
    "sort_by_key": (None, sort_by_key, 1, 1), "sort_unstable_by_key": (None, sort_by_key, 1, 1),
    "sort_by_cached_key": (None, sort_by_key, 1, 1), "sort_by": (None, sort_by, 1, 1),
    "sort_unstable_by": (None, sort_by, 1, 1), "retain": (None, retain, 1, 1),
    "dedup_by_key": (None, dedup_by_key, 1, 1), "dedup_by": (None, dedup_by, 1, 1),
    "binary_search": (None, binary_search, 1, 1),
    "binary_search_by_key": (None, binary_search_by_key, 2, 2),
    "windows": (None, windows, 1, 1), "chunks": (None, chunks, 1, 1),
    "peek": (Peekable.peek, None, 0, 0), "as_str": (as_str, as_str, 0, 0),
}

#: Methods that change their receiver (the iterator advances, the Vec is sorted...).
MUTATING = frozenset({"sort_unstable", "next", "next_back", "nth", "peek", "sort_by_key", "sort_by",
                      "sort_unstable_by_key", "sort_unstable_by", "sort_by_cached_key",
                      "retain", "dedup_by_key", "dedup_by", "for_each", "by_ref"})


def _method(name: str, on_iter: Any, on_arr: Any, lo: int, hi: int,
            prev: Any) -> Callable[..., Any]:
    def method(recv: Any, *args: Any) -> Any:
        t = type(recv)
        if t in ITER_TYPES:
            if on_iter is not None and lo <= len(args) <= hi:
                if t is not Peekable and name == "peek":
                    raise _err("no method 'peek' on an iterator that is not peekable")
                return on_iter(recv, *args)
        elif t is Arr or (t is Cell and type(recv.v) is Arr):
            if on_arr is not None and lo <= len(args) <= hi:
                return on_arr(recv if t is Arr else recv.v, *args)
        if prev is not None:
            return prev(recv, *args)
        if on_iter is None and on_arr is None or (t not in ITER_TYPES and t is not Arr):
            raise _err(f"type error: no method '{name}' on {kind(recv)}")
        raise _err(f"wrong number of arguments to method '{name}'")
    method.__name__ = name
    declare(method, lambda: _widest((lo, hi), prev))
    return method


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Register the iterator adapters and consumers and the Vec closure methods, each
    dispatching on the receiver's type to the method it replaces otherwise."""
    for name, (adapter, n) in ADAPTERS.items():
        methods[name] = _method(name, adapter, _eager(adapter), n, n, methods.get(name))
    for name, (on_iter, on_arr, lo, hi) in _CONSUMERS.items():
        methods[name] = _method(name, on_iter, on_arr, lo, hi, methods.get(name))
    methods["collect"] = _any_receiver("collect", collect, 0, 2)
    if "sort" in methods:
        methods.setdefault("sort_unstable", methods["sort"])
    for name, f in ORDERING_METHODS.items():
        methods[name] = on_ordering(name, f, methods.get(name))
    methods["contains"] = _range_first("contains", methods.get("contains"))
    methods["is_empty"] = _range_first("is_empty", methods.get("is_empty"))


def _any_receiver(name: str, f: Callable[..., Any], lo: int, hi: int) -> Callable[..., Any]:
    """A consumer every iterable value has (``"abc".collect()`` of a char's
    ``to_uppercase()``, an Option...)."""
    def method(recv: Any, *args: Any) -> Any:
        if not lo <= len(args) <= hi:
            raise _err(f"wrong number of arguments to method '{name}'")
        return f(recv, *args)
    method.__name__ = name
    declare(method, (lo, hi))
    return method


def _range_first(name: str, prev: Any) -> Callable[..., Any]:
    mine = range_method(name)

    def method(recv: Any, *args: Any) -> Any:
        if type(recv) is RangeIter:
            return mine(recv, *args)
        return prev(recv, *args)
    method.__name__ = name
    if prev is not None:
        declare(method, lambda: method_arity(prev))
    return method
