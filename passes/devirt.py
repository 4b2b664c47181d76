"""Devirtualization: a call through a closure or function value whose ``closure``
instruction is in view becomes a direct call, so that ``inline`` and the
interprocedural passes can follow it.

``call_closure %f, %a`` where ``%f`` is ``closure @g, %c`` (directly, or through
``copy``, which leaves a closure as it is) is ``call @g, %c, %a``: the captured
values first, as closure conversion put them (lower/closures.py). The values
dominate the call, since the ``closure`` instruction they feed does. A call with the
wrong number of arguments is left alone: it fails at run time, as in tier 0, with
the closure's own message.

    let k = 3
    let add = |x| x + k     ; %add = closure @top.closure.0, %k
    add(4)                  ; call_closure %add, %4  ->  call @top.closure.0, %k, %4

A trait-method call (``call_method "area", MODE, %s``, ir/traits.py) whose
receiver's type is known, because ``%s`` is a ``make !T``/``variant !T`` in view
(through ``copy``) or a value typed ``!T``, is the call of the function T's method
table lists (``impl !T { area = @T::area }``): ``call @T::area, %s``. A receiver taken
by value (``"self"``) gets its ``copy`` first, as the op would make; an in-out one
(``"&mut self"``) returns the same tuple either way. A type without the method is
left alone (the op runs a built-in method or fails).

    let c = Circle { r: 1.0 }   ; %c = make !Circle, %r
    print_dyn(&c)               ; after inline: call_method "area", "&self", %c
                                ;   ->  call @Circle::area, %c

``T::name()`` on a generic type parameter is a chain of ``type_is`` tests, each
guarding one direct call (lower/generics.py). A test whose answer is known, because
its class is the ``type_of`` a ``make !T`` in view or a ``type_token`` (ir/ops_typearg
``TypeIs.known``), becomes that constant: simplifycfg then keeps only the call it
chooses.

    fn describe<T: Shape>(t: &T) { T::name() }   ; %c = type_of %t
    describe(&Sq { s: 1 })      ; after inline: type_is !Sq, %c  ->  const true
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ruchy_opt.ir import Builder
from ruchy_opt.ir import NO_FOLD
from ruchy_opt.ir.core import Function, Instruction, Value
from ruchy_opt.ir.traits import target_for
from ruchy_opt.ir.types import NamedType
from ruchy_opt.passmgr import PRESERVES_CFG, FunctionPass, PassContext
from ruchy_opt.passmgr.transform import replace_instr


def known_closure(v: Value) -> Optional[Instruction]:
    """The ``closure`` instruction whose value ``v`` is, looking through ``copy``."""
    seen = 0
    while isinstance(v, Instruction) and v.op.name == "copy" and seen < 64:
        v, seen = v.operands[0], seen + 1
    return v if isinstance(v, Instruction) and v.op.name == "closure" else None


def known_type(v: Value) -> Optional[str]:
    """The named type (struct or enum) value ``v`` surely has: a ``make !T`` or
    ``variant !T`` in view (through ``copy``), or a value typed ``!T``."""
    seen = 0
    while isinstance(v, Instruction) and v.op.name == "copy" and seen < 64:
        v, seen = v.operands[0], seen + 1
    if isinstance(v, Instruction) and v.op.name in ("make", "variant") and \
            isinstance(v.imms[0], NamedType):
        return v.imms[0].name
    return v.type.name if isinstance(v.type, NamedType) else None


@dataclass(frozen=True)
class Devirt(FunctionPass):
    """Calls through a closure, or of a trait method, whose target is known become
    direct calls; type-parameter dispatches whose type is known are decided
    (devirtualization)."""

    name = "devirt"
    preserves = PRESERVES_CFG

    def run_on_function(self, func: Function, ctx: PassContext) -> bool:
        module = func.module
        changed = False
        for call in [i for i in func.instructions() if i.op.name == "call_closure"]:
            clo = known_closure(call.operands[0])
            if clo is None:
                continue
            target = module.functions.get(str(clo.imms[0])) if module is not None else None
            args = [*clo.operands, *call.operands[1:]]
            if target is None or len(target.params) != len(args):
                continue  # (the call fails at run time with the closure's message)
            replace_instr(call, "call", args, (clo.imms[0],))
            ctx.stat("calls devirtualized")
            changed = True
        for call in [i for i in func.instructions() if i.op.name == "call_method"]:
            t = known_type(call.operands[0])
            target = target_for(module, t, call.imms[0]) if t and module is not None else None
            fn = module.functions.get(str(target)) if target is not None else None
            if fn is None or len(fn.params) != len(call.operands):
                continue
            args = list(call.operands)
            if call.imms[1] == "self":  # the method's own copy of its receiver
                args[0] = Builder(func).at_before(call).emit("copy", [args[0]],
                                                             span=call.span)
            replace_instr(call, "call", args, (target,))
            ctx.stat("trait-method calls devirtualized")
            changed = True
        for test in [i for i in func.instructions() if i.op.name == "type_is"]:
            answer = test.op.known(test)
            if answer is NO_FOLD:
                continue
            replace_instr(test, "const", (), (answer,))
            ctx.stat("type-parameter dispatches decided")
            changed = True
        return changed
