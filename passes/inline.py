"""Function inlining with a cost model.

A call is inlined when the callee is small enough (its instruction count, constants not
counted, is at most ``threshold``) and cannot reach itself through calls: recursive
functions are never inlined, so inlining always ends. Callees are processed before
their callers (bottom-up over the call graph), so a caller sees its callees already
inlined into. The callee's blocks are copied in place of the call; its returns jump to
a continuation block whose parameter is the call's result. Instructions keep their
source positions, so an error inside inlined code reports the same place.

With ``prune`` (the default) a function left without callers after inlining is deleted,
unless it is where the program starts (``@ruchy.start``, ``@main``).
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir import Builder
from ruchy_opt.ir.core import Function, Instruction, Module, Value
from ruchy_opt.passmgr import ModulePass, PassContext
from ruchy_opt.passmgr.cloning import clone_blocks, rpo_of
from ruchy_opt.passmgr.transform import add_param
from ruchy_opt.passmgr.analyses.callgraph import referenced

ENTRY_POINTS = (Module.START, "main")


def cost(f: Function) -> int:
    """Instructions that would be copied (constants are free: they fold away)."""
    return sum(1 for i in f.instructions() if i.op.name != "const")


def inline_call(caller: Function, call: Instruction, callee: Function) -> None:
    """Replace ``call`` in ``caller`` by a copy of ``callee``'s body."""
    b = call.block
    assert b is not None
    pos = b.instrs.index(call)
    cont = caller.new_block(f"{callee.name}.ret", append=False)
    caller.blocks.insert(caller.blocks.index(b) + 1, cont)
    # move what follows the call into the continuation
    for i in b.instrs[pos + 1:]:
        i.block = cont
        cont.instrs.append(i)
    del b.instrs[pos + 1:]
    result = add_param(cont, None)
    vmap: dict[Value, Value] = dict(zip(callee.params, call.operands))
    blocks = rpo_of(callee, callee.blocks)
    bmap = clone_blocks(caller, blocks, vmap, prefix=f"{callee.name}.", insert_after=b)
    for ob in blocks:
        nb = bmap[ob]
        t = nb.instrs[-1]
        if t.op.name == "ret":
            if t.operands:
                v = t.operands[0]
            else:
                v = Builder(caller).at_before(t).const(None, span=t.span)
            t.erase()
            Builder(caller, nb).br(cont, [v], span=t.span)
    call.replace_all_uses_with(result)
    call.erase()
    Builder(caller, b).br(bmap[callee.entry], span=call.span)
    # successors of the moved terminator now have `cont` as predecessor: nothing to do,
    # branch arguments live in the terminator itself


@dataclass(frozen=True)
class Inline(ModulePass):
    """Inline calls to small non-recursive functions (cost model: threshold)."""

    name = "inline"
    requires = ("callgraph",)
    threshold: int = 50
    prune: bool = True

    def check_params(self) -> str | None:
        return "threshold must be at least 0" if self.threshold < 0 else None

    def run_on_module(self, module: Module, ctx: PassContext) -> bool:
        cg = ctx.analysis("callgraph", module)
        inlined = 0
        sizes: dict[str, int] = {}
        for name in cg.bottom_up():
            caller = module.functions.get(name)
            if caller is None:
                continue
            for call in [i for i in caller.instructions() if i.op.name == "call"]:
                callee = module.functions.get(str(call.imms[0]))
                if callee is None or callee is caller or cg.is_recursive(callee.name) \
                        or cg.same_scc(caller.name, callee.name) \
                        or len(callee.params) != len(call.operands):
                    continue
                size = sizes.get(callee.name)
                if size is None:
                    size = sizes[callee.name] = cost(callee)
                if size > self.threshold:
                    continue
                inline_call(caller, call, callee)
                inlined += 1
            sizes.pop(name, None)
        ctx.stat("calls inlined", inlined)
        removed = self.prune_dead(module) if self.prune and inlined else 0
        ctx.stat("functions deleted", removed)
        return inlined > 0

    @staticmethod
    def prune_dead(module: Module) -> int:
        used = referenced(module)  # called, or used as a value (a closure)
        dead = [n for n in module.functions if n not in used and n not in ENTRY_POINTS]
        for n in dead:
            del module.functions[n]
        return len(dead)
