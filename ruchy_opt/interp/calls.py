"""Tier 0: calls of user functions, built-in functions and macros, and methods."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

from ..resolve import FnInfo, StructInfo, TraitInfo, VariantInfo
from ..runtime import methods as M
from ..runtime.arity import method_arity
from ..syntax import ast as A
from .data import mark_fresh, resolve_item
from .dialect import MACROS as DIALECT_MACROS
from .places import place
from .translate import SPECIALIZE, spec_name

if TYPE_CHECKING:
    from .translate import FunctionTranslator

Value = tuple[str, Optional[str]]


def _args(tr: "FunctionTranslator", args: list[A.Node],
          shared: Optional[list[bool]] = None) -> tuple[list[str], list]:
    """Argument values as a callee receives them (copies, except that ``&mut place``
    passes the object itself, or a cell for a value that is not an object: the write-back
    after the call is queued on ``tr.post_call``, see flush_post), evaluated left to
    right; and their kinds. A parameter declared ``&T`` that the callee does not change
    (``shared``, see _shared_refs) gets the object itself: no copy is needed."""
    codes, kinds = [], []
    for i, a in enumerate(args):
        mark, depth = tr.out.mark, tr.out.depth
        if isinstance(a, A.Ref) and a.mutable:
            code, kind = _mut_arg(tr, a.operand)
        else:
            code, kind = tr.expr(a)
            if not (shared and i < len(shared) and shared[i]):
                code = tr.copied(code, kind, a)
        code = tr.simple(code, kind, a)
        if tr.out.mark > mark:
            tr.save_operands(codes, kinds, mark, depth, a)
        codes.append(code)
        kinds.append(kind)
    return codes, kinds


_NOT_OBJECTS = ("int", "float", "bool", "str", "unit")


def _shared_refs(tr: "FunctionTranslator", fn: A.FunDef) -> list[bool]:
    """Per parameter of ``fn``: declared ``&T`` (not ``&mut``) and never changed in the
    body (Rust forbids it; Ruchy would let a lenient program try), so the callee may
    hold the caller's object itself."""
    cache = tr.ctx.__dict__.setdefault("shared_refs", {})
    out = cache.get(id(fn))
    if out is None:
        from .bindings import changed_names
        _, changed = changed_names([fn.body], tr.ctx.info)
        out = cache[id(fn)] = [p.type is not None and p.type.kind == "ref"
                               and not p.type.mutable and p.name not in changed
                               for p in fn.params]
    return out


def _mut_arg(tr: "FunctionTranslator", operand: A.Node) -> Value:
    """``&mut place``: the object at the place; a number, string or tuple goes in a
    Cell whose value is stored back into the place after the call."""
    from .places import containers, is_place, locate, store
    if isinstance(operand, A.Index) and isinstance(operand.index, A.Range):
        from .slices import mut_slice_arg  # f(&mut v[a..b]): the slice, stored back after
        return mut_slice_arg(tr, operand)
    if not is_place(tr, operand):
        return place(tr, operand)
    loc = locate(tr, operand)
    conts = containers(tr, loc, len(loc.steps))
    v, kv = conts[-1]
    if kv == "arr":
        return v, kv
    c = tr.tmp()
    if kv in _NOT_OBJECTS:
        tr.emit(f"{c} = Cell({v})", operand)
    else:
        tr.emit(f"{c} = {v} if type({v}) is Arr else _mref({v})", operand)

    alias = getattr(tr, "ref_places", {}).get(loc.root) if not loc.steps else None

    def write_back() -> None:
        if kv not in _NOT_OBJECTS:
            tr.emit(f"if {c} is not {v}:", operand)
            tr.out.depth += 1
        store(tr, loc, conts, f"{c}.v", kv, operand)
        if kv not in _NOT_OBJECTS:
            tr.out.depth -= 1
        if alias is not None:  # `let r = &mut n; f(r)`: n takes the cell's new value
            aloc, aconts, akind = alias
            tr.emit(f"if type({loc.root}) is Cell:", operand)
            with tr.out.indented():
                store(tr, aloc, aconts, f"{loc.root}.v", akind, operand)
    if not hasattr(tr, "post_call"):
        tr.post_call = []
    tr.post_call.append(write_back)
    return c, "any"


def flush_post(tr: "FunctionTranslator") -> None:
    """Emit the write-backs of the ``&mut`` cells of the call just emitted."""
    pending = getattr(tr, "post_call", None)
    if pending:
        tr.post_call = []
        for done in pending:
            done()


def call_user(tr: "FunctionTranslator", node: A.Call, qname: str) -> Value:
    """A call of the user function ``qname`` (by name, path or ``use`` alias), calling
    its specialisation for the argument kinds; the result is fresh (mark_fresh)."""
    fn = tr.ctx.functions[qname]
    if len(fn.params) > len(node.args):  # Ruchy's default parameter values
        from .dialect import with_defaults
        full = with_defaults(fn.params, node.args)
        if full is not None:
            return call_user(tr, replace(node, args=full), qname)
    if len(fn.params) != len(node.args):
        tr.emit(f"_arity({qname!r}, {len(fn.params)}, {len(node.args)})", node)
        return "None", "any"
    args, kinds = _args(tr, node.args, _shared_refs(tr, fn))
    info = tr.ctx.info.functions.get(qname) if tr.ctx.info is not None else None
    if info is not None and info.node.body is not None:
        from .generics import state_type_args  # make::<Point>(): T for T::default()
        state_type_args(tr, node, info)
    sig = tuple(k if k in SPECIALIZE else "any" for k in kinds)
    ret = tr.ctx.request((qname, sig))
    tr.callees.add((qname, sig))
    out = tr.value_line(f"{spec_name(qname, sig)}({', '.join(args)})", ret, node)
    flush_post(tr)  # `&mut` arguments that were not objects are stored back
    mark_fresh(tr, node, fn)
    return out


def call(tr: "FunctionTranslator", node: A.Call) -> Value:
    callee = node.callee
    if isinstance(callee, A.Path):
        return _path_call(tr, node, callee)
    if not isinstance(callee, A.Name) or (not node.macro and tr.lookup(callee.id) is not None):
        from .closures import call_value  # a closure or function value: f(x), (self.f)(x)
        return call_value(tr, node)
    name = callee.id
    if tr.lookup(name) is None and not node.macro:
        from .items import function_named  # nested fn, module fn, `use m::f`
        name = function_named(tr, name) or name
    fn = tr.ctx.functions.get(name)
    if fn is not None and not node.macro:
        return call_user(tr, node, name)
    if not node.macro and tr.lookup(name) is None:
        from .items import std_name_call  # `use std::cmp::max;` then max(a, b)
        done = std_name_call(tr, node, name)
        if done is not None:
            return done
        from .data import construct, resolve_item
        item = resolve_item(tr, name)
        if isinstance(item, (StructInfo, VariantInfo)):
            return construct(tr, node, item)
    if node.macro and name in DIALECT_MACROS:  # Ruchy's objects, try and throw
        from .dialect import call as dialect_call
        return dialect_call(tr, node, name)
    if node.macro and name in ("write", "writeln") and node.args:
        return _write(tr, node, name == "writeln")
    if name in ("println", "print", "eprintln", "eprint"):
        text = tr.format_args(node.args, node)
        if name.endswith("ln"):
            text = text[:-1] + '\\n"'
        tr.emit(f"{'_ew' if name.startswith('e') else '_w'}({text})", node)
        return "None", "unit"
    if name == "format":
        return tr.value_line(tr.format_args(node.args, node), "str", node)
    if name == "panic":
        text = tr.format_args(node.args, node) if node.args else '"explicit panic"'
        tr.emit(f"_panic({text})", node)
        return "None", "unit"
    if name == "assert" and node.args:
        return _assert(tr, node)
    if name in ("assert_eq", "assert_ne") and len(node.args) >= 2:
        (a, ka), (b, kb) = tr.operands(node.args[:2])
        msg = tr.format_args(node.args[2:], node) if len(node.args) > 2 else "None"
        tr.emit(f"_assert_eq({a}, {b}, {name == 'assert_ne'}, {msg})", node)
        return "None", "unit"
    if name == "len" and len(node.args) == 1 and fn is None:
        code, kind = tr.expr(node.args[0])
        return tr.value_line(f"_len({code})", "int", node)
    if name in ("assert", "assert_eq", "assert_ne", "len"):
        tr.emit(f"_arity({name!r}, {1 if name in ('assert', 'len') else 2}, {len(node.args)})",
                node)
        return "None", "any"
    from .strings import call as strings_call  # read_line(), input(), read_file, use std::..
    done = strings_call(tr, node, name)
    if done is not None:
        return done
    from .library import call as library_call  # max(a, b), range(n), open(p), use std::fs::..
    done = library_call(tr, node, name)
    if done is not None:
        return done
    tr.emit(f"_undef({name!r})", callee)
    return "None", "any"


def _assert(tr: "FunctionTranslator", node: A.Call) -> Value:
    c, _ = tr.expr(node.args[0])
    c = tr.simple(c, None, node)
    tr.emit(f"if {c} is not True:", node)
    with tr.out.indented():
        if len(node.args) > 1:
            msg = tr.format_args(node.args[1:], node)
        else:
            msg = repr(_source_text(tr, node.args[0]))
        tr.emit(f"_assert({c}, {msg})", node)
    return "None", "unit"


def _source_text(tr: "FunctionTranslator", node: A.Node) -> str:
    sp = node.span
    if sp.line != sp.end_line:
        return tr.ctx.src.line(sp.line)[sp.col - 1:].strip() + " ..."
    return tr.ctx.src.line(sp.line)[sp.col - 1:sp.end_col - 1]


def _path_call(tr: "FunctionTranslator", node: A.Call, p: A.Path) -> Value:
    key = f"{p.owner}::{p.name}"
    from .items import path_call  # m::f(..), i64::from(x), f64::sqrt(x), std::cmp::max
    done = path_call(tr, node, p)
    if done is not None:
        flush_post(tr)
        item = resolve_item(tr, key)
        if isinstance(item, FnInfo):
            mark_fresh(tr, node, item.node)
        return done
    done = _item_call(tr, node, p, key)
    if done is not None:
        return done
    from .collections import path_call as collections_path_call  # HashMap::new(), ..
    done = collections_path_call(tr, node, p)
    if done is not None:
        return done
    if key in ("Vec::new", "Vec::with_capacity"):
        for a in node.args:
            tr.expr(a)
        return tr.value_line("Arr([])", "arr", node)
    if key == "String::new" and not node.args:
        return '""', "str"
    if key == "String::from" and len(node.args) == 1:
        code, kind = tr.expr(node.args[0])
        return tr.value_line(f"_text({code})", "str", node)
    from .strings import path_call as strings_path_call  # std::io::stdin(), env::args()..
    done = strings_path_call(tr, node, key)
    if done is not None:
        return done
    from .library import path_call as library_path_call  # File::create(p), Instant::now()
    done = library_path_call(tr, node, key)
    if done is not None:
        return done
    from .generics import assoc_call, is_type_var  # T::default() in fn f<T: Default>
    if is_type_var(tr, p.owner):
        return assoc_call(tr, node, p)
    tr.emit(f"_undef({key!r})", p)
    return "None", "any"


#: Wrappers that are the value they wrap (LANGUAGE.md: ``Box::new(x)`` is ``x``).
_TRANSPARENT = {"Box::new", "Rc::new", "Arc::new", "std::rc::Rc::new", "std::sync::Arc::new",
                "Box::from", "Rc::from", "Rc::clone", "Arc::clone"}


def _item_call(tr: "FunctionTranslator", node: A.Call, p: A.Path, key: str) -> Optional[Value]:
    """``P::new(..)``, ``Self::new(..)``, ``T::method(recv, ..)``, ``M(..)``-like
    constructors by path (``E::B(1, 2)``), ``Trait::method(recv, ..)`` and ``Box::new``."""
    from .data import construct, resolve_item
    if key in _TRANSPARENT and len(node.args) == 1:
        code, kind = tr.expr(node.args[0])
        mark_fresh(tr, node)
        return tr.copied(code, kind, node.args[0]), kind
    item = resolve_item(tr, key)
    if isinstance(item, (StructInfo, VariantInfo)):
        return construct(tr, node, item)
    if isinstance(item, FnInfo) and item.node.body is not None:
        return call_user(tr, node, item.name)
    owner = resolve_item(tr, p.owner) if p.owner else None
    if p.name == "default" and not node.args and isinstance(owner, StructInfo):
        from .data import derived_default  # #[derive(Default)]
        mark_fresh(tr, node)
        return derived_default(tr, owner, node)
    if (isinstance(owner, TraitInfo) or isinstance(item, FnInfo)) and node.args:
        recv = node.args[0]
        if isinstance(recv, A.Ref):
            recv = recv.operand
        call = A.MethodCall(recv, p.name, node.args[1:], span=node.span)
        out = method_call(tr, call)
        if id(call) in tr.fresh_nodes:
            tr.fresh_nodes.add(id(node))
        return out
    return None


def _write(tr: "FunctionTranslator", node: A.Call, newline: bool) -> Value:
    """``write!(f, ...)`` / ``writeln!``: append to a Display formatter or a String;
    the value is ``Ok(())``."""
    from .places import is_place, locate, containers, store
    target = node.args[0]
    if isinstance(target, A.Ref):
        target = target.operand
    if len(node.args) > 1:
        text = tr.format_args(node.args[1:], node)
    else:
        text = '""'
    if newline:
        text = text[:-1] + '\\n"'
    if is_place(tr, target):
        loc = locate(tr, target)
        conts = containers(tr, loc, len(loc.steps))
        f, _ = conts[-1]
        r = tr.tmp()
        tr.emit(f"{r} = _fwrite({f}, {text})", node)
        tr.emit(f"if {r} is not None:", node)
        tr.out.depth += 1
        store(tr, loc, conts, r, "str", node)
        tr.out.depth -= 1
    else:
        f, k = tr.expr(target)
        f = tr.simple(f, k, target)
        tr.emit(f"_fwrite({f}, {text})", node)
    return tr.value_line("V_Result_S_Ok(None)", "any", node)


@lru_cache(maxsize=None)
def _method_arity(name: str) -> Optional[tuple[int, int]]:
    """(min, max) arguments after the receiver, or None if not a built-in method."""
    f = M.METHODS.get(name)
    if f is None:
        return None
    return method_arity(f)


def method_call(tr: "FunctionTranslator", node: A.MethodCall) -> Value:
    name = node.method
    from .collections import before_method  # m.get_mut(&k).unwrap(): a reference, no copy
    before_method(tr, node)
    if name in M.MUTATING:
        from .slices import is_slice_receiver, slice_method  # v[1..4].sort()
        if is_slice_receiver(node):
            return slice_method(tr, node)
    from .dispatch import user_method_call
    done = user_method_call(tr, node)
    if done is not None:
        return done
    from .iterators import method_call as iterator_method  # lazy chains, collect::<T>
    done = iterator_method(tr, node)
    if done is not None:
        return done
    from .strings import method_call as string_method  # s.push(c), parse::<T>, read_line
    done = string_method(tr, node)
    if done is not None:
        return done
    from .option_mut import method_call as option_mutator  # o.take(), o.replace(v)
    done = option_mutator(tr, node)
    if done is not None:
        return done
    if name in M.MUTATING:
        r, rk = place(tr, node.receiver)
        r = tr.simple(r, rk, node.receiver)
    else:
        r, rk = tr.expr(node.receiver)
    vals = tr.operands(node.args)
    if name == "unwrap_or_default" and not vals:  # the payload type's default (defaults.py)
        from .defaults import default_of
        dflt = default_of(tr, node.receiver)
        vals = [(dflt, "any")] if dflt is not None else vals
    if name == "or_default" and not vals:  # entry(k).or_default(): the value type's default
        from .collections import or_default_arg
        dflt = or_default_arg(tr, node)
        vals = [(dflt, "any")] if dflt is not None else vals
    if vals and not r.isidentifier():
        r = tr.simple(r, rk, node.receiver)
    r = tr.simple(r, rk, node.receiver)
    arity = _method_arity(name)
    if arity is None:
        args = "".join(f", {c}" for c, _ in vals)
        return tr.value_line(f"_meth({r}, {name!r}, ({args.lstrip(', ')}{',' if vals else ''}))",
                             "any", node)
    if not arity[0] <= len(vals) <= arity[1]:
        tr.emit(f"_arity({'.' + name!r}, {arity[1]}, {len(vals)})", node)
        return "None", "any"
    if name == "len" and rk == "arr":
        return f"len({r}.d)", "int"
    if name == "push" and rk == "arr" and isinstance(node.receiver, A.Name):
        v = tr.copied(vals[0][0], vals[0][1], node.args[0])
        tr.emit(f"if {r}.shared: _own({r})", node)
        tr.emit(f"{r}.d.append({v})", node)
        return "None", "unit"
    if name == "to_string" and not vals and rk in ("str", "any", None):  # a str is its text
        return tr.value_line(f"{r} if type({r}) is str else _M_to_string({r})", "str", node)
    kind = M.result_kind(name, rk or "any")
    if name in ("min", "max") and rk in ("int", "float") and vals[0][1] == rk:
        kind = rk
    args = "".join(f", {c}" for c, _ in vals)
    return tr.value_line(f"_M_{name}({r}{args})", kind, node)
