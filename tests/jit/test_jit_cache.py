"""The code cache: a second run compiles nothing; an edited callee is never run stale;
a corrupt or truncated entry is rebuilt; processes sharing a cache never read a partial
entry."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jit_support import EVERYTHING_HOT, REPO, events, run_auto, split_log, tier0

PROGRAM = """fun helper(x: i64) -> i64 { x * 3 }
fun work(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + helper(i) % 7 }
    s
}
println(work(1000))
"""


def _entries(cache: Path) -> list[Path]:
    """Object files (MCJIT) and shared objects (ctypes)."""
    return sorted((cache / "jit").glob("*.o")) + sorted((cache / "jit").glob("*.so"))


def _whole(entry: Path) -> bool:
    """Whether ``entry`` is sealed for the key it is named by (codegen/cachefile.py)."""
    from ruchy_opt.codegen.cachefile import unseal
    return unseal(entry.read_bytes(), entry.stem)[0] is not None


def test_second_run_compiles_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(PROGRAM)
    cache = tmp_path / "c"
    first = run_auto(path, cache, EVERYTHING_HOT)
    log1, _ = split_log(first.stderr)
    assert any("compiled in" in ln for ln in log1) and not events(log1, "cache-hit"), log1
    assert _entries(cache)
    second = run_auto(path, cache, EVERYTHING_HOT)
    assert second.stdout == first.stdout
    log2, _ = split_log(second.stderr)
    assert events(log2, "cache-hit"), log2
    assert not any("compiled in" in ln for ln in log2), log2


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(PROGRAM)
    cache = tmp_path / "c"
    got = run_auto(path, cache, EVERYTHING_HOT + ["--no-cache"], subprocess_=True)
    assert got.status == 0 and got.stdout == "2999\n", got.stderr
    assert not _entries(cache)


def test_edited_callee_is_not_run_stale(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(PROGRAM)
    cache = tmp_path / "c"
    first = run_auto(path, cache, EVERYTHING_HOT)
    path.write_text(PROGRAM.replace("x * 3", "x * 5"))
    second = run_auto(path, cache, EVERYTHING_HOT)
    assert second.stdout != first.stdout
    assert second.stdout == tier0(path).stdout
    log, _ = split_log(second.stderr)
    assert not any("work(" in ln for ln in events(log, "cache-hit")), log


def test_corrupt_entries_are_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(PROGRAM)
    cache = tmp_path / "c"
    want = run_auto(path, cache, EVERYTHING_HOT).stdout
    entries = _entries(cache)
    good = {p: p.read_bytes() for p in entries}
    for i, p in enumerate(entries):  # truncate one, flip a byte of the others
        data = bytearray(good[p])
        if i == 0:
            data = data[: len(data) // 2]
        else:
            data[-10] ^= 0xFF
        p.write_bytes(bytes(data))
    got = run_auto(path, cache, EVERYTHING_HOT)
    assert got.status == 0 and got.stdout == want, got.stderr
    log, _ = split_log(got.stderr)
    assert not events(log, "cache-hit"), log
    assert set(_entries(cache)) == set(good)  # every entry rewritten, whole
    for p in _entries(cache):
        assert _whole(p), p
    assert run_auto(path, cache, EVERYTHING_HOT).stdout == want


def test_concurrent_processes_share_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "p.ruchy"
    path.write_text(PROGRAM)
    cache = tmp_path / "c"
    env = {"RUCHY_OPT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO)}
    import os
    env = {**os.environ, **env}
    env.pop("RUCHY_OPT_NO_CACHE", None)
    procs = [subprocess.Popen([sys.executable, "-m", "ruchy_opt.cli", "run", "--jit-scale=0",
                               str(path)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0 and out == b"2999\n", err.decode()
    assert _entries(cache)
    for e in _entries(cache):
        assert _whole(e)
    assert not list((cache / "jit").glob(".tmp-*"))  # no temporary left behind
    assert not list((cache / "jit").glob(".load-*"))
