"""Two passes, as a plugin package ships them (see docs/writing-a-pass.md)."""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir.core import Function
from ruchy_opt.passmgr import PRESERVES_ALL, PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import NOT_CONST, const_value, replace_instr


@dataclass(frozen=True)
class Hello(FunctionPass):
    """Say hello to every function (LLVM's Hello pass)."""

    name = "hello"
    preserves = PRESERVES_ALL
    greeting: str = "hello"

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        n = sum(1 for _ in func.instructions())
        print(f"{self.greeting} @{func.name} ({n} instructions)")
        return False


@dataclass(frozen=True)
class StrengthReduce(FunctionPass):
    """Turn x * 2 into x + x for 64-bit ints."""

    name = "strength-reduce"
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        changed = False
        for instr in list(func.instructions()):
            if instr.opname != "mul.i64":
                continue
            x, y = instr.operands
            if const_value(y) is NOT_CONST and const_value(x) == 2:
                x, y = y, x
            if const_value(y) == 2 and type(const_value(y)) is int:
                # x + x overflows exactly when x * 2 does, with the same error
                replace_instr(instr, "add.i64", [x, x])
                ctx.stat("multiplications reduced")
                changed = True
        return changed
