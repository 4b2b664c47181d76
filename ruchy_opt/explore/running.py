"""``explore --run``: the program run as ``ruchy-opt profile`` runs it (the tiered
runtime, with the profiler's counters and sampler and the JIT's log on), in a forked
child whose output is captured, so that compiled code writing to descriptor 1 and an
error that ends the process in compiled code leave this process and its output alone.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from typing import Any

from ..errors import RuchyError, SourceFile, render

JIT_PREFIX = "[jit] "


def _child(src: SourceFile, report_path: str) -> int:
    """In the child: run with profiling, write the report's JSON to ``report_path``."""
    from ..profiler.report import profile_source
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                  errors="replace", newline="\n")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                  errors="replace", newline="\n", line_buffering=True)
    status = 1
    try:
        report, error = profile_source(src, sys.stdout, mode="auto", jit_log=True)
        sys.stdout.flush()
        if error is not None:
            sys.stderr.write(render(error, src))
        with open(report_path, "w", encoding="utf-8") as f:
            json.dump(report.to_json(), f)
        status = 0 if error is None else 1
    except RuchyError as e:
        sys.stdout.flush()
        sys.stderr.write(render(e, src))
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return status


def run_program(src: SourceFile) -> dict[str, Any]:
    """Run ``src``: its exit status, standard output, standard error (without the JIT's
    log), the JIT's log lines, and the profile report (None if compiled code ended the
    run before the report was made)."""
    from ..codegen.native import run_in_child
    fd, path = tempfile.mkstemp(prefix="ruchy-explore-", suffix=".json")
    os.close(fd)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = run_in_child(lambda: _child(src, path), "the program")
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
            report = json.loads(text) if text else None
        except (OSError, ValueError):
            report = None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    lines = err.getvalue().splitlines(True)
    jit = [ln[len(JIT_PREFIX):].rstrip("\n") for ln in lines if ln.startswith(JIT_PREFIX)]
    stderr = "".join(ln for ln in lines if not ln.startswith(JIT_PREFIX))
    return {"status": status, "stdout": out.getvalue(), "stderr": stderr, "jit": jit,
            "profile": report}
