"""Constant folding and algebraic simplification, one instruction at a time.

Folding uses each op's own rule (``OpDef.fold``), which declines when the operation
would fail, so an error still happens at run time. Simplifications use the types the
IR knows: ``x + 0`` is ``x`` only for a typed ``add.i64`` (a generic ``add`` of a string
and 0 appends "0"); ``x * 1.0`` is ``x`` for floats, but ``x + 0.0`` is not (``-0.0``).
A pure operation without a result that provably cannot fail (``check_range 0, 10``)
is deleted. An op's structural rule (``OpDef.forward``: ``extract "x"`` of ``make !P,
%a, %b`` is ``%a``) replaces it by the value it names.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ruchy_opt.ir.core import Function, Instruction, Value
from ruchy_opt.ir.opdef import NO_FOLD, PURE, SIDE_EFFECTS, literal_type
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import NOT_CONST, const_value, replace_instr, \
    replace_with_value

#: ops that return their operand unchanged when it already has the type named
_IDENTITY_WHEN = {"truth": "bool", "is_true": "bool", "to_int": "i64", "to_float": "f64",
                  "to_bool": "bool"}
_PLAIN_TYPES = ("i64", "f64", "bool", "str", "unit")
#: typed op -> (constant operand, position or None for either) -> result: "x" or a literal
_ZERO_I, _ONE_I, _ONE_F = (int, 0), (int, 1), (float, 1.0)


def _const(v: Value) -> Optional[tuple[type, Any]]:
    c = const_value(v)
    return None if c is NOT_CONST else (type(c), c)


def simplify(i: Instruction) -> Any:
    """A value or literal ``i`` can be replaced by, or None. Returns an existing Value
    or a ("const", literal) pair."""
    op = i.op.name
    ops = i.operands
    fwd = i.op.forward(i)  # the op's structural rule (extract of a make, ...)
    if fwd is not None:
        return fwd
    lit = i.op.known(i)  # a structural constant (tag of a variant, ...)
    if lit is not NO_FOLD:
        return ("const", lit)
    if op in _IDENTITY_WHEN and ops and ops[0].type == _IDENTITY_WHEN[op]:
        return ops[0]
    if op == "copy" and ops[0].type in _PLAIN_TYPES:
        return ops[0]  # only arrays are copied; other values are returned as they are
    if op.startswith("guard.") and ops[0].type == op[6:]:
        return ops[0]
    if op.startswith("is.") and ops[0].type != "any":
        return ("const", ops[0].type == op[3:])
    if len(ops) != 2:
        return None
    a, b = ops
    ca, cb = _const(a), _const(b)
    if op in ("add.i64", "or.i64", "xor.i64", "sub.i64") and cb == _ZERO_I:
        return a
    if op in ("add.i64", "or.i64", "xor.i64") and ca == _ZERO_I:
        return b
    if op in ("mul.i64", "div.i64") and cb == _ONE_I or op == "mul.i64" and ca == _ONE_I:
        return a if cb == _ONE_I else b
    if op in ("mul.i64", "and.i64") and (ca == _ZERO_I or cb == _ZERO_I):
        return ("const", 0)
    if op == "rem.i64" and cb == _ONE_I:
        return ("const", 0)
    if op in ("sub.i64", "xor.i64") and a is b:
        return ("const", 0)
    if op in ("and.i64", "or.i64") and a is b:
        return a
    if op in ("eq.i64", "le.i64", "ge.i64") and a is b:
        return ("const", True)
    if op in ("ne.i64", "lt.i64", "gt.i64") and a is b:
        return ("const", False)
    if op in ("mul.f64", "div.f64") and cb == _ONE_F or op == "mul.f64" and ca == _ONE_F:
        return a if cb == _ONE_F else b
    if op == "sub.f64" and cb is not None and cb[0] is float and cb[1] == 0.0 \
            and str(cb[1]) == "0.0":
        return a  # x - 0.0 == x for every x, -0.0 included (x + 0.0 is not)
    return None


def fold(i: Instruction) -> Any:
    """The literal ``i`` computes from constant operands, NO_FOLD if it cannot be folded,
    or None (a pure no-result op that cannot fail: it can go)."""
    # Ops other than pure ones may have a fold rule too (``format`` of constants reads
    # no state); never fold away an effect.
    if i.op.name == "const" or i.op.has(SIDE_EFFECTS) or not i.operands:
        return NO_FOLD
    args = [const_value(v) for v in i.operands]
    if any(a is NOT_CONST for a in args):
        return NO_FOLD
    if not i.op.result:
        if not i.op.has(PURE):
            return NO_FOLD
        try:
            i.op.impl(*i.imms, *args)
        except Exception:  # noqa: BLE001 - it fails, so it stays
            return NO_FOLD
        return None
    r = i.op.fold(i.imms, args)
    if r is NO_FOLD or literal_type(r) == "any":
        return NO_FOLD
    return r


@dataclass(frozen=True)
class ConstFold(FunctionPass):
    """Fold constant operations and simplify algebra where types make it exact."""

    name = "constfold"
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        changed = False
        again = True
        while again:  # a fold can enable another in an earlier block (loops)
            again = False
            for b in func.blocks:
                for i in list(b.instrs):
                    if i.block is None or i.is_terminator:
                        continue
                    r = fold(i)
                    if r is None:
                        i.erase()
                        ctx.stat("checks removed")
                    elif r is not NO_FOLD:
                        replace_instr(i, "const", imms=(r,))
                        ctx.stat("folded")
                    else:
                        s = simplify(i)
                        if s is None:
                            continue
                        if isinstance(s, tuple):
                            replace_instr(i, "const", imms=(s[1],))
                        else:
                            replace_with_value(i, s)
                        ctx.stat("simplified")
                    again = changed = True
        return changed
