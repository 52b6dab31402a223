#include <stdio.h>
#include <stdlib.h>

static int descending(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1)
        return 1;
    long *v = malloc(sizeof *v * n);
    for (int i = 0; i < n; i++)
        if (scanf("%ld", &v[i]) != 1)
            return 1;
    qsort(v, n, sizeof *v, descending);
    for (int i = 0; i < n; i++)
        printf("%ld ", v[i]);
    putchar('\n');
    return 0;
}
