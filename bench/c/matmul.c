#include <stdio.h>
#include <stdlib.h>
static double matmul(long n) {
    double *a = calloc(n * n, sizeof(double)), *b = calloc(n * n, sizeof(double)),
           *c = calloc(n * n, sizeof(double));
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++) {
            a[i * n + j] = (double)((i * j) % 7) + 0.5;
            b[i * n + j] = (double)((i + j) % 5) - 1.0;
        }
    for (long i = 0; i < n; i++)
        for (long k = 0; k < n; k++) {
            double aik = a[i * n + k];
            for (long j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
        }
    double s = 0.0;
    for (long i = 0; i < n * n; i++) s += c[i];
    return s;
}
int main(int argc, char **argv) {
    double s = matmul(atol(argv[1]));
    /* Ruchy prints the shortest round-trip form; %.17g then trimmed is close enough for
       the checksum comparison the runner does (it compares numerically). */
    printf("%.17g\n", s);
    return 0;
}
