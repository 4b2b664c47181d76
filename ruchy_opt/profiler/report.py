"""``ruchy-opt profile`` and ``ruchy-opt hotspots``: run a program with profiling, then
report phases (with Amdahl's-law estimates), functions, loops and type stability, or
what the tiered runtime would compile and why.

``profile`` runs the program as ``run`` does, in the tiered runtime (``--tier=auto``,
the default), purely interpreted (``--tier=0``), or compiled whole at tier 1 or 2
(``--tier=1|2``: an instrumented profiling build, see compiled.py). Its phases: parse, translate (tier
0), then, when something got hot, the compile path's own steps, timed by
``jit/timing.py`` (lowering, typing, ruchy passes, LLVM IR, LLVM passes, machine code,
runtime library, code-cache load), and execute: the rest of the run, interpreted and
compiled code (the samples estimate the compiled share). Calls and loop iterations are
counted by the interpreter: calls made inside compiled code, and iterations of loops
running there, are not (the function table gives each function's tier and its calls
into compiled code). ``hotspots`` always runs at tier 0: it predicts what the runtime
would do.
"""
from __future__ import annotations

import io
import os
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
    tier: int = 0                 # highest tier it was compiled at (auto mode)
    compiled_calls: int = 0       # calls from the interpreter into its compiled code
    not_compiled: Optional[str] = None  # why it stayed in the interpreter, if it got hot


@dataclass
class LoopRow:
    function: str
    line: int
    col: int
    iterations: int               # counted in interpreted frames
    osr_candidate: bool
    osr_entered: bool = False     # auto mode: the rest of the loop ran compiled


@dataclass
class ProfileReport:
    """Everything ``profile`` prints, also as JSON (``--json``)."""

    file: str
    phases: dict[str, float]  # phase -> seconds
    functions: list[FunctionRow] = field(default_factory=list)
    loops: list[LoopRow] = field(default_factory=list)
    samples: int = 0
    error: Optional[str] = None
    mode: str = "0"               # "0", "auto", "1" or "2"
    compiled_samples: int = 0     # samples whose innermost Ruchy frame ran compiled code
    notes: list[str] = field(default_factory=list)
    tier: Optional[int] = None    # --tier=1|2: the tier the whole program was compiled at
    #: --tier=1|2 only: the compiler refused the program, which ran in the interpreter
    interpreted: bool = False
    #: --tier=1|2 of a program that uses Level 3: the tier its other functions were
    #: compiled at, in the tiered runtime (mode "auto")
    mixed: Optional[int] = None

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["amdahl"] = {p: amdahl(s, self.phases) for p, s in self.phases.items()}
        d["amdahl_groups"] = {g: amdahl(sum(self.phases.get(p, 0.0) for p in ps), self.phases)
                              for g, ps in phase_groups(self.phases).items()}
        d["execute_compiled_share"] = (self.compiled_samples / self.samples
                                       if self.samples else None)
        if self.tier is not None:
            d["execute_compiled_share"] = 0.0 if self.interpreted else 1.0
        return d


#: The compile path's phases (jit/timing.py), in the order a compile runs them.
COMPILE_PHASES = ("lowering", "typing", "ruchy passes", "LLVM IR", "LLVM passes",
                  "machine code", "runtime library", "code-cache load")
_LLVM_PHASES = ("LLVM IR", "LLVM passes", "machine code", "runtime library")
#: LLVM's phases in a whole-program compile (``profile --tier=1|2``, compiled.py).
_TIER_LLVM_PHASES = ("llvm-parse", "llvm-opt", "runtime library", "machine-code")


def amdahl(seconds: float, phases: dict[str, float]) -> dict[str, float]:
    """Amdahl's law for a part taking ``seconds`` of the run ``phases`` add up to: its
    share p, and the whole run's speedup 1/((1-p)+p/s) at s=2 and s=infinity."""
    total = sum(phases.values()) or 1e-9
    p = min(1.0, seconds / total)
    return {"share": p, "speedup_if_2x": 1 / ((1 - p) + p / 2),
            "speedup_if_free": 1 / max(1e-9, 1 - p)}


def phase_groups(phases: dict[str, float]) -> dict[str, tuple[str, ...]]:
    """Sums worth an Amdahl line of their own (when a compile happened)."""
    groups: dict[str, tuple[str, ...]] = {}
    if "llvm-opt" in phases:  # a whole-program compile (--tier=1|2)
        groups["LLVM (llvm-parse, llvm-opt, runtime library, machine-code)"] = \
            _TIER_LLVM_PHASES
        # every phase between parsing and running, whatever the compiler times
        groups["compiling (lower to machine-code)"] = tuple(
            p for p in phases if p not in ("parse", "execute"))
        return groups
    if any(p in phases for p in _LLVM_PHASES):
        groups["LLVM (IR, passes, machine code, runtime library)"] = _LLVM_PHASES
    if any(p in phases for p in COMPILE_PHASES):
        groups["compiling (all of the JIT's phases)"] = COMPILE_PHASES
    return groups


def _owner(prog: A.Program) -> list[tuple[int, int, str]]:
    """(first line, last line, name) of each function body, methods and functions of
    modules under the qualified names tier 0 counts them by (``Point::new``)."""
    from ..resolve import resolve_program
    try:
        fns = [(q, f.node) for q, f in resolve_program(prog).functions.items()]
    except RuchyError:  # items defined twice: tier 0 has reported it
        fns = [(f.name, f) for f in prog.items if isinstance(f, A.FunDef)]
    return [(f.body.span.line, f.body.span.end_line, q) for q, f in fns if f.body is not None]


def split_signature(sig: str) -> list[str]:
    """The argument types of a signature as the profile shows it (``int, (int, float)``:
    commas inside a tuple's or an Option's brackets do not split)."""
    out, depth, cur = [], 0, ""
    for ch in sig:
        depth += ch in "(<[" and 1 or (ch in ")>]" and -1 or 0)
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    return out + [cur.strip()] if cur.strip() or out else []


def merge_unknowns(sigs: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], int]:
    """Signatures whose ``_`` (a ``None``'s or an ``Err``'s unknown type argument) fits
    exactly one other signature are counted with it: ``Option<_>`` is ``Option<int>``
    when that is the only ``Option`` the function sees."""
    import re
    out = dict(sigs)
    unknown = re.compile(r"(?<=[<( ])_(?=[>,)])")  # `_` as a type, not in a name
    for key in [k for k in sigs if unknown.search(", ".join(k))]:
        parts = unknown.split(", ".join(key))
        pattern = re.compile(".+".join(re.escape(p) for p in parts))
        fits = [k for k in out if k != key and pattern.fullmatch(", ".join(k))]
        if len(fits) == 1:
            out[fits[0]] += out.pop(key)
    return out


def profile_source(src: SourceFile, out: TextIO, policy: TierPolicy = DEFAULT_POLICY,
                   mode: str = "0", jit_log: bool = False
                   ) -> tuple[ProfileReport, Optional[RuchyError]]:
    """Run ``src`` with counters, signature recording and sampling: at tier 0, or
    (``mode="auto"``) in the tiered runtime with the compile path's phases timed."""
    from ..interp.runner import _CODE_NAME, Tier0Program
    from ..syntax.parser import parse_program
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    prog = parse_program(src.text, src.name)
    t1 = time.perf_counter()
    phases["parse"] = t1 - t0
    runtime = None
    # signatures="values": Level 3 arguments are recorded by their types' names
    # (Option<int>, Point: typenames.py), not only by their Python classes
    if mode == "auto":
        from ..interp.translate import JitHooks
        program = Tier0Program(prog, src, profile=True, signatures="values",
                               jit=JitHooks(osr=policy.osr_iterations()))
    else:
        program = Tier0Program(prog, src, profile=True, signatures="values")
    t2 = time.perf_counter()
    phases["translate (tier 0)"] = t2 - t1
    error = None
    cache = None
    if mode == "auto":
        runtime, cache = _runtime(prog, src, program, policy, jit_log)
    from ..jit import timing
    compile_times = timing.start() if runtime is not None else {}
    t2 = time.perf_counter()
    try:
        with Sampler(_CODE_NAME) as sampler:
            try:
                if runtime is None:
                    program.run(out)
                else:
                    _on_big_stack(lambda: program.run(out, runtime=runtime), sampler)
            except RuchyError as e:
                error = e
    finally:
        elapsed = time.perf_counter() - t2
        if cache is not None:
            timing.stop()
            cache.finish()  # shared objects still being linked for the next run
    for p in COMPILE_PHASES:
        if p in compile_times:
            phases[p] = compile_times[p]
    phases["execute"] = max(0.0, elapsed - sum(compile_times.values()))
    report = ProfileReport(src.name, phases, samples=sampler.samples,
                           error=error.message if error else None, mode=mode,
                           compiled_samples=sampler.compiled_samples)
    _fill(report, program.last_profile, sampler, prog, policy)
    if runtime is not None:
        _fill_tiers(report, runtime)
    return report, error


def _runtime(prog: A.Program, src: SourceFile, program: Any, policy: TierPolicy,
             jit_log: bool) -> tuple[Any, Any]:
    """The tiered runtime as ``run`` builds it, recording the loops OSR entered."""
    from ..jit.auto import NO_CACHE_ENV
    from ..jit.cache import CodeCache
    from ..jit.log import JitLog
    from ..jit.runtime import TieredRuntime

    class ProfilingRuntime(TieredRuntime):
        entered: set[int] = set()

        def osr(self, site: int, values: tuple) -> Optional[tuple]:
            r = super().osr(site, values)
            if r is not None:
                self.entered = self.entered | {site}
            return r
    cache = CodeCache(not os.environ.get(NO_CACHE_ENV))
    return ProfilingRuntime(prog, src, program.module, policy, JitLog(jit_log), cache), cache


def _on_big_stack(fn: Callable[[], Any], sampler: Sampler) -> None:
    """``fn`` on a thread with the stack ``run`` gives compiled code (jit/auto.py),
    sampled by ``sampler``; its exception is re-raised here."""
    from ..jit.auto import big_stack_thread
    failure: list[BaseException] = []

    def body() -> None:
        try:
            fn()
        except BaseException as e:  # noqa: BLE001 - re-raised on the caller's thread
            failure.append(e)
    t = big_stack_thread(body, "ruchy-profile")
    sampler.thread = t.ident
    while t.is_alive():  # wake up often: the timer's signal may go to the other thread,
        t.join(0.001)    # and Python runs its handler here, on the main thread
    if failure:
        raise failure[0]


def _fill_tiers(report: ProfileReport, runtime: Any) -> None:
    """Tiers, calls into compiled code and OSR entries from the tiered runtime."""
    rows = {f.name: f for f in report.functions}
    for st in runtime.states.values():
        row = rows.get(st.name)
        if row is None:
            continue
        row.tier = max(row.tier, st.tier)
        row.compiled_calls += st.calls_compiled
        if st.refused and row.not_compiled is None:
            row.not_compiled = st.refused
        elif st.blacklisted and row.not_compiled is None:
            row.not_compiled = f"blacklisted after {st.deopts} deoptimizations"
    entered = set()
    for site in runtime.entered:
        try:
            span = runtime.compiler().site_span(runtime.code, site)
        except Exception:  # noqa: BLE001 - a missing position only costs the column
            continue
        entered.add((span.line, span.col))
    for lp in report.loops:
        lp.osr_entered = (lp.line, lp.col) in entered
        # a loop nest shares one heat counter, so an inner loop can be entered before
        # its own iterations reach the threshold: entered means it was a candidate
        lp.osr_candidate = lp.osr_candidate or lp.osr_entered
    report.notes.append(
        "calls and loop iterations are counted in interpreted code only: calls made "
        "inside compiled code (recursion, callees compiled along) and iterations of "
        "loops running compiled are not; 'compiled' counts calls from the interpreter "
        "into a function's compiled code")


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
        sigs = merge_unknowns(prof.signatures.get(name, {}))
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
    if r.mixed is not None:
        how = (f"--tier={r.mixed}: Level 3 functions interpreted, the rest compiled at "
               f"tier {r.mixed} when first run (the IR does not have Level 3 yet)")
    elif r.tier is not None and r.interpreted:
        how = f"--tier={r.tier}: not compiled, interpreted (tier 0's profile)"
    elif r.tier is not None:
        how = (f"compiled whole at tier {r.tier} (--tier={r.tier}; a profiling build: "
               "counts exact, from counters in the compiled code; no per-function times)")
    else:
        how = "tiered runtime (--tier=auto)" if r.mode == "auto" else "interpreted (--tier=0)"
    lines = [f"profile of {r.file}, {how}" +
             (f" (stopped by error: {r.error})" if r.error else ""),
             "", f"{'phase':<22}{'ms':>10}{'share':>8}{'if 2x faster':>14}{'if free':>10}"]

    def row(label: str, seconds: float) -> str:
        a = amdahl(seconds, r.phases)
        return (f"{label:<22}{seconds * 1000:>10.1f}{a['share']:>8.1%}"
                f"{a['speedup_if_2x']:>13.2f}x{a['speedup_if_free']:>9.2f}x")
    for p, s in r.phases.items():
        lines.append(row(p, s))
    lines.append(f"{'total':<22}{total * 1000:>10.1f}")
    for g, ps in phase_groups(r.phases).items():
        lines.append(row(g.split(" (")[0] + " (sum)", sum(r.phases.get(p, 0.0) for p in ps)))
    if r.mode == "auto" and r.samples:
        lines.append(f"(execute: ~{r.compiled_samples / r.samples:.0%} of its samples in "
                     "compiled code)")
    tiers = r.mode != "0"
    extra = f"{'tier':>5}{'compiled':>10}" if tiers else ""
    lines += ["", f"{'function':<20}{'calls':>12}{extra}{'total ms':>10}{'self ms':>9}"
                  "  signatures"]
    for f in r.functions:
        sig = ", ".join(f"({s}) {'?' if share is None else f'{share:.0%}'}"
                        for s, share in f.signatures[:3]) or "-"
        mid = f"{f.tier:>5}{f.compiled_calls:>10,}" if tiers else ""
        times = "".join("-".rjust(w) if ms is None else f"{ms:>{w}.1f}"
                        for ms, w in ((f.total_ms, 10), (f.self_ms, 9)))
        lines.append(f"{f.name:<20}{f.calls:>12,}{mid}{times}  {sig}")
        if tiers and f.not_compiled:
            lines.append(f"{'':<20}  not compiled: {f.not_compiled}")
    osr = r.mode == "auto"
    lines += ["", f"{'loop':<28}{'iterations':>14}  OSR candidate" +
              ("  OSR entered" if osr else "")]
    for lp in r.loops:
        where = f"{lp.function} @ {lp.line}:{lp.col}"
        lines.append(f"{where:<28}{lp.iterations:>14,}  "
                     f"{'yes' if lp.osr_candidate else 'no':<13}" +
                     (f"  {'yes' if lp.osr_entered else 'no'}" if osr else ""))
    if r.tier is None or r.interpreted:
        lines.append(f"\n{r.samples} CPU-time samples (times are shares of the measured "
                     "execute phase)")
    else:
        lines.append("")
    lines += [f"note: {n}" for n in r.notes]
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
                         "interpreted frames; if its live values type: no unit or mixed-type arrays)")
    return "\n".join(lines) + "\n"


def compile_checker(src: SourceFile) -> Callable[[str, str], Optional[str]]:
    """``check`` for render_hotspots: types the specialisation as the tiered runtime
    would (lowering and whole-program types; no LLVM)."""
    from ..jit.native import CannotCompile, type_specialisation
    from ..jit.policy import crossing_pays
    from ..lower import lower_partial
    from ..lower.level3 import not_a_plain_function, program_names
    from ..syntax.parser import parse_program
    words = {"int": "i64", "float": "f64", "bool": "bool", "str": "str"}
    prog = parse_program(src.text, src.name)
    try:
        lowered = lower_partial(prog, src, aggregates=True, compiled=True)  # (as the tiered runtime)
    except RuchyError as e:
        return lambda name, sig: f"the program does not lower ({e.message})"
    module = lowered.module
    functions = {f.name: f for f in prog.items if isinstance(f, A.FunDef)}

    def check(name: str, sig: str) -> Optional[str]:
        refused = lowered.interpreted.get(name)
        if name not in functions:  # tier 0 has it under a qualified name
            refused = not_a_plain_function(program_names(prog), name)
        if refused is not None:
            sp = refused.span
            return f"{src.name}:{sp.line}:{sp.col}: {refused.message}" if sp.line \
                else refused.message
        leaf = crossing_pays(functions[name])
        if leaf is not None:
            return leaf
        kinds = [k for k in split_signature(sig) if k and k != "()"]
        other = next((k for k in kinds if k not in words and k != "arr"), None)
        if other is not None:
            return (f"a {other} argument (only int, float, bool, string and array values "
                    "cross into compiled code)")
        if any(k not in words for k in kinds):
            # The profile does not record arrays' element types; the runtime types such
            # a specialisation at its next call, from the arrays it is given.
            return None
        try:
            type_specialisation(module, name, tuple(words[k] for k in kinds))
        except CannotCompile as e:
            return str(e)
        return None
    return check


def run_profile(src: SourceFile, as_json: bool, hotspots: bool = False,
                policy: TierPolicy = DEFAULT_POLICY, mode: str = "0",
                jit_log: bool = False) -> int:
    """CLI entry for ``profile`` and ``hotspots``; returns the exit status. With
    ``--json`` (and for ``hotspots``) the program's output is discarded, what compiled
    code writes to descriptor 1 too."""
    import json
    quiet = as_json or hotspots
    out = io.StringIO() if quiet else sys.stdout
    if mode in ("1", "2"):
        return _run_compiled_profile(src, as_json, policy, int(mode), out)
    if quiet and mode == "auto":
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            report, error = profile_source(src, out, policy, mode, jit_log)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
    else:
        report, error = profile_source(src, out, policy, mode, jit_log)
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


def _run_compiled_profile(src: SourceFile, as_json: bool, policy: TierPolicy, tier: int,
                          out: TextIO) -> int:
    """``profile --tier=1|2``: the report (stderr, or JSON on stdout), then what the
    compiled program wrote to stderr (its error, ``file:line:col: error: ...``); the
    exit status is the program's."""
    import json
    from .compiled import profile_compiled
    report, run = profile_compiled(src, out, tier, policy)
    sys.stdout.flush()
    if as_json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        sys.stderr.write(render_profile(report))
    if run.error is not None:
        raise run.error
    sys.stdout.flush()
    sys.stderr.write(run.stderr)
    return run.status
