"""Tests of the LLVM tiers. Compiler bugs must fail tests, not fall back quietly."""
import os
import sys

os.environ.setdefault("RUCHY_OPT_STRICT", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
