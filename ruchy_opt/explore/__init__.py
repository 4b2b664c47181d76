"""``ruchy-opt explore``: one self-contained HTML page of the whole pipeline of a
program: source, AST, SSA after lowering, every pass run (diffs, CFG drawings, time,
statistics), LLVM IR before and after LLVM's pipeline, assembly, and with ``--run``
the output, the profile and what the tiered runtime compiled (docs/explore.md).

``collect.py``/``compiled.py`` gather the data (the pass manager's instrumentation hook,
``recorder.py``), ``graphs.py`` draws the CFGs, ``running.py`` runs the program,
``page.py`` writes the page from ``template.html``, ``explore.js`` and ``explore.css``.
"""
from __future__ import annotations

from .command import explore_parser, run_explore

__all__ = ["explore_parser", "run_explore"]
