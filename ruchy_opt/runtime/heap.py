"""``std::collections::BinaryHeap`` (a max-heap by Rust's ``Ord``: runtime/ops.cmp, so a
user's ``impl Ord`` too) and ``std::cmp::Reverse`` (a tuple struct ordered the other way).

The heap keeps its elements in a list laid out as Rust's is: ``push`` sifts up,
``pop`` swaps the last element to the top and sifts it to the bottom and back up,
``BinaryHeap::from`` heapifies bottom-up, ``into_sorted_vec`` sorts in place, all as
Rust's standard library does, so ``into_vec``, ``iter`` and ``{:?}`` (the list's order)
print what Rust prints, ties between equal elements included.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from .aggregates import IMMUTABLE, NONE, Some, struct_class
from .collections import Coll, err, held
from .values import Arr, cp, debug, pretty


def _le(a: Any, b: Any) -> bool:
    from .ops import cmp
    return cmp("cmp", a, b) <= 0


def _lt(a: Any, b: Any) -> bool:
    from .ops import cmp
    return cmp("cmp", a, b) < 0


def _sift_up(d: list, start: int, pos: int) -> None:
    x = d[pos]
    while pos > start:
        parent = (pos - 1) // 2
        if _le(x, d[parent]):
            break
        d[pos] = d[parent]
        pos = parent
    d[pos] = x


def _sift_down_range(d: list, pos: int, end: int) -> None:
    x = d[pos]
    child = 2 * pos + 1
    while child <= end - 2:
        if _le(d[child], d[child + 1]):
            child += 1
        if not _lt(x, d[child]):
            d[pos] = x
            return
        d[pos] = d[child]
        pos = child
        child = 2 * pos + 1
    if child == end - 1 and _lt(x, d[child]):
        d[pos] = d[child]
        pos = child
    d[pos] = x


def _sift_down_to_bottom(d: list, pos: int) -> None:
    end, start = len(d), pos
    x = d[pos]
    child = 2 * pos + 1
    while child <= end - 2:
        if _le(d[child], d[child + 1]):
            child += 1
        d[pos] = d[child]
        pos = child
        child = 2 * pos + 1
    if child == end - 1:
        d[pos] = d[child]
        pos = child
    d[pos] = x
    _sift_up(d, start, pos)


class BinaryHeap(Coll):
    """A max-heap (see the module's docstring); displays as the list it keeps."""

    __slots__ = ()
    _name = "BinaryHeap"

    def __init__(self, items: Any = ()) -> None:
        self.d, self.shared, self.pending = [held(x) for x in items], False, []
        d = self.d
        n = len(d) // 2
        while n > 0:
            n -= 1
            _sift_down_range(d, n, len(d))

    def unshare(self) -> None:
        self.d = [x if type(x) in IMMUTABLE else cp(x) for x in self.d]
        self.shared = False

    def __iter__(self) -> Iterator[Any]:
        d = self.r()
        self.shared = True
        return iter(d)

    def __eq__(self, other: object) -> bool:
        return self is other  # (Rust's BinaryHeap has no ==)

    __hash__ = object.__hash__

    def _display(self) -> str:
        return "[" + ", ".join(debug(x) for x in self.r()) + "]"

    def _pretty(self, indent: str) -> str:
        return pretty(Arr(list(self.r())), indent)


def push(h: BinaryHeap, x: Any) -> None:
    d = h.w()
    d.append(held(x))
    _sift_up(d, 0, len(d) - 1)


def pop(h: BinaryHeap) -> Any:
    d = h.w()
    if not d:
        return NONE
    item = d.pop()
    if d:
        item, d[0] = d[0], item
        _sift_down_to_bottom(d, 0)
    return Some(item)


def peek(h: BinaryHeap) -> Any:
    d = h.r()
    return Some(d[0]) if d else NONE


def into_sorted_vec(h: BinaryHeap) -> Arr:
    d = list(h.r())
    h.shared = True
    end = len(d)
    while end > 1:
        end -= 1
        d[0], d[end] = d[end], d[0]
        _sift_down_range(d, 0, end)
    return Arr([x if type(x) in IMMUTABLE else cp(x) for x in d])


def into_vec(h: BinaryHeap) -> Arr:
    return Arr([x if type(x) in IMMUTABLE else cp(x) for x in h.r()])


def extend(h: BinaryHeap, items: Any) -> None:
    from .iterators import py_iter
    for x in py_iter(items):
        push(h, x)


def clear(h: BinaryHeap) -> None:
    h.w().clear()


def _drain(h: BinaryHeap) -> Arr:
    d = h.w()
    out = Arr(d[:])
    d.clear()
    return out


HEAP: dict[str, Callable[..., Any]] = {
    "push": push, "pop": pop, "peek": peek, "len": lambda h: len(h.r()),
    "is_empty": lambda h: not h.r(), "clear": clear, "into_sorted_vec": into_sorted_vec,
    "into_vec": into_vec, "extend": extend, "iter": lambda h: Arr(list(h.r())),
    "into_iter": lambda h: into_vec(h), "drain": _drain, "to_vec": into_vec,
}


def _reverse_cmp(a: Any, b: Any) -> int:
    from .ops import cmp
    if type(b) is not Reverse:
        raise err("type error: cannot compare Reverse with another type")
    return cmp("cmp", b.f_0, a.f_0)


#: ``std::cmp::Reverse(x)``: ``.0`` is ``x``; ordered as ``x`` the other way round.
Reverse = struct_class("Reverse", "tuple", ["0"])
Reverse._ucmp = staticmethod(_reverse_cmp)
