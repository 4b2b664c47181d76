"""The command-line actions of the IR: ``--emit=ssa``, ``run --tier=ir`` and
``--dump-cfg``. cli.py registers these and imports this module only when one is used.
"""
from __future__ import annotations

import sys
from typing import Any

from ..errors import RuchyError, RuchyRuntimeError, SourceFile, render
from .load import CompilerBug, is_ssa_file, load_module, render_without_source, \
    source_for_errors


def emit_ssa(src: SourceFile, args: Any) -> int:
    """Print the module (of a .ruchy or .ssa file) in the textual form."""
    from .printer import print_module
    m = _load(src)
    sys.stdout.write(print_module(m))
    return 0


def run_ir(src: SourceFile, args: Any) -> int:
    """Run a program with the IR interpreter; returns the exit status. A runtime error
    of a ``.ssa`` program is shown against the Ruchy source its spans point into."""
    from ..irinterp import run_module
    m = _load(src)
    try:
        run_module(m)
    except RuchyRuntimeError as e:
        if not is_ssa_file(src.name):
            raise  # the command line renders it against `src`
        sys.stdout.flush()
        original = source_for_errors(m, src.name)
        sys.stderr.write(render(e, original) if original and e.span.line
                         else render_without_source(e, m.source or src.name))
        return 1
    finally:
        _flush()
    return 0


def dump_cfg(src: SourceFile, directory: str) -> None:
    """Write the graphviz dumps of every stage this file goes through (AST for source,
    then the SSA after lowering, or parsing)."""
    from ..viz.dump import CfgDumper
    dumper = CfgDumper(directory)
    if not is_ssa_file(src.name):
        from ..syntax.parser import parse_program
        dumper.ast(parse_program(src.text, src.name))
    dumper.ssa(_load(src), "ssa")
    dumper.finish()


def _load(src: SourceFile):
    try:
        return load_module(src)
    except (RuchyError, RecursionError, MemoryError):
        raise
    except CompilerBug as e:
        raise SystemExit(_internal(str(e))) from None
    except Exception as e:  # a bug, not the user's: say so without a traceback
        raise SystemExit(_internal(f"while reading {src.name}: {type(e).__name__}: {e}")) \
            from None


def _internal(msg: str) -> int:
    sys.stdout.flush()
    sys.stderr.write(f"ruchy-opt: internal error: {msg}\n")
    return 3


def _flush() -> None:
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
