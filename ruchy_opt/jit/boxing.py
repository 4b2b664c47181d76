"""Arrays across the boundary between the interpreter and compiled code.

An interpreter array (:class:`~ruchy_opt.runtime.values.Arr`) is copied *in* to the
runtime's array record (``[i64 len][i64 cap][ptr data][i64 shared]``, see
codegen/rt/arrays.ll) for a call, recursively for nested arrays; slots are 8 bytes
(an int, a float's bits, a string's or an inner array's pointer) except a bool's, which
is one byte. Every block is allocated with the C library's ``malloc``, the allocator the
runtime itself uses (``rt_alloc``, ``rt_grow`` = ``realloc``, ``rt_arr_free``), so
compiled code may grow or free what it received. A result, and an argument after the
call (``&mut``: the caller must see the writes), are copied *out* from the record, with
the element types whole-program inference gave the entry.

After the call everything copied in is freed: the records, their data when it is still
private (``shared == 0``; shared data may also be held by a record the compiled code
made, and is left, a leak bounded by what was copied in), and the strings.

Guard keys: a scalar's key is its Python type; an array's is ``("arr", element key)``
with ``None`` for an empty array's unknown element (a key of its own), and
:data:`MIXED` when the elements do not have one type (not compilable).
"""
from __future__ import annotations

from typing import Any, Optional

from ..runtime.values import Arr

MIXED = "mixed"
_SCALAR_SIG = {int: "i64", float: "f64", bool: "bool", str: "str"}

# ctypes, the C library and the inference types are loaded on the first copy (guard
# keys are computed at every call of a generic function; start-up must not pay them).
ctypes: Any = None
struct: Any = None
array: Any = None
ArrT: Any = None
Cell: Any = None
_malloc: Any = None
_free: Any = None


def _load() -> None:
    global ctypes, struct, array, ArrT, Cell, _malloc, _free
    if _malloc is not None:
        return
    import ctypes as c
    import struct as st
    from array import array as ar
    struct, array = st, ar
    from ..typerules.rtypes import ArrT as A, Cell as C
    libc = c.CDLL(None)
    m, f = libc.malloc, libc.free
    m.restype, m.argtypes = c.c_void_p, [c.c_size_t]
    f.restype, f.argtypes = None, [c.c_void_p]
    ctypes, ArrT, Cell, _malloc, _free = c, A, C, m, f


def vkey(v: Any) -> Any:
    """The guard key of one value (see the module docstring)."""
    t = type(v)
    if t is not Arr:
        if t is tuple or getattr(t, "_fields", None) is not None:
            return value_key(v)
        return t
    d = v.d
    if not d:
        return ("arr", None)
    types = set(map(type, d))
    if len(types) != 1:
        return ("arr", MIXED)
    t0 = next(iter(types))
    if t0 is not Arr:
        return ("arr", t0)
    inner: Any = None
    for x in d:
        k = vkey(x)
        if k == MIXED or (isinstance(k, tuple) and _has_mixed(k)):
            return ("arr", MIXED)
        inner = _join(inner, k)
        if inner == MIXED:
            return ("arr", MIXED)
    return ("arr", inner)


def _has_mixed(k: Any) -> bool:
    while isinstance(k, tuple):
        k = k[1]
    return k == MIXED


def _join(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, tuple) and isinstance(b, tuple):
        inner = _join(a[1], b[1])
        return MIXED if inner == MIXED else ("arr", inner)
    return a if a == b else MIXED


def args_key(args: tuple) -> tuple:
    """The guard key of an argument tuple (plain types when no array is among them)."""
    k = tuple([type(a) for a in args])
    if Arr in k:
        k = tuple([vkey(a) for a in args])
    return k


def compilable(k: Any) -> bool:
    if isinstance(k, tuple):
        return k[1] is None or compilable(k[1])
    if isinstance(k, str):  # a tuple, struct or enum of scalars (value_key), not MIXED
        return k in _VALUE_TYPES
    return k in _SCALAR_SIG


def sig_of(k: Any) -> str:
    """The type name (``typerules.rtypes.key``) of a guard key."""
    if k is None:
        return "?"
    if isinstance(k, tuple):
        return f"arr[{sig_of(k[1])}]"
    if isinstance(k, str):
        return k
    return _SCALAR_SIG[k]


def rtype(sig: str) -> Any:
    """The inference type of a type name: a scalar name, a fresh ArrT, or the Level 3
    value type a guard key named (value_key)."""
    _load()
    if sig == "?":
        return None
    if sig.startswith("arr[") and sig.endswith("]"):
        inner = rtype(sig[4:-1])
        return ArrT(Cell(inner))
    return _VALUE_TYPES.get(sig, sig)


def is_value(sig: str) -> bool:
    """Whether a type name is a Level 3 value type's (value_key)."""
    return sig in _VALUE_TYPES


# ---- tuples, structs and enums of scalars (typerules/values.py) ----------------------------

#: the Level 3 value types guard keys named in this process, by name
_VALUE_TYPES: dict[str, Any] = {}
_LEAF_TYPES = {int: "i64", float: "f64", bool: "bool", type(None): "unit"}


def value_key(v: Any) -> Any:
    """The guard key of a tuple, struct or enum value: the name of its type (a string,
    registered for rtype) when compiled code has it, else its Python type (not
    compilable). A variant's type has only its own variant's payload known."""
    t = value_type(v)
    if t is None:
        return type(v)
    from ..typerules.values import compiled
    if not compiled(t):
        return type(v)
    _VALUE_TYPES[str(t)] = t
    return str(t)


def value_type(v: Any) -> Any:
    """The compiled type (typerules/values.py) of a runtime value; None: none."""
    from ..runtime.aggregates import Option, Ordering, Result, Struct, Variant
    from ..typerules.values import RecT, SumT
    from ..ir.types import TupleType
    t = type(v)
    leaf = _LEAF_TYPES.get(t)
    if leaf is not None:
        return leaf
    if t is tuple:
        ps = [value_type(x) for x in v]
        return None if None in ps else TupleType(*ps)
    if isinstance(v, Struct):
        ps = [value_type(getattr(v, f)) for f in t._fields]
        if None in ps:
            return None
        return RecT(t._qual, [f[2:] for f in t._fields], ps, t._shape)
    if isinstance(v, Variant):
        base = next(c for c in t.__mro__ if c.__base__ is Variant)
        kind = {Option: "option", Result: "result", Ordering: "ordering"}.get(base, "named")
        out = []
        for c in sorted(base.__subclasses__(), key=lambda c: c._tag):
            names = tuple(f[2:] for f in c._fields)
            if c is t:
                types = tuple(value_type(getattr(v, f)) for f in t._fields)
                if None in types:
                    return None
            else:
                types = () if not names else None
            out.append((c._name, c._shape, names, types))
        return SumT(kind if kind != "named" else base._enum, kind, out)
    return None


def value_leaves(v: Any, t: Any, out: list) -> None:
    """Append the scalars of value ``v`` of compiled type ``t`` in the order of its LLVM
    struct's members (codegen/lltypes.members): what an entry takes (exportgen.py)."""
    from ..typerules.values import RecT, SumT
    from ..ir.types import TupleType
    if isinstance(t, TupleType):
        for x, p in zip(v, t.params):
            value_leaves(x, p, out)
    elif isinstance(t, RecT):
        for name, p in zip(t.names, t.types):
            value_leaves(getattr(v, "f_" + name), p, out)
    elif isinstance(t, SumT):
        tag = type(v)._tag
        out.append(tag)
        for k, (_, _, names, types) in enumerate(t.variants):
            if not types:
                continue
            if k == tag:
                for name, p in zip(names, types):
                    value_leaves(getattr(v, "f_" + name), p, out)
            else:
                out.extend(_zero(x) for p in types for x in leaf_types(p))
    else:
        out.append(0 if v is None else v)


def leaf_types(t: Any) -> list:
    """The scalar types of a compiled type's LLVM members, flattened, in order."""
    from ..codegen.lltypes import members
    from ..typerules.values import aggregate
    if not aggregate(t):
        return [t]
    return [x for m in members(t) for x in leaf_types(m)]


def returnable(t: Any) -> bool:
    """Whether a compiled function's result of type ``t`` crosses back into the
    interpreter: a tuple, Option or Result of scalars (and of such values), whose
    runtime classes are the runtime's own; a struct's or a program's enum's are tier
    0's, which compiled code does not know. Registers ``t`` for rtype."""
    from ..typerules.values import RecT, SumT, compiled
    from ..ir.types import TupleType
    if not compiled(t) or t in _LEAF_TYPES.values():
        return False

    def ok(x: Any) -> bool:
        if isinstance(x, TupleType):
            return all(ok(p) for p in x.params)
        if isinstance(x, SumT):
            return x.kind in ("option", "result") and all(
                ok(p) for v in x.variants for p in (v[3] or ()))
        return not isinstance(x, RecT)
    if not ok(t):
        return False
    _VALUE_TYPES[str(t)] = t
    return True


def read_value(raw: bytes, t: Any) -> Any:
    """The runtime value of type ``t`` (returnable) from its scalars, 8 bytes each in
    the order of value_leaves, as the entry stores them (exportgen.py)."""
    _load()
    slots = iter(struct.unpack(f"<{len(raw) // 8}q", raw))
    return _read(slots, t)


def _read(slots: Any, t: Any) -> Any:
    from ..runtime.aggregates import _OPTION, _RESULT
    from ..typerules.values import SumT
    from ..ir.types import TupleType
    if isinstance(t, TupleType):
        return tuple([_read(slots, p) for p in t.params])
    if isinstance(t, SumT):
        tag = next(slots)
        classes = _OPTION if t.kind == "option" else _RESULT
        got = None
        for k, (name, _, _, types) in enumerate(t.variants):
            if not types:
                if k == tag:
                    got = classes[name]  # a unit variant's single value
                continue
            vals = [_read(slots, p) for p in types]
            if k == tag:
                got = classes[name](*vals)
        return got
    s = next(slots)
    if t == "f64":
        return struct.unpack("<d", struct.pack("<q", s))[0]
    if t == "bool":
        return s != 0
    if t == "unit":
        return None
    return s


def _zero(t: str) -> Any:
    return 0.0 if t == "f64" else 0


def is_array(sig: str) -> bool:
    return sig.startswith("arr[")


def _elem(t: Any) -> Any:
    return t.elem if isinstance(t, ArrT) else None


class Boxes:
    """The blocks copied in for one call, freed together by :meth:`free`."""

    __slots__ = ("records", "strings")

    def __init__(self) -> None:
        _load()
        self.records: list[int] = []
        self.strings: list[int] = []

    def string(self, s: str) -> int:
        data = s.encode("utf-8", "surrogatepass")
        p = _malloc(len(data) + 9)
        if not p:
            raise MemoryError
        buf = struct.pack("<q", len(data)) + data + b"\0"
        ctypes.memmove(p, buf, len(buf))
        self.strings.append(p)
        return p

    def array(self, a: Arr, t: Any) -> int:
        """A runtime record holding a copy of ``a`` whose type is ``t`` (an ArrT)."""
        d = a.d
        n = len(d)
        et = _elem(t)
        if et == "bool":
            raw = bytes(d)
        elif et == "i64":
            raw = array("q", d).tobytes()
        elif et == "f64":
            raw = array("d", d).tobytes()
        elif et == "str":
            raw = array("Q", [self.string(x) for x in d]).tobytes()
        elif isinstance(et, ArrT):
            raw = array("Q", [self.array(x, et) for x in d]).tobytes()
        else:  # unknown element type: the array is empty
            raw = b""
        cap = max(n, 4)
        width = 1 if et == "bool" else 8
        data = _malloc(cap * width)
        rec = _malloc(32)
        if not data or not rec:
            raise MemoryError
        if raw:
            ctypes.memmove(data, raw, len(raw))
        ctypes.memmove(rec, struct.pack("<qqQq", n, cap, data, 0), 32)
        self.records.append(rec)
        return rec

    def free(self) -> None:
        datas = set()
        for rec in self.records:
            n, cap, data, shared = struct.unpack("<qqQq", ctypes.string_at(rec, 32))
            if shared == 0 and data:
                datas.add(data)
        for p in datas:
            _free(p)
        for rec in self.records:
            _free(rec)
        for p in self.strings:
            _free(p)
        self.records.clear()
        self.strings.clear()


def read_string(p: int) -> str:
    n = ctypes.c_int64.from_address(p).value
    return ctypes.string_at(p + 8, n).decode("utf-8", "surrogatepass")


def read_list(p: int, t: Any) -> list:
    """The elements of the runtime array record at ``p`` of type ``t`` as Python values
    (nested arrays as fresh Arr objects)."""
    _load()
    n, _cap, data = struct.unpack("<qqQ", ctypes.string_at(p, 24))
    if n == 0:
        return []
    et = _elem(t)
    if et == "bool":
        return [b != 0 for b in ctypes.string_at(data, n)]
    raw = ctypes.string_at(data, 8 * n)
    if et == "i64":
        return array("q", raw).tolist()
    if et == "f64":
        return array("d", raw).tolist()
    ptrs = array("Q", raw).tolist()
    if et == "str":
        return [read_string(q) for q in ptrs]
    if isinstance(et, ArrT):
        return [Arr(read_list(q, et)) for q in ptrs]
    if et == "unit":
        return [None] * n
    raise TypeError(f"cannot read an array of {et!r}")


def copy_back(a: Arr, p: int, t: Any) -> None:
    """Copy the record at ``p`` back into the interpreter's array object ``a`` (a new
    list: another Arr may share the old one)."""
    a.d = read_list(p, t)
    a.shared = False


def result_array(p: int, t: Any) -> Optional[Arr]:
    return Arr(read_list(p, t))


__all__ = ["MIXED", "vkey", "args_key", "compilable", "sig_of", "rtype", "is_array",
           "is_value", "leaf_types", "read_value", "returnable", "value_key", "value_leaves",
           "value_type",
           "Boxes", "read_list", "copy_back", "result_array", "read_string"]
