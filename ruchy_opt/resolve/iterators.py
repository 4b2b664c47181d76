"""What is an iterator, decided once for tier 0 (interp/iterators.py) and the SSA
lowering (lower/iterators.py, lower/chains.py): a range, a call of an iterator source
(``iter``, ``chars``, ``keys``...), or an adapter on one, unless a type of the program
defines the method (the program's own method then wins, as in Rust)."""
from __future__ import annotations

from typing import Any

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


def type_head(t: A.TypeRef) -> str:
    """``HashMap`` of ``std::collections::HashMap<K, V>``."""
    return t.text.split("<", 1)[0].strip().rsplit("::", 1)[-1]
