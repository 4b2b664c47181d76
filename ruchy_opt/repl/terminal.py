"""The prompt at a terminal: prompt_toolkit's line editor, with the session's history
in the user's cache directory and multi-line inputs.

Enter submits the input when it is complete (reader.needs_more) and otherwise opens a
new line in the same input, indented one step further after an opening bracket: an
unfinished ``fn`` is edited, recalled from the history and re-run as one input. Ctrl-C
at the prompt drops the line being typed; Ctrl-D on an empty line leaves.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .reader import needs_more

if TYPE_CHECKING:
    from .session import Session

PROMPT = ">> "
CONTINUATION = ".. "
BANNER = "ruchy-opt repl: Ruchy with the tiered JIT behind it. :help lists the commands, " \
         "Ctrl-D leaves."


def history_path() -> str:
    """``$XDG_CACHE_HOME/ruchy-opt/repl-history`` (``~/.cache`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ruchy-opt", "repl-history")


def _history() -> Any:
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    path = history_path()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError:
        return InMemoryHistory()  # an unwritable cache: history for this session only
    return FileHistory(path)


def _bindings() -> Any:
    from prompt_toolkit.key_binding import KeyBindings
    kb = KeyBindings()

    @kb.add("enter")
    def _enter(event: Any) -> None:
        buf = event.current_buffer
        if not needs_more(buf.text):
            buf.validate_and_handle()
            return
        line = buf.document.current_line_before_cursor
        indent = line[:len(line) - len(line.lstrip())]
        if line.rstrip().endswith(("{", "(", "[")):
            indent += "    "
        buf.insert_text("\n" + indent)

    for closer in ("}", ")", "]"):
        @kb.add(closer)
        def _close(event: Any, closer: str = closer) -> None:
            # a closing bracket at the start of an indented line goes one step back
            buf = event.current_buffer
            before = buf.document.current_line_before_cursor
            if before and not before.strip():
                buf.delete_before_cursor(min(4, len(before)))
            buf.insert_text(closer)
    return kb


def run_terminal(session: "Session") -> int:
    """Read and run inputs until Ctrl-D or ``:quit``; the exit status (0)."""
    from prompt_toolkit import PromptSession
    from ..syntax.parser import _parser
    from .commands import Quit, handle
    _parser()  # loaded now: Enter asks the lexer whether an input is complete
    prompt = PromptSession(history=_history(), multiline=True, key_bindings=_bindings(),
                           prompt_continuation=lambda width, n, wrap: CONTINUATION.rjust(width))
    session.say(BANNER)
    line = 0
    while True:
        try:
            text = prompt.prompt(PROMPT)
        except KeyboardInterrupt:
            continue
        except EOFError:
            return 0
        first = line + 1
        line += text.count("\n") + 1
        try:
            handle(session, text, first)
        except Quit:
            return 0


__all__ = ["BANNER", "history_path", "run_terminal"]
