"""The item tables of a program: structs, enums, traits, functions, methods, consts.

Collected once from the AST (modules flattened under qualified names such as ``m::f``),
for every back end: tier 0 and the SSA lowering read the same :class:`ProgramInfo`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union

from ..errors import RuchySyntaxError
from ..runtime.constants import CONSTANT_MODULES, PATH_CONSTANTS
from ..runtime.stdpaths import PREFIXES as LIBRARY_PREFIXES, STD as LIBRARY
from ..syntax import ast as A


@dataclass
class StructInfo:
    """A struct: qualified name, shape (named, tuple, unit), field names in order."""

    name: str
    shape: str
    fields: list[str]
    node: Optional[A.StructDef] = None

    @property
    def short(self) -> str:
        """The name without its module path (what display forms print)."""
        return self.name.rsplit("::", 1)[-1]


@dataclass
class VariantInfo:
    """One enum variant: its enum, name, index (declaration order: Rust's derived order),
    shape (unit, tuple, named) and field names (``0``, ``1``... for tuple variants)."""

    enum: str
    name: str
    index: int
    shape: str
    fields: list[str]
    discriminant: int = 0

    @property
    def qualified(self) -> str:
        return f"{self.enum}::{self.name}"


@dataclass
class EnumInfo:
    """An enum: qualified name and its variants in declaration order."""

    name: str
    variants: list[VariantInfo]
    node: Optional[A.EnumDef] = None

    def variant(self, name: str) -> Optional[VariantInfo]:
        for v in self.variants:
            if v.name == name:
                return v
        return None

    @property
    def short(self) -> str:
        return self.name.rsplit("::", 1)[-1]


@dataclass
class FnInfo:
    """A function, associated function or method under its qualified name.

    ``owner`` is the type of an ``impl`` (what ``Self`` means in the body), ``trait``
    the trait the method implements or defaults from, ``module`` the module whose names
    the body sees, ``self_mode`` None for a function without ``self``, else
    ``value``/``ref``/``mut_ref``."""

    name: str
    node: A.FunDef
    module: str = ""
    owner: Optional[str] = None
    trait: Optional[str] = None
    self_mode: Optional[str] = None

    @property
    def method(self) -> str:
        return self.name.rsplit("::", 1)[-1]


@dataclass
class TraitInfo:
    """A trait: its required methods and its default methods (FunDefs with a body)."""

    name: str
    required: list[str]
    defaults: dict[str, A.FunDef]
    consts: dict[str, A.ConstDef] = field(default_factory=dict)
    node: Optional[A.TraitDef] = None


@dataclass
class ConstInfo:
    """A const or static (``static mut`` too), or an associated const ``T::K``."""

    name: str
    node: A.ConstDef
    module: str = ""
    owner: Optional[str] = None


Item = Union[StructInfo, EnumInfo, VariantInfo, FnInfo, TraitInfo, ConstInfo]

#: Standard-library functions that a ``use`` may import by name (tier 0 provides them:
#: interp/items.py).
STD_FUNCTIONS = frozenset({"std::cmp::max", "std::cmp::min", "std::process::exit",
                           "std::mem::swap"})
_STD_MODULES = frozenset(f.rpartition("::")[0] for f in STD_FUNCTIONS)

#: The standard library's paths of the built-in enums (``std::cmp::Ordering::Less``).
STD_TYPES = {f"{root}::{mod}::{name}": name for root in ("std", "core")
             for mod, name in (("cmp", "Ordering"), ("option", "Option"),
                               ("result", "Result"), ("cmp", "Reverse"),
                               ("collections::hash_map", "Entry"),
                               ("collections::btree_map", "Entry"))}
#: The modules those are in (``use std::collections::btree_map;`` then
#: ``btree_map::Entry::Vacant``).
_STD_TYPE_MODULES = frozenset(p.rpartition("::")[0] for p in STD_TYPES)


def std_type(path: str) -> Optional[str]:
    """``path`` with a standard-library prefix of a built-in enum replaced
    (``std::cmp::Ordering::Less`` -> ``Ordering::Less``), or None."""
    for prefix, name in STD_TYPES.items():
        if path == prefix or path.startswith(prefix + "::"):
            return name + path[len(prefix):]
    return None

#: The enums every program has (LANGUAGE.md: Option and Result are enums), variants in
#: Rust's declaration order (derived ordering: None < Some, Ok < Err, Less < Greater).
BUILTIN_ENUMS = {
    "Option": [("None", "unit", []), ("Some", "tuple", ["0"])],
    "Result": [("Ok", "tuple", ["0"]), ("Err", "tuple", ["0"])],
    "Ordering": [("Less", "unit", []), ("Equal", "unit", []), ("Greater", "unit", [])],
    "Entry": [("Occupied", "tuple", ["0"]), ("Vacant", "tuple", ["0"])],
}
#: Built-in enums outside the prelude: a program's own type of the same name replaces
#: them (``struct Entry`` is common; Rust's Entry is only seen through a ``use``).
_YIELDING = frozenset({"Entry"})


@dataclass
class ProgramInfo:
    """Everything a back end needs to know about a program's items, by qualified name.

    ``uses`` maps each module ("" for the file) to its ``use`` aliases: the name the
    module sees -> the qualified path it stands for (``use E::*`` adds every variant).
    ``globals`` are the top-level ``let``/``let mut`` names that functions may read and
    assign (LANGUAGE.md: top-level ``let mut`` read and assigned by functions)."""

    structs: dict[str, StructInfo] = field(default_factory=dict)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    traits: dict[str, TraitInfo] = field(default_factory=dict)
    functions: dict[str, FnInfo] = field(default_factory=dict)
    consts: dict[str, ConstInfo] = field(default_factory=dict)
    methods: dict[str, dict[str, FnInfo]] = field(default_factory=dict)
    impls: dict[str, set[str]] = field(default_factory=dict)  # type -> traits it implements
    uses: dict[str, dict[str, str]] = field(default_factory=dict)
    modules: set[str] = field(default_factory=lambda: {""})
    globals: dict[str, A.Node] = field(default_factory=dict)
    #: the scopes of function bodies that declare items (nested ``fn``, ``const``,
    #: ``struct``... inside a function): the function's qualified name -> the scope
    #: around it. Such a function's ``module`` is its own scope, so a name in its body
    #: finds its nested items first (paths.lookup).
    fn_scopes: dict[str, str] = field(default_factory=dict)
    #: the methods of each ``impl Trait for T``: type -> trait (its last path segment)
    #: -> method name -> FnInfo. Two traits may give a type methods of the same name
    #: (``fmt`` of Display and of Debug): ``methods`` keeps one per name, this keeps
    #: each (the second one's qualified name is ``T::Trait::m``).
    trait_methods: dict[str, dict[str, dict[str, FnInfo]]] = field(default_factory=dict)

    def trait_method(self, type_name: str, trait: str, name: str) -> Optional[FnInfo]:
        """Method ``name`` of ``impl trait for type_name`` (or of the trait's defaults)."""
        return self.trait_methods.get(type_name, {}).get(trait, {}).get(name)

    def real_module(self, scope: str) -> str:
        """The module a scope belongs to (a function body's scope is in its module)."""
        while scope in self.fn_scopes:
            scope = self.fn_scopes[scope]
        return scope

    def variant(self, qualified: str) -> Optional[VariantInfo]:
        """The variant ``Enum::Name`` (qualified enum path), if there is one."""
        enum, _, name = qualified.rpartition("::")
        info = self.enums.get(enum)
        return info.variant(name) if info else None

    def method(self, type_name: str, name: str) -> Optional[FnInfo]:
        """The method or associated function ``name`` of ``type_name`` (inherent first,
        then trait implementations and their defaults)."""
        return self.methods.get(type_name, {}).get(name)

    def types_with_method(self, name: str) -> list[tuple[str, FnInfo]]:
        """Every type that has a method ``name`` (for dispatch on the runtime type)."""
        return [(t, ms[name]) for t, ms in self.methods.items() if name in ms]

    def type_names(self) -> list[str]:
        """Every user-defined struct and enum (qualified), in a stable order."""
        return sorted(self.structs) + sorted(self.enums)


def join_path(module: str, name: str) -> str:
    """``name`` qualified by ``module`` ("" is the file itself)."""
    return f"{module}::{name}" if module else name


def self_mode(fn: A.FunDef) -> Optional[str]:
    """How a function takes ``self`` (None: it does not; an associated function)."""
    if fn.params and fn.params[0].name == "self":
        return fn.params[0].self_mode or "value"
    return None


class _Collector:
    """Walks the items of a program and its modules into a ProgramInfo."""

    def __init__(self) -> None:
        self.info = ProgramInfo()
        self.impls: list[tuple[str, A.ImplDef]] = []
        for ename, variants in BUILTIN_ENUMS.items():
            self.info.enums[ename] = EnumInfo(ename, [VariantInfo(ename, n, i, shape, list(fs))
                                                      for i, (n, shape, fs) in enumerate(variants)])
            # The prelude: Some, None, Ok and Err are in scope everywhere.
            for n, _, _ in variants if ename in ("Option", "Result") else ():
                self.info.uses.setdefault("", {})[n] = f"{ename}::{n}"

    def _define(self, table: dict, name: str, value: object, node: A.Node, what: str) -> None:
        if name in table:
            raise RuchySyntaxError(f"{what} '{name}' is defined twice", node.span)
        table[name] = value

    def items(self, items: list[A.Node], module: str) -> None:
        info = self.info
        self._items(items, module)
        if module:
            return
        # Items in the blocks of top-level statements (a `fn` declared in the body of a
        # closure passed at the top level, as Rust allows an item in any block): hoisted
        # into the file's scope, as a function body's items are into the function's
        # (`_nested`). A name the file already defines keeps the file's meaning, and a
        # name declared in two such blocks is hoisted from neither (one file-wide scope
        # cannot tell them apart).
        taken = (info.functions, info.consts, info.structs, info.enums, info.traits)
        found = [it for stmt in items if not isinstance(stmt, ITEM_NODES)
                 for it in _block_items(stmt)
                 if not any(getattr(it, "name", None) in t for t in taken)]
        names = [getattr(it, "name", None) for it in found]
        found = [it for it, n in zip(found, names) if n is None or names.count(n) == 1]
        if found:
            self._items(found, "")

    def _items(self, items: list[A.Node], module: str) -> None:
        info = self.info
        for item in items:
            if isinstance(item, A.FunDef):
                q = join_path(module, item.name)
                if q in info.functions and module in info.fn_scopes:
                    q = self._fresh(q)  # the same name in two blocks of one function
                fn = FnInfo(q, item, module)
                self._define(info.functions, q, fn, item, "function")
                self._nested(fn)
            elif isinstance(item, A.StructDef):
                q = join_path(module, item.name)
                self._shadow(q)
                if q in info.enums:
                    raise RuchySyntaxError(f"type '{q}' is defined twice", item.span)
                self._define(info.structs, q, StructInfo(q, item.shape,
                                                         [f.name for f in item.fields], item),
                             item, "struct")
            elif isinstance(item, A.EnumDef):
                q = join_path(module, item.name)
                self._shadow(q)
                if q in info.structs or (q in info.enums and q not in BUILTIN_ENUMS):
                    raise RuchySyntaxError(f"type '{q}' is defined twice", item.span)
                info.enums[q] = self._enum(q, item)
            elif isinstance(item, A.TraitDef):
                q = join_path(module, item.name)
                self._define(info.traits, q, self._trait(q, item), item, "trait")
            elif isinstance(item, A.ImplDef):
                self.impls.append((module, item))
            elif isinstance(item, A.ConstDef):
                q = join_path(module, item.name)
                if q in info.consts and module in info.fn_scopes:
                    q = self._fresh(q)
                self._define(info.consts, q, ConstInfo(q, item, module), item, "const")
            elif isinstance(item, A.ModDef):
                q = join_path(module, item.name)
                info.modules.add(q)
                self.items(item.items, q)
            elif isinstance(item, A.UseDecl):
                self._use(module, item)
            elif isinstance(item, A.Let) and not module:
                info.globals[item.name] = item

    def _shadow(self, q: str) -> None:
        """A program's type ``q`` replaces a built-in enum outside the prelude."""
        if q in _YIELDING and q in self.info.enums and self.info.enums[q].node is None:
            del self.info.enums[q]

    def _fresh(self, q: str) -> str:
        n = 1
        while f"{q}__{n}" in self.info.functions or f"{q}__{n}" in self.info.consts:
            n += 1
        return f"{q}__{n}"

    def _nested(self, fn: FnInfo) -> None:
        """The items declared inside ``fn``'s body (``fn``, ``const``, ``struct``...,
        at any block depth): collected under ``fn``'s qualified name as a scope, which
        becomes ``fn.module`` (Rust: an item in a block is visible in the whole block;
        here in the whole function, which differs only for two items of the same name
        in different blocks of one function)."""
        if fn.node.body is None:
            return
        found = list(_block_items(fn.node.body))
        if not found:
            return
        self.info.fn_scopes[fn.name] = fn.module
        fn.module = fn.name
        self.items(found, fn.name)

    def _enum(self, q: str, node: A.EnumDef) -> EnumInfo:
        variants, seen, disc = [], set(), 0
        for i, v in enumerate(node.variants):
            if v.name in seen:
                raise RuchySyntaxError(f"variant '{q}::{v.name}' is defined twice", v.span)
            seen.add(v.name)
            disc = v.discriminant if v.discriminant is not None else disc
            variants.append(VariantInfo(q, v.name, i, v.shape, [f.name for f in v.fields], disc))
            disc += 1
        return EnumInfo(q, variants, node)

    def _trait(self, q: str, node: A.TraitDef) -> TraitInfo:
        required, defaults, consts = [], {}, {}
        for it in node.items:
            if isinstance(it, A.FunDef):
                if it.body is None:
                    required.append(it.name)
                else:
                    defaults[it.name] = it
            elif isinstance(it, A.ConstDef):
                consts[it.name] = it
        return TraitInfo(q, required, defaults, consts, node)

    def _use(self, module: str, node: A.UseDecl) -> None:
        # Standard-library paths are accepted (LANGUAGE.md); those that name a constant
        # (`use std::f64::consts::PI;`), a module of constants (`use std::f64::consts;`)
        # or a function tier 0 provides (`use std::cmp::max;`) become aliases.
        if node.path and node.path[0] in ("std", "core", "alloc"):
            target = "::".join(p for p in node.path if p != "self")
            builtin = std_type(target)
            if builtin is not None:  # `use std::cmp::Ordering;`, `...::Ordering::*`
                self._use(module, A.UseDecl(builtin.split("::"), node.alias, node.glob,
                                            span=node.span))
                return
            name = node.alias or (node.path[-1] if node.path[-1] != "self" else node.path[-2])
            if not node.glob and (target in PATH_CONSTANTS or target in CONSTANT_MODULES
                                  or target in STD_FUNCTIONS or target in _STD_MODULES
                                  or target in _STD_TYPE_MODULES
                                  or target in LIBRARY or target in LIBRARY_PREFIXES):
                self.info.uses.setdefault(module, {})[name] = target
            elif node.glob and target in CONSTANT_MODULES:
                for k in PATH_CONSTANTS:
                    if k.rpartition("::")[0] == target:
                        self.info.uses.setdefault(module, {})[k.rpartition("::")[2]] = k
            return
        path = [p for p in node.path if p not in ("crate", "self")]
        aliases = self.info.uses.setdefault(module, {})
        target = "::".join(path)
        if node.glob:
            aliases[f"*{len(aliases)}"] = target  # expanded once every item is known
        elif path:
            aliases[node.alias or path[-1]] = target

    def finish(self) -> ProgramInfo:
        info = self.info
        if "Reverse" not in info.structs and "Reverse" not in info.enums:
            # std::cmp::Reverse: a tuple struct of the runtime's (runtime/heap.py)
            info.structs["Reverse"] = StructInfo("Reverse", "tuple", ["0"])
        for module, impl in self.impls:
            self._impl(module, impl)
        for module, aliases in info.uses.items():
            for key, target in list(aliases.items()):
                if key.startswith("*"):
                    del aliases[key]
                    self._glob(module, target, aliases)
        return info

    def _type_path(self, module: str, name: str) -> str:
        """The qualified name of a type named in module ``module``."""
        for cand in (join_path(module, name), name):
            if cand in self.info.structs or cand in self.info.enums:
                return cand
        return join_path(module, name)

    def _impl(self, module: str, impl: A.ImplDef) -> None:
        info = self.info
        owner = self._type_path(module, impl.type_name)
        trait = None
        if impl.trait is not None:
            trait = impl.trait if impl.trait in info.traits else join_path(module, impl.trait)
            info.impls.setdefault(owner, set()).add(impl.trait.rsplit("::", 1)[-1])
        table = info.methods.setdefault(owner, {})
        short = impl.trait.rsplit("::", 1)[-1] if impl.trait is not None else ""
        per_trait = info.trait_methods.setdefault(owner, {}).setdefault(short, {}) \
            if trait else {}
        defined = set()
        for it in impl.items:
            if isinstance(it, A.FunDef):
                q = f"{owner}::{it.name}"
                if it.name in defined:
                    raise RuchySyntaxError(f"method '{q}' is defined twice", it.span)
                defined.add(it.name)
                if trait and q in info.functions and info.functions[q].trait not in (None,
                                                                                     trait):
                    q = f"{owner}::{short}::{it.name}"  # (fmt of Display and of Debug)
                fn = FnInfo(q, it, module, owner, trait, self_mode(it))
                self._nested(fn)
                per_trait[it.name] = fn
                # An inherent method wins over a trait's (Rust's method resolution order).
                if trait is None or it.name not in table or table[it.name].trait is not None:
                    table[it.name] = fn
                info.functions.setdefault(q, fn) if trait else info.functions.__setitem__(q, fn)
            elif isinstance(it, A.ConstDef):
                q = f"{owner}::{it.name}"
                info.consts[q] = ConstInfo(q, it, module, owner)
        tinfo = info.traits.get(trait) if trait else None
        if tinfo is not None:
            for name, default in tinfo.defaults.items():
                if name not in defined:
                    q = f"{owner}::{name}"
                    if q in info.functions and info.functions[q].trait not in (None, trait):
                        q = f"{owner}::{short}::{name}"
                    fn = FnInfo(q, default, module, owner, trait, self_mode(default))
                    self._nested(fn)
                    per_trait[name] = fn
                    table.setdefault(name, fn)
                    info.functions.setdefault(q, fn)
            for name, c in tinfo.consts.items():
                info.consts.setdefault(f"{owner}::{name}", ConstInfo(f"{owner}::{name}", c,
                                                                     module, owner))

    def _glob(self, module: str, target: str, aliases: dict[str, str]) -> None:
        info = self.info
        for cand in (join_path(module, target), target):
            if cand in info.enums:
                for v in info.enums[cand].variants:
                    aliases.setdefault(v.name, v.qualified)
                return
            if cand in info.modules:
                prefix = cand + "::"
                for table in (info.functions, info.structs, info.enums, info.consts):
                    for q in table:
                        rest = q[len(prefix):]
                        if q.startswith(prefix) and "::" not in rest:
                            aliases.setdefault(rest, q)
                return


#: Statements that are items: a function body may declare them (hoisted: they do not
#: run where they stand).
ITEM_NODES = (A.FunDef, A.ConstDef, A.StructDef, A.EnumDef, A.ImplDef, A.TraitDef,
              A.UseDecl, A.ModDef)


def _block_items(node: A.Node):
    """The item statements of a function body, at any depth, not inside other items."""
    for child in A.children(node):
        if isinstance(child, ITEM_NODES):
            yield child
        else:
            yield from _block_items(child)


def collect(prog: A.Program) -> ProgramInfo:
    """The item tables of ``prog`` (errors for items defined twice)."""
    c = _Collector()
    c.items(prog.items, "")
    return c.finish()
