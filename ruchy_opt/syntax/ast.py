"""The Ruchy abstract syntax tree: plain dataclasses, each node with its source span.

Every node carries ``span`` (where the node starts and ends in the source). Nodes whose
errors are best shown at an operator (``a / b`` fails at the ``/``) also carry
``op_span``; :func:`error_span` picks the right one for diagnostics.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Iterator, Optional, Union


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


@dataclass(eq=False, slots=True)
class Path(Node):
    """``Type::name``, as in ``Vec::new``."""

    owner: str
    name: str


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


@dataclass(eq=False, slots=True)
class Loop(Node):
    body: Block


@dataclass(eq=False, slots=True)
class For(Node):
    """``for var in iterable``: an array (or string) value."""

    var: str
    iterable: "Expr"
    body: Block


@dataclass(eq=False, slots=True)
class ForRange(Node):
    """``for var in start..end`` (``inclusive`` for ``..=``)."""

    var: str
    start: "Expr"
    end: "Expr"
    inclusive: bool
    body: Block


@dataclass(eq=False, slots=True)
class Pattern(Node):
    """A match pattern. kind: int, float, str, bool, wild, bind, range (value..=high)."""

    kind: str
    value: object = None
    high: object = None
    inclusive: bool = True


@dataclass(eq=False, slots=True)
class MatchArm(Node):
    patterns: list[Pattern]
    guard: Optional["Expr"]
    body: "Expr"


@dataclass(eq=False, slots=True)
class Match(Node):
    scrutinee: "Expr"
    arms: list[MatchArm]


@dataclass(eq=False, slots=True)
class Break(Node):
    value: Optional["Expr"] = None


@dataclass(eq=False, slots=True)
class Continue(Node):
    pass


@dataclass(eq=False, slots=True)
class Return(Node):
    value: Optional["Expr"] = None


Expr = Node  # every expression node; statements below are nodes too

# ---- statements and items --------------------------------------------------------

@dataclass(eq=False, slots=True)
class Let(Node):
    name: str
    mutable: bool
    type: Optional[TypeRef]
    value: Expr


@dataclass(eq=False, slots=True)
class Assign(Node):
    """``target op value`` where op is ``=`` or a compound ``+=`` etc.;
    target is a Name or an Index chain rooted at a Name."""

    target: Expr
    op: str
    value: Expr
    op_span: Span = NO_SPAN


Stmt = Node


@dataclass(eq=False, slots=True)
class Param(Node):
    name: str
    mutable: bool = False
    type: Optional[TypeRef] = None


@dataclass(eq=False, slots=True)
class FunDef(Node):
    name: str
    params: list[Param]
    ret: Optional[TypeRef]
    body: Block


@dataclass(eq=False, slots=True)
class ConstDef(Node):
    name: str
    type: Optional[TypeRef]
    value: Expr


@dataclass(eq=False, slots=True)
class Program(Node):
    """A whole file: items (functions, consts and top-level statements) in order."""

    items: list[Node]
    filename: str = "<input>"

    @property
    def functions(self) -> dict[str, FunDef]:
        return {i.name: i for i in self.items if isinstance(i, FunDef)}


def children(node: Node) -> Iterator[Node]:
    """The direct child nodes of ``node``, in field order."""
    for f in fields(node):
        v = getattr(node, f.name)
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
