# An expression evaluator over trees of tagged objects (same algorithm as
# exprtree.ruchy), evaluated recursively with a match statement, many times.
M = 1000003


class Num:
    __slots__ = ("value",)
    __match_args__ = ("value",)

    def __init__(self, value):
        self.value = value


class Add:
    __slots__ = ("a", "b")
    __match_args__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Mul:
    __slots__ = ("a", "b")
    __match_args__ = ("a", "b")

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Neg:
    __slots__ = ("a",)
    __match_args__ = ("a",)

    def __init__(self, a):
        self.a = a


class Rng:
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state // 65536) % n


def build(rng, depth):
    if depth == 0 or rng.below(10) < 2:
        return Num(rng.below(1000))
    k = rng.below(3)
    if k == 0:
        return Add(build(rng, depth - 1), build(rng, depth - 1))
    if k == 1:
        return Mul(build(rng, depth - 1), build(rng, depth - 1))
    return Neg(build(rng, depth - 1))


def evaluate(e):
    match e:
        case Num(n):
            return n
        case Add(a, b):
            return (evaluate(a) + evaluate(b)) % M
        case Mul(a, b):
            return (evaluate(a) * evaluate(b)) % M
        case Neg(a):
            return (M - evaluate(a)) % M


def size(e):
    match e:
        case Num():
            return 1
        case Add(a, b) | Mul(a, b):
            return 1 + size(a) + size(b)
        case Neg(a):
            return 1 + size(a)


def main():
    rng = Rng(7)
    trees = []
    nodes = 0
    for _ in range(100):
        t = build(rng, 10)
        nodes += size(t)
        trees.append(t)
    print("trees 100 nodes %d" % nodes)
    checksum = 0
    for rnd in range(40):
        for t in trees:
            checksum = (checksum * 31 + evaluate(t) + rnd) % M
    print("checksum %d" % checksum)


main()
