"""Built-in methods (``x.len()``, ``a.push(v)``, ``x.sqrt()``, ...) on runtime values.

A mutating method receives the array object held by the place it was called on
(``a.push(v)`` changes ``a``), and makes it private first (copy on write).
"""
from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from . import chars, numeric, ops, options
from .values import Arr, cp, kind, own, text

Method = Callable[..., Any]


def _num(name: str, v: Any) -> float:
    if type(v) in (int, float):
        return float(v)
    raise RuchyRuntimeError(f"type error: {name}() expects a number, found {kind(v)}")


def _abs(x: Any) -> Any:
    if type(x) is int:
        return ops.checked(abs(x))
    return abs(_num("abs", x))


def _min(x: Any, y: Any) -> Any:
    return y if ops.lt(y, x) else x


def _max(x: Any, y: Any) -> Any:
    return y if ops.gt(y, x) else x


def _pow(x: Any, n: Any) -> Any:
    if type(x) is int and type(n) is int:
        return ops.int_pow(x, n)
    return ops.pow_(x, n)


def _powf(x: Any, y: Any) -> float:
    return ops.float_pow(_num("powf", x), _num("powf", y))


def _sqrt(x: Any) -> float:
    v = _num("sqrt", x)
    return math.sqrt(v) if v >= 0 else math.nan


def _round(x: Any) -> float:
    v = _num("round", x)
    if v != v or v in (math.inf, -math.inf):
        return v
    r = math.floor(abs(v) + 0.5)  # Rust rounds half away from zero
    return math.copysign(r, v)


def _arr(name: str, a: Any) -> Arr:
    if type(a) is not Arr:
        raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(a)}")
    return a


def _push(a: Any, v: Any) -> None:
    own(_arr("push", a)).d.append(cp(v))


def _pop(a: Any) -> Any:
    d = own(_arr("pop", a)).d
    if not d:
        raise RuchyRuntimeError("pop from an empty array")
    return d.pop()


def _insert(a: Any, i: Any, v: Any) -> None:
    d = own(_arr("insert", a)).d
    if type(i) is not int or not 0 <= i <= len(d):
        raise RuchyRuntimeError("index out of bounds")
    d.insert(i, cp(v))


def _remove(a: Any, i: Any) -> Any:
    d = own(_arr("remove", a)).d
    if type(i) is not int or not 0 <= i < len(d):
        raise RuchyRuntimeError("index out of bounds")
    return d.pop(i)


def _contains(c: Any, v: Any) -> bool:
    if type(c) is str and type(v) is str:
        return v in c
    return any(ops._comparable(x, v) and ops.eq(x, v) for x in _arr("contains", c).d)


def _sort(a: Any) -> None:
    import functools
    d = own(_arr("sort", a)).d
    d.sort(key=functools.cmp_to_key(lambda x, y: ops.cmp("<", x, y) if ops.cmp("<", x, y) != 2 else 0))


def _reverse(a: Any) -> None:
    own(_arr("reverse", a)).d.reverse()


def _join(a: Any, sep: Any = "") -> str:
    return str(sep).join(text(x) for x in _arr("join", a).d)


def _is_empty(v: Any) -> bool:
    return ops.length(v) == 0


def _str(name: str, f: Callable[..., Any]) -> Method:
    def m(s: Any, *args: Any) -> Any:
        if type(s) is not str or any(type(x) is not str for x in args):
            raise RuchyRuntimeError(f"type error: {name}() expects strings")
        return f(s, *args)
    return m


METHODS: dict[str, Method] = {
    "len": ops.length,
    "is_empty": _is_empty,
    "to_string": text,
    "clone": cp,
    "abs": _abs,
    "sqrt": _sqrt,
    "min": _min,
    "max": _max,
    "pow": _pow,
    "powi": _pow,
    "powf": _powf,
    "round": _round,
    "push": _push,
    "pop": _pop,
    "insert": _insert,
    "remove": _remove,
    "contains": _contains,
    "sort": _sort,
    "reverse": _reverse,
    "join": _join,
    "trim": _str("trim", str.strip),
    "starts_with": _str("starts_with", str.startswith),
    "ends_with": _str("ends_with", str.endswith),
    "chars": lambda s: Arr(list(_str("chars", str)(s))),
    "split": lambda s, sep: Arr(_str("split", str.split)(s, sep)),
    **numeric.METHODS,
    **chars.METHODS,
    **ops.DATA_METHODS,
}
# Option and Result methods (runtime/options.py); a name another type also has
# dispatches on the receiver's type.
options.install(METHODS)
# String methods (runtime/strings.py, strings_mut.py), dispatching on the receiver too.
from . import strings as _strings, strings_mut as _strings_mut  # noqa: E402
_strings_mut.install(METHODS)

# Iterator adapters and consumers, Vec methods with closures (runtime/iter_consumers.py),
# dispatching on the receiver's type to the methods above otherwise.
from . import iter_consumers as _iter_consumers  # noqa: E402
_iter_consumers.install(METHODS)
# Collections (HashMap, HashSet, BTreeMap, BTreeSet, VecDeque) and the rest of Vec's
# methods (runtime/collection_methods.py, vec_methods.py), dispatching on the receiver.
from . import collection_methods as _collection_methods, vec_methods as _vec_methods  # noqa: E402
_collection_methods.install(METHODS)
# The builders of a hand-written `impl Debug` (f.debug_struct("P").field(..).finish()).
from . import debug_builders as _debug_builders  # noqa: E402
_debug_builders.install(METHODS)
# The library's objects (files, processes, clocks: runtime/fs.py, process.py, clock.py)
# and the reference's extra methods (runtime/builtins.py), dispatching on the receiver.
from . import builtins as _builtins, clock as _clock, fs as _fs, libmethods as _libmethods, \
    process as _process  # noqa: E402,F401
_libmethods.install(METHODS)
# Option's mutators (o.take(), o.replace(v), o.get_or_insert(v): runtime/option_mut.py),
# in front of the other types' methods of the same names.
from . import option_mut as _option_mut  # noqa: E402
_option_mut.install(METHODS)

#: Methods that change their receiver (the receiver must be a place to be seen again).
MUTATING = frozenset({"push", "pop", "insert", "remove", "sort", "reverse"}) \
    | _iter_consumers.MUTATING | _collection_methods.MUTATING | _vec_methods.MUTATING

#: Methods that give a place holding an immutable value (a str, an Option) its new
#: value: the string mutators (runtime/strings_mut.py) and Option's (option_mut.py).
PLACE_MUTATORS = frozenset(_strings_mut.MUTATORS) | frozenset(_option_mut.MUTATORS)
_STR_MUTATORS = {name: _strings_mut.mutator(name) for name in _strings_mut.MUTATORS}


def call_mutator(recv: Any, name: str, args: tuple) -> tuple[Any, Any]:
    """Method ``name`` of :data:`PLACE_MUTATORS` called on a place holding ``recv``:
    (the place's new value, the method's result). A str gets its new string and an
    Option its new Option, as tier 0 stores them back (interp/strings.py,
    interp/option_mut.py); any other receiver (an array, a map) is changed in place by
    its own method and stays the place's value."""
    if type(recv) is str:
        m = _STR_MUTATORS.get(name)
        if m is not None:
            return m(recv, *args)
    elif name in _option_mut.MUTATORS and _option_mut.is_option(recv):
        lo, hi = _option_mut.ARITY[name]
        if lo <= len(args) <= hi:  # (else the method's own arity error, below)
            return _option_mut.MUTATORS[name](recv, *args)
    return recv, call_method(recv, name, args)


#: The float methods, for which an int receiver is converted first.
_FLOAT_RESULT = frozenset({"sqrt", "floor", "ceil", "round", "trunc", "sin", "cos", "tan",
                           "atan", "exp", "ln", "log10", "log2", "powf"})


def call_method(recv: Any, name: str, args: tuple) -> Any:
    """Call built-in method ``name``; an unknown method or a wrong count is an error."""
    m = METHODS.get(name)
    if m is None:
        raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(recv)}")
    try:
        return m(recv, *args)
    except TypeError:
        raise RuchyRuntimeError(f"wrong number of arguments to method '{name}'") from None


def result_kind(name: str, recv_kind: str) -> str:
    """The kind a method returns when the receiver's kind is known (``any`` if unsure)."""
    if name in ("len",):
        return "int"
    if name in ("to_string", "to_uppercase", "to_lowercase", "trim", "join"):
        return "str"
    if name in ("is_empty", "contains", "starts_with", "ends_with", "is_nan"):
        return "bool"
    if name in _FLOAT_RESULT:
        return "float"
    k = (numeric.RESULT_KINDS.get(name) or chars.RESULT_KINDS.get(name)
         or _strings.RESULT_KINDS.get(name))
    if k is not None:
        return k
    if name in ("signum", "rem_euclid", "div_euclid", "abs_diff", "clamp") \
            and recv_kind in ("int", "float"):
        return recv_kind
    if name in ("push", "insert", "sort", "reverse"):
        return "unit"
    if name in ("abs", "pow", "clone") and recv_kind in ("int", "float"):
        return recv_kind
    return "any"
