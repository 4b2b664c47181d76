"""Code for Level 3 values: tuples, structs and enums of scalars (typerules/values.py) as
LLVM struct values, unboxed: ``make`` is a chain of ``insertvalue``, a field read an
``extractvalue``, an update an ``insertvalue``; they are passed to and returned from
compiled functions by value, and LLVM's SROA keeps them in registers.

An enum value is ``{i64 tag, payload fields of every variant...}`` (lltypes.members):
``variant`` sets the tag and its own payload, ``tag`` reads the tag, ``payload`` a
slot. A variant that no value of the type has gets no slots; where a value of a
narrower type meets a wider one (a block parameter joining ``Some(1)`` and ``None``,
a return) it is widened member by member (:func:`coerce`).

Printing one (``{}``, ``{:?}``, ``{:#?}``, a failed match's message) writes the derived
Debug text, as runtime/values.debug and ``pretty`` do, piece by piece into the
runtime's text buffer: a constant text for the names and punctuation, the runtime's
own formatting for each scalar inside.
"""
from __future__ import annotations

from typing import Any, Optional

from . import llir as ir

from ..ir.core import Instruction
from ..ir.types import TupleType
from ..typerules.rtypes import ArrT, RType
from ..typerules.values import RecT, SumT, aggregate, fields_of, is_of
from .function import Dead, FunctionGen, const_bool, handles
from .lltypes import I64, lltype, members, payload_slot


def _field_index(t: RType, name: str) -> int:
    if isinstance(t, TupleType):
        return int(name)
    assert isinstance(t, RecT)
    return t.names.index(name)


@handles("make")
def make(g: FunctionGen, instr: Instruction) -> ir.Value:
    t = g.type(instr)
    v: ir.Value = ir.Constant(lltype(t), None)
    for k, (x, ft) in enumerate(zip(instr.operands, fields_of(t))):
        v = g.b.insert_value(v, coerce(g, g.val(x), g.type(x), ft), k)
    return v


@handles("extract")
def extract(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    return g.b.extract_value(g.val(x), _field_index(g.type(x), instr.imms[0]))


@handles("insert")
def insert(g: FunctionGen, instr: Instruction) -> ir.Value:
    x, y = instr.operands
    t, tx = g.type(instr), g.type(x)
    k = _field_index(t, instr.imms[0])
    if tx == t:
        agg = g.val(x)
    else:
        # The written field's type may change (``P { k0: 1.5, ..p }`` where p.k0 is an
        # int): the other fields are widened one by one, the old value of this one is
        # not kept, so it need not fit the new type.
        agg = ir.Constant(lltype(t), None)
        for j, (st, dt) in enumerate(zip(members(tx), members(t))):
            if j != k:
                agg = g.b.insert_value(agg, coerce(g, g.b.extract_value(g.val(x), j), st, dt), j)
    return g.b.insert_value(agg, coerce(g, g.val(y), g.type(y), fields_of(t)[k]), k)


@handles("variant")
def variant(g: FunctionGen, instr: Instruction) -> ir.Value:
    t = g.type(instr)
    assert isinstance(t, SumT)
    k = t.index(instr.imms[1])
    v: ir.Value = g.b.insert_value(ir.Constant(lltype(t), None), ir.Constant(I64, k), 0)
    types = t.variants[k][3] or ()
    for j, (x, ft) in enumerate(zip(instr.operands, types)):
        v = g.b.insert_value(v, coerce(g, g.val(x), g.type(x), ft), payload_slot(t, k, j))
    return v


@handles("check_tuple")
def check_tuple(g: FunctionGen, instr: Instruction) -> None:
    return None  # typing proved the value is a tuple of that many elements


@handles("is_type")
def is_type(g: FunctionGen, instr: Instruction) -> ir.Value:
    return const_bool(bool(is_of(g.type(instr.operands[0]), instr.imms[0])))


@handles("tag")
def tag(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    t = g.type(x)
    if not isinstance(t, SumT) or t.enum_key() != instr.imms[0].enum_key():
        return ir.Constant(I64, -1)  # a value of another type (as the op says)
    return g.b.extract_value(g.val(x), 0)


@handles("payload")
def payload(g: FunctionGen, instr: Instruction) -> ir.Value:
    x = instr.operands[0]
    t = g.type(x)
    assert isinstance(t, SumT)
    if g.type(instr) is None:  # no value of the type is that variant: never reached
        g.b.unreachable()
        raise Dead()
    k = t.index(instr.imms[1])
    j = t.variants[k][2].index(instr.imms[2])
    return g.b.extract_value(g.val(x), payload_slot(t, k, j))


def coerce(g: FunctionGen, v: ir.Value, src: RType, dst: RType) -> ir.Value:
    """Value ``v`` of type ``src`` as a value of the wider type ``dst`` (the same but for
    enum variants ``src`` has no value of): rebuilt member by member when they differ."""
    if src == dst or not aggregate(dst):
        return v
    b = g.b
    out: ir.Value = ir.Constant(lltype(dst), None)
    if isinstance(dst, SumT):
        assert isinstance(src, SumT)
        out = b.insert_value(out, b.extract_value(v, 0), 0)
        for k, (sv, dv) in enumerate(zip(src.variants, dst.variants)):
            if sv[3] is None:
                continue  # no value of src is this variant: its slots stay zero
            for j, (st, dt) in enumerate(zip(sv[3], dv[3])):
                x = b.extract_value(v, payload_slot(src, k, j))
                out = b.insert_value(out, coerce(g, x, st, dt), payload_slot(dst, k, j))
        return out
    for k, (st, dt) in enumerate(zip(members(src), members(dst))):
        out = b.insert_value(out, coerce(g, b.extract_value(v, k), st, dt), k)
    return out


# ---- ==, and the methods of values -----------------------------------------------------

def equal(g: FunctionGen, ta: RType, tb: RType, a: ir.Value, b: ir.Value) -> ir.Value:
    """``a == b`` field by field, as runtime/ops.eq (an i1): an enum's tags, then the
    payload of the variant both are (a variant one side never is: no comparison)."""
    from .ops_num import compare
    bld = g.b
    if not aggregate(ta):
        return compare(g, "eq", ta, tb, a, b)
    if isinstance(ta, SumT):
        assert isinstance(tb, SumT)
        tag = bld.extract_value(a, 0)
        same: ir.Value = bld.icmp_signed("==", tag, bld.extract_value(b, 0))
        for k, (va, vb) in enumerate(zip(ta.variants, tb.variants)):
            if not va[3] or not vb[3]:
                continue
            fields: ir.Value = const_bool(True)
            for j, (fa, fb) in enumerate(zip(va[3], vb[3])):
                x = bld.extract_value(a, payload_slot(ta, k, j))
                y = bld.extract_value(b, payload_slot(tb, k, j))
                fields = bld.and_(fields, equal(g, fa, fb, x, y))
            this = bld.icmp_signed("==", tag, ir.Constant(I64, k))
            same = bld.and_(same, bld.select(this, fields, const_bool(True)))
        return same
    out: ir.Value = const_bool(True)
    for k, (fa, fb) in enumerate(zip(members(ta), members(tb))):
        out = bld.and_(out, equal(g, fa, fb, bld.extract_value(a, k), bld.extract_value(b, k)))
    return out


def order(g: FunctionGen, op: str, ta: RType, tb: RType, a: ir.Value, b: ir.Value
          ) -> ir.Value:
    """``a < b`` (``op``: lt, le, gt, ge) in Rust's derived order, as runtime/ops.cmp:
    lexicographic over the fields, an enum by its tag then its payload; a NaN makes
    every test false."""
    c = _cmp3(g, ta, tb, a, b)
    bld = g.b
    k = {"lt": (-1,), "le": (-1, 0), "gt": (1,), "ge": (0, 1)}[op]
    out: ir.Value = bld.icmp_signed("==", c, ir.Constant(I64, k[0]))
    for v in k[1:]:
        out = bld.or_(out, bld.icmp_signed("==", c, ir.Constant(I64, v)))
    return out


def _cmp3(g: FunctionGen, ta: RType, tb: RType, a: ir.Value, b: ir.Value) -> ir.Value:
    """-1, 0, 1, or 2 for unordered (a NaN), as an i64 (runtime/ops.cmp)."""
    from .ops_num import as_float
    bld = g.b

    def three(lt: ir.Value, gt: ir.Value) -> ir.Value:
        return bld.sub(bld.zext(gt, I64), bld.zext(lt, I64))

    if not aggregate(ta):
        if ta == tb == "i64":
            return three(bld.icmp_signed("<", a, b), bld.icmp_signed(">", a, b))
        if ta == tb == "bool":
            return three(bld.icmp_unsigned("<", a, b), bld.icmp_unsigned(">", a, b))
        if ta == tb == "unit":
            return ir.Constant(I64, 0)
        x, y = as_float(g, a, ta), as_float(g, b, tb)
        c = three(bld.fcmp_ordered("<", x, y), bld.fcmp_ordered(">", x, y))
        return bld.select(bld.fcmp_unordered("uno", x, y), ir.Constant(I64, 2), c)
    if isinstance(ta, SumT):
        assert isinstance(tb, SumT)
        tx, ty = bld.extract_value(a, 0), bld.extract_value(b, 0)
        by_tag = three(bld.icmp_signed("<", tx, ty), bld.icmp_signed(">", tx, ty))
        same: ir.Value = ir.Constant(I64, 0)
        for k, (va, vb) in enumerate(zip(ta.variants, tb.variants)):
            if not va[3] or not vb[3]:
                continue
            xs = [bld.extract_value(a, payload_slot(ta, k, j)) for j in range(len(va[3]))]
            ys = [bld.extract_value(b, payload_slot(tb, k, j)) for j in range(len(vb[3]))]
            c = _lexicographic(g, list(va[3]), list(vb[3]), xs, ys)
            same = bld.select(bld.icmp_signed("==", tx, ir.Constant(I64, k)), c, same)
        return bld.select(bld.icmp_signed("==", tx, ty), same, by_tag)
    fa, fb = members(ta), members(tb)
    return _lexicographic(g, fa, fb, [bld.extract_value(a, k) for k in range(len(fa))],
                          [bld.extract_value(b, k) for k in range(len(fb))])


def _lexicographic(g: FunctionGen, fa: list, fb: list, xs: list, ys: list) -> ir.Value:
    """The first field's order that is not 0 (runtime/ops._cmp_seq; equal lengths)."""
    bld = g.b
    out: ir.Value = ir.Constant(I64, 0)
    for t, u, x, y in reversed(list(zip(fa, fb, xs, ys))):
        c = _cmp3(g, t, u, x, y)
        out = bld.select(bld.icmp_signed("!=", c, ir.Constant(I64, 0)), c, out)
    return out


def value_method(g: FunctionGen, instr: Instruction) -> Optional[ir.Value]:
    """A method of a tuple, struct or enum (typerules/values.METHODS; typing proved the
    receiver has it): ``clone`` (a value: itself), Option's and Result's tests and
    unwraps, failing with tier 0's messages."""
    from .ops_text import append, append_text
    name = instr.imms[0]
    recv, args = instr.operands[0], instr.operands[1:]
    t, v = g.type(recv), g.val(recv)
    b = g.b
    if name == "clone":
        return v
    assert isinstance(t, SumT)
    tag = b.extract_value(v, 0)
    kind = t.kind
    good = t.index("Err" if name == "unwrap_err" else "Some" if kind == "option" else "Ok")
    is_good = b.icmp_signed("==", tag, ir.Constant(I64, good))
    if name in ("is_some", "is_ok"):
        return is_good
    if name in ("is_none", "is_err"):
        return b.not_(is_good)
    rt = g.type(instr)
    has = t.variants[good][3] is not None
    value = coerce(g, b.extract_value(v, payload_slot(t, good, 0)), t.variants[good][3][0],
                   rt) if has else ir.Constant(lltype(rt), None)
    if name == "unwrap_or":
        d = args[0]
        return b.select(is_good, value, coerce(g, g.val(d), g.type(d), rt))
    bad = g.fn.append_basic_block(f"{name}.fail")
    ok = g.fn.append_basic_block(f"{name}.ok")
    b.cbranch(is_good, ok, bad)
    b.position_at_end(bad)
    other = 1 - good  # Option: None; Result: the other of Ok and Err
    payload = t.variants[other][3]
    if name == "expect":
        append(g, g.val(args[0]), "str")
        if payload:  # Err's (None has none)
            append_text(g, ": ")
    elif kind == "option":
        append_text(g, "called `Option::unwrap()` on a `None` value")
    else:
        append_text(g, f"called `Result::{name}()` on an `{t.variants[other][0]}` value: ")
    if payload and kind == "result":
        append_value(g, b.extract_value(v, payload_slot(t, other, 0)), payload[0])
    try:
        g.fail_built(instr.span)
    except Dead:
        pass
    b.position_at_end(ok)
    return value


# ---- the derived Debug text ---------------------------------------------------------------

class _Writer:
    """Appends text to the runtime's buffer, literal pieces gathered into one call."""

    def __init__(self, g: FunctionGen) -> None:
        self.g = g
        self.pending: list[str] = []

    def text(self, s: str) -> None:
        self.pending.append(s)

    def flush(self) -> None:
        from .ops_text import append_text
        if self.pending:
            append_text(self.g, "".join(self.pending))
            self.pending.clear()

    def scalar(self, v: ir.Value, t: RType) -> None:
        from .ops_text import append
        self.flush()
        append(self.g, v, t, "debug")


def append_value(g: FunctionGen, v: ir.Value, t: RType, pretty: bool = False) -> None:
    """Append the Debug text of a Level 3 value (``{:#?}``'s with ``pretty``)."""
    w = _Writer(g)
    _write(w, v, t, pretty, "")
    w.flush()


def _items(w: _Writer, open_: str, close: str, parts: list, pretty: bool, indent: str,
           one_comma: bool = False) -> None:
    """``open_ a, b close`` (``(a,)`` with ``one_comma``), or pretty: one per line.
    ``parts``: (label, value, type) with label ``"x: "`` or ``""``."""
    if pretty:
        inner = indent + "    "
        w.text(open_.rstrip() + "\n")
        for label, v, t in parts:
            w.text(inner + label)
            _write(w, v, t, True, inner)
            w.text(",\n")
        w.text(indent + close.lstrip())
        return
    w.text(open_)
    for k, (label, v, t) in enumerate(parts):
        if k:
            w.text(", ")
        w.text(label)
        _write(w, v, t, False, indent)
    w.text(("," if one_comma and len(parts) == 1 else "") + close)


def _fields(w: _Writer, name: str, shape: str, names: Any, parts: list, pretty: bool,
            indent: str) -> None:
    """A struct or variant: ``Name``, ``Name(a, b)`` or ``Name { x: a, y: b }``."""
    w.text(name)
    if not parts:
        return
    if shape == "tuple":
        _items(w, "(", ")", [("", v, t) for _, v, t in parts], pretty, indent)
    else:
        _items(w, " { ", " }", [(f"{f}: ", v, t) for f, (_, v, t) in zip(names, parts)],
               pretty, indent)


def _write(w: _Writer, v: ir.Value, t: RType, pretty: bool, indent: str) -> None:
    b = w.g.b
    if isinstance(t, TupleType):
        parts = [("", b.extract_value(v, k), ft) for k, ft in enumerate(t.params)]
        if not parts:
            w.text("()")
        else:
            _items(w, "(", ")", parts, pretty, indent, one_comma=True)
    elif isinstance(t, RecT):
        parts = [("", b.extract_value(v, k), ft) for k, ft in enumerate(t.types)]
        _fields(w, t.name.rsplit("::", 1)[-1], t.shape, t.names, parts, pretty, indent)
    elif isinstance(t, SumT):
        _write_enum(w, v, t, pretty, indent)
    elif isinstance(t, ArrT):  # (an array of records, or {:#?} of any array)
        from .ops_records import write_array
        write_array(w, v, t, pretty, indent)
    else:
        w.scalar(v, t)


def _write_enum(w: _Writer, v: ir.Value, t: SumT, pretty: bool, indent: str) -> None:
    """One branch per variant a value may be, on the tag."""
    g = w.g
    b = g.b
    w.flush()
    tag = b.extract_value(v, 0)
    end = g.fn.append_basic_block("fmt.end")
    live = [(k, var) for k, var in enumerate(t.variants)
            if var[1] == "unit" or var[3] is not None]
    for n, (k, (name, shape, names, types)) in enumerate(live):
        here = g.fn.append_basic_block(f"fmt.{name}")
        nxt = g.fn.append_basic_block("fmt.next") if n + 1 < len(live) else None
        if nxt is None:
            b.branch(here)
        else:
            b.cbranch(b.icmp_signed("==", tag, ir.Constant(I64, k)), here, nxt)
        b.position_at_end(here)
        parts = [("", b.extract_value(v, payload_slot(t, k, j)), ft)
                 for j, ft in enumerate(types or ())]
        _fields(w, name, shape, names, parts, pretty, indent)
        w.flush()
        b.branch(end)
        if nxt is not None:
            b.position_at_end(nxt)
    if not live:
        b.unreachable()
    b.position_at_end(end)


__all__ = ["append_value", "coerce"]
