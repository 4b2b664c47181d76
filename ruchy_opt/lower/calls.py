"""Lowering of calls: user functions, built-in functions and macros (println!, format!,
assert!, ...), ``Type::name(...)`` paths, methods, and the text of format strings.

Format strings are checked here, at lowering time, with tier 0's messages (they are
syntax errors). The IR ``format`` op then gets a canonical string whose holes take its
operands in order; named (``{x}``) and numbered holes are resolved to operands, and
string literal arguments are written into the text.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Optional, Sequence, Union

from ..errors import RuchySyntaxError
from ..ir.core import Value
from ..ir.ops_library import PURE_METHODS
from ..runtime import methods as M
from ..runtime.fmt import PLAIN, FormatError, Spec, parse_format, parse_spec
from ..syntax import ast as A
from .places import place

if TYPE_CHECKING:
    from .function import FunctionLowerer


def arity_message(name: str, want: int, got: int) -> str:
    """Tier 0's message for a call with the wrong number of arguments."""
    s = "" if want == 1 else "s"
    return f"wrong number of arguments: '{name}' takes {want} argument{s}, got {got}"


def call(lw: "FunctionLowerer", node: A.Call, want: bool = True) -> Value:
    """A call of a user function, a built-in (println!, assert!, len, ...) or a path."""
    callee = node.callee
    if isinstance(callee, A.Path):
        return _path_call(lw, node, callee)
    if not isinstance(callee, A.Name) or (not node.macro and lw.lookup(callee.id) is not None):
        from .closures import call_value  # a closure or function value
        return call_value(lw, node, want)
    name = callee.id
    fn = lw.ctx.functions.get(name)
    target = _module_function(lw, name) if not node.macro else None
    if target is not None:  # `f` of the function's module, `g` after `use m::g`
        name, fn = target
    if fn is not None and not node.macro:
        if len(fn.params) != len(node.args):
            return lw.fail(arity_message(name, len(fn.params), len(node.args)), node)
        from .methods import emit_call, inout_params, lower_args
        after: list = []
        args = lower_args(lw, node.args, inout_params(fn), after=after)
        r = emit_call(lw, name, fn, args, node)
        for put in after:  # `f(&mut v[a..b])`: the slice stored back
            put()
        return r
    if fn is None and not node.macro and lw.lookup(name) is None:
        from ..resolve import VariantInfo
        from .aggregates import construct, free_struct, resolve
        item = free_struct(lw, name)
        if item is not None and item.shape == "tuple":
            return construct(lw, node, item)
        variant = resolve(lw, name)
        if isinstance(variant, VariantInfo):  # `Some(x)`, `Circle(r)` after `use`
            from . import enums
            return enums.construct(lw, node, variant)
    if node.macro and name in ("write", "writeln") and node.args:
        from .traits import write_macro
        return write_macro(lw, node, name == "writeln")
    if name in ("println", "print", "eprintln", "eprint"):
        text = format_args(lw, node.args, node, "\n" if name.endswith("ln") else "")
        lw.emit("eprint" if name.startswith("e") else "print", [text], node=node)
        return lw.unit()
    if name == "format":
        return format_args(lw, node.args, node)
    if name == "panic":
        msg = format_args(lw, node.args, node) if node.args else lw.const("explicit panic")
        lw.emit("panic", [msg], node=node)
        return lw.unit()
    if name == "assert" and node.args:
        return _assert(lw, node)
    if name in ("assert_eq", "assert_ne") and len(node.args) >= 2:
        a, b = lw.operands(node.args[:2])
        extra = [format_args(lw, node.args[2:], node)] if len(node.args) > 2 else []
        lw.emit(name, [a, b] + extra, node=node)
        return lw.unit()
    if name == "len" and len(node.args) == 1 and fn is None:
        return lw.emit("len", [lw.expr(node.args[0])], node=node)
    if name in ("assert", "assert_eq", "assert_ne", "len"):
        want_n = 1 if name in ("assert", "len") else 2
        return lw.fail(arity_message(name, want_n, len(node.args)), node)
    return lw.fail(f"undefined name '{name}'", callee)


def _module_function(lw: "FunctionLowerer", path: str) -> Optional[tuple[str, A.FunDef]]:
    """The IR function that ``path`` calls from here (the resolution layer's answer)
    and its definition, if it is a function of a ``mod`` the module has, or a nested
    function (its lifted function: ``fact(k - 1)`` in nested fn ``fact``)."""
    from ..resolve import FnInfo
    from .aggregates import resolve
    item = resolve(lw, path)
    if not isinstance(item, FnInfo) or item.owner is not None:
        return None
    if item.name in lw.ctx.functions:
        return item.name, lw.ctx.functions[item.name]
    lifted = lw.ctx.nested.get(id(item.node))
    return (lifted, item.node) if lifted is not None else None


def _assert(lw: "FunctionLowerer", node: A.Call) -> Value:
    c = lw.expr(node.args[0])
    ok, failed = lw.new_block("assert.ok"), lw.new_block("assert.fail")
    lw.branch(lw.emit("is_true", [c], node=node), ok, failed, node=node)
    lw.ssa.seal(failed)
    lw.start(failed)
    # The message is only evaluated when the assertion fails, as in tier 0.
    msg = format_args(lw, node.args[1:], node) if len(node.args) > 1 \
        else lw.const(_source_text(lw, node.args[0]))
    lw.emit("assert_fail", [c, msg], node=node)
    lw.jump(ok)
    lw.ssa.seal(ok)
    lw.start(ok)
    return lw.unit()


def _source_text(lw: "FunctionLowerer", node: A.Node) -> str:
    sp = node.span
    if sp.line != sp.end_line:
        return lw.ctx.src.line(sp.line)[sp.col - 1:].strip() + " ..."
    return lw.ctx.src.line(sp.line)[sp.col - 1:sp.end_col - 1]


def _path_call(lw: "FunctionLowerer", node: A.Call, p: A.Path) -> Value:
    key = f"{p.owner}::{p.name}"
    if key in ("Vec::new", "Vec::with_capacity"):
        lw.operands(node.args)
        return lw.emit("array", node=node)
    from ..interp.calls import _TRANSPARENT  # (tier 0's list: `Box::new(x)` is `x`)
    if key in _TRANSPARENT and len(node.args) == 1:
        return lw.copied(lw.expr(node.args[0]), node.args[0])
    if key == "String::new" and not node.args:
        return lw.const("")
    if key == "String::from" and len(node.args) == 1:
        return lw.emit("text", [lw.expr(node.args[0])], node=node)
    from ..resolve import FnInfo, StructInfo, VariantInfo
    from .aggregates import construct, resolve
    target = _module_function(lw, key)
    if target is not None:  # `m::f(..)`
        q, fn = target
        if len(fn.params) != len(node.args):
            return lw.fail(arity_message(q, len(fn.params), len(node.args)), node)
        from .methods import emit_call, inout_params, lower_args
        after: list = []
        r = emit_call(lw, q, fn, lower_args(lw, node.args, inout_params(fn), after=after),
                      node)
        for put in after:  # `m::f(&mut v[a..b])`: the slice stored back
            put()
        return r
    item = resolve(lw, key)
    if isinstance(item, StructInfo) and item.shape == "tuple":
        return construct(lw, node, item)
    if isinstance(item, VariantInfo):
        from . import enums
        return enums.construct(lw, node, item)
    if isinstance(item, FnInfo) and item.owner is not None:
        from .methods import path_call
        return path_call(lw, node, item)
    if item is None and p.name == "default" and not node.args:
        owner = resolve(lw, p.owner)
        if isinstance(owner, StructInfo) and owner.node is not None:
            from .generics import derived_default  # #[derive(Default)]
            return derived_default(lw, owner, node)
    from .level3 import trait_method_path
    method = trait_method_path(lw.ctx.names, key, node) if lw.ctx.names is not None else None
    if method is not None:  # `Shape::area(&c)`: `c.area()`
        from .traits import trait_call
        return trait_call(lw, node, method)
    if item is None and lw.ctx.info is not None and _is_type_var(lw, p.owner):
        from .generics import assoc_call  # T::default() in fn f<T: Default>
        return assoc_call(lw, node, p)
    if item is None:
        from .iterators import path_call as collection_call  # HashMap::new(), ..
        done = collection_call(lw, node, p)
        if done is not None:
            return done
    return lw.fail(f"undefined name '{key}'", p)


def _is_type_var(lw: "FunctionLowerer", owner: str) -> bool:
    from ..resolve.generics import is_type_var
    info = lw.ctx.info
    fn = info.functions.get(lw.f.name)
    scope = (fn.module, fn.owner) if fn is not None else (lw.module, lw.self_type)
    return is_type_var(info, owner, *scope)


@lru_cache(maxsize=None)
def method_arity(name: str) -> Optional[tuple[int, int]]:
    """(min, max) arguments after the receiver, or None if not a built-in method (the
    runtime's own count: runtime/arity.py, which tier 0 reads too)."""
    f = M.METHODS.get(name)
    if f is None:
        return None
    from ..runtime.arity import method_arity as runtime_arity
    return runtime_arity(f)


def method_call(lw: "FunctionLowerer", node: A.MethodCall, want: bool = True) -> Value:
    """``recv.name(args)``: mutating methods get the receiver's place; a method the
    program's types define dispatches on the receiver's type (methods.py)."""
    name = node.method
    from .level3 import user_methods
    r = node.receiver
    if isinstance(r, A.MethodCall) and r.method == "or_default" and not r.args:
        lw.default_uses[id(r)] = node  # `.or_default().push(y)`: a Vec's default
    if name in M.MUTATING:
        from .slices import is_slice_receiver, slice_method  # v[1..4].sort()
        if is_slice_receiver(node):
            return slice_method(lw, node)
    if name in M.MUTATING or name in M.PLACE_MUTATORS:
        from .elemrefs import rerooted, unwrapped_root  # v.last_mut().unwrap().s.push('!')
        found = unwrapped_root(lw.ctx.info, node.receiver)
        if found is not None:
            import dataclasses
            return rerooted(lw, node.receiver, found, lambda recv: method_call(
                lw, dataclasses.replace(node, receiver=recv), want))
    if name == "for_each" and lw.ctx.aggregates:
        from .control import for_array, for_each_mut  # v.iter_mut().for_each(|x| *x += 1)
        loop = for_each_mut(lw.ctx.info, node)
        if loop is not None:
            return for_array(lw, loop, False)
    if lw.ctx.names is not None and user_methods(lw.ctx.names, name) is not None:
        from .methods import method_call as user_method_call
        return user_method_call(lw, node)
    from .iterators import method_call as iterator_method  # lazy chains, collect::<T>
    done = iterator_method(lw, node)
    if done is not None:
        return done
    from .mutators import mutator_call  # s.push_str(t), o.take(): stored back
    done = mutator_call(lw, node)
    if done is not None:
        return done
    recv = place(lw, node.receiver) if name in M.MUTATING else lw.expr(node.receiver)
    return method_call_on(lw, node, recv)


def method_call_on(lw: "FunctionLowerer", node: A.MethodCall, recv: Value) -> Value:
    """The built-in method ``node`` on the receiver's value ``recv`` (evaluated)."""
    from .level3 import IR_METHODS
    name = node.method
    from .closures import runtime_called
    runtime_called(lw, node.args)
    vals = lw.operands(node.args)
    arity = method_arity(name)
    if arity is not None and not arity[0] <= len(vals) <= arity[1]:
        return lw.fail(arity_message("." + name, arity[1], len(vals)), node)
    if name == "unwrap_or_default" and not vals:
        from .defaults import default_of  # the default of the receiver's declared type
        dflt = default_of(lw, node)
        vals = [dflt] if dflt is not None else vals
    if name == "or_default" and not vals:
        from .defaults import or_default_of  # `m.entry(k).or_default()`
        dflt = or_default_of(lw, node)
        vals = [dflt] if dflt is not None else vals
    if name in PURE_METHODS and name not in IR_METHODS:  # (IR_METHODS: compiled as `method`)
        return lw.emit("method.pure", [recv] + vals, imms=(name,), node=node)
    return lw.emit("method", [recv] + vals, imms=(name,), node=node)


# ---- format strings -------------------------------------------------------------------

def spec_text(s: Spec) -> str:
    """A parsed spec written back in its canonical form (inverse of parse_spec)."""
    if s == PLAIN:
        return ""
    width = f"{s.width_arg}$" if s.width_arg is not None else str(s.width) if s.width else ""
    prec = f".{s.prec_arg}$" if s.prec_arg is not None else \
        f".{s.prec}" if s.prec is not None else ""
    return ((s.fill + s.align if s.align else "") + ("+" if s.sign else "") +
            ("#" if s.alt else "") + ("0" if s.zero else "") + width + s.group + prec +
            s.type)


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


Piece = Union[str, tuple[int, Spec]]


def _emit_format(lw: "FunctionLowerer", pieces: list[Piece], nodes: list[A.Node],
                 node: A.Node, suffix: str) -> Value:
    """A ``format`` op for text pieces and holes (index into ``nodes``, spec); a
    ``format.dyn`` when a width or precision is an argument (its ``N$`` an index into
    ``nodes`` too)."""
    values = lw.operands([n for n in nodes])
    if any(not isinstance(p, str) and (p[1].width_arg is not None or p[1].prec_arg is not None)
           for p in pieces):
        return _emit_format_dyn(lw, pieces, values, node, suffix)
    text, operands = [], []
    for p in pieces:
        if isinstance(p, str):
            text.append(_escape(p))
            continue
        i, spec = p
        if spec == PLAIN and isinstance(nodes[i], A.StrLit):
            text.append(_escape(nodes[i].value))  # a literal's display form is itself
            continue
        st = spec_text(spec)
        text.append("{:" + st + "}" if st else "{}")
        operands.append(values[i])
    return lw.emit("format", operands, imms=("".join(text) + _escape(suffix),), node=node)


def _emit_format_dyn(lw: "FunctionLowerer", pieces: list[Piece], values: list[Value],
                     node: A.Node, suffix: str) -> Value:
    """``format.dyn``: every hole, width and precision names its operand by index (the
    operands are the values used, in the order of the arguments)."""
    used = sorted({r for p in pieces if not isinstance(p, str)
                   for r in (p[0], p[1].width_arg, p[1].prec_arg) if r is not None})
    index = {r: k for k, r in enumerate(used)}
    text = []
    for p in pieces:
        if isinstance(p, str):
            text.append(_escape(p))
            continue
        i, spec = p
        spec = replace(spec, width_arg=None if spec.width_arg is None else index[spec.width_arg],
                       prec_arg=None if spec.prec_arg is None else index[spec.prec_arg])
        st = spec_text(spec)
        text.append(f"{{{index[i]}:{st}}}" if st else f"{{{index[i]}}}")
    return lw.emit("format.dyn", [values[r] for r in used],
                   imms=("".join(text) + _escape(suffix),), node=node)


def format_args(lw: "FunctionLowerer", args: Sequence[A.Node], node: A.Node,
                suffix: str = "") -> Value:
    """The text println/print/format!/panic! make of their arguments."""
    if args and isinstance(args[0], A.StrLit) and ("{" in args[0].value or "}" in args[0].value):
        fmt = args[0]
        try:
            parsed = parse_format(fmt.value)
        except FormatError as e:
            if len(args) == 1:  # the one-argument rule (LANGUAGE.md): the text as it is
                return _literal(lw, fmt.value, node, suffix)
            raise RuchySyntaxError(str(e), fmt.span) from None
        if len(args) == 1 and not _all_captured(lw, parsed):
            return _literal(lw, fmt.value, node, suffix)
        rest = list(args[1:])
        pieces: list[Piece] = []
        for p in parsed:
            if isinstance(p, str):
                pieces.append(p)
                continue
            ref, spec = p
            ref = _argument(ref, rest, len(args) - 1, fmt)
            if spec.width_arg is not None or spec.prec_arg is not None:
                spec = replace(spec, width_arg=None if spec.width_arg is None else
                               _argument(spec.width_arg, rest, len(args) - 1, fmt),
                               prec_arg=None if spec.prec_arg is None else
                               _argument(spec.prec_arg, rest, len(args) - 1, fmt))
            pieces.append((ref, spec))
        used = {r for p in pieces if not isinstance(p, str)
                for r in (p[0], p[1].width_arg, p[1].prec_arg) if r is not None}
        if len(args) > 1 and not set(range(len(args) - 1)) <= used:
            raise RuchySyntaxError(f"format string uses {len(used)} of {len(args) - 1} "
                                   "arguments", fmt.span)
        return _emit_format(lw, pieces, rest, node, suffix)
    pieces = []
    for i in range(len(args)):
        if i:
            pieces.append(" ")
        pieces.append((i, PLAIN))
    return _emit_format(lw, pieces, list(args), node, suffix)


def _argument(ref: Union[int, str], rest: list[A.Node], given: int, fmt: A.StrLit) -> int:
    """The index into ``rest`` of a hole's value, width or precision: a positional
    argument, or (``{name}``, ``{:>w$}``) a variable in scope, appended to ``rest``."""
    if isinstance(ref, str):
        rest.append(A.Name(ref, span=fmt.span))
        return len(rest) - 1
    if ref >= given:
        raise RuchySyntaxError(f"format string needs argument {ref + 1} but "
                               f"{given} were given", fmt.span)
    return ref


def _literal(lw: "FunctionLowerer", text: str, node: A.Node, suffix: str) -> Value:
    return lw.emit("format", [], imms=(_escape(text + suffix),), node=node)


def _all_captured(lw: "FunctionLowerer", pieces: list) -> bool:
    """Whether every hole of a one-argument format string names a variable in scope
    (Rust's ``println!("{x}")``) rather than being text with braces in it (tier 0's
    rule, interp/formatting.py)."""
    names = lw.ctx.names
    for p in pieces:
        if isinstance(p, str):
            continue
        ref, spec = p
        for r in (ref, spec.width_arg, spec.prec_arg):
            if r is None:
                continue
            if not isinstance(r, str) or not (
                    lw.lookup(r) is not None or r in lw.ctx.consts
                    or (names is not None and r in names.globals)):
                return False
    return True


def fstring(lw: "FunctionLowerer", node: A.FStr, want: bool = True) -> Value:
    """``f"...{expr:spec}..."`` as a ``format`` op."""
    pieces: list[Piece] = []
    nodes: list[A.Node] = []
    for p in node.parts:
        if isinstance(p, str):
            pieces.append(p)
            continue
        try:
            spec = parse_spec(p.spec)
        except FormatError as e:
            raise RuchySyntaxError(str(e), p.span) from None
        if spec.width_arg is not None or spec.prec_arg is not None:  # (tier 0's rule)
            raise RuchySyntaxError("a width or precision from an argument is not supported "
                                   "in f-strings", p.span)
        pieces.append((len(nodes), spec))
        nodes.append(p.expr)
    return _emit_format(lw, pieces, nodes, node, "")
