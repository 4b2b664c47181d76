"""Remembered programs (jit/remember.py): a hot plain run compiles the whole program at
tier 2 for later runs, which start from it before the front end is imported; an edited
program, an error (raised in the interpreter or in compiled code), --no-cache, a short script and a program tier 2 cannot compile whole
are handled as the docs say. Runs are whole processes through the console script's
module (ruchy_opt.launch), with a private cache; ``RUCHY_OPT_JIT_SCALE=0`` makes every
run hot, ``RUCHY_OPT_JIT_BACKGROUND=0`` makes the compile synchronous."""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

from jit_support import REPO, events, split_log, tier0
from jit_support import _seed  # the runtime library, built once per session

PROGRAM = """fun work(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + i % 7 }
    s
}
println(work(1000))
"""

#: Fails at the top level (interpreted: after the hot function ran compiled).
FAILING = PROGRAM + """println("before")
println(10 / (work(7) - 21))
println("never")
"""

#: Fails inside compiled code: work() is compiled at its first call, and its second
#: call divides by zero there (the runtime library ends the process: no Python after it).
FAILING_COMPILED = """fun work(n: i64, d: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + i % 7 }
    s / d
}
println(work(1000, 1))
println("before")
println(work(1000, 0))
println("never")
"""

#: work() compiles, but x is an int or a float: tier 2 would interpret the program.
MIXED = PROGRAM + """let n = [1].len()
let mut x = 1
if n > 0 { x = 2.5 }
println(x)
"""


def _env(cache: Path, **extra: str) -> dict:
    env = dict(os.environ, RUCHY_OPT_CACHE_DIR=str(cache), RUCHY_OPT_STRICT="1",
               RUCHY_OPT_JIT_SCALE="0", RUCHY_OPT_JIT_BACKGROUND="0")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    for k in ("RUCHY_OPT_NO_CACHE", "RUCHY_OPT_JIT_REMEMBER"):
        env.pop(k, None)
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def _run(path: Path, cache: Path, *opts: str, **extra: str) -> subprocess.CompletedProcess:
    """``ruchy-opt run OPTS PATH`` as the console script runs it."""
    _seed(cache)
    return subprocess.run([sys.executable, "-m", "ruchy_opt.launch", "run", *opts, str(path)],
                          env=_env(cache, **extra), capture_output=True, text=True,
                          timeout=180)


def _markers(cache: Path) -> list[Path]:
    d = cache / "jit" / "remembered"
    return sorted(p for p in d.glob("*") if p.suffix != ".lock") if d.exists() else []


def _answer(cache: Path) -> Optional[str]:
    m = _markers(cache)
    return m[0].read_text().split("\n")[2] if len(m) == 1 else None


def _code_entries(cache: Path) -> list[Path]:
    """The tiered runtime's code cache (what a run that compiles or loads code writes
    or reads)."""
    return sorted((cache / "jit").glob("*.o")) + sorted((cache / "jit").glob("*.so"))


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "p.ruchy"
    p.write_text(text)
    return p


def test_hot_program_is_remembered_and_then_runs_whole(tmp_path: Path) -> None:
    path = _write(tmp_path, PROGRAM)
    cache = tmp_path / "c"
    want = tier0(path)
    first = _run(path, cache, "--jit-log")
    assert first.returncode == 0 and first.stdout == want.stdout, first.stderr
    log, _ = split_log(first.stderr)
    assert events(log, "remember") and not events(log, "remembered"), log
    assert _answer(cache) == "tier 2"
    assert list((cache / "programs").glob("*.so"))
    # The tiered runtime's own entries are not needed any more: a remembered run
    # neither interprets, nor compiles, nor loads them (so none come back).
    for e in _code_entries(cache):
        e.unlink()
    plain = _run(path, cache)  # launch.py's path: before the front end is imported
    assert plain.returncode == 0 and plain.stdout == want.stdout and plain.stderr == ""
    logged = _run(path, cache, "--tier=auto", "--jit-log")
    assert logged.returncode == 0 and logged.stdout == want.stdout
    log, rest = split_log(logged.stderr)
    assert len(events(log, "remembered")) == 1 and len(log) == 1, log
    assert rest.strip() == ""
    assert not _code_entries(cache)  # nothing compiled, nothing looked up


def test_edited_program_does_not_run_the_stale_entry(tmp_path: Path) -> None:
    path = _write(tmp_path, PROGRAM)
    cache = tmp_path / "c"
    assert _run(path, cache).returncode == 0
    assert _answer(cache) == "tier 2"
    path.write_text(PROGRAM.replace("i % 7", "i % 5"))
    want = tier0(path)
    got = _run(path, cache, "--jit-log")
    assert got.stdout == want.stdout and got.stdout != "2997\n"
    log, _ = split_log(got.stderr)
    assert not events(log, "remembered"), log
    assert events(log, "remember"), log  # the new text is remembered in turn
    assert len(_markers(cache)) == 2
    again = _run(path, cache, "--jit-log")
    assert again.stdout == want.stdout and events(split_log(again.stderr)[0], "remembered")


def test_runtime_error_is_the_same_on_the_remembered_path(tmp_path: Path) -> None:
    path = _write(tmp_path, FAILING)
    cache = tmp_path / "c"
    want = tier0(path)
    assert want.status == 1 and "division by zero" in want.stderr
    first = _run(path, cache)
    assert (first.returncode, first.stdout, first.stderr) == (1, want.stdout, want.stderr)
    assert _answer(cache) == "tier 2"
    second = _run(path, cache)
    assert (second.returncode, second.stdout, second.stderr) == (1, want.stdout, want.stderr)
    logged = _run(path, cache, "--jit-log")
    log, rest = split_log(logged.stderr)
    assert events(log, "remembered"), log
    assert (logged.returncode, logged.stdout, rest) == (1, want.stdout, want.stderr)


def _wait_for_answer(cache: Path) -> Optional[str]:
    deadline = time.monotonic() + 120
    while _answer(cache) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    return _answer(cache)


def test_runtime_error_in_compiled_code_is_remembered(tmp_path: Path) -> None:
    """A run that a runtime error in compiled code ends is remembered like one that the
    interpreter's error ends: the watch found it hot when work() was compiled, before the
    error, and the detached compile waited for the run's end. Later runs fail alike,
    from tier 2."""
    path = _write(tmp_path, FAILING_COMPILED)
    cache = tmp_path / "c"
    want = tier0(path)
    assert want.status == 1 and want.stdout == "2997\nbefore\n"
    assert "p.ruchy:4:7: error: division by zero" in want.stderr
    first = _run(path, cache, "--jit-log", RUCHY_OPT_JIT_BACKGROUND=None)
    log, rest = split_log(first.stderr)
    assert (first.returncode, first.stdout, rest) == (1, want.stdout, want.stderr), log
    assert any("compiling the whole program at tier 2 once this run ends" in ln
               for ln in events(log, "remember")), log
    assert _wait_for_answer(cache) == "tier 2"
    second = _run(path, cache)
    assert (second.returncode, second.stdout, second.stderr) == (1, want.stdout, want.stderr)
    logged = _run(path, cache, "--jit-log")
    log, rest = split_log(logged.stderr)
    assert events(log, "remembered") and not events(log, "promote"), log
    assert (logged.returncode, logged.stdout, rest) == (1, want.stdout, want.stderr)


def test_program_tier2_cannot_compile_whole_is_not_remembered(tmp_path: Path) -> None:
    path = _write(tmp_path, MIXED)
    cache = tmp_path / "c"
    want = tier0(path)
    first = _run(path, cache, "--jit-log")
    assert first.stdout == want.stdout == "2997\n2.5\n"
    assert _answer(cache) == "no"
    assert not list((cache / "programs").glob("*"))
    second = _run(path, cache, "--jit-log")
    log, _ = split_log(second.stderr)
    assert second.stdout == want.stdout
    assert not events(log, "remembered") and not events(log, "remember"), log


def test_no_cache_and_the_switch_write_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, PROGRAM)
    cache = tmp_path / "c"
    for opts, extra in ((["--no-cache"], {}), ([], {"RUCHY_OPT_NO_CACHE": "1"}),
                        ([], {"RUCHY_OPT_JIT_REMEMBER": "0"})):
        got = _run(path, cache, *opts, **extra)
        assert got.returncode == 0 and got.stdout == "2997\n", got.stderr
        assert not (cache / "jit" / "remembered").exists()
        assert not (cache / "programs").exists()


def test_short_scripts_and_experiments_are_not_remembered(tmp_path: Path) -> None:
    cache = tmp_path / "c"
    short = _write(tmp_path, 'fun greet(n) { "hello, " + n }\nprintln(greet("x"))\n'
                             "for i in 0..3 { println(i) }\n")
    got = _run(short, cache, RUCHY_OPT_JIT_SCALE=None)  # the default thresholds
    assert got.returncode == 0 and got.stdout == "hello, x\n0\n1\n2\n"
    assert not _markers(cache)
    hot = tmp_path / "hot.ruchy"
    hot.write_text(PROGRAM)
    # Thresholds set by hand: an experiment with the tiered runtime, left alone.
    got = _run(hot, cache, "--jit-scale=0", "--jit-log")
    assert got.stdout == "2997\n" and events(split_log(got.stderr)[0], "promote")
    assert not _markers(cache)


def test_background_compile_does_not_hold_the_run(tmp_path: Path) -> None:
    """The run's pipes reach their end while the compile has not even started (it waits
    for the run's process to be reaped); the marker appears afterwards."""
    path = _write(tmp_path, PROGRAM)
    cache = tmp_path / "c"
    _seed(cache)
    p = subprocess.Popen([sys.executable, "-m", "ruchy_opt.launch", "run", str(path)],
                         env=_env(cache, RUCHY_OPT_JIT_BACKGROUND=None),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.stdout.read(), p.stderr.read()  # to EOF: every writer has gone
    assert out == b"2997\n" and err == b""
    locks = list((cache / "jit" / "remembered").glob("*.lock"))
    assert len(locks) == 1 and not _markers(cache)
    fd = os.open(locks[0], os.O_RDWR)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = False
        except OSError:
            held = True
    finally:
        os.close(fd)
    assert held  # the detached compile has it
    assert p.wait(timeout=60) == 0
    assert _wait_for_answer(cache) == "tier 2"
    got = _run(path, cache, "--jit-log")
    assert got.stdout == "2997\n" and events(split_log(got.stderr)[0], "remembered")


def test_damaged_marker_or_entry_runs_the_tiered_runtime(tmp_path: Path) -> None:
    path = _write(tmp_path, PROGRAM)
    cache = tmp_path / "c"
    assert _run(path, cache).returncode == 0 and _answer(cache) == "tier 2"
    marker = _markers(cache)[0]
    good = marker.read_bytes()
    marker.write_bytes(good[:-3])  # truncated
    got = _run(path, cache, "--jit-log")
    assert got.stdout == "2997\n" and not events(split_log(got.stderr)[0], "remembered")
    marker.write_bytes(good)
    so = next((cache / "programs").glob("*.so"))
    so.write_bytes(b"\x7fELF" + b"\0" * 100)  # an ELF header, then nothing loadable
    got = _run(path, cache, "--jit-log")  # discarded (no seal), then remembered again
    assert got.returncode == 0 and got.stdout == "2997\n", got.stderr
    assert not events(split_log(got.stderr)[0], "remembered")
    got = _run(path, cache, "--jit-log")
    assert got.stdout == "2997\n" and events(split_log(got.stderr)[0], "remembered")
