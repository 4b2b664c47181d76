"""The parts of the compile ahead (jit/background.py) that need no compile: what is
sent to the child, how often the run looks at it, when its share of the CPU is
restored, and which programs get a child at all."""
from __future__ import annotations

import os
import threading

import pytest

from ruchy_opt.jit import background as B
from ruchy_opt.syntax.parser import parse_program


def _roundtrip(prog: object, text: str = "println(1)\n") -> object:
    r, w = os.pipe()
    try:
        # (a reader thread: a message larger than the pipe must not block the test)
        got: list = []
        t = threading.Thread(target=lambda: got.append(B._receive(r)))
        t.start()
        B._feed(w, "p.ruchy", text, prog)
        t.join(10)
        return got[0]
    finally:
        os.close(r)


def test_the_parsed_program_reaches_the_child_whole() -> None:
    text = "fun f(n: i64) -> i64 { n * 2 }\nfor i in 0..3 { println(f(i)) }\n"
    prog = parse_program(text, "p.ruchy")
    name, got_text, tree = _roundtrip(prog, text)
    # (AST nodes compare by identity: the same tree is the same text of it)
    assert (name, got_text) == ("p.ruchy", text)
    assert type(tree) is type(prog) and repr(tree) == repr(prog)


def test_what_does_not_pickle_is_parsed_by_the_child() -> None:
    # functions do not pickle: the text arrives, the tree is None ("parse it")
    assert _roundtrip(lambda: 0) == ("p.ruchy", "println(1)\n", None)


def test_a_program_larger_than_the_pipe_arrives_whole() -> None:
    text = "// " + "x" * (3 << 20) + "\nprintln(1)\n"
    assert _roundtrip(None, text) == ("p.ruchy", text, None)


def test_the_end_of_the_feed_means_the_run_is_over() -> None:
    r, w = os.pipe()
    os.close(w)
    try:
        assert B._receive(r) is None
    finally:
        os.close(r)


@pytest.mark.parametrize("text,want", [
    ("println(1)\n", False),
    ("let x = 1\nprintln(x + 2)\n", False),
    ("while true { }\n", True),
    ("for i in 0..3 { }\n", True),
    ("loop { break }\n", True),
    ("fun f() { }\n", True),
])
def test_which_programs_may_run_long(text: str, want: bool) -> None:
    assert B.may_run_long(text) is want


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_checkpoints_look_at_the_child_about_every_millisecond(monkeypatch) -> None:
    clock = _Clock()
    monkeypatch.setattr(B.time, "perf_counter", clock)
    bg = B.Background(type("S", (), {"name": "p", "text": ""})(), lambda *a: None, 0.02)
    assert bg.next_check("f") == B.FIRST_CHECK
    clock.now += 0.004  # 64 events took 4 ms here: a look every 16 events
    assert bg.next_check("f") == 16
    clock.now += 0.00025  # now 16 took a quarter of a millisecond: every 64
    assert bg.next_check("f") == 64
    clock.now += 10.0  # a checkpoint seldom reached looks every time
    assert bg.next_check("f") == 1
    for _ in range(20):  # and a fast one at most every CHECK_EVERY events
        clock.now += 1e-7
        n = bg.next_check("g")
    assert n == B.CHECK_EVERY


def test_go_gives_the_child_an_ordinary_share(monkeypatch) -> None:
    calls: list = []
    monkeypatch.setattr(B, "_session_nice", lambda pid, nice: calls.append((pid, nice)))
    bg = B.Background(type("S", (), {"name": "p", "text": ""})(), lambda *a: None, 0.02)
    bg.pid = 4242
    bg.go()
    assert calls == [("4242", 0)] and bg.gone
