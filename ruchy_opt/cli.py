"""The ``ruchy-opt`` command line (see shared/DESIGN.md for the contract).

::

    ruchy-opt [--emit=ast|py|ssa] [--dump-cfg[=DIR]] FILE   print a stage of the pipeline
    ruchy-opt run [--tier=T] [--dump-cfg[=DIR]] FILE        run a program
    ruchy-opt profile [--json] FILE         phase / function / loop / type profile
    ruchy-opt hotspots FILE                 what the tiered runtime would compile, and why
    ruchy-opt bench [--tiers=..] FILE       repeated runs at chosen tiers, with ratios

FILE is Ruchy source, or textual SSA IR (``.ssa``) where a stage takes IR (``--emit=ssa``,
``run --tier=ir``).
Exit status: 0 success; 1 an error in the Ruchy program; 2 bad usage of the tool.
Heavy modules (lark, the interpreter) are imported only when their stage runs.
"""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from .errors import RuchyError, SourceFile, render

if TYPE_CHECKING:  # (argparse is imported where a parser is built: see _plain_run)
    import argparse

EXIT_OK, EXIT_PROGRAM_ERROR, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad use of the tool itself (exit status 2)."""


def _run_tier0(src: SourceFile, args: argparse.Namespace) -> int:
    from .interp.runner import run_source
    return run_source(src)


def _run_ir(src: SourceFile, args: argparse.Namespace) -> int:
    from .ir.commands import run_ir
    return run_ir(src, args)


def _run_tier1(src: SourceFile, args: argparse.Namespace) -> int:
    from .codegen.commands import run_tier
    return run_tier(src, args, 1)


def _run_tier2(src: SourceFile, args: argparse.Namespace) -> int:
    from .codegen.commands import run_tier
    return run_tier(src, args, 2)


def _run_auto(src: SourceFile, args: argparse.Namespace) -> int:
    from .jit.auto import run_auto
    return run_auto(src, args)


#: Tiers that ``run --tier`` accepts, in the order they are offered.
TIERS: dict[str, Callable[[SourceFile, argparse.Namespace], int]] = {
    "0": _run_tier0, "ir": _run_ir, "1": _run_tier1, "2": _run_tier2, "auto": _run_auto}
#: Every tier the design names, so that a missing one is refused by name.
PLANNED_TIERS = ("0", "ir", "1", "2", "auto")


def _emit_ast(src: SourceFile, args: argparse.Namespace) -> int:
    from .syntax.ast import dump
    from .syntax.parser import parse_program
    print(dump(parse_program(src.text, src.name)))
    return EXIT_OK


def _emit_py(src: SourceFile, args: argparse.Namespace) -> int:
    from .interp.program import translate_program
    from .syntax.parser import parse_program
    print(translate_program(parse_program(src.text, src.name), src).source, end="")
    return EXIT_OK


def _emit_ssa(src: SourceFile, args: argparse.Namespace) -> int:
    from .ir.commands import emit_ssa
    return emit_ssa(src, args)


def _emit_llvm(src: SourceFile, args: argparse.Namespace) -> int:
    from .codegen.commands import emit_llvm
    return emit_llvm(src, args)


def _emit_asm(src: SourceFile, args: argparse.Namespace) -> int:
    from .codegen.commands import emit_asm
    return emit_asm(src, args)


#: Stages ``--emit`` can print.
EMITTERS: dict[str, Callable[[SourceFile, argparse.Namespace], int]] = {
    "ast": _emit_ast, "py": _emit_py, "ssa": _emit_ssa, "llvm": _emit_llvm,
    "asm": _emit_asm}
#: Actions of the compiled tiers: they run the ruchy pipeline (--passes, -O) themselves,
#: on the type-specialised program.
COMPILED = {_run_tier1, _run_tier2, _emit_llvm, _emit_asm}
#: Actions that also take textual IR (a ``.ssa`` file) as input.
SSA_INPUT = {_run_ir, _emit_ssa}
DUMP_CFG_DEFAULT = "cfg-dumps"


def _dump_cfg_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dump-cfg", metavar="DIR", default=None,
                   help="write graphviz files of every stage (AST, SSA, ...) into DIR "
                        f"(bare --dump-cfg: {DUMP_CFG_DEFAULT}/), plus .svg if Graphviz is "
                        "installed")
PLANNED_EMITS = ("ast", "py", "ssa", "llvm", "asm")


def _read(path: str) -> SourceFile:
    """The file ``path``; ``-`` is standard input (as for opt), named ``<stdin>``, or
    ``<stdin>.ssa`` when the text is SSA IR (cli_io.looks_like_ssa)."""
    try:
        if path == "-":
            text = sys.stdin.read()
            from .cli_io import looks_like_ssa
            return SourceFile("<stdin>.ssa" if looks_like_ssa(text) else "<stdin>", text)
        with open(path, "rb") as f:
            raw = f.read()
        return SourceFile(path, raw.decode("utf-8"))
    except UnicodeDecodeError as e:  # a program error at the first bad byte, not usage
        from .errors import undecodable
        raise undecodable(path, raw, e.start) from None
    except OSError as e:
        raise UsageError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None


def _source(args: argparse.Namespace) -> SourceFile:
    """The program ``args.file`` names, read once."""
    src = getattr(args, "source_file", None)
    if src is None:
        src = args.source_file = _read(args.file)
    return src


def _run_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog="ruchy-opt run", description="Run a Ruchy program; arguments after -- are the program's own (std::env::args()).")
    p.add_argument("--tier", default=None,
                   help=f"execution tier: {', '.join(PLANNED_TIERS)} (default: auto, the "
                        "interpreter compiling what gets hot)")
    _jit_options(p, ahead=True)
    _dump_cfg_option(p)
    _pass_options(p)
    _codegen_options(p)
    p.add_argument("file", help="a .ruchy source file, .ssa IR (for --tier=ir|1|2), or - "
                                "for standard input")
    return p


def _plain_run(rest: list[str]) -> Optional[tuple[Any, list[str]]]:
    """``run --tier=0 FILE [ARGS]`` (or ``--tier 0``) and ``run [--tier=auto] FILE
    [ARGS]`` for a FILE that is not SSA IR, as the run parser reads them: a namespace of
    the tier and the file (every other option at its default, which the code below reads
    with getattr), and the program's arguments; None for anything else. Neither tier
    reads another option, so a plain run, a user's first run of a program included,
    loads neither the parser nor argparse (~15 ms, a tenth of a short script's run)."""
    if rest[:1] in (["--tier=0"], ["--tier=auto"]):
        tier, i = rest[0][len("--tier="):], 1
    elif rest[:1] == ["--tier"] and rest[1:2] in (["0"], ["auto"]):
        tier, i = rest[1], 2
    else:
        tier, i = "auto", 0
    if len(rest) <= i or rest[i].startswith("-") or \
            (tier == "auto" and rest[i].endswith(".ssa")):
        return None
    from types import SimpleNamespace
    program = rest[i + 1:]
    return SimpleNamespace(tier=tier, file=rest[i]), \
        program[1:] if program[:1] == ["--"] else program


def _split_program_args(argv: list[str],
                        parser: argparse.ArgumentParser) -> tuple[list[str], list[str]]:
    """``run [options] FILE ARGS`` (or ``FILE -- ARGS``): the run command's own
    arguments, and the program's (what ``std::env::args()`` gives after the program's
    path): everything after the file, as ``ruchy run`` and ``cargo run --`` do."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            return argv[:i], argv[i + 1:]
        if a.startswith("-") and a != "-":
            act = parser._option_string_actions.get(a)  # `--tier 0`: its value follows
            i += 2 if act is not None and act.nargs != 0 else 1
            continue
        rest = argv[i + 1:]
        return argv[:i + 1], rest[1:] if rest[:1] == ["--"] else rest
    return argv, []


#: ``run`` options that only the tiered runtime (``--tier=auto``) takes.
JIT_ONLY = ("jit_log", "jit_scale", "jit_tier1", "jit_tier2", "jit_osr", "jit_call_weight",
            "jit_loop_weight", "jit_max_deopts", "jit_ahead")


def _jit_options(p: argparse.ArgumentParser, ahead: bool = False) -> None:
    """The tiered runtime's options; ``ahead``: ``--jit-ahead`` too (``run`` only: a
    profile compiles nothing ahead)."""
    g = p.add_argument_group("tiered runtime (--tier=auto)")
    g.add_argument("--jit-log", action="store_true",
                   help="print one line per promotion, deoptimization, OSR entry, "
                        "blacklisting and code-cache hit on stderr")
    _jit_policy_options(g)
    from .jit.policy import DEFAULT_POLICY as d
    if ahead:
        g.add_argument("--jit-ahead", type=float, metavar="SECONDS",
                       help="a plain run compiles the whole program at tier 2 in the "
                            "background from its start (if it has a loop or a function), "
                            "and switches to it when it is ready; this long into the run "
                            f"(default {d.ahead:g} s of its CPU) the compile gets a share "
                            "of the CPU of its own (RUCHY_OPT_JIT_AHEAD=0 turns "
                            "it off)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write compiled code on disk (as "
                        "RUCHY_OPT_NO_CACHE=1; the directory is RUCHY_OPT_CACHE_DIR, "
                        "default ~/.cache/ruchy-opt)")


def _jit_policy_options(g) -> None:
    """The promotion thresholds (``run --tier=auto`` and ``hotspots``); the defaults
    shown are the policy's own, so the help cannot drift from them."""
    from .jit.policy import DEFAULT_POLICY as d
    g.add_argument("--jit-scale", type=float, metavar="F",
                   help="multiply every promotion threshold by F (0: compile everything "
                        "at once; default 1, or $RUCHY_OPT_JIT_SCALE)")
    for name, metavar, what, default in (
            ("tier1", "HEAT", "heat at which a function is compiled at tier 1", d.tier1),
            ("tier2", "HEAT", "heat at which it is compiled at tier 2", d.tier2),
            ("osr", "N", "iterations in one frame after which a loop is compiled and "
                         "entered (on-stack replacement)", d.osr),
            ("call-weight", "W", "heat per call", d.call_weight),
            ("loop-weight", "W", "heat per loop back edge", d.loop_weight)):
        g.add_argument(f"--jit-{name}", type=float, metavar=metavar,
                       help=f"{what} (default {default:g})")
    g.add_argument("--jit-max-deopts", type=int, metavar="N",
                   help=f"guard failures before a function is blacklisted "
                        f"(default {d.max_deopts})")


def _check_jit_options(args: argparse.Namespace, tier: str) -> None:
    """Refuse tiered-runtime options at other tiers, and negative numbers."""
    given = [o for o in JIT_ONLY if getattr(args, o, None) is not None
             and getattr(args, o) is not False]
    if given and tier != "auto":
        raise UsageError(f"--{given[0].replace('_', '-')} applies to --tier=auto only")
    for o in JIT_ONLY[1:]:
        v = getattr(args, o, None)
        if v is not None and not v >= 0:
            raise UsageError(f"--{o.replace('_', '-')} must be a number >= 0")


def _run_action(action: Callable, src: SourceFile, args: argparse.Namespace) -> int:
    """``action(src, args)``; with ``--no-cache`` every cache (the runtime library's, the
    program cache, the JIT's) is off for its duration, as RUCHY_OPT_NO_CACHE=1."""
    if not getattr(args, "no_cache", False):
        return action(src, args)
    import os
    old = os.environ.get("RUCHY_OPT_NO_CACHE")
    os.environ["RUCHY_OPT_NO_CACHE"] = "1"
    try:
        return action(src, args)
    finally:
        if old is None:
            del os.environ["RUCHY_OPT_NO_CACHE"]
        else:
            os.environ["RUCHY_OPT_NO_CACHE"] = old


def _opt_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(
        prog="ruchy-opt",
        description="ruchy-opt: a multi-tier research compiler for Ruchy.",
        epilog="Subcommands: run, repl, build, profile, hotspots, bench, explore ('ruchy-opt SUBCOMMAND --help').")
    p.add_argument("--emit", default=None,
                   help=f"what to print: {', '.join(PLANNED_EMITS)} (default: ssa for .ssa "
                        "input or when passes are given, as opt prints its result; else ast)")
    _dump_cfg_option(p)
    _pass_options(p)
    _codegen_options(p, opt_style=True)
    p.add_argument("-o", dest="output", metavar="FILE", default=None,
                   help="write the output to FILE instead of stdout (as opt -o; - is "
                        "stdout)")
    p.add_argument("file", help="a .ruchy source file, .ssa IR (for --emit=ssa|llvm|asm), "
                                "or - for standard input")
    return p


def _pass_options(p: argparse.ArgumentParser) -> None:
    from .passmgr.cli_support import add_pass_arguments
    add_pass_arguments(p)


def _codegen_options(p: argparse.ArgumentParser, opt_style: bool = False) -> None:
    from .codegen.options import add_codegen_arguments
    add_codegen_arguments(p, opt_style)


def _list_passes(argv: list[str]) -> int:
    """``--list-passes`` (with any ``--load-pass-plugin``): needs no FILE."""
    from .passmgr.cli_support import PassManagerError, list_passes
    import argparse
    p = argparse.ArgumentParser(prog="ruchy-opt", add_help=False)
    _pass_options(p)
    args, _ = p.parse_known_args(argv)
    try:
        return list_passes(args)
    except PassManagerError as e:
        sys.stdout.flush()
        print(f"ruchy-opt: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


def _apply_passes(src: SourceFile, args: argparse.Namespace, action: Callable) -> None:
    """Run the ``--passes``/``-O`` pipeline over the file's module in place, before the
    action: ``--emit=ssa`` and ``run --tier=ir`` then see the optimized module through
    load_module's cache."""
    from .passmgr.cli_support import PassManagerError, Session, wants_passes, wants_profile
    if not wants_passes(args):
        return
    if action in COMPILED or getattr(action, "compiles", False):
        # they run it themselves; a bad pipeline or plugin stops here
        try:
            Session(args)
        except PassManagerError as e:
            raise UsageError(str(e)) from None
        return
    if action not in SSA_INPUT:
        raise UsageError("--passes and -O apply to the IR and the compiled tiers: "
                         "--emit=ssa|llvm|asm, run --tier=ir|1|2, build")
    from .ir.load import is_ssa_file, load_module
    writer = None
    if getattr(args, "dump_cfg", None):
        from .viz.dump import CfgDumper
        dumper = CfgDumper(args.dump_cfg)
        dumper.stage = 1 if is_ssa_file(src.name) else 2  # after the ast and ssa stages
        writer = dumper
    from .ir.load import CompilerBug
    try:
        session = Session(args, writer.ssa if writer else None)
        try:
            module = load_module(src)
        except CompilerBug:
            return  # the action reports it
        if wants_profile(args):
            if is_ssa_file(src.name):
                raise UsageError("--arg-types=profile runs the program at tier 0, which "
                                 "takes .ruchy source, not SSA IR")
            from .passmgr.profile_types import profile_arg_types
            session.assume(profile_arg_types(src))
        try:
            session.run(module)
        finally:
            if writer is not None:
                writer.finish()
    except PassManagerError as e:
        raise UsageError(str(e)) from None


def _profile_parser(name: str, what: str) -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog=f"ruchy-opt {name}", description=what)
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    if name == "hotspots":
        _jit_policy_options(p.add_argument_group("the policy to judge by"))
    else:
        p.add_argument("--tier", choices=["0", "1", "2", "auto"], default="auto",
                       help="auto (default): the tiered runtime, as 'run' does, with the "
                            "JIT's compile phases timed; 0: interpreted only; 1, 2: the "
                            "whole program compiled at that tier (never from the program "
                            "cache: the compile's phases are measured), as a profiling "
                            "build whose counters count calls and loop iterations exactly "
                            "(no per-function times)")
        _jit_options(p)
    p.add_argument("file", help="a .ruchy source file")
    return p


def _bench_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog="ruchy-opt bench",
                                description="Run a program repeatedly at chosen tiers.")
    p.add_argument("--tiers", default=None,
                   help="comma-separated tiers (default: every available tier)")
    p.add_argument("--runs", type=int, default=5, help="runs per tier (default 5)")
    p.add_argument("file", help="a .ruchy source file")
    return p


def _build_parser() -> argparse.ArgumentParser:
    import argparse
    p = argparse.ArgumentParser(prog="ruchy-opt build",
                                description="Compile a program ahead of time into a native "
                                            "executable (linked with the system C compiler).")
    p.add_argument("-o", dest="output", required=True, metavar="EXE", help="the executable")
    p.add_argument("--tier", choices=["1", "2"], default="2",
                   help="pipelines to use (default 2: ruchy -O2, then LLVM O3)")
    _pass_options(p)
    _codegen_options(p)
    p.add_argument("file", help="a .ruchy source file, .ssa IR, or - for standard input")
    return p


#: Subcommands other than `run`: name -> (argument parser, action).
def _subcommands() -> dict[str, tuple[Callable[[], argparse.ArgumentParser], Callable]]:
    def profile(src: SourceFile, args: argparse.Namespace) -> int:
        from .jit.policy import policy_from_args
        from .profiler.report import run_profile
        _check_jit_options(args, args.tier)
        return run_profile(src, args.json, policy=policy_from_args(args), mode=args.tier,
                           jit_log=args.jit_log)

    def hotspots(src: SourceFile, args: argparse.Namespace) -> int:
        from .jit.policy import policy_from_args
        from .profiler.report import run_profile
        _check_jit_options(args, "auto")
        return run_profile(src, args.json, hotspots=True, policy=policy_from_args(args))

    def bench(src: SourceFile, args: argparse.Namespace) -> int:
        from .profiler.bench import run_bench
        tiers = args.tiers.split(",") if args.tiers else [t for t in PLANNED_TIERS if t in TIERS]
        for t in tiers:
            _choose("tier", t, TIERS, PLANNED_TIERS)
        if args.runs < 1:
            raise UsageError("--runs must be at least 1")
        return run_bench(src.name, tiers, args.runs)

    def build(src: SourceFile, args: argparse.Namespace) -> int:
        from .codegen.commands import build as build_executable
        return build_executable(src, args)
    build.compiles = True  # type: ignore[attr-defined]  # runs --passes itself

    def explore(src: SourceFile, args: argparse.Namespace) -> int:
        from .explore import run_explore
        return run_explore(src, args)
    explore.compiles = True  # type: ignore[attr-defined]  # runs --passes itself

    def explore_parser() -> argparse.ArgumentParser:
        from .explore import explore_parser as make
        return make()

    return {
        "explore": (explore_parser, explore),
        "build": (_build_parser, build),
        "profile": (lambda: _profile_parser(
            "profile", "Run a program (in the tiered runtime, as 'run' does, or at the "
            "--tier given) and report phases with Amdahl's-law estimates, functions, "
            "loops and argument types (the "
            "report goes to stderr, the program's output to stdout; --json prints the "
            "report on stdout and discards the program's output)."), profile),
        "hotspots": (lambda: _profile_parser(
            "hotspots", "Run a program and say what would be compiled, at which tier, and "
            "why."), hotspots),
        "bench": (_bench_parser, bench),
    }


def _choose(what: str, value: str, table: dict, planned: Sequence[str]) -> Callable:
    if value in table:
        return table[value]
    if value in planned:
        raise UsageError(f"{what} '{value}' is not implemented yet "
                         f"(available: {', '.join(table)})")
    raise UsageError(f"unknown {what} '{value}' (choose from: {', '.join(planned)})")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point of the console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # `--dump-cfg` takes its directory only as `--dump-cfg=DIR`, so that a bare
    # `--dump-cfg prog.ruchy` does not read the program's name as the directory.
    # Likewise a bare `--print-changed` is opt's default mode, never `--print-changed
    # FILE`. Only ruchy-opt's own options: what follows `--` is the program's.
    end = argv.index("--") if "--" in argv else len(argv)
    bare = {"--dump-cfg": f"--dump-cfg={DUMP_CFG_DEFAULT}",
            "--print-changed": "--print-changed=full"}
    argv = [bare.get(a, a) for a in argv[:end]] + argv[end:]
    # The front end and translators recurse on the nesting of the program, which the
    # parser bounds (syntax.parser.MAX_DEPTH); CPython 3.11 needs no C stack for it.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))
    if "--list-passes" in argv:
        return _list_passes(argv)
    if argv and argv[0] == "repl":  # takes no FILE: its own command line (repl/main.py)
        from .repl.main import main as repl_main
        return repl_main(argv[1:])
    plain = None
    try:
        if argv and argv[0] == "run":
            # `run --tier=0 FILE ..`, `run FILE ..`: no parser to build
            plain = _plain_run(argv[1:])
            if plain is not None:
                args, program_args = plain
            else:
                parser = _run_parser()
                own, program_args = _split_program_args(argv[1:], parser)
                try:
                    args = parser.parse_args(own)
                except SystemExit as e:
                    return EXIT_USAGE if e.code else EXIT_OK
            from .runtime import io as program_io
            program_io.ARGS[:] = [args.file, *program_args]  # std::env::args()
            tier = args.tier  # `--tier=` (empty) is refused by _choose, not defaulted
            if tier is None:
                tier = "auto" if "auto" in TIERS else max(TIERS, key=PLANNED_TIERS.index)
            if args.tier is None and _source(args).name.endswith(".ssa"):
                tier = "ir"
            action = _choose("tier", tier, TIERS, PLANNED_TIERS)
            _check_jit_options(args, tier)
        elif argv and argv[0] in _subcommands():
            make_parser, action = _subcommands()[argv[0]]
            try:
                args = make_parser().parse_args(argv[1:])
            except SystemExit as e:
                return EXIT_USAGE if e.code else EXIT_OK
        else:
            try:
                args = _opt_parser().parse_args(argv)
            except SystemExit as e:
                return EXIT_USAGE if e.code else EXIT_OK
            if args.emit is None:
                from .passmgr.cli_support import wants_passes
                ssa = _source(args).name.endswith(".ssa") or wants_passes(args)
                args.emit = "ssa" if ssa else "ast"
            action = _choose("--emit stage", args.emit, EMITTERS, PLANNED_EMITS)
        src = _source(args)
        if src.name.endswith(".ssa") and action not in SSA_INPUT and action not in COMPILED \
                and not getattr(action, "compiles", False):
            raise UsageError(f"{src.name} is SSA IR, which only 'run --tier=ir|1|2', "
                             "'--emit=ssa|llvm|asm' and 'build' take")
        if getattr(args, "dump_cfg", None):
            from .ir.commands import dump_cfg
            dump_cfg(src, args.dump_cfg)
        if plain is None:  # (a plain run has no pass options)
            _apply_passes(src, args, action)
        if action in EMITTERS.values() and getattr(args, "output", None) is not None:
            from .cli_io import write_output
            return write_output(args.output, lambda: _run_action(action, src, args))
        return _run_action(action, src, args)
    except UsageError as e:
        print(f"ruchy-opt: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except RuchyError as e:
        sys.stdout.flush()
        sys.stderr.write(render(e, getattr(e, "source", None) or src))
        return EXIT_PROGRAM_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
