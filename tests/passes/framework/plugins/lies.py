"""A test plugin whose pass deletes every terminator and says it changed nothing."""
from dataclasses import dataclass

from ruchy_opt.passmgr import FunctionPass


@dataclass(frozen=True)
class Lie(FunctionPass):
    """Delete terminators, report no change."""

    name = "lie"

    def run_on_function(self, func, ctx) -> bool:
        for b in func.blocks:
            b.terminator.erase()
        return False
