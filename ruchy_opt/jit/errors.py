"""The exception that keeps code in the interpreter. Its own module so that the tier-0
translator's OSR analysis (osr.py) can name it without importing ctypes and the native
loader (~10 ms of every run's start-up)."""
from __future__ import annotations


class CannotCompile(Exception):
    """This specialisation stays in the interpreter; the message says why."""
