"""Preparing IR functions for the interpreter: every value gets a register (a list
index), constants are written into a register template once, and each instruction
becomes a tuple holding the callable its op class binds (``OpDef.bind``). The
interpreter then never looks at op names or dictionaries while it runs.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyError
from ..ir.core import Function, Instruction, Module, Value
from ..ir.opdef import OpDef
from ..syntax.ast import NO_SPAN, Span

# Step kinds (the first element of each step tuple).
OP0, OP1, OP2, OPN, CALL, BR, CONDBR, RET, CALLV, CALLM = range(10)
TRASH = 0  # register that results of ops without a value go to


class CompiledFunction:
    """A function ready to run: register template, steps and spans per block."""

    __slots__ = ("name", "nregs", "template", "param_regs", "blocks", "spans")

    def __init__(self, name: str) -> None:
        self.name = name
        self.nregs = 1
        self.template: list[Any] = []
        self.param_regs: tuple[int, ...] = ()
        self.blocks: list[list[tuple]] = []
        self.spans: list[list[Span]] = []


def _no_semantics(op: type[OpDef]) -> bool:
    return op.impl is OpDef.impl and op.bind.__func__ is OpDef.bind.__func__  # type: ignore


def compile_function(f: Function, env: Any) -> CompiledFunction:
    """Registers and steps for ``f``; ``env`` is what ops with effects bind to."""
    cf = CompiledFunction(f.name)
    regs: dict[Value, int] = {}
    consts: dict[int, Any] = {}

    def reg(v: Value) -> int:
        r = regs.get(v)
        if r is None:
            r = regs[v] = cf.nregs
            cf.nregs += 1
        return r

    for b in f.blocks:
        for p in b.params:
            reg(p)
        for i in b.instrs:
            if i.op.result:
                reg(i)
                if i.op.name == "const":
                    consts[regs[i]] = i.imms[0]
    cf.template = [None] * cf.nregs
    for r, v in consts.items():
        cf.template[r] = v
    cf.param_regs = tuple(regs[p] for p in f.params)
    index = {b: k for k, b in enumerate(f.blocks)}
    for b in f.blocks:
        steps: list[tuple] = []
        spans: list[Span] = []
        for instr in b.instrs:
            if instr.op.name == "const":
                continue
            steps.append(_step(instr, regs, index, env))
            spans.append(instr.span)
        cf.blocks.append(steps)
        cf.spans.append(spans)
    return cf


def _step(instr: Instruction, regs: dict[Value, int], index: dict, env: Any) -> tuple:
    name = instr.op.name
    args = tuple(regs[v] for v in instr.operands)
    if name == "br":
        s = instr.succs[0]
        return (BR, index[s.block], tuple(regs[p] for p in s.block.params),
                tuple(regs[a] for a in s.args))
    if name == "cond_br":
        t, f = instr.succs
        return (CONDBR, args[0],
                (index[t.block], tuple(regs[p] for p in t.block.params),
                 tuple(regs[a] for a in t.args)),
                (index[f.block], tuple(regs[p] for p in f.block.params),
                 tuple(regs[a] for a in f.args)))
    if name == "ret":
        return (RET, args[0] if args else -1)
    dst = regs[instr] if instr.op.result else TRASH
    if name == "call":
        return (CALL, str(instr.imms[0]), dst, args)
    if name == "call_closure":  # (CALLV, the closure's register, dst, the arguments)
        return (CALLV, args[0], dst, args[1:])
    if name == "call_method":  # (CALLM, class -> function, dst, args, fallback, by value)
        from ..ir.traits import dispatch_table, fallback
        method, mode = instr.imms
        return (CALLM, dispatch_table(env, method), dst, args, fallback(method, mode),
                mode == "self")
    if _no_semantics(instr.op):
        raise RuchyError(f"op '{name}' has no meaning the IR interpreter knows (its class "
                         "defines neither impl nor bind)", instr.span or NO_SPAN)
    fn: Callable[..., Any] = instr.op.bind(instr.imms, env)
    if len(args) == 0:
        return (OP0, fn, dst)
    if len(args) == 1:
        return (OP1, fn, dst, args[0])
    if len(args) == 2:
        return (OP2, fn, dst, args[0], args[1])
    return (OPN, fn, dst, args)


class Program:
    """The compiled functions of a module, compiled on first call."""

    def __init__(self, module: Module, env: Any) -> None:
        self.module = module
        self.env = env
        self.cache: dict[str, CompiledFunction] = {}

    def get(self, name: str) -> Optional[CompiledFunction]:
        cf = self.cache.get(name)
        if cf is None:
            f = self.module.functions.get(name)
            if f is None:
                return None
            cf = self.cache[name] = compile_function(f, self.env)
        return cf
