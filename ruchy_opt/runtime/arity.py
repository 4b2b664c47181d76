"""How many arguments a runtime method takes after its receiver.

Hundreds of method wrappers are made when the runtime is imported (one per name and
dispatch layer: runtime/methods.py, strings_mut.py, iter_consumers.py,
collection_methods.py); building an ``inspect.Signature`` for each and reading it back
cost ~20 ms of every run's start-up. A wrapper instead *declares* its arity
(:func:`declare`), possibly as a function computing it on first use, and a plain
Python function's arity is read off its code object; ``inspect`` is only the fallback
for builtins and other callables.
"""
from __future__ import annotations

from types import FunctionType
from typing import Any, Callable, Union

#: The attribute a wrapper's declared arity is kept in: a (fewest, most) pair, or a
#: function of no arguments that computes it (replaced by its result on first use).
_ATTR = "ruchy_arity"
#: What a callable that takes any number of arguments takes.
ANY = (0, 9)
_VARARGS, _VARKEYWORDS = 0x04, 0x08  # CPython's CO_VARARGS, CO_VARKEYWORDS


def declare(f: Callable[..., Any],
            arity: Union[tuple[int, int], Callable[[], tuple[int, int]]]) -> None:
    """Give the wrapper ``f`` its arity after the receiver: a pair, or a function that
    computes it when :func:`method_arity` first asks (wrappers are made by the hundred
    at start-up; few are ever asked)."""
    setattr(f, _ATTR, arity)


def method_arity(f: Callable[..., Any],
                 no_signature: tuple[int, int] = ANY) -> tuple[int, int]:
    """(fewest, most) arguments ``f`` takes after the receiver: its declared arity,
    else (0, 9) when it takes any number, else its parameters' count;
    ``no_signature`` when it has no signature to read (a builtin without one)."""
    a = getattr(f, _ATTR, None)
    if a is not None:
        if type(a) is not tuple:
            a = a()
            setattr(f, _ATTR, a)
        return a
    fast = _code_arity(f)
    if fast is not None:
        return fast
    import inspect  # (only for builtins, partials and other callables)
    try:
        ps = list(inspect.signature(f).parameters.values())[1:]
    except (TypeError, ValueError):
        return no_signature
    if any(p.kind == p.VAR_POSITIONAL for p in ps):
        return ANY
    return sum(1 for p in ps if p.default is p.empty), len(ps)


def widest(arity: tuple[int, int], prev: Union[Callable[..., Any], None]) -> tuple[int, int]:
    """The arity of a wrapper taking ``arity`` on its own receivers and passing any other
    receiver on to ``prev`` (the method of the same name it replaces), if there is one."""
    if prev is None:
        return arity
    plo, phi = method_arity(prev)
    return min(arity[0], plo), max(arity[1], phi)


def _code_arity(f: Callable[..., Any]) -> Union[tuple[int, int], None]:
    """The arity of a plain function with positional parameters only, from its code
    object (what ``inspect.signature`` would say, without building it); None for
    anything else."""
    if type(f) is not FunctionType or "__signature__" in f.__dict__ \
            or "__wrapped__" in f.__dict__:
        return None
    code = f.__code__
    if code.co_flags & _VARARGS:
        return ANY
    n = code.co_argcount
    if n == 0 or code.co_kwonlyargcount or code.co_flags & _VARKEYWORDS:
        return None
    defaults = len(f.__defaults__ or ())
    return n - 1 - min(defaults, n - 1), n - 1
