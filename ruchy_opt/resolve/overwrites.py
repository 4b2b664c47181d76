"""The matched place used directly while bindings into it are written back, decided
once for tier 0 (interp/) and the SSA lowering (lower/).

Both back ends keep a ``ref mut`` binding (or ``let r = &mut place``) as a value of
its own, written back into the matched place (resolve/writes.py): a pattern's at the
end of its scope, a ``let``'s after each statement that changes it, and both on the
edges that leave the scope early. Rust's borrows say when that is right: while the
binding lives, the place is not used but through it (a disjoint part may be), and
once the place is used directly (``o = None``, ``a = 100``, ``println!("{:?}", o)``)
the binding is dead. So:

* a statement of the scope (at its top level) that assigns the whole place, or a
  place that contains it (``o = None``, ``t = (7, 8)``; a ``let``'s: also ``a += 1``
  or ``v[0] = 3``), *ends* the write-backs: none is made after it (the back ends
  stop at :data:`Overwrite.stmt`), as Rust's aliasing shows: the place has the new
  value. (A ``let``'s bindings were written back after the statements before it.)
* any other direct use of the place that overlaps it (``println!("{:?}", o)`` or
  ``t.1 = 5`` inside a pattern's scope, where the write-back comes only at the end;
  in a ``let``'s scope, such a use in a statement that also changes a binding) would
  see or be overwritten by a stale value: an error at the use, "not supported yet"
  (both back ends used to print wrong output).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Collection, Iterator, Optional, Sequence

from ..errors import RuchySyntaxError
from ..syntax import ast as A
from .plans import PatternPlan
from .writes import changed_names, may_change, written_back

#: A place path: its variable, then field names and "[]" (an element: any index).
Path = tuple


@dataclass
class Overwrite:
    """A statement of the scope after which its bindings are not written back: for
    good (``resume`` None: one at the top level of the scope), or until ``resume``, the
    ``break``, ``continue`` or ``return`` that ends its block and leaves the scope
    (``if done { o = None; continue; }``: that path leaves with the new value, the
    others still write back)."""

    stmt: A.Node
    resume: Optional[A.Node] = None


def place_path(node: Optional[A.Node]) -> Optional[Path]:
    """``("a", "b", "[]")`` of ``a.b[i]`` (``&mut``, ``*`` and ``.as_mut()`` seen
    through); None for a node that is no place of a variable."""
    steps: list[str] = []
    while node is not None:
        if isinstance(node, (A.Ref, A.Deref)):
            node = node.operand
        elif isinstance(node, A.Field):
            steps.append(node.name)
            node = node.target
        elif isinstance(node, A.Index):
            steps.append("[]")
            node = node.target
        elif isinstance(node, A.Name):
            return (node.id, *reversed(steps))
        else:
            return None
    return None


def _overlap(a: Path, b: Path) -> bool:
    """Whether two places may share memory (one contains the other; elements of an
    array may be the same one)."""
    return all(x == y or x == "[]" or y == "[]" for x, y in zip(a, b))


def _covers(outer: Path, inner: Path) -> bool:
    """Whether ``outer`` contains ``inner`` whole (is a prefix of it, elements alike)."""
    return len(outer) <= len(inner) and _overlap(outer, inner)


def _uses(node: Optional[A.Node], root: str, skip: Collection[int] = ()
          ) -> Iterator[tuple[Path, A.Node, bool]]:
    """The places of ``root`` that ``node`` uses: (path, node, whether it may change
    it: assigned, ``&mut``, a method that may change its receiver); not in the
    statements ``skip`` (by id)."""
    stack: list[tuple[A.Node, bool]] = [(node, False)] if node is not None else []
    while stack:
        n, changing = stack.pop()
        if id(n) in skip:
            continue
        if isinstance(n, (A.Field, A.Index, A.Name)):
            p = place_path(n)
            if p is not None:
                if p[0] == root:
                    yield p, n, changing
                t = n  # (the index expressions of the chain are uses of their own)
                while isinstance(t, (A.Field, A.Index)):
                    if isinstance(t, A.Index):
                        stack.append((t.index, False))
                    t = t.target
                continue
        if isinstance(n, A.Assign):
            stack.append((n.target, True))
            stack.append((n.value, False))
            continue
        if isinstance(n, A.Ref) and n.mutable:
            stack.append((n.operand, True))
            continue
        if isinstance(n, A.MethodCall):
            stack.append((n.receiver, may_change(n.method, _INFO[0])))
            stack.extend((a, False) for a in n.args)
            continue
        stack.extend((c, False) for c in A.children(n) if c is not None)


_INFO: list = [None]  # (the program's info while a decision is made: may_change)


_LOOPS = (A.While, A.Loop, A.For, A.ForRange, A.WhileLet, A.Closure)
_LEAVES = (A.Break, A.Continue, A.Return)


def _kills(s: A.Assign, root: str, place: Path, per_statement: bool) -> bool:
    """Whether the statement ``s`` assigns a place that contains the matched one,
    reading none of it (``o = None``; a ``let``'s: also ``a += 1``)."""
    if not isinstance(s, A.Assign) or not (s.op == "=" or per_statement):
        return False
    target = place_path(s.target)
    return target is not None and target[0] == root and _covers(target, place) and \
        not any(_overlap(p, place) for p, _, _ in _uses(s.value, root))


def _nested(s: A.Node, root: str, place: Path, per_statement: bool) -> list[Overwrite]:
    """The overwrites in the blocks nested in ``s`` (not inside a loop or closure of
    the scope) whose block then leaves the scope, using none of the place."""
    out: list[Overwrite] = []
    stack = [] if isinstance(s, _LOOPS) else [c for c in A.children(s) if c is not None]
    while stack:
        n = stack.pop()
        if isinstance(n, _LOOPS):
            continue
        if isinstance(n, A.Block):
            for j, t in enumerate(n.stmts):
                rest = n.stmts[j + 1:]
                if _kills(t, root, place, per_statement) and rest and \
                        isinstance(rest[-1], _LEAVES) and not any(
                            _overlap(p, place) for r in rest for p, _, _ in _uses(r, root)):
                    out.append(Overwrite(t, rest[-1]))
                    break
        stack.extend(c for c in A.children(n) if c is not None)
    return out


def decide(value: Optional[A.Node], names: Sequence[str], stmts: Sequence[Optional[A.Node]],
           info: object, per_statement: bool) -> list[Overwrite]:
    """For bindings ``names`` (those written back) made from the matched ``value``,
    whose scope is the statements ``stmts`` (a ``let``'s: the rest of its block,
    written back after each statement: ``per_statement``): the statements that end
    their write-backs (the last one for good, if any); RuchySyntaxError at a use of
    the place the back ends cannot order with the write-backs (the module
    docstring)."""
    place = place_path(value)
    if place is None or not names or place[0] in names:
        return []
    root = place[0]
    _INFO[0] = info
    out: list[Overwrite] = []
    for s in stmts:
        if s is None:
            continue
        if _kills(s, root, place, per_statement):
            return out + [Overwrite(s)]
        nested = _nested(s, root, place, per_statement)
        skip = {id(o.stmt) for o in nested} | {id(o.resume) for o in nested}
        out += nested
        changes_binding = per_statement and bool(
            set(names) & set(changed_names([s], info)[1]))
        for p, n, changing in _uses(s, root, skip):
            if not _overlap(p, place):
                continue
            if per_statement:
                if changing and _covers(p, place) and not changes_binding:
                    return out + [Overwrite(s)]  # (`v.push(..)`: the binding is dead)
                if not changes_binding and not changing:
                    continue  # (read after the statements that wrote it back)
            raise RuchySyntaxError(
                f"a use of '{root}' while '{names[0]}', a reference into it, is written "
                "back is not supported yet", A.error_span(n))
    return out


def decide_for(plan: PatternPlan, value: Optional[A.Node], scope: Sequence[Optional[A.Node]],
               stmts: Sequence[Optional[A.Node]], info: object,
               per_statement: bool = False) -> list[Overwrite]:
    """:func:`decide` for the bindings of ``plan`` written back after ``scope``
    (resolve/writes.written_back; a ``let``'s, ``per_statement``: its ``ref mut``
    ones that the rest of its block changes), whose scope has the statements
    ``stmts``."""
    names = [b.name for b in written_back(plan, scope, info)
             if b.mode == "ref_mut" or not per_statement]
    return decide(value, list(dict.fromkeys(names)), stmts, info, per_statement)


def for_good(ows: Sequence[Overwrite]) -> bool:
    """Whether the end of the scope writes nothing back (an overwrite at its top
    level: every path to the end passes it)."""
    return any(o.resume is None for o in ows)


def scope_statements(*scope: Optional[A.Node]) -> list[Optional[A.Node]]:
    """The statements of a pattern's scope (a guard, then a body's)."""
    out: list[Optional[A.Node]] = []
    for n in scope:
        out += n.stmts if isinstance(n, A.Block) else [n]
    return out


__all__ = ["Overwrite", "decide", "decide_for", "for_good", "place_path", "scope_statements"]
