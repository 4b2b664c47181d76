"""Global value numbering by dominator-tree scoped hashing (a dominance-based CSE).

Walking the dominator tree, an instruction that computes what a dominating instruction
already computed (same op, same immediates, same operands, in either order for a
commutative op) is replaced by it. Pure operations qualify even if they may fail: the
earlier one runs first, so if it fails the later one is never reached, and if it
succeeds the later one would give the same result. Operations that read memory
(``index``, ``len``, ``format``) are reused only within a block, and only until an
instruction with side effects; allocations are never merged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ruchy_opt.ir.core import Function, Instruction
from ruchy_opt.ir.opdef import COMMUTATIVE, PURE, READS, SIDE_EFFECTS
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import literal_key, replace_with_value


def value_key(i: Instruction) -> Optional[tuple]:
    """What ``i`` computes, as a hashable key; None if it cannot be reused."""
    if not i.op.result or i.is_terminator:
        return None
    operands: Any = tuple(id(v) for v in i.operands)
    if i.op.has(COMMUTATIVE):
        operands = tuple(sorted(operands))
    imms = tuple(literal_key(x) for x in i.imms)
    return (i.op.name, imms, operands)


@dataclass(frozen=True)
class GVN(FunctionPass):
    """Global value numbering: reuse values computed by a dominating instruction."""

    name = "gvn"
    requires = ("domtree",)
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        dt = ctx.analysis("domtree", func)
        removed = 0
        scopes: list[dict] = []
        # iterative preorder walk with explicit scope pops
        stack: list[Any] = [dt.root] if dt.rpo else []
        while stack:
            item = stack.pop()
            if item is None:
                scopes.pop()
                continue
            table: dict = {}
            scopes.append(table)
            stack.append(None)
            local: dict = {}  # memory reads, valid until a side effect in this block
            for i in list(item.instrs):
                if i.op.has(SIDE_EFFECTS):
                    local.clear()
                key = value_key(i)
                if key is None:
                    continue
                if i.op.has(PURE):
                    found = next((s[key] for s in reversed(scopes) if key in s), None)
                    if found is not None:
                        replace_with_value(i, found)
                        removed += 1
                    else:
                        table[key] = i
                elif i.op.has(READS) and not i.op.has(SIDE_EFFECTS) \
                        and not i.op.has("allocates"):
                    if key in local:
                        replace_with_value(i, local[key])
                        removed += 1
                    else:
                        local[key] = i
            stack.extend(reversed(dt.children[item]))
        ctx.stat("instructions reused", removed)
        return removed > 0
