"""The rule table's intraprocedural entry: the types of one function's values, from the
types of its parameters and of its callees' results (type specialisation asks; see
passes/typespec.py for the fixed point over the module).

Types are the IR's (``i64``, ``f64``, ``bool``, ``str``, ``arr``, ``unit``, Level 3
types such as ``tuple<i64, any>``), ``any`` for unknown, and ``top`` while nothing is
known yet (optimistic, so that loops and recursion converge to the precise answer). An
instruction's type is what the rule table (table.py) says for its operands' types; an
op the table cannot type (no rule, operands it has no rule for, an error) has the type
the IR declares for it, ``any`` for most generic ops. An array's elements are not
followed here (``index`` is ``any``): whole-program inference does that.

Where two types meet (a block parameter, a return), they join: equal types stay,
Level 3 types of one kind join parameter by parameter (``tuple<i64, i64>`` and
``tuple<i64, f64>`` give ``tuple<i64, any>``), anything else gives ``any``.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from ..errors import RuchyRuntimeError
from ..ir.core import Function, Instruction, Module, Value
from ..ir.dominance import reverse_postorder
from ..ir.types import ParamType, is_aggregate
from .rtypes import ANY, Cell, Conflict, RType, ir_type, of_ir
from .table import Fails, Untypeable, result

TOP = "top"


def join(a: str, b: str) -> str:
    """The least type of both ``a`` and ``b`` in this lattice (see the docstring)."""
    if a == TOP:
        return b
    if b == TOP or a == b:
        return a
    if isinstance(a, ParamType) and type(a) is type(b) and len(a.params) == len(b.params) \
            and all(isinstance(p, str) for p in a.params + b.params):
        return type(a)(*[join(p, q) for p, q in zip(a.params, b.params)])
    return ANY


def refines(a: str, b: str) -> bool:
    """Whether every value of type ``a`` is a value of type ``b``."""
    if a == b or b == ANY:
        return True
    return isinstance(a, ParamType) and type(a) is type(b) \
        and len(a.params) == len(b.params) \
        and all(isinstance(p, str) and refines(p, q) for p, q in zip(a.params, b.params))


class LocalContext:
    """The rule table's questions answered within one function: a call's result is the
    callee's return type as known so far, globals and array elements are ``any``."""

    def __init__(self, module: Optional[Module], ret_types: Mapping[str, str]) -> None:
        self._module = module
        self.ret_types = ret_types

    @property
    def module(self) -> Optional[Module]:
        return self._module

    def call(self, instr: Instruction, ts: list[RType]) -> RType:
        return of_ir(self.ret_types.get(str(instr.imms[0]), ANY))

    def site_cell(self, instr: Instruction, init: RType = None, tag: str = "") -> Cell:
        return Cell(init)

    def load_global(self, instr: Instruction) -> RType:
        return ANY

    def store_global(self, instr: Instruction, t: RType) -> None:
        return None


def result_type(ctx: LocalContext, i: Instruction, ts: list[str]) -> str:
    """The type of ``i``'s result for operand types ``ts`` (IR types, or ``top``)."""
    if TOP in ts and i.op.name != "call":
        return TOP  # not reached with values yet
    try:
        r: Any = result(ctx, i, [of_ir(t) for t in ts])
    except (Untypeable, Conflict, RuchyRuntimeError):
        r = None
    if r is None or isinstance(r, Fails):
        return i.type  # (an op that always fails: its value never exists)
    return ir_type(r)


class Types:
    """Inferred types of one function's values, for parameter types ``params`` and the
    callees' return types ``ret_types`` (``top``: not known yet)."""

    def __init__(self, f: Function, params: list[str], ret_types: Mapping[str, str]) -> None:
        self.t: dict[Value, str] = dict(zip(f.params, params))
        ctx = LocalContext(f.module, ret_types)
        rpo = reverse_postorder(f)
        preds = f.predecessors()
        # a value the IR gives a scalar type has it (see `of`): only the others are typed
        typed = {b: [i for i in b.instrs if i.op.result and self._inferred(i)] for b in rpo}
        changed = True
        while changed:
            changed = False
            for b in rpo:
                if b is not f.entry:
                    for j, p in enumerate(b.params):
                        new = TOP
                        for src, k in preds.get(b, ()):
                            new = join(new, self.of(src.instrs[-1].succs[k].args[j]))
                        changed |= self._set(p, new)
                for i in typed[b]:
                    new = result_type(ctx, i, [self.of(o) for o in i.operands])
                    changed |= self._set(i, new)
        ret = TOP
        for b in rpo:
            t = b.terminator
            if t is not None and t.op.name == "ret":
                ret = join(ret, self.of(t.operands[0]) if t.operands else "unit")
        self.ret = ret

    def _set(self, v: Value, new: str) -> bool:
        old = self.t.get(v, TOP)
        new = join(old, new)
        if new != old:
            self.t[v] = new
            return True
        return False

    @staticmethod
    def _inferred(v: Value) -> bool:
        """Whether ``v``'s type is inferred rather than the scalar type the IR gives it
        (a call's result is inferred whatever the IR says: the callee's return type)."""
        t = v.type
        return t == ANY or is_aggregate(t) or (isinstance(v, Instruction)
                                                and v.op.name == "call")

    def of(self, v: Value) -> str:
        """The inferred type. A value the IR gives a scalar type keeps it; one the IR
        gives a Level 3 type has the inferred type where that is more precise."""
        declared = v.type
        if declared == ANY or (isinstance(v, Instruction) and v.op.name == "call"):
            return self.t.get(v, TOP)
        if not is_aggregate(declared):
            return declared
        t = self.t.get(v, TOP)
        return t if t == TOP or refines(t, declared) else declared


__all__ = ["LocalContext", "TOP", "Types", "join", "refines", "result_type"]
