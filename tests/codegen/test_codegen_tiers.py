"""Compiled tiers against tier 0 on focused programs: output, errors (message, position,
exit status) and output printed before an error, through the command line."""
from __future__ import annotations

import pytest

from ruchy_harness import run_cli

PROGRAMS = {
    "arith": """
let a = 7
let b = -2
println(a / b, a % b, -7 / 2, -7 % 3, a ** 3, 2.0 ** 0.5, 1 << 62, -16 >> 2)
println(7 & 3, 7 | 8, 7 ^ 2, !5, !true, 3 == 3.0, 2 < 2.5, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0)
println(3.7 as i64, -3.7 as i64, 1e30 as i64, 5 as f64, true as i64, 10.0 % 3.0)
println(i64::MAX, i64::MIN, (2.5).sqrt(), (-2.5).abs(), (-7).abs(), (2.7).floor(), (-0.5).ceil())
println((2.5).round(), (-2.5).round(), (0.0).ln(), (1000.0).exp(), 3.min(9), 2.5.max(1.5), 2.pow(10))
""",
    "floats": """
let xs = [0.1, 0.2, 0.1 + 0.2, 1e16, 1e21, 1.5e-7, 100.0, -0.0, 5e-324, 2.0 / 3.0]
for x in xs {
    println("{} {:?} {:.3} {:10.2} {:<8.1}| {:+.2} {:08.3}", x, x, x, x, x, x, x)
    println(x.to_string() + "!", "x" + x)
}
""",
    "format": """
let s = "héllo"
let n = 255
println("[{:>8}] [{:<8}] [{:^9}] [{:*^9}] [{:.3}]", s, s, s, s, s)
println("[{:x}] [{:X}] [{:o}] [{:b}] [{:5}] [{:<5}] [{:05}] [{:+}] [{:?}]", n, n, n, n, n, n, -n, n, s)
println("{{}} {} {}", true, [[1, 2], [3]])
println(["a", "b\\n"], [1.0, 2.5], [true], [])
let name = "x"
println(f"{name} = {n + 1} {n:>6}")
print("no newline")
println()
""",
    "arrays": """
fun fill(a: &mut Vec<i64>, n) {
    for i in 0..n {
        a.push(i * i)
    }
}
fun change(a) {
    a[0] = 99
    a
}
let mut a = []
fill(&mut a, 5)
let b = a
let c = change(b)
println(a, b, c, a == b, a != c, a.len(), len(c))
let mut grid = [[0; 3]; 2]
grid[1][2] = 5
let row = grid[1]
grid[1][0] = 7
println(grid, row)
for r in grid {
    println(r)
}
a.insert(1, 100)
println(a.remove(0), a.pop(), a, a.contains(100), a.contains(3))
a.reverse()
println(a, a.is_empty())
let words = "héllo".chars()
println(words, words.len())
""",
    "strings": """
let a = "abc"
let b = a + "def" + 1 + 2.0 + 2.5 + true
println(b, b.len(), a < "abd", a == "abc", a != "x", "é".len())
match a {
    "x" => println("x"),
    "abc" => println("yes"),
    _ => println("no"),
}
""",
    "calls": """
fun fib(n) {
    if n < 2 { return n }
    fib(n - 1) + fib(n - 2)
}
fun twice(x) { x + x }
println(fib(20), twice(3), twice(2.5), twice("ab"))
fun main() {
    println("main", fib(10))
}
""",
}

ERRORS = {
    "overflow": "let x = 9223372036854775807\nprintln(\"before\")\nprintln(x + 1)\n",
    "mul_overflow": "println(3037000500 * 3037000500)\n",
    "div_zero": "let z = 0\nprintln(\"a\")\nprintln(10 / z)\n",
    "rem_zero": "fun f(a, b) { a % b }\nprintln(f(1, 0))\n",
    "min_div": "let m = i64::MIN\nprintln(m / -1)\n",
    "neg": "let m = i64::MIN\nprintln(-m)\n",
    "pow": "println(2 ** 64)\n",
    "neg_pow": "println(2 ** -1)\n",
    "shift": "println(1 << 64)\n",
    "bounds": "let a = [1, 2]\nprintln(a[0])\nprintln(a[2])\n",
    "bounds_neg": "let a = [1, 2]\na[-1] = 3\n",
    "pop": "let mut a = [1]\na.pop()\na.pop()\n",
    "repeat": "let n = -1\nprintln([0; n])\n",
    "type": "let x = true\nprintln(\"ok\")\nprintln(x + 1)\n",
    "match": "let v = 7\nmatch v {\n    1 => println(1),\n}\n",
    "assert": "assert!(1 > 2)\n",
    "assert_eq": "assert_eq!(1 + 1, 3, \"math\")\n",
    "assert_ne_str": "assert_ne!(\"a\", \"a\")\n",
    "panic": "println(\"x\")\npanic!(\"boom {}\", 42)\n",
    "undefined": "println(\"x\")\nprintln(nope)\n",
    "abs": "println(i64::MIN.abs())\n",
}


def _run(tmp_path, text: str, tier: str, name: str = "prog.ruchy"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return run_cli(["run", f"--tier={tier}", str(p)])


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_programs_agree_with_tier0(tmp_path, name, tier):
    want = _run(tmp_path, PROGRAMS[name], "0")
    got = _run(tmp_path, PROGRAMS[name], tier)
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


@pytest.mark.parametrize("tier", ["1", "2"])
@pytest.mark.parametrize("name", sorted(ERRORS))
def test_errors_agree_with_tier0(tmp_path, name, tier):
    want = _run(tmp_path, ERRORS[name], "0")
    got = _run(tmp_path, ERRORS[name], tier)
    assert want.status == 1
    assert (got.status, got.stdout, got.stderr) == (want.status, want.stdout, want.stderr)


def test_stack_overflow_is_an_error_not_a_crash(tmp_path):
    text = "fun down(n) {\n    down(n + 1)\n}\nprintln(\"going\")\ndown(0)\n"
    p = tmp_path / "deep.ruchy"
    p.write_text(text)
    for tier in ("1", "2"):
        r = run_cli(["run", f"--tier={tier}", str(p)], subprocess_=True)
        assert r.status == 1 and r.stdout == "going\n"
        assert r.stderr.startswith(f"{p}:2:5: error: stack overflow"), r.stderr


def test_deep_recursion_within_the_limit_works(tmp_path):
    text = "fun depth(n) {\n    if n == 0 { return 0 }\n    1 + depth(n - 1)\n}\nprintln(depth(20000))\n"
    p = tmp_path / "deep.ruchy"
    p.write_text(text)
    r = run_cli(["run", "--tier=1", str(p)], subprocess_=True)
    assert (r.status, r.stdout) == (0, "20000\n")


@pytest.mark.xfail(strict=True, reason="the ruchy inliner drops an inlined call's level "
                   "(docs/codegen.md, 'Recursion bounded by an argument': known gap)")
def test_tier_2_overflows_at_the_ir_interpreters_depth(tmp_path, monkeypatch):
    monkeypatch.setenv("RUCHY_OPT_NO_CACHE", "1")
    p = tmp_path / "edge.ruchy"
    p.write_text("fun d(n: i64) -> i64 {\n    if n < 1 { return 0 }\n    d(n - 1) + 1\n}\n"
                 "println(d(20191))\nprintln(d(20192))\n")
    want = run_cli(["run", "--tier=ir", str(p)])
    got = run_cli(["run", "--tier=2", str(p)])
    assert (got.status, got.stdout) == (want.status, want.stdout)
