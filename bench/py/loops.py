"""Nested loops with xor and modulo (bench/c/loops.c). python loops.py N"""
import sys


def work(n):
    s = 0
    for i in range(n):
        for j in range(n):
            s = (s * 31 + (i ^ j)) % 1000003
    return s


print(work(int(sys.argv[1])))
