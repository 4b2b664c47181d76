"""The Ruchy abstract syntax tree: plain dataclasses, each node with its source span.

Every node carries ``span`` (where the node starts and ends in the source). Nodes whose
errors are best shown at an operator (``a / b`` fails at the ``/``) also carry
``op_span``; :func:`error_span` picks the right one for diagnostics.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import ClassVar, Iterator, Optional, Union


@dataclass(frozen=True, slots=True)
class Span:
    """A source range: 1-based line and column of the first character, and the line and
    column just past the last one (as lark reports them)."""

    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.line}:{self.col}"


NO_SPAN = Span(0, 0, 0, 0)


@dataclass(eq=False, slots=True)
class Node:
    """Base of all AST nodes."""

    span: Span = field(default=NO_SPAN, kw_only=True, repr=False)

    def __lark_meta__(self) -> Span:
        # lark's position propagation asks children for their meta; a Span has the
        # line/column/end_line/end_column attributes it reads (see parser.py).
        return _LarkMeta(self.span)


class _LarkMeta:
    """Adapter that lets lark compute a parent's position from AST children."""

    __slots__ = ("line", "column", "end_line", "end_column", "empty", "start_pos", "end_pos")

    def __init__(self, span: Span) -> None:
        self.line, self.column = span.line, span.col
        self.end_line, self.end_column = span.end_line, span.end_col
        self.empty = False
        self.start_pos = self.end_pos = 0


# ---- types (hints only) ----------------------------------------------------------

@dataclass(eq=False, slots=True)
class TypeRef(Node):
    """A type annotation. ``kind`` is what the language maps it to:
    int, float, bool, string, array, unit, ref (``&``/``&mut``) or other."""

    kind: str
    text: str
    inner: Optional["TypeRef"] = None
    mutable: bool = False
    #: type arguments and tuple elements (``HashMap<K, V>``, ``(i64, String)``; kind
    #: ``tuple`` for a tuple type). Level 3 kinds: tuple, char, fn, and other (a named
    #: struct, enum, trait object or generic parameter: ``text`` says which).
    args: list["TypeRef"] = field(default_factory=list)


# ---- expressions -----------------------------------------------------------------

@dataclass(eq=False, slots=True)
class IntLit(Node):
    value: int


@dataclass(eq=False, slots=True)
class FloatLit(Node):
    value: float


@dataclass(eq=False, slots=True)
class BoolLit(Node):
    value: bool


@dataclass(eq=False, slots=True)
class StrLit(Node):
    value: str


@dataclass(eq=False, slots=True)
class UnitLit(Node):
    pass


@dataclass(eq=False, slots=True)
class FmtArg(Node):
    """One ``{expr:spec}`` hole of an f-string."""

    expr: "Expr"
    spec: str = ""


@dataclass(eq=False, slots=True)
class FStr(Node):
    """An f-string: literal text pieces and holes, in order."""

    parts: list[Union[str, FmtArg]]


@dataclass(eq=False, slots=True)
class Name(Node):
    id: str
    #: turbofish type arguments written after the name: ``make::<Point>()``
    type_args: tuple["TypeRef", ...] = ()


@dataclass(eq=False, slots=True)
class Path(Node):
    """``Type::name``, as in ``Vec::new``; longer paths keep all but the last segment in
    ``owner``: ``std::f64::consts::PI`` is owner ``std::f64::consts``, name ``PI``;
    ``Shape::Circle``, ``Self::new``, ``m::f``. Turbofish arguments after the last
    segment are kept in ``type_args`` (``m::make::<Point>``); those inside the owner are
    dropped (``Vec::<i64>::new`` is owner ``Vec``, name ``new``)."""

    owner: str
    name: str
    type_args: tuple["TypeRef", ...] = ()


@dataclass(eq=False, slots=True)
class Unary(Node):
    op: str  # '-' or '!'
    operand: "Expr"


@dataclass(eq=False, slots=True)
class Binary(Node):
    op: str
    left: "Expr"
    right: "Expr"
    op_span: Span = NO_SPAN


@dataclass(eq=False, slots=True)
class Ref(Node):
    """``&e`` or ``&mut e``: a ``&mut`` of an array lets a callee change the caller's."""

    mutable: bool
    operand: "Expr"


@dataclass(eq=False, slots=True)
class Deref(Node):
    operand: "Expr"


@dataclass(eq=False, slots=True)
class Call(Node):
    """A call ``f(args)``; ``macro`` is true for ``f!(args)``."""

    callee: "Expr"
    args: list["Expr"]
    macro: bool = False


@dataclass(eq=False, slots=True)
class Index(Node):
    target: "Expr"
    index: "Expr"
    op_span: Span = NO_SPAN


@dataclass(eq=False, slots=True)
class MethodCall(Node):
    receiver: "Expr"
    method: str
    args: list["Expr"]
    op_span: Span = NO_SPAN
    #: turbofish type arguments: ``s.parse::<i64>()``, ``it.collect::<Vec<_>>()``
    type_args: list[TypeRef] = field(default_factory=list)


@dataclass(eq=False, slots=True)
class Field(Node):
    target: "Expr"
    name: str
    op_span: Span = NO_SPAN


@dataclass(eq=False, slots=True)
class Cast(Node):
    value: "Expr"
    type: TypeRef
    op_span: Span = NO_SPAN


@dataclass(eq=False, slots=True)
class ArrayLit(Node):
    elems: list["Expr"]


@dataclass(eq=False, slots=True)
class ArrayRepeat(Node):
    """``[value; count]`` and ``vec![value; count]``."""

    value: "Expr"
    count: "Expr"


@dataclass(eq=False, slots=True)
class Block(Node):
    """``{ stmts }``; its value is the value of the last statement (unit if empty)."""

    stmts: list["Stmt"]


@dataclass(eq=False, slots=True)
class If(Node):
    cond: "Expr"
    then: Block
    orelse: Optional["Expr"] = None  # a Block or another If


@dataclass(eq=False, slots=True)
class While(Node):
    cond: "Expr"
    body: Block
    #: the loop's label without its quote (``'outer: while`` is ``outer``)
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class Loop(Node):
    body: Block
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class For(Node):
    """``for var in iterable``: an array (or string) value. ``for pat in ..`` with a
    pattern that is not a plain name (``for (i, x) in ..``) has ``pattern``, and
    ``var`` is a fresh name (``_for<line>_<col>``) that the pattern takes apart."""

    var: str
    iterable: "Expr"
    body: Block
    pattern: Optional["Pat"] = None
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class ForRange(Node):
    """``for var in start..end`` (``inclusive`` for ``..=``): any ``for`` whose iterable
    is syntactically a range with both ends. ``pattern`` and ``var`` as in :class:`For`."""

    var: str
    start: "Expr"
    end: "Expr"
    inclusive: bool
    body: Block
    pattern: Optional["Pat"] = None
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class Pattern(Node):
    """A scalar pattern. kind: int, float, str, bool, char (value a str of one
    character), wild (``_``), bind (value: the name), range (value..=high; int or char
    bounds). A ``bind`` may be ``mut x``, ``ref x``, ``ref mut x`` (``mutable``,
    ``by_ref``) and ``x @ sub`` (``sub``). Open ranges: ``5..`` has ``high`` None, ``..=5`` has
    ``value`` None. A bare name is parsed as ``bind``; the
    resolution layer decides whether it names a unit variant or const instead (Rust's
    rule), as it does for ``None``."""

    kind: str
    value: object = None
    high: object = None
    inclusive: bool = True
    mutable: bool = False
    by_ref: bool = False
    sub: Optional["Pat"] = None


@dataclass(eq=False, slots=True)
class TuplePat(Node):
    """``(a, b, ..)``: elements in order; at most one is a :class:`RestPat`."""

    kind: ClassVar[str] = "tuple"
    elems: list["Pat"]


@dataclass(eq=False, slots=True)
class RestPat(Node):
    """``..`` inside a tuple, tuple-struct or slice pattern; ``name @ ..`` in a slice
    binds the middle (``name``)."""

    kind: ClassVar[str] = "rest"
    name: Optional[str] = None


@dataclass(eq=False, slots=True)
class SlicePat(Node):
    """``[first, .., last]``, ``[x]``, ``[]``: at most one :class:`RestPat`."""

    kind: ClassVar[str] = "slice"
    elems: list["Pat"]


@dataclass(eq=False, slots=True)
class PathPat(Node):
    """A path that names a unit variant, unit struct or const: ``Color::Red``,
    ``None`` (after resolution), ``E::A``. ``path`` is the ``::``-joined text."""

    kind: ClassVar[str] = "path"
    path: str


@dataclass(eq=False, slots=True)
class TupleStructPat(Node):
    """``Some(x)``, ``Shape::Circle(r)``, ``Meters(m)``, ``E::B(a, ..)``."""

    kind: ClassVar[str] = "tuple_struct"
    path: str
    elems: list["Pat"]


@dataclass(eq=False, slots=True)
class FieldPat(Node):
    """One ``name: pat`` of a struct pattern; shorthand ``name`` (and ``ref``/``mut``
    ``name``) is ``name: name`` with a ``bind`` pattern."""

    name: str
    pat: "Pat"


@dataclass(eq=False, slots=True)
class StructPat(Node):
    """``P { x, y: 0, .. }``, ``Shape::Rect { w, h }``; ``rest`` for a trailing ``..``.
    Ruchy's object pattern ``{ name: "Bob", .. }`` has ``path`` ``""`` (any value with
    those fields: an object, a struct or a variant)."""

    kind: ClassVar[str] = "struct"
    path: str
    fields: list[FieldPat]
    rest: bool = False


@dataclass(eq=False, slots=True)
class OrPat(Node):
    """``a | b`` nested inside another pattern (``Some(1 | 2)``). A match arm's own
    top-level alternatives stay in :attr:`MatchArm.patterns`."""

    kind: ClassVar[str] = "or"
    alts: list["Pat"]


@dataclass(eq=False, slots=True)
class RefPat(Node):
    """``&pat`` (and ``&mut pat``): matches the value itself (references are values)."""

    kind: ClassVar[str] = "ref"
    pat: "Pat"


Pat = Node  # Pattern, TuplePat, RestPat, SlicePat, PathPat, TupleStructPat, StructPat, OrPat, RefPat


@dataclass(eq=False, slots=True)
class MatchArm(Node):
    patterns: list["Pat"]
    guard: Optional["Expr"]
    body: "Expr"


@dataclass(eq=False, slots=True)
class Match(Node):
    scrutinee: "Expr"
    arms: list[MatchArm]


@dataclass(eq=False, slots=True)
class Break(Node):
    value: Optional["Expr"] = None
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class Continue(Node):
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class Return(Node):
    value: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class CharLit(Node):
    """``'a'``, ``'\\n'``, ``'\\u{1F600}'``: ``value`` is a str of one character."""

    value: str


@dataclass(eq=False, slots=True)
class TupleLit(Node):
    """``(a, b)`` and ``(a,)``; ``()`` stays :class:`UnitLit`."""

    elems: list["Expr"]


@dataclass(eq=False, slots=True)
class FieldInit(Node):
    """One ``name: value`` of a struct literal; shorthand ``name`` has value Name(name)."""

    name: str
    value: "Expr"


@dataclass(eq=False, slots=True)
class StructLit(Node):
    """``P { x: 1.0, y }``, ``Self { .. }``, ``Shape::Rect { w: 1, h: 2 }`` and
    ``P { x: 0.0, ..base }``. ``path`` is the ``::``-joined type or variant path.
    Tuple structs and tuple variants are built by calls (``M(1)``, ``E::B(1, 2)``)."""

    path: str
    fields: list[FieldInit]
    base: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class Try(Node):
    """``e?``: the ``Some``/``Ok`` payload, or return the ``None``/``Err`` early."""

    operand: "Expr"


@dataclass(eq=False, slots=True)
class IfLet(Node):
    """``if let pat = value { } else { }`` (``orelse`` a Block, If or IfLet)."""

    pattern: "Pat"
    value: "Expr"
    then: Block
    orelse: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class WhileLet(Node):
    """``while let pat = value { }``."""

    pattern: "Pat"
    value: "Expr"
    body: Block
    label: Optional[str] = None


@dataclass(eq=False, slots=True)
class Closure(Node):
    """``|a, b: i64| expr``, ``move || { }``: parameters (patterns allowed as in
    functions), an optional return type, the body. Level 3 part 2 gives it meaning."""

    params: list["Param"]
    body: "Expr"
    ret: Optional[TypeRef] = None
    move: bool = False


@dataclass(eq=False, slots=True)
class Range(Node):
    """A range as a value: ``a..b``, ``a..=b`` (``inclusive``), ``a..``, ``..b``,
    ``..=b``, ``..`` (a missing end is None). A ``for`` over a range with both ends is
    a :class:`ForRange` instead."""

    start: Optional["Expr"]
    end: Optional["Expr"]
    inclusive: bool = False


@dataclass(eq=False, slots=True)
class MacroPat(Node):
    """``matches!(value, pat if guard)``: the one macro whose argument is a pattern."""

    value: "Expr"
    patterns: list["Pat"]
    guard: Optional["Expr"] = None


Expr = Node  # every expression node; statements below are nodes too

# ---- statements and items --------------------------------------------------------

@dataclass(eq=False, slots=True)
class Let(Node):
    name: str
    mutable: bool
    type: Optional[TypeRef]
    value: Expr


@dataclass(eq=False, slots=True)
class LetPat(Node):
    """``let pat = value`` for a pattern that is not a plain name (``let (a, b) = t``,
    ``let P { x, y } = p``, ``let [a, b] = arr``); ``orelse`` is the block of
    ``let pat = value else { ... }``. ``let x = e in body`` is parsed as a Block of a
    Let and the body (its scope ends with the body)."""

    pattern: "Pat"
    type: Optional[TypeRef]
    value: Expr
    orelse: Optional[Block] = None


@dataclass(eq=False, slots=True)
class Assign(Node):
    """``target op value`` where op is ``=`` or a compound ``+=`` etc.; target is a
    place: a Name, then any chain of Index and Field (``a[i].pos.x``, ``t.0``,
    ``self.items[k]``), possibly under a Deref (``*r = v``)."""

    target: Expr
    op: str
    value: Expr
    op_span: Span = NO_SPAN


Stmt = Node


@dataclass(eq=False, slots=True)
class Param(Node):
    """A parameter. ``self`` in its three forms is name ``self`` with ``self_mode``
    ``value`` (``self``/``mut self``), ``ref`` (``&self``) or ``mut_ref`` (``&mut
    self``). A destructuring parameter (``(a, b): (i64, i64)``) has ``pattern`` and a
    fresh ``name`` (``_p0``, ``_p1``...) that the pattern takes apart."""

    name: str
    mutable: bool = False
    type: Optional[TypeRef] = None
    self_mode: Optional[str] = None
    pattern: Optional["Pat"] = None
    #: Ruchy's default value (``y: i64 = 5``), used when a call omits the argument
    default: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class FunDef(Node):
    """``fn``/``fun``. ``body`` is None for a trait method without a default body.
    Generic parameters and ``where`` clauses are accepted and dropped."""

    name: str
    params: list[Param]
    ret: Optional[TypeRef]
    body: Optional[Block]


@dataclass(eq=False, slots=True)
class ConstDef(Node):
    """``const N: T = e`` and ``static [mut] N: T = e`` (``static``, ``mutable``)."""

    name: str
    type: Optional[TypeRef]
    value: Expr
    static: bool = False
    mutable: bool = False


@dataclass(eq=False, slots=True)
class FieldDef(Node):
    """A field of a struct or struct variant (``name`` ``0``, ``1``... for tuple ones)."""

    name: str
    type: Optional[TypeRef]
    #: Ruchy's default value (``port: i32 = 8080``), used when a literal omits the field
    default: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class StructDef(Node):
    """``struct P { x: f64 }`` (shape ``named``), ``struct M(i64);`` (``tuple``),
    ``struct U;`` (``unit``)."""

    name: str
    shape: str
    fields: list[FieldDef]


@dataclass(eq=False, slots=True)
class VariantDef(Node):
    """One enum variant: shape ``unit`` (``A``, optionally ``A = 3``: ``discriminant``),
    ``tuple`` (``B(i64, i64)``) or ``named`` (``C { x: i64 }``)."""

    name: str
    shape: str
    fields: list[FieldDef]
    discriminant: Optional[int] = None


@dataclass(eq=False, slots=True)
class EnumDef(Node):
    name: str
    variants: list[VariantDef]


@dataclass(eq=False, slots=True)
class ImplDef(Node):
    """``impl P { ... }`` and ``impl Trait for P { ... }``: ``type_name`` is the
    implementing type's name without generic arguments (``P`` for ``P<T>``);
    ``items`` are FunDefs and ConstDefs (associated consts; ``type X = ..`` dropped)."""

    type_name: str
    trait: Optional[str]
    items: list[Node]


@dataclass(eq=False, slots=True)
class TraitDef(Node):
    """``trait T { fn m(&self) -> i64; fn d(&self) -> i64 { ... } }``: methods with a
    body are defaults; ``const`` items too."""

    name: str
    items: list[Node]


@dataclass(eq=False, slots=True)
class ModDef(Node):
    """``mod m { items }`` (``pub`` dropped); nested modules nest."""

    name: str
    items: list[Node]


@dataclass(eq=False, slots=True)
class UseDecl(Node):
    """``use a::b::c;`` (path ``['a','b','c']``), ``use a::b::{c, d as e};`` (one
    UseDecl per imported name, ``alias`` for ``as``), ``use E::*;`` (``glob``)."""

    path: list[str]
    alias: Optional[str] = None
    glob: bool = False


@dataclass(eq=False, slots=True)
class Program(Node):
    """A whole file: items (functions, consts, structs, enums, impls, traits, mods, uses
    and top-level statements) in order."""

    items: list[Node]
    filename: str = "<input>"

    @property
    def functions(self) -> dict[str, FunDef]:
        return {i.name: i for i in self.items if isinstance(i, FunDef)}


#: The field names of each node class that can hold child nodes (spans are never nodes),
#: found once per class: ``dataclasses.fields`` at every node was most of a tree walk.
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: Node) -> Iterator[Node]:
    """The direct child nodes of ``node``, in field order."""
    names = _CHILD_FIELDS.get(type(node))
    if names is None:
        names = _CHILD_FIELDS[type(node)] = tuple(
            f.name for f in fields(node) if f.name not in ("span", "op_span"))
    for name in names:
        v = getattr(node, name)
        if isinstance(v, Node):
            yield v
        elif isinstance(v, list):
            for x in v:
                if isinstance(x, Node):
                    yield x


def error_span(node: Node) -> Span:
    """Where an error raised by ``node`` should point: its operator if it has one."""
    op = getattr(node, "op_span", NO_SPAN)
    return op if op is not NO_SPAN and op.line else node.span


def dump(node: object, indent: int = 0) -> str:
    """A readable, indented rendering of an AST (what ``--emit=ast`` prints)."""
    pad = "  " * indent
    if not is_dataclass(node):
        return pad + repr(node)
    name = type(node).__name__
    span = getattr(node, "span", None)
    head = f"{pad}{name}" + (f" @{span}" if span and span.line else "")
    scalars, nested = [], []
    for f in fields(node):
        if f.name in ("span", "op_span"):
            continue
        v = getattr(node, f.name)
        if isinstance(v, Node) or (isinstance(v, list) and any(isinstance(x, Node) for x in v)):
            nested.append((f.name, v))
        elif v is not None and not (isinstance(v, list) and not v):
            scalars.append(f"{f.name}={v!r}")
    lines = [head + (" " + " ".join(scalars) if scalars else "")]
    for fname, v in nested:
        if isinstance(v, list):
            lines.append(f"{pad}  {fname}:")
            for x in v:
                lines.append(dump(x, indent + 2) if isinstance(x, Node) else f"{pad}    {x!r}")
        else:
            lines.append(f"{pad}  {fname}:")
            lines.append(dump(v, indent + 2))
    return "\n".join(lines)
