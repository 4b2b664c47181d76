"""``--dump-cfg`` for the LLVM tiers: each LLVM function's CFG as generated and after
LLVM's pipeline, numbered after the stages already in the directory (AST, SSA, passes)."""
from __future__ import annotations

import os
import re

from .compiler import Compiled


def _next_stage(directory: str) -> int:
    try:
        nums = [int(m.group(1)) for f in os.listdir(directory)
                if (m := re.match(r"(\d+)-", f))]
    except OSError:
        nums = []
    return max(nums, default=0) + 1


def dump_llvm_cfg(c: Compiled, directory: str) -> list[str]:
    """Write ``NN-llvm-before.<fn>.dot`` and ``NN+1-llvm-after.<fn>.dot``; returns paths."""
    import llvmlite.binding as llvm
    from ..viz.dump import CfgDumper
    from .engine import parse
    dumper = CfgDumper(directory)
    os.makedirs(directory, exist_ok=True)
    stage = _next_stage(directory)
    for k, (label, module) in enumerate((("llvm-before", parse(c.llvm_before)),
                                         ("llvm-after", c.module))):
        for fn in module.functions:
            if fn.is_declaration:
                continue
            name = re.sub(r"[^A-Za-z0-9_.-]", "_", fn.name)
            path = os.path.join(directory, f"{stage + k:02d}-{label}.{name}.dot")
            with open(path, "w", encoding="utf-8") as f:
                f.write(llvm.get_function_cfg(fn, show_inst=True))
            dumper.written.append(path)
    dumper.finish()
    return dumper.written
