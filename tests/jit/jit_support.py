"""Helpers of the tiered runtime's tests: run ``ruchy-opt run`` in mixed mode with a
private code cache, and read its --jit-log."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ruchy_harness import REPO, Result, run_cli  # noqa: E402

#: Thresholds at zero: every function is compiled at its first call and every loop
#: offered for OSR at once.
EVERYTHING_HOT = ["--jit-scale=0"]


def run_auto(path: Path | str, cache: Path, extra: Sequence[str] = (),
             subprocess_: bool = False, env: Optional[dict] = None) -> Result:
    """``ruchy-opt run --tier=auto --jit-log EXTRA PATH`` with its cache in ``cache``
    (which starts with the runtime library, built once per test session). The whole
    program is not compiled ahead (jit/background.py) unless ``env`` says
    ``RUCHY_OPT_JIT_AHEAD=1``: these tests are about what the counters promote."""
    _seed(Path(cache))
    old = {k: os.environ.get(k) for k in ("RUCHY_OPT_CACHE_DIR", "RUCHY_OPT_NO_CACHE",
                                           "RUCHY_OPT_STRICT", "RUCHY_OPT_JIT_AHEAD")}
    os.environ["RUCHY_OPT_CACHE_DIR"] = str(cache)
    os.environ.pop("RUCHY_OPT_NO_CACHE", None)
    os.environ["RUCHY_OPT_STRICT"] = "1"  # a compiler bug fails the test, not falls back
    os.environ["RUCHY_OPT_JIT_AHEAD"] = "0"
    os.environ.update(env or {})
    try:
        return run_cli(["run", "--tier=auto", "--jit-log", *extra, str(path)],
                       subprocess_=subprocess_)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


_SEED = Path(tempfile.gettempdir()) / f"ruchy-opt-jit-tests-{os.getuid()}"
_seeded: list[Path] = []


def _seed(cache: Path) -> None:
    """Copy the runtime library objects into a fresh cache directory (compiling them
    takes seconds; subprocess runs would otherwise each do it)."""
    if not _seeded:
        warm_llvm(_SEED)
        _seeded.append(_SEED)
    if not cache.exists():
        cache.mkdir(parents=True)
        for f in _SEED.glob("runtime-*.o"):
            shutil.copy(f, cache / f.name)


def warm_llvm(cache: Path) -> None:
    """Load llvmlite and the runtime library (both kinds: MCJIT's and the one linked
    into shared objects) in this process, so that the forked runs of in-process tests
    inherit them instead of each building them again."""
    old = os.environ.get("RUCHY_OPT_CACHE_DIR")
    os.environ["RUCHY_OPT_CACHE_DIR"] = str(cache)
    try:
        from ruchy_opt.codegen.rtcache import runtime_object
        runtime_object(jit=True)
        runtime_object(jit=False)
    finally:
        if old is None:
            os.environ.pop("RUCHY_OPT_CACHE_DIR", None)
        else:
            os.environ["RUCHY_OPT_CACHE_DIR"] = old


def split_log(stderr: str) -> tuple[list[str], str]:
    """(the [jit] lines, the rest of stderr)."""
    log = [ln for ln in stderr.split("\n") if ln.startswith("[jit] ")]
    rest = "\n".join(ln for ln in stderr.split("\n") if not ln.startswith("[jit] "))
    return log, rest


def events(log: list[str], kind: str) -> list[str]:
    """The log lines of one kind (promote, deopt, blacklist, osr, cache-hit, ...)."""
    return [ln for ln in log if ln.startswith(f"[jit] {kind} ")]


def tier0(path: Path | str) -> Result:
    return run_cli(["run", "--tier=0", str(path)])


__all__ = ["EVERYTHING_HOT", "REPO", "assert_osr_entered_same_as_tier0", "run_auto", "split_log",
           "events", "tier0", "warm_llvm"]


def log_of_run_like_tier0(path: Path, text: str, cache: Path, options: Sequence[str],
                          same_stderr: bool = False) -> list[str]:
    """Write ``text`` to ``path`` and run it under auto with ``options`` and at tier 0:
    the same output and status (with ``same_stderr``, also the same stderr once the JIT
    log is taken out). Returns the JIT log."""
    path.write_text(text)
    got = run_auto(path, cache, options)
    want = tier0(path)
    assert (got.stdout, got.status) == (want.stdout, want.status), got.stderr
    log, rest = split_log(got.stderr)
    if same_stderr:
        assert rest == want.stderr
    return log


def assert_osr_entered_same_as_tier0(path: Path, text: str, where: str, live: str,
                                     cache: Path, options: Sequence[str]) -> None:
    """Run ``text`` under auto with ``options`` and at tier 0: the same output, status
    and errors, and the first OSR entry at ``FILE:where`` with the live values ``live``
    (nothing refused)."""
    log = log_of_run_like_tier0(path, text, cache, options, same_stderr=True)
    osr = events(log, "osr")
    assert osr, log
    assert f"{path.name}:{where} " in osr[0], osr
    assert f"with live values {live};" in osr[0], osr
    assert not events(log, "osr-refused"), log
