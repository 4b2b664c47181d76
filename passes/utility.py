"""Utility passes, as in LLVM: ``verify`` checks the IR at that point of a pipeline and
``print`` writes it to standard error (``print<banner=after sccp>``)."""
from __future__ import annotations

import sys
from dataclasses import dataclass

from ruchy_opt.ir.core import Module
from ruchy_opt.ir.printer import print_module
from ruchy_opt.ir.verify import verify_module
from ruchy_opt.passmgr import PRESERVES_ALL, ModulePass, PassContext


@dataclass(frozen=True)
class Verify(ModulePass):
    """Verify the IR here (a failure names the pass that ran last)."""

    name = "verify"
    preserves = PRESERVES_ALL

    def run_on_module(self, module: Module, ctx: PassContext) -> bool:
        verify_module(module)  # a VerifyError stops the pipeline with a reproducer
        return False


@dataclass(frozen=True)
class Print(ModulePass):
    """Print the IR here, to standard error."""

    name = "print"
    preserves = PRESERVES_ALL
    banner: str = ""

    def run_on_module(self, module: Module, ctx: PassContext) -> bool:
        if self.banner:
            sys.stderr.write(f"; {self.banner}\n")
        sys.stderr.write(print_module(module))
        return False
