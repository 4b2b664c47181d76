"""The helpers that tier-0 code of patterns and ``?`` calls on its slow paths
(interp/patterns.py, interp/conditional.py)."""
from __future__ import annotations

from typing import Any, NoReturn

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Err, Some
from .values import Arr, cp, debug, kind, own


def slice_rest(a: Arr, start: int, after: int) -> Arr:
    """The array bound by ``rest @ ..`` in ``[first, rest @ .., last]``: elements
    ``start`` to ``len - after``, each as a new holder sees it."""
    d = a.d[start:len(a.d) - after]
    return Arr([cp(x) for x in d])


def let_fail(v: Any) -> NoReturn:
    """A ``let``, ``for`` or parameter pattern that the value does not have."""
    raise RuchyRuntimeError(f"pattern does not match value {debug(v)}")


def try_check(v: Any) -> None:
    """``e?`` on a value that is not Some/Ok: it must be None or Err (returned)."""
    if v is not NONE and type(v) is not Err:
        raise RuchyRuntimeError(f"`?` needs an Option or a Result, got {kind(v)}")


def try_main(v: Any) -> NoReturn:
    """``e?`` giving None or Err in ``main`` or at the top level: the program stops, as
    a Rust ``main`` that returns an ``Err`` does."""
    try_check(v)
    if type(v) is Err:
        raise RuchyRuntimeError(f"Error: {debug(v.f_0)}")
    raise RuchyRuntimeError("`?` found None in main")


def iter_mut(a: Any) -> list:
    """The elements ``for x in &mut a`` visits: the array's own (a write lands in a)."""
    if type(a) is Arr:
        return own(a).d
    raise RuchyRuntimeError(f"type error: cannot iterate over {kind(a)} with &mut")


def uncell(x: Any) -> Any:
    """The item of a ``for`` over references (resolve/refchains.py) as its pattern takes
    it apart: each reference that is a Cell (a number, tuple or enum element:
    runtime/iterators.iter_mut), inside the item's tuples too, opened to its value."""
    t = type(x)
    if t is Cell:
        return x.v
    if t is tuple:
        return tuple([uncell(e) for e in x])
    return x


def recell(x: Any, new: Any) -> None:
    """Store the parts of ``new`` (the item :func:`uncell` opened, as the pattern's
    bindings left it) into the Cells of the item ``x``."""
    t = type(x)
    if t is Cell:
        x.v = new
    elif t is tuple:
        for a, b in zip(x, new):
            recell(a, b)


def pop_opt(a: Any) -> Any:
    """``v.pop()`` as Rust has it: ``Some(last)``, or ``None`` for an empty array."""
    if type(a) is Arr:
        d = own(a).d
        return Some(d.pop()) if d else NONE
    from .methods import METHODS  # another type's pop (a BinaryHeap's is an Option)
    return METHODS["pop"](a)


#: The names generated code uses (interp/rt.namespace adds them).
NAMESPACE: dict[str, Any] = {
    "_slice_rest": slice_rest, "_letfail": let_fail, "_try_check": try_check,
    "_try_main": try_main, "_iter_mut": iter_mut, "_pop_opt": pop_opt,
    "_uncell": uncell, "_recell": recell,
}
