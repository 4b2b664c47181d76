#include <stdio.h>
#include <stdlib.h>
static long mandel(long size, long max_iter) {
    long inside = 0;
    for (long py = 0; py < size; py++) {
        double y0 = (double)py * 2.0 / (double)size - 1.0;
        for (long px = 0; px < size; px++) {
            double x0 = (double)px * 3.0 / (double)size - 2.0;
            double x = 0.0, y = 0.0;
            long k = 0;
            while (k < max_iter && x * x + y * y <= 4.0) {
                double t = x * x - y * y + x0;
                y = 2.0 * x * y + y0;
                x = t;
                k++;
            }
            if (k == max_iter) inside++;
        }
    }
    return inside;
}
int main(int argc, char **argv) { printf("%ld\n", mandel(atol(argv[1]), 100)); return 0; }
