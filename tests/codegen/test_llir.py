"""codegen/llir.py prints what llvmlite.ir prints for the same calls, and LLVM parses it.

``build`` makes one module through either library (every construct the code generator
uses: each builder method, names that collide or need quotes, metadata, typed global
addresses, ``goto_block`` before a terminator, ``if_then``...), and the texts must be
equal byte for byte. Then the code generator itself runs on real programs once with
llir and once, in a child process, with ``llvmlite.ir`` standing in for it.
"""
from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from llvmlite import ir as llvmlite_ir

from ruchy_opt.codegen import llir

REPO = Path(__file__).resolve().parents[2]


def build(ir: ModuleType) -> str:  # noqa: C901 - one long straight-line script
    """The text of a module that uses the whole subset, built through ``ir``."""
    I1, I8, I32, I64 = ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64)
    F64, PTR, VOID = ir.DoubleType(), ir.PointerType(), ir.VoidType()
    pair = ir.LiteralStructType([I64, I64])
    m = ir.Module(name="t.ruchy")
    m.triple = "x86_64-unknown-linux-gnu"

    # ---- globals: literals, escapes, every kind of initializer
    data = bytearray('tab\t "q" back\\ é ~\n'.encode()) + b"\0"
    sty = ir.LiteralStructType([I64, ir.ArrayType(I8, len(data))])
    s = ir.GlobalVariable(m, sty, name=".str.0")
    s.global_constant = True
    s.linkage = "private"
    s.initializer = ir.Constant(sty, [ir.Constant(I64, len(data) - 1),
                                      ir.Constant(sty.elements[1], data)])
    d = ir.GlobalVariable(m, ir.ArrayType(I8, 3), name=".diag.0")
    d.global_constant = True
    d.linkage = "private"
    d.unnamed_addr = True
    d.initializer = ir.Constant(ir.ArrayType(I8, 3), bytearray(b"ok\0"))
    flag = ir.GlobalVariable(m, I1, name="g.flag")
    flag.linkage = "internal"
    flag.initializer = ir.Constant(I1, False)
    doubles = []
    for k, v in enumerate([0.0, -0.0, 0.5, 2, 3.14159265, 1e300, -1e-300, 5e-324,
                           math.inf, -math.inf, math.nan, None]):
        g = ir.GlobalVariable(m, F64, name=f"g.x{k}")
        g.linkage = "internal"
        g.initializer = ir.Constant(F64, v)
        doubles.append(g)
    for k, v in enumerate([0, -1, 2**63 - 1, -(2**63), None]):
        g = ir.GlobalVariable(m, I64, name=f"g.i{k}")
        g.linkage = "internal"
        g.initializer = ir.Constant(I64, v)
    heat = ir.GlobalVariable(m, ir.ArrayType(I64, 2), name="ruchy.heat")
    heat.linkage = "internal"
    heat.initializer = ir.Constant(ir.ArrayType(I64, 2), None)
    gp = ir.GlobalVariable(m, PTR, name="g.p")
    gp.linkage = "internal"
    gp.initializer = ir.Constant(PTR, None)
    gpair = ir.GlobalVariable(m, pair, name="g.pair")
    gpair.linkage = "internal"
    gpair.initializer = ir.Constant(pair, None)

    # ---- declarations
    fail = ir.Function(m, ir.FunctionType(VOID, [PTR]), name="rt_fail_c")
    fail.attributes.add("noreturn")
    fail.attributes.add("cold")
    ipow = ir.Function(m, ir.FunctionType(pair, [I64, I64]), name="rt_ipow")
    big = ir.Function(m, ir.FunctionType(I32, [PTR]), name="rt_run_big_stack")
    fabs = ir.Function(m, ir.FunctionType(F64, [F64]), "llvm.fabs.f64")
    odd = ir.Function(m, ir.FunctionType(I64, [I64]), name='odd "name" \\ here')

    # ---- alias tags (the same operands give the same node)
    root = m.add_metadata(["ruchy tbaa"])
    ty = m.add_metadata(["slot", root, ir.Constant(I64, 0)])
    tag = m.add_metadata([ty, ty, ir.Constant(I64, 0)])
    assert m.add_metadata([ty, ty, ir.Constant(I64, 0)]) is tag
    lty = m.add_metadata(['len "x"\n', root, ir.Constant(I64, 0)])
    other = m.add_metadata([lty, lty, ir.Constant(I64, 0)])

    # ---- a function using every builder method
    f = ir.Function(m, ir.FunctionType(I64, [I64, I64, F64, PTR]), name="r.f")
    f.linkage = "internal"
    depth, a, x, arr = f.args
    entry = f.append_basic_block("entry")
    b = ir.IRBuilder(entry)
    p = b.gep(heat, [ir.Constant(I32, 0), ir.Constant(I32, 1)], inbounds=True)
    h = b.load(p)
    h.set_metadata("tbaa", tag)
    b.store(b.add(h, ir.Constant(I64, 1)), p).set_metadata("tbaa", tag)
    one = ir.Constant(I64, 1)
    v = b.add(a, one, flags=["nsw"])
    v = b.sub(v, depth, flags=["nsw"])
    v = b.mul(v, one, name="v")
    v = b.mul(v, one, name="v")  # v.1
    v = b.and_(b.or_(b.xor(v, a), a), v)
    v = b.ashr(b.shl(v, one), one)
    r = b.sadd_with_overflow(v, a)
    fb = f.append_basic_block("fail")
    with b.goto_block(fb):
        b.call(fail, [d.bitcast(PTR)], name="ok")  # a void call's name is used up too
        b.unreachable()
    ok = f.append_basic_block("ok")  # ok.1
    b.cbranch(b.extract_value(r, 1), fb, ok)
    with b.goto_block(entry):  # before entry's terminator
        b.sub(ir.Constant(I64, 0), a, name="before.br")
    b.position_at_end(ok)
    v = b.extract_value(r, 0)
    r2 = b.smul_with_overflow(v, b.extract_value(b.ssub_with_overflow(v, a), 0))
    r3 = b.sadd_with_overflow(v, v)  # declared once
    fb2 = f.append_basic_block("fail")
    with b.goto_block(fb2):
        b.call(fail, [s.bitcast(PTR)])
        b.unreachable()
    ok2 = f.append_basic_block("ok")
    b.cbranch(b.or_(b.extract_value(r2, 1), b.extract_value(r3, 1)), fb2, ok2)
    b.position_at_end(ok2)
    q = b.sdiv(v, b.srem(v, ir.Constant(I64, 7)))
    y = b.fadd(x, ir.Constant(F64, 0.5))
    y = b.fdiv(b.fmul(b.fsub(y, x), y), b.frem(y, ir.Constant(F64, 3)))
    y = b.fneg(y)
    y = b.call(fabs, [y], name="abs")
    conds = [b.icmp_signed(op, q, v) for op in ("==", "!=", "<", "<=", ">", ">=")]
    conds += [b.icmp_unsigned(op, q, v) for op in ("==", "!=", "<", "<=", ">", ">=")]
    conds += [b.fcmp_ordered(op, y, x) for op in ("==", "<", "<=", ">", ">=")]
    conds += [b.fcmp_unordered("!=", y, x), b.fcmp_unordered("uno", y, y)]
    c = b.not_(conds[0])
    for k in conds[1:]:
        c = b.and_(c, k)
    v = b.select(c, q, b.neg(v))
    assert b.zext(v, I64) is v and b.bitcast(y, F64) is y  # no cast to the same type
    v = b.add(v, b.zext(c, I64))
    v = b.add(v, b.bitcast(b.sitofp(v, F64), I64))
    bt = b.trunc(v, I1)
    pi = b.inttoptr(b.ptrtoint(arr, I64), PTR)
    dp = b.load(b.gep(pi, [ir.Constant(I64, 16)], source_etype=I8), typ=PTR, name="data")
    dp.set_metadata("tbaa", other)
    dp2 = b.load(b.gep(pi, [ir.Constant(I64, 16)], source_etype=I8), typ=PTR, name="data")
    n = b.load(arr, typ=I64, name="len")
    e = b.load(b.gep(dp, [n], source_etype=I64), typ=I64, name="")
    b.store(b.trunc(e, I8), b.gep(dp2, [n], source_etype=I8))
    b.store(bt, flag).set_metadata("tbaa", tag)
    g1 = b.load(flag)
    g1.set_metadata("tbaa", tag)
    g1.set_metadata("tbaa", other)  # replaces the first
    b.store(b.load(doubles[0]), doubles[1])
    b.store(b.load(gpair), gpair)
    w = b.extract_value(b.call(ipow, [v, n]), 0)
    w = b.add(w, b.call(odd, [w]))
    # a loop: phis with their edges added later, names that collide and need quotes
    pre = b.block
    head = f.append_basic_block("10")
    body = f.append_basic_block('loop "body"')
    done = f.append_basic_block("done")
    b.branch(head)
    b.position_at_end(head)
    i = b.phi(I64, name="i")
    acc = b.phi(I64, name="i")  # i.1
    b.cbranch(b.icmp_signed("<", i, w), body, done)
    b.position_at_end(body)
    inext = b.add(i, one, name='i"next')
    accn = b.add(acc, i, name="acc\\")
    with b.if_then(g1, likely=False):
        b.call(fail, [d.bitcast(PTR)])
        b.unreachable()
    with b.if_then(b.icmp_signed("==", i, one), likely=True):
        b.store(i, gp.bitcast(PTR))
    with b.if_then(b.icmp_signed("==", i, w)):
        b.store(i, gp)
    b.branch(head)
    latch = b.block
    i.add_incoming(ir.Constant(I64, 0), pre)
    acc.add_incoming(w, pre)
    i.add_incoming(inext, latch)
    acc.add_incoming(accn, latch)
    b.position_at_end(done)
    long = f.append_basic_block("a" * 60)
    b.branch(long)
    b.position_at_end(long)
    with b.if_then(g1):
        b.store(acc, gp)
    b.ret(acc)

    # ---- entry points: a void function, and one passing a function as a value
    run = ir.Function(m, ir.FunctionType(VOID, []), name="ruchy_run")
    b = ir.IRBuilder(run.append_basic_block("entry"))
    b.call(f, [ir.Constant(I64, 0), ir.Constant(I64, 5), ir.Constant(F64, 1.5),
               ir.Constant(PTR, None)])
    b.ret_void()
    main = ir.Function(m, ir.FunctionType(I32, []), name="main")
    b = ir.IRBuilder(main.append_basic_block("entry"))
    b.ret(b.call(big, [run]))
    hf = ir.Function(m, ir.FunctionType(PTR, []), name="ruchy_heat")
    ir.IRBuilder(hf.append_basic_block("entry")).ret(heat.bitcast(PTR))
    twin = ir.Function(m, f.function_type, name=f"{f.name}.twin1")
    twin.linkage = "internal"
    b = ir.IRBuilder(twin.append_basic_block("entry"))
    b.ret(b.call(f, list(twin.args)))
    return str(m)


def test_same_text_as_llvmlite() -> None:
    ours, theirs = build(llir), build(llvmlite_ir)
    assert ours.splitlines() == theirs.splitlines()
    assert ours == theirs


def test_llvm_parses_and_verifies_it() -> None:
    from ruchy_opt.codegen import engine
    engine.parse(build(llir), "t.ruchy")  # raises on a syntax or verifier error


def test_types() -> None:
    I64 = llir.IntType(64)
    assert I64 is llir.IntType(64) and str(I64) == "i64"
    assert llir.DoubleType() is llir.DoubleType() and llir.VoidType() is llir.VoidType()
    assert llir.PointerType() == llir.PointerType(llir.ArrayType(I64, 2))  # opaque
    assert str(llir.LiteralStructType([I64, llir.IntType(1)])) == "{i64, i1}"
    assert str(llir.FunctionType(llir.VoidType(), [I64, llir.PointerType()])) == \
        "void (i64, ptr)"


def test_errors() -> None:
    m = llir.Module()
    f = llir.Function(m, llir.FunctionType(llir.VoidType(), []), name="f")
    with pytest.raises(NameError):
        llir.Function(m, f.function_type, name="f")  # a duplicate global name
    b = llir.IRBuilder(f.append_basic_block("entry"))
    b.ret_void()
    with pytest.raises(AssertionError, match="already terminated"):
        b.ret_void()
    with pytest.raises(TypeError):  # a load from an opaque pointer needs its type
        b.load(llir.Constant(llir.PointerType(), None))
    with pytest.raises(TypeError):
        m.add_metadata([None])


#: run in a child process: the code generator with llvmlite.ir standing in for llir
_WITH_LLVMLITE = """
import sys
import llvmlite.ir
sys.modules["ruchy_opt.codegen.llir"] = llvmlite.ir
sys.path.insert(0, sys.argv[1])
from test_llir import generated
import json
json.dump(generated(), sys.stdout)
"""

PROGRAMS = sorted(str(p) for p in (REPO / "bench" / "programs").glob("*.ruchy"))


def generated() -> dict:
    """The LLVM IR text the code generator makes for the bench programs at tiers 1 and
    2 (twins) and for an exported, counting specialisation (jit/exportgen.py)."""
    from ruchy_opt.codegen.compiler import CompileOptions, compile_source
    from ruchy_opt.errors import SourceFile
    from ruchy_opt.jit.exportgen import generate_export
    from ruchy_opt.jit.native import EXPORT, type_specialisation
    from ruchy_opt.lower import lower_source
    out = {}
    for path in PROGRAMS:
        src = SourceFile(path, Path(path).read_text())
        for tier in (1, 2) if path.endswith("fib.ruchy") else (1,):
            out[f"{path}:{tier}"] = compile_source(
                src, CompileOptions(tier=tier, llvm=False)).llvm_before
    src = SourceFile(PROGRAMS[0], Path(PROGRAMS[0]).read_text())
    module = lower_source(src)
    for name, fn in sorted(module.functions.items()):
        if not name.startswith("ruchy.") and fn.params:
            typed = type_specialisation(module, name, ["i64"] * len(fn.params))
            out[name] = str(generate_export(typed.prog, src, EXPORT, count=True))
    return out


def test_code_generator_same_text_as_with_llvmlite() -> None:
    ours = generated()
    child = subprocess.run([sys.executable, "-c", _WITH_LLVMLITE, str(Path(__file__).parent)],
                           capture_output=True, text=True, cwd=REPO, check=True)
    theirs = json.loads(child.stdout)
    assert len(ours) > len(PROGRAMS) and ours.keys() == theirs.keys()
    for k in ours:
        assert ours[k].splitlines() == theirs[k].splitlines(), k
