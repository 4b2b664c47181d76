"""A hot loop typed at the prompt, entered by on-stack replacement.

An input's program (build.py) ends its top level by copying every session variable
out into its static (``__repl_v_x = x``) and its value into ``__repl_result__``.
Statics are not in the IR, so the continuation ``run`` would build (the loop, then the
rest of the top level: jit/osr.py) does not lower. Here the continuation runs the
rest of the *input* and hands the variables back through arrays instead::

    fun osr.N(live..., #out_s, #out) {       // #out_*: empty arrays, passed in
        <the loop, resumed; the rest of the input>
        let #value = <last expr>             // instead of __repl_result__ = <last expr>
        #out_s.push(s)                       // each variable the rest may change
        #out.push(#value)
        ()
    }

Arrays cross by copying in and back out (jit/boxing.py), and an empty array takes
the element type inference gives its pushes, so after the call each ``#out_x`` holds
``x``'s final value, converted as any compiled result is; the runtime stores it into
the static, exactly where the interpreted top level would have. A variable the rest
never names keeps the value it had at the loop (the live value the interpreter
passed). Everything else is the OSR of ``run``: the same continuation, the same
typing, the same refusals (a live value that does not cross, code not in the IR).

Why this is exact: the continuation is the interpreted frame's own remainder, and a
function that could change a session variable behind the continuation's back uses a
top-level variable, which the IR refuses (lower/level3.py), so the continuation would
not lower. A runtime error in the continuation ends the input before any static is
written (execute.py): the session keeps the variables it had, as when the
interpreter fails. An input whose top level has a ``return`` is refused: it would end
the continuation before the pushes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..jit.compiler import FunctionCompiler, OsrEntry
from ..jit.errors import CannotCompile
from ..jit.osr import continuation, names_in
from ..runtime.values import Arr
from ..syntax import ast as A
from .build import RESULT, bound_names, static_name

#: the continuation's array that carries variable ``x`` out, and the value's
OUT, VALUE_OUT, VALUE = "#out_", "#out", "#value"


@dataclass
class InputLoop:
    """A continuation of a loop typed at the prompt, ready to call, and what to store
    into the session's statics after it returns."""

    entry: OsrEntry
    #: static name -> the array that carries its value out
    outputs: dict[str, Arr] = field(default_factory=dict)
    #: static name -> its value at the loop (the rest of the input never names it)
    kept: dict[str, Any] = field(default_factory=dict)

    def results(self) -> dict[str, Any]:
        """Static name -> value after the continuation returned. An array left empty
        was never pushed to (no static is written then, as in the interpreter)."""
        out = dict(self.kept)
        for name, arr in self.outputs.items():
            if len(arr.d) == 1:
                out[name] = arr.d[0]
        return out


def _is_store(s: A.Node, name: str) -> bool:
    return isinstance(s, A.Assign) and isinstance(s.target, A.Name) and s.target.id == name


def input_loop(compiler: FunctionCompiler, code: Any, site: int, values: tuple) -> InputLoop:
    """The continuation of the loop at ``site`` on the input's top level (see the module
    docstring); raises CannotCompile."""
    frame = compiler.frame(code, site, values)
    stmts = list(frame.stmts)
    # the copies out, at the end (build.program): `__repl_v_x = x` for every variable
    back = len(stmts)
    while back and isinstance(stmts[back - 1], A.Assign) and isinstance(
            stmts[back - 1].target, A.Name) and stmts[back - 1].target.id.startswith(
            static_name("")):
        back -= 1
    variables = {s.target.id: s.value.id for s in stmts[back:]}  # static -> variable
    at = frame.path[0][1]  # the top-level statement that holds the loop
    rest = stmts[at:back]
    if any(isinstance(n, A.Return) for n in _walk(rest)):
        raise CannotCompile("the input returns from its top level (the continuation "
                            "would end before handing the session's variables back)")
    named = set(names_in(rest)) | {n for n, _ in bound_names(rest)}
    value = back and _is_store(stmts[back - 1], RESULT)
    if value:
        last = stmts[back - 1]
        stmts[back - 1] = A.Let(VALUE, False, None, last.value, span=last.span)
    tail: list[A.Node] = []
    outputs: dict[str, Arr] = {}   # static -> the array carrying it out
    outs: list[str] = []           # the arrays' parameter names, in the same order
    kept: dict[str, Any] = {}
    for static, var in variables.items():
        if var in named:
            tail.append(_push(OUT + var, var))
            outputs[static] = Arr([])
            outs.append(OUT + var)
        elif var in frame.env:
            kept[static] = frame.env[var]
        else:
            raise CannotCompile(f"the session variable '{var}' is not a live value at "
                                "the loop")
    if value:
        tail.append(_push(VALUE_OUT, VALUE))
        outputs[RESULT] = Arr([])
        outs.append(VALUE_OUT)
    fn, params = continuation(f"osr.{site}", stmts[:back] + tail, frame.path, frame.scopes,
                              frame.depths, False, None, True)
    fn.body.stmts.append(A.UnitLit(span=fn.span))
    fn.params.extend(A.Param(n, True, span=fn.span) for n in outs)
    env = dict(frame.env)
    env.update(zip(outs, outputs.values()))
    return InputLoop(compiler.entry(fn, params + outs, env, toplevel=False), outputs, kept)


def _push(array: str, var: str) -> A.Node:
    return A.MethodCall(A.Name(array), "push", [A.Name(var)])


def _walk(nodes: list[A.Node]):
    """Every node below ``nodes`` (closures included: an over-approximation)."""
    stack: list[Any] = list(nodes)
    while stack:
        n = stack.pop()
        yield n
        stack.extend(A.children(n))


__all__ = ["InputLoop", "input_loop"]
