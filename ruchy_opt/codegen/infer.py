"""Whole-program type inference and specialisation, as Numba's dispatcher does it ahead
of time: starting from ``@ruchy.start`` (the top level, then ``main``), every function
is analysed once per argument-type signature it is called with, interprocedurally, to a
fixed point (a recursive function's return type starts at bottom and grows).

The result, :class:`Program`, maps each reachable specialisation to the type of every
value in it. A construct that has no static type (a variable that holds an int here and
a float there, a method compiled code lacks) makes its specialisation *untypeable*;
``Program.failures`` says which and why, and that code stays in the interpreter.
"""
from __future__ import annotations

import weakref
from collections import deque

from typing import Optional, Sequence

from ..ir.core import BlockParam, Function, Instruction, Module, Value
from ..ir.dominance import reverse_postorder
from ..ir.opdef import NO_FOLD, PURE, literal_type
from ..ir.ops_arith import BINARY, UNARY
from ..syntax.ast import NO_SPAN, Span
from ..typerules import table as T
from ..typerules.rtypes import ANY, ArrT, Cell, Conflict, RType, describe, join, key, level3
from ..typerules.values import compiled as compiled_value, is_of, leaf_kinds, named_types

MAX_SPECS_PER_FUNCTION = 16
MAX_ROUNDS = 200


class Spec:
    """One function specialised to one argument-type signature."""

    #: Level 3 values are typed structurally, every field known (typerules/values.py)
    structural = True

    def __init__(self, prog: "Program", func: Function, sig: tuple[str, ...],
                 params: list[RType]) -> None:
        self.prog = prog
        self.func = func
        self.sig = sig
        self.params = params
        self.name = func.name
        self.types: dict[Value, RType] = {}
        self.callees: dict[Instruction, "Spec"] = {}
        self.fails: dict[Instruction, str] = {}
        self.ret: RType = None
        self.failure: Optional[tuple[str, Span]] = None
        self._cells: dict[tuple[Instruction, str], Cell] = {}
        #: values known to be constant (folded like SCCP), so that a branch on one
        #: only types the side that runs: `match 3 { 1 => 1.5, _ => 2 }` is an int
        self.consts: dict[Value, object] = {}
        #: blocks some feasible edge reaches; the others are never entered
        self.live: set = set()
        #: what the last analysis that reached a fixed point read from outside this
        #: specialisation (see _inputs); None until there is one
        self.inputs: Optional[tuple] = None
        #: whether any value here has had an array type (only then can a change of an
        #: element-type cell, anywhere, change what this specialisation computes)
        self.has_arrays = False
        #: whether it reads globals (``load_global``)
        self.reads_globals = False
        #: the function's reachable blocks in reverse postorder, and their positions
        self.blocks: Optional[list] = None
        self.position: dict = {}

    def site_cell(self, instr: Instruction, init: RType = None, tag: str = "") -> Cell:
        """The element-type cell of the array an instruction creates (one per site)."""
        c = self._cells.get((instr, tag))
        if c is None:
            c = self._cells[(instr, tag)] = Cell(init)
        return c

    def type_of(self, v: Value) -> RType:
        return self.types.get(v)

    # ---- the rule table's questions (typerules.table.Context) ----------------------------

    @property
    def module(self) -> Module:
        return self.prog.module

    def call(self, instr: Instruction, ts: list[RType]) -> RType:
        """The callee specialised to the argument types, typed now if it is new."""
        callee = self.prog.module.functions.get(str(instr.imms[0]))
        if callee is None:
            raise T.Untypeable(f"call to unknown function @{instr.imms[0]}")
        c = self.prog.spec(callee, ts)
        self.callees[instr] = c
        if c not in _started and len(_nesting) < MAX_EAGER_NESTING:
            # A callee met for the first time is typed now, so that the caller goes on
            # with its result in this round (a top level calling a hundred functions
            # in a row would otherwise take a round each, every round redoing all).
            _nesting.append(_span)
            try:
                _analyse(c)
            finally:
                _span_restore(_nesting.pop())
        return c.ret

    def load_global(self, instr: Instruction) -> RType:
        g = str(instr.imms[0])
        if self.func.name == "ruchy.consts" and self.prog.module.globals[g].init is None:
            raise T.Untypeable("a const read while consts are being initialised")
        self.reads_globals = True
        return self.prog.globals.get(g)

    def store_global(self, instr: Instruction, t: RType) -> None:
        g = str(instr.imms[0])
        prog = self.prog
        old = key(prog.globals.get(g))
        try:
            prog.globals[g] = join(prog.globals.get(g), t)
        except Conflict as e:
            raise T.Untypeable(f"global {g} may hold {e}") from None
        if key(prog.globals[g]) != old:
            prog.version += 1
            prog.globals_version += 1

    def __repr__(self) -> str:
        return f"<Spec {self.func.name}({', '.join(self.sig)})>"


class Program:
    """The typed whole program: specialisations reachable from the entry."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self.specs: dict[tuple[str, tuple[str, ...]], Spec] = {}
        self._count: dict[str, int] = {}  # function name -> its specialisations
        self.globals: dict[str, RType] = {}
        self.version = 0
        #: bumped when a global's type changes (a subset of ``version``)
        self.globals_version = 0
        self.entry: Optional[Spec] = None
        self.reachable: list[Spec] = []
        for name, g in module.globals.items():
            if g.init is not None:
                self.globals[name] = literal_type(g.init)

    @property
    def failures(self) -> list[Spec]:
        """Reachable specialisations that could not be typed."""
        return [s for s in self.reachable if s.failure is not None]

    @property
    def ok(self) -> bool:
        return self.entry is not None and not self.failures

    def spec(self, func: Function, types: list[RType]) -> Spec:
        sig = tuple(key(t) for t in types)
        s = self.specs.get((func.name, sig))
        if s is None:
            count = self._count.get(func.name, 0)
            if count >= MAX_SPECS_PER_FUNCTION:
                raise T.Untypeable(f"@{func.name} is called with too many type signatures")
            self._count[func.name] = count + 1
            params = [ArrT() if isinstance(t, ArrT) else t for t in types]
            s = self.specs[(func.name, sig)] = Spec(self, func, sig, params)
            self.version += 1
        for p, t in zip(s.params, types):
            join(p, t)
        return s


def infer_program(module: Module, entry: str = Module.START,
                  args: Sequence[RType] = ()) -> Program:
    """Type the whole program from function ``entry`` called with arguments of types
    ``args`` (none for the program's start; the tiered runtime compiles single
    functions from the argument types it observed)."""
    prog = Program(module)
    f = module.functions.get(entry)
    if f is None or len(f.params) != len(args):
        return prog
    prog.entry = prog.spec(f, list(args))
    _started.clear()
    rounds = 0
    while True:
        before = (prog.version, Cell.version)
        _settle(prog)
        if (prog.version, Cell.version) == before:
            break
        rounds += 1
        # A straight-line caller learns one callee's result per round: the bound grows
        # with the program (the lattice is finite; this only guards against a bug).
        if rounds > MAX_ROUNDS + 4 * len(prog.specs):
            prog.entry.failure = ("types did not settle (the program is too polymorphic)",
                                  NO_SPAN)
            break
    prog.reachable = _reachable(prog.entry)
    _name_specs(prog)
    return prog


def _settle(prog: Program) -> None:
    """One round of infer_program: every specialisation analysed, then again whenever
    what it reads changed (a callee's result type, array cells, globals), from a
    worklist. Rounds of analyses in creation order learnt one link of a call chain per
    round, each round visiting every specialisation: quadratic in the chain (issue 19).
    The round after this one finds nothing to do unless this missed something."""
    callers: dict[Spec, set] = {}
    work = deque(prog.specs.values())
    queued = set(work)
    known = len(prog.specs)

    def again(specs) -> None:
        for t in specs:
            if t not in queued:
                queued.add(t)
                work.append(t)

    while work:
        s = work.popleft()
        queued.discard(s)
        if s.failure is not None:
            continue
        ret, cells, globs = key(s.ret), Cell.version, prog.globals_version
        _analyse(s)
        for c in s.callees.values():
            callers.setdefault(c, set()).add(s)
        if len(prog.specs) > known:  # found in this analysis: analysed in this round
            again(list(prog.specs.values())[known:])
            known = len(prog.specs)
        if key(s.ret) != ret:
            again(callers.get(s, ()))
        if Cell.version != cells:
            again([t for t in prog.specs.values() if t.has_arrays])
        if prog.globals_version != globs:
            again([t for t in prog.specs.values() if t.reads_globals])


def _reachable(entry: Spec) -> list[Spec]:
    """The specialisations the entry calls, transitively, in breadth-first order."""
    seen = [entry]
    known = {entry}
    i = 0
    while i < len(seen):
        for c in seen[i].callees.values():
            if c not in known:
                known.add(c)
                seen.append(c)
        i += 1
    return seen


def _name_specs(prog: Program) -> None:
    """A function with one reachable specialisation keeps its name; others get the
    signature appended (``@fib.i64``, ``@fib.f64``)."""
    count: dict[str, int] = {}
    for s in prog.reachable:
        count[s.func.name] = count.get(s.func.name, 0) + 1
    for s in prog.reachable:
        if count[s.func.name] > 1:
            sig = ".".join(k.replace("[", "_").replace("]", "").replace("?", "x")
                           for k in s.sig) or "void"
            s.name = f"{s.func.name}.{sig}"


def _set(s: Spec, v: Value, t: RType) -> bool:
    """Join ``t`` into the type of ``v``; whether the type was new (it was bottom). A
    known type never changes otherwise: joining it with another either is the same type
    (scalars; arrays unify their element cells, which Cell.version tracks) or raises
    Conflict; but a Level 3 value's type grows as enum variants join it (``Some(1)``
    and ``None``: typerules/values.py), and is then new too."""
    old = s.types.get(v)
    if old is not None:
        new = join(old, t)
        if level3(new) and new != old:
            s.types[v] = new
            s.prog.version += 1
            return True
        return False
    if t is None:
        return False
    s.types[v] = t
    s.prog.version += 1
    if isinstance(t, ArrT):
        s.has_arrays = True
    return True


#: specialisations analysed at least once (cleared per program), and the callers whose
#: analysis waits for a callee's first one
_started: "weakref.WeakSet[Spec]" = weakref.WeakSet()
_nesting: list[Span] = []
MAX_EAGER_NESTING = 40


def _span_restore(sp: Span) -> None:
    global _span
    _span = sp


def _inputs(s: Spec) -> tuple:
    """What an analysis of ``s`` reads from outside it, besides its parameters' types
    (fixed for a specialisation, up to array cells): its callees' result types, the
    globals' types when it reads any, and array element types when it has arrays (any
    cell may be reached from its values, so any change counts). An analysis that reached
    a fixed point and would see the same inputs again would change nothing."""
    return (tuple([key(c.ret) for c in s.callees.values()]),
            s.prog.globals_version if s.reads_globals else -1,
            Cell.version if s.has_arrays else -1)


def _analyse(s: Spec) -> None:
    """Analyse ``s`` to a fixed point given what it reads from other specialisations
    (the rounds of infer_program propagate changes between them); nothing to do when
    none of that changed since the last fixed point."""
    _started.add(s)
    try:
        if s.inputs is not None and s.inputs == _inputs(s):
            return
        s.inputs = None  # until this analysis reaches its fixed point
        for p, t in zip(s.func.params, s.params):
            _set(s, p, t)
        if s.blocks is None:
            s.blocks = reverse_postorder(s.func)
            s.position = {b: i for i, b in enumerate(s.blocks)}
        s.live.add(s.func.entry)
        for _ in range(MAX_ROUNDS):
            if not _pass(s):
                s.inputs = _inputs(s)
                return
    except T.Untypeable as e:
        s.failure = (str(e), _span)
    except Conflict as e:
        s.failure = (f"a value may be {e}", _span)


def _pass(s: Spec) -> bool:
    """One pass over the live blocks in reverse postorder; whether another is needed.

    A pass types each instruction from its operands' types; in reverse postorder every
    operand is typed (in this pass) before its use, except the parameters of a block
    entered by a back edge. So a second pass can only differ from this one if something
    an instruction read changed after it read it: a parameter of a block already passed
    (a back edge), a block already passed that became live, an array's element type, a
    global, or this specialisation's own result type when it calls itself. Otherwise
    this pass has reached the fixed point (and the next would change nothing)."""
    cells, globals_version = Cell.version, s.prog.globals_version
    ret = key(s.ret)
    again = False
    live, position = s.live, s.position
    for i, b in enumerate(s.blocks):
        if b not in live:
            continue
        for instr in b.instrs:
            if instr.op.is_terminator():
                again |= _branch(s, instr, i, position)
                break
            if _instr(s, instr):
                break  # the rest of the block is dead (lowering still fills it)
    if again:
        return True
    if s.has_arrays and Cell.version != cells:
        return True
    if s.reads_globals and s.prog.globals_version != globals_version:
        return True
    return key(s.ret) != ret and any(c is s for c in s.callees.values())


#: Ops that stop the program whatever their operands.
STOPS = frozenset({"error", "match_fail", "panic", "assert_fail"})


_span: Span = NO_SPAN  # the instruction being analysed, for failure messages


def _branch(s: Spec, instr: Instruction, i: int, position: dict) -> bool:
    """A terminator in the block at position ``i``: its feasible targets become live
    and their parameters take in the arguments' types. Whether a block at or before
    ``i`` (already passed) changed: then the pass must be repeated."""
    global _span
    _span = instr.span
    types = s.types
    operands = instr.operands
    succs = instr.succs
    name = instr.op.name
    if name == "cond_br" and operands[0] in s.consts:
        succs = [succs[0] if s.consts[operands[0]] is True else succs[1]]
    again = False
    for succ in succs:
        target = succ.block
        behind = position[target] <= i
        if target not in s.live:
            s.live.add(target)
            again |= behind
        for p, a in zip(target.params, succ.args):
            t = types.get(a)
            if t is not None:
                try:
                    again |= _set(s, p, t) and behind
                except Conflict as e:
                    hint = p.name.split(".")[0]
                    raise T.Untypeable(f"'{hint}' may hold {e}") from None
    if name == "ret" and all(types.get(v) is not None for v in operands):
        old = key(s.ret)
        s.ret = join(s.ret, types[operands[0]] if operands else "unit")
        if key(s.ret) != old:
            s.prog.version += 1
    return again


def _instr(s: Spec, instr: Instruction) -> bool:
    """Type one instruction (not a terminator); whether control never passes it (it
    always fails, calls a function that never returns, or is not reached with values
    yet): the rest of its block is then not looked at in this pass."""
    global _span
    _span = instr.span
    types = s.types
    ts = [types.get(v) for v in instr.operands]
    if None in ts:
        return True  # not reached with a value yet (or never: dead code)
    name = instr.op.name
    r = _rule(s, instr, name, ts)
    if isinstance(r, T.Fails):
        s.fails[instr] = r.message
        return True
    if instr.op.result and r is not None:
        _set(s, instr, r)
        _fold(s, instr, name)
    if name in STOPS or instr in s.fails:
        return True
    callee = s.callees.get(instr)
    return callee is not None and callee.ret is None


def _fold(s: Spec, instr: Instruction, name: str) -> None:
    """Record the constant value of a pure op (named ``name``) whose operands are all
    constants."""
    if name == "const":
        s.consts[instr] = instr.imms[0]
    elif name == "is_type":  # known from the type: a method call's dispatch is decided
        s.consts[instr] = is_of(s.types[instr.operands[0]], instr.imms[0])
    elif PURE in instr.op.traits and instr.operands and all(v in s.consts for v in instr.operands):
        v = instr.op.fold(instr.imms, [s.consts[o] for o in instr.operands])
        if v is not NO_FOLD:
            s.consts[instr] = v


#: The Level 3 ops compiled code has (codegen/ops_values.py): on tuples, structs and
#: enums whose fields are scalars (typerules/values.compiled).
LEVEL3_OPS = frozenset({"make", "extract", "insert", "variant", "tag", "payload",
                        "is_type", "check_tuple"})

#: The other ops that take such values: moved (copy, call), printed (format, and
#: match_fail's message), compared, and kept in arrays (``[p, q]``, ``[p; n]``,
#: ``a[i] = p``: arrays of records, codegen/ops_records.py). Any other op given one
#: stays in the interpreter.
LEVEL3_OPERANDS = LEVEL3_OPS | {"copy", "call", "format", "match_fail", "eq", "ne", "lt",
                                "le", "gt", "ge", "method", "array", "repeat", "set_index",
                                "assert_eq", "assert_ne"}

#: Methods of arrays that take an element as an argument (an array of records too).
ELEMENT_METHODS = frozenset({"push", "insert", "contains"})

#: The ops compiled code has (codegen/function.py's handlers; typed ops besides): the
#: rule table types more (closures, method calls...), which stay in the interpreter.
COMPILED = LEVEL3_OPS | frozenset({
    *BINARY, *UNARY, "const", "copy", "call", "method", "truth", "is_true",
    "matches", "in_range", "to_int", "to_float", "to_bool", "array", "repeat", "index",
    "set_index", "elem_mut", "elem_own", "by_ref", "snapshot", "len", "check_range",
    "text", "format", "print",
    "eprint", "load_global", "store_global", "error", "match_fail", "panic",
    "assert_fail", "assert_eq", "assert_ne"})


def _rule(s: Spec, instr: Instruction, name: str, ts: list[RType]):
    """The result type of ``instr`` (op ``name``) for operand types ``ts``: the rule
    table's (typerules/table.py), for the ops and types compiled code has."""
    if name not in COMPILED and not T.is_typed_op(instr):
        raise T.Untypeable(_not_compiled(s, instr, ts))
    if name not in LEVEL3_OPERANDS and any(level3(t) for t in ts):
        raise T.Untypeable(_not_compiled(s, instr, ts))
    if name == "method" and not level3(ts[0]) and any(level3(t) for t in ts[1:]) and not (
            isinstance(ts[0], ArrT) and instr.imms[0] in ELEMENT_METHODS):
        raise T.Untypeable(_not_compiled(s, instr, ts))
    if name == "by_ref" and level3(ts[0]):  # (the IR has no in-out place for it)
        raise T.Untypeable(f"'&mut' of {describe(ts[0])} passed to a parameter not "
                           "declared '&mut' is not compiled")
    r = T.rule_of(instr)(s, instr, ts)  # (types here are static: any rule applies)
    if r == ANY or (level3(r) and not compiled_value(r)):
        raise T.Untypeable(_not_compiled(s, instr, ts, r))
    if name in ("format", "match_fail", "assert_eq", "assert_ne"):
        _check_printed(s, instr, ts)
    if name in ("eq", "ne", "lt", "le", "gt", "ge", "assert_eq", "assert_ne") and \
            level3(_innermost(ts[0])):
        impls = getattr(s.module, "impls", {})
        traits = ("PartialEq",) if name in ("eq", "ne", "assert_eq", "assert_ne") \
            else ("PartialOrd", "Ord")
        for n in named_types(_innermost(ts[0])):
            if any((n, tr) in impls for tr in traits):
                raise T.Untypeable(f"comparing values of type {n}, which implements "
                                   f"{' or '.join(traits)}, is not compiled yet")
    return r


def _check_printed(s: Spec, instr: Instruction, ts: list[RType]) -> None:
    """Formatting a Level 3 value (or an array of them) is compiled for ``{}``, ``{:?}``
    and ``{:#?}`` of a value whose types print in the derived form (no ``impl
    Display``/``Debug``)."""
    from ..runtime.fmt import DEBUG, PLAIN, Spec as FmtSpec, parse_format
    ts = [_innermost(t) for t in ts]
    if not any(level3(t) for t in ts):
        return
    if instr.op.name == "format":
        specs = [p[1] for p in parse_format(instr.imms[0]) if not isinstance(p, str)]
        plain = (PLAIN, DEBUG, FmtSpec(type="?", alt=True))
        if len(specs) != len(ts) or any(sp not in plain for sp in specs):
            raise T.Untypeable("formatting a struct, tuple or enum with a width, precision "
                               "or flags is not compiled yet")
    impls = getattr(s.module, "impls", {})
    for t in ts:
        for name in named_types(t):
            if (name, "Display") in impls or (name, "Debug") in impls:
                raise T.Untypeable(f"formatting a value of type {name}, which implements "
                                   "Display or Debug, is not compiled yet")


def _innermost(t: RType) -> RType:
    """The element type of an array (of arrays...) of ``t``; ``t`` if not an array."""
    for _ in range(32):
        if not isinstance(t, ArrT):
            break
        t = t.elem
    return t


def _not_compiled(s: Spec, instr: Instruction, ts: list[RType], r: object = None) -> str:
    """Why ``instr`` is not compiled: its op, and the Level 3 type it makes or reads."""
    name = instr.op.name
    if r is None:
        try:
            r = T.result(s, instr, ts)
        except (T.Untypeable, Conflict):
            r = None
    l3 = next((t for t in (r, *ts) if level3(t)), None)
    if l3 is not None:
        if name in LEVEL3_OPERANDS and not compiled_value(l3):
            return f"{describe(l3)} holding {leaf_kinds(l3)} is not compiled yet " \
                   "(compiled code has tuples, structs and enums of ints, floats and bools)"
        if name == "method":  # (a Vec of structs: `.push(p)`, say)
            return f"the method '.{instr.imms[0]}()' with {describe(l3)} is not compiled " \
                   "yet (Level 3 values stay in the interpreter)"
        return f"the op '{name}' on {describe(l3)} is not compiled yet (Level 3 values " \
               "stay in the interpreter)"
    return f"the op '{name}' is not compiled"


def explain(prog: Program) -> list[str]:
    """One line per untypeable specialisation: where, and why."""
    lines = []
    for s in prog.failures:
        msg, sp = s.failure
        where = f"{prog.module.source or '?'}:{sp.line}:{sp.col}: " if sp.line else ""
        sig = ", ".join(describe_sig(k) for k in s.sig)
        lines.append(f"{where}@{s.func.name}({sig}) stays in the interpreter: {msg}")
    return lines


def describe_sig(k: str) -> str:
    return k.replace("i64", "int").replace("f64", "float").replace("str", "string")


__all__ = ["Program", "Spec", "infer_program", "explain", "describe", "BlockParam"]
