"""A user's pipeline (``--passes``, ``-O``) at the compiled tiers.

The compiled tiers specialise the program first: one function per argument-type
signature, its parameters typed with what whole-program inference proved
(codegen/tier2.py). Those bodies are still the generic code that lowering made, so a
value that flows into a typed parameter (a call's argument) has IR type ``any``: such a
module breaks the verifier's rule that arguments match parameters, and would be blamed
on the first pass run over it. :func:`guard_typed_boundaries` makes it valid IR before
the pipeline runs, by converting each such argument with a ``guard.T`` (which cannot
fail there: inference proved the type; compiled code treats it as the value itself).
Every pass can take that IR, typed or not. After the pipeline the tier types the result
again (inference), so a pipeline need not start with ``typespec``.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..ir.core import BlockParam, Function, Instruction, Module, Value
from ..ir.opdef import OPS
from .transform import new_instr


def _guarded(f: Function, v: Value, t: str, views: dict) -> Value:
    """``v`` as a ``t`` value: a ``guard.t`` right after its definition (one per value
    and type), so that every use the definition dominates can take it."""
    key = (v, t)
    got = views.get(key)
    if got is None:
        if isinstance(v, BlockParam):
            at = v.block.instrs[0]
        else:
            assert isinstance(v, Instruction) and v.block is not None
            blk = v.block
            at = blk.instrs[blk.instrs.index(v) + 1]
        got = views[key] = new_instr(at, f"guard.{t}", [v])
        got.span = getattr(v, "span", got.span)
    return got


def guard_typed_boundaries(m: Module) -> int:
    """Make the calls of ``m`` pass values of the callee's parameter types: an argument
    of another type gets a ``guard``; a parameter of a type no guard gives (``unit``)
    becomes ``any``. Returns the number of guards inserted."""
    for f in m.functions.values():
        for p in f.params:
            if p.type != "any" and f"guard.{p.type}" not in OPS:
                p.type = "any"
    n = 0
    for f in m.functions.values():
        views: dict = {}
        for i in list(f.instructions()):
            if i.op.name != "call":
                continue
            callee = m.functions.get(str(i.imms[0]))
            if callee is None or len(callee.params) != len(i.operands):
                continue
            for k, (a, p) in enumerate(zip(list(i.operands), callee.params)):
                if p.type != "any" and a.type != p.type:
                    i.set_operand(k, _guarded(f, a, p.type, views))
                    n += 1
    return n


def run_user_pipeline(m: Module, arg_types: Mapping[str, tuple[str, ...]],
                      args: Any) -> None:
    """Run the command line's pipeline over the specialised module ``m`` in place, as
    ``run --tier=ir`` runs it (plugins, instrumentation, ``--verify-each``, crash
    reproducers). A failing pass is a PassManagerError naming that pass."""
    from .cli_support import Session
    guard_typed_boundaries(m)
    Session(args, arg_types=dict(arg_types)).run(m)


__all__ = ["guard_typed_boundaries", "run_user_pipeline"]
