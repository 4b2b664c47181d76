"""Sieve of Eratosthenes over a preallocated flag list (bench/c/sieve.c), REPS sieves of
one million, written as loops (the algorithm, not slice assignment). python sieve.py REPS"""
import sys


def sieve(n):
    flags = [True] * (n + 1)
    flags[0] = flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for k in range(n + 1):
        if flags[k]:
            count += 1
    return count


reps = int(sys.argv[1])
print(sum(sieve(1000000) for _ in range(reps)))
