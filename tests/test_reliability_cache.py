"""A damaged, swapped or foreign cache entry is never loaded (issue 19, item 1): the
program cache (``run --tier=1|2``), the runtime objects and the JIT's entries (auto) are
sealed with a digest of their content and the key they were made for
(codegen/cachefile.py), checked with the file's owner and mode before any loader sees
them; what fails is discarded, said under ``--verbose``/``--jit-log``, and rebuilt."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ruchy_harness import REPO
from ruchy_opt.codegen import cachefile

A = 'fun twice(x: i64) -> i64 { x * 2 }\nprintln("A", twice(21))\n'
B = 'fun thrice(x: i64) -> i64 { x * 3 }\nprintln("B", thrice(14))\n'
HOT = """fun work(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n { s = s + i % 7 }
    s
}
println(work(1000))
"""


def _run(cache: Path, *argv: str) -> subprocess.CompletedProcess:
    """``ruchy-opt ARGV`` as the console script runs it, with its own cache."""
    env = {**os.environ, "RUCHY_OPT_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO),
           "RUCHY_OPT_JIT_REMEMBER": "0"}
    env.pop("RUCHY_OPT_NO_CACHE", None)
    return subprocess.run([sys.executable, "-m", "ruchy_opt.launch", *argv],
                          capture_output=True, text=True, env=env, timeout=300)


def _flip(path: Path, at: int = 100) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x40
    path.write_bytes(bytes(data))


# ---- the seal itself -------------------------------------------------------------------

def test_seal_ties_content_to_key() -> None:
    sealed = cachefile.seal(b"\x7fELF payload", "k1")
    assert cachefile.unseal(sealed, "k1") == (b"\x7fELF payload", "")
    assert cachefile.unseal(sealed, "k2")[1] == "made for another key"
    assert cachefile.unseal(sealed[:-3], "k1")[0] is None      # truncated
    flipped = bytearray(sealed)
    flipped[2] ^= 1
    assert "digest" in cachefile.unseal(bytes(flipped), "k1")[1]
    assert cachefile.unseal(b"\x7fELF", "k1")[0] is None       # the old, unsealed kind


def test_written_private_and_foreign_entries_refused(tmp_path: Path) -> None:
    entry = tmp_path / "c" / "sub" / "e.o"
    assert cachefile.write(str(entry), b"code", "key")
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert cachefile.read(str(entry), "key") == b"code"
    os.chmod(entry, 0o620)  # group-writable: someone else could have written it
    assert cachefile.read(str(entry), "key") is None
    assert "writable by group or others" in cachefile.discarded[-1][1]
    assert not entry.exists()  # discarded
    target = tmp_path / "elsewhere.o"
    target.write_bytes(cachefile.seal(b"code", "key"))
    os.symlink(target, entry)
    assert cachefile.read(str(entry), "key") is None  # a link is not an entry


@pytest.mark.skipif(os.geteuid() != 0, reason="making a file of another user needs root")
def test_entry_of_another_user_refused(tmp_path: Path) -> None:
    entry = tmp_path / "e.so"
    assert cachefile.write(str(entry), b"code", "key")
    os.chown(entry, 12345, -1)
    assert cachefile.loadable(str(entry), "key") is None
    assert "owned by another user (uid 12345)" in cachefile.discarded[-1][1]


# ---- the program cache, tiers 1 and 2 --------------------------------------------------

def test_program_cache_damaged_swapped_foreign_tier2(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    a, b = tmp_path / "a.ruchy", tmp_path / "b.ruchy"
    a.write_text(A)
    b.write_text(B)
    assert _run(cache, "run", "--tier=2", str(a)).stdout == "A 42\n"
    so_a = set((cache / "programs").glob("*.so"))
    (runtime,) = cache.glob("runtime-aot-*.o")
    runtime.write_bytes(runtime.read_bytes()[:1000])  # truncated: rebuilt for b
    assert _run(cache, "run", "--tier=2", str(b)).stdout == "B 42\n"
    assert cachefile.unseal(runtime.read_bytes(), runtime.stem.split("-")[-1])[0]
    (so_b,) = set((cache / "programs").glob("*.so")) - so_a
    (so_a,) = so_a
    # swapped: each file holds the other program's code, under the other key
    data_a, data_b = so_a.read_bytes(), so_b.read_bytes()
    so_a.write_bytes(data_b)
    so_b.write_bytes(data_a)
    assert _run(cache, "run", "--tier=2", str(a)).stdout == "A 42\n"
    assert so_a.read_bytes() != data_b  # rebuilt, for its own key
    # damaged: a flipped bit, said under --verbose (which checks the plain run's entry)
    _flip(so_a)
    got = _run(cache, "run", "--tier=2", "--verbose", str(a))
    assert got.stdout == "A 42\n" and "Traceback" not in got.stderr
    assert f"discarded {so_a}: damaged (digest mismatch)" in got.stderr
    # writable by others: not loaded, rebuilt
    os.chmod(so_b, 0o666)
    got = _run(cache, "run", "--tier=2", str(b))
    assert got.returncode == 0 and got.stdout == "B 42\n"
    assert stat.S_IMODE(so_b.stat().st_mode) == 0o600


def test_program_cache_damaged_tier1(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    a = tmp_path / "a.ruchy"
    a.write_text(A)
    assert _run(cache, "run", "--tier=1", str(a)).stdout == "A 42\n"
    (so,) = (cache / "programs").glob("*.so")
    so.write_bytes(so.read_bytes()[:-40])  # truncated: its trailer is gone
    got = _run(cache, "run", "--tier=1", str(a))
    assert got.returncode == 0 and got.stdout == "A 42\n", got.stderr
    assert cachefile.unseal(so.read_bytes(), so.stem)[0] is not None  # rebuilt


# ---- the JIT's entries (auto) -------------------------------------------------------

def test_jit_entries_swapped_or_foreign_are_not_loaded(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    prog = tmp_path / "p.ruchy"
    prog.write_text(HOT)
    first = _run(cache, "run", "--jit-scale=0", str(prog))
    assert first.stdout == "2997\n"
    objects = sorted((cache / "jit").glob("*.o"))
    assert len(objects) >= 2  # the function and its loop's OSR continuation
    x, y = objects[:2]
    data_x, data_y = x.read_bytes(), y.read_bytes()
    x.write_bytes(data_y)
    y.write_bytes(data_x)
    for so in (cache / "jit").glob("*.so"):
        os.chmod(so, 0o664)  # group-writable
    got = _run(cache, "run", "--jit-scale=0", "--jit-log", str(prog))
    assert got.returncode == 0 and got.stdout == "2997\n", got.stderr
    assert "made for another key" in got.stderr
    assert "writable by group or others" in got.stderr
    assert "Traceback" not in got.stderr


# ---- the start-up caches: the parser's tables, the dataclass methods' code -------------

def test_parser_and_dataclass_caches_damaged_or_foreign_are_rebuilt(tmp_path: Path) -> None:
    """The parser's pickled tables and the marshalled dataclass code are sealed too:
    pickle runs code and marshal trusts its input, so a flipped byte or a file others
    may write is discarded and rebuilt, never loaded."""
    prog = tmp_path / "a.ruchy"
    prog.write_text(A)
    xdg = tmp_path / "xdg"
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg), "PYTHONPATH": str(REPO)}
    run = lambda: subprocess.run([sys.executable, "-m", "ruchy_opt.launch", "run", "--tier=0",
                                  str(prog)], capture_output=True, text=True, env=env,
                                 timeout=300)
    first = run()
    assert first.returncode == 0 and first.stdout == "A 42\n", first.stderr
    d = xdg / "ruchy-opt"
    tables = next(d.glob("parser-tables-*.pickle.*"))
    code = next(d.glob("dataclass-code-*"))
    for f in (tables, code):
        _flip(f, at=len(f.read_bytes()) // 2)
    damaged = {f: f.read_bytes() for f in (tables, code)}
    again = run()
    assert again.returncode == 0 and again.stdout == "A 42\n", again.stderr
    assert "Traceback" not in again.stderr
    for f, data in damaged.items():  # rebuilt: a sealed file whose digest holds again
        assert f.read_bytes() != data
        assert cachefile.unseal(f.read_bytes(), f.name[-64:])[0] is not None
    os.chmod(tables, 0o666)
    third = run()
    assert third.returncode == 0 and third.stdout == "A 42\n", third.stderr
    assert stat.S_IMODE(tables.stat().st_mode) & 0o022 == 0  # the foreign one was replaced
