#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#define NB 5
static double x[NB], y[NB], z[NB], vx[NB], vy[NB], vz[NB], m[NB];
static double energy(void) {
    double e = 0.0;
    for (int i = 0; i < NB; i++) {
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < NB; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
            e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}
static void advance(double dt) {
    for (int i = 0; i < NB; i++)
        for (int j = i + 1; j < NB; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            vx[i] -= dx * m[j] * mag; vy[i] -= dy * m[j] * mag; vz[i] -= dz * m[j] * mag;
            vx[j] += dx * m[i] * mag; vy[j] += dy * m[i] * mag; vz[j] += dz * m[i] * mag;
        }
    for (int i = 0; i < NB; i++) { x[i] += dt * vx[i]; y[i] += dt * vy[i]; z[i] += dt * vz[i]; }
}
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    const double PI = 3.141592653589793, SM = 4.0 * PI * PI, DPY = 365.24;
    double ix[NB] = {0.0, 4.84143144246472090e+00, 8.34336671824457987e+00, 1.28943695621391310e+01, 1.53796971148509165e+01};
    double iy[NB] = {0.0, -1.16032004402742839e+00, 4.12479856412430479e+00, -1.51111514016986312e+01, -2.59193146099879641e+01};
    double iz[NB] = {0.0, -1.03622044471123109e-01, -4.03523417114321381e-01, -2.23307578892655734e-01, 1.79258772950371181e-01};
    double ivx[NB] = {0.0, 1.66007664274403694e-03 * DPY, -2.76742510726862411e-03 * DPY, 2.96460137564761618e-03 * DPY, 2.68067772490389322e-03 * DPY};
    double ivy[NB] = {0.0, 7.69901118419740425e-03 * DPY, 4.99852801234917238e-03 * DPY, 2.37847173959480950e-03 * DPY, 1.62824170038242295e-03 * DPY};
    double ivz[NB] = {0.0, -6.90460016972063023e-05 * DPY, 2.30417297573763929e-05 * DPY, -2.96589568540237556e-05 * DPY, -9.51592254519715870e-05 * DPY};
    double im[NB] = {SM, 9.54791938424326609e-04 * SM, 2.85885980666130812e-04 * SM, 4.36624404335156298e-05 * SM, 5.15138902046611451e-05 * SM};
    for (int i = 0; i < NB; i++) { x[i] = ix[i]; y[i] = iy[i]; z[i] = iz[i]; vx[i] = ivx[i]; vy[i] = ivy[i]; vz[i] = ivz[i]; m[i] = im[i]; }
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NB; i++) { px += vx[i] * m[i]; py += vy[i] * m[i]; pz += vz[i] * m[i]; }
    vx[0] = -px / SM; vy[0] = -py / SM; vz[0] = -pz / SM;
    printf("%.9f\n", energy());
    for (long s = 0; s < n; s++) advance(0.01);
    printf("%.9f\n", energy());
    return 0;
}
