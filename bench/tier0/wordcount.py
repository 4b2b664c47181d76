# Word count (same algorithm as wordcount.ruchy): LCG-generated text of syllable words,
# split on white space, counted in a dict; then the most frequent words.


class Rng:
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def below(self, n):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state // 65536) % n


def make_text(rng, words):
    syllables = ["ka", "to", "ri", "me", "su", "la", "no", "pe", "zu", "vi"]
    parts = []
    for i in range(words):
        k = 1 + rng.below(3)
        parts.append("".join(syllables[rng.below(10)] for _ in range(k)))
        parts.append("\n" if i % 12 == 11 else " ")
    return "".join(parts)


def main():
    rng = Rng(2024)
    text = make_text(rng, 120000)
    counts = {}
    for rnd in range(4):
        for w in text.split():
            counts[w] = counts.get(w, 0) + 1
        print(f"round {rnd} distinct {len(counts)}")
    top = sorted(counts.items(), key=lambda p: (-p[1], p[0]))
    for w, c in top[:8]:
        print(f"{w} {c}")
    print(f"words {sum(c for _, c in top)} distinct {len(top)}")


main()
