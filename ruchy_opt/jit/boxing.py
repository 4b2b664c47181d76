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

An array of tuples, structs or enums of scalars (codegen/ops_records.py) is copied in
as records, each element's scalars packed at the offsets of its LLVM struct
(typerules/values.leaf_offsets), and read back the same way. Structs and a program's
enums are tier 0's classes: the tiered runtime registers them (:func:`register_classes`)
so that values of them built by compiled code (an array's elements, a result) cross
back as instances of the program's own classes.

Guard keys: a scalar's key is its Python type; an array's is ``("arr", element key)``
with ``None`` for an empty array's unknown element (a key of its own), and
:data:`MIXED` when the elements do not have one type (not compilable); an array of
tuples, structs or enums has its elements' joined value type's name (value_key).
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
    t0 = next(iter(types))
    if t0 is tuple or getattr(t0, "_fields", None) is not None:
        return ("arr", _elements_key(d, types))  # records: (``_fields``: Level 3 classes)
    if len(types) != 1:
        return ("arr", MIXED)
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


def _elements_key(d: list, types: set) -> Any:
    """The key of the elements of an array of tuples, structs or enums: the name of
    their joined value type (an enum's variants filled in from every element), or
    MIXED when they have none or compiled code does not have it."""
    from ..typerules.rtypes import Conflict
    from ..typerules.values import compiled, join_values
    if any(t is not tuple and getattr(t, "_fields", None) is None for t in types):
        return MIXED
    joined: Any = None
    seen: set = set()
    for x in d:
        t = value_type(x)
        if t is None:
            return MIXED
        k = str(t)
        if k in seen:
            continue
        seen.add(k)
        try:
            joined = t if joined is None else join_values(joined, t)
        except Conflict:
            return MIXED
    if joined is None or not compiled(joined):
        return MIXED
    _VALUE_TYPES[str(joined)] = joined
    return str(joined)


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
    """The compiled type (typerules/values.py) of a runtime value; None: none. The
    classes of structs and enums met are registered (register_classes)."""
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
        if _STRUCTS.get(t._qual) is not t:
            _STRUCTS[t._qual] = t
        ps = [value_type(getattr(v, f)) for f in t._fields]
        if None in ps:
            return None
        return RecT(t._qual, [f[2:] for f in t._fields], ps, t._shape)
    if isinstance(v, Variant):
        base = next(c for c in t.__mro__ if c.__base__ is Variant)
        kind = {Option: "option", Result: "result", Ordering: "ordering"}.get(base, "named")
        if kind == "named" and base._enum not in _ENUMS:
            _register_enum(base)
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
    runtime classes are the runtime's own, and structs and a program's enums whose
    classes are registered (register_classes). Registers ``t`` for rtype."""
    from ..typerules.values import compiled
    if not compiled(t) or t in _LEAF_TYPES.values():
        return False
    if not buildable(t):
        return False
    _VALUE_TYPES[str(t)] = t
    return True


def buildable(t: Any) -> bool:
    """Whether values of the compiled type ``t`` can be made as tier 0's values here:
    scalars, tuples, Option, Result, Ordering, and the structs and enums whose classes
    are registered (with the same fields)."""
    from ..typerules.values import RecT, SumT
    from ..ir.types import TupleType
    if isinstance(t, TupleType):
        return all(buildable(p) for p in t.params)
    if isinstance(t, RecT):
        cls = _STRUCTS.get(t.name)
        return cls is not None and tuple(f[2:] for f in cls._fields) == t.names and \
            all(buildable(p) for p in t.types)
    if isinstance(t, SumT):
        if t.kind == "named":
            vs = _ENUMS.get(t.key_)
            if vs is None or [v[0] for v in t.variants] != list(vs):
                return False
        return all(buildable(p) for v in t.variants for p in (v[3] or ()))
    return t in _LEAF_TYPES.values() or t is None


# ---- the classes of a program's structs and enums -------------------------------------------

#: struct classes by qualified name; per enum (qualified name), each variant's class or,
#: for a unit variant, its single instance, in tag order
_STRUCTS: dict[str, type] = {}
_ENUMS: dict[str, dict[str, Any]] = {}


def register_classes(namespace: dict) -> None:
    """Register the struct and enum classes of a tier-0 module (its factory's names):
    values of them that compiled code makes cross back as their instances."""
    from ..runtime.aggregates import Struct, Variant
    for v in namespace.values():
        if isinstance(v, Variant) and not v._fields:  # a unit variant's one value
            _UNITS[type(v)] = v
    for v in namespace.values():
        if isinstance(v, type) and issubclass(v, Struct) and v is not Struct:
            _STRUCTS[v._qual] = v
        elif isinstance(v, type) and issubclass(v, Variant) and v.__base__ is Variant:
            _register_enum(v)


#: unit variants' values by class (tier 0 keeps one of each)
_UNITS: dict[type, Any] = {}


def _register_enum(base: type) -> None:
    """Register a program's enum from its class (the variants are its subclasses)."""
    out: dict[str, Any] = {}
    for c in sorted(base.__subclasses__(), key=lambda c: c._tag):
        out[c._name] = c if c._shape != "unit" else _UNITS.get(c) or c()
    _ENUMS[base._enum] = out


def read_value(raw: bytes, t: Any) -> Any:
    """The runtime value of type ``t`` (returnable) from its scalars, 8 bytes each in
    the order of value_leaves, as the entry stores them (exportgen.py)."""
    _load()
    slots = struct.unpack(f"<{len(raw) // 8}q", raw)
    leaves = [_from_slot(s, x) for s, x in zip(slots, leaf_types(t))]
    return build(iter(leaves), t)


def _from_slot(s: int, t: Any) -> Any:
    if t == "f64":
        return struct.unpack("<d", struct.pack("<q", s))[0]
    if t == "bool":
        return s != 0
    if t == "unit":
        return None
    return s


def build(leaves: Any, t: Any) -> Any:
    """The runtime value of type ``t`` (buildable) from an iterator over its scalars,
    already Python values, in the order of value_leaves."""
    from ..runtime.aggregates import _OPTION, _ORDERING, _RESULT
    from ..typerules.values import RecT, SumT
    from ..ir.types import TupleType
    if isinstance(t, TupleType):
        return tuple([build(leaves, p) for p in t.params])
    if isinstance(t, RecT):
        return _STRUCTS[t.name](*[build(leaves, p) for p in t.types])
    if isinstance(t, SumT):
        tag = next(leaves)
        classes = {"option": _OPTION, "result": _RESULT, "ordering": _ORDERING}.get(
            t.kind) or _ENUMS[t.key_]
        got = None
        for k, (name, shape, _, types) in enumerate(t.variants):
            if not types:
                if k == tag:
                    got = classes[name] if shape == "unit" else classes[name]()
                continue
            vals = [build(leaves, p) for p in types]
            if k == tag:
                got = classes[name](*vals)
        return got
    return next(leaves)


# ---- records: an array's elements in memory (typerules/values.layout) ---------------------------

_RECORD_CODES = {"i64": "q", "f64": "d", "bool": "?", "unit": "x", None: "q"}
_records: dict[str, Any] = {}


def record_struct(t: Any) -> Any:
    """The ``struct.Struct`` of a record of type ``t``: each scalar at its offset, the
    padding as pad bytes (unit scalars too: they are never read)."""
    _load()
    k = str(t)
    st = _records.get(k)
    if st is None:
        from ..typerules.values import layout, leaf_offsets
        fmt, at = "<", 0
        for off, x in leaf_offsets(t):
            fmt += "x" * (off - at) + _RECORD_CODES[x]
            at = off + (1 if x in ("bool", "unit") else 8)
        fmt += "x" * (max(layout(t)[0], 1) - at)
        st = _records[k] = struct.Struct(fmt)
    return st


def pack_records(d: list, t: Any) -> bytes:
    """The records of the values ``d`` of type ``t``, one after another."""
    st = record_struct(t)
    pack = st.pack
    units = [k for k, x in enumerate(leaf_types(t)) if x == "unit"]
    out = []
    for v in d:
        flat: list = []
        value_leaves(v, t, flat)
        for k in reversed(units):  # (no bytes: pad bytes in the format)
            del flat[k]
        out.append(pack(*flat))
    return b"".join(out)


def unpack_records(raw: bytes, t: Any) -> list:
    """The values of type ``t`` in ``raw``, records one after another."""
    st = record_struct(t)
    kinds = leaf_types(t)
    units = [k for k, x in enumerate(kinds) if x == "unit"]
    out = []
    for fields in st.iter_unpack(raw):
        leaves = list(fields)
        for k in units:
            leaves.insert(k, None)
        out.append(build(iter(leaves), t))
    return out


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
        from ..typerules.values import aggregate, layout
        d = a.d
        n = len(d)
        et = _elem(t)
        width = 1 if et == "bool" else 8
        if aggregate(et):
            raw = pack_records(d, et)
            width = max(layout(et)[0], 1)
        elif et == "bool":
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
    from ..typerules.values import aggregate
    if aggregate(et):
        return unpack_records(ctypes.string_at(data, record_struct(et).size * n), et)
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
           "value_type", "build", "buildable", "pack_records", "unpack_records",
           "record_struct", "register_classes",
           "Boxes", "read_list", "copy_back", "result_array", "read_string"]
