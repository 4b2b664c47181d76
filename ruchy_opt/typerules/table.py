"""The type rules of the SSA ops: the one answer to "what type does this op produce
from these operand types", for both analyses that ask it.

* Whole-program inference (codegen/infer.py) asks with the types of compiled code,
  always known (scalars and arrays whose element type is a cell shared program-wide):
  its :class:`Context` is a specialisation, which types calls and globals across the
  program.
* Type specialisation (passes/typespec.py, through local.py) asks within one function
  with the IR's types, where an operand may be ``any`` or a Level 3 type: its context
  answers a call with the callee's return type so far, and an array's elements as
  ``any``.

A rule gets the context, the instruction and its operand types, and returns the result
type, ``None`` for an op without a result (or bottom: no value yet), or :class:`Fails`
when the operation fails whatever the values (adding a bool to an int): compiled code
then raises that error at that place. A construct with no static type raises
:class:`Untypeable`, saying why. Error messages come from the reference semantics
(runtime/ops.py) applied to sample values, so they are the interpreter's, word for word.

Most rules are for the types compiled code has (:func:`rtypes.static`); given an
operand of another type (``any``, a tuple) they are not asked, and the op has the type
the IR declares for it (``len`` is ``i64``, ``add`` is ``any``). Rules registered
``open`` take any operand types: calls, copies, and the Level 3 ops (level3.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Protocol

from ..errors import RuchyRuntimeError
from ..ir.core import Instruction
from ..ir.opdef import literal_type
from ..ir.ops_arith import BINARY, UNARY
from ..runtime import ops as R
from ..runtime.methods import call_method
from .rtypes import ArrT, Cell, Conflict, RType, describe, join, key, sample, static
from .rtypes import level3 as is_level3  # (the name level3 is the module, below)

if TYPE_CHECKING:
    from ..ir.core import Module

NUM = ("i64", "f64")


class Untypeable(Exception):
    """This code cannot be compiled with static types; the message says why."""


class Fails:
    """The operation always fails with ``message``."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def ref_error(fn: Callable[..., Any], *types: RType) -> Fails:
    """The error the reference semantics raise for values of these types."""
    try:
        fn(*[sample(t) for t in types])
    except RuchyRuntimeError as e:
        return Fails(e.message)
    except Exception as e:  # pragma: no cover - a bug in the reference semantics
        raise Untypeable(f"no static type ({type(e).__name__})") from None
    raise Untypeable("the result's type depends on the values")


def _arr(t: RType) -> bool:
    return isinstance(t, ArrT)


def binary(name: str, ta: RType, tb: RType) -> Any:
    """Generic binary operators (``add``, ``lt``, ...)."""
    fn = BINARY[name][1]
    if is_level3(ta) or is_level3(tb):  # compiled code's tuples, structs, enums (values.py)
        from .values import comparable
        if name in ("eq", "ne", "lt", "le", "gt", "ge") and comparable(ta, tb):
            return "bool"
        raise Untypeable(f"'{name}' of {describe(ta)} and {describe(tb)} is not compiled yet")
    if name in ("add", "sub", "mul", "div", "rem", "pow"):
        if ta == "i64" and tb == "i64":
            return "i64"
        if ta in NUM and tb in NUM:
            return "f64"
        if name == "add" and ("str" in (ta, tb)) and not _arr(ta) and not _arr(tb) \
                and "unit" not in (ta, tb):
            return "str"
        return ref_error(fn, ta, tb)
    if name in ("shl", "shr"):
        return "i64" if ta == tb == "i64" else ref_error(fn, ta, tb)
    if name in ("and", "or", "xor"):
        return ta if ta == tb and ta in ("i64", "bool") else ref_error(fn, ta, tb)
    if _arr(ta) and _arr(tb):
        if name not in ("eq", "ne"):
            raise Untypeable("ordering comparison of arrays is not compiled")
        try:
            join(ta, tb)
        except Conflict as e:
            raise Untypeable(f"comparison of arrays of different types ({e})") from None
        return "bool"
    comparable = (ta == tb and not _arr(ta)) or (ta in NUM and tb in NUM)
    if comparable and (name in ("eq", "ne") or ta != "unit"):
        return "bool"
    return ref_error(fn, ta, tb)


def unary(name: str, ta: RType) -> Any:
    fn = UNARY[name][1]
    if name == "neg" and ta in NUM:
        return ta
    if name == "not" and ta in ("bool", "i64"):
        return ta
    return ref_error(fn, ta)


def typed_op(instr: Instruction, ts: list[RType]) -> Any:
    """Ops that type specialisation introduced (``add.i64``, ``guard.f64``, ...)."""
    name = instr.opname
    if name.startswith("guard."):
        want = name.split(".", 1)[1]
        got = "arr" if _arr(ts[0]) else ts[0]
        return ts[0] if got == want else ref_error(instr.op.impl, ts[0])
    base, t = name.split(".", 1)
    want = instr.op.operand_types or ()
    if any(got != w for got, w in zip(ts, want * len(ts))):
        raise Untypeable(f"operands of {name} are {', '.join(map(key, ts))}")
    return instr.op.result_type_name


class Context(Protocol):
    """What a rule asks of the analysis it serves."""

    @property
    def module(self) -> Optional["Module"]:
        """The module (for the declarations of named types)."""

    def call(self, instr: Instruction, ts: list[RType]) -> RType:
        """The result type of ``call @f`` with arguments of types ``ts``."""

    def site_cell(self, instr: Instruction, init: RType = None, tag: str = "") -> Cell:
        """The element-type cell of the array an instruction creates."""

    def load_global(self, instr: Instruction) -> RType:
        """The type of the global ``load_global`` reads."""

    def store_global(self, instr: Instruction, t: RType) -> None:
        """A value of type ``t`` is stored into the global."""


Rule = Callable[[Context, Instruction, list[RType]], Any]
#: The rules by op name.
RULES: dict[str, Rule] = {}
#: Ops whose rule takes operands of any type (the others get static types only).
OPEN: set[str] = set()


def rule(*names: str, open: bool = False) -> Callable[[Rule], Rule]:
    """Decorator: the rule of the ops ``names``."""
    def reg(fn: Rule) -> Rule:
        for n in names:
            RULES[n] = fn
            if open:
                OPEN.add(n)
        return fn
    return reg


def is_typed_op(instr: Instruction) -> bool:
    """Ops that type specialisation introduced (``add.i64``, ``guard.f64``, ``is.str``)."""
    name = instr.op.name
    return "." in name and (instr.op.operand_types is not None
                            or name.startswith(("guard.", "is.")))


def rule_of(instr: Instruction) -> Optional[Rule]:
    """The rule of an instruction's op (None: the table has none)."""
    fn = RULES.get(instr.op.name)
    if fn is None and is_typed_op(instr):
        return _typed
    return fn


def declared(instr: Instruction) -> RType:
    """The type the IR gives the instruction (None: it has no result)."""
    return instr.type if instr.op.result else None


def result(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    """The result type of ``instr`` for operand types ``ts``: a type, None (no result,
    or no value yet), or :class:`Fails`; raises :class:`Untypeable`. An op the table
    has no rule for, or whose rule is not for such operands, has its declared type."""
    fn = rule_of(instr)
    if fn is None or (instr.op.name not in OPEN and not all(static(t) for t in ts)):
        return declared(instr)
    return fn(ctx, instr, ts)


# ---- methods ------------------------------------------------------------------------

_FLOAT_METHODS = frozenset({"sqrt", "floor", "ceil", "round", "trunc", "sin", "cos", "tan",
                            "atan", "exp", "ln", "log10", "log2"})


@rule("method")
def method(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    """Built-in methods (runtime/methods.py)."""
    name = instr.imms[0]
    recv, args = ts[0], ts[1:]
    if is_level3(recv):  # compiled code's tuples, structs, enums
        from .level3 import value_method
        return value_method(ctx, instr, ts)

    def err() -> Fails:
        return ref_error(lambda *vs: call_method(vs[0], name, tuple(vs[1:])), recv, *args)

    if name in ("len", "is_empty"):
        if recv == "str" or _arr(recv):
            return "i64" if name == "len" else "bool"
        return err()
    if name == "to_string":
        return "str"
    if name == "clone":
        return recv
    if name == "abs":
        return recv if recv in NUM else err()
    if name in _FLOAT_METHODS or name == "is_nan":
        if recv not in NUM:
            return err()
        return "bool" if name == "is_nan" else "f64"
    if name in ("pow", "powi"):
        if recv in NUM and args[0] in NUM:
            return "i64" if recv == args[0] == "i64" else "f64"
        return err()
    if name == "powf":
        return "f64" if recv in NUM and args[0] in NUM else err()
    if name in ("min", "max"):
        if recv == args[0] and recv in ("i64", "f64", "str", "bool"):
            return recv
        if recv in NUM and args[0] in NUM:
            raise Untypeable(f"{name}() of an int and a float has the type of the result")
        return err()
    if not _arr(recv):
        if name == "chars" and recv == "str":
            if getattr(ctx, "structural", False):  # compiled code (level3.structural)
                raise Untypeable("chars() makes char values, which compiled code does "
                                 "not have yet")
            return ArrT(ctx.site_cell(instr, "str"))
        if name in ("push", "pop", "insert", "remove", "contains", "reverse", "chars"):
            if name == "contains" and recv == "str":
                raise Untypeable("string contains() is not compiled")
            return err()
        raise Untypeable(f"method '{name}' on {describe(recv)} is not compiled")
    cell: Cell = recv.cell
    if name == "push":
        _store(cell, args[0])
        return "unit"
    if name == "insert":
        if args[0] != "i64":
            return err()
        _store(cell, args[1])
        return "unit"
    if name in ("pop", "remove"):
        if name == "remove" and args[0] != "i64":
            return err()
        return cell.get()
    if name == "reverse":
        return "unit"
    if name == "swap":
        return "unit" if args[0] == args[1] == "i64" else err()
    if name == "contains":
        elem = cell.get()
        if is_level3(elem) or is_level3(args[0]):  # (compared field by field)
            from .values import comparable
            if elem is None or comparable(elem, args[0]):
                return "bool"
            raise Untypeable("contains() with a value of another type than the elements")
        if elem is not None and key(elem) != key(args[0]):
            raise Untypeable("contains() with a value of another type than the elements")
        return "bool"
    raise Untypeable(f"method '{name}' on arrays is not compiled")


def _store(cell: Cell, t: RType) -> None:
    try:
        cell.add(t)
    except Conflict as e:
        raise Untypeable(f"an array holds values of different types ({e})") from None


def store_elem(arr: RType, t: RType) -> None:
    """``a[i] = v``: the array's element type takes in ``t``."""
    assert isinstance(arr, ArrT)
    _store(arr.cell, t)


def elem_of(arr: ArrT) -> Optional[RType]:
    return arr.cell.get()


# ---- the other ops of Levels 1 and 2 -----------------------------------------------------

for _name in BINARY:
    rule(_name)(lambda ctx, instr, ts: binary(instr.op.name, ts[0], ts[1]))
for _name in UNARY:
    rule(_name)(lambda ctx, instr, ts: unary(instr.op.name, ts[0]))


def _typed(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return typed_op(instr, ts)


@rule("const", open=True)
def _const(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return literal_type(instr.imms[0])


@rule("copy", open=True)
def _copy(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return ts[0]


@rule("call", open=True)
def _call(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return ctx.call(instr, ts)


@rule("load_global", open=True)
def _load_global(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return ctx.load_global(instr)


@rule("store_global", open=True)
def _store_global(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    ctx.store_global(instr, ts[0])
    return None


@rule("truth")
def _truth(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return "bool" if ts[0] == "bool" else ref_error(R.truth, ts[0])


@rule("is_true", "matches", "in_range")
def _test(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return "bool"


_CONVERTS = {"to_int": (("i64", "f64", "bool"), "i64"), "to_float": (("i64", "f64"), "f64"),
             "to_bool": (("bool",), "bool")}


@rule(*_CONVERTS)
def _convert(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    ok, result_type = _CONVERTS[instr.op.name]
    return result_type if ts[0] in ok else ref_error(instr.op.impl, ts[0])


@rule("array")
def _array(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    cell = ctx.site_cell(instr)
    for t in ts:
        _store(cell, t)
    return ArrT(cell)


@rule("repeat")
def _repeat(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if ts[1] != "i64":
        return ref_error(R.repeat, ts[0], ts[1])
    cell = ctx.site_cell(instr)
    _store(cell, ts[0])
    return ArrT(cell)


@rule("index", "set_index", "elem_mut", "elem_own")
def _index(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    name = instr.op.name
    if not isinstance(ts[0], ArrT) or ts[1] != "i64":
        return ref_error(R.index, ts[0], ts[1])
    if name == "set_index":
        store_elem(ts[0], ts[2])
        return "unit"
    elem = ts[0].elem
    if name == "elem_mut" and elem is not None and not isinstance(elem, ArrT):
        if is_level3(elem):  # (lowering writes through elem_own there)
            raise Untypeable(f"an element of type {describe(elem)} written as an array")
        if static(elem):
            return ref_error(lambda a, i: R.index(a, i), elem, "i64")
    return elem


@rule("snapshot")
def _snapshot(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if isinstance(ts[0], ArrT):
        return ts[0]
    if ts[0] == "str":
        return ArrT(ctx.site_cell(instr, "str"))
    return ref_error(instr.op.impl, ts[0])


@rule("len")
def _len(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return "i64" if ts[0] == "str" or isinstance(ts[0], ArrT) else ref_error(R.length, ts[0])


@rule("check_range")
def _check_range(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return None if ts[0] == ts[1] == "i64" \
        else ref_error(lambda a, b: R.range_of(a, b, False), ts[0], ts[1])


@rule("text", "format")
def _text(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return "str"


@rule("print", "eprint")
def _print(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    if ts[0] != "str":
        raise Untypeable("print of a value that is not a string")
    return None


@rule("error", "match_fail", "panic")
def _stop(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return None


@rule("assert_fail")
def _assert_fail(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    return None if ts[0] == "bool" else ref_error(R.truth, ts[0])


@rule("assert_eq", "assert_ne")
def _assert_eq(ctx: Context, instr: Instruction, ts: list[RType]) -> Any:
    r = binary("eq", ts[0], ts[1])
    return r if isinstance(r, Fails) else None


from . import level3  # noqa: E402,F401 - registers the Level 3 ops' rules

__all__ = ["Context", "Fails", "OPEN", "RULES", "Untypeable", "binary", "declared",
           "elem_of", "is_typed_op", "method", "ref_error", "result", "rule", "rule_of",
           "store_elem", "typed_op", "unary"]
