"""Processes: ``std::process::Command`` and what it gives back, ``std::process::id()``.

``Command::new(prog)`` is a builder (``arg``, ``args``, ``current_dir``, ``env``,
``env_remove``, ``stdin``/``stdout``/``stderr``) changed in place and returned, as
Rust's ``&mut Command``. ``output()`` runs the program with its standard input
closed and both outputs captured: ``Ok(Output { status, stdout, stderr })`` with the
outputs as byte arrays (``String::from_utf8_lossy(&out.stdout)``), or
``Err(io::Error)`` when the program cannot be started (``No such file or directory
(os error 2)``). ``status()`` and ``spawn()`` let the child share our standard
streams (what we printed is flushed first, so the order is kept).
"""
from __future__ import annotations

import os
import sys
from typing import Any

from ..errors import RuchyRuntimeError
from .aggregates import NONE, Some, struct_class
from .fs import _io
from .io import _path
from .libmethods import register
from .values import Arr, kind, text

Output = struct_class("Output", "named", ["status", "stdout", "stderr"])
ExitStatus = struct_class("ExitStatus", "tuple", ["0"])  # the raw code (-N: signal N)


def _status_text(s: Any) -> str:
    c = s.f_0
    return f"exit status: {c}" if c >= 0 else f"signal: {-c}"


ExitStatus._display = _status_text
ExitStatus._debug = lambda s, alt=False: (
    f"ExitStatus(unix_wait_status({s.f_0 << 8 if s.f_0 >= 0 else -s.f_0}))")
register(ExitStatus, {
    "success": lambda s: s.f_0 == 0,
    "code": lambda s: Some(s.f_0) if s.f_0 >= 0 else NONE,
})


class Command:
    """A ``std::process::Command`` being built."""

    __slots__ = ("prog", "argv", "cwd", "env", "streams")
    _display = staticmethod(lambda c: " ".join(f'"{a}"' for a in [c.prog, *c.argv]))

    def __init__(self, prog: str) -> None:
        self.prog, self.argv, self.cwd = prog, [], None
        self.env: dict[str, Any] = {}
        self.streams: dict[str, Any] = {}

    def _run(self, capture: bool) -> Any:
        env = None
        if self.env:
            env = dict(os.environ)
            for k, v in self.env.items():
                if v is None:
                    env.pop(k, None)
                else:
                    env[k] = v
        default = {"stdin": "null", "stdout": "piped", "stderr": "piped"} if capture \
            else {"stdin": "inherit", "stdout": "inherit", "stderr": "inherit"}
        import subprocess  # (only a program that runs a command pays for it: start-up)
        how = {k: None if (n := _STDIO[self.streams.get(k, d)]) is None else getattr(subprocess, n)
               for k, d in default.items()}
        sys.stdout.flush()
        return subprocess.run([self.prog, *self.argv], cwd=self.cwd, env=env, **how)


#: What ``Stdio::piped()``, ``null()`` and ``inherit()`` mean to subprocess (its names).
_STDIO = {"piped": "PIPE", "null": "DEVNULL", "inherit": None}


def new(prog: Any) -> Command:
    """``Command::new(program)``."""
    return Command(_path("Command::new", prog))


def _arg(c: Command, a: Any) -> Command:
    c.argv.append(_path("arg", a) if isinstance(a, str) else text(a))
    return c


def _args(c: Command, a: Any) -> Command:
    items = a.v if hasattr(a, "v") and type(a) is not Arr else a
    if type(items) is not Arr:
        try:
            items = Arr(list(items))
        except TypeError:
            raise RuchyRuntimeError(f"type error: args() expects an array, found {kind(a)}") \
                from None
    for x in items.d:
        _arg(c, x)
    return c


def _current_dir(c: Command, p: Any) -> Command:
    c.cwd = _path("current_dir", p)
    return c


def _env(c: Command, k: Any, v: Any) -> Command:
    c.env[text(k)] = text(v)
    return c


def _env_remove(c: Command, k: Any) -> Command:
    c.env[text(k)] = None
    return c


def _stream(name: str) -> Any:
    def set_(c: Command, how: Any) -> Command:
        if how not in _STDIO:
            raise RuchyRuntimeError(f"type error: {name}() expects Stdio::piped(), "
                                    f"Stdio::null() or Stdio::inherit(), found {kind(how)}")
        c.streams[name] = how
        return c
    return set_


def _output(c: Command) -> Any:
    def run() -> Any:
        p = c._run(True)
        return Output(ExitStatus(p.returncode), Arr(list(p.stdout or b"")),
                      Arr(list(p.stderr or b"")))
    return _io(run)


def _status(c: Command) -> Any:
    return _io(lambda: ExitStatus(c._run(False).returncode))


register(Command, {
    "arg": _arg, "args": _args, "current_dir": _current_dir, "env": _env,
    "env_remove": _env_remove, "stdin": _stream("stdin"), "stdout": _stream("stdout"),
    "stderr": _stream("stderr"), "output": _output, "status": _status,
    "get_program": lambda c: c.prog,
})


def pid() -> int:
    """``std::process::id()``."""
    return os.getpid()


def piped() -> str:
    """``Stdio::piped()``, ``null()``, ``inherit()``: what a builder's ``stdin``/
    ``stdout``/``stderr`` records (``output()`` pipes both outputs and closes the input
    unless told otherwise; ``status()`` inherits all three)."""
    return "piped"


def null() -> str:
    return "null"


def inherit() -> str:
    return "inherit"
