"""What ``explore`` keeps of a pipeline run: one record per pass application, taken on
the pass manager's own hook after every pass (an :class:`~ruchy_opt.passmgr.runner.
Instrument`), so the passes run exactly as they do for ``--print-changed``.

Functions are kept as text, one version per distinct text (:class:`TextTable`), so a
pipeline of thirty applications over a large program stores each function once per
change, not once per pass.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..passmgr.runner import Instrument, PassEvent, PassRunner, module_size


#: Larger CFGs are not drawn: Graphviz's time grows faster than linearly (a function
#: of 60 blocks takes 0.15 s, one of 936 blocks 24 s), and so does the drawing's size.
#: ``--dump-cfg`` still writes every one.
MAX_CFG_BLOCKS = 250


class TextTable:
    """Distinct texts, each stored once and referred to by its index."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._ids: dict[str, int] = {}

    def add(self, text: str) -> int:
        """The index of ``text`` (added if new)."""
        i = self._ids.get(text)
        if i is None:
            i = self._ids[text] = len(self.texts)
            self.texts.append(text)
        return i


def function_texts(module: Any, table: TextTable,
                   graphs: Optional[dict[int, str]] = None) -> dict[str, int]:
    """Each function of ``module`` (in module order) as an index into ``table``; with
    ``graphs``, the graphviz CFG of every version not seen before is added under its
    index (a CFG depends only on the function, so one drawing serves every stage where
    the function has that text). A function of more than MAX_CFG_BLOCKS blocks gets
    ``""``: it is not drawn."""
    from ..ir.printer import print_function
    from ..viz.cfg import cfg_dot
    out = {}
    for name, f in module.functions.items():
        i = out[name] = table.add(print_function(f))
        if graphs is not None and i not in graphs:
            graphs[i] = cfg_dot(f) if len(f.blocks) <= MAX_CFG_BLOCKS else ""
    return out


@dataclass
class PassRecord:
    """One pass application: what it did to each function, its time and statistics."""

    index: int                      # application number (from 1, as --print-changed)
    name: str                       # the pass with its parameters, e.g. unroll<count=4>
    changed: bool                   # what the pass reported
    seconds: float
    before: dict[str, int]          # function -> text index, before the pass
    after: dict[str, int]           # function -> text index, after it
    size_before: tuple[int, int]    # (instructions, blocks) of the module
    size_after: tuple[int, int]
    stats: dict[str, int] = field(default_factory=dict)   # counters this run added

    @property
    def changed_functions(self) -> list[str]:
        """Functions whose text differs (added, removed or edited), in module order."""
        names = list(self.before) + [n for n in self.after if n not in self.before]
        return [n for n in names if self.before.get(n) != self.after.get(n)]


class PipelineRecorder(Instrument):
    """Records every pass application. Call :meth:`begin` with the module before the
    pipeline runs; the records are in :attr:`records` afterwards."""

    def __init__(self, table: TextTable, graphs: Optional[dict[int, str]] = None) -> None:
        self.table = table
        self.graphs = graphs
        self.records: list[PassRecord] = []
        self._funcs: dict[str, int] = {}
        self._size: tuple[int, int] = (0, 0)
        self._stats: dict[tuple[str, str], int] = {}

    def begin(self, module: Any) -> None:
        """Take the state the first pass starts from (not the runner's ``start`` hook,
        which not every version of the runner calls)."""
        self._funcs = function_texts(module, self.table, self.graphs)
        self._size = module_size(module)

    def after_pass(self, ev: PassEvent, runner: PassRunner) -> None:
        # A pass that reports no change is trusted, as --print-changed trusts it: the
        # module is not printed again (that is most of an explore's cost on big
        # programs); --verify-each exists for passes that lie.
        after = function_texts(ev.module, self.table, self.graphs) if ev.changed else self._funcs
        size = module_size(ev.module) if ev.changed else self._size
        stats = dict(runner.ctx.stats)
        delta = {(c if p == ev.pass_.name else f"{p}: {c}"): v - self._stats.get((p, c), 0)
                 for (p, c), v in stats.items() if v != self._stats.get((p, c), 0)}
        self.records.append(PassRecord(ev.index, str(ev.pass_), ev.changed, ev.seconds,
                                       self._funcs, after, self._size, size, delta))
        self._funcs, self._size, self._stats = after, size, stats

    def last(self) -> Optional[dict[str, int]]:
        """The functions after the last pass (None before any pass ran)."""
        return self._funcs if self.records else None
