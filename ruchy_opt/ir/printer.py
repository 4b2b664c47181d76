"""The textual form of the IR (parser.py reads it back: ``print(parse(t)) == t``).

::

    source "fib.ruchy"

    global @main.called = false

    func @fib(%n.0 hint i64) hint i64 {
    ^entry:
      %1 = const 2
      %2 = lt %n.0, %1                          loc(3:8-9)
      cond_br %2, ^if.then.1, ^if.end.2         loc(3:5-5:6)
    ^if.end.2:
      ...
    }

One generic spelling serves every op, built-in or plugin:
``[%result =] NAME imm, ..., %operand, ..., ^target(%arg, ...), ...  [loc(SPAN)]``,
immediates first, then operands, then branch targets. ``loc`` is the source span
(``line:col-end_col`` or ``line:col-end_line:end_col``) that errors report.
"""
from __future__ import annotations

import json
import math
from typing import Any

from ..syntax.ast import Span
from .core import Block, Function, Instruction, Module
from .opdef import Sym
from .types import IRType

LOC_COLUMN = 44  # where loc(...) starts when the instruction text is shorter


def format_literal(v: Any) -> str:
    """A literal or symbol immediate as the parser reads it."""
    t = type(v)
    if isinstance(v, IRType):  # a type immediate (`make !Point, ...`)
        return str(v)
    if t is Sym:
        return "@" + str(v)
    if v is None:
        return "()"
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is float:
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if t is str:
        return json.dumps(v, ensure_ascii=False)
    raise TypeError(f"cannot print immediate {v!r}")


def format_span(sp: Span) -> str:
    """``loc(...)`` for a source span."""
    if sp.end_line == sp.line:
        return f"loc({sp.line}:{sp.col}-{sp.end_col})"
    return f"loc({sp.line}:{sp.col}-{sp.end_line}:{sp.end_col})"


def format_instr(instr: Instruction, locs: bool = True) -> str:
    """One instruction, without indentation."""
    items = [format_literal(v) for v in instr.imms]
    items += ["%" + v.name for v in instr.operands]
    for s in instr.succs:
        args = ", ".join("%" + a.name for a in s.args)
        items.append(f"^{s.block.name}({args})" if s.args else f"^{s.block.name}")
    text = (f"%{instr.name} = " if instr.op.result else "") + instr.op.name
    if items:
        text += " " + ", ".join(items)
    if locs and instr.span.line:
        text = f"{text:<{LOC_COLUMN - 2}} {format_span(instr.span)}"
    return text


def _typed(name: str, type_: str, hint: Any = None) -> str:
    s = "%" + name + (f": {type_}" if type_ != "any" else "")
    return s + (f" hint {hint}" if hint else "")


def format_block_header(b: Block) -> str:
    """A block's label line, with its parameters (none printed for the entry)."""
    if b.func is not None and b.func.blocks and b is b.func.blocks[0]:
        return f"^{b.name}:"
    if not b.params:
        return f"^{b.name}:"
    return f"^{b.name}(" + ", ".join(_typed(p.name, p.type) for p in b.params) + "):"


def format_function_header(f: Function) -> str:
    """``func @name(params) ... {``."""
    params = ", ".join(_typed(p.name, p.type, p.hint) for p in f.params) if f.blocks else ""
    head = f"func @{f.name}({params})"
    if f.ret_type != "any":
        head += f" -> {f.ret_type}"
    if f.ret_hint:
        head += f" hint {f.ret_hint}"
    return head + " {"


def print_function(f: Function, locs: bool = True) -> str:
    """One function as text."""
    lines = [format_function_header(f)]
    for b in f.blocks:
        lines.append(format_block_header(b))
        lines.extend("  " + format_instr(i, locs) for i in b.instrs)
    lines.append("}")
    return "\n".join(lines) + "\n"


def print_module(m: Module, locs: bool = True) -> str:
    """The whole module as text (what ``--emit=ssa`` prints)."""
    parts = []
    if m.source is not None:
        parts.append(f"source {format_literal(m.source)}\n")
    if m.type_decls:
        parts.append("".join(d.format() + "\n" for d in m.type_decls.values()))
    if getattr(m, "impls", None):
        parts.append("".join(d.format() + "\n" for d in m.impls.values()))
    if m.globals:
        parts.append("".join(f"global @{g.name} = {format_literal(g.init)}\n"
                             for g in m.globals.values()))
    parts.extend(print_function(f, locs) for f in m.functions.values())
    return "\n".join(parts)
