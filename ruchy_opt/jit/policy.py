"""When hot code is promoted from the interpreter to compiled tiers.

A function's *heat* is ``call_weight * calls + loop_weight * back_edges`` (back edges of
the loops in its body, counted by the interpreter). It is compiled at tier 1 once its
heat passes ``tier1 * scale`` and at tier 2 past ``tier2 * scale`` (its tier-1 code
counts its own calls and back edges, those of the callees compiled into it included,
towards tier 2: docs/jit.md). A loop that runs ``osr * scale`` iterations in one
interpreted frame is compiled at ``osr_tier`` and entered in the middle (OSR). ``scale``
is the one knob (``--jit-scale``): 0 compiles everything at once, large values keep code
in the interpreter.

The defaults come from measured costs (docs/jit.md has the table): an interpreted call
of a small function costs ~0.3 us and a loop iteration ~0.5 us, compiled ones 3-10 ns; a
tier-1 compile of a small function ~30-45 ms, tier 2 ~50-80 ms, and the first compile of
a process ~150 ms more (loading llvmlite and the runtime library). Promoting after
~20,000 events (~6-10 ms of interpreting) keeps scripts that are done in a few tens of
ms in the interpreter and costs hot code little; tier 2 runs only 10-20% faster than
tier 1, so it waits for ten times more. A loop hot in one frame is compiled straight at
tier 2, since that frame can never be promoted again. Calling compiled code from the
interpreter costs ~2 us (ctypes), more than interpreting a small function: a function
with neither loops nor calls is compiled only inside its callers (:func:`crossing_pays`).

All of this applies once a plain run's compile ahead is off or has found that the
program does not compile whole: a plain run first compiles the whole program at tier 2
in a child forked at the run's start, and switches to it when it is ready
(background.py), compiling nothing in its own process meanwhile.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import Any, Optional

SCALE_ENV = "RUCHY_OPT_JIT_SCALE"


@dataclass(frozen=True)
class TierPolicy:
    """Promotion thresholds (see the module docstring)."""

    call_weight: float = 1.0
    loop_weight: float = 1.0
    tier1: float = 20_000
    tier2: float = 200_000
    osr: float = 20_000
    scale: float = 1.0
    max_deopts: int = 5  # guard failures before a function is blacklisted
    osr_tier: int = 2
    #: CPU seconds a run that ran compiled code must have taken for its program to be
    #: remembered (compiled whole at tier 2 for later runs, remember.py). That compile
    #: costs 0.3-0.45 s (whole-program tier 2 of bench/jit_vs_tiers.py's programs, cold:
    #: ruchy -O2, LLVM O3, linking) and saves every later run the tiered runtime's
    #: start-up (parse, translate, interpret until the checkpoints: 0.2-0.3 s). Buying it
    #: once the run itself has cost as much is the ski-rental rule: a program run only
    #: once spends at most about twice its own CPU (in the background: no wall time),
    #: while a script that is done sooner keeps the tiered runtime. CPU time rather than
    #: wall time, so that a busy machine does not make short runs look long.
    remember: float = 0.3
    #: compile functions with neither loops nor calls too (crossing_pays): the fixed
    #: tiers' mixed mode (mixed.py) compiles everything that lowers
    compile_leaves: bool = False
    #: the whole program compiles at tier 2 in a child forked at the run's start
    #: (background.py; None: never). Until the run has spent ``ahead`` seconds of CPU
    #: after parsing (translating and running the program), the child's session has
    #: the least share of the CPU there is (it takes only CPU time nobody else wants),
    #: then an ordinary one. On a busy machine a compile competing with the run costs
    #: a short script up to 15-50%, and waiting costs a long program's compile as
    #: long: interpreting about as long as that before competing is the ski-rental
    #: rule, and short scripts (under 2 ms of their own CPU) never compete.
    ahead: Optional[float] = 0.02

    def heat(self, calls: int, back_edges: int) -> float:
        return self.call_weight * calls + self.loop_weight * back_edges

    def threshold(self, tier: int) -> float:
        """The heat at which code is promoted to ``tier`` (1 or 2)."""
        return (self.tier2 if tier >= 2 else self.tier1) * self.scale

    def tier_for(self, calls: int, back_edges: int) -> int:
        """0, 1 or 2: the tier a function with these counts belongs in."""
        h = self.heat(calls, back_edges)
        if h >= self.threshold(2):
            return 2
        if h >= self.threshold(1):
            return 1
        return 0

    def osr_iterations(self) -> int:
        """Iterations of a loop in one frame before it is compiled and entered."""
        return max(1, math.ceil(self.osr * self.scale))

    def osr_due(self, iterations: int) -> bool:
        return iterations >= self.osr_iterations()

    def remember_seconds(self) -> float:
        """How long a hot run must take for its program to be remembered."""
        return self.remember * self.scale

    def remember_due(self, ran_compiled: bool, seconds: float) -> bool:
        """Whether a run that took ``seconds`` of CPU (and ran compiled code, or not)
        is hot enough to compile its whole program at tier 2 for later runs."""
        return ran_compiled and seconds >= self.remember_seconds()


DEFAULT_POLICY = TierPolicy()


def policy_from_args(args: Any) -> TierPolicy:
    """The policy the command line asks for (``--jit-scale`` and the ``--jit-*``
    thresholds; the scale defaults to ``$RUCHY_OPT_JIT_SCALE``, so that a whole test
    suite can run with everything hot)."""
    kw: dict[str, Any] = {}
    for opt, fld in (("jit_scale", "scale"), ("jit_tier1", "tier1"), ("jit_tier2", "tier2"),
                     ("jit_osr", "osr"), ("jit_call_weight", "call_weight"),
                     ("jit_loop_weight", "loop_weight"), ("jit_max_deopts", "max_deopts"),
                     ("jit_ahead", "ahead")):
        v = getattr(args, opt, None)
        if v is not None:
            kw[fld] = v
    env = os.environ.get(SCALE_ENV)
    if "scale" not in kw and env:
        try:
            kw["scale"] = max(0.0, float(env))
        except ValueError:
            pass  # documented as a number; anything else leaves the default
    return replace(DEFAULT_POLICY, **kw)


#: Built-in functions: calling one does not make a function worth crossing into.
_BUILTIN_CALLS = frozenset({"println", "print", "eprintln", "eprint", "format", "assert",
                            "assert_eq", "assert_ne", "panic", "len"})


def crossing_pays(fn: Any) -> Optional[str]:
    """None if calling ``fn`` (an AST FunDef) compiled from the interpreter can pay for
    the ~2 us crossing: it has a loop or calls a function. Otherwise the reason."""
    from ..syntax import ast as A
    stack: list = [fn.body]
    while stack:
        n = stack.pop()
        if isinstance(n, (A.While, A.Loop, A.For, A.ForRange)):
            return None
        if isinstance(n, A.Call) and isinstance(n.callee, A.Name) and not n.macro \
                and n.callee.id not in _BUILTIN_CALLS:
            return None
        if isinstance(n, list):
            stack.extend(n)
        elif hasattr(n, "__dataclass_fields__") and not isinstance(n, A.Span):
            stack.extend(getattr(n, f) for f in n.__dataclass_fields__ if f != "span")
    return ("neither loops nor calls: crossing into compiled code (~2 us) costs more "
            "than interpreting it; it is compiled inside its compiled callers")
