"""Tier 0: translate a whole program into one Python module.

Functions are specialised on the kinds of their arguments where call sites know them
statically (``fib(30)`` calls ``r_fib__i``, whose parameter is known to be an int), and
the kind each specialisation returns is inferred, so ``fib(n - 1) + fib(n - 2)`` inside
it is a plain checked int addition. Specialisations and return kinds are found together
by iterating to a fixed point; the code of the last round relies only on facts that the
same round proved. A call whose argument kinds are unknown uses the generic version.

The module is one factory function; the translated functions are closures inside it, and
the profile counters are closure cells (``nonlocal c_fib; c_fib += 1`` is the cheapest
counter CPython offers).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional, Union

from ..errors import RuchySyntaxError, SourceFile
from ..syntax import ast as A
from ..resolve import ConstInfo, FnInfo, ProgramInfo, check_repointed, resolve_program
from .fieldkinds import float_fields, int_fields
from .globals import const_function, const_order, consts_driver, shared_globals
from .items import const_cell
from .dispatch import module_tail, root_keys
from .translate import Context, FunctionTranslator, JitHooks, spec_name, type_py, variant_py

TOPLEVEL = "ruchy_toplevel"
CONSTS = "ruchy_consts"
FACTORY = "ruchy_module"
PROFILE = "ruchy_profile"
CELLS = "ruchy_cells"
MAX_INFERENCE_ROUNDS = 8   # per function: kinds of locals
MAX_PROGRAM_ROUNDS = 12    # whole program: specialisations and return kinds

Sig = tuple[str, ...]
Key = tuple[str, Sig]
#: What names a part of the module in the reuse cache: a specialisation's key, or
#: TOPLEVEL / CONSTS.
PartId = Union[Key, str]


@dataclass
class _Done:
    """A part translated in an earlier round and what its code depended on.

    A translation reads nothing from the round but the return kinds of the calls it
    emits (``reads``) and the lengths of the program-wide tables it appends to (loop
    counters, format specs, OSR points: their indices appear in the code). When a later
    round has the same return kinds for ``reads`` and the same table lengths where the
    part starts, translating it again would give the same code, so it is reused."""

    tr: FunctionTranslator
    reads: dict[Key, Optional[str]]  # also the specialisations it requested
    bases: tuple[int, int, int]    # len(ctx.loops), len(ctx.specs), len(ctx.osr_sites)
    loops: list
    specs: list
    osr_sites: list

    def fits(self, bases: tuple[int, int, int]) -> bool:
        """Whether the code is what a part starting at ``bases`` gets: a table's
        length matters only if the part appended to it (else no index of it is in the
        code). Parts without loops or format specs thus survive a change of order."""
        return all(old == new or not added for old, new, added in
                   zip(self.bases, bases, (self.loops, self.specs, self.osr_sites)))


@dataclass
class ModuleCode:
    """A translated program: Python source and, per source line, the Ruchy span."""

    source: str
    spans: list[A.Span]
    counters: list[tuple[str, Sig]]  # call counter i counts function/signature counters[i]
    dynamic_sigs: list[tuple[str, Sig]]  # generic versions that record argument types
    loop_counters: list[A.Span]    # loop index -> position of the loop
    main: Optional[str]            # Python name of main's entry, if main exists
    specs: list                    # format specs the code refers to as _SP[i]
    osr_sites: list = field(default_factory=list)  # see translate.Context.osr_sites
    loop_owner: dict = field(default_factory=dict)  # loop index -> function's Python name


def _translate_function(ctx: Context, pyname: str, params: list[A.Param], sig: Sig,
                        body: A.Block, counter: Optional[str], is_main: bool,
                        toplevel: bool, fn: Optional[FnInfo] = None) -> FunctionTranslator:
    """Translate until the kinds of the locals reach a fixed point (round one assumes
    nothing; each round assumes what the previous one saw assigned)."""
    kinds: dict[str, Optional[str]] = {}
    for _ in range(MAX_INFERENCE_ROUNDS):
        loops_before, specs_before = len(ctx.loops), len(ctx.specs)
        osr_before = len(ctx.osr_sites)
        tr = FunctionTranslator(ctx, pyname, params, sig, kinds, counter, fn)
        tr.lines = tr.function(body, is_main, toplevel)
        if tr.observed == kinds:
            return tr
        kinds = tr.observed
        del ctx.loops[loops_before:], ctx.specs[specs_before:], ctx.osr_sites[osr_before:]
    tr = FunctionTranslator(ctx, pyname, params, sig, {k: "any" for k in kinds}, counter,
                            fn)
    tr.lines = tr.function(body, is_main, toplevel)
    return tr


#: Items that the resolution layer takes in; they are not top-level statements.
_DECLARATIONS = (A.FunDef, A.StructDef, A.EnumDef, A.ImplDef, A.TraitDef, A.ModDef, A.UseDecl)


def _split_items(prog: A.Program, info: ProgramInfo):
    """Every function (methods and module functions under their qualified names), the
    file's consts, and the top-level statements in order."""
    functions = {q: fn.node for q, fn in info.functions.items() if fn.node.body is not None}
    consts = const_order(info)  # every const and static, modules' and nested ones too
    top = [item for item in prog.items if not isinstance(item, _DECLARATIONS + (A.ConstDef,))]
    return functions, consts, top


def _type_setup(info: ProgramInfo) -> list[str]:
    """The lines of the module factory that make the program's struct and enum classes
    (runtime/aggregates.py); Option and Result are the runtime's own."""
    lines = []
    for q, s in sorted(info.structs.items()):
        if q == "Reverse" and s.node is None:
            continue  # std::cmp::Reverse: the runtime's class (data.namespace)
        lines.append(f"{type_py(q)} = _struct_class({q!r}, {s.shape!r}, {s.fields!r})")
    for q, e in sorted(info.enums.items()):
        if e.node is None:  # Option, Result, Ordering, Entry: the runtime's classes
            continue
        variants = [(v.name, v.shape, v.fields) for v in e.variants]
        lines.append(f"{type_py(q)}, _vs = _enum_classes({q!r}, {variants!r})")
        lines.extend(f"{variant_py(q, v.name)} = _vs[{v.name!r}]" for v in e.variants)
        # `E::A as i64` reads an explicit discriminant (runtime/numeric.cast_int)
        lines.extend(f"type({variant_py(q, v.name)})._disc = {v.discriminant}"
                     for v in e.variants if v.shape == "unit" and v.discriminant != v.index)
    return lines


def translate_program(prog: A.Program, src: SourceFile, profile: bool = True,
                      signatures: bool = False, jit: Optional[JitHooks] = None) -> ModuleCode:
    """Translate a whole program to one Python module (see the module docstring).
    ``profile`` counts calls and loop iterations; ``signatures`` also records the
    argument types that the generic (unspecialised) versions of functions see; ``jit``
    adds the tiered runtime's promotion and on-stack-replacement checks (and implies
    both)."""
    info = resolve_program(prog)
    check_repointed(prog)  # (as the lowering: lower/level3.program_names)
    floats, ints = float_fields(prog), int_fields(prog)
    functions, const_defs, top = _split_items(prog, info)
    consts = {c.name: const_cell(c.name) for c in const_defs}
    cells = shared_globals(info)
    rets: dict[tuple[str, Sig], Optional[str]] = {}
    wanted: set[tuple[str, Sig]] = {("main", ())} if "main" in functions else set()
    wanted |= root_keys(info)  # e.g. each Display impl's fmt (interp/dispatch.py)
    if jit is not None:
        profile, signatures = True, signatures or True  # (keeps "values": the profiler)
    # Each round used to translate every part again; most parts read the same return
    # kinds as in the round before, and those are reused (see _Done).
    cache: dict[PartId, _Done] = {}
    for _ in range(MAX_PROGRAM_ROUNDS):
        ctx = Context(functions, consts, src, info=info, profile=profile,
                      signatures=signatures, rets=rets, jit=jit, cells=cells,
                      float_fields=floats, int_fields=ints)
        parts = _translate_all(ctx, functions, const_defs, top, prog, sorted(wanted), cache)
        new_rets = {key: tr.ret_kind for key, tr in parts if key is not None}
        if ctx.requests <= wanted and new_rets == rets:
            return _assemble(ctx, functions, parts)
        wanted |= ctx.requests
        rets = {key: new_rets.get(key) for key in wanted}
    # No fixed point in time: make every call return "any" (always sound) and stop.
    rets = {key: "any" for key in wanted}
    for _ in range(2):
        ctx = Context(functions, consts, src, info=info, profile=profile,
                      signatures=signatures, rets=rets, jit=jit, cells=cells,
                      float_fields=floats, int_fields=ints)
        parts = _translate_all(ctx, functions, const_defs, top, prog, sorted(wanted), cache)
        wanted |= ctx.requests
        rets = {key: "any" for key in wanted}
    if not ctx.requests <= {k for k, _ in parts}:  # pragma: no cover - defensive
        raise AssertionError("tier 0 specialisation did not converge")
    return _assemble(ctx, functions, parts)


def _part(ctx: Context, cache: dict[PartId, _Done], part: PartId,
          translate: Callable[[], FunctionTranslator]) -> FunctionTranslator:
    """The translation of ``part``: an earlier round's if still valid (see _Done), else
    ``translate()``, recorded for the rounds after."""
    bases = (len(ctx.loops), len(ctx.specs), len(ctx.osr_sites))
    done = cache.get(part)
    if done is not None and done.fits(bases) \
            and all(ctx.rets.get(k) == v for k, v in done.reads.items()):
        ctx.loops.extend(done.loops)
        ctx.specs.extend(done.specs)
        ctx.osr_sites.extend(done.osr_sites)
        ctx.requests.update(done.reads)
        return done.tr
    ctx.reads = {}
    tr = translate()
    cache[part] = _Done(tr, ctx.reads, bases, ctx.loops[bases[0]:],
                        ctx.specs[bases[1]:], ctx.osr_sites[bases[2]:])
    ctx.reads = None
    return tr


def _translate_all(ctx: Context, functions: dict[str, A.FunDef], const_defs: list[ConstInfo],
                   top: list[A.Node], prog: A.Program, wanted: list[tuple[str, Sig]],
                   cache: dict[PartId, _Done]):
    parts: list[tuple[Optional[tuple[str, Sig]], FunctionTranslator]] = []
    for c in const_defs:
        parts.append((None, _part(ctx, cache, f"{CONSTS}:{c.name}",
                                  lambda: const_function(ctx, c, _translate_function))))
    if const_defs:
        parts.append((None, consts_driver(ctx, const_defs, CONSTS, lambda: FunctionTranslator(
            ctx, CONSTS, [], (), {}, None))))
    top_body = A.Block(top, span=prog.span)
    # A top-level loop is offered for on-stack replacement even when functions share
    # top-level variables: the IR has no function that uses one (lower/level3.py), so a
    # continuation that would call one does not lower and the loop stays interpreted.
    parts.append((None, _part(ctx, cache, TOPLEVEL, lambda: _translate_function(
        ctx, TOPLEVEL, [], (), top_body, None, False, True))))
    done: set[tuple[str, Sig]] = set()
    queue = list(wanted)
    while queue:  # specialisations requested while translating are translated too
        key = queue.pop(0)
        if key in done:
            continue
        done.add(key)
        name, sig = key
        fn = functions[name]
        counter = "c" + spec_name(name, sig)[1:] if ctx.profile else None
        parts.append((key, _part(ctx, cache, key, lambda: _translate_function(
            ctx, spec_name(name, sig), fn.params, sig, fn.body, counter, name == "main",
            False, ctx.info.functions.get(name) if ctx.info else None))))
        queue.extend(sorted(ctx.requests - done - set(queue)))
    return parts


def _reachable(parts) -> list:
    """The parts that the top level, consts and main can reach (early rounds request
    specialisations from kinds they did not know yet; those are dropped here)."""
    by_key = {key: tr for key, tr in parts}
    roots = root_keys(parts[0][1].ctx.info) if parts else set()
    seen = {key for key, _ in parts if key is None or key == ("main", ()) or key in roots}
    stack = [tr for key, tr in parts if key in seen]
    while stack:
        for callee in stack.pop().callees:
            if callee not in seen:
                seen.add(callee)
                stack.append(by_key[callee])
    return [(key, tr) for key, tr in parts if key in seen]


def _assemble(ctx: Context, functions: dict[str, A.FunDef], parts) -> ModuleCode:
    """One factory function holding counters, consts and every translated function."""
    parts = _reachable(parts)
    specs = [(key, tr) for key, tr in parts if key is not None]
    counted = [(key, tr) for key, tr in specs if tr.counter]
    recorders = [(key, tr) for key, tr in specs if tr.sig_recorder]
    cells = [f"{tr.counter} = 0" for _, tr in counted] \
        + [f"l_{i} = 0" for i in range(len(ctx.loops))] \
        + [f"{name} = None" for name in ctx.consts.values()] \
        + [f"{name} = None" for name in ctx.cells.values()] \
        + [f"{tr.sig_recorder} = {{}}" for _, tr in recorders] + ["main_called = False"]
    if ctx.jit is not None:
        cells += [f"t{tr.counter[1:]} = 1 << 62" for _, tr in counted]
    cells += _type_setup(ctx.info) if ctx.info is not None else []
    lines = [f"def {FACTORY}():"] + ["    " + c for c in cells]
    for _, tr in parts:
        lines.extend("    " + ln for ln in tr.lines)
    calls = "".join(f"{tr.counter}, " for _, tr in counted)
    loops = "".join(f"l_{i}, " for i in range(len(ctx.loops)))
    sigs = "".join(f"{tr.sig_recorder}, " for _, tr in recorders)
    lines += ["    " + ln for ln in module_tail(ctx.info, {key for key, _ in parts})]
    lines += [f"    def {PROFILE}():",
              f"        return ({calls}), ({loops}), ({sigs}), main_called"]
    if ctx.jit is not None:
        # The tiered runtime swaps functions and moves thresholds through these cells
        # (a function's __closure__ holds the cells of the names it uses).
        names = [tr.pyname for _, tr in specs] + [f"t{tr.counter[1:]}" for _, tr in counted] \
            + list(ctx.consts.values())
        lines += [f"    def {CELLS}():", f"        return ({''.join(n + ', ' for n in names)})"]
    lines.append("    return locals()")
    spans = [A.NO_SPAN] * (1 + len(cells))
    for _, tr in parts:
        spans.extend(tr.out.spans)
    spans += [A.NO_SPAN] * (len(lines) - len(spans))
    main = spec_name("main", ()) if "main" in functions else None
    counters = [key for key, _ in counted]
    dynamic = [key for key, _ in recorders]
    loop_owner = {i: tr.pyname for _, tr in parts for i in tr.loop_ids}
    return ModuleCode("\n".join(lines) + "\n", spans, counters, dynamic, list(ctx.loops), main,
                      ctx.specs, list(ctx.osr_sites), loop_owner)
