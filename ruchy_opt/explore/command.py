"""The ``explore`` subcommand: options, and writing the page."""
from __future__ import annotations

import argparse
import os
import sys
import time
from typing import Any

from ..errors import SourceFile


def explore_parser() -> argparse.ArgumentParser:
    """``ruchy-opt explore FILE [-O2 | --passes=PIPELINE] [--tier=ir|1|2] [--run] -o OUT``."""
    from ..passmgr.cli_support import add_pass_arguments
    p = argparse.ArgumentParser(
        prog="ruchy-opt explore",
        description="Write one self-contained HTML page (no network needed to view it) "
                    "of a program's whole pipeline: source, AST, SSA after lowering, "
                    "every pass run with per-function diffs, CFG drawings, time and "
                    "statistics, the LLVM IR before and after LLVM's pipeline, and the "
                    "assembly. Without --passes or -O the pipeline is -O2 (none at "
                    "tier 1, which runs no ruchy passes).")
    p.add_argument("-o", dest="output", required=True, metavar="HTML",
                   help="the page to write")
    p.add_argument("--tier", choices=["ir", "1", "2"], default="2",
                   help="2 (default): the pipeline on the type-specialised program, then "
                        "LLVM O3, as tier 2 compiles; 1: tier 1's compile (no ruchy "
                        "passes unless given); ir: the pipeline on the generic IR, as "
                        "run --tier=ir runs it, without LLVM")
    p.add_argument("--run", action="store_true",
                   help="also run the program in the tiered runtime (as 'ruchy-opt "
                        "profile' does) and show its output, the profile tables and "
                        "what was compiled, when and why")
    add_pass_arguments(p)
    p.add_argument("file", help="a .ruchy source file")
    return p


def run_explore(src: SourceFile, args: Any) -> int:
    """Collect, draw, run (``--run``), and write the page; returns the exit status.
    A bad pipeline or failing pass is a UsageError (exit 2), as for ``--passes``."""
    from ..cli import UsageError
    from ..passmgr.api import PassManagerError
    from .collect import collect
    from .graphs import render_svgs
    from .page import page_data, render_page
    t0 = time.perf_counter()
    try:
        ex = collect(src, args)
    except PassManagerError as e:
        raise UsageError(str(e)) from None
    t1 = time.perf_counter()
    svgs, note = render_svgs(ex.graphs, ex.table.texts)
    ex.phases["graphviz"] = time.perf_counter() - t1
    if args.run:
        from .running import run_program
        t2 = time.perf_counter()
        ex.run = run_program(src)
        ex.phases["run"] = time.perf_counter() - t2
    for n in ex.notes + ([note] if note else []):
        sys.stderr.write(f"ruchy-opt: note: {n}\n")
    page = render_page(page_data(ex, svgs, note))
    try:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(page)
    except OSError as e:
        raise UsageError(f"cannot write {args.output}: {e.strerror or e}") from None
    sys.stderr.write(f"ruchy-opt: wrote {args.output} ({os.path.getsize(args.output) // 1024} KiB, "
                     f"{len(ex.stages)} stage{'s' if len(ex.stages) != 1 else ''}, {time.perf_counter() - t0:.1f} s)\n")
    return 0
