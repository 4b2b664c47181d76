"""``ruchy-opt profile --tier=1|2``: the whole program compiled at that tier, as a
profiling build, with the compile's phases timed, then run.

The compile is the real one, every time: no program cache and no code cache (only the
runtime library comes from its cache on disk, unless ``--no-cache``). Calls and loop
iterations are not observable in machine code, so the program is *instrumented* (as
``gcc -pg`` does): after lowering, every function's entry and the start of every loop
body increment a counter (``load_global``/``add``/``store_global`` of a global of its
own), which then goes through types, the ruchy pipeline and LLVM like any other code;
inlining copies the increment with the body, so the counts are exact. A function
compiled for several signatures also counts the entries into each specialisation's LLVM
function (its shares; not known where tier 2's pipeline inlined calls). In the LLVM IR the
counters are redirected to a shared memory mapping, so they survive the program's run in
a forked child (a runtime error in compiled code ends its process). Per-function times
are not measured (machine code is not sampled).

A program the compiler refuses runs in the interpreter, as ``run --tier=N`` does; its
profile is then tier 0's (sampled), with the refused compile's phases and the reasons.
"""
from __future__ import annotations

import ctypes
import io
import mmap
import os
import re
import struct
import sys
import time
from dataclasses import dataclass
from typing import Optional, TextIO

from ..errors import RuchyError, SourceFile
from ..ir.builder import Builder
from ..ir.core import Block, Function, Module
from ..ir.dominance import DomTree
from ..ir.opdef import Sym
from ..jit.policy import TierPolicy
from ..syntax import ast as A
from .report import FunctionRow, LoopRow, ProfileReport
from .sampler import TOPLEVEL_NAME

#: The IR function of the top level's statements.
TOPLEVEL_FUNCTION = "ruchy.toplevel"
#: Counter globals are ``prof.<n>`` (no Ruchy name has a dot); codegen names them
#: ``g.prof.<n>`` in LLVM IR.
COUNTER_PREFIX = "prof."
_LOOPS = (A.While, A.Loop, A.For, A.ForRange)
_WORDS = {"i64": "int", "f64": "float", "bool": "bool", "str": "str"}


@dataclass
class Counter:
    """What one counter counts: the calls of ``function``, the iterations of the loop
    at ``loop`` (the loop statement's span) in it, or the entries into the LLVM
    function of its specialisation ``spec`` (the signature, ``int, float``)."""

    function: str
    loop: Optional[A.Span] = None
    spec: Optional[str] = None


def _walk(node: A.Node):
    yield node
    for c in A.children(node):
        yield from _walk(c)


def _ruchy_name(f: Function) -> str:
    return TOPLEVEL_NAME if f.name == TOPLEVEL_FUNCTION else f.name


def _encloses(outer: A.Span, inner: A.Span) -> bool:
    return ((outer.line, outer.col) <= (inner.line, inner.col)
            and (inner.end_line, inner.end_col) <= (outer.end_line, outer.end_col))


def _natural_loop(head: Block, latches: list[Block], preds: dict) -> set[Block]:
    body = {head}
    work = [b for b in latches if b is not head]
    body.update(work)
    while work:
        b = work.pop()
        for p in preds.get(b, []):
            if p not in body:
                body.add(p)
                work.append(p)
    return body


def _loop_node(body: set[Block], loops: list[A.Node]) -> Optional[A.Node]:
    """The innermost loop statement whose span encloses every instruction of ``body``."""
    spans = [i.span for b in body for i in b.instrs if i.span.line]
    if not spans:
        return None
    best = None
    for n in loops:
        if all(_encloses(n.span, s) for s in spans):
            if best is None or _encloses(best.span, n.span):
                best = n
    return best


def _body_start(head: Block, body: set[Block], node: A.Node, preds: dict) -> Optional[Block]:
    """Where one iteration of ``node`` starts, as tier 0 counts it: the block a true
    loop condition enters (``for``, ``while``), or the head itself (``loop``)."""
    for b in [head] + [b for b in body if b is not head]:
        t = b.terminator
        if (t is None or t.opname != "cond_br" or t.span.line != node.span.line
                or t.span.col != node.span.col):
            continue
        inside, outside = t.succs[0].block, t.succs[1].block
        if inside in body and outside not in body and len(preds.get(inside, [])) == 1:
            return inside
    return head if isinstance(node, A.Loop) else None


def _bump(f: Function, block: Block, name: str) -> None:
    b = Builder(f).at_before(block.instrs[0])
    v = b.emit("load_global", imms=(Sym(name),))
    s = b.emit("add", [v, b.const(1)])
    b.emit("store_global", [s], imms=(Sym(name),))


def instrument(module: Module, prog: A.Program) -> tuple[list[Counter], list[A.Node]]:
    """Add the counters to a lowered module; returns what each counts (counter ``i`` is
    the global ``prof.<i>``) and the loop statements no counter could be placed for."""
    loops = [n for n in _walk(prog) if isinstance(n, _LOOPS)]
    counters: list[Counter] = []
    placed: set[int] = set()

    def new(c: Counter) -> str:
        name = f"{COUNTER_PREFIX}{len(counters)}"
        counters.append(c)
        module.add_global(name, 0)
        return name
    for f in list(module.functions.values()):
        if f.name == Module.START or not f.blocks:
            continue
        dom = DomTree(f)
        heads: dict[Block, list[Block]] = {}
        for src, head in dom.back_edges():
            heads.setdefault(head, []).append(src)
        plan = []
        for head, latches in heads.items():
            body = _natural_loop(head, latches, dom.preds)
            node = _loop_node(body, loops)
            if node is None or id(node) in placed:
                continue
            at = _body_start(head, body, node, dom.preds)
            if at is not None:
                placed.add(id(node))
                plan.append((at, node))
        if f.name != TOPLEVEL_FUNCTION:
            _bump(f, f.entry, new(Counter(_ruchy_name(f))))
        for at, node in plan:
            _bump(f, at, new(Counter(_ruchy_name(f), node.span)))
    return counters, [n for n in loops if id(n) not in placed]


class CounterMemory:
    """The counters' storage: a shared anonymous mapping (it survives the forked child
    that runs the program), slot 0 the child's own measure of the run (ns)."""

    def __init__(self, n: int) -> None:
        self.map = mmap.mmap(-1, 8 * (n + 1))
        self._view = ctypes.c_char.from_buffer(self.map)
        self.address = ctypes.addressof(self._view)
        self.n = n

    def slot(self, i: int) -> int:
        return struct.unpack_from("<q", self.map, 8 * i)[0]

    def counts(self) -> list[int]:
        return [self.slot(i + 1) for i in range(self.n)]


_COUNTER_DEF = re.compile(r'^@"?g\.prof\.\d+"? = .*$\n?', re.M)
_COUNTER_USE = re.compile(r'@"?g\.prof\.(\d+)"?(?![\w.])')
#: A specialisation's LLVM function (codegen/module.py names it ``r.<spec>``; a twin,
#: ``r.<spec>.twin<N>``, is the same specialisation) up to its entry block's label.
_TWIN = re.compile(r"\.twin\d*$")
_DEFINE = re.compile(r'^define [^\n]*@"r\.([^"]+)"\([^\n]*\n\{\n[^\n]*:\n', re.M)


def redirect(llvm_ir: str, memory: CounterMemory,
             entries: Optional[dict[str, int]] = None) -> str:
    """The generated LLVM IR with each counter global replaced by its address in
    ``memory`` (an ``inttoptr`` constant: no relocation, no global LLVM could drop),
    and, for each specialisation in ``entries`` (its name -> counter), an increment of
    its counter on entry to its LLVM function."""
    def at(i: int) -> str:
        return f"inttoptr (i64 {memory.address + 8 * (i + 1)} to ptr)"

    def entry(m: re.Match) -> str:
        name = m.group(1)
        k = (entries or {}).get(_TWIN.sub("", name))
        if k is None:
            return m.group(0)
        return (m.group(0) + f'  %"prof.a" = load i64, ptr {at(k)}\n'
                f'  %"prof.b" = add i64 %"prof.a", 1\n  store i64 %"prof.b", ptr {at(k)}\n')
    text = _COUNTER_DEF.sub("", llvm_ir)
    text = _COUNTER_USE.sub(lambda m: at(int(m.group(1))), text)
    return _DEFINE.sub(entry, text) if entries else text


def _run_forked(address: int, memory: CounterMemory) -> tuple[int, str, str, float]:
    """Run the entry in a forked child; (status, its stdout, its stderr, seconds)."""
    from ..codegen.native import _run_entry, run_in_child

    def body() -> int:
        t0 = time.perf_counter_ns()
        _run_entry(address)
        struct.pack_into("<q", memory.map, 0, time.perf_counter_ns() - t0)
        return 0
    saved = sys.stdout, sys.stderr
    sys.stdout.flush()
    sys.stderr.flush()
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    sys.stdout, sys.stderr = out, err
    try:
        status = run_in_child(body, "compiled code")
    finally:
        sys.stdout, sys.stderr = saved
    wall = time.perf_counter() - t0
    inner = memory.slot(0)
    return status, out.getvalue(), err.getvalue(), inner / 1e9 if inner > 0 else wall


_ERROR_LINE = re.compile(r"^.*?:\d+:\d+: error: (.*)$", re.M)


@dataclass
class CompiledRun:
    """What ``profile_compiled`` found, besides the report: the exit status, and what
    compiled code wrote to stderr (its error diagnostic), printed after the report."""

    status: int
    stderr: str = ""
    error: Optional[RuchyError] = None   # from the interpreter, when it ran the program


def profile_compiled(src: SourceFile, out: TextIO, tier: int, policy: TierPolicy
                     ) -> tuple[ProfileReport, CompiledRun]:
    """Compile ``src`` at ``tier`` (instrumented), run it, and report. The program's
    output goes to ``out``."""
    from ..codegen import engine
    from ..codegen.compiler import CompileOptions, NotCompilable, compile_module
    from ..lower import lower_program
    from ..syntax.parser import parse_program
    phases: dict[str, float] = {}
    t0 = time.perf_counter()
    prog = parse_program(src.text, src.name)
    t1 = time.perf_counter()
    phases["parse"] = t1 - t0
    from ..lower import NotInIR
    try:
        module = lower_program(prog, src, aggregates=True, compiled=True)  # (as run --tier=N lowers)
    except NotInIR as e:  # Level 3: profiled as 'run --tier=N' runs it
        return _mixed(src, out, tier, phases, e)
    t2 = time.perf_counter()
    phases["lower"] = t2 - t1
    counters, missed = instrument(module, prog)
    t3 = time.perf_counter()
    phases["instrumentation"] = t3 - t2
    opts = CompileOptions(tier=tier, llvm=False)  # LLVM runs below, on the rewritten IR
    refused: Optional[list[str]] = None
    try:
        c = compile_module(module, src, opts)
    except NotCompilable as e:
        from ..codegen.compiler import level3_refusal
        l3 = level3_refusal(module, e)
        if l3 is not None:  # Level 3 that does not compile: as 'run --tier=N' runs it
            return _mixed(src, out, tier, phases, l3)
        refused = e.reasons
    except RecursionError:
        refused = ["the program is nested too deeply to compile"]
    except RuchyError:
        raise
    except Exception as e:  # a compiler bug: the program runs in the interpreter, as run does
        from ..codegen.commands import STRICT_ENV
        if os.environ.get(STRICT_ENV):
            raise
        refused = [f"internal error in the tier-{tier} compiler ({type(e).__name__}: {e})"]
    if refused is not None:
        phases["compile (refused)"] = time.perf_counter() - t3
        return _interpreted(src, out, tier, policy, phases, refused)
    phases.update(c.times)
    specs = _specialisations(module)
    entries: dict[str, int] = {}
    for fn, sigs in specs.items():
        if len(sigs) > 1:
            for spec_name, words in sigs:
                entries[spec_name] = len(counters)
                counters.append(Counter(_ruchy_name_of(fn), spec=words))
    memory = CounterMemory(len(counters))
    t4 = time.perf_counter()
    ref = engine.parse(redirect(c.llvm_before, memory, entries), src.name)
    tm = engine.target_machine(jit=True)
    ref.triple = tm.triple
    ref.data_layout = str(tm.target_data)
    phases["llvm-parse"] = time.perf_counter() - t4
    lo, level = engine.tier_options(tier)  # as compile_module
    phases["llvm-opt"] = engine.optimize(ref, tm, lo)
    from ..codegen.rtcache import runtime_object
    t5 = time.perf_counter()
    runtime_object(jit=True)
    t6 = time.perf_counter()
    phases["runtime library"] = t6 - t5
    from ..codegen.engine import JIT
    from ..codegen.module import ENTRY
    jit = JIT(ref, opt=level)
    address = jit.address(ENTRY)
    phases["machine-code"] = time.perf_counter() - t6
    status, stdout, stderr, seconds = _run_forked(address, memory)
    phases["execute"] = seconds
    out.write(stdout)
    m = _ERROR_LINE.search(stderr) if status else None
    report = ProfileReport(src.name, phases, mode=str(tier), tier=tier,
                           error=m.group(1) if m else (f"exit status {status}" if status
                                                       else None))
    _fill_counts(report, counters, memory.counts(), specs, prog, policy, tier)
    report.notes += _notes(tier, missed, report)
    del jit
    return report, CompiledRun(status, stderr)


def _ruchy_name_of(ir_name: str) -> str:
    return TOPLEVEL_NAME if ir_name == TOPLEVEL_FUNCTION else ir_name


def _specialisations(module: Module) -> dict[str, list[tuple[str, str]]]:
    """IR function -> its specialisations (name, signature), from the whole-program
    types of the instrumented module (the compile typed it so; tier 2's pipeline then
    keeps each specialisation's name for its function, unless it inlines it away)."""
    from ..codegen.infer import infer_program
    sigs: dict[str, list[tuple[str, str]]] = {}
    try:
        typed = infer_program(module)
    except Exception:  # noqa: BLE001 - only the signature column is lost
        return sigs
    for s in typed.reachable:
        words = ", ".join(_WORDS.get(str(p), str(p)) for p in s.params) or "()"
        sigs.setdefault(s.func.name, []).append((s.name, words))
    return sigs


def _fill_counts(report: ProfileReport, counters: list[Counter], counts: list[int],
                 sigs: dict[str, list[tuple[str, str]]], prog: A.Program,
                 policy: TierPolicy, tier: int) -> None:
    from ..jit.osr import osr_points as find_osr_points
    osr = find_osr_points(prog)
    calls: dict[str, int] = {}
    back_edges: dict[str, int] = {}
    entered: dict[tuple[str, str], int] = {}
    for c, n in zip(counters, counts):
        if c.spec is not None:
            entered[(c.function, c.spec)] = n
        elif c.loop is None:
            calls[c.function] = n
        else:
            back_edges[c.function] = back_edges.get(c.function, 0) + n
            report.loops.append(LoopRow(c.function, c.loop.line, c.loop.col, n,
                                        c.loop in osr and policy.osr_due(n)))
    report.loops.sort(key=lambda lp: (-lp.iterations, lp.line, lp.col))
    for name in [TOPLEVEL_NAME, *calls]:
        n = calls.get(name, 0)
        if n == 0 and not back_edges.get(name):
            continue
        fn = TOPLEVEL_FUNCTION if name == TOPLEVEL_NAME else name
        specs = [words for _, words in sigs.get(fn, [])]
        per = [entered.get((name, w), 0) for w in specs]
        if len(specs) > 1 and sum(per) == n:  # every call entered its own LLVM function
            shares = sorted(((w, k / n) for w, k in zip(specs, per) if k),
                            key=lambda x: -x[1])
        else:  # one specialisation, or calls inlined by tier 2's pipeline: not known
            shares = [(w, 1.0 if len(specs) == 1 else None) for w in specs]
        shares = shares if n else []
        report.functions.append(FunctionRow(
            name, n, None, None, shares, back_edges.get(name, 0), tier=tier,  # type: ignore[arg-type]
            compiled_calls=n))
    report.functions.sort(key=lambda r: (r.name != TOPLEVEL_NAME, -r.calls, r.name))


def _notes(tier: int, missed: list[A.Node], report: ProfileReport) -> list[str]:
    notes = [
        f"the whole program was compiled at tier {tier} for this run: no program cache "
        "and no code cache, so the phases are a real compile (the runtime library is "
        "read from its cache unless --no-cache)",
        "a profiling build: each function's entry and each loop body's start increment a "
        "counter, so calls and loop iterations are exact counts taken in the compiled "
        "code (the counters change the code a little: tier 2's inliner and LLVM see them)",
        "per-function times are not measured at a compiled tier (machine code is not "
        "sampled): 'execute' is the whole run, timed in the forked child that ran it",
    ]
    if any(s is None for f in report.functions for _, s in f.signatures):
        notes.append("shares of the specialisations are counted on entry to their "
                     "compiled functions: those marked ? had calls inlined by tier 2's "
                     "pipeline, whose specialisation is not known")
    if missed:
        notes.append("loops without a counter (not shown): " + ", ".join(
            f"{n.span.line}:{n.span.col}" for n in missed))
    notes.append("OSR candidate: what --tier=auto would enter by on-stack replacement")
    return notes


def _mixed(src: SourceFile, out: TextIO, tier: int, phases: dict[str, float],
           first: RuchyError) -> tuple[ProfileReport, CompiledRun]:
    """A program that uses Level 3, which the IR does not have yet: as ``run --tier=N``
    runs it (jit/mixed.py), its Level 3 functions interpreted and the rest compiled at
    ``tier`` when it first runs, profiled as the tiered runtime is."""
    from ..jit.mixed import fixed_tier_policy
    from .report import profile_source
    report, error = profile_source(src, out, fixed_tier_policy(tier), "auto")
    report.phases = {"parse": phases["parse"],
                     **{k: v for k, v in report.phases.items() if k != "parse"}}
    report.mixed = tier
    report.notes.insert(0, f"{src.name}:{first.span}: {first.message}: the functions "
                           "that use Level 3 (and their callers) ran in the interpreter, "
                           f"the rest compiled at tier {tier} when it first ran, as "
                           f"'run --tier={tier}' does")
    return report, CompiledRun(1 if error else 0, "", error)


def _interpreted(src: SourceFile, out: TextIO, tier: int, policy: TierPolicy,
                 phases: dict[str, float], refused: list[str]
                 ) -> tuple[ProfileReport, CompiledRun]:
    """The program runs in the interpreter (tier 0's profile), after the refusal."""
    from .report import profile_source
    report, error = profile_source(src, out, policy, "0")
    merged = {"parse": phases["parse"]}  # the first parse (tier 0's own is not shown)
    merged.update((k, v) for k, v in phases.items() if k != "parse")
    merged.update((k, v) for k, v in report.phases.items() if k != "parse")
    report.phases = merged
    report.mode, report.tier = str(tier), tier
    report.interpreted = True
    blamed = {}
    for r in refused:
        m = re.search(r"@([^\s(@]+)\(", r)
        if m:
            name = m.group(1)
            blamed.setdefault(TOPLEVEL_NAME if name == TOPLEVEL_FUNCTION else name, r)
    for f in report.functions:
        f.not_compiled = blamed.get(f.name)
    report.notes = [f"the program does not compile at tier {tier}; it ran in the "
                    "interpreter, as 'run --tier={0}' does: {1}".format(tier, "; ".join(refused)),
                    "functions and loops are tier 0's profile (CPU-time samples, counts "
                    "in interpreted code)"] + report.notes
    return report, CompiledRun(1 if error else 0, "", error)
