"""Arrays of tuples, structs and enums of scalars (``Vec<P>``, ``[(f64, f64); n]``):
the elements are *records*, stored inline in the array's data, one after another, each
laid out as the LLVM struct of its type (lltypes.lltype; typerules/values.layout): the
layout C gives ``struct P p[n]``. An element is read and written field by field (a
load or store per scalar, alias-tagged as array slots), so ``v[i].x += d`` is a load of
each field, an ``insertvalue`` and a store of each field, which LLVM reduces to the one
load and store of ``x``.

The array object is the one of every array (rt/arrays.ll: ``[len][cap][data][shared]``)
and so is its memory scheme: copy on write, ``rt_arr_cp`` sharing the data, the first
write through either holder copying it (``rt_arr_own``, a ``memcpy``: records hold no
pointers, so a copy is one level), and arrays a function makes and drops freed after
their last use (lifetimes.py). The descriptor (rtypes.descriptor, kind 7) carries the
record's size, which is all the runtime needs to allocate, grow, copy, move and
reverse; the generated code does everything that knows the fields: element loads and
stores, ``push``/``pop``/``insert``/``remove`` around the runtime's ``rt_arr_room``,
``rt_arr_drop1``, ``rt_arr_open``, ``rt_arr_close``, ``[v; n]`` (``rt_arr_fill``),
``==`` and ``contains`` (a loop of ops_values.equal), and the debug text (a loop of
ops_values.append_value's writer).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

from . import llir as ir
from ..ir.core import Instruction
from . import ops_data as D  # (a cycle: ops_data calls these for records)
from .function import FunctionGen, const_bool
from .lltypes import I1, I32, I64, UNIT, lltype, members
from ..typerules.rtypes import ArrT, RType, descriptor
from ..typerules.values import aggregate


def _leaf_access(g: FunctionGen, instr: Any) -> Any:
    instr.set_metadata("tbaa", g.mg.tbaa("slot"))
    return instr


def load_record(g: FunctionGen, p: ir.Value, t: RType) -> ir.Value:
    """The value of type ``t`` in the record at ``p``."""
    return _load(g, p, lltype(t), t, [])


def _load(g: FunctionGen, p: ir.Value, top: ir.Type, t: RType, path: list) -> ir.Value:
    b = g.b
    if not aggregate(t):
        if t == "unit":
            return UNIT
        q = b.gep(p, [ir.Constant(I64, 0)] + [ir.Constant(I32, k) for k in path],
                  source_etype=top) if path else p
        return _leaf_access(g, b.load(q, typ=lltype(t)))
    v: ir.Value = ir.Constant(lltype(t), None)
    for k, m in enumerate(members(t)):
        v = b.insert_value(v, _load(g, p, top, m, path + [k]), k)
    return v


def store_record(g: FunctionGen, v: ir.Value, p: ir.Value, t: RType) -> None:
    """Store value ``v`` of type ``t`` (the element type: callers widen to it) at ``p``."""
    _store(g, v, p, lltype(t), t, [])


def _store(g: FunctionGen, v: ir.Value, p: ir.Value, top: ir.Type, t: RType, path: list
           ) -> None:
    b = g.b
    if not aggregate(t):
        if t == "unit":
            return
        q = b.gep(p, [ir.Constant(I64, 0)] + [ir.Constant(I32, k) for k in path],
                  source_etype=top) if path else p
        _leaf_access(g, b.store(v, q))
        return
    for k, m in enumerate(members(t)):
        _store(g, b.extract_value(v, k), p, top, m, path + [k])


def _store_at(g: FunctionGen, v: ir.Value, p: ir.Value, elem: RType, t: RType,
              path: list) -> None:
    """Store value ``v`` of type ``t``, the member of the record at ``p`` (of type
    ``elem``) that ``path`` (member indices) names."""
    _store(g, v, p, lltype(elem), t, path)


# ---- `v[i].x = e`: only the fields written ------------------------------------------------

def field_writes(g: FunctionGen, instr: Instruction) -> Optional[list]:
    """For ``set_index %a, %i, %new`` where ``%new`` is ``%a[%i]`` with some fields
    replaced (``v[i].x += d`` lowers to ``index``, ``insert``, ``set_index``) and nothing
    writes an array between the read and the write: the fields that change, as (member
    path, value, type); None otherwise (the whole element is stored). The other fields
    hold what the read loaded, so storing them again would change nothing, but LLVM
    cannot always see that (``v[j]`` may be ``v[i]``): the n-body loop stored all seven
    fields for each one it changed."""
    from .aliases import writes_array
    a, i, new = instr.operands
    elem = elem_type_of(g, a)
    base = _read_of(new)
    if getattr(base, "opname", None) != "index" or base.operands[0] is not a or \
            base.operands[1] is not i or base.block is not instr.block or \
            g.type(base) != elem:
        return None
    blk = instr.block.instrs
    between = blk[blk.index(base) + 1:blk.index(instr)]
    if any(writes_array(x, g.spec.types) is not None for x in between):
        return None
    out: list = []
    if not _diff(g, new, base, elem, [], out):
        return None
    return out


def elem_type_of(g: FunctionGen, a: Any) -> RType:
    t = g.type(a)
    return t.elem if isinstance(t, ArrT) else None


def _read_of(v: Any) -> Any:
    """The ``index`` a chain of ``insert``s starts from (through their first operand)."""
    for _ in range(64):
        if getattr(v, "opname", None) != "insert":
            return v
        v = v.operands[0]
    return None


def _original(v: Any, base: Any, path: list, t: RType) -> bool:
    """Whether ``v`` is the member at ``path`` of ``base`` as read (extracts of it)."""
    names: list = []
    while getattr(v, "opname", None) == "extract" and v is not base:
        names.append(v.imms[0])
        v = v.operands[0]
    return v is base and _path_of(t, list(reversed(names))) == path


def _path_of(t: RType, names: list) -> Optional[list]:
    """Member indices of the fields ``names`` (tuples' and structs'), from type ``t``."""
    from ..ir.types import TupleType
    from ..typerules.values import RecT
    out = []
    for n in names:
        if isinstance(t, TupleType) and n.isdigit() and int(n) < len(t.params):
            out.append(int(n))
            t = t.params[int(n)]
        elif isinstance(t, RecT) and n in t.names:
            k = t.names.index(n)
            out.append(k)
            t = t.types[k]
        else:
            return None
    return out


def _diff(g: FunctionGen, v: Any, base: Any, t: RType, path: list, out: list) -> bool:
    """Append the (path, value, type) stores that make the member at ``path`` (of type
    ``t``) of the element hold ``v``; False when ``v``'s type is not ``t`` (an enum
    widened: the caller stores the whole element)."""
    from ..ir.types import TupleType
    from ..typerules.values import RecT
    if g.type(v) != t:
        return False
    if _original(v, base, path, g.type(base)):
        return True
    if getattr(v, "opname", None) == "insert" and isinstance(t, (TupleType, RecT)):
        k = _path_of(t, [v.imms[0]])
        if k is None:
            return False
        inner: list = []
        if not _diff(g, v.operands[0], base, t, path, inner):
            return False
        out.extend(w for w in inner if w[0][:len(path) + 1] != path + k)  # (overwritten)
        ft = (t.params if isinstance(t, TupleType) else t.types)[k[0]]
        return _diff(g, v.operands[1], base, ft, path + k, out)
    out.append((path, g.val(v), t))
    return True


def store_fields(g: FunctionGen, p: ir.Value, elem: RType, writes: list) -> None:
    """The stores field_writes found, into the record at ``p``."""
    for path, v, t in writes:
        _store_at(g, v, p, elem, t, path)


def widened(g: FunctionGen, v: ir.Value, t: RType, elem: RType) -> ir.Value:
    """A value of type ``t`` as the array's element type (an enum's variants joined)."""
    from .ops_values import coerce
    return coerce(g, v, t, elem)


def _desc(elem: RType) -> ir.Constant:
    return ir.Constant(I64, descriptor(elem))


def _at(g: FunctionGen, a: ir.Value, i: ir.Value, elem: RType) -> ir.Value:
    return D.slot_ptr(g, a, i, elem)  # (data reloaded: the runtime may have moved it)


def push(g: FunctionGen, a: ir.Value, v: ir.Value, t: RType, elem: RType) -> None:
    """``a.push(v)``: stored in place while ``a`` is private and has room (inline, as a
    push of a scalar), else after ``rt_arr_room`` made it so."""
    b = g.b
    n = D.length(g, a)
    room = b.icmp_signed("<", n, D.field(g, a, 8, I64, "cap"))
    private = b.icmp_unsigned("==", D.field(g, a, 24, I64, "shared"), ir.Constant(I64, 0))
    with b.if_then(b.not_(b.and_(room, private)), likely=False):
        g.rt("rt_arr_room", a, _desc(elem))
    store_record(g, widened(g, v, t, elem), _at(g, a, n, elem), elem)
    D.tagged(g, b.store(b.add(n, ir.Constant(I64, 1)), a), "len")


def pop(g: FunctionGen, a: ir.Value, elem: RType) -> ir.Value:
    """``a.pop()`` of a non-empty array: the last record (the caller checked)."""
    g.rt("rt_arr_drop1", a, _desc(elem))
    return load_record(g, _at(g, a, D.length(g, a), elem), elem)


def insert(g: FunctionGen, a: ir.Value, i: ir.Value, v: ir.Value, t: RType,
           elem: RType) -> None:
    """``a.insert(i, v)`` with ``0 <= i <= len`` (the caller checked)."""
    g.rt("rt_arr_open", a, i, _desc(elem))
    store_record(g, widened(g, v, t, elem), _at(g, a, i, elem), elem)


def remove(g: FunctionGen, a: ir.Value, i: ir.Value, elem: RType) -> ir.Value:
    """``a.remove(i)`` with ``0 <= i < len`` (the caller checked): read, then closed up."""
    v = load_record(g, _at(g, a, i, elem), elem)
    g.rt("rt_arr_close", a, i, _desc(elem))
    return v


def repeat(g: FunctionGen, v: ir.Value, t: RType, n: ir.Value, elem: RType) -> ir.Value:
    """``[v; n]`` (``n >= 0``): a new array, ``v`` stored at element 0 (always room) and
    copied along by ``rt_arr_fill``."""
    a = g.rt("rt_arr_new", n, _desc(elem))
    store_record(g, widened(g, v, t, elem), _at(g, a, ir.Constant(I64, 0), elem), elem)
    g.rt("rt_arr_fill", a, _desc(elem))
    return a


# ---- loops over the elements --------------------------------------------------------------

@contextmanager
def counted_loop(g: FunctionGen, n: ir.Value, name: str = "elems") -> Iterator[ir.Value]:
    """``for i in 0..n`` in the generated code: the body is built inside the ``with``
    (``i`` is yielded); building continues after the loop."""
    b = g.b
    before = b.block
    head = g.fn.append_basic_block(f"{name}.head")
    body = g.fn.append_basic_block(f"{name}.body")
    end = g.fn.append_basic_block(f"{name}.end")
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(I64, name="i")
    i.add_incoming(ir.Constant(I64, 0), before)
    b.cbranch(b.icmp_signed("<", i, n), body, end)
    b.position_at_end(body)
    yield i
    i.add_incoming(b.add(i, ir.Constant(I64, 1)), b.block)
    b.branch(head)
    b.position_at_end(end)


def element(g: FunctionGen, a: ir.Value, i: ir.Value, elem: RType) -> ir.Value:
    """Element ``i`` (in bounds) of array ``a`` of ``elem``, whatever ``elem`` is."""
    return D.load_elem(g, D.slot_ptr(g, a, i, elem), elem)


def _any(g: FunctionGen, n: ir.Value, name: str,
         test: Callable[[ir.Value], ir.Value]) -> ir.Value:
    """Whether ``test(i)`` (an i1 built in the loop's body) holds for some ``i`` in
    ``0..n``: a loop that ends at the first one that does."""
    bld = g.b
    start = bld.block
    head = g.fn.append_basic_block(f"{name}.head")
    body = g.fn.append_basic_block(f"{name}.body")
    end = g.fn.append_basic_block(f"{name}.end")
    bld.branch(head)
    bld.position_at_end(head)
    i = bld.phi(I64, name="i")
    i.add_incoming(ir.Constant(I64, 0), start)
    bld.cbranch(bld.icmp_signed("<", i, n), body, end)
    bld.position_at_end(body)
    hit = test(i)
    i.add_incoming(bld.add(i, ir.Constant(I64, 1)), bld.block)
    body_end = bld.block
    bld.cbranch(hit, end, head)
    bld.position_at_end(end)
    found = bld.phi(I1, name=f"{name}.found")
    found.add_incoming(const_bool(False), head)
    found.add_incoming(const_bool(True), body_end)
    return found


def arrays_equal(g: FunctionGen, ta: ArrT, tb: ArrT, a: ir.Value, b: ir.Value) -> ir.Value:
    """``a == b`` of arrays holding records (as runtime/ops.eq: equal lengths and equal
    elements, the first difference ending the loop; arrays of different lengths are
    compared over no element)."""
    from .ops_num import compare
    bld = g.b
    ea, eb = ta.elem, tb.elem
    n = D.length(g, a)
    same_len = bld.icmp_signed("==", n, D.length(g, b))
    if ea is None or eb is None:  # an array that is always empty: no element differs
        return same_len
    differs = _any(g, bld.select(same_len, n, ir.Constant(I64, 0)), "arreq",
                   lambda i: bld.not_(compare(g, "eq", ea, eb, element(g, a, i, ea),
                                                element(g, b, i, eb))))
    return bld.and_(same_len, bld.not_(differs))


def contains(g: FunctionGen, a: ir.Value, elem: RType, v: ir.Value, t: RType) -> ir.Value:
    """``a.contains(&v)`` of an array of records: some element ``== v``."""
    from .ops_num import compare
    if elem is None:
        return const_bool(False)
    return _any(g, D.length(g, a), "contains",
                lambda i: compare(g, "eq", elem, t, element(g, a, i, elem), v))


def write_array(w: Any, v: ir.Value, t: ArrT, pretty: bool, indent: str) -> None:
    """The debug text of an array (ops_values._Writer ``w``): ``[a, b]``, or pretty
    (``{:#?}``) one element per line, ``[]`` when empty, as runtime/values.pretty."""
    from .ops_values import _write
    g = w.g
    b = g.b
    elem = t.elem
    w.flush()
    n = D.length(g, v)
    if elem is None:  # always empty
        w.text("[]")
        return
    if not pretty:
        w.text("[")
        w.flush()
        with counted_loop(g, n, "fmt.elems") as i:
            with b.if_then(b.icmp_signed("!=", i, ir.Constant(I64, 0))):
                w.text(", ")
                w.flush()
            _write(w, element(g, v, i, elem), elem, False, indent)
            w.flush()
        w.text("]")
        return
    inner = indent + "    "
    with b.if_else(b.icmp_signed("==", n, ir.Constant(I64, 0))) as (empty, some):
        with empty:
            w.text("[]")
            w.flush()
        with some:
            w.text("[\n")
            w.flush()
            with counted_loop(g, n, "fmt.elems") as i:
                w.text(inner)
                _write(w, element(g, v, i, elem), elem, True, inner)
                w.text(",\n")
                w.flush()
            w.text(indent + "]")
            w.flush()


__all__ = ["arrays_equal", "contains", "counted_loop", "field_writes", "insert",
           "load_record", "pop", "push", "remove", "repeat", "store_fields", "store_record",
           "write_array"]
