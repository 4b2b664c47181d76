"""Fingerprints of functions and modules: a hash that changes when the IR changes.

``--verify-each`` takes one before and after every pass run, so that a pass that changed
the IR but reported no change is caught (the pass manager would otherwise keep stale
analyses and stop a ``fixpoint`` early), as LLVM's change checks do. Cheaper than
printing: the structure is hashed, not formatted. Spans are left out (moving a location
does not change what the IR computes).
"""
from __future__ import annotations

from .core import Function, Module


def _imm_key(v: object) -> object:
    # floats by their bits: NaN is equal to itself here, and 0.0 differs from -0.0
    return ("f", v.hex()) if type(v) is float else (type(v).__name__, str(v))


def function_fingerprint(f: Function) -> int:
    """A hash of ``f``'s blocks, parameters, instructions, operands and types."""
    parts: list = [f.name, f.ret_type, f.ret_hint]
    for b in f.blocks:
        parts.append((b.name, tuple((p.name, p.type, p.hint) for p in b.params)))
        for i in b.instrs:
            parts.append((i.name, i.op.name, i.type,
                          tuple(_imm_key(v) for v in i.imms),
                          tuple(v.name for v in i.operands),
                          tuple((s.block.name, tuple(a.name for a in s.args))
                                for s in i.succs)))
    return hash(tuple(parts))


def module_fingerprint(m: Module) -> int:
    """A hash of every function of ``m`` and its globals."""
    return hash((tuple((name, function_fingerprint(f)) for name, f in m.functions.items()),
                 tuple((g.name, _imm_key(g.init)) for g in m.globals.values())))


__all__ = ["function_fingerprint", "module_fingerprint"]
