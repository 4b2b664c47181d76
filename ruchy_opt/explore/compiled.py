"""``explore --tier=1|2``: the pipeline as the compiled tiers run it, on the type
specialised program (one function per specialisation, parameter types as facts: what
``--emit=llvm --print-changed`` diffs), then LLVM's pipeline and the assembly.

The specialised module is made and optimised here, with the pass manager's hook
recording each pass, and then compiled with no ruchy pipeline of the compiler's own
(``passes=""``): the compiler types and generates it as tier 2 would its own result.
If the result no longer types, the unoptimised program is compiled, as tier 2 does.
"""
from __future__ import annotations

import argparse
import time
from typing import Any

from ..errors import SourceFile
from ..passmgr.cli_support import wants_passes
from .collect import Exploration, run_recorded
from .recorder import function_texts


def explore_compiled(ex: Exploration, module: Any, src: SourceFile,
                     args: argparse.Namespace) -> bool:
    """Fill the pipeline and LLVM parts of ``ex`` at tier ``ex.tier``; False (with a
    note) when the program has no static types, so that the caller explores the
    generic IR instead."""
    from ..codegen.compiler import CompileOptions, NotCompilable, compile_module
    from ..codegen.infer import explain, infer_program
    from ..typerules.rtypes import ir_type
    from ..codegen.tier2 import specialised_module
    tier = int(ex.tier)
    t0 = time.perf_counter()
    prog = infer_program(module)
    if not prog.ok:
        ex.notes.append(f"not compiled at tier {tier}: " + "; ".join(explain(prog)) +
                        " (the page shows the pipeline on the generic IR, as run "
                        "--tier=ir runs it)")
        return False
    optimised = module
    if wants_passes(args):
        optimised = specialised_module(prog)
        from ..passmgr.compiled import guard_typed_boundaries
        guard_typed_boundaries(optimised)  # valid IR for any pipeline, as run --tier=2
        ex.stages.append({"kind": "specialised",
                          "title": "type specialisation (one function per signature)",
                          "before": ex.stages[-1]["after"],
                          "after": function_texts(optimised, ex.table, ex.graphs)})
        ex.phases["specialise"] = time.perf_counter() - t0
        arg_types = {s.name: tuple(ir_type(p) for p in s.params) for s in prog.reachable}
        run_recorded(ex, optimised, args, arg_types)
    t1 = time.perf_counter()
    opts = CompileOptions(tier=tier, passes="")   # the pipeline ran above
    try:
        c = compile_module(optimised, src, opts)
    except NotCompilable as e:
        ex.notes.append(f"after the pipeline the program no longer types ({'; '.join(e.reasons)}); "
                        f"tier {tier} compiles the unoptimised specialisations, shown as "
                        "LLVM IR")
        c = compile_module(module, src, opts)
    from ..codegen.engine import emit_assembly
    t2 = time.perf_counter()
    asm = emit_assembly(c.module, c.codegen_level)
    ex.phases["LLVM"] = t2 - t1
    ex.phases["assembly"] = time.perf_counter() - t2
    ex.llvm = {"tier": tier, "before": c.llvm_before, "after": c.llvm_after, "asm": asm,
               "times": {k: v for k, v in c.times.items()},
               "specialisations": [f"{s.name}({', '.join(s.sig)})"
                                   for s in c.program.reachable]}
    return True
