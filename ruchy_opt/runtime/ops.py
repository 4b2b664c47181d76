"""The semantics of Ruchy's operators on runtime values (LANGUAGE.md), in one place.

These are the reference definitions: tier 0 calls them on its slow paths, the IR
interpreter calls them for generic ops, and compiled tiers must agree with them. Each
raises :class:`RuchyRuntimeError` without a position; the caller knows where it was.
"""
from __future__ import annotations

import math
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import (EQUAL, GREATER, IMMUTABLE, LESS, NONE, Cell, Char, Formatter, Ok, Some, Struct,
                         Variant)
from .values import INT_MAX, INT_MIN, Arr, kind, own, text
from .collections import COLLECTION_TYPES
from .element_refs import KeyRef

_NUM = (int, float)
_AGGREGATE = frozenset({Cell})


def overflow() -> None:
    raise RuchyRuntimeError("integer overflow")


def div_zero() -> None:
    raise RuchyRuntimeError("division by zero")


def type_error(op: str, a: Any, b: Any = None, unary: bool = False) -> RuchyRuntimeError:
    if unary:
        return RuchyRuntimeError(f"type error: cannot apply '{op}' to {kind(a)}")
    return RuchyRuntimeError(f"type error: cannot apply '{op}' to {kind(a)} and {kind(b)}")


def checked(r: int) -> int:
    if INT_MIN <= r <= INT_MAX:
        return r
    raise RuchyRuntimeError("integer overflow")


def is_num(v: Any) -> bool:
    t = type(v)
    return t is int or t is float


# ---- arithmetic ------------------------------------------------------------------

def user_op(name: str, op: str, a: Any, *b: Any) -> Any:
    """An operator on a user type that implements its trait (``impl Add for P``: the
    class's ``_op_add``, set when the module is made); otherwise a type error."""
    from .values import cp
    f = getattr(type(a), "_op_" + name, None)
    if f is None:
        g = getattr(type(a), f"_op_{name}_assign", None)  # only `impl AddAssign`
        if g is None:
            raise type_error(op, a, *b, unary=not b)
        c = cp(a)
        g(c, *(cp(x) for x in b))
        return c
    return f(cp(a), *(cp(x) for x in b))


def add(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a + b)
    if ta in _NUM and tb in _NUM:
        return a + b
    if ta is str and tb is not Arr and b is not None:
        return a + text(b)
    if tb is str and ta is not Arr and a is not None:
        return text(a) + b
    if ta is Arr and tb is Arr:  # `v + w` concatenates (LANGUAGE.md, as the reference)
        from .values import cp
        return Arr([x if type(x) in IMMUTABLE else cp(x) for x in a.d + b.d])
    return user_op("add", "+", a, b)


def sub(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a - b)
    if ta in _NUM and tb in _NUM:
        return a - b
    return user_op("sub", "-", a, b)


def mul(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return checked(a * b)
    if ta in _NUM and tb in _NUM:
        return a * b
    if (ta is str or ta is Char) and tb is int:  # "=" * 40 repeats (LANGUAGE.md Level 3)
        if b < 0:
            raise RuchyRuntimeError("negative repeat count")
        return str.__str__(a) * b
    return user_op("mul", "*", a, b)


def int_div(a: int, b: int) -> int:
    if b == 0:
        raise RuchyRuntimeError("division by zero")
    if a == INT_MIN and b == -1:
        raise RuchyRuntimeError("integer overflow")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def int_rem(a: int, b: int) -> int:
    if b == 0:
        raise RuchyRuntimeError("division by zero")
    if a == INT_MIN and b == -1:
        raise RuchyRuntimeError("integer overflow")
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


def float_div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a != a or a == 0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def div(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_div(a, b)
    if ta in _NUM and tb in _NUM:
        return float_div(float(a), float(b))
    return user_op("div", "/", a, b)


def rem(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_rem(a, b)
    if ta in _NUM and tb in _NUM:
        try:
            return math.fmod(a, b)
        except ValueError:
            return math.nan
    return user_op("rem", "%", a, b)


def int_pow(a: int, b: int) -> int:
    if b < 0:
        raise RuchyRuntimeError("negative exponent in integer power")
    if a in (0, 1) or b == 0:
        return 1 if b == 0 else a
    if a == -1:
        return 1 if b % 2 == 0 else -1
    if b >= 64:  # |a| >= 2 and b >= 64 always overflows; don't build a huge number
        raise RuchyRuntimeError("integer overflow")
    return checked(a ** b)


def float_pow(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf if a > 0 or float(b) % 2 == 0 else -math.inf
    except ValueError:
        return math.nan


def pow_(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return int_pow(a, b)
    if ta in _NUM and tb in _NUM:
        return float_pow(float(a), float(b))
    raise type_error("**", a, b)


def shl(a: Any, b: Any) -> Any:
    if type(a) is not int or type(b) is not int:
        raise type_error("<<", a, b)
    if not 0 <= b < 64:
        raise RuchyRuntimeError("integer overflow")
    r = (a << b) & 0xFFFF_FFFF_FFFF_FFFF
    return r - (1 << 64) if r > INT_MAX else r


def shr(a: Any, b: Any) -> Any:
    if type(a) is not int or type(b) is not int:
        raise type_error(">>", a, b)
    if not 0 <= b < 64:
        raise RuchyRuntimeError("integer overflow")
    return a >> b


def _bitwise(op: str, f: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def apply(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if (ta is int and tb is int) or (ta is bool and tb is bool):
            return f(a, b)
        # impl BitAnd/BitOr/BitXor of a user type; `&a | &b` of two sets (collections.py)
        return user_op(_BIT_TRAITS[op], op, a, b)
    apply.__name__ = f"bit_{op}"
    return apply


_BIT_TRAITS = {"&": "bitand", "|": "bitor", "^": "bitxor"}
band = _bitwise("&", lambda a, b: a & b)
bor = _bitwise("|", lambda a, b: a | b)
bxor = _bitwise("^", lambda a, b: a ^ b)


def neg(a: Any) -> Any:
    if type(a) is int:
        return checked(-a)
    if type(a) is float:
        return -a
    return user_op("neg", "-", a)


def not_(a: Any) -> Any:
    if type(a) is bool:
        return not a
    if type(a) is int:
        return ~a
    raise type_error("!", a, unary=True)


# ---- comparison ----------------------------------------------------------------

def _comparable(a: Any, b: Any) -> bool:
    ta, tb = type(a), type(b)
    return ta is tb or (ta in _NUM and tb in _NUM) or (ta in _TEXT and tb in _TEXT)


#: A string and a char compare as texts: the reference's chars are one-character
#: strings, so its ``s[i] >= 'a'`` compares two strings.
_TEXT = frozenset({str, Char})


def _same_shape(a: Any, b: Any) -> bool:
    """Two structs of one type, or two variants of one enum (Rust compares only those)."""
    if isinstance(a, Struct):
        return type(a) is type(b)
    return isinstance(a, Variant) and isinstance(b, Variant) and a._enum == b._enum


def eq(a: Any, b: Any) -> bool:
    """Structural ``==`` on any two values of one type (ints and floats compare values)."""
    ta, tb = type(a), type(b)
    if ta is Arr and tb is Arr:
        return len(a.d) == len(b.d) and all(eq(x, y) for x, y in zip(a.d, b.d))
    if ta is tuple and tb is tuple:
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b))
    if ta in _AGGREGATE or isinstance(a, (Struct, Variant)):
        if ta is not tb:
            if ta is Cell or tb is Cell:
                return eq(a.v if ta is Cell else a, b.v if tb is Cell else b)
            if _same_shape(a, b):
                return False
            raise type_error("==", a, b)
        return all(eq(getattr(a, f), getattr(b, f)) for f in ta._fields)
    if _comparable(a, b):
        return a == b
    if tb is Cell:
        return eq(a, b.v)
    raise type_error("==", a, b)


def ne(a: Any, b: Any) -> bool:
    try:
        return not eq(a, b)
    except RuchyRuntimeError:
        raise type_error("!=", a, b) from None


def _cmp_seq(op: str, xs: Any, ys: Any) -> int:
    """Lexicographic order (Rust's for slices, tuples and derived fields)."""
    for x, y in zip(xs, ys):
        c = cmp(op, x, y)
        if c:
            return c
    return (len(xs) > len(ys)) - (len(xs) < len(ys))


def cmp(op: str, a: Any, b: Any) -> int:
    """-1, 0 or 1; NaN compares as unordered (2: every ordering test is false). Tuples
    and arrays order lexicographically, structs field by field, enums by variant index
    then payload (Rust's derived order)."""
    ta, tb = type(a), type(b)
    if _comparable(a, b) and ta in _ORDERED:
        if a != a or b != b:
            return 2  # unordered
        return (a > b) - (a < b)
    if ta is Arr and tb is Arr:
        return _cmp_seq(op, a.d, b.d)
    if ta is tuple and tb is tuple:
        return _cmp_seq(op, a, b)
    if isinstance(a, (Struct, Variant)) and _same_shape(a, b):
        if ta._ucmp is not None:  # a user's `impl Ord` (or std::cmp::Reverse)
            return ta._ucmp(a, b)
        if ta is not tb:
            return -1 if ta._tag < tb._tag else 1
        return _cmp_seq(op, [getattr(a, f) for f in ta._fields],
                        [getattr(b, f) for f in ta._fields])
    if ta is Cell or tb is Cell:
        return cmp(op, a.v if ta is Cell else a, b.v if tb is Cell else b)
    if ta is tb and hasattr(ta, "_cmp"):  # BTreeSet, BTreeMap, VecDeque (collections.py)
        return a._cmp(b)
    raise type_error(op, a, b)


#: Types whose values Python itself orders as Ruchy does.
_ORDERED = frozenset({int, float, bool, str, Char})


def ordering(a: Any, b: Any) -> Variant:
    """``a.cmp(&b)``: Ordering::Less, Equal or Greater."""
    if type(a) is int and type(b) is int:  # (most sort_by closures: no NaN, no dispatch)
        return _ORDERINGS[(a > b) - (a < b)]
    c = cmp("cmp", a, b)
    if c == 2:
        raise RuchyRuntimeError("cmp of NaN (use partial_cmp)")
    return _ORDERINGS[c]


def partial_ordering(a: Any, b: Any) -> Variant:
    """``a.partial_cmp(&b)``: Some(ordering), None for NaN."""
    c = cmp("partial_cmp", a, b)
    return NONE if c == 2 else Some(_ORDERINGS[c])


_ORDERINGS = {-1: LESS, 0: EQUAL, 1: GREATER}


def _write_str(f: Any, s: Any) -> Variant:
    """``f.write_str(s)`` on a Display formatter."""
    if type(f) is not Formatter or type(s) is not str:
        raise RuchyRuntimeError(f"type error: no method 'write_str' on {kind(f)}")
    f.write(s)
    return Ok(None)


#: Methods every value has through its derived traits (registered in methods.METHODS).
DATA_METHODS: dict[str, Callable[..., Any]] = {
    "cmp": ordering, "partial_cmp": partial_ordering, "eq": eq, "ne": ne,
    "lt": lambda a, b: lt(a, b), "le": lambda a, b: le(a, b),
    "gt": lambda a, b: gt(a, b), "ge": lambda a, b: ge(a, b), "write_str": _write_str,
}


def hash_key(v: Any) -> Any:
    """A hashable Python value equal for equal Ruchy values (map keys, set elements)."""
    t = type(v)
    if t in _ORDERED or v is None:
        return v
    if t is Arr:
        return ("[", tuple(hash_key(x) for x in v.d))
    if t is tuple:
        return tuple(hash_key(x) for x in v)
    if isinstance(v, (Struct, Variant)):
        return (t._qual,) + tuple(hash_key(getattr(v, f)) for f in t._fields)
    return v


def lt(a: Any, b: Any) -> bool:
    return cmp("<", a, b) == -1


def le(a: Any, b: Any) -> bool:
    return cmp("<=", a, b) in (-1, 0)


def gt(a: Any, b: Any) -> bool:
    return cmp(">", a, b) == 1


def ge(a: Any, b: Any) -> bool:
    return cmp(">=", a, b) in (0, 1)


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add, "-": sub, "*": mul, "/": div, "%": rem, "**": pow_, "<<": shl, ">>": shr,
    "&": band, "|": bor, "^": bxor, "==": eq, "!=": ne, "<": lt, "<=": le, ">": gt, ">=": ge,
}
UNARY: dict[str, Callable[[Any], Any]] = {"-": neg, "!": not_}


def truth(v: Any) -> bool:
    """A condition's value: it must be a bool."""
    if type(v) is bool:
        return v
    raise RuchyRuntimeError(f"type error: expected bool in condition, found {kind(v)}")


# ---- casts -----------------------------------------------------------------------

def to_int(v: Any) -> int:
    """``v as i64``: floats truncate toward zero and saturate (NaN is 0), as in Rust."""
    t = type(v)
    if t is int:
        return v
    if t is bool:
        return int(v)
    if t is float:
        if v != v:
            return 0
        if v >= 9.223372036854775807e18:
            return INT_MAX
        if v <= -9.223372036854775808e18:
            return INT_MIN
        return int(v)
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to int")


def to_float(v: Any) -> float:
    """``v as f64``."""
    if type(v) in _NUM:
        return float(v)
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to float")


def to_bool(v: Any) -> bool:
    if type(v) is bool:
        return v
    raise RuchyRuntimeError(f"type error: cannot cast {kind(v)} to bool")


CASTS = {"int": to_int, "float": to_float, "bool": to_bool}


# ---- arrays ----------------------------------------------------------------------

def index(a: Any, i: Any) -> Any:
    """``a[i]`` (the element itself; a caller that stores it copies it)."""
    if type(a) is not Arr:
        at = getattr(type(a), "_index", None)  # m[&k], a VecDeque (runtime/collections.py)
        if at is not None:
            return at(a, i)
        if type(a) is str and type(i) is int:
            return _str_index(a, i)
        raise RuchyRuntimeError(f"type error: cannot index into {kind(a)}")
    if type(i) is not int:
        raise RuchyRuntimeError(f"type error: array index must be int, found {kind(i)}")
    if 0 <= i < len(a.d):
        return a.d[i]
    raise RuchyRuntimeError("index out of bounds")


def _str_index(s: str, i: int) -> str:
    """The reference's ``s[i]``: the ``i``-th character as a one-character string
    (its chars are strings), counted from the end when negative (paiml/ruchy's
    eval_index)."""
    j = i + len(s) if i < 0 else i
    if 0 <= j < len(s):
        return s[j]
    raise RuchyRuntimeError(f"index {i} out of bounds for string of length {len(s)}")


def set_index(a: Any, i: Any, v: Any) -> None:
    """``a[i] = v`` on the array object held by a place."""
    if type(a) is not Arr:
        put = getattr(type(a), "_set_index", None)  # a VecDeque (runtime/collections.py)
        if put is not None:
            return put(a, i, v)
        index(a, i)
        raise RuchyRuntimeError(f"cannot assign to an element of {kind(a)} by index")
    index(a, i)
    own(a).d[i] = v


def elem_mut(a: Any, i: Any) -> Arr:
    """The element ``a[i]`` made private for a write through it (``a[i][j] = v``)."""
    e = index(a, i)
    own(a)
    e = a.d[i]
    if type(e) is not Arr:
        raise RuchyRuntimeError(f"type error: cannot index into {kind(e)}")
    return own(e)


def repeat(v: Any, n: Any) -> Arr:
    """``[v; n]``."""
    if type(n) is not int:
        raise RuchyRuntimeError(f"type error: array length must be int, found {kind(n)}")
    if n < 0:
        raise RuchyRuntimeError("negative array length")
    if type(v) not in IMMUTABLE:
        from .values import cp
        return Arr([cp(v) for _ in range(n)])
    return Arr([v] * n)


def range_of(a: Any, b: Any, inclusive: bool) -> range:
    if type(a) is not int or type(b) is not int:
        raise RuchyRuntimeError(f"type error: range bounds must be int, found {kind(a)} and {kind(b)}")
    return range(a, b + 1 if inclusive else b)


def length(v: Any) -> int:
    if type(v) is Arr:
        return len(v.d)
    if type(v) is str:
        return len(v) if v.isascii() else len(v.encode("utf-8"))
    n = getattr(type(v), "_len", None)  # the collections (runtime/collections.py)
    if n is not None:
        return n(v)
    raise RuchyRuntimeError(f"type error: {kind(v)} has no length")


# ---- places of Level 3 values (tier 0's slow paths; see interp/places.py) -----------

def elem_w(a: Any, i: Any) -> Any:
    """``a[i]`` about to be written through (``a[i].x = v``, ``a[i].bump()``): ``a`` is
    made private first, so other holders of its storage keep the old element."""
    if type(a) is not Arr:
        at = getattr(type(a), "_elem_w", None)  # a VecDeque (runtime/collections.py)
        if at is not None:
            return at(a, i)
        index(a, i)
        raise RuchyRuntimeError(f"cannot change an element of {kind(a)} by index")
    index(a, i)
    return own(a).d[i]


def tuple_get(t: Any, i: int) -> Any:
    """``t.0`` of something that is not a tuple: a tuple struct or variant, or a ``&mut``
    cell holding a tuple."""
    if type(t) is Cell:
        return tuple_get(t.v, i)
    if type(t) is tuple:
        if i < len(t):
            return t[i]
    elif isinstance(t, (Struct, Variant)) and f"f_{i}" in type(t)._fields:
        return getattr(t, f"f_{i}")
    raise RuchyRuntimeError(f"no field '{i}' on type {kind(t)}")


def tuple_set(t: Any, i: int, v: Any) -> Any:
    """``t.i = v``: a new tuple for a tuple (the caller stores it back into the tuple's
    place); a tuple struct, or a cell holding a tuple, is changed in place and returned."""
    if type(t) is tuple:
        if i < len(t):
            return t[:i] + (v,) + t[i + 1:]
    elif type(t) is Cell:
        t.v = tuple_set(t.v, i, v)
        return t
    elif isinstance(t, (Struct, Variant)) and f"f_{i}" in type(t)._fields:
        setattr(t, f"f_{i}", v)
        return t
    raise RuchyRuntimeError(f"no field '{i}' on type {kind(t)}")


def mut_ref(v: Any) -> Any:
    """What ``&mut place`` passes: the object itself (an array, a struct with fields, a
    collection), else a :class:`Cell` that the caller stores back after the call. An
    enum value always goes in a Cell: ``*r = Other`` may change its variant, and so its
    class and fields (a unit variant is a shared instance besides)."""
    t = type(v)
    if t is Arr or t is Cell or (isinstance(v, Struct) and t._fields) \
            or t in COLLECTION_TYPES:
        return v
    return Cell(v)


def var_ref(v: Any) -> Any:
    """The receiver of a ``&mut self`` method of an enum: a Cell for an enum value (the
    method may replace it: ``*self = State::B``; the caller stores it back), else the
    value itself (already a Cell when the receiver is a ``&mut`` of the caller's)."""
    return Cell(v) if isinstance(v, Variant) else v


def deref_set(r: Any, v: Any) -> Any:
    """``*r = v``: through a cell, at the key of a collection's item (the IR's
    element_refs.KeyRef) or into the object ``r`` (the caller's value changes); returns
    what the local ``r`` holds afterwards."""
    t = type(r)
    if t is Cell:
        r.v = v
        return r
    if t is KeyRef:
        r.put(v)
        return r
    if t is Arr and type(v) is Arr:
        r.d, r.shared = v.d, v.shared
        return r
    if t in COLLECTION_TYPES and type(v) is t:  # *m = HashMap::new() through &mut
        r.assign(v)
        return r
    if isinstance(r, (Struct, Variant)) and t._fields:
        if type(v) is not t:
            if not (isinstance(v, Variant) and isinstance(r, Variant) and v._enum == r._enum
                    and v._fields == t._fields):
                raise RuchyRuntimeError(f"cannot assign {kind(v)} through a reference to "
                                        f"{kind(r)} here")
            r.__class__ = type(v)
        for f in t._fields:
            setattr(r, f, getattr(v, f))
        return r
    return v


def deref_rebind(r: Any, v: Any) -> Any:
    """``*r = v`` where ``r`` is a pattern's ``ref mut`` binding, which the matched place
    gets back when its scope is left (interp/bindings.write_back): as deref_set, but a
    value that cannot be written into ``r``'s object in place (``*r = None`` of a
    ``Some``) is what ``r`` holds from now on, for the write-back to store."""
    t = type(r)
    if isinstance(r, (Struct, Variant)) and t._fields and type(v) is not t:
        return v
    return deref_set(r, v)


def no_method(recv: Any, name: str) -> Any:
    raise RuchyRuntimeError(f"no method '{name}' on type {kind(recv)}")


def _kind_named(cls_name: str) -> str:
    """The Ruchy type name of the struct or variant class called ``cls_name`` (an error
    path: the classes are searched)."""
    todo = [Struct, Variant]
    while todo:
        c = todo.pop()
        if c.__name__ == cls_name and c not in (Struct, Variant):
            return c._enum if issubclass(c, Variant) else c._qual
        todo.extend(c.__subclasses__())
    return cls_name


def attribute_error(e: AttributeError) -> str:
    """The Ruchy message for a field or method that a value does not have."""
    name = getattr(e, "name", None) or ""
    obj = getattr(e, "obj", None)
    what = kind(obj) if obj is not None or name else "value"
    if not name:
        # an assignment (`p.z = 5`) raises without .name/.obj: Python names both only in
        # its text, "'P' object has no attribute 'f_z'" (a struct's class is named as it is)
        import re
        m = re.fullmatch(r"'([^']+)' object has no attribute '([^']+)'", str(e))
        if m:
            what, name = _kind_named(m.group(1)), m.group(2)
    if name.startswith("f_"):
        return f"no field '{name[2:]}' on type {what}"
    return f"no field or method '{name}' on type {what}"
