"""Tier 2 for a single specialisation: the ruchy ``-O2`` pipeline on the specialised
clones (codegen/tier2.py), with the entry taking the observed argument types.

The whole-program path renames its entry to ``@ruchy.start``; here the entry may be
recursive, so the specialisation is *named* ``@ruchy.start`` before cloning: the calls
it makes to itself then name the clone, and inlining never deletes it (an entry point).
If the pipeline fails or its result no longer types, tier 1's typing is compiled at
LLVM O3 instead: tier 2 is never less correct than tier 1.
"""
from __future__ import annotations

from typing import Any, Sequence

from ..ir.core import Module


def optimise_function(prog: Any, sig: Sequence[str]) -> Any:
    """The re-typed program after ``default<O2>``, or ``prog`` if that fails."""
    from ..codegen.infer import infer_program
    from ..codegen.rtypes import ir_type
    from ..codegen.tier2 import DEFAULT_PIPELINE, specialised_module
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
        run_passes(m, DEFAULT_PIPELINE, arg_types)
    except Exception:  # noqa: BLE001 - a failing pass only costs the optimisation
        return prog
    from ..codegen.rtypes import key
    from .boxing import rtype
    typed = infer_program(m, Module.START, [rtype(t) for t in sig])
    if not typed.ok or key(typed.entry.ret) != key(prog.entry.ret):
        return prog
    return typed
