"""Tier 0: calls of the library's files, processes and clocks (runtime/stdpaths.py).

- By path: ``File::create(p)``, ``fs::read_dir(p)``, ``std::process::Command::new(c)``,
  ``Instant::now()``, ``Duration::from_millis(n)``: the path as written, after ``use``
  aliases (``use std::fs::{self, File};``), with ``std::`` in front, or with a std type
  the reference has in scope (``Instant``, ``Command``...) spelled in full.
- By bare name: the reference's plain functions (``max``, ``range``, ``get_time_ms``,
  ``open``...) when the program defines no function of that name, or a library
  function brought in by ``use`` (``use std::fs::create_dir_all;``).

Methods of the objects these return are runtime/libmethods.py's; ``write!(file, ..)``
goes to the file (interp/data.formatter_write).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Optional

from ..resolve.paths import expand
from ..runtime.stdpaths import BARE, SHORT_TYPES, STD
from ..syntax import ast as A

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def _std_path(tr: "FunctionTranslator", path: str) -> Optional[str]:
    """The library path ``path`` stands for here, if any."""
    cands = [path, "std::" + path]
    if tr.ctx.info is not None:
        module = tr.fn.module if tr.fn is not None else ""
        cands = expand(tr.ctx.info, path, module) + cands
    owner, _, name = path.rpartition("::")
    if owner in SHORT_TYPES:
        cands.append(f"{SHORT_TYPES[owner]}::{name}")
    for q in cands:
        if q in STD:
            return q
    return None


def _emit(tr: "FunctionTranslator", node: A.Call, what: str,
          entry: tuple[str, int, int, str]) -> Value:
    fn, lo, hi, kind = entry
    if not lo <= len(node.args) <= hi:
        tr.emit(f"_arity({what!r}, {hi}, {len(node.args)})", node)
        return "None", "any"
    args = [tr.simple(c, k, a) for (c, k), a in zip(tr.operands(node.args), node.args)]
    return tr.value_line(f"{_py(fn)}({', '.join(args)})", kind, node)


def _py(fn: str) -> str:
    """The generated code's name of runtime function ``fn`` (``fs.create``)."""
    return "_lib_" + fn.replace(".", "_")


def path_call(tr: "FunctionTranslator", node: A.Call, key: str) -> Optional[Value]:
    """``File::create(p)``, ``fs::read_dir(p)``, ``Instant::now()``...; None if ``key``
    names no library function."""
    q = _std_path(tr, key)
    return _emit(tr, node, q, STD[q]) if q is not None else None


def call(tr: "FunctionTranslator", node: A.Call, name: str) -> Optional[Value]:
    """A bare call: a library function imported by ``use``, or the reference's plain
    functions; None if ``name`` is neither (or is a local)."""
    if node.macro or tr.lookup(name) is not None:
        return None
    q = _std_path(tr, name) if tr.ctx.info is not None else None
    if q is not None and q != "std::" + name:
        return _emit(tr, node, q, STD[q])
    if name in BARE:
        return _emit(tr, node, name, BARE[name])
    return None


def namespace() -> dict[str, Any]:
    """The runtime functions the generated code calls (``_lib_fs_create``...)."""
    ns: dict[str, Any] = {}
    for fn, *_ in (*STD.values(), *BARE.values()):
        module, _, attr = fn.partition(".")
        ns[_py(fn)] = getattr(importlib.import_module(f"ruchy_opt.runtime.{module}"), attr)
    return ns
