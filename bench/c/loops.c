#include <stdio.h>
#include <stdlib.h>
static long work(long n) {
    long s = 0;
    for (long i = 0; i < n; i++)
        for (long j = 0; j < n; j++)
            s = (s * 31 + (i ^ j)) % 1000003;
    return s;
}
int main(int argc, char **argv) { printf("%ld\n", work(atol(argv[1]))); return 0; }
