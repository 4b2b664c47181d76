"""``ruchy-opt repl``: the command line of the REPL.

At a terminal the session reads through the line editor (terminal.py); from a pipe or
a file it reads the same inputs without writing any prompt (reader.PipeReader), so a
script piped in runs as if typed. Errors do not stop it: the status is 0 at the end
of the input (Ctrl-D), as after an interactive session.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import IO, Optional, Sequence

from . import execute
from .session import Session


def parser() -> argparse.ArgumentParser:
    from ..cli import _jit_options  # the same --jit-* and --no-cache as `run`
    p = argparse.ArgumentParser(
        prog="ruchy-opt repl",
        description="An interactive Ruchy session, run by the tiered runtime: the "
                    "interpreter, with hot functions compiled. Reads a terminal with line "
                    "editing and history, or a pipe (no prompts). :help inside lists "
                    "the commands.")
    _jit_options(p)
    return p


def run_pipe(session: Session, stream: Optional[IO[str]] = None) -> int:
    """Read and run every input of ``stream`` (default: standard input)."""
    from .commands import Quit, handle
    from .reader import PipeReader
    reader = PipeReader(stream)
    while True:
        got = reader.read()
        if got is None:
            return 0
        try:
            handle(session, *got)
        except Quit:
            return 0


def main(argv: Sequence[str]) -> int:
    """Run the REPL and end the process with its exit status (returns 2 for bad
    usage, before anything ran)."""
    try:
        args = parser().parse_args(list(argv))
    except SystemExit as e:
        return 2 if e.code else 0
    from ..cli import _check_jit_options
    from ..cli import UsageError
    try:
        _check_jit_options(args, "auto")
    except UsageError as e:
        print(f"ruchy-opt: error: {e}", file=sys.stderr)
        return 2
    from ..jit.policy import policy_from_args
    from ..runtime import io as program_io
    program_io.ARGS[:] = ["<repl>"]  # std::env::args()
    disk = not args.no_cache and not os.environ.get("RUCHY_OPT_NO_CACHE")
    session = Session(policy_from_args(args), jit_log=args.jit_log, disk_cache=disk)
    execute.enable()
    status = 1
    try:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from .terminal import run_terminal
            status = run_terminal(session)
        else:
            status = run_pipe(session)
    except KeyboardInterrupt:
        status = 130
    except BaseException:  # noqa: BLE001 - shown, then the process ends as below
        import traceback
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)  # the exit handler of execute.enable must never run


__all__ = ["main", "parser", "run_pipe"]
