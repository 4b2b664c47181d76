"""Copy-on-write tests left out or hoisted in front of loops (codegen/owned.py) and
alias tags on array accesses: values still behave as copies, as at tier 0."""
from __future__ import annotations

import pytest

from ruchy_harness import run_cli

PROGRAMS = {
    "hoisted": """
let mut a = [0; 5]
let b = a
for i in 0..5 { a[i] = i }
println(a, b)
fun bump(x: &mut Vec<i64>) {
    for i in 0..x.len() { x[i] += 1 }
}
let mut c = a
bump(&mut c)
println(a, c)
let mut g = [[1, 2], [3, 4]]
let h = g
for i in 0..2 { g[i][0] = 9 }
println(g, h)
""",
    "copies_in_loop": """
let mut k = [1, 2, 3]
for i in 0..3 {
    let snap = k
    k[i] = 0
    println(snap, k)
}
let mut m = [[0; 2]; 2]
for i in 0..2 {
    let row = m[i]
    m[i][1] = i + 1
    m[1 - i][0] = 7
    println(row, m)
}
fun keep(v) { v }
let mut z = [1, 1]
let mut kept = []
for i in 0..3 {
    z[0] = i
    kept.push(keep(z))
    z[1] = i * 10
}
println(kept, z)
""",
    "nested_loops_and_errors": """
fun fill(n) {
    let mut a = [0.0; n * n]
    let b = a
    for i in 0..n {
        for j in 0..n { a[i * n + j] = (i * j) as f64 }
    }
    println(b[n * n - 1], a[n * n - 1])
    for i in 0..n + 1 { a[i * n] = 1.0 }
    a
}
println(fill(3))
""",
}


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_private_writes_agree_with_tier0(tmp_path, name, tier):
    p = tmp_path / (name + ".ruchy")
    p.write_text(PROGRAMS[name])
    want = run_cli(["run", "--tier=0", str(p)])
    got = run_cli(["run", f"--tier={tier}", str(p)])
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_a_loop_that_copies_nothing_tests_sharing_once(tmp_path):
    p = tmp_path / "m.ruchy"
    p.write_text("fun f(n) {\n    let mut a = [0; n]\n    for i in 0..n { a[i] = i }\n    a\n}\n"
                 "println(f(4))\n")
    r = run_cli(["--emit=llvm", "--tier=1", str(p)])
    lines = r.stdout.splitlines()
    start = next(k for k, line in enumerate(lines)
                 if line.startswith("define") and '@"r.f"(' in line)
    end = next(k for k in range(start, len(lines)) if lines[k].startswith("}"))
    body = "\n".join(lines[start:end])
    # once per version of the loop: the original, and the copy without index checks
    # (fast.* blocks, codegen/versioning.py)
    label, per_version = "", {}
    for line in lines[start:end]:
        if line and not line[0].isspace() and line.rstrip().endswith(":"):
            label = line
        elif 'call void @"rt_arr_own"' in line:
            v = "fast" if label.startswith("fast.") else "original"
            per_version[v] = per_version.get(v, 0) + 1
    assert per_version.get("original") == 1 and per_version.get("fast", 0) <= 1, body
