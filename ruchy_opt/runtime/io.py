"""Input, files and the program's arguments (LANGUAGE.md, Level 3 "Input and files").

The plain functions (``read_line()``, ``input(prompt)``, ``read_file(path)``,
``write_file(path, text)``) fail with a runtime error that names the path; the
``std::fs`` ones (``read_to_string``, ``write``) return a ``Result`` whose error prints
as Rust's ``io::Error`` (``No such file or directory (os error 2)``).
``std::io::stdin()`` is a :class:`Stdin` whose ``read_line(&mut s)`` appends a line
to ``s`` (the translator stores it back) and gives ``Ok(bytes read)``.
"""
from __future__ import annotations

import errno
import os
import sys
from typing import Any, Callable

from ..errors import RuchyRuntimeError
from .aggregates import Cell, Err, Ok, enum_classes, struct_class
from .values import Arr, kind, text

#: The program's command line as ``std::env::args()`` gives it: its path, then the
#: arguments after it (``ruchy-opt run prog.ruchy a b``); set by the CLI.
ARGS: list[str] = []

_ERROR_KINDS, _EK = enum_classes("ErrorKind", [(n, "unit", []) for n in (
    "NotFound", "PermissionDenied", "AlreadyExists", "IsADirectory", "InvalidData",
    "Other")])
_KIND_OF_ERRNO = {errno.ENOENT: "NotFound", errno.EACCES: "PermissionDenied",
                  errno.EPERM: "PermissionDenied", errno.EEXIST: "AlreadyExists",
                  errno.EISDIR: "IsADirectory"}

#: Rust's ``io::Error`` of an OS error: debug ``Os { code: 2, kind: NotFound, message:
#: "No such file or directory" }``, display ``No such file or directory (os error 2)``.
IoError = struct_class("Os", "named", ["code", "kind", "message"])
IoError._display = lambda e: f"{e.f_message} (os error {e.f_code})"


def _io_error(e: OSError) -> Any:
    code = e.errno or 0
    return IoError(code, _EK[_KIND_OF_ERRNO.get(code, "Other")], e.strerror or str(e))


def _path(name: str, p: Any) -> str:
    if type(p) is Cell:
        p = p.v
    if not isinstance(p, str):
        raise RuchyRuntimeError(f"type error: {name}() expects a path string, found {kind(p)}")
    return str.__str__(p)


def _read(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def _write(path: str, data: Any) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(data if isinstance(data, str) else text(data))


def read_file(p: Any) -> str:
    """``read_file(path)``: the file's text; a runtime error naming the path if not."""
    path = _path("read_file", p)
    try:
        return _read(path)
    except (OSError, UnicodeDecodeError) as e:
        why = getattr(e, "strerror", None) or "not valid UTF-8"
        raise RuchyRuntimeError(f"cannot read file '{path}': {why}") from None


def write_file(p: Any, data: Any) -> None:
    """``write_file(path, text)``; a runtime error naming the path if it fails."""
    path = _path("write_file", p)
    try:
        _write(path, data)
    except OSError as e:
        raise RuchyRuntimeError(f"cannot write file '{path}': {e.strerror or e}") from None


def fs_read_to_string(p: Any) -> Any:
    """``std::fs::read_to_string(path)``: ``Ok(text)`` or ``Err(io::Error)``."""
    try:
        return Ok(_read(_path("read_to_string", p)))
    except OSError as e:
        return Err(_io_error(e))
    except UnicodeDecodeError:
        return Err(IoError(0, _EK["InvalidData"], "stream did not contain valid UTF-8"))


def fs_write(p: Any, data: Any) -> Any:
    """``std::fs::write(path, contents)``: ``Ok(())`` or ``Err(io::Error)``."""
    try:
        _write(_path("write", p), data)
        return Ok(None)
    except OSError as e:
        return Err(_io_error(e))


def remove_file(p: Any) -> None:
    """``fs_remove(path)`` (the reference's): a runtime error naming the path if it fails."""
    path = _path("fs_remove", p)
    try:
        os.remove(path)
    except OSError as e:
        raise RuchyRuntimeError(f"cannot remove file '{path}': {e.strerror or e}") from None


def fs_remove_file(p: Any) -> Any:
    """``std::fs::remove_file(path)``: ``Ok(())`` or ``Err(io::Error)``."""
    try:
        os.remove(_path("remove_file", p))
        return Ok(None)
    except OSError as e:
        return Err(_io_error(e))


def current_dir() -> Any:
    """``std::env::current_dir()``: ``Ok(path)`` (a path is its string)."""
    try:
        return Ok(os.getcwd())
    except OSError as e:
        return Err(_io_error(e))


def fs_exists(p: Any) -> bool:
    """``std::path::Path::new(p).exists()`` as a function (``fs::metadata(p).is_ok()``)."""
    return os.path.exists(_path("exists", p))


def _line() -> str:
    return sys.stdin.readline()


def read_line() -> str:
    """``read_line()``: the next line of standard input without its line end ("" at
    the end of input)."""
    line = _line()
    return line[:-1].removesuffix("\r") if line.endswith("\n") else line


def input_(write: Callable[[str], Any], prompt: Any = "") -> str:
    """``input(prompt)``: print the prompt (no newline), then read a line."""
    if prompt != "":
        write(text(prompt))
        sys.stdout.flush()
    return read_line()


def args() -> Arr:
    """``std::env::args()``: the program path and its arguments (an array for now)."""
    return Arr(list(ARGS))


class Stdin:
    """``std::io::stdin()`` (and its ``lock()``)."""

    __slots__ = ()

    def read_line(self, s: Any) -> tuple[str, Any]:
        """Append the next line (with its ``\\n``) to string ``s``: the new string and
        ``Ok(bytes read)``."""
        line = _line()
        return _append(s, line), Ok(len(line.encode("utf-8")))

    def read_to_string(self, s: Any) -> tuple[str, Any]:
        rest = sys.stdin.read()
        return _append(s, rest), Ok(len(rest.encode("utf-8")))

    def lines(self) -> Arr:
        """Every remaining line, each ``Ok(line)`` without its line end (an array)."""
        out = []
        for line in sys.stdin:
            line = line[:-1] if line.endswith("\n") else line
            out.append(Ok(line.removesuffix("\r")))
        return Arr(out)

    def lock(self) -> "Stdin":
        return self


class Stdout:
    """``std::io::stdout()``: ``flush()`` and ``lock()``."""

    __slots__ = ()

    def flush(self) -> Any:
        sys.stdout.flush()
        return Ok(None)

    def lock(self) -> "Stdout":
        return self


def _append(s: Any, more: str) -> str:
    if type(s) is Cell:
        s = s.v
    if not isinstance(s, str):
        raise RuchyRuntimeError(f"type error: read_line() expects a String, found {kind(s)}")
    return str.__str__(s) + more


STDIN, STDOUT = Stdin(), Stdout()


def io_method(recv: Any, name: str, args: tuple, prev: Callable[..., Any]) -> Any:
    """A method call on a Stdin/Stdout object (``prev`` handles anything else)."""
    t = type(recv)
    if t is Stdin or t is Stdout:
        m = getattr(recv, name, None)
        if m is None:
            raise RuchyRuntimeError(f"type error: no method '{name}' on {t.__name__}")
        return m(*args)
    return prev(recv, *args)


def read_into(recv: Any, name: str, cur: Any) -> tuple[Any, Any]:
    """``stdin.read_line(&mut s)`` / ``read_to_string(&mut s)``: the new text of ``s``
    (None when ``s`` is a Cell, which is changed in place) and the method's result."""
    if type(recv) is Stdin:
        new, res = getattr(recv, name)(cur)
    elif hasattr(type(recv), "_read_into"):  # a File (runtime/fs.py)
        new, res = recv._read_into(name, cur)
    else:
        raise RuchyRuntimeError(f"type error: no method '{name}' on {kind(recv)}")
    if type(cur) is Cell:
        cur.v = new
        return None, res
    return new, res
