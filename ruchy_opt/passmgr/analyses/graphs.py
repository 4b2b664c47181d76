"""Small graph algorithms on any graph given by a successor function, for the analyses
that the pipelines run on every compile (importing networkx costs about 0.3 s, more than
a whole tier-2 compile may take; tests check these against networkx)."""
from __future__ import annotations

from typing import Callable, Hashable, Iterable, Optional

Node = Hashable


def postorder(root: Node, succs: Callable[[Node], Iterable[Node]]) -> list[Node]:
    """Nodes reachable from ``root`` in depth-first postorder (iterative)."""
    seen = {root}
    order: list[Node] = []
    stack = [(root, iter(succs(root)))]
    while stack:
        n, it = stack[-1]
        for s in it:
            if s not in seen:
                seen.add(s)
                stack.append((s, iter(succs(s))))
                break
        else:
            stack.pop()
            order.append(n)
    return order


def immediate_dominators(root: Node, succs: Callable[[Node], Iterable[Node]],
                         preds: Callable[[Node], Iterable[Node]]) -> dict[Node, Node]:
    """Immediate dominators of the nodes reachable from ``root`` (the root maps to
    itself), by Cooper, Harvey and Kennedy's iterative algorithm."""
    rpo = list(reversed(postorder(root, succs)))
    index = {n: i for i, n in enumerate(rpo)}
    idom: dict[Node, Optional[Node]] = {n: None for n in rpo}
    idom[root] = root
    changed = True
    while changed:
        changed = False
        for n in rpo[1:]:
            new = None
            for p in preds(n):
                if p not in index or idom[p] is None:
                    continue
                if new is None:
                    new = p
                    continue
                a, b = p, new
                while a is not b:
                    while index[a] > index[b]:
                        a = idom[a]  # type: ignore[assignment]
                    while index[b] > index[a]:
                        b = idom[b]  # type: ignore[assignment]
                new = a
            if new is not None and idom[n] is not new:
                idom[n] = new
                changed = True
    return {n: d for n, d in idom.items() if d is not None}


def strongly_connected_components(nodes: Iterable[Node],
                                  succs: Callable[[Node], Iterable[Node]]) -> list[list[Node]]:
    """Tarjan's algorithm, iterative; components come out callees first (reverse
    topological order of the condensation)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    out: list[list[Node]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(succs(start)))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            n, it = work[-1]
            for s in it:
                if s not in index:
                    index[s] = low[s] = counter
                    counter += 1
                    stack.append(s)
                    on_stack.add(s)
                    work.append((s, iter(succs(s))))
                    break
                if s in on_stack:
                    low[n] = min(low[n], index[s])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[n])
                if low[n] == index[n]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on_stack.discard(x)
                        comp.append(x)
                        if x is n or x == n:
                            break
                    out.append(comp)
    return out
