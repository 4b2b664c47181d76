"""The tiered runtime's compiler front: the program lowered once (on the first compile,
so a script that never gets hot never imports lowering or llvmlite), specialisations
compiled through the code cache, and OSR continuations added to the module.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Optional

from ..errors import RuchyError, SourceFile
from ..interp.program import TOPLEVEL, ModuleCode
from ..syntax import ast as A
from .cache import CodeCache
from .log import JitLog
from .native import (CannotCompile, NativeFunction, compile_object, ir_fingerprint,
                     link_library, load_library, load_object, type_specialisation)
from .osr import (binding_names, continuation, loop_at, range_names, ranges_on,
                  top_statements)
from .timing import phase

_PY_TYPES = {int: "i64", float: "f64", bool: "bool", str: "str"}


@dataclass
class OsrFrame:
    """An interpreted frame offering a loop: the body holding it (``stmts``), whether
    that is the top level, the loop's path in it, the tier-0 scopes at the loop and
    their depths (osr.continuation), and the live values by parameter name."""

    stmts: list[A.Node]
    toplevel: bool
    path: Any
    scopes: list[list[tuple[str, str]]]
    depths: list[int]
    env: dict[str, Any]


@dataclass
class OsrEntry:
    """A continuation ready to compile and call."""

    name: str
    sig: tuple[str, ...]
    args: list
    params: list[str]
    toplevel: bool


class FunctionCompiler:
    """Compiles specialisations of one program (see the module docstring)."""

    def __init__(self, prog: A.Program, src: SourceFile, cache: CodeCache, log: JitLog,
                 consts: dict[str, Any]) -> None:
        from ..lower import lower_partial
        self.prog = prog
        self.src = src
        self.cache = cache
        self.log = log
        with phase("lowering"):
            # (structs, tuples and enums too: typing says which compile, values.py)
            lowered = lower_partial(prog, src, aggregates=True, compiled=True)
        self.module = lowered.module
        #: why each function that did not lower stays in the interpreter
        self.interpreted: dict[str, str] = {
            name: self.where(e) for name, e in lowered.interpreted.items()}
        for name, why in self.interpreted.items():
            log("not-lowered", f"{describe_function(name)}: {why}; stays in the interpreter")
        for name, value in consts.items():
            if name in self.module.globals:
                self.module.globals[name].init = value
        self.loaded: dict[str, NativeFunction] = {}
        #: code that can be stopped (the REPL's: jit/exportgen.py ``poll``)
        self.poll = False
        #: tier 2's ruchy pipeline, when not ``default<O2>`` (the REPL's ``:passes``)
        self.pipeline: Optional[str] = None
        self._names: Any = None  # lower.level3.Names, when first asked
        self.osr_names: dict[int, str] = {}

    def compile(self, entry: str, sig: tuple[str, ...], tier: int) -> NativeFunction:
        """Machine code for ``entry`` at ``sig``: from this process, the disk cache (a
        shared object, else an object file), or compiled now (raises CannotCompile)."""
        if entry in self.interpreted:
            raise CannotCompile(self.interpreted[entry])
        t0 = time.perf_counter()
        with phase("typing"):
            typed = type_specialisation(self.module, entry, sig)
            key = self.cache.key(ir_fingerprint(typed, self.src) + self._variant(tier),
                                 tier)
        nf = self.loaded.get(key)
        if nf is not None:
            return nf
        with phase("code-cache load"):
            nf = self._from_cache(key, typed, tier, t0)
        if nf is not None:
            self.log("cache-hit", f"@{entry}({', '.join(sig)}) tier {tier} "
                                  f"(loaded in {nf.seconds * 1000:.1f} ms)")
            self.loaded[key] = nf
            return nf
        notes: list[str] = []
        obj, pic = compile_object(typed, self.src, tier, self.poll,
                                  self.pipeline if tier >= 2 else None, notes)
        for note in notes:
            self.log("pipeline", f"@{entry}({', '.join(sig)}) tier {tier}: {note}")
        with phase("machine code"):
            self.cache.store(key, obj)
            from ..codegen.rtcache import runtime_object
            with phase("runtime library"):  # both kinds built or read once per process
                runtime_object(jit=True)
                runtime_pic = runtime_object(jit=False)  # LLVM stays on this thread
            if self.cache.on_disk:
                pic_object = pic()
                self.cache.store_library_later(key,
                                               lambda: link_library(pic_object, runtime_pic))
            nf = load_object(obj, typed, tier, time.perf_counter() - t0, False)
        self.loaded[key] = nf
        return nf

    def _variant(self, tier: int) -> str:
        """What the cache key hashes besides the IR: how the code is made (polls, a
        pipeline other than tier 2's default)."""
        out = "\npoll" if self.poll else ""
        if tier >= 2 and self.pipeline is not None:
            out += f"\npipeline {self.pipeline}"
        return out

    def _from_cache(self, key: str, typed: Any, tier: int, t0: float) -> Any:
        path = self.cache.load_library(key)
        if path is not None:
            try:
                return load_library(path, typed, tier, time.perf_counter() - t0)
            except (OSError, AttributeError):
                pass  # not a loadable library after all: the object file, or rebuild
        obj = self.cache.load(key)
        if obj is not None:
            try:
                return load_object(obj, typed, tier, time.perf_counter() - t0, True)
            except Exception:  # noqa: BLE001 - an entry LLVM rejects is rebuilt
                return None
        return None

    # ---- OSR ---------------------------------------------------------------------------

    def not_plain(self, name: str) -> str:
        """Why tier 0's function ``name`` (a method, a function of a module) is not in
        the IR, where it is defined."""
        from ..lower.level3 import not_a_plain_function, program_names
        if self._names is None:
            self._names = program_names(self.prog)
        return self.where(not_a_plain_function(self._names, name))

    def where(self, e: RuchyError) -> str:
        """An error of lowering as a reason: ``file:line:col: message``."""
        sp = e.span
        return f"{self.src.name}:{sp.line}:{sp.col}: {e.message}" if sp.line else e.message

    def _site(self, code: ModuleCode, site: int) -> tuple[list[A.Node], bool]:
        """The body (statements) holding the loop at ``site``; whether it is the top level."""
        pyname = code.osr_sites[site].pyname
        if pyname == TOPLEVEL:
            return top_statements(self.prog), True
        name = next((n for n, s in code.counters if _spec(n, s) == pyname), None)
        fn = self.functions().get(name) if name is not None else None
        if fn is None:  # a method, or a function of a module
            raise CannotCompile(f"{describe_function(name or pyname)} is not in the IR yet")
        return fn.body.stmts, False

    def functions(self) -> dict[str, A.FunDef]:
        return {it.name: it for it in self.prog.items if isinstance(it, A.FunDef)}

    def site_span(self, code: ModuleCode, site: int) -> A.Span:
        return code.osr_sites[site].span

    def osr_entry(self, code: ModuleCode, site: int, values: tuple,
                  main_called: bool) -> OsrEntry:
        """The continuation of the loop at ``site`` with the frame's live ``values``
        (the site's locals in order, then the current index and end of each ``for``
        range on its path, or the current index and snapshot of each ``for`` over an
        array, outermost first)."""
        frame = self.frame(code, site, values)
        main = self.functions().get("main") if frame.toplevel else None
        fn, params = continuation(f"osr.{site}", frame.stmts, frame.path, frame.scopes,
                                  frame.depths, frame.toplevel, main, main_called)
        return self.entry(fn, params, frame.env, frame.toplevel)

    def frame(self, code: ModuleCode, site: int, values: tuple) -> "OsrFrame":
        """The interpreted frame of the loop at ``site`` (see :meth:`osr_entry`)."""
        point = code.osr_sites[site]
        if point.site.path is None:
            raise CannotCompile(point.site.why)
        stmts, toplevel = self._site(code, site)
        scopes = [list(s) for s in point.scopes]
        depths = list(point.depths)
        bindings = binding_names(scopes, depths)
        env = {p: v for (_, p), v in zip(bindings, values)}
        path = point.site.path
        rnames = range_names(ranges_on(stmts, path), loop_at(stmts, path))
        env.update(zip(rnames, values[len(bindings):]))
        return OsrFrame(stmts, toplevel, path, scopes, depths, env)

    def entry(self, fn: A.FunDef, params: list[str], env: dict[str, Any],
              toplevel: bool) -> OsrEntry:
        """The continuation ``fn`` (parameters ``params``, their values in ``env``)
        lowered into the module, once its live values are known to cross."""
        args = [env[p] for p in params]
        from .boxing import compilable, sig_of, vkey
        keys = [vkey(v) for v in args]  # arrays: walked for their element type
        for p, v, k in zip(params, args, keys):
            if not compilable(k):
                what = ("an array whose elements are not all of one type"
                        if isinstance(k, tuple) else _kind(k))
                var = p.split("#")[0] or p  # name#K: a binding of an inner block
                who = f"the live variable '{var}' holds"
                if p.startswith("#snap"):  # a `for` loop's snapshot (osr.range_names)
                    who = "the `for` loop iterates over"
                raise CannotCompile(f"{who} {what} (only int, float, bool, string and "
                                    "array values cross into compiled code)")
        if fn.name not in self.module.functions:
            self._lower(fn)
        return OsrEntry(fn.name, tuple(sig_of(k) for k in keys), args, params, toplevel)

    def _lower(self, fn: A.FunDef) -> None:
        from ..lower.function import ModuleContext
        from ..lower.level3 import program_names
        from ..lower.module import _lower_body
        consts = {n for n in self.module.globals if n != "main.called"}
        ctx = ModuleContext(self.functions(), consts, self.src, self.module,
                            names=program_names(self.prog), aggregates=True)
        ctx.place_mutators = False  # (compiled: lower/function.py)
        from ..lower.module import _has_aggregates
        # (as the program's own lowering: a struct passed by '&mut' is then by_ref)
        ctx.has_aggregates = _has_aggregates(self.prog, ctx.info)
        try:
            with phase("lowering"):
                f = _lower_body(ctx, fn.name, fn.params, fn.body, False, False)
        except RuchyError as e:
            raise CannotCompile(f"the continuation does not lower ({self.where(e)})") from None
        missing = sorted(n for n in ctx.requested if n not in self.module.functions)
        if missing:
            raise CannotCompile(f"it calls {', '.join(missing)}, which did not lower")
        self.module.add_function(f)


def _kind(k: Any) -> str:
    """A live value's guard key (a Python type) as a kind: ``unit``, ``a P``."""
    if k is type(None):
        return "unit"
    from ..profiler.typenames import key_name
    from .log import article
    return article(key_name(k))


def describe_function(name: str) -> str:
    """A function of the IR module as the log names it."""
    from ..lower.module import CONSTS, IMPLICIT_MAIN
    from ..lower.module import TOPLEVEL as TOP
    return {TOP: "the top level", CONSTS: "the consts", IMPLICIT_MAIN: "main"}.get(
        name, f"@{name}")


def _spec(name: str, sig: tuple[str, ...]) -> str:
    from ..interp.translate import spec_name
    return spec_name(name, sig)
