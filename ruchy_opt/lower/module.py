"""Lowering of a whole program: one IR function per Ruchy function, the top level as its
own function, and an entry function that runs the program::

    func @ruchy.start() {          ; what the IR interpreter and compiled tiers run
      call @ruchy.consts           ; if the file has `const` items
      call @ruchy.toplevel         ; the top-level statements, in order
      ; then main(), unless the top level already called it (@main.called)
    }

Static errors (``break`` outside a loop, a bad format string, ...) are found in the
order tier 0 finds them: consts, the top level, ``main``, then the functions those call,
by name. A function that nothing reachable calls is lowered too, but, as in tier 0, an
error in it is not reported; the function is then left out of the module.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..errors import RuchySyntaxError, SourceFile
from ..ir.builder import Builder
from ..ir.core import Function, Module
from ..ir.opdef import Sym
from ..syntax import ast as A
from .cleanup import renumber, tidy
from .function import FunctionLowerer, ModuleContext, hint_of
from ..ir.types import is_aggregate
from .matching import param_or_for
from .level3 import ITEMS, NotCompiled, NotInIR, find_level3, ir_function, ir_method, \
    program_names
from .methods import inout_params, returned
from . import traits
from ..resolve.captures import closure_plans, has_closure

#: ops that only code with structs, tuples, enums, chars and Level 3 patterns has (not
#: compiled yet)
AGGREGATE_OPS = frozenset({"make", "extract", "insert", "is_type", "check_tuple",
                           "elem_own", "by_ref", "no_method", "variant", "tag", "payload",
                           "let_fail", "try_check", "try_main", "pop_option", "char",
                           "is_char", "char_range", "closure", "call_closure", "cell.new",
                           "cell.get", "cell.set", "len_is", "elem_at", "slice_rest",
                           "tuple_min", "tuple_at", "slice_range", "cast", "method.pure",
                           "call_method", "fmt_write", "method.mut", "slice.put", "ref.elem",
                           "ref.items"})

TOPLEVEL = "ruchy.toplevel"
CONSTS = "ruchy.consts"
MAIN_CALLED = "main.called"
#: main() as the program's implicit call runs it: with no arguments, so that its
#: parameters (if it declares any) are undefined names, as in tier 0.
IMPLICIT_MAIN = "ruchy.main"


def _split(prog: A.Program) -> tuple[dict[str, A.FunDef], list[A.ConstDef], list[A.Node]]:
    functions: dict[str, A.FunDef] = {}
    consts: list[A.ConstDef] = []
    top: list[A.Node] = []
    for item in prog.items:
        if isinstance(item, A.FunDef):
            if item.name in functions:
                raise RuchySyntaxError(f"function '{item.name}' is defined twice", item.span)
            functions[item.name] = item
        elif isinstance(item, A.ConstDef):
            consts.append(item)
        elif not isinstance(item, ITEMS):  # struct/enum/impl/...: not statements
            top.append(item)
    return functions, consts, top


def _lower_body(ctx: ModuleContext, name: str, params: list[A.Param], body: A.Block,
                is_main: bool, toplevel: bool, ret: Optional[A.TypeRef] = None,
                self_type: Optional[str] = None, cell_params: frozenset = frozenset(),
                lifted: bool = False, module: str = "",
                runtime_refs: frozenset = frozenset()) -> Function:
    """One function; ``cell_params``: parameters that arrive as cells (the variables a
    closure shares with the function that made it: lower/closures.py); ``lifted``: the
    body of a closure or nested function."""
    if ctx.names is not None:
        refused = find_level3(params, body.stmts, ctx.names, toplevel, ctx.aggregates,
                              self_type, module)
        if refused is not None:
            raise refused
    f = Function(name)
    f.ret_hint = hint_of(ret)
    lw = FunctionLowerer(ctx, f)
    lw.self_type = self_type
    lw.module = module
    lw.lifted = lifted
    lw.source = (params, body.stmts)
    if has_closure(body):
        lw.closure_plans = closure_plans(params, A.Block(body.stmts))
    entry = lw.new_block()
    entry.name = "entry"
    lw.start(entry)
    inout = inout_params(A.FunDef(name, params, ret, body))
    patterns = []
    for k, p in enumerate(params):
        bp = entry.add_param(f.fresh_value_name(p.name if p.pattern is None else "arg"))
        bp.hint = hint_of(p.type)
        if p.pattern is not None:
            patterns.append((p, bp))
            continue
        var = lw.bind(p.name, p)
        if p.name in cell_params:
            var.cell = True
            lw.cells_made.add(var)
            lw.ssa.write(var, entry, bp)
        elif p.name in runtime_refs and k not in inout:  # `*acc += x`: through a Cell
            lw.write(var, lw.emit("deref", [bp], node=p))
            lw.ref_vars.add(var)
            lw.ref_params.append((var, bp))
        else:
            lw.write(var, bp)
        lw.params_by_name[p.name] = p
        lw.param_vars[p.name] = var
        if k in inout:
            lw.inout.append(var)
    lw.ssa.seal(entry)
    for p, bp in patterns:  # `fn f((a, b): (i64, i64))`: the caller passed a copy
        param_or_for(lw, p.pattern, bp, p, "a function parameter")
    if is_main:
        lw.emit("store_global", [lw.const(True)], imms=(Sym(MAIN_CALLED),))
    value = lw.block(body, want=not toplevel)
    lw.emit("ret", [returned(lw, value if not toplevel else lw.unit(), None)])
    tidy(f)
    if not ctx.aggregates:
        _refuse_aggregates(f)
    return f


def _refuse_aggregates(f: Function) -> None:
    """The compiled tiers' safety net: level3.py refuses every construct that makes an
    aggregate, so none may be left (NotCompiled names it if one is)."""
    for instr in f.instructions():
        if is_aggregate(instr.type) or instr.op.name in AGGREGATE_OPS:
            raise NotCompiled(f"the aggregate operation '{instr.op.name}'", instr.span)


@dataclass
class ConstItem:
    """A const or static to evaluate: its global (qualified name), its item, and the
    scope its initialiser is written in (a module, an ``impl``'s type)."""

    name: str
    node: A.ConstDef
    module: str = ""
    owner: Optional[str] = None


def _const_items(ctx: ModuleContext, defs: list[A.ConstDef]) -> list[ConstItem]:
    """The consts @ruchy.consts evaluates, in tier 0's order (interp/globals.const_order:
    each after the consts its value reads): with ``aggregates`` every const of the
    program (of its modules, ``impl``s and function bodies too), else the top-level
    ones. Without the resolution layer's tables, the top-level ones as written."""
    info = ctx.info
    if info is None:
        return [ConstItem(c.name, c) for c in defs]
    from ..interp.globals import const_order
    top = {c.name for c in defs}
    return [ConstItem(c.name, c.node, c.module, c.owner) for c in const_order(info)
            if c.name in top or (ctx.aggregates and not (c.node.static and c.node.mutable))]


def _lower_consts(ctx: ModuleContext, items: list[ConstItem]) -> Function:
    """Each initialiser in its scope, stored into its global before the next one runs
    (the order of :func:`_const_items`)."""
    if ctx.names is not None:
        for c in items:
            refused = find_level3((), [c.node.value], ctx.names, aggregates=ctx.aggregates,
                                  self_type=c.owner, module=c.module)
            if refused is not None:
                raise refused
    f = Function(CONSTS)
    lw = FunctionLowerer(ctx, f)
    entry = lw.new_block()
    entry.name = "entry"
    lw.start(entry)
    lw.ssa.seal(entry)
    for c in items:
        lw.self_type, lw.module = c.owner, c.module
        v = lw.copied(lw.expr(c.node.value), c.node.value)
        lw.emit("store_global", [v], imms=(Sym(c.name),), node=c.node)
    lw.emit("ret", [lw.unit()])
    tidy(f)
    return f


def _start(m: Module, has_consts: bool, main: Optional[str]) -> Function:
    f = Function(Module.START)
    b = Builder(f, f.new_block())
    f.entry.name = "entry"
    if has_consts:
        b.emit("call", imms=(Sym(CONSTS),))
    b.emit("call", imms=(Sym(TOPLEVEL),))
    if main is not None:
        run_main, done = f.new_block("run.main"), f.new_block("done")
        called = b.emit("is_true", [b.emit("load_global", imms=(Sym(MAIN_CALLED),))])
        b.cond_br(called, done, run_main)
        b.at_end(run_main)
        b.emit("call", imms=(Sym(main),))
        b.br(done)
        b.at_end(done)
    b.ret()
    renumber(f)
    return f


@dataclass
class Lowered:
    """A program lowered as far as the IR goes (:func:`lower_partial`): ``module`` has
    every function that lowers, and ``@ruchy.start`` only if the consts, the top level
    and ``main`` all do; ``interpreted`` says why each function left out is (its first
    Level 3 construct, the call of a function left out, or its static error)."""

    module: Module
    interpreted: dict[str, RuchySyntaxError]


def lower_program(prog: A.Program, src: SourceFile, aggregates: bool = False,
                  compiled: bool = False) -> Module:
    """Lower a parsed program to an SSA module. Raises RuchySyntaxError for the static
    errors tier 0 reports, and NotInIR for the first Level 3 construct that the program
    reaches (level3.py), in the order tier 0 translates functions. Structs and tuples
    are lowered with ``aggregates`` (the IR's own consumers: ``--emit=ssa``, ``--tier=ir``,
    passes); without, they are refused as not compiled yet (level3.NotCompiled)."""
    return _lower(prog, src, partial=False, aggregates=aggregates, compiled=compiled).module


def lower_partial(prog: A.Program, src: SourceFile, aggregates: bool = False,
                  compiled: bool = False) -> Lowered:
    """Lower every function that the IR has, for tiers that leave the others in the
    interpreter (raises nothing for a program tier 0 accepted); ``compiled``: for the
    compiled tiers (ModuleContext.place_mutators)."""
    return _lower(prog, src, partial=True, aggregates=aggregates, compiled=compiled)


def _lower(prog: A.Program, src: SourceFile, partial: bool, aggregates: bool,
           compiled: bool = False) -> Lowered:
    functions, const_defs, top = _split(prog)
    m = Module(src.name)
    ctx = ModuleContext(dict(functions), {c.name for c in const_defs}, src, m,
                        names=program_names(prog), aggregates=aggregates)
    ctx.place_mutators = not compiled  # (for the compiled tiers: function.py)
    info = ctx.info
    #: the functions of the program's modules the IR has, by qualified name
    module_fns = {q: fn for q, fn in getattr(info, "functions", {}).items()
                  if aggregates and "::" in q and ir_function(ctx.names, fn)}
    ctx.functions.update({q: fn.node for q, fn in module_fns.items()})
    const_items: list[ConstItem] = []
    if const_defs or module_fns or aggregates:
        try:
            const_items = _const_items(ctx, const_defs)
        except RuchySyntaxError:  # a const that depends on itself: tier 0 reports it
            const_items = [ConstItem(c.name, c) for c in const_defs]
    ctx.consts |= {c.name for c in const_items}
    ctx.has_aggregates = aggregates and _has_aggregates(prog, info)
    #: the methods and associated functions the IR has, by qualified name
    methods = {q: fn for q, fn in getattr(info, "functions", {}).items()
               if ctx.aggregates and ir_method(ctx.names, fn)}
    lowered: dict[str, Function] = {}
    refused: dict[str, RuchySyntaxError] = {}

    def lift(name: str, params: list[A.Param], body: A.Block,
             ret: Optional[A.TypeRef], cells: set[str], module: str = "",
             self_type: Optional[str] = None, runtime_refs: frozenset = frozenset()) -> None:
        """A closure's body, lowered as a function of its own (lower/closures.py), its
        names looked up in ``module``; ``self_type``: the closure is in a method of that
        type (``self`` may be among its captures, ``Self`` names the type);
        ``runtime_refs``: parameters that may arrive as the runtime's references
        (closures.runtime_called)."""
        lowered[name] = _lower_body(ctx, name, params, body, False, False, ret,
                                    self_type, cell_params=frozenset(cells), lifted=True,
                                    module=module, runtime_refs=runtime_refs)
        lifted.append(name)

    lifted: list[str] = []
    ctx.lift = lift
    ctx.is_lifted = lowered.__contains__

    def attempt(name: str, reachable: bool, params: list[A.Param], body: A.Block,
                is_main: bool, toplevel: bool = False, ret: Optional[A.TypeRef] = None,
                self_type: Optional[str] = None, module: str = "") -> None:
        mark = len(lifted)
        try:
            if name == CONSTS:
                lowered[name] = _lower_consts(ctx, const_items)
            else:
                lowered[name] = _lower_body(ctx, name, params, body, is_main, toplevel, ret,
                                            self_type, module=module)
        except RuchySyntaxError as e:
            for n in lifted[mark:]:  # its closures go with it
                lowered.pop(n, None)
            del lifted[mark:]
            if reachable and not partial:
                raise
            refused[name] = e

    if const_items:
        attempt(CONSTS, True, [], A.Block([]), False)
    attempt(TOPLEVEL, True, [], A.Block(top, span=prog.span), False, True)
    main_fn = functions.get("main")
    implicit_main = None
    if main_fn is not None:
        m.add_global(MAIN_CALLED, False)
        implicit_main = "main"
        if main_fn.params:
            implicit_main = IMPLICIT_MAIN
            attempt(IMPLICIT_MAIN, True, [], main_fn.body, True)
        ctx.requested.add("main")
    done: set[str] = set()

    def requested(queue: list[str], reachable: bool) -> None:
        """Lower the functions asked for, and those they ask for in turn, in the order
        tier 0 translates them; then the trait impls of the types they declared."""
        while queue:
            name = queue.pop(0)
            if name in done:
                continue
            done.add(name)
            if name in ctx.functions:
                fn = ctx.functions[name]
                attempt(name, reachable, fn.params, fn.body, name == "main", False, fn.ret,
                        module=_scope(info, name))
            elif name in methods:  # a method or associated function (FnInfo)
                info_fn = methods[name]
                attempt(name, reachable, info_fn.node.params, info_fn.node.body, False,
                        False, info_fn.node.ret, info_fn.owner, info_fn.module)
            # (else a nested function called by name: lifted with the function it is in)
            queue.extend(sorted(ctx.requested - done - set(queue)))
            if not queue:
                traits.runtime_impls(ctx)  # (Display...: lower/traits.py)
                queue.extend(sorted(ctx.requested - done))

    requested(["main"] if main_fn is not None else sorted(ctx.requested), True)
    for name, fn in ctx.functions.items():  # unreachable ones: tier 0 never looks at them
        if name not in lowered and name not in refused:
            attempt(name, False, fn.params, fn.body, name == "main", False, fn.ret,
                    module=_scope(info, name))
    traits.runtime_impls(ctx)  # (the types only unreachable functions declared)
    requested(sorted(traits.referenced(m) - done), False)
    while True:
        before = len(lowered)
        _drop_broken_callers(lowered, refused)
        traits.finish(m, lowered, refused)
        if len(lowered) == before:
            break
    for g in const_items:
        m.add_global(g.name, None)
    entry = [CONSTS] * bool(const_items) + [TOPLEVEL, implicit_main or TOPLEVEL]
    if all(n in lowered for n in entry):
        m.add_function(_start(m, bool(const_items), implicit_main))
    for name in [CONSTS, TOPLEVEL, IMPLICIT_MAIN, *ctx.functions, *methods, *lifted]:
        if name in lowered:
            m.add_function(lowered[name])
    return Lowered(m, refused)


def _scope(info: object, name: str) -> str:
    """Where the names of function ``name``'s body are looked up (FnInfo.module)."""
    fn = getattr(info, "functions", {}).get(name)
    return fn.module if fn is not None else ""


def _has_aggregates(prog: A.Program, info: object) -> bool:
    """Whether a program declares a struct or writes a tuple."""
    if any(s.node is not None for s in getattr(info, "structs", {}).values()):
        return True
    work: list[A.Node] = list(prog.items)
    while work:
        n = work.pop()
        if isinstance(n, A.TupleLit):
            return True
        work.extend(A.children(n))
    return False


def _drop_broken_callers(lowered: dict[str, Function],
                         refused: dict[str, RuchySyntaxError]) -> None:
    """Functions that call one left out go too (lowered code cannot call back into the
    interpreter); ``refused`` gets the call as the reason."""
    changed = True
    while changed:
        changed = False
        for name, f in list(lowered.items()):
            for instr in f.instructions():
                if instr.op.name == "call" and str(instr.imms[0]) not in lowered:
                    del lowered[name]
                    refused[name] = NotInIR(f"the call of '{instr.imms[0]}', which",
                                            instr.span)
                    changed = True
                    break


def lower_source(src: SourceFile, aggregates: bool = False) -> Module:
    """Parse and lower a Ruchy source file (``aggregates``: as lower_program)."""
    from ..syntax.parser import parse_program
    return lower_program(parse_program(src.text, src.name), src, aggregates)
