"""The names that tier-0 generated code calls: slow paths of operators, printing,
assertions and errors. Everything here delegates to ruchy_opt.runtime for semantics."""
from __future__ import annotations

from typing import Any, NoReturn

from ..errors import RuchyRuntimeError
from ..runtime import aggregates, matching, methods, numeric, ops
from ..runtime.fmt import format_value
from .names import type_py, variant_py
from ..runtime.values import Arr, cp, debug, display, fmt_float, kind, own, text


def _ovf() -> NoReturn:
    raise RuchyRuntimeError("integer overflow")


def _cond_err(v: Any) -> NoReturn:
    ops.truth(v)
    raise AssertionError("unreachable")


def _undef(name: str) -> NoReturn:
    raise RuchyRuntimeError(f"undefined name '{name}'")


def _arity(name: str, want: int, got: int) -> NoReturn:
    s = "" if want == 1 else "s"
    raise RuchyRuntimeError(f"wrong number of arguments: '{name}' takes {want} argument{s}, "
                            f"got {got}")


def _nomatch(v: Any) -> NoReturn:
    raise RuchyRuntimeError(f"no match arm matched value {debug(v)}")


def _iter(a: Any) -> list:
    """The elements a ``for x in a`` loop visits: a snapshot of the array."""
    if type(a) is Arr:
        a.shared = True  # later writes to `a` copy, so the snapshot stays intact
        d = a.d
        if Arr in set(map(type, d)):  # (at C speed: a loop over two million flags)
            return [cp(x) for x in d]
        return d
    if type(a) is str:
        return list(a)
    from ..runtime.iterators import for_iter  # an iterator, a range, an Option...
    return for_iter(a)


def _panic(msg: str) -> NoReturn:
    raise RuchyRuntimeError(f"panic: {msg}")


def _assert(c: Any, what: str) -> None:
    if ops.truth(c) is not True:
        raise RuchyRuntimeError(f"assertion failed: {what}")


def _assert_eq(a: Any, b: Any, negate: bool, msg: Any = None) -> None:
    same = ops.eq(a, b)
    if same == negate:
        op = "!=" if negate else "=="
        detail = f"{msg}: " if msg is not None else ""
        raise RuchyRuntimeError(f"assertion failed: {detail}left {op} right "
                                f"(left: {debug(a)}, right: {debug(b)})")


def _setindex(a: Any, i: Any, v: Any) -> None:
    ops.set_index(a, i, v)


def _own(a: Arr) -> None:
    own(a)


def _push(a: Any, v: Any) -> None:
    methods.METHODS["push"](a, v)


def namespace() -> dict[str, Any]:
    """The globals every generated tier-0 module starts from."""
    from .data import namespace as data_namespace  # Level 3 data (data.py imports us)
    from .strings import namespace as strings_namespace  # strings, slices, input, files
    from .iterators import namespace as iterators_namespace  # ranges, lazy iterators
    from .collections import namespace as collections_namespace  # HashMap::new()..
    from .dialect import namespace as dialect_namespace  # Ruchy's objects, try, throw
    from .library import namespace as library_namespace  # files, processes, clocks
    from .option_mut import namespace as option_mut_namespace  # o.take(), o.replace(v)
    ns: dict[str, Any] = {
        "Arr": Arr, "_cp": cp, "_own": _own, "_disp": display, "_dbg": debug, "_text": text,
        "_ff": fmt_float, "_fmt": format_value, "_ovf": _ovf, "_cond_err": _cond_err,
        "_undef": _undef, "_arity": _arity, "_nomatch": _nomatch, "_iter": _iter,
        "_panic": _panic, "_assert": _assert, "_assert_eq": _assert_eq,
        "_setindex": _setindex, "_push": _push,
        "_index": ops.index, "_elem_mut": ops.elem_mut, "_repeat": ops.repeat,
        "_range": ops.range_of, "_len": ops.length, "_idiv": ops.int_div,
        "_irem": ops.int_rem, "_fdiv": ops.float_div, "_to_int": ops.to_int,
        "_to_float": ops.to_float, "_to_bool": ops.to_bool, "_meth": methods.call_method,
        "RuchyRuntimeError": RuchyRuntimeError,
        "_struct_class": aggregates.struct_class, "_enum_classes": aggregates.enum_classes,
        "Char": aggregates.Char,
        **numeric.NAMESPACE,
        **matching.NAMESPACE,
        **data_namespace(),
        **strings_namespace(),
        **iterators_namespace(),
        **collections_namespace(),
        **dialect_namespace(),
        **library_namespace(),
        **option_mut_namespace(),
    }
    for qual, value in aggregates.BUILTIN_VARIANTS.items():
        enum, _, variant = qual.partition("::")
        ns[variant_py(enum, variant)] = value
    for enum, cls in aggregates.BUILTIN_ENUMS.items():
        ns[type_py(enum)] = cls
    for name, f in ops.BINARY.items():
        ns[BINOP_HELPER[name]] = f
    ns["_neg"], ns["_not"] = ops.neg, ops.not_
    for name, f in methods.METHODS.items():
        ns[f"_M_{name}"] = f
    return ns


#: The helper each binary operator's slow path calls.
BINOP_HELPER = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "%": "_rem", "**": "_pow",
                "<<": "_shl", ">>": "_shr", "&": "_band", "|": "_bor", "^": "_bxor",
                "==": "_eq", "!=": "_ne", "<": "_lt", "<=": "_le", ">": "_gt", ">=": "_ge"}
