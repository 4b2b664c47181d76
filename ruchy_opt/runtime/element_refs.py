"""The element a reference-giving method refers to (``v.last_mut()``, ``q.back_mut()``,
``m.get_mut(&k)``) as a value and a key, and the store of a new value at that key.

Tier 0 hands out the element itself when it is an object (a struct, an array: changed
in place) and a :class:`~.aggregates.Cell` the collection reads back later when it is a
number (runtime/collections.py). Code whose aggregates are values (the IR: structs are
SSA values there, and a Cell would be a number's stand-in that arithmetic does not
take) instead reads the element, changes its own copy, and stores it back at its key
when the reference's scope ends (lower/elemrefs.py). Both give the collection the same
contents, and both fail the same way: a Vec's ``get_mut`` of a number element is the
Vec method's own error, an argument of the wrong type or count the method's own.
"""
from __future__ import annotations

from typing import Any

from .aggregates import NONE, Some
from .collections import HashMap, VecDeque
from .values import Arr

#: The methods whose value is ``Option<&mut T>`` into their receiver's elements.
ELEMENT_REFS = frozenset({"get_mut", "first_mut", "last_mut", "front_mut", "back_mut"})
_ARGS = {"get_mut": 1, "first_mut": 0, "last_mut": 0, "front_mut": 0, "back_mut": 0}


def element_ref(name: str, recv: Any, *args: Any) -> tuple[Any, Any]:
    """``(Some(element) or None, its key)`` of method ``name`` of :data:`ELEMENT_REFS`
    on ``recv`` (the key is None with None). A receiver of another type, or a wrong
    count of arguments, gets the method's own result or error (runtime/methods.py)."""
    from .methods import call_method
    t = type(recv)
    if len(args) != _ARGS[name] or not (t is Arr or isinstance(recv, (VecDeque, HashMap))):
        return call_method(recv, name, args), None
    if t is Arr:
        o = call_method(recv, name, args)  # (a number element is its error)
        if o is NONE:
            return o, None
        return o, args[0] if name == "get_mut" else (0 if name == "first_mut"
                                                      else len(recv.d) - 1)
    if isinstance(recv, VecDeque):
        if name in ("first_mut", "last_mut"):
            return call_method(recv, name, args), None
        d = recv.w()
        if name == "get_mut":
            from .deque_methods import _int
            i = _int("get_mut", args[0])
            key = i if 0 <= i < len(d) else None
        else:
            key = (0 if name == "front_mut" else len(d) - 1) if d else None
        return (NONE, None) if key is None else (Some(d[key]), key)
    if name != "get_mut":
        return call_method(recv, name, args), None
    from .keys import pkey
    k = args[0]
    v = recv.w().get(pkey(k), _MISSING)
    return (NONE, None) if v is _MISSING else (Some(v), k)


_MISSING = object()


def element_put(recv: Any, key: Any, v: Any) -> None:
    """Store ``v`` at ``key`` of ``recv`` (what :func:`element_ref` gave the key of)."""
    if isinstance(recv, HashMap):
        recv.put(key, v)
        return
    from .ops import set_index
    set_index(recv, key, v)


#: The methods whose items are references to the receiver's elements (a ``for`` over
#: them changes the collection): each element's (key, value) for a map's ``iter_mut``,
#: the value for ``values_mut``, the element for a Vec's or a VecDeque's ``iter_mut``.
ITEM_REFS = frozenset({"iter_mut", "values_mut"})


def element_keys(name: str, c: Any) -> Arr:
    """The keys of the items of ``c.name()`` (:data:`ITEM_REFS`), in its order: a map's
    keys, the positions of a Vec's or a VecDeque's elements. Another receiver gets the
    method's own error."""
    if isinstance(c, HashMap):
        from .keys import rkey
        c.r()
        return Arr([rkey(pk) for pk in list(c.keys_view())])
    if name == "iter_mut" and (type(c) is Arr or isinstance(c, VecDeque)):
        return Arr(list(range(len(c.d if type(c) is Arr else c.r()))))
    from .methods import call_method
    call_method(c, name, ())  # (its error: no such method on that type)
    raise AssertionError(f"{name}() of {type(c).__name__} is not a collection's")


def element_item(name: str, c: Any, key: Any) -> Any:
    """The item of ``c.name()`` at ``key``: a map's (key, value) for ``iter_mut``, its
    value for ``values_mut``, a sequence's element."""
    if isinstance(c, HashMap):
        from .keys import pkey
        v = c.w()[pkey(key)]
        return (key, v) if name == "iter_mut" else v
    if type(c) is Arr:
        from .values import own
        return own(c).d[key]
    return c.w()[key]


def element_item_put(name: str, c: Any, key: Any, item: Any) -> None:
    """Store the (changed) item of ``c.name()`` at ``key`` back (a map's (key, value):
    its value)."""
    if isinstance(c, HashMap):
        c.put(key, item[1] if name == "iter_mut" else item)
        return
    element_put(c, key, item)


__all__ = ["ELEMENT_REFS", "ITEM_REFS", "element_item", "element_item_put", "element_keys",
           "element_put", "element_ref"]
