"""Scalar replacement of aggregates: a struct or tuple that does not escape its function
becomes its fields, as separate SSA values.

The ``escape`` analysis (passmgr/analyses/escape.py) groups the aggregate values of a
function into webs (a ``make``, the ``insert``s and ``copy``s made from it, the block
parameters they flow through) and says which webs escape. For each web that does not,
in reverse postorder (definitions before uses):

- ``make T, %a, %b`` *is* ``(%a, %b)``;
- ``insert "f", %p, %v`` is ``%p``'s fields with ``f`` replaced by ``%v``;
- ``copy %p`` is each field copied (a field that is an array gets its own, as the
  copy of the whole would give it; constfold drops the copies of scalars);
- a block parameter of the web becomes one parameter per field, and every branch
  passes the fields of the value it passed;
- ``extract "f", %p`` is replaced by field ``f``; ``is_type`` of a member is a
  constant; ``check_tuple`` of one (which the analysis found passes) is deleted.

The aggregate instructions and parameters are then deleted. A web stored into another
aggregate escapes, until that aggregate is replaced: the pass repeats until no web is
left to replace. With ``sccp`` after it, ``P { x: a, y: 4 }`` then ``(p.x * 2, p.y)``
is ``(a * 2, 4)``, and a constant when ``a`` is. The CFG is untouched.
"""
from __future__ import annotations

from dataclasses import dataclass

from ruchy_opt.ir import Builder
from ruchy_opt.ir.core import Block, BlockParam, Function, Instruction, Value
from ruchy_opt.ir.dominance import reverse_postorder
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.analyses.escape import Web, analyse, check_passes
from ruchy_opt.passmgr.transform import add_param, remove_param, replace_instr


@dataclass(frozen=True)
class SROA(FunctionPass):
    """Replace structs and tuples that do not escape by their fields (scalar replacement
    of aggregates, on the escape analysis)."""

    name = "sroa"
    requires = ("escape",)
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        changed = _drop_passing_checks(func, ctx)
        info = ctx.analysis("escape", func)
        while True:
            webs = info.local_webs()
            if not webs:
                return changed
            for w in webs:
                _replace(func, w)
                ctx.stat("aggregates replaced", len(w.makes))
            changed = True
            info = analyse(func)  # (the cached result describes the function before)


def _drop_passing_checks(func: Function, ctx: PassContext) -> bool:
    """Delete ``check_tuple`` of a ``make`` of a tuple of that arity: it passes."""
    dead = [i for i in func.instructions()
            if i.op.name == "check_tuple" and check_passes(i)]
    for i in dead:
        i.erase()
    ctx.stat("tuple checks removed", len(dead))
    return bool(dead)


def _replace(func: Function, w: Web) -> None:
    """Replace web ``w`` by its fields (see the module docstring)."""
    fields = w.fields or []
    members = set(w.members)
    vals: dict[Value, list[Value]] = {}
    params = [v for v in w.members if isinstance(v, BlockParam)]
    for p in params:  # parameters first: a loop's body uses them before their sources
        base = p.name.split(".")[0] if not p.name[0].isdigit() else ""
        vals[p] = [add_param(p.block, f"{base}.{f}" if base else None) for f in fields]
    order = {b: k for k, b in enumerate(reverse_postorder(func))}
    instrs = sorted((v for v in w.members if isinstance(v, Instruction)),
                    key=lambda i: (order.get(i.block, len(order)), i.block.instrs.index(i)))
    for i in instrs:
        name = i.op.name
        if name == "make":
            vals[i] = list(i.operands)
        elif name == "insert":
            new = list(vals[i.operands[0]])
            new[fields.index(i.imms[0])] = i.operands[1]
            vals[i] = new
        else:  # copy
            b = Builder(func).at_before(i)
            vals[i] = [b.emit("copy", [v], span=i.span) for v in vals[i.operands[0]]]
    _rewire_params(func, params, vals, members)
    for v in w.members:
        for u in list(v.users):
            _rewrite_use(u, v, vals[v], fields, w)
    for i in reversed(instrs):  # users last: each has no users left when erased
        i.erase()


def _rewire_params(func: Function, params: list[BlockParam], vals: dict[Value, list[Value]],
                   members: set[Value]) -> None:
    """Every branch to a replaced parameter passes the fields instead; the parameter
    goes."""
    preds = func.predecessors()
    by_block: dict[Block, list[BlockParam]] = {}
    for p in params:
        by_block.setdefault(p.block, []).append(p)
    for b, ps in by_block.items():
        for src, k in preds.get(b, []):
            t = src.instrs[-1]
            for p in ps:
                arg = t.succs[k].args[b.params.index(p)]
                for v in vals[arg]:
                    t.add_succ_arg(k, v)
        for p in sorted(ps, key=b.params.index, reverse=True):
            remove_param(b, b.params.index(p), preds.get(b, []))


def _rewrite_use(u: Instruction, v: Value, fields_of_v: list[Value], fields: list[str],
                 w: Web) -> None:
    """A use of web member ``v`` that is not part of the web itself."""
    if u.block is None:
        return
    name = u.op.name
    if name == "extract" and u.operands[0] is v:
        u.replace_all_uses_with(fields_of_v[fields.index(u.imms[0])])
        u.erase()
    elif name == "is_type":
        replace_instr(u, "const", imms=(_same_type(u.imms[0], w),))
    elif name == "check_tuple":
        u.erase()


def _same_type(t: object, w: Web) -> bool:
    """Whether ``is_type t`` holds for the values of web ``w``."""
    from ruchy_opt.ir.types import TupleType
    if isinstance(t, TupleType) and isinstance(w.type, TupleType):
        return len(t.params) == len(w.fields or ())
    return t == w.type
