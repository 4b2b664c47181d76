"""The runtime library of compiled code, written in LLVM IR (``rt/*.ll``) so that it is
built with llvmlite alone: no C compiler is needed to JIT a program.

The pieces: ``core`` (the text buffer, output, runtime errors, the big-stack entry of
native executables), ``fmt`` (display/debug/text forms, format specs), ``arrays``
(copy-on-write arrays), ``strings`` and ``math``. :data:`SIGNATURES` is the ABI that
generated code calls; :func:`runtime_module` parses and links the pieces.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache

_RT_DIR = os.path.join(os.path.dirname(__file__), "rt")
PIECES = ("core", "fmt", "arrays", "strings", "math")

#: Runtime functions generated code may call: name -> (return type, parameter types),
#: spelled in LLVM IR. ``noreturn`` ones are marked by a leading ``!`` on the name.
SIGNATURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "rt_buf_bytes": ("void", ("ptr", "i64")),
    "rt_buf_cstr": ("void", ("ptr",)),
    "rt_buf_take": ("ptr", ()),
    "rt_buf_mark": ("i64", ()),
    "rt_buf_print": ("void", ()),
    "rt_buf_eprint": ("void", ()),
    "rt_print": ("void", ("ptr",)),
    "rt_eprint": ("void", ("ptr",)),
    "rt_flush": ("void", ()),
    "!rt_fail_c": ("void", ("ptr",)),
    "!rt_fail_buf": ("void", ("ptr", "ptr")),
    "rt_run_big_stack": ("i32", ("ptr",)),
    "rt_buf_i64": ("void", ("i64",)),
    "rt_buf_f64": ("void", ("double",)),
    "rt_buf_f64_text": ("void", ("double",)),
    "rt_buf_f64_prec": ("void", ("double", "i64")),
    "rt_buf_bool": ("void", ("i1",)),
    "rt_buf_unit": ("void", ()),
    "rt_buf_str": ("void", ("ptr",)),
    "rt_buf_str_debug": ("void", ("ptr",)),
    "rt_buf_str_prec": ("void", ("ptr", "i64")),
    "rt_buf_arr": ("void", ("ptr", "i64")),
    "rt_buf_pad": ("void", ("i64", "i64", "ptr", "i64", "i1", "i1", "i1")),
    "rt_buf_radix": ("void", ("i64", "i64", "i1")),
    "rt_arr_new": ("ptr", ("i64", "i64")),
    "rt_arr_cp": ("ptr", ("ptr",)),
    "rt_arr_free": ("void", ("ptr",)),
    "rt_arr_own": ("void", ("ptr", "i64")),
    "rt_arr_push": ("void", ("ptr", "i64", "i64")),
    "rt_arr_pop": ("i64", ("ptr", "i64")),
    "rt_arr_insert": ("void", ("ptr", "i64", "i64", "i64")),
    "rt_arr_remove": ("i64", ("ptr", "i64", "i64")),
    "rt_arr_reverse": ("void", ("ptr", "i64")),
    "rt_arr_room": ("void", ("ptr", "i64")),
    "rt_arr_open": ("void", ("ptr", "i64", "i64")),
    "rt_arr_close": ("void", ("ptr", "i64", "i64")),
    "rt_arr_drop1": ("void", ("ptr", "i64")),
    "rt_arr_fill": ("void", ("ptr", "i64")),
    "rt_arr_snapshot": ("ptr", ("ptr", "i64")),
    "rt_arr_repeat": ("ptr", ("i64", "i64", "i64")),
    "rt_arr_eq": ("i1", ("ptr", "ptr", "i64")),
    "rt_arr_contains": ("i1", ("ptr", "i64", "i64")),
    "rt_str_eq": ("i1", ("ptr", "ptr")),
    "rt_str_cmp": ("i64", ("ptr", "ptr")),
    "rt_str_concat": ("ptr", ("ptr", "ptr")),
    "rt_str_chars": ("ptr", ("ptr",)),
    "rt_ipow": ("{ i64, i64 }", ("i64", "i64")),
    "rt_fpow": ("double", ("double", "double")),
    "rt_fmath": ("double", ("i64", "double")),
}

#: rt_fmath's selector for each float method.
FMATH = {"floor": 0, "ceil": 1, "trunc": 2, "sin": 3, "cos": 4, "tan": 5, "atan": 6,
         "exp": 7, "ln": 8, "log10": 9, "log2": 10}


@lru_cache(maxsize=None)
def allocating() -> frozenset:
    """The runtime functions that may run out of memory: those that reach ``rt_oom``
    through the runtime's own calls (read from its IR text). Compiled code tells the
    runtime where it is before calling one (FunctionGen.rt), so that out of memory is
    reported at the program's position, as tier 0 reports it."""
    calls: dict[str, set] = {}
    for piece in PIECES:
        name = None
        for line in runtime_source(piece).splitlines():
            m = re.match(r"define\s[^@]*@([\w.]+)\(", line)
            if m:
                name = m.group(1)
                calls.setdefault(name, set())
                continue
            if name is not None:
                calls[name].update(re.findall(r"call[^@]*@([\w.]+)\(", line))
    found = {"rt_oom"}
    grew = True
    while grew:
        grew = False
        for f, callees in calls.items():
            if f not in found and callees & found:
                found.add(f)
                grew = True
    return frozenset(found - {"rt_oom", "rt_alloc", "rt_realloc"})


@lru_cache(maxsize=None)
def runtime_source(piece: str) -> str:
    """The LLVM IR text of one runtime piece."""
    with open(os.path.join(_RT_DIR, piece + ".ll"), encoding="utf-8") as f:
        return f.read()


def runtime_module(triple: str = "", data_layout: str = ""):
    """A fresh, linked and verified llvmlite ModuleRef holding the whole runtime."""
    import llvmlite.binding as llvm
    mods = [llvm.parse_assembly(runtime_source(p)) for p in PIECES]
    first = mods[0]
    for m in mods[1:]:
        first.link_in(m)
    if triple:
        first.triple = triple
    if data_layout:
        first.data_layout = data_layout
    first.verify()
    return first
