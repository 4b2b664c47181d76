"""How many arguments a runtime method takes after its receiver."""
from __future__ import annotations

import inspect
from typing import Any, Callable


def method_arity(f: Callable[..., Any]) -> tuple[int, int]:
    """(fewest, most) arguments ``f`` takes after the receiver; (0, 9) when it takes
    any number or has no signature to read (the call itself then decides)."""
    try:
        ps = list(inspect.signature(f).parameters.values())[1:]
    except (TypeError, ValueError):
        return 0, 9
    if any(p.kind == p.VAR_POSITIONAL for p in ps):
        return 0, 9
    return sum(1 for p in ps if p.default is p.empty), len(ps)
