"""Ops on aggregates (tuples and structs; types.py): ``make``, ``extract``, ``insert``.

Aggregates are SSA values, as in LLVM's ``insertvalue``/``extractvalue``: an aggregate
value never changes; ``insert`` makes a new one with one field replaced. So all three
ops are ``pure`` (``extract`` and ``insert`` may fail, on a value without the field),
and the generic passes treat them as they treat ``add``: gvn merges equal ones, licm
hoists them, dce deletes unused ``make``s, constfold and sccp see through
``extract`` of a ``make`` or of an ``insert`` (:meth:`OpDef.forward`). A write
``p.x = v`` is ``%p.1 = insert "x", %p.0, %v`` and a new definition of ``p``, exactly
as ``x = v`` is for a scalar; ``a.b.c = v`` is extracts down and inserts back up.

Arrays stay objects (ops_values.py): an aggregate holds a reference to its array, and
a write into that array (``p.items.push(1)``) goes through the reference as any array
write does. Lowering keeps tier 0's rule that every holder has its own array (``copy``
on every store), so two live aggregates never share one.

Fields are named by strings: ``"x"`` for a struct's field, ``"0"``, ``"1"``... for a
tuple's or a tuple struct's. ``extract``/``insert`` find the field on the value they
get at run time (generic IR is dynamically typed, as tier 0's ``p.x`` is), and fail
with tier 0's message (``no field 'z' on type Point``) on a value without it.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..runtime.aggregates import Struct
from ..runtime.values import kind
from .opdef import MAY_FAIL, NO_FOLD, PURE, SIDE_EFFECTS, OpDef, register_op
from .types import ANY, IRType, NamedType, TupleType, as_type


def _module(instr: Any) -> Any:
    return getattr(instr.block.func, "module", None) if instr.block is not None and \
        instr.block.func is not None else None


def _no_field(name: str, v: Any) -> RuchyRuntimeError:
    return RuchyRuntimeError(f"no field '{name}' on type {kind(v)}")


def field_names_of(instr: Any) -> Optional[list[str]]:
    """The fields of a ``make``'s type (None if its type is not known here)."""
    t = instr.imms[0]
    return t.fields(_module(instr)) if isinstance(t, IRType) else None


@register_op
class Make(OpDef):
    """``%p = make !Point, %x, %y``, ``%t = make tuple<any, any>, %a, %b``: a new
    aggregate of the type, one operand per field in declaration order."""

    name = "make"
    traits = frozenset({PURE})
    imms = ("type",)
    operands = (0, None)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return imms[0] if imms and isinstance(imms[0], IRType) else ANY

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return imms[0].constructor(env)

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        t = instr.imms[0]
        module = _module(instr)
        fields = t.fields(module)
        if fields is None:
            return None if module is None else f"type {t} is not an aggregate"
        if len(fields) != len(instr.operands):
            return f"type {t} has {len(fields)} fields but make has {len(instr.operands)} " \
                   "operands"
        bad = [f"field '{f}' of {t} has type {t.field_type(module, f)}, operand %{v.name} "
               f"has {v.type}" for f, v in zip(fields, instr.operands)
               if t.field_type(module, f) != "any" and v.type != t.field_type(module, f)]
        return "; ".join(bad) or None


def read_field(name: str, v: Any) -> Any:
    """Field ``name`` of a runtime value, failing as tier 0's ``v.name`` fails."""
    if name.isdigit():
        i = int(name)
        if type(v) is tuple:
            if i < len(v):
                return v[i]
            raise RuchyRuntimeError("index out of bounds")  # (tier 0 indexes the tuple)
    try:
        return getattr(v, "f_" + name)
    except AttributeError:
        raise _no_field(name, v) from None


def with_field(name: str, v: Any, new: Any) -> Any:
    """A copy of aggregate ``v`` with field ``name`` set to ``new`` (``v`` unchanged)."""
    t = type(v)
    if t is tuple:
        i = int(name) if name.isdigit() else len(v)
        if i < len(v):
            return v[:i] + (new,) + v[i + 1:]
        raise _no_field(name, v)
    slot = "f_" + name
    if isinstance(v, Struct) and slot in t._fields:
        return t(*[new if f == slot else getattr(v, f) for f in t._fields])
    raise _no_field(name, v)


def _chain_field(instr: Any, name: str, agg: Any) -> Any:
    """The value field ``name`` of ``agg`` holds, looking through inserts of other fields
    down to a ``make`` or an insert of ``name`` (None: not known)."""
    seen = 0
    while seen < 64:  # (a long chain of inserts is walked no further)
        seen += 1
        op = getattr(agg, "op", None)
        if op is Insert:
            if agg.imms[0] == name:
                return agg.operands[1]
            agg = agg.operands[0]
            continue
        if op is Make:
            fields = field_names_of(agg)
            if fields is not None and name in fields:
                return agg.operands[fields.index(name)]
        return None
    return None


@register_op
class Extract(OpDef):
    """``%x = extract "x", %p``: field ``x`` of the aggregate (``"0"``: a tuple's first)."""

    name = "extract"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("str",)
    operands = 1
    impl = staticmethod(read_field)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        t = operand_types[0] if operand_types else ANY
        return t.field_type(None, imms[0]) if isinstance(t, IRType) and imms else ANY

    @classmethod
    def forward(cls, instr: Any) -> Any:
        return _chain_field(instr, instr.imms[0], instr.operands[0])


@register_op
class Insert(OpDef):
    """``%q = insert "x", %p, %v``: a new aggregate, ``%p`` with field ``x`` set to
    ``%v`` (``%p`` is unchanged: the value-semantics update of ``p.x = v``)."""

    name = "insert"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("str",)
    operands = 2
    impl = staticmethod(with_field)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        """The aggregate's type, with a tuple's field ``x`` now of the new value's type:
        a tuple<i64, ..> given an ``any`` there is a tuple<any, ..> (keeping i64 would
        let an ``extract`` of it claim a type its value was never proven to have)."""
        if not operand_types:
            return ANY
        t = operand_types[0]
        if isinstance(t, TupleType) and imms and imms[0].isdigit() and len(operand_types) > 1:
            k = int(imms[0])
            if k < len(t.params) and t.params[k] != operand_types[1]:
                return TupleType(*(as_type(operand_types[1]) if j == k else p
                                   for j, p in enumerate(t.params)))
        return t

    @classmethod
    def cannot_fail(cls, instr: Any) -> bool:
        """An insert into an aggregate whose field is known to exist (built by a
        ``make`` with it, or an insert of it, in view) cannot fail."""
        return _chain_field(instr, instr.imms[0], instr.operands[0]) is not None or \
            super().cannot_fail(instr)

    @classmethod
    def forward(cls, instr: Any) -> Any:
        agg, v = instr.operands
        # `p.x = p.x` changes nothing, once the field is known to exist
        if getattr(v, "op", None) is Extract and v.operands[0] is agg \
                and v.imms[0] == instr.imms[0]:
            return agg
        return None


def _check_tuple(n: int, v: Any, whole: Any) -> None:
    if type(v) is not tuple or len(v) != n:
        from ..runtime.values import debug
        raise RuchyRuntimeError(f"pattern does not match value {debug(whole)}")


@register_op
class CheckTuple(OpDef):
    """``check_tuple 2, %v, %whole``: fails unless ``%v`` is a tuple of 2 elements (a
    destructuring ``let (a, b) = ..``); the message shows ``%whole``, the value the
    whole pattern is matched against (tier 0's)."""

    name = "check_tuple"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("int",)
    operands = 2
    result = False
    impl = staticmethod(_check_tuple)


def _by_reference(v: Any) -> Any:
    if type(v) is tuple or isinstance(v, Struct):
        raise RuchyRuntimeError("'&mut' of a struct or tuple passed to a parameter not "
                                "declared '&mut' is not in the IR yet")
    return v


@register_op
class ByReference(OpDef):
    """``%a = by_ref %v``: ``%v`` itself, passed by ``&mut`` to a parameter that is not
    in-out (lower/methods.py): an array, the object the callee writes through. A struct
    or tuple there would need the parameter in-out, which only a ``&mut`` type
    declares, so it stops the program with a message saying so rather than lose the
    callee's changes."""

    name = "by_ref"
    traits = frozenset({PURE, MAY_FAIL})
    operands = 1
    impl = staticmethod(_by_reference)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return operand_types[0] if operand_types else ANY


def _no_method(name: str, recv: Any) -> Any:
    from ..runtime.ops import no_method
    return no_method(recv, name)


@register_op
class NoMethod(OpDef):
    """``%r = no_method "area", %v``: stop with tier 0's error for a method the
    program's types define but the receiver's type does not (a dispatch's last case
    when no built-in method has the name)."""

    name = "no_method"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str",)
    operands = 1
    impl = staticmethod(_no_method)


@register_op
class IsType(OpDef):
    """``%c = is_type !Point, %v``: whether ``%v`` is a value of the type (a method call
    dispatches on its receiver's type with these tests)."""

    name = "is_type"
    traits = frozenset({PURE})
    imms = ("type",)
    operands = 1
    result_type_name = "bool"

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return imms[0].runtime_test(env)

    @classmethod
    def known(cls, instr: Any) -> Any:
        """``is_type T`` of a ``make``/``variant`` in view: whether it builds a T."""
        src, t = instr.operands[0], instr.imms[0]
        made = src.imms[0] if getattr(src, "opname", None) in ("make", "variant") else None
        if not isinstance(made, IRType):
            return NO_FOLD
        if made == t:
            return True
        if isinstance(t, TupleType) and isinstance(made, TupleType):
            return len(t.params) == len(made.params)  # (the test is the length)
        if isinstance(t, NamedType) and isinstance(made, NamedType):
            return False  # two declared types: never the same values
        if t.enum_key() is not None and made.enum_key() is not None:
            return t.enum_key() == made.enum_key()
        return NO_FOLD


__all__ = ["ByReference", "CheckTuple", "Extract", "Insert", "IsType", "Make", "NoMethod", "field_names_of",
           "read_field", "with_field"]
