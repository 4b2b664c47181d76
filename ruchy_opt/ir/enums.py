"""Sum types in the IR: a program's enums (``enum !Shape { .. }``, declared in the module as
structs are), the parametric ``option<T>`` and ``result<T, E>``, and ``ordering<>``
(``std::cmp::Ordering``) and ``entry<>`` (a map's ``entry(k)``).

A sum type answers the protocol of types.py (:meth:`IRType.variants`, ``enum_key``,
``variant_constructor``, ``tag_reader``), which the ops of ops_enum.py (``variant``,
``tag``, ``payload``) use, so a plugin's sum type works with them as a plugin's
aggregate works with ``make``: subclass :class:`SumType` (a parametric type with fixed
variants) or declare a :class:`TypeDecl` that answers ``variants``.

The values at run time are the runtime's (runtime/aggregates.py), as at tier 0: one
class per variant, subclasses of one class per enum, a unit variant a single shared
instance, Option and Result the runtime's own classes. So they print (``{:?}``,
``{:#?}``), compare and order exactly as tier 0's.

Text::

    enum !Shape { Circle(any), Rect { w, h: f64 }, Dot }
    enum !Level { Low = 1, Mid = 5, High = 10 }      ; explicit discriminants (`as i64`)
    %s = variant !Shape, "Circle", %r
    %o = variant option<any>, "Some", %x
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

from .types import ANY, IRType, ParamType, TypeDecl, parse_fields, register_decl, \
    register_type

if TYPE_CHECKING:
    from .core import Module


@dataclass(frozen=True)
class VariantDecl:
    """One variant: its name, shape (``unit``, ``tuple``, ``named``), fields with their
    types (``0``, ``1``... for a tuple variant) and discriminant (``as i64`` of a unit
    variant; its index unless declared)."""

    name: str
    shape: str
    fields: tuple[tuple[str, IRType], ...] = ()
    discriminant: Optional[int] = None

    def field_names(self) -> list[str]:
        """The payload's field names in order."""
        return [f for f, _ in self.fields]

    def field_type(self, name: str) -> IRType:
        """The type of payload field ``name`` (``any`` unless declared)."""
        return next((t for f, t in self.fields if f == name), ANY)

    def format(self) -> str:
        """The variant as the declaration prints it."""
        if self.shape == "tuple":
            text = f"{self.name}({', '.join(t for _, t in self.fields)})"
        elif self.shape == "named":
            inner = ", ".join(f if t == "any" else f"{f}: {t}" for f, t in self.fields)
            text = f"{self.name} {{ {inner} }}" if inner else f"{self.name} {{}}"
        else:
            text = self.name
        return text if self.discriminant is None else f"{text} = {self.discriminant}"


def variant_index(variants: list[VariantDecl], name: str) -> int:
    """The tag of variant ``name`` (-1: no such variant)."""
    return next((k for k, v in enumerate(variants) if v.name == name), -1)


def _tag_of(base: type) -> Callable[[Any], int]:
    """The tag reader of an enum whose values are instances of ``base``."""
    def tag(v: Any) -> int:
        return v._tag if isinstance(v, base) else -1
    return tag


@register_decl
class EnumDecl(TypeDecl):
    """``enum !E { A, B(any, i64), C { x, y }, D = 7 }``: a program's enum. Payload
    types are ``any`` unless written (Ruchy's annotations are hints)."""

    keyword = "enum"

    def __init__(self, name: str, variants: list[VariantDecl]) -> None:
        self.name = name
        self._variants = list(variants)
        self._classes: Optional[tuple[type, dict[str, Any]]] = None

    def variants(self) -> list[VariantDecl]:
        return list(self._variants)

    def field_names(self) -> Optional[list[str]]:  # type: ignore[override]
        return None  # not an aggregate: ``make`` does not build an enum

    def format(self) -> str:
        inner = ", ".join(v.format() for v in self._variants)
        return f"enum !{self.name} {{ {inner} }}" if inner else f"enum !{self.name} {{}}"

    @classmethod
    def parse(cls, parser: Any, name: str) -> "EnumDecl":
        parser.expect("PUNCT", "{", "'{'")
        variants: list[VariantDecl] = []
        if parser.accept("PUNCT", "}"):
            return cls(name, variants)
        while True:
            t = parser.expect("WORD", what="a variant name")
            if any(v.name == t.text for v in variants):
                raise parser.error(f"variant '{t.text}' is declared twice", t)
            shape, fields = parse_fields(parser)
            disc = None
            if parser.accept("PUNCT", "="):
                d = parser.literal()
                if type(d) is not int:
                    raise parser.error("a discriminant must be an integer", t)
                disc = d
            variants.append(VariantDecl(t.text, shape, tuple(fields), disc))
            if parser.accept("PUNCT", "}"):
                return cls(name, variants)
            parser.expect("PUNCT", ",", "',' or '}'")

    def classes(self) -> tuple[type, dict[str, Any]]:
        """The runtime's classes: the enum's and, per variant, its class (or a unit
        variant's single instance), made as tier 0 makes them (interp/program.py)."""
        if self._classes is None:
            from ..runtime.aggregates import enum_classes
            base, per = enum_classes(self.name, [(v.name, v.shape, v.field_names())
                                                 for v in self._variants])
            for v in self._variants:  # `E::A as i64` reads it (runtime/numeric.cast_int)
                if v.discriminant is not None and v.shape == "unit":
                    type(per[v.name])._disc = v.discriminant
            self._classes = (base, per)
        return self._classes

    def runtime_class(self) -> Callable[..., Any]:
        return self.classes()[0]

    def runtime_test(self) -> Callable[[Any], bool]:
        base = self.classes()[0]
        return lambda v: isinstance(v, base)

    def variant_constructor(self, name: str) -> Callable[..., Any]:
        return _constructor(self.classes()[1][name])

    def tag_reader(self) -> Callable[[Any], int]:
        return _tag_of(self.classes()[0])

    def verify(self, module: "Module") -> Optional[str]:
        for v in self._variants:
            for f, t in v.fields:
                why = t.verify(module)
                if why:
                    return f"field '{f}' of variant {v.name} of enum !{self.name}: {why}"
        return None


def _constructor(made: Any) -> Callable[..., Any]:
    """The callable of the payload values that makes a variant: its class, or for a
    unit variant (a single instance) a function returning it."""
    if isinstance(made, type):
        return made
    return lambda: made


class SumType(ParamType):
    """A parametric sum type with fixed variants (``option<T>``, ``result<T, E>``):
    subclasses give ``shapes`` (variant name, field count, which type parameter each
    field has) and ``runtime_enum`` (the runtime's classes)."""

    #: per variant: (name, shape, the index of the type parameter of each field)
    shapes: ClassVar[tuple[tuple[str, str, tuple[int, ...]], ...]] = ()
    arity: ClassVar[int] = 1

    def variants(self, module: Optional["Module"]) -> list[VariantDecl]:
        return [VariantDecl(n, shape, tuple((str(k), self.params[p] if p < len(self.params)
                                             else ANY) for k, p in enumerate(ps)))
                for n, shape, ps in self.shapes]

    def enum_key(self) -> Optional[str]:
        return self.keyword

    @classmethod
    def runtime_enum(cls) -> tuple[type, dict[str, Any]]:
        raise NotImplementedError

    def variant_constructor(self, env: Any, name: str) -> Callable[..., Any]:
        return _constructor(self.runtime_enum()[1][name])

    def tag_reader(self, env: Any) -> Callable[[Any], int]:
        return _tag_of(self.runtime_enum()[0])

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        base = self.runtime_enum()[0]
        return lambda v: isinstance(v, base)

    def verify(self, module: Optional["Module"]) -> Optional[str]:
        if len(self.params) != self.arity:
            return f"{self.keyword}<..> takes {self.arity} type" \
                   f"{'s' * (self.arity != 1)}, got {len(self.params)}"
        return super().verify(module)


@register_type
class OptionType(SumType):
    """``option<T>``: ``None`` (tag 0) and ``Some(T)`` (tag 1), Rust's order."""

    keyword = "option"
    kind = "option"
    shapes = (("None", "unit", ()), ("Some", "tuple", (0,)))

    @classmethod
    def runtime_enum(cls) -> tuple[type, dict[str, Any]]:
        from ..runtime.aggregates import _OPTION, Option
        return Option, _OPTION


@register_type
class ResultType(SumType):
    """``result<T, E>``: ``Ok(T)`` (tag 0) and ``Err(E)`` (tag 1)."""

    keyword = "result"
    kind = "result"
    arity = 2
    shapes = (("Ok", "tuple", (0,)), ("Err", "tuple", (1,)))

    @classmethod
    def runtime_enum(cls) -> tuple[type, dict[str, Any]]:
        from ..runtime.aggregates import _RESULT, Result
        return Result, _RESULT


@register_type
class OrderingType(SumType):
    """``ordering<>``: ``std::cmp::Ordering``, what ``a.cmp(&b)`` gives: ``Less`` (tag
    0), ``Equal`` and ``Greater``, Rust's order. It has no parameters; the ``<>`` keeps
    it a parametric type, so a program's own enum named ``Ordering`` (``!Ordering``)
    stays a different type."""

    keyword = "ordering"
    kind = "ordering"
    arity = 0
    shapes = (("Less", "unit", ()), ("Equal", "unit", ()), ("Greater", "unit", ()))

    @classmethod
    def runtime_enum(cls) -> tuple[type, dict[str, Any]]:
        from ..runtime.aggregates import _ORDERING, Ordering
        return Ordering, _ORDERING


@register_type
class EntryType(SumType):
    """``entry<>``: ``std::collections::{hash_map, btree_map}::Entry``, what a map's
    ``entry(k)`` gives: ``Occupied(OccupiedEntry)`` (tag 0) or ``Vacant(VacantEntry)``,
    chosen when the entry is made (runtime/map_entry.py: each payload knows the map, so
    a change through it reaches the map). No parameters: a program's own enum named
    ``Entry`` (``!Entry``) stays a different type."""

    keyword = "entry"
    kind = "entry"
    arity = 0
    shapes = (("Occupied", "tuple", (0,)), ("Vacant", "tuple", (0,)))

    @classmethod
    def runtime_enum(cls) -> tuple[type, dict[str, Any]]:
        from ..runtime.aggregates import _ENTRY, Entry
        return Entry, _ENTRY


OPTION = OptionType(ANY)
RESULT = ResultType(ANY, ANY)
ORDERING = OrderingType()
ENTRY = EntryType()

__all__ = ["ENTRY", "EntryType", "EnumDecl", "OPTION", "ORDERING", "OptionType", "OrderingType", "RESULT",
           "ResultType", "SumType", "VariantDecl", "variant_index"]
