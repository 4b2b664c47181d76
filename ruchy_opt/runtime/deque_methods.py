"""The methods of ``VecDeque`` (runtime/collections.VecDeque, over a Python deque);
registered by runtime/collection_methods.py."""
from __future__ import annotations

from typing import Any, Callable

from .aggregates import NONE, Cell, Some
from .collections import VecDeque, err, held, is_object
from .iterators import Iter, py_iter
from .values import kind


def _int(name: str, i: Any) -> int:
    if type(i) is not int:
        raise err(f"type error: {name}() expects an int index, found {kind(i)}")
    return i


def push_back(q: VecDeque, v: Any) -> None:
    q.w().append(held(v))


def push_front(q: VecDeque, v: Any) -> None:
    q.w().appendleft(held(v))


def pop_back(q: VecDeque) -> Any:
    d = q.w()
    return Some(d.pop()) if d else NONE


def pop_front(q: VecDeque) -> Any:
    d = q.w()
    return Some(d.popleft()) if d else NONE


def front(q: VecDeque) -> Any:
    d = q.r()
    return Some(d[0]) if d else NONE


def back(q: VecDeque) -> Any:
    d = q.r()
    return Some(d[-1]) if d else NONE


def get(q: VecDeque, i: Any) -> Any:
    d = q.r()
    return Some(d[i]) if 0 <= _int("get", i) < len(d) else NONE


def get_mut(q: VecDeque, i: Any) -> Any:
    d = q.w()
    return Some(q.place(i, d[i])) if 0 <= _int("get_mut", i) < len(d) else NONE


def front_mut(q: VecDeque) -> Any:
    return get_mut(q, 0)


def back_mut(q: VecDeque) -> Any:
    return get_mut(q, len(q.r()) - 1)


def iter_(q: VecDeque) -> Iter:
    d = q.r()
    q.shared = True
    return Iter(iter(d), d.__reversed__, len(d))


def iter_mut(q: VecDeque) -> Iter:
    d = q.w()
    ps = [q.place(i, x) for i, x in enumerate(d)]
    return Iter(iter(ps), ps.__reversed__, len(ps))


def contains(q: VecDeque, v: Any) -> bool:
    from .ops import _comparable, eq
    if type(v) is Cell:
        v = v.v
    return any(_comparable(x, v) and eq(x, v) for x in q.r())


def insert(q: VecDeque, i: Any, v: Any) -> None:
    d = q.w()
    if not 0 <= _int("insert", i) <= len(d):
        raise err("index out of bounds")
    d.insert(i, held(v))


def remove(q: VecDeque, i: Any) -> Any:
    d = q.w()
    if not 0 <= _int("remove", i) < len(d):
        return NONE
    v = d[i]
    del d[i]
    return Some(v)


def extend(q: VecDeque, items: Any) -> None:
    xs = [held(x) for x in py_iter(items)]
    q.w().extend(xs)


def append(q: VecDeque, other: Any) -> None:
    """``a.append(&mut b)``: b's items move to the end of a."""
    if type(other) is not VecDeque:
        raise err(f"type error: append() expects a VecDeque, found {kind(other)}")
    xs = list(other.r())
    other.w().clear()
    q.w().extend(xs)


def retain(q: VecDeque, f: Callable) -> None:
    d = q.w()
    keep = []
    for x in d:
        arg = x if is_object(x) else Cell(x)
        ok = f(arg)
        if ok is True:
            keep.append(arg if arg is x else arg.v)
    d.clear()
    d.extend(keep)


def truncate(q: VecDeque, n: Any) -> None:
    d = q.w()
    while len(d) > _int("truncate", n):
        d.pop()


def drain(q: VecDeque, r: Any = None) -> Iter:
    from .strings_mut import slice_
    d = q.w()
    if r is None:
        xs = list(d)
        d.clear()
    else:
        from .values import Arr
        whole = Arr(list(d))
        xs = slice_(whole, r.f_start, r.f_end, r.incl).d
        start = r.f_start or 0
        for _ in xs:
            del d[start]
    return Iter(iter(xs), xs.__reversed__, len(xs))


def swap(q: VecDeque, i: Any, j: Any) -> None:
    d = q.w()
    n = len(d)
    if not (0 <= _int("swap", i) < n and 0 <= _int("swap", j) < n):
        raise err("index out of bounds")
    d[i], d[j] = d[j], d[i]


def rotate_left(q: VecDeque, k: Any) -> None:
    d = q.w()
    if not 0 <= _int("rotate_left", k) <= len(d):
        raise err("rotate_left: amount out of bounds")
    d.rotate(-k)


def rotate_right(q: VecDeque, k: Any) -> None:
    d = q.w()
    if not 0 <= _int("rotate_right", k) <= len(d):
        raise err("rotate_right: amount out of bounds")
    d.rotate(k)


def split_off(q: VecDeque, at: Any) -> VecDeque:
    d = q.w()
    if not 0 <= _int("split_off", at) <= len(d):
        raise err("index out of bounds")
    tail = [d.pop() for _ in range(len(d) - at)][::-1]
    out = VecDeque()
    out.d.extend(tail)
    return out


def resize(q: VecDeque, n: Any, v: Any) -> None:
    d = q.w()
    _int("resize", n)
    while len(d) > n:
        d.pop()
    while len(d) < n:
        d.append(held(v))


def make_contiguous(q: VecDeque) -> Any:
    from .values import Arr
    return Arr(list(q.r()))


def len_(q: VecDeque) -> int:
    return len(q.r())


def is_empty(q: VecDeque) -> bool:
    return not q.r()


def clear(q: VecDeque) -> None:
    q.w().clear()


DEQUE: dict[str, Callable[..., Any]] = {
    "push_back": push_back, "push_front": push_front, "pop_back": pop_back,
    "pop_front": pop_front, "front": front, "back": back, "get": get, "get_mut": get_mut,
    "front_mut": front_mut, "back_mut": back_mut, "iter": iter_, "into_iter": iter_,
    "iter_mut": iter_mut, "contains": contains, "insert": insert, "remove": remove,
    "extend": extend, "append": append, "retain": retain, "truncate": truncate,
    "drain": drain, "swap": swap, "rotate_left": rotate_left, "rotate_right": rotate_right,
    "split_off": split_off, "resize": resize, "make_contiguous": make_contiguous,
    "as_slices": make_contiguous, "len": len_, "is_empty": is_empty, "clear": clear,
}
