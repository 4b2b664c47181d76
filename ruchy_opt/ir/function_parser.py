"""Parsing one ``func`` of the textual IR (parser.py parses the rest of a module).

Forward references (a value or block used above its definition, as loop back edges
do) are placeholders until the closing brace, then resolved.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..syntax.ast import Span
from .core import Block, BlockParam, Function, Instruction, Module, Successor, Value
from .lexer import Token
from .opdef import OPS, imm_matches

if TYPE_CHECKING:
    from .parser import _Parser


def _is_literal_start(t: Token) -> bool:
    return t.kind in ("STRING", "SYM", "NUMBER") or (t.kind == "WORD" and t.text in
                                                    ("true", "false")) or t.text == "("


class FunctionParser:
    """Parses one ``func`` body; resolves forward references at the closing brace."""

    def __init__(self, p: "_Parser", module: Module) -> None:
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
            elif stage == 0 and len(imms) < len(op.imms) and op.imms[len(imms)] == "type":
                imms.append(p.type_name())  # (a type immediate: `make tuple<any, i64>, ..`)
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
