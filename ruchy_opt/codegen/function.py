"""Code generation for one specialised function: typed SSA -> LLVM IR.

Block parameters become phi nodes. Values are unboxed (lltypes.py). Every compiled
function takes the current call depth as a hidden first argument: a call checks it
against the interpreter's limit and raises ``stack overflow`` at the call, so unbounded
recursion is an error, never a crash, and fails at the same depth as the other tiers.
The exception is the fast body of a recursion that an argument bounds (recursion.py):
no depth, no check, and its first test, in the checked body, proves it needs none.

An instruction whose operands have no type is never reached (its operand comes from an
operation that always fails): the block ends there with ``unreachable``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from . import llir as ir

from ..ir.core import Block, BlockParam, Instruction, Value
from ..ir.dominance import reverse_postorder
from ..irinterp.machine import MAX_CALL_DEPTH
from ..syntax.ast import NO_SPAN, Span
from .infer import STOPS, Spec
from .aliases import elided
from .lifetimes import free_points
from .owned import private_writes
from .lltypes import I1, I32, I64, UNIT, lltype
from . import versioning
from ..typerules.rtypes import RType
from .runtime import allocating

if TYPE_CHECKING:
    from .module import ModuleGen
    from .puresum import Plan

#: opname -> handler(gen, instr) returning the LLVM value of the result (or None).
Handler = Callable[["FunctionGen", Instruction], Optional[ir.Value]]
HANDLERS: dict[str, Handler] = {}


def handles(*names: str) -> Callable[[Handler], Handler]:
    """Decorator: register an op handler under one or more op names."""
    def reg(fn: Handler) -> Handler:
        for n in names:
            HANDLERS[n] = fn
        return fn
    return reg


#: the terminators (where arrays are freed or made private before the branch)
_BRANCHES = frozenset(("br", "cond_br", "ret"))


class Dead(Exception):
    """The rest of the block is never reached (an op that always fails was emitted)."""


class FunctionGen:
    """Builds the LLVM body of one specialisation."""

    def __init__(self, mg: "ModuleGen", spec: Spec, fn: ir.Function,
                 checked: bool = True, sums: Optional["Plan"] = None,
                 pure: bool = False) -> None:
        self.mg = mg
        self.spec = spec
        self.fn = fn
        #: the call depth (the hidden first argument), or None in a fast body
        #: (``checked`` False: see recursion.py), whose calls need no check
        self.depth: Optional[ir.Value] = fn.args[0] if checked else None
        self.params = fn.args[1:] if checked else fn.args
        self.values: dict[Value, ir.Value] = {}
        self.blocks: dict[Block, ir.Block] = {}
        self.b = ir.IRBuilder()
        self._fails: dict[tuple[str, Span], ir.Block] = {}
        self._stop: Optional[ir.Block] = None  # the block a poll that stops goes to
        #: whether loop back edges count heat or poll the stop flag (jit/exportgen.py)
        self.safepoints = mg.heat is not None or mg.stop is not None
        #: the position of the instruction being compiled (out of memory is said there)
        self.span: Span = NO_SPAN
        self._allocating = allocating()
        #: format instructions whose text stays in the buffer for the print after them
        self.fused: set[Instruction] = set()
        self.aliases: set[Instruction] = set()
        #: instructions whose checks are proven to pass (a versioned loop's copy)
        self.proven: frozenset = frozenset()
        self.versioned: dict[Block, "versioning.Plan"] = {}
        self.merges: dict[Block, list] = {}  # exit block -> [(header param, merging phi)]
        #: a pure recursive sum's plan (puresum.py), in its fast body (``pure`` False:
        #: its self-calls go to the pure body, whose results it checks) or its pure one
        self.sums = sums
        self.pure = pure
        #: additions computed without a check, returning at once if they overflow
        self.sum_adds: frozenset = sums.sums if sums is not None and pure else frozenset()
        if sums is not None:
            self.proven = sums.safe

    # ---- helpers for op handlers ------------------------------------------------------

    def type(self, v: Value) -> RType:
        return self.spec.types.get(v)

    def val(self, v: Value) -> ir.Value:
        return self.values[v]

    def widened(self, v: Value, t: RType) -> ir.Value:
        """The value of ``v`` as a value of type ``t``, which may be wider: an enum whose
        variants ``v``'s type lacks (a phi or a return joining ``Some(x)`` and ``None``:
        ops_values.coerce)."""
        from .ops_values import coerce
        return coerce(self, self.values[v], self.type(v), t)

    def rt(self, name: str, *args: ir.Value) -> ir.Value:
        """Call a runtime function. Before one that may run out of memory, the
        diagnostic of the instruction being compiled goes to ``@rt_oom_at``, which the
        runtime prints if it does (a store of a constant: nothing next to the call)."""
        if name in self._allocating:
            self.b.store(self.mg.diag.static("out of memory", self.span), self.mg.oom_at())
        return self.b.call(self.mg.runtime(name), list(args))

    def fail_now(self, message: str, span: Span) -> None:
        """Raise a runtime error here; the block ends."""
        self.rt("rt_fail_c", self.mg.diag.static(message, span))
        self.b.unreachable()
        raise Dead()

    def check(self, bad: ir.Value, message: str, span: Span) -> None:
        """Fail with ``message`` if ``bad`` is true; continue in a new block otherwise."""
        k = (message, span)
        fb = self._fails.get(k)
        if fb is None:
            fb = self._fails[k] = self.fn.append_basic_block("fail")
            # (what goto_block(fb) does for a new, empty block, without the context
            # manager's cost: one check per arithmetic op or call)
            here = self.b.block
            self.b.position_at_end(fb)
            self.rt("rt_fail_c", self.mg.diag.static(message, span))
            self.b.unreachable()
            self.b.position_at_end(here)
        cont = self.fn.append_basic_block("ok")
        self.b.cbranch(bad, fb, cont)
        self.b.position_at_end(cont)

    def fail_built(self, span: Span, prefix: str = "") -> None:
        """Fail with ``prefix`` + the text the buffer holds (built by the caller)."""
        pre, post = self.mg.diag.around(span, prefix)
        self.rt("rt_fail_buf", pre, post)
        self.b.unreachable()
        raise Dead()

    # ---- the function -------------------------------------------------------------------

    def generate(self) -> None:
        f = self.spec.func
        order = [b for b in reverse_postorder(f) if b in self.spec.live]
        entry = self.fn.append_basic_block("entry")
        # the checked body of a function with a fast one starts after the test of the
        # bound, which the entry block holds
        fast = self.mg.fast.get(self.spec) if self.depth is not None else None
        start = entry if fast is None else self.fn.append_basic_block("checked")
        # with polls, the entry block polls and the function's first block follows it
        # (no branch ever targets the IR's entry block, so it may move)
        first = start if self.mg.stop is None else self.fn.append_basic_block("body")
        for blk in order:
            self.blocks[blk] = first if blk is f.entry else self.fn.append_basic_block(blk.name)
        for p, a in zip(f.params, self.params):
            self.values[p] = a
        for blk in order[1:]:
            self.b.position_at_end(self.blocks[blk])
            for p in blk.params:
                t = self.type(p)
                if t is not None:
                    self.values[p] = self.b.phi(lltype(t), name=p.name)
        for blk in self.spec.func.blocks:
            if blk not in self.blocks:  # typing proved no edge into it is ever taken
                self.blocks[blk] = self.fn.append_basic_block(blk.name)
                ir.IRBuilder(self.blocks[blk]).unreachable()
        #: copies and snapshots that are the array they read (aliases.py)
        self.aliases = elided(f, self.spec.types, self.spec.live)
        self.free_on_entry, self.free_at_end = free_points(f, self.spec.types,
                                                           self.spec.live, self.aliases)
        self.no_own, self.own_before_branch = private_writes(f, self.spec.types,
                                                             self.spec.live, order)
        plans = versioning.plan_loops(self, order)
        for plan in plans:
            versioning.prepare(self, plan)
            self.versioned[plan.header] = plan
        self.rpo = {blk: i for i, blk in enumerate(order)}
        if fast is not None:
            self.b.position_at_end(entry)
            self.enter_fast(fast[0], start)
        self.b.position_at_end(start)
        self.count(0)  # a call (tier-1 JIT code only)
        if first is not start:
            self.poll(first)
        for blk in order:
            self.b.position_at_end(self.blocks[blk])
            if plans:
                versioning.view(self, plans, blk)
            self.emit_block(blk)
        for plan in plans:
            versioning.emit_copy(self, plan, plans)

    def enter_fast(self, fast: ir.Function, checked: ir.Block) -> None:
        """Run the fast body when the recursion's bound proves that no call below this
        one reaches the depth limit (recursion.py): ``p < c``, or ``p - c`` (exact
        unsigned when ``p >= c``) below ``MAX_CALL_DEPTH - depth``; else ``checked``."""
        index, low = self.mg.bounds[self.spec]
        b = self.b
        p, c = self.params[index], ir.Constant(I64, low)
        assert self.depth is not None
        room = b.sub(ir.Constant(I64, MAX_CALL_DEPTH), self.depth)
        fits = b.or_(b.icmp_signed("<", p, c), b.icmp_unsigned("<", b.sub(p, c), room))
        go = self.fn.append_basic_block("fast")
        b.cbranch(fits, go, checked)
        b.position_at_end(go)
        b.ret(b.call(fast, list(self.params)))

    def emit_block(self, blk: Block) -> None:
        """The code of one block, where the builder is."""
        if any(self.type(p) is None for p in blk.params):
            self.b.unreachable()  # no edge into it carries values: never reached
            return
        arrays = self.free_on_entry.get(blk)
        if arrays:
            self.free(arrays)
        try:
            for instr in blk.instrs:
                self.instruction(instr)
        except Dead:
            pass

    def _enter(self, src: Block, target: Block, args) -> Optional[ir.Block]:
        """The guard block of an edge into a versioned loop from outside it."""
        plan = self.versioned.get(target)
        if plan is None or src in plan.blocks:
            return None
        return versioning.enter(self, plan, args)

    def instruction(self, instr: Instruction) -> None:
        # (runs once per instruction: plain loops and look-ups rather than any() over
        # the generator Instruction.uses(), and the op's name read once)
        spec = self.spec
        types = spec.types
        self.span = instr.span
        for v in instr.operands:
            if types.get(v) is None:
                self.b.unreachable()
                raise Dead()
        for s in instr.succs:
            for v in s.args:
                if types.get(v) is None:
                    self.b.unreachable()
                    raise Dead()
        if instr in spec.fails:
            self.fail_now(spec.fails[instr], instr.span)
        name = instr.op.name
        if name in _BRANCHES:
            blk = instr.block
            arrays = self.free_at_end.get(blk)
            if arrays:
                self.free(arrays)
            arrays = self.own_before_branch.get(blk)
            if arrays:
                self.make_private(arrays)
            self.terminator(instr)
            return
        if name == "call":
            self.values[instr] = self.call(instr)
            return
        handler = HANDLERS.get(name) or HANDLERS.get(name.split(".")[0] + ".*")
        if handler is None:  # typing accepted it, so this is a bug here; say so clearly
            raise NotImplementedError(f"codegen for op '{name}'")
        r = handler(self, instr)
        if r is not None:
            self.values[instr] = r
        if name in STOPS:
            self.b.unreachable()
            raise Dead()

    def call(self, instr: Instruction) -> ir.Value:
        callee = self.spec.callees[instr]
        args: list[ir.Value] = []
        if self.depth is not None:  # (a fast body's calls cannot reach the limit)
            deep = self.b.icmp_unsigned(">=", self.depth, ir.Constant(I64, MAX_CALL_DEPTH))
            self.check(deep, "stack overflow", instr.span)
            args.append(self.b.add(self.depth, ir.Constant(I64, 1)))
        args += [self.val(a) for a in instr.operands]
        r = self.b.call(self.mg.callee(self.fn, callee), args)
        if callee.ret is None:  # it never returns
            self.b.unreachable()
            raise Dead()
        if self.sums is not None:  # a negative result is a sum's overflow (puresum.py)
            if self.pure:
                self.return_if_negative(r, r)
            else:
                self.overflowed_below(r)
        return r

    def return_if_negative(self, v: ir.Value, code: ir.Value) -> None:
        """In a pure body (puresum.py): return ``code`` now if ``v`` is negative (the
        overflow of a sum, which the fast body reports)."""
        b = self.b
        out = self.fn.append_basic_block("overflowed")
        cont = self.fn.append_basic_block("ok")
        b.cbranch(b.icmp_signed("<", v, ir.Constant(I64, 0)), out, cont)
        b.position_at_end(out)
        b.ret(code)
        b.position_at_end(cont)

    def overflowed_below(self, r: ir.Value) -> None:
        """In a pure sum's fast body (puresum.py), after a call of the pure one: fail if
        it gave ``-1 - k``, with ``integer overflow`` at the position of sum ``k``."""
        assert self.sums is not None
        spans = self.sums.spans
        b = self.b
        neg = b.icmp_signed("<", r, ir.Constant(I64, 0))
        if len(spans) == 1:
            self.check(neg, "integer overflow", spans[0])
            return
        which = self.fn.append_basic_block("overflowed")
        cont = self.fn.append_basic_block("ok")
        b.cbranch(neg, which, cont)
        b.position_at_end(which)
        k = b.sub(ir.Constant(I64, -1), r)
        for n, span in enumerate(spans[:-1]):
            self.check(b.icmp_unsigned("==", k, ir.Constant(I64, n)), "integer overflow", span)
        try:
            self.fail_now("integer overflow", spans[-1])
        except Dead:
            pass
        b.position_at_end(cont)

    def count(self, slot: int) -> None:
        """Add one to the module's heat counter ``slot`` (0: calls, 1: loop back edges)
        when it has them: tier-1 code of the tiered runtime (jit/exportgen.py), which
        reads them to promote to tier 2. A plain, non-atomic add, alias-tagged so that
        LLVM may keep it in a register through a loop that makes no calls."""
        heat = self.mg.heat
        if heat is None:
            return
        b = self.b
        p = b.gep(heat, [ir.Constant(I32, 0), ir.Constant(I32, slot)], inbounds=True)
        v = b.load(p)
        v.set_metadata("tbaa", self.mg.tbaa("heat"))
        b.store(b.add(v, ir.Constant(I64, 1)), p).set_metadata("tbaa", self.mg.tbaa("heat"))

    def poll(self, cont: Optional[ir.Block] = None) -> None:
        """Look at the module's stop flag (when it has one: the REPL's code, which the
        session stops on Ctrl-C): set, call what stops the program; else go on at
        ``cont``, or in a new block. An atomic (monotonic) load, so that LLVM reads
        the flag at every poll rather than once before a loop."""
        b = self.b
        flag = b.load_atomic(self.mg.stop, "monotonic", 4)
        stopped = b.icmp_unsigned("!=", flag, ir.Constant(I32, 0))
        if self._stop is None:
            self._stop = self.fn.append_basic_block("stop")
            here = b.block
            b.position_at_end(self._stop)
            b.call(self.mg.stopped, [])
            b.unreachable()
            b.position_at_end(here)
        go = cont if cont is not None else self.fn.append_basic_block("go")
        b.cbranch(stopped, self._stop, go)
        if cont is None:
            b.position_at_end(go)

    def safepoint(self) -> None:
        """A loop back edge: counted (tier-1 JIT code) and polled (the REPL's code)."""
        self.count(1)
        if self.mg.stop is not None:
            self.poll()

    def back_edge(self, src: Block, target: Block) -> bool:
        """Whether ``src -> target`` goes back to a loop header (retreating in reverse
        postorder; the CFGs lowering makes are reducible)."""
        return self.rpo.get(target, 1 << 30) <= self.rpo.get(src, -1)

    def free(self, arrays) -> None:
        """Free arrays this function made and no longer uses (lifetimes.py)."""
        for a in arrays:
            v = self.values.get(a)
            if v is not None:
                self.rt("rt_arr_free", v)

    def make_private(self, arrays) -> None:
        """Copy-on-write tests hoisted in front of a loop (owned.py)."""
        from .ops_data import elem_type, own
        for a in arrays:
            v = self.values.get(a)
            if v is not None:
                own(self, v, elem_type(self.type(a)))

    def terminator(self, instr: Instruction) -> None:
        b = self.b
        name = instr.opname
        if name == "ret":
            ret = self.spec.ret
            if ret == "unit" or not instr.operands:
                b.ret(UNIT if ret in ("unit", None) else ir.Constant(lltype(ret), None))
            else:
                b.ret(self.widened(instr.operands[0], ret))
            return
        if name == "br":
            self._jump(instr.block, instr.succs[0])
            return
        known = self.spec.consts.get(instr.operands[0])
        if known is not None:  # typing followed only this edge; the other may not fit
            self._jump(instr.block, instr.succs[0 if known is True else 1])
            return
        cond = self.val(instr.operands[0])
        here = b.block
        targets = []
        for k, s in enumerate(instr.succs):
            guard = self._enter(instr.block, s.block, s.args)
            if guard is not None:
                targets.append(guard)
            elif (s.block.params and (k == 1 and instr.succs[0].block is s.block)) or (
                    self.safepoints and self.back_edge(instr.block, s.block)):
                # both edges go to one block: split so each phi entry has its own edge
                # (and a back edge counted or polled gets its own block)
                edge = self.fn.append_basic_block("edge")
                b.position_at_end(edge)
                if self.back_edge(instr.block, s.block):
                    self.safepoint()
                self._edge(s.block, s.args)
                b.branch(self.blocks[s.block])
                b.position_at_end(here)
                targets.append(edge)
            else:
                self._edge(s.block, s.args)
                targets.append(self.blocks[s.block])
        b.cbranch(cond, targets[0], targets[1])

    def _jump(self, src: Block, succ: Any) -> None:
        """An unconditional branch along ``succ`` (a successor with its arguments),
        through a versioned loop's entry guard when ``succ`` enters one."""
        guard = self._enter(src, succ.block, succ.args)
        if guard is not None:
            self.b.branch(guard)
            return
        if self.safepoints and self.back_edge(src, succ.block):
            self.safepoint()
        self._edge(succ.block, succ.args)
        self.b.branch(self.blocks[succ.block])

    def _edge(self, target: Block, args: list[Value]) -> None:
        here = self.b.block
        for p, a in zip(target.params, args):
            phi = self.values.get(p)
            if phi is not None:
                phi.add_incoming(self.widened(a, self.type(p)), here)
        for p, phi in self.merges.get(target, ()):  # leaving a versioned loop
            phi.add_incoming(self.values[p], here)


def const_bool(v: bool) -> ir.Constant:
    return ir.Constant(I1, int(v))


__all__ = ["FunctionGen", "HANDLERS", "handles", "Dead", "const_bool", "BlockParam"]
