"""``ruchy-opt profile`` and ``ruchy-opt hotspots``: run a program at tier 0 with
profiling, then report phases (with Amdahl's-law estimates), functions, loops and
type stability, or what the tiered runtime would compile and why."""
from __future__ import annotations

import io
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Optional, TextIO

from ..errors import RuchyError, SourceFile
from ..jit.policy import DEFAULT_POLICY, TierPolicy
from ..syntax import ast as A
from .sampler import TOPLEVEL_NAME, Sampler


@dataclass
class FunctionRow:
    name: str
    calls: int
    total_ms: float
    self_ms: float
    signatures: list[tuple[str, float]]  # ("int, float", share) most common first
    back_edges: int = 0


@dataclass
class LoopRow:
    function: str
    line: int
    col: int
    iterations: int
    osr_candidate: bool


@dataclass
class ProfileReport:
    """Everything ``profile`` prints, also as JSON (``--json``)."""

    file: str
    phases: dict[str, float]  # phase -> seconds
    functions: list[FunctionRow] = field(default_factory=list)
    loops: list[LoopRow] = field(default_factory=list)
    samples: int = 0
    error: Optional[str] = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        total = sum(self.phases.values()) or 1e-9
        d["amdahl"] = {p: {"share": s / total, "speedup_if_2x": 1 / (1 - s / total / 2),
                           "speedup_if_free": 1 / max(1e-9, 1 - s / total)}
                       for p, s in self.phases.items()}
        return d


def _owner(prog: A.Program) -> list[tuple[int, int, str]]:
    return [(f.body.span.line, f.body.span.end_line, f.name)
            for f in prog.items if isinstance(f, A.FunDef)]


def profile_source(src: SourceFile, out: TextIO, policy: TierPolicy = DEFAULT_POLICY
                   ) -> tuple[ProfileReport, Optional[RuchyError]]:
    """Run ``src`` at tier 0 with counters, signature recording and sampling."""
    from ..interp.runner import _CODE_NAME, Tier0Program
    from ..syntax.parser import parse_program
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    prog = parse_program(src.text, src.name)
    t1 = time.perf_counter()
    phases["parse"] = t1 - t0
    program = Tier0Program(prog, src, profile=True, signatures=True)
    t2 = time.perf_counter()
    phases["translate (tier 0)"] = t2 - t1
    error = None
    with Sampler(_CODE_NAME) as sampler:
        try:
            program.run(out)
        except RuchyError as e:
            error = e
    phases["execute"] = time.perf_counter() - t2
    report = ProfileReport(src.name, phases, samples=sampler.samples,
                           error=error.message if error else None)
    _fill(report, program.last_profile, sampler, prog, policy)
    return report, error


def _fill(report: ProfileReport, prof, sampler: Sampler, prog: A.Program,
          policy: TierPolicy) -> None:
    from ..jit.osr import osr_points as find_osr_points
    per_sample = report.phases["execute"] / max(1, sampler.samples) * 1000
    owners = _owner(prog)
    osr_points = find_osr_points(prog)
    back_edges: dict[str, int] = {}
    for span, n in sorted(prof.loops.items(), key=lambda kv: -kv[1]):
        fn = next((name for lo, hi, name in owners if lo <= span.line <= hi), TOPLEVEL_NAME)
        back_edges[fn] = back_edges.get(fn, 0) + n
        report.loops.append(LoopRow(fn, span.line, span.col, n,
                                    span in osr_points and policy.osr_due(n)))
    names = set(prof.calls) | set(sampler.total_samples) | set(back_edges)
    for name in names:
        sigs = prof.signatures.get(name, {})
        total = sum(sigs.values()) or 1
        shares = sorted(((", ".join(s) or "()", n / total) for s, n in sigs.items()),
                        key=lambda x: -x[1])
        report.functions.append(FunctionRow(
            name, prof.calls.get(name, 0), sampler.total_samples[name] * per_sample,
            sampler.self_samples[name] * per_sample, shares, back_edges.get(name, 0)))
    report.functions.sort(key=lambda r: (-r.self_ms, -r.calls, r.name))


def render_profile(r: ProfileReport) -> str:
    """The human-readable report."""
    total = sum(r.phases.values()) or 1e-9
    lines = [f"profile of {r.file}" + (f" (stopped by error: {r.error})" if r.error else ""),
             "", f"{'phase':<22}{'ms':>10}{'share':>8}{'if 2x faster':>14}{'if free':>10}"]
    for p, s in r.phases.items():
        share = s / total
        lines.append(f"{p:<22}{s * 1000:>10.1f}{share:>8.1%}{1 / (1 - share / 2):>13.2f}x"
                     f"{1 / max(1e-9, 1 - share):>9.2f}x")
    lines.append(f"{'total':<22}{total * 1000:>10.1f}")
    lines += ["", f"{'function':<20}{'calls':>12}{'total ms':>10}{'self ms':>9}  signatures"]
    for f in r.functions:
        sig = ", ".join(f"({s}) {share:.0%}" for s, share in f.signatures[:3]) or "-"
        lines.append(f"{f.name:<20}{f.calls:>12,}{f.total_ms:>10.1f}{f.self_ms:>9.1f}  {sig}")
    lines += ["", f"{'loop':<28}{'iterations':>14}  OSR candidate"]
    for lp in r.loops:
        where = f"{lp.function} @ {lp.line}:{lp.col}"
        lines.append(f"{where:<28}{lp.iterations:>14,}  {'yes' if lp.osr_candidate else 'no'}")
    lines.append(f"\n{r.samples} CPU-time samples (times are shares of the measured execute phase)")
    return "\n".join(lines) + "\n"


def render_hotspots(r: ProfileReport, policy: TierPolicy = DEFAULT_POLICY,
                    check: Optional[Callable[[str, str], Optional[str]]] = None) -> str:
    """What the tiered runtime would compile, at which tier, and why. ``check(name,
    signature)`` says why a specialisation could not be compiled (None: it can)."""
    lines = [f"hotspots of {r.file} (tier 1 at heat {policy.threshold(1):,.0f}, "
             f"tier 2 at {policy.threshold(2):,.0f}, OSR after "
             f"{policy.osr_iterations():,} iterations; heat = "
             f"{policy.call_weight:g} x calls + {policy.loop_weight:g} x loop iterations)"]
    for f in sorted(r.functions, key=lambda f: -policy.heat(f.calls, f.back_edges)):
        if f.name == TOPLEVEL_NAME:
            continue
        heat = policy.heat(f.calls, f.back_edges)
        tier = policy.tier_for(f.calls, f.back_edges)
        why = f"{f.calls:,} calls + {f.back_edges:,} loop iterations = heat {heat:,.0f}"
        stable = f.signatures[0] if f.signatures else None
        if tier and stable and stable[1] < 0.9:
            types = ("polymorphic, guarded: " +
                     "; ".join(f"({s}) {p:.0%}" for s, p in f.signatures[:3]))
        elif stable:
            types = f"specialise on ({stable[0]})"
        else:
            types = "never called"
        line = f"  {f.name}: tier {tier} ({why}); {types}"
        if tier and stable and check is not None:
            reason = check(f.name, stable[0])
            if reason:
                line += f"; stays in the interpreter: {reason}"
        lines.append(line)
    for lp in r.loops:
        if lp.osr_candidate:
            lines.append(f"  loop {lp.function} @ {lp.line}:{lp.col}: on-stack replacement "
                         f"at tier {policy.osr_tier} ({lp.iterations:,} iterations in "
                         "interpreted frames; if its live variables are int, float or bool)")
    return "\n".join(lines) + "\n"


def compile_checker(src: SourceFile) -> Callable[[str, str], Optional[str]]:
    """``check`` for render_hotspots: types the specialisation as the tiered runtime
    would (lowering and whole-program types; no LLVM)."""
    from ..jit.native import CannotCompile, type_specialisation
    from ..jit.policy import crossing_pays
    from ..lower import lower_source
    from ..syntax.parser import parse_program
    words = {"int": "i64", "float": "f64", "bool": "bool", "str": "str"}
    try:
        module = lower_source(src)
    except RuchyError as e:
        return lambda name, sig: f"the program does not lower ({e.message})"

    functions = {f.name: f for f in parse_program(src.text, src.name).items
                 if isinstance(f, A.FunDef)}

    def check(name: str, sig: str) -> Optional[str]:
        leaf = crossing_pays(functions[name]) if name in functions else None
        if leaf is not None:
            return leaf
        kinds = [k for k in sig.split(", ") if k and k != "()"]
        try:
            type_specialisation(module, name, tuple(words.get(k, "arr") for k in kinds))
        except CannotCompile as e:
            return str(e)
        return None
    return check


def run_profile(src: SourceFile, as_json: bool, hotspots: bool = False,
                policy: TierPolicy = DEFAULT_POLICY) -> int:
    """CLI entry for ``profile`` and ``hotspots``; returns the exit status."""
    import json
    out = io.StringIO() if as_json or hotspots else sys.stdout
    report, error = profile_source(src, out, policy)
    sys.stdout.flush()
    if as_json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        text = render_hotspots(report, policy, compile_checker(src)) if hotspots \
            else render_profile(report)
        sys.stdout.write(text) if hotspots else sys.stderr.write(text)
    if error is not None:
        raise error
    return 0
