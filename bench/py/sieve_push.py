"""Sieve whose flags are appended one at a time (bench/c/sieve_push.c), REPS sieves of
two million. python sieve_push.py REPS"""
import sys


def sieve(n):
    flags = []
    for k in range(n + 1):
        flags.append(k >= 2)
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
print(sum(sieve(2000000) for _ in range(reps)))
