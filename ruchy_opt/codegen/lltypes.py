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

Tuples, structs and enums of such values (typerules/values.py) are LLVM struct values
(:func:`members`), kept in registers: never in an array slot.
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
    ll = _SCALARS.get(t)
    if ll is not None:
        return ll
    return ir.LiteralStructType([lltype(m) for m in members(t)])


_SCALARS = {"i64": I64, "f64": F64, "bool": I1, "unit": I8, None: I64}


def members(t: RType) -> list:
    """The types of the members of a Level 3 value's LLVM struct (typerules/values.py):
    a tuple's or struct's fields in order; an enum's tag (i64) then every variant's
    payload fields, variant after variant (a variant no value has has none)."""
    from ..typerules.values import members as value_members
    return value_members(t)


def payload_slot(t: RType, variant: int, field: int) -> int:
    """The member of an enum value's LLVM struct holding payload field ``field`` of
    variant number ``variant`` (see :func:`members`)."""
    slot = 1
    for v in t.variants[:variant]:  # type: ignore[union-attr]
        slot += len(v[3] or ())
    return slot + field


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
