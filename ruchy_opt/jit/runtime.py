"""The tiered runtime: the interpreter's promotion and OSR callbacks, the code it swaps
in, its guards and its deoptimisation.

Tier 0 calls functions through closure cells of its factory (``r_fib__i``); promoting a
specialisation replaces the cell's content with a wrapper around the machine code, so
every later call (from interpreted frames already running, too) goes to compiled code
and the interpreter pays nothing per call for the possibility. Each counted function
compares its call count with a threshold cell at entry and calls :meth:`hot` when it
passes; the runtime moves the threshold (checkpoints at 1, 2, 4, ... calls, until the
calls alone would pass the policy), so a function whose heat comes from its loops is
noticed too.

Specialised versions (``r_fib__i``) have argument kinds the translator proved, so their
wrappers need no guard. Generic versions (``r_f__x``) get a dispatcher keyed by the
argument types: the guard. A type without compiled code deoptimises: that call runs in
the interpreter, a specialisation may be added for the new types, and after
``policy.max_deopts`` failures the function is blacklisted (its interpreted version put
back). See docs/jit.md.
"""
from __future__ import annotations

import math
import os
import sys
from collections import Counter
from typing import Any, Callable, Optional

from ..errors import SourceFile
from ..interp.program import CELLS, PROFILE, TOPLEVEL, ModuleCode
from ..interp.runner import CODE_NAME
from ..interp.translate import spec_name
from ..runtime.values import Arr
from ..syntax import ast as A
from .log import JitLog
from .log import article as _a
from .policy import TierPolicy, crossing_pays

NEVER = 1 << 62
_PY_TYPES = {int: "i64", float: "f64", bool: "bool", str: "str"}
_KIND_TYPES = {"int": "i64", "float": "f64", "bool": "bool", "str": "str"}
_KIND_WORDS = {"int": "int", "float": "float", "bool": "bool", "str": "str", "arr": "array",
               "any": "any", "unit": "unit"}
#: Most compiled specialisations a generic function gets from deoptimisations.
MAX_VARIANTS = 4


def _key_word(t: Any) -> str:
    """A guard key's type as the log says it (a recorded key may also be a Level 3
    type's name: profiler/typenames.py)."""
    if isinstance(t, tuple):
        return "array" if t[1] is None else f"array of {_key_word(t[1])}"
    if t in _PY_TYPES:
        return t.__name__
    if t is type(None):
        return "unit"
    from ..profiler.typenames import key_name
    return key_name(t) if isinstance(t, (str, type)) else str(t)


def _frames() -> int:
    """Generated (tier-0) frames on the stack: the Ruchy call depth of the caller."""
    f = sys._getframe(2)
    d = 0
    while f is not None:
        if f.f_code.co_filename == CODE_NAME:
            d += 1
        f = f.f_back
    return d


class FnState:
    """What the runtime knows about one tier-0 specialisation. (A plain class: dataclass
    creation costs milliseconds at start-up, which every script pays.)"""

    def __init__(self, pyname: str, name: str, kinds: tuple[str, ...]) -> None:
        self.pyname = pyname
        self.name = name
        self.kinds = kinds
        self.interp: Any = None          # the interpreted function (deopt, blacklist)
        self.tier = 0
        self.variants: dict = {}         # Python arg types -> NativeFunction
        self.deopts = 0
        self.blacklisted = False
        self.refused: Optional[str] = None  # why it cannot be compiled
        self.calls_compiled = 0
        self.calls_interpreted = 0       # when it was promoted (they count towards tier 2)
        self.heat_interpreted = 0.0      # its heat then (calls and back edges)
        #: heat that tier-1 code must count (calls and back edges, its own counters,
        #: native.NativeFunction.heat) to be recompiled at tier 2
        self.heat_needed: float = NEVER
        self.pending: Optional[str] = None  # promoted; compiled at the next call's types

    @property
    def label(self) -> str:
        return f"{self.name}({', '.join(_KIND_WORDS.get(k, k) for k in self.kinds)})"


class TieredRuntime:
    """Decides what to compile and swaps it in (see the module docstring)."""

    def __init__(self, prog: A.Program, src: SourceFile, code: ModuleCode,
                 policy: TierPolicy, log: JitLog, cache: Any) -> None:
        self.prog = prog
        self.src = src
        self.code = code
        self.policy = policy
        self.log = log
        self.cache = cache
        self.functions = {it.name: it for it in prog.items if isinstance(it, A.FunDef)}
        self.states: dict[str, FnState] = {}
        for i, (name, sig) in enumerate(code.counters):
            self.states[spec_name(name, sig)] = FnState(spec_name(name, sig), name, sig)
        self.counter_index = {spec_name(n, s): i for i, (n, s) in enumerate(code.counters)}
        self.recorder_index = {spec_name(n, s): i for i, (n, s) in enumerate(code.dynamic_sigs)}
        self.finished = False           # OSR at the top level ran the rest of the program
        self.osr_refused: set[int] = set()
        self.cells: dict[str, Any] = {}
        self.profile: Callable[[], tuple] = lambda: ((), (), (), False)
        self._compiler: Any = None
        self.strict = bool(os.environ.get("RUCHY_OPT_STRICT"))
        #: remember.HotWatch, started once compiled code may exist (None: not wanted); it
        #: is asked after every compile whether the run is hot enough to remember
        self.hot_watch: Any = None
        #: background.Background: the whole program compiling in a child (None: not
        #: wanted); while it does, nothing is compiled here, and once it is ready the
        #: next checkpoint switches to it
        self.background: Any = None
        self.remember_switch = False  # a switched run marks its program (remember.py)

    # ---- wiring --------------------------------------------------------------------------

    def namespace(self) -> dict[str, Any]:
        ns = {"_hot": self.hot, "_osr": self.osr}
        if self.background is not None:  # output counted, for the switch
            ns.update(self.background.writers(sys.stdout))
        return ns

    def _ahead(self, where: Callable[[], str]) -> bool:
        """Whether the background compile is still to come (background.py): nothing is
        compiled here meanwhile. Once its code is ready, switch to it (``where`` says
        at which checkpoint); that does not return unless the code cannot be loaded."""
        bg = self.background
        state = bg.poll()
        if state == "ready":
            bg.switch(where(), remember=self.remember_switch)
            state = bg.state
        if state == "off":
            self.background = None
            return False
        return True

    def attach(self, factory: dict[str, Any]) -> None:
        """Take the module's cells and set every function's first checkpoint."""
        fn = factory[CELLS]
        self.cells = dict(zip(fn.__code__.co_freevars, fn.__closure__ or ()))
        from .boxing import register_classes  # (compiled code's structs cross back)
        register_classes(factory)
        self.profile = factory[PROFILE]
        first = 1 if self.policy.scale > 0 else 0
        if self.background is not None:  # the program starts
            self.background.begin()
        for st in self.states.values():
            st.interp = self.cells[st.pyname].cell_contents
            self.cells["t" + self.counter_name(st)[1:]].cell_contents = first

    @staticmethod
    def counter_name(st: FnState) -> str:
        return "c" + st.pyname[1:]

    def _counts(self, st: FnState) -> tuple[int, int]:
        calls, loops, _, _ = self.profile()
        back = sum(loops[i] for i, owner in self.code.loop_owner.items() if owner == st.pyname)
        return calls[self.counter_index[st.pyname]], back

    def _set_checkpoint(self, st: FnState, at: int) -> None:
        self.cells["t" + self.counter_name(st)[1:]].cell_contents = at

    # ---- promotion ---------------------------------------------------------------------

    def hot(self, pyname: str) -> None:
        """A function passed its checkpoint: promote it, or set the next checkpoint."""
        st = self.states[pyname]
        if self.background is not None and self._ahead(lambda: f"a call of {st.label}"):
            calls = self.profile()[0][self.counter_index[pyname]]
            self._set_checkpoint(st, calls + self.background.next_check(pyname))
            return
        calls, back = self._counts(st)
        tier = self.policy.tier_for(calls, back)
        if tier == 0:
            # Next look when, at the heat per call seen so far, it would be hot (but no
            # later than twice the calls: a function's loops may start running longer).
            per_call = self.policy.heat(calls, back) / max(1, calls)
            missing = self.policy.threshold(1) - self.policy.heat(calls, back)
            due = calls + math.ceil(missing / per_call) if per_call > 0 else NEVER
            self._set_checkpoint(st, max(calls + 1, min(2 * calls, due)))
            return
        self._set_checkpoint(st, NEVER)  # from now on only deopts run it
        st.calls_interpreted = calls
        st.heat_interpreted = self.policy.heat(calls, back)
        st.heat_needed = self.policy.threshold(2) - st.heat_interpreted
        why = (f"heat {self.policy.heat(calls, back):.0f} (calls {calls}, back-edges {back})"
               f" >= {self.policy.threshold(tier):.0f}")
        self._promote(st, tier, why)

    def _promote(self, st: FnState, tier: int, why: str) -> None:
        fn = self.functions.get(st.name)
        if fn is None:  # tier 0 has it under a qualified name (Point::new, m::f)
            self._refuse(st, self.compiler().not_plain(st.name))
            return
        refused = self._compiler.interpreted.get(st.name) if self._compiler else None
        if refused is not None:  # it uses Level 3 (lower/level3.py): say what and where
            self._refuse(st, refused)
            return
        leaf = None if self.policy.compile_leaves else crossing_pays(fn)
        if leaf is not None:
            self._refuse(st, leaf)
            return
        if "any" in st.kinds:
            seen = self._observed(st)
            scalar = [(n, k) for k, n in seen.items()
                      if all(t in _PY_TYPES or t is Arr for t in k)]
            if not seen:  # nothing recorded yet: look again at the next call
                self._set_checkpoint(st, self._counts(st)[0] + 1)
                return
            if not scalar:
                kinds = ", ".join("(" + ", ".join(_key_word(t) for t in k) + ")" for k in seen)
                self._refuse(st, f"no compilable argument types seen ({kinds or 'none'})")
                return
            key = max(scalar, key=lambda x: x[0])[1]
            if Arr in key:  # the element types are known only from a call's values
                self._promote_lazily(st, tier, why)
                return
        elif "arr" in st.kinds and all(k in _KIND_TYPES or k == "arr" for k in st.kinds):
            self._promote_lazily(st, tier, why)
            return
        else:
            if any(k not in _KIND_TYPES for k in st.kinds):
                bad = next(k for k in st.kinds if k not in _KIND_TYPES)
                self._refuse(st, f"{_a(_KIND_WORDS.get(bad, bad))} argument (only int, float, "
                                 "bool and string values cross into compiled code)")
                return
            key = tuple({"int": int, "float": float, "bool": bool, "str": str}[k]
                        for k in st.kinds)
        nf = self._compile_for(st, key, tier, why)
        if nf is None:
            return
        st.tier = tier
        self.cells[st.pyname].cell_contents = self._wrapper(st)

    def _promote_lazily(self, st: FnState, tier: int, why: str) -> None:
        """An array argument's guard key includes its element type, which the profile
        does not record: the guarded wrapper compiles for the first call's values."""
        st.tier = tier
        st.pending = why
        self.cells[st.pyname].cell_contents = self._wrapper(st)

    def _observed(self, st: FnState) -> Counter:
        i = self.recorder_index.get(st.pyname)
        return Counter(self.profile()[2][i]) if i is not None else Counter()

    def _compile_for(self, st: FnState, key: tuple, tier: int, why: str) -> Any:
        from .boxing import sig_of
        from .native import CannotCompile
        sig = tuple(sig_of(t) for t in key)
        try:
            nf = self.compiler().compile(st.name, sig, tier)
            if self.hot_watch is not None:
                self.hot_watch.check()
        except CannotCompile as e:
            self._refuse(st, str(e))
            return None
        except RecursionError:
            # Too deep in the interpreter to compile now: look again a little later.
            self._set_checkpoint(st, self._counts(st)[0] + 1000)
            return None
        except Exception as e:  # noqa: BLE001 - a compiler bug must not stop the program
            if self.strict:
                raise
            self._refuse(st, f"internal error in the compiler ({type(e).__name__}: {e})")
            return None
        st.variants[key] = nf
        how = "loaded from the code cache" if nf.cached else "compiled"
        self.log("promote", f"{st.label} as ({', '.join(sig)}) -> tier {tier}: {why}; "
                            f"{how} in {nf.seconds * 1000:.1f} ms")
        return nf

    def _refuse(self, st: FnState, reason: str) -> None:
        st.refused = reason
        self._set_checkpoint(st, NEVER)
        self.log("not-compiled", f"{st.label}: {reason}; stays in the interpreter")

    def compiler(self) -> Any:
        if self._compiler is None:
            from .compiler import FunctionCompiler
            self._compiler = FunctionCompiler(self.prog, self.src, self.cache, self.log,
                                              self._const_values())
            if self.hot_watch is not None:
                self.hot_watch.start()
        return self._compiler

    def _const_values(self) -> dict[str, Any]:
        return {name[2:]: cell.cell_contents for name, cell in self.cells.items()
                if name.startswith("k_")}

    # ---- compiled code and its guards --------------------------------------------------

    def _wrapper(self, st: FnState) -> Callable[..., Any]:
        """:meth:`_guard`, under the interpreted function's name: a function used as a
        value prints by its name (runtime/functions.describe: ``<fn double>``)."""
        w = self._guard(st)
        w.__name__ = w.__qualname__ = st.pyname
        return w

    def _guard(self, st: FnState) -> Callable[..., Any]:
        """The function that takes the interpreted one's place. Below tier 2, after
        each call it reads the heat the tier-1 code counted (its calls, those of the
        callees compiled into it, and their loops' back edges: native.NativeFunction.heat)
        and recompiles at tier 2 once that heat reaches ``st.heat_needed``."""
        flush = sys.stdout.flush
        cw, lw = self.policy.call_weight, self.policy.loop_weight
        if "any" not in st.kinds and "arr" not in st.kinds:
            nf = next(iter(st.variants.values()))
            native, heat = nf.call, nf.heat
            if st.tier >= 2 or heat is None:
                def compiled(*args: Any) -> Any:
                    flush()
                    r = native(_frames() + 1, *args)
                    st.calls_compiled += 1
                    return r
                return compiled

            def counted(*args: Any) -> Any:
                flush()
                r = native(_frames() + 1, *args)
                st.calls_compiled += 1
                if cw * heat[0] + lw * heat[1] >= st.heat_needed:
                    self._upgrade(st)
                return r
            return counted
        variants = st.variants
        from .boxing import args_key

        def guarded(*args: Any) -> Any:
            nf = variants.get(args_key(args))
            if nf is None:
                return self._deopt(st, args)
            flush()
            r = nf.call(_frames() + 1, *args)
            st.calls_compiled += 1
            if st.tier < 2 and self.policy.heat(*self._compiled_counts(st)) >= \
                    st.heat_needed:
                self._upgrade(st)
            return r
        return guarded

    @staticmethod
    def _compiled_counts(st: FnState) -> tuple[int, int]:
        """(calls, back edges) the tier-1 code of ``st``'s variants counted."""
        calls = back = 0
        for nf in st.variants.values():
            if nf.heat is not None:
                calls += nf.heat[0]
                back += nf.heat[1]
        return calls, back

    def _upgrade(self, st: FnState) -> None:
        """The heat counted in its tier-1 code made it hot enough for tier 2: recompile
        (once: a failed recompile is not tried again)."""
        st.heat_needed = NEVER
        old = dict(st.variants)
        calls, back = self._compiled_counts(st)
        total = st.heat_interpreted + self.policy.heat(calls, back)
        why = (f"heat {total:.0f} >= {self.policy.threshold(2):.0f}: calls {calls}, "
               f"back-edges {back} counted in tier-{st.tier} code "
               f"({st.calls_compiled} calls into tier-{st.tier} code), "
               f"{st.heat_interpreted:.0f} interpreted")
        for key in old:
            if self._compile_for(st, key, 2, why) is None:
                st.variants.update(old)
                return
        st.tier = 2
        self.cells[st.pyname].cell_contents = self._wrapper(st)

    def _deopt(self, st: FnState, args: tuple) -> Any:
        from .boxing import args_key, compilable
        key = args_key(args)
        if st.pending is not None:  # promoted lazily: the first call's types decide
            why, st.pending = st.pending, None
            if all(compilable(t) for t in key):
                nf = self._compile_for(st, key, st.tier, why)
                if nf is not None:
                    sys.stdout.flush()
                    return nf.call(_frames() + 1, *args)
            else:
                self._refuse(st, "no compilable argument types seen (an array whose "
                                 "elements are not all of one type)")
            self.cells[st.pyname].cell_contents = st.interp
            st.tier = 0
            return st.interp(*args)
        st.deopts += 1
        want = ", ".join("(" + ", ".join(_key_word(t) for t in k) + ")" for k in st.variants)
        got = ", ".join(_key_word(t) for t in key)
        self.log("deopt", f"{st.label}: guard {want} failed for ({got}); this call runs "
                          "in the interpreter")
        if st.deopts > self.policy.max_deopts:
            st.blacklisted = True
            self.cells[st.pyname].cell_contents = st.interp
            self.log("blacklist", f"{st.label}: {st.deopts} deoptimizations > "
                                  f"{self.policy.max_deopts}; stays in the interpreter")
        elif all(compilable(t) for t in key) and len(st.variants) < MAX_VARIANTS:
            self._compile_for(st, key, max(st.tier, 1), "new argument types after a deopt")
        return st.interp(*args)

    # ---- on-stack replacement ------------------------------------------------------------

    def osr(self, site: int, values: tuple) -> Any:
        """A loop at ``site`` ran ``policy.osr`` iterations: compile its continuation
        and run it (returns ``(result,)``), or None to stay in the interpreter; while
        the whole program compiles in the background, the number of iterations after
        which to ask again."""
        if self.background is not None and \
                self._ahead(lambda: f"the loop at {self._where(site)}"):
            return self.background.next_check(site)
        if site in self.osr_refused:
            return None
        from .native import CannotCompile
        try:
            entry = self.compiler().osr_entry(self.code, site, values, self.profile()[3])
            nf = self.compiler().compile(entry.name, entry.sig, self.policy.osr_tier)
            if self.hot_watch is not None:
                self.hot_watch.check()
        except CannotCompile as e:
            self.osr_refused.add(site)
            self.log("osr-refused", f"loop at {self._where(site)}: {e}; stays in the "
                                    "interpreter")
            return None
        except RecursionError:
            return None
        except Exception as e:  # noqa: BLE001 - a compiler bug must not stop the program
            if self.strict:
                raise
            self.osr_refused.add(site)
            self.log("osr-refused", f"loop at {self._where(site)}: internal error in the "
                                    f"compiler ({type(e).__name__}: {e})")
            return None
        how = "loaded from the code cache" if nf.cached else "compiled"
        self.log("osr", f"loop at {self._where(site)} after {self.policy.osr_iterations()} "
                        f"iterations (of its loop nest) -> tier {nf.tier} "
                        f"with live values "
                        f"{', '.join(entry.params) or 'none'}; {how} in "
                        f"{nf.seconds * 1000:.1f} ms")
        sys.stdout.flush()
        # The continuation takes the interpreted frame's place: same depth.
        if any(t.startswith("arr[") for t in entry.sig):
            # Arrays are copied in; in a function they are copied back out at the end
            # (a `&mut` parameter's caller must see the writes; the frame's own arrays
            # die with it, so that is harmless), at the top level nothing follows.
            r = nf.call(_frames(), *entry.args, copy_back=not entry.toplevel)
        else:
            r = nf.call(_frames(), *entry.args)
        if entry.toplevel:
            self.finished = True
        return (r,)

    def _where(self, site: int) -> str:
        pyname = self.code.osr_sites[site].pyname
        st = self.states.get(pyname)
        fn = "the top level" if pyname == TOPLEVEL else (st.label if st else pyname)
        span = self.code.osr_sites[site].span  # (not through the compiler: the switch
        # of background.py says where it is without lowering the program for nothing)
        return f"{self.src.name}:{span.line}:{span.col} in {fn}"


__all__ = ["TieredRuntime", "FnState"]
