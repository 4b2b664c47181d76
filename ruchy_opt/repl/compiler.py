"""The tiered runtime's compiler in a session: code compiled with polls, so that Ctrl-C
stops it (interrupt.py), tier 2 with the session's pipeline (``:passes``), and after
every compile the handler that survives ``exit`` in compiled code registered again
(execute.py).

Why: ``exit`` runs the handlers registered with ``__cxa_atexit`` newest first, and
compiling registers some of LLVM's own (a C++ function-local static registers its
destructor when first used: the first use of a pass, a target, an option; loading
machine code may add more). Registered before them, the handler that parks the failing
input's thread ran after LLVM had torn those objects down, and the session's next
compile crashed the process (``free(): invalid pointer`` in ``parse_assembly``: an
overflow in compiled code, then any new function or loop getting hot).
"""
from __future__ import annotations

from typing import Any, Optional

from ..jit.compiler import FunctionCompiler


class SessionCompiler(FunctionCompiler):
    """FunctionCompiler for a session (see the module docstring)."""

    def __init__(self, *args: Any, pipeline: Optional[str] = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.poll = True
        self.pipeline = pipeline

    def compile(self, entry: str, sig: tuple[str, ...], tier: int) -> Any:
        from .execute import rearm
        from .interrupt import register
        try:
            nf = super().compile(entry, sig, tier)
        finally:
            rearm()
        register(nf)
        return nf


__all__ = ["SessionCompiler"]
