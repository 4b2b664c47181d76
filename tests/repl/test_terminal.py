"""``ruchy-opt repl`` as a process: at a pseudo-terminal (pexpect: editing, multi-line
inputs, history, Ctrl-C, Ctrl-D) and through a pipe (no prompts; an error in compiled
code does not end the session)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).with_name("ruchy-opt"))


def _env(tmp_path: Path) -> dict[str, str]:
    """A cache directory of the test's own (the history goes there), sharing the
    parser's tables with the user's (building them takes seconds)."""
    from ruchy_opt.syntax.parser import _cache_path
    own = tmp_path / "cache" / "ruchy-opt"
    own.mkdir(parents=True)
    real = Path(_cache_path()).parent
    for f in real.glob("parser-tables*"):
        (own / f.name).symlink_to(f)
    for f in real.glob("dataclass-code*"):
        (own / f.name).symlink_to(f)
    return dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"), RUCHY_OPT_NO_CACHE="1",
                TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")


def test_terminal_session(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect", reason="pexpect drives the pseudo-terminal")
    env = _env(tmp_path)
    c = pexpect.spawn(EXE, ["repl"], env=env, encoding="utf-8", timeout=30,
                      dimensions=(24, 120))
    try:
        c.expect(">>")
        # a multi-line input: Enter goes on while the brace is open
        c.send("fn add(a, b) {\r")
        c.expect(r"\.\.")
        c.send("a + b\r")
        c.expect(r"\.\.")
        c.send("}\r")
        c.expect(">>")
        # line editing: left arrow, backspace: add(2, 40) becomes add(2, 45)
        c.send("add(2, 40)\x1b[D\x085\r")
        c.expect("47")
        c.expect(">>")
        # Ctrl-C stops a running input; the session goes on
        c.send('println("spinning"); loop {}\r')
        c.expect("spinning\r\n")  # the output, not the echo: the loop has started
        time.sleep(0.2)
        c.sendintr()
        c.expect("interrupted")
        c.expect(">>")
        # an error, then the session's state is intact
        c.send("add(1, 2) / 0\r")
        c.expect("<repl>:6:11: error: division by zero")
        c.expect(">>")
        c.send("add(20, 22)\r")
        c.expect("42")
        c.expect(">>")
        # Ctrl-D leaves with status 0
        c.sendeof()
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert c.exitstatus == 0
    history = (tmp_path / "cache" / "ruchy-opt" / "repl-history").read_text()
    assert "+fn add(a, b) {\n+    a + b\n+}\n" in history and "+add(2, 45)\n" in history


def test_pipe_has_no_prompts_and_survives_compiled_errors(tmp_path: Path) -> None:
    pytest.importorskip("llvmlite")
    script = ("fn boom(n) {\n"
              "    let mut i = 0\n"
              "    let mut s = 0\n"
              "    while i < n { s += 10 / (n - i - 1); i += 1 }\n"
              "    s\n"
              "}\n"
              "let kept = 5\n"
              "boom(30000)\n"      # the loop is compiled (OSR), then divides by zero
              "kept + 1\n"
              "boom(3)\n")         # the same error, interpreted
    r = subprocess.run([EXE, "repl", "--no-cache"], input=script, capture_output=True,
                       text=True, env=_env(tmp_path), timeout=60)
    assert r.returncode == 0
    assert r.stdout == "6\n"
    diag = ("<repl>:4:27: error: division by zero\n"
            "    while i < n { s += 10 / (n - i - 1); i += 1 }\n" + " " * 26 + "^\n")
    assert r.stderr == diag + diag


def test_ctrl_c_stops_compiled_loops(tmp_path: Path) -> None:
    """Ctrl-C stops a loop typed at the prompt and a loop in a function once they run as
    compiled code (entered by OSR: the log says so before the key is pressed); the
    session goes on with its variables as they were."""
    pexpect = pytest.importorskip("pexpect", reason="pexpect drives the pseudo-terminal")
    pytest.importorskip("llvmlite")
    c = pexpect.spawn(EXE, ["repl", "--jit-log"], env=_env(tmp_path), encoding="utf-8",
                      timeout=60, dimensions=(24, 200))
    try:
        c.expect(">>")
        c.send("let mut s = 5\r")
        c.expect(">>")
        c.send('println("spin"); while s >= 0 { s = (s + 1) % 1000 }\r')
        c.expect(r"\[jit\] osr loop at <repl>:2:18 typed at the prompt")
        c.sendintr()
        c.expect("interrupted")
        c.expect(">>")
        c.send("s + 1\r")
        c.expect("6\r\n")
        c.expect(">>")
        c.send("fn f(n) { let mut t = 0; while t >= 0 { t = (t + n) % 7 }; t }\r")
        c.expect(">>")
        c.send("s = 40; f(3)\r")
        c.expect(r"\[jit\] osr loop at <repl>:4:26 in f\(int\)")
        c.sendintr()
        c.expect("interrupted")
        c.expect(">>")
        c.send("s + 2\r")
        c.expect("7\r\n")
        c.expect(">>")
        c.sendeof()
        c.expect(pexpect.EOF)
    finally:
        c.close(force=True)
    assert c.exitstatus == 0


def test_sigint_stops_a_compiled_loop_read_from_a_pipe(tmp_path: Path) -> None:
    """SIGINT to a session reading a pipe stops the compiled loop of the input that
    runs; the inputs after it run."""
    pytest.importorskip("llvmlite")
    import signal
    p = subprocess.Popen([EXE, "repl", "--no-cache", "--jit-log"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=_env(tmp_path))
    try:
        p.stdin.write("let mut s = 1\nwhile s > 0 { s = s % 1000 + 1 }\n")
        p.stdin.flush()
        while "[jit] osr loop" not in (line := p.stderr.readline()):
            assert line, "the session ended before the loop was compiled"
        p.send_signal(signal.SIGINT)
        out, err = p.communicate("s\n", timeout=60)
    finally:
        if p.poll() is None:  # a failed test must not leave a spinning session behind
            p.kill()
            p.communicate()
    assert p.returncode == 0
    assert (out, err) == ("1\n", "interrupted\n"), err
