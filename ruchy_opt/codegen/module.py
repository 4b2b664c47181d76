"""Code generation for a whole typed program: one LLVM function per specialisation
(named ``r.<name>`` so no Ruchy name can clash with the runtime or libc), globals,
interned string literals, runtime declarations, and the entry points:

- ``ruchy_run()``: runs the program (``@ruchy.start`` at call depth 0) and flushes
  standard output; the JIT calls it.
- ``main()`` (native executables only): runs ``ruchy_run`` on a thread with a big stack.

With ``twins`` (tier 2), a small function that calls itself gets twins: the same body
emitted again, the function's self-calls going to the first twin, the first twin's to
the second, and the second's back to the function. LLVM's inliner never inlines a
function into itself, but it does inline the twins, which have no other callers:
recursion unrolled two levels (as gcc's recursive inlining does), with every call still
checking and counting the call depth, so `stack overflow` happens at the same Ruchy call
as before. Recursive fib runs 2.1x faster with two twins, 1.6x with one; three made it
slower again (measured on ``bench/programs/fib.ruchy``).

A function whose recursion an argument bounds (recursion.py) gets a second body,
``r.<name>.fast``, without the call-depth argument or checks; ``r.<name>`` starts with
the test of that bound and runs the fast body when it holds (see recursion.py for why
the limit cannot be reached then), its own checked body otherwise. The twins are then
the fast body's.

When such a recursion only adds values that are never negative (puresum.py), its fast
body's self-calls go to a third body, ``r.<name>.pure``, which cannot fail (an
overflow comes back as a negative result, which the fast body reports): LLVM may merge
its repeated calls and turn them into loops. The twins are then the pure body's.
"""
from __future__ import annotations

from typing import Optional

from . import llir as ir

from ..errors import SourceFile
from ..ir.opdef import literal_type
from . import ops_data, ops_num, ops_text  # noqa: F401  (register the op handlers)
from .diag import Diagnostics
from .function import FunctionGen
from .infer import Program, Spec
from . import puresum, recursion
from .lltypes import F64, I1, I8, I32, I64, PTR, VOID, lltype
from .runtime import SIGNATURES

ENTRY = "ruchy_run"

#: the largest function (SSA instructions) that gets a twin: fib has 15
TWIN_MAX_INSTRUCTIONS = 60
#: how many twins such a function gets
TWINS = 2

_TYPES = {"void": VOID, "ptr": PTR, "i64": I64, "i32": I32, "i1": I1, "i8": I8,
          "double": F64, "{ i64, i64 }": ir.LiteralStructType([I64, I64])}


class ModuleGen:
    """Builds the LLVM module of one program."""

    def __init__(self, prog: Program, src: SourceFile, executable: bool = False,
                 twins: bool = False) -> None:
        self.prog = prog
        self.want_twins = twins
        #: small self-recursive specialisation -> [itself, its twins...] (the order
        #: of its self-calls: see the module docstring)
        self.twins: dict[Spec, list[ir.Function]] = {}
        #: specialisation whose recursion an argument bounds -> its bound, and its fast
        #: bodies (the first, then its twins: they call each other as the twins above)
        self.bounds: dict[Spec, recursion.Bound] = {}
        self.fast: dict[Spec, list[ir.Function]] = {}
        #: a bounded recursion that is a pure sum (puresum.py) -> its plan, and its pure
        #: bodies (the first, then its twins); its fast body is then alone in ``fast``
        self.sums: dict[Spec, puresum.Plan] = {}
        self.pure: dict[Spec, list[ir.Function]] = {}
        self.module = ir.Module(name=src.name)
        self.diag = Diagnostics(self.module, src)
        self.executable = executable
        self._rt: dict[str, ir.Function] = {}
        self._fns: dict[Spec, ir.Function] = {}
        self._globals: dict[str, ir.GlobalVariable] = {}
        self._strings: dict[str, ir.Constant] = {}
        #: ``[2 x i64]`` heat counters (calls, loop back edges) that every function
        #: increments, or None: only the tiered runtime's tier-1 code has them
        #: (jit/exportgen.py); whole programs and tier 2 count nothing.
        self.heat: Optional[ir.GlobalVariable] = None
        #: ``i32`` stop flag that every function polls at its entry and on each loop
        #: back edge, or None: only the REPL's code has it (jit/exportgen.py ``poll``)
        self.stop: Optional[ir.GlobalVariable] = None
        #: what a poll that finds the flag set calls (it does not return)
        self.stopped: Optional[ir.Function] = None
        self._oom_at: Optional[ir.GlobalVariable] = None

    def build(self) -> ir.Module:
        for s in self.prog.reachable:
            f = self.function(s)
            b = recursion.bound(s)
            if b is not None:
                self.bounds[s] = b
                ty = ir.FunctionType(f.function_type.return_type, f.function_type.args[1:])
                fast = ir.Function(self.module, ty, name=f"{f.name}.fast")
                fast.linkage = "internal"
                self.fast[s] = [fast]
                plan = puresum.plan(s, b)
                if plan is not None:
                    self.sums[s] = plan
                    fast = ir.Function(self.module, ty, name=f"{f.name}.pure")
                    fast.linkage = "internal"
                    self.pure[s] = [fast]
                f = fast
            if self.want_twins and twin_worthy(s):
                chain = self.pure.get(s) or self.fast.get(s) or self.twins.setdefault(s, [f])
                for i in range(1, TWINS + 1):
                    twin = ir.Function(self.module, f.function_type, name=f"{f.name}.twin{i}")
                    twin.linkage = "internal"
                    chain.append(twin)
        for s in self.prog.reachable:
            for f in self.twins.get(s, [self._fns[s]]):
                FunctionGen(self, s, f).generate()
            plan = self.sums.get(s)
            for f in self.fast.get(s, ()):
                FunctionGen(self, s, f, checked=False, sums=plan).generate()
            for f in self.pure.get(s, ()):
                FunctionGen(self, s, f, checked=False, sums=plan, pure=True).generate()
        self._entry()
        return self.module

    # ---- symbols -----------------------------------------------------------------------

    def callee(self, caller: ir.Function, s: Spec) -> ir.Function:
        """The LLVM function a call from ``caller`` to ``s`` calls: for a self-call of a
        function with twins, the next in its chain; ``s``'s own function otherwise."""
        f = self.function(s)
        pure = self.pure.get(s)
        if pure is not None and caller is self.fast[s][0]:
            return pure[0]
        for chain in (pure, self.fast.get(s), self.twins.get(s)):
            if chain is not None and caller in chain:
                return chain[(chain.index(caller) + 1) % len(chain)]
        return f

    def function(self, s: Spec) -> ir.Function:
        """The LLVM function of a specialisation: (call depth, parameters...)."""
        f = self._fns.get(s)
        if f is None:
            ty = ir.FunctionType(lltype(s.ret if s.ret is not None else "unit"),
                                 [I64] + [lltype(p) for p in s.params])
            f = self._fns[s] = ir.Function(self.module, ty, name="r." + s.name)
            f.linkage = "internal"
        return f

    def oom_at(self) -> ir.GlobalVariable:
        """``@rt_oom_at``, the runtime's pointer to the diagnostic to print if memory
        runs out (core.ll), declared on first use."""
        if self._oom_at is None:
            self._oom_at = ir.GlobalVariable(self.module, ir.PointerType(), name="rt_oom_at")
        return self._oom_at

    def runtime(self, name: str) -> ir.Function:
        """A runtime library function (declared on first use)."""
        f = self._rt.get(name)
        if f is None:
            noreturn = "!" + name in SIGNATURES
            ret, params = SIGNATURES["!" + name if noreturn else name]
            ty = ir.FunctionType(_TYPES[ret], [_TYPES[p] for p in params])
            f = self._rt[name] = ir.Function(self.module, ty, name=name)
            if noreturn:
                f.attributes.add("noreturn")
                f.attributes.add("cold")
        return f

    def tbaa(self, kind: str):
        """An LLVM type-based alias tag: ``len``, ``cap``, ``data``, ``shared`` (array
        header fields), ``slot`` (array elements) or ``global``. Accesses with different
        tags never overlap, so a store to an element does not make LLVM reload an array's
        length or data pointer (the runtime's own accesses are untagged: they may alias
        anything)."""
        if not hasattr(self, "_tbaa"):
            root = self.module.add_metadata(["ruchy tbaa"])
            self._tbaa = {"root": root}
        tag = self._tbaa.get(kind)
        if tag is None:
            ty = self.module.add_metadata([kind,
                                           self._tbaa["root"], ir.Constant(I64, 0)])
            tag = self._tbaa[kind] = self.module.add_metadata([ty, ty, ir.Constant(I64, 0)])
        return tag

    def intrinsic(self, name: str, ret: ir.Type, params: list) -> ir.Function:
        f = self._rt.get(name)
        if f is None:
            f = self._rt[name] = ir.Function(self.module, ir.FunctionType(ret, params), name)
        return f

    def global_var(self, name: str) -> ir.GlobalVariable:
        g = self._globals.get(name)
        if g is None:
            t = self.prog.globals.get(name)
            init = self.prog.module.globals[name].init
            ty = lltype(t)
            g = ir.GlobalVariable(self.module, ty, name="g." + name)
            g.linkage = "internal"
            if init is not None and literal_type(init) == t and t != "str":
                g.initializer = ir.Constant(ty, init)
            else:
                g.initializer = ir.Constant(ty, None)
            self._globals[name] = g
        return g

    def string(self, text: str) -> ir.Constant:
        """A string literal: a constant [i64 len][bytes][NUL]."""
        c = self._strings.get(text)
        if c is None:
            data = bytearray(text.encode("utf-8")) + b"\0"
            ty = ir.LiteralStructType([I64, ir.ArrayType(I8, len(data))])
            g = ir.GlobalVariable(self.module, ty, name=f".str.{len(self._strings)}")
            g.global_constant = True
            g.linkage = "private"
            g.initializer = ir.Constant(ty, [ir.Constant(I64, len(data) - 1),
                                             ir.Constant(ty.elements[1], data)])
            c = self._strings[text] = g.bitcast(PTR)
        return c

    def _entry(self) -> None:
        run = ir.Function(self.module, ir.FunctionType(VOID, []), name=ENTRY)
        b = ir.IRBuilder(run.append_basic_block("entry"))
        assert self.prog.entry is not None
        b.call(self._fns[self.prog.entry], [ir.Constant(I64, 0)])
        b.call(self.runtime("rt_flush"), [])
        b.ret_void()
        if self.executable:
            main = ir.Function(self.module, ir.FunctionType(I32, []), name="main")
            b = ir.IRBuilder(main.append_basic_block("entry"))
            b.ret(b.call(self.runtime("rt_run_big_stack"), [run]))


def twin_worthy(s: Spec) -> bool:
    """Whether a specialisation calls itself and is small enough to get a twin."""
    if s not in s.callees.values():
        return False
    return sum(len(b.instrs) for b in s.func.blocks) <= TWIN_MAX_INSTRUCTIONS


def generate(prog: Program, src: SourceFile, executable: bool = False,
             triple: Optional[str] = None, twins: bool = False) -> ir.Module:
    """The LLVM module (codegen/llir.py) of a typed program (``twins``: see the module
    docstring; tier 2 asks for them)."""
    m = ModuleGen(prog, src, executable, twins).build()
    if triple:
        m.triple = triple
    return m
