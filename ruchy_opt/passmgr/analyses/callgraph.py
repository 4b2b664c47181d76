"""The call graph of a module (networkx): who calls whom, recursion, bottom-up order."""
from __future__ import annotations

from typing import Any

from ...ir.core import Instruction, Module
from ..analysis import Analysis


class CallGraph:
    """Functions as nodes (by name), an edge caller -> callee per calling pair, with the
    call instructions in ``sites[(caller, callee)]``."""

    def __init__(self, m: Module) -> None:
        import networkx as nx  # lazily: about 0.3 s to import

        self.graph = g = nx.DiGraph()
        self.sites: dict[tuple[str, str], list[Instruction]] = {}
        g.add_nodes_from(m.functions)
        for f in m.functions.values():
            for i in f.instructions():
                if i.opname == "call":
                    callee = str(i.imms[0])
                    g.add_edge(f.name, callee)
                    self.sites.setdefault((f.name, callee), []).append(i)
        self._scc: dict[str, int] = {}
        self.sccs: list[set[str]] = []
        cond = nx.condensation(g)
        #: strongly connected components, callees before their callers
        for k in reversed(list(nx.topological_sort(cond))):
            members = set(cond.nodes[k]["members"])
            self.sccs.append(members)
            for n in members:
                self._scc[n] = len(self.sccs) - 1

    def callees(self, name: str) -> list[str]:
        return list(self.graph.successors(name)) if name in self.graph else []

    def callers(self, name: str) -> list[str]:
        return list(self.graph.predecessors(name)) if name in self.graph else []

    def is_recursive(self, name: str) -> bool:
        """Whether ``name`` can call itself, directly or through others."""
        if name not in self._scc:
            return False
        return len(self.sccs[self._scc[name]]) > 1 or self.graph.has_edge(name, name)

    def same_scc(self, a: str, b: str) -> bool:
        return a in self._scc and self._scc.get(a) == self._scc.get(b)

    def bottom_up(self) -> list[str]:
        """Function names, callees before callers (within a cycle, in any order)."""
        return [n for scc in self.sccs for n in sorted(scc)]


class CallGraphAnalysis(Analysis):
    """Module call graph with strongly connected components."""

    name = "callgraph"
    description = "call graph with recursion (networkx)"
    scope = "module"

    @classmethod
    def compute(cls, target: Any, am: Any) -> CallGraph:
        return CallGraph(target)
