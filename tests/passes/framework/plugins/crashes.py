"""A test plugin whose pass raises on functions named @boom."""
from dataclasses import dataclass

from ruchy_opt.passmgr import FunctionPass


@dataclass(frozen=True)
class Crash(FunctionPass):
    """Raise on @boom."""

    name = "crash"

    def run_on_function(self, func, ctx) -> bool:
        if func.name == "boom":
            raise ZeroDivisionError("the plugin divided by zero")
        return False
