"""An AST (one function, or the top level) as a graphviz tree: each node shows its
type, position and scalar fields; edges are labelled with the field they come from."""
from __future__ import annotations

from dataclasses import fields
from typing import Any

from ..syntax import ast as A
from .dot import quote


def _scalars(node: A.Node) -> list[str]:
    out = []
    for f in fields(node):
        if f.name in ("span", "op_span"):
            continue
        v = getattr(node, f.name)
        if isinstance(v, A.Node) or (isinstance(v, list) and any(isinstance(x, A.Node) for x in v)):
            continue
        if v is None or (isinstance(v, list) and not v):
            continue
        text = repr(v)
        out.append(f"{f.name}={text if len(text) <= 40 else text[:37] + '...'}")
    return out


def ast_dot(root: A.Node, name: str, title: str = "") -> str:
    """The graphviz text of the tree under ``root``."""
    lines = [f"digraph {quote(name)} {{",
             f"  graph [label={quote(name + ('   [' + title + ']' if title else ''))}, "
             "labelloc=t, fontname=\"monospace\"];",
             '  node [shape=box, style=rounded, fontname="monospace", fontsize=10];',
             '  edge [fontname="monospace", fontsize=9];']
    counter = [0]

    def visit(node: Any) -> str:
        nid = f"n{counter[0]}"
        counter[0] += 1
        if not isinstance(node, A.Node):
            lines.append(f"  {nid} [label={quote(repr(node))}, shape=plaintext];")
            return nid
        sp = node.span
        head = type(node).__name__ + (f" @{sp.line}:{sp.col}" if sp.line else "")
        lines.append(f"  {nid} [label={quote(chr(10).join([head] + _scalars(node)))}];")
        for f in fields(node):
            v = getattr(node, f.name)
            if isinstance(v, A.Node):
                lines.append(f"  {nid} -> {visit(v)} [label={quote(f.name)}];")
            elif isinstance(v, list) and any(isinstance(x, A.Node) for x in v):
                for i, x in enumerate(v):
                    lines.append(f"  {nid} -> {visit(x)} [label={quote(f'{f.name}[{i}]')}];")
        return nid

    visit(root)
    lines.append("}")
    return "\n".join(lines) + "\n"
