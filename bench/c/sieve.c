#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
static long sieve(long n) {
    bool *flags = malloc(n + 1);
    for (long k = 0; k <= n; k++) flags[k] = true;
    flags[0] = flags[1] = false;
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
    for (long r = 0; r < reps; r++) total += sieve(1000000);
    printf("%ld\n", total);
    return 0;
}
