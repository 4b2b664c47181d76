"""The call graph of a module: who calls whom, recursion, bottom-up order.

The components come from a small Tarjan (graphs.py), so that the inliner does not pay
for importing networkx on every compile; ``graph`` gives the networkx view on demand.
"""
from __future__ import annotations

from typing import Any

from ...ir.core import Instruction, Module
from ...ir.traits import referenced as impl_functions, targets
from ..analysis import Analysis
from .graphs import strongly_connected_components


def address_taken(m: Module) -> set[str]:
    """Functions used as values (``closure @f``) or named by a method table or trait
    impl (``impl !T { m = @f }``: ir/traits.py): an indirect call (``call_closure``,
    ``call_method``, the runtime printing a value) may reach them."""
    return {str(i.imms[0]) for f in m.functions.values() for i in f.instructions()
            if i.op.name == "closure"} | impl_functions(m)


def referenced(m: Module) -> set[str]:
    """Functions that something in the module calls or uses as a value."""
    return {str(i.imms[0]) for f in m.functions.values() for i in f.instructions()
            if i.op.name in ("call", "closure")} | impl_functions(m)


class CallGraph:
    """Functions as nodes (by name), an edge caller -> callee per calling pair, with the
    call instructions in ``sites[(caller, callee)]``. An indirect call
    (``call_closure``) may reach every function used as a value: its function gets an
    edge to each (no site), so recursion through closures is seen; a ``call_method
    "m"`` gets one to each function the method tables list as ``m``."""

    def __init__(self, m: Module) -> None:
        self.sites: dict[tuple[str, str], list[Instruction]] = {}
        self._succ: dict[str, list[str]] = {n: [] for n in m.functions}
        self._pred: dict[str, list[str]] = {n: [] for n in m.functions}
        self.address_taken = address_taken(m)

        def edge(caller: str, callee: str) -> None:
            if callee not in self._succ.setdefault(caller, []):
                self._succ[caller].append(callee)
                self._pred.setdefault(callee, []).append(caller)
                self._succ.setdefault(callee, [])

        for f in m.functions.values():
            for i in f.instructions():
                if i.op.name == "call":
                    callee = str(i.imms[0])
                    edge(f.name, callee)
                    self.sites.setdefault((f.name, callee), []).append(i)
                elif i.op.name == "call_closure":
                    for callee in sorted(self.address_taken):
                        edge(f.name, callee)
                elif i.op.name == "call_method":
                    for callee in sorted({str(g) for g in targets(m, i.imms[0]).values()}):
                        edge(f.name, callee)
        #: strongly connected components, callees before their callers
        self.sccs: list[set[str]] = [set(c) for c in strongly_connected_components(
            list(self._succ), lambda n: self._succ.get(n, ()))]
        self._scc = {n: k for k, c in enumerate(self.sccs) for n in c}
        self._graph: Any = None

    @property
    def graph(self) -> Any:
        """The call graph as a networkx DiGraph (imported on first use)."""
        if self._graph is None:
            import networkx as nx
            g = nx.DiGraph()
            g.add_nodes_from(self._succ)
            g.add_edges_from((a, b) for a, bs in self._succ.items() for b in bs)
            self._graph = g
        return self._graph

    def callees(self, name: str) -> list[str]:
        return list(self._succ.get(name, ()))

    def callers(self, name: str) -> list[str]:
        return list(self._pred.get(name, ()))

    def is_recursive(self, name: str) -> bool:
        """Whether ``name`` can call itself, directly or through others."""
        if name not in self._scc:
            return False
        return len(self.sccs[self._scc[name]]) > 1 or (name, name) in self.sites

    def same_scc(self, a: str, b: str) -> bool:
        return a in self._scc and self._scc.get(a) == self._scc.get(b)

    def bottom_up(self) -> list[str]:
        """Function names, callees before callers (within a cycle, in any order)."""
        return [n for scc in self.sccs for n in sorted(scc)]


class CallGraphAnalysis(Analysis):
    """Module call graph with strongly connected components."""

    name = "callgraph"
    description = "call graph with recursion (strongly connected components)"
    scope = "module"

    @classmethod
    def compute(cls, target: Any, am: Any) -> CallGraph:
        return CallGraph(target)
