#include <stdio.h>
#include <stdlib.h>
static long chain(long n) {
    long steps = 1;
    while (n != 1) { n = (n % 2 == 0) ? n / 2 : 3 * n + 1; steps++; }
    return steps;
}
int main(int argc, char **argv) {
    long n = atol(argv[1]), best = 0, best_start = 0;
    for (long i = 1; i < n; i++) { long s = chain(i); if (s > best) { best = s; best_start = i; } }
    printf("%ld %ld\n", best_start, best);
    return 0;
}
