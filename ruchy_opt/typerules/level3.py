"""The type rules of the IR's Level 3 ops: aggregates (ops_aggregate.py) and sum types
(ops_enum.py), in the table of table.py.

A value's type is what the op's immediates declare (``make tuple<any, any>``,
``variant !Shape, "Circle"``), made precise by the operands where the declaration
leaves a parameter ``any`` and the value is exactly known: ``make tuple<any, any>, %a,
%b`` with ``%a`` an int is a ``tuple<i64, any>``, ``variant option<any>, "Some", %x``
with ``%x`` a float an ``option<f64>``. A read (``extract``, ``payload``) then has the
type of its field. Named types are nominal: a struct's or enum's fields have the types
the declaration gives them (``any`` unless written).

The IR has no types for closures, cells and chars yet: their ops (ops_closure.py,
ops_char.py) have the type the IR declares, ``any`` (``is_char`` and ``char_range``:
``bool``). Compiled code has none of these types: whole-program inference refuses them
(codegen/infer.py says which op and which type).
"""
from __future__ import annotations

from typing import Any, Optional

from ..ir.core import Instruction
from ..ir.enums import SumType, variant_index
from ..ir.types import ANY, IRType, TupleType, as_type
from .rtypes import ArrT, RType, ir_type, level3
from .table import Context, Untypeable, declared, rule
from .values import RecT, SumT, is_of, made_struct, made_variant, method_kind

#: How deep a type made precise from its operands may nest: a loop that wraps a value
#: in a tuple at each turn has no finite type; deeper, the declared type is kept.
MAX_DEPTH = 6


def depth(t: Any) -> int:
    """How deeply a parametric type nests (a scalar: 0)."""
    params = getattr(t, "params", None)
    if not params:
        return 0
    return 1 + max(depth(p) for p in params)


def refined(declared_type: IRType, params: list[RType]) -> IRType:
    """``declared_type`` with each ``any`` parameter replaced by the type of what fills
    it (``params``, None: leave it), unless that nests too deeply."""
    old = declared_type.params
    new = [as_type(ir_type(p)) if d == ANY and p is not None and p != "top" else d
           for d, p in zip(old, params)]
    if new == list(old):
        return declared_type
    t = type(declared_type)(*new)
    return t if depth(t) <= MAX_DEPTH else declared_type


def structural(ctx: Context) -> bool:
    """Whether the analysis types Level 3 values structurally, every field's type
    known (compiled code: values.py), rather than as the IR's types."""
    return getattr(ctx, "structural", False)


@rule("make", open=True)
def _make(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    t = instr.imms[0]
    if structural(ctx):
        made = made_struct(t, ctx.module, ts)
        if made is None:
            raise Untypeable(f"make of {t} with {len(ts)} fields")
        return made
    if isinstance(t, TupleType) and len(t.params) == len(ts):
        return refined(t, ts)
    return t


@rule("extract", open=True)
def _extract(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    t = ts[0]
    if not level3(t):
        return declared(instr)
    return t.field_type(ctx.module, instr.imms[0])


@rule("insert", open=True)
def _insert(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    t, name = ts[0], instr.imms[0]
    if not level3(t):
        return declared(instr)
    if isinstance(t, RecT):
        if name not in t.names:
            raise Untypeable(f"no field '{name}' in {t.name}")
        return t.with_field(name, ts[1])
    if isinstance(t, TupleType) and name.isdigit() and int(name) < len(t.params):
        k = int(name)  # a tuple's field takes the type of the value put there
        params = list(t.params)
        if structural(ctx):  # (compiled code's own types, as they are)
            params[k] = ts[1]
            return TupleType(*params)
        params[k] = as_type(ir_type(ts[1])) if ts[1] is not None else ANY
        new = TupleType(*params)
        return new if depth(new) <= MAX_DEPTH else declared(instr)
    return t


@rule("by_ref", open=True)
def _by_ref(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return ts[0]


@rule("variant", open=True)
def _variant(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    t, name = instr.imms[0], instr.imms[1]
    if structural(ctx):
        made = made_variant(t, ctx.module, name, ts)
        if made is None:
            raise Untypeable(f"variant {name} of {t}, which is not a sum type")
        return made
    if not isinstance(t, SumType):
        return t
    # the type parameter each payload field has (option's Some: 0, result's Err: 1)
    shape = next((ps for n, _, ps in t.shapes if n == name), None)
    if shape is None or len(shape) != len(ts):
        return t
    fill: list[RType] = [None] * len(t.params)
    for k, p in enumerate(shape):
        if p < len(fill):
            fill[p] = ts[k]
    return refined(t, fill)


def _sum_type(instr: Instruction, operand: RType) -> IRType:
    """The sum type a ``payload`` reads: the operand's when it is the same enum as the
    one the op names (and so possibly more precise), else the op's."""
    t = instr.imms[0]
    if level3(operand) and operand.enum_key() is not None \
            and operand.enum_key() == t.enum_key() and type(operand) is type(t):
        return operand
    return t


#: the messages of the Option and Result methods that fail (runtime/options.py)
UNWRAP_NONE = "called `Option::unwrap()` on a `None` value"


def value_method(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    """A method of a compiled tuple, struct or enum (values.METHODS): ``clone``, and
    Option's and Result's tests and unwraps (an unwrap of a value that is never the
    wanted variant always fails)."""
    from .rtypes import join
    from .table import Fails
    t, name, args = ts[0], instr.imms[0], ts[1:]
    kind = method_kind(t, name, len(args)) if structural(ctx) else None
    if kind is None:
        raise Untypeable(f"the method '{name}' on {t} is not compiled yet")
    if name == "clone":
        return t
    if name.startswith("is_"):
        return "bool"
    if name == "expect" and args[0] != "str":
        raise Untypeable("expect() with a message that is not a string")
    want = "Err" if name == "unwrap_err" else "Some" if kind == "option" else "Ok"
    got = t.payload_type(want, "0")
    if name == "unwrap_or":
        if got is None:
            return args[0]
        return join(got, args[0])
    if got is None:  # never that variant: always fails (None's message is fixed)
        if kind == "option" and name == "unwrap":
            return Fails(UNWRAP_NONE)
        raise Untypeable(f"{name}() of a value that is never {want}")
    return got


@rule("is_type", open=True)
def _is_type(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if structural(ctx) and is_of(ts[0], instr.imms[0]) is None:
        raise Untypeable(f"is_type {instr.imms[0]}")
    return "bool"


@rule("check_tuple", open=True)
def _check_tuple(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if structural(ctx) and not (isinstance(ts[0], TupleType)
                                and len(ts[0].params) == instr.imms[0]):
        raise Untypeable(f"a destructuring pattern of {instr.imms[0]} elements that does "
                         "not match")
    return None


@rule("tag", open=True)
def _tag(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return "i64"


@rule("payload", open=True)
def _payload(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if isinstance(ts[0], SumT):  # compiled code: bottom (None) if no such value exists
        if ts[0].enum_key() != instr.imms[0].enum_key():
            raise Untypeable(f"payload of {instr.imms[0]} read from a value of another type")
        return ts[0].payload_type(instr.imms[1], instr.imms[2])
    t = _sum_type(instr, ts[0])
    vs = t.variants(ctx.module)
    k = variant_index(vs, instr.imms[1]) if vs else -1
    return vs[k].field_type(instr.imms[2]) if k >= 0 else declared(instr)


@rule("pop_option")
def _pop_option(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    from ..ir.enums import OptionType
    if not isinstance(ts[0], ArrT):
        return declared(instr)
    elem: Optional[RType] = ts[0].elem
    return OptionType(as_type(ir_type(elem)))


__all__ = ["MAX_DEPTH", "depth", "refined"]
