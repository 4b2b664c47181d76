"""Sparse conditional constant propagation (Wegman and Zadeck 1991).

Values start unknown (TOP) and blocks unreachable; from the entry, reachable blocks are
evaluated, a block parameter takes the meet of the arguments on its reachable incoming
edges, and a conditional branch on a known constant makes only one edge reachable. At
the fixed point, values with a constant become constants, branches on constants become
jumps, and blocks that are no longer reachable are deleted. Constants fold with each
op's own rule, which declines when the operation would fail; an op whose structural
rule (``OpDef.forward``) names another value (``extract`` of a ``make``) takes that
value's lattice element.

Aggregates whose every field is a constant are lattice elements too (:class:`Agg`): a
``make`` or ``variant`` of constants, met through block parameters like any value (equal
when built alike), so that reading one folds where the builder is not in view: the
``extract``/``payload`` of a field, the ``tag`` of a variant, an ``insert`` of a constant.
They are never materialised; only their reads become constants.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ruchy_opt.ir import Builder
from ruchy_opt.ir.core import Block, BlockParam, Function, Instruction, Value
from ruchy_opt.ir.enums import variant_index
from ruchy_opt.ir.opdef import NO_FOLD, SIDE_EFFECTS, literal_type
from ruchy_opt.ir.ops_aggregate import field_names_of
from ruchy_opt.ir.ops_enum import same_enum
from ruchy_opt.passmgr import FunctionPass, PassContext
from ruchy_opt.passmgr.transform import branch_to, literal_key, remove_param, \
    remove_unreachable_blocks, replace_instr

TOP, BOTTOM = object(), object()  # unknown yet / not a constant


class Const:
    """A constant in the lattice; equal to another exactly when the literals are the
    same value (1, 1.0 and true differ; so do 0.0 and -0.0)."""

    __slots__ = ("value", "key")

    def __init__(self, value: Any) -> None:
        self.value = value
        self.key = literal_key(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Const) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)


class Agg:
    """An aggregate of constants: the struct or tuple a ``make`` builds (``variant`` is
    None) or variant ``variant = (name, index)`` of a sum type, with its field names
    and their constant values in declaration order."""

    __slots__ = ("type", "variant", "names", "fields")

    def __init__(self, type_: Any, variant: Any, names: tuple, fields: tuple) -> None:
        self.type, self.variant, self.names, self.fields = type_, variant, names, fields

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Agg) and str(self.type) == str(other.type) and \
            self.variant == other.variant and self.names == other.names and \
            self.fields == other.fields

    def __hash__(self) -> int:
        return hash((str(self.type), self.variant, self.fields))

    def with_field(self, name: str, value: "Const") -> "Agg":
        k = self.names.index(name)
        return Agg(self.type, self.variant, self.names,
                   self.fields[:k] + (value,) + self.fields[k + 1:])


def built(i: Instruction, lats: list) -> Any:
    """The :class:`Agg` a ``make``/``variant`` of constant operands builds (None: not
    one, or its type's fields are not known here)."""
    if not all(isinstance(x, Const) for x in lats):
        return None
    if i.op.name == "make":
        names = field_names_of(i)
        if names is None or len(names) != len(lats):
            return None
        return Agg(i.imms[0], None, tuple(names), tuple(lats))
    func = i.block.func if i.block is not None else None
    vs = i.imms[0].variants(getattr(func, "module", None))
    k = variant_index(vs, i.imms[1]) if vs is not None else -1
    if k < 0 or len(vs[k].field_names()) != len(lats):
        return None
    return Agg(i.imms[0], (i.imms[1], k), tuple(vs[k].field_names()), tuple(lats))


def read(i: Instruction, agg: Agg, lats: list) -> Any:
    """The lattice element of ``i``, a read of the aggregate ``agg`` (its first
    operand), or None when the read is not known (it fails, say)."""
    name = i.op.name
    if name in ("extract", "insert") and agg.variant is None and i.imms[0] in agg.names:
        if name == "extract":
            return agg.fields[agg.names.index(i.imms[0])]
        new = lats[1]
        return agg.with_field(i.imms[0], new) if isinstance(new, Const) else new
    if name in ("tag", "payload"):
        same = same_enum(i.imms[0], agg.type)
        if same is None or agg.variant is None and same:
            return None
        if name == "tag":
            return Const(agg.variant[1] if same else -1)
        if same and i.imms[1] == agg.variant[0] and i.imms[2] in agg.names:
            return agg.fields[agg.names.index(i.imms[2])]
    return None


def meet(a: Any, b: Any) -> Any:
    if a is TOP:
        return b
    if b is TOP or a == b:
        return a
    return BOTTOM


class _Solver:
    def __init__(self, func: Function) -> None:
        self.f = func
        self.value: dict[Value, Any] = {}
        self.exec_blocks: set[Block] = set()
        self.exec_edges: set[tuple[Block, int]] = set()
        self.preds = func.predecessors()
        self.block_work: list[Block] = []
        self.value_work: list[Value] = []
        self.forwarders: dict[Value, set[Instruction]] = {}

    def get(self, v: Value) -> Any:
        return self.value.get(v, TOP)

    def set(self, v: Value, lat: Any) -> None:
        old = self.value.get(v, TOP)
        new = meet(old, lat)  # values only go down the lattice
        if new is not old and not (isinstance(new, Const) and new == old):
            self.value[v] = new
            self.value_work.append(v)

    def solve(self) -> None:
        entry = self.f.entry
        for p in entry.params:
            self.value[p] = BOTTOM
        self.exec_blocks.add(entry)
        self.block_work.append(entry)
        while self.block_work or self.value_work:
            while self.block_work:
                for i in self.block_work.pop().instrs:
                    self.visit(i)
            while self.value_work:
                v = self.value_work.pop()
                for u in [*v.users, *self.forwarders.get(v, ())]:
                    if u.block in self.exec_blocks:
                        self.visit(u)

    def visit(self, i: Instruction) -> None:
        if i.is_terminator:
            self.visit_terminator(i)
            return
        if not i.op.result:
            return
        op = i.op
        if op.name == "const":
            self.set(i, Const(i.imms[0]))
            return
        if op.name == "copy":  # only arrays are copied, and constants are never arrays
            self.set(i, self.get(i.operands[0]))
            return
        fwd = op.forward(i)  # a structural rule: `extract` of a `make` is its operand
        if fwd is not None:
            # (i does not use fwd: visit i again whenever fwd's element changes)
            self.forwarders.setdefault(fwd, set()).add(i)
            self.set(i, self.get(fwd))
            return
        lit = op.known(i)  # a structural constant: `tag` of a `variant`
        if lit is not NO_FOLD:
            self.set(i, Const(lit))
            return
        if op.has(SIDE_EFFECTS) or not i.operands:  # fold rules decline for the rest
            self.set(i, BOTTOM)
            return
        lats = [self.get(o) for o in i.operands]
        if op.name in ("make", "variant") and not any(x is TOP for x in lats):
            self.set(i, built(i, lats) or BOTTOM)
            return
        if isinstance(lats[0], Agg):
            known = read(i, lats[0], lats)
            if known is not TOP:  # (an insert waits for its value)
                self.set(i, BOTTOM if known is None else known)
            return
        if any(x is BOTTOM or isinstance(x, Agg) for x in lats):
            self.set(i, BOTTOM)
        elif all(x is not TOP for x in lats):
            r = op.fold(i.imms, [x.value for x in lats])
            ok = r is not NO_FOLD and literal_type(r) != "any"
            self.set(i, Const(r) if ok else BOTTOM)

    def visit_terminator(self, t: Instruction) -> None:
        b = t.block
        if t.op.name == "cond_br":
            c = self.get(t.operands[0])
            if c is TOP:
                return
            ks = [0] if c == Const(True) else [1] if c == Const(False) else [0, 1]
        else:
            ks = list(range(len(t.succs)))
        for k in ks:
            target = t.succs[k].block
            self.exec_edges.add((b, k))
            for p in target.params:
                self.update_param(p)
            if target not in self.exec_blocks:
                self.exec_blocks.add(target)
                self.block_work.append(target)

    def update_param(self, p: BlockParam) -> None:
        j = p.block.params.index(p)
        lat: Any = TOP
        for src, k in self.preds.get(p.block, ()):
            if (src, k) in self.exec_edges:
                lat = meet(lat, self.get(src.instrs[-1].succs[k].args[j]))
        self.set(p, lat)


@dataclass(frozen=True)
class SCCP(FunctionPass):
    """Sparse conditional constant propagation: constants through branches and loops."""

    name = "sccp"

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        s = _Solver(func)
        s.solve()
        changed = False
        # constants
        preds = func.predecessors()
        for b in func.blocks:
            if b not in s.exec_blocks:
                continue
            for j in range(len(b.params) - 1, -1, -1):
                p = b.params[j]
                lat = s.get(p)
                if b is not func.entry and isinstance(lat, Const):
                    c = Builder(func).at_before(b.instrs[0]).const(lat.value)
                    p.replace_all_uses_with(c)
                    remove_param(b, j, preds.get(b, []))
                    ctx.stat("constant parameters")
                    changed = True
            for i in list(b.instrs):
                lat = s.get(i)
                if isinstance(lat, Const) and i.op.name != "const" and i.op.result:
                    replace_instr(i, "const", imms=(lat.value,))
                    ctx.stat("constants")
                    changed = True
        # branches
        for b in func.blocks:
            t = b.terminator
            if b in s.exec_blocks and t is not None and t.op.name == "cond_br":
                live = [k for k in (0, 1) if (b, k) in s.exec_edges]
                if len(live) == 1:
                    succ = t.succs[live[0]]
                    branch_to(b, succ.block, list(succ.args))
                    ctx.stat("branches folded")
                    changed = True
        if remove_unreachable_blocks(func):
            ctx.stat("blocks removed")
            changed = True
        return changed
