"""Helpers of the REPL tests: a session driven in-process, its output captured."""
from __future__ import annotations

import io
from dataclasses import replace

from ruchy_opt.jit.policy import DEFAULT_POLICY
from ruchy_opt.repl.commands import handle
from ruchy_opt.repl.main import run_pipe
from ruchy_opt.repl.session import Session


class Driven:
    """A session fed lines as if typed; ``out``/``err`` hold what it printed."""

    def __init__(self, tier1: float = DEFAULT_POLICY.tier1,
                 osr: float = DEFAULT_POLICY.osr) -> None:
        self.out, self.err = io.StringIO(), io.StringIO()
        policy = replace(DEFAULT_POLICY, tier1=tier1, osr=osr, scale=1.0)
        self.session = Session(policy, out=self.out, err=self.err, disk_cache=False)
        self.line = 0

    def feed(self, text: str) -> tuple[str, str]:
        """Run ``text`` (a whole script: inputs gathered as from a pipe); the output
        and diagnostics it added."""
        o, e = len(self.out.getvalue()), len(self.err.getvalue())
        stream = io.StringIO(text)
        from ruchy_opt.repl.reader import PipeReader
        reader = PipeReader(stream)
        reader.line = self.line
        while True:
            got = reader.read()
            if got is None:
                break
            handle(self.session, *got)
        self.line = reader.line
        return self.out.getvalue()[o:], self.err.getvalue()[e:]


__all__ = ["Driven", "run_pipe"]
