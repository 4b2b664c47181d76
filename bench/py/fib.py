"""Recursive Fibonacci (bench/c/fib.c): calls and integer adds. python fib.py N"""
import sys


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


sys.setrecursionlimit(10000)
print(fib(int(sys.argv[1])))
