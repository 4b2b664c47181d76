"""Code for text: ``format`` (and ``print`` of it, fused so the text is written from the
buffer without making a string), the display/debug/text forms, string ``+``, and the
runtime errors whose message depends on values (``no match arm matched value 7``,
``assert_eq!``)."""
from __future__ import annotations

from . import llir as ir

from ..ir.core import Instruction, Value
from ..runtime.fmt import DEBUG, PLAIN, Spec, parse_format
from .function import Dead, FunctionGen, handles
from .lltypes import I1, I64
from .ops_num import as_float, compare
from ..typerules.rtypes import ArrT, RType, descriptor
from ..typerules.values import aggregate, holds_aggregate
from .ops_values import append_value

_ALIGN = {"": 0, "<": 1, "^": 2, ">": 3}
#: ``{:#?}``
PRETTY = Spec(type="?", alt=True)


def append(g: FunctionGen, v: ir.Value, t: RType, form: str = "display") -> None:
    """Append the display, debug or text form of a value to the buffer."""
    if t == "i64":
        g.rt("rt_buf_i64", v)
    elif t == "f64":
        g.rt("rt_buf_f64_text" if form == "text" else "rt_buf_f64", v)
    elif t == "bool":
        g.rt("rt_buf_bool", v)
    elif t == "str":
        g.rt("rt_buf_str_debug" if form == "debug" else "rt_buf_str", v)
    elif isinstance(t, ArrT):
        if holds_aggregate(t):  # records: field by field (ops_records.write_array)
            append_value(g, v, t)  # (display, debug and text are alike for arrays)
        else:
            g.rt("rt_buf_arr", v, ir.Constant(I64, descriptor(t.elem)))
    elif aggregate(t):  # a tuple, struct or enum: its Debug text (display is the same)
        append_value(g, v, t)
    else:
        g.rt("rt_buf_unit")


def append_text(g: FunctionGen, text: str) -> None:
    if text:
        data = text.encode("utf-8")
        g.rt("rt_buf_bytes", g.mg.diag.cstring(text), ir.Constant(I64, len(data)))


def append_spec(g: FunctionGen, v: ir.Value, t: RType, s: Spec) -> None:
    """Append a value formatted by a spec (runtime/fmt.format_value)."""
    if aggregate(t) or holds_aggregate(t):  # typing let only {}, {:?} and {:#?} through
        return append_value(g, v, t, pretty=s.alt)  # (codegen/infer.py)
    if isinstance(t, ArrT) and s == PRETTY:  # one element per line (runtime's pretty)
        return append_value(g, v, t, pretty=True)
    if s == PLAIN:
        return append(g, v, t)
    if s == DEBUG:
        return append(g, v, t, "debug")
    numeric = t in ("i64", "f64")
    mark = g.rt("rt_buf_mark")
    if s.type == "?":
        append(g, v, t, "debug")
    elif s.type in ("x", "X", "o", "b") and t == "i64":
        base = {"x": 16, "X": 16, "o": 8, "b": 2}[s.type]
        g.rt("rt_buf_radix", v, ir.Constant(I64, base), ir.Constant(I1, s.type == "X"))
    elif s.prec is not None and t == "i64":
        # an integer's digits, exact (through a double, 2**53 + 1 would print as 2**53),
        # then the zeros of its fraction, as runtime/fmt._fixed formats it
        append(g, v, t)
        if s.prec:
            append_text(g, "." + "0" * s.prec)
    elif s.prec is not None and numeric:
        g.rt("rt_buf_f64_prec", as_float(g, v, t), ir.Constant(I64, s.prec))
    elif s.prec is not None and t == "str":
        g.rt("rt_buf_str_prec", v, ir.Constant(I64, s.prec))
    else:
        append(g, v, t)
    if s.width or (s.sign and numeric):
        g.rt("rt_buf_pad", mark, ir.Constant(I64, s.width), g.mg.diag.cstring(s.fill),
             ir.Constant(I64, _ALIGN[s.align]), ir.Constant(I1, numeric),
             ir.Constant(I1, s.zero), ir.Constant(I1, s.sign))


def _fused(instr: Instruction) -> bool:
    """A format whose only use is the print right after it (println lowers so)."""
    blk = instr.block
    if blk is None or len(instr.users) != 1:
        return False
    i = blk.instrs.index(instr)
    nxt = blk.instrs[i + 1] if i + 1 < len(blk.instrs) else None
    return nxt is not None and nxt.opname in ("print", "eprint") and nxt in instr.users


@handles("format")
def format_(g: FunctionGen, instr: Instruction):
    holes = iter(instr.operands)
    for p in parse_format(instr.imms[0]):
        if isinstance(p, str):
            append_text(g, p)
        else:
            v = next(holes)
            append_spec(g, g.val(v), g.type(v), p[1])
    if _fused(instr):
        g.fused.add(instr)
        return None
    return g.rt("rt_buf_take")


@handles("print", "eprint")
def print_(g: FunctionGen, instr: Instruction):
    s = instr.operands[0]
    err = instr.opname == "eprint"
    if s in g.fused:
        g.rt("rt_buf_eprint" if err else "rt_buf_print")
    else:
        g.rt("rt_eprint" if err else "rt_print", g.val(s))
    return None


def text_of(g: FunctionGen, v: Value) -> ir.Value:
    """The text form of a value as a string."""
    t = g.type(v)
    if t == "str":
        return g.val(v)
    append(g, g.val(v), t, "text")
    return g.rt("rt_buf_take")


@handles("text")
def text(g: FunctionGen, instr: Instruction) -> ir.Value:
    return text_of(g, instr.operands[0])


def string_add(g: FunctionGen, instr: Instruction) -> ir.Value:
    """``a + b`` where one side is a string: the other side's text form is appended."""
    x, y = instr.operands
    if g.type(x) == "str" and g.type(y) == "str":
        return g.rt("rt_str_concat", g.val(x), g.val(y))
    append(g, g.val(x), g.type(x), "text")
    append(g, g.val(y), g.type(y), "text")
    return g.rt("rt_buf_take")


# ---- errors whose text depends on values ------------------------------------------------

@handles("error")
def error(g: FunctionGen, instr: Instruction):
    g.fail_now(instr.imms[0], instr.span)


@handles("match_fail")
def match_fail(g: FunctionGen, instr: Instruction):
    v = instr.operands[0]
    append(g, g.val(v), g.type(v), "debug")
    g.fail_built(instr.span, "no match arm matched value ")


@handles("assert_fail")
def assert_fail(g: FunctionGen, instr: Instruction):
    msg = instr.operands[1]
    append(g, g.val(msg), g.type(msg))
    g.fail_built(instr.span, "assertion failed: ")


@handles("panic")
def panic(g: FunctionGen, instr: Instruction):
    msg = instr.operands[0]
    append(g, g.val(msg), g.type(msg))
    g.fail_built(instr.span, "panic: ")


@handles("assert_eq", "assert_ne")
def assert_eq(g: FunctionGen, instr: Instruction):
    negate = instr.opname == "assert_ne"
    x, y = instr.operands[:2]
    eq = compare(g, "eq", g.type(x), g.type(y), g.val(x), g.val(y))
    bad = eq if negate else g.b.not_(eq)
    fail = g.fn.append_basic_block("assert.fail")
    cont = g.fn.append_basic_block("assert.ok")
    g.b.cbranch(bad, fail, cont)
    g.b.position_at_end(fail)
    if len(instr.operands) > 2:
        m = instr.operands[2]
        append(g, g.val(m), g.type(m))
        append_text(g, ": ")
    append_text(g, f"left {'!=' if negate else '=='} right (left: ")
    append(g, g.val(x), g.type(x), "debug")
    append_text(g, ", right: ")
    append(g, g.val(y), g.type(y), "debug")
    append_text(g, ")")
    try:
        g.fail_built(instr.span, "assertion failed: ")
    except Dead:
        pass
    g.b.position_at_end(cont)
    return None
