"""Code for constants, copies, globals, arrays and built-in methods.

Array elements are read and written inline (length check, then the slot); a write
first makes the array private if it is shared (copy on write, rt/arrays.ll). The
runtime does the rest: growing, copying, equality, display.
"""
from __future__ import annotations

from . import llir as ir
from . import ops_records as records

from ..ir.core import Instruction
from .function import FunctionGen, const_bool, handles
from .lltypes import F64, I1, I8, I64, PTR, UNIT, from_slot, lltype, to_slot
from .ops_num import INT_MIN, as_float, compare, int_arith
from .ops_text import text_of
from ..typerules.rtypes import ArrT, RType, descriptor
from ..typerules.values import aggregate
from .ops_values import value_method
from .runtime import FMATH


@handles("const")
def const(g: FunctionGen, instr: Instruction) -> ir.Value:
    v = instr.imms[0]
    if isinstance(v, bool):
        return const_bool(v)
    if isinstance(v, int):
        return ir.Constant(I64, v)
    if isinstance(v, float):
        return ir.Constant(F64, v)
    if isinstance(v, str):
        return g.mg.string(v)
    return UNIT


def copy_value(g: FunctionGen, v: ir.Value, t: RType) -> ir.Value:
    """The value as a new holder sees it: arrays are copied (on write)."""
    return g.rt("rt_arr_cp", v) if isinstance(t, ArrT) else v


@handles("copy")
def copy(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    if instr in g.aliases:  # a new array's only holder (aliases.py)
        return g.val(x)
    return copy_value(g, g.val(x), g.type(x))


@handles("load_global")
def load_global(g: FunctionGen, instr: Instruction) -> ir.Value:
    return tagged(g, g.b.load(g.mg.global_var(str(instr.imms[0]))), "global")


@handles("store_global")
def store_global(g: FunctionGen, instr: Instruction):
    tagged(g, g.b.store(g.val(instr.operands[0]), g.mg.global_var(str(instr.imms[0]))), "global")


@handles("check_range")
def check_range(g: FunctionGen, instr: Instruction):
    return None  # typing proved both bounds are ints


# ---- arrays -------------------------------------------------------------------------------

_FIELDS = {0: "len", 8: "cap", 16: "data", 24: "shared"}


def tagged(g: FunctionGen, access, kind: str):
    """A load or store with its alias tag (ModuleGen.tbaa)."""
    access.set_metadata("tbaa", g.mg.tbaa(kind))
    return access


def field(g: FunctionGen, a: ir.Value, offset: int, ty: ir.Type, name: str = "") -> ir.Value:
    p = g.b.gep(a, [ir.Constant(I64, offset)], source_etype=ir.IntType(8)) if offset else a
    return tagged(g, g.b.load(p, typ=ty, name=name), _FIELDS[offset])


def length(g: FunctionGen, a: ir.Value) -> ir.Value:
    return field(g, a, 0, I64, "len")


def slot_type(elem: RType) -> ir.Type:
    """How an element is stored: a bool in one byte, a tuple, struct or enum as its LLVM
    struct (a record: ops_records.py), everything else in 8 (rt/arrays.ll)."""
    if aggregate(elem):
        return lltype(elem)
    return I8 if elem == "bool" else I64


def slot_ptr(g: FunctionGen, a: ir.Value, i: ir.Value, elem: RType) -> ir.Value:
    data = field(g, a, 16, PTR, "data")
    return g.b.gep(data, [i], source_etype=slot_type(elem))


def load_elem(g: FunctionGen, p: ir.Value, elem: RType) -> ir.Value:
    """The value of type ``elem`` in the element at ``p``."""
    if aggregate(elem):
        return records.load_record(g, p, elem)
    if elem == "bool":
        byte = tagged(g, g.b.load(p, typ=I8), "slot")
        return g.b.trunc(byte, I1)
    return from_slot(g.b, tagged(g, g.b.load(p, typ=I64), "slot"), elem)


def store_elem(g: FunctionGen, v: ir.Value, t: RType, p: ir.Value, elem: RType) -> None:
    """Store value ``v`` of type ``t`` into the element at ``p`` of an array of ``elem``."""
    if aggregate(elem):
        records.store_record(g, records.widened(g, v, t, elem), p, elem)
    elif elem == "bool":
        byte = g.b.zext(v, I8) if v.type == I1 else g.b.trunc(v, I8)  # (bottom: never run)
        tagged(g, g.b.store(byte, p), "slot")
    else:
        tagged(g, g.b.store(to_slot(g.b, v, t), p), "slot")


def bounds(g: FunctionGen, a: ir.Value, i: ir.Value, instr: Instruction, inclusive=False) -> None:
    if instr in g.proven and not inclusive:
        return  # a versioned loop's copy: checked before the loop (versioning.py)
    n = length(g, a)
    bad = g.b.icmp_unsigned(">" if inclusive else ">=", i, n)
    g.check(bad, "index out of bounds", instr.span)


def own(g: FunctionGen, a: ir.Value, elem: RType) -> None:
    """Make array ``a`` private before writing to it."""
    shared = g.b.icmp_unsigned("!=", field(g, a, 24, I64, "shared"), ir.Constant(I64, 0))
    with g.b.if_then(shared, likely=False):
        g.rt("rt_arr_own", a, ir.Constant(I64, descriptor(elem)))


def push(g: FunctionGen, a: ir.Value, v: ir.Value, t: RType, elem: RType) -> None:
    """``a.push(v)``: inline while ``a`` is private and has room (a sieve pushes 2
    million flags: one out-of-line call each cost it 2.7x C), else ``rt_arr_push``,
    which makes the data private and grows it."""
    if aggregate(elem):
        return records.push(g, a, v, t, elem)
    b = g.b
    n = length(g, a)
    room = b.icmp_signed("<", n, field(g, a, 8, I64, "cap"))
    private = b.icmp_unsigned("==", field(g, a, 24, I64, "shared"), ir.Constant(I64, 0))
    with b.if_else(b.and_(room, private), likely=True) as (fast, slow):
        with fast:
            store_elem(g, v, t, slot_ptr(g, a, n, elem), elem)
            tagged(g, b.store(b.add(n, ir.Constant(I64, 1)), a), "len")
        with slow:
            g.rt("rt_arr_push", a, to_slot(b, v, t), ir.Constant(I64, descriptor(elem)))


def elem_type(t: RType) -> RType:
    assert isinstance(t, ArrT)
    return t.elem


@handles("array")
def array(g: FunctionGen, instr: Instruction) -> ir.Value:
    elem = elem_type(g.type(instr))
    a = g.rt("rt_arr_new", ir.Constant(I64, len(instr.operands)),
             ir.Constant(I64, descriptor(elem)))
    if instr.operands:
        data = field(g, a, 16, PTR, "data")
        for k, v in enumerate(instr.operands):
            p = g.b.gep(data, [ir.Constant(I64, k)], source_etype=slot_type(elem))
            store_elem(g, g.val(v), g.type(v), p, elem)
    return a


@handles("repeat")
def repeat(g: FunctionGen, instr: Instruction) -> ir.Value:
    v, n = instr.operands
    nv = g.val(n)
    g.check(g.b.icmp_signed("<", nv, ir.Constant(I64, 0)), "negative array length", instr.span)
    elem = elem_type(g.type(instr))
    if aggregate(elem):
        return records.repeat(g, g.val(v), g.type(v), nv, elem)
    return g.rt("rt_arr_repeat", to_slot(g.b, g.val(v), g.type(v)), nv,
                ir.Constant(I64, descriptor(elem)))


@handles("index")
def index(g: FunctionGen, instr: Instruction) -> ir.Value:
    x, i = instr.operands
    a, iv = g.val(x), g.val(i)
    bounds(g, a, iv, instr)
    elem = elem_type(g.type(x))
    return load_elem(g, slot_ptr(g, a, iv, elem), elem)


@handles("set_index")
def set_index(g: FunctionGen, instr: Instruction):
    x, i, v = instr.operands
    a, iv = g.val(x), g.val(i)
    bounds(g, a, iv, instr)
    elem = elem_type(g.type(x))
    if instr not in g.no_own:
        own(g, a, elem)
    writes = records.field_writes(g, instr) if aggregate(elem) else None
    if writes is not None:  # `v[i].x = e`: the fields written only
        records.store_fields(g, slot_ptr(g, a, iv, elem), elem, writes)
        return
    store_elem(g, g.val(v), g.type(v), slot_ptr(g, a, iv, elem), elem)


@handles("elem_mut")
def elem_mut(g: FunctionGen, instr: Instruction) -> ir.Value:
    x, i = instr.operands
    a, iv = g.val(x), g.val(i)
    bounds(g, a, iv, instr)
    elem = elem_type(g.type(x))
    if instr not in g.no_own:
        own(g, a, elem)
    e = g.b.inttoptr(tagged(g, g.b.load(slot_ptr(g, a, iv, elem), typ=I64), "slot"), PTR)
    own(g, e, elem_type(elem))
    return e


@handles("elem_own")
def elem_own(g: FunctionGen, instr: Instruction) -> ir.Value:
    """``a[i]`` about to be written through (``a[i].x = v``, ``for p in &mut a``): the
    array made private, as tier 0's ``own``; an array element too (elem_mut), any other
    element read (the write that follows is a ``set_index``)."""
    x, i = instr.operands
    elem = elem_type(g.type(x))
    if isinstance(elem, ArrT):
        return elem_mut(g, instr)
    a, iv = g.val(x), g.val(i)
    bounds(g, a, iv, instr)
    if instr not in g.no_own:
        own(g, a, elem)
    return load_elem(g, slot_ptr(g, a, iv, elem), elem)


@handles("by_ref")
def by_ref(g: FunctionGen, instr: Instruction) -> ir.Value:
    return g.val(instr.operands[0])  # an array passed by `&mut`: the object itself


@handles("snapshot")
def snapshot(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    t = g.type(x)
    if t == "str":
        return g.rt("rt_str_chars", g.val(x))
    if instr in g.aliases:  # nothing changes the array while the loop reads it
        return g.val(x)
    return g.rt("rt_arr_snapshot", g.val(x), ir.Constant(I64, descriptor(elem_type(t))))


@handles("len")
def len_(g: FunctionGen, instr: Instruction) -> ir.Value:
    return length(g, g.val(instr.operands[0]))  # strings and arrays both start with it


# ---- methods -------------------------------------------------------------------------------

def _intrinsic(g: FunctionGen, name: str, *args: ir.Value) -> ir.Value:
    return g.b.call(g.mg.intrinsic(name, F64, [F64] * len(args)), list(args))


@handles("method")
def method(g: FunctionGen, instr: Instruction) -> ir.Value:  # noqa: C901 - one case each
    name = instr.imms[0]
    recv, args = instr.operands[0], instr.operands[1:]
    t, v = g.type(recv), g.val(recv)
    b = g.b
    if aggregate(t):  # a tuple, struct or enum's (typerules/values.METHODS)
        return value_method(g, instr)
    if name == "len":
        return length(g, v)
    if name == "is_empty":
        return b.icmp_signed("==", length(g, v), ir.Constant(I64, 0))
    if name == "to_string":
        return text_of(g, recv)
    if name == "clone":
        return copy_value(g, v, t)
    if name == "abs":
        if t == "f64":
            return _intrinsic(g, "llvm.fabs.f64", v)
        g.check(b.icmp_signed("==", v, ir.Constant(I64, INT_MIN)), "integer overflow", instr.span)
        return b.select(b.icmp_signed("<", v, ir.Constant(I64, 0)), b.neg(v), v)
    if name == "sqrt":
        return _intrinsic(g, "llvm.sqrt.f64", as_float(g, v, t))
    if name in FMATH:
        return g.rt("rt_fmath", ir.Constant(I64, FMATH[name]), as_float(g, v, t))
    if name == "round":
        x = as_float(g, v, t)
        r = _intrinsic(g, "llvm.floor.f64", b.fadd(_intrinsic(g, "llvm.fabs.f64", x),
                                                   ir.Constant(F64, 0.5)))
        return _intrinsic(g, "llvm.copysign.f64", r, x)
    if name == "is_nan":
        x = as_float(g, v, t)
        return b.fcmp_unordered("uno", x, x)
    if name in ("pow", "powi", "powf"):
        y = args[0]
        ty, w = g.type(y), g.val(y)
        if name != "powf" and t == ty == "i64":
            return int_arith(g, "pow", v, w, instr)
        return g.rt("rt_fpow", as_float(g, v, t), as_float(g, w, ty))
    if name in ("min", "max"):
        y = args[0]
        w = g.val(y)
        better = compare(g, "lt" if name == "min" else "gt", g.type(y), t, w, v)
        return b.select(better, w, v)
    if name == "chars":
        return g.rt("rt_str_chars", v)
    elem = elem_type(t)
    desc = ir.Constant(I64, descriptor(elem))
    if name == "push":
        push(g, v, copy_value(g, g.val(args[0]), g.type(args[0])), g.type(args[0]), elem)
        return UNIT
    if name == "pop":
        g.check(b.icmp_signed("==", length(g, v), ir.Constant(I64, 0)),
                "pop from an empty array", instr.span)
        if aggregate(elem):
            return records.pop(g, v, elem)
        return from_slot(b, g.rt("rt_arr_pop", v, desc), elem)
    if name == "insert":
        i, x = args
        bounds(g, v, g.val(i), instr, inclusive=True)
        if aggregate(elem):
            records.insert(g, v, g.val(i), g.val(x), g.type(x), elem)
            return UNIT
        slot = to_slot(b, copy_value(g, g.val(x), g.type(x)), g.type(x))
        g.rt("rt_arr_insert", v, g.val(i), slot, desc)
        return UNIT
    if name == "remove":
        bounds(g, v, g.val(args[0]), instr)
        if aggregate(elem):
            return records.remove(g, v, g.val(args[0]), elem)
        return from_slot(b, g.rt("rt_arr_remove", v, g.val(args[0]), desc), elem)
    if name == "reverse":
        g.rt("rt_arr_reverse", v, desc)
        return UNIT
    if name == "swap":  # (both checked first, as runtime/vec_methods.swap)
        i, j = g.val(args[0]), g.val(args[1])
        bounds(g, v, i, instr)
        bounds(g, v, j, instr)
        own(g, v, elem)
        pi, pj = slot_ptr(g, v, i, elem), slot_ptr(g, v, j, elem)
        x, y = load_elem(g, pi, elem), load_elem(g, pj, elem)
        store_elem(g, y, elem, pi, elem)
        store_elem(g, x, elem, pj, elem)
        return UNIT
    if name == "contains":
        if elem is None:
            return const_bool(False)
        x = args[0]
        if aggregate(elem) or aggregate(g.type(x)):
            return records.contains(g, v, elem, g.val(x), g.type(x))
        return g.rt("rt_arr_contains", v, to_slot(b, g.val(x), g.type(x)), desc)
    raise NotImplementedError(f"codegen for method '{name}'")


__all__ = ["lltype", "I1"]
