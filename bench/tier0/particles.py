# Particle simulation over a list of objects with float fields (same algorithm as
# particles.ruchy): gravity, drag and bounces off the walls of a box.


class Particle:
    __slots__ = ("x", "y", "vx", "vy", "mass")

    def __init__(self, x, y, vx, vy, mass):
        self.x = x
        self.y = y
        self.vx = vx
        self.vy = vy
        self.mass = mass

    def step(self, dt, w, h):
        self.vy -= 9.81 * dt
        self.vx *= 0.999
        self.vy *= 0.999
        self.x += self.vx * dt
        self.y += self.vy * dt
        bounces = 0
        if self.x < 0.0:
            self.x = -self.x
            self.vx = -self.vx
            bounces += 1
        elif self.x > w:
            self.x = 2.0 * w - self.x
            self.vx = -self.vx
            bounces += 1
        if self.y < 0.0:
            self.y = -self.y
            self.vy = -self.vy * 0.9
            bounces += 1
        elif self.y > h:
            self.y = 2.0 * h - self.y
            self.vy = -self.vy
            bounces += 1
        return bounces

    def energy(self):
        return 0.5 * self.mass * (self.vx * self.vx + self.vy * self.vy) + self.mass * 9.81 * self.y


class Rng:
    __slots__ = ("state",)

    def __init__(self, state):
        self.state = state

    def next(self):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state / 2147483648.0


def total_energy(ps):
    e = 0.0
    for p in ps:
        e += p.energy()
    return e


def main():
    n = 2000
    steps = 300
    dt = 0.01
    w = 100.0
    h = 50.0
    rng = Rng(42)
    ps = []
    for _ in range(n):
        x = rng.next() * w
        y = rng.next() * h
        vx = rng.next() * 20.0 - 10.0
        vy = rng.next() * 20.0 - 10.0
        ps.append(Particle(x, y, vx, vy, 0.5 + rng.next()))
    print("start energy %.6f" % total_energy(ps))
    bounces = 0
    for s in range(steps):
        for p in ps:
            bounces += p.step(dt, w, h)
        if s % 100 == 99:
            print("step %d energy %.6f bounces %d" % (s + 1, total_energy(ps), bounces))
    sx = 0.0
    sy = 0.0
    for p in ps:
        sx += p.x
        sy += p.y
    print("mean x %.6f mean y %.6f" % (sx / n, sy / n))


main()
