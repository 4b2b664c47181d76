"""LLVM types of Ruchy values, and conversion to and from 8-byte array slots.

=======  ===========  ==============================================
type     LLVM         slot (i64)
=======  ===========  ==============================================
i64      i64          itself
f64      double       its bits
bool     i1           0 or 1
str      ptr          the pointer ([i64 len][bytes][NUL])
arr      ptr          the pointer (see rt/arrays.ll)
unit     i8           0
=======  ===========  ==============================================
"""
from __future__ import annotations

from . import llir as ir

from ..typerules.rtypes import ArrT, RType

I1, I8, I32, I64 = ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64)
F64 = ir.DoubleType()
PTR = ir.PointerType()
VOID = ir.VoidType()
UNIT = ir.Constant(I8, 0)


def lltype(t: RType) -> ir.Type:
    """The LLVM type that holds a value of type ``t`` (bottom: i64, never used)."""
    if isinstance(t, ArrT) or t == "str":
        return PTR
    return {"i64": I64, "f64": F64, "bool": I1, "unit": I8, None: I64}[t]


def to_slot(b: ir.IRBuilder, v: ir.Value, t: RType) -> ir.Value:
    """The i64 slot an array stores for value ``v`` of type ``t``."""
    if t == "f64":
        return b.bitcast(v, I64)
    if t == "bool" or t == "unit":
        return b.zext(v, I64)
    if t == "str" or isinstance(t, ArrT):
        return b.ptrtoint(v, I64)
    return v


def from_slot(b: ir.IRBuilder, s: ir.Value, t: RType) -> ir.Value:
    """The value of type ``t`` held in slot ``s``."""
    if t == "f64":
        return b.bitcast(s, F64)
    if t == "bool":
        return b.trunc(s, I1)
    if t == "unit":
        return UNIT
    if t == "str" or isinstance(t, ArrT):
        return b.inttoptr(s, PTR)
    return s
