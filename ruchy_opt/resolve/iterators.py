"""What is an iterator, decided once for tier 0 (interp/iterators.py) and the SSA
lowering (lower/iterators.py, lower/chains.py): a range, a call of an iterator source
(``iter``, ``chars``, ``keys``...), or an adapter on one, unless a type of the program
defines the method (the program's own method then wins, as in Rust)."""
from __future__ import annotations

from typing import Any, Optional

from ..runtime.iterators import ADAPTERS
from ..syntax import ast as A

#: Methods whose result is (or stands for) an iterator over a sequence.
SOURCES = frozenset({"iter", "into_iter", "iter_mut", "chars", "bytes", "char_indices",
                     "lines", "split", "split_whitespace", "split_ascii_whitespace", "rsplit",
                     "split_terminator", "splitn", "rsplitn", "matches", "match_indices",
                     "windows", "chunks", "drain", "keys", "values", "values_mut",
                     "into_keys", "into_values"})


def is_iterator(info: Any, node: A.Node) -> bool:
    """Whether ``node`` is syntactically a Rust iterator (``info``: the resolution
    layer's ProgramInfo, or None)."""
    while isinstance(node, A.MethodCall):
        if info is not None and info.types_with_method(node.method):
            return False
        if node.method in SOURCES:
            return True
        if node.method not in ADAPTERS:
            return False
        node = node.receiver
    return isinstance(node, A.Range)


#: Built-in methods whose value is a reference into their receiver (Rust's ``&mut T``):
#: the element object itself, or for a number, string or tuple a cell the collection
#: reads back at its next use (runtime/collections.Coll.place). Storing one must not
#: copy it; ``*r = v`` writes through it.
PLACE_METHODS = frozenset({"get_mut", "or_insert", "or_insert_with", "or_insert_with_key",
                           "or_default", "first_mut", "last_mut", "front_mut", "back_mut",
                           "peek_mut", "into_mut", "as_mut", "as_deref_mut"})
#: Methods a reference is taken through (``m.get_mut(&k).unwrap()``).
THROUGH = frozenset({"unwrap", "expect"})


def place_call(info: Any, node: A.Node) -> Optional[A.MethodCall]:
    """The call of a place method that ``node`` is (possibly unwrapped), unless a type
    of the program defines the method; None if it is none."""
    while isinstance(node, A.MethodCall) and node.method in THROUGH:
        node = node.receiver
    if not isinstance(node, A.MethodCall) or node.method not in PLACE_METHODS:
        return None
    if info is not None and info.types_with_method(node.method):
        return None
    return node


def type_head(t: A.TypeRef) -> str:
    """``HashMap`` of ``std::collections::HashMap<K, V>``."""
    return t.text.split("<", 1)[0].strip().rsplit("::", 1)[-1]


def collect_target(node: A.MethodCall) -> tuple[str, str]:
    """What ``collect::<T>()`` builds: the head of ``T`` and of its first argument
    (``("HashMap", "String")`` for ``HashMap<String, i64>``; ``Vec`` when not said)."""
    target, inner = "Vec", "Vec"
    if node.type_args:
        t = node.type_args[0]
        target = type_head(t)
        if t.args:
            inner = type_head(t.args[0])
    return target, inner


def entry_update_parts(node: A.Assign) -> Optional[tuple[A.MethodCall, A.MethodCall]]:
    """``(entry, call)`` of ``*m.entry(k).CALL(..) op= x`` on a variable ``m`` (the
    caller checks the operator and which ``CALL``), else None."""
    t = node.target
    if not isinstance(t, A.Deref) or not isinstance(t.operand, A.MethodCall):
        return None
    call, entry = t.operand, t.operand.receiver
    if not isinstance(entry, A.MethodCall) or entry.method != "entry" \
            or len(entry.args) != 1 or not isinstance(entry.receiver, A.Name):
        return None
    return entry, call
