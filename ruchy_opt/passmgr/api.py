"""The pass API: what a pass is, what it declares, and what it is given when it runs.

A pass is a small frozen dataclass with a ``name``; its fields are its command-line
parameters (``unroll<count=4>`` makes ``Unroll(count=4)``), so a pass object, and a whole
pipeline of them, is an immutable value that prints, compares and replays. ::

    @dataclass(frozen=True)
    class CountAdds(FunctionPass):
        \"\"\"Count the add instructions (an example).\"\"\"
        name = "count-adds"
        preserves = PRESERVES_ALL
        verbose: bool = False

        def run_on_function(self, func, ctx) -> bool:
            ctx.stat("adds", sum(i.opname == "add" for i in func.instructions()))
            return False            # nothing changed

A function pass runs once per function of the module; a module pass once per module.
``run_*`` returns whether it changed the IR; the pass manager then drops the cached
analyses the pass does not declare in ``preserves``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Mapping, Optional, Union

if TYPE_CHECKING:  # the IR is imported by the passes themselves, not at start-up
    from ..ir import Function, Module
    from .analysis import AnalysisManager

#: ``preserves`` value: the pass changes nothing that any analysis depends on.
PRESERVES_ALL = "all"
#: ``preserves`` value: the pass keeps the blocks and edges of the CFG (it may change
#: instructions), so the dominator tree, dominance frontiers and loops stay valid.
PRESERVES_CFG = "cfg"

Preserved = Union[str, frozenset[str], tuple[str, ...]]


class PassManagerError(Exception):
    """Base of the errors the pass manager reports to the user (bad pipeline, broken
    plugin, failing pass): the message is complete and names the culprit."""


@dataclass(frozen=True)
class Pass:
    """Base of every pass. Subclass :class:`FunctionPass` or :class:`ModulePass`."""

    #: The name in pipelines and ``--list-passes`` (lower case, ``-`` between words).
    name: ClassVar[str] = ""
    #: One line for ``--list-passes``; defaults to the first line of the docstring.
    description: ClassVar[str] = ""
    #: Analyses the pass asks for (checked to exist when the pass is registered).
    requires: ClassVar[tuple[str, ...]] = ()
    #: Analyses still valid after the pass changed something: names of analyses,
    #: :data:`PRESERVES_CFG`, :data:`PRESERVES_ALL`, or a tuple mixing them.
    preserves: ClassVar[Preserved] = ()

    @classmethod
    def summary(cls) -> str:
        """The one-line description."""
        if cls.description:
            return cls.description
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]  # the first paragraph
        return " ".join(doc.split()).rstrip(".")

    def __str__(self) -> str:
        from .params import format_pass  # the pipeline text of this pass, parameters included
        return format_pass(self)


@dataclass(frozen=True)
class FunctionPass(Pass):
    """A pass that transforms one function at a time; it must not touch other functions
    (so functions could be processed in any order)."""

    def run_on_function(self, func: "Function", ctx: "PassContext") -> bool:
        """Transform ``func``; return True if anything changed."""
        raise NotImplementedError(f"pass {self.name} does not define run_on_function")


@dataclass(frozen=True)
class ModulePass(Pass):
    """A pass over the whole module (it may add, remove or rewrite functions)."""

    def run_on_module(self, module: "Module", ctx: "PassContext") -> bool:
        """Transform ``module``; return True if anything changed."""
        raise NotImplementedError(f"pass {self.name} does not define run_on_module")


class PassContext:
    """What a running pass may use besides the IR: analyses, statistics, and facts
    supplied from outside (argument types from ``--arg-types`` or the profiler)."""

    def __init__(self, analyses: "AnalysisManager",
                 arg_types: Optional[Mapping[str, tuple[str, ...]]] = None,
                 options: Optional[Mapping[str, Any]] = None) -> None:
        self.analyses = analyses
        #: function name -> the type of each parameter (``i64``, ``f64``, ``bool``,
        #: ``str``, ``arr`` or ``any``), for type specialisation.
        self.arg_types: Mapping[str, tuple[str, ...]] = dict(arg_types or {})
        #: free-form settings for plugins (``--pass-option key=value``).
        self.options: Mapping[str, Any] = dict(options or {})
        #: (pass name, counter) -> count, shown by ``--stats``.
        self.stats: dict[tuple[str, str], int] = {}
        self.current: Optional[Pass] = None

    def analysis(self, name: str, target: Any) -> Any:
        """The result of analysis ``name`` on ``target`` (a function, or the module for
        module analyses such as ``callgraph``), computed once and cached."""
        return self.analyses.get(name, target)

    def stat(self, counter: str, n: int = 1) -> None:
        """Add ``n`` to a statistic of the running pass (``--stats`` prints them)."""
        if n:
            key = (self.current.name if self.current else "?", counter)
            self.stats[key] = self.stats.get(key, 0) + n
