"""Generated-code speed work that must not change meaning: one-byte bool array elements
(rt/arrays.ll) and loop versioning (codegen/versioning.py) agree with tier 0 - output,
errors and the output printed before an error."""
from __future__ import annotations

import re
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
    # a.push(v) inline while the array is private and has room (ops_data.push); past
    # the capacity, and on shared data, rt_arr_push grows or copies it
    "push_fast_path": """
fun grow(n: i64) -> [bool] {
    let mut f = []
    for k in 0..n { f.push(k % 3 == 0) }
    f
}
fun add(a: &mut Vec<bool>, n: i64) {
    for k in 0..n { a.push(k % 2 == 1) }
}
let g = grow(37)
let mut cnt = 0
for k in 0..g.len() { if g[k] { cnt += 1 } }
println(g.len(), cnt, g[0], g[35], g[36])
let mut a = [true, false]
let b = a
a.push(true)
println(a, b)
let mut c = b
c.push(false)
c.push(false)
c.push(true)
println(a, b, c)
let mut kept = []
let mut d = []
for k in 0..20 {
    d.push(k * k)
    if k == 4 || k == 9 { kept.push(d) }
}
println(d.len(), d[19], kept)
let mut s = []
for k in 0..9 { s.push(k.to_string() + "!") }
let s2 = s
s.push("last")
println(s, s2.len())
let mut fl = [0.5]
for k in 0..6 { fl.push(fl[k] * 2.0) }
println(fl)
let mut inner = [1]
let mut outer = []
outer.push(inner)
inner.push(2)
outer.push(inner)
inner.push(3)
println(outer, inner)
let mut h = [false; 3]
let keep = h
add(&mut h, 6)
println(h, keep, h.len())
let x = h.pop()
h.push(true)
h.push(true)
println(x, h, h.len())
let mut e = []
e.push(true)
println(e, e[1])
""",
    # loop versioning (codegen/versioning.py): the copy without checks runs only when no
    # check can fail; otherwise the checked loop raises the error at the same iteration
    "versioned_last_iteration_out_of_bounds": """
fun fill(a: &mut Vec<i64>, lo: i64, hi: i64, off: i64) -> i64 {
    let mut s = 0
    for j in lo..hi {
        a[j + off] = j
        s += a[off + j]
        println(j)
    }
    s
}
let mut a = [0; 6]
println(fill(&mut a, 0, 6, 0), a)
println(fill(&mut a, 1, 4, 2), a)
println(fill(&mut a, 0, 5, 1), a)
println(fill(&mut a, 0, 6, 1))
""",
    "versioned_first_iteration_negative": """
fun get(a: [f64], lo: i64, hi: i64, off: i64) -> f64 {
    let mut s = 0.0
    for j in lo..hi {
        print(j, " ")
        s += a[j - off]
    }
    s
}
let a = [1.5, 2.5, 3.5, 4.5]
println(get(a, 1, 5, 1))
println(get(a, 0, 0, 9), get(a, 3, 1, 0))
println(get(a, 0, 3, 1))
""",
    "versioned_inclusive_and_strided": """
fun mark(n: i64, step: i64) -> [bool] {
    let mut f = [false; n + 1]
    let mut j = step
    while j <= n {
        f[j] = true
        j += step
    }
    f
}
println(mark(10, 3))
println(mark(10, 1))
let mut t = 0
for i in 1..=4 {
    let m = mark(12, i)
    for k in 0..m.len() { if m[k] { t += k } }
}
println(t)
fun edge(big: i64) {
    let mut z = [0; 3]
    let mut j = big - 1
    while j <= big {
        z[j - (big - 1)] = 1
        println(j, z)
        j += 1
    }
}
edge(9223372036854775806)
edge(9223372036854775807)
""",
    "versioned_overflow_in_offset": """
fun f(a: [i64], k: i64, n: i64) -> i64 {
    let mut s = 0
    for j in 0..n {
        s += a[k * n + j]
    }
    s
}
let a = [1, 2, 3, 4, 5, 6, 7, 8, 9]
println(f(a, 0, 3), f(a, 1, 3), f(a, 2, 3))
println(f(a, 2, 4))
""",
    "versioned_matrix_and_steps": """
fun mm(n: i64) -> f64 {
    let mut a = [0.0; n * n]
    let mut b = [0.0; n * n]
    let mut c = [0.0; n * n]
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = (i + 2 * j) as f64
            b[i * n + j] = (i * j % 3) as f64 - 0.5
        }
    }
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k]
            for j in 0..n { c[i * n + j] += aik * b[k * n + j] }
        }
    }
    let mut s = 0.0
    for i in 0..n * n { s += c[i] * (i as f64) }
    s
}
println(mm(1), mm(5), mm(17))
let mut v = [1, 2, 3, 4, 5, 6, 7]
let mut i = 0
while i < 7 {
    v[i] *= 10
    i += 2
}
println(v)
let mut q = [0; 4]
let mut k = 0
while k < 5 {
    q[k] = k
    println(q)
    k += 1
}
""",
    "versioned_invariant_index": """
fun acc(a: &mut Vec<f64>, b: [f64], k: i64, lo: i64, hi: i64) -> f64 {
    let mut t = 0.0
    for j in lo..hi {
        a[k] += b[j] * 2.0
        t += a[k + 1] - b[j]
        print(j, " ")
    }
    println()
    t
}
let mut a = [1.0, 2.0, 3.0]
let b = [0.5, 1.5, 2.5, 3.5]
println(acc(&mut a, b, 0, 0, 4), a)
println(acc(&mut a, b, 1, 1, 3), a)
println(acc(&mut a, b, 7, 2, 2), a)
println(acc(&mut a, b, -1, 3, 2), a)
println(acc(&mut a, b, 2, 0, 4))
""",
    # counters (c or c + k on every back edge): their overflow checks are decided at entry
    "versioned_counter_overflows_late": """
fun count(flags: [bool], start: i64, step: i64) -> i64 {
    let mut c = start
    let mut odd = 0
    for k in 0..flags.len() {
        if flags[k] { c += 3 } else { odd += 1 }
        if k % 4 == 0 { c += 1 }
    }
    println(odd)
    c
}
let f = [true, false, true, true, false, true, true, true]
println(count(f, 0, 1))
println(count(f, 9223372036854775780, 1))
println(count(f, 9223372036854775770, 1))
println(count(f, 9223372036854775790, 1))
""",
    "versioned_counter_while": """
let big = [1, 2, 3, 4, 5, 6]
let mut n = 9223372036854775805
let mut i = 0
while i < 6 {
    if big[i] % 2 == 0 { n += 1 }
    println(n)
    i += 1
}
""",
}


def _write(tmp_path, name):
    p = tmp_path / (name + ".ruchy")
    p.write_text(PROGRAMS[name])
    return p


@pytest.mark.parametrize("tier", ["1", "2", "2-nopasses"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_agrees_with_tier0(tmp_path, name, tier):
    """(Without ruchy's own passes, loops with constant bounds are not unrolled away.)"""
    p = _write(tmp_path, name)
    want = run_cli(["run", "--tier=0", str(p)])
    assert want.status == 1 and "error" in want.stderr  # every program ends in an error
    opts = ["--tier=2", "--passes="] if tier == "2-nopasses" else [f"--tier={tier}"]
    got = run_cli(["run", *opts, str(p)])
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_bool_elements_take_one_byte(tmp_path):
    p = _write(tmp_path, "bool_arrays")
    ir_text = run_cli(["--emit=llvm", "--tier=2", str(p)]).stdout
    assert "store i8" in ir_text and "load i8" in ir_text


@pytest.mark.parametrize("name", ["bool_array_through_functions", "push_fast_path"])
def test_built_executable_agrees_with_tier0(tmp_path, name):
    p = _write(tmp_path, name)
    exe = str(tmp_path / "prog")
    r = run_cli(["build", str(p), "-o", exe])
    assert r.status == 0, r.stderr
    got = subprocess.run([exe], capture_output=True, text=True)
    want = run_cli(["run", "--tier=0", str(p)])
    assert (got.returncode, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


@pytest.mark.parametrize("name,loops", [("versioned_last_iteration_out_of_bounds", 1),
                                        ("versioned_first_iteration_negative", 1),
                                        ("versioned_inclusive_and_strided", 3),
                                        ("versioned_matrix_and_steps", 5),
                                        ("versioned_invariant_index", 1),
                                        ("versioned_counter_overflows_late", 1),
                                        ("versioned_counter_while", 1)])
def test_loops_are_versioned(tmp_path, name, loops):
    p = _write(tmp_path, name)
    ir_text = run_cli(["--emit=llvm", "--tier=2", "--passes=", str(p)]).stdout
    assert len(re.findall(r"^ver\.guard[.0-9]*:", ir_text, re.M)) >= loops


def test_counter_additions_unchecked_in_the_copy(tmp_path):
    """sieve's `if flags[k] { count += 1 }`: no overflow check left in the fast loop."""
    p = _write(tmp_path, "versioned_counter_overflows_late")
    ir_text = run_cli(["--emit=llvm", "--tier=2", "--passes=", str(p)]).stdout
    fast = [blk for blk in re.split(r"\n(?=[\w.]+:)", ir_text) if blk.startswith("fast.")]
    assert fast and not any("with.overflow" in blk for blk in fast)
