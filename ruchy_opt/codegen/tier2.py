"""Tier 2's ruchy half: the specialised program as an SSA module of its own (one
function per specialisation, parameters typed, calls retargeted), optimised by the
``-O2`` pipeline (or ``--passes``), then typed again for code generation.

Passes see monomorphic functions whose parameter types are facts, so ``typespec``
rewrites every generic op it can prove. If the pipeline cannot run or leaves code that
no longer types, the unoptimised specialisation is compiled instead, and ``--verbose``
says why: tier 2 is never less correct than tier 1.
"""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Optional

from ..ir.core import Function, Module
from ..ir.dominance import reverse_postorder
from ..ir.opdef import Sym
from .infer import Program, explain, infer_program
from ..typerules.rtypes import ir_type

if TYPE_CHECKING:
    from .compiler import CompileOptions

DEFAULT_PIPELINE = "default<O2>"


def specialised_module(prog: Program) -> Module:
    """A new module with one function per reachable specialisation."""
    from ..passmgr.cloning import clone_blocks
    m = Module(prog.module.source)
    for name, g in prog.module.globals.items():
        m.add_global(name, g.init)
    m.type_decls.update(prog.module.type_decls)  # (structs and enums: typing reads them)
    m.impls.update(prog.module.impls)
    for s in prog.reachable:
        f = Function(s.name)
        f.ret_type = _declared(s.ret)
        f.ret_hint = s.func.ret_hint
        blocks = reverse_postorder(s.func)
        bmap = clone_blocks(f, blocks, {})
        for old, new in bmap.items():
            for oi, ni in zip(old.instrs, new.instrs):
                callee = s.callees.get(oi)
                if callee is not None:
                    ni.imms = (Sym(callee.name),)
                elif oi.op.name == "call":
                    # Inference never reached this call (dead code). Its function's
                    # name may now be a specialisation for other argument types, and
                    # a pass typing the arguments to match would guard them where
                    # they are defined, on live paths too (seed 168): name no function.
                    ni.imms = (Sym(f"{oi.imms[0]}.unreached"),)
        for p, t in zip(f.params, s.params):
            p.type = _declared(t)
        m.add_function(f)
    if prog.entry is not None and prog.entry.name != Module.START:
        m.functions[Module.START] = m.functions.pop(prog.entry.name)
    return m


def _declared(t: object) -> str:
    """The IR type a specialisation declares for a parameter or result of type ``t``: a
    scalar or array as it is; a tuple, struct or enum ``any``, which the IR's passes
    (typespec: no guard for Level 3 types) take as it is."""
    from ..ir.types import is_aggregate
    it = ir_type(t)  # type: ignore[arg-type]
    return "any" if is_aggregate(it) else it


def _note(opts: "CompileOptions", msg: str) -> None:
    if opts.verbose:
        sys.stderr.write(f"ruchy-opt: tier 2: {msg}\n")


def optimise_specialised(prog: Program, opts: "CompileOptions",
                         times: Optional[dict[str, float]] = None) -> Program:
    """Run the ruchy pipeline over the specialised program; returns the new typing (or
    ``prog`` itself when the pipeline cannot be used). ``times`` receives ``ruchy-O2``
    (cloning and the pipeline) and ``retype`` in seconds."""
    times = {} if times is None else times
    t0 = time.perf_counter()
    try:
        m = _optimised_module(prog, opts)
    finally:
        times["ruchy-O2"] = time.perf_counter() - t0
    if m is None:
        return prog
    t1 = time.perf_counter()
    try:
        return _retyped(prog, m, opts)
    finally:
        times["retype"] = time.perf_counter() - t1


def _optimised_module(prog: Program, opts: "CompileOptions") -> Optional[Module]:
    """The specialised module after the pipeline, or None when it cannot be used."""
    m = specialised_module(prog)
    pipeline = DEFAULT_PIPELINE if opts.passes is None else opts.passes
    if not pipeline:
        return None
    arg_types = {s.name: tuple(ir_type(p) for p in s.params) for s in prog.reachable}
    if opts.passes is not None and opts.args is not None:
        _run_users_pipeline(m, arg_types, opts)
        return m
    try:
        from ..passmgr.driver import run_passes
        run_passes(m, pipeline, arg_types)
    except Exception as e:  # noqa: BLE001 - a failing pass only costs the optimisation
        _note(opts, f"the pipeline '{pipeline}' did not run ({type(e).__name__}: {e}); "
                    "compiling the unoptimised specialisations")
        return None
    return m


def _run_users_pipeline(m: Module, arg_types: dict, opts: "CompileOptions") -> None:
    """The pipeline of ``--passes``/``-O``, run as for ``run --tier=ir``: plugin files,
    instrumentation, ``--verify-each``, crash reproducers. A failing pass is an error
    (PassManagerError, naming the pass), not silently skipped: the user asked for it."""
    from ..passmgr.compiled import run_user_pipeline
    run_user_pipeline(m, arg_types, opts.args)


def _retyped(prog: Program, m: Module, opts: "CompileOptions") -> Program:
    typed = infer_program(m)
    if not typed.ok:
        _note(opts, "after the pipeline the program no longer types ("
                    + "; ".join(explain(typed)) + "); compiling the unoptimised "
                    "specialisations")
        return prog
    return typed
