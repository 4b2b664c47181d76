"""Copying blocks, and repairing SSA form afterwards: the machinery of inlining, loop
unrolling and peeling, and function versioning.

:func:`clone_blocks` copies a set of blocks inside a function (or from another
function), mapping values and branch targets; edges that leave the set keep their
targets. When a value then has several definitions (the original and its copies),
:class:`SSAUpdater` rewrites each use outside them to the definition that reaches it,
adding block parameters where paths meet (Braun et al. 2013, on a complete CFG).
"""
from __future__ import annotations

from typing import Iterable, Mapping, Optional

from ..ir.core import Block, BlockParam, Function, Instruction, Successor, Value
from ..ir.dominance import reverse_postorder, reverse_postorder_from
from .transform import add_param


def name_hint(name: str) -> Optional[str]:
    """``x.12`` -> ``x``; a plain number has no hint."""
    head, _, tail = name.rpartition(".")
    if head and tail.isdigit():
        return head
    return None if name.isdigit() else name


def block_hint(name: str) -> str:
    head, _, tail = name.rpartition(".")
    return head if head and tail.isdigit() else name


def clone_blocks(f: Function, blocks: Iterable[Block], vmap: dict[Value, Value],
                 prefix: str = "", insert_after: Optional[Block] = None) -> dict[Block, Block]:
    """Copy ``blocks`` into ``f``. ``vmap`` maps values to use instead of originals (for
    example a callee's parameters to a call's arguments) and receives every copied
    value; a block parameter already in ``vmap`` is not copied (its uses take the
    mapped value, and branches to the copy must not pass it). The blocks may come in
    any order. Returns the block map. The copies are placed after ``insert_after``
    (default: at the end), in the given order."""
    blocks = list(blocks)
    bmap: dict[Block, Block] = {}
    for b in blocks:
        nb = Block(f.fresh_block_name(prefix + block_hint(b.name)), f)
        bmap[b] = nb
        for p in b.params:
            if p in vmap:
                continue
            np = BlockParam(f.fresh_value_name(name_hint(p.name)), nb, p.type)
            nb.params.append(np)
            vmap[p] = np
    made: list[Instruction] = []
    for b in blocks:
        nb = bmap[b]
        for i in b.instrs:
            succs = [Successor(bmap.get(s.block, s.block), list(s.args)) for s in i.succs]
            name = f.fresh_value_name(name_hint(i.name)) if i.op.result else None
            ni = Instruction(i.op, list(i.operands), i.imms, succs, i.span, name)
            ni.type = i.type
            nb.append(ni)
            made.append(ni)
            if i.op.result:
                vmap[i] = ni
    for ni in made:  # now every copy exists: point uses at the copies, in any order
        for old in {v for v in ni.uses() if v in vmap}:
            ni.replace_uses(old, vmap[old])
    new = [bmap[b] for b in blocks]
    if insert_after is not None and insert_after in f.blocks:
        k = f.blocks.index(insert_after) + 1
        f.blocks[k:k] = new
    else:
        f.blocks.extend(new)
    return bmap


class PredIndex:
    """A function's predecessors, kept up to date by a transformation that edits a small
    part of a large function, so that it need not rescan every block after each edit
    (``Function.predecessors()`` is linear in the function; unrolling every loop of an
    inlined top level with it was quadratic).

    After changing the terminators of some blocks (or adding blocks), call
    :meth:`update` with them; before deleting blocks, :meth:`remove`. Reads give the
    edges ``(source, successor index)`` in the order ``Function.predecessors()`` gives
    them (by the source's place in the function), so results do not depend on which
    one a transformation used."""

    def __init__(self, f: Function) -> None:
        self.f = f
        self._in: dict[Block, list[tuple[Block, int]]] = {}
        self._out: dict[Block, list[Block]] = {}
        self.update(f.blocks)

    def update(self, blocks: Iterable[Block]) -> None:
        """Re-read the branches of ``blocks`` (new blocks, or changed terminators)."""
        for b in blocks:
            for t in set(self._out.get(b, ())):
                self._in[t] = [e for e in self._in[t] if e[0] is not b]
            term = b.terminator
            targets = [s.block for s in term.succs] if term is not None else []
            self._out[b] = targets
            for k, t in enumerate(targets):
                self._in.setdefault(t, []).append((b, k))

    def remove(self, blocks: Iterable[Block]) -> None:
        """Forget ``blocks`` (being deleted) and their branches."""
        for b in blocks:
            for t in set(self._out.pop(b, ())):
                if t in self._in:
                    self._in[t] = [e for e in self._in[t] if e[0] is not b]
            self._in.pop(b, None)

    def get(self, b: Block, default: Optional[list] = None) -> list[tuple[Block, int]]:
        edges = self._in.get(b)
        if not edges:
            return [] if default is None else default
        if len(edges) > 1:
            index = self.f.blocks.index  # few blocks are asked for: no position map
            edges.sort(key=lambda e: (index(e[0]), e[1]))
        return edges

    def __getitem__(self, b: Block) -> list[tuple[Block, int]]:
        return self.get(b)


class SSAUpdater:
    """Several definitions of one variable, each available at the end of its block;
    answers which value reaches a given point, adding block parameters on the way.
    Build it after the CFG has its final shape (it reads the predecessors once, or
    uses ``preds``: a mapping like ``Function.predecessors()``, e.g. a PredIndex)."""

    def __init__(self, f: Function, hint: Optional[str] = None, type_: str = "any",
                 preds: Optional[Mapping[Block, list[tuple[Block, int]]]] = None) -> None:
        self.f = f
        self.hint = hint
        self.type = type_
        self.defs: dict[Block, Value] = {}
        self._start: dict[Block, Value] = {}
        self._args_done: set[Block] = set()  # joins whose branches pass the value
        self._made: set[BlockParam] = set()
        self._preds = f.predecessors() if preds is None else preds

    def add_def(self, block: Block, value: Value) -> None:
        self.defs[block] = value

    def value_at_end(self, b: Block) -> Value:
        v = self.defs.get(b)
        return v if v is not None else self.value_at_start(b)

    def _param(self, b: Block) -> BlockParam:
        p = add_param(b, self.hint, self.type)
        self._made.add(p)
        return p

    def value_at_start(self, b: Block) -> Value:
        """The definition reaching the start of ``b``. Iterative (a long chain of
        copied blocks must not exhaust Python's stack): first find every block whose
        start is needed, give each join a parameter, then resolve the rest."""
        if b in self._start:
            return self._start[b]
        need: list[Block] = []
        seen = {b}
        work = [b]
        while work:  # the blocks whose start value is needed, up to definitions
            x = work.pop()
            need.append(x)
            preds = self._preds.get(x, [])
            if not preds:
                raise AssertionError(f"SSAUpdater: no definition reaches ^{x.name}")
            if len(preds) > 1 and x not in self._start:
                self._start[x] = self._param(x)
            for src, _ in preds:
                if src not in self.defs and src not in seen and src not in self._start:
                    seen.add(src)
                    work.append(src)
        for x in need:  # single-predecessor blocks: follow the chain to a value
            chain: list[Block] = []
            on_chain: set[Block] = set()
            y = x
            while y not in self._start:
                chain.append(y)
                on_chain.add(y)
                src = self._preds[y][0][0]
                if src in self.defs:
                    v = self.defs[src]
                    break
                if src in on_chain:  # a cycle of single-predecessor blocks: a join
                    self._start[src] = self._param(src)
                y = src
            else:
                v = self._start[y]
            for c in chain:
                self._start[c] = v
        for x in list(self._start):  # arguments for the parameters made above
            p = self._start[x]
            if isinstance(p, BlockParam) and p.block is x and p in self._made \
                    and x not in self._args_done:
                self._args_done.add(x)
                for src, k in self._preds[x]:
                    src.instrs[-1].add_succ_arg(k, self.value_at_end(src))
        return self._start[b]

    def rewrite_uses(self, old: Value, keep: set[Block]) -> None:
        """Rewrite every use of ``old`` in a block outside ``keep`` (the blocks whose
        uses are already right) to the reaching definition."""
        for user in list(old.users):
            b = user.block
            if b is None or b in keep:
                continue
            for i, v in enumerate(user.operands):
                if v is old:
                    user.set_operand(i, self.value_at_start(b))
            for k, s in enumerate(user.succs):
                for j, a in enumerate(s.args):
                    if a is old:
                        new = self.value_at_end(b)
                        user.remove_succ_arg(k, j)
                        user.add_succ_arg(k, new)
                        # add_succ_arg appends; move it back into place
                        s.args.insert(j, s.args.pop())


def repair_ssa(f: Function, copies: list[dict[Value, Value]], originals: Iterable[Instruction | BlockParam],
               keep: set[Block], preds: Optional[Mapping[Block, list[tuple[Block, int]]]] = None
               ) -> None:
    """After copying blocks: every value in ``originals`` now also has a copy in each
    map of ``copies``; rewrite the uses outside ``keep`` (the original and copied
    blocks, whose uses are right by construction) to the reaching definition.
    ``preds``: the function's predecessors if the caller keeps them (else read once,
    when some value has a use to repair)."""
    for v in originals:
        outside = [u for u in v.users if u.block not in keep]
        if not outside:
            continue
        if preds is None:  # shared by every value: repairing adds no edges
            preds = f.predecessors()
        up = SSAUpdater(f, name_hint(v.name), v.type, preds)
        up.add_def(v.block, v)  # type: ignore[arg-type]
        for m in copies:
            c = m.get(v)
            if c is not None:
                up.add_def(c.block, c)  # type: ignore[attr-defined]
        up.rewrite_uses(v, keep)


def rpo_of(f: Function, blocks: Iterable[Block]) -> list[Block]:
    """``blocks`` in the function's reverse postorder (unreachable ones dropped)."""
    wanted = set(blocks)
    return [b for b in reverse_postorder(f) if b in wanted]


def region_rpo(header: Block, blocks: set[Block]) -> list[Block]:
    """The blocks of a single-entry region (a natural loop: ``header`` dominates every
    block of ``blocks``) in reverse postorder of the edges inside it. That is the order
    :func:`rpo_of` gives them (the function's depth-first search, entering the region
    only at the header, visits its blocks in the same order), found without walking
    the whole function."""
    return reverse_postorder_from(header, blocks)
