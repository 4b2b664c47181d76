"""The LLVM layer: initialisation, target machines, LLVM's optimisation pipeline (new
pass manager), MCJIT engines, and LLVM's own instrumentation (``set_option``).

llvmlite costs about 110 ms to import, so only code that compiles imports this module.
A target machine is made per use: an MCJIT engine takes ownership of the one it is
given, so sharing one between engines would free it twice.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

import llvmlite.binding as llvm

_initialised = False
_options_set: set[str] = set()

#: Tier 1's LLVM pipeline, instead of the default O1 one: instcombine folds what the
#: code generator leaves (the overflow intrinsics' flags, constant compares, casts),
#: simplifycfg merges its straight-line blocks. 0.5 ms per small function against O1's
#: 5-7 ms. The price: bench/programs run 1.75x as long at tier 1 (geomean, warm;
#: matmul 4.3x and sieve 2.9x, no LICM or loop rotation; loops 0.95x), a whole cold
#: run 1.26x. Tier 1 is the quick first compile (the tiered runtime promotes hot code
#: to tier 2); ``--llvm-level=1`` gives O1's code back (docs/codegen.md).
FAST_PASSES = ("instruction_combine", "simplify_cfg")
#: The code generator's level for FAST_PASSES: 0 is LLVM's fast instruction selection,
#: a third of SelectionDAG's time, and init() gives it the greedy register allocator
#: (-optimize-regalloc) that levels 1-3 use anyway: with the fast one every value lives
#: on the stack, and tier-1 code ran 2x as long.
FAST_CODEGEN = 0


def init() -> None:
    """Initialise LLVM's native target once per process."""
    global _initialised
    if not _initialised:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        llvm.initialize_native_asmparser()
        # the greedy register allocator at code generator level 0 too (FAST_CODEGEN);
        # the other levels use it already, so this changes only tier 1
        llvm.set_option("ruchy-opt", "-optimize-regalloc")
        _initialised = True


def set_llvm_option(flag: str) -> None:
    """Pass a command-line flag to LLVM (e.g. ``-opt-bisect-limit=10``), once."""
    init()
    if flag not in _options_set:
        llvm.set_option("ruchy-opt", flag)
        _options_set.add(flag)


def code_model(jit: bool) -> str:
    """MCJIT's code (``jit``) uses the large code model: its memory may lie anywhere
    relative to the C library. Position-independent code for a shared object or an
    executable, linked by the system C compiler, uses the usual small one: 32-bit
    PC-relative addresses and calls through the PLT instead of a 64-bit constant per
    address; the machine code is 5% smaller and takes 40% less time to generate."""
    return "jitdefault" if jit else "default"


_host_cpu: Optional[tuple[str, str]] = None


def host_cpu() -> tuple[str, str]:
    """The host CPU's name and feature string, asked of LLVM once per process: the
    features take about 2 ms to query, and a JIT compile made five target machines."""
    global _host_cpu
    if _host_cpu is None:
        init()
        _host_cpu = (llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten())
    return _host_cpu


def target_machine(opt: int = 2, jit: bool = False) -> "llvm.TargetMachine":
    """A new target machine for the host CPU (``opt`` is the code generator's level)."""
    cpu, features = host_cpu()
    target = llvm.Target.from_default_triple()
    return target.create_target_machine(
        cpu=cpu, features=features,
        opt=opt, reloc="pic" if not jit else "default", codemodel=code_model(jit), jit=jit)


@dataclass
class LLVMOptions:
    """How LLVM's pipeline runs for one compilation."""

    speed_level: int = 2          # 0..3: O0..O3 of the new pass manager's default pipeline
    time_passes: bool = False     # collect LLVM's pass timing report
    report: list[str] = field(default_factory=list)
    #: these passes (llvmlite's ``add_<name>_pass``) instead of the default pipeline
    passes: Optional[tuple[str, ...]] = None


def tier_options(tier: int, level: Optional[int] = None,
                 time_passes: bool = False) -> tuple[LLVMOptions, int]:
    """LLVM's pipeline and the code generator's level for a tier: at tier 1 the short
    FAST_PASSES pipeline and FAST_CODEGEN; at tier 2 O3 and level 2. ``level`` (the
    ``--llvm-level`` option) chooses the default pipeline at that level instead, with
    code generator level 2."""
    if level is None and tier < 2:
        return LLVMOptions(speed_level=1, time_passes=time_passes,
                           passes=FAST_PASSES), FAST_CODEGEN
    return LLVMOptions(speed_level=3 if level is None else level,
                       time_passes=time_passes), 2


def optimize(module: "llvm.ModuleRef", tm: "llvm.TargetMachine", opts: LLVMOptions) -> float:
    """Run LLVM's default pipeline at ``opts.speed_level`` (or ``opts.passes``) on
    ``module``; returns seconds.
    With ``time_passes`` the pass timing report is appended to ``opts.report``."""
    t0 = time.perf_counter()
    pto = llvm.create_pipeline_tuning_options(speed_level=opts.speed_level)
    if opts.speed_level >= 2:
        pto.loop_vectorization = True
        pto.slp_vectorization = True
        pto.loop_unrolling = True
    pb = llvm.create_pass_builder(tm, pto)
    if opts.time_passes:
        pb.start_pass_timing()
    if opts.passes is None:
        mpm = pb.getModulePassManager()
    else:
        mpm = llvm.create_new_module_pass_manager()
        for name in opts.passes:
            getattr(mpm, f"add_{name}_pass")()
    mpm.run(module, pb)
    if opts.time_passes:
        opts.report.append(pb.finish_pass_timing())
    return time.perf_counter() - t0


def parse(ir_text: str, name: str = "ruchy") -> "llvm.ModuleRef":
    """Parse and verify textual LLVM IR."""
    init()
    m = llvm.parse_assembly(ir_text)
    m.name = name
    m.verify()
    return m


class JIT:
    """An MCJIT engine holding one program module (and the runtime linked into it)."""

    def __init__(self, module: "llvm.ModuleRef", opt: int = 2) -> None:
        from .rtcache import runtime_object
        tm = target_machine(opt=min(opt, 3), jit=True)
        self.engine = llvm.create_mcjit_compiler(module, tm)
        self.engine.add_object_file(llvm.ObjectFileRef.from_data(runtime_object(jit=True)))
        t0 = time.perf_counter()
        self.engine.finalize_object()
        self.engine.run_static_constructors()
        self.codegen_seconds = time.perf_counter() - t0

    @classmethod
    def from_object(cls, obj: bytes) -> "JIT":
        """An engine running previously generated machine code (an object file)."""
        empty = parse("", "cached")
        tm = target_machine(jit=True)
        empty.triple = tm.triple
        empty.data_layout = str(tm.target_data)
        self = cls(empty)
        self.engine.add_object_file(llvm.ObjectFileRef.from_data(obj))
        self.engine.finalize_object()
        return self

    def address(self, name: str) -> int:
        """The address of a compiled function."""
        return self.engine.get_function_address(name)


def emit_object(module: "llvm.ModuleRef", opt: int = 2) -> bytes:
    """Machine code for ``module`` as a relocatable object file."""
    return target_machine(opt=opt).emit_object(module)


def emit_assembly(module: "llvm.ModuleRef", opt: int = 2) -> str:
    """Assembly text for ``module``."""
    return target_machine(opt=opt).emit_assembly(module)


def host_triple() -> str:
    init()
    return llvm.get_process_triple()


def data_layout() -> str:
    return str(target_machine().target_data)
