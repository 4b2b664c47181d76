"""Ctrl-C and a closed pipe end compiled code as they end tier 0 (issue 19, item 2):
SIGINT to a warm ``run --tier=1|2`` (the program cache) or to a remembered plain
``run`` exits 130 without a traceback, keeping what was printed; a printing loop in
compiled code whose reader closed the pipe ends at its next write with status 0."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ruchy_harness import REPO

#: prints, says "go" on stderr (unbuffered: the test waits for it), then never ends
SPIN = """println("out")
eprintln("go")
let mut i = 0
while i >= 0 {
    i = (i + 1) % 1000
}
println(i)
"""
LOOP = """let mut i = 0
while true {
    println(i)
    i += 1
}
"""


def _env(cache: Path) -> dict:
    env = {**os.environ, "RUCHY_OPT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    env.pop("RUCHY_OPT_NO_CACHE", None)
    env.pop("RUCHY_OPT_JIT_SCALE", None)
    return env


def _interrupt(cache: Path, *argv: str) -> tuple[int, str, str]:
    """Start ``ruchy-opt ARGV``, wait until compiled code runs (it says "go"), send
    SIGINT; (status, stdout, stderr before and after)."""
    p = subprocess.Popen([sys.executable, "-m", "ruchy_opt.launch", *argv],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=_env(cache))
    before = []
    while True:
        line = p.stderr.readline()
        before.append(line)
        if line in ("go\n", ""):
            break
    p.send_signal(signal.SIGINT)
    try:
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:  # a failed test must not leave a spinning program behind
            p.kill()
            p.communicate()
    return p.returncode, out, "".join(before) + err


@pytest.mark.parametrize("tier", ["1", "2"])
def test_ctrl_c_on_a_warm_compiled_run(tmp_path: Path, tier: str) -> None:
    cache, prog = tmp_path / "cache", tmp_path / "spin.ruchy"
    prog.write_text(SPIN)
    for _ in ("cold", "warm"):
        status, out, err = _interrupt(cache, "run", f"--tier={tier}", str(prog))
        assert (status, out) == (130, "out\n"), err
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
        assert list((cache / "programs").glob("*.so"))


def test_ctrl_c_on_a_remembered_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache, prog = tmp_path / "cache", tmp_path / "spin.ruchy"
    prog.write_text(SPIN)
    status, _, _ = _interrupt(cache, "run", "--tier=2", str(prog))  # fills the cache
    assert status == 130
    # the program cache's tier-2 entry is the remembered program's: mark it remembered
    monkeypatch.setenv("RUCHY_OPT_CACHE_DIR", str(cache))
    monkeypatch.delenv("RUCHY_OPT_NO_CACHE", raising=False)
    from ruchy_opt.jit import remember
    remember._write_marker(remember.program_key(str(prog), SPIN), "tier 2")
    status, out, err = _interrupt(cache, "run", "--jit-log", str(prog))
    assert "[jit] remembered" in err and (status, out) == (130, "out\n"), err
    status, out, err = _interrupt(cache, "run", str(prog))  # launch.py's own path
    assert (status, out) == (130, "out\n") and "Traceback" not in err, err


def test_closed_pipe_ends_compiled_code(tmp_path: Path) -> None:
    cache, prog = tmp_path / "cache", tmp_path / "loop.ruchy"
    prog.write_text(LOOP)
    p = subprocess.Popen([sys.executable, "-m", "ruchy_opt.launch", "run", "--tier=2",
                          str(prog)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=_env(cache))
    assert p.stdout.readline() == b"0\n"
    p.stdout.close()  # as `| head -1` does
    try:
        status = p.wait(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert status == 0 and b"Traceback" not in p.stderr.read()
