"""The builder: the one way lowering, passes and plugins create instructions.

It picks fresh stable names, computes result types from the op definitions and keeps
use lists right. Instructions go at the end of the current block, or before a chosen
instruction (``at_before``).
"""
from __future__ import annotations

from typing import Any, Iterable, Optional, Sequence

from ..syntax.ast import NO_SPAN, Span
from .core import Block, Function, Instruction, Successor, Value
from .opdef import OPS


class Builder:
    """Creates instructions in a function at an insertion point."""

    def __init__(self, func: Function, block: Optional[Block] = None) -> None:
        self.func = func
        self.block = block
        self._before: Optional[Instruction] = None

    def at_end(self, block: Block) -> "Builder":
        """Insert at the end of ``block`` from now on."""
        self.block, self._before = block, None
        return self

    def at_before(self, instr: Instruction) -> "Builder":
        """Insert just before ``instr`` from now on."""
        assert instr.block is not None
        self.block, self._before = instr.block, instr
        return self

    def emit(self, opname: str, operands: Sequence[Value] = (), imms: Iterable[Any] = (),
             succs: Sequence[tuple[Block, Sequence[Value]]] = (), span: Span = NO_SPAN,
             hint: Optional[str] = None) -> Instruction:
        """Create an instruction of op ``opname`` at the insertion point. ``succs`` are
        (target block, arguments) pairs; ``hint`` names the result (``%x.7``)."""
        cls = OPS[opname]
        name = self.func.fresh_value_name(hint) if cls.result else None
        # (Instruction copies the operands and immediates itself)
        instr = Instruction(cls, operands, imms,
                            [Successor(b, list(a)) for b, a in succs] if succs else None,
                            span, name)
        assert self.block is not None, "builder has no insertion point"
        if self._before is not None:
            self.block.insert(self.block.instrs.index(self._before), instr)
        else:
            self.block.append(instr)
        return instr

    # ---- conveniences ---------------------------------------------------------------

    def const(self, value: Any, span: Span = NO_SPAN) -> Instruction:
        """A ``const`` of a literal (int, float, bool, str or None for unit)."""
        return self.emit("const", imms=(value,), span=span)

    def br(self, target: Block, args: Sequence[Value] = (), span: Span = NO_SPAN) -> Instruction:
        """An unconditional branch to ``target`` passing ``args`` to its parameters."""
        return self.emit("br", succs=[(target, args)], span=span)

    def cond_br(self, cond: Value, if_true: Block, if_false: Block,
                true_args: Sequence[Value] = (), false_args: Sequence[Value] = (),
                span: Span = NO_SPAN) -> Instruction:
        """A two-way branch on a ``bool`` value."""
        return self.emit("cond_br", [cond], succs=[(if_true, true_args), (if_false, false_args)],
                         span=span)

    def ret(self, value: Optional[Value] = None, span: Span = NO_SPAN) -> Instruction:
        """Return ``value`` (unit when None)."""
        return self.emit("ret", [value] if value is not None else [], span=span)
