"""What a name or path means: ``f``, ``m::f``, ``P::new``, ``Self::K``, ``E::A``, ``A``
after ``use E::*``, ``None``.

Lookup is lenient where Rust would ask for ``super::`` or ``crate::``: a path is tried
relative to the module it is written in, then to each enclosing module up to the file.
"""
from __future__ import annotations

from typing import Optional

from .items import Item, ProgramInfo, join_path, std_type


def _enclosing(module: str, info: Optional[ProgramInfo] = None) -> list[str]:
    """``a::b`` -> ["a::b", "a", ""]: where a name written in ``module`` is looked for.
    A function body that declares items is a scope of its own (``m::f`` in
    ``info.fn_scopes``): its items first, then the scope around the function (not the
    type of an ``impl``: a method ``P::new`` does not see ``P``'s methods by bare name)."""
    out = []
    while info is not None and module in info.fn_scopes:
        out.append(module)
        module = info.fn_scopes[module]
    out.append(module)
    while module:
        module = module.rpartition("::")[0]
        out.append(module)
    return out


def _find(info: ProgramInfo, q: str) -> Optional[Item]:
    for table in (info.functions, info.structs, info.consts, info.enums, info.traits):
        hit = table.get(q)
        if hit is not None:
            return hit
    return info.variant(q)


def expand(info: ProgramInfo, path: str, module: str = "",
           self_type: Optional[str] = None) -> list[str]:
    """The qualified paths ``path`` (written in ``module``, inside an impl of
    ``self_type``) may stand for, most specific first."""
    segs = path.split("::")
    base = module
    if segs[0] in ("crate", "self", "super"):
        base = info.real_module(module)  # `super` of a function body: of its module
    while segs and segs[0] in ("crate", "self", "super"):
        head = segs.pop(0)
        base = "" if head == "crate" else base.rpartition("::")[0] if head == "super" else base
    if not segs:
        return []
    if segs[0] == "Self" and self_type:
        segs[0] = self_type
        return ["::".join(segs)]
    out = []
    for mod in _enclosing(base, info):
        alias = info.uses.get(mod, {}).get(segs[0])
        if alias is not None:
            out.append("::".join([alias] + segs[1:]))
        out.append(join_path(mod, "::".join(segs)))
    if segs[0] in ("std", "core") or any(c.startswith(("std::", "core::")) for c in out):
        # std::cmp::Ordering::Less, cmp::Ordering after `use std::cmp;`
        out += [b for b in map(std_type, out) if b is not None]
    return out


def lookup(info: ProgramInfo, path: str, module: str = "",
           self_type: Optional[str] = None) -> Optional[Item]:
    """The item ``path`` names (a FnInfo, StructInfo, EnumInfo, VariantInfo, ConstInfo or
    TraitInfo), or None if the program defines nothing by that name."""
    for q in expand(info, path, module, self_type):
        hit = _find(info, q)
        if hit is not None:
            return hit
    return None


def library_function(owner: str, name: str, item: object) -> Optional[tuple[str, str]]:
    """What the library path ``owner::name`` means as a function value, where it names
    no item of the program (``item``: what :func:`lookup` found), for tier 0 and the
    IR alike: ``("method", name)``, a type's built-in method used as a function, the
    receiver first (``f64::max``, ``i64::abs``: runtime/methods.METHODS), or
    ``("new", T)``, a constructor of an empty collection (``Vec::new``,
    ``HashMap::default``, ``String::new``); None if it is neither."""
    if item is not None:
        return None
    from ..runtime.methods import METHODS
    if name in METHODS:
        return "method", name
    from ..runtime.collections import BY_NAME
    head = owner.rsplit("::", 1)[-1]
    if name in ("new", "default") and (head in BY_NAME or head in ("Vec", "String")):
        return "new", head
    return None
