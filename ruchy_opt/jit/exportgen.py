"""LLVM code for a single specialisation with an entry Python can call (see native.py).

The module is generated exactly as the whole-program compiler generates one; only the
entry differs: instead of ``ruchy_run()`` it exports ``EXPORT(depth, args...)``, which
takes booleans as bytes (a C ``i1`` has no defined upper bits; ctypes passes a byte)
and flushes the output buffer before it returns.

Tier-1 code also counts its heat for the runtime: an internal ``[2 x i64]`` (calls,
loop back edges) that every function of the module increments at its entry and on each
back edge (codegen/function.py ``count``), and the export :data:`HEAT` returning its
address (a function, so the global stays internal and every access is direct, and
ctypes finds it in a cached shared object as it finds the entry). Callees compiled into
the module add to the same counters: their work is what recompiling the entry at tier 2
speeds up.

The REPL's code can also be stopped (``poll``): an internal ``i32`` flag that every
function reads at its entry and on each loop back edge (codegen/function.py ``poll``),
the export :data:`STOP` returning its address, and ``ruchy.stopped``, which a poll that
finds the flag set calls: it flushes what the program printed and calls the C library's
``exit(130)``, the status of an interrupted run, which the session survives as it
survives a runtime error (repl/execute.py). The session sets the flag on Ctrl-C
(repl/interrupt.py).
"""
from __future__ import annotations

from ..codegen import llir as ir

from ..codegen.lltypes import I1, I8, I32, I64, PTR, VOID, lltype
from ..codegen.module import ModuleGen
from ..errors import SourceFile
from .native import HEAT, STOP  # the addresses of the counters and the stop flag


class ExportGen(ModuleGen):
    """ModuleGen whose entry is the exported function named ``export``."""

    def __init__(self, prog, src: SourceFile, export: str, count: bool = False,
                 twins: bool = False, poll: bool = False) -> None:
        super().__init__(prog, src, twins=twins)
        self.export = export
        if poll:
            self.stop = ir.GlobalVariable(self.module, I32, name="ruchy.stop")
            self.stop.linkage = "internal"
            self.stop.initializer = ir.Constant(I32, 0)
            fn = ir.Function(self.module, ir.FunctionType(PTR, []), name=STOP)
            ir.IRBuilder(fn.append_basic_block("entry")).ret(self.stop.bitcast(PTR))
            exit_ = ir.Function(self.module, ir.FunctionType(VOID, [I32]), name="exit")
            exit_.attributes.add("noreturn")
            stopped = self.stopped = ir.Function(self.module, ir.FunctionType(VOID, []),
                                                 name="ruchy.stopped")
            stopped.linkage = "internal"
            stopped.attributes.update(("cold", "noinline", "noreturn"))
            b = ir.IRBuilder(stopped.append_basic_block("entry"))
            b.call(self.runtime("rt_flush"), [])
            b.call(exit_, [ir.Constant(I32, 130)])
            b.unreachable()
        if count:
            ty = ir.ArrayType(I64, 2)
            self.heat = ir.GlobalVariable(self.module, ty, name="ruchy.heat")
            self.heat.linkage = "internal"
            self.heat.initializer = ir.Constant(ty, None)
            fn = ir.Function(self.module, ir.FunctionType(PTR, []), name=HEAT)
            ir.IRBuilder(fn.append_basic_block("entry")).ret(self.heat.bitcast(PTR))

    def _entry(self) -> None:
        spec = self.prog.entry
        ret = spec.ret
        from ..typerules.values import aggregate
        out = aggregate(ret)  # a tuple, Option, Result: its scalars stored at a pointer
        ll_ret = VOID if ret in (None, "unit") or out else (
            I8 if ret == "bool" else lltype(ret))
        params = [I64] + [I8 if x == "bool" or x == "unit" else lltype(x)
                          for p in spec.params for x in _scalars(p)] + ([PTR] if out else [])
        fn = ir.Function(self.module, ir.FunctionType(ll_ret, params), name=self.export)
        b = ir.IRBuilder(fn.append_basic_block("entry"))
        args = [fn.args[0]]
        given = iter(fn.args[1:])
        for p in spec.params:
            args.append(_rebuilt(b, p, given))
        r = b.call(self._fns[spec], args)
        if ret is None:  # the function never returns (it always fails)
            b.unreachable()
            return
        b.call(self.runtime("rt_flush"), [])
        if out:
            slots = [b.zext(x, I64) if t in ("bool", "unit") else x
                     for x, t in _leaves(b, r, ret)]
            for k, x in enumerate(slots):
                at = b.gep(fn.args[-1], [ir.Constant(I64, k)], inbounds=True,
                           source_etype=I64)
                b.store(x, at)
            b.ret_void()
        elif ret == "unit":
            b.ret_void()
        elif ret == "bool":
            b.ret(b.zext(r, I8))
        else:
            b.ret(r)


def _scalars(t) -> list:
    """The scalars an entry takes for a parameter of type ``t``: itself, or a tuple's,
    struct's or enum's one by one (the order of jit/boxing.value_leaves)."""
    from ..typerules.values import aggregate
    if not aggregate(t):
        return [t]
    from .boxing import leaf_types
    return leaf_types(t)


def _rebuilt(b: ir.IRBuilder, t, given) -> ir.Value:
    """The value of type ``t`` from the entry's next arguments (bools as bytes)."""
    from ..codegen.lltypes import UNIT, members
    from ..typerules.values import aggregate
    if not aggregate(t):
        a = next(given)
        if t == "bool":
            return b.icmp_unsigned("!=", a, ir.Constant(I8, 0))
        return UNIT if t == "unit" else a
    v = ir.Constant(lltype(t), None)
    for k, m in enumerate(members(t)):
        v = b.insert_value(v, _rebuilt(b, m, given), k)
    return v


def _leaves(b: ir.IRBuilder, v: ir.Value, t) -> list:
    """The scalars of value ``v`` of type ``t`` with their types, in member order."""
    from ..codegen.lltypes import members
    from ..typerules.values import aggregate
    if not aggregate(t):
        return [(v, t)]
    return [x for k, m in enumerate(members(t)) for x in _leaves(b, b.extract_value(v, k), m)]


def generate_export(prog, src: SourceFile, export: str, count: bool = False,
                    twins: bool = False, poll: bool = False) -> ir.Module:
    """The LLVM module (codegen/llir.py) of ``prog`` from its entry, with the export (and
    the heat counters and :data:`HEAT` with ``count``, the stop flag and :data:`STOP`
    with ``poll``)."""
    return ExportGen(prog, src, export, count, twins, poll).build()


__all__ = ["ExportGen", "generate_export", "HEAT", "I1", "STOP"]
