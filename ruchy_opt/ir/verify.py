"""The IR verifier: the rules every module must keep, checked after lowering, after
parsing ``.ssa`` text and (with ``--verify-each``) after every pass.

Rules: every block ends in exactly one terminator; every op has the shape its class
declares; each value is defined once; every use is dominated by its definition (a
branch argument must be available at the end of the branching block); branches pass
one argument per parameter of the target, of a matching type; the entry block has no
predecessors; typed ops get operands of their types; op-specific rules
(``OpDef.verify``). Uses inside unreachable blocks are not checked for dominance, as in
LLVM. Errors name the function, block and instruction.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .core import Block, BlockParam, Function, Instruction, Module, Value
from .dominance import DomTree
from .opdef import OPS, TYPES, imm_matches
from .types import IRType
from .printer import format_instr


@dataclass
class Problem:
    """One broken rule, and where."""

    function: str
    block: Optional[str]
    instr: Optional[Instruction]
    message: str
    block_obj: Optional[Block] = None

    def __str__(self) -> str:
        where = f"in function @{self.function}"
        if self.block is not None:
            where += f", block ^{self.block}"
        if self.instr is not None:
            where += f", instruction '{format_instr(self.instr, locs=False)}'"
        return f"{where}: {self.message}"


class VerifyError(Exception):
    """The module breaks the rules; ``problems`` lists each. The message names every
    one: the first on the first line (``invalid IR: ...``), each further one on a line
    of its own, so that a report or a reproducer shows all that is wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        first = f"invalid IR: {problems[0]}"
        if len(problems) > 1:
            first = f"invalid IR ({len(problems)} problems): {problems[0]}"
        super().__init__("\n".join([first, *(f"  {p}" for p in problems[1:])]))
        self.problems = problems


class _FunctionVerifier:
    def __init__(self, f: Function, module: Optional[Module]) -> None:
        self.f = f
        self.module = module
        self.problems: list[Problem] = []
        #: (op class, operand count) -> the type each operand must have (or None): the
        #: op's answers, asked once per shape rather than once per operand
        self.expected: dict[tuple[type, int], list[Optional[str]]] = {}

    def report(self, block: Optional[Block], instr: Optional[Instruction], msg: str) -> None:
        self.problems.append(Problem(self.f.name, block.name if block else None, instr, msg,
                                     block))

    def run(self) -> list[Problem]:
        f = self.f
        if not f.blocks:
            self.report(None, None, "function has no blocks")
            return self.problems
        self.blocks = set(f.blocks)
        self.check_names()
        for b in f.blocks:
            self.check_block(b)
        if self.problems:  # dominance needs well-formed terminators
            return self.problems
        self.dom = DomTree(f)
        for b in f.blocks:
            if self.dom.reachable(b):
                self.check_dominance(b)
        return self.problems

    def check_names(self) -> None:
        seen_v: set[str] = set()
        seen_b: set[str] = set()
        for b in self.f.blocks:
            if b.name in seen_b:
                self.report(b, None, f"block name ^{b.name} is used twice")
            seen_b.add(b.name)
            if b.func is not self.f:
                self.report(b, None, "block belongs to another function")
            values: list[tuple[Value, Optional[Instruction]]] = [(p, None) for p in b.params]
            values += [(i, i) for i in b.instrs if i.op.result]
            for v, instr in values:
                if v.name in seen_v:
                    self.report(b, instr, f"value %{v.name} is defined more than once")
                seen_v.add(v.name)
                why = self.type_problem(v.type)
                if why:
                    self.report(b, instr, f"value %{v.name}: {why}")

    def type_problem(self, t: str) -> Optional[str]:
        """Why ``t`` is not a valid type here (None: it is). A plain string must be a
        scalar's name; an IRType verifies itself against the module."""
        if not isinstance(t, IRType):
            return None if t in TYPES else f"unknown type '{t}'"
        try:
            return t.verify(self.module)
        except Exception as e:  # a plugin type's verify must not take the verifier down
            return f"type {t} verify hook failed: {type(e).__name__}: {e}"

    def check_block(self, b: Block) -> None:
        entry = b is self.f.entry
        for p in b.params:
            if p.block is not b:
                self.report(b, None, f"parameter %{p.name} belongs to another block")
            if p.hint and not entry:
                self.report(b, None, f"only function parameters have hints (%{p.name})")
        if not b.instrs or not b.instrs[-1].is_terminator:
            self.report(b, None, "block does not end with a terminator (br, cond_br, ret)")
        for k, instr in enumerate(b.instrs):
            if instr.block is not b:
                self.report(b, instr, "instruction's block link is wrong")
            if instr.is_terminator and k != len(b.instrs) - 1:
                self.report(b, instr, "terminator in the middle of a block")
            self.check_instr(b, instr)

    def check_instr(self, b: Block, instr: Instruction) -> None:
        op = instr.op
        if OPS.get(op.name) is not op:
            self.report(b, instr, f"op '{op.name}' is not registered")
        imms = instr.imms
        if (imms or op.imms) and (len(imms) != len(op.imms) or not all(
                imm_matches(k, v) for k, v in zip(op.imms, imms))):
            self.report(b, instr, f"op '{op.name}' takes immediates ({', '.join(op.imms)})")
        for v in imms:
            if isinstance(v, IRType):
                why = self.type_problem(v)
                if why:
                    self.report(b, instr, why)
        operands = instr.operands
        n = len(operands)
        if not op.arity_ok(n):
            self.report(b, instr, f"op '{op.name}' takes {op.arity_text()} operands, "
                                  f"got {n}")
        if len(instr.succs) != op.successors:
            self.report(b, instr, f"op '{op.name}' takes {op.successors} branch targets")
        if op.result != bool(instr.name):
            self.report(b, instr, "result name does not match whether the op defines a value")
        wants = self.expected.get((op, n))
        if wants is None:
            wants = self.expected[(op, n)] = [op.expected_operand_type(i) for i in range(n)]
        for i, v in enumerate(operands):
            self.check_value(b, instr, v)
            want = wants[i]
            if want and v.type != want:
                self.report(b, instr, f"operand {i + 1} (%{v.name}) of '{op.name}' has type "
                                      f"{v.type}, expected {want}")
        for s in instr.succs:
            self.check_successor(b, instr, s)
        try:
            msg = op.verify(instr)
        except Exception as e:  # a plugin's verify hook must not take the verifier down
            msg = f"op '{op.name}' verify hook failed: {type(e).__name__}: {e}"
        if msg:
            self.report(b, instr, msg)

    def check_value(self, b: Block, instr: Instruction, v: Value) -> None:
        if isinstance(v, BlockParam):
            ok = v.block in self.blocks and v in v.block.params
        elif isinstance(v, Instruction):
            ok = v.block in self.blocks and v.op.result
        else:
            ok = False
        if not ok:
            self.report(b, instr, f"uses %{v.name}, which is not a value of this function")

    def check_successor(self, b: Block, instr: Instruction, s: Any) -> None:
        t = s.block
        if t not in self.blocks:
            self.report(b, instr, f"branches to ^{t.name}, which is not in this function")
            return
        if t is self.f.entry:
            self.report(b, instr, "branches to the entry block (it must have no predecessors)")
        if len(s.args) != len(t.params):
            self.report(b, instr, f"passes {len(s.args)} arguments to ^{t.name}, which has "
                                  f"{len(t.params)} parameters")
        for a, p in zip(s.args, t.params):
            self.check_value(b, instr, a)
            if p.type != "any" and a.type != p.type:
                self.report(b, instr, f"argument %{a.name} has type {a.type} but parameter "
                                      f"%{p.name} of ^{t.name} has type {p.type}")

    def check_dominance(self, b: Block) -> None:
        earlier: set[Instruction] = set()  # the instructions of ``b`` before this one
        for instr in b.instrs:
            for v in instr.uses():
                if not self.available(v, b, earlier):
                    self.report(b, instr, f"%{v.name} is used where its definition does not "
                                          "dominate the use")
            earlier.add(instr)

    def available(self, v: Value, b: Block, earlier: set[Instruction]) -> bool:
        if isinstance(v, BlockParam):
            return self.dom.dominates(v.block, b)
        if not isinstance(v, Instruction) or v.block is None:
            return False
        if v.block is b:
            return v in earlier
        return self.dom.dominates(v.block, b)


def verify_function(f: Function, module: Optional[Module] = None) -> list[Problem]:
    """Every problem in one function (empty if it is well formed)."""
    return _FunctionVerifier(f, module or f.module).run()


def verify_module(m: Module) -> None:
    """Raise VerifyError if any function of ``m`` breaks a rule."""
    problems: list[Problem] = []
    for name, decl in m.type_decls.items():
        try:
            why = decl.verify(m)
        except Exception as e:  # a plugin declaration's verify hook is broken
            why = f"verify hook failed: {type(e).__name__}: {e}"
        if why:
            problems.append(Problem(f"(type !{name})", None, None, why))
    for decl in getattr(m, "impls", {}).values():
        why = decl.verify(m)
        if why:
            problems.append(Problem(f"({decl.format().split(' {')[0]})", None, None, why))
    for f in m.functions.values():
        if f.module is not m:
            problems.append(Problem(f.name, None, None, "function is not linked to its module"))
        problems.extend(verify_function(f, m))
    if problems:
        raise VerifyError(problems)
