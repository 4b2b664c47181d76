"""Input and output of the ``ruchy-opt`` command as LLVM's ``opt`` has them: ``-`` reads
the program from standard input (Ruchy source or SSA IR, told apart by its first line),
``-o FILE`` writes what would go to standard output into a file."""
from __future__ import annotations

import contextlib
import io
from typing import Callable


def looks_like_ssa(text: str) -> bool:
    """Whether the text is SSA IR: its first line that is not blank or a ``;`` comment
    starts a function, a global or the ``source`` line (Ruchy has none of these)."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(";"):
            return line.startswith(("func @", "global @", "source \""))
    return False


def write_output(path: str, action: Callable[[], int]) -> int:
    """``-o FILE``: what ``action`` prints on stdout goes to FILE (written only when it
    succeeds, so that a failed run leaves no half file); ``-o -`` is stdout."""
    if path == "-":
        return action()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        status = action()
    if status == 0:
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(buf.getvalue())
        except OSError as e:
            from .cli import UsageError
            raise UsageError(f"cannot write {path}: {e.strerror or e}") from None
    return status
