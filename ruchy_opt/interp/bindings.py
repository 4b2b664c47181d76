"""Tier 0: the bindings of a pattern plan, and writing ``ref mut`` bindings back.

Bindings follow value semantics (docs/level3.md): a by-value binding takes a copy only
if the code in its scope may change it or the matched variable (otherwise sharing
cannot be observed: :func:`changed_names`); ``ref mut`` bindings (explicit, or by Rust's
default binding mode under ``&mut``) alias the matched part, and one that is assigned
is written back into the matched place when its scope ends (:func:`write_back`).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Collection, Iterator, Optional

from ..resolve.overwrites import Overwrite, decide_for, for_good, scope_statements
from ..resolve.plans import Binding, PatternPlan, Row
from ..resolve.writes import UNKNOWN_CODE, changed_names, written_back
from ..syntax import ast as A
from .opcode import is_temp
from .patterns import Subject, access, row_code

if TYPE_CHECKING:
    from .translate import FunctionTranslator


@dataclass
class Bound:
    """A binding made: its plan entry (per row), Python local and whether it is
    written back."""

    name: str
    py: str
    binds: list[Binding]


def bind(tr: "FunctionTranslator", subj: Subject, plan: PatternPlan, node: A.Node,
         scope: list[Optional[A.Node]], copy: bool = True) -> list[Bound]:
    """Bind the names of ``plan`` (in the innermost scope) from the row that matched;
    ``scope`` is the code that sees them (for the copy and write-back decisions);
    ``copy`` false: the value is fresh and nobody else holds it."""
    if not plan.names:
        return []
    info = tr.ctx.info
    assigned, changed = changed_names(scope, info)
    root_changed = subj.root is not None and subj.root in changed
    per_name = {n: [next(b for b in r.binds if b.name == n) for r in plan.rows]
                for n in plan.names}
    kinds = {n: _bind_kind(subj, plan, bs) for n, bs in per_name.items()}
    out = [Bound(n, tr.bind(n, kinds[n]), per_name[n]) for n in plan.names]
    tr.pattern_locals.update(b.py for b in out)
    rows = plan.rows
    if len(rows) == 1:
        _bind_row(tr, subj, [(b.py, b.binds[0]) for b in out], node, copy, changed,
                  root_changed)
        return out
    consts: dict[int, str] = {}
    for i, r in enumerate(rows):
        cond = row_code(subj, r, consts)
        head = "if" if i == 0 else "elif" if i < len(rows) - 1 else "else"
        tr.emit(f"{head} {cond}:" if head != "else" else "else:", node)
        with tr.out.indented():
            _bind_row(tr, subj, [(b.py, b.binds[i]) for b in out], node, copy, changed,
                      root_changed)
    return out


def _bind_row(tr: "FunctionTranslator", subj: Subject, pairs: list, node: A.Node,
              copy: bool, changed: set, root_changed: bool) -> None:
    for py, b in pairs:
        code, kind = access(subj, b.access)
        if b.mode == "value" and copy and (b.name in changed or root_changed):
            code = tr.copied(code, kind, node)
        tr.emit(f"{py} = {code}", node)


def _bind_kind(subj: Subject, plan: PatternPlan, binds: list[Binding]) -> Optional[str]:
    """The kind of a binding: its access's if known, else what a literal or range test
    on the same access proves."""
    from .translate import join
    kind: Optional[str] = None
    for r, b in zip(plan.rows, binds):
        k = access(subj, b.access)[1]
        if k == "any" or k == "tuple":
            k = "any"
            for t in r.tests:
                if t.access == b.access and t.op in ("lit", "range") and \
                        t.kind in ("int", "float", "str", "bool"):
                    k = t.kind
        kind = join(kind, k)
    return kind


def write_back(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
               scope: list[Optional[A.Node]], node: A.Node,
               also: Collection[str] = ()) -> bool:
    """Store the bindings that ``scope`` may change back into the matched place
    (resolve/writes.written_back decides which: ``ref mut`` bindings, and plain ones
    assigned through ``*x = ..``; and the ``ref mut`` ones named in ``also``); whether
    one was."""
    if not bound:
        return False
    back = {id(b) for b in written_back(_plan_of(bound), scope, tr.ctx.info, also)}
    stored = False
    for b in bound:
        if len(b.binds) == 1 and id(b.binds[0]) in back:
            _store(tr, subj, b.binds[0].access, b.py, node)
            stored = True
    return stored


def after_statement(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
                    stmt: A.Node, node: A.Node) -> None:
    """A ``let``'s ``ref mut`` bindings after a statement of their block: written back
    if it changes them, or if a reference made from one was written back into it
    (``tr.hook_changed``), which then counts as a change of the matched variable."""
    if write_back(tr, subj, bound, [stmt], node, tr.hook_changed) and subj.root:
        tr.hook_changed.add(subj.root)


def _plan_of(bound: list[Bound]) -> PatternPlan:
    """The rows of the bindings made (what written_back looks at)."""
    rows = [Row([], [b.binds[i] for b in bound]) for i in range(len(bound[0].binds))]
    return PatternPlan(rows, [b.name for b in bound])


def add_exit_write_back(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
                        scope: list[Optional[A.Node]], node: A.Node,
                        block: Optional[int] = None) -> Optional[tuple]:
    """From now on, a ``break``/``continue`` that leaves the current scope, a ``return``
    or a ``?`` writes the bindings that ``scope`` changes back first
    (exit_write_backs), as the end of the scope does. ``block``: the bindings' scope
    ends with that block (a ``let``'s: translate.block calls end_block_exits). The
    entry made (None: nothing to write back)."""
    if not bound or not written_back(_plan_of(bound), scope, tr.ctx.info):
        return None
    entry = (len(tr.loops), lambda: write_back(tr, subj, bound, scope, node), block)
    tr.exits.append(entry)
    return entry


@contextmanager
def written_back_on_exit(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
                         scope: list[Optional[A.Node]], node: A.Node) -> Iterator[None]:
    """add_exit_write_back for the code translated inside the ``with``, up to the
    statement of ``scope`` that overwrites the matched place (resolve/overwrites.py:
    nothing is written back after it)."""
    entry = add_exit_write_back(tr, subj, bound, scope, node)
    if bound:
        ow = decide_for(_plan_of(bound), subj.place, scope, scope_statements(*scope),
                        tr.ctx.info)
        after_overwrite(tr, ow, lambda: drop_exit(tr, entry),
                        lambda: restore_exit(tr, entry))
    try:
        yield
    finally:
        drop_exit(tr, entry)


def overwritten(tr: "FunctionTranslator", subj: Subject, bound: list[Bound],
                scope: list[Optional[A.Node]]) -> bool:
    """Whether a statement of the pattern's ``scope`` overwrites the matched place,
    so that its end writes nothing back (resolve/overwrites.py, as the lowering)."""
    return bool(bound) and for_good(decide_for(_plan_of(bound), subj.place, scope,
                                               scope_statements(*scope), tr.ctx.info))


def after_overwrite(tr: "FunctionTranslator", ows: list[Overwrite],
                    done: Callable[[], None], again: Callable[[], None]) -> None:
    """Run ``done`` once each statement of ``ows`` is translated (translate.block),
    and ``again`` once its ``resume`` is (the write-backs are back)."""
    for ow in ows:
        tr.overwrites.setdefault(id(ow.stmt), []).append(done)
        if ow.resume is not None:
            tr.overwrites.setdefault(id(ow.resume), []).append(again)


def restore_exit(tr: "FunctionTranslator", entry: Optional[tuple]) -> None:
    """Undo :func:`drop_exit` (a path that overwrote the matched place has left)."""
    if entry is not None and entry not in tr.exits:
        tr.exits.append(entry)


def drop_exit(tr: "FunctionTranslator", entry: Optional[tuple]) -> None:
    """Edges leaving the scope from now on write nothing back for ``entry``."""
    if entry is not None and entry in tr.exits:
        tr.exits.remove(entry)


def exit_write_backs(tr: "FunctionTranslator", loops_left: int) -> None:
    """Before code that leaves the ``loops_left`` innermost loops (all of them and the
    function: ``len(tr.loops) + 1``), write back the bindings of the scopes it leaves,
    innermost first."""
    depth = len(tr.loops) - loops_left
    for n, emit, _ in reversed(tr.exits):
        if n > depth:
            emit()


def end_block_exits(tr: "FunctionTranslator", block: int) -> None:
    """The scope of the ``let`` bindings of block ``block`` is over."""
    tr.exits = [e for e in tr.exits if e[2] != block]


def _store(tr: "FunctionTranslator", subj: Subject, acc: tuple, new: str,
           node: A.Node) -> None:
    """Write ``new`` at ``acc`` of the matched value: objects (structs, variants,
    arrays) are changed in place; tuples are rebuilt up to the nearest object or the
    matched place itself. The matched value's temp (or a tuple literal's element
    temp) then holds the rebuilt tuple, so that a second binding into the same tuple
    is written back into it, not into the tuple as it was matched."""
    steps = list(acc)
    while steps:
        step = steps.pop()
        parent, _ = access(subj, tuple(steps))
        if step[0] == "field":
            tr.emit(f"{parent}.f_{step[1]} = {new}", node)
            return
        if step[0] == "elem":
            i = step[1] if step[1] >= 0 else f"len({parent}.d) - {-step[1]}"
            tr.emit(f"_setindex({parent}, {i}, {new})", node)
            return
        if step[0] != "tup":
            return  # a slice rest is a new array: nothing to write back to
        if subj.elems is not None and not steps:
            code, _ = subj.elems[step[1]]
            if is_temp(code):
                tr.emit(f"{code} = {new}", node)
            target = subj.elem_places[step[1]] if step[1] < len(subj.elem_places) else None
            if target is not None:
                _assign_place(tr, target, new, node)
            return
        i = step[1]
        end = f"{parent}[{i + 1}:]" if i != -1 else "()"
        start = f"{parent}[:{i}]"
        new = tr.value_line(f"{start} + ({new},) + {end}", None, node)[0]
    if subj.elems is None and is_temp(subj.code):
        tr.emit(f"{subj.code} = {new}", node)
    if subj.place is not None:
        _assign_place(tr, subj.place, new, node)


def _assign_place(tr: "FunctionTranslator", place: A.Node, new: str, node: A.Node) -> None:
    hidden = f"$wb{tr.ntemps}"
    tr.scopes[-1][hidden] = new
    tr.assign(A.Assign(place, "=", A.Name(hidden, span=node.span), span=node.span))
