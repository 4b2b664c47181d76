"""Loop versioning: an innermost counted loop whose index checks can be decided before
it starts runs, when they all pass, as a copy without them.

A candidate is an innermost loop (one header, no inner cycle, entered only at the
header) whose header tests ``j < hi`` or ``j <= hi`` on a header parameter ``j`` that
every back edge advances by ``j + s`` (``hi`` and ``s`` loop-invariant). Its body may
not call functions or change an array's length (only ops that cannot are allowed), and
no value it defines is used after it (except through exit-edge arguments). Then in the
body ``lo <= j <= M`` (``M = hi - 1`` or ``hi``) whenever ``s > 0`` and ``M + s`` does
not overflow, and for every access ``A[j]``, ``A[j + X]``, ``A[X + j]``, ``A[j - X]``
with ``A`` and ``X`` loop-invariant (``X`` built by ``+ - *`` from invariant values) the
index stays within ``[e(lo), e(M)]``; an access ``A[X]`` uses the same index throughout.
A *counter*, another header parameter ``c`` that every back edge passes either unchanged
or as ``c + k`` (``k`` a constant >= 0, possibly through a join in the body, as
``if flags[k] { count += 1 }`` makes), stays below ``c0 + kmax * (M - lo + 1)``: the
body runs at most that many times and adds at most ``kmax`` each time; so its additions
cannot overflow when that bound does not.

Each entry edge evaluates these facts (with overflow-checked arithmetic that never
fails: an overflow just means "not proven") and branches to the original loop, with
all its checks, or to a copy where the proven checks are left out: those index checks,
the overflow checks of the index additions, of ``X``, of the step and of the
counters' additions. Nothing else
changes, so the copy does exactly what the original would (the original runs whenever
any check might fail, and raises the error at the same iteration with the same output
before it). LLVM can then vectorise the copy (matmul, sieve's count) and keep its loop
lean (sieve).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from . import llir as ir

from ..ir.core import Block, BlockParam, Instruction, Value
from .lltypes import I1, I64, lltype
from ..typerules.rtypes import ArrT

if TYPE_CHECKING:
    from .function import FunctionGen

_ARITH = ("add", "sub", "mul")
_MAX_BODY = 80  # instructions: versioning doubles the loop's code
#: methods that never change any array's length (every other method may: push, pop...)
_PURE_METHODS = frozenset({
    "len", "is_empty", "to_string", "clone", "abs", "sqrt", "round", "is_nan", "pow",
    "powi", "powf", "min", "max", "contains", "floor", "ceil", "trunc", "sin", "cos", "tan",
    "atan", "exp", "ln", "log10", "log2"})
#: ops that cannot change an array's length (besides arithmetic, below)
_SAFE_OPS = frozenset({
    "const", "copy", "load_global", "store_global", "check_range", "array", "repeat",
    "index", "set_index", "elem_mut", "snapshot", "len", "neg", "neg.i64", "neg.f64", "not",
    "truth", "to_bool", "guard.i64", "guard.f64", "guard.bool", "guard.str", "guard.arr",
    "is_true", "to_int", "to_float", "matches", "in_range", "format", "print", "eprint",
    "text", "error", "match_fail", "assert_fail", "panic", "assert_eq", "assert_ne",
    "br", "cond_br"})


@dataclass(eq=False)
class Access:
    instr: Instruction      # index / set_index / elem_mut
    array: Value            # loop-invariant
    offset: Optional[Value]  # X (None: the index is j itself)
    sign: int               # index = j + sign * X (0: the index is X)


@dataclass(eq=False)
class Plan:
    header: Block
    blocks: set
    order: list             # loop blocks, header first, definitions before uses
    iv: BlockParam
    hi: Value
    inclusive: bool
    steps: list             # the step values s
    accesses: list
    proven: frozenset       # instructions whose checks the copy leaves out
    exit: Block             # where the header leaves the loop
    used_after: list        # header parameters used after the loop (merged in exit)
    counters: list = field(default_factory=list)      # [(header param c, kmax)]
    merge_phis: dict = field(default_factory=dict)    # BlockParam -> phi in exit
    inside: dict = field(default_factory=dict)        # BlockParam -> the original's phi
    slow_phis: dict = field(default_factory=dict)     # the header's phis in the original
    fast_blocks: dict = field(default_factory=dict)   # Block -> ir.Block
    fast_phis: dict = field(default_factory=dict)     # BlockParam -> phi


def _binary_ops() -> frozenset:
    from ..ir.ops_arith import BINARY
    return frozenset(list(BINARY) + [f"{n}.i64" for n in BINARY] + [f"{n}.f64" for n in BINARY])


_BINARY = _binary_ops()


def _int_op(v: Value, names, types) -> Optional[str]:
    """The base name of ``v``'s op if it is one of ``names`` on two ints (``add.i64``, or
    an untyped ``add`` that typing found to be on ints)."""
    if not isinstance(v, Instruction) or len(v.operands) != 2:
        return None
    base = v.opname.split(".")[0]
    if base not in names or v.opname not in (base, base + ".i64"):
        return None
    if any(types.get(o) != "i64" for o in v.operands):
        return None
    return base


def _safe(instr: Instruction) -> bool:
    name = instr.opname
    if name in _SAFE_OPS or name in _BINARY:
        return True
    return name == "method" and instr.imms[0] in _PURE_METHODS


def plan_loops(g: "FunctionGen", order: list) -> list:
    """The versionable innermost loops of ``g``'s specialisation (``order``: live blocks
    in reverse postorder)."""
    spec = g.spec
    live = set(order)
    index = {b: k for k, b in enumerate(order)}
    succs = {b: [s for s in _edges(g, b) if s in live] for b in order}
    preds: dict = {b: [] for b in order}
    for b in order:
        for s in succs[b]:
            preds[s].append(b)
    plans = []
    for h in order:
        term = h.terminator
        if term is None or term.opname != "cond_br" or term in spec.fails:
            continue
        p = _plan(g, h, term, succs, preds, index, live)
        if p is not None:
            plans.append(p)
    return plans


def _edges(g: "FunctionGen", b: Block) -> list:
    term = b.terminator
    if term is None:
        return []
    if term.opname == "cond_br":
        known = g.spec.consts.get(term.operands[0])
        if known is not None:
            return [term.succs[0 if known is True else 1].block]
    return [s.block for s in term.succs]


def _plan(g, h, term, succs, preds, index, live) -> Optional[Plan]:  # noqa: C901
    spec = g.spec
    cmp = term.operands[0]
    kind = _int_op(cmp, ("lt", "le"), spec.types)
    if kind is None or cmp.block is not h:
        return None
    if g.spec.consts.get(cmp) is not None:
        return None
    j, hi = cmp.operands
    if not isinstance(j, BlockParam) or j.block is not h:
        return None
    body, exit_ = term.succs[0].block, term.succs[1].block
    if body is h or body not in live:
        return None
    # blocks reachable from the body without passing the header
    reach, stack = {body}, [body]
    while stack:
        b = stack.pop()
        for s in succs[b]:
            if s is not h and s not in reach:
                reach.add(s)
                stack.append(s)
    # those that get back to the header: the loop
    back = {b for b in reach if h in succs[b]}
    if not back:
        return None
    loop, stack = set(back), list(back)
    while stack:
        b = stack.pop()
        for p in preds[b]:
            if p in reach and p not in loop:
                loop.add(p)
                stack.append(p)
    if body not in loop or exit_ in loop:
        return None
    # single entry, and no cycle other than through the header
    for b in loop:
        if any(p not in loop and p is not h for p in preds[b]):
            return None
        if b is not body and h in preds[b]:
            return None
    if any(index[s] <= index[b] for b in loop for s in succs[b] if s in loop):
        return None  # an inner back edge (reverse postorder is a topological order here)
    blocks = loop | {h}
    defined = set(h.params)
    n = 0
    for b in blocks:
        defined.update(b.params)
        for i in b.instrs:
            n += 1
            if not _safe(i):
                return None
            defined.add(i)
    if n > _MAX_BODY:
        return None
    # after the loop, only the header's parameters may be used, and only if the loop
    # leaves by the header alone, to a block entered from nowhere else (which then
    # merges the two versions' values)
    used_after = set()
    for b in live - blocks:
        for i in b.instrs:
            used_after.update(u for u in i.uses() if u in defined)
    if used_after:
        if not used_after <= set(h.params) or preds[exit_] != [h]:
            return None
        if any(s not in blocks for b in loop for s in succs[b]):
            return None
    types = spec.types
    if not _invariant(hi, defined, types):
        return None
    # every back edge advances j by an invariant s
    k = h.params.index(j)
    steps, proven = [], set()
    for b in loop:
        t = b.terminator
        for s in t.succs:
            if s.block is h:
                a = s.args[k]
                if not (_int_op(a, ("add",), types) and a.block in loop
                        and a.operands[0] is j and _invariant(a.operands[1], defined, types)
                        and a not in spec.fails):
                    return None
                steps.append(a.operands[1])
                proven.add(a)
    accesses = []
    for b in loop:
        for i in b.instrs:
            if i.opname not in ("index", "set_index", "elem_mut") or i in spec.fails:
                continue
            arr, idx = i.operands[0], i.operands[1]
            if arr in defined or spec.types.get(idx) != "i64" or \
                    not isinstance(spec.types.get(arr), ArrT):
                continue
            acc = _access(i, arr, idx, j, defined, loop, spec)
            if acc is not None:
                accesses.append(acc)
                proven.add(i)
                if acc.offset is not None:
                    if acc.sign != 0:
                        proven.add(idx)
                    proven.update(_inner(acc.offset, defined))
    counters = []
    for c in h.params:
        if c is j or types.get(c) != "i64":
            continue
        adds: set = set()
        kmax = _counter_step(c, h, loop, spec, adds)
        if kmax is not None and adds:
            counters.append((c, kmax))
            proven.update(adds)
    if not accesses and not counters:
        return None
    order = sorted(blocks, key=lambda b: index[b])
    return Plan(h, blocks, order, j, hi, kind == "le", steps, accesses,
                frozenset(proven), exit_, [p for p in h.params if p in used_after],
                counters)


def _counter_step(c: BlockParam, h: Block, loop: set, spec, adds: set) -> Optional[int]:
    """The most a header parameter ``c`` grows by per iteration if every back edge
    passes ``c`` plus constants >= 0 (added in the body, through parameters of blocks
    in the loop as well), else None. ``adds`` collects those additions."""
    types = spec.types
    edges_into: dict = {}
    for b in loop | {h}:
        for s in b.terminator.succs:
            edges_into.setdefault(s.block, []).append(s)
    memo: dict = {}

    def grows(v: Value) -> Optional[int]:
        if v is c:
            return 0
        if v in memo:
            return memo[v]
        memo[v] = None  # the body has no cycle but through h; this only guards
        r: Optional[int] = None
        if isinstance(v, BlockParam):
            if v.block is not h and v.block in loop:
                k = v.block.params.index(v)
                got = [grows(s.args[k]) for s in edges_into.get(v.block, [])]
                r = None if not got or None in got else max(got)
        elif (_int_op(v, ("add",), types) is not None and v.block in loop
                and v not in spec.fails):
            for x, y in (v.operands, v.operands[::-1]):
                if isinstance(y, Instruction) and y.opname == "const" \
                        and isinstance(y.imms[0], int) and not isinstance(y.imms[0], bool) \
                        and y.imms[0] >= 0:
                    g = grows(x)
                    if g is not None:
                        adds.add(v)
                        r = g + y.imms[0]
                        break
        memo[v] = r
        return r

    k = h.params.index(c)
    back = [grows(s.args[k]) for s in edges_into.get(h, [])]  # h's own edges never come here
    return None if not back or None in back else max(back)


def _invariant(v: Value, defined: set, types, depth: int = 0) -> bool:
    """``v`` is an int defined before the loop, or computed in it by + - * from such."""
    if types.get(v) != "i64":
        return False
    if v not in defined:
        return True
    if depth > 6 or not isinstance(v, Instruction):
        return False
    if v.opname == "const":
        return isinstance(v.imms[0], int) and not isinstance(v.imms[0], bool)
    return _int_op(v, _ARITH, types) is not None and \
        all(_invariant(o, defined, types, depth + 1) for o in v.operands)


def _inner(v: Value, defined: set) -> set:
    """The in-loop arithmetic instructions of an invariant expression."""
    out = set()
    if v in defined and isinstance(v, Instruction) and v.opname != "const":
        out.add(v)
        for o in v.operands:
            out |= _inner(o, defined)
    return out


def _access(i, arr, idx, j, defined, loop, spec) -> Optional[Access]:
    if idx is j:
        return Access(i, arr, None, 1)
    types = spec.types
    if _invariant(idx, defined, types):
        return Access(i, arr, idx, 0)  # the same index on every iteration
    if not (isinstance(idx, Instruction) and idx.block in loop and idx not in spec.fails):
        return None
    op = _int_op(idx, ("add", "sub"), types)
    if op is None:
        return None
    x, y = idx.operands
    if x is j and y is not j and _invariant(y, defined, types):
        return Access(i, arr, y, 1 if op == "add" else -1)
    if op == "add" and y is j and x is not j and _invariant(x, defined, types):
        return Access(i, arr, x, 1)
    return None


# ---- code -------------------------------------------------------------------------------

def prepare(g: "FunctionGen", plan: Plan) -> None:
    """Blocks and phis of the copy, so entry edges can branch to it; phis in the exit
    block for header parameters used after the loop."""
    plan.slow_phis = {p: g.values[p] for p in plan.header.params if p in g.values}
    if plan.used_after:
        bld = ir.IRBuilder(g.blocks[plan.exit])
        for p in plan.used_after:
            plan.inside[p] = g.values[p]
            plan.merge_phis[p] = bld.phi(g.values[p].type, name=p.name + ".m")
        g.merges[plan.exit] = list(plan.merge_phis.items())
    for blk in plan.order:
        fb = plan.fast_blocks[blk] = g.fn.append_basic_block("fast." + blk.name)
        bld = ir.IRBuilder(fb)
        for p in blk.params:
            t = g.type(p)
            if t is not None:
                plan.fast_phis[p] = bld.phi(lltype(t), name=p.name + ".f")


def enter(g: "FunctionGen", plan: Plan, args: list) -> ir.Block:
    """A block for the edge into the loop with ``args``: tests whether every proven
    check passes, and goes to the copy if so, to the original loop otherwise."""
    from .ops_data import length
    b = g.b
    here = b.block
    guard = g.fn.append_basic_block("ver.guard")
    b.position_at_end(guard)
    h = plan.header
    lo = g.val(args[h.params.index(plan.iv)])
    bad: list = []
    memo: dict = {}
    defined = plan.blocks

    def ev(v: Value) -> ir.Value:
        if not (isinstance(v, (Instruction, BlockParam)) and v.block in defined):
            return g.val(v)
        if v in memo:
            return memo[v]
        if v.opname == "const":
            r = ir.Constant(I64, v.imms[0])
        else:
            r = arith(v.opname.split(".")[0], ev(v.operands[0]), ev(v.operands[1]))
        memo[v] = r
        return r

    def arith(op: str, x: ir.Value, y: ir.Value) -> ir.Value:
        r = getattr(b, {"add": "sadd_with_overflow", "sub": "ssub_with_overflow",
                        "mul": "smul_with_overflow"}[op])(x, y)
        bad.append(b.extract_value(r, 1))
        return b.extract_value(r, 0)

    hi = ev(plan.hi)
    top = hi if plan.inclusive else arith("sub", hi, ir.Constant(I64, 1))
    for s in plan.steps:
        sv = ev(s)
        bad.append(b.icmp_signed("<=", sv, ir.Constant(I64, 0)))
        arith("add", top, sv)
    for acc in plan.accesses:
        if acc.offset is None:
            e_lo, e_hi = lo, top
        elif acc.sign == 0:
            e_lo = e_hi = ev(acc.offset)
        else:
            op = "add" if acc.sign > 0 else "sub"
            x = ev(acc.offset)
            e_lo, e_hi = arith(op, lo, x), arith(op, top, x)
        n = length(g, g.val(acc.array))
        bad.append(b.icmp_signed("<", e_lo, ir.Constant(I64, 0)))
        bad.append(b.icmp_signed(">=", e_hi, n))
    if plan.counters:
        runs = arith("add", arith("sub", top, lo), ir.Constant(I64, 1))
        for c, kmax in plan.counters:
            c0 = g.val(args[h.params.index(c)])
            arith("add", c0, arith("mul", runs, ir.Constant(I64, kmax)))
    any_bad = bad[0]
    for x in bad[1:]:
        any_bad = b.or_(any_bad, x)
    slow = g.fn.append_basic_block("ver.checked")
    fast = g.fn.append_basic_block("ver.fast")
    b.cbranch(any_bad, slow, fast)
    for block, phis, target in ((slow, plan.slow_phis, g.blocks[h]),
                                (fast, plan.fast_phis, plan.fast_blocks[h])):
        b.position_at_end(block)
        for p, a in zip(h.params, args):
            phi = phis.get(p)
            if phi is not None:
                phi.add_incoming(g.widened(a, g.type(p)), block)
        b.branch(target)
    b.position_at_end(here)
    return guard


def view(g: "FunctionGen", plans: list, blk: Block) -> None:
    """Before the code of ``blk``: a header parameter used after its loop means the
    original's phi inside the loop, the merged one outside."""
    for plan in plans:
        if plan.used_after:
            g.values.update(plan.inside if blk in plan.blocks else plan.merge_phis)


def emit_copy(g: "FunctionGen", plan: Plan, plans: list) -> None:
    """The loop again, in its own blocks, without the proven checks. Each block sees
    what the original block saw from the other versioned loops (``view``: a value of a
    loop that ran before this one is its merged phi), not what the last block emitted
    happened to leave in ``g.values``."""
    saved = g.blocks, g.values, g.proven
    g.blocks = {**saved[0], **plan.fast_blocks}
    g.values = {**saved[1], **plan.fast_phis}
    g.proven = plan.proven
    try:
        for blk in plan.order:
            g.b.position_at_end(plan.fast_blocks[blk])
            view(g, plans, blk)
            g.values.update(plan.fast_phis)
            g.emit_block(blk)
    finally:
        g.blocks, g.values, g.proven = saved


__all__ = ["plan_loops", "prepare", "enter", "emit_copy", "Plan", "I1"]
