"""N steps of the five-body simulation over a list of body objects
(bench/c/nbody_structs.c), energy before and after. python nbody_structs.py N"""
import sys
from math import sqrt

PI = 3.141592653589793
SM = 4.0 * PI * PI
DPY = 365.24


class Body:
    __slots__ = ("x", "y", "z", "vx", "vy", "vz", "mass")

    def __init__(self, x, y, z, vx, vy, vz, mass):
        self.x, self.y, self.z = x, y, z
        self.vx, self.vy, self.vz = vx, vy, vz
        self.mass = mass


def bodies():
    return [
        Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SM),
        Body(4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
             1.66007664274403694e-03 * DPY, 7.69901118419740425e-03 * DPY,
             -6.90460016972063023e-05 * DPY, 9.54791938424326609e-04 * SM),
        Body(8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
             -2.76742510726862411e-03 * DPY, 4.99852801234917238e-03 * DPY,
             2.30417297573763929e-05 * DPY, 2.85885980666130812e-04 * SM),
        Body(1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
             2.96460137564761618e-03 * DPY, 2.37847173959480950e-03 * DPY,
             -2.96589568540237556e-05 * DPY, 4.36624404335156298e-05 * SM),
        Body(1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
             2.68067772490389322e-03 * DPY, 1.62824170038242295e-03 * DPY,
             -9.51592254519715870e-05 * DPY, 5.15138902046611451e-05 * SM),
    ]


def energy(bs):
    e = 0.0
    n = len(bs)
    for i in range(n):
        b = bs[i]
        e += 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz)
        for j in range(i + 1, n):
            c = bs[j]
            dx, dy, dz = b.x - c.x, b.y - c.y, b.z - c.z
            e -= b.mass * c.mass / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(bs, dt, steps):
    n = len(bs)
    for _ in range(steps):
        for i in range(n):
            b = bs[i]
            for j in range(i + 1, n):
                c = bs[j]
                dx, dy, dz = b.x - c.x, b.y - c.y, b.z - c.z
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * sqrt(d2))
                mi, mj = b.mass, c.mass
                b.vx -= dx * mj * mag
                b.vy -= dy * mj * mag
                b.vz -= dz * mj * mag
                c.vx += dx * mi * mag
                c.vy += dy * mi * mag
                c.vz += dz * mi * mag
        for b in bs:
            b.x += dt * b.vx
            b.y += dt * b.vy
            b.z += dt * b.vz


def main(n):
    bs = bodies()
    px = py = pz = 0.0
    for b in bs:
        px += b.vx * b.mass
        py += b.vy * b.mass
        pz += b.vz * b.mass
    bs[0].vx, bs[0].vy, bs[0].vz = -px / SM, -py / SM, -pz / SM
    print(f"{energy(bs):.9f}")
    advance(bs, 0.01, n)
    print(f"{energy(bs):.9f}")


main(int(sys.argv[1]))
