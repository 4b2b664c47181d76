"""N steps of the five-body simulation (bench/c/nbody.c), energy before and after.
python nbody.py N"""
import sys
from math import sqrt

PI = 3.141592653589793
SM = 4.0 * PI * PI
DPY = 365.24
NB = 5
X = [0.0, 4.84143144246472090e+00, 8.34336671824457987e+00, 1.28943695621391310e+01,
     1.53796971148509165e+01]
Y = [0.0, -1.16032004402742839e+00, 4.12479856412430479e+00, -1.51111514016986312e+01,
     -2.59193146099879641e+01]
Z = [0.0, -1.03622044471123109e-01, -4.03523417114321381e-01, -2.23307578892655734e-01,
     1.79258772950371181e-01]
VX = [0.0, 1.66007664274403694e-03 * DPY, -2.76742510726862411e-03 * DPY,
      2.96460137564761618e-03 * DPY, 2.68067772490389322e-03 * DPY]
VY = [0.0, 7.69901118419740425e-03 * DPY, 4.99852801234917238e-03 * DPY,
      2.37847173959480950e-03 * DPY, 1.62824170038242295e-03 * DPY]
VZ = [0.0, -6.90460016972063023e-05 * DPY, 2.30417297573763929e-05 * DPY,
      -2.96589568540237556e-05 * DPY, -9.51592254519715870e-05 * DPY]
M = [SM, 9.54791938424326609e-04 * SM, 2.85885980666130812e-04 * SM,
     4.36624404335156298e-05 * SM, 5.15138902046611451e-05 * SM]


def energy(x, y, z, vx, vy, vz, m):
    e = 0.0
    for i in range(NB):
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i])
        for j in range(i + 1, NB):
            dx, dy, dz = x[i] - x[j], y[i] - y[j], z[i] - z[j]
            e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def advance(dt, steps, x, y, z, vx, vy, vz, m):
    for _ in range(steps):
        for i in range(NB):
            for j in range(i + 1, NB):
                dx, dy, dz = x[i] - x[j], y[i] - y[j], z[i] - z[j]
                d2 = dx * dx + dy * dy + dz * dz
                mag = dt / (d2 * sqrt(d2))
                vx[i] -= dx * m[j] * mag
                vy[i] -= dy * m[j] * mag
                vz[i] -= dz * m[j] * mag
                vx[j] += dx * m[i] * mag
                vy[j] += dy * m[i] * mag
                vz[j] += dz * m[i] * mag
        for i in range(NB):
            x[i] += dt * vx[i]
            y[i] += dt * vy[i]
            z[i] += dt * vz[i]


def main(n):
    px = sum(VX[i] * M[i] for i in range(NB))
    py = sum(VY[i] * M[i] for i in range(NB))
    pz = sum(VZ[i] * M[i] for i in range(NB))
    VX[0], VY[0], VZ[0] = -px / SM, -py / SM, -pz / SM
    state = (X, Y, Z, VX, VY, VZ, M)
    print(f"{energy(*state):.9f}")
    advance(0.01, n, *state)
    print(f"{energy(*state):.9f}")


main(int(sys.argv[1]))
