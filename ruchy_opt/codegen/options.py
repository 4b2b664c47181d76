"""Command-line options of the compiled tiers (cheap to import: no llvmlite)."""
from __future__ import annotations

import argparse
from typing import Any


def add_codegen_arguments(p: argparse.ArgumentParser, opt_style: bool = False) -> None:
    """Add the LLVM-tier options to the ``ruchy-opt`` (``opt_style``) or ``run`` parser."""
    g = p.add_argument_group("compiled tiers (LLVM)")
    if opt_style:
        g.add_argument("--tier", dest="emit_tier", choices=["1", "2"], default="2",
                       help="for --emit=llvm/asm: the tier whose pipelines to use "
                            "(default 2: ruchy -O2, then LLVM O3)")
        g.add_argument("--llvm-opt", action="store_true",
                       help="--emit=llvm: print the IR after LLVM's pipeline (default: "
                            "as generated, before it)")
    g.add_argument("--verbose", action="store_true",
                   help="say what was compiled, what stayed in the interpreter and why, "
                        "and how long each compile phase took (to stderr)")
    g.add_argument("--llvm-level", type=int, choices=[0, 1, 2, 3], default=None,
                   help="LLVM pipeline level (default: 1 at tier 1, 3 at tier 2)")
    g.add_argument("--llvm-time-passes", action="store_true",
                   help="report LLVM's time per pass (to stderr)")
    g.add_argument("--llvm-opt-bisect-limit", metavar="N", type=int, default=None,
                   help="run only the first N LLVM pass applications (LLVM's "
                        "-opt-bisect-limit; -1 prints the numbering)")


def compile_options(args: Any, tier: int, executable: bool = False):
    """CompileOptions from parsed arguments."""
    from .compiler import CompileOptions
    passes = getattr(args, "passes", None)
    level = getattr(args, "opt_level", None)
    if passes is None and level is not None:
        passes = f"default<O{level}>" if level != "0" else ""
    return CompileOptions(
        tier=tier, llvm_level=getattr(args, "llvm_level", None),
        llvm_time_passes=getattr(args, "llvm_time_passes", False),
        llvm_bisect_limit=getattr(args, "llvm_opt_bisect_limit", None),
        passes=passes, verbose=getattr(args, "verbose", False), executable=executable,
        dump_dir=getattr(args, "dump_cfg", None), args=args)
