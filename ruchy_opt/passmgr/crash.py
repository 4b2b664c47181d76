"""Crash reproducers: when a pass raises or leaves invalid IR, write the IR it was given
and the pipeline to a ``.ssa`` file whose header says how to replay the failure with one
command. The Python traceback goes into the file (as comments), never to the terminal.
"""
from __future__ import annotations

import os
import shlex
import tempfile
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from .api import Pass
    from .runner import PassRunner


def exception_summary(e: BaseException) -> str:
    """``ZeroDivisionError: division by zero (at sccp.py:120)``: the innermost frame."""
    frames = traceback.extract_tb(e.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    text = str(e)
    return f"{type(e).__name__}{': ' + text if text else ''}{where}"


def replay_command(runner: "PassRunner", p: "Pass", path: str) -> str:
    """The command line that runs the failing pass on the reproducer."""
    parts = ["ruchy-opt"]
    info = runner.registry.origin_of(type(p)) if runner.registry else None
    if info is not None and info.plugin_file:
        parts.append(f"--load-pass-plugin={info.plugin_file}")
    parts.append(f"--passes={p}")
    for fname, types in sorted(runner.arg_types.items()):
        if not types:
            continue  # a function without parameters: nothing to say
        parts.append(f"--arg-types={fname}:{','.join(types)}")
    parts += ["--verify-each", "--emit=ssa", path]
    return " ".join(shlex.quote(x) for x in parts)


class ReproducerWriter:
    """Writes reproducer files to a chosen path, or to fresh files in a directory."""

    def __init__(self, path: Optional[str] = None, directory: Optional[str] = None) -> None:
        self.path = path
        self.directory = directory or tempfile.gettempdir()

    def __call__(self, runner: "PassRunner", p: "Pass", index: int, message: str,
                 exc: Optional[BaseException]) -> Optional[str]:
        text = runner.replay_until(index)
        note = f"the IR given to application {index} ('{p}')"
        if text is None:
            return None
        if self.path:
            path = self.path
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        else:
            safe = "".join(c if c.isalnum() else "-" for c in p.name)
            fd, path = tempfile.mkstemp(prefix=f"ruchy-opt-crash-{safe}-", suffix=".ssa",
                                        dir=self.directory)
        lines = message.splitlines()
        head = [f"ruchy-opt crash reproducer: {lines[0]}",
                *lines[1:],  # every further problem the verifier found
                f"pipeline: {runner.pipeline_text}",
                f"below: {note}",
                f"replay: {replay_command(runner, p, path)}"]
        if exc is not None:
            head.append("traceback:")
            head += [ln for chunk in traceback.format_exception(exc) for ln in
                     chunk.rstrip("\n").split("\n")]
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(f"; {ln}\n" for ln in head) + "\n" + text)
        return path
