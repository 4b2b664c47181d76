"""Getting a verified SSA module from what the user gave: Ruchy source (parsed and
lowered) or textual IR (a ``.ssa`` file, parsed). Used by the command line and by
anything else that accepts either kind of file.

A verifier failure on a parsed ``.ssa`` file is the user's error and is reported at
the position of the offending line; on lowered source it would be a compiler bug and
is reported as such.
"""
from __future__ import annotations

import os
from typing import Any, Optional

from ..errors import RuchyError, RuchySyntaxError, SourceFile
from ..syntax.ast import NO_SPAN
from .core import Module

SSA_SUFFIX = ".ssa"


def is_ssa_file(name: str) -> bool:
    """Whether a file name is textual IR (``.ssa``)."""
    return name.endswith(SSA_SUFFIX)


class CompilerBug(Exception):
    """The compiler produced invalid IR from valid input (not the user's fault)."""


def parse_ssa(src: SourceFile) -> Module:
    """Parse and verify textual IR; errors carry positions in the ``.ssa`` text."""
    from .parser import parse_module
    from .verify import VerifyError, verify_module
    positions: dict = {}
    m = parse_module(src.text, positions)
    try:
        verify_module(m)
    except VerifyError as e:
        spans = [_problem_span(p, m, positions) for p in e.problems]
        # every problem is reported: the first as the error (with its line and caret),
        # each further one on a line of its own with its position
        more = "".join(f"\n  {src.name}:{sp.line}:{sp.col}: {p}" if sp.line else f"\n  {p}"
                       for p, sp in zip(e.problems[1:], spans[1:]))
        raise RuchySyntaxError(f"invalid IR: {e.problems[0]}{more}", spans[0]) from None
    return m


def _problem_span(p: Any, m: Module, positions: dict) -> Any:
    """Where in the ``.ssa`` text a verifier problem is: its instruction, else its
    block, else its function."""
    for obj in (p.instr, p.block_obj, m.functions.get(p.function)):
        if obj is not None and obj in positions:
            return positions[obj]
    return NO_SPAN


def lower_ruchy(src: SourceFile) -> Module:
    """Parse and lower Ruchy source, and check the result."""
    from ..lower import lower_source
    from .verify import VerifyError, verify_module
    m = lower_source(src, aggregates=True)  # the IR has structs and tuples
    try:
        verify_module(m)
    except VerifyError as e:
        raise CompilerBug(f"lowering produced invalid IR for {src.name}: {e}") from None
    return m


_cache: dict[int, tuple[SourceFile, Module]] = {}


def load_module(src: SourceFile) -> Module:
    """The verified module for a ``.ruchy`` or ``.ssa`` file (cached per SourceFile, so
    that dumping and running share one lowering)."""
    hit = _cache.get(id(src))
    if hit is not None and hit[0] is src:
        return hit[1]
    m = parse_ssa(src) if is_ssa_file(src.name) else lower_ruchy(src)
    _cache[id(src)] = (src, m)
    return m


def source_for_errors(module: Module, ssa_path: str) -> Optional[SourceFile]:
    """The Ruchy source a module's spans point into (for runtime errors of a ``.ssa``
    program): the recorded path as given, or next to the ``.ssa`` file."""
    if not module.source:
        return None
    for path in (module.source,
                 os.path.join(os.path.dirname(ssa_path), os.path.basename(module.source))):
        try:
            with open(path, encoding="utf-8") as f:
                return SourceFile(module.source, f.read())
        except (OSError, UnicodeDecodeError):
            continue
    return None


def render_without_source(err: RuchyError, name: str) -> str:
    """``file:line:col: error: message`` when the source text is not available."""
    sp = err.span
    where = f"{name}:{sp.line}:{sp.col}" if sp.line else name
    return f"{where}: error: {err.message}\n"
