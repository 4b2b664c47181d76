# Sorting with key functions (same algorithm as sortkey.ruchy): a list of objects sorted
# by key lambdas (an int, a tuple and a descending key), several times.


class Item:
    __slots__ = ("id", "score", "group")

    def __init__(self, id, score, group):
        self.id = id
        self.score = score
        self.group = group


class Rng:
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state // 65536) % n


def checksum(items):
    c = 0
    for it in items:
        c = (c * 31 + it.id) % 1000000007
    return c


def main():
    rng = Rng(99)
    items = []
    for i in range(20000):
        score = rng.below(1000)
        items.append(Item(i, score, rng.below(50)))
    for rnd in range(6):
        m = rnd * 7 + 3
        items.sort(key=lambda it: (it.score * m) % 1009)
        a = checksum(items)
        items.sort(key=lambda it: (it.group, -it.score))
        b = checksum(items)
        items.sort(key=lambda it: -it.id)
        c = checksum(items)
        print(f"round {rnd} {a} {b} {c}")


main()
