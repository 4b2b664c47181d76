"""What the pass runner does when a pass fails: name the pass (and its plugin), write a
reproducer, and find the pass that left invalid IR by replaying the pipeline.

A pass is blamed only for its own output: the pipeline is given valid IR (the command
line verifies a ``.ssa`` input, lowering verifies its result, and the compiled tiers
make their specialised module valid first, see compiled.py), and a failure is reported
against the application that produced it. The reproducer holds the IR that application
was given, so its ``replay:`` command fails the same way.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from .api import Pass, PassManagerError

if TYPE_CHECKING:
    from ..ir import Module
    from .runner import PassEvent


class PassFailure(PassManagerError):
    """A pass raised, or left invalid IR behind (with ``--verify-each``). The message
    names the pass, where it came from, and the reproducer file if one was written."""


class StopReplay(Exception):
    """Raised to stop a replay just before the failing application."""


class FailureMixin:
    """The failure half of :class:`~.runner.PassRunner`."""

    registry: Any
    reproducer: Any
    arg_types: Any
    options: Any
    bisect_limit: Optional[int]
    pipeline_text: str
    _initial_text: Optional[str]
    _pipeline: Any
    _base: int
    _stop_before: Optional[int]

    def describe(self, p: Pass) -> str:
        """``pass 'sccp'`` plus where it came from when it is a plugin."""
        info = self.registry.origin_of(type(p)) if self.registry else None
        origin = f" (from {info.origin})" if info and info.origin != "built-in" else ""
        return f"pass '{p}'{origin}"

    def _fail(self, module: "Module", p: Pass, index: int, what: str,
              exc: Optional[BaseException]) -> None:
        from .crash import exception_summary
        detail = exception_summary(exc) if exc is not None else ""
        msg = f"{self.describe(p)} {what}" + (f": {detail}" if detail else "")
        path = None
        if self.reproducer is not None:
            try:
                path = self.reproducer(self, p, index, msg, exc)
            except Exception as e:  # noqa: BLE001 - never hide the first failure
                msg += f"\n(could not write a reproducer: {e})"
        if path:
            msg += f"\nreproducer: {path}"
        raise PassFailure(msg) from None

    def fail_after(self, ev: "PassEvent", what: str) -> None:
        """For instruments (``--verify-each``): report that a pass left bad IR."""
        self._fail(ev.module, ev.pass_, ev.index, what, None)

    def _again(self, instruments: list, reproducer: Any) -> Any:
        return type(self)(self.registry, instruments, self.arg_types, self.options,  # type: ignore[call-arg]
                          self.bisect_limit, _NullOut(), reproducer, self.pipeline_text)

    def find_invalid(self) -> None:
        """Replay the last pipeline from its input, verifying after every pass: raises
        the PassFailure of the first pass that leaves invalid IR (returns if none does)."""
        if self._initial_text is None:
            return
        from ..ir.parser import parse_module
        from .instruments import VerifyEach
        self._again([VerifyEach()], self.reproducer).run(parse_module(self._initial_text),
                                                        self._pipeline)

    def replay_until(self, index: int) -> Optional[str]:
        """The IR text just before application ``index``, rebuilt by re-running the
        pipeline from the initial IR (so no snapshot is taken in normal runs). None if
        the replay does not get there (a pass that behaves differently the second time)."""
        if self._initial_text is None:
            return None
        from ..ir.parser import parse_module
        from ..ir.printer import print_module
        m = parse_module(self._initial_text)
        again = self._again([], None)
        again._stop_before = index - self._base
        try:
            again._run_seq(m, self._pipeline)
        except StopReplay:
            return print_module(m)
        except Exception:  # noqa: BLE001 - the replay failing earlier is reported as None
            return None
        return None


class _NullOut:
    def write(self, s: str) -> int:
        return len(s)

    def flush(self) -> None:
        pass
