"""The IR interpreter: runs a module with exactly the language's semantics, so that it
is the oracle against which passes and compiled tiers are tested.

Calls do not recurse in Python: each Ruchy call pushes a frame on an explicit stack,
so recursion as deep as the language allows (and the ``stack overflow`` error beyond
it) costs no Python stack. A runtime error raised by an op gets the span of the
instruction that was executing, which is the position tier 0 reports.
"""
from __future__ import annotations

import sys
from typing import Any, Optional, Sequence, TextIO

from ..errors import RuchyRuntimeError
from ..ir.core import Module
from ..syntax.ast import NO_SPAN
from ..ir.ops_closure import IRClosure
from ..ir.traits import RUNNING, install
from ..runtime.functions import arity_error, not_a_function
from ..runtime.values import cp
from .compile import BR, CALL, CALLM, CALLV, CONDBR, OP0, OP1, OP2, OPN, RET, \
    CompiledFunction, Program

#: Most frames on the call stack (counting @ruchy.start and the top level); one more
#: call is the runtime error `stack overflow`. Tier 0 bounds Python frames instead;
#: run from the command line it allows 20,192 nested calls below the top level, and so
#: does this, so that a runaway recursion prints the same before it fails.
MAX_CALL_DEPTH = 20_193

#: Python exceptions an op may let through, and the Ruchy error each means (as tier 0).
_NATIVE = {IndexError: "index out of bounds", RecursionError: "stack overflow",
           ZeroDivisionError: "division by zero", OverflowError: "integer overflow",
           MemoryError: "out of memory"}


class Env:
    """What ops with effects reach: output streams, the module's globals and its
    declared types."""

    def __init__(self, module: Module, out: Optional[TextIO] = None,
                 err: Optional[TextIO] = None) -> None:
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.write = self.out.write
        #: the interpreter's ``call`` (Interpreter sets it): closures the runtime calls
        self.call: Any = None
        self.globals: dict[str, Any] = {name: g.init for name, g in module.globals.items()}
        self.module = module

    def runtime_class(self, name: str) -> Any:
        """The constructor of the values of the module's named type ``name`` (a struct's
        class: the runtime's, so values print and compare as at tier 0)."""
        return self.type_decl(name).runtime_class()

    def type_decl(self, name: str) -> Any:
        """The declaration of the module's named type ``name`` (types.TypeDecl)."""
        decl = self.module.type_decls.get(name)
        if decl is None:
            raise RuchyRuntimeError(f"type !{name} is not declared in the module")
        return decl

    def ewrite(self, text: str) -> None:
        """Write to stderr, after flushing stdout so the two interleave as written."""
        self.out.flush()
        self.err.write(text)


class Interpreter:
    """Runs functions of one module; globals persist between calls."""

    def __init__(self, module: Module, out: Optional[TextIO] = None,
                 err: Optional[TextIO] = None, max_depth: int = MAX_CALL_DEPTH) -> None:
        self.module = module
        self.env = Env(module, out, err)
        self.env.call = self.call  # what a closure the runtime calls runs through
        install(self.env)  # `impl Display for !T`...: the runtime's classes call the IR
        self.program = Program(module, self.env)
        self.max_depth = max_depth

    def run_program(self) -> None:
        """Run the module as a program: ``@ruchy.start`` (or, in a hand-written module
        without it, ``@main``)."""
        for name in (Module.START, "main"):
            if name in self.module.functions:
                self.call(name, [])
                return
        raise RuchyRuntimeError(f"module has no @{Module.START} or @main function to run")

    def call(self, name: str, args: Sequence[Any]) -> Any:
        """Call function @name with argument values; returns its result."""
        cf = self.program.get(name)
        if cf is None:
            raise RuchyRuntimeError(f"undefined function @{name}")
        if len(args) != len(cf.param_regs):
            raise RuchyRuntimeError(f"@{name} takes {len(cf.param_regs)} arguments, "
                                    f"got {len(args)}")
        RUNNING.append(self.env)  # (whose functions a runtime trait impl calls)
        try:
            return self._run(cf, args)
        finally:
            RUNNING.pop()

    def _run(self, cf: CompiledFunction, args: Sequence[Any]) -> Any:  # noqa: C901
        get = self.program.get
        max_depth = self.max_depth
        frames: list[tuple] = []
        regs = cf.template[:]
        for r, v in zip(cf.param_regs, args):
            regs[r] = v
        bi = 0
        steps = cf.blocks[0]
        ip = 0
        try:
            while True:
                st = steps[ip]
                ip += 1
                kind = st[0]
                if kind == OP2:
                    regs[st[2]] = st[1](regs[st[3]], regs[st[4]])
                elif kind == OP1:
                    regs[st[2]] = st[1](regs[st[3]])
                elif kind == BR:
                    srcs = st[3]
                    if srcs:
                        if len(srcs) == 1:
                            regs[st[2][0]] = regs[srcs[0]]
                        else:
                            vals = [regs[s] for s in srcs]
                            for d, v in zip(st[2], vals):
                                regs[d] = v
                    bi = st[1]
                    steps, ip = cf.blocks[bi], 0
                elif kind == CONDBR:
                    target = st[2] if regs[st[1]] is True else st[3]
                    srcs = target[2]
                    if srcs:
                        vals = [regs[s] for s in srcs]
                        for d, v in zip(target[1], vals):
                            regs[d] = v
                    bi = target[0]
                    steps, ip = cf.blocks[bi], 0
                elif kind == OPN:
                    regs[st[2]] = st[1](*[regs[a] for a in st[3]])
                elif kind == OP0:
                    regs[st[2]] = st[1]()
                elif kind == CALL:
                    callee = get(st[1])
                    if callee is None:
                        raise RuchyRuntimeError(f"undefined function @{st[1]}")
                    if len(frames) >= max_depth:
                        raise RuchyRuntimeError("stack overflow")
                    new = callee.template[:]
                    for r, a in zip(callee.param_regs, st[3]):
                        new[r] = regs[a]
                    frames.append((cf, regs, bi, steps, ip, st[2]))
                    cf, regs, bi, steps, ip = callee, new, 0, callee.blocks[0], 0
                elif kind == CALLV:  # a closure or function value (ir/ops_closure.py)
                    clo = regs[st[1]]
                    if type(clo) is not IRClosure:
                        raise RuchyRuntimeError(not_a_function(type(clo).__name__))
                    if len(st[3]) != clo.arity:
                        raise RuchyRuntimeError(arity_error(clo.who, clo.arity, len(st[3])))
                    callee = get(clo.fn)
                    if callee is None:
                        raise RuchyRuntimeError(f"undefined function @{clo.fn}")
                    if len(frames) >= max_depth:
                        raise RuchyRuntimeError("stack overflow")
                    new = callee.template[:]
                    for r, v in zip(callee.param_regs, clo.env + tuple(regs[a] for a in st[3])):
                        new[r] = v
                    frames.append((cf, regs, bi, steps, ip, st[2]))
                    cf, regs, bi, steps, ip = callee, new, 0, callee.blocks[0], 0
                elif kind == CALLM:  # a method of the receiver's type (ir/traits.py)
                    vals = [regs[a] for a in st[3]]
                    fn = st[1].get(type(vals[0]))
                    if fn is None:
                        regs[st[2]] = st[4](*vals)
                        continue
                    callee = get(fn)
                    if callee is None:
                        raise RuchyRuntimeError(f"undefined function @{fn}")
                    if len(frames) >= max_depth:
                        raise RuchyRuntimeError("stack overflow")
                    if st[5]:  # `self` by value: the method gets its own copy
                        vals[0] = cp(vals[0])
                    new = callee.template[:]
                    for r, v in zip(callee.param_regs, vals):
                        new[r] = v
                    frames.append((cf, regs, bi, steps, ip, st[2]))
                    cf, regs, bi, steps, ip = callee, new, 0, callee.blocks[0], 0
                elif kind == RET:
                    value = regs[st[1]] if st[1] >= 0 else None
                    if not frames:
                        return value
                    cf, regs, bi, steps, ip, dst = frames.pop()
                    regs[dst] = value
                else:  # pragma: no cover - compile.py makes only the kinds above
                    raise AssertionError(f"bad step {st!r}")
        except RuchyRuntimeError as e:
            if not e.span.line:
                e.span = self._span(cf, bi, ip)
            raise e.with_traceback(None)
        except tuple(_NATIVE) as e:  # type: ignore[misc]
            msg = next(m for t, m in _NATIVE.items() if isinstance(e, t))
            raise RuchyRuntimeError(msg, self._span(cf, bi, ip)) from None
        except Exception as e:  # an op's implementation (perhaps a plugin's) is broken
            raise RuchyRuntimeError(f"internal error in the IR interpreter, in @{cf.name}: "
                                    f"{type(e).__name__}: {e}", self._span(cf, bi, ip)) from None

    @staticmethod
    def _span(cf: CompiledFunction, bi: int, ip: int):
        spans = cf.spans[bi]
        return spans[ip - 1] if 0 < ip <= len(spans) else NO_SPAN


def run_module(module: Module, out: Optional[TextIO] = None,
               err: Optional[TextIO] = None) -> None:
    """Run a whole program module (raises RuchyError with a position on failure)."""
    Interpreter(module, out, err).run_program()
