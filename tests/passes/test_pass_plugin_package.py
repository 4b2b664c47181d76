"""The example out-of-tree plugin package (examples/plugin-hello), installed with pip
into a scratch directory, is found through its entry points and runs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "plugin-hello"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PYTHONPATH entry holding the installed package (pip builds a copy of the source,
    so the example folder stays clean)."""
    tmp = tmp_path_factory.mktemp("plugin")
    src = tmp / "src"
    shutil.copytree(EXAMPLE, src)
    target = tmp / "site"
    p = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                        "--target", str(target), str(src)],
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0:
        pytest.skip(f"pip could not build the example package here:\n{p.stderr[-2000:]}")
    return target


def ruchy_opt(site: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(site),
               PATH=str(BIN) + os.pathsep + os.environ.get("PATH", ""))
    return subprocess.run([str(BIN / "ruchy-opt"), *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


def test_listed_with_its_package(installed: Path) -> None:
    p = ruchy_opt(installed, "--list-passes")
    assert p.returncode == 0, p.stderr
    assert "strength-reduce  Turn x * 2 into x + x for 64-bit ints  " \
           "[package ruchy-opt-hello 0.1.0]" in p.stdout


def test_runs_in_a_pipeline(installed: Path, tmp_path: Path) -> None:
    prog = tmp_path / "p.ruchy"
    prog.write_text("fun dbl(x: i64) -> i64 { x * 2 }\nprintln(dbl(21))\n")
    p = ruchy_opt(installed, "--passes=typespec,strength-reduce,hello<greeting=hi>", str(prog))
    assert p.returncode == 0, p.stderr
    assert "add.i64 %x.0, %x.0" in p.stdout and "hi @dbl (" in p.stderr
    run = ruchy_opt(installed, "run", "--tier=ir", "--passes=typespec,strength-reduce",
                    str(prog))
    assert (run.returncode, run.stdout) == (0, "42\n"), run.stderr


def test_its_filecheck_test_passes(installed: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(installed))
    p = subprocess.run([sys.executable, "-m", "ruchy_opt.passmgr.lit",
                        str(EXAMPLE / "tests")], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
