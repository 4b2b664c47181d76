"""The REPL's commands (``:help``, ``:type``, ...; printing.HELP lists them) and the
dispatch of one input: a command, or Ruchy code for the session."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from ..errors import RuchyError
from . import inspect, passes, printing
from .source import REPL_NAME

if TYPE_CHECKING:
    from .session import Session


class Quit(Exception):
    """``:quit``: leave the REPL."""


@dataclass
class Call:
    """A command as typed: its argument, the session line it was read at, the whole
    text, and the text with everything before the argument blanked (code arguments
    are parsed from it, so that columns are those of the line typed)."""

    arg: str
    line: int
    text: str
    code: str
    #: the line of the session's text where ``text`` starts (what a RuchyError's span
    #: names; 0 for a command whose argument is code: it adds its own text)
    first: int = 0


def handle(session: "Session", text: str, line: int) -> bool:
    """Run one input (its first line is the session's line ``line``); False if it
    failed."""
    stripped = text.strip()
    if not stripped.startswith(":"):
        return session.evaluate(text, line).ok
    name, _, arg = stripped[1:].partition(" ")
    arg = arg.strip()
    command = COMMANDS.get(name)
    if command is None:
        return _error(session, f"unknown command ':{name}' (:help lists the commands)")
    start = text.find(arg, text.find(":") + 1 + len(name)) if arg else len(text)
    code = " " * start + text[start:]
    first = 0
    if name not in _CODE:
        first = session.add_text(text, line)  # (the session's lines stay those it read)
    try:
        return command(session, Call(arg, line, text, code, first)) is not False
    except inspect.CommandError as e:
        return _error(session, str(e))
    except RuchyError as e:
        session.report(e)
        return False
    except (Quit, KeyboardInterrupt):
        raise
    except Exception as e:  # noqa: BLE001 - a bug of ours must not end the session
        return _error(session, f"internal error in :{name}: {type(e).__name__}: {e}")


def _error(session: "Session", message: str) -> bool:
    session.out.flush()
    session.err.write(f"error: {message}\n")
    session.err.flush()
    return False


def _need(c: Call, usage: str) -> str:
    if not c.arg:
        raise inspect.CommandError(f"usage: {usage}")
    return c.arg


def cmd_help(session: "Session", c: Call) -> None:
    session.say(printing.HELP)


def cmd_type(session: "Session", c: Call) -> bool:
    _need(c, ":type EXPR")
    out = session.evaluate(c.code, c.line, display=c.text, commit=False)
    if out.ok:
        session.say(printing.type_name(out.value) if out.has_value else "()")
    return out.ok


def cmd_ast(session: "Session", c: Call) -> None:
    from ..syntax.ast import dump
    from ..syntax.parser import parse_program
    _need(c, ":ast CODE")
    first = session.add_text(c.text, c.line)
    prog = parse_program(session.source.padded(c.code, first), REPL_NAME)
    nodes = prog.items
    session.say("\n".join(dump(n) for n in nodes) if nodes else "(nothing)")


def cmd_ssa(session: "Session", c: Call) -> None:
    words = _need(c, ":ssa [-O0|-O1|-O2] NAME").split()
    level = None
    if words[0].startswith("-O"):
        level = words.pop(0)[2:]
        if level not in ("0", "1", "2") or not words:
            raise inspect.CommandError("usage: :ssa [-O0|-O1|-O2] NAME")
    if len(words) != 1:
        raise inspect.CommandError("usage: :ssa [-O0|-O1|-O2] NAME")
    session.say(inspect.ssa(session, words[0], level))


def _native(asm: bool) -> Callable[["Session", Call], None]:
    def cmd(session: "Session", c: Call) -> None:
        words = _need(c, f":{'asm' if asm else 'llvm'} NAME [TYPES]").replace(",", " ") \
            .split()
        session.say(inspect.native(session, words[0], words[1:], asm))
    return cmd


def cmd_passes(session: "Session", c: Call) -> None:
    """``:passes PIPELINE``: tier 2's ruchy pipeline from now on (the tiered runtime's
    compiles, ``:ssa``, ``:llvm``, ``:asm``); ``-O0``/``-O1``/``-O2`` name the default
    ones; no argument shows the pipeline in force."""
    if c.arg:
        session.pipeline = passes.checked(c.arg, c.first, c.code.find(c.arg) + 1)
    session.say(passes.describe(session.pipeline))


def cmd_time(session: "Session", c: Call) -> bool:
    _need(c, ":time CODE")
    out = session.evaluate(c.code, c.line, display=c.text)
    if out.ok:
        session.say(f"time: {out.wall * 1000:.1f} ms wall, {out.cpu * 1000:.1f} ms CPU "
                    f"(parse and translate {out.front * 1000:.1f} ms)")
    return out.ok


def cmd_profile(session: "Session", c: Call) -> None:
    session.say("\n".join(printing.profile_table(session.jit)))


def cmd_jit(session: "Session", c: Call) -> None:
    session.say("\n".join(printing.jit_listing(session.jit, session.pipeline)))


def cmd_load(session: "Session", c: Call) -> bool:
    path = _need(c, ":load FILE")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise inspect.CommandError(f"cannot read {path}: "
                                   f"{getattr(e, 'strerror', None) or e}") from None
    t0 = time.perf_counter()
    out = session.evaluate(text, 1, origin=path)
    if out.ok:
        session.say(f"loaded {path} ({(time.perf_counter() - t0) * 1000:.0f} ms)")
    return out.ok


def cmd_reset(session: "Session", c: Call) -> None:
    session.reset()
    session.say("the session is empty")


def cmd_quit(session: "Session", c: Call) -> None:
    raise Quit()


#: Commands whose argument is code: its text is added to the session's as it runs.
_CODE = {"type", "t", "ast", "time", "load"}

COMMANDS: dict[str, Callable[["Session", Call], object]] = {
    "help": cmd_help, "h": cmd_help, "?": cmd_help, "type": cmd_type, "t": cmd_type,
    "ast": cmd_ast, "ssa": cmd_ssa, "llvm": _native(False), "asm": _native(True),
    "passes": cmd_passes, "time": cmd_time, "profile": cmd_profile, "jit": cmd_jit,
    "load": cmd_load, "reset": cmd_reset, "quit": cmd_quit, "q": cmd_quit,
}


__all__ = ["COMMANDS", "Quit", "handle"]
