"""Collecting what ``explore`` shows: the source, its AST, the SSA after lowering, one
record per pass application (through the pass manager's instrumentation hook), and for
the compiled tiers the LLVM IR before and after LLVM's pipeline and the assembly.

A program that uses Level 3 is explored as far as the IR covers it: the functions that
lower (``lower_partial``, as the tiered runtime lowers them) go through the pipeline,
and each function left out is listed with the located reason.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from typing import Any, Optional

from ..errors import SourceFile
from ..passmgr.cli_support import Session, wants_passes
from .recorder import PipelineRecorder, TextTable, function_texts


@dataclass
class Exploration:
    """Everything the page shows (``page.py`` turns it into the page's data)."""

    file: str
    source: str
    tier: str                                  # "ir", "1" or "2"
    ast: str = ""
    pipeline: str = ""
    #: stages in order: {"kind": "lowered"|"specialised"|"pass", "title", "after",
    #: "before", ... (pass records add index, seconds, stats, sizes)}
    stages: list[dict[str, Any]] = field(default_factory=list)
    table: TextTable = field(default_factory=TextTable)
    graphs: dict[int, str] = field(default_factory=dict)   # text index -> graphviz text
    llvm: Optional[dict[str, Any]] = None
    run: Optional[dict[str, Any]] = None
    notes: list[str] = field(default_factory=list)
    #: functions left in the interpreter: {"function", "message", "line", "col"}
    interpreted: list[dict[str, Any]] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # explore's own, seconds


def default_pipeline(args: argparse.Namespace, tier: str) -> None:
    """Without ``--passes``/``-O`` explore shows ``-O2`` (tier 2's own pipeline), except
    at tier 1, which runs no ruchy passes of its own."""
    if not wants_passes(args) and tier != "1":
        args.opt_level = "2"


def collect(src: SourceFile, args: argparse.Namespace) -> Exploration:
    """Run the front end, the pipeline and (tiers 1 and 2) LLVM over ``src``. Raises
    RuchySyntaxError for a program tier 0 refuses too, PassManagerError for a bad
    pipeline or a failing pass."""
    from ..ir.verify import verify_module
    from ..lower import NotInIR, lower_partial, lower_program
    from ..syntax.ast import dump
    from ..syntax.parser import parse_program
    ex = Exploration(src.name, src.text, args.tier)
    t0 = time.perf_counter()
    tree = parse_program(src.text, src.name)
    ex.ast = dump(tree)
    t1 = time.perf_counter()
    ex.phases["parse"] = t1 - t0
    partial = False
    aggregates = args.tier == "ir"  # the IR's own Level 3; the compiled tiers' lack it
    try:
        module = lower_program(tree, src, aggregates)
    except NotInIR as e:
        partial = True
        ex.notes.append(f"{src.name}:{e.span.line}:{e.span.col}: {e.message}: the page "
                        "shows the functions the IR has; the others run in the "
                        "interpreter (tier 0) and are listed with the reason")
        lowered = lower_partial(tree, src, aggregates)
        module = lowered.module
        for name, err in lowered.interpreted.items():
            ex.interpreted.append({"function": name, "message": err.message,
                                   "line": err.span.line, "col": err.span.col})
    verify_module(module)
    ex.phases["lower"] = time.perf_counter() - t1
    ex.stages.append({"kind": "lowered", "title": "SSA after lowering",
                      "after": function_texts(module, ex.table, ex.graphs)})
    default_pipeline(args, ex.tier)
    if ex.tier in ("1", "2") and partial:
        ex.notes.append(f"no LLVM IR: tier {ex.tier} compiles a whole program only when "
                        "all of it is in the IR (the tiered runtime compiles the others "
                        "function by function: see --run)")
    if ex.tier in ("1", "2") and not partial:
        from .compiled import explore_compiled
        if explore_compiled(ex, module, src, args):
            return ex
    _run_pipeline(ex, module, args)
    return ex


def run_recorded(ex: Exploration, module: Any, args: argparse.Namespace,
                 arg_types: Optional[dict] = None) -> None:
    """Run the command line's pipeline over ``module`` in place (as ``--emit=ssa``
    runs it: plugins, --verify-each, crash reproducers), recording every application
    as a stage."""
    t0 = time.perf_counter()
    session = Session(args, arg_types=arg_types)
    ex.pipeline = session.runner.pipeline_text
    recorder = PipelineRecorder(ex.table, ex.graphs)
    session.runner.instruments.append(recorder)
    recorder.begin(module)
    session.run(module)
    for r in recorder.records:
        ex.stages.append({
            "kind": "pass", "title": r.name, "index": r.index, "changed": r.changed,
            "seconds": r.seconds, "before": r.before, "after": r.after,
            "size_before": list(r.size_before), "size_after": list(r.size_after),
            "stats": r.stats})
    ex.phases["ruchy passes"] = time.perf_counter() - t0


def _run_pipeline(ex: Exploration, module: Any, args: argparse.Namespace) -> None:
    """The pipeline on the generic (dynamically typed) IR, as ``run --tier=ir`` runs it."""
    if wants_passes(args):
        run_recorded(ex, module, args)
