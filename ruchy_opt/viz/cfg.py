"""A function's control-flow graph in graphviz: one box per block listing its
instructions, edges labelled with the branch taken (``true``/``false``) and the values
passed, loop back edges drawn bold red (and not used for ranking, so loops still read
top to bottom), unreachable blocks dashed."""
from __future__ import annotations

from ..ir.core import Function
from ..ir.dominance import DomTree
from ..ir.printer import format_block_header, format_function_header, format_instr
from .dot import left_label, quote


def cfg_dot(f: Function, title: str = "") -> str:
    """The graphviz text of ``f``'s CFG."""
    dom = DomTree(f)
    back = dom.back_edges()
    ids = {b: f"b{i}" for i, b in enumerate(f.blocks)}
    head = format_function_header(f)[:-2]
    lines = [f"digraph {quote(f.name)} {{",
             f"  graph [label={quote(head + ('   [' + title + ']' if title else ''))}, "
             "labelloc=t, fontname=\"monospace\"];",
             '  node [shape=box, fontname="monospace", fontsize=10];',
             '  edge [fontname="monospace", fontsize=9];']
    for b in f.blocks:
        body = [format_block_header(b)] + ["  " + format_instr(i, locs=False) for i in b.instrs]
        style = "" if dom.reachable(b) else ", style=dashed"
        lines.append(f"  {ids[b]} [label={left_label(body)}{style}];")
    for b in f.blocks:
        t = b.terminator
        if t is None:
            continue
        for k, s in enumerate(t.succs):
            if s.block not in ids:
                continue
            parts = []
            if len(t.succs) == 2:
                parts.append("true" if k == 0 else "false")
            if s.args:
                parts.append("(" + ", ".join("%" + a.name for a in s.args) + ")")
            attrs = [f"label={quote(' '.join(parts))}"] if parts else []
            if (b, s.block) in back:
                attrs += ['color="red"', "penwidth=2", "constraint=false"]
                attrs[0:1] = [f"label={quote(' '.join(['back'] + parts))}"]
            lines.append(f"  {ids[b]} -> {ids[s.block]}" +
                         (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"
