"""``:ssa``, ``:llvm`` and ``:asm``: a session function as the compiler sees it.

The session's definitions are lowered as one program (lower_partial: a function that
uses what the IR does not have yet is named with the construct and its position).
``:ssa`` runs a pipeline over the module (``-O2`` unless told otherwise) and prints one
function. ``:llvm`` and ``:asm`` show what the tiered runtime compiles at tier 2 for
one specialisation (jit/native.py's steps, stopping at the text): its argument types
are those it was compiled for or called with in the session, or given.
"""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Optional

from ..errors import RuchyError
from ..ir.core import Module
from . import build

if TYPE_CHECKING:
    from .session import Session

_KIND_TYPES = {"int": "i64", "float": "f64", "bool": "bool", "str": "str"}
TYPES = ("i64", "f64", "bool", "str")


class CommandError(Exception):
    """A command that cannot do what it was asked (its message is shown)."""


def _lowered(session: "Session", aggregates: bool = False):
    from ..lower import lower_partial
    _, compiled = build.program(session.items, {}, [], [])
    return lower_partial(compiled, session.source, aggregates)


def _function(session: "Session", name: str, aggregates: bool = False):
    """The session lowered (with ``aggregates``: the IR's Level 3 too, for ``:ssa``;
    without: as the compiled tiers lower it, for ``:llvm`` and ``:asm``), checking
    that it has function ``name``."""
    lw = _lowered(session, aggregates)
    if name in lw.interpreted:
        e = lw.interpreted[name]
        what = "in the IR" if aggregates else "compiled"
        raise RuchyError(f"{name} is not {what} yet: {e.message}", e.span)
    if name not in lw.module.functions or name.startswith(("ruchy_", "__repl")):
        raise CommandError(f"no function '{name}' in the IR (functions: "
                           f"{', '.join(_user_functions(lw)) or 'none'})")
    return lw


def _user_functions(lw) -> list[str]:
    return sorted(n for n in lw.module.functions
                  if not n.startswith(("ruchy_", "__repl", "osr.")) and "." not in n)


def ssa(session: "Session", name: str, level: Optional[str]) -> str:
    """Function ``name`` after ``-O<level>``, or after the session's pipeline."""
    from ..ir.printer import print_function
    from ..passmgr.cli_support import PassManagerError, Session as Pipeline, \
        add_pass_arguments
    lw = _function(session, name, aggregates=True)
    if level is None and session.pipeline is not None:
        argv = ["--passes", session.pipeline]
    else:
        argv = ["-O", level or "2"]
    if argv != ["-O", "0"]:
        p = argparse.ArgumentParser(add_help=False)
        add_pass_arguments(p)
        # as an entry point, so that inlining does not delete it when nothing calls it
        _rename(lw.module, name, Module.START)
        try:
            Pipeline(p.parse_args(argv)).run(lw.module)
        except PassManagerError as e:
            raise CommandError(str(e)) from None
        finally:
            _rename(lw.module, Module.START, name)
    return print_function(lw.module.functions[name]).rstrip("\n")


def _rename(m: "Module", old: str, new: str) -> None:
    """Function ``old`` of ``m`` (its definition and every call of it) as ``new``."""
    from ..ir.opdef import Sym
    f = m.functions.pop(old)
    f.name = new
    m.functions[new] = f
    for g in m.functions.values():
        for i in g.instructions():
            if i.op.name == "call" and str(i.imms[0]) == old:
                i.imms = (Sym(new),) + i.imms[1:]


def known_types(session: "Session", name: str) -> Optional[tuple[str, ...]]:
    """The argument types ``name`` was compiled for, else those of its calls with only
    scalar arguments (the most frequent), else None."""
    best = None
    for (fn, version, kinds), rec in session.jit.records.items():
        if fn == name and rec.code is not None and version == session.jit.versions.get(fn, 0):
            return tuple(rec.code.sig)
    for (fn, version, kinds), (calls, _) in session.jit.counts.items():
        if fn == name and version == session.jit.versions.get(fn, 0) \
                and all(k in _KIND_TYPES for k in kinds):
            if best is None or calls > best[0]:
                best = (calls, tuple(_KIND_TYPES[k] for k in kinds))
    return best[1] if best else None


def native(session: "Session", name: str, types: list[str], asm: bool) -> str:
    """Tier 2's LLVM IR (after LLVM's pipeline) or assembly for ``name``."""
    from ..codegen import engine
    from ..jit.errors import CannotCompile
    from ..jit.exportgen import generate_export
    from ..jit.native import EXPORT, type_specialisation
    from ..jit.optimise import optimise_function
    bad = [t for t in types if t not in TYPES]
    if bad:
        raise CommandError(f"unknown argument type '{bad[0]}' (types: {', '.join(TYPES)})")
    sig = tuple(types) if types else known_types(session, name)
    lw = _function(session, name)
    if sig is None:
        raise CommandError(f"the argument types of '{name}' are not known yet: call it, "
                           f"or give them (:{'asm' if asm else 'llvm'} {name} i64 ...)")
    try:
        typed = type_specialisation(lw.module, name, sig)
    except CannotCompile as e:
        raise CommandError(f"{name}({', '.join(sig)}) cannot be compiled: {e}") from None
    prog = optimise_function(typed.prog, typed.sig, session.pipeline)
    # as the session compiles it: with the polls that let Ctrl-C stop it (interrupt.py)
    llmod = generate_export(prog, session.source, EXPORT, count=False, twins=True,
                            poll=True)
    ref = engine.parse(str(llmod), session.source.name)
    tm = engine.target_machine(jit=True)
    ref.triple = tm.triple
    ref.data_layout = str(tm.target_data)
    options, level = engine.tier_options(2)
    engine.optimize(ref, tm, options)
    if asm:
        return engine.target_machine(opt=level, jit=True).emit_assembly(ref).rstrip("\n")
    return str(ref).rstrip("\n")


__all__ = ["CommandError", "TYPES", "known_types", "native", "ssa"]
