"""The ``ruchy-opt`` console script. ``run --tier=1|2 FILE`` of a program that is in the
program cache (codegen/progcache.py) runs its machine code straight away, importing
neither the front end, nor llvmlite, nor argparse: start-up then costs little more than
Python's own. So does ``run FILE`` of a program remembered as hot (jit/remember.py).
Everything else goes to cli.main."""
from __future__ import annotations

import sys

# Type names only: importing typing would cost a warm run more than its own work.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence


def _plain_run(argv: Sequence[str]) -> Optional[tuple[str, str]]:
    """(tier, file) of exactly ``run [--tier=T] FILE`` (T is "auto" when not given),
    else None."""
    if not argv or argv[0] != "run":
        return None
    rest = list(argv[1:])
    tier = "auto"
    files = []
    i = 0
    while i < len(rest):
        a = rest[i]
        if a.startswith("--tier="):
            tier = a[len("--tier="):]
        elif a == "--tier" and i + 1 < len(rest):
            tier = rest[i + 1]
            i += 1
        elif a.startswith("-"):
            return None
        else:
            files.append(a)
        i += 1
    if len(files) != 1 or files[0].endswith(".ssa"):
        return None
    return tier, files[0]


def warm_run(argv: Sequence[str]) -> Optional[int]:
    """Run a cached program of ``run --tier=1|2 FILE``; None when this invocation needs
    the full command line."""
    plain = _plain_run(argv)
    if plain is None or plain[0] not in ("1", "2"):
        return None
    tier, path = int(plain[0]), plain[1]
    from .codegen import progcache
    if not progcache.cache_dir():
        return None
    text = progcache.read_source(path)
    if text is None:
        return None
    key = progcache.program_key(path, text, tier, progcache.DEFAULT_OPTIONS)
    so = progcache.open_library(key)
    if so is None:
        return None
    from .codegen.native import run_cached_library
    return run_cached_library(so)


def remembered_run(argv: Sequence[str]) -> Optional[int]:
    """``run [--tier=auto] FILE`` of a program an earlier run found hot: its whole
    program at tier 2, as warm_run runs it (jit/remember.py); else None."""
    plain = _plain_run(argv)
    if plain is None or plain[0] != "auto":
        return None
    from .jit.remember import launch_run
    status = launch_run(plain[1])
    if status is None:  # a first run: its compile starts now (jit/background.py)
        from .jit.background import prestart_file
        prestart_file(plain[1])
    return status


def _freeze_heap() -> None:
    """At exit, after every other exit handler: nothing is collected any more. Python's
    finalization otherwise walks the whole heap once more to collect cycles (the front
    end's and the interpreter's objects: ~25 ms of a ~130 ms run of a short script, at
    every tier); they die with the process. Nothing is lost: what ruchy-opt writes is
    flushed or closed before (program files are unbuffered: runtime/fs.py)."""
    import gc
    gc.freeze()


_exit_hooked = False


def main(argv: Optional[Sequence[str]] = None) -> int:
    global _exit_hooked
    if not _exit_hooked:  # (once: tools/difftest_inproc.py calls main many times)
        _exit_hooked = True
        import atexit
        atexit.register(_freeze_heap)
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        status = warm_run(argv)
        if status is None:
            status = remembered_run(argv)
    except KeyboardInterrupt:  # Ctrl-C: as cli.main ends an interrupted run
        return 130
    if status is not None:
        return status
    from .cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
