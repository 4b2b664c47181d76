"""Tier 2 for a single specialisation: the ruchy ``-O2`` pipeline on the specialised
clones (codegen/tier2.py), with the entry taking the observed argument types.

The whole-program path renames its entry to ``@ruchy.start``; here the entry may be
recursive, so the specialisation is *named* ``@ruchy.start`` before cloning: the calls
it makes to itself then name the clone, and inlining never deletes it (an entry point).
If the pipeline fails or its result no longer types, tier 1's typing is compiled at
LLVM O3 instead: tier 2 is never less correct than tier 1.
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from ..ir.core import Module


def optimise_function(prog: Any, sig: Sequence[str], pipeline: Optional[str] = None,
                      notes: Optional[list[str]] = None) -> Any:
    """The re-typed program after ``pipeline`` (default: ``default<O2>``), or ``prog``
    if that fails; ``notes`` receives why (a user's pipeline that fails is not an
    error of the program: the specialisation still compiles, and the REPL says so)."""
    from ..codegen.infer import infer_program
    from ..typerules.rtypes import ir_type
    from ..codegen.tier2 import DEFAULT_PIPELINE, specialised_module
    if pipeline is None:
        pipeline = DEFAULT_PIPELINE
    from ..passmgr.driver import run_passes
    old_name = prog.entry.name
    prog.entry.name = Module.START
    try:
        m = specialised_module(prog)
    finally:
        prog.entry.name = old_name
    arg_types = {s.name: tuple(ir_type(p) for p in s.params) for s in prog.reachable}
    arg_types[Module.START] = tuple(ir_type(p) for p in prog.entry.params)
    try:
        run_passes(m, pipeline, arg_types)
    except Exception as e:  # noqa: BLE001 - a failing pass only costs the optimisation
        _note(notes, f"the pipeline '{pipeline}' failed ({type(e).__name__}: {e}); "
                     "compiled without it")
        return prog
    from ..typerules.rtypes import key
    from .boxing import rtype
    typed = infer_program(m, Module.START, [rtype(t) for t in sig])
    if not typed.ok or key(typed.entry.ret) != key(prog.entry.ret):
        _note(notes, f"after the pipeline '{pipeline}' the code no longer types; "
                     "compiled without it")
        return prog
    return typed


def _note(notes: Optional[list[str]], text: str) -> None:
    if notes is not None:
        notes.append(text)
