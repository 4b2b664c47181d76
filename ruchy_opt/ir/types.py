"""IR types as values: each kind of type is a small class that prints, parses and
verifies itself, as ops do (opdef.py), so a plugin adds a type as it adds an op.

A type is an immutable value whose identity is its text: ``IRType`` subclasses ``str``
and its string is the printed form (``i64``, ``tuple<i64, any>``, ``!Point``). Code
that compares ``v.type == "i64"`` keeps working, two equal types are equal strings
(structural equality, as MLIR's uniqued types), and a type is hashable.

Three kinds are built in:

- **scalar** types, the words of :data:`SCALARS` (``any`` is the dynamic type of
  generic IR);
- **parametric** types ``keyword<param, ...>`` (:class:`ParamType`, registered by
  keyword with :func:`register_type`): ``tuple<T, ...>`` here; option, closure and
  enum-payload types later, and a plugin's own;
- **named** types ``!Name`` (:class:`NamedType`): a reference to a declaration of the
  module (``struct !Point { x, y }``, ``enum !Shape { Circle(any), Dot }``), kept in
  ``Module.type_decls``. A declaration kind (:class:`TypeDecl`) registers its keyword
  with :func:`register_decl`; enums are declared so in ir/enums.py.

A *sum* type (an enum, ``option<T>``, ``result<T, E>``: ir/enums.py) answers
:meth:`IRType.variants`, :meth:`IRType.enum_key`, :meth:`IRType.variant_constructor`
and :meth:`IRType.tag_reader`; the ops of ops_enum.py work on any type that does.

An *aggregate* type answers :meth:`IRType.fields` (field names in order) and
:meth:`IRType.constructor` (how the IR interpreter builds a value of it); the ops of
ops_aggregate.py (``make``, ``extract``, ``insert``) work on any type that does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, ClassVar, Optional

if TYPE_CHECKING:
    from .core import Module
    from .enums import VariantDecl

#: The scalar types (opdef.TYPES is the same list).
SCALARS = ("any", "i64", "f64", "bool", "str", "unit", "arr")


class IRType(str):
    """Base of every IR type. Subclasses are values: build them with their
    constructor, compare them as strings."""

    #: the kind of type, for messages and for passes that ask (``scalar``, ``tuple``...)
    kind: ClassVar[str] = ""

    def verify(self, module: Optional["Module"]) -> Optional[str]:
        """Why this type is not valid in ``module`` (None: it is)."""
        return None

    def fields(self, module: Optional["Module"]) -> Optional[list[str]]:
        """The field names of an aggregate type, in order (None: not an aggregate, or
        not known without its module)."""
        return None

    def field_type(self, module: Optional["Module"], name: str) -> "IRType":
        """The type of field ``name`` (``any`` when not known)."""
        return ANY

    def constructor(self, env: Any) -> Callable[..., Any]:
        """For the IR interpreter: a callable of the field values (in order) that
        makes a runtime value of this type. Only aggregates have one."""
        raise TypeError(f"type {self} has no values to construct")

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        """For the IR interpreter: whether a runtime value is of this type."""
        raise TypeError(f"type {self} has no run-time test")

    # ---- sum types (enums, option, result: ir/enums.py) ---------------------------

    def variants(self, module: Optional["Module"]) -> Optional[list["VariantDecl"]]:
        """The variants of a sum type, in order (their index is the tag); None: not a
        sum type, or not known without its module."""
        return None

    def enum_key(self) -> Optional[str]:
        """What identifies the sum type's values at run time (two types with the same
        key have the same variants: ``option<i64>`` and ``option<any>``); None: not a
        sum type."""
        return None

    def variant_constructor(self, env: Any, name: str) -> Callable[..., Any]:
        """For the IR interpreter: a callable of the payload values that makes variant
        ``name`` (a unit variant's single value for no arguments)."""
        raise TypeError(f"type {self} has no variants")

    def tag_reader(self, env: Any) -> Callable[[Any], int]:
        """For the IR interpreter: a value's variant index if it is a value of this
        sum type, else -1."""
        raise TypeError(f"type {self} has no variants")

    def __getnewargs__(self) -> tuple:  # (pickle and copy: rebuild through __new__)
        return (str(self),)


class ScalarType(IRType):
    """``any i64 f64 bool str unit arr``."""

    kind = "scalar"

    def __new__(cls, name: str) -> "ScalarType":
        if name not in SCALARS:
            raise ValueError(f"unknown scalar type {name!r}")
        return super().__new__(cls, name)


ANY, I64, F64, BOOL, STR, UNIT, ARR = (ScalarType(n) for n in SCALARS)


class ParamType(IRType):
    """A parametric type ``keyword<p1, p2, ...>``; ``params`` are types unless a
    subclass parses something else (:meth:`parse_params`). Subclasses set ``keyword``
    and register with :func:`register_type`."""

    keyword: ClassVar[str] = ""
    params: tuple

    def __new__(cls, *params: Any) -> "ParamType":
        self = super().__new__(cls, f"{cls.keyword}<{', '.join(map(str, params))}>")
        self.params = tuple(params)
        return self

    def __getnewargs__(self) -> tuple:
        return self.params

    @classmethod
    def parse_params(cls, parser: Any) -> tuple:
        """Read the parameters between ``<`` and ``>`` (the ``<`` is read; read the
        ``>`` too). The default: types separated by commas."""
        params: list[IRType] = []
        if parser.accept("PUNCT", ">"):
            return ()
        while True:
            params.append(parser.type_name())
            if parser.accept("PUNCT", ">"):
                return tuple(params)
            parser.expect("PUNCT", ",", "',' or '>'")

    def verify(self, module: Optional["Module"]) -> Optional[str]:
        for p in self.params:
            if isinstance(p, IRType):
                why = p.verify(module)
                if why:
                    return why
        return None


#: Parametric types by keyword (``tuple``; plugins add theirs).
TYPE_KINDS: dict[str, type[ParamType]] = {}


def register_type(cls: type[ParamType]) -> type[ParamType]:
    """Class decorator: make ``keyword<...>`` parse as this type (plugins use it too)."""
    if not cls.keyword or cls.keyword in SCALARS:
        raise ValueError(f"type class {cls.__name__} needs a keyword that is not a scalar")
    TYPE_KINDS[cls.keyword] = cls
    return cls


@register_type
class TupleType(ParamType):
    """``tuple<T0, T1, ...>``: fields ``0``, ``1``, ...; a Python tuple at run time (as
    at tier 0, so values print and compare alike)."""

    keyword = "tuple"
    kind = "tuple"

    def fields(self, module: Optional["Module"]) -> Optional[list[str]]:
        return [str(i) for i in range(len(self.params))]

    def field_type(self, module: Optional["Module"], name: str) -> IRType:
        return self.params[int(name)] if name.isdigit() and int(name) < len(self.params) \
            else ANY

    def constructor(self, env: Any) -> Callable[..., Any]:
        return lambda *vals: vals

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        n = len(self.params)
        return lambda v: type(v) is tuple and len(v) == n


def tuple_of(types: list[str]) -> TupleType:
    """The tuple type of values of ``types`` (plain strings allowed)."""
    return TupleType(*(as_type(t) for t in types))


class NamedType(IRType):
    """``!Name``: the type declared as ``Name`` in the module (``struct !Name ...``)."""

    kind = "named"
    name: str

    def __new__(cls, name: str) -> "NamedType":
        self = super().__new__(cls, "!" + name)
        self.name = name
        return self

    def __getnewargs__(self) -> tuple:
        return (self.name,)

    def decl(self, module: Optional["Module"]) -> Optional["TypeDecl"]:
        """The declaration this names in ``module`` (None: none, or no module)."""
        return module.type_decls.get(self.name) if module is not None else None

    def verify(self, module: Optional["Module"]) -> Optional[str]:
        if module is not None and self.name not in module.type_decls:
            return f"type {self} is not declared in the module"
        return None

    def fields(self, module: Optional["Module"]) -> Optional[list[str]]:
        d = self.decl(module)
        return d.field_names() if d is not None else None

    def field_type(self, module: Optional["Module"], name: str) -> IRType:
        d = self.decl(module)
        return d.field_type(name) if d is not None else ANY

    def constructor(self, env: Any) -> Callable[..., Any]:
        return env.runtime_class(self.name)

    def runtime_test(self, env: Any) -> Callable[[Any], bool]:
        return env.type_decl(self.name).runtime_test()

    def variants(self, module: Optional["Module"]) -> Optional[list["VariantDecl"]]:
        d = self.decl(module)
        return d.variants() if d is not None else None

    def enum_key(self) -> Optional[str]:
        return self.name

    def variant_constructor(self, env: Any, name: str) -> Callable[..., Any]:
        return env.type_decl(self.name).variant_constructor(name)

    def tag_reader(self, env: Any) -> Callable[[Any], int]:
        return env.type_decl(self.name).tag_reader()


def as_type(t: str) -> IRType:
    """``t`` as an IRType (a plain string must be a scalar's name)."""
    return t if isinstance(t, IRType) else ScalarType(t)


def is_aggregate(t: str) -> bool:
    """Whether ``t`` is a tuple or named (struct) type, or a plugin's aggregate."""
    return isinstance(t, IRType) and not isinstance(t, ScalarType)


# ---- declarations in the module ---------------------------------------------------------

class TypeDecl:
    """A named type declared at the top of a module. Subclasses set ``keyword`` (the
    word that starts the declaration in the text) and register with
    :func:`register_decl`."""

    keyword: ClassVar[str] = ""
    name: str

    def format(self) -> str:
        """The declaration's line in the module's text (without the newline)."""
        raise NotImplementedError

    @classmethod
    def parse(cls, parser: Any, name: str) -> "TypeDecl":
        """Read the rest of the declaration after ``KEYWORD !Name``."""
        raise NotImplementedError

    def field_names(self) -> list[str]:
        """The fields in order (for ``make``, ``extract``, ``insert``)."""
        return []

    def field_type(self, name: str) -> IRType:
        return ANY

    def runtime_class(self) -> Callable[..., Any]:
        """For the IR interpreter: the callable that makes a value from its fields."""
        raise NotImplementedError

    def runtime_test(self) -> Callable[[Any], bool]:
        """For the IR interpreter: whether a runtime value is of this type."""
        cls = self.runtime_class()
        return lambda v: type(v) is cls

    def variants(self) -> Optional[list["VariantDecl"]]:
        """A sum type's variants in order (None: not a sum type)."""
        return None

    def variant_constructor(self, name: str) -> Callable[..., Any]:
        raise TypeError(f"type !{self.name} has no variants")

    def tag_reader(self) -> Callable[[Any], int]:
        raise TypeError(f"type !{self.name} has no variants")

    def verify(self, module: "Module") -> Optional[str]:
        return None


#: Declaration kinds by keyword (``struct``; ``enum``: ir/enums.py).
DECL_KINDS: dict[str, type[TypeDecl]] = {}


def register_decl(cls: type[TypeDecl]) -> type[TypeDecl]:
    """Class decorator: make ``KEYWORD !Name ...`` a module-level declaration."""
    DECL_KINDS[cls.keyword] = cls
    return cls


def parse_fields(parser: Any) -> tuple[str, list[tuple[str, IRType]]]:
    """The fields of a struct or an enum variant, after its name: ``(T, ...)`` (a
    tuple's, named ``0``, ``1``...), ``{ f: T, g, ... }`` (a field without a type is
    ``any``), or nothing (a unit's). Returns (shape, fields)."""
    fields: list[tuple[str, IRType]] = []
    if parser.accept("PUNCT", "("):
        if not parser.accept("PUNCT", ")"):
            while True:
                fields.append((str(len(fields)), parser.type_name()))
                if parser.accept("PUNCT", ")"):
                    break
                parser.expect("PUNCT", ",", "',' or ')'")
        return "tuple", fields
    if not parser.accept("PUNCT", "{"):
        return "unit", fields
    seen: set[str] = set()
    if not parser.accept("PUNCT", "}"):
        while True:
            t = parser.expect("WORD", what="a field name")
            if t.text in seen:
                raise parser.error(f"field '{t.text}' is declared twice", t)
            seen.add(t.text)
            ftype = parser.type_name() if parser.accept("PUNCT", ":") else ANY
            fields.append((t.text, ftype))
            if parser.accept("PUNCT", "}"):
                break
            parser.expect("PUNCT", ",", "',' or '}'")
    return "named", fields


@register_decl
class StructDecl(TypeDecl):
    """``struct !P { x, y: f64 }`` (named fields), ``struct !M(any, i64)`` (a tuple
    struct: fields ``0``, ``1``...), ``struct !U`` (a unit struct). A field's type is
    ``any`` unless written: Ruchy's annotations are hints, never checked."""

    keyword = "struct"

    def __init__(self, name: str, shape: str, fields: list[tuple[str, IRType]]) -> None:
        self.name = name
        self.shape = shape  # named, tuple, unit
        self.fields = list(fields)
        self._class: Optional[type] = None

    def field_names(self) -> list[str]:
        return [f for f, _ in self.fields]

    def field_type(self, name: str) -> IRType:
        return next((t for f, t in self.fields if f == name), ANY)

    def format(self) -> str:
        head = f"struct !{self.name}"
        if self.shape == "unit":
            return head
        if self.shape == "tuple":
            return f"{head}({', '.join(t for _, t in self.fields)})"
        inner = ", ".join(f if t == "any" else f"{f}: {t}" for f, t in self.fields)
        return f"{head} {{ {inner} }}" if inner else f"{head} {{}}"

    @classmethod
    def parse(cls, parser: Any, name: str) -> "StructDecl":
        shape, fields = parse_fields(parser)
        return cls(name, shape, fields)

    def runtime_class(self) -> Callable[..., Any]:
        if self._class is None:
            from ..runtime.aggregates import struct_class
            self._class = struct_class(self.name, self.shape, self.field_names())
        return self._class

    def verify(self, module: "Module") -> Optional[str]:
        for f, t in self.fields:
            why = t.verify(module)
            if why:
                return f"field '{f}' of struct !{self.name}: {why}"
        return None


__all__ = ["ANY", "ARR", "BOOL", "DECL_KINDS", "F64", "I64", "IRType", "NamedType",
           "ParamType", "SCALARS", "STR", "ScalarType", "StructDecl", "TYPE_KINDS",
           "TupleType", "TypeDecl", "UNIT", "as_type", "is_aggregate", "register_decl",
           "register_type", "tuple_of"]
