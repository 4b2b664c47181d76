"""Type specialisation: infer types and rewrite generic ops to typed ones.

Two sources of argument types:

* **Proven**, from the calls themselves: in a whole program every call is visible, so a
  function's parameter has a type when every call passes a value of that type. Types
  flow from literals through operations, calls and returns, to a fixed point over the
  whole module. No check is needed. (``open`` turns this off, for code that other code
  may call, as the tiered runtime does.)
* **Assumed**: annotations (``n: i64``), ``--arg-types=f:int,float``, or the argument
  types the profiler saw (``ctx.arg_types``). An assumption is checked on entry: the
  function starts with type tests (``is.i64``) that lead to a copy of the body
  specialised to the assumed types, or else to the unchanged generic body, so a wrong
  assumption costs speed, never behaviour. With ``deopt`` the entry has ``guard`` ops
  instead and no generic body: what compiled tiers want, where a failing guard
  deoptimises (in the IR interpreter it is the error ``type guard failed``).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from ruchy_opt.ir import Builder
from ruchy_opt.ir.core import Block, Function, Module
from ruchy_opt.passmgr import ModulePass, PassContext
from ruchy_opt.passmgr.cloning import clone_blocks, name_hint
from ruchy_opt.passmgr.analyses.callgraph import address_taken
from ruchy_opt.passmgr.typedops import GUARDED, specialise
from ruchy_opt.typerules.local import TOP, Types, join
from ruchy_opt.typerules.rtypes import ANY

ENTRY_POINTS = (Module.START, "main")
CHECKABLE = ("i64", "f64", "bool", "str", "arr")


def proven_types(m: Module, open_world: bool) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Parameter types every call agrees on, and return types, to a fixed point."""
    params: dict[str, list[str]] = {}
    called = {str(i.imms[0]) for f in m.functions.values() for i in f.instructions()
              if i.op.name == "call"}
    taken = address_taken(m)  # a closure's calls are not in view: its parameters are any
    for name, f in m.functions.items():
        start = ANY if open_world or name in ENTRY_POINTS or name not in called \
            or name in taken else TOP
        params[name] = [start if p.type == ANY else p.type for p in f.params]
    rets: dict[str, str] = {n: TOP for n in m.functions}
    # A worklist, not rounds over every function: a function is analysed again only when
    # its parameters' or a callee's return type changed. Rounds took one round per link
    # of a call chain, each analysing the whole module: quadratic (issue 19).
    callers: dict[str, set[str]] = {n: set() for n in m.functions}
    for name, f in m.functions.items():
        for i in f.instructions():
            if i.op.name == "call" and str(i.imms[0]) in callers:
                callers[str(i.imms[0])].add(name)
    work = deque(m.functions)
    queued = set(work)

    def again(name: str) -> None:
        if name not in queued:
            queued.add(name)
            work.append(name)

    while work:
        name = work.popleft()
        queued.discard(name)
        f = m.functions[name]
        types = Types(f, params[name], rets)
        if join(rets[name], types.ret) != rets[name]:
            rets[name] = join(rets[name], types.ret)
            for c in callers[name]:
                again(c)
        for i in f.instructions():
            g = str(i.imms[0]) if i.op.name == "call" else None
            if g is None or g not in params or len(params[g]) != len(i.operands):
                continue
            for k, a in enumerate(i.operands):
                new = join(params[g][k], types.of(a))
                if new != params[g][k]:
                    params[g][k] = new
                    again(g)
    final = {n: [ANY if t == TOP else t for t in ts] for n, ts in params.items()}
    return final, {n: ANY if t == TOP else t for n, t in rets.items()}


def assumed_types(f: Function, ctx: PassContext) -> list[str]:
    given = ctx.arg_types.get(f.name)
    if given is not None and len(given) == len(f.params):
        return list(given)
    return [p.hint if p.hint in CHECKABLE else ANY for p in f.params]


def already_versioned(f: Function) -> bool:
    """Whether the entry already tests or guards a parameter (a previous run)."""
    params = set(f.params)
    return any(i.op.name.startswith(("is.", "guard.")) and i.operands[0] in params
               for i in f.entry.instrs)


def version(f: Function, assume: list[str], deopt: bool) -> None:
    """Put type tests (or guards) on entry and a copy of the body specialised to the
    assumed types behind them; the original body stays for other types."""
    body = list(f.blocks)
    old = f.entry
    entry = Block("entry", f)  # the old entry is renamed below; its name is reused
    for p in old.params:
        p.block = entry
    entry.params, old.params = old.params, []
    checked = [(p, t) for p, t in zip(entry.params, assume) if t in CHECKABLE]
    b = Builder(f, entry)
    head = [entry]
    if not deopt:  # a chain of tests; any failing one goes to the generic body
        for n, (p, t) in enumerate(checked):
            nxt = Block(f.fresh_block_name("typed" if n == len(checked) - 1 else "check"), f)
            b.cond_br(b.emit(f"is.{t}", [p]), nxt, old)
            head.append(nxt)
            b.at_end(nxt)
    f.blocks[0:0] = head
    vmap = {p: b.emit(f"guard.{t}", [p], hint=name_hint(p.name))
            for p, t in checked}
    if deopt:
        for p, g in vmap.items():
            for user in list(p.users):
                if user is not g:
                    user.replace_uses(p, g)
        b.br(old)
    else:
        bmap = clone_blocks(f, body, dict(vmap), prefix="typed.", insert_after=head[-1])
        b.br(bmap[old])
    old.name = f.fresh_block_name("generic")


@dataclass(frozen=True)
class TypeSpec(ModulePass):
    """Type specialisation: typed ops from proven types, and from assumed types
    (annotations, --arg-types, profile) behind entry checks."""

    name = "typespec"
    open: bool = False     # calls from outside the module may pass other types
    deopt: bool = False    # guards on entry, no generic fallback (for compiled tiers)
    assume: bool = True    # use annotations / --arg-types / the profile

    def run_on_module(self, module: Module, ctx: PassContext) -> bool:
        changed = False
        proven, _ = proven_types(module, self.open)
        if self.assume:
            for name, f in module.functions.items():
                want = assumed_types(f, ctx)
                need = [t if t in CHECKABLE and proven[name][k] != t else ANY
                        for k, t in enumerate(want)]
                if any(t != ANY for t in need) and f.blocks and not already_versioned(f):
                    version(f, need, self.deopt)
                    ctx.stat("functions versioned")
                    changed = True
        proven, rets = proven_types(module, self.open)
        retyped = 0
        for name, f in module.functions.items():  # all first: calls are rewritten to match
            for p, t in zip(f.params, proven[name]):
                if t in GUARDED and p.type != t and not self.open:
                    p.type = t
                    retyped += 1
        changed |= retyped > 0
        for name, f in module.functions.items():
            if not f.blocks:
                continue
            rw = specialise(f, proven[name], rets, set_entry_types=False)
            ctx.stat("ops specialised", rw.rewritten)
            ctx.stat("guards inserted", rw.guards)
            changed |= bool(rw.rewritten or rw.guards or rw.retyped)
        return changed
