"""Builder callbacks for items (functions and their parameters, consts, structs, enums,
impls, traits, modules, `use`) and the parts that are accepted and dropped (generic
parameters, `where` clauses, visibility, type aliases).

Imported only when a parser is built (it imports lark)."""
from __future__ import annotations

from typing import Optional

from lark import Token

from ..errors import RuchySyntaxError
from . import ast as A
from .builder import tok_span


def _name(ch: tuple) -> Token:
    """The item's own name: the first NAME token among its direct children."""
    return next(c for c in ch if type(c) is Token and (c.type == "NAME" or c.type == "TYPE"))


def _has(ch: tuple, type_: str) -> bool:
    return any(type(c) is Token and c.type == type_ for c in ch)


def _name_span(pat: A.Pattern) -> A.Span:
    """The span of a binding pattern's name (its last characters: `mut x`, `ref x`)."""
    sp = pat.span
    return A.Span(sp.end_line, sp.end_col - len(pat.value), sp.end_line, sp.end_col)


def make_param(pat: A.Node, ty: Optional[A.TypeRef]) -> A.Param:
    """A parameter (of a function or closure) from its pattern and type. A plain name
    is a named parameter; ``self``, ``mut self``, ``&self``, ``&mut self`` have their
    ``self_mode``; any other pattern is a destructuring parameter (named by
    :func:`name_params`)."""
    if type(pat) is A.Pattern and pat.kind == "bind" and pat.sub is None and not pat.by_ref:
        mode = None
        if pat.value == "self":
            mode = "value"
            if ty is not None and ty.kind == "ref":
                mode = "mut_ref" if ty.mutable else "ref"
        return A.Param(pat.value, pat.mutable, ty, mode, span=_name_span(pat))
    if type(pat) is A.RefPat and type(pat.pat) is A.Pattern and pat.pat.value == "self" \
            and pat.pat.kind == "bind":
        mode = "mut_ref" if pat.pat.mutable else "ref"
        return A.Param("self", False, ty, mode, span=_name_span(pat.pat))
    if type(pat) is A.Pattern and pat.kind == "wild":
        return A.Param("_", False, ty, span=pat.span)
    return A.Param("", False, ty, pattern=pat, span=pat.span)


def name_params(params: list[A.Param]) -> list[A.Param]:
    """Give each destructuring parameter a fresh name: ``_p0``, ``_p1``..."""
    n = 0
    for p in params:
        if p.pattern is not None:
            p.name = f"_p{n}"
            n += 1
    return params


def _tuple_fields(ch: tuple) -> list[A.FieldDef]:
    return [A.FieldDef(str(i), t, span=t.span)
            for i, t in enumerate(c for c in ch if isinstance(c, A.TypeRef))]


def _items(ch: tuple, what: str) -> list[A.Node]:
    items = [c for c in ch if isinstance(c, A.Node) and not isinstance(c, A.TypeRef)]
    for it in items:
        if not isinstance(it, (A.FunDef, A.ConstDef)):
            raise RuchySyntaxError(f"only functions and consts can be defined in {what}",
                                   it.span)
    return items


class ItemRules:
    """One callback per item rule of ruchy.lark (see builder.py for the protocol)."""

    def fun_def(self, meta, *ch):
        name = _name(ch)
        params = next(c for c in ch if type(c) is list)
        ret = next((c for c in ch if isinstance(c, A.TypeRef)), None)
        body = ch[-1] if isinstance(ch[-1], A.Block) else None
        if len(ch) > 2 and not isinstance(ch[-2], (A.Node, list, Token)):
            # Ruchy's `requires`/`ensures` clauses before the body (build_dialect.py)
            from .build_dialect import Contract, with_contracts
            body = with_contracts(body, [c for c in ch if isinstance(c, Contract)])
        return A.FunDef(str(name), params, ret, body, span=tok_span(name))

    def params(self, meta, *ch):
        return name_params([c for c in ch if isinstance(c, A.Param)])

    def param(self, meta, pat, *rest):
        ty = next((c for c in rest if isinstance(c, A.TypeRef)), None)
        p = make_param(pat, ty)
        if rest and not isinstance(rest[-1], A.TypeRef):  # Ruchy's `y: i64 = 5`
            p.default = rest[-1]
        return p

    def closure_param(self, meta, pat, ty=None):
        return make_param(pat, ty)

    def vis(self, meta, *ch):
        return None

    def generics(self, meta, *ch):
        return None

    generic_param = where_clause = where_pred = type_alias = generics

    def const_def(self, meta, *ch):
        name = _name(ch)
        ty = next((c for c in ch if isinstance(c, A.TypeRef)), None)
        value = next((c for c in ch if isinstance(c, A.Node) and not isinstance(c, A.TypeRef)),
                     None)
        static = _has(ch, "STATIC")
        return A.ConstDef(str(name), ty, value, static, static and _has(ch, "MUT"), span=meta)

    def struct_named(self, meta, *ch):
        name = _name(ch)
        fields = [c for c in ch if isinstance(c, A.FieldDef)]
        struct = A.StructDef(str(name), "named", fields, span=tok_span(name))
        methods = [c for c in ch if isinstance(c, A.FunDef)]
        if methods:  # Ruchy's methods in the struct's body: an `impl` of them
            return [struct, A.ImplDef(str(name), None, methods, span=meta)]
        return struct

    def struct_tuple(self, meta, *ch):
        name = _name(ch)
        return A.StructDef(str(name), "tuple", _tuple_fields(ch), span=tok_span(name))

    def struct_unit(self, meta, *ch):
        name = _name(ch)
        return A.StructDef(str(name), "unit", [], span=tok_span(name))

    def field_def(self, meta, *ch):
        name = _name(ch)
        ty = next(c for c in ch if isinstance(c, A.TypeRef))
        default = ch[-1] if ch[-1] is not ty else None  # Ruchy's `port: i32 = 8080`
        return A.FieldDef(str(name), ty, default, span=tok_span(name))

    def tuple_field(self, meta, *ch):
        return ch[-1]

    def enum_def(self, meta, *ch):
        name = _name(ch)
        return A.EnumDef(str(name), [c for c in ch if isinstance(c, A.VariantDef)],
                         span=tok_span(name))

    def variant_unit(self, meta, name, *ch):
        disc = None
        value = ch[-1] if ch else None  # `A = 3` (the `=` token is kept)
        if value is not None:
            if not isinstance(value, A.IntLit):
                raise RuchySyntaxError("an enum discriminant must be an integer literal",
                                       value.span)
            disc = value.value
        return A.VariantDef(str(name), "unit", [], disc, span=tok_span(name))

    def variant_tuple(self, meta, name, *ch):
        return A.VariantDef(str(name), "tuple", _tuple_fields(ch), span=tok_span(name))

    def variant_named(self, meta, name, *ch):
        return A.VariantDef(str(name), "named", [c for c in ch if isinstance(c, A.FieldDef)],
                            span=tok_span(name))

    def impl_def(self, meta, *ch):
        types = [c for c in ch if isinstance(c, A.TypeRef)]
        trait = types[0].text.split("<")[0] if len(types) == 2 else None
        type_name = types[-1].text.split("<")[0]
        return A.ImplDef(type_name, trait, _items(ch, "an impl"), span=meta)

    def trait_def(self, meta, *ch):
        name = _name(ch)
        return A.TraitDef(str(name), _items(ch, "a trait"), span=tok_span(name))

    def mod_def(self, meta, *ch):
        name = _name(ch)
        items = flatten([c for c in ch if isinstance(c, (A.Node, list))])
        return A.ModDef(str(name), items, span=tok_span(name))

    # `use`: each tree is a list of (path, alias, glob); use_decl makes the nodes
    def use_decl(self, meta, *ch):
        tree = next(c for c in ch if type(c) is list)
        return [A.UseDecl(path, alias, glob, span=meta) for path, alias, glob in tree]

    def use_path(self, meta, *ch):
        head = ch[0] if type(ch[0]) is list else [str(ch[0])]
        return head + [str(c) for c in ch[1:] if type(c) is Token and c.type == "NAME"]

    def use_one(self, meta, path, *ch):
        alias = str(ch[-1]) if ch else None
        if path[-1] == "self":  # `use a::b::{self}` imports `b`
            path = path[:-1]
        return [(path, alias, False)]

    def use_glob(self, meta, *ch):
        path = ch[0] if type(ch[0]) is list else []
        return [(path, None, True)]

    def use_group(self, meta, *ch):
        prefix = ch[0] if ch and type(ch[0]) is list and ch[0] and type(ch[0][0]) is str else []
        out = []
        for tree in ch[1:] if prefix else ch:
            if type(tree) is list:
                for path, alias, glob in tree:
                    full = prefix + path if path else prefix
                    out.append((full, alias, glob))
        return out


def flatten(items: list) -> list[A.Node]:
    """Statements and items with each `use` group's list of UseDecls spliced in."""
    out: list[A.Node] = []
    for it in items:
        if type(it) is list:
            out.extend(it)
        else:
            out.append(it)
    return out
