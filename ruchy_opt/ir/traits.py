"""Traits in the IR: method tables, the trait impls the runtime calls, and the
``call_method`` op that dispatches on a receiver's runtime type.

A Ruchy method call whose receiver's type is not known (a ``&dyn Shape``, an element
of a ``Vec<Box<dyn Shape>>``, a parameter of a generic function) is tier 0's table
call: the receiver's class chooses the function (interp/dispatch.py ``_MT_<name>``),
else a built-in method of that name runs, else it fails with ``no method 'm' on type
T``. The IR states the tables in the module and calls through them::

    struct !Circle { r }
    impl !Circle { area = @Circle::area, describe = @Circle::describe }
    impl Display for !Point { fmt = @Point::fmt }

    %a = call_method "area", "&self", %s          ; s.area(), whatever s is

- ``impl !T { m = @f, ... }`` is **T's method table**: what a ``call_method "m"`` on
  a value of type T calls, the method the resolution layer chose for T (an inherent
  method first, then a trait's own or default method: resolve/items.py). Only the
  methods some ``call_method`` may dispatch to are listed.
- ``impl Trait for !T { m = @f, ... }`` declares an impl of a trait **the runtime
  calls** (:data:`RUNTIME_TRAITS`): ``Display`` (``{}``, ``to_string``), ``Debug``
  (``{:?}``), ``Ord``/``PartialOrd`` (``<``, sorting), the operator traits (``+``...).
  The IR interpreter installs them on the runtime's class of T (:func:`install`), as
  tier 0's module tail does, so every ``format`` that meets a T, even one nested in a
  ``Vec``, prints it through ``@f``.

The functions named in either are uses (passes/inline keeps them; typespec proves
nothing about their parameters: passmgr/analyses/callgraph.py), as a ``closure @f`` is.

``call_method NAME, MODE, %recv, %args...`` takes the receiver mode the methods of
that name share (lowering refuses a name whose methods take ``self`` differently):
``"&self"``; ``"self"``, whose receiver is copied for a user method (a by-value
``self``, tier 0's table does the same); ``"&mut self"``, whose methods return the
tuple of their result and the final receiver (lower/methods.py's in-out convention),
so the op returns that tuple for a built-in method too (the receiver an array changed
in place). It calls a function, so it has effects and may fail; passes treat it as a
call of an unknown function. ``devirt`` turns it into a ``call`` when the receiver's
type is known (a ``make``/``variant`` in view, or a value of a named type).

``fmt_write %target, %text`` is ``write!``'s append (to a ``Formatter``, a ``String``
or a file); its result is the target's new value, which lowering stores back into the
place ``write!`` named.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from ..errors import RuchyRuntimeError
from .opdef import MAY_FAIL, SIDE_EFFECTS, OpDef, Sym, register_op
from .types import NamedType

if TYPE_CHECKING:
    from .core import Module

#: The receiver modes of ``call_method``.
MODES = ("&self", "self", "&mut self")

#: Traits whose methods the runtime calls, by trait: method -> (the runtime class
#: attribute it becomes, its number of parameters). interp/dispatch.py's tables.
RUNTIME_TRAITS: dict[str, dict[str, tuple[str, int]]] = {
    "Display": {"fmt": ("_display", 2)},
    "Debug": {"fmt": ("_debug", 2)},
    "Ord": {"cmp": ("_ucmp", 2)},
    "PartialOrd": {"partial_cmp": ("_ucmp", 2)},
    **{t: {m: (f"_op_{m}", 1 if m == "neg" else 2)}
       for t, m in (("Add", "add"), ("Sub", "sub"), ("Mul", "mul"), ("Div", "div"),
                    ("Rem", "rem"), ("Neg", "neg"))},
}


class ImplDecl:
    """``impl !T { m = @f, ... }`` (``trait`` None: T's method table) or ``impl Trait
    for !T { m = @f, ... }`` (an impl the runtime calls). ``methods`` keeps its order."""

    def __init__(self, type_name: str, trait: Optional[str] = None,
                 methods: Optional[dict[str, Sym]] = None) -> None:
        self.type_name = type_name
        self.trait = trait
        self.methods: dict[str, Sym] = dict(methods or {})

    @property
    def key(self) -> tuple[str, str]:
        """Where the module keeps it: (type, trait or "")."""
        return self.type_name, self.trait or ""

    def format(self) -> str:
        head = f"impl {self.trait} for !{self.type_name}" if self.trait \
            else f"impl !{self.type_name}"
        inner = ", ".join(f"{m} = @{f}" for m, f in self.methods.items())
        return f"{head} {{ {inner} }}" if inner else f"{head} {{}}"

    @classmethod
    def parse(cls, parser: Any) -> "ImplDecl":
        """The rest of the declaration after ``impl``."""
        trait = None
        if parser.tok.kind != "TYPEREF":
            trait = parser.expect("WORD", what="a trait name or a type like !Point").text
            parser.expect("WORD", "for", "'for'")
        t = parser.expect("TYPEREF", what="a type name like !Point")
        decl = cls(t.text[1:], trait)
        parser.expect("PUNCT", "{", "'{'")
        if parser.accept("PUNCT", "}"):
            return decl
        while True:
            m = parser.expect("WORD", what="a method name")
            if m.text in decl.methods:
                raise parser.error(f"method '{m.text}' is listed twice", m)
            parser.expect("PUNCT", "=", "'='")
            f = parser.expect("SYM", what="a function like @T::m")
            decl.methods[m.text] = Sym(f.text[1:])
            if parser.accept("PUNCT", "}"):
                return decl
            parser.expect("PUNCT", ",", "',' or '}'")

    def verify(self, module: "Module") -> Optional[str]:
        why = NamedType(self.type_name).verify(module)
        if why:
            return why
        known = RUNTIME_TRAITS.get(self.trait or "", {})
        for m, f in self.methods.items():
            fn = module.functions.get(str(f))
            if fn is None:
                return f"method '{m}' is the unknown function @{f}"
            if m in known and len(fn.params) != known[m][1]:
                return f"{self.trait}'s '{m}' takes {known[m][1]} arguments, " \
                       f"@{f} takes {len(fn.params)}"
        return None


def referenced(m: "Module") -> set[str]:
    """Every function an impl declaration names."""
    return {str(f) for d in getattr(m, "impls", {}).values() for f in d.methods.values()}


def targets(m: "Module", name: str) -> dict[str, Sym]:
    """What ``call_method "name"`` calls on each type that has such a method."""
    out: dict[str, Sym] = {}
    for d in getattr(m, "impls", {}).values():
        if d.trait is None and name in d.methods:
            out[d.type_name] = d.methods[name]
    return out


def target_for(m: "Module", type_name: str, name: str) -> Optional[Sym]:
    """The function ``call_method "name"`` calls on a value of ``type_name``."""
    d = getattr(m, "impls", {}).get((type_name, ""))
    return d.methods.get(name) if d is not None else None


def _classes(env: Any, type_name: str) -> list[type]:
    """The runtime classes of the values of the module's type ``type_name`` (every
    variant's class, a unit variant's too, for an enum)."""
    decl = env.type_decl(type_name)
    if decl.variants() is None:
        return [decl.runtime_class()]
    base, per = decl.classes()
    return [base] + [v if isinstance(v, type) else type(v) for v in per.values()]


def dispatch_table(env: Any, name: str) -> dict[type, str]:
    """Runtime class -> function name, for ``call_method "name"`` (made once per
    method name and interpreter)."""
    cache = env.__dict__.setdefault("method_tables", {})
    table = cache.get(name)
    if table is None:
        table = cache[name] = {}
        for t, f in targets(env.module, name).items():
            for cls in _classes(env, t):
                table[cls] = str(f)
    return table


def fallback(name: str, mode: str) -> Callable[..., Any]:
    """What ``call_method`` does on a receiver whose type has no such method: the
    built-in method of that name, else tier 0's ``no method`` error."""
    from ..runtime.methods import METHODS
    from ..runtime.ops import no_method
    from .ops_effects import Method
    if name in METHODS:
        run = Method.bind((name,), None)
    else:
        def run(recv: Any, *args: Any) -> Any:
            return no_method(recv, name)
    if mode != "&mut self":
        return run
    return lambda recv, *args: (run(recv, *args), recv)


@register_op
class CallMethod(OpDef):
    """``call_method "area", "&self", %s, %args...``: call the method ``area`` of
    ``%s``'s runtime type (the module's ``impl !T`` tables), else a built-in method of
    that name, else fail as tier 0 (``no method 'area' on type A``). The IR
    interpreter runs it as a call (irinterp/machine.py)."""

    name = "call_method"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    imms = ("str", "str")
    operands = (1, None)

    @classmethod
    def verify(cls, instr: Any) -> Optional[str]:
        name, mode = instr.imms
        if mode not in MODES:
            return f"receiver mode {mode!r} is not one of {', '.join(map(repr, MODES))}"
        module = getattr(instr.block.func, "module", None) if instr.block else None
        if module is None:
            return None
        for t, f in targets(module, name).items():
            fn = module.functions.get(str(f))
            if fn is not None and len(fn.params) != len(instr.operands):
                return (f"call_method passes {len(instr.operands)} arguments but "
                        f"@{f} (method '{name}' of !{t}) takes {len(fn.params)}")
        return None


def _fmt_write(f: Any, text: Any) -> Any:
    from ..interp.data import formatter_write
    r = formatter_write(f, text)
    return f if r is None else r


@register_op
class FmtWrite(OpDef):
    """``%f.1 = fmt_write %f, %text``: ``write!(f, ..)``'s append to a Formatter, a
    String or a file (tier 0's ``_fwrite``); the result is the target's new value (a
    String's longer text, else the target itself)."""

    name = "fmt_write"
    traits = frozenset({SIDE_EFFECTS, MAY_FAIL})
    operands = 2
    impl = staticmethod(_fmt_write)


def install(env: Any) -> None:
    """Give the runtime's class of every type with an ``impl Trait for !T`` of a
    runtime trait its hook (``_display``, ``_debug``, ``_ucmp``, ``_op_add``...),
    calling the IR function through the interpreter's ``env.call``: what tier 0's
    module tail does with its translated functions (interp/dispatch.module_tail)."""
    from ..runtime.aggregates import display_via, ord_via
    impls = getattr(env.module, "impls", {})
    for d in impls.values():
        known = RUNTIME_TRAITS.get(d.trait or "")
        if not known:
            continue
        if d.trait == "PartialOrd" and (d.type_name, "Ord") in impls:
            continue  # Ord's cmp wins (interp/dispatch._format_impls)
        for m, f in d.methods.items():
            if m not in known:
                continue
            attr = known[m][0]
            fn = _caller(env, str(f))
            if attr in ("_display", "_debug"):
                hook: Any = display_via(fn)
            elif attr == "_ucmp":
                hook = ord_via(fn, partial=d.trait == "PartialOrd")
            else:
                hook = fn
            setattr(_classes(env, d.type_name)[0], attr, hook)  # (variants inherit it)


#: The environments of the IR interpreters running now, innermost last
#: (irinterp/machine.Interpreter.call).
RUNNING: list[Any] = []


def _caller(env: Any, fn: str) -> Callable[..., Any]:
    """``@fn`` as the runtime calls it: in the interpreter running now (the runtime's
    classes are the module's declarations', which copies of the module share), else
    in the one that installed it."""
    def call(*args: Any) -> Any:
        e = RUNNING[-1] if RUNNING else env
        if e.call is None:
            raise RuchyRuntimeError(f"@{fn} called outside the IR interpreter")
        return e.call(fn, args)
    return call


__all__ = ["CallMethod", "FmtWrite", "ImplDecl", "MODES", "RUNNING", "RUNTIME_TRAITS",
           "dispatch_table", "fallback", "install", "referenced", "target_for", "targets"]
