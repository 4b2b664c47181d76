"""Lowering of one function body (or the top level) from the AST to SSA.

The rules follow tier 0 (ruchy_opt/interp/translate.py) exactly, because both must
behave the same: operands are evaluated left to right; ``let``, assignment, argument
passing, array elements and ``break`` values copy (arrays are values); a name that is
not defined is a runtime error when reached; conditions must be bools; each instruction
carries the span that tier 0 reports for the same operation (``error_span``).

Control flow lives in control.py, calls and places in calls.py and places.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from ..errors import RuchySyntaxError, SourceFile
from ..ir.builder import Builder
from ..ir.core import Block, Function, Instruction, Module, Value
from ..ir.enums import ORDERING
from ..ir.ops_arith import OP_OF_OPERATOR, OP_OF_UNARY
from ..ir.opdef import Sym
from ..runtime.constants import PATH_CONSTANTS
from ..syntax import ast as A
from .ssa import SSABuilder, Var
from ..ir.handles import shared_handle

if TYPE_CHECKING:
    from .level3 import Names

#: Expressions whose value is never an array that someone else holds (no copy needed).
NEVER_SHARED = (A.ArrayLit, A.ArrayRepeat, A.Binary, A.Unary, A.Cast, A.FStr, A.IntLit,
                A.FloatLit, A.BoolLit, A.StrLit, A.UnitLit, A.TupleLit, A.StructLit)
SCALAR_TYPES = frozenset({"i64", "f64", "bool", "str", "unit"})
_LITERALS = (A.IntLit, A.FloatLit, A.BoolLit, A.StrLit)
_HINT_TYPE = {"int": "i64", "float": "f64", "bool": "bool", "string": "str", "array": "arr",
              "unit": "unit"}


def hint_of(t: Optional[A.TypeRef]) -> Optional[str]:
    """The IR type an annotation suggests (a hint: never checked, see LANGUAGE.md)."""
    return _HINT_TYPE.get(t.kind) if t is not None else None


@dataclass
class ModuleContext:
    """What every function's lowering needs to know about the program."""

    functions: dict[str, A.FunDef]
    consts: set[str]
    src: SourceFile
    module: Module
    requested: set[str] = field(default_factory=set)
    #: the program's names for the Level 3 check (level3.py); None: no check
    names: Optional["Names"] = None
    #: whether structs and tuples are lowered (the IR's own consumers) or refused as
    #: not compiled yet (the compiled tiers: level3.NotCompiled)
    aggregates: bool = False
    #: whether the program has structs or tuples at all (a ``&mut`` to a parameter
    #: that is not in-out is then checked: methods.lower_args)
    has_aggregates: bool = False
    #: whether a string or Option mutator on a place of unknown type is a ``method.mut``
    #: (the IR's own consumers) or the usual ``method`` (the compiled tiers, whose
    #: codegen has its own write-back for strings and compiles ``push`` on arrays)
    place_mutators: bool = True
    #: lowers a closure's body as a function of the module: (name, parameters, body,
    #: return type) -> None (module.py sets it; closures.py calls it)
    lift: Any = None
    #: whether a function of that name was lowered already (module.py sets it)
    is_lifted: Any = None
    #: the lifted function of each nested ``fn`` (by id of its FunDef: closures.py)
    nested: dict[int, str] = field(default_factory=dict)

    @property
    def info(self) -> Any:
        """The resolution layer's tables (resolve.ProgramInfo), or None."""
        return self.names.info if self.names is not None else None


class FunctionLowerer:
    """Lowers one body into a new IR function."""

    def __init__(self, ctx: ModuleContext, func: Function) -> None:
        self.ctx = ctx
        self.f = func
        self.b = Builder(func)
        self.ssa = SSABuilder(func)
        self.scopes: list[dict[str, Var]] = [{}]
        self.loops: list[control.LoopTarget] = []
        self.placed: set[Block] = set()  # blocks already in self.f.blocks
        #: the type of the ``impl`` a method is in (what ``Self`` means)
        self.self_type: Optional[str] = None
        #: the scope names are looked up in (the resolution layer's FnInfo.module: a
        #: ``mod``, or the function itself when its body declares items)
        self.module = ""
        #: in-out parameters, returned with the result (methods.inout_params)
        self.inout: list[Var] = []
        #: the parameters by name and their variables (patterns.default_mode)
        self.params_by_name: dict[str, A.Param] = {}
        self.param_vars: dict[str, Var] = {}
        #: the function's parameters and body statements, and what its closures capture
        #: (closures.py; computed at the first closure)
        self.source: tuple[list, list] = ([], [])
        self.closure_plans: Any = None  # resolve/captures.Plans, if the body has closures
        self.closures_made = 0
        self.cells_made: set[Var] = set()  # variables in cells whose cell exists
        #: bindings that ``*x = ..`` may assign (refs.py: their changes are written back)
        self.ref_vars: set[Var] = set()
        #: variables bound by ``let r = &mut place`` (a write through one is refused)
        self.let_refs: set[Var] = set()
        #: (scope depth, hook): run after each statement of the block at that depth (a
        #: ``let`` pattern's ``ref mut`` bindings written back: matching.let_pattern)
        self.stmt_hooks: list[tuple[int, Callable[[A.Node], None]]] = []
        #: what runs after a statement that overwrites a matched place (by id)
        self.overwrites: dict[int, list[Callable[[], None]]] = {}
        #: the write-backs an edge leaving their scope early runs first (exits.py)
        self.exits: list = []
        #: writes of variables so far, the number of the last write of each, and the
        #: count before the statement whose hooks run (a reference changed through
        #: another one made from it: matching.let_pattern)
        self.write_seq = 0
        self.last_write: dict[Var, int] = {}
        self.stmt_mark = 0
        #: whether this is a closure's or nested function's body (lower/closures.py)
        self.lifted = False
        #: closure literals passed to a built-in method, which the runtime calls
        #: (closures.runtime_called); and, in such a closure's body, the parameters
        #: assigned through ``*`` with the value each arrived as (deref/ref.set)
        self.runtime_closures: set[int] = set()
        self.ref_params: list[tuple[Var, Value]] = []
        #: ``or_default()`` calls (by id) and the method called on their value, whose
        #: name may say the default (defaults.or_default_of)
        self.default_uses: dict[int, A.MethodCall] = {}
        #: variables that may hold the runtime's reference into a collection (a cell or
        #: the element itself), bound by ``let`` to a built-in method's value that
        #: lower/elemrefs.py does not keep as an element and its key (a vacant entry's
        #: ``insert``, ``o.get_mut()``); ``*r = v`` writes through them
        #: (places.assign_through)
        self.place_vars: set[Var] = set()
        #: the statements of the block being lowered and the index of the one being
        #: lowered (tier 0's ``stmt_at``: a call's ``let`` annotation, lower/generics.py)
        self.stmt_at: tuple[list[A.Node], int] = ([], 0)

    # ---- blocks and edges ---------------------------------------------------------------

    def new_block(self, hint: Optional[str] = None) -> Block:
        """A block that is not in the function's list until it is started."""
        return self.f.new_block(hint, append=False)

    def start(self, block: Block) -> None:
        """Continue lowering at the end of ``block`` (placing it in print order)."""
        if block not in self.placed:
            self.placed.add(block)
            self.f.blocks.append(block)
        self.b.at_end(block)

    @property
    def cur(self) -> Block:
        assert self.b.block is not None
        return self.b.block

    def dead(self) -> None:
        """After return/break/continue: keep lowering (for its static errors) into a
        block nothing branches to; cleanup removes it."""
        block = self.new_block("dead")
        self.ssa.seal(block)
        self.start(block)

    def jump(self, target: Block, args: Sequence[Value] = (),
             node: Optional[A.Node] = None) -> None:
        src = self.cur
        self.emit("br", succs=[(target, args)], node=node)
        self.ssa.add_edge(src, 0, target)

    def branch(self, cond: Value, if_true: Block, if_false: Block, true_args: Sequence[Value] = (),
               false_args: Sequence[Value] = (), node: Optional[A.Node] = None) -> None:
        src = self.cur
        self.emit("cond_br", [cond], succs=[(if_true, true_args), (if_false, false_args)],
                  node=node)
        self.ssa.add_edge(src, 0, if_true)
        self.ssa.add_edge(src, 1, if_false)

    # ---- instructions -------------------------------------------------------------------

    def emit(self, opname: str, operands: Sequence[Value] = (), imms: Sequence[Any] = (),
             succs: Sequence[tuple[Block, Sequence[Value]]] = (), node: Optional[A.Node] = None,
             hint: Optional[str] = None, span: Optional[A.Span] = None) -> Instruction:
        replaced = self.ssa.replaced
        if replaced:  # (the builder copies operands and arguments: no copy needed here)
            r = self.ssa.resolve
            operands = [r(v) if v in replaced else v for v in operands]
            succs = [(blk, [r(a) if a in replaced else a for a in args]) for blk, args in succs]
        if span is None:
            span = A.error_span(node) if node is not None else A.NO_SPAN
        return self.b.emit(opname, operands, imms, succs, span, hint)

    def const(self, value: Any, node: Optional[A.Node] = None) -> Instruction:
        return self.emit("const", imms=(value,), node=node)

    def unit(self) -> Instruction:
        return self.const(None)

    def fail(self, message: str, node: A.Node) -> Instruction:
        """A runtime error when reached (undefined name, wrong argument count); the
        expression's value is then unit, as in tier 0."""
        self.emit("error", imms=(message,), node=node)
        return self.unit()

    def copied(self, v: Value, node: A.Node) -> Value:
        """The value as a new holder sees it: arrays are copied (copy on write). An
        Ordering holds nothing to copy."""
        if v.type in SCALAR_TYPES or isinstance(node, NEVER_SHARED) or v.type == ORDERING \
                or shared_handle(v.type):
            return v
        return self.emit("copy", [v], node=node)

    # ---- names ---------------------------------------------------------------------------

    def bind(self, name: str, binding: Optional[A.Node] = None) -> Var:
        """A new variable in the innermost scope; it lives in a cell when ``binding``
        (its ``let`` or parameter) is one a closure shares (closures.py)."""
        plans = self.closure_plans
        var = Var(name, plans is not None and (id(binding), name) in plans.celled)
        self.scopes[-1][name] = var
        return var

    def lookup(self, name: str) -> Optional[Var]:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def write(self, var: Var, value: Value) -> None:
        self.write_seq += 1
        self.last_write[var] = self.write_seq
        if var.cell:
            closures.store(self, var, value)
            return
        if isinstance(value, Instruction) and value.name.isdigit():
            # Name the value after the variable it is bound to, keeping its number.
            self.f._vnames.discard(value.name)
            value.name = f"{var.name}.{value.name}"
            self.f._vnames.add(value.name)
        self.ssa.write(var, self.cur, value)

    def written_since(self, var: Optional[Var], mark: int) -> bool:
        """Whether ``var`` was written after the write count was ``mark``."""
        return var is not None and self.last_write.get(var, -1) > mark

    def read(self, var: Var) -> Value:
        if var.cell:
            return self.emit("cell.get", [self.ssa.read(var, self.cur)])
        return self.ssa.read(var, self.cur)

    # ---- statements and blocks ----------------------------------------------------------

    def block(self, node: A.Block, want: bool) -> Value:
        self.scopes.append({})
        closures.nested_functions(self, node.stmts)
        value: Optional[Value] = None
        depth = len(self.scopes)
        for i, stmt in enumerate(node.stmts):
            self.stmt_at = (node.stmts, i)  # (a call's `let` annotation: lower/generics.py)
            mark = self.write_seq
            value = self.stmt(stmt, want and i == len(node.stmts) - 1)
            self.stmt_mark = mark
            if self.overwrites:  # (the place overwritten: refs.after_overwrite)
                for done in self.overwrites.pop(id(stmt), ()):
                    done()
            # (the latest first: a reference made from an earlier one writes into it)
            for d, hook in reversed(list(self.stmt_hooks)):
                if d == depth:
                    hook(stmt)
        self.stmt_hooks = [(d, h) for d, h in self.stmt_hooks if d < depth]
        if self.exits:
            exits.end_block(self, depth)
        self.scopes.pop()
        return value if want and value is not None else self.unit()

    def stmt(self, node: A.Node, want: bool) -> Value:
        if isinstance(node, A.Let):
            from .elemrefs import let_ref
            if self.ctx.aggregates and let_ref(self, node):  # `let s = m.entry(k).or_insert(d)`
                return self.unit()
            if self.ctx.aggregates and refs.let_borrow(self, node):  # `let r = &mut x`
                return self.unit()
            v = self.expr(node.value)
            place = places.gives_place(self, node.value)
            if not place:  # (a reference into a collection is stored as it is)
                v = self.copied(v, node.value)
            var = self.bind(node.name, node)
            self.write(var, v)
            if place or places.runtime_value(self, node.value):
                self.place_vars.add(var)
            if isinstance(node.value, A.Ref) and node.value.mutable:
                self.let_refs.add(var)
            return self.unit()
        if isinstance(node, A.Assign):
            places.assign(self, node)
            return self.unit()
        if isinstance(node, A.LetPat):
            matching.let_pattern(self, node)
            return self.unit()
        if isinstance(node, A.FunDef):  # lifted when its block began (nested_functions)
            return self.unit()
        if isinstance(node, A.ConstDef):
            if self.ctx.aggregates:  # one of the program's consts: @ruchy.consts sets it
                return self.unit()
            raise RuchySyntaxError("const items can only be defined at the top level", node.span)
        return self.expr(node, want)

    # ---- expressions ----------------------------------------------------------------------

    def expr(self, node: A.Node, want: bool = True) -> Value:
        """Lower ``node``; return its value (unit for statements-like expressions)."""
        if isinstance(node, _LITERALS):
            return self.const(node.value, node)
        handler = _HANDLERS.get(type(node).__name__)
        if handler is None:  # level3.find_level3 refuses these before lowering starts
            from .level3 import NotInIR
            raise NotInIR(f"'{type(node).__name__}'", node.span)
        return handler(self, node, want)

    def operands(self, nodes: Sequence[A.Node]) -> list[Value]:
        """Values of ``nodes``, evaluated left to right (in SSA an earlier operand keeps
        its value even if a later one assigns the variable it read)."""
        return [self.expr(n) for n in nodes]

    def cond(self, node: A.Node) -> Value:
        """A condition: it must be a bool (checked unless its type says so already)."""
        v = self.expr(node)
        return v if v.type == "bool" else self.emit("truth", [v], node=node)

    def x_UnitLit(self, node: A.UnitLit, want: bool) -> Value:
        return self.const(None, node)

    def x_Name(self, node: A.Name, want: bool) -> Value:
        var = self.lookup(node.id)
        if var is not None:
            return self.read(var)
        const = self.const_global(node.id)
        if const is not None:
            return self.emit("load_global", imms=(Sym(const),), node=node)
        if node.id in self.ctx.functions:
            return closures.function_value(self, node.id, node)
        return self.unit_struct(node.id, node) or self.fail(f"undefined name '{node.id}'",
                                                            node)

    def x_Path(self, node: A.Path, want: bool) -> Value:
        key = f"{node.owner}::{node.name}"
        if key in PATH_CONSTANTS:
            return self.const(PATH_CONSTANTS[key], node)
        const = self.const_global(key)
        if const is not None:  # `Rect::UNIT`, `Self::MAX`, `m::K`
            return self.emit("load_global", imms=(Sym(const),), node=node)
        done = self.unit_struct(key, node)
        if done is None:
            from .closures import library_value  # `fold(f64::MIN, f64::max)`
            done = library_value(self, node)
        return done or self.fail(f"undefined name '{key}'", node)

    def const_global(self, path: str) -> Optional[str]:
        """The global holding the const ``path`` names from here (its qualified name),
        or None if it names none."""
        from ..resolve import ConstInfo
        item = aggregates.resolve(self, path)
        if isinstance(item, ConstInfo) and item.name in self.ctx.consts:
            return item.name
        return path if self.ctx.info is None and path in self.ctx.consts else None

    def unit_struct(self, path: str, node: A.Node) -> Optional[Value]:
        """A unit struct or a variant named as a value (``Marker``, ``None``,
        ``Dir::North``), or None if ``path`` is neither."""
        from ..resolve import StructInfo, VariantInfo
        item = aggregates.resolve(self, path)
        if isinstance(item, StructInfo) and item.shape == "unit" and item.node is not None:
            return aggregates.unit_value(self, item, node)
        if isinstance(item, VariantInfo):
            return enums.unit_variant(self, item, node)
        return None

    def x_Binary(self, node: A.Binary, want: bool) -> Value:
        if node.op in ("&&", "||"):
            return control.short_circuit(self, node)
        a, b = self.operands([node.left, node.right])
        return self.emit(OP_OF_OPERATOR[node.op], [a, b], node=node)

    def x_Unary(self, node: A.Unary, want: bool) -> Value:
        return self.emit(OP_OF_UNARY[node.op], [self.expr(node.operand)], node=node)

    def x_Cast(self, node: A.Cast, want: bool) -> Value:
        from ..interp.opcode import cast_target  # (what `as T` means: tier 0's table)
        v = self.expr(node.value)
        target = cast_target(node.type.text)
        if target is None:
            raise RuchySyntaxError(f"cannot cast to {node.type.text}", node.type.span)
        if target not in ("int", "float", "bool"):
            return self.emit("cast", [v], imms=(target,), node=node)  # u8, f32, char...
        if (target, v.type) in (("int", "i64"), ("float", "f64"), ("bool", "bool")):
            return v  # already of the target type: the cast is the identity
        return self.emit("to_" + target, [v], node=node)

    def x_Ref(self, node: A.Ref, want: bool) -> Value:
        if node.mutable:
            return places.place(self, node.operand)
        return self.copied(self.expr(node.operand), node.operand)

    def x_Deref(self, node: A.Deref, want: bool) -> Value:
        v = self.expr(node.operand)
        if places.may_be_reference(self, node.operand):  # `*r` of a cell: its value
            return self.emit("deref", [v], node=node)
        return v

    def x_ArrayLit(self, node: A.ArrayLit, want: bool) -> Value:
        vals = [self.copied(v, n) for v, n in zip(self.operands(node.elems), node.elems)]
        return self.emit("array", vals, node=node)

    def x_ArrayRepeat(self, node: A.ArrayRepeat, want: bool) -> Value:
        return self.emit("repeat", self.operands([node.value, node.count]), node=node)

    def x_Index(self, node: A.Index, want: bool) -> Value:
        if isinstance(node.index, A.Range):  # `&v[a..b]`: a new array (or string)
            rng = node.index
            ends = [e for e in (rng.start, rng.end) if e is not None]
            vals = iter(self.operands([node.target] + ends))
            target = next(vals)
            a = next(vals) if rng.start is not None else self.unit()
            b = next(vals) if rng.end is not None else self.unit()
            return self.emit("slice_range", [target, a, b], imms=(rng.inclusive,), node=node)
        return self.emit("index", self.operands([node.target, node.index]), node=node)

    def x_Assign(self, node: A.Assign, want: bool) -> Value:
        places.assign(self, node)  # (a match arm's body `x => y = 1`: unit)
        return self.unit()

    def x_CharLit(self, node: A.CharLit, want: bool) -> Value:
        return self.emit("char", imms=(node.value,), node=node)

    def x_Block(self, node: A.Block, want: bool) -> Value:
        return self.block(node, want)


_HANDLERS = {name[2:]: getattr(FunctionLowerer, name) for name in dir(FunctionLowerer)
             if name.startswith("x_")}

# control.py and calls.py refer to FunctionLowerer only in type hints, so importing them
# here, after the class, is not circular.
from . import aggregates, calls, closures, control, enums, exits, iterators, matching, places, refs  # noqa: E402,E501

_HANDLERS.update({
    "If": control.if_expr, "Match": matching.match_expr, "While": control.while_loop,
    "IfLet": matching.if_let, "WhileLet": matching.while_let, "Try": enums.try_,
    "MacroPat": matching.matches_macro,
    "Loop": control.loop, "For": control.for_array, "ForRange": control.for_range,
    "Break": control.break_, "Continue": control.continue_, "Return": control.return_,
    "Call": calls.call, "MethodCall": calls.method_call, "FStr": calls.fstring,
    "Field": aggregates.field, "TupleLit": aggregates.tuple_lit,
    "StructLit": aggregates.struct_lit, "Closure": closures.closure,
    "Range": iterators.range_value,
})
