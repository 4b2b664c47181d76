"""The pass manager's command-line options, and the glue the ``ruchy-opt`` command uses:
build a registry (with plugins), parse the pipeline, set up instrumentation, run.

Every failure here is a :class:`~.api.PassManagerError` (a bad option, pipeline or plugin,
or a failing pass) with a message meant for the user; the command prints it and exits
with status 2. Importing this module is cheap (the ``ruchy-opt`` parser needs it).
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Optional, TextIO

from .api import PassManagerError

#: ``--print-changed`` modes (printing.py), listed here so that building the parser
#: imports nothing more
CHANGED_MODES = ("full", "quiet", "diff", "diff-quiet", "cdiff", "cdiff-quiet")

TYPE_NAMES = {
    "int": "i64", "i64": "i64", "i32": "i64", "isize": "i64", "usize": "i64", "u64": "i64",
    "float": "f64", "f64": "f64", "f32": "f64", "bool": "bool",
    "str": "str", "string": "str", "String": "str", "&str": "str",
    "arr": "arr", "array": "arr", "vec": "arr", "Vec": "arr",
    "any": "any", "_": "any",
}


class PassSetupError(PassManagerError):
    """A bad pipeline, plugin or option (exit status 2)."""


def add_pass_arguments(p: argparse.ArgumentParser) -> None:
    """Add the pass-manager options to the ``ruchy-opt`` (and ``run``) parser."""
    g = p.add_argument_group("passes")
    g.add_argument("--passes", metavar="PIPELINE", default=None,
                   help="pass pipeline, e.g. 'inline<threshold=50>,fixpoint(sccp,dce)' "
                        "(LLVM new-PM syntax; --list-passes shows the passes)")
    g.add_argument("-O", dest="opt_level", choices=["0", "1", "2"], default=None,
                   help="a default pipeline: -O1 or -O2 (the tier-2 pipeline)")
    g.add_argument("--load-pass-plugin", metavar="FILE", action="append", default=[],
                   help="load passes from a Python file (repeatable)")
    g.add_argument("--list-passes", action="store_true",
                   help="list every registered pass, built-in or plugin, and exit")
    g.add_argument("--arg-types", metavar="F:T,..", action="append", default=[],
                   help="assume argument types for typespec, e.g. f:int,float (repeatable); "
                        "'profile': the types seen most in a run at tier 0 (its output "
                        "discarded)")
    g.add_argument("--print-before-all", action="store_true",
                   help="print the IR before every pass run (to stderr)")
    g.add_argument("--print-before", metavar="P", action="append", default=[],
                   help="print the IR before each run of pass P (repeatable, or P,Q)")
    g.add_argument("--print-after-all", action="store_true",
                   help="print the IR after every pass run (to stderr)")
    g.add_argument("--print-after", metavar="P", action="append", default=[],
                   help="print the IR after each run of pass P (repeatable, or P,Q)")
    g.add_argument("--print-changed", metavar="MODE", nargs="?", const="full", default=None,
                   choices=CHANGED_MODES,
                   help="after each pass run that changed the IR, print it (as opt: "
                        "bare or =full: the IR at the start, then each changed function "
                        "whole and a line for each unchanged one; =quiet: only the "
                        "changed ones; =diff / =cdiff (in colour): a unified diff; "
                        "=diff-quiet, =cdiff-quiet: diffs only). To stderr")
    g.add_argument("--filter-print-funcs", metavar="F,G", action="append", default=[],
                   help="print only these functions in --print-before/after/changed "
                        "(repeatable)")
    g.add_argument("--debug-pass-manager", action="store_true",
                   help="trace the pass manager on stderr: each pass run (numbered as "
                        "--opt-bisect-limit counts), each analysis computed, served "
                        "from the cache, kept or invalidated, and why")
    g.add_argument("--verify-each", action="store_true",
                   help="verify the IR after every pass, and check that a pass that "
                        "reports no change changed nothing")
    g.add_argument("--time-passes", action="store_true", help="report time per pass")
    g.add_argument("--stats", action="store_true",
                   help="report what each pass did (instructions removed, counters)")
    g.add_argument("--opt-bisect-limit", metavar="N", type=int, default=None,
                   help="run only the first N pass runs (one per function for function "
                        "passes); -1 runs all but prints the numbering")
    g.add_argument("--crash-reproducer", metavar="FILE", default=None,
                   help="where to write the IR and pipeline when a pass fails "
                        "(default: a new file in the temporary directory)")


#: ``--arg-types=profile``: take the types from a profiling run (profile_types.py)
PROFILE = "profile"


def wants_profile(args: argparse.Namespace) -> bool:
    """Whether ``--arg-types=profile`` was given."""
    return any(a.strip() == PROFILE for a in getattr(args, "arg_types", None) or ())


def parse_arg_types(items: list[str]) -> dict[str, tuple[str, ...]]:
    """``["f:int,float", "g:str"]`` -> ``{"f": ("i64", "f64"), "g": ("str",)}``
    (``profile`` is skipped: the caller runs the profile)."""
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        if item.strip() == PROFILE:
            continue  # see wants_profile
        for part in item.split(";"):
            fname, sep, types = part.partition(":")
            if not sep or not fname.strip():
                raise PassSetupError(f"--arg-types takes FUNCTION:TYPE,TYPE,... "
                                     f"(e.g. fib:int), not '{part}'")
            names = [t.strip() for t in types.split(",")] if types.strip() else []
            bad = [t for t in names if t not in TYPE_NAMES]
            if bad:
                raise PassSetupError(f"--arg-types: unknown type '{bad[0]}' (use int, "
                                     "float, bool, str, arr or any)")
            out[fname.strip()] = tuple(TYPE_NAMES[t] for t in names)
    return out


def make_registry(args: argparse.Namespace) -> Any:
    from .registry import PluginError, Registry
    reg = Registry()
    for path in getattr(args, "load_pass_plugin", []) or []:
        try:
            reg.load_plugin_file(path)
        except PluginError as e:
            raise PassSetupError(str(e)) from None
    return reg


def list_passes(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """``--list-passes``: every pass with its parameters, description and origin."""
    from .analysis import analysis_names
    from .params import param_specs
    from .registry import NAMED_PIPELINES
    reg = make_registry(args)
    broken: list[str] = []
    infos = reg.all(broken)
    width = max([len(i.name) for i in infos] + [8])
    section = None
    for info in infos:
        where = "Built-in passes:" if info.origin == "built-in" else "Plugin passes:"
        if where != section:
            out.write(("\n" if section else "") + where + "\n")
            section = where
        origin = "" if info.origin == "built-in" else f"  [{info.origin}]"
        out.write(f"  {info.name:<{width}}  {info.cls.summary()}{origin}\n")
        specs = param_specs(info.cls)
        if specs:
            out.write(f"  {'':<{width}}    parameters: "
                      f"{'; '.join(s.describe() for s in specs)}\n")
    out.write("\nPipelines:\n")
    for level, text in NAMED_PIPELINES.items():
        if text:
            out.write(f"  -O{level[1:]}  {text}\n")
    out.write("  nesting: repeat<N>(...), fixpoint(...), fixpoint<max=N>(...)\n")
    out.write(f"\nAnalyses: {', '.join(analysis_names())}\n")
    if broken:  # the rest is listed; the broken plugins are named
        raise PassSetupError("\n".join(broken))
    return 0


class Session:
    """One run of a pipeline from the command line."""

    def __init__(self, args: argparse.Namespace,
                 write_cfg_stage: Optional[Callable[[Any, str], None]] = None,
                 arg_types: Optional[dict[str, tuple[str, ...]]] = None) -> None:
        """``arg_types``: argument types known besides ``--arg-types`` (the compiled
        tiers' specialisations); ``--arg-types`` wins where both name a function."""
        from . import instruments as I
        from .crash import ReproducerWriter
        from .runner import PassRunner
        from .pipeline import PipelineError, parse_pipeline
        from .registry import NAMED_PIPELINES
        self.registry = make_registry(args)
        if args.passes is not None and args.opt_level is not None:
            raise PassSetupError(f"use either -O{args.opt_level} or --passes (to combine, "
                                 f"write --passes='default<O{args.opt_level}>,...')")
        text = args.passes if args.passes is not None else \
            NAMED_PIPELINES[f"O{args.opt_level}"] if args.opt_level is not None else ""
        try:
            self.pipeline = parse_pipeline(text, self.registry)
        except PipelineError as e:
            where = "-O" + args.opt_level if args.passes is None else "--passes"
            raise PassSetupError(f"{where}: {e}") from None
        ins: list = []
        if getattr(args, "debug_pass_manager", False):
            from .trace import DebugPassManager
            ins.append(DebugPassManager())
        if args.verify_each:
            ins.append(I.VerifyEach())
        ins += self._printers(args)
        if write_cfg_stage is not None:
            ins.append(I.DumpCfg(write_cfg_stage))
        self.timer = I.TimePasses() if args.time_passes else None
        self.stats = I.Stats() if args.stats else None
        ins += [x for x in (self.timer, self.stats) if x is not None]
        self.runner = PassRunner(
            self.registry, ins, {**(arg_types or {}), **parse_arg_types(args.arg_types)}, {},
            args.opt_bisect_limit, sys.stderr,
            ReproducerWriter(args.crash_reproducer), text)
        self.verify_input = bool(args.verify_each)

    def _printers(self, args: argparse.Namespace) -> list:
        """The instruments of --print-before/after[-all], --print-changed and
        --filter-print-funcs."""
        from .printing import PrintChanged, PrintIR, parse_funcs
        funcs = parse_funcs(getattr(args, "filter_print_funcs", None) or [])
        out: list = []
        for when, every, named in (
                ("Before", getattr(args, "print_before_all", False),
                 getattr(args, "print_before", None) or []),
                ("After", args.print_after_all, args.print_after)):
            if not every and not named:
                continue
            names = None if every else {n.strip() for item in named for n in item.split(",")
                                        if n.strip()}
            for n in sorted(names or ()):
                try:
                    self.registry.get(n)
                except LookupError as e:
                    raise PassSetupError(f"--print-{when.lower()}: {e}") from None
            out.append(PrintIR(when, names, funcs))
        if args.print_changed:
            out.append(PrintChanged(args.print_changed, funcs))
        return out

    def assume(self, arg_types: dict[str, tuple[str, ...]]) -> None:
        """Add argument types (the profile's); ``--arg-types`` still wins."""
        merged = {**arg_types, **self.runner.arg_types}
        self.runner.arg_types = merged
        self.runner.ctx.arg_types = merged

    @property
    def empty(self) -> bool:
        return not self.pipeline

    def run(self, module: Any) -> Any:
        """Run the pipeline over ``module`` in place and print the reports."""
        if self.verify_input:
            from ..ir.verify import VerifyError, verify_module
            try:
                verify_module(module)
            except VerifyError as e:
                raise PassSetupError(f"the input IR is invalid (before any pass): {e}") \
                    from None
        try:
            self.runner.run(module, self.pipeline)
        finally:
            self.runner.finish(sys.stderr)
        if self.pipeline and not self.verify_input:
            # even when no pass reported a change: one may have changed the IR anyway
            self.verify_result(module)
        return module

    def verify_result(self, module: Any) -> None:
        """Verify the result once (as opt does); if it is invalid, replay the pipeline
        verifying after each pass, so that the error names the pass that broke it."""
        from ..ir.verify import VerifyError, verify_module
        try:
            verify_module(module)
        except VerifyError as e:
            self.runner.find_invalid()
            raise PassSetupError(f"the IR after the pipeline is invalid: {e} (rerun with "
                                 "--verify-each to find the pass)") from None


def wants_passes(args: argparse.Namespace) -> bool:
    """Whether the command line asks for any pass-manager work."""
    return (getattr(args, "passes", None) is not None
            or getattr(args, "opt_level", None) is not None)


__all__ = ["PassManagerError", "PassSetupError", "Session", "add_pass_arguments", "list_passes",
           "parse_arg_types", "wants_passes", "wants_profile"]
