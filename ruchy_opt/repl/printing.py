"""What the REPL's commands print: type names, the profile table, the ``:jit`` listing,
the help."""
from __future__ import annotations

from typing import Any, Optional

from .jitstate import JitState

#: Rust's names of the Level 1 and 2 types.
_PLAIN = {int: "i64", float: "f64", bool: "bool", str: "String", type(None): "()"}
_DEPTH = 4


def type_name(v: Any, depth: int = _DEPTH) -> str:
    """The type of a value, written as Rust writes types (``i64``, ``Vec<String>``,
    ``Option<f64>``, ``(i64, char)``, ``Point``); ``_`` where nothing shows it (the
    elements of an empty array, the payload type of ``None``)."""
    from ..runtime.aggregates import Cell, Char, Struct, Variant
    from ..runtime.collections import Coll
    from ..runtime.values import Arr
    t = type(v)
    if t in _PLAIN:
        return _PLAIN[t]
    if t is Char:
        return "char"
    if depth <= 0:
        return "_"
    if t is Arr:
        return f"Vec<{type_name(v.d[0], depth - 1) if v.d else '_'}>"
    if t is tuple:
        inner = ", ".join(type_name(x, depth - 1) for x in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    if isinstance(v, Variant):
        enum = t._enum.rsplit("::", 1)[-1]
        if enum not in ("Option", "Result"):
            return enum
        args = ["_"] if enum == "Option" else ["_", "_"]
        if t._fields:
            args[1 if t._name == "Err" else 0] = type_name(getattr(v, t._fields[0]),
                                                           depth - 1)
        return f"{enum}<{', '.join(args)}>"
    if isinstance(v, Struct):
        return t._qual.rsplit("::", 1)[-1]
    if t is Cell:
        return "&mut " + type_name(v.v, depth)
    if isinstance(v, Coll):
        return _collection(v, depth)
    if callable(v):
        return "fn"
    return t.__name__


def _collection(v: Any, depth: int) -> str:
    name = getattr(type(v), "_name", "") or type(v).__name__
    try:
        first = next(iter(v), None)
    except Exception:  # noqa: BLE001 - a collection that does not iterate plainly
        return name
    if first is None:
        return f"{name}<_, _>" if "Map" in name else f"{name}<_>"
    if "Map" in name and type(first) is tuple and len(first) == 2:
        return f"{name}<{type_name(first[0], depth - 1)}, {type_name(first[1], depth - 1)}>"
    return f"{name}<{type_name(first, depth - 1)}>"


def profile_table(state: JitState) -> list[str]:
    """``:profile``: per function specialisation of the current definitions, the
    calls and loop iterations tier 0 counted in the whole session, its heat and the
    tier it reached (calls made inside compiled code are not counted)."""
    from ..jit.policy import DEFAULT_POLICY
    rows = []
    for (name, version, kinds), (calls, back) in state.counts.items():
        if state.versions.get(name, 0) != version or name.startswith("__repl"):
            continue
        rec = state.records.get((name, version, kinds))
        tier = f"tier {rec.tier}" if rec is not None and rec.tier else "interpreted"
        label = f"{name}({', '.join(kinds)})"
        rows.append((DEFAULT_POLICY.heat(calls, back), label, calls, back, tier))
    if not rows:
        return ["no function has run yet"]
    rows.sort(key=lambda r: (-r[0], r[1]))
    width = max(len("function"), *(len(r[1]) for r in rows))
    out = [f"{'function':<{width}}  {'calls':>10}  {'loop iters':>10}  {'heat':>10}  tier"]
    for heat, label, calls, back, tier in rows:
        out.append(f"{label:<{width}}  {calls:>10}  {back:>10}  {heat:>10.0f}  {tier}")
    return out


def jit_listing(state: JitState, pipeline: Optional[str]) -> list[str]:
    """``:jit``: what the tiered runtime compiled and why, what it would not compile,
    loops entered by on-stack replacement, deoptimisations, and code that a
    redefinition made obsolete; first, the tier-2 pipeline in force (``:passes``)."""
    from .passes import describe
    compiled = [r for r in state.records.values() if r.tier]
    refused = [r for r in state.records.values() if not r.tier and r.refused]
    out: list[str] = [describe(pipeline)]
    if not compiled and not state.events:
        out.append("nothing compiled yet (a function is compiled once its heat, calls plus "
                   "loop iterations, passes the tier-1 threshold)")
    for r in compiled:
        out.append(f"compiled {r.label} -> tier {r.tier} at {r.where}: {r.why}")
    out.extend(state.events)
    for r in refused:
        out.append(f"interpreted {r.label}: {r.refused}")
    out.extend(f"invalidated {line}" for line in state.invalidated)
    return out


HELP = """\
Type Ruchy: definitions (fn, struct, enum, trait, impl, const, mod, use) and
statements. An input goes on while a bracket, string or comment is open. The value of
an input that ends with an expression is printed in its debug form ({:?}) unless ().
Ctrl-C stops a running input; Ctrl-D (or :quit) leaves.

  :help                 this text
  :type EXPR            the type of EXPR's value (EXPR runs; the session keeps nothing
                        of it)
  :ast CODE             the syntax tree of CODE (nothing runs)
  :ssa [-O0|-O1|-O2] NAME
                        function NAME's SSA after the pipeline (default -O2, or the one
                        :passes set)
  :llvm NAME [TYPES]    the LLVM IR tier 2 compiles NAME to, for the argument types it was
  :asm NAME [TYPES]     called with (or TYPES: i64 f64 bool str); :asm the machine code
  :passes [PIPELINE]    set tier 2's pipeline (e.g. inline,sccp,dce) for what the session
                        compiles from now on, :ssa, :llvm and :asm; no argument: show
                        it; -O0, -O1, -O2 (the default): the named ones
  :time CODE            run CODE and say how long it took
  :profile              calls, loop iterations, heat and tier of every function so far
  :jit                  what the tiered runtime compiled, and why
  :load FILE            run a file's definitions and statements in the session
  :reset                forget every definition, variable and compiled function
  :quit                 leave"""


__all__ = ["HELP", "jit_listing", "profile_table", "type_name"]
