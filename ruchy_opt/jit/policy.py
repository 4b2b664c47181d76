"""When hot code is promoted from the interpreter to compiled tiers.

A function's *heat* is ``call_weight * calls + loop_weight * back_edges`` (back edges of
the loops in its body, counted by the interpreter). It is compiled at tier 1 once its
heat passes ``tier1 * scale`` and at tier 2 past ``tier2 * scale`` (calls into its
compiled code count towards tier 2). A loop that runs ``osr * scale`` iterations in one
interpreted frame is compiled at ``osr_tier`` and entered in the middle (OSR). ``scale``
is the one knob (``--jit-scale``): 0 compiles everything at once, large values keep code
in the interpreter.

The defaults come from measured costs (docs/jit.md, bench/jit_vs_tiers.py): on this
machine an interpreted call of a small function costs ~0.2-0.4 us and a loop iteration
~0.1-0.3 us, compiled ones a few ns; a tier-1 compile of a small function costs
~10-30 ms (plus ~150 ms once per process to load llvmlite and the runtime), tier 2 ~20-60
ms. So tier 1 pays for itself after ~10^5 interpreted operations and tier 2's extra
compile only when its code runs for a long time; a loop iterating in one frame is
compiled straight at tier 2, since its frame can never be promoted again.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, replace
from typing import Any

SCALE_ENV = "RUCHY_OPT_JIT_SCALE"


@dataclass(frozen=True)
class TierPolicy:
    """Promotion thresholds (see the module docstring)."""

    call_weight: float = 1.0
    loop_weight: float = 1.0
    tier1: float = 5_000
    tier2: float = 100_000
    osr: float = 5_000
    scale: float = 1.0
    max_deopts: int = 5  # guard failures before a function is blacklisted
    osr_tier: int = 2

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

    def calls_needed(self, back_edges: int) -> int:
        """Calls after which the heat reaches tier 1, given the back edges so far."""
        rest = self.threshold(1) - self.loop_weight * back_edges
        if self.call_weight <= 0:
            return 1 << 62
        return max(1, math.ceil(rest / self.call_weight))

    def calls_for_tier2(self) -> int:
        """Calls into tier-1 code after which it is recompiled at tier 2."""
        if self.call_weight <= 0:
            return 1 << 62
        return max(1, math.ceil(self.threshold(2) / self.call_weight))

    def osr_iterations(self) -> int:
        """Iterations of a loop in one frame before it is compiled and entered."""
        return max(1, math.ceil(self.osr * self.scale))

    def osr_due(self, iterations: int) -> bool:
        return iterations >= self.osr_iterations()


DEFAULT_POLICY = TierPolicy()


def policy_from_args(args: Any) -> TierPolicy:
    """The policy the command line asks for (``--jit-scale`` and the ``--jit-*``
    thresholds; the scale defaults to ``$RUCHY_OPT_JIT_SCALE``, so that a whole test
    suite can run with everything hot)."""
    kw: dict[str, Any] = {}
    for opt, fld in (("jit_scale", "scale"), ("jit_tier1", "tier1"), ("jit_tier2", "tier2"),
                     ("jit_osr", "osr"), ("jit_call_weight", "call_weight"),
                     ("jit_loop_weight", "loop_weight"), ("jit_max_deopts", "max_deopts")):
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
