"""A test plugin whose pass deletes every terminator (invalid IR)."""
from dataclasses import dataclass

from ruchy_opt.passmgr import FunctionPass


@dataclass(frozen=True)
class BreakIR(FunctionPass):
    """Delete terminators."""

    name = "break-ir"

    def run_on_function(self, func, ctx) -> bool:
        for b in func.blocks:
            b.terminator.erase()
        return True
