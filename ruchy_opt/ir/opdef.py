"""Op definitions: every IR operation is a small class that states the facts about it.

An op class declares its operand count, its immediates (literal arguments written before
the operands, such as the ``42`` of ``const 42`` or the ``@fib`` of ``call @fib, %x``),
its successor count, whether it has a result and of which type, its traits, its meaning
on runtime values (``impl``) and its constant-folding rule. Generic passes (DCE, CSE,
folding, LICM) read only these facts, the printer and parser use one generic spelling,
and the verifier checks the declared shape, so an op added by a plugin with
:func:`register_op` works everywhere without touching any of them.

Traits (the names are what passes test for):

=============  ========================================================================
pure           result depends only on operands and immediates; no state read or written
               (foldable, CSE-able)
reads          reads mutable state (array contents, globals): not movable across writes
allocates      returns a fresh mutable object (an array): removable when unused, never
               merged with another allocation
side_effects   writes state, does I/O, calls, or always fails: never removed
may_fail       may raise a runtime error (an unused one is still not dead)
terminator     ends a block; successors are its branch targets
commutative    operands may be swapped without changing the result or the error
=============  ========================================================================
"""
from __future__ import annotations

import functools
from typing import Any, Callable, ClassVar, Optional, Union

from ..errors import RuchyRuntimeError

PURE, READS, ALLOCATES, SIDE_EFFECTS = "pure", "reads", "allocates", "side_effects"
MAY_FAIL, TERMINATOR, COMMUTATIVE = "may_fail", "terminator", "commutative"
TRAITS = frozenset({PURE, READS, ALLOCATES, SIDE_EFFECTS, MAY_FAIL, TERMINATOR, COMMUTATIVE})

#: Value types. Generic IR is dynamically typed (``any``); typed ops and specialised
#: code use the others. ``arr`` is a reference to a (copy-on-write) array object.
TYPES = ("any", "i64", "f64", "bool", "str", "unit", "arr")


class Sym(str):
    """A symbol immediate (``@fib``, ``@main.called``): the name of a function or global."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Sym({str(self)!r})"


#: Immediate kinds an op may declare: ``lit`` is any literal (int, float, bool, str,
#: unit), ``sym`` a symbol, ``type`` an IR type (types.py: ``make tuple<any, any>, ..``),
#: and ``int``/``str``/``bool`` literals of that kind only.
IMM_KINDS = ("lit", "int", "str", "bool", "sym", "type")
Arity = Union[int, tuple[int, Optional[int]]]
NO_FOLD = object()  # what a fold rule returns when it cannot fold


_LITERAL_TYPES = {int: "i64", float: "f64", bool: "bool", str: "str", type(None): "unit"}
_IMM_CLASSES = {"int": int, "str": str, "bool": bool}


def literal_type(v: Any) -> str:
    """The IR type of a literal value."""
    return _LITERAL_TYPES.get(type(v), "any")


def imm_matches(kind: str, v: Any) -> bool:
    """Whether immediate ``v`` is of the declared kind."""
    if kind == "sym":
        return type(v) is Sym
    if kind == "type":
        from .types import IRType
        return isinstance(v, IRType)
    if type(v) is Sym:
        return False
    if kind == "lit":
        return type(v) in (int, float, bool, str) or v is None
    return type(v) is _IMM_CLASSES[kind]


class OpDef:
    """Base of every op class. Subclasses set the class attributes; all are facts."""

    name: ClassVar[str] = ""
    traits: ClassVar[frozenset[str]] = frozenset()
    operands: ClassVar[Arity] = 0            # exact count, or (min, max or None)
    imms: ClassVar[tuple[str, ...]] = ()     # kinds of the immediates, in order
    successors: ClassVar[int] = 0
    result: ClassVar[bool] = True            # whether the op defines a value
    result_type_name: ClassVar[str] = "any"
    #: For typed ops: the type every operand must have (one per operand, or one for all).
    operand_types: ClassVar[Optional[tuple[str, ...]]] = None
    doc: ClassVar[str] = ""

    # ---- facts derived from the traits ---------------------------------------------

    @classmethod
    def has(cls, trait: str) -> bool:
        """Whether the op has ``trait``."""
        return trait in cls.traits

    @classmethod
    def is_terminator(cls) -> bool:
        """Whether the op ends a block."""
        return TERMINATOR in cls.traits

    @classmethod
    def removable_if_unused(cls) -> bool:
        """Whether DCE may delete an unused instance."""
        return not (cls.traits & {SIDE_EFFECTS, MAY_FAIL, TERMINATOR})

    @classmethod
    def cannot_fail(cls, instr: Any) -> bool:
        """Whether this instance cannot fail: always for an op without ``may_fail``, and
        for an instance that a structural rule (:meth:`forward`, :meth:`known`) applies
        to, which by those rules' contract cannot fail (``extract "x"`` of a ``make
        !P`` in view)."""
        if MAY_FAIL not in cls.traits:
            return True
        return cls.forward(instr) is not None or cls.known(instr) is not NO_FOLD

    @classmethod
    def removable(cls, instr: Any) -> bool:
        """Whether DCE may delete this instance when its result is unused: no side
        effects and it cannot fail (:meth:`cannot_fail`)."""
        return not cls.traits & {SIDE_EFFECTS, TERMINATOR} and cls.cannot_fail(instr)

    @classmethod
    def arity_ok(cls, n: int) -> bool:
        """Whether ``n`` operands is a valid count for this op."""
        if isinstance(cls.operands, int):
            return n == cls.operands
        lo, hi = cls.operands
        return n >= lo and (hi is None or n <= hi)

    @classmethod
    def arity_text(cls) -> str:
        """The operand count in words, for messages."""
        if isinstance(cls.operands, int):
            return str(cls.operands)
        lo, hi = cls.operands
        return f"at least {lo}" if hi is None else f"{lo} to {hi}"

    @classmethod
    def expected_operand_type(cls, i: int) -> Optional[str]:
        """The type operand ``i`` must have (typed ops), or None."""
        ts = cls.operand_types
        if not ts:
            return None
        return ts[0] if len(ts) == 1 else (ts[i] if i < len(ts) else None)

    # ---- meaning ------------------------------------------------------------------

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        """The type of the result given the immediates and operand types."""
        return cls.result_type_name

    @staticmethod
    def impl(*args: Any) -> Any:
        """The op on runtime values: immediates first, then operand values. Raises
        RuchyRuntimeError (without a position) when the op fails."""
        raise NotImplementedError

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        """A callable of the operand values, for the IR interpreter. ``env`` gives access
        to output streams and globals for ops that need them."""
        return functools.partial(cls.impl, *imms) if imms else cls.impl

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        """Constant folding: the result for constant operands ``args``, or NO_FOLD.
        Pure ops fold by evaluating ``impl``; an op that would fail is not folded, so the
        error still happens at run time with its position."""
        if PURE not in cls.traits or not cls.result:
            return NO_FOLD
        try:
            r = cls.impl(*imms, *args)
        except (RuchyRuntimeError, NotImplementedError):
            return NO_FOLD
        return r if literal_type(r) != "any" else NO_FOLD

    @classmethod
    def forward(cls, instr: Any) -> Any:
        """A structural rule: an existing value that ``instr`` always equals, or None
        (``extract "x"`` of ``make !P, %a, %b`` is ``%a``). constfold and sccp use it;
        the value returned must be available where ``instr`` is, and ``instr`` must be
        unable to fail whenever it applies."""
        return None

    @classmethod
    def known(cls, instr: Any) -> Any:
        """A structural rule giving a literal: the constant ``instr`` always equals
        although its operands are not constants (``tag`` of a ``variant`` in view,
        ``is_type`` of a ``make``), or NO_FOLD. constfold and sccp use it; it must
        hold whenever ``instr`` runs, which therefore cannot fail."""
        return NO_FOLD

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        """Op-specific checks beyond the declared shape; return a message or None."""
        return None


#: Every known op by name. Built-in ops register on import of ruchy_opt.ir.
OPS: dict[str, type[OpDef]] = {}


def register_op(cls: type[OpDef]) -> type[OpDef]:
    """Class decorator: add an op to the registry (plugins use it too)."""
    if not cls.name:
        raise ValueError(f"op class {cls.__name__} has no name")
    bad = set(cls.traits) - TRAITS
    if bad:
        raise ValueError(f"op {cls.name}: unknown traits {sorted(bad)}")
    if any(k not in IMM_KINDS for k in cls.imms):
        raise ValueError(f"op {cls.name}: immediate kinds must be among {IMM_KINDS}")
    OPS[cls.name] = cls
    return cls


def op(name: str) -> type[OpDef]:
    """The op class registered under ``name`` (KeyError if none)."""
    return OPS[name]


def define(name: str, impl: Optional[Callable[..., Any]] = None, *, traits: tuple = (),
           operands: Arity = 0, imms: tuple = (), successors: int = 0, result: bool = True,
           result_type: str = "any", operand_types: Optional[tuple[str, ...]] = None,
           doc: str = "", base: type[OpDef] = OpDef) -> type[OpDef]:
    """Declare and register a simple op in one call (a class is made for it)."""
    attrs: dict[str, Any] = dict(name=name, traits=frozenset(traits), operands=operands,
                                 imms=tuple(imms), successors=successors, result=result,
                                 result_type_name=result_type, operand_types=operand_types,
                                 doc=doc)
    if impl is not None:
        attrs["impl"] = staticmethod(impl)
    cls_name = "Op_" + name.replace(".", "_")
    return register_op(type(cls_name, (base,), attrs))
