"""Writing graphviz text: quoting and left-justified multi-line labels."""
from __future__ import annotations


def quote(text: str) -> str:
    """A graphviz double-quoted string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def left_label(lines: list[str]) -> str:
    """A quoted label whose lines are left-justified (graphviz's ``\\l``)."""
    body = "".join(line.replace("\\", "\\\\").replace('"', '\\"') + "\\l" for line in lines)
    return '"' + body + '"'
