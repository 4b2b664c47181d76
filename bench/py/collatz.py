"""The longest Collatz chain below N (bench/c/collatz.c). python collatz.py N"""
import sys


def chain(n):
    steps = 1
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def main(n):
    best = best_start = 0
    for i in range(1, n):
        s = chain(i)
        if s > best:
            best, best_start = s, i
    print(best_start, best)


main(int(sys.argv[1]))
