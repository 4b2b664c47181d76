"""Arrays a compiled function makes and never lets go of are freed after their last use
(codegen/lifetimes.py): programs behave as at tier 0, and memory stays flat."""
from __future__ import annotations

import pytest

from ruchy_harness import run_cli, run_with_max_rss

PROGRAMS = {
    "per_call": """
fun count(n) {
    let mut flags = [true; n + 1]
    flags[0] = false
    let mut c = 0
    for k in 0..n + 1 {
        if flags[k] { c += 1 }
    }
    c
}
let mut t = 0
for r in 0..50 { t += count(1000 + r) }
println(t)
""",
    "in_loop_and_branches": """
fun f(n) {
    let mut total = 0
    for i in 0..n {
        let mut a = [i; 10]
        a.push(i)
        if i % 3 == 0 {
            println(a)
            continue
        }
        a[1] = a.len()
        if i == 7 { break }
        total += a[0] + a[1] + a.pop()
    }
    total
}
println(f(20))
""",
    "escapes": """
fun make(n) {
    let a = [n; 3]
    a
}
fun keep(n) {
    let a = [n, n + 1]
    let b = a
    let mut grid = [[0; 2]; 2]
    grid[0] = b
    grid[1][1] = 5
    let row = grid[1]
    println(grid, row, b)
    row
}
let mut out = []
for i in 0..4 {
    out.push(make(i))
    out.push(keep(i))
}
println(out)
""",
    "early_return_and_error": """
fun find(n, x) {
    let mut a = [0; n]
    for i in 0..n {
        a[i] = i * i
        if a[i] == x { return i }
    }
    println(a[n])
    -1
}
println(find(10, 49))
println(find(5, 3))
""",
}


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_freeing_programs_agree_with_tier0(tmp_path, name, tier):
    p = tmp_path / (name + ".ruchy")
    p.write_text(PROGRAMS[name])
    want = run_cli(["run", "--tier=0", str(p)])
    got = run_cli(["run", f"--tier={tier}", str(p)])
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_only_arrays_that_stay_are_freed(tmp_path):
    p = tmp_path / "e.ruchy"
    p.write_text(PROGRAMS["escapes"] + PROGRAMS["per_call"])
    r = run_cli(["--emit=llvm", "--tier=1", str(p)])
    body = {}
    name = None
    for line in r.stdout.splitlines():
        if line.startswith("define"):
            name = line.split("@")[1].split("(")[0].strip('"')
            body[name] = []
        elif line.startswith("}"):
            name = None
        elif name:
            body[name].append(line)
    frees = {n: sum("rt_arr_free" in line for line in b) for n, b in body.items()}
    assert frees["r.count"] == 1
    assert frees["r.make"] == 0  # returned
    assert frees["r.keep"] == 1  # grid; `a` is copied, `[0; 2]` fills grid, `row` returned


@pytest.mark.parametrize("tier", ["1", "2"])
def test_memory_stays_flat(tmp_path, tier):
    """60 arrays of a million slots: 480 MB if kept, a few MB when freed."""
    p = tmp_path / "big.ruchy"
    p.write_text("fun f(n) {\n    let mut a = [1; n]\n    a[n - 1] = 2\n    a[0] + a[n - 1]\n}\n"
                 "let mut t = 0\nfor i in 0..60 {\n    t += f(1000000)\n}\nprintln(t)\n")
    out, rss = run_with_max_rss(tier, p)
    assert out == "180"
    assert rss < 250_000, f"max RSS {rss} KB"
