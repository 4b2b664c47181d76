"""What the explore tests share: a small program, exploring it in-process, and reading
a page's data back."""
from __future__ import annotations

import json
import re

from ruchy_opt.errors import SourceFile
from ruchy_opt.explore.collect import Exploration, collect
from ruchy_opt.explore.command import explore_parser

PROGRAM = """\
fun square(x: i64) -> i64 {
    x * x
}

fun total(n: i64) -> i64 {
    let mut s = 0
    for i in 0..n {
        s = s + square(i)
    }
    s
}

fun main() {
    let k = 2 + 3
    println("{}", total(k))
}
"""


def explore(text: str, *options: str, name: str = "prog.ruchy") -> Exploration:
    """Collect the page's data for ``text`` with explore's command-line options."""
    args = explore_parser().parse_args([*options, "-o", "unused.html", name])
    return collect(SourceFile(name, text), args)


def data_of(page: str) -> dict:
    """The JSON data a page carries."""
    m = re.search(r'<script type="application/json" id="explore-data">(.*?)</script>',
                  page, re.S)
    assert m, "the page carries its data"
    return json.loads(m.group(1))
