"""The rewrite of generic ops to typed ones, from the types typerules/local.py infers
(type specialisation, passes/typespec.py, runs it).

The rewrite keeps behaviour: a typed op replaces a generic one only where the operand
types are proven, and where a proven value still has IR type ``any`` (a call's result,
say) a ``guard`` converts it (it cannot fail there). An int and a float give a float
for arithmetic (the int converted, as runtime/ops.py does), but a comparison of an int
with a float compares exact values, so it stays generic.
"""
from __future__ import annotations

from typing import Mapping, Optional

from ..ir.core import BlockParam, Function, Instruction, Value
from ..ir.dominance import reverse_postorder
from ..typerules.local import Types
from ..typerules.rtypes import ANY
from .transform import new_instr, replace_instr, replace_with_value

NUM = ("i64", "f64")
ARITH = ("add", "sub", "mul", "div", "rem")
BITS = ("and", "or", "xor")
SHIFTS = ("shl", "shr")  # typed as shl.i64 / shr.i64 (ops_arith.py: Ruchy's << and >>)
CMPS = ("eq", "ne", "lt", "le", "gt", "ge")
PLAIN = ("i64", "f64", "bool", "str", "unit")
#: types a block parameter may be given: a value of another IR type can be converted
#: with a guard op (there is no guard.unit: unit parameters stay `any`)
GUARDED = ("i64", "f64", "bool", "str", "arr")  # values that `copy` returns as they are
#: ops that return their operand when it already has the type named
IDENTITY = {"truth": "bool", "is_true": "bool", "to_int": "i64", "to_float": "f64",
            "to_bool": "bool", "guard.i64": "i64", "guard.f64": "f64",
            "guard.bool": "bool", "guard.str": "str"}


class Rewriter:
    """Applies inferred types to a function: typed block parameters, typed ops."""

    def __init__(self, f: Function, types: Types) -> None:
        self.f = f
        self.types = types
        self._views: dict[tuple[Value, str], Value] = {}
        self.rewritten = 0
        self.guards = 0
        self.retyped = 0  # block parameters given a type

    def typed(self, v: Value, t: str) -> Value:
        """``v`` as a value of IR type ``t`` (a guard after its definition if needed)."""
        if v.type == t:
            return v
        key = (v, t)
        got = self._views.get(key)
        if got is None:
            if isinstance(v, BlockParam):
                at = v.block.instrs[0]
            else:
                blk = v.block  # type: ignore[attr-defined]
                at = blk.instrs[blk.instrs.index(v) + 1]
            got = self._views[key] = new_instr(at, f"guard.{t}", [v])
            got.span = getattr(v, "span", got.span)  # it belongs with the definition
            self.guards += 1
        return got

    def run(self, entry_types: Optional[list[str]] = None) -> int:
        f = self.f
        if entry_types is not None:
            for p, t in zip(f.params, entry_types):
                if t in GUARDED and p.type != t:
                    p.type = t
                    self.retyped += 1
        for b in f.blocks[1:]:
            for p in b.params:
                t = self.types.of(p)
                if t in GUARDED and p.type != t:
                    p.type = t
                    self.retyped += 1
        for b in reverse_postorder(f):
            for i in list(b.instrs):
                if i.block is not None and not i.is_terminator:
                    self.rewrite(i)
        self.fix_call_arguments()
        for b in f.blocks:
            t = b.terminator
            if t is None:
                continue
            for k, s in enumerate(t.succs):
                for j, (a, p) in enumerate(zip(list(s.args), s.block.params)):
                    if p.type != ANY and a.type != p.type:
                        new = self.typed(a, p.type)
                        t.remove_succ_arg(k, j)
                        t.add_succ_arg(k, new)
                        s.args.insert(j, s.args.pop())
        return self.rewritten

    def fix_call_arguments(self) -> None:
        """Arguments to a callee whose parameters are typed get that type."""
        module = self.f.module
        if module is None:
            return
        for i in list(self.f.instructions()):
            if i.op.name != "call":
                continue
            callee = module.functions.get(str(i.imms[0]))
            if callee is None or len(callee.params) != len(i.operands):
                continue
            for k, (a, p) in enumerate(zip(list(i.operands), callee.params)):
                if p.type != ANY and a.type != p.type:
                    i.set_operand(k, self.typed(a, p.type))

    def rewrite(self, i: Instruction) -> None:
        op = i.op.name
        ts = [self.types.of(o) for o in i.operands]
        if ts and i.operands[0].type == IDENTITY.get(op, ts[0] if op == "copy" else None) \
                and i.operands[0].type in PLAIN:
            replace_with_value(i, i.operands[0])  # copies of scalars, truth of a bool
            self.rewritten += 1
            return
        new: Optional[tuple[str, list[Value]]] = None
        if len(ts) == 2:
            a, b = ts
            if (op in ARITH or op in BITS or op in CMPS or op in SHIFTS) and a == b == "i64":
                new = (f"{op}.i64", [self.typed(o, "i64") for o in i.operands])
            elif op in ARITH and a in NUM and b in NUM:
                new = (f"{op}.f64", [self._as_float(o, t, i) for o, t in zip(i.operands, ts)])
            elif op in CMPS and a == b == "f64":
                new = (f"{op}.f64", [self.typed(o, "f64") for o in i.operands])
        elif op == "neg" and ts and ts[0] in NUM:
            new = (f"neg.{ts[0]}", [self.typed(i.operands[0], ts[0])])
        if new is not None:
            replace_instr(i, new[0], new[1])
            self.rewritten += 1

    def _as_float(self, v: Value, t: str, before: Instruction) -> Value:
        if t == "f64":
            return self.typed(v, "f64")
        return new_instr(before, "to_float", [self.typed(v, "i64")])


def specialise(f: Function, params: list[str], ret_types: Mapping[str, str],
               set_entry_types: bool = True) -> Rewriter:
    """Infer and rewrite ``f`` for parameter types ``params`` (proven, not assumed)."""
    types = Types(f, params, ret_types)
    rw = Rewriter(f, types)
    rw.run(params if set_entry_types else None)
    return rw


__all__ = ["GUARDED", "Rewriter", "specialise"]
