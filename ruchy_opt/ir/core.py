"""The SSA IR data structures: module, function, block, instruction, value.

A function is a list of basic blocks; the first is the entry, whose parameters are the
function's parameters. Each block ends in exactly one terminator. Values flow between
blocks as *block arguments*: a branch passes one argument per parameter of its target
(see docs/ir.md for why block arguments rather than phi nodes).

Every value has a name that is unique in its function and never changes once given,
so two dumps of the same function at different stages diff cleanly. Use lists are kept
up to date by the mutation methods here, so passes can ask ``v.users`` and call
``replace_all_uses_with``.
"""
from __future__ import annotations

from typing import Any, Iterator, Optional

from ..syntax.ast import NO_SPAN, Span
from .opdef import OPS, OpDef


class Value:
    """Something an instruction can use: a block parameter or an instruction result."""

    __slots__ = ("name", "type", "users")

    def __init__(self, name: str, type: str = "any") -> None:
        self.name = name
        self.type = type
        #: instructions that use this value (as operand or branch argument) -> use count
        self.users: dict["Instruction", int] = {}

    def replace_all_uses_with(self, new: "Value") -> None:
        """Make every user use ``new`` instead of this value."""
        for user in list(self.users):
            user.replace_uses(self, new)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} %{self.name}>"


class BlockParam(Value):
    """A parameter of a basic block (the entry block's are the function's parameters)."""

    __slots__ = ("block", "hint")

    def __init__(self, name: str, block: "Block", type: str = "any",
                 hint: Optional[str] = None) -> None:
        super().__init__(name, type)
        self.block = block
        self.hint = hint  # an annotation's type (entry parameters only); never checked


def _use(v: Value, user: "Instruction") -> None:
    v.users[user] = v.users.get(user, 0) + 1


def _unuse(v: Value, user: "Instruction") -> None:
    n = v.users.get(user, 0) - 1
    if n > 0:
        v.users[user] = n
    else:
        v.users.pop(user, None)


class Successor:
    """A branch target of a terminator and the arguments passed to its parameters."""

    __slots__ = ("block", "args")

    def __init__(self, block: "Block", args: list[Value]) -> None:
        self.block = block
        self.args = args


class Instruction(Value):
    """One operation. ``name`` is None when the op defines no value."""

    __slots__ = ("op", "operands", "imms", "succs", "span", "block")

    def __init__(self, op: type[OpDef], operands: list[Value], imms: tuple = (),
                 succs: Optional[list[Successor]] = None, span: Span = NO_SPAN,
                 name: Optional[str] = None) -> None:
        super().__init__(name or "", "any")
        self.op = op
        self.operands = list(operands)
        self.imms = tuple(imms)
        self.succs = succs or []
        self.span = span
        self.block: Optional[Block] = None
        for v in self.operands:
            _use(v, self)
        for s in self.succs:
            for v in s.args:
                _use(v, self)
        self.type = op.result_type(self.imms, [v.type for v in self.operands]) \
            if op.result else "unit"

    @property
    def opname(self) -> str:
        """The op's name (``add``, ``add.i64``, ...)."""
        return self.op.name

    @property
    def is_terminator(self) -> bool:
        """Whether this instruction ends its block."""
        return self.op.is_terminator()

    def set_operand(self, i: int, v: Value) -> None:
        """Replace operand ``i`` (keeping use lists right)."""
        _unuse(self.operands[i], self)
        self.operands[i] = v
        _use(v, self)

    def add_succ_arg(self, k: int, v: Value) -> None:
        """Append an argument to successor ``k`` (a new parameter of its block)."""
        self.succs[k].args.append(v)
        _use(v, self)

    def remove_succ_arg(self, k: int, index: int) -> None:
        """Remove argument ``index`` of successor ``k`` (a parameter of its block goes)."""
        _unuse(self.succs[k].args.pop(index), self)

    def replace_uses(self, old: Value, new: Value) -> None:
        """Use ``new`` wherever this instruction uses ``old``."""
        for i, v in enumerate(self.operands):
            if v is old:
                self.set_operand(i, new)
        for s in self.succs:
            for i, v in enumerate(s.args):
                if v is old:
                    _unuse(old, self)
                    s.args[i] = new
                    _use(new, self)

    def drop_uses(self) -> None:
        """Forget this instruction's uses (before deleting it)."""
        for v in self.operands:
            _unuse(v, self)
        for s in self.succs:
            for v in s.args:
                _unuse(v, self)

    def erase(self) -> None:
        """Remove from its block and drop its uses. It must have no users left: erasing
        a value something still uses would leave a dangling use that the verifier
        reports far from the pass that made it, so it raises ValueError at once, naming
        the users (replace its uses first: ``replace_all_uses_with``)."""
        if self.users:
            from .printer import format_instr  # the printer imports this module
            where = f" in @{self.block.func.name}" \
                if self.block is not None and self.block.func is not None else ""
            users = "; ".join(f"'{format_instr(u, locs=False)}'" for u in self.users)
            raise ValueError(f"cannot erase %{self.name}{where}: it still has "
                             f"{len(self.users)} user{'s' * (len(self.users) != 1)}: {users}")
        self.drop_uses()
        if self.block is not None:
            self.block.instrs.remove(self)
            self.block = None

    def uses(self) -> Iterator[Value]:
        """Every value used: operands, then branch arguments."""
        yield from self.operands
        for s in self.succs:
            yield from s.args

    def __repr__(self) -> str:
        return f"<Instruction {self.op.name}{' %' + self.name if self.name else ''}>"


class Block:
    """A basic block: parameters, then instructions, the last of which is a terminator."""

    __slots__ = ("name", "params", "instrs", "func")

    def __init__(self, name: str, func: Optional["Function"] = None) -> None:
        self.name = name
        self.params: list[BlockParam] = []
        self.instrs: list[Instruction] = []
        self.func = func

    @property
    def terminator(self) -> Optional[Instruction]:
        """The last instruction if it is a terminator, else None."""
        # (asked for every block by every CFG walk: one lookup of the last instruction)
        if self.instrs:
            last = self.instrs[-1]
            if last.op.is_terminator():
                return last
        return None

    def successors(self) -> list["Block"]:
        """The blocks the terminator branches to, in order."""
        t = self.terminator
        return [s.block for s in t.succs] if t else []

    def append(self, instr: Instruction) -> Instruction:
        """Add ``instr`` at the end of the block."""
        instr.block = self
        self.instrs.append(instr)
        return instr

    def insert(self, index: int, instr: Instruction) -> Instruction:
        """Add ``instr`` before position ``index``."""
        instr.block = self
        self.instrs.insert(index, instr)
        return instr

    def add_param(self, name: str, type: str = "any") -> BlockParam:
        """Add a parameter (every branch here must then pass one more argument)."""
        p = BlockParam(name, self, type)
        self.params.append(p)
        return p

    def __repr__(self) -> str:
        return f"<Block ^{self.name}>"


class Function:
    """A function: its blocks in print order (``blocks[0]`` is the entry)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks: list[Block] = []
        self.module: Optional[Module] = None
        self.ret_type = "any"
        self.ret_hint: Optional[str] = None
        self._next_value = 0
        self._next_block = 0
        self._vnames: set[str] = set()
        self._bnames: set[str] = set()

    @property
    def entry(self) -> Block:
        """The entry block (its parameters are the function's)."""
        return self.blocks[0]

    @property
    def params(self) -> list[BlockParam]:
        """The function's parameters (the entry block's)."""
        return self.entry.params

    # ---- names: unique, stable, never reused --------------------------------------

    def fresh_value_name(self, hint: Optional[str] = None) -> str:
        """A value name not used before in this function: ``%7`` or ``%x.7``."""
        # (claim_value_name without its suffix parsing: a name made here ends in n,
        # and the counter is already past n)
        names = self._vnames
        while True:
            n = self._next_value
            self._next_value = n + 1
            name = f"{hint}.{n}" if hint else str(n)
            if name not in names:
                names.add(name)
                return name

    def fresh_block_name(self, hint: Optional[str] = None) -> str:
        """A block name not used before in this function: ``^bb3`` or ``^loop.3``."""
        names = self._bnames  # as fresh_value_name
        while True:
            n = self._next_block
            self._next_block = n + 1
            name = f"{hint}.{n}" if hint else f"bb{n}"
            if name not in names:
                names.add(name)
                return name

    def claim_value_name(self, name: str) -> bool:
        """Reserve a value name (the parser's, or a fresh one); False if taken."""
        if name in self._vnames:
            return False
        self._vnames.add(name)
        self._next_value = max(self._next_value, _number_suffix(name) + 1)
        return True

    def claim_block_name(self, name: str) -> bool:
        """Reserve a block name; False if taken."""
        if name in self._bnames:
            return False
        self._bnames.add(name)
        self._next_block = max(self._next_block, _number_suffix(name) + 1)
        return True

    def new_block(self, hint: Optional[str] = None, append: bool = True) -> Block:
        """A new empty block with a fresh name (appended to ``blocks`` unless told not to)."""
        b = Block(self.fresh_block_name(hint), self)
        if append:
            self.blocks.append(b)
        return b

    def instructions(self) -> Iterator[Instruction]:
        """Every instruction, block by block."""
        for b in self.blocks:
            yield from b.instrs

    def predecessors(self) -> dict[Block, list[tuple[Block, int]]]:
        """For each block, the (branching block, successor index) of every edge into it."""
        preds: dict[Block, list[tuple[Block, int]]] = {b: [] for b in self.blocks}
        for b in self.blocks:
            t = b.terminator
            if t is None:
                continue
            for k, s in enumerate(t.succs):
                into = preds.get(s.block)
                if into is None:  # a target outside self.blocks (broken IR)
                    into = preds[s.block] = []
                into.append((b, k))
        return preds

    def __repr__(self) -> str:
        return f"<Function @{self.name}>"


def _number_suffix(name: str) -> int:
    """The number a name ends in (``x.12`` -> 12, ``bb3`` -> 3), or -1."""
    tail = name.rsplit(".", 1)[-1]
    digits = tail[2:] if tail.startswith("bb") else tail
    return int(digits) if digits.isdigit() and len(digits) < 12 else -1


class Global:
    """A module-level variable with a literal initial value (consts, flags)."""

    __slots__ = ("name", "init")

    def __init__(self, name: str, init: Any = None) -> None:
        self.name = name
        self.init = init


class Module:
    """A whole program: named type declarations, globals and functions, and the source
    file it came from."""

    #: The function the IR interpreter and compiled tiers start at.
    START = "ruchy.start"

    def __init__(self, source: Optional[str] = None) -> None:
        self.source = source
        self.globals: dict[str, Global] = {}
        self.functions: dict[str, Function] = {}
        #: named types declared in the module (``struct !P {..}``), by name (types.py)
        self.type_decls: dict[str, Any] = {}
        #: method tables and trait impls (``impl [Trait for] !T { m = @f }``), by
        #: (type, trait or ""): ir/traits.py
        self.impls: dict[tuple[str, str], Any] = {}

    def add_function(self, f: Function) -> Function:
        """Add (or replace) a function and link it to this module."""
        self.functions[f.name] = f
        f.module = self
        return f

    def add_type_decl(self, decl: Any) -> Any:
        """Declare a named type (a types.TypeDecl: ``struct !P { x, y }``)."""
        self.type_decls[decl.name] = decl
        return decl

    def add_impl(self, decl: Any) -> Any:
        """Declare a method table or trait impl (a traits.ImplDecl)."""
        self.impls[decl.key] = decl
        return decl

    def add_global(self, name: str, init: Any = None) -> Global:
        """Declare a global with its initial value."""
        g = self.globals[name] = Global(name, init)
        return g

    def __repr__(self) -> str:
        return f"<Module {len(self.functions)} functions>"


def op_class(name: str) -> type[OpDef]:
    """The op class for ``name``; raises KeyError for an unknown op."""
    return OPS[name]
