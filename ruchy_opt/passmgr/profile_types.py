"""``--arg-types=profile``: argument types for ``typespec`` from a profiling run.

The program runs once at tier 0 with signature recording, its output discarded (an
error ends the run early; what was seen until then counts). Each function is assumed to
take the argument types it was called with most often; ``typespec`` checks the
assumption on entry and keeps the generic body for calls with other types, so a
profile that does not hold for some call costs speed, never correctness.
"""
from __future__ import annotations

import io

from ..errors import RuchyError, SourceFile

#: tier-0 value kinds -> IR types; other kinds (unit, ...) are not assumed
_IR_TYPE = {"int": "i64", "float": "f64", "bool": "bool", "str": "str", "arr": "arr"}


def profile_arg_types(src: SourceFile) -> dict[str, tuple[str, ...]]:
    """Function name -> the IR types of its most frequent argument signature."""
    from ..interp.runner import Tier0Program
    from ..syntax.parser import parse_program
    program = Tier0Program(parse_program(src.text, src.name), src, profile=True,
                           signatures=True)
    try:
        program.run(io.StringIO())
    except RuchyError:
        pass  # the signatures seen before the error still count
    out: dict[str, tuple[str, ...]] = {}
    for name, sigs in program.last_profile.signatures.items():
        if not sigs:
            continue
        sig = min(sigs, key=lambda s: (-sigs[s], s))  # most frequent; ties: stable
        if sig:
            out[name] = tuple(_IR_TYPE.get(k, "any") for k in sig)
    return out
