"""Opaque handle types: values the IR only passes to ops, which are the runtime's own
objects (runtime/collections.py, runtime/iterators.py), so every result is tier 0's.

``hashmap<K, V>``, ``btreemap<K, V>``, ``hashset<T>``, ``btreeset<T>``,
``vecdeque<T>``, ``binaryheap<T>``, ``range<T>`` and ``iter<T>`` are parametric types
(types.ParamType) registered by keyword as any other, so a plugin adds a handle type the
same way::

    @register_type
    class BinaryHeapType(HandleType):
        keyword = "binaryheap"
        runtime_name = "BinaryHeap"     # runtime/collections.BY_NAME

The type parameters are hints for a reader (the element types, ``any`` unless known);
passes and type specialisation treat a handle as ``any``.
"""
from __future__ import annotations

from typing import Any, Callable, ClassVar, Optional

from .types import ANY, ParamType, register_type


class HandleType(ParamType):
    """A handle to a runtime object: ``runtime_name`` is the collection's name in
    runtime/collections.BY_NAME, or ``Range``/``Iter`` (runtime/iterators.py)."""

    kind = "handle"
    runtime_name: ClassVar[str] = ""
    arity: ClassVar[int] = 1

    def runtime_class(self) -> type:
        """The runtime's class of the values of this type."""
        from ..runtime import iterators as I
        from ..runtime.collections import BY_NAME
        if self.runtime_name == "Range":
            return I.RangeIter
        if self.runtime_name == "Iter":
            return I.Iter
        return BY_NAME[self.runtime_name]

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        cls = self.runtime_class()
        return lambda v: isinstance(v, cls)

    def verify(self, module: Optional[Any]) -> Optional[str]:
        if len(self.params) != self.arity:
            return f"{self.keyword}<..> takes {self.arity} type" \
                   f"{'s' * (self.arity != 1)}, got {len(self.params)}"
        return super().verify(module)


@register_type
class HashMapType(HandleType):
    """``hashmap<K, V>``: runtime/collections.HashMap (insertion order, LANGUAGE.md)."""
    keyword, runtime_name, arity = "hashmap", "HashMap", 2


@register_type
class BTreeMapType(HandleType):
    """``btreemap<K, V>``: runtime/collections.BTreeMap (key order)."""
    keyword, runtime_name, arity = "btreemap", "BTreeMap", 2


@register_type
class HashSetType(HandleType):
    """``hashset<T>``: runtime/collections.HashSet."""
    keyword, runtime_name = "hashset", "HashSet"


@register_type
class BTreeSetType(HandleType):
    """``btreeset<T>``: runtime/collections.BTreeSet."""
    keyword, runtime_name = "btreeset", "BTreeSet"


@register_type
class VecDequeType(HandleType):
    """``vecdeque<T>``: runtime/collections.VecDeque."""
    keyword, runtime_name = "vecdeque", "VecDeque"


@register_type
class BinaryHeapType(HandleType):
    """``binaryheap<T>``: runtime/heap.BinaryHeap (a max-heap in Rust's array layout, so
    ``into_vec`` and ``{:?}`` print what Rust prints; ordered by runtime/ops.cmp, which a
    user ``impl Ord`` and ``Reverse`` answer)."""
    keyword, runtime_name = "binaryheap", "BinaryHeap"


@register_type
class RangeType(HandleType):
    """``range<T>``: a range value ``a..b`` (runtime/iterators.RangeIter, an iterator
    that knows its bounds)."""
    keyword, runtime_name = "range", "Range"


@register_type
class IterType(HandleType):
    """``iter<T>``: a lazy iterator (runtime/iterators.Iter)."""
    keyword, runtime_name = "iter", "Iter"


@register_type
class ReverseType(ParamType):
    """``reverse<T>``: ``std::cmp::Reverse(x)``, the runtime's tuple struct
    (runtime/heap.Reverse, ordered as ``x`` the other way round): an aggregate of one
    field ``0``, made with ``make`` and read with ``extract`` as a tuple struct is. Not a
    ``struct !Reverse``, whose values would be a class of the module's own."""

    keyword = "reverse"
    kind = "struct"

    def fields(self, module: Optional[Any]) -> Optional[list[str]]:
        return ["0"]

    def field_type(self, module: Optional[Any], name: str) -> Any:
        return self.params[0] if name == "0" and self.params else ANY

    def constructor(self, env: Any) -> Callable[..., Any]:
        from ..runtime.heap import Reverse
        return Reverse

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        from ..runtime.heap import Reverse
        return lambda v: type(v) is Reverse

    def verify(self, module: Optional[Any]) -> Optional[str]:
        if len(self.params) != 1:
            return f"reverse<..> takes 1 type, got {len(self.params)}"
        return super().verify(module)


#: The handle type of each collection tier 0 constructs by name (``HashMap::new()``).
BY_COLLECTION = {cls.runtime_name: cls for cls in (HashMapType, BTreeMapType, HashSetType,
                                                   BTreeSetType, VecDequeType, BinaryHeapType)}


def handle_of(collection: str) -> Optional[HandleType]:
    """The handle type of collection ``collection`` (``HashMap``), with ``any``
    parameters; None if the IR has no type for it."""
    cls = BY_COLLECTION.get(collection)
    return cls(*([ANY] * cls.arity)) if cls is not None else None


def shared_handle(t: str) -> bool:
    """Whether values of type ``t`` are shared, not copied, by a new holder: an
    iterator (a range too) is one object that every holder pulls from (runtime/values
    .cp leaves it as it is), so ``copy`` of one is the value itself."""
    return isinstance(t, (RangeType, IterType))


RANGE = RangeType(ANY)
ITER = IterType(ANY)
REVERSE = ReverseType(ANY)

__all__ = ["BY_COLLECTION", "HandleType", "ITER", "RANGE", "REVERSE", "ReverseType", "handle_of", "shared_handle"]
