"""Code run on the edges that leave a scope early: the write-backs of references.

A scope that holds references the IR keeps as values of their own (a pattern's ``ref
mut`` bindings, lower/refs.py; a ``for`` over ``&mut v``'s element, lower/control.py;
a ``let`` reference into a collection, lower/elemrefs.py) stores them back where its
end is reached. A ``break`` or ``continue`` out of it, a ``return`` or a ``?`` skips
that end, so each such edge first runs the write-backs of the scopes it leaves,
innermost first, as tier 0 does (interp/bindings.exit_write_backs): a ``break`` or
``continue`` of the loop at index ``t`` of ``lw.loops`` leaves the scopes entered
inside that loop (those registered while more than ``t`` loops were open); a
``return`` and a ``?`` leave them all (``methods.returned`` runs them).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Optional

if TYPE_CHECKING:
    from .function import FunctionLowerer


@dataclass(eq=False)
class Exit:
    """A write-back to emit where its scope is left early."""

    loops: int                 # how many loops were open when the scope began
    emit: Callable[[], None]   # emits the write-back where building is
    block: Optional[int] = None  # a ``let``'s: the scope depth of its block


def add(lw: "FunctionLowerer", emit: Callable[[], None], block: Optional[int] = None) -> Exit:
    """From now on, an edge that leaves the current scope runs ``emit`` first.
    ``block``: the scope ends with the block at that scope depth (a ``let``'s bindings:
    FunctionLowerer.block drops the entry there, :func:`end_block`)."""
    entry = Exit(len(lw.loops), emit, block)
    lw.exits.append(entry)
    return entry


@contextmanager
def on_exit(lw: "FunctionLowerer", emit: Optional[Callable[[], None]]
            ) -> Iterator[Optional[Exit]]:
    """:func:`add` for the code lowered inside the ``with`` (nothing if ``emit`` is
    None); the entry (:func:`drop` ends it early)."""
    if emit is None:
        yield None
        return
    entry = add(lw, emit)
    try:
        yield entry
    finally:
        drop(lw, entry)


def drop(lw: "FunctionLowerer", entry: Optional[Exit]) -> None:
    """Edges that leave the scope from now on write nothing back for ``entry`` (after
    a statement that overwrites the matched place: resolve/overwrites.py)."""
    if entry is not None and entry in lw.exits:
        lw.exits.remove(entry)


def leave(lw: "FunctionLowerer", loops: int) -> None:
    """Before an edge that leaves every scope begun with more than ``loops`` loops open
    (a ``break``/``continue`` of ``lw.loops[loops]``; -1: a ``return``), emit their
    write-backs, innermost first."""
    for e in reversed(list(lw.exits)):
        if e.loops > loops:
            e.emit()


def leave_loop(lw: "FunctionLowerer", target: object) -> None:
    """Before a ``break``/``continue`` of the loop ``target`` (one of ``lw.loops``)."""
    k = next(i for i, t in enumerate(lw.loops) if t is target)
    leave(lw, k)


def end_block(lw: "FunctionLowerer", depth: int) -> None:
    """The block at scope depth ``depth`` is over: its ``let``s' entries go."""
    lw.exits = [e for e in lw.exits if e.block != depth]


def restore(lw: "FunctionLowerer", entry: Optional[Exit]) -> None:
    """Undo :func:`drop` (a path that overwrote the matched place has left)."""
    if entry is not None and entry not in lw.exits:
        lw.exits.append(entry)


__all__ = ["Exit", "add", "drop", "restore", "end_block", "leave", "leave_loop", "on_exit"]
