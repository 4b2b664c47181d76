"""Tier 0: translate a Ruchy program into Python source that CPython runs.

Each Ruchy function becomes one Python function. Names are resolved here, ahead of
execution: every Ruchy binding becomes its own Python local (shadowing and block scopes
are decided statically), so running code never looks a name up in a dictionary.
Expressions are flattened into one operation per line (see emitter.py for why), and
each operation is specialised on the kinds of its operands that a small flow-insensitive
inference can prove (see opcode.py). The generated code also counts calls and loop
iterations for the tiered runtime.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from ..errors import RuchySyntaxError, SourceFile
from ..runtime import methods as M
from ..resolve.items import ITEM_NODES
from ..syntax import ast as A
from .data import DataMixin
from .emitter import Emitter
from .names import py_ident, py_literal, type_py, variant_py  # noqa: F401 (re-exported)
from .opcode import binary, cast, cast_target, is_literal, is_temp, unary

if TYPE_CHECKING:
    from ..resolve import FnInfo, ProgramInfo

#: Kinds of the static inference. ``None`` (not a kind) is "no information yet".
KINDS = ("int", "float", "bool", "str", "arr", "unit", "any")
BUILTINS = {"println", "print", "eprintln", "eprint", "format", "assert", "assert_eq",
            "assert_ne", "panic", "len"}
_LIT_KIND = {A.IntLit: "int", A.FloatLit: "float", A.BoolLit: "bool", A.StrLit: "str"}
_SCALAR = ("int", "float", "bool", "str", "unit")
#: Expressions whose value is never an array someone else holds (no copy needed).
_NEVER_SHARED = (A.TupleLit, A.StructLit, A.CharLit,
                 A.ArrayLit, A.ArrayRepeat, A.Binary, A.Unary, A.Cast, A.FStr, A.IntLit,
                 A.FloatLit, A.BoolLit, A.StrLit, A.UnitLit)


def join(a: Optional[str], b: Optional[str]) -> Optional[str]:
    if a is None:
        return b
    if b is None or a == b:
        return a
    return "any"


@dataclass
class _Loop:
    """A loop being translated: where `break value` goes, its profile counter."""

    result: Optional[str]
    counter: Optional[str]
    index: int = -1
    kind: Optional[str] = None
    #: the heat of an outermost loop that is an OSR point: the iterations of it and of
    #: the loops nested in it (every OSR point of the nest checks it)
    osr_heat: Optional[str] = None
    #: why OSR cannot resume this loop (None: it can; see jit/osr.py)
    osr_why: Optional[str] = "not offered"
    #: a resumable ``for`` loop: the code of its position (a range's variable and its
    #: end as first evaluated; an array loop's current index and snapshot)
    resume: Optional[tuple[str, str]] = None
    #: ``'label:`` of the loop, and the flag by which a ``break 'label``/``continue
    #: 'label`` in a nested loop reaches it (interp/control.py)
    label: Optional[str] = None
    flag: Optional[str] = None
    #: the labeled loops outside this one that a labeled exit inside it targets
    exits: list = field(default_factory=list)


#: Kinds worth a specialised copy of a function (see program.py).
SPECIALIZE = {"int": "i", "float": "f", "bool": "b", "str": "s", "arr": "a"}


def spec_name(name: str, sig: tuple[str, ...]) -> str:
    """The Python name of function ``name`` specialised to argument kinds ``sig``."""
    return f"r_{py_ident(name)}__" + "".join(SPECIALIZE.get(k, "x") for k in sig)


@dataclass
class Context:
    """Program-wide facts a function translation needs and adds to."""

    functions: dict[str, A.FunDef]
    consts: dict[str, str]
    src: SourceFile
    #: the resolution layer's tables (structs, enums, traits, methods, paths)
    info: Optional["ProgramInfo"] = None
    profile: bool = True
    signatures: bool = False
    #: return kind of each specialisation, as far as known (None: nothing yet)
    rets: dict[tuple[str, tuple[str, ...]], Optional[str]] = field(default_factory=dict)
    #: specialisations that call sites asked for
    requests: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    loops: list[A.Span] = field(default_factory=list)
    specs: list = field(default_factory=list)
    #: the tiered runtime's hooks (None at plain tier 0): see jit/hooks.py
    jit: Optional["JitHooks"] = None
    #: on-stack-replacement points (OsrPoint); the generated code refers to them by index
    osr_sites: list = field(default_factory=list)
    #: jit/osr.loop_sites of each function body, by id: one walk per body, however many
    #: specialisations and inference rounds translate it
    loop_sites: dict = field(default_factory=dict)
    #: while program.py records a translation: the specialisations it requested and
    #: the return kinds it read of them (what decides whether a later round can reuse it)
    reads: Optional[dict[tuple[str, tuple[str, ...]], Optional[str]]] = None
    #: top-level ``let`` names that functions use -> their factory cell (interp/items.py)
    cells: dict[str, str] = field(default_factory=dict)
    #: fields whose every value is a float (interp/fieldkinds.py): reads are "float"
    float_fields: frozenset = frozenset()
    #: fields whose every value is an int (interp/fieldkinds.py): reads are "int"
    int_fields: frozenset = frozenset()

    def request(self, key: tuple[str, tuple[str, ...]]) -> Optional[str]:
        """Ask for specialisation ``key``; its return kind as far as known."""
        self.requests.add(key)
        ret = self.rets.get(key)
        if self.reads is not None:
            self.reads[key] = ret
        return ret


@dataclass(frozen=True)
class OsrPoint:
    """A loop tier 0 offers for on-stack replacement: the function's Python name, where
    the loop is (jit/osr.Site: its path in the body, or why it cannot be resumed), its
    span, the tier-0 scopes at the loop (lists of (Ruchy name, Python local), outermost
    first: the live values are their locals in this order) and, per block of the path,
    how many of those scopes are visible in it."""

    pyname: str
    site: object
    span: A.Span
    scopes: tuple = ()
    depths: tuple = ()


@dataclass(frozen=True)
class JitHooks:
    """What the translation emits for the tiered runtime. ``osr`` is the iteration at
    which a loop asks to be compiled; every counted function checks its call count
    against its threshold cell ``t_...`` (which the runtime moves) and calls ``_hot``."""

    osr: int


class FunctionTranslator(DataMixin):
    """Translates one function body (or the top level) to a Python function."""

    def __init__(self, ctx: Context, pyname: str, params: list[A.Param],
                 sig: tuple[str, ...], kinds: dict[str, Optional[str]],
                 counter: Optional[str], fn: Optional["FnInfo"] = None) -> None:
        self.ctx = ctx
        #: the function being translated (its owner type is ``Self``, its module the
        #: scope of paths); None for the top level and consts
        self.fn = fn
        self.pyname = pyname
        self.params = params
        self.sig = sig
        self.assumed = kinds           # inferred kinds from the previous pass
        self.observed: dict[str, Optional[str]] = {}
        self.ret_kind: Optional[str] = None
        #: ids of the call nodes whose value is fresh (a user function's result: data.py)
        self.fresh_nodes: set[int] = set()
        self.nonlocals: set[str] = set()
        self.callees: set[tuple[str, tuple[str, ...]]] = set()
        self.counter = counter
        self.sig_recorder: Optional[str] = None
        self.out = Emitter()
        self.scopes: list[dict[str, str]] = [{}]
        self.names_used: dict[str, int] = {}
        self.ntemps = 0
        self.loops: list[_Loop] = []
        #: the loops that may be offered for on-stack replacement, by id (jit/osr.Site)
        self.osr_loops: dict[int, object] = {}
        self.body: Optional[A.Block] = None
        #: number of scopes open inside each block translated, by id (OSR's live values)
        self.block_depths: dict[int, int] = {}
        #: the flags of this function's OSR checks ("not refused in this frame yet")
        self.osr_flags: list[str] = []
        self.loop_ids: list[int] = []  # profile indices of the loops in this function
        #: the statements of the innermost block and the index of the one being
        #: translated (what a pattern ``let`` sees: interp/conditional.py)
        self.stmt_at: tuple[list[A.Node], int] = ([], 0)
        #: per scope (by id), what to emit after each later statement of its block
        #: (a ``let``'s ``ref mut`` bindings written back: interp/conditional.py)
        self.stmt_hooks: dict[int, list] = {}
        #: what runs after a statement that overwrites a matched place (by id)
        self.overwrites: dict[int, list] = {}
        #: the variables the hooks run after the current statement wrote back into
        self.hook_changed: set[str] = set()
        #: what a ``break``/``continue``/``return``/``?`` emits before it leaves the
        #: scopes it leaves: (loops open when registered, emit, block or None), the
        #: write-backs of ``ref mut`` bindings (interp/bindings.written_back_on_exit)
        self.exits: list[tuple] = []
        #: the Python locals of pattern bindings (written back into the matched place:
        #: ``*r = v`` may give them a value of another shape, places.store)
        self.pattern_locals: set[str] = set()
        #: parameters that may hold a Cell of an enum value, read through it
        #: (``&mut self`` of an enum, ``s: &mut State``: places.ref_params)
        self.cell_vars: set[str] = set()

    # ---- names, temps, kinds ---------------------------------------------------------

    def tmp(self) -> str:
        self.ntemps += 1
        return f"_t{self.ntemps}"

    def bind(self, name: str, kind: Optional[str]) -> str:
        """A new Python local for a Ruchy binding in the innermost scope (a top-level
        ``let`` that functions use binds its factory cell: interp/items.py)."""
        if self.ctx.cells and name in self.ctx.cells:
            from .items import binding
            cell = binding(self, name)
            if cell is not None:
                self.scopes[-1][name] = cell
                return cell
        n = self.names_used.get(name, 0)
        self.names_used[name] = n + 1
        py = f"v_{name}" if n == 0 else f"v_{name}_{n}"
        self.scopes[-1][name] = py
        self.observe(py, kind)
        return py

    def observe(self, py: str, kind: Optional[str]) -> None:
        self.observed[py] = join(self.observed.get(py), kind)

    def lookup(self, name: str) -> Optional[str]:
        """The Python name of local ``name``, else of the program-level variable (a
        static, a top-level ``let`` functions share: interp/items.py), else None."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        from .items import program_variable
        return program_variable(self, name)

    def kind_of_var(self, py: str) -> Optional[str]:
        if py[:2] in ("g_", "k_"):
            return "any"  # a program-level cell: other functions assign it
        return self.assumed.get(py)

    def emit(self, text: str, node: A.Node) -> None:
        self.out.emit(text, A.error_span(node))

    def value_line(self, code: str, kind: Optional[str], node: A.Node,
                   check: Optional[str] = None) -> tuple[str, Optional[str]]:
        """Assign ``code`` to a new temp on its own line (so errors point at ``node``)."""
        t = self.tmp()
        self.emit(f"{t} = {code}", node)
        if check:
            self.emit(f"if not ({check.format(t=t)}): _ovf()", node)
        return t, kind

    def simple(self, code: str, kind: Optional[str], node: A.Node) -> str:
        """``code`` as a name or literal that can be repeated without re-evaluation."""
        if code.isidentifier() or is_literal(code):
            return code
        return self.value_line(code, kind, node)[0]

    def copied(self, code: str, kind: Optional[str], node: A.Node) -> str:
        """The value of ``node`` as a new holder sees it: arrays are copied (O(1))."""
        if kind in _SCALAR or isinstance(node, _NEVER_SHARED) or id(node) in self.fresh_nodes:
            return code
        if kind == "arr":
            return f"_cp({code})"
        code = self.simple(code, kind, node)
        return f"({code} if type({code}) in _IMM else _cp({code}))"

    # ---- function ----------------------------------------------------------------------

    def function(self, body: A.Block, is_main: bool, toplevel: bool) -> list[str]:
        """Translate the body; return the Python lines (header first). ``self.out.spans``
        then holds the span of each line."""
        params = [self.bind(p.name, k) for p, k in zip(self.params, self.sig)]
        if self.fn is not None:
            from .places import ref_params
            self.cell_vars = ref_params(self)
        with self.out.indented():
            if self.counter:
                self.nonlocals.add(self.counter)
                self.out.emit(f"{self.counter} += 1")
                if self.ctx.signatures and "any" in self.sig:
                    # Generic version: record what it is called with (type stability).
                    self.sig_recorder = "s" + self.counter[1:]
                    # signatures == "values" (the profiler): _tk names Level 3 types
                    # by their values (Option<int>; profiler/typenames.py)
                    tk = "_tk" if self.ctx.signatures == "values" else "type"
                    types = "".join(f"{tk}({p}), " for p in params)
                    self.out.emit(f"_k = ({types.rstrip(' ')})")
                    self.out.emit(f"{self.sig_recorder}[_k] = {self.sig_recorder}.get(_k, 0) + 1")
                if self.ctx.jit is not None:
                    # Promotion checkpoint: one compare per call while interpreted.
                    limit = "t" + self.counter[1:]
                    self.nonlocals.add(limit)
                    self.out.emit(f"if {self.counter} >= {limit}: _hot({self.pyname!r})")
            if is_main:
                self.nonlocals.add("main_called")
                self.out.emit("main_called = True")
            from .program import CONSTS
            self.source_body = body  # what closures capture from (interp/closures.py)
            if self.ctx.jit is not None and self.pyname != CONSTS:
                sites = self.ctx.loop_sites.get(id(body))
                if sites is None:
                    from ..jit.osr import loop_sites
                    from .closures import osr_sites
                    sites = self.ctx.loop_sites[id(body)] = osr_sites(body,
                                                                     loop_sites(body.stmts))
                self.osr_loops = sites
                self.body = body
            for p in self.params:
                if p.pattern is not None:  # a destructuring parameter (patterns.py)
                    from .conditional import param_pattern
                    param_pattern(self, p)
            mark = self.out.mark
            code, kind = self.block(body, want=not toplevel)
            if not toplevel:
                self.ret_kind = join(self.ret_kind, kind)
                code = self.returned(code, kind, body.stmts[-1] if body.stmts else body)
                self.emit(f"return {code}", body)
            if self.osr_flags:
                self.out.insert(mark, " = ".join(self.osr_flags)
                                + f" = {self.ctx.jit.osr}")  # type: ignore[union-attr]
        header = [f"def {self.pyname}({', '.join(params)}):"]
        if self.nonlocals:
            header.append("    nonlocal " + ", ".join(sorted(self.nonlocals)))
        self.out.spans[:0] = [A.NO_SPAN] * len(header)
        return header + self.out.lines

    # ---- statements and blocks -----------------------------------------------------------

    def block(self, node: A.Block, want: bool) -> tuple[str, Optional[str]]:
        self.scopes.append({})
        if self.osr_loops:
            self.block_depths[id(node)] = len(self.scopes)
        value: tuple[str, Optional[str]] = ("None", "unit")
        for i, stmt in enumerate(node.stmts):
            last = i == len(node.stmts) - 1
            self.stmt_at = (node.stmts, i)
            value = self.stmt(stmt, want and last)
            if self.overwrites:  # (the place overwritten: bindings.after_overwrite)
                for done in self.overwrites.pop(id(stmt), ()):
                    done()
            if self.stmt_hooks:
                # (the latest first: a reference made from an earlier one writes into
                # it, which then counts as changed: bindings.hook_changed)
                self.hook_changed = set()
                for hook in reversed(self.stmt_hooks.get(id(self.scopes[-1]), ())):
                    hook(stmt)
        if self.stmt_hooks:
            self.stmt_hooks.pop(id(self.scopes[-1]), None)
        if self.exits:
            from .bindings import end_block_exits
            end_block_exits(self, id(self.scopes[-1]))
        self.scopes.pop()
        return value if want else ("None", "unit")

    def stmt(self, node: A.Node, want: bool) -> tuple[str, Optional[str]]:
        if isinstance(node, A.Let):
            from .conditional import let_borrow
            if let_borrow(self, node):  # `let r = &mut x`: `let ref mut r = x`
                return "None", "unit"
            code, kind = self.expr(node.value)
            code = self.copied(code, kind, node.value)
            py = self.bind(node.name, kind)
            self.emit(f"{py} = {code}", node)
            if isinstance(node.value, A.Ref) and node.value.mutable:
                self.let_bound(node.value, py)  # data.py: `let r = &mut n` writes n back
            return "None", "unit"
        if isinstance(node, A.Assign):
            self.assign(node)
            return "None", "unit"
        if isinstance(node, ITEM_NODES):
            return "None", "unit"  # an item in a body is hoisted (resolve/items.py)
        return self.expr(node, want)

    def assign(self, node: A.Assign) -> None:
        from .places import assign
        assign(self, node)

    # ---- expressions ------------------------------------------------------------------

    def expr(self, node: A.Node, want: bool = True) -> tuple[str, Optional[str]]:
        """Emit the lines computing ``node``; return (code, kind) for its value."""
        lit = _LIT_KIND.get(type(node))
        if lit:
            return py_literal(node.value), lit
        method = getattr(self, "x_" + type(node).__name__, None)
        if method is None:
            raise RuchySyntaxError(f"{type(node).__name__.lower()} expressions are not "
                                   "supported yet", node.span)
        return method(node, want) if _TAKES_WANT.get(type(node).__name__) else method(node)

    def operands(self, nodes: list[A.Node]) -> list[tuple[str, Optional[str]]]:
        """Evaluate nodes left to right (see save_operands)."""
        codes: list[str] = []
        kinds: list[Optional[str]] = []
        for n in nodes:
            mark, depth = self.out.mark, self.out.depth
            code, kind = self.expr(n)
            if self.out.mark > mark:
                self.save_operands(codes, kinds, mark, depth, n)
            codes.append(code)
            kinds.append(kind)
        return list(zip(codes, kinds))

    def save_operands(self, codes: list[str], kinds: list, mark: int, depth: int,
                      node: A.Node) -> None:
        """Code emitted for a later operand (from line ``mark`` on) could reassign a
        variable an earlier operand names: save those earlier values in temps first."""
        for j, pc in enumerate(codes):
            if not is_literal(pc) and not is_temp(pc):
                t = self.tmp()
                self.out.insert(mark, f"{t} = {pc}", A.error_span(node), depth)
                mark += 1
                codes[j] = t

    def x_UnitLit(self, node: A.UnitLit) -> tuple[str, str]:
        return "None", "unit"

    def x_Name(self, node: A.Name) -> tuple[str, Optional[str]]:
        py = self.lookup(node.id)
        if py is not None:
            if py in self.cell_vars:  # `&mut self` of an enum: the value in the Cell
                return f"({py}.v if type({py}) is Cell else {py})", "any"
            return py, self.kind_of_var(py)
        from .items import name_value
        value = name_value(self, node)
        if value is not None:
            return value
        from .data import item_value
        value = item_value(self, node, node.id)
        if value is not None:
            return value
        from .items import function_named
        qname = node.id if node.id in self.ctx.functions else function_named(self, node.id)
        if qname is not None:
            # A named function as a value (``opt.map(double)``): its generic version.
            from .closures import function_value
            return function_value(self, qname)
        self.emit(f"_undef({node.id!r})", node)
        return "None", "any"

    def x_Path(self, node: A.Path) -> tuple[str, Optional[str]]:
        key = f"{node.owner}::{node.name}"
        from .items import path_value
        value = path_value(self, node)
        if value is not None:
            return value
        from .data import item_value
        value = item_value(self, node, key)
        if value is not None:
            return value
        from .closures import path_function  # `.map(Point::new)`, `m::f` as a value
        value = path_function(self, node)
        if value is not None:
            return value
        self.emit(f"_undef({key!r})", node)
        return "None", "any"

    def x_FStr(self, node: A.FStr) -> tuple[str, str]:
        pieces, args = [], []
        for p in node.parts:
            if isinstance(p, str):
                pieces.append(p)
            else:
                pieces.append((len(args), self.spec(p.spec, p)))
                args.append(p.expr)
        return self.value_line(self.format_code(pieces, self.operands(args), node), "str", node)

    def x_Binary(self, node: A.Binary) -> tuple[str, Optional[str]]:
        if node.op in ("&&", "||"):
            return self.short_circuit(node)
        (a, ka), (b, kb) = self.operands([node.left, node.right])
        a, b = self.simple(a, ka, node.left), self.simple(b, kb, node.right)
        code, kind, own_line, check = binary(node.op, a, ka or "any", b, kb or "any")
        if ka is None or kb is None:
            kind = None  # not known yet (inference in progress; see translate_program)
        if own_line:
            return self.value_line(code, kind, node, check)
        return code, kind

    def short_circuit(self, node: A.Binary) -> tuple[str, str]:
        t = self.tmp()
        left, _ = self.cond(node.left)
        self.emit(f"{t} = {left}", node)
        self.emit(f"if {'' if node.op == '&&' else 'not '}{t}:", node)
        with self.out.indented():
            right, _ = self.cond(node.right)
            self.emit(f"{t} = {right}", node)
        return t, "bool"

    def cond(self, node: A.Node) -> tuple[str, str]:
        """A condition's code; non-bool values are a type error."""
        code, kind = self.expr(node)
        if kind != "bool":
            code = self.simple(code, kind, node)
            self.emit(f"if type({code}) is not bool: _cond_err({code})", node)
        return code, "bool"

    def x_Unary(self, node: A.Unary) -> tuple[str, Optional[str]]:
        a, ka = self.expr(node.operand)
        a = self.simple(a, ka, node.operand)
        code, kind, own_line, check = unary(node.op, a, ka or "any")
        kind = kind if ka is not None else None
        return self.value_line(code, kind, node, check) if own_line else (code, kind)

    def x_Cast(self, node: A.Cast) -> tuple[str, Optional[str]]:
        a, ka = self.expr(node.value)
        target = cast_target(node.type.text)
        if target is None:
            raise RuchySyntaxError(f"cannot cast to {node.type.text}", node.type.span)
        code, kind, own_line, _ = cast(target, self.simple(a, ka, node.value), ka or "any")
        return self.value_line(code, kind, node) if own_line else (code, kind)

    def x_Ref(self, node: A.Ref) -> tuple[str, Optional[str]]:
        if node.mutable:
            from .data import mut_ref_expr  # the object itself, or a cell (let r = &mut n)
            return mut_ref_expr(self, node)
        # ``&x`` is x itself (docs/level3.md): a holder that stores it takes its copy
        # then (``let``, an argument for a parameter not declared ``&T``, a field).
        return self.expr(node.operand)

    def x_ArrayLit(self, node: A.ArrayLit) -> tuple[str, str]:
        vals = self.operands(node.elems)
        items = [self.copied(c, k, n) for (c, k), n in zip(vals, node.elems)]
        return self.value_line(f"Arr([{', '.join(items)}])", "arr", node)

    def x_ArrayRepeat(self, node: A.ArrayRepeat) -> tuple[str, str]:
        (v, _), (n, _) = self.operands([node.value, node.count])
        return self.value_line(f"_repeat({v}, {n})", "arr", node)

    def x_Index(self, node: A.Index) -> tuple[str, str]:
        if type(node.index).__name__ == "Range":  # &s[a..b], &v[1..]: interp/strings.py
            from .strings import slice_index
            return slice_index(self, node)
        (a, ka), (i, ki) = self.operands([node.target, node.index])
        a, i = self.simple(a, ka, node.target), self.simple(i, ki, node.index)
        if ka == "arr" and ki == "int":
            code = f"{a}.d[{i}] if {i} >= 0 else _index({a}, {i})"
        else:
            code = (f"{a}.d[{i}] if type({a}) is Arr and type({i}) is int and {i} >= 0 "
                    f"else _index({a}, {i})")
        return self.value_line(code, "any", node)

    def x_MethodCall(self, node: A.MethodCall) -> tuple[str, Optional[str]]:
        from .calls import method_call
        return method_call(self, node)

    def x_Call(self, node: A.Call) -> tuple[str, Optional[str]]:
        from .calls import call
        return call(self, node)

    def x_Closure(self, node: A.Closure) -> tuple[str, Optional[str]]:
        from .closures import closure
        return closure(self, node)

    def x_Range(self, node: A.Range) -> tuple[str, Optional[str]]:
        from .iterators import range_value
        return range_value(self, node)

    def x_Block(self, node: A.Block, want: bool) -> tuple[str, Optional[str]]:
        return self.block(node, want)

    def x_If(self, node: A.If, want: bool) -> tuple[str, Optional[str]]:
        from .control import if_expr
        return if_expr(self, node, want)

    # ---- patterns (interp/patterns.py, interp/conditional.py) --------------------------

    def x_Assign(self, node: A.Assign) -> tuple[str, str]:
        self.assign(node)  # in expression position (``Some(c) => op = *c,``): unit
        return "None", "unit"

    def x_IfLet(self, node: A.IfLet, want: bool) -> tuple[str, Optional[str]]:
        from .conditional import if_let
        return if_let(self, node, want)

    def x_WhileLet(self, node: A.WhileLet) -> tuple[str, Optional[str]]:
        from .conditional import while_let
        return while_let(self, node)

    def x_LetPat(self, node: A.LetPat) -> tuple[str, Optional[str]]:
        from .conditional import let_pattern
        return let_pattern(self, node)

    def x_MacroPat(self, node: A.MacroPat) -> tuple[str, Optional[str]]:
        from .conditional import matches
        return matches(self, node)

    def x_Try(self, node: A.Try) -> tuple[str, Optional[str]]:
        from .conditional import try_
        return try_(self, node)

    def x_Match(self, node: A.Match, want: bool) -> tuple[str, Optional[str]]:
        from .control import match_expr
        return match_expr(self, node, want)

    def x_While(self, node: A.While) -> tuple[str, str]:
        from .control import while_loop
        return while_loop(self, node)

    def x_Loop(self, node: A.Loop) -> tuple[str, Optional[str]]:
        from .control import loop
        return loop(self, node)

    def x_For(self, node: A.For) -> tuple[str, str]:
        from .control import for_array
        return for_array(self, node)

    def x_ForRange(self, node: A.ForRange) -> tuple[str, str]:
        from .control import for_range
        return for_range(self, node)

    def x_Break(self, node: A.Break) -> tuple[str, str]:
        from .control import break_
        return break_(self, node)

    def x_Continue(self, node: A.Continue) -> tuple[str, str]:
        from .control import continue_
        return continue_(self, node)

    def x_Return(self, node: A.Return) -> tuple[str, str]:
        code = "None"
        kind: Optional[str] = "unit"
        if node.value is not None:
            # The caller takes the result as fresh: what may be held elsewhere is copied.
            code, kind = self.expr(node.value)
            code = self.returned(code, kind, node.value)
        self.ret_kind = join(self.ret_kind, kind)
        if self.exits:
            from .bindings import exit_write_backs
            exit_write_backs(self, len(self.loops) + 1)
        from .control import flush_loop_counters
        flush_loop_counters(self, node, len(self.loops))
        self.emit(f"return {code}", node)
        return "None", "unit"

    # ---- formatting (see formatting.py) ------------------------------------------------

    def format_args(self, args: list[A.Node], node: A.Node) -> str:
        from .formatting import format_args
        return format_args(self, args, node)

    def format_code(self, pieces: list, vals: list[tuple[str, Optional[str]]],
                    node: A.Node) -> str:
        from .formatting import format_code
        return format_code(self, pieces, vals, node)

    def spec(self, spec: str, node: A.Node) -> Optional[int]:
        from .formatting import spec_index
        return spec_index(self, spec, node)


_TAKES_WANT = {"Block": True, "If": True, "Match": True, "IfLet": True}
