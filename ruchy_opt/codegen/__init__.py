"""Code generation through llvmlite: typed SSA -> LLVM IR, the runtime library in LLVM
IR (``rt/``), the JIT and ahead-of-time object files. Importing this package does not
import llvmlite; the submodules that need it do.
"""
