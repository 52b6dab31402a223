#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    /* one byte per possible value: 1 GB, far over the limit */
    unsigned char *seen = malloc(1000000001);
    if (seen == NULL)
        return 3;
    memset(seen, 0, 1000000001);
    int n, count = 0;
    if (scanf("%d", &n) != 1)
        return 1;
    for (int i = 0; i < n; i++) {
        int x;
        if (scanf("%d", &x) != 1)
            return 1;
        count += !seen[x];
        seen[x] = 1;
    }
    printf("%d\n", count);
    return 0;
}
