"""What the SSA IR does not have yet: the Level 3 constructs (LANGUAGE.md) of a function.

Until the Level 3 IR exists, lowering refuses a function (the top level included) that
uses one, with the first such construct and its position: :func:`find_level3` walks a
body once, in source order, with the function's scopes (a name bound by ``let`` or a
parameter is a local; otherwise the resolution layer says what it names). Everything
not known to be Level 1 or 2 counts as Level 3 (an AST class this module does not list
is reported by its name), so a new construct can never slip into the IR unnoticed.

Consumers decide what a refusal means: ``--tier=ir``, ``--emit=ssa`` and the
whole-program compiler report it as an error (:class:`NotInIR`, a syntax error with a
position); tiers 1, 2 and auto leave the function in the interpreter (lower/module.py
``lower_partial``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional, Sequence

from ..errors import RuchySyntaxError
from ..ir.ops_library import PURE_METHODS
from ..runtime.constants import PATH_CONSTANTS
from ..runtime.element_refs import ELEMENT_REFS
from ..runtime.methods import PLACE_MUTATORS
from ..syntax import ast as A

#: Built-in methods the IR has (their Level 2 meaning; runtime/methods.py). ``chars``
#: and ``split`` are not among them: at Level 3 they return lazy iterators.
IR_METHODS = frozenset({
    "len", "is_empty", "to_string", "clone", "abs", "sqrt", "min", "max", "pow", "powi",
    "powf", "floor", "ceil", "round", "trunc", "sin", "cos", "tan", "atan", "exp", "ln",
    "log10", "log2", "is_nan", "push", "pop", "insert", "remove", "contains", "sort",
    "reverse", "join", "to_uppercase", "to_lowercase", "trim", "starts_with", "ends_with"})
#: Option and Result methods the IR has (runtime/options.py, called as tier 0 calls
#: them; a closure argument is an IR closure the runtime calls back): Level 3, so not
#: compiled yet.
IR_OPTION_METHODS = frozenset({"unwrap", "expect", "unwrap_or", "is_some", "is_none",
                               "is_ok", "is_err", "unwrap_err", "ok", "err", "ok_or",
                               "unwrap_or_else", "map", "map_err", "map_or", "map_or_else",
                               "and_then", "or_else", "filter", "ok_or_else", "is_some_and",
                               "is_ok_and", "is_none_or"})
#: Methods of the ``f`` of an ``impl Display``/``impl Debug``'s ``fmt`` the IR has (the
#: runtime's: runtime/ops.py, runtime/debug_builders.py): Level 3, so not compiled yet.
IR_FORMATTER_METHODS = frozenset({"write_str", "alternate", "debug_struct", "debug_tuple",
                                  "debug_list", "debug_set", "debug_map", "field", "entry",
                                  "finish", "finish_non_exhaustive"})
#: The other built-in methods the IR has, Level 3 (not compiled yet): the pure ones
#: (numeric and char methods: ``method.pure``, ir/ops_library.py) and these, which the
#: ``method`` op runs through the runtime's table (``cmp`` orders arrays by reading
#: them; ``unwrap_or_default`` is given the default of its receiver's declared type:
#: lower/defaults.py).
IR_LIBRARY_METHODS = frozenset({"cmp", "partial_cmp", "is_alphabetic", "is_numeric",
                                "is_alphanumeric", "eq_ignore_ascii_case",
                                "unwrap_or_default"})
#: Built-in functions and macros the IR has (lower/calls.py).
IR_BUILTINS = frozenset({"println", "print", "eprintln", "eprint", "format", "panic",
                         "assert", "assert_eq", "assert_ne", "len"})
IR_MACROS = IR_BUILTINS - {"len"}
#: Macros of Level 3 the IR has: ``write!``/``writeln!`` (lower/traits.write_macro).
IR_WRITE_MACROS = frozenset({"write", "writeln"})
#: Where the format string is among the arguments of the built-ins that take one.
_FORMAT_FROM = {"println": 0, "print": 0, "eprintln": 0, "eprint": 0, "format": 0,
                "panic": 0, "assert": 1, "assert_eq": 2, "assert_ne": 2, "write": 1,
                "writeln": 1}
#: ``Type::name(..)`` calls the IR has.
IR_PATH_CALLS = frozenset({"Vec::new", "Vec::with_capacity", "String::new", "String::from"})
#: Top-level items that are not statements (the top-level function skips them).
ITEMS = (A.StructDef, A.EnumDef, A.ImplDef, A.TraitDef, A.ModDef, A.UseDecl)

#: What each Level 3 AST class is called in the message.
_NAMES = {
    "CharLit": "a char literal", "TupleLit": "a tuple", "Try": "the '?' operator",
    "IfLet": "'if let'", "WhileLet": "'while let'", "Closure": "a closure",
    "MacroPat": "'matches!'", "LetPat": "'let' with a pattern",
    "TuplePat": "a tuple pattern", "RestPat": "a '..' pattern", "SlicePat": "a slice pattern",
    "PathPat": "a path pattern", "TupleStructPat": "a tuple-struct pattern",
    "StructPat": "a struct pattern", "OrPat": "a nested '|' pattern",
    "RefPat": "a '&' pattern", "StructDef": "a struct definition inside a function",
    "EnumDef": "an enum definition inside a function",
    "ImplDef": "an impl block inside a function",
    "TraitDef": "a trait definition inside a function",
    "ModDef": "a module inside a function", "UseDecl": "'use' inside a function",
    "ConstDef": "a const item inside a function",
}


class NotInIR(RuchySyntaxError):
    """A Level 3 construct, which the SSA IR does not have yet."""

    def __init__(self, construct: str, span: A.Span) -> None:
        super().__init__(f"{construct} is not in the IR yet", span)
        self.construct = construct


class NotCompiled(NotInIR):
    """A construct the IR has (structs and tuples) but code generation does not yet:
    lowering for a compiled tier refuses it, so the function stays in the interpreter
    (a NotInIR, so every consumer that handles one handles this too)."""

    def __init__(self, construct: str, span: A.Span) -> None:
        RuchySyntaxError.__init__(self, f"{construct} is not in compiled code yet", span)
        self.construct = construct


@dataclass
class Names:
    """What the program-level names of a program are, for :func:`find_level3`:
    ``functions`` the plain top-level functions, ``consts`` the consts (and immutable
    statics) the IR reads as globals, ``info`` the resolution layer's tables (None: the
    program has no Level 3 items, built lazily)."""

    functions: Sequence[str]
    consts: set[str]
    statics: set[str] = field(default_factory=set)   # ``static mut``: changed at run time
    globals: set[str] = field(default_factory=set)   # top-level ``let``s
    info: object = None


def program_names(prog: A.Program) -> Names:
    """The :class:`Names` of a parsed program."""
    from ..resolve import check_repointed, resolve_program
    functions = [i.name for i in prog.items if isinstance(i, A.FunDef)]
    consts = {i.name for i in prog.items if isinstance(i, A.ConstDef) and not i.mutable}
    statics = {i.name for i in prog.items if isinstance(i, A.ConstDef) and i.mutable}
    lets = {i.name for i in prog.items if isinstance(i, A.Let)}
    try:
        info = resolve_program(prog)
    except RuchySyntaxError:
        info = None  # items defined twice: tier 0 reports it
    check_repointed(prog)  # (as tier 0: interp/program.py)
    return Names(functions, consts, statics, lets, info)


def not_a_plain_function(names: Names, name: str) -> NotInIR:
    """Why a function tier 0 runs under a qualified name (``Point::new``, ``m::f``) is
    not in the IR: the IR has only the file's own top-level functions."""
    fn = getattr(names.info, "functions", {}).get(name)
    span = fn.node.span if fn is not None else A.NO_SPAN
    if fn is not None and fn.owner is not None:
        what = "method" if fn.self_mode is not None else "associated function"
        if ir_method(names, fn):  # in the IR (lower/methods.py), not in compiled code
            return NotCompiled(f"the {what} '{name}'", span)
        return NotInIR(f"the {what} '{name}'", span)
    return NotInIR(f"the function '{name}' of a module", span)


def find_level3(params: Sequence[A.Param], body: Sequence[A.Node], names: Names,
                toplevel: bool = False, aggregates: bool = False,
                self_type: Optional[str] = None, module: str = "") -> Optional[NotInIR]:
    """The first Level 3 construct of a function (its parameters and body statements),
    or None if the IR has all of it. With ``aggregates`` the structs and tuples the IR
    has are accepted (lower/aggregates.py); without, they are refused as not compiled
    (:class:`NotCompiled`). ``self_type`` is the type of the ``impl`` a method is in,
    ``module`` the scope its names are looked up in (the resolution layer's
    ``FnInfo.module``)."""
    finder = _Finder(names, toplevel, aggregates, self_type, module)
    finder.source = (list(params), list(body))
    finder.blocks = [list(body)]
    try:
        for p in params:
            finder.param(p)
        finder.scopes.append({s.name for s in body if isinstance(s, A.FunDef)})
        finder.statements(body)
        for k, s in enumerate(body):
            if not (toplevel and isinstance(s, (A.FunDef, *ITEMS))):
                if k < len(body) - 1:
                    finder.reference(s)  # (the reference a statement makes, unused)
                finder.visit(s)
        _check_reference_uses(body, names)
    except NotInIR as e:
        return e
    return None


def _check_reference_uses(body: Sequence[A.Node], names: Names,
                          refs: frozenset = frozenset()) -> None:
    """Refuse the uses of a variable that may hold a reference into a collection (a
    runtime cell: ``let r = m.get_mut(&k).unwrap()``, ``let r = vacant.insert(v)``)
    that the IR would get wrong: passed to a call, stored (``let w = r``, into a tuple,
    struct or array), returned, or captured by a closure. The IR keeps ``*r``,
    ``*r op= v``, ``r.method()`` and printing ``r`` (lower/places.assign_through)."""
    from ..resolve.iterators import place_call
    from .elemrefs import let_reference
    bound: set[str] = set(refs)  # (the parameters of `e.and_modify(|v| ..)`'s closure)
    for n in _walk(body):
        if isinstance(n, A.Let) and let_reference(names.info, n.value) is None and (
                place_call(names.info, n.value) is not None or (
                    isinstance(n.value, A.MethodCall) and n.value.method == "insert"
                    and len(n.value.args) == 1)):
            bound.add(n.name)
    if not bound:
        return

    def bad(n: A.Node) -> bool:
        while isinstance(n, A.Ref):
            n = n.operand
        return isinstance(n, A.Name) and n.id in bound

    found: list[A.Node] = []

    def refuse(n: A.Node) -> None:
        while isinstance(n, A.Ref):
            n = n.operand
        found.append(n)

    stack: list[tuple[A.Node, bool]] = [(s, False) for s in body]
    last = body[-1] if body else None
    while stack:
        n, in_closure = stack.pop()
        if in_closure and isinstance(n, A.Name) and n.id in bound:
            refuse(n)
        args: list[A.Node] = []
        if isinstance(n, A.Call) and not n.macro:
            args = list(n.args)
        elif isinstance(n, A.MethodCall):
            args = list(n.args)
        elif isinstance(n, (A.Let, A.Assign)):
            args = [n.value] if not isinstance(n, A.Assign) or n.op == "=" else []
        elif isinstance(n, A.Return) and n.value is not None:
            args = [n.value]
        elif isinstance(n, (A.TupleLit, A.ArrayLit)):
            args = list(n.elems)
        elif isinstance(n, A.StructLit):
            args = [f.value for f in n.fields]
        for a in args:
            if bad(a):
                refuse(a)
        inner = in_closure or isinstance(n, A.Closure)
        stack.extend((c, inner) for c in A.children(n) if c is not None)
    if last is not None and bad(last):
        refuse(last)
    if found:  # the first in the source
        n = min(found, key=lambda x: (x.span.line, x.span.col))
        raise NotInIR(f"a use of '{n.id}', which may be a reference into a collection, "  # type: ignore[attr-defined]
                      "other than through '*' or as a receiver", n.span)


class _Finder:
    """One walk over a function (see the module docstring); raises NotInIR."""

    def __init__(self, names: Names, toplevel: bool, aggregates: bool = False,
                 self_type: Optional[str] = None, module: str = "") -> None:
        self.names = names
        self.toplevel = toplevel
        self.aggregates = aggregates
        self.self_type = self_type
        self.module = module
        self.scopes: list[set[str]] = [set()]
        #: the function's parameters and body (for the closures' captures), and the
        #: captures of its closures once a closure is met
        self.source: tuple[list, list] = ([], [])
        self.plan: Optional[dict] = None
        #: method calls that are the receiver of a mutating method (a reference into a
        #: collection there is written through, not stored: lower/iterators.py)
        self.place_receivers: set[int] = set()
        #: the statements of the blocks being walked, innermost last
        self.blocks: list[list[A.Node]] = []

    def aggregate(self, what: str, span: A.Span) -> None:
        """A struct or tuple construct: in the IR, but not compiled yet."""
        if not self.aggregates:
            raise NotCompiled(what, span)

    # ---- scopes --------------------------------------------------------------------------

    def local(self, name: str) -> bool:
        return any(name in s for s in self.scopes)

    def bind(self, name: str) -> None:
        self.scopes[-1].add(name)

    def param(self, p: A.Param) -> None:
        if p.self_mode is not None or p.name == "self":
            if self.self_type is None or not self.aggregates:
                raise NotInIR("a 'self' parameter (a method)", p.span)
        if p.pattern is not None:
            self.aggregate("a pattern parameter", p.span)
            self.pattern(p.pattern, "a pattern parameter")
            return
        self.bind(p.name)

    def item(self, name: str) -> object:
        """What the resolution layer says a free name is (None: nothing)."""
        if self.names.info is None:
            return None
        from ..resolve import lookup
        return lookup(self.names.info, name, self.module,  # type: ignore[arg-type]
                      self.self_type)

    def pattern(self, pat: A.Node, what: str) -> None:
        """A pattern (of a ``let``, ``for``, parameter, ``match`` arm, ``if let``...):
        bind its names; refuse what the IR's patterns do not have (lower/patterns.py
        emits the resolution layer's plan of the rest). Anything beyond Level 1's
        literals, int ranges, ``_`` and plain bindings is not compiled yet."""
        if isinstance(pat, A.Pattern):
            self.scalar_pattern(pat, what)
        elif isinstance(pat, A.TuplePat):
            self.aggregate("a tuple pattern", pat.span)
            for e in pat.elems:
                if not isinstance(e, A.RestPat):  # (`name @ ..`: only in a slice)
                    self.pattern(e, what)
        elif isinstance(pat, A.SlicePat):
            self.aggregate("a slice pattern", pat.span)
            for e in pat.elems:
                if isinstance(e, A.RestPat):
                    if e.name:
                        self.bind(e.name)
                else:
                    self.pattern(e, what)
        elif isinstance(pat, A.RefPat):
            self.pattern(pat.pat, what)
        elif isinstance(pat, A.OrPat):
            self.aggregate("a nested '|' pattern", pat.span)
            for alt in pat.alts:
                self.pattern(alt, what)
        elif isinstance(pat, A.PathPat):
            self.aggregate("a path pattern", pat.span)
            self.pattern_item(pat.path, pat)
        elif isinstance(pat, A.TupleStructPat):
            self.aggregate("a tuple-struct pattern", pat.span)
            self.pattern_item(pat.path, pat)
            for e in pat.elems:
                if not isinstance(e, A.RestPat):
                    self.pattern(e, what)
        elif isinstance(pat, A.StructPat):
            if not pat.path:
                raise NotInIR(f"an object pattern in {what}", pat.span)
            self.aggregate("a struct pattern", pat.span)
            self.pattern_item(pat.path, pat)
            for fp in pat.fields:
                self.pattern(fp.pat, what)
        else:
            kind = _NAMES.get(type(pat).__name__) or f"a {getattr(pat, 'kind', '?')} pattern"
            raise NotInIR(f"{kind} in {what}", pat.span)

    def scalar_pattern(self, node: A.Pattern, what: str) -> None:
        """A literal, range, ``_`` or binding pattern."""
        if node.kind in ("int", "str", "bool", "wild"):
            return
        if node.kind == "range" and type(node.value) is int and type(node.high) is int:
            return
        if node.kind == "range" and any(isinstance(b, float) or isinstance(b, A.FloatLit)
                                        for b in (node.value, node.high)):
            raise NotInIR(f"a float range pattern in {what}", node.span)
        if node.kind in ("float", "range", "char"):
            self.aggregate(f"a {node.kind} pattern", node.span)
            return
        if node.kind != "bind":
            raise NotInIR(f"a {node.kind} pattern in {what}", node.span)
        name = str(node.value)
        if node.sub is None and not node.by_ref and not node.mutable:
            if name in self.names.statics:
                raise NotInIR(f"the pattern '{name}' (a static)", node.span)
            if name in self.names.consts:
                self.aggregate(f"the const pattern '{name}'", node.span)
                return
            hit = self.item(name)
            if hit is not None:
                self.pattern_item(name, node)
                return
        if node.sub is not None:
            self.aggregate("an '@' binding", node.span)
            self.pattern(node.sub, what)
        if node.by_ref or node.mutable:
            self.aggregate("a 'ref' or 'mut' binding", node.span)
        self.bind(name)

    def pattern_item(self, path: str, node: A.Node) -> None:
        """The variant, struct or const a pattern names must be one the IR has."""
        from ..resolve import ConstInfo, EnumInfo, StructInfo, VariantInfo
        if path in PATH_CONSTANTS:
            return
        hit = self.item(path)
        if isinstance(hit, VariantInfo):
            enum = getattr(self.names.info, "enums", {}).get(hit.enum)
            why = ir_enum(self.names, enum)
            if not isinstance(why, EnumInfo):
                raise NotInIR(f"the variant '{path}' in a pattern" +
                              (f" ({why})" if isinstance(why, str) else ""), node.span)
            self.aggregate(f"the variant '{path}' in a pattern", node.span)
        elif isinstance(hit, StructInfo):
            why = ir_struct(self.names, hit)
            if why is not hit:
                raise NotInIR(f"the struct '{path}' in a pattern" +
                              (f" ({why})" if isinstance(why, str) else ""), node.span)
            self.aggregate(f"the struct '{path}' in a pattern", node.span)
        elif isinstance(hit, ConstInfo):
            if hit.owner is not None or hit.module or hit.name not in self.names.consts:
                raise NotInIR(f"the const '{path}' in a pattern", node.span)
            self.aggregate(f"the const pattern '{path}'", node.span)
        # (anything else: the resolution layer's static error when lowered)

    # ---- the walk ------------------------------------------------------------------------

    def visit(self, node: A.Node) -> None:
        m = getattr(self, "v_" + type(node).__name__, None)
        if m is not None:
            m(node)
            return
        if type(node).__name__ in _PLAIN:
            self.children(node)
            return
        what = _NAMES.get(type(node).__name__, f"'{type(node).__name__}'")
        raise NotInIR(what, node.span)

    def children(self, node: A.Node) -> None:
        for c in A.children(node):
            self.visit(c)

    def block(self, stmts: Sequence[A.Node], binds: Sequence[str] = ()) -> None:
        # a nested `fn` is an item: visible in the whole block, before it too
        self.scopes.append(set(binds) | {s.name for s in stmts if isinstance(s, A.FunDef)})
        self.blocks.append(list(stmts))
        self.statements(stmts)
        for k, s in enumerate(stmts):
            if k < len(stmts) - 1:  # `m.entry(k).or_insert(0);`: the reference unused
                self.reference(s)
            self.visit(s)
        self.blocks.pop()
        self.scopes.pop()

    def statements(self, stmts: Sequence[A.Node]) -> None:
        """Note the statements whose value is a reference nobody keeps
        (``m.entry(k).or_default();``): in the IR, as a call of the runtime's method."""
        from .elemrefs import ENTRY_REFS
        for s in stmts:
            if isinstance(s, A.MethodCall) and s.method in ENTRY_REFS:
                self.place_receivers.add(id(s))

    def v_Block(self, node: A.Block) -> None:
        self.block(node.stmts)

    def v_Let(self, node: A.Let) -> None:
        from .elemrefs import ENTRY_REFS, let_reference
        call = let_reference(self.names.info, node.value)
        if call is not None:  # `let s = m.entry(k).or_insert(d)`: lower/elemrefs.let_ref
            entry_or_ref = call.receiver if call.method in ENTRY_REFS else call
            if self.place(entry_or_ref.receiver):  # type: ignore[attr-defined]
                self.aggregate(f"a reference made by '.{call.method}()'", A.error_span(call))
                self.place_receivers.add(id(call))
        else:  # `let r = vacant.insert(v)`, `let r = o.get_mut()`: the runtime's reference
            self.reference(node.value)
        self.visit(node.value)
        self.bind(node.name)

    def reference(self, node: A.Node) -> None:
        """A place method's value used as a reference into its collection (stored by a
        ``let``, read or written through ``*``: lower/places.assign_through)."""
        from ..resolve.iterators import place_call
        while isinstance(node, A.Deref):
            node = node.operand
        call = place_call(self.names.info, node)
        if call is not None:
            self.aggregate(f"a reference into a collection ('.{call.method}()')",
                           A.error_span(call))
            self.place_receivers.add(id(call))

    def v_Deref(self, node: A.Deref) -> None:
        self.reference(node.operand)
        self.visit(node.operand)

    def v_For(self, node: A.For) -> None:
        from ..resolve.refchains import adapter_args, chain_sources, mut_iterable
        from .control import enumerated, enumerated_mut, plain_iterable
        plain: list[A.Node] = []
        if isinstance(node, A.For):  # (v_ForRange comes here too)
            one = enumerated(self.names.info, node) \
                or plain_iterable(self.names.info, node.iterable) \
                or enumerated_mut(self.names.info, node)  # `v.iter_mut().enumerate()`
            if one is None and isinstance(node.iterable, A.MethodCall):
                one = mut_iterable(self.names.info, node.iterable)  # `v.iter_mut()`
            plain = [one] if one is not None else []
            if not plain and isinstance(node.iterable, A.MethodCall):
                # `for v in m.values_mut()`, `for x in v.iter_mut().rev()` (mutloops.py)
                plain = chain_sources(self.names.info, node.iterable) + \
                    adapter_args(self.names.info, node.iterable)
        if plain:
            self.aggregate(f"'.{node.iterable.method}()' in a 'for'", node.iterable.span)
        for c in A.children(node):
            if plain and c is node.iterable:
                for n in plain:
                    self.visit(n)
            elif c is not node.body and c is not node.pattern:
                self.visit(c)
        if node.pattern is not None:
            self.aggregate("a 'for' pattern", node.pattern.span)
            self.scopes.append(set())
            self.pattern(node.pattern, "a 'for' pattern")
            self.block(node.body.stmts)
            self.scopes.pop()
            return
        self.block(node.body.stmts, [node.var])

    def v_ForRange(self, node: A.ForRange) -> None:
        self.v_For(node)  # type: ignore[arg-type]

    def v_MatchArm(self, node: A.MatchArm) -> None:
        self.scopes.append(set())
        if len(node.patterns) > 1 and any(isinstance(p, A.Pattern) and p.kind == "bind"
                                          for p in node.patterns):
            self.aggregate("a binding among '|' alternatives", node.span)
        for p in node.patterns:
            self.pattern(p, "a 'match' arm")
        if node.guard is not None:
            self.visit(node.guard)
        self.visit(node.body)
        self.scopes.pop()

    def subject(self, value: A.Node) -> None:
        """A matched value: an element reference (``v.last_mut()``) of a place is in the
        IR (lower/elemrefs.py), a view ``o.as_mut()`` of a place as the ``&mut o`` it
        is matched as (lower/matching.matched)."""
        from ..resolve.writes import viewed_place
        from .elemrefs import is_element_ref
        if is_element_ref(self.names.info, value) and self.place(value.receiver):  # type: ignore
            self.place_receivers.add(id(value))
        self.visit(viewed_place(value, self.names.info) or value)

    def v_Match(self, node: A.Match) -> None:
        self.subject(node.scrutinee)
        for arm in node.arms:
            self.visit(arm)

    def v_IfLet(self, node: A.IfLet) -> None:
        self.aggregate("'if let'", node.span)
        self.subject(node.value)
        self.scopes.append(set())
        self.pattern(node.pattern, "'if let'")
        self.block(node.then.stmts)
        self.scopes.pop()
        if node.orelse is not None:
            self.visit(node.orelse)

    def v_WhileLet(self, node: A.WhileLet) -> None:
        self.aggregate("'while let'", node.span)
        self.subject(node.value)
        self.scopes.append(set())
        self.pattern(node.pattern, "'while let'")
        self.block(node.body.stmts)
        self.scopes.pop()

    def v_MacroPat(self, node: A.MacroPat) -> None:
        self.aggregate("'matches!'", node.span)
        self.subject(node.value)
        self.scopes.append(set())
        for p in node.patterns:
            self.pattern(p, "'matches!'")
        if node.guard is not None:
            self.visit(node.guard)
        self.scopes.pop()

    def v_Try(self, node: A.Try) -> None:
        self.aggregate("the '?' operator", node.span)
        self.visit(node.operand)

    def v_Name(self, node: A.Name) -> None:
        self.free_name(node.id, node, "")

    def free_name(self, name: str, node: A.Node, use: str) -> None:
        """A name not bound in the function: a const is in the IR; a function used as a
        value, a top-level variable, a static or a Level 3 item is not."""
        if self.local(name) or (name in self.names.consts and not use):
            return
        if name in self.names.statics:
            raise NotInIR(f"the static '{name}'", node.span)
        if name in self.names.functions:
            self.aggregate(f"the function '{name}' used as a value", node.span)
            return
        if name in self.names.globals and not self.toplevel:
            raise NotInIR(f"the top-level variable '{name}' used in a function", node.span)
        if not use and self.unit_struct(name) is not None:
            self.aggregate(f"the unit struct '{name}'", node.span)
            return
        hit = self.item(name)
        if hit is not None and self.variant(hit, name, node.span):
            return
        if not use and self.const(hit, name, node.span):
            return
        if hit is not None:
            raise NotInIR(f"'{name}' ({_describe(hit)})", node.span)

    def const(self, hit: object, path: str, span: A.Span) -> bool:
        """Whether ``hit`` is a const of a module, an ``impl`` or a function body (a
        global of the IR that @ruchy.consts sets: not compiled yet); a ``static mut``
        is refused."""
        from ..resolve import ConstInfo
        if not isinstance(hit, ConstInfo):
            return False
        if hit.node.static and hit.node.mutable:
            raise NotInIR(f"the static '{path}'", span)
        if hit.name not in self.names.consts:
            self.aggregate(f"the const '{path}'", span)
        return True

    def variant(self, hit: object, path: str, span: A.Span) -> bool:
        """Whether ``hit`` is a variant of an enum the IR has (not compiled yet); a
        variant of another enum is refused, naming why."""
        from ..resolve import EnumInfo, VariantInfo
        if not isinstance(hit, VariantInfo):
            return False
        enum = getattr(self.names.info, "enums", {}).get(hit.enum)
        why = ir_enum(self.names, enum)
        if not isinstance(why, EnumInfo):
            raise NotInIR(f"'{path}' (an enum variant" +
                          (f" of {why}" if isinstance(why, str) else "") + ")", span)
        self.aggregate(f"the enum variant '{path}'", span)
        return True

    def v_Path(self, node: A.Path) -> None:
        key = f"{node.owner}::{node.name}"
        if key in PATH_CONSTANTS:
            return
        if self.unit_struct(key) is not None:
            self.aggregate(f"the unit struct '{key}'", node.span)
            return
        if self.variant(self.item(key), key, node.span):
            return
        if self.const(self.item(key), key, node.span):
            return
        from .closures import library_path
        if library_path(self.names, node, self.item(key)) is not None:
            self.aggregate(f"the library function '{key}' used as a value", node.span)
            return
        raise NotInIR(f"the path '{key}'", node.span)

    def unit_struct(self, path: str) -> object:
        """The unit struct ``path`` names, if it is one the IR has."""
        hit = self.item(path)
        return hit if ir_struct(self.names, hit) is not None and \
            getattr(hit, "shape", "") == "unit" else None

    def v_Index(self, node: A.Index) -> None:
        if isinstance(node.index, A.Range):  # `&v[a..b]` (ir/ops_sequence.slice_range)
            self.aggregate("a slice 'v[a..b]'", A.error_span(node))
            self.visit(node.target)
            for end in (node.index.start, node.index.end):
                if end is not None:
                    self.visit(end)
            return
        self.children(node)

    def v_Field(self, node: A.Field) -> None:
        what = "a tuple field" if node.name.isdigit() else "a field"
        self.aggregate(f"{what} '.{node.name}'", A.error_span(node))
        self.visit(node.target)

    def v_TupleLit(self, node: A.TupleLit) -> None:
        self.aggregate("a tuple", node.span)
        self.children(node)

    def v_StructLit(self, node: A.StructLit) -> None:
        what = f"the struct literal '{node.path} {{ .. }}'"
        item = self.item(node.path)
        if self.variant(item, node.path, node.span):
            if node.base is not None:
                raise NotInIR("'..base' in a variant literal", node.base.span)
            for f in node.fields:
                self.visit(f.value)
            return
        why = ir_struct(self.names, item)
        if why is None or isinstance(why, str):
            raise NotInIR(what if why is None else f"{what} ({why})", node.span)
        self.aggregate(what, node.span)
        decl = getattr(item, "node", None)
        given = {f.name for f in node.fields}
        if node.base is None and decl is not None and any(
                f.default is not None and f.name not in given for f in decl.fields):
            raise NotInIR(f"{what} (a field default)", node.span)
        for f in node.fields:
            self.visit(f.value)
        if node.base is not None:
            self.visit(node.base)

    def v_LetPat(self, node: A.LetPat) -> None:
        self.aggregate("'let' with a pattern", node.span)
        self.subject(node.value)
        if node.orelse is not None:
            self.aggregate("'let ... else'", node.span)
            self.visit(node.orelse)
        self.pattern(node.pattern, "'let'")

    def v_CharLit(self, node: A.CharLit) -> None:
        self.aggregate("a char literal", node.span)

    def v_Cast(self, node: A.Cast) -> None:
        """``as``: to a 64-bit int, f64 or bool everywhere; to a narrower int, f32 or
        char through the ``cast`` op (ir/ops_library.py), not compiled yet. A target
        ``as`` cannot cast to is the static error lowering reports."""
        from ..interp.opcode import cast_target
        self.visit(node.value)
        target = cast_target(node.type.text)
        if target not in (None, "int", "float", "bool"):
            self.aggregate(f"a cast to {node.type.text}", A.error_span(node))

    def v_Call(self, node: A.Call) -> None:
        callee = node.callee
        if isinstance(callee, A.Path):
            key = f"{callee.owner}::{callee.name}"
            if key not in IR_PATH_CALLS:
                self.path_call(key, node)
        elif not isinstance(callee, A.Name):
            self.aggregate("a call of a computed function", callee.span)
            self.visit(callee)
            self.closure_args(node)
        elif node.macro:
            if callee.id in IR_WRITE_MACROS and node.args:
                self.aggregate(f"the macro '{callee.id}!'", callee.span)
            elif callee.id not in IR_MACROS:
                raise NotInIR(f"the macro '{callee.id}!'", callee.span)
        elif self.local(callee.id):
            self.aggregate(f"a call of the function value '{callee.id}'", callee.span)
            self.closure_args(node)
        elif self.module_function(self.item(callee.id), callee.span):
            pass
        elif callee.id not in self.names.functions and callee.id not in IR_BUILTINS:
            if not self.constructor(callee.id, node):
                self.free_name(callee.id, callee, "call")
        if isinstance(callee, A.Name) and callee.id in _FORMAT_FROM:
            self.format_string(node.args[_FORMAT_FROM[callee.id]:])
        for a in node.args:
            self.visit(a)

    def closure_args(self, node: A.Call) -> None:
        """The arguments of a call of a closure or function value: passed by value
        (a ``&mut`` one would need the callee to write back through it)."""
        for a in node.args:
            if isinstance(a, A.Ref) and a.mutable:
                raise NotInIR("a '&mut' argument to a closure", a.span)

    def v_Closure(self, node: A.Closure) -> None:
        """A closure the IR has (lower/closures.py), unless resolve/captures.closure_plans
        refuses it (a captured variable of a loop around it, or bound by a pattern)."""
        self.aggregate("a closure", node.span)
        if self.plan is None:
            from ..resolve.captures import closure_plans
            params, body = self.source
            self.plan = closure_plans(params, A.Block(body)).closures
        plan = self.plan.get(id(node))
        if plan is not None and plan.refused is not None:
            raise NotInIR(plan.refused, node.span)
        self.scopes.append(set())
        for p in node.params:
            if p.self_mode is not None:
                raise NotInIR("a 'self' parameter of a closure", p.span)
            if p.type is not None and p.type.kind == "ref" and p.type.mutable:
                raise NotInIR("a '&mut' parameter of a closure", p.span)
            self.param(p)  # (a pattern: as a function's; its lifted function has it)
        self.visit(node.body)
        self.scopes.pop()

    def format_string(self, args: Sequence[A.Node]) -> None:
        """The holes of a literal format string: a ``{name}`` reads a variable (a
        top-level one is Level 3 in a function); ``{:#?}``, ``{:>w$}``, ``{:.*}`` and
        ``name = value`` arguments are not in the IR's ``format``."""
        from ..runtime.fmt import FormatError, parse_format
        if not args or not isinstance(args[0], A.StrLit):
            return
        for a in args[1:]:
            if isinstance(a, A.Assign):
                raise NotInIR("a named format argument", a.span)
        try:
            pieces = parse_format(args[0].value)
        except FormatError:
            return  # the one-argument rule, or a syntax error that lowering reports
        for p in pieces:
            if isinstance(p, str):
                continue
            ref, spec = p
            level3_spec(spec, args[0].span, self)
            if isinstance(ref, str) and not self.local(ref):
                if len(args) == 1 and ref not in self.names.globals \
                        and ref not in self.names.statics:
                    continue  # text with braces, or a const (the one-argument rule)
                self.free_name(ref, args[0], "")

    def module_function(self, hit: object, span: A.Span) -> bool:
        """Whether ``hit`` is a function of a module (``m::f``, or ``f`` after ``use
        m::f``) the IR lowers as a function of its own (not compiled yet); a top-level
        function is the caller's to accept."""
        if nested_function(self.names, hit):  # (v_FunDef checked which it may name)
            self.aggregate(f"the nested function '{hit.name}'", span)  # type: ignore
            return True
        if not ir_function(self.names, hit) or "::" not in hit.name:  # type: ignore
            return False
        self.aggregate(f"the function '{hit.name}' of a module", span)  # type: ignore
        return True

    def v_ConstDef(self, node: A.ConstDef) -> None:
        """A ``const`` in a function body: one of the program's consts (evaluated with
        the others by @ruchy.consts), under its scoped name (``f::K``)."""
        if node.static and node.mutable:
            raise NotInIR("a 'static mut' inside a function", node.span)
        self.aggregate("a const item inside a function", node.span)

    def path_call(self, key: str, node: A.Call) -> None:
        """``T::f(..)``: an associated function or method of a struct the IR has, or a
        tuple struct's constructor; anything else is Level 3."""
        if self.constructor(key, node):
            return
        if self.module_function(self.item(key), node.callee.span):
            return
        from ..interp.calls import _TRANSPARENT
        if key in _TRANSPARENT and len(node.args) == 1:
            return  # `Box::new(x)` is `x`
        from .iterators import constructor_name
        if constructor_name(node.callee) and self.item(key) is None:  # type: ignore
            self.aggregate(f"the call of '{key}'", node.callee.span)
            return
        hit = self.item(key)
        if hit is None and self.generic_call(key, node):
            return
        if trait_method_path(self.names, key, node) is not None:
            self.aggregate(f"the call of '{key}'", node.callee.span)
            users = user_methods(self.names, node.callee.name)
            if users is None or any(not ir_method(self.names, fn)
                                    or len(fn.node.params) != len(node.args)
                                    for _, fn in users):
                raise NotInIR(f"the call of '{key}'", node.callee.span)
            return
        if not (ir_method(self.names, hit) and len(hit.node.params) == len(node.args)):
            raise NotInIR(f"the call of '{key}'", node.callee.span)
        what = "method" if hit.self_mode is not None else "associated function"
        self.aggregate(f"the {what} '{hit.name}'", node.callee.span)

    def generic_call(self, key: str, node: A.Call) -> bool:
        """Whether ``T::f(..)`` is a call on a type parameter ``T`` or the derived
        ``S::default()`` of a struct the IR has (lower/generics.py; refused if a type it
        may call is not in the IR)."""
        from ..resolve import StructInfo
        from ..resolve import generics as G
        p = node.callee
        info = self.names.info
        if info is None:
            return False
        if p.name == "default" and not node.args:  # type: ignore[attr-defined]
            owner = self.item(p.owner)  # type: ignore[attr-defined]
            if isinstance(owner, StructInfo) and owner.node is not None:
                why = ir_struct(self.names, owner)
                if why is not owner:
                    raise NotInIR(f"the call of '{key}'" +
                                  (f" ({why})" if isinstance(why, str) else ""), p.span)
                self.aggregate(f"the call of '{key}'", p.span)
                for kind, what in G.derived_default(info, owner, p.span, self.module,
                                                    self.self_type):
                    if kind != "value":
                        self.visit(what)
                return True
        if not G.is_type_var(info, p.owner, self.module, self.self_type):  # type: ignore
            return False
        self.aggregate(f"the call of '{key}' on a type parameter", p.span)
        for t in G.candidates(info, p.name):  # type: ignore[attr-defined]
            what = info.structs.get(t) or info.enums.get(t)
            if (ir_struct(self.names, what) if t in info.structs
                    else ir_enum(self.names, what)) is not what:
                raise NotInIR(f"the call of '{key}' (the type '{t}' answers it)", p.span)
            self.path_call(f"{t}::{p.name}", A.Call(A.Path(t, p.name, span=p.span),  # type: ignore
                                                    node.args, span=node.span))
        return True

    def constructor(self, path: str, node: A.Call) -> bool:
        """Whether ``path(..)`` constructs a tuple struct or a variant the IR has."""
        hit = self.item(path)
        if self.variant(hit, path, node.callee.span):
            return True
        if ir_struct(self.names, hit) is None or getattr(hit, "shape", "") != "tuple":
            return False
        self.aggregate(f"the tuple struct '{path}'", node.callee.span)
        return True

    def v_MethodCall(self, node: A.MethodCall) -> None:
        from ..runtime.methods import MUTATING
        if node.method == "and_modify":  # its closure's parameter: a reference into a map
            for a in node.args:
                if isinstance(a, A.Closure):
                    body = a.body.stmts if isinstance(a.body, A.Block) else [a.body]
                    _check_reference_uses(body, self.names,
                                          frozenset(p.name for p in a.params))
        if node.method in MUTATING and isinstance(node.receiver, A.MethodCall):
            self.place_receivers.add(id(node.receiver))  # `m.entry(k).or_insert(v).push(x)`
        from .control import for_each_mut
        loop = for_each_mut(self.names.info, node) if self.aggregates else None
        if loop is not None:  # `v.iter_mut().for_each(|x| *x += 1)`: a loop
            self.visit(loop)
            return
        through = (node.method in MUTATING or node.method in PLACE_MUTATORS) and \
            self.unwrapped(node.receiver)  # `v.last_mut().unwrap().name.push('!')`
        self.visit(node.receiver)  # first: `x.iter().count()` names `.iter()`
        users = user_methods(self.names, node.method)
        if users is not None:
            if any(not ir_method(self.names, fn) or len(fn.node.params) != len(node.args) + 1
                   for _, fn in users):
                raise NotInIR(f"the method '.{node.method}()'", A.error_span(node))
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif ir_iter_method(self.names, node, self.place_receivers):
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif node.method in PLACE_MUTATORS and node.method not in IR_METHODS and \
                not node.type_args and (through or self.place(node.receiver)
                                        or _plain_value(node)):
            # on a place: stored back (lower/mutators.py); on a value: the result only
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif (node.method in IR_OPTION_METHODS or node.method in IR_LIBRARY_METHODS
              or (node.method in PURE_METHODS and node.method not in IR_METHODS)) \
                and not node.type_args:
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif node.method in IR_FORMATTER_METHODS and not node.type_args:
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif ir_runtime_method(node):
            self.aggregate(f"the method '.{node.method}()'", A.error_span(node))
        elif node.method not in IR_METHODS or node.type_args:
            raise NotInIR(f"the method '.{node.method}()'", A.error_span(node))
        for a in node.args:
            self.visit(a)

    def place(self, node: A.Node) -> bool:
        """Whether ``node`` is a place of the function: a local variable, or a field
        path or element of one (lower/mutators.place_root)."""
        from .mutators import place_root
        root = place_root(node)
        return root is not None and self.local(root.id)

    def unwrapped(self, node: A.Node) -> bool:
        """Whether the place ``node`` starts at ``c.m(..).unwrap()`` of an element
        reference of a place (lower/elemrefs.py), which is then in the IR."""
        from .elemrefs import unwrapped_root
        found = unwrapped_root(self.names.info, node)
        if found is None or not self.place(found[1].receiver):
            return False
        self.aggregate(f"a change through '.{found[1].method}()'", A.error_span(found[1]))
        self.place_receivers.add(id(found[1]))
        return True

    def v_Assign(self, node: A.Assign) -> None:
        from .iterators import entry_target
        if self.unwrapped(node.target):  # `*m.get_mut(&k).unwrap() += 1`
            self.children(node)
            return
        found = entry_target(node)
        if found is not None and self.local(found[0].receiver.id):  # type: ignore
            self.aggregate("'*m.entry(k).or_insert(d)'", A.error_span(node))
            entry, call = found
            for n in (node.value, entry.receiver, entry.args[0], *call.args):
                self.visit(n)
            return
        if isinstance(node.target, A.Deref):  # `*r = v`: an in-out parameter or a
            # `ref mut` binding written back (lower/refs.py decides which it is), or a
            # reference into a collection (lower/places.assign_through)
            self.aggregate("an assignment through '*'", A.error_span(node))
            self.reference(node.target)
        root = node.target
        while isinstance(root, (A.Index, A.Deref, A.Field)):
            if isinstance(root, A.Field):
                self.aggregate("an assignment to a field", A.error_span(node))
            root = root.operand if isinstance(root, A.Deref) else root.target
        if isinstance(root, A.Name) and not self.local(root.id):
            if root.id in self.names.consts or root.id in self.names.statics:
                raise NotInIR(f"an assignment to the static '{root.id}'", root.span)
            if root.id in self.names.globals and not self.toplevel:
                raise NotInIR(f"an assignment to the top-level variable '{root.id}'",
                              root.span)
        self.children(node)

    def v_FStr(self, node: A.FStr) -> None:
        from ..runtime.fmt import FormatError, parse_spec
        for p in node.parts:
            if isinstance(p, A.FmtArg):
                try:
                    level3_spec(parse_spec(p.spec), p.span, self)
                except FormatError:
                    pass  # lowering reports it as tier 0 does
        self.children(node)

    def v_FunDef(self, node: A.FunDef) -> None:
        """A nested function: a function of its own (lower/closures.nested_functions),
        named in its block by a closure that captures nothing. It sees no variable of
        the function around it; it may call itself and the nested functions of its own
        block (lowering names them all before lowering any: calls.py), not yet those
        of other blocks."""
        self.aggregate(f"the nested function '{node.name}'", node.span)
        names = [n.name for n in _walk(self.source[1]) if isinstance(n, A.FunDef)]
        if names.count(node.name) > 1:  # (tier 0 does not let an inner block's shadow)
            raise NotInIR(f"a second nested function '{node.name}' in one function",
                          node.span)
        siblings = {s.name for s in self.blocks[-1] if isinstance(s, A.FunDef)}
        nested = set(names) - siblings
        for n in _walk(node.body.stmts):
            if isinstance(n, A.Name) and n.id in nested:
                raise NotInIR(f"a nested function that names the nested function '{n.id}'",
                              n.span)
        refused = find_level3(node.params, node.body.stmts, self.names, False,
                              self.aggregates, module=self.module)
        if refused is not None:
            raise refused

    def v_Range(self, node: A.Range) -> None:
        self.aggregate("a range value", node.span)
        self.children(node)

    def v_TypeRef(self, node: A.TypeRef) -> None:
        return  # annotations are hints


def _walk(nodes: Sequence[A.Node]) -> Iterator[A.Node]:
    """Every node under ``nodes`` (nested items included)."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(A.children(n))


def level3_spec(spec: object, span: A.Span, finder: "_Finder") -> None:
    """The format specs the IR's ``format`` has but compiled code does not (the IR runs
    every spec through runtime/fmt.format_value, as tier 0 does): ``#`` (``{:#?}``,
    ``{:#x}``), the exponent forms (``{:e}``, ``{:.2E}``), digit grouping (``{:,}``),
    widths and precisions from arguments (``{:>w$}``, ``{:.*}``: ``format.dyn``), and
    ``{:?}`` with a width, precision or sign (Rust hands them down to the numbers inside:
    runtime/fmt._debug_leaves)."""
    t = getattr(spec, "type", "")
    if getattr(spec, "alt", False) or t in ("e", "E") or getattr(spec, "group", "") \
            or getattr(spec, "width_arg", None) is not None \
            or getattr(spec, "prec_arg", None) is not None \
            or (t.endswith("?") and (t != "?" or getattr(spec, "width", 0)
                                     or getattr(spec, "prec", None) is not None
                                     or getattr(spec, "sign", False))):
        from .calls import spec_text
        finder.aggregate(f"the format spec '{{:{spec_text(spec)}}}'", span)  # type: ignore


#: Traits a type may implement that the IR does not have yet: the compound assignment
#: operators (tier 0 changes the value in place: runtime/ops.user_op).
_REFUSED_TRAITS = frozenset({"AddAssign", "SubAssign", "MulAssign", "DivAssign",
                             "RemAssign"})


def _refused_impl(names: Names, type_name: str, what: str) -> Optional[str]:
    """Why the IR does not have a type for the traits it implements (None: it has):
    a compound assignment operator."""
    for trait in sorted(getattr(names.info, "impls", {}).get(type_name, ())):
        if trait in _REFUSED_TRAITS:
            return f"{what} that implements {trait}"
    return None


def ir_struct(names: Names, item: object) -> object:
    """``item`` if it is a struct the IR has; a string saying why not if it is a struct
    the IR does not have yet (one that implements a compound assignment operator);
    None if it is no struct. Trait impls are in the IR (lower/traits.py)."""
    from ..resolve import StructInfo
    if isinstance(item, StructInfo) and item.node is None and item.name == "Reverse":
        return item  # std::cmp::Reverse: ir/handles.ReverseType
    if not isinstance(item, StructInfo) or item.node is None:
        return None
    return _refused_impl(names, item.name, "a struct") or item


def trait_method_path(names: Names, key: str, node: A.Call) -> Optional[str]:
    """The method name of ``Trait::m(recv, ..)`` (a call of a trait's method through
    its trait: tier 0 makes it the method call ``recv.m(..)``), or None."""
    from ..resolve import FnInfo, TraitInfo, lookup
    info = names.info
    if info is None or not node.args or not isinstance(node.callee, A.Path):
        return None
    if isinstance(lookup(info, key), FnInfo):  # type: ignore[arg-type]
        return None
    owner = lookup(info, node.callee.owner) if node.callee.owner else None  # type: ignore
    return node.callee.name if isinstance(owner, TraitInfo) else None


def ir_function(names: Names, fn: object) -> bool:
    """Whether ``fn`` is a plain function the IR lowers as one of its own: a top-level
    one, or one of a ``mod`` (not a method, nor a function nested in a function)."""
    from ..resolve import FnInfo
    if not isinstance(fn, FnInfo) or fn.owner is not None or fn.node.body is None:
        return False
    prefix = fn.name.rpartition("::")[0]
    return prefix == "" or prefix in getattr(names.info, "modules", ())


def nested_function(names: Names, fn: object) -> bool:
    """Whether ``fn`` is a ``fn`` declared in a function's body."""
    from ..resolve import FnInfo
    if not isinstance(fn, FnInfo) or fn.owner is not None or fn.node.body is None:
        return False
    return fn.name.rpartition("::")[0] in getattr(names.info, "fn_scopes", {})


def ir_method(names: Names, fn: object) -> bool:
    """Whether ``fn`` is a method or associated function of a struct or enum the IR
    has: inherent, or of a trait (its own or the trait's default)."""
    from ..resolve import FnInfo
    if not isinstance(fn, FnInfo) or fn.owner is None or fn.node.body is None:
        return False
    info = names.info
    owner = getattr(info, "structs", {}).get(fn.owner)
    if owner is not None:
        return ir_struct(names, owner) is owner
    enum = getattr(info, "enums", {}).get(fn.owner)
    return enum is not None and enum.node is not None and ir_enum(names, enum) is enum


def ir_enum(names: Names, item: object) -> object:
    """``item`` if it is an enum the IR has (the program's own, Option, Result); a
    string saying why not if it is an enum the IR does not have yet; None if it is no
    enum."""
    from ..resolve import EnumInfo
    if not isinstance(item, EnumInfo):
        return None
    if item.node is None:
        return item if item.name in ("Option", "Result", "Ordering", "Entry") \
            else f"the enum '{item.name}'"
    return _refused_impl(names, item.name, "an enum") or item


def user_methods(names: Names, method: str) -> Optional[list]:
    """The (type, FnInfo) of every type that defines method ``method`` (None: none)."""
    info = names.info
    if info is None:
        return None
    found = [(t, fn) for t, fn in info.types_with_method(method)  # type: ignore[attr-defined]
             if fn.self_mode is not None]
    return found or None


#: Methods of iterators, ranges and collections the IR calls in the runtime (by the
#: ``method`` op, or ops of their own: lower/iterators.py, lower/chains.py). Not among
#: them: the string mutators (tier 0 writes a string back into its place), references
#: into a collection other than as a mutating method's receiver (``or_default``'s default
#: is decided by resolve/declared.entry_default), and ``iter_mut``.
def _iter_methods() -> frozenset:
    from ..resolve.iterators import SOURCES
    from ..runtime import strings_mut
    from ..runtime.collection_methods import MAP_METHODS, SET_METHODS
    from ..runtime.deque_methods import DEQUE
    from ..runtime.heap import HEAP
    from ..runtime.iterators import ADAPTERS
    from ..runtime.map_entry import OCCUPIED_METHODS, VACANT_METHODS
    from ..runtime.vec_closures import ORDERING_METHODS
    names = set(ADAPTERS) | set(SOURCES) | set(MAP_METHODS) | set(SET_METHODS) | set(DEQUE) \
        | set(HEAP) | set(ORDERING_METHODS) | set(OCCUPIED_METHODS) | set(VACANT_METHODS)
    names |= {"next", "next_back", "nth", "last", "first", "count", "sum", "product", "min",
              "max", "min_by_key", "max_by_key", "min_by", "max_by", "fold", "reduce", "any",
              "all", "find", "find_map", "position", "rposition", "for_each", "unzip",
              "partition", "collect", "peek", "parse", "repeat", "entry", "or_insert",
              "or_insert_with", "or_default", "sort_by", "sort_by_key", "sort_unstable_by",
              "sort_unstable_by_key", "dedup_by_key", "and_modify", "key"}
    names -= set(strings_mut.MUTATORS) - set(IR_METHODS)
    names -= {"iter_mut", "values_mut", "as_slices",
              "make_contiguous"}
    return frozenset(names)


_ITER_METHODS: list = []


def ir_iter_method(names: Names, node: A.MethodCall, place_receivers: set) -> bool:
    """Whether method call ``node`` is one the IR has through the runtime (iterators,
    ranges, collections). A reference into a collection (``get_mut``, ``or_insert``)
    only as the receiver of a mutating method; ``take()`` without a count is Option's."""
    if not _ITER_METHODS:
        _ITER_METHODS.append(_iter_methods())
    name = node.method
    from .iterators import PLACE_METHODS
    if name in ELEMENT_REFS:  # (lower/elemrefs.py)
        return id(node) in place_receivers
    if name in PLACE_METHODS:
        return name in _ITER_METHODS[0] and id(node) in place_receivers
    if name == "take" and not node.args:
        return False
    if name in IR_METHODS and not node.type_args and not (name in ("min", "max")
                                                          and not node.args):
        return False  # the Level 2 method (compiled too), whatever the receiver
    if node.type_args and name not in ("collect", "sum", "product", "parse"):
        return False
    return name in _ITER_METHODS[0]


#: Built-in methods that tier 0 does not call plainly, the runtime's method on the
#: receiver's value (interp/calls.method_call and what it asks first): iterator
#: consumers and ``iter_mut`` it translates itself (interp/iterators.py), ``parse`` and
#: reading into a place (interp/strings.py), Option's ``take()`` on a place, the
#: defaults it takes from annotations; and those whose values are references into
#: their receiver (PLACE_METHODS, ``values_mut``) or that the IR does not have yet
#: (``drain``, ``split_off``, ``as_slices``, ``make_contiguous``).
_NOT_PLAIN = frozenset({"collect", "sum", "product", "iter_mut", "values_mut", "parse",
                        "read_line", "read_to_string", "unwrap_or_default", "or_default",
                        "take", "as_slices", "make_contiguous"})


def _plain_value(node: A.MethodCall) -> bool:
    """Whether a place mutator's receiver is a value nothing else sees (a literal,
    ``a + b``), whose result alone counts; or the call is ``s.replace(a, b)``, str's
    (which changes nothing). Not what a call gives, which may be a reference
    (``name(&mut v).push_str(x)``), nor a field or element of it
    (``v.last_mut().unwrap().name``: interp/collections.through_call)."""
    if node.method == "replace" and len(node.args) == 2:
        return True
    root = node.receiver
    while isinstance(root, (A.Field, A.Index, A.Deref)):
        root = root.operand if isinstance(root, A.Deref) else root.target
    return not isinstance(root, (A.Call, A.MethodCall))


def ir_runtime_method(node: A.MethodCall) -> bool:
    """Whether ``node`` is a built-in method the IR calls as tier 0 does: the ``method``
    op, the runtime's own method of that name (runtime/methods.METHODS) on the
    receiver's value, or on its place's object for a method that changes its receiver
    (lower/calls.method_call; a slice receiver ``v[a..b]``: lower/slices.py). Not the
    methods tier 0 translates itself (:data:`_NOT_PLAIN`), nor the string and Option
    mutators (on a place: lower/mutators.py, a check of its own)."""
    from ..runtime.methods import METHODS
    from .iterators import PLACE_METHODS
    name = node.method
    return name in METHODS and not node.type_args and name not in _NOT_PLAIN and \
        name not in PLACE_METHODS and name not in PLACE_MUTATORS and \
        name not in IR_METHODS  # (Level 2's, compiled too)


def _describe(item: object) -> str:
    kind = type(item).__name__
    return {"StructInfo": "a struct", "EnumInfo": "an enum", "VariantInfo": "an enum variant",
            "FnInfo": "a function of a module or impl", "TraitInfo": "a trait",
            "ConstInfo": "a const of a module or impl"}.get(kind, "a Level 3 item")


#: Level 1 and 2 classes whose children are all that needs looking at.
_PLAIN = frozenset({
    "IntLit", "FloatLit", "BoolLit", "StrLit", "UnitLit", "FmtArg", "FStr", "Unary", "Binary",
    "Ref", "Deref", "Index", "ArrayLit", "ArrayRepeat", "If", "While", "Loop", "Match",
    "Break", "Continue", "Return"})


__all__ = ["NotCompiled", "NotInIR", "Names", "program_names", "find_level3",
           "not_a_plain_function", "ir_function", "IR_FORMATTER_METHODS", "IR_LIBRARY_METHODS",
           "IR_METHODS", "IR_OPTION_METHODS", "ir_enum", "ir_method", "ir_struct",
           "trait_method_path", "user_methods"]
