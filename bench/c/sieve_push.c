#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
/* flags grown by doubling, as a Vec's push does */
static long sieve(long n) {
    bool *flags = NULL;
    long len = 0, cap = 0;
    for (long k = 0; k <= n; k++) {
        if (len == cap) { cap = cap ? cap * 2 : 4; flags = realloc(flags, cap); }
        flags[len++] = k >= 2;
    }
    for (long i = 2; i * i <= n; i++)
        if (flags[i])
            for (long j = i * i; j <= n; j += i) flags[j] = false;
    long count = 0;
    for (long k = 0; k <= n; k++) count += flags[k];
    free(flags);
    return count;
}
int main(int argc, char **argv) {
    long reps = atol(argv[1]), total = 0;
    for (long r = 0; r < reps; r++) total += sieve(2000000);
    printf("%ld\n", total);
    return 0;
}
