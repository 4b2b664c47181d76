"""Code for arithmetic, comparisons, casts and pattern tests on unboxed values.

Integer ``+ - *`` use LLVM's overflow intrinsics; division and remainder check for zero
and for ``i64::MIN / -1``; every failure is the interpreter's error at the op's span.
Float operations are IEEE, which is what runtime/ops.py computes.
"""
from __future__ import annotations

from . import llir as ir

from ..ir.core import Instruction
from ..ir.ops_arith import BINARY, COMPARISONS
from .function import FunctionGen, const_bool, handles
from .lltypes import F64, I1, I64
from ..typerules.rtypes import ArrT, RType, descriptor
from ..typerules.values import aggregate, holds_aggregate

NUM = ("i64", "f64")
INT_MIN = -(2**63)
_ARITH = ("add", "sub", "mul", "div", "rem", "pow")
_OVF = {"add": "sadd_with_overflow", "sub": "ssub_with_overflow",
        "mul": "smul_with_overflow"}
_FOP = {"add": "fadd", "sub": "fsub", "mul": "fmul", "div": "fdiv", "rem": "frem"}
_ICMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def as_float(g: FunctionGen, v: ir.Value, t: RType) -> ir.Value:
    return g.b.sitofp(v, F64) if t == "i64" else v


def int_arith(g: FunctionGen, op: str, a: ir.Value, b: ir.Value, instr: Instruction) -> ir.Value:
    bld = g.b
    if instr in g.sum_adds:  # a pure recursive sum's (puresum.py)
        r = bld.add(a, b, flags=["nuw"])
        g.return_if_negative(r, ir.Constant(I64, -1 - g.sums.spans.index(instr.span)))
        return r
    if op in _OVF and instr in g.proven:  # a versioned loop's copy (versioning.py)
        return {"add": bld.add, "sub": bld.sub, "mul": bld.mul}[op](a, b, flags=["nsw"])
    if op in _OVF:
        r = getattr(bld, _OVF[op])(a, b)
        g.check(bld.extract_value(r, 1), "integer overflow", instr.span)
        return bld.extract_value(r, 0)
    if op in ("div", "rem"):
        g.check(bld.icmp_signed("==", b, ir.Constant(I64, 0)), "division by zero", instr.span)
        ovf = bld.and_(bld.icmp_signed("==", a, ir.Constant(I64, INT_MIN)),
                       bld.icmp_signed("==", b, ir.Constant(I64, -1)))
        g.check(ovf, "integer overflow", instr.span)
        return bld.sdiv(a, b) if op == "div" else bld.srem(a, b)
    r = g.rt("rt_ipow", a, b)
    status = bld.extract_value(r, 1)
    g.check(bld.icmp_signed("==", status, ir.Constant(I64, 1)), "integer overflow", instr.span)
    g.check(bld.icmp_signed("==", status, ir.Constant(I64, 2)),
            "negative exponent in integer power", instr.span)
    return bld.extract_value(r, 0)


def float_arith(g: FunctionGen, op: str, a: ir.Value, b: ir.Value) -> ir.Value:
    if op == "pow":
        return g.rt("rt_fpow", a, b)
    return getattr(g.b, _FOP[op])(a, b)


def compare(g: FunctionGen, op: str, ta: RType, tb: RType, a: ir.Value, b: ir.Value) -> ir.Value:
    bld = g.b
    if aggregate(ta):  # tuples, structs, enums (ops_values.equal, order)
        from .ops_values import equal, order
        if op in ("eq", "ne"):
            e = equal(g, ta, tb, a, b)
            return e if op == "eq" else bld.not_(e)
        return order(g, op, ta, tb, a, b)
    if ta == tb == "i64":
        return bld.icmp_signed(_ICMP[op], a, b)
    if ta in NUM and tb in NUM:
        a, b = as_float(g, a, ta), as_float(g, b, tb)
        if op == "ne":
            return bld.fcmp_unordered("!=", a, b)
        return bld.fcmp_ordered(_ICMP[op], a, b)
    if ta == "bool":
        return bld.icmp_unsigned(_ICMP[op], a, b)
    if ta == "str":
        if op in ("eq", "ne"):
            e = g.rt("rt_str_eq", a, b)
            return e if op == "eq" else bld.not_(e)
        return bld.icmp_signed(_ICMP[op], g.rt("rt_str_cmp", a, b), ir.Constant(I64, 0))
    if ta == "unit":
        return const_bool(op == "eq")
    assert isinstance(ta, ArrT)
    if holds_aggregate(ta) or holds_aggregate(tb):  # records (ops_records.py)
        from .ops_records import arrays_equal
        e = arrays_equal(g, ta, tb, a, b)
        return e if op == "eq" else bld.not_(e)
    e = g.rt("rt_arr_eq", a, b, ir.Constant(I64, descriptor(ta.elem)))
    return e if op == "eq" else bld.not_(e)


def _binary_names() -> list[str]:
    names = list(BINARY)
    for n in BINARY:
        names += [f"{n}.i64", f"{n}.f64"]
    return names


@handles(*_binary_names())
def binary(g: FunctionGen, instr: Instruction) -> ir.Value:
    op = instr.opname.split(".")[0]
    x, y = instr.operands
    ta, tb = g.type(x), g.type(y)
    a, b = g.val(x), g.val(y)
    bld = g.b
    if op in COMPARISONS:
        return compare(g, op, ta, tb, a, b)
    if op in _ARITH:
        if ta == tb == "i64":
            return int_arith(g, op, a, b, instr)
        if ta in NUM and tb in NUM:
            return float_arith(g, op, as_float(g, a, ta), as_float(g, b, tb))
        from .ops_text import string_add
        return string_add(g, instr)
    if op in ("shl", "shr"):
        g.check(bld.icmp_unsigned(">=", b, ir.Constant(I64, 64)), "integer overflow", instr.span)
        return bld.shl(a, b) if op == "shl" else bld.ashr(a, b)
    return {"and": bld.and_, "or": bld.or_, "xor": bld.xor}[op](a, b)


@handles("neg", "neg.i64", "neg.f64")
def neg(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    a = g.val(x)
    if g.type(x) == "f64":
        return g.b.fneg(a)
    g.check(g.b.icmp_signed("==", a, ir.Constant(I64, INT_MIN)), "integer overflow", instr.span)
    return g.b.sub(ir.Constant(I64, 0), a)


@handles("not")
def not_(g: FunctionGen, instr: Instruction) -> ir.Value:
    return g.b.not_(g.val(instr.operands[0]))


@handles("truth", "to_bool", "guard.i64", "guard.f64", "guard.bool", "guard.str", "guard.arr")
def identity(g: FunctionGen, instr: Instruction) -> ir.Value:
    return g.val(instr.operands[0])


@handles("is_true")
def is_true(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    return g.val(x) if g.type(x) == "bool" else const_bool(False)


@handles("to_int")
def to_int(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    t, a = g.type(x), g.val(x)
    if t == "bool":
        return g.b.zext(a, I64)
    if t == "f64":  # saturating, NaN is 0: Rust's `as`, and runtime/ops.to_int
        return g.b.call(g.mg.intrinsic("llvm.fptosi.sat.i64.f64", I64, [F64]), [a])
    return a


@handles("to_float")
def to_float(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    return as_float(g, g.val(x), g.type(x))


@handles("matches")
def matches(g: FunctionGen, instr: Instruction) -> ir.Value:
    lit = instr.imms[0]
    x = instr.operands[0]
    t, a = g.type(x), g.val(x)
    want = {bool: "bool", int: "i64", float: "f64", str: "str", type(None): "unit"}[type(lit)]
    if t != want:
        return const_bool(False)
    if want == "bool":
        return a if lit else g.b.not_(a)
    if want == "i64":
        return g.b.icmp_signed("==", a, ir.Constant(I64, lit))
    if want == "f64":
        return g.b.fcmp_ordered("==", a, ir.Constant(F64, lit))
    if want == "str":
        return g.rt("rt_str_eq", a, g.mg.string(lit))
    return const_bool(True)


@handles("in_range")
def in_range(g: FunctionGen, instr: Instruction) -> ir.Value:
    lo, hi = instr.imms
    x = instr.operands[0]
    if g.type(x) != "i64":
        return const_bool(False)
    a = g.val(x)
    return g.b.and_(g.b.icmp_signed(">=", a, ir.Constant(I64, lo)),
                    g.b.icmp_signed("<=", a, ir.Constant(I64, hi)))


__all__ = ["as_float", "compare", "int_arith", "float_arith", "I1"]
