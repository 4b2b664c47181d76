"""Closures in the IR, by closure conversion: a Ruchy closure becomes a function of its
own (``@f.closure.0``) whose first parameters are the captured values, and the closure
value pairs that function with the values captured when it was made::

    %k.1 = const 3
    %f.2 = closure @ruchy.toplevel.closure.0, %k.1   ; |x| x + k
    %3 = const 1
    %4 = call_closure %f.2, %3                        ; f(1): @..closure.0(%k.1, %3)

A named function used as a value is a closure with nothing captured (``closure @dbl``).
A variable that a closure changes, or that changes while a closure lives, lives in a
cell (``cell.new``, ``cell.get``, ``cell.set``) that the function and its closures
share: Rust's capture by reference. What a closure captures is decided once, for tier
0 and this IR alike (resolve/captures.py), and so is which captures are cells
(``closure_plans``). ``closure`` holds values and cells, which it never changes, so
it is pure: two closures of the same function and values are the same value.
``call_closure`` calls whatever function its operand holds: passes treat it as a call
of an unknown function, and ``devirt`` (passes/devirt.py) turns it into a direct
``call`` when the closure's ``closure`` instruction is in view.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from .opdef import ALLOCATES, MAY_FAIL, NO_FOLD, PURE, READS, SIDE_EFFECTS, OpDef, define, \
    register_op

#: The infix of the functions lowering makes of closures (``@main.closure.0``).
LIFTED = ".closure."


class IRClosure:
    """A closure value in the IR interpreter: the function, the captured values, the
    number of arguments a call passes, and the display form tier 0 gives it.

    ``call_closure`` runs it on the interpreter's own stack (irinterp/machine.py); the
    runtime's methods that take a function (``o.map(f)``, ``unwrap_or_else``) call it
    as a Python function, through ``caller`` (the interpreter's ``call``)."""

    __slots__ = ("fn", "env", "arity", "label", "caller")

    def __init__(self, fn: str, env: tuple, arity: int,
                 caller: Optional[Callable[[str, Any], Any]] = None) -> None:
        self.fn = fn
        self.env = env
        self.arity = arity
        self.label = "<closure>" if LIFTED in fn else f"<fn {fn}>"
        self.caller = caller

    @property
    def who(self) -> str:
        """What an error message calls it: ``closure``, or the function's name."""
        return "closure" if LIFTED in self.fn else self.fn

    def __call__(self, *args: Any) -> Any:
        if len(args) != self.arity:
            from ..errors import RuchyRuntimeError
            from ..runtime.functions import arity_error
            raise RuchyRuntimeError(arity_error(self.who, self.arity, len(args)))
        assert self.caller is not None, "a closure made outside the IR interpreter"
        return self.caller(self.fn, self.env + args)

    def _display(self) -> str:  # runtime/values.display's hook
        return self.label

    def __repr__(self) -> str:
        return f"IRClosure(@{self.fn}, {self.env!r})"


def _module(instr: Any) -> Any:
    return getattr(instr.block.func, "module", None) if instr.block else None


@register_op
class MakeClosure(OpDef):
    """``closure @f, %c1, ...``: the closure of function @f with the captured values
    ``%c1, ...`` as @f's first arguments; a call passes the rest."""

    name = "closure"
    traits = frozenset({PURE})
    imms = ("sym",)
    operands = (0, None)

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        fn = str(imms[0])
        target = env.module.functions.get(fn)
        n = len(target.params) if target is not None else 0

        caller = getattr(env, "call", None)

        def make(*captured: Any) -> IRClosure:
            return IRClosure(fn, captured, n - len(captured), caller)
        return make

    @classmethod
    def fold(cls, imms: tuple, args: list) -> Any:
        return NO_FOLD  # a closure is not a literal

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        module = _module(instr)
        if module is None:
            return None
        target = module.functions.get(str(instr.imms[0]))
        if target is None:
            return f"closure of unknown function @{instr.imms[0]}"
        if len(instr.operands) > len(target.params):
            return (f"closure captures {len(instr.operands)} values but @{target.name} "
                    f"takes {len(target.params)} arguments")
        return None


@register_op
class CallClosure(OpDef):
    """``call_closure %f, %a, ...``: call the closure or function value ``%f`` with
    the arguments (already copied as the language requires). A value that is not a
    function, or the wrong number of arguments, fails as in tier 0. The IR interpreter
    runs it as a call (irinterp/machine.py), without Python recursion."""

    name = "call_closure"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    operands = (1, None)


class IRCell:
    """A variable shared by a function and its closures (``cell.new``)."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __repr__(self) -> str:
        return f"IRCell({self.v!r})"


def _cell_set(c: IRCell, v: Any) -> None:
    c.v = v


define("cell.new", IRCell, traits=(ALLOCATES,), operands=1,
       doc="a new cell holding the operand: a variable a closure shares (changes, or "
           "sees changed)")
define("cell.get", lambda c: c.v, traits=(READS,), operands=1,
       doc="the value a cell holds now")
define("cell.set", _cell_set, traits=(SIDE_EFFECTS,), operands=2, result=False,
       doc="store the second operand into the cell")


def _ref_set(r: Any, v: Any) -> None:
    from ..runtime.aggregates import Cell
    if type(r) is Cell:
        r.v = v


# A closure the runtime calls (``scan(0, |acc, x| { *acc += x; .. })``,
# ``and_modify(|v| *v += 1)``) may be given a reference as the runtime's Cell (a number
# in a collection, a scan's state); tier 0 reads and writes through it. The lifted
# body reads the value once (``deref``: ir/ops_iter.py) into a variable that ``*acc = ..`` assigns,
# and stores it back before each ``ret`` (``ref.set``): lower/closures.py.
define("ref.set", _ref_set, traits=(SIDE_EFFECTS,), operands=2, result=False,
       doc="store into a reference the runtime passed (a Cell; anything else: nothing)")


__all__ = ["CallClosure", "IRCell", "IRClosure", "LIFTED", "MakeClosure"]
