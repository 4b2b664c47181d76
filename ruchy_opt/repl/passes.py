"""``:passes``: the pipeline tier 2 runs in the session, checked as ``--passes`` checks
it. ``None`` is tier 2's default (``default<O2>``); what the session compiles at tier 2
after ``:passes`` uses the new one (repl/compiler.py), and so do ``:ssa`` (unless given
a level), ``:llvm`` and ``:asm``. Code compiled before keeps the pipeline it was
compiled with; a function promoted again is compiled anew (the cache key hashes the
pipeline: jit/compiler.py)."""
from __future__ import annotations

from typing import Optional

from ..errors import RuchyError
from ..syntax.ast import Span

#: ``:passes -O<n>``: tier 2's default for -O2, the named pipelines for the others
LEVELS = {"-O0": "default<O0>", "-O1": "default<O1>", "-O2": None, "default": None}


def checked(text: str, line: int, col: int) -> Optional[str]:
    """The pipeline ``text`` (typed at ``line``, starting at column ``col``) if it
    parses and names known passes; else a RuchyError at the offending place, whose
    message lists the known passes (as ``--passes`` does)."""
    if text in LEVELS:
        return LEVELS[text]
    from ..passmgr.pipeline import PipelineError, parse_pipeline
    from ..passmgr.registry import Registry
    try:
        parse_pipeline(text, Registry())
    except PipelineError as e:
        message, offset = _located(str(e), text)
        raise RuchyError(message, Span(line, col + offset, line, col + offset)) from None
    return text


def _located(error: str, text: str) -> tuple[str, int]:
    """A PipelineError's message and the column in ``text`` its caret points at (its
    text is the message, then the pipeline and a caret, each indented two spaces)."""
    lines = error.split("\n")
    if len(lines) == 3 and lines[1] == "  " + text and lines[2].endswith("^"):
        return lines[0], len(lines[2]) - 3
    return " ".join(ln.strip() for ln in lines), 0


def describe(pipeline: Optional[str]) -> str:
    """The pipeline in force, as ``:passes`` and ``:jit`` say it."""
    level = next((k for k, v in LEVELS.items() if v == pipeline), None)
    shown = f"{level} (default<{level[1:]}>)" if level else pipeline
    return f"tier 2 pipeline: {shown} (what the session compiles at tier 2, :ssa, :llvm, " \
           ":asm)"


__all__ = ["LEVELS", "checked", "describe"]
