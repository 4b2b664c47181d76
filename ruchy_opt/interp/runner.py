"""Tier 0: compile the translated module with CPython and run it.

Errors: operations raise RuchyRuntimeError without a position, and some fast paths let
Python raise (IndexError for an index past the end, RecursionError for unbounded
recursion). Either way the innermost frame of generated code in the traceback gives
the line, and the translator's line table gives the Ruchy position.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Optional

from ..errors import RuchyError, RuchyRuntimeError, SourceFile
from ..profiler.typenames import key_name, type_key
from ..syntax import ast as A
from .rt import namespace
from .program import CONSTS, FACTORY, PROFILE, TOPLEVEL, ModuleCode, translate_program
from .translate import JitHooks

#: Deepest Ruchy call chain; deeper is the runtime error `stack overflow`. CPython 3.11
#: runs Python-to-Python calls without using the C stack, so this is safe.
MAX_CALL_DEPTH = 20_000
_CODE_NAME = "<ruchy tier 0>"
CODE_NAME = _CODE_NAME  # the file name of generated code in tracebacks and frames

#: Python exceptions a fast path may let through, and the Ruchy error each means.
_NATIVE = {IndexError: "index out of bounds", RecursionError: "stack overflow",
           ZeroDivisionError: "division by zero", OverflowError: "integer overflow",
           MemoryError: "out of memory"}


@dataclass
class Profile:
    """What a tier-0 run counted: calls per function, the argument kinds they came with
    (from specialised versions, whose kinds are static, and from generic versions, which
    record them when asked), and iterations per loop."""

    calls: dict[str, int]
    signatures: dict[str, dict[tuple[str, ...], int]]
    loops: dict[A.Span, int]
    main_called: bool


class Tier0Program:
    """A translated and compiled program, ready to run (possibly several times)."""

    def __init__(self, prog: A.Program, src: SourceFile, profile: bool = True,
                 signatures: bool = False, jit: Optional[JitHooks] = None) -> None:
        self.src = src
        self.module: ModuleCode = translate_program(prog, src, profile, signatures, jit)
        try:
            self.code = compile(self.module.source, _CODE_NAME, "exec")
        except (SyntaxError, RecursionError, MemoryError) as e:
            # Python's own limits (nesting of blocks) - report at the Ruchy position.
            line = getattr(e, "lineno", None)
            span = self.module.spans[line - 1] if line else A.NO_SPAN
            msg = str(getattr(e, "msg", e))
            if "nested" in msg or "indentation" in msg or isinstance(e, RecursionError):
                raise RuchyError("program is nested too deeply for tier 0", span) from None
            raise RuchyError(f"internal error: tier 0 generated invalid code ({msg})",
                             span) from None

    def run(self, out: Any = None, runtime: Any = None) -> Profile:
        """Run the top level, then main() if it exists and was not called.
        Raises RuchyError with a position; output goes to ``out`` (default stdout).
        ``runtime`` is the tiered runtime (jit/runtime.py) when the program was
        translated with its hooks: it supplies ``_hot``/``_osr`` and sees the module."""
        out = out or sys.stdout
        ns = namespace()
        ns.update(_w=out.write, _ew=_stderr_writer(out), _SP=self.module.specs, _tk=type_key)
        if runtime is not None:
            ns.update(runtime.namespace())
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(MAX_CALL_DEPTH + 200)
        module: dict[str, Any] = {}
        try:
            exec(self.code, ns)
            module = ns[FACTORY]()
            if runtime is not None:
                runtime.attach(module)
            if CONSTS in module:
                module[CONSTS]()
            module[TOPLEVEL]()
            if runtime is not None and runtime.finished:
                pass  # on-stack replacement ran the rest of the program, main included
            elif self.module.main and not module[PROFILE]()[3]:
                module[self.module.main]()
        except RuchyError as e:
            if not e.span.line:
                e.span = self._span_of(e.__traceback__)
            raise e.with_traceback(None)
        except AttributeError as e:
            # A field read on a value without that field (``v.f_x``: interp/data.py).
            from ..runtime.ops import attribute_error
            raise RuchyRuntimeError(attribute_error(e), self._span_of(e.__traceback__)) \
                from None
        except TypeError as e:
            # A call of a value (closure, function) with the wrong arguments, or of a
            # value that is not a function (interp/closures.py).
            from ..runtime.functions import call_error
            raise RuchyRuntimeError(call_error(e), self._span_of(e.__traceback__)) from None
        except tuple(_NATIVE) as e:  # type: ignore[misc]
            # A RecursionError surfaces at any line of the innermost frame; the call
            # that overflowed is where its caller stands.
            span = self._span_of(e.__traceback__, caller=isinstance(e, RecursionError))
            raise RuchyRuntimeError(_NATIVE[type(e)], span) from None
        finally:
            sys.setrecursionlimit(old_limit)
            self.last_profile = self._profile(module)
        return self.last_profile

    def _profile(self, module: dict[str, Any]) -> Profile:
        if PROFILE not in module:
            return Profile({}, {}, {}, False)
        calls, loops, recorded, main_called = module[PROFILE]()
        per_fn: dict[str, int] = {}
        sigs: dict[str, dict[tuple[str, ...], int]] = {}
        dynamic = dict(zip(self.module.dynamic_sigs, recorded))
        for (name, sig), n in zip(self.module.counters, calls):
            per_fn[name] = per_fn.get(name, 0) + n
            seen = sigs.setdefault(name, {})
            if (name, sig) in dynamic:
                for types, m in dynamic[(name, sig)].items():
                    key = tuple(key_name(t) for t in types)
                    seen[key] = seen.get(key, 0) + m
            elif n:
                seen[sig] = seen.get(sig, 0) + n
        per_loop: dict[A.Span, int] = {}
        for span, n in zip(self.module.loop_counters, loops):
            per_loop[span] = per_loop.get(span, 0) + n
        return Profile(per_fn, sigs, per_loop, main_called)

    def _span_of(self, tb: Optional[TracebackType], caller: bool = False) -> A.Span:
        """The Ruchy position of the innermost line of generated code in a traceback
        (with ``caller``, of the call that entered the innermost generated frame)."""
        lines = []
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == _CODE_NAME:
                lines.append(tb.tb_lineno)
            tb = tb.tb_next
        spans = self.module.spans
        for line in reversed(lines[:-1] if caller and len(lines) > 1 else lines):
            if 0 < line <= len(spans) and spans[line - 1].line:
                return spans[line - 1]
        return A.NO_SPAN


def _stderr_writer(out: Any):
    def write(text: str) -> None:
        out.flush()
        sys.stderr.write(text)
    return write


def run_source(src: SourceFile) -> int:
    """Parse, translate and run a program at tier 0; returns the exit status.
    Raises RuchyError (the CLI renders it)."""
    from ..syntax.parser import parse_program
    prog = parse_program(src.text, src.name)
    # Nothing reads the counts of a plain run: without them the code is 7-15% faster.
    Tier0Program(prog, src, profile=False).run()
    sys.stdout.flush()
    return 0
