"""Read the textual IR (see printer.py for the syntax) back into a Module.

Errors are RuchySyntaxError with the position in the ``.ssa`` text, so the command line
reports ``FILE:LINE:COL: error: ...`` with a caret, as it does for Ruchy source. The
shape of each instruction (immediates, operand and successor counts) is checked here
against its op class, so a plugin op parses as soon as it is registered; the semantic
rules (dominance, types, arities of branches) are the verifier's.
"""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from ..errors import RuchySyntaxError
from ..syntax.ast import Span
from .core import Block, BlockParam, Function, Instruction, Module, Successor, Value
from .opdef import OPS, TYPES, Sym, imm_matches

_TOKEN = re.compile(r"""
    (?P<NL>\n) | (?P<WS>[ \t\r]+) | (?P<COMMENT>;[^\n]*)
  | (?P<LOC>loc\((?P<l>\d+):(?P<c>\d+)-(?:(?P<el>\d+):)?(?P<ec>\d+)\))
  | (?P<VALUE>%[A-Za-z0-9_.]+) | (?P<BLOCK>\^[A-Za-z0-9_.]+) | (?P<SYM>@[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<STRING>"(?:\\.|[^"\\\n])*")
  | (?P<NUMBER>-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+|inf\b)|nan\b)
  | (?P<WORD>[A-Za-z_][A-Za-z0-9_.]*)
  | (?P<PUNCT>->|[(){},=:])
""", re.VERBOSE)


class Token:
    __slots__ = ("kind", "text", "line", "col", "m")

    def __init__(self, kind: str, text: str, line: int, col: int, m: Any = None) -> None:
        self.kind, self.text, self.line, self.col, self.m = kind, text, line, col, m

    @property
    def span(self) -> Span:
        return Span(self.line, self.col, self.line, self.col + max(1, len(self.text)))


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        col = pos - line_start + 1
        if m is None:
            ch = text[pos]
            msg = "unterminated string" if ch == '"' else f"unexpected character {ch!r}"
            raise RuchySyntaxError(msg, Span(line, col, line, col + 1))
        kind = m.lastgroup if m.lastgroup in ("NL", "WS", "COMMENT") else \
            next(k for k in ("LOC", "VALUE", "BLOCK", "SYM", "STRING", "NUMBER", "WORD", "PUNCT")
                 if m.group(k) is not None)
        if kind == "NL":
            out.append(Token("NL", "", line, col))
            line, line_start = line + 1, m.end()
        elif kind not in ("WS", "COMMENT"):
            out.append(Token(kind, m.group(kind), line, col, m))
        pos = m.end()
    out.append(Token("EOF", "", line, pos - line_start + 1))
    return out


class _Parser:
    def __init__(self, text: str, positions: Optional[dict] = None) -> None:
        self.toks = _tokens(text)
        self.i = 0
        self.positions = positions if positions is not None else {}

    # ---- token helpers ----------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def error(self, msg: str, tok: Optional[Token] = None) -> RuchySyntaxError:
        t = tok or self.tok
        what = {"NL": "end of line", "EOF": "end of input"}.get(t.kind, f"'{t.text}'")
        return RuchySyntaxError(msg.replace("{found}", what), t.span)

    def next(self) -> Token:
        t = self.toks[self.i]
        self.i += 1
        return t

    def accept(self, kind: str, text: Optional[str] = None) -> Optional[Token]:
        t = self.tok
        if t.kind == kind and (text is None or t.text == text):
            self.i += 1
            return t
        return None

    def expect(self, kind: str, text: Optional[str] = None, what: str = "") -> Token:
        t = self.accept(kind, text)
        if t is None:
            raise self.error(f"expected {what or repr(text) or kind.lower()}, found {{found}}")
        return t

    def skip_newlines(self) -> None:
        while self.tok.kind == "NL":
            self.i += 1

    def end_of_line(self) -> None:
        if self.tok.kind != "EOF":
            self.expect("NL", what="end of line")

    # ---- module --------------------------------------------------------------------------

    def module(self) -> Module:
        m = Module()
        self.skip_newlines()
        if self.accept("WORD", "source"):
            m.source = self.string()
            self.end_of_line()
        while True:
            self.skip_newlines()
            t = self.tok
            if t.kind == "EOF":
                return m
            if self.accept("WORD", "global"):
                name = self.expect("SYM", what="a global name like @g")
                if name.text[1:] in m.globals:
                    raise self.error(f"global {name.text} is defined twice", name)
                self.expect("PUNCT", "=")
                m.add_global(name.text[1:], self.literal())
                self.end_of_line()
            elif self.accept("WORD", "func"):
                f = _FunctionParser(self, m).function()
                m.add_function(f)
            else:
                raise self.error("expected 'func', 'global' or 'source', found {found}")

    # ---- literals ----------------------------------------------------------------------

    def string(self) -> str:
        t = self.expect("STRING", what="a string")
        try:
            return json.loads(t.text)
        except ValueError:
            raise self.error("invalid escape in string", t) from None

    def literal(self) -> Any:
        t = self.tok
        if t.kind == "STRING":
            return self.string()
        if t.kind == "SYM":
            self.i += 1
            return Sym(t.text[1:])
        if t.kind == "NUMBER":
            self.i += 1
            txt = t.text
            if txt.lstrip("-").isdigit():
                v = int(txt)
                if not -(2**63) <= v < 2**63:
                    raise self.error("integer literal does not fit in 64 bits", t)
                return v
            return float(txt)
        if t.kind == "WORD" and t.text in ("true", "false"):
            self.i += 1
            return t.text == "true"
        if t.kind == "PUNCT" and t.text == "(" and self.toks[self.i + 1].text == ")":
            self.i += 2
            return None
        raise self.error("expected a literal, found {found}")

    def type_name(self) -> str:
        t = self.expect("WORD", what="a type")
        if t.text not in TYPES:
            raise self.error(f"unknown type '{t.text}' (types: {', '.join(TYPES)})", t)
        return t.text


def _is_literal_start(t: Token) -> bool:
    return t.kind in ("STRING", "SYM", "NUMBER") or (t.kind == "WORD" and t.text in
                                                    ("true", "false")) or t.text == "("


class _FunctionParser:
    """Parses one ``func`` body; resolves forward references at the closing brace."""

    def __init__(self, p: _Parser, module: Module) -> None:
        self.p = p
        self.module = module
        self.values: dict[str, Value] = {}
        self.forward: dict[str, tuple[Value, Token]] = {}
        self.blocks: dict[str, Block] = {}
        self.block_refs: dict[str, Token] = {}
        self.defined_blocks: set[str] = set()

    def function(self) -> Function:
        p = self.p
        name = p.expect("SYM", what="a function name like @f")
        if name.text[1:] in self.module.functions:
            raise p.error(f"function {name.text} is defined twice", name)
        f = self.f = Function(name.text[1:])
        p.positions[f] = name.span
        entry = Block("", f)
        p.expect("PUNCT", "(")
        if not p.accept("PUNCT", ")"):
            while True:
                param = self.define_param(entry)
                if p.accept("WORD", "hint"):
                    param.hint = p.type_name()
                if p.accept("PUNCT", ")"):
                    break
                p.expect("PUNCT", ",", "',' or ')'")
        if p.accept("PUNCT", "->"):
            f.ret_type = p.type_name()
        if p.accept("WORD", "hint"):
            f.ret_hint = p.type_name()
        p.expect("PUNCT", "{")
        p.end_of_line()
        p.skip_newlines()
        label = p.expect("BLOCK", what="the entry block label")
        self.name_block(entry, label)
        if p.tok.text == "(":
            raise p.error("the entry block's parameters are the function's parameters; "
                          "write them after the function name")
        p.expect("PUNCT", ":")
        p.end_of_line()
        f.blocks.append(entry)
        block = entry
        while True:
            p.skip_newlines()
            if p.accept("PUNCT", "}"):
                break
            if p.tok.kind == "BLOCK":
                block = self.block_label()
                f.blocks.append(block)
            elif p.tok.kind == "EOF":
                raise p.error(f"unexpected end of input in function @{f.name} (missing '}}')")
            else:
                block.append(self.instruction())
        self.resolve()
        return f

    # ---- definitions ---------------------------------------------------------------------

    def define_param(self, block: Block) -> BlockParam:
        t = self.p.expect("VALUE", what="a parameter like %x")
        param = BlockParam(t.text[1:], block)
        if self.p.accept("PUNCT", ":"):
            param.type = self.p.type_name()
        self.define(param, t)
        block.params.append(param)
        return param

    def define(self, v: Value, t: Token) -> None:
        if not self.f.claim_value_name(v.name):
            raise self.p.error(f"value %{v.name} is defined twice in function @{self.f.name}", t)
        self.values[v.name] = v

    def block_ref(self, t: Token) -> Block:
        name = t.text[1:]
        if name not in self.blocks:
            self.blocks[name] = Block(name, self.f)
            self.block_refs[name] = t
        return self.blocks[name]

    def name_block(self, block: Block, t: Token) -> None:
        name = t.text[1:]
        if name in self.defined_blocks or not self.f.claim_block_name(name):
            raise self.p.error(f"block ^{name} is defined twice in function @{self.f.name}", t)
        self.defined_blocks.add(name)
        self.p.positions[block] = t.span
        block.name = name
        self.blocks[name] = block

    def block_label(self) -> Block:
        p = self.p
        t = p.next()
        block = self.block_ref(t)
        if t.text[1:] in self.defined_blocks:
            raise p.error(f"block {t.text} is defined twice in function @{self.f.name}", t)
        self.name_block(block, t)
        if p.accept("PUNCT", "("):
            while True:
                self.define_param(block)
                if p.accept("PUNCT", ")"):
                    break
                p.expect("PUNCT", ",", "',' or ')'")
        p.expect("PUNCT", ":")
        p.end_of_line()
        return block

    def use(self, t: Token) -> Value:
        name = t.text[1:]
        if name in self.values:
            return self.values[name]
        if name not in self.forward:
            self.forward[name] = (Value(name), t)
        return self.forward[name][0]

    # ---- instructions --------------------------------------------------------------------

    def instruction(self) -> Instruction:
        p = self.p
        result_tok = None
        if p.tok.kind == "VALUE":
            result_tok = p.next()
            p.expect("PUNCT", "=")
        name_tok = p.expect("WORD", what="an op name")
        op = OPS.get(name_tok.text)
        if op is None:
            raise p.error(f"unknown op '{name_tok.text}'", name_tok)
        if op.result and result_tok is None:
            raise p.error(f"op '{op.name}' defines a value: write '%name = {op.name} ...'",
                          name_tok)
        if not op.result and result_tok is not None:
            raise p.error(f"op '{op.name}' does not define a value", result_tok)
        imms: list[Any] = []
        operands: list[Value] = []
        succs: list[Successor] = []
        stage = 0  # 0 immediates, 1 operands, 2 successors: the generic order
        first = True
        while first or p.accept("PUNCT", ","):
            t = p.tok
            if first and (t.kind in ("NL", "EOF", "LOC")):
                break
            first = False
            if t.kind == "VALUE":
                if stage > 1:
                    raise p.error("operands must come before branch targets", t)
                stage = 1
                operands.append(self.use(p.next()))
            elif t.kind == "BLOCK":
                stage = 2
                succs.append(self.successor())
            elif _is_literal_start(t):
                if stage > 0:
                    raise p.error("immediates must come before operands", t)
                imms.append(p.literal())
            else:
                raise p.error("expected an operand, immediate or branch target, found {found}")
        span = Span(0, 0, 0, 0)
        loc = p.accept("LOC")
        if loc is not None:
            m = loc.m
            line = int(m.group("l"))
            span = Span(line, int(m.group("c")), int(m.group("el") or line), int(m.group("ec")))
        p.end_of_line()
        self.check_shape(op, imms, operands, succs, name_tok)
        instr = Instruction(op, operands, tuple(imms), succs, span,
                            result_tok.text[1:] if result_tok else None)
        if result_tok is not None:
            self.define(instr, result_tok)
        start = result_tok or name_tok
        self.p.positions[instr] = Span(start.line, start.col, start.line,
                                       name_tok.col + len(name_tok.text))
        return instr

    def successor(self) -> Successor:
        p = self.p
        block = self.block_ref(p.next())
        args: list[Value] = []
        if p.accept("PUNCT", "("):
            if not p.accept("PUNCT", ")"):
                while True:
                    args.append(self.use(p.expect("VALUE", what="a value like %x")))
                    if p.accept("PUNCT", ")"):
                        break
                    p.expect("PUNCT", ",", "',' or ')'")
        return Successor(block, args)

    def check_shape(self, op: Any, imms: list, operands: list, succs: list, t: Token) -> None:
        p = self.p
        if len(imms) != len(op.imms) or not all(imm_matches(k, v) for k, v in zip(op.imms, imms)):
            want = ", ".join(op.imms) or "no immediates"
            raise p.error(f"op '{op.name}' takes immediates: {want}", t)
        if not op.arity_ok(len(operands)):
            raise p.error(f"op '{op.name}' takes {op.arity_text()} operands, got {len(operands)}",
                          t)
        if len(succs) != op.successors:
            raise p.error(f"op '{op.name}' takes {op.successors} branch targets, got {len(succs)}",
                          t)

    def resolve(self) -> None:
        for name, (placeholder, t) in self.forward.items():
            if name not in self.values:
                raise self.p.error(f"use of undefined value %{name} in function @{self.f.name}", t)
            placeholder.replace_all_uses_with(self.values[name])
        for name, t in self.block_refs.items():
            if name not in self.defined_blocks:
                raise self.p.error(f"branch to undefined block ^{name} in function "
                                   f"@{self.f.name}", t)
        # Result types depend on operand types, which forward references hid until now.
        for _ in range(len(self.f.blocks) + 1):
            changed = False
            for instr in self.f.instructions():
                if instr.op.result:
                    t2 = instr.op.result_type(instr.imms, [v.type for v in instr.operands])
                    if t2 != instr.type:
                        instr.type, changed = t2, True
            if not changed:
                break


def parse_module(text: str, positions: Optional[dict] = None) -> Module:
    """Parse a whole ``.ssa`` text. Raises RuchySyntaxError with a position. If
    ``positions`` is given, it receives the span in the text of every function, block
    and instruction (for reporting verifier problems where they are)."""
    return _Parser(text, positions).module()
