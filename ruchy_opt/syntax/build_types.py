"""Builder callbacks for type annotations (hints only: TypeRef kind, text and args).

Imported only when a parser is built (it imports lark)."""
from __future__ import annotations

from typing import Any, Optional

from lark import Token

from . import ast as A

_TYPE_KINDS = {
    **{t: "int" for t in ("i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64",
                          "u128", "usize", "isize", "int")},
    "f32": "float", "f64": "float", "float": "float", "bool": "bool",
    "String": "string", "str": "string", "string": "string", "Vec": "array", "char": "char",
}


def _types(ch: tuple) -> list[A.TypeRef]:
    return [c for c in ch if isinstance(c, A.TypeRef)]


def _split_ret(ch: tuple) -> tuple[list[A.TypeRef], Optional[A.TypeRef]]:
    """The parameter types of a `(A, B) -> R` form and its return type (after ARROW)."""
    params: list[A.TypeRef] = []
    for i, c in enumerate(ch):
        if type(c) is Token and c.type == "ARROW":
            return params, ch[i + 1]
        if isinstance(c, A.TypeRef):
            params.append(c)
    return params, None


def _fn_text(head: str, params: list[A.TypeRef], ret: Optional[A.TypeRef]) -> str:
    text = f"{head}({', '.join(p.text for p in params)})"
    return text + (f" -> {ret.text}" if ret is not None else "")


class TypeRules:
    """One callback per type rule of ruchy.lark (see builder.py for the protocol)."""

    def ref_type(self, meta, *ch):
        inner = ch[-1]
        mut = any(type(c) is Token and c.type == "MUT" for c in ch)
        return A.TypeRef("ref", ("&mut " if mut else "&") + inner.text, inner, mut, span=meta)

    def ptr_type(self, meta, *ch):  # `*const T`, `*mut T`: a hint like any other
        inner = ch[-1]
        mut = any(type(c) is Token and c.type == "MUT" for c in ch)
        return A.TypeRef("other", ("*mut " if mut else "*const ") + inner.text, inner, mut,
                         span=meta)

    def ref_ref_type(self, meta, *ch):
        inner = TypeRules.ref_type(self, meta, *ch)
        return A.TypeRef("ref", "&" + inner.text, inner, span=meta)

    def type_path(self, ch):  # raw: NAME ("::" NAME)*, as one NAME token
        if len(ch) == 1:
            return ch[0]
        names = [c for c in ch if c.type == "NAME"]
        first, last = names[0], names[-1]
        return Token("NAME", "::".join(names), first.start_pos, first.line, first.column,
                     last.end_line, last.end_column, last.end_pos)
    type_path.raw = True

    def named_type(self, meta, *ch):
        name = str(ch[0])
        args = _types(next((c for c in ch[1:] if type(c) is list), ()))
        text = name + (f"<{', '.join(a.text for a in args)}>" if args else "")
        return A.TypeRef(_TYPE_KINDS.get(name, "other"), text, args[0] if args else None,
                         args=args, span=meta)

    def generic_args(self, meta, *ch):
        # The types, then the closing `>` (so that the enclosing span reaches it).
        return _types(ch) + [ch[-1]]

    def assoc_arg(self, meta, name, *ch):  # NAME "=" type (the `=` token is kept)
        ty = ch[-1]
        return A.TypeRef(ty.kind, f"{name} = {ty.text}", ty.inner, args=ty.args, span=meta)

    def fn_trait_type(self, meta, name, *ch):
        params, ret = _split_ret(ch)
        return A.TypeRef("fn", _fn_text(str(name), params, ret), ret, args=params, span=meta)

    def fn_type(self, meta, *ch):
        params, ret = _split_ret(ch)
        return A.TypeRef("fn", _fn_text("fn", params, ret), ret, args=params, span=meta)

    def trait_type(self, meta, kw, bounds):
        first = bounds[0] if bounds else None
        text = f"{kw} " + " + ".join(b.text for b in bounds)
        kind = "fn" if first is not None and first.kind == "fn" else "other"
        return A.TypeRef(kind, text, first, args=bounds, span=meta)

    def bounds(self, meta, *ch):
        return _types(ch)

    def array_type(self, meta, *ch):
        inner = ch[0]
        if len(ch) > 1:
            n = ch[1]
            count = n.value if isinstance(n, A.IntLit) else getattr(n, "id", "_")
            text = f"[{inner.text}; {count}]"
        else:
            text = f"[{inner.text}]"
        return A.TypeRef("array", text, inner, span=meta)

    def unit_type(self, meta, *ch):
        return A.TypeRef("unit", "()", span=meta)

    def paren_type(self, meta, inner):
        return inner

    def tuple_type(self, meta, *ch):
        elems = _types(ch)
        inside = ", ".join(e.text for e in elems) + ("," if len(elems) == 1 else "")
        return A.TypeRef("tuple", f"({inside})", args=elems, span=meta)

    def ret_type(self, meta, *ch):
        return ch[-1]
