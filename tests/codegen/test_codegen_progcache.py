"""The program cache of ``run --tier=1|2``: a second run of the same program runs the
cached shared object (without importing llvmlite or the front end), prints and fails
exactly as the first, and any change of the program compiles it again."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

REPO = os.path.join(os.path.dirname(__file__), "..", "..")
PROBE = ("import sys\n"
         "from ruchy_opt.launch import warm_run\n"
         "s = warm_run(sys.argv[1:])\n"
         "sys.stdout.flush()\n"
         "heavy = sorted(m for m in ('llvmlite', 'lark', 'ruchy_opt.syntax.ast') if m in sys.modules)\n"
         "sys.stderr.write(f'\\nWARM {s} {heavy}\\n')\n")


def _env(cache):
    env = dict(os.environ)
    env["RUCHY_OPT_CACHE_DIR"] = str(cache)
    env.pop("RUCHY_OPT_NO_CACHE", None)
    env["PYTHONPATH"] = os.path.abspath(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _cli(cache, *argv):
    return subprocess.run([sys.executable, "-m", "ruchy_opt.launch", *argv],
                          capture_output=True, text=True, env=_env(cache), timeout=300)


def _probe(cache, *argv):
    return subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                          text=True, env=_env(cache), timeout=300)


def _entries(cache):
    d = os.path.join(cache, "programs")
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


@pytest.mark.parametrize("tier", ["1", "2"])
def test_second_run_is_warm_and_light(tmp_path, tier):
    cache = tmp_path / "cache"
    prog = tmp_path / "p.ruchy"
    prog.write_text("fun sq(x) { x * x }\nprintln(\"hi\", sq(12))\n")
    assert _probe(cache, "run", f"--tier={tier}", str(prog)).stderr.endswith("WARM None []\n")
    first = _cli(cache, "run", f"--tier={tier}", str(prog))
    assert (first.returncode, first.stdout) == (0, "hi 144\n")
    assert [e for e in _entries(cache) if e.endswith(".so")]
    warm = _probe(cache, "run", f"--tier={tier}", str(prog))
    assert warm.stdout == "hi 144\n"
    assert warm.stderr.endswith("WARM 0 []\n"), warm.stderr


def test_cached_run_fails_like_the_first(tmp_path):
    cache = tmp_path / "cache"
    prog = tmp_path / "e.ruchy"
    prog.write_text("let a = [1, 2]\nprintln(a[0])\nlet i = 5\nprintln(a[i])\n")
    runs = [_cli(cache, "run", "--tier=2", str(prog)) for _ in range(2)]
    for r in runs:
        assert r.returncode == 1 and r.stdout == "1\n"
        assert r.stderr.startswith(f"{prog}:4:10: error: index out of bounds"), r.stderr
    assert runs[0].stderr == runs[1].stderr


def test_a_changed_program_is_compiled_again(tmp_path):
    cache = tmp_path / "cache"
    prog = tmp_path / "c.ruchy"
    prog.write_text("println(1 + 1)\n")
    assert _cli(cache, "run", "--tier=2", str(prog)).stdout == "2\n"
    prog.write_text("println(2 + 2)\n")
    assert _cli(cache, "run", "--tier=2", str(prog)).stdout == "4\n"
    assert len([e for e in _entries(cache) if e.endswith(".so")]) == 2
    assert _cli(cache, "run", "--tier=1", str(prog)).stdout == "4\n"
    assert len([e for e in _entries(cache) if e.endswith(".so")]) == 3


def test_options_that_instrument_are_never_served_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    prog = tmp_path / "v.ruchy"
    prog.write_text("println(3)\n")
    _cli(cache, "run", "--tier=2", str(prog))
    r = _cli(cache, "run", "--tier=2", "--verbose", str(prog))
    assert r.stdout == "3\n" and "tier 2: compiled" in r.stderr


def test_a_damaged_entry_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    prog = tmp_path / "d.ruchy"
    prog.write_text("println(7)\n")
    _cli(cache, "run", "--tier=2", str(prog))
    (so,) = [e for e in _entries(cache) if e.endswith(".so")]
    with open(os.path.join(cache, "programs", so), "wb") as f:
        f.write(b"\x7fELF" + b"\0" * 100)
    r = _cli(cache, "run", "--tier=2", str(prog))
    assert (r.returncode, r.stdout, r.stderr) == (0, "7\n", "")
    assert _cli(cache, "run", "--tier=2", str(prog)).stdout == "7\n"
