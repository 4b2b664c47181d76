"""References into a collection's items as a collection and a key (:class:`KeyRef`),
for code whose aggregates are values (the IR: structs are SSA values there, and a
Cell would be a number's stand-in that arithmetic does not take).

Tier 0 hands out the element itself when it is an object (a struct, an array: changed
in place) and a :class:`~.aggregates.Cell` the collection reads back later when it is a
number (runtime/collections.py). The IR instead reads the element through a KeyRef
(``deref``), changes its own copy, and stores it back at its key (``deref_set``) when
the reference's scope ends (lower/elemrefs.py, lower/mutloops.py). Both give the
collection the same contents, and both fail the same way: a Vec's ``get_mut`` of a
number element is the Vec method's own error, an argument of the wrong type or count
the method's own.
"""
from __future__ import annotations

from typing import Any

from .aggregates import NONE, Some
from .collections import HashMap, VecDeque
from .values import Arr

#: The methods whose value is ``Option<&mut T>`` into their receiver's elements.
ELEMENT_REFS = frozenset({"get_mut", "first_mut", "last_mut", "front_mut", "back_mut"})
_ARGS = {"get_mut": 1, "first_mut": 0, "last_mut": 0, "front_mut": 0, "back_mut": 0}


class KeyRef:
    """A reference to the item of collection ``c`` at ``key``: as ``get_mut`` and the
    like give it (``item`` None: the element, or a map's value), or as ``c.item()``
    (``iter_mut``, ``values_mut``) yields it (a map's ``iter_mut``: the pair of its key
    and value)."""

    __slots__ = ("c", "key", "item")

    def __init__(self, c: Any, key: Any, item: Any = None) -> None:
        self.c = c
        self.key = key
        self.item = item

    def get(self) -> Any:
        """The item referred to (``*r``)."""
        c = self.c
        if isinstance(c, HashMap):
            from .keys import pkey
            v = c.w()[pkey(self.key)]
            return (self.key, v) if self.item == "iter_mut" else v
        if type(c) is Arr:
            from .values import own
            return own(c).d[self.key]
        return c.w()[self.key]

    def put(self, v: Any) -> None:
        """Store ``v`` as the item referred to (``*r = v``; a map's pair: its value)."""
        c = self.c
        if isinstance(c, HashMap):
            c.put(self.key, v[1] if self.item == "iter_mut" else v)
            return
        from .ops import set_index
        set_index(c, self.key, v)

    def __repr__(self) -> str:
        return f"KeyRef({self.key!r})"


def element_ref(name: str, recv: Any, *args: Any) -> tuple[Any, Any]:
    """``(Some(element) or None, a reference to it)`` of method ``name`` of
    :data:`ELEMENT_REFS` on ``recv`` (the reference is a :class:`KeyRef`; None with
    None). A receiver of another type, or a wrong count of arguments, gets the method's
    own result or error (runtime/methods.py), and the runtime's reference (a Cell or
    the element itself) in its Some."""
    from .methods import call_method
    t = type(recv)
    if len(args) != _ARGS[name] or not (t is Arr or isinstance(recv, (VecDeque, HashMap))):
        o = call_method(recv, name, args)
        return o, (o.f_0 if o is not NONE and hasattr(o, "f_0") else None)
    if t is Arr:
        o = call_method(recv, name, args)  # (a number element is its error)
        if o is NONE:
            return o, None
        return o, KeyRef(recv, args[0] if name == "get_mut" else (
            0 if name == "first_mut" else len(recv.d) - 1))
    if isinstance(recv, VecDeque):
        if name in ("first_mut", "last_mut"):
            o = call_method(recv, name, args)
            return o, (o.f_0 if o is not NONE else None)
        d = recv.w()
        if name == "get_mut":
            from .deque_methods import _int
            i = _int("get_mut", args[0])
            key = i if 0 <= i < len(d) else None
        else:
            key = (0 if name == "front_mut" else len(d) - 1) if d else None
        return (NONE, None) if key is None else (Some(d[key]), KeyRef(recv, key))
    if name != "get_mut":
        o = call_method(recv, name, args)
        return o, (o.f_0 if o is not NONE else None)
    from .keys import pkey
    k = args[0]
    v = recv.w().get(pkey(k), _MISSING)
    return (NONE, None) if v is _MISSING else (Some(v), KeyRef(recv, k))


_MISSING = object()


#: The methods whose items are references to the receiver's elements (a ``for`` over
#: them changes the collection): each element's (key, value) for a map's ``iter_mut``,
#: the value for ``values_mut``, the element for a Vec's or a VecDeque's ``iter_mut``.
ITEM_REFS = frozenset({"iter_mut", "values_mut"})


def item_refs(name: str, c: Any) -> Arr:
    """References to the items of ``c.name()`` (:data:`ITEM_REFS`), in its order: by a
    map's keys, by the positions of a Vec's or a VecDeque's elements. Another receiver
    gets the method's own error."""
    if isinstance(c, HashMap):
        from .keys import rkey
        c.r()
        return Arr([KeyRef(c, rkey(pk), name) for pk in list(c.keys_view())])
    if name == "iter_mut" and (type(c) is Arr or isinstance(c, VecDeque)):
        return Arr([KeyRef(c, i) for i in range(len(c.d if type(c) is Arr else c.r()))])
    from .methods import call_method
    call_method(c, name, ())  # (its error: no such method on that type)
    raise AssertionError(f"{name}() of {type(c).__name__} is not a collection's")


__all__ = ["ELEMENT_REFS", "ITEM_REFS", "KeyRef", "element_ref", "item_refs"]
