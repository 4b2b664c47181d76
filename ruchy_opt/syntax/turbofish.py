"""The type Rust's inference gives ``s.parse()`` and ``it.collect()``, made explicit.

``let n: i32 = s.parse().unwrap();`` parses an integer and ``let t: String =
s.chars().collect();`` builds a string because Rust infers the turbofish from the
annotation. Ruchy's types are hints, so without the turbofish the runtime could only
guess. This pass fills ``MethodCall.type_args`` of a ``parse``/``collect`` call that has
none when the type is in sight, in the shapes programs write:

- ``let x: T = e`` and ``let x: Result<T, _> = e`` / ``Option<T>``,
- a function's tail expression and ``return e`` with its declared return type,

where ``e`` is the call itself or the call under ``.unwrap()``, ``.expect(..)``,
``.unwrap_or(..)``, ``.unwrap_or_else(..)``, ``.unwrap_or_default()`` or ``?``. Like
syntax/reborrow.py it runs right after parsing, so every tier sees the same program.
"""
from __future__ import annotations

from typing import Optional

from . import ast as A

#: Methods whose receiver is an Option/Result of the type they return.
_UNWRAPS = frozenset({"unwrap", "expect", "unwrap_or", "unwrap_or_else",
                      "unwrap_or_default"})
_WRAPPERS = ("Result", "Option")


def annotate(prog: A.Program) -> None:
    """Fill in, in place, the turbofish of every parse/collect call a type annotation
    decides."""
    _walk(prog, None)


def _walk(n: A.Node, ret: Optional[A.TypeRef]) -> None:
    """Visit ``n``; ``ret`` is the return type of the function around it."""
    if isinstance(n, A.FunDef):
        if n.body is not None:
            if n.ret is not None and n.body.stmts:
                _expect(n.body.stmts[-1], n.ret, payload=False)
            _walk(n.body, n.ret)
        return
    if isinstance(n, A.Closure):
        _walk(n.body, n.ret)
        return
    if isinstance(n, (A.Let, A.LetPat)) and n.type is not None:
        _expect(n.value, n.type, payload=False)
    elif isinstance(n, A.Return) and n.value is not None and ret is not None:
        _expect(n.value, ret, payload=False)
    for c in A.children(n):
        _walk(c, ret)


def _expect(e: A.Node, t: A.TypeRef, payload: bool) -> None:
    """``e`` has type ``t`` (with ``payload``: ``e`` is an Option/Result of ``t``)."""
    while isinstance(e, A.Block) and e.stmts:
        e = e.stmts[-1]
    if isinstance(e, A.Try):
        _expect(e.operand, t, payload=True)
    elif isinstance(e, A.MethodCall):
        if e.method in _UNWRAPS and not payload:
            _expect(e.receiver, t, payload=True)
        elif e.method == "parse" and not e.type_args and not e.args:
            target = t if payload else _payload(t)
            if target is not None and not target.text.startswith("_"):
                e.type_args = [target]
        elif e.method in ("collect", "sum", "product") and not e.type_args and not e.args \
                and not payload:
            e.type_args = [t]  # (sum/product: an f64 sum of nothing is -0.0, not 0)


def _payload(t: A.TypeRef) -> Optional[A.TypeRef]:
    """``T`` of ``Result<T, E>`` or ``Option<T>`` (what ``parse`` gives)."""
    head = t.text.split("<", 1)[0].strip().rsplit("::", 1)[-1]
    if head in _WRAPPERS and t.args:
        return t.args[0]
    return None
