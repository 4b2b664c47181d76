"""When hot code is promoted from the interpreter to compiled tiers.

A function's *heat* is ``call_weight * calls + loop_weight * back_edges`` (back edges of
the loops in its body). It is compiled at tier 1 once its heat passes
``tier1 * scale`` and recompiled at tier 2 past ``tier2 * scale``; a loop running in an
interpreted frame is compiled and entered in the middle (OSR) after ``osr * scale``
iterations.

The defaults follow from measured costs: an interpreted loop iteration or call costs
about 0.05-0.3 us at tier 0 and thousands of times less compiled; a tier-1 compile of a
small function costs a few ms and a tier-2 compile some tens of ms. Tier 1 pays for
itself after ~10^4 interpreted operations, tier 2 only after ~10^5 or more.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TierPolicy:
    """Promotion thresholds (see the module docstring). ``scale`` multiplies them all:
    ``scale=0`` compiles everything at once, large values keep code in the interpreter."""

    call_weight: float = 1.0
    loop_weight: float = 1.0
    tier1: float = 2_000
    tier2: float = 50_000
    osr: float = 10_000
    scale: float = 1.0
    max_deopts: int = 5  # guard failures before a function is blacklisted

    def heat(self, calls: int, back_edges: int) -> float:
        return self.call_weight * calls + self.loop_weight * back_edges

    def tier_for(self, calls: int, back_edges: int) -> int:
        """0, 1 or 2: the tier a function with these counts belongs in."""
        h = self.heat(calls, back_edges)
        if h >= self.tier2 * self.scale:
            return 2
        if h >= self.tier1 * self.scale:
            return 1
        return 0

    def osr_due(self, iterations: int) -> bool:
        return iterations >= self.osr * self.scale


DEFAULT_POLICY = TierPolicy()
