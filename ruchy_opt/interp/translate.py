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

import json
from dataclasses import dataclass, field
from typing import Optional

from ..errors import RuchySyntaxError, SourceFile
from ..runtime.fmt import FormatError, parse_format, parse_spec
from ..runtime import methods as M
from ..syntax import ast as A
from .emitter import Emitter
from .opcode import binary, cast, unary

#: Kinds of the static inference. ``None`` (not a kind) is "no information yet".
KINDS = ("int", "float", "bool", "str", "arr", "unit", "any")
BUILTINS = {"println", "print", "eprintln", "eprint", "format", "assert", "assert_eq",
            "assert_ne", "panic", "len"}
_LIT_KIND = {A.IntLit: "int", A.FloatLit: "float", A.BoolLit: "bool", A.StrLit: "str"}
_SCALAR = ("int", "float", "bool", "str", "unit")


def join(a: Optional[str], b: Optional[str]) -> Optional[str]:
    if a is None:
        return b
    if b is None or a == b:
        return a
    return "any"


@dataclass
class ModuleCode:
    """A translated program: Python source and, per source line, the Ruchy span."""

    source: str
    spans: list[A.Span]
    functions: dict[str, str]      # Ruchy function name -> Python function name
    call_counters: list[str]       # index -> Ruchy function name
    loop_counters: list[A.Span]    # index -> loop position
    has_main: bool
    specs: list                    # format specs the code refers to as _SP[i]


@dataclass
class _Loop:
    """A loop being translated: where `break value` goes, its profile counter."""

    result: Optional[str]
    counter: Optional[str]
    index: int = -1
    kind: Optional[str] = None


@dataclass
class _Context:
    """Program-wide facts a function translation needs."""

    functions: dict[str, A.FunDef]
    consts: dict[str, str]
    src: SourceFile
    profile: bool = True
    loops: list[A.Span] = field(default_factory=list)
    specs: list = field(default_factory=list)


class FunctionTranslator:
    """Translates one function body (or the top level) to a Python function."""

    def __init__(self, ctx: _Context, pyname: str, params: list[A.Param],
                 kinds: dict[str, Optional[str]], counter: int) -> None:
        self.ctx = ctx
        self.pyname = pyname
        self.params = params
        self.assumed = kinds           # inferred kinds from the previous pass
        self.observed: dict[str, Optional[str]] = {}
        self.counter = counter
        self.out = Emitter()
        self.scopes: list[dict[str, str]] = [{}]
        self.names_used: dict[str, int] = {}
        self.ntemps = 0
        self.loops: list[_Loop] = []
        self.main_flag = False

    # ---- names, temps, kinds ---------------------------------------------------------

    def tmp(self) -> str:
        self.ntemps += 1
        return f"_t{self.ntemps}"

    def bind(self, name: str, kind: Optional[str]) -> str:
        """A new Python local for a Ruchy binding in the innermost scope."""
        n = self.names_used.get(name, 0)
        self.names_used[name] = n + 1
        py = f"v_{name}" if n == 0 else f"v_{name}_{n}"
        self.scopes[-1][name] = py
        self.observe(py, kind)
        return py

    def observe(self, py: str, kind: Optional[str]) -> None:
        self.observed[py] = join(self.observed.get(py), kind)

    def lookup(self, name: str) -> Optional[str]:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def kind_of_var(self, py: str) -> Optional[str]:
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
        if code.isidentifier() or _is_literal(code):
            return code
        return self.value_line(code, kind, node)[0]

    def copied(self, code: str, kind: Optional[str], node: A.Node) -> str:
        """The value of ``node`` as a new holder sees it: arrays are copied (O(1))."""
        if kind in _SCALAR or isinstance(node, (A.ArrayLit, A.ArrayRepeat)):
            return code
        if kind == "arr":
            return f"_cp({code})"
        code = self.simple(code, kind, node)
        return f"({code} if type({code}) is not Arr else _cp({code}))"

    # ---- function ----------------------------------------------------------------------

    def function(self, body: A.Block, is_main: bool, toplevel: bool) -> list[str]:
        params = [self.bind(p.name, "any") for p in self.params]
        with self.out.indented():
            if self.counter >= 0:
                self.out.emit(f"_C[{self.counter}] += 1")
            if is_main:
                self.out.emit("_MAIN[0] = True")
            code, _ = self.block(body, want=not toplevel)
            if not toplevel:
                self.emit(f"return {code}", body)
        return [f"def {self.pyname}({', '.join(params)}):"] + self.out.lines

    # ---- statements and blocks -----------------------------------------------------------

    def block(self, node: A.Block, want: bool) -> tuple[str, Optional[str]]:
        self.scopes.append({})
        value: tuple[str, Optional[str]] = ("None", "unit")
        for i, stmt in enumerate(node.stmts):
            last = i == len(node.stmts) - 1
            value = self.stmt(stmt, want and last)
        self.scopes.pop()
        return value if want else ("None", "unit")

    def stmt(self, node: A.Node, want: bool) -> tuple[str, Optional[str]]:
        if isinstance(node, A.Let):
            code, kind = self.expr(node.value)
            code = self.copied(code, kind, node.value)
            py = self.bind(node.name, kind)
            self.emit(f"{py} = {code}", node)
            return "None", "unit"
        if isinstance(node, A.Assign):
            self.assign(node)
            return "None", "unit"
        if isinstance(node, A.FunDef):
            raise RuchySyntaxError("functions can only be defined at the top level", node.span)
        if isinstance(node, A.ConstDef):
            raise RuchySyntaxError("const items can only be defined at the top level", node.span)
        return self.expr(node, want)

    def assign(self, node: A.Assign) -> None:
        from .places import assign
        assign(self, node)

    # ---- expressions ------------------------------------------------------------------

    def expr(self, node: A.Node, want: bool = True) -> tuple[str, Optional[str]]:
        """Emit the lines computing ``node``; return (code, kind) for its value."""
        lit = _LIT_KIND.get(type(node))
        if lit:
            return repr(node.value), lit
        method = getattr(self, "x_" + type(node).__name__, None)
        if method is None:
            raise RuchySyntaxError(f"{type(node).__name__.lower()} expressions are not "
                                   "supported yet", node.span)
        return method(node, want) if _TAKES_WANT.get(type(node).__name__) else method(node)

    def operands(self, nodes: list[A.Node]) -> list[tuple[str, Optional[str]]]:
        """Evaluate nodes left to right; an earlier value is saved in a temp when a later
        one emits code (which could reassign a variable the earlier one named)."""
        vals: list[tuple[str, Optional[str]]] = []
        for n in nodes:
            mark, depth = self.out.mark, self.out.depth
            code, kind = self.expr(n)
            if self.out.mark > mark:
                for j, (pc, pk) in enumerate(vals):
                    if not _is_literal(pc):
                        t = self.tmp()
                        self.out.insert(mark, f"{t} = {pc}", A.error_span(n), depth)
                        mark += 1
                        vals[j] = (t, pk)
            vals.append((code, kind))
        return vals

    def x_UnitLit(self, node: A.UnitLit) -> tuple[str, str]:
        return "None", "unit"

    def x_Name(self, node: A.Name) -> tuple[str, Optional[str]]:
        py = self.lookup(node.id)
        if py is not None:
            return py, self.kind_of_var(py)
        if node.id in self.ctx.consts:
            return self.ctx.consts[node.id], "any"
        if node.id in self.ctx.functions:
            raise RuchySyntaxError(f"function '{node.id}' used as a value (functions as values "
                                   "are not supported yet)", node.span)
        self.emit(f"_undef({node.id!r})", node)
        return "None", "any"

    def x_Path(self, node: A.Path) -> tuple[str, Optional[str]]:
        self.emit(f"_undef({node.owner + '::' + node.name!r})", node)
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
        target = node.type.kind
        if target not in ("int", "float", "bool"):
            raise RuchySyntaxError(f"cannot cast to {node.type.text}", node.type.span)
        code, kind, own_line, _ = cast(target, self.simple(a, ka, node.value), ka or "any")
        return self.value_line(code, kind, node) if own_line else (code, kind)

    def x_Ref(self, node: A.Ref) -> tuple[str, Optional[str]]:
        if node.mutable:
            from .places import place
            return place(self, node.operand)
        code, kind = self.expr(node.operand)
        return self.copied(code, kind, node.operand), kind

    def x_Deref(self, node: A.Deref) -> tuple[str, Optional[str]]:
        return self.expr(node.operand)

    def x_ArrayLit(self, node: A.ArrayLit) -> tuple[str, str]:
        vals = self.operands(node.elems)
        items = [self.copied(c, k, n) for (c, k), n in zip(vals, node.elems)]
        return self.value_line(f"Arr([{', '.join(items)}])", "arr", node)

    def x_ArrayRepeat(self, node: A.ArrayRepeat) -> tuple[str, str]:
        (v, _), (n, _) = self.operands([node.value, node.count])
        return self.value_line(f"_repeat({v}, {n})", "arr", node)

    def x_Index(self, node: A.Index) -> tuple[str, str]:
        (a, ka), (i, ki) = self.operands([node.target, node.index])
        a, i = self.simple(a, ka, node.target), self.simple(i, ki, node.index)
        if ka == "arr" and ki == "int":
            code = f"{a}.d[{i}] if {i} >= 0 else _index({a}, {i})"
        else:
            code = (f"{a}.d[{i}] if type({a}) is Arr and type({i}) is int and {i} >= 0 "
                    f"else _index({a}, {i})")
        return self.value_line(code, "any", node)

    def x_Field(self, node: A.Field) -> tuple[str, str]:
        raise RuchySyntaxError("fields and tuples are not supported yet", node.op_span)

    def x_MethodCall(self, node: A.MethodCall) -> tuple[str, Optional[str]]:
        from .calls import method_call
        return method_call(self, node)

    def x_Call(self, node: A.Call) -> tuple[str, Optional[str]]:
        from .calls import call
        return call(self, node)

    def x_Block(self, node: A.Block, want: bool) -> tuple[str, Optional[str]]:
        return self.block(node, want)

    def x_If(self, node: A.If, want: bool) -> tuple[str, Optional[str]]:
        from .control import if_expr
        return if_expr(self, node, want)

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
        if not self.loops:
            raise RuchySyntaxError("'continue' outside of a loop", node.span)
        self.emit("continue", node)
        return "None", "unit"

    def x_Return(self, node: A.Return) -> tuple[str, str]:
        code = "None"
        if node.value is not None:
            c, k = self.expr(node.value)
            code = self.copied(c, k, node.value)
        from .control import flush_loop_counters
        flush_loop_counters(self, node, len(self.loops))
        self.emit(f"return {code}", node)
        return "None", "unit"

    # ---- formatting ---------------------------------------------------------------------

    def spec(self, spec: str, node: A.Node):
        try:
            parsed = parse_spec(spec)
        except FormatError as e:
            raise RuchySyntaxError(str(e), node.span) from None
        if parsed == parse_spec(""):
            return None
        self.ctx.specs.append(parsed)
        return len(self.ctx.specs) - 1

    def format_code(self, pieces: list, vals: list[tuple[str, Optional[str]]],
                    node: A.Node) -> str:
        """A Python f-string producing the text of ``pieces`` (text and (arg, spec))."""
        body = []
        for p in pieces:
            if isinstance(p, str):
                body.append(json.dumps(p)[1:-1].replace("{", "{{").replace("}", "}}"))
                continue
            idx, spec = p
            code, kind = vals[idx]
            code = self.simple(code, kind, node)
            if spec is not None:
                body.append(f"{{_fmt({code}, _SP[{spec}])}}")
            elif kind in ("int", "str"):
                body.append(f"{{{code}}}")
            elif kind == "float":
                body.append(f"{{_ff({code})}}")
            else:
                body.append(f"{{_disp({code})}}")
        return 'f"' + "".join(body) + '"'

    def format_args(self, args: list[A.Node], node: A.Node) -> str:
        """The text that println/print/format!/panic! make of their arguments."""
        if args and isinstance(args[0], A.StrLit) and ("{" in args[0].value or "}" in args[0].value):
            fmt = args[0]
            try:
                pieces = parse_format(fmt.value)
            except FormatError as e:
                raise RuchySyntaxError(str(e), fmt.span) from None
            rest = list(args[1:])
            resolved = []
            for p in pieces:
                if isinstance(p, str):
                    resolved.append(p)
                    continue
                ref, spec = p
                spec_idx = self.spec_obj(spec)
                if isinstance(ref, str):  # {name}: a variable in scope
                    rest.append(A.Name(ref, span=fmt.span))
                    ref = len(rest) - 1
                elif ref >= len(args) - 1:
                    raise RuchySyntaxError(
                        f"format string needs argument {ref + 1} but "
                        f"{len(args) - 1} were given", fmt.span)
                resolved.append((ref, spec_idx))
            used = {r for p in resolved if not isinstance(p, str) for r in [p[0]]}
            if len(args) > 1 and not set(range(len(args) - 1)) <= used:
                raise RuchySyntaxError(f"format string uses {len(used)} of {len(args) - 1} "
                                       "arguments", fmt.span)
            return self.format_code(resolved, self.operands(rest), node)
        vals = self.operands(args)
        pieces: list = []
        for i in range(len(args)):
            if i:
                pieces.append(" ")
            pieces.append((i, None))
        return self.format_code(pieces, vals, node)

    def spec_obj(self, spec):
        from ..runtime.fmt import PLAIN
        if spec == PLAIN:
            return None
        self.ctx.specs.append(spec)
        return len(self.ctx.specs) - 1


_TAKES_WANT = {"Block": True, "If": True, "Match": True}


def _is_literal(code: str) -> bool:
    return code in ("None", "True", "False") or code.lstrip("-").replace(".", "", 1).isdigit() \
        or (code[:1] in "'\"" and code[-1:] == code[:1] and len(code) >= 2 and "\n" not in code
            and code.count(code[0]) == 2 and "\\" not in code)


TOPLEVEL = "ruchy_toplevel"
CONSTS = "ruchy_consts"
MAX_INFERENCE_ROUNDS = 8


def _translate_function(ctx: _Context, pyname: str, params: list[A.Param], body: A.Block,
                        counter: int, is_main: bool, toplevel: bool) -> FunctionTranslator:
    """Translate until the inferred kinds of the locals reach a fixed point.

    Round one assumes nothing about locals; each round re-translates with the kinds the
    previous round observed being assigned. The final code is generated under
    assumptions that equal what it assigns, so every kind it relies on is proven.
    """
    kinds: dict[str, Optional[str]] = {}
    for _ in range(MAX_INFERENCE_ROUNDS):
        loops_before, specs_before = len(ctx.loops), len(ctx.specs)
        tr = FunctionTranslator(ctx, pyname, params, kinds, counter)
        tr.lines = tr.function(body, is_main, toplevel)
        if tr.observed == kinds:
            return tr
        kinds = tr.observed
        del ctx.loops[loops_before:], ctx.specs[specs_before:]
    tr = FunctionTranslator(ctx, pyname, params, {k: "any" for k in kinds}, counter)
    tr.lines = tr.function(body, is_main, toplevel)
    return tr


def translate_program(prog: A.Program, src: SourceFile, profile: bool = True) -> ModuleCode:
    """Translate a whole program to one Python module (see ModuleCode)."""
    functions: dict[str, A.FunDef] = {}
    consts: dict[str, str] = {}
    const_defs: list[A.ConstDef] = []
    top: list[A.Node] = []
    for item in prog.items:
        if isinstance(item, A.FunDef):
            if item.name in functions:
                raise RuchySyntaxError(f"function '{item.name}' is defined twice", item.span)
            functions[item.name] = item
        elif isinstance(item, A.ConstDef):
            consts[item.name] = f"c_{item.name}"
            const_defs.append(item)
        else:
            top.append(item)
    ctx = _Context(functions, consts, src, profile)
    lines: list[str] = []
    spans: list[A.Span] = []

    def add(tr: FunctionTranslator, header_span: A.Span) -> None:
        lines.extend(tr.lines)
        spans.append(header_span)
        spans.extend(tr.out.spans)

    counters = list(functions) if profile else []
    for i, (name, fn) in enumerate(functions.items()):
        tr = _translate_function(ctx, f"r_{name}", fn.params, fn.body,
                                 i if profile else -1, name == "main", False)
        add(tr, fn.span)
    if const_defs:
        body = A.Block([A.Let(f"__const_{c.name}", False, None, c.value, span=c.span)
                        for c in const_defs], span=const_defs[0].span)
        tr = _translate_function(ctx, CONSTS, [], body, -1, False, True)
        tr.lines.insert(1, "    global " + ", ".join(consts.values()))
        tr.out.spans.insert(0, A.NO_SPAN)
        for c in const_defs:
            tr.lines.append(f"    c_{c.name} = v___const_{c.name}")
            tr.out.spans.append(c.span)
        add(tr, const_defs[0].span)
    top_body = A.Block(top, span=prog.span)
    tr = _translate_function(ctx, TOPLEVEL, [], top_body, -1, False, True)
    add(tr, prog.span)
    return ModuleCode("\n".join(lines) + "\n", spans, {n: f"r_{n}" for n in functions},
                      counters, ctx.loops, "main" in functions, ctx.specs)
