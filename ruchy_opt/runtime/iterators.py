"""Lazy iterators as Rust has them (LANGUAGE.md Level 3): sources and adapters.

An :class:`Iter` wraps a Python iterator. Adapters (``map``, ``filter``, ``take``...)
build Python iterators on top of it (``map``, ``filter``, ``islice``, generators), so
nothing is pulled until a consumer (runtime/iter_consumers.py) or a ``for`` loop asks:
a ``println!`` inside ``map`` runs when ``collect`` or ``take`` pulls the item, exactly
as in Rust.

``rev`` needs a double-ended source. An iterator that nothing has pulled from yet may
carry ``back``: a function giving the same items in reverse order as a new Python
iterator (ranges, arrays and chars have one, and ``map``, ``filter``, ``enumerate``,
``zip``, ``take``, ``skip``, ``chain``... keep one when their input has one, with the
exact length ``n`` where Rust needs ``ExactSizeIterator``). Reversing an iterator that
has none (or that was partly consumed) takes its remaining items first.

Arrays are not iterators: ``v.iter()`` is the array itself (a shared O(1) copy) and
the translator makes a chain that starts at ``v.iter()``, ``s.chars()``, a range...
lazy (interp/iterators.py). An adapter called on an array value itself is eager and
gives an array (the reference implementation's ``numbers.map(|x| x * 2)``).
"""
from __future__ import annotations

from itertools import chain, count, dropwhile, islice, takewhile, tee
from typing import Any, Callable, Iterator, Optional

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Char, Some, Struct
from .values import Arr, cp, debug, kind, own

_END = object()
SOME = Some


class Iter:
    """A Rust iterator. ``it`` is the Python iterator items are pulled from; ``back``
    (or None) gives the items in reverse while nothing was pulled; ``n`` is the exact
    number of items when known."""

    __slots__ = ("it", "back", "n")

    def __init__(self, it: Iterator, back: Optional[Callable[[], Iterator]] = None,
                 n: Optional[int] = None) -> None:
        self.it = it
        self.back = back
        self.n = n

    def pull(self) -> Iterator:
        """The Python iterator, for a consumer: the iterator is no longer fresh."""
        self.back = None
        self.n = None
        return self.it

    def __repr__(self) -> str:
        return "Iter(..)"


def _iter_display(v: Iter) -> str:
    return "<iterator>"


Iter._display = _iter_display  # type: ignore[attr-defined]


class RangeIter(Iter):
    """``a..b``, ``a..=b``, ``a..`` as a value: an iterator that also knows its bounds
    (``r.start``, ``r.end``, ``r.contains(&x)``, ``&v[r]``)."""

    __slots__ = ("f_start", "f_end", "incl")

    def __repr__(self) -> str:
        return f"RangeIter({self.f_start}, {self.f_end}, {self.incl})"


def _range_display(r: RangeIter) -> str:
    a = "" if r.f_start is None else debug(r.f_start)
    b = "" if r.f_end is None else debug(r.f_end)
    return f"{a}..{'=' if r.incl else ''}{b}"


RangeIter._display = _range_display  # type: ignore[attr-defined]


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


def make_range(a: Any, b: Any, inclusive: bool) -> RangeIter:
    """The value of a range expression (``a``/``b`` None when open)."""
    r = RangeIter.__new__(RangeIter)
    r.f_start, r.f_end, r.incl = a, b, inclusive
    r.back, r.n = None, None
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        py = range(a, b + 1 if inclusive else b)
        r.it, r.back, r.n = iter(py), py.__reversed__, len(py)
    elif ta is int and b is None:
        r.it = count(a)
    elif ta is Char and tb is Char:
        lo, hi = ord(a), ord(b) + (1 if inclusive else 0)
        r.it = map(Char, map(chr, range(lo, hi)))
        r.back, r.n = (lambda: map(Char, map(chr, reversed(range(lo, hi))))), max(0, hi - lo)
    elif (a is None or ta in (int, float, Char)) and (b is None or tb in (int, float, Char)):
        r.it = None  # a bound only (`..5`, floats): contains/slicing, not iteration
    else:
        raise _err(f"type error: a range needs numbers or chars, found {kind(a)} and "
                   f"{kind(b)}")
    return r


def range_contains(r: RangeIter, x: Any) -> bool:
    from .ops import cmp
    if type(x) is Cell:
        x = x.v
    if r.f_start is not None and cmp("<", x, r.f_start) not in (0, 1):
        return False
    if r.f_end is None:
        return True
    c = cmp("<", x, r.f_end)
    return c == -1 or (r.incl and c == 0)


# ---- turning values into Python iterators ----------------------------------------------

def py_iter(v: Any) -> Iterator:
    """The items of anything Rust can iterate (IntoIterator): an iterator, an array
    (its elements), a string (its chars), an Option (0 or 1 item), or a value whose
    class defines ``__iter__`` (the collections)."""
    t = type(v)
    if t is Arr:
        v.shared = True  # later writes copy: the items stay what they were
        return iter(v.d)
    if t is Iter or isinstance(v, Iter):
        if v.it is None:
            raise _err(f"type error: cannot iterate over the range {_range_display(v)}")
        return v.pull()
    if t is str:
        return map(Char, v)
    if t is Cell:
        return py_iter(v.v)
    if v is NONE:
        return iter(())
    if t is Some:
        return iter((v.f_0,))
    if hasattr(t, "__iter__") and t is not tuple:
        return iter(v)
    raise _err(f"type error: cannot iterate over {kind(v)}")


def lazy(v: Any) -> Iter:
    """``v`` as an :class:`Iter` (an array: over a snapshot of its elements, double
    ended; an iterator: itself)."""
    if isinstance(v, Iter):
        return v
    if type(v) is Arr:
        v.shared = True
        d = v.d
        return Iter(iter(d), d.__reversed__, len(d))
    if type(v) is str:
        return Iter(map(Char, v), lambda: map(Char, reversed(v)), len(v))
    return Iter(py_iter(v))


def for_iter(v: Any) -> Iterator:
    """What ``for x in v`` visits when ``v`` is not an array or a string."""
    return py_iter(v)


def iter_mut(a: Any) -> Iter:
    """``v.iter_mut()``: the array's own elements, as places. An element that is not
    an object (a number, a string, a tuple) is handed out in a Cell whose value is
    stored back into the array when the next element is pulled or the iterator ends
    (``*x *= 2`` changes ``v``)."""
    if type(a) is Cell:
        a = a.v
    if type(a) is not Arr:
        from .methods import METHODS  # a collection's own iter_mut (collection_methods.py)
        from .collections import COLLECTION_TYPES
        if type(a) in COLLECTION_TYPES:
            return METHODS["iter_mut"](a)
        raise _err(f"type error: cannot iterate over {kind(a)} with iter_mut")
    d = own(a).d
    if all(_is_object(x) for x in d):
        return Iter(iter(d), d.__reversed__, len(d))
    return Iter(_cells(d, range(len(d))), lambda: _cells(d, range(len(d) - 1, -1, -1)), len(d))


def _is_object(x: Any) -> bool:
    """Whether ``x`` is changed in place through a reference (ops.mut_ref's rule: an
    enum value goes in a Cell, so that ``*x = E::B`` can change its variant)."""
    t = type(x)
    return t is Arr or (isinstance(x, Struct) and bool(t._fields))


def _cells(d: list, order: range) -> Iterator:
    for i in order:
        x = d[i]
        if not _is_object(x):
            c = Cell(x)
            try:
                yield c
            finally:
                if i < len(d) and d[i] is x:  # (not replaced since: no stale write)
                    d[i] = c.v
        else:
            yield x


def for_iter_mut(a: Any) -> Any:
    """The elements ``for x in &mut v`` / ``v.iter_mut()`` visits (see iter_mut): the
    list itself when every element is an object, else the write-back generator."""
    it = iter_mut(a)
    return it.it


def for_pos(snap: Any, it: Iterator) -> int:
    """Where a ``for`` loop offered for OSR stands in its snapshot (-1: it iterates a
    lazy iterator, which has none)."""
    return len(snap) - it.__length_hint__() - 1 if type(snap) is list else -1


def for_snap(snap: Any) -> Any:
    """The snapshot a ``for`` loop offered for OSR iterates (a lazy iterator is passed
    as it is: the runtime refuses it)."""
    return Arr(snap) if type(snap) is list else snap


# ---- adapters --------------------------------------------------------------------------

def _derive(src: Iter, it: Iterator, back: Optional[Callable[[], Iterator]],
            n: Optional[int]) -> Iter:
    return Iter(it, back if src.back is not None else None, n)


def fuse(src: Any, gen: Callable[[Iterator], Iterator], exact: bool) -> Iter:
    """A fused chain of adapters (interp/fusion.py): ``gen`` applied to the items of
    ``src``, with ``src``'s reversed items for ``rev()`` while nothing was pulled, and
    its length when ``exact`` (maps only)."""
    src = lazy(src)
    b = src.back
    return Iter(gen(src.it), (lambda: gen(b())) if b else None, src.n if exact else None)


def map_(src: Iter, f: Callable) -> Iter:
    b = src.back
    return Iter(map(f, src.it), (lambda: map(f, b())) if b else None, src.n)


def filter_(src: Iter, p: Callable) -> Iter:
    b = src.back
    return Iter(filter(p, src.it), (lambda: filter(p, b())) if b else None)


def _filter_map(it: Iterator, f: Callable) -> Iterator:
    for x in it:
        r = f(x)
        if type(r) is Some:
            yield r.f_0
        elif r is not NONE:
            raise _err(f"type error: filter_map's closure must return an Option, found "
                       f"{kind(r)}")


def filter_map(src: Iter, f: Callable) -> Iter:
    b = src.back
    return Iter(_filter_map(src.it, f), (lambda: _filter_map(b(), f)) if b else None)


def _map_while(it: Iterator, f: Callable) -> Iterator:
    for x in it:
        r = f(x)
        if type(r) is not Some:
            return
        yield r.f_0


def map_while(src: Iter, f: Callable) -> Iter:
    return Iter(_map_while(src.it, f))


def enumerate_(src: Iter) -> Iter:
    b, n = src.back, src.n
    back = (lambda: zip(range(n - 1, -1, -1), b())) if b and n is not None else None
    return Iter(enumerate(src.it), back, n)


def zip_(src: Iter, other: Any) -> Iter:
    o = lazy(other)
    n = min(src.n, o.n) if src.n is not None and o.n is not None else None
    back = None
    if src.back is not None and o.back is not None and n is not None:
        sb, ob, sn, on = src.back, o.back, src.n, o.n
        back = lambda: zip(islice(sb(), sn - n, None), islice(ob(), on - n, None))  # noqa: E731
    return Iter(zip(src.it, o.it), back, n)


def rev(src: Iter) -> Iter:
    if src.back is not None:
        front = src.it
        return Iter(src.back(), lambda: front, src.n)
    d = list(src.pull())
    d.reverse()
    return Iter(iter(d), d.__reversed__, len(d))


def _count_arg(name: str, k: Any) -> int:
    if type(k) is not int or k < 0:
        raise _err(f"type error: {name}() expects a non-negative int, found {debug(k)}")
    return k


def take(src: Iter, k: Any) -> Iter:
    k = _count_arg("take", k)
    n, b = src.n, src.back
    m = min(n, k) if n is not None else None
    back = (lambda: islice(b(), n - m, None)) if b and n is not None else None
    return Iter(islice(src.it, k), back, m)


def skip(src: Iter, k: Any) -> Iter:
    k = _count_arg("skip", k)
    n, b = src.n, src.back
    m = max(n - k, 0) if n is not None else None
    back = (lambda: islice(b(), m)) if b and n is not None else None
    return Iter(islice(src.it, k, None), back, m)


def take_while(src: Iter, p: Callable) -> Iter:
    return Iter(takewhile(p, src.it))


def skip_while(src: Iter, p: Callable) -> Iter:
    return Iter(dropwhile(p, src.it))


def step_by(src: Iter, k: Any) -> Iter:
    if type(k) is not int or k <= 0:
        raise _err("assertion failed: step != 0" if k == 0 else
                   f"type error: step_by() expects a positive int, found {debug(k)}")
    n, b = src.n, src.back
    m = (n + k - 1) // k if n is not None else None
    back = (lambda: islice(b(), (n - 1) % k, None, k)) if b and n else None
    if b and n == 0:
        back = lambda: iter(())  # noqa: E731
    return Iter(islice(src.it, 0, None, k), back, m)


def chain_(src: Iter, other: Any) -> Iter:
    o = lazy(other)
    back = None
    if src.back is not None and o.back is not None:
        sb, ob = src.back, o.back
        back = lambda: chain(ob(), sb())  # noqa: E731
    n = src.n + o.n if src.n is not None and o.n is not None else None
    return Iter(chain(src.it, o.it), back, n)


def _flat(it: Iterator, f: Optional[Callable]) -> Iterator:
    for x in it:
        yield from py_iter(f(x) if f is not None else x)


def flat_map(src: Iter, f: Callable) -> Iter:
    b = src.back
    return Iter(_flat(src.it, f), (lambda: _flat_back(b(), f)) if b else None)


def flatten(src: Iter) -> Iter:
    b = src.back
    return Iter(_flat(src.it, None), (lambda: _flat_back(b(), None)) if b else None)


def _flat_back(it: Iterator, f: Optional[Callable]) -> Iterator:
    for x in it:
        inner = lazy(f(x) if f is not None else x)
        yield from rev(inner).it


def cloned(src: Iter) -> Iter:
    b = src.back
    return Iter(map(cp, src.it), (lambda: map(cp, b())) if b else None, src.n)


def _inspect(it: Iterator, f: Callable) -> Iterator:
    for x in it:
        f(x)
        yield x


def inspect(src: Iter, f: Callable) -> Iter:
    b = src.back
    return Iter(_inspect(src.it, f), (lambda: _inspect(b(), f)) if b else None, src.n)


def _scan(it: Iterator, state: Cell, f: Callable) -> Iterator:
    for x in it:
        r = f(state, x)
        if type(r) is not Some:
            return
        yield r.f_0


def scan(src: Iter, init: Any, f: Callable) -> Iter:
    """``scan(init, |state, x| ...)``: the state is a ``&mut`` (a Cell)."""
    return Iter(_scan(src.it, Cell(cp(init)), f))


def cycle(src: Iter) -> Iter:
    d = list(src.pull())
    return Iter(_cycle(d))


def _cycle(d: list) -> Iterator:
    while d:
        for x in d:
            yield cp(x)


def same(src: Iter) -> Iter:
    """``by_ref``, ``fuse``, ``into_iter``/``iter`` of an iterator: itself."""
    return src


class Peekable(Iter):
    """``it.peekable()``: ``peek()`` looks at the next item without consuming it."""

    __slots__ = ("src", "buf")

    def __init__(self, src: Iterator) -> None:
        super().__init__(self._gen())
        self.src = src
        self.buf: list = []

    def _gen(self) -> Iterator:
        while True:
            if self.buf:
                yield self.buf.pop()
                continue
            x = next(self.src, _END)
            if x is _END:
                return
            yield x

    def peek(self) -> Any:
        if not self.buf:
            x = next(self.src, _END)
            if x is _END:
                return NONE
            self.buf.append(x)
        return Some(self.buf[0])


def peekable(src: Iter) -> Peekable:
    return Peekable(src.pull())


def clone_iter(src: Iter) -> Iter:
    """``it.clone()``: two iterators over the same remaining items."""
    if isinstance(src, RangeIter):
        return make_range(src.f_start, src.f_end, src.incl)
    a, b = tee(src.it)
    src.it = a
    return Iter(b, None, src.n)


#: name -> (adapter, number of arguments); each takes the source Iter first.
ADAPTERS: dict[str, tuple[Callable[..., Iter], int]] = {
    "map": (map_, 1), "filter": (filter_, 1), "filter_map": (filter_map, 1),
    "map_while": (map_while, 1), "enumerate": (enumerate_, 0), "zip": (zip_, 1),
    "rev": (rev, 0), "take": (take, 1), "skip": (skip, 1), "take_while": (take_while, 1),
    "skip_while": (skip_while, 1), "step_by": (step_by, 1), "chain": (chain_, 1),
    "flat_map": (flat_map, 1), "flatten": (flatten, 0), "cloned": (cloned, 0),
    "copied": (cloned, 0), "inspect": (inspect, 1), "scan": (scan, 2),
    "peekable": (peekable, 0), "cycle": (cycle, 0), "by_ref": (same, 0),
    "fuse": (same, 0),
}
