"""Tier 0: string methods that need the translator, slices, input and files.

- A string method that changes its receiver (``s.push(c)``, ``name.push_str(x)``,
  ``s.pop()``, ``self.buf.clear()``) computes the new string and stores it back into the
  receiver's place (runtime/strings_mut.py); on a local known to be a string, ``push``
  and ``push_str`` are ``v_s += c`` so that CPython extends the string in place (a
  loop of pushes stays linear). Other receivers (arrays, maps, a ``Cell`` of ``&mut``)
  take the method's usual path.
- ``s.parse::<T>()`` passes ``T`` to the runtime (runtime/parsing.py).
- ``&s[a..b]`` and ``&v[a..b]`` slice by byte range or element range.
- ``read_line()``, ``input(p)``, ``read_file``, ``write_file``, ``std::io::stdin()``
  (``read_line(&mut s)`` appends to ``s``), ``std::env::args()``, ``std::fs::*``
  (runtime/io.py).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..resolve.paths import expand
from ..runtime import fmt, io, parsing, strings, strings_mut
from ..syntax import ast as A
from .places import containers, is_place, locate, store

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]
_NOT_STRING = ("arr", "int", "float", "bool", "unit")


def method_call(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """The code of a string-specific method call, or None for the usual path."""
    name = node.method
    if name in strings_mut.MUTATORS and is_place(tr, node.receiver):
        return _mutation(tr, node)
    if name in strings_mut.MUTATORS:  # a field of what a call gives: v.last_mut().unwrap().s
        from .collections import call_root, through_call
        root = call_root(node.receiver)
        if root is not None:
            from dataclasses import replace
            return through_call(tr, node.receiver, root,
                                lambda recv: _mutation(tr, replace(node, receiver=recv)))
    if name == "parse":
        r, rk = tr.expr(node.receiver)
        r = tr.simple(r, rk, node.receiver)
        if node.args:
            return None  # not str's parse: the usual path reports it
        target = node.type_args[0].text if node.type_args else None
        return tr.value_line(f"_parse({r}, {target!r})", "any", node)
    if name in ("read_line", "read_to_string") and len(node.args) == 1:
        return _read_into(tr, node)
    if name == "collect" and not node.args and node.type_args \
            and node.type_args[0].text in ("String", "std::string::String"):
        r, rk = tr.expr(node.receiver)
        r = tr.simple(r, rk, node.receiver)
        return tr.value_line(f"_collect_str({r})", "str", node)
    return None


def _mutation(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    root = node.receiver
    while isinstance(root, (A.Index, A.Field, A.Deref)):
        root = root.target if not isinstance(root, A.Deref) else root.operand
    direct = root is node.receiver
    if direct and tr.kind_of_var(tr.lookup(root.id)) in _NOT_STRING + (None,):
        # An array's push keeps its inline fast path (calls.method_call). Kind None is a
        # first inference round: assuming "not a string" there lets an array local stay
        # "arr" (a str path would observe "str" and make it "any" for good); a string
        # local is "str" from the next round on.
        return None
    name = node.method
    loc = locate(tr, node.receiver)
    conts = containers(tr, loc, len(loc.steps))
    r, rk = conts[-1]
    vals = tr.operands(node.args)
    args = "".join(f", {tr.simple(c, k, n)}" for (c, k), n in zip(vals, node.args))
    unit = name in strings_mut.UNIT_MUTATORS
    if name in ("push", "push_str") and rk == "str" and not loc.steps and len(vals) == 1:
        lit = node.args[0]
        if isinstance(lit, A.CharLit if name == "push" else A.StrLit):  # text.push('\n')
            tr.emit(f"{r} += {str(lit.value)!r}", node)
            tr.observe(r, "str")
            return "None", "unit"
        a = args[2:]
        t = tr.tmp()
        tr.emit(f"{t} = {a} if type({a}) is str else _spush({name!r}, {a})", node)
        tr.emit(f"{r} += {t}", node)
        tr.observe(r, "str")
        return "None", "unit"
    new, res = tr.tmp(), tr.tmp()
    if rk != "str":
        tr.emit(f"if type({r}) is str:", node)
        tr.out.depth += 1
    tr.emit(f"{new}, {res} = _SM_{name}({r}{args})", node)
    store(tr, loc, conts, new, "str", node)
    if rk != "str":
        tr.out.depth -= 1
        tr.emit("else:", node)
        with tr.out.indented():
            tr.emit(f"{res} = _M_{name}({r}{args})", node)
    # (on a receiver that may not be a string, the result is the other type's: a map's
    # insert gives the old value)
    return ("None", "unit") if unit and rk == "str" else (res, "any")


def _read_into(tr: "FunctionTranslator", node: A.MethodCall) -> Optional[Value]:
    """``stdin.read_line(&mut s)``: the line is appended to the place ``s``."""
    target = node.args[0]
    if isinstance(target, A.Ref):
        target = target.operand
    if not is_place(tr, target):
        return None
    r, rk = tr.expr(node.receiver)
    r = tr.simple(r, rk, node.receiver)
    loc = locate(tr, target)
    conts = containers(tr, loc, len(loc.steps))
    cur = conts[-1][0]
    new, res = tr.tmp(), tr.tmp()
    tr.emit(f"{new}, {res} = _io_read({r}, {node.method!r}, {cur})", node)
    tr.emit(f"if {new} is not None:", node)
    tr.out.depth += 1
    store(tr, loc, conts, new, "str", node)
    tr.out.depth -= 1
    return res, "any"


def slice_index(tr: "FunctionTranslator", node: A.Index) -> Value:
    """``s[a..b]``, ``v[a..=b]``, ``s[..b]``, ``v[a..]``, ``v[..]``."""
    rng = node.index
    assert isinstance(rng, A.Range)
    parts = [node.target] + [e for e in (rng.start, rng.end) if e is not None]
    vals = tr.operands(parts)
    t = tr.simple(*vals[0], node.target)
    it = iter(vals[1:])
    a = tr.simple(*next(it), rng.start) if rng.start is not None else "None"
    b = tr.simple(*next(it), rng.end) if rng.end is not None else "None"
    return tr.value_line(f"_slice({t}, {a}, {b}, {rng.inclusive})", "any", node)


# ---- functions -------------------------------------------------------------------

#: Bare-name functions (when the program defines no function of that name).
_BARE = {"read_line": (0, 0), "readline": (0, 0), "input": (0, 1), "read_file": (1, 1),
         "write_file": (2, 2), "fs_read": (1, 1), "fs_write": (2, 2), "fs_exists": (1, 1),
         "fs_remove": (1, 1), "exit": (1, 1)}
#: The reference's other spellings of the plain functions.
_ALIASES = {"readline": "read_line", "fs_read": "read_file", "fs_write": "write_file"}

#: Standard-library paths (after ``use`` aliases) -> (generated-code function, arity).
_STD = {
    "std::io::stdin": ("_io_stdin", 0), "std::io::stdout": ("_io_stdout", 0),
    "std::env::args": ("_io_args", 0), "std::fs::read_to_string": ("_io_fs_read", 1),
    "std::fs::write": ("_io_fs_write", 2), "std::process::exit": ("_io_exit", 1),
    "std::fs::remove_file": ("_io_fs_remove_file", 1),
    "std::env::current_dir": ("_io_current_dir", 0), "std::path::Path::new": ("_text", 1),
    "std::path::PathBuf::from": ("_text", 1), "Path::new": ("_text", 1),
    "PathBuf::from": ("_text", 1), "std::path::PathBuf::new": ("_str_empty0", 0),
    "std::path::Path::exists": ("_io_exists", 1),
    "String::with_capacity": ("_str_empty", 1), "String::from_utf8": ("_str_from_utf8", 1),
    "String::from_utf8_lossy": ("_str_from_utf8_lossy", 1),
    "std::str::from_utf8": ("_str_from_utf8", 1),
}


def _std_path(tr: "FunctionTranslator", path: str) -> Optional[str]:
    """The standard-library path ``path`` names here (through ``use``), if any."""
    if tr.ctx.info is not None:
        module = tr.fn.module if tr.fn is not None else ""
        for q in expand(tr.ctx.info, path, module):
            if q in _STD:
                return q
    for q in (path, "std::" + path):
        if q in _STD:
            return q
    return None


def call(tr: "FunctionTranslator", node: A.Call, name: str) -> Optional[Value]:
    """``read_line()``, ``input(p)``, ``read_file(p)``, ``write_file(p, t)`` and
    functions brought in by ``use`` (``use std::fs::read_to_string;``)."""
    if node.macro or tr.lookup(name) is not None:
        return None
    if name in _BARE:
        lo, hi = _BARE[name]
        if not lo <= len(node.args) <= hi:
            tr.emit(f"_arity({name!r}, {hi}, {len(node.args)})", node)
            return "None", "any"
        args = [tr.simple(c, k, n) for (c, k), n in zip(tr.operands(node.args), node.args)]
        if name == "input":
            return tr.value_line(f"_io_input(_w, {', '.join(args)})", "str", node)
        fn = _ALIASES.get(name, name)
        kind = {"write_file": "unit", "fs_remove": "unit", "fs_exists": "bool",
                "exit": "unit"}.get(fn, "str")
        return tr.value_line(f"_io_{fn}({', '.join(args)})", kind, node)
    q = _std_path(tr, name)
    return _std_call(tr, node, q) if q is not None else None


def path_call(tr: "FunctionTranslator", node: A.Call, key: str) -> Optional[Value]:
    """``std::io::stdin()``, ``env::args()``, ``fs::read_to_string(p)``..."""
    q = _std_path(tr, key)
    return _std_call(tr, node, q) if q is not None else None


def _std_call(tr: "FunctionTranslator", node: A.Call, q: str) -> Value:
    fn, n = _STD[q]
    if len(node.args) != n:
        tr.emit(f"_arity({q!r}, {n}, {len(node.args)})", node)
        return "None", "any"
    args = [tr.simple(c, k, a) for (c, k), a in zip(tr.operands(node.args), node.args)]
    kind = "arr" if fn == "_io_args" else "str" if fn == "_str_empty" else "any"
    return tr.value_line(f"{fn}({', '.join(args)})", kind, node)


# ---- the names the generated code uses ------------------------------------------

def _exit(code: Any) -> None:
    import sys
    if type(code) is not int:
        from ..errors import RuchyRuntimeError
        raise RuchyRuntimeError("type error: exit() expects an int")
    sys.stdout.flush()
    raise SystemExit(code & 0xFF)


def _from_utf8(a: Any, lossy: bool = False) -> Any:
    from ..runtime.aggregates import Err, Ok
    from ..runtime.values import Arr
    data = a.d if type(a) is Arr else a
    try:
        raw = bytes(data)
    except (TypeError, ValueError):
        from ..errors import RuchyRuntimeError
        raise RuchyRuntimeError("type error: from_utf8() expects an array of bytes") from None
    if lossy:
        return raw.decode("utf-8", "replace")
    try:
        return Ok(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        return Err(f"invalid utf-8 sequence of 1 bytes from index {e.start}")


def namespace() -> dict[str, Any]:
    """The names generated code refers to for strings, slices, input and files."""
    ns: dict[str, Any] = {
        "_fmtd": fmt.format_dyn, "_collect_str": strings_mut.collect_string, "_spush": strings_mut._pushable, "_parse": parsing.parse, "_slice": strings_mut.slice_,
        "_io_read": io.read_into, "_io_read_line": io.read_line, "_io_input": io.input_,
        "_io_read_file": io.read_file, "_io_write_file": io.write_file,
        "_io_stdin": lambda: io.STDIN, "_io_stdout": lambda: io.STDOUT,
        "_io_args": io.args, "_io_fs_read": io.fs_read_to_string, "_io_fs_write": io.fs_write,
        "_io_exit": _exit, "_io_current_dir": io.current_dir, "_str_empty0": lambda: "",
        "_io_exists": io.fs_exists, "_io_fs_exists": io.fs_exists,
        "_io_fs_remove": io.remove_file, "_io_fs_remove_file": io.fs_remove_file, "_str_empty": lambda n: "",
        "_str_from_utf8": _from_utf8, "_str_from_utf8_lossy": lambda a: _from_utf8(a, True),
    }
    for name in strings_mut.MUTATORS:
        ns[f"_SM_{name}"] = strings_mut.mutator(name)
    return ns


__all__ = ["method_call", "slice_index", "call", "path_call", "namespace", "strings"]
