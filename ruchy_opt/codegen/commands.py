"""The command-line actions of the compiled tiers: ``run --tier=1|2``, ``--emit=llvm``,
``--emit=asm`` and ``build FILE -o EXE``. cli.py imports this module only when one of
them is used (it imports llvmlite).

A program (or the part of it) that has no static types runs in the interpreter, and
``--verbose`` says what and why. A program that uses Level 3, which the IR does not
have yet, runs in the tiered runtime with its Level 3 functions interpreted and the
rest compiled at the tier asked for (jit/mixed.py); ``--emit=llvm|asm`` and ``build``
report the first Level 3 construct as an error instead. An internal error of the compiler never shows a
traceback: the program then runs in the interpreter, and the error is reported in one
line (set ``RUCHY_OPT_STRICT=1`` to make it fatal, as the tests do).
"""
from __future__ import annotations

import os
import sys
from typing import Any, Optional

from ..errors import RuchyError, SourceFile
from ..passmgr.api import PassManagerError
from .compiler import Compiled, NotCompilable, compile_source
from .options import compile_options

STRICT_ENV = "RUCHY_OPT_STRICT"


class BuildError(Exception):
    """``build`` could not make an executable (no linker, not compilable, ...)."""


def _say(msg: str) -> None:
    sys.stderr.write(f"ruchy-opt: {msg}\n")


def _compile(src: SourceFile, args: Any, tier: int, executable: bool = False) -> Optional[Compiled]:
    """Compile, or None (with the reasons said) when the interpreter must run it."""
    opts = compile_options(args, tier, executable)
    try:
        c = _compile_ssa(src, opts) if src.name.endswith(".ssa") else compile_source(src, opts)
    except RuchyError:
        raise
    except NotCompilable as e:
        if opts.verbose or executable:
            for r in e.reasons:
                _say(r)
        return None
    except RecursionError:
        if opts.verbose:
            _say("the program is nested too deeply to compile; it runs in the interpreter")
        return None
    except PassManagerError as e:
        if _user_pipeline(args):
            # The user's own pipeline or plugin failed: the same error (exit 2) as
            # --emit=ssa and run --tier=ir give, not a quiet fall-back.
            from ..cli import UsageError
            raise UsageError(str(e)) from None
        if os.environ.get(STRICT_ENV):
            raise
        _say(f"internal error in the tier-{tier} compiler ({e}); "
             "running the program in the interpreter")
        return None
    except Exception as e:  # a compiler bug: never a traceback for the user
        if os.environ.get(STRICT_ENV):
            raise
        _say(f"internal error in the tier-{tier} compiler ({type(e).__name__}: {e}); "
             "running the program in the interpreter")
        return None
    if opts.verbose:
        _report(c, tier)
    for r in c.report:
        sys.stderr.write(r)
    return c


def _compile_ssa(src: SourceFile, opts: Any) -> Compiled:
    """Compile textual IR (``run --tier=1|2 x.ssa``, ``--emit=llvm x.ssa``, ``build``):
    parsed and verified (errors point into the ``.ssa`` text), then compiled as a lowered
    program is. Runtime errors are rendered against the Ruchy source the spans point
    into when it is found (as ``run --tier=ir`` does), else without a source line."""
    from ..ir.load import load_module, source_for_errors
    from .compiler import compile_module
    m = load_module(src)
    original = source_for_errors(m, src.name) or SourceFile(m.source or src.name, "")
    return compile_module(m, original, opts)


def _user_pipeline(args: Any) -> bool:
    """Whether the command line chose the passes (``--passes``, ``-O``, plugin files)
    rather than leaving the tier's own pipeline."""
    return (getattr(args, "passes", None) is not None
            or getattr(args, "opt_level", None) is not None
            or bool(getattr(args, "load_pass_plugin", None)))


def _report(c: Compiled, tier: int) -> None:
    names = ", ".join(f"@{s.name}({', '.join(s.sig)})" for s in c.program.reachable)
    _say(f"tier {tier}: compiled {len(c.program.reachable)} specialisations: {names}")
    phases = ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in c.times.items())
    # parsing is paid by every tier; what compiling adds to it is the rest
    compiling = sum(v for k, v in c.times.items() if k != "parse")
    _say(f"tier {tier}: compile time: {phases}; "
         f"{compiling * 1000:.1f} ms without parsing")


def _check_plain_entry(src: SourceFile, args: Any, tier: int) -> None:
    """``--verbose`` compiles (to show the compile), so it reads no cached program: it
    checks the entry the same run without ``--verbose`` would run, which says (and
    discards) it if it is damaged, swapped or not trusted."""
    from types import SimpleNamespace
    from . import progcache
    options = progcache.options_of(SimpleNamespace(**{**vars(args), "verbose": False}))
    if options is not None:
        key = progcache.program_key(src.name, src.text, tier, options)
        progcache.has_library(key) or progcache.load(key)


def run_tier(src: SourceFile, args: Any, tier: int) -> int:
    """``run --tier=1|2``: from the program cache when this exact program was compiled
    before (progcache.py: a shared object, or an object file for MCJIT), else compiled
    now and kept there. (A plain ``run --tier=N FILE`` whose shared object is cached
    never gets here: launch.py runs it before the command line is even parsed.)"""
    key = None
    from . import cachefile
    cachefile.verbose = bool(getattr(args, "verbose", False))  # discarded entries said
    if not src.name.endswith(".ssa"):
        from . import progcache
        options = progcache.options_of(args)
        if options is not None and progcache.cache_dir():
            key = progcache.program_key(src.name, src.text, tier, options)
            so = progcache.open_library(key)
            if so is not None:
                from .native import library_entry, run_address
                try:
                    address = library_entry(so)
                except (OSError, AttributeError):  # damaged: compiled again below
                    address = None
                if address is not None:
                    return run_address(address)
            obj = progcache.load(key)
            if obj is not None:
                from .jit import run_cached
                return run_cached(obj)
        elif cachefile.verbose and progcache.cache_dir():
            _check_plain_entry(src, args, tier)
    from ..lower import NotInIR
    try:
        c = _compile(src, args, tier)
    except NotInIR as e:  # Level 3: the rest is compiled, function by function
        from ..jit.mixed import run_mixed
        return run_mixed(src, args, tier, f"{src.name}:{e.span}: {e.message}")
    if c is None:
        if src.name.endswith(".ssa"):  # IR has no tier 0: its own interpreter runs it
            if getattr(args, "verbose", False):
                _say("running the whole program in the IR interpreter")
            from ..ir.commands import run_ir
            return run_ir(src, args)
        if getattr(args, "verbose", False):
            _say("running the whole program in the interpreter (tier 0)")
        from ..interp.runner import run_source
        return run_source(src)
    from .jit import run_compiled
    status = run_compiled(c, key)
    if getattr(args, "verbose", False):
        _say(f"tier {tier}: machine code generated in {c.times['llvm-codegen'] * 1000:.1f} ms")
    if getattr(args, "dump_cfg", None):
        from .dump import dump_llvm_cfg
        dump_llvm_cfg(c, args.dump_cfg)
    return status


def _need(src: SourceFile, args: Any, tier: int, executable: bool = False) -> Compiled:
    c = _compile(src, args, tier, executable)
    if c is None:
        raise BuildError("the program cannot be compiled (see above); "
                         "'ruchy-opt run' runs it in the interpreter")
    return c


def emit_llvm(src: SourceFile, args: Any) -> int:
    """``--emit=llvm``: the module as generated, or after LLVM's pipeline (--llvm-opt)."""
    try:
        c = _need(src, args, int(args.emit_tier))
    except BuildError as e:
        _say(f"error: {e}")
        return 1
    text = c.llvm_after if args.llvm_opt else c.llvm_before
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if getattr(args, "dump_cfg", None):
        from .dump import dump_llvm_cfg
        dump_llvm_cfg(c, args.dump_cfg)
    return 0


def emit_asm(src: SourceFile, args: Any) -> int:
    """``--emit=asm``: the machine code of the optimised module, as assembly."""
    from .engine import emit_assembly
    try:
        c = _need(src, args, int(args.emit_tier))
    except BuildError as e:
        _say(f"error: {e}")
        return 1
    sys.stdout.write(emit_assembly(c.module, c.codegen_level))
    return 0


def build(src: SourceFile, args: Any) -> int:
    """``build FILE -o EXE``: a native executable that runs without Python."""
    from .aot import link_executable
    try:
        c = _need(src, args, int(args.tier or 2), executable=True)
        link_executable(c, args.output)
    except BuildError as e:
        _say(f"error: {e}")
        return 1
    if args.verbose:
        _say(f"wrote {args.output}")
    return 0
