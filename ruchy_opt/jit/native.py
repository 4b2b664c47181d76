"""Compiling one function specialisation (and everything it calls) to machine code that
Python calls through ctypes: the tiered runtime's bridge to the LLVM tiers.

The whole-program compiler (codegen/compiler.py) starts at ``@ruchy.start``; here the
start is any function with argument types the interpreter observed, and the module gets
one exported function, :data:`EXPORT`::

    EXPORT(i64 depth, args...) = { r = call @r.<entry>(depth, args...); rt_flush(); r }

``depth`` is the caller's Ruchy call depth, so a recursion that started in the
interpreter overflows at the same depth as everywhere else; ``rt_flush`` writes what the
compiled code printed before Python prints again. Scalars and strings cross the
boundary (int, float, bool as an ``i8``, unit as nothing, a string as a pointer to the
runtime's ``[i64 length][UTF-8 bytes][NUL]``, built from the Python string for the call
and read back from a result), and so do arrays, copied in and out by boxing.py.

Machine code is produced as an object file, so that the code cache (cache.py) can keep
exactly what runs; an engine is built from the object file whether it was just compiled
or read from the cache.
"""
from __future__ import annotations

import ctypes
import os
import struct
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional, Sequence

from ..errors import SourceFile
from ..ir.core import Module
from ..ir.printer import print_function
from .errors import CannotCompile  # noqa: F401  (raised here; importers find it here)
from .log import article as _a

EXPORT = "ruchy_jit_entry"
#: Tier-1 code's second export: the address of its heat counters (exportgen.py makes it;
#: named here too so that loading a cached shared object imports no llvmlite).
HEAT = "ruchy_jit_heat"
#: The REPL's code's third export: the address of its stop flag (exportgen.py ``poll``).
STOP = "ruchy_jit_stop"
#: Argument and result types that can cross between Python and compiled code.
SCALAR_CTYPES = {"i64": ctypes.c_int64, "f64": ctypes.c_double, "bool": ctypes.c_int8,
                 "str": ctypes.c_void_p}


@dataclass
class Typed:
    """A specialisation typed from its entry, before code generation: what the cache
    key and the compile both need."""

    prog: Any                      # codegen.infer.Program
    entry: str
    sig: tuple[str, ...]
    ret: str                       # "i64", "f64", "bool", "unit" or "never"
    callees: list[str]             # names of the IR functions it reaches (entry first)


@dataclass
class NativeFunction:
    """Machine code for one specialisation, callable from Python."""

    entry: str
    sig: tuple[str, ...]
    ret: str
    tier: int
    call: Callable[..., Any]        # (depth, *args) -> result, converted both ways
    engine: Any                     # keeps the machine code alive
    seconds: float                  # compile (or cache load) time
    cached: bool
    #: tier-1 code's heat counters, [calls, loop back edges] (exportgen.HEAT), counted
    #: by the code itself (a ctypes array over its memory); None at tier 2
    heat: Any = None
    #: the stop flag its functions poll (a ctypes int over it: 1 stops the code, which
    #: then calls exit(130)); None unless compiled with polls (the REPL's code)
    stop: Any = None


def type_specialisation(module: Module, entry: str, sig: Sequence[str]) -> Typed:
    """Whole-program types from ``entry`` called with argument types ``sig`` (scalar
    names, or array type names such as ``arr[i64]``, ``arr[?]`` for an empty array);
    raises CannotCompile with the first reason."""
    from ..codegen.infer import explain, infer_program
    from ..typerules.rtypes import key as type_key
    from .boxing import is_array, is_value, rtype
    for t in sig:
        if t not in SCALAR_CTYPES and not is_array(t) and not is_value(t):
            raise CannotCompile(f"{_a(_word(t))} argument (only int, float, bool, string "
                                "and array values cross into compiled code)")
    prog = infer_program(module, entry, [rtype(t) for t in sig])
    if prog.entry is None:
        raise CannotCompile(f"no function @{entry} taking {len(sig)} arguments")
    if not prog.ok:
        reasons = explain(prog)
        raise CannotCompile(reasons[0] if reasons else "types did not settle")
    for s in prog.reachable:
        for instr in s.func.instructions():
            if instr.opname == "load_global":
                g = module.globals.get(str(instr.imms[0]))
                if g is None or type(g.init) not in (int, float, bool):
                    raise CannotCompile(f"@{s.func.name} reads the global {instr.imms[0]}, "
                                        "which has no scalar value yet")
    from .boxing import buildable
    from ..typerules.rtypes import ArrT, describe
    from ..typerules.values import aggregate
    for t in (*prog.entry.params, prog.entry.ret):  # arrays of records copied back out
        elem = t
        while isinstance(elem, ArrT):
            elem = elem.elem
        if elem is not t and aggregate(elem) and not buildable(elem):
            raise CannotCompile(f"an array of {describe(elem)} would cross back into the "
                                "interpreter, which has no class for it here")
    ret = prog.entry.ret
    if ret is None:
        ret = "never"
    else:
        ret = type_key(ret)
        from .boxing import returnable
        if returnable(prog.entry.ret):  # a tuple, Option or Result of scalars
            ret = str(prog.entry.ret)
        elif ret not in ("i64", "f64", "bool", "unit", "str") and not is_array(ret):
            from ..typerules.rtypes import describe, level3
            what = describe(prog.entry.ret) if level3(prog.entry.ret) else _a(_word(ret))
            raise CannotCompile(f"it returns {what} (only int, float, bool, "
                                "string and array values cross back into the interpreter)")
    return Typed(prog, entry, tuple(sig), ret, [s.func.name for s in prog.reachable])


def _word(t: Any) -> str:
    if not isinstance(t, str) or t.startswith("arr"):
        return "array"
    return {"str": "string", "i64": "int", "f64": "float"}.get(t, t)


def ir_fingerprint(typed: Typed, src: Optional[SourceFile]) -> str:
    """The text the cache key hashes for the code: every reachable function's IR (with
    its source positions) and the source lines those positions name (diagnostics print
    them), the globals' values, and the argument types."""
    module = typed.prog.module
    parts = [repr((typed.entry, typed.sig, module.source))]
    lines: set[int] = set()
    seen: set[str] = set()
    for name in typed.callees:
        if name in seen:
            continue
        seen.add(name)
        f = module.functions[name]
        parts.append(print_function(f))
        for instr in f.instructions():
            if instr.span.line:
                lines.update(range(instr.span.line, instr.span.end_line + 1))
    parts.append(repr(sorted((n, repr(g.init)) for n, g in module.globals.items())))
    if src is not None:
        parts.extend(f"{n}:{src.line(n)}" for n in sorted(lines))
    return "\n".join(parts)


def compile_object(typed: Typed, src: SourceFile, tier: int, poll: bool = False,
                   pipeline: Optional[str] = None,
                   notes: Optional[list[str]] = None) -> tuple[bytes, Callable[[], bytes]]:
    """Generate, optimise and assemble the specialisation: the object file for MCJIT,
    and a function that assembles the position-independent one for a shared object (see
    link_library). That second object is needed only for the disk cache's shared
    object: a run without a disk cache never makes it. (It is made on this thread, not
    the link thread: a runtime error in compiled code ends the process with C ``exit``,
    which must not find another thread inside LLVM.) ``poll``: code that
    can be stopped (exportgen.py); ``pipeline``: tier 2's ruchy pipeline instead of
    ``default<O2>`` (``notes`` receives why it was not used, if it could not be)."""
    from .timing import phase  # the profiler's timers (no-ops otherwise)
    prog = typed.prog
    if tier >= 2:
        with phase("ruchy passes"):
            from .optimise import optimise_function
            prog = optimise_function(prog, typed.sig, pipeline, notes)
    with phase("LLVM IR"):
        from ..codegen import engine
        from .exportgen import generate_export
        # tier 1 counts its heat; tier 2 unrolls small recursions (codegen/module.py)
        llmod = generate_export(prog, src, EXPORT, count=tier < 2, twins=tier >= 2,
                                poll=poll)
        ref = engine.parse(str(llmod), src.name)
    with phase("LLVM passes"):
        tm = engine.target_machine(jit=True)
        ref.triple = tm.triple
        ref.data_layout = str(tm.target_data)
        lo, level = engine.tier_options(tier)  # tier 1: a short pipeline, fast isel
        engine.optimize(ref, tm, lo)
    with phase("machine code"):
        obj = engine.target_machine(opt=level, jit=True).emit_object(ref)
    return obj, lambda: engine.target_machine(opt=level, jit=False).emit_object(ref)


def _ctype(t: str) -> Any:
    return ctypes.c_void_p if t.startswith("arr[") else SCALAR_CTYPES[t]


def _ctypes(t: str) -> list:
    """The C types an entry takes for an argument of type ``t``: one, or a tuple's,
    struct's or enum's scalars one by one (boxing.value_leaves; exportgen.py)."""
    from .boxing import is_value, leaf_types, rtype
    if not is_value(t):
        return [_ctype(t)]
    return [_LEAF_CTYPES[x] for x in leaf_types(rtype(t))]


_LEAF_CTYPES = {"i64": ctypes.c_int64, "f64": ctypes.c_double, "bool": ctypes.c_int8,
                "unit": ctypes.c_int8}


def _native(address: int, typed: Typed, tier: int, seconds: float, cached: bool,
            keep: Any, heat_fn: Optional[int] = None,
            stop_fn: Optional[int] = None) -> NativeFunction:
    from .boxing import is_value
    out = [ctypes.c_void_p] if is_value(typed.ret) else []  # (where a value's scalars go)
    restype = None if typed.ret in ("unit", "never") or out else _ctype(typed.ret)
    proto = ctypes.CFUNCTYPE(restype, ctypes.c_int64,
                             *[c for t in typed.sig for c in _ctypes(t)], *out)
    heat = stop = None
    if tier < 2:
        if not heat_fn:
            raise CannotCompile("tier-1 code without its heat counters (corrupt cache "
                                "entry?)")
        where = ctypes.CFUNCTYPE(ctypes.c_void_p)(heat_fn)()
        heat = (ctypes.c_int64 * 2).from_address(where)
    if stop_fn:
        stop = ctypes.c_int32.from_address(ctypes.CFUNCTYPE(ctypes.c_void_p)(stop_fn)())
    return NativeFunction(typed.entry, typed.sig, typed.ret, tier,
                          _converting(proto(address), typed), keep, seconds, cached, heat,
                          stop)


def load_object(obj: bytes, typed: Typed, tier: int, seconds: float,
                cached: bool) -> NativeFunction:
    """An MCJIT engine running ``obj``, and a callable for its export."""
    from ..codegen.engine import JIT
    t0 = time.perf_counter()
    jit = JIT.from_object(obj)
    address = jit.address(EXPORT)
    if not address:
        raise CannotCompile("the object file has no entry (corrupt cache entry?)")
    return _native(address, typed, tier, seconds + time.perf_counter() - t0, cached, jit,
                   jit.address(HEAT) if tier < 2 else None, jit.address(STOP) or None)


def load_library(path: str, typed: Typed, tier: int, seconds: float) -> NativeFunction:
    """Load a shared object made by link_library, from a path of cachefile.loadable
    (released once loaded: the mapping stays); raises OSError or AttributeError when it
    is not one."""
    t0 = time.perf_counter()
    heat_fn = None
    try:
        lib = ctypes.CDLL(path)
        address = ctypes.cast(getattr(lib, EXPORT), ctypes.c_void_p).value
        if tier < 2:
            heat_fn = ctypes.cast(getattr(lib, HEAT), ctypes.c_void_p).value
        stop = getattr(lib, STOP, None)  # (only the REPL's code has it)
        stop_fn = ctypes.cast(stop, ctypes.c_void_p).value if stop is not None else None
    finally:
        from ..codegen.cachefile import release
        release(path)
    if not address:
        raise AttributeError(EXPORT)
    return _native(address, typed, tier, seconds + time.perf_counter() - t0, True, lib,
                   heat_fn, stop_fn)


def link_library(pic: bytes, runtime_pic: bytes) -> Optional[bytes]:
    """The specialisation and the runtime linked into a shared object by the system C
    compiler (as the program cache links whole programs), or None (no compiler, or it
    failed). Runs no LLVM, so it may run on another thread."""
    from ..codegen.linker import link_shared
    return link_shared([pic, runtime_pic])


def _converting(raw: Callable[..., Any], typed: Typed) -> Callable[..., Any]:
    """``raw`` with Python values converted in and out (itself when nothing needs it).
    Arrays are copied in (boxing.py), copied back out into the caller's Arr objects
    after the call (a ``&mut`` argument's writes; for a by-value argument the object is
    the callee's own copy, so this is harmless), a result is copied out, and what was
    copied in is freed."""
    sig, ret = typed.sig, typed.ret
    from .boxing import is_value
    if any(is_value(t) for t in sig) or is_value(ret):  # tuples, structs, enums: passed
        raw = _flattening(raw, typed)                   # and returned as their scalars
        ret = "unit"  # (for what follows: _flattening converted the result)
    strs = [i for i, t in enumerate(sig) if t == "str"]
    arrs = [i for i, t in enumerate(sig) if t.startswith("arr[")]
    ret_arr = ret.startswith("arr[")
    if not strs and not arrs and ret not in ("bool", "str") and not ret_arr:
        return raw
    # The entry's parameter and result types after inference (an empty array's element
    # type may be known now): what copying out reads.
    ptypes = list(typed.prog.entry.params)
    rtype_ = typed.prog.entry.ret

    def call(depth: int, *args: Any, copy_back: bool = True) -> Any:
        from .boxing import Boxes, copy_back as back, read_list
        from ..runtime.values import Arr
        args_l = list(args)
        keep = []  # the buffers must outlive the call (and the read of a result)
        for i in strs:
            data = args_l[i].encode("utf-8", "surrogatepass")
            buf = ctypes.create_string_buffer(struct.pack("<q", len(data)) + data,
                                              len(data) + 9)
            keep.append(buf)
            args_l[i] = ctypes.addressof(buf)
        boxes = Boxes() if arrs or ret_arr else None
        for i in arrs:
            args_l[i] = boxes.array(args[i], ptypes[i])
        r = raw(depth, *args_l)
        if ret == "bool":
            r = bool(r)
        elif ret == "str":
            n = ctypes.c_int64.from_address(r).value
            r = ctypes.string_at(r + 8, n).decode("utf-8", "surrogatepass")
        elif ret_arr:
            r = Arr(read_list(r, rtype_))
        if boxes is not None:
            if copy_back:
                for i in arrs:
                    back(args[i], args_l[i], ptypes[i])
            boxes.free()
        return r
    return call


def _flattening(raw: Callable[..., Any], typed: Typed) -> Callable[..., Any]:
    """``raw`` taking each tuple, struct or enum argument as its scalars (in the order of
    its LLVM struct's members, which the entry rebuilds it from: exportgen.py); the
    other arguments pass as they are (``_converting`` converts them after this)."""
    from .boxing import is_value, leaf_types, read_value, rtype, value_leaves
    types = [rtype(t) if is_value(t) else None for t in typed.sig]
    rt = rtype(typed.ret) if is_value(typed.ret) else None
    n = len(leaf_types(rt)) if rt is not None else 0

    def call(depth: int, *args: Any, copy_back: bool = True) -> Any:
        flat: list = []  # (copy_back: _converting's, for arrays; values are copies)
        for v, t in zip(args, types):
            if t is None:
                flat.append(v)
            else:
                value_leaves(v, t, flat)
        if rt is None:
            return raw(depth, *flat)
        buf = (ctypes.c_int64 * max(n, 1))()
        raw(depth, *flat, ctypes.addressof(buf))
        return read_value(bytes(buf), rt)
    return call
