"""Iterator chains known statically, lowered to one loop per chain.

``(0..n).filter(|x| x % 3 == 0).map(|x| x * x).take(4).sum()`` is a source (a range,
``v.iter()``/``into_iter()``, ``s.chars()``, ``s.split(..)``...), adapters, and a
consumer (``sum``, ``product``, ``count``, ``fold``, ``any``, ``all``, ``find``,
``position``, ``for_each``, ``collect`` into a Vec, or a ``for`` loop's body). The
loop pulls one item through the whole chain before the next, which is Rust's lazy
order (and tier 0's: runtime/iterators.py), by construction: the consumer asks its
upstream stage for an item, each stage asks the one before it (:meth:`_Chain.pull`),
a ``filter`` asks again until its closure says yes, a ``take`` stops asking once its
count is spent, and the source is asked last. So a ``println!`` in a ``map`` runs
when the consumer pulls that item, exactly as often as in Rust.

The closures are called with ``call_closure``: ``devirt`` makes each call direct
(their ``closure`` is in view) and ``inline`` puts their bodies in the loop. The
source is pulled with ``iter.items``/``iter.next`` (ir/ops_iter.py: tier 0's items,
whatever the source's type), except a range whose ends are ints by type, which is a
counter. State (a ``take``'s count, an ``enumerate``'s index, a ``skip``'s flag) is
hidden SSA variables. Anything else (other adapters, ``rev``, ``chain``, a consumer
such as ``max_by_key``) goes through the runtime (lower/iterators.py), lazily too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Optional

from ..resolve.iterators import SOURCES
from ..ir.core import Block, Value
from ..ir.enums import OPTION
from ..ir.types import tuple_of
from ..syntax import ast as A
from .iterators import for_body, hidden, next_item, type_head, user_defines

if TYPE_CHECKING:
    from .function import FunctionLowerer

#: Adapters a loop has, with their number of arguments.
STAGES = {"map": 1, "filter": 1, "inspect": 1, "take": 1, "skip": 1, "step_by": 1,
          "take_while": 1, "skip_while": 1, "enumerate": 0, "zip": 1, "cloned": 0,
          "copied": 0}
#: Consumers a loop has, with their number of arguments.
CONSUMERS = {"sum": 0, "product": 0, "count": 0, "fold": 2, "any": 1, "all": 1,
             "for_each": 1, "position": 1, "find": 1, "collect": 0}
#: What ``collect`` makes a Vec of (runtime/iter_consumers.collect).
_VEC_TARGETS = frozenset({"Vec", "", "_", "Box", "Rc"})
#: Sources whose items the loop pulls (not those that change their receiver).
_SOURCES = frozenset(SOURCES) - {"iter_mut", "values_mut", "drain"}


def _source_ok(info: object, node: A.Node) -> bool:
    if isinstance(node, A.Range):
        return node.start is not None and node.end is not None
    return isinstance(node, A.MethodCall) and node.method in _SOURCES \
        and not node.type_args and not user_defines(info, node.method) \
        and (node.args or node.method not in ("split", "splitn", "rsplit", "rsplitn"))


def parse_chain(info: object, node: A.Node) -> Optional[tuple[A.Node, list[A.MethodCall]]]:
    """The source and the adapters (first first) of a chain whose every step a loop
    has, or None."""
    stages: list[A.MethodCall] = []
    while isinstance(node, A.MethodCall) and node.method in STAGES \
            and len(node.args) == STAGES[node.method] and not node.type_args \
            and not user_defines(info, node.method):
        stages.append(node)
        node = node.receiver
    if not _source_ok(info, node):
        return None
    stages.reverse()
    return node, stages


@dataclass
class _Chain:
    """One chain being lowered: its source, its stages with their evaluated
    arguments, and where the loop goes when the source (or a ``take``) is done."""

    lw: "FunctionLowerer"
    #: where the items are pulled: the consumer's call, or the ``for`` (where tier 0's
    #: pulls, and so their failures, are)
    at: A.Node
    stages: list[A.MethodCall]
    done: Block
    args: list[list[Value]] = field(default_factory=list)
    #: the source: a counter and its bound, or an iter.items value
    counter: Optional[tuple] = None
    items: Optional[Value] = None
    state: dict = field(default_factory=dict)

    # ---- building (before the loop: tier 0 builds the chain first) ----------------

    def build(self, source: A.Node) -> None:
        lw = self.lw
        if isinstance(source, A.Range):
            a, b = lw.operands([source.start, source.end])
            if a.type == b.type == "i64" and not source.inclusive:
                i = hidden("chain.i")
                lw.ssa.write(i, lw.cur, a)
                self.counter = (i, b)
            else:
                rng = lw.emit("range", [a, b], imms=(source.inclusive,), node=source)
                self.items = lw.emit("iter.items", [rng],
                                     node=self.stages[0] if self.stages else self.at)
        else:  # (made an iterator where tier 0 does: at the first adapter, or consumer)
            self.items = lw.emit("iter.items", [lw.expr(source)],
                                 node=self.stages[0] if self.stages else self.at)
        for k, st in enumerate(self.stages):
            vals = lw.operands(st.args)
            if st.method in ("take", "skip", "step_by"):
                vals = [lw.emit("iter.check_count", vals, imms=(st.method,), node=st)]
            if st.method == "zip":
                vals = [lw.emit("iter.items", [lw.emit("iter.lazy", vals, node=st)], node=st)]
            self.args.append(vals)
            self._init(k, st)

    def _init(self, k: int, st: A.MethodCall) -> None:
        """The hidden state of stage ``k``, set before the loop."""
        lw, m = self.lw, st.method
        if m in ("take", "enumerate"):
            v = hidden(f"chain.{m}")
            lw.ssa.write(v, lw.cur, self.args[k][0] if m == "take" else lw.const(0))
            self.state[k] = v
        elif m in ("skip", "step_by", "skip_while"):
            v = hidden(f"chain.{m}")
            lw.ssa.write(v, lw.cur, lw.const(m == "skip_while"))
            self.state[k] = v

    # ---- pulling (inside the loop) ---------------------------------------------------

    def call(self, f: Value, args: list[Value], st: A.Node) -> Value:
        return self.lw.emit("call_closure", [f, *args], node=self.at)

    def branch_on(self, cond: Value, st: A.Node, if_true: Block, if_false: Block) -> None:
        self.lw.branch(cond, if_true, if_false, node=st)

    def pull(self, k: int) -> Value:
        """Code that pulls the next item out of stage ``k`` (-1: the source) at the
        current block: the item, or a jump to ``done`` when there is none."""
        lw = self.lw
        if k < 0:
            return self._pull_source()
        st, m = self.stages[k], self.stages[k].method
        args = self.args[k]
        if m == "map":
            return self.call(args[0], [self.pull(k - 1)], st)
        if m == "inspect":
            x = self.pull(k - 1)
            self.call(args[0], [x], st)
            return x
        if m in ("cloned", "copied"):
            return lw.emit("copy", [self.pull(k - 1)], node=st)
        if m in ("filter", "skip_while"):
            return self._filter(k, st, args[0])
        if m == "take_while":
            x = self.pull(k - 1)
            go = lw.new_block("chain.take_while")
            self.branch_on(lw.emit("truthy", [self.call(args[0], [x], st)], node=st), st,
                           go, self.done)
            _enter(lw, go)
            return x
        if m == "take":
            n = self.state[k]
            left = lw.ssa.read(n, lw.cur)
            go = lw.new_block("chain.take")
            self.branch_on(lw.emit("gt", [left, lw.const(0)], node=st), st, go, self.done)
            _enter(lw, go)
            lw.ssa.write(n, lw.cur, lw.emit("sub", [left, lw.const(1)], node=st))
            return self.pull(k - 1)
        if m in ("skip", "step_by"):
            return self._skip(k, st, args[0])
        if m == "enumerate":
            i = self.state[k]
            x = self.pull(k - 1)
            at = lw.ssa.read(i, lw.cur)
            lw.ssa.write(i, lw.cur, lw.emit("add", [at, lw.const(1)], node=st))
            return lw.emit("make", [at, x], imms=(tuple_of([at.type, x.type]),), node=st)
        if m == "zip":
            x = self.pull(k - 1)
            y = next_item(lw, args[0], lw.new_block("chain.zip"), self.done, self.at)
            return lw.emit("make", [x, y], imms=(tuple_of([x.type, y.type]),), node=st)
        raise AssertionError(m)

    def _pull_source(self) -> Value:
        lw = self.lw
        if self.items is not None:
            return next_item(lw, self.items, lw.new_block("chain.item"), self.done, self.at)
        i, bound = self.counter  # type: ignore[misc]
        at = lw.ssa.read(i, lw.cur)
        go = lw.new_block("chain.item")
        self.branch_on(lw.emit("lt", [at, bound], node=self.at), self.at, go, self.done)
        _enter(lw, go)
        lw.ssa.write(i, lw.cur, lw.emit("add", [at, lw.const(1)], node=self.at))
        return at

    def _filter(self, k: int, st: A.MethodCall, f: Value) -> Value:
        """``filter``: pull until the closure says yes. ``skip_while``: pull while it
        says yes, the first time only (its flag)."""
        lw = self.lw
        retry, keep = lw.new_block(f"chain.{st.method}"), lw.new_block("chain.keep")
        lw.jump(retry)
        lw.start(retry)
        x = self.pull(k - 1)
        if st.method == "skip_while":
            flag = self.state[k]
            test = lw.new_block("chain.skip_while.test")
            self.branch_on(lw.emit("is_true", [lw.ssa.read(flag, lw.cur)], node=st), st,
                           test, keep)
            _enter(lw, test)
            yes = lw.emit("truthy", [self.call(f, [x], st)], node=st)
            stop = lw.new_block("chain.skip_while.stop")
            self.branch_on(yes, st, retry, stop)
            _enter(lw, stop)
            lw.ssa.write(flag, lw.cur, lw.const(False))
            lw.jump(keep)
        else:
            yes = lw.emit("truthy", [self.call(f, [x], st)], node=st)
            self.branch_on(yes, st, keep, retry)
        lw.ssa.seal(retry)
        lw.ssa.seal(keep)
        lw.start(keep)
        return x

    def _skip(self, k: int, st: A.MethodCall, count: Value) -> Value:
        """``skip(n)``: the first pull skips ``n`` items first. ``step_by(n)``: every
        pull but the first skips ``n - 1`` (as islice and Rust's StepBy)."""
        lw = self.lw
        flag = self.state[k]
        first, skipping = lw.new_block("chain.first"), lw.new_block(f"chain.{st.method}")
        go = lw.new_block("chain.skipped")
        skip_now = lw.emit("is_true", [lw.ssa.read(flag, lw.cur)], node=st)
        if st.method == "skip":
            many = count
            self.branch_on(skip_now, st, go, skipping)
        else:
            many = lw.emit("sub", [count, lw.const(1)], node=st)
            self.branch_on(skip_now, st, skipping, first)
        _enter(lw, skipping)
        j = hidden("chain.skip.j")
        lw.ssa.write(j, lw.cur, lw.const(0))
        head, body = lw.new_block("chain.skip.head"), lw.new_block("chain.skip.body")
        lw.jump(head)
        lw.start(head)
        at = lw.ssa.read(j, lw.cur)
        self.branch_on(lw.emit("lt", [at, many], node=st), st, body, first)
        _enter(lw, body)
        self.pull(k - 1)
        lw.ssa.write(j, lw.cur, lw.emit("add", [lw.ssa.read(j, lw.cur), lw.const(1)],
                                        node=st))
        lw.jump(head)
        lw.ssa.seal(head)
        if st.method == "skip":
            lw.ssa.seal(first)
            lw.start(first)
            lw.ssa.write(flag, lw.cur, lw.const(True))
            lw.jump(go)
            lw.ssa.seal(go)
            lw.start(go)
            return self.pull(k - 1)
        lw.ssa.seal(first)
        lw.start(first)
        lw.ssa.write(flag, lw.cur, lw.const(True))
        return self.pull(k - 1)


def _enter(lw: "FunctionLowerer", block: Block) -> None:
    lw.ssa.seal(block)
    lw.start(block)


def _run_loop(lw: "FunctionLowerer", chain: _Chain, body: Callable[[Value, Block], None]
              ) -> None:
    """The loop: its head pulls an item through the chain, ``body`` consumes it (and
    jumps back to the head itself, given the head)."""
    head = lw.new_block("chain.head")
    lw.jump(head)
    lw.start(head)
    x = chain.pull(len(chain.stages) - 1)
    body(x, head)
    lw.ssa.seal(head)


def for_chain(lw: "FunctionLowerer", node: A.For) -> Optional[Value]:
    """``for x in chain { body }`` for a chain with at least one adapter, or None."""
    parsed = parse_chain(lw.ctx.info, node.iterable)
    if parsed is None or not parsed[1]:
        return None
    from .control import _finish_join
    source, stages = parsed
    end = lw.new_block("for.end")
    chain = _Chain(lw, node, stages, end)
    chain.build(source)

    def consume(x: Value, head: Block) -> None:
        for_body(lw, node, x, head, end)
    _run_loop(lw, chain, consume)
    return _finish_join(lw, end, False)


def lower_chain(lw: "FunctionLowerer", node: A.MethodCall) -> Optional[Value]:
    """A consumer call ending a chain a loop has: its value; None otherwise."""
    m = node.method
    if CONSUMERS.get(m) != len(node.args) or user_defines(lw, m):
        return None
    if node.type_args and not (m == "collect" and type_head(node.type_args[0]) in _VEC_TARGETS
                               or m in ("sum", "product")):
        return None
    parsed = parse_chain(lw.ctx.info, node.receiver)
    if parsed is None:
        return None
    source, stages = parsed
    from .control import _join
    done, end = lw.new_block("chain.done"), _join(lw, "chain.end", True)
    chain = _Chain(lw, node, stages, done)
    chain.build(source)
    args = lw.operands(node.args)
    acc = hidden("chain.acc")
    floats = bool(node.type_args) and type_head(node.type_args[0]) in ("f64", "f32")
    start = {"sum": lambda: lw.const(-0.0 if floats else 0),
             "product": lambda: lw.const(1.0 if floats else 1),
             "count": lambda: lw.const(0), "position": lambda: lw.const(0),
             "fold": lambda: args[0], "collect": lambda: lw.emit("array", node=node)}.get(m)
    if start is not None:
        lw.ssa.write(acc, lw.cur, start())

    def consume(x: Value, head: Block) -> None:
        cur = lw.ssa.read(acc, lw.cur) if start is not None else None
        if m == "sum":
            lw.ssa.write(acc, lw.cur, lw.emit("sum.add", [cur, x], node=node))
        elif m == "product":
            lw.ssa.write(acc, lw.cur, lw.emit("mul", [cur, x], node=node))
        elif m == "count":
            lw.ssa.write(acc, lw.cur, lw.emit("add", [cur, lw.const(1)], node=node))
        elif m == "fold":
            lw.ssa.write(acc, lw.cur, chain.call(args[1], [cur, x], node))
        elif m == "collect":
            lw.emit("method", [cur, x], imms=("push",), node=node)
        elif m == "for_each":
            chain.call(args[0], [x], node)
        else:  # any, all, find, position: stop at the first item that decides
            yes = lw.emit("is_true", [chain.call(args[0], [x], node)], node=node)
            found, other = lw.new_block(f"chain.{m}.found"), lw.new_block(f"chain.{m}.next")
            if m == "all":  # (stops at the first item it does not hold for)
                lw.branch(yes, other, found, node=node)
            else:
                lw.branch(yes, found, other, node=node)
            _enter(lw, found)
            if m == "any":
                lw.jump(end, [lw.const(True)])
            elif m == "all":
                lw.jump(end, [lw.const(False)])
            elif m == "find":
                lw.jump(end, [lw.emit("variant", [x], imms=(OPTION, "Some"), node=node)])
            else:
                lw.jump(end, [lw.emit("variant", [cur], imms=(OPTION, "Some"), node=node)])
            _enter(lw, other)
            if m == "position":
                lw.ssa.write(acc, lw.cur, lw.emit("add", [cur, lw.const(1)], node=node))
        lw.jump(head)
    _run_loop(lw, chain, consume)
    _enter(lw, done)
    if m == "sum":
        result = lw.emit("sum.check", [lw.ssa.read(acc, lw.cur)], node=node)
    elif m in ("any", "all"):
        result = lw.const(m == "all")
    elif m in ("find", "position"):
        result = lw.emit("variant", imms=(OPTION, "None"), node=node)
    elif m == "for_each":
        result = lw.unit()
    else:
        result = lw.ssa.read(acc, lw.cur)
    lw.jump(end, [result])
    from .control import _finish_join
    return _finish_join(lw, end, True)


__all__ = ["CONSUMERS", "STAGES", "for_chain", "lower_chain", "parse_chain"]
