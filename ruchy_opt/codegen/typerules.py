"""Type rules of the SSA ops for whole-program inference (infer.py).

A rule gets the instruction, its operand types (all known) and the specialisation it is
in, and returns the result type, or :class:`Fails` when the operation fails whatever the
values (adding a bool to an int): compiled code then raises that error at that place.
A construct compiled code does not support raises :class:`Untypeable`, and the function
stays in the interpreter. Error messages come from the reference semantics
(runtime/ops.py) applied to sample values, so they are the interpreter's, word for word.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..ir.core import Instruction
from ..ir.ops_arith import BINARY, UNARY
from ..runtime import ops as R
from ..runtime.methods import call_method
from .rtypes import ArrT, Cell, Conflict, RType, describe, join, key, sample

if TYPE_CHECKING:
    from .infer import Spec

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


# ---- methods ------------------------------------------------------------------------

_FLOAT_METHODS = frozenset({"sqrt", "floor", "ceil", "round", "trunc", "sin", "cos", "tan",
                            "atan", "exp", "ln", "log10", "log2"})


def method(spec: "Spec", instr: Instruction, ts: list[RType]) -> Any:
    """Built-in methods (runtime/methods.py)."""
    name = instr.imms[0]
    recv, args = ts[0], ts[1:]

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
            return ArrT(spec.site_cell(instr, "str"))
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
    if name == "contains":
        elem = cell.get()
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


__all__ = ["Fails", "Untypeable", "binary", "unary", "typed_op", "method", "ref_error",
           "store_elem", "elem_of", "R"]
