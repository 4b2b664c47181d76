# Lazy iterator chains (same algorithm as iterchain.ruchy): a filtered, mapped sum
# over a range as a generator expression, repeated.


def main():
    n = 20000
    total = 0
    for r in range(120):
        s = sum(x * 2 + r for x in range(n) if (x + r) % 3 != 0)
        total = (total * 31 + s) % 1000000007
    print(f"total {total}")
    evens = sum(1 for x in range(n) if x % 2 == 0)
    big = max(y for y in (x * x for x in range(n)) if y % 7 == 1)
    print(f"evens {evens} big {big}")


main()
