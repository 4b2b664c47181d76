"""A small, fast LLVM IR text builder: the subset of ``llvmlite.ir`` the code generator uses.

Why: at tier 1 the "codegen" phase took 4-5 ms per small function
(``bench/compile_time.py``), mostly inside ``llvmlite.ir``: building its instruction
objects (each a ``NamedValue`` with a metadata dict, a flag list, operand type checks)
and above all ``str(module)``, which formats every operand of every instruction again
through generic ``str.format`` calls, ``get_reference`` and string caches. Processor time
per function on the mixed N = 100 program: ``generate`` 1.7 ms + ``str`` 1.2 ms with
``llvmlite.ir``, 1.1 + 0.07 ms with this module (docs/codegen.md). LLVM parses the text
anyway (``engine.parse``), so nothing needs more than the text: here every instruction
formats its line once, with an f-string, when it is built; only a phi (whose incoming
edges come later) and an instruction that gets metadata re-render their line.

The API keeps ``llvmlite.ir``'s names and signatures, so the generator reads the same
(``from . import llir as ir``), and the text is the same, byte for byte, as
``llvmlite.ir`` 0.50 prints it (tests/codegen/test_llir.py compares them):

- names deduplicated per function as llvmlite does (``ok``, ``ok.1``, ...; unnamed values
  ``%".N"``, numbered with the arguments, the return value and void instructions), and
  quoted the same way (``%"name"``, ``@"name"``, labels bare when they may be);
- doubles as the hex of their IEEE bits; byte strings as ``c"..."`` with llvmlite's escapes;
- pointers opaque (``ptr``), except that a global or function used as a value is spelled
  with llvmlite's legacy typed-pointer syntax (``[4 x i8]* @".diag.0"``), which LLVM 15+
  reads as ``ptr``;
- metadata nodes numbered and deduplicated as ``Module.add_metadata`` does.

Covered: types ``IntType``, ``DoubleType``, ``PointerType``, ``VoidType``, ``ArrayType``,
``LiteralStructType``, ``FunctionType``; ``Constant`` (integers, booleans, doubles, null /
zeroinitializer, byte arrays, literal structs); ``Module`` (``add_metadata``, ``triple``,
``str``); ``GlobalVariable`` (``initializer``, ``global_constant``, ``linkage``,
``unnamed_addr``, ``bitcast`` to a pointer); ``Function`` (``args``, ``attributes``,
``linkage``, ``function_type``, ``append_basic_block``); ``Block``; and ``IRBuilder``:
``position_at_end``, ``goto_block``, ``if_then`` (with branch weights), the integer and
float arithmetic, ``neg``/``not_``/``fneg``, ``icmp_signed``/``icmp_unsigned``,
``fcmp_ordered``/``fcmp_unordered``, ``select``, the casts ``zext``, ``trunc``,
``sitofp``, ``bitcast``, ``ptrtoint``, ``inttoptr``, ``load``/``store`` (with
``set_metadata``), ``gep``, ``extract_value``, ``insert_value``, ``phi``/``add_incoming``, ``call``, the
signed ``*_with_overflow`` intrinsics, ``branch``, ``cbranch``, ``ret``, ``ret_void`` and
``unreachable``. Unlike llvmlite it does not check operand types: LLVM's parser does.
"""
from __future__ import annotations

import contextlib
import re
import struct
from typing import Callable, ContextManager, Iterator, Optional, Sequence, Union

# ---- names ------------------------------------------------------------------------------

#: a label that needs no quotes (LLVM LangRef identifiers; llvmlite's test)
_BARE = re.compile(r"[-a-zA-Z$._][-a-zA-Z$._0-9]*$").match


def _quote(name: str) -> str:
    """A name inside ``"..."``, escaped as llvmlite does."""
    if "\\" in name or '"' in name:
        name = name.replace("\\", "\\5c").replace('"', "\\22")
    return name


class _Scope:
    """The names used in one function: llvmlite's ``NameScope.deduplicate``."""

    __slots__ = ("used", "bases")

    def __init__(self) -> None:
        self.used = {""}  # so that an unnamed value gets ".1", ".2", ...
        self.bases: dict[str, int] = {"": 0}

    def name(self, name: str) -> str:
        """``name``, or ``name.N`` with the next free N if it is taken."""
        used = self.used
        if name in used:
            base = name
            k = self.bases.get(base, 0)
            while name in used:
                k += 1
                name = f"{base}.{k}"
            self.bases[base] = k
        used.add(name)
        return name

    def number(self) -> str:
        """The name of an unnamed value: ``name("")``, the common case made quick."""
        used = self.used
        k = self.bases[""] + 1
        name = f".{k}"
        while name in used:
            k += 1
            name = f".{k}"
        self.bases[""] = k
        used.add(name)
        return name


# ---- types ------------------------------------------------------------------------------

class Type:
    """An LLVM type; ``str()`` gives its spelling (``s``). Equal types have equal
    spellings."""

    __slots__ = ("s",)
    #: the spelling of ``Constant(t, None)``
    null = "zeroinitializer"

    def __str__(self) -> str:
        return self.s

    def __repr__(self) -> str:
        return f"<llir.{type(self).__name__} {self.s}>"

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Type) and self.s == other.s)

    def __hash__(self) -> int:
        return hash(self.s)

    def _const(self, value: object) -> str:
        """The spelling of a constant of this type with Python value ``value``."""
        if value is None:
            return self.null
        raise TypeError(f"no constant of type {self.s} from {value!r}")


_INTS: dict[int, "IntType"] = {}


class IntType(Type):
    """``iN`` (one instance per width)."""

    __slots__ = ()
    null = "0"

    def __new__(cls, bits: int) -> "IntType":
        t = _INTS.get(bits)
        if t is None:
            t = _INTS[bits] = object.__new__(cls)
            t.s = f"i{bits}"
        return t

    def _const(self, value: object) -> str:
        if value is None:
            return "0"
        if value is True or value is False:
            return "true" if value else "false"
        return str(value)


_DOUBLE_BITS = struct.Struct("d")
_U64 = struct.Struct("Q")


class DoubleType(Type):
    """``double`` (a single instance)."""

    __slots__ = ()
    null = "0.0"
    _it: Optional["DoubleType"] = None

    def __new__(cls) -> "DoubleType":
        t = cls._it
        if t is None:
            t = cls._it = object.__new__(cls)
            t.s = "double"
        return t

    def _const(self, value: object) -> str:
        if value is None:
            return "0.0"
        # the hex of the IEEE bits (exact, no decimal rounding)
        bits = _U64.unpack(_DOUBLE_BITS.pack(float(value)))[0]  # type: ignore[arg-type]
        return f"{bits:#16x}"  # llvmlite pads to 16 with spaces (0.0: "             0x0")


class PointerType(Type):
    """``ptr``. All pointers are one type (LLVM 15+'s opaque pointers); ``pointee`` only
    chooses llvmlite's legacy spelling ``T*`` for the address of a global or function,
    and lets ``load`` and ``gep`` on one find their type."""

    __slots__ = ("pointee",)
    null = "null"

    def __init__(self, pointee: Optional[Type] = None) -> None:
        self.pointee = pointee
        # (llvmlite spells the address of a global holding a ptr "ptr", not "ptr*")
        self.s = "ptr" if pointee is None or pointee.s == "ptr" else f"{pointee.s}*"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PointerType)

    def __hash__(self) -> int:
        return hash("ptr")


class VoidType(Type):
    """``void`` (a single instance)."""

    __slots__ = ()
    _it: Optional["VoidType"] = None

    def __new__(cls) -> "VoidType":
        t = cls._it
        if t is None:
            t = cls._it = object.__new__(cls)
            t.s = "void"
        return t

    def _const(self, value: object) -> str:
        raise TypeError("no constant of type void")


#: the bytes llvmlite escapes inside c"..." (as \\XX): all but these
_ESCAPED = re.compile(rb"[^-a-zA-Z0-9 !#$%&'()*+,./:;<=>?@\[\]^_`{|}~]")
_ESCAPES = {bytes([c]): b"\\%02x" % c for c in range(256)}


def _escape(m: "re.Match[bytes]") -> bytes:
    return _ESCAPES[m.group()]


def _cstring(data: bytes) -> str:
    # a regex finds the few bytes to escape (str.translate looks up every character)
    return 'c"' + _ESCAPED.sub(_escape, data).decode("latin-1") + '"'


class ArrayType(Type):
    """``[count x element]``; constants: None (zeroinitializer) or bytes (``c"..."``,
    for ``[N x i8]``)."""

    __slots__ = ("element", "count")

    def __init__(self, element: Type, count: int) -> None:
        self.element = element
        self.count = count
        self.s = f"[{count} x {element.s}]"

    def _const(self, value: object) -> str:
        if isinstance(value, (bytes, bytearray)):
            return _cstring(value)
        return Type._const(self, value)


class LiteralStructType(Type):
    """``{a, b, ...}``; constants: None (zeroinitializer) or a sequence of members
    (Constants, or Python values of the member types)."""

    __slots__ = ("elements",)

    def __init__(self, elems: Sequence[Type]) -> None:
        self.elements = tuple(elems)
        self.s = "{" + ", ".join([e.s for e in self.elements]) + "}"

    def _const(self, value: object) -> str:
        if isinstance(value, (list, tuple)):
            if len(value) != len(self.elements):
                raise ValueError(f"{len(value)} members for {self.s}")
            items = [v if isinstance(v, Constant) else Constant(t, v)
                     for t, v in zip(self.elements, value)]
            return "{" + ", ".join([f"{c.type.s} {c.ref}" for c in items]) + "}"
        return Type._const(self, value)


class FunctionType(Type):
    """``ret (args...)`` (no varargs)."""

    __slots__ = ("return_type", "args")

    def __init__(self, return_type: Type, args: Sequence[Type]) -> None:
        self.return_type = return_type
        self.args = tuple(args)
        self.s = f"{return_type.s} ({', '.join([a.s for a in self.args])})"

    def _const(self, value: object) -> str:
        raise TypeError("no constant of a function type")


_VOID = VoidType()
_I1 = IntType(1)
_I32 = IntType(32)


# ---- values -----------------------------------------------------------------------------

class Value:
    """An LLVM value: its ``type`` and ``ref``, its spelling as an operand."""

    __slots__ = ("type", "ref")

    def __repr__(self) -> str:
        return f"<llir.{type(self).__name__} {self.type.s} {self.ref}>"


class Constant(Value):
    """A constant of type ``typ`` from a Python value (see the types' docstrings; None is
    the type's zero)."""

    __slots__ = ()

    def __init__(self, typ: Type, value: object) -> None:
        self.type = typ
        self.ref = typ._const(value)


class Argument(Value):
    """A function parameter (named ``%".N"`` as llvmlite names them)."""

    __slots__ = ()

    def __init__(self, typ: Type, ref: str) -> None:
        self.type = typ
        self.ref = ref


class MDValue:
    """An unnamed metadata node ``!N`` (made by ``Module.add_metadata``)."""

    __slots__ = ("ref", "line")

    def __init__(self, ref: str, line: str) -> None:
        self.ref = ref
        self.line = line


class Instruction(Value):
    """An instruction: ``line`` is its text as printed in its block."""

    __slots__ = ("line", "_base", "_md")

    def __init__(self, typ: Type, ref: str, line: str) -> None:
        self.type = typ
        self.ref = ref
        self.line = line
        self._md: Optional[dict[str, MDValue]] = None

    def set_metadata(self, name: str, node: MDValue) -> None:
        """Attach metadata node ``node`` as ``!name`` (replacing one of that name)."""
        md = self._md
        if md is None:
            md = self._md = {}
            self._base = self.line
        md[name] = node
        self._render()

    def _render(self) -> None:
        self.line = self._base + self._md_text()

    def _md_text(self) -> str:
        md = self._md
        return "".join([f", !{k} {v.ref}" for k, v in md.items()]) if md else ""


class PhiInstr(Instruction):
    """A phi: its incoming edges are added after it is built (``add_incoming``)."""

    __slots__ = ("_head", "_incs")

    def __init__(self, typ: Type, ref: str, line: str) -> None:
        super().__init__(typ, ref, line)
        self._head = line
        self._incs: list[str] = []

    def add_incoming(self, value: Value, block: "Block") -> None:
        """The phi is ``value`` when control comes from ``block``."""
        self._incs.append(f"[{value.ref}, {block.ref}]")
        self._render()

    def _render(self) -> None:
        # llvmlite prints "phi  T " then the edges (its empty flags leave two spaces)
        self.line = f"{self._head} {', '.join(self._incs)}{self._md_text()}"


class Block:
    """A basic block of a function."""

    __slots__ = ("parent", "name", "ref", "instructions", "terminator", "scope")

    def __init__(self, parent: "Function", name: str = "") -> None:
        self.parent = parent
        self.scope = parent.scope
        self.name = parent.scope.name(name)
        self.ref = f'%"{_quote(self.name)}"'
        self.instructions: list[Instruction] = []
        self.terminator: Optional[Instruction] = None

    def _text(self, out: list[str]) -> None:
        name = self.name
        out.append(f"{name}:" if _BARE(name) else f'"{_quote(name)}":')
        out += [i.line for i in self.instructions]


class _Global(Value):
    """A global variable or function: named ``@"name"``, unique in its module."""

    __slots__ = ("module", "name", "linkage")

    def __init__(self, module: "Module", typ: PointerType, name: str) -> None:
        if name in module._globals:
            raise NameError(f"duplicate global name {name!r}")
        module._globals[name] = self
        self.module = module
        self.name = name
        self.type = typ
        self.ref = f'@"{_quote(name)}"'
        self.linkage = ""


class GlobalVariable(_Global):
    """A global variable of type ``typ`` (``initializer``: a Constant; ``linkage``;
    ``global_constant``; ``unnamed_addr``)."""

    __slots__ = ("value_type", "initializer", "global_constant", "unnamed_addr")

    def __init__(self, module: "Module", typ: Type, name: str) -> None:
        super().__init__(module, PointerType(typ), name)
        self.value_type = typ
        self.initializer: Optional[Constant] = None
        self.global_constant = False
        self.unnamed_addr = False

    def bitcast(self, typ: Type) -> "GlobalVariable":
        """The global as a value of pointer type ``typ``: itself (pointers are opaque,
        and a global's address is no other type)."""
        if not isinstance(typ, PointerType):
            raise TypeError(f"cannot bitcast the address of a global to {typ.s}")
        return self

    def _text(self) -> str:
        init = self.initializer
        linkage = self.linkage or ("external" if init is None else "")
        head = f"{self.ref} = " + (f"{linkage} " if linkage else "")
        if self.unnamed_addr:
            head += "unnamed_addr "
        head += f"{'constant' if self.global_constant else 'global'} {self.value_type.s}"
        if init is not None:
            return f"{head} {init.ref}"
        return head if linkage in ("external", "extern_weak") else f"{head} undef"


class Function(_Global):
    """A function of type ``ftype``: a declaration until it gets blocks."""

    __slots__ = ("function_type", "attributes", "args", "blocks", "scope")

    def __init__(self, module: "Module", ftype: FunctionType, name: str) -> None:
        super().__init__(module, PointerType(ftype), name)
        self.function_type = ftype
        #: function attributes (``noreturn``, ``cold``...), printed sorted
        self.attributes: set[str] = set()
        self.blocks: list[Block] = []
        n = len(ftype.args)
        self.args = tuple([Argument(t, f'%".{k}"') for k, t in enumerate(ftype.args, 1)])
        # llvmlite names the arguments .1 .. .n and the return value .n+1
        scope = self.scope = _Scope()
        scope.used.update(f".{k}" for k in range(1, n + 2))
        scope.bases[""] = n + 1

    def append_basic_block(self, name: str = "") -> Block:
        """A new block at the end of the function."""
        blk = Block(self, name)
        self.blocks.append(blk)
        return blk

    def _text(self) -> str:
        ft = self.function_type
        head = " ".join([x for x in ("define" if self.blocks else "declare", self.linkage,
                                     ft.return_type.s) if x])
        args = ", ".join([f"{a.type.s} {a.ref}" for a in self.args])
        attrs = " " + " ".join(sorted(self.attributes)) if self.attributes else ""
        proto = f"{head} {self.ref}({args}){attrs}\n"
        if not self.blocks:
            return proto
        out = [proto + "{"]
        for blk in self.blocks:
            blk._text(out)
        out.append("}\n")
        return "\n".join(out)


def _md_operand(op: object) -> str:
    if isinstance(op, str):
        return f'!"{_cstring(op.encode())[2:-1]}"'
    if isinstance(op, MDValue):
        return op.ref
    if isinstance(op, Value):
        return f"{op.type.s} {op.ref}"
    raise TypeError(f"not a metadata operand: {op!r}")


class Module:
    """An LLVM module: its globals in the order they were made, and metadata nodes."""

    __slots__ = ("name", "triple", "_globals", "_metadata", "_mdcache")

    def __init__(self, name: str = "") -> None:
        self.name = name
        self.triple = "unknown-unknown-unknown"
        self._globals: dict[str, Union[GlobalVariable, Function]] = {}
        self._metadata: list[MDValue] = []
        self._mdcache: dict[tuple, MDValue] = {}

    def add_metadata(self, operands: Sequence[Union[str, MDValue, Constant]]) -> MDValue:
        """The metadata node ``!{ operands }`` (strings become metadata strings), made
        once: the same operands give the same node."""
        ops = tuple([_md_operand(op) for op in operands])
        md = self._mdcache.get(ops)
        if md is None:
            ref = f"!{len(self._metadata)}"
            md = self._mdcache[ops] = MDValue(ref, f"{ref} = !{{ {', '.join(ops)} }}")
            self._metadata.append(md)
        return md

    def _intrinsic(self, name: str, ftype: FunctionType) -> Function:
        f = self._globals.get(name)
        return f if isinstance(f, Function) else Function(self, ftype, name)

    def __str__(self) -> str:
        lines = [f'; ModuleID = "{self.name}"', f'target triple = "{self.triple}"',
                 'target datalayout = ""', ""]
        lines += [g._text() for g in self._globals.values()]
        lines += [md.line for md in self._metadata]
        return "\n".join(lines)


# ---- the builder ------------------------------------------------------------------------

_CMP = {">": "gt", "<": "lt", "==": "eq", "!=": "ne", ">=": "ge", "<=": "le"}


def _binary(op: str, doc: str) -> Callable[..., Instruction]:
    """An IRBuilder method for the binary instruction ``op``."""
    def method(self: "IRBuilder", lhs: Value, rhs: Value, name: str = "",
               flags: Sequence[str] = ()) -> Instruction:
        return self._binop(op, lhs, rhs, name, flags)
    method.__name__ = method.__qualname__ = op
    method.__doc__ = doc
    return method


def _label_suffix(label: str, suffix: str) -> str:
    """llvmlite's name for a block made by ``if_then``: long names are shortened."""
    return f"{label[:25]}..{suffix}" if len(label) > 50 else label + suffix


class IRBuilder:
    """Appends instructions to a block (``block``), or inserts them before its
    terminator inside ``goto_block``."""

    __slots__ = ("block", "_anchor")

    def __init__(self, block: Optional[Block] = None) -> None:
        self.block = block
        self._anchor = len(block.instructions) if block is not None else 0

    # ---- position ----------------------------------------------------------------------

    def position_at_end(self, block: Block) -> None:
        """Continue at the end of ``block``."""
        self.block = block
        self._anchor = len(block.instructions)

    @contextlib.contextmanager
    def goto_block(self, block: Block) -> Iterator[None]:
        """Build in ``block`` (before its terminator if it has one), then continue at the
        end of the current block."""
        old = self.block
        self.block = block
        term = block.terminator
        self._anchor = (block.instructions.index(term) if term is not None
                        else len(block.instructions))
        try:
            yield
        finally:
            self.position_at_end(old)

    @contextlib.contextmanager
    def if_then(self, pred: Value, likely: Optional[bool] = None) -> Iterator[Block]:
        """Build code run only if ``pred`` (an i1) is true, in a new block that then goes on
        to another new block where building continues; ``likely`` adds branch weights."""
        bb = self.block
        fn = bb.parent
        bbif = fn.append_basic_block(_label_suffix(bb.name, ".if"))
        bbend = fn.append_basic_block(_label_suffix(bb.name, ".endif"))
        self._weigh(self.cbranch(pred, bbif, bbend), likely)
        self.position_at_end(bbif)
        yield bbend
        if self.block.terminator is None:
            self.branch(bbend)
        self.position_at_end(bbend)

    @contextlib.contextmanager
    def if_else(self, pred: Value, likely: Optional[bool] = None
                ) -> Iterator[tuple[ContextManager[Block], ContextManager[Block]]]:
        """As llvmlite's: ``with b.if_else(p) as (then, otherwise):``, then ``with then:``
        builds what runs if ``p``, ``with otherwise:`` what runs if not; building
        continues where both meet."""
        bb = self.block
        fn = bb.parent
        bbif = fn.append_basic_block(_label_suffix(bb.name, ".if"))
        bbelse = fn.append_basic_block(_label_suffix(bb.name, ".else"))
        bbend = fn.append_basic_block(_label_suffix(bb.name, ".endif"))
        self._weigh(self.cbranch(pred, bbif, bbelse), likely)
        yield self._arm(bbif, bbend), self._arm(bbelse, bbend)
        self.position_at_end(bbend)

    @contextlib.contextmanager
    def _arm(self, block: Block, end: Block) -> Iterator[Block]:
        self.position_at_end(block)
        yield block
        if self.block.terminator is None:
            self.branch(end)

    def _weigh(self, br: Instruction, likely: Optional[bool]) -> None:
        """Branch weights on ``br`` when the caller knows which way it usually goes."""
        if likely is not None:
            weights = (99, 1) if likely else (1, 99)
            br.set_metadata("prof", self.block.parent.module.add_metadata(
                ["branch_weights"] + [Constant(_I32, w) for w in weights]))

    # ---- emitting ----------------------------------------------------------------------

    def _insert(self, instr: Instruction) -> Instruction:
        ins = self.block.instructions
        a = self._anchor
        if a == len(ins):
            ins.append(instr)
        else:
            ins.insert(a, instr)
        self._anchor = a + 1
        return instr

    def _ref(self, name: str) -> str:
        """The next result reference of the current block's function: ``name``
        deduplicated, or the next number."""
        scope = self.block.scope
        return f'%"{_quote(scope.name(name))}"' if name else f'%"{scope.number()}"'

    def _value(self, typ: Type, text: str, name: str = "") -> Instruction:
        """An instruction with a result named ``name`` (or numbered)."""
        ref = self._ref(name)
        return self._insert(Instruction(typ, ref, f"  {ref} = {text}"))

    def _void(self, text: str, name: str = "") -> Instruction:
        """An instruction without a result (its name, or a number, is used up all the
        same, as in llvmlite)."""
        return self._insert(Instruction(_VOID, self._ref(name), f"  {text}"))

    def _terminate(self, text: str) -> Instruction:
        blk = self.block
        assert blk.terminator is None, f"block {blk.name} is already terminated"
        t = blk.terminator = self._void(text)
        return t

    def _binop(self, op: str, lhs: Value, rhs: Value, name: str = "",
               flags: Sequence[str] = ()) -> Instruction:
        if flags:
            op = " ".join([op, *flags])
        return self._value(lhs.type, f"{op} {lhs.type.s} {lhs.ref}, {rhs.ref}", name)

    # ---- arithmetic: ``b.add(lhs, rhs, name="", flags=())`` and so on ----------------------

    add = _binary("add", "``lhs + rhs`` (integers; ``flags`` such as ``nsw``).")
    sub = _binary("sub", "``lhs - rhs`` (integers).")
    mul = _binary("mul", "``lhs * rhs`` (integers).")
    sdiv = _binary("sdiv", "Signed division.")
    srem = _binary("srem", "Signed remainder.")
    and_ = _binary("and", "Bitwise and.")
    or_ = _binary("or", "Bitwise or.")
    xor = _binary("xor", "Bitwise exclusive or.")
    shl = _binary("shl", "Shift left.")
    ashr = _binary("ashr", "Arithmetic (signed) shift right.")
    fadd = _binary("fadd", "Float addition.")
    fsub = _binary("fsub", "Float subtraction.")
    fmul = _binary("fmul", "Float multiplication.")
    fdiv = _binary("fdiv", "Float division.")
    frem = _binary("frem", "Float remainder.")

    def neg(self, value: Value, name: str = "") -> Instruction:
        """``0 - value`` (integers)."""
        return self.sub(Constant(value.type, 0), value, name)

    def not_(self, value: Value, name: str = "") -> Instruction:
        """``value ^ -1`` (bitwise not; logical not of an i1)."""
        return self.xor(value, Constant(value.type, -1), name)

    def fneg(self, value: Value, name: str = "") -> Instruction:
        """Float negation."""
        return self._value(value.type, f"fneg {value.type.s} {value.ref}", name)

    def _with_overflow(self, op: str, lhs: Value, rhs: Value, name: str) -> Instruction:
        t = lhs.type
        fn = self.block.parent.module._intrinsic(
            f"llvm.{op}.with.overflow.{t.s}",
            FunctionType(LiteralStructType([t, _I1]), [t, t]))
        return self.call(fn, [lhs, rhs], name)

    def sadd_with_overflow(self, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """``{lhs + rhs, overflowed}`` (signed; an ``llvm.sadd.with.overflow`` call)."""
        return self._with_overflow("sadd", lhs, rhs, name)

    def ssub_with_overflow(self, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """``{lhs - rhs, overflowed}`` (signed)."""
        return self._with_overflow("ssub", lhs, rhs, name)

    def smul_with_overflow(self, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """``{lhs * rhs, overflowed}`` (signed)."""
        return self._with_overflow("smul", lhs, rhs, name)

    # ---- comparisons and select ----------------------------------------------------------

    def _cmp(self, kind: str, op: str, lhs: Value, rhs: Value, name: str) -> Instruction:
        return self._value(_I1, f"{kind} {op} {lhs.type.s} {lhs.ref}, {rhs.ref}", name)

    def icmp_signed(self, cmpop: str, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """Signed integer comparison: ``cmpop`` is one of ``== != < <= > >=``."""
        op = _CMP[cmpop]
        return self._cmp("icmp", op if op in ("eq", "ne") else "s" + op, lhs, rhs, name)

    def icmp_unsigned(self, cmpop: str, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """Unsigned integer (or pointer) comparison."""
        op = _CMP[cmpop]
        return self._cmp("icmp", op if op in ("eq", "ne") else "u" + op, lhs, rhs, name)

    def fcmp_ordered(self, cmpop: str, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """Ordered float comparison (``cmpop`` as icmp's, or ``ord``/``uno``)."""
        op = _CMP.get(cmpop)
        return self._cmp("fcmp", "o" + op if op else cmpop, lhs, rhs, name)

    def fcmp_unordered(self, cmpop: str, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """Unordered float comparison (true if either is NaN)."""
        op = _CMP.get(cmpop)
        return self._cmp("fcmp", "u" + op if op else cmpop, lhs, rhs, name)

    def select(self, cond: Value, lhs: Value, rhs: Value, name: str = "") -> Instruction:
        """``cond ? lhs : rhs``."""
        return self._value(lhs.type, f"select  {cond.type.s} {cond.ref}, {lhs.type.s} "
                                     f"{lhs.ref}, {rhs.type.s} {rhs.ref}", name)

    # ---- casts (none if the value has the type already, as in llvmlite) --------------------

    def _cast(self, op: str, value: Value, typ: Type, name: str) -> Value:
        if value.type == typ:
            return value
        return self._value(typ, f"{op} {value.type.s} {value.ref} to {typ.s}", name)

    def zext(self, value: Value, typ: Type, name: str = "") -> Value:
        """Zero-extend an integer."""
        return self._cast("zext", value, typ, name)

    def trunc(self, value: Value, typ: Type, name: str = "") -> Value:
        """Truncate an integer."""
        return self._cast("trunc", value, typ, name)

    def sitofp(self, value: Value, typ: Type, name: str = "") -> Value:
        """Signed integer to float."""
        return self._cast("sitofp", value, typ, name)

    def bitcast(self, value: Value, typ: Type, name: str = "") -> Value:
        """The same bits as another type."""
        return self._cast("bitcast", value, typ, name)

    def ptrtoint(self, value: Value, typ: Type, name: str = "") -> Value:
        """A pointer's address as an integer."""
        return self._cast("ptrtoint", value, typ, name)

    def inttoptr(self, value: Value, typ: Type, name: str = "") -> Value:
        """An integer as a pointer."""
        return self._cast("inttoptr", value, typ, name)

    # ---- memory ------------------------------------------------------------------------

    def load(self, ptr: Value, name: str = "", typ: Optional[Type] = None) -> Instruction:
        """Load a ``typ`` (default: the type of the global ``ptr`` points to)."""
        if typ is None:
            typ = ptr.type.pointee  # type: ignore[attr-defined]
            if typ is None:
                raise TypeError("load from an opaque pointer needs its type (typ=)")
        return self._value(typ, f"load {typ.s}, {ptr.type.s} {ptr.ref}", name)

    def load_atomic(self, ptr: Value, ordering: str, align: int, name: str = "",
                    typ: Optional[Type] = None) -> Instruction:
        """An atomic load with ``ordering`` (``monotonic``, ...), as llvmlite's."""
        if typ is None:
            typ = ptr.type.pointee  # type: ignore[attr-defined]
            if typ is None:
                raise TypeError("load from an opaque pointer needs its type (typ=)")
        return self._value(typ, f"load atomic {typ.s}, {ptr.type.s} {ptr.ref} {ordering}, "
                                f"align {align}", name)

    def store(self, value: Value, ptr: Value) -> Instruction:
        """Store ``value`` at ``ptr``."""
        return self._void(f"store {value.type.s} {value.ref}, {ptr.type.s} {ptr.ref}")

    def gep(self, ptr: Value, indices: Sequence[Value], inbounds: bool = False,
            name: str = "", source_etype: Optional[Type] = None) -> Instruction:
        """``getelementptr`` over ``source_etype`` (default: the type of the global ``ptr``
        points to, in which case the result is spelled as llvmlite spells it)."""
        typ = ptr.type
        if source_etype is None:
            source_etype = typ.pointee  # type: ignore[attr-defined]
            if source_etype is None:
                raise TypeError("gep on an opaque pointer needs source_etype")
            if len(indices) > 1:
                t = source_etype
                for i in indices[1:]:
                    t = (t.element if isinstance(t, ArrayType)  # type: ignore[attr-defined]
                         else t.elements[int(i.ref)])  # type: ignore[attr-defined]
                typ = PointerType(t)
        idx = ", ".join([f"{i.type.s} {i.ref}" for i in indices])
        op = "getelementptr inbounds" if inbounds else "getelementptr"
        return self._value(typ, f"{op} {source_etype.s}, {ptr.type.s} {ptr.ref}, {idx}", name)

    def extract_value(self, agg: Value, idx: int, name: str = "") -> Instruction:
        """Member ``idx`` of a struct value."""
        typ = agg.type.elements[idx]  # type: ignore[attr-defined]
        return self._value(typ, f"extractvalue {agg.type.s} {agg.ref}, {idx}", name)

    def insert_value(self, agg: Value, value: Value, idx: int, name: str = "") -> Instruction:
        """A copy of struct value ``agg`` with member ``idx`` set to ``value``."""
        return self._value(agg.type, f"insertvalue {agg.type.s} {agg.ref}, "
                                     f"{value.type.s} {value.ref}, {idx}", name)

    # ---- phi, calls, terminators -----------------------------------------------------------

    def phi(self, typ: Type, name: str = "") -> PhiInstr:
        """A phi of type ``typ``; add its edges with ``add_incoming``."""
        ref = f'%"{_quote(self.block.scope.name(name))}"'
        phi = PhiInstr(typ, ref, f"  {ref} = phi  {typ.s}")
        self._insert(phi)
        return phi

    def call(self, fn: Function, args: Sequence[Value], name: str = "") -> Instruction:
        """Call ``fn`` (its result, or a void instruction)."""
        ret = fn.function_type.return_type
        text = f"call {ret.s} {fn.ref}({', '.join([f'{a.type.s} {a.ref}' for a in args])})"
        return self._void(text, name) if ret is _VOID else self._value(ret, text, name)

    def branch(self, target: Block) -> Instruction:
        """Go to ``target``."""
        return self._terminate(f"br label {target.ref}")

    def cbranch(self, cond: Value, truebr: Block, falsebr: Block) -> Instruction:
        """Go to ``truebr`` if ``cond`` else to ``falsebr``."""
        return self._terminate(f"br {cond.type.s} {cond.ref}, label {truebr.ref}, "
                               f"label {falsebr.ref}")

    def ret(self, value: Value) -> Instruction:
        """Return ``value``."""
        return self._terminate(f"ret {value.type.s} {value.ref}")

    def ret_void(self) -> Instruction:
        """Return from a void function."""
        return self._terminate("ret void")

    def unreachable(self) -> Instruction:
        """Control never gets here."""
        return self._terminate("unreachable")


__all__ = ["Type", "IntType", "DoubleType", "PointerType", "VoidType", "ArrayType",
           "LiteralStructType", "FunctionType", "Value", "Constant", "Argument", "MDValue",
           "Instruction", "PhiInstr", "Block", "GlobalVariable", "Function", "Module",
           "IRBuilder"]
