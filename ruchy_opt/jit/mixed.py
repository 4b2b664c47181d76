"""``run --tier=1|2`` of a program that uses Level 3 where the IR needs it (until the
Level 3 IR exists): the program runs in the tiered runtime with a policy that compiles
every function that lowers at the tier asked for, at its first call, and every loop
after its first iteration (on-stack replacement), while the functions that use Level 3
(lower/level3.py), and those that call them, stay in the interpreter.

Under ``--verbose`` the runtime's log is on: it names first each function that stays
interpreted with the construct and its position, then each compile.
"""
from __future__ import annotations

import math
import os
import sys
from typing import Any

from ..errors import SourceFile
from .policy import TierPolicy


def fixed_tier_policy(tier: int) -> TierPolicy:
    """Everything that lowers is compiled at ``tier`` as soon as it runs."""
    return TierPolicy(tier1=0, tier2=0 if tier >= 2 else math.inf, osr=0, osr_tier=tier,
                      scale=1.0, compile_leaves=True, remember=math.inf)


def run_mixed(src: SourceFile, args: Any, tier: int, why: str) -> int:
    """Run ``src`` at ``tier`` with its Level 3 functions interpreted; ``why`` is the
    first Level 3 construct the whole-program compile met (said under ``--verbose``)."""
    from ..codegen.native import redirected
    from .auto import _run, forked, on_big_stack
    from .log import JitLog
    verbose = bool(getattr(args, "verbose", False))
    if verbose:
        sys.stderr.write(f"ruchy-opt: tier {tier}: {why}; the functions that use Level 3 "
                         "(and their callers) run in the interpreter, the rest is compiled "
                         f"at tier {tier} when it first runs\n")
    policy = fixed_tier_policy(tier)

    def run() -> int:
        return on_big_stack(lambda: _run(src, args, policy=policy, log=JitLog(verbose)))
    if redirected() and hasattr(os, "fork"):
        return forked(src, run)
    return run()


__all__ = ["fixed_tier_policy", "run_mixed"]
