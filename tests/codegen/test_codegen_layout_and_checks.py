"""Generated-code speed work that must not change meaning: one-byte bool array elements
(rt/arrays.ll), and everything around them, agree with tier 0 - output, errors and the
output printed before an error."""
from __future__ import annotations

import subprocess

import pytest

from ruchy_harness import run_cli

PROGRAMS = {
    "bool_arrays": """
let mut a = [true; 5]
a[1] = false
println(a)
let mut b = a
b.push(false)
b.push(true)
println(a, b, b.len())
let x = b.pop()
println(x, b)
b.insert(0, false)
b.insert(3, true)
println(b)
let r = b.remove(1)
println(r, b)
b.reverse()
println(b, b.contains(false), b == a, [true, false] == [true, false], [true] != [false])
let mut nested = [[true; 3]; 2]
let keep = nested
nested[1][2] = false
println(nested, keep)
let c = [false, true, true]
for v in c { print(v, " ") }
println()
let mut e = []
for k in 0..70 { e.push(k % 3 == 0) }
let mut cnt = 0
for k in 0..e.len() { if e[k] { cnt += 1 } }
println(cnt, e.len(), e[69], e[68])
println(f"{c:?} {c}", format!("{:?}", [[false], []]))
let mut big = [false; 1000]
for k in 0..1000 { big[k] = k % 7 == 0 }
let copy = big
big[0] = false
let mut n = 0
for v in copy { if v { n += 1 } }
println(n, copy[0], big[0])
println(big[1000])
""",
    "bool_array_through_functions": """
fun sieve(n: i64) -> [bool] {
    let mut flags = [true; n + 1]
    flags[0] = false
    flags[1] = false
    let mut i = 2
    while i * i <= n {
        if flags[i] {
            let mut j = i * i
            while j <= n { flags[j] = false; j += i }
        }
        i += 1
    }
    flags
}
fun flip(f: &mut Vec<bool>, k: i64) { f[k] = !f[k] }
let mut p = sieve(50)
let q = p
flip(&mut p, 4)
println(p)
println(q)
let mut t = 0
for k in 0..p.len() { if p[k] && !q[k] { t += k } }
println(t)
flip(&mut p, 51)
""",
    "mixed_element_types": """
let mut ints = [1, 2, 3]
let mut fl = [0.5; 3]
let mut strs = ["a", "b"]
let mut bs = [true, false, true]
ints.push(4)
fl[1] = 2.25
strs.push("c")
bs.push(false)
println(ints, fl, strs, bs, [[1, 2], [3]], [(); 2].len())
println(ints.pop(), fl.remove(0), strs.contains("c"), bs.contains(true))
println(bs.pop(), bs.pop(), bs.pop(), bs.pop(), bs.len())
let empty: [bool] = []
println(empty, empty.len())
println(bs.pop())
""",
}


def _write(tmp_path, name):
    p = tmp_path / (name + ".ruchy")
    p.write_text(PROGRAMS[name])
    return p


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_agrees_with_tier0(tmp_path, name, tier):
    p = _write(tmp_path, name)
    want = run_cli(["run", "--tier=0", str(p)])
    assert want.status == 1 and "error" in want.stderr  # every program ends in an error
    got = run_cli(["run", f"--tier={tier}", str(p)])
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_bool_elements_take_one_byte(tmp_path):
    p = _write(tmp_path, "bool_arrays")
    ir_text = run_cli(["--emit=llvm", "--tier=2", str(p)]).stdout
    assert "store i8" in ir_text and "load i8" in ir_text


def test_built_executable_agrees_with_tier0(tmp_path):
    p = _write(tmp_path, "bool_array_through_functions")
    exe = str(tmp_path / "prog")
    r = run_cli(["build", str(p), "-o", exe])
    assert r.status == 0, r.stderr
    got = subprocess.run([exe], capture_output=True, text=True)
    want = run_cli(["run", "--tier=0", str(p)])
    assert (got.returncode, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)
