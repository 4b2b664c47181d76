"""SSA construction while lowering (Braun, Buchwald, Hack, Leißa, Mallon and Zwinkau,
"Simple and Efficient Construction of Static Single Assignment Form", CC 2013).

Each Ruchy binding is a :class:`Var`. Lowering writes a variable in a block
(``write``) and reads it (``read``); a read that is not answered in the block itself
looks through the predecessors and, where paths join, adds a block parameter (the
paper's phi). A block is *sealed* once all its predecessors are known; reads in an
unsealed block (a loop header while its body is being lowered) add *incomplete*
parameters whose arguments are filled in when the block is sealed. Parameters that
turn out to receive one value only (or themselves) are removed on the spot.

Block arguments instead of phis change one detail: a parameter's incoming values live
on the branches into the block, so they are appended to each incoming edge in the
order the parameters were created.
"""
from __future__ import annotations

from typing import Optional

from ..ir.core import Block, BlockParam, Function, Instruction, Value

Edge = tuple[Block, int]  # (branching block, index of the successor in its terminator)


class Var:
    """One Ruchy binding (a ``let``, a parameter, a loop variable, a match binding)."""

    __slots__ = ("name", "cell")

    def __init__(self, name: str, cell: bool = False) -> None:
        self.name = name
        #: whether the variable lives in a cell shared with closures (lower/closures.py):
        #: its SSA value is then the cell
        self.cell = cell

    def __repr__(self) -> str:
        return f"<Var {self.name}>"


class SSABuilder:
    """Variable definitions per block, sealing, and trivial-parameter removal."""

    def __init__(self, func: Function) -> None:
        self.func = func
        self.defs: dict[Var, dict[Block, Value]] = {}
        self.preds: dict[Block, list[Edge]] = {}
        self.sealed: set[Block] = set()
        self.incomplete: dict[Block, list[tuple[Var, BlockParam]]] = {}
        self.pending: set[BlockParam] = set()   # parameters whose arguments are not all in
        self.replaced: dict[Value, Value] = {}  # removed parameter -> what replaced it

    # ---- the CFG as lowering builds it -------------------------------------------------

    def add_edge(self, source: Block, succ_index: int, target: Block) -> None:
        """Record a branch into ``target`` (which must not be sealed yet)."""
        assert target not in self.sealed, f"edge into sealed block ^{target.name}"
        self.preds.setdefault(target, []).append((source, succ_index))

    def seal(self, block: Block) -> None:
        """All predecessors of ``block`` are known: complete its incomplete parameters."""
        self.sealed.add(block)
        todo = self.incomplete.pop(block, [])
        for var, param in todo:
            self._add_arguments(var, param)
        for _, param in todo:
            self.try_remove_trivial(param)

    # ---- variables ------------------------------------------------------------------------

    def write(self, var: Var, block: Block, value: Value) -> None:
        """``var`` has ``value`` at the end of what is lowered so far in ``block``."""
        self.defs.setdefault(var, {})[block] = value

    def resolve(self, v: Value) -> Value:
        """What ``v`` stands for now (a removed trivial parameter is replaced)."""
        while v in self.replaced:
            v = self.replaced[v]
        return v

    def read(self, var: Var, block: Block) -> Value:
        """The value of ``var`` at the end of what has been lowered into ``block``."""
        defs = self.defs.setdefault(var, {})
        # Walk up chains of single predecessors without recursion (long programs
        # make long chains), then answer the first block that needs real work.
        chain: list[Block] = []
        b = block
        while b not in defs:
            preds = self.preds.get(b, [])
            if b in self.sealed and len(preds) == 1:
                chain.append(b)
                b = preds[0][0]
                continue
            break
        if b in defs:
            value = self.resolve(defs[b])
        else:
            value = self._read_join(var, b)
        for c in chain:
            defs[c] = value
        return value

    def _read_join(self, var: Var, block: Block) -> Value:
        preds = self.preds.get(block, [])
        if block not in self.sealed:
            param = self._new_param(var, block)
            self.incomplete.setdefault(block, []).append((var, param))
            self.write(var, block, param)
            return param
        if not preds:  # unreachable code (after return/break) or the entry
            value: Value = self._unit(block)
            self.write(var, block, value)
            return value
        param = self._new_param(var, block)
        self.write(var, block, param)  # first, so cycles through loops end here
        self._add_arguments(var, param)
        return self.try_remove_trivial(param)

    def _new_param(self, var: Var, block: Block) -> BlockParam:
        param = block.add_param(self.func.fresh_value_name(var.name))
        self.pending.add(param)
        return param

    def _add_arguments(self, var: Var, param: BlockParam) -> None:
        for source, k in self.preds.get(param.block, []):
            source.instrs[-1].add_succ_arg(k, self.read(var, source))
        self.pending.discard(param)

    def _unit(self, block: Block) -> Instruction:
        from ..ir.builder import Builder
        b = Builder(self.func, block)
        if block.instrs:
            b.at_before(block.instrs[0])
        return b.const(None)

    # ---- trivial parameters ------------------------------------------------------------

    def try_remove_trivial(self, param: BlockParam) -> Value:
        """Replace ``param`` by the one value it receives, if it receives only one."""
        block = param.block
        if param in self.pending or param not in block.params:
            return param
        j = block.params.index(param)
        same: Optional[Value] = None
        for source, k in self.preds.get(block, []):
            arg = source.instrs[-1].succs[k].args[j]
            if arg is param or arg is same:
                continue
            if same is not None:
                return param  # joins two different values: a real parameter
            same = arg
        if same is None:  # only reachable from itself: dead code
            same = self._unit(block)
        users = param_users(param)
        param.replace_all_uses_with(same)
        remove_param(block, param, self.preds.get(block, []))
        self.replaced[param] = same
        for q in users:
            if q is not param:
                self.try_remove_trivial(q)
        # Removing the users may have removed ``same`` too (a loop-header parameter
        # that only received this one): answer what stands for it now.
        return self.resolve(same)


def param_users(v: Value) -> list[BlockParam]:
    """Block parameters that receive ``v`` as a branch argument."""
    out = []
    for user in v.users:
        for s in user.succs:
            for i, a in enumerate(s.args):
                if a is v and i < len(s.block.params):
                    out.append(s.block.params[i])
    return out


def remove_param(block: Block, param: BlockParam, edges: list[Edge]) -> None:
    """Delete a parameter (that nothing uses any more) and its argument on every edge."""
    j = block.params.index(param)
    for source, k in edges:
        source.instrs[-1].remove_succ_arg(k, j)
    block.params.pop(j)
