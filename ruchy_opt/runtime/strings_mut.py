"""String methods that change their receiver, and the registration of every string
method into ``methods.METHODS`` (runtime/strings.py has the others).

A str cannot change: for a str receiver, each mutator gives the new string and the
method's result, and the translator stores the new string back into the receiver's
place (interp/strings.py). A :class:`~.aggregates.Cell` holding a string (the callee's
side of ``&mut s``) is changed in place.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Cell, Char, Some
from .arity import ANY, declare, method_arity, widest
from .strings import STR_METHODS, _pattern, byte_len, slice_str, to_chars
from .io import io_method
from .values import Arr, cp, kind


def _err(msg: str) -> RuchyRuntimeError:
    return RuchyRuntimeError(msg)


# ---- mutators --------------------------------------------------------------------

def _pushable(name: str, v: Any) -> str:
    """The exact str to append for ``push``/``push_str`` (a Char made a plain str, so
    CPython can extend the receiver in place)."""
    if isinstance(v, str):
        return str.__str__(v)
    if type(v) is Cell and isinstance(v.v, str):
        return str.__str__(v.v)
    what = "a char" if name == "push" else "a string"
    raise _err(f"type error: {name}() expects {what}, found {kind(v)}")


def m_push(s: str, c: Any) -> tuple[str, None]:
    return s + _pushable("push", c), None


def m_push_str(s: str, t: Any) -> tuple[str, None]:
    return s + _pushable("push_str", t), None


def m_insert(s: str, b: Any, c: Any) -> tuple[str, None]:
    i = to_chars(s, b)
    return s[:i] + _pushable("insert", c) + s[i:], None


def m_insert_str(s: str, b: Any, t: Any) -> tuple[str, None]:
    i = to_chars(s, b)
    return s[:i] + _pushable("insert_str", t) + s[i:], None


def m_pop(s: str) -> tuple[str, Any]:
    return (s[:-1], Some(Char(s[-1]))) if s else (s, NONE)


def m_remove(s: str, b: Any) -> tuple[str, Any]:
    i = to_chars(s, b)
    if i >= len(s):
        raise _err("cannot remove a char from the end of a string")
    return s[:i] + s[i + 1:], Char(s[i])


def m_truncate(s: str, b: Any) -> tuple[str, None]:
    if type(b) is int and b >= byte_len(s):
        return s, None
    return s[:to_chars(s, b)], None


def m_clear(s: str) -> tuple[str, None]:
    return "", None


def m_retain(s: str, f: Any) -> tuple[str, None]:
    pred = _pattern("retain", f)
    if isinstance(pred, str):
        raise _err("type error: retain() expects a closure")
    return "".join(c for c in s if pred(c)), None


def m_extend(s: str, items: Any) -> tuple[str, None]:
    if type(items) is Arr:
        items = items.d
    elif isinstance(items, str):
        return s + str.__str__(items), None
    try:
        return s + "".join(_pushable("extend", x) for x in items), None
    except TypeError:
        raise _err(f"type error: extend() expects an array of strings or chars, "
                   f"found {kind(items)}") from None


def m_make_ascii_uppercase(s: str) -> tuple[str, None]:
    return "".join(c.upper() if c.isascii() else c for c in s), None


def m_make_ascii_lowercase(s: str) -> tuple[str, None]:
    return "".join(c.lower() if c.isascii() else c for c in s), None


#: name -> method on a str receiver giving (the new string, the method's result).
MUTATORS: dict[str, Callable[..., tuple[str, Any]]] = {
    "push": m_push, "push_str": m_push_str, "insert": m_insert, "insert_str": m_insert_str,
    "pop": m_pop, "remove": m_remove, "truncate": m_truncate, "clear": m_clear,
    "retain": m_retain, "extend": m_extend, "make_ascii_uppercase": m_make_ascii_uppercase,
    "make_ascii_lowercase": m_make_ascii_lowercase,
}
#: The mutators whose result is unit.
UNIT_MUTATORS = frozenset(MUTATORS) - {"pop", "remove"}


def mutator(name: str) -> Callable[..., tuple[str, Any]]:
    """``_SM_<name>`` of the generated code: the str receiver's new value and result."""
    f = MUTATORS[name]
    lo, hi = _arity(f)

    def m(s: Any, *args: Any) -> tuple[str, Any]:
        if not lo <= len(args) <= hi:
            raise _arity_error(name, hi, len(args))
        return f(s, *args)
    m.__name__ = name
    return m


# ---- registration ----------------------------------------------------------------

def _arity(f: Callable[..., Any]) -> tuple[int, int]:
    return method_arity(f, no_signature=(0, 0))  # (builtins such as str.upper)


def _arity_error(name: str, want: int, got: int) -> RuchyRuntimeError:
    s = "" if want == 1 else "s"
    return _err(f"wrong number of arguments: '.{name}' takes {want} argument{s}, got {got}")


def _on_cell(name: str, f: Callable[..., tuple[str, Any]]) -> Callable[[Cell, tuple], Any]:
    def m(cell: Cell, args: tuple) -> Any:
        cell.v, result = f(cell.v, *args)
        return result
    return m


def _method(name: str, mine: Optional[Callable[..., Any]], mut: Optional[Callable[..., Any]],
            prev: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    """The METHODS entry for ``name``: ours on a string (or a Cell holding one: the
    mutators change the Cell), ``prev``'s on anything else."""
    f = mine if mine is not None else (lambda s, *a: mut(s, *a)[1])  # type: ignore[misc]
    lo, hi = _arity(mine if mine is not None else mut)  # type: ignore[arg-type]
    on_cell = _on_cell(name, mut) if mut is not None else None

    def method(recv: Any, *args: Any) -> Any:
        t = type(recv)
        if t is str or (t is Cell and type(recv.v) is str):
            if not lo <= len(args) <= hi:
                raise _arity_error(name, hi, len(args))
            if t is str:
                return f(recv, *args)
            if on_cell is not None:
                return on_cell(recv, args)
            return f(recv.v, *args)
        if prev is None:
            raise _err(f"type error: no method '{name}' on {kind(recv)}")
        return prev(recv, *args)
    method.__name__ = name
    declare(method, lambda: widest((lo, hi), prev))
    return method


def concat(a: Any) -> Any:
    """``[a, b].concat()``: strings joined, or arrays concatenated."""
    if type(a) is not Arr:
        raise _err(f"type error: no method 'concat' on {kind(a)}")
    if all(isinstance(x, str) for x in a.d):
        return "".join(a.d)
    if all(type(x) is Arr for x in a.d):
        return Arr([cp(y) for x in a.d for y in x.d])
    raise _err("type error: concat() expects an array of strings or of arrays")


def slice_put(v: Any, a: Any, part: Arr) -> None:
    """Store the elements of ``part`` (a slice of ``v`` starting at ``a``; None: 0)
    back over the range it was taken from (``v[1..4].sort()``, ``f(&mut v[a..b])``:
    the methods that change a slice keep its length)."""
    from .values import own
    if type(v) is Cell:
        v = v.v
    if type(v) is not Arr or type(part) is not Arr:
        raise _err(f"type error: cannot store a slice into {kind(v)}")
    i = a or 0
    own(v).d[i:i + len(part.d)] = part.d


def _io_dispatch(name: str, prev: Optional[Callable[..., Any]]) -> Callable[..., Any]:
    def method(recv: Any, *args: Any) -> Any:
        return io_method(recv, name, args, prev or _no_method(name))
    method.__name__ = name
    declare(method, ANY)
    return method


def _no_method(name: str) -> Callable[..., Any]:
    def m(recv: Any, *args: Any) -> Any:
        raise _err(f"type error: no method '{name}' on {kind(recv)}")
    return m


def install(methods: dict[str, Callable[..., Any]]) -> None:
    """Add the string methods to ``methods`` (runtime/methods.METHODS)."""
    for name, f in GENERIC.items():
        methods.setdefault(name, f)
    for name in ("lines", "lock", "flush"):  # of std::io::stdin() / stdout()
        methods[name] = _io_dispatch(name, methods.get(name))
    for name in sorted(set(STR_METHODS) | set(MUTATORS)):
        mine, mut = STR_METHODS.get(name), MUTATORS.get(name)
        methods[name] = _method(name, mine, mut, methods.get(name))
    if "concat" not in methods:
        methods["concat"] = concat


def collect(v: Any) -> Any:
    """``.collect()`` of what a string method returned (an array for now: see
    strings.py): the array itself. Lazy iterators will replace this."""
    if type(v) is Arr:
        return cp(v)
    raise _err(f"type error: no method 'collect' on {kind(v)}")


def collect_string(v: Any) -> str:
    """``.collect::<String>()`` of an array of chars or strings."""
    if type(v) is Arr and all(isinstance(x, str) for x in v.d):
        return "".join(v.d)
    if isinstance(v, str):
        return str.__str__(v)
    raise _err(f"type error: cannot collect {kind(v)} into a String")


def count(v: Any) -> int:
    """``.count()`` of an array a string method returned (``s.chars().count()``)."""
    if type(v) is Arr:
        return len(v.d)
    raise _err(f"type error: no method 'count' on {kind(v)}")


#: Conversions every value has (``x.into()``, ``v.to_owned()``: the value itself, as a
#: new holder sees it), and stand-ins for the iterator methods most used on what string
#: methods return (``collect``, ``count``) until lazy iterators exist; a later
#: definition of these names replaces them.
GENERIC: dict[str, Callable[[Any], Any]] = {"into": cp, "to_owned": cp, "borrow": cp,
                                            "borrow_mut": lambda v: v, "collect": collect,
                                            "count": count}


def slice_(v: Any, a: Any, b: Any, inclusive: bool) -> Any:
    """``&v[a..b]`` (``a``/``b`` None when open; ``..=`` when ``inclusive``): a
    string by byte offsets, an array by element positions (a new array)."""
    if type(v) is Cell:
        v = v.v
    for end in (a, b):
        if end is not None and type(end) is not int:
            raise _err(f"type error: slice bounds must be int, found {kind(end)}")
    if inclusive and b is not None:
        b += 1
    if isinstance(v, str):
        return slice_str(str.__str__(v), a, b)
    if type(v) is Arr:
        n = len(v.d)
        i, j = 0 if a is None else a, n if b is None else b
        if j > n:
            raise _err(f"range end index {j} out of range for slice of length {n}")
        if i > j:
            raise _err(f"slice index starts at {i} but ends at {j}")
        if i < 0:
            raise _err(f"range start index {i} out of range for slice of length {n}")
        return Arr([cp(x) for x in v.d[i:j]])
    raise _err(f"type error: cannot slice {kind(v)}")
