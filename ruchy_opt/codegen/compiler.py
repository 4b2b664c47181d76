"""The compiled tiers end to end: SSA module -> whole-program types -> LLVM IR ->
LLVM's pipeline -> machine code (JIT) or an object file (AOT).

Tier 1 is lowering, type specialisation and code generation with a short LLVM pipeline
and LLVM's fast instruction selection (engine.tier_options); tier 2 first runs the ruchy
``-O2`` pipeline on the specialised module, then LLVM at O3.
"""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from ..errors import SourceFile
from ..ir.core import Module
from .infer import Program, explain, infer_program

#: LLVM's default pipeline's level per tier where the default pipeline runs (tier 1
#: runs engine.FAST_PASSES instead, unless ``--llvm-level`` is given).
LLVM_LEVEL = {1: 1, 2: 3}


@dataclass
class CompileOptions:
    """Knobs of one compilation (the CLI fills them)."""

    tier: int = 2
    llvm_level: Optional[int] = None       # override the tier's LLVM level
    llvm_time_passes: bool = False
    llvm_bisect_limit: Optional[int] = None
    passes: Optional[str] = None           # ruchy pipeline (default: -O2 at tier 2)
    verbose: bool = False
    executable: bool = False               # emit main() for a native executable
    dump_dir: Optional[str] = None         # --dump-cfg: also the LLVM CFG before/after
    args: Any = None                       # the command line, for pass instrumentation
    #: False: stop at the LLVM IR text (``Compiled.module`` is None), for a caller that
    #: rewrites it before LLVM sees it (the profiler's counters)
    llvm: bool = True


@dataclass
class Compiled:
    """The result of compiling a program: LLVM IR before and after LLVM's pipeline, the
    optimised llvmlite module, and how long each phase took (seconds)."""

    program: Program
    llvm_before: str
    module: object                          # llvmlite.binding.ModuleRef, optimised (None
    #                                         with CompileOptions.llvm False)
    #: The program's code only; the runtime is compiled once (rtcache.py) and joins it
    #: in the JIT (add_object_file) or at link time.
    times: dict[str, float] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    #: the code generator's level for ``module`` (engine.tier_options): what the JIT,
    #: emit_object and emit_assembly are given
    codegen_level: int = 2

    @property
    def llvm_after(self) -> str:
        return str(self.module)


class NotCompilable(Exception):
    """The program has no static types somewhere; ``reasons`` say where and why."""

    def __init__(self, reasons: list[str], specs: Optional[list] = None) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        #: the specialisations that could not be typed (Spec.failure says why)
        self.specs = specs or []


def specialise(module: Module, opts: CompileOptions,
               times: Optional[dict[str, float]] = None) -> Program:
    """Whole-program types; at tier 2, after the ruchy pipeline on the specialised
    clones (see ruchy_opt/codegen/tier2.py). ``times`` receives ``types`` and, at tier 2,
    ``ruchy-O2`` (the pipeline) and ``retype`` (typing its result), in seconds."""
    times = {} if times is None else times
    t0 = time.perf_counter()
    prog = infer_program(module)
    times["types"] = time.perf_counter() - t0
    if not prog.ok:
        raise NotCompilable(explain(prog), prog.failures)
    if opts.tier >= 2 or opts.passes is not None:
        from .tier2 import optimise_specialised
        prog = optimise_specialised(prog, opts, times)
    return prog


@contextmanager
def rare_collections() -> Iterator[None]:
    """Python's cyclic garbage collector runs less often while this lasts. A compile
    makes hundreds of thousands of IR objects that all stay alive until it ends, so the
    default thresholds make the collector walk them again and again (its full
    collections took 13-18% of a tier-2 compile of 100 small functions); the garbage
    a compile leaves is collected afterwards as usual."""
    old = gc.get_threshold()
    if old[0] == 0:  # collection turned off by the embedder: leave it so
        yield
        return
    gc.set_threshold(max(old[0], 100_000), max(old[1], 50), max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def compile_module(module: Module, src: SourceFile, opts: CompileOptions) -> Compiled:
    """Compile a lowered program to optimised LLVM IR (raises NotCompilable)."""
    with rare_collections():
        return _compile_module(module, src, opts)


def _compile_module(module: Module, src: SourceFile, opts: CompileOptions) -> Compiled:
    from . import engine
    from .module import generate
    from ..ir.verify import verify_module
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    verify_module(module)  # never compile IR that breaks the rules (a lowering bug)
    times["verify"] = time.perf_counter() - t0
    prog = specialise(module, opts, times)
    t1 = time.perf_counter()
    level = opts.llvm_level if opts.llvm_level is not None else LLVM_LEVEL[min(opts.tier, 2)]
    llmod = generate(prog, src, executable=opts.executable, twins=level >= 2)
    before = str(llmod)
    t2 = time.perf_counter()
    times["codegen"] = t2 - t1
    if not opts.llvm:
        return Compiled(prog, before, None, times)
    if opts.llvm_bisect_limit is not None:
        engine.set_llvm_option(f"-opt-bisect-limit={opts.llvm_bisect_limit}")
    ref = engine.parse(before, src.name)
    tm = engine.target_machine(jit=not opts.executable)
    ref.triple = tm.triple
    ref.data_layout = str(tm.target_data)
    t3 = time.perf_counter()
    times["llvm-parse"] = t3 - t2
    lo, codegen_level = engine.tier_options(opts.tier, opts.llvm_level, opts.llvm_time_passes)
    times["llvm-opt"] = engine.optimize(ref, tm, lo)
    return Compiled(prog, before, ref, times, lo.report, codegen_level)


def compile_source(src: SourceFile, opts: CompileOptions, tree: Any = None) -> Compiled:
    """Parse, lower and compile a source file (``tree``: its program parsed already,
    as the compile ahead of jit/background.py receives it). ``times`` starts with
    ``parse`` and ``lower``: parsing is its own phase because every tier pays it (tier 0
    included), whereas the tiered JIT compiles from the program tier 0 already parsed,
    so its cost per function is the phases from ``lower`` on."""
    from ..lower import lower_program
    with rare_collections():
        t0 = time.perf_counter()
        if tree is None:
            from ..syntax.parser import parse_program
            tree = parse_program(src.text, src.name)
        t1 = time.perf_counter()
        module = lower_program(tree, src, aggregates=True, compiled=True)
        t2 = time.perf_counter()
        try:
            c = compile_module(module, src, opts)
        except NotCompilable as e:
            raise level3_refusal(module, e) or e from None
    c.times = {"parse": t1 - t0, "lower": t2 - t1, **c.times}
    return c


def level3_refusal(module: Module, e: NotCompilable) -> Optional[Exception]:
    """A program that uses Level 3 (structs, tuples, enums...) and is not compiled as a
    whole: the first reason as a lowering's NotInIR, so that ``run --tier=1|2`` runs it
    in the tiered runtime with what does not compile interpreted, function by function
    (jit/mixed.py), and ``build`` reports it as an error, as before the IR had Level 3
    in compiled code. None: the program has no Level 3."""
    from ..ir.types import is_aggregate
    from ..lower.module import AGGREGATE_OPS
    if not any(is_aggregate(i.type) or i.op.name in AGGREGATE_OPS
               for f in module.functions.values() for i in f.instructions()):
        return None
    failed = next((s for s in e.specs if s.failure is not None), None)
    if failed is None:
        return None
    msg, span = failed.failure
    return Level3NotCompiled(f"@{failed.func.name} is not compiled: {msg}", span)


def _not_in_ir() -> type:
    from ..lower.level3 import NotInIR
    return NotInIR


class Level3NotCompiled(_not_in_ir()):  # type: ignore[misc]
    """Level 3 code that whole-program typing did not compile (see level3_refusal)."""

    def __init__(self, message: str, span: Any) -> None:
        Exception.__init__(self, message)
        self.message = message
        self.span = span
        self.construct = message
