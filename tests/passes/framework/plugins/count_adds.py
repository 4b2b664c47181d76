"""A test plugin: counts generic adds (a statistic) and changes nothing."""
from dataclasses import dataclass

from ruchy_opt.passmgr import PRESERVES_ALL, FunctionPass


@dataclass(frozen=True)
class CountAdds(FunctionPass):
    """Count the generic add instructions."""

    name = "count-adds"
    preserves = PRESERVES_ALL
    verbose: bool = False

    def run_on_function(self, func, ctx) -> bool:
        n = sum(1 for i in func.instructions() if i.opname == "add")
        ctx.stat("adds seen", n)
        if self.verbose:
            print(f"@{func.name}: {n} adds")
        return False
