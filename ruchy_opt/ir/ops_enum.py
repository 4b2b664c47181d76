"""Ops on sum types (enums, ``option<T>``, ``result<T, E>``: ir/enums.py) and the checks
that patterns and ``?`` stop a program with.

==============================================  ====================================
``%e = variant !Shape, "Circle", %r``           a new value of a variant (payload in
                                                field order; a unit variant has none)
``%t = tag !Shape, %e``                         the variant's index (declaration order),
                                                -1 for a value of another type
``%r = payload !Shape, "Circle", "0", %e``      field ``0`` of the ``Circle`` payload
==============================================  ====================================

Like ``make``/``extract``, the three are ``pure``: an enum value is an SSA value (a
variant never changes once built), so gvn merges equal ones, licm hoists them and dce
deletes unused ones. ``tag`` never fails (a pattern's variant test on a value of
another type is simply false, as at tier 0), and folds structurally: ``tag`` of a
``variant`` in view is a constant (:meth:`Tag.known`), so sccp and constfold decide a
``match`` on a value built in the same function. ``payload`` of a ``variant`` of the
same variant is the operand stored (``OpDef.forward``). ``payload`` may fail (on a
value of another variant), because lowering only reads a payload after its ``tag``
test, and a hand-written module may not.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from ..errors import RuchyRuntimeError
from ..runtime.values import kind
from .enums import variant_index
from .opdef import MAY_FAIL, NO_FOLD, PURE, SIDE_EFFECTS, OpDef, define, register_op
from .types import ANY, IRType


def _module(instr: Any) -> Any:
    b = instr.block
    return getattr(b.func, "module", None) if b is not None and b.func is not None else None


def _variant_of(instr: Any) -> Optional[Any]:
    """The VariantDecl an instruction's (type, variant name) immediates name, or a
    message saying why there is none (None: the type's variants are not known here)."""
    t, name = instr.imms[0], instr.imms[1]
    vs = t.variants(_module(instr))
    if vs is None:
        return None if _module(instr) is None else f"type {t} is not a sum type"
    k = variant_index(vs, name)
    if k < 0:
        return f"type {t} has no variant '{name}'"
    return vs[k]


def same_enum(a: IRType, b: IRType) -> Optional[bool]:
    """Whether two sum types have the same values (None: not known)."""
    ka, kb = a.enum_key(), b.enum_key()
    if ka is None or kb is None:
        return None
    return ka == kb


@register_op
class MakeVariant(OpDef):
    """``%e = variant !E, "B", %x, %y``: variant ``B`` of ``!E`` with its payload."""

    name = "variant"
    traits = frozenset({PURE})
    imms = ("type", "str")
    operands = (0, None)

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        return imms[0] if imms and isinstance(imms[0], IRType) else ANY

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return imms[0].variant_constructor(env, imms[1])

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        v = _variant_of(instr)
        if v is None or isinstance(v, str):
            return v
        if len(v.fields) != len(instr.operands):
            return f"variant {v.name} of {instr.imms[0]} has {len(v.fields)} fields but " \
                   f"variant has {len(instr.operands)} operands"
        bad = [f"field '{f}' of {v.name} has type {t}, operand %{o.name} has {o.type}"
               for (f, t), o in zip(v.fields, instr.operands) if t != "any" and o.type != t]
        return "; ".join(bad) or None


@register_op
class Tag(OpDef):
    """``%t = tag !E, %e``: the index of ``%e``'s variant, or -1 if ``%e`` is not a
    value of ``!E`` (a match's variant test is ``eq`` of it and a constant)."""

    name = "tag"
    traits = frozenset({PURE})
    imms = ("type",)
    operands = 1
    result_type_name = "i64"

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        return imms[0].tag_reader(env)

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return -1  # a constant operand is a literal (int, str...), never a variant

    @classmethod
    def known(cls, instr: Any) -> Any:
        src = instr.operands[0]
        if getattr(src, "opname", None) != "variant":
            return NO_FOLD
        same = same_enum(instr.imms[0], src.imms[0])
        if same is None:
            return NO_FOLD
        if not same:
            return -1
        vs = src.imms[0].variants(_module(src))
        return variant_index(vs, src.imms[1]) if vs is not None else NO_FOLD

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        t = instr.imms[0]
        if _module(instr) is not None and t.variants(_module(instr)) is None:
            return f"type {t} is not a sum type"
        return None


def _read_payload(field: str, v: Any) -> Any:
    try:
        return getattr(v, "f_" + field)
    except AttributeError:
        raise RuchyRuntimeError(f"no field '{field}' on type {kind(v)}") from None


@register_op
class Payload(OpDef):
    """``%x = payload !E, "B", "0", %e``: field ``0`` of variant ``B``'s payload; fails
    (tier 0's ``no field`` message) on a value that is not that variant."""

    name = "payload"
    traits = frozenset({PURE, MAY_FAIL})
    imms = ("type", "str", "str")
    operands = 1

    @classmethod
    def result_type(cls, imms: tuple, operand_types: list[str]) -> str:
        t = imms[0] if imms else None
        vs = t.variants(None) if isinstance(t, IRType) else None  # (option, result)
        k = variant_index(vs, imms[1]) if vs else -1
        return vs[k].field_type(imms[2]) if k >= 0 else ANY

    @classmethod
    def bind(cls, imms: tuple, env: Any) -> Callable[..., Any]:
        t, vname, field = imms
        reader = t.tag_reader(env)
        vs = t.variants(env.module)
        want = variant_index(vs, vname) if vs is not None else -2

        def payload(v: Any) -> Any:
            if reader(v) != want:
                raise RuchyRuntimeError(f"no field '{field}' on type {kind(v)}")
            return _read_payload(field, v)
        return payload

    @classmethod
    def fold(cls, imms: tuple, args: list[Any]) -> Any:
        return NO_FOLD  # a literal has no payload (the op would fail)

    @classmethod
    def forward(cls, instr: Any) -> Any:
        src = instr.operands[0]
        if getattr(src, "opname", None) != "variant" or src.imms[1] != instr.imms[1] \
                or not same_enum(instr.imms[0], src.imms[0]):
            return None
        vs = src.imms[0].variants(_module(src))
        k = variant_index(vs, src.imms[1]) if vs is not None else -1
        if k < 0:
            return None
        names = vs[k].field_names()
        return src.operands[names.index(instr.imms[2])] if instr.imms[2] in names else None

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        v = _variant_of(instr)
        if v is None or isinstance(v, str):
            return v
        if instr.imms[2] not in v.field_names():
            return f"variant {v.name} of {instr.imms[0]} has no field '{instr.imms[2]}'"
        return None


# ---- the checks of patterns and `?` ------------------------------------------------------

_STOPS = (SIDE_EFFECTS, MAY_FAIL)


def _let_fail(v: Any) -> None:
    from ..runtime.matching import let_fail
    let_fail(v)


def _try_check(v: Any) -> None:
    from ..runtime.matching import try_check
    try_check(v)


def _try_main(v: Any) -> None:
    from ..runtime.matching import try_main
    try_main(v)


def _pop_option(a: Any) -> Any:
    from ..runtime.matching import pop_opt
    return pop_opt(a)


define("let_fail", _let_fail, traits=_STOPS, operands=1, result=False,
       doc="stop: a `let`, `for` or parameter pattern does not match the operand")
define("try_check", _try_check, traits=_STOPS, operands=1, result=False,
       doc="`e?` returning early: fails unless the operand is None or an Err")
define("try_main", _try_main, traits=_STOPS, operands=1, result=False,
       doc="`e?` found None or an Err in main or at the top level: stop, naming it")
define("pop_option", _pop_option, traits=_STOPS, operands=1,
       doc="`v.pop()` as an Option (`while let Some(x) = v.pop()`): Some(last) or None")

__all__ = ["MakeVariant", "Payload", "Tag"]
