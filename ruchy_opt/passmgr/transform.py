"""Small IR edits that many passes need, kept right about use lists and names.

This is public API for pass authors (the built-in passes use nothing else): replacing
an instruction by another or by a value, changing a terminator, removing block
parameters, deleting unreachable blocks, splitting edges.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Optional, Sequence

from ..ir import Builder
from ..ir.core import Block, BlockParam, Function, Instruction, Successor, Value
from ..ir.dominance import reverse_postorder
from ..ir.opdef import OPS

_NOT_CONST = object()


def const_value(v: Value) -> Any:
    """The literal of a ``const`` instruction, or :data:`NOT_CONST`."""
    if isinstance(v, Instruction) and v.op.name == "const":
        return v.imms[0]
    return _NOT_CONST


NOT_CONST = _NOT_CONST


def literal_key(v: Any) -> tuple:
    """A key under which two literals are equal exactly when they are the same value
    (1 and 1.0 and True differ; 0.0 and -0.0 differ; NaN equals NaN)."""
    if type(v) is float:
        return (float, "nan" if math.isnan(v) else v.hex())
    return (type(v), v)


def new_instr(before: Instruction, opname: str, operands: Sequence[Value] = (),
              imms: Iterable[Any] = (), name: Optional[str] = None) -> Instruction:
    """An instruction inserted just before ``before``, with its span. ``name`` reuses
    an existing value name of this function (one being replaced) instead of a fresh one."""
    assert before.block is not None
    cls = OPS[opname]
    if not cls.result:
        name = None
    elif name is None:
        name = before.block.func.fresh_value_name()  # type: ignore[union-attr]
    instr = Instruction(cls, list(operands), tuple(imms), [], before.span, name)
    blk = before.block
    blk.insert(blk.instrs.index(before), instr)
    return instr


def replace_instr(old: Instruction, opname: str, operands: Sequence[Value] = (),
                  imms: Iterable[Any] = ()) -> Instruction:
    """Replace ``old`` by a new instruction of ``opname`` in the same place, with the same
    result name and span (so dumps before and after diff cleanly)."""
    new = new_instr(old, opname, operands, imms, name=old.name or None)
    old.replace_all_uses_with(new)
    old.erase()
    return new


def replace_with_value(old: Instruction, v: Value) -> None:
    """Make every user of ``old`` use ``v`` instead, and delete ``old``."""
    old.replace_all_uses_with(v)
    old.erase()


def set_terminator(b: Block, opname: str, operands: Sequence[Value] = (),
                   succs: Sequence[tuple[Block, Sequence[Value]]] = ()) -> Instruction:
    """Replace the terminator of ``b`` (keeping its span)."""
    old = b.terminator
    span = old.span if old is not None else None
    if old is not None:
        old.erase()
    kw = {"span": span} if span is not None else {}
    return Builder(b.func, b).emit(opname, operands, succs=succs, **kw)  # type: ignore[arg-type]


def branch_to(b: Block, target: Block, args: Sequence[Value] = ()) -> Instruction:
    """Make ``b`` end in ``br target(args)``."""
    return set_terminator(b, "br", (), [(target, list(args))])


def remove_param(b: Block, index: int, preds: Optional[list[tuple[Block, int]]] = None) -> None:
    """Remove parameter ``index`` of ``b`` and the matching argument of every branch to
    it. The parameter must be unused (or its uses replaced first)."""
    f = b.func
    assert f is not None and b is not f.entry, "entry parameters are the function's"
    if preds is None:
        preds = f.predecessors().get(b, [])
    for src, k in preds:
        src.instrs[-1].remove_succ_arg(k, index)
    b.params.pop(index)


def add_param(b: Block, hint: Optional[str] = None, type_: str = "any") -> BlockParam:
    """A new parameter at the end of ``b``'s list; the caller adds the branch arguments."""
    f = b.func
    assert f is not None
    p = BlockParam(f.fresh_value_name(hint), b, type_)
    b.params.append(p)
    return p


def delete_blocks(f: Function, dead: Iterable[Block]) -> None:
    """Delete blocks that nothing live branches to. A value of theirs still used by a
    live block would be a bug in the caller; such uses get a unit constant so the IR
    stays well formed (the verifier would not notice a dangling use otherwise)."""
    dead_set = set(dead)
    if not dead_set:
        return
    for b in dead_set:
        for i in b.instrs:
            i.drop_uses()
    f.blocks = [b for b in f.blocks if b not in dead_set]
    unit: Optional[Instruction] = None
    for b in dead_set:
        for v in [*b.params, *(i for i in b.instrs if i.op.result)]:
            live_users = [u for u in v.users if u.block not in dead_set]
            for u in live_users:
                if unit is None:
                    unit = Builder(f).at_before(f.entry.instrs[0]).const(None)
                u.replace_uses(v, unit)
        for i in b.instrs:
            i.block = None


def remove_unreachable_blocks(f: Function) -> bool:
    """Delete the blocks the entry cannot reach; True if there were any."""
    live = set(reverse_postorder(f))
    dead = [b for b in f.blocks if b not in live]
    delete_blocks(f, dead)
    return bool(dead)


def split_edge(src: Block, k: int, hint: str = "split") -> Block:
    """Put a new block on edge ``k`` of ``src``'s terminator; the new block takes over
    the branch arguments and jumps on to the old target."""
    f = src.func
    assert f is not None
    term = src.instrs[-1]
    succ = term.succs[k]
    target, args = succ.block, list(succ.args)
    mid = f.new_block(hint, append=False)
    f.blocks.insert(f.blocks.index(src) + 1, mid)
    for v in args:
        term.remove_succ_arg(k, 0)
    succ.block = mid
    Builder(f, mid).br(target, args, span=term.span)
    return mid


def successor_edges(b: Block) -> list[Successor]:
    t = b.terminator
    return list(t.succs) if t is not None else []


def users_outside(v: Value, blocks: set[Block]) -> list[Instruction]:
    """Instructions outside ``blocks`` that use ``v``."""
    return [u for u in v.users if u.block not in blocks]


def remove_trivial_params(f: Function) -> bool:
    """Remove block parameters that receive one value on every edge (apart from
    themselves, around a loop): their uses take that value instead. To a fixpoint.
    Sound because a value passed on every edge into a block is defined in a block that
    dominates all of them, hence the block."""
    changed_any = False
    changed = True
    while changed:
        changed = False
        preds = f.predecessors()
        for b in f.blocks[1:]:
            for j in range(len(b.params) - 1, -1, -1):
                p = b.params[j]
                same: Optional[Value] = None
                trivial = True
                for src, k in preds.get(b, ()):
                    a = src.instrs[-1].succs[k].args[j]
                    if a is p or a is same:
                        continue
                    if same is not None:
                        trivial = False
                        break
                    same = a
                if not trivial or same is None:
                    continue
                p.replace_all_uses_with(same)
                remove_param(b, j, preds.get(b, []))
                changed = changed_any = True
    return changed_any
