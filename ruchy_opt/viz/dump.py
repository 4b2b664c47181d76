"""``--dump-cfg[=DIR]``: one graphviz file per function per stage, numbered in pipeline
order (``01-ast.fib.dot``, ``02-ssa.fib.dot``, later one per pass and per LLVM stage),
plus an ``.svg`` of each when Graphviz's ``dot`` program is installed.

A later stage (the pass manager, the LLVM tiers) adds its dumps through the same
:class:`CfgDumper`, so numbering stays in pipeline order.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from typing import Optional

from ..ir.core import Module
from ..syntax import ast as A

DEFAULT_DIR = "cfg-dumps"
_told_no_dot = False


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


class CfgDumper:
    """Writes the dumps of successive stages into one directory."""

    def __init__(self, directory: str = DEFAULT_DIR) -> None:
        self.directory = directory
        self.stage = 0
        self.written: list[str] = []

    def _write(self, stage: str, name: str, text: str) -> None:
        os.makedirs(self.directory, exist_ok=True)
        path = os.path.join(self.directory, f"{self.stage:02d}-{_safe(stage)}.{_safe(name)}.dot")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.written.append(path)

    def ast(self, prog: A.Program) -> None:
        """The AST stage: one tree per function, and one for the top-level items."""
        from .astdot import ast_dot
        self.stage += 1
        top = [i for i in prog.items if not isinstance(i, A.FunDef)]
        self._write("ast", "toplevel",
                    ast_dot(A.Block(top, span=prog.span), "top level", f"{self.stage:02d}-ast"))
        for item in prog.items:
            if isinstance(item, A.FunDef):
                self._write("ast", item.name, ast_dot(item, item.name, f"{self.stage:02d}-ast"))

    def ssa(self, module: Module, stage: str) -> None:
        """An SSA stage (``ssa`` after lowering, then one per pass): one CFG per function."""
        from .cfg import cfg_dot
        self.stage += 1
        title = f"{self.stage:02d}-{stage}"
        for f in module.functions.values():
            self._write(stage, f.name, cfg_dot(f, title))

    def finish(self) -> None:
        """Render an .svg next to each .dot when ``dot`` is installed (else say so once)."""
        global _told_no_dot
        todo, self.written = self.written, []
        if not todo:
            return
        dot = shutil.which("dot")
        if dot is None:
            if not _told_no_dot:
                _told_no_dot = True
                print(f"ruchy-opt: note: Graphviz 'dot' is not installed; wrote .dot files "
                      f"only (in {self.directory}/)", file=sys.stderr)
            return
        try:  # one process for all files: -O writes NAME.dot.svg
            subprocess.run([dot, "-Tsvg", "-O", *todo], check=True, capture_output=True,
                           timeout=120)
        except (OSError, subprocess.SubprocessError) as e:
            print(f"ruchy-opt: warning: Graphviz failed ({_reason(e)}); wrote .dot files only",
                  file=sys.stderr)
            return
        for path in todo:
            if os.path.exists(path + ".svg"):
                os.replace(path + ".svg", path[:-4] + ".svg")


def _reason(e: Exception) -> str:
    err: Optional[bytes] = getattr(e, "stderr", None)
    if err:
        return err.decode(errors="replace").strip().splitlines()[0]
    return str(e)
