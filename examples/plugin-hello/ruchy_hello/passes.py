"""Two passes, as a plugin package ships them (see docs/writing-a-pass.md)."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Optional

from ruchy_opt.ir.core import Function, Value
from ruchy_opt.passmgr import PRESERVES_ALL, PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import const_value, new_instr, replace_instr


@dataclass(frozen=True)
class Hello(FunctionPass):
    """Say hello to every function (LLVM's Hello pass)."""

    name = "hello"
    preserves = PRESERVES_ALL
    greeting: str = "hello"

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        n = sum(1 for _ in func.instructions())
        # stderr, as LLVM's Hello: stdout carries the IR that ruchy-opt prints
        print(f"{self.greeting} @{func.name} ({n} instructions)", file=sys.stderr)
        return False


def is_int(v: Value, k: int) -> bool:
    """Whether ``v`` is the constant int ``k`` (not the float k.0, not a bool)."""
    c = const_value(v)
    return type(c) is int and c == k


@dataclass(frozen=True)
class StrengthReduce(FunctionPass):
    """Turn x * 2 into x + x for 64-bit ints."""

    name = "strength-reduce"
    preserves = PRESERVES_CFG
    factor: int = 2               # strength-reduce<factor=3>: x * 3 into x + x + x

    def check_params(self) -> Optional[str]:
        if not 2 <= self.factor <= 8:
            return "factor must be between 2 and 8"
        return None

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        changed = False
        for instr in list(func.instructions()):
            if instr.opname != "mul.i64":
                continue
            x, y = instr.operands
            if is_int(x, self.factor):
                x, y = y, x
            if not is_int(y, self.factor):
                continue
            # x + x + ... + x overflows exactly when x * factor does (each partial sum
            # lies between x and x * factor), with the same error at the same position
            total = x
            for _ in range(self.factor - 2):
                total = new_instr(instr, "add.i64", [total, x])
            replace_instr(instr, "add.i64", [total, x])
            ctx.stat("multiplications reduced")
            changed = True
        return changed
