"""CFG drawings for the page: every graphviz text rendered to SVG by one ``dot``
process, each SVG made fit to sit inline in HTML, and each instruction's text in it
tagged with its source line (``data-l``), so that a click on a source line highlights
the instructions in the drawings too.

Without Graphviz (``dot`` not on PATH, or failing) the page shows the graphviz text
instead; :func:`render_svgs` then returns None and says why.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from typing import Optional

#: One SVG document in ``dot``'s output.
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
#: A node group of the CFG (cfg_dot names block k ``b<k>``), up to its end.
_NODE = re.compile(r'(<g id="[^"]*" class="node">\s*<title>b(\d+)</title>)(.*?</g>)', re.S)
_LOC = re.compile(r"loc\((\d+):")
_IDS = re.compile(r' id="[^"]*"')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def block_lines(function_text: str) -> list[list[Optional[int]]]:
    """Per block, in order, the source line of each label line (None for the block's
    header and for instructions without a span), read from the function's text form."""
    blocks: list[list[Optional[int]]] = []
    for line in function_text.splitlines():
        if line.startswith("^"):
            blocks.append([None])
        elif line.startswith("  ") and blocks:
            m = _LOC.search(line)
            blocks[-1].append(int(m.group(1)) if m else None)
    return blocks


def _tag(svg: str, lines: list[list[Optional[int]]]) -> str:
    """Add ``data-l`` to each instruction's <text> in the node groups of ``svg``."""
    def node(m: re.Match) -> str:
        k = int(m.group(2))
        if k >= len(lines):
            return m.group(0)
        wanted = lines[k]
        texts = iter(wanted)
        count = len(re.findall(r"<text\b", m.group(3)))
        if count != len(wanted):  # graphviz split or merged lines: leave it untagged
            return m.group(0)

        def text(t: re.Match) -> str:
            src = next(texts)
            return t.group(0) if src is None else f'<text data-l="{src}"'
        return m.group(1) + re.sub(r"<text\b", text, m.group(3))
    return _NODE.sub(node, svg)


def render_svgs(graphs: dict[int, str], texts: list[str],
                timeout: float = 300) -> tuple[Optional[dict[int, str]], str]:
    """SVG per graph (keyed as ``graphs``), or (None, why) without Graphviz."""
    graphs = {k: g for k, g in graphs.items() if g}   # "": too large to draw
    if not graphs:
        return {}, ""
    dot = shutil.which("dot")
    if dot is None:
        return None, "Graphviz ('dot') is not installed: the CFGs are shown as graphviz text"
    keys = list(graphs)
    try:
        r = subprocess.run([dot, "-Tsvg"], input="".join(graphs[k] for k in keys),
                           capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError) as e:
        return None, f"Graphviz failed ({e}): the CFGs are shown as graphviz text"
    svgs = _SVG.findall(r.stdout)
    if r.returncode != 0 or len(svgs) != len(keys):
        why = (r.stderr.strip().splitlines() or ["no output"])[0]
        return None, f"Graphviz failed ({why}): the CFGs are shown as graphviz text"
    out = {}
    for k, svg in zip(keys, svgs):
        # ids repeat from one drawing to the next; the page needs none of them
        out[k] = _COMMENT.sub("", _IDS.sub("", _tag(svg, block_lines(texts[k]))))
    return out, ""
