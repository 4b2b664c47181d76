"""The whole program compiled ahead in the background (jit/background.py): a plain
``run`` forks a child that compiles it at tier 2 while the interpreter runs, and switches
to the compiled program at a checkpoint, replaying it from the start without writing
again what the interpreter printed. ``RUCHY_OPT_JIT_AHEAD=wait`` makes the first
checkpoint wait for the compile, so the switch happens at a known place.

Expected outputs come from Python twins of the programs; errors (their messages and
positions) from tier 0, the reference every tier must match.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Optional

import pytest

from jit_support import REPO, events, split_log, tier0
from jit_support import _seed  # the runtime library, built once per session


def _env(cache: Path, ahead: Optional[str]) -> dict:
    env = dict(os.environ, RUCHY_OPT_CACHE_DIR=str(cache), RUCHY_OPT_STRICT="1")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    for k in ("RUCHY_OPT_NO_CACHE", "RUCHY_OPT_JIT_REMEMBER", "RUCHY_OPT_JIT_SCALE",
              "RUCHY_OPT_JIT_AHEAD"):
        env.pop(k, None)
    if ahead is not None:
        env["RUCHY_OPT_JIT_AHEAD"] = ahead
    return env


def _run(path: Path, cache: Path, *opts: str, ahead: Optional[str] = "wait",
         merged: bool = False) -> subprocess.CompletedProcess:
    """``ruchy-opt run OPTS PATH`` as the console script runs it (``merged``: stderr
    into the same pipe as stdout)."""
    _seed(cache)
    return subprocess.run([sys.executable, "-m", "ruchy_opt.launch", "run", *opts, str(path)],
                          env=_env(cache, ahead), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT if merged else subprocess.PIPE,
                          timeout=300)


def _text(b: Optional[bytes]) -> str:
    return (b or b"").decode("utf-8")


def _libraries(cache: Path) -> list[Path]:
    return sorted((cache / "programs").glob("*.so"))


# ---- an error after the switch, output on both streams before it --------------------

ERRORS = """fun work(n: i64, tag: i64) -> i64 {
    let mut s = tag
    for i in 0..n {
        s = (s * 31 + i) % 1000003
    }
    s
}
println("start ✓")
eprintln("to stderr é")
let mut t = 0
let mut k = 0
while k < 30000 {
    t = (t + k * 7) % 1000003
    if k % 10000 == 0 { println("k {} t {}", k, t) }
    k += 1
}
println(work(1000, t))
let a = [1, 2, 3]
println(a[work(10, 1) % 5 + 3])
"""


def _errors_twin() -> tuple[str, str]:
    """(stdout, what the interpreter printed on stdout before the loop's OSR check at
    its iteration 20000, where the first checkpoint is)."""
    def work(n: int, tag: int) -> int:
        s = tag
        for i in range(n):
            s = (s * 31 + i) % 1000003
        return s
    out = before = "start ✓\n"
    t = 0
    for k in range(30000):
        if k == 20000:
            before = out
        t = (t + k * 7) % 1000003
        if k % 10000 == 0:
            out += f"k {k} t {t}\n"
    return out + f"{work(1000, t)}\n", before


def test_runtime_error_after_the_switch_is_tier0s_and_nothing_is_printed_twice(
        tmp_path: Path) -> None:
    path = tmp_path / "errors.ruchy"
    path.write_text(ERRORS)
    cache = tmp_path / "cache"
    want_out, before = _errors_twin()
    want = tier0(path)
    assert (want.status, want.stdout) == (1, want_out)
    p = _run(path, cache, "--jit-log")
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (want.status, want_out, want.stderr), log
    switch = events(log, "switch")
    assert len(switch) == 1, log
    assert f"at the loop at {path}:12:1 in the top level" in switch[0]
    skipped_err = len("to stderr é\n".encode())
    assert (f"not writing again the {len(before.encode())} bytes of stdout and "
            f"{skipped_err} of stderr") in switch[0]
    assert _libraries(cache), "the compiled program is kept in the program cache"
    # the run was hot: the next one starts from the compiled program, the same way
    again = _run(path, cache, "--jit-log")
    log2, rest2 = split_log(_text(again.stderr))
    assert (again.returncode, _text(again.stdout), rest2) == (1, want_out, want.stderr)
    assert events(log2, "remembered") and not events(log2, "background"), log2


# ---- a stack overflow after the switch ------------------------------------------------

OVERFLOW = """fun down(n: i64) -> i64 {
    if n == 0 { return 0 }
    1 + down(n + 1)
}
let mut s = 0
for i in 0..30000 {
    s = (s + i * 7) % 1000003
    if i % 10000 == 0 { println("i {} s {}", i, s) }
}
eprintln("going down")
println(down(1))
"""


def test_stack_overflow_after_the_switch_is_tier0s(tmp_path: Path) -> None:
    path = tmp_path / "overflow.ruchy"
    path.write_text(OVERFLOW)
    s, out = 0, ""
    for i in range(30000):
        s = (s + i * 7) % 1000003
        if i % 10000 == 0:
            out += f"i {i} s {s}\n"
    want = tier0(path)
    assert (want.status, want.stdout) == (1, out)
    assert "stack overflow" in want.stderr
    p = _run(path, tmp_path / "cache", "--jit-log")
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (1, out, want.stderr), log
    assert events(log, "switch"), log


# ---- both streams into one pipe: the order is the interpreter's ------------------------

ORDER = """fun step(i: i64) -> i64 { (i * 7 + 3) % 11 }
println("head ✓")
eprintln("ehead")
print("x")
eprint("y")
println("")
let mut s = 0
for i in 0..40000 {
    s += step(i)
    if i % 5000 == 0 {
        println("out {}", s)
        eprintln("err {}", i)
        print("a")
        eprint("b")
        println("")
        eprintln("")
    }
}
println("done {}", s)
"""


def test_output_of_both_streams_stays_in_order(tmp_path: Path) -> None:
    path = tmp_path / "order.ruchy"
    path.write_text(ORDER)
    want, s = "head ✓\nehead\nxy\n", 0
    for i in range(40000):
        s += (i * 7 + 3) % 11
        if i % 5000 == 0:
            want += f"out {s}\nerr {i}\nab\n\n"
    want += f"done {s}\n"
    cache = tmp_path / "cache"
    p = _run(path, cache, merged=True)
    assert (p.returncode, _text(p.stdout)) == (0, want)
    assert _libraries(cache), "the run switched to the compiled program"
    # with the log in the same pipe: its lines stand between whole lines of output
    for entry in [*_libraries(cache), *(cache / "jit" / "remembered").glob("*")]:
        entry.unlink()  # a cold run again
    p = _run(path, cache, "--verbose", merged=True)
    lines = _text(p.stdout).splitlines(keepends=True)
    assert any(ln.startswith("[jit] switch at ") for ln in lines)
    assert "".join(ln for ln in lines if not ln.startswith("[jit] ")) == want


# ---- a run that ends first does not wait for the compile --------------------------------

def _big_program(n: int) -> str:
    """``n`` functions with loops, each reachable but only the first called: the
    compile takes seconds, the run milliseconds."""
    fns = "".join(f"""fun f{i}(n: i64) -> i64 {{
    let mut s = {i}
    for j in 0..n {{ s = (s * {i + 3} + j) % 1000003 }}
    s
}}
""" for i in range(n))
    arms = "".join(f"        {i} => f{i}(n),\n" for i in range(1, n))
    return fns + f"""fun pick(k: i64, n: i64) -> i64 {{
    match k {{
        0 => f0(n),
{arms}        _ => 0,
    }}
}}
println(pick(0, 10))
"""


def test_run_that_ends_first_kills_the_compile(tmp_path: Path) -> None:
    path = tmp_path / "big.ruchy"
    path.write_text(_big_program(60))
    s = 0
    for j in range(10):
        s = (s * 3 + j) % 1000003
    cache = tmp_path / "cache"
    p = _run(path, cache, "--jit-log", "--jit-ahead=0", ahead=None)
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (0, f"{s}\n", ""), log
    started = events(log, "background")
    assert started and " in process " in started[0], log
    pid = int(started[0].split(" in process ")[1].split(",")[0])
    if events(log, "switch"):
        # The child starts before parsing: on a loaded machine (CI's two workers) it can
        # finish the compile before the run has translated its 60 functions, and the run
        # then switches (correctly, as checked above); this test's premise did not hold.
        pytest.skip("the compile ended before the run did (a loaded machine)")
    # the child was ended with the run, not waited for: no compiled program, no process
    assert not _libraries(cache)
    try:
        os.kill(pid, 0)
        alive = True
    except ProcessLookupError:
        alive = False
    assert not alive
    import tempfile
    assert not (Path(tempfile.gettempdir()) / f"ruchy-opt-ahead-{pid}").exists()


# ---- what does not compile whole, and a damaged cache ---------------------------------

ARGS = """fun count(n: i64) -> i64 {
    let mut c = 0
    for i in 0..n { if i % 3 == 0 { c += 1 } }
    c
}
let args = std::env::args()
let mut t = 0
for r in 0..30 { t += count(1000) }
println(args.len(), t)
"""


def test_program_that_does_not_compile_whole_keeps_the_tiered_runtime(
        tmp_path: Path) -> None:
    path = tmp_path / "args.ruchy"
    path.write_text(ARGS)
    want = f"1 {30 * len(range(0, 1000, 3))}\n"
    cache = tmp_path / "cache"
    p = _run(path, cache, "--jit-log")
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (0, want, ""), log
    assert any("does not compile whole" in ln for ln in events(log, "background")), log
    assert not events(log, "switch"), log
    # later runs know: no child at all
    p = _run(path, cache, "--jit-log")
    log, _ = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout)) == (0, want)
    assert not events(log, "background"), log


def test_damaged_program_cache_entry_is_compiled_again(tmp_path: Path) -> None:
    path = tmp_path / "errors.ruchy"
    path.write_text(ERRORS)
    cache = tmp_path / "cache"
    want_out, _ = _errors_twin()
    want = tier0(path)
    assert _run(path, cache).returncode == 1
    for opts in (["--jit-log"], []):  # the tiered runtime's path, the launcher's
        libraries = _libraries(cache)
        assert libraries
        for so in libraries:
            data = bytearray(so.read_bytes())
            data[len(data) // 2:len(data) // 2 + 64] = b"\xff" * 64
            so.write_bytes(bytes(data))
        p = _run(path, cache, *opts)
        _, rest = split_log(_text(p.stderr))
        # the note --jit-log adds (docs/jit.md "Trusting the cache"), then tier 0's bytes
        notes = [ln for ln in rest.splitlines() if ln.startswith("ruchy-opt: cache: ")]
        assert len(notes) == (1 if opts else 0), notes
        assert all("discarded" in n for n in notes)
        rest = "".join(ln for ln in rest.splitlines(keepends=True)
                       if not ln.startswith("ruchy-opt: cache: "))
        assert (p.returncode, _text(p.stdout), rest) == (1, want_out, want.stderr)


# ---- the child forked at the start of the run ----------------------------------------

HOT = """fun work(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = (s * 31 + i) % 1000003 }
    s
}
println(work(3000000))
"""


def _hot_twin() -> str:
    s = 0
    for i in range(3000000):
        s = (s * 31 + i) % 1000003
    return f"{s}\n"


def test_the_child_is_forked_before_parsing_and_gets_the_parsed_program(
        tmp_path: Path) -> None:
    path = tmp_path / "hot.ruchy"
    path.write_text(HOT)
    cache = tmp_path / "cache"
    p = _run(path, cache, "--jit-log")
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (0, _hot_twin(), ""), log
    started = events(log, "background")
    assert started and " before parsing ended" in started[0], log
    assert events(log, "switch"), log
    assert _libraries(cache)


def test_a_plain_run_forks_in_the_launcher_and_switches(tmp_path: Path) -> None:
    """``run FILE``: the launcher forks the child before the front end is imported
    (no log: a plain run has no options); the run switches, so the program is
    remembered and its next run starts from the compiled program."""
    path = tmp_path / "hot.ruchy"
    path.write_text(HOT)
    cache = tmp_path / "cache"
    p = _run(path, cache)
    assert (p.returncode, _text(p.stdout), _text(p.stderr)) == (0, _hot_twin(), "")
    assert _libraries(cache)
    again = _run(path, cache, "--jit-log")
    log, rest = split_log(_text(again.stderr))
    assert (again.returncode, _text(again.stdout), rest) == (0, _hot_twin(), "")
    assert events(log, "remembered") and not events(log, "background"), log


def test_a_program_without_loops_or_functions_forks_nothing(tmp_path: Path) -> None:
    path = tmp_path / "flat.ruchy"
    path.write_text('let a = 6\nlet b = a * 7\nprintln("{}", b)\n')
    p = _run(path, tmp_path / "cache", "--jit-log", ahead=None)
    log, rest = split_log(_text(p.stderr))
    assert (p.returncode, _text(p.stdout), rest) == (0, "42\n", ""), log
    assert not events(log, "background"), log


def _processes_naming(word: str) -> list[int]:
    """The processes whose command line has ``word``."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            if word.encode() in (d / "cmdline").read_bytes():
                found.append(int(d.name))
        except OSError:
            pass
    return found


def _key_in(cache: Path, path: Path, text: str) -> str:
    """The program's cache key as a run with RUCHY_OPT_CACHE_DIR=cache computes it
    (the key depends on nothing else)."""
    from unittest import mock
    from ruchy_opt.jit.remember import program_key
    with mock.patch.dict(os.environ, {"RUCHY_OPT_CACHE_DIR": str(cache)}):
        return program_key(str(path), text)


def test_a_program_that_does_not_parse_leaves_no_child(tmp_path: Path) -> None:
    """The launcher started the child before parsing (its command line has the
    program's cache key); the syntax error is reported as usual, and the child is
    killed with the run."""
    import time
    path = tmp_path / "bad.ruchy"
    text = "fun f(n: i64) -> i64 {\n    for i in 0..n { }\n    n +\n}\n"
    path.write_text(text)
    cache = tmp_path / "cache"
    _seed(cache)
    key = _key_in(cache, path, text)
    p = _run(path, cache, ahead=None)
    assert p.returncode == 1 and "bad.ruchy:" in _text(p.stderr) and \
        "error" in _text(p.stderr), _text(p.stderr)
    assert "Traceback" not in _text(p.stderr)
    deadline = time.monotonic() + 10
    while _processes_naming(key) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_naming(key)


def test_the_child_is_a_fresh_interpreter_named_by_its_key(tmp_path: Path) -> None:
    """While a run interprets, its child is there, a process of its own whose command
    line has the key (the check above would pass vacuously otherwise); it is gone
    after the run."""
    import time
    path = tmp_path / "slow.ruchy"
    text = ("let mut s = 0\nlet mut i = 0\n"
            "while i < 300000 { s = (s + i * 7) % 1000003\n i += 1 }\nprintln(s)\n")
    path.write_text(text)
    cache = tmp_path / "cache"
    _seed(cache)
    env = _env(cache, None)
    env["RUCHY_OPT_JIT_AHEAD"] = "1"
    key = _key_in(cache, path, text)
    proc = subprocess.Popen([sys.executable, "-m", "ruchy_opt.launch", "run", str(path)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = False
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if _processes_naming(key):
            seen = True
            break
        time.sleep(0.005)
    out, err = proc.communicate(timeout=300)
    s = 0
    for i in range(300000):
        s = (s + i * 7) % 1000003
    assert (proc.returncode, out.decode(), err.decode()) == (0, f"{s}\n", "")
    assert seen
    deadline = time.monotonic() + 10
    while _processes_naming(key) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _processes_naming(key)
