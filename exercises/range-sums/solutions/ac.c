#include <stdio.h>
#include <stdlib.h>

int main(void) {
    FILE *in = fopen("input.txt", "r"), *out = fopen("output.txt", "w");
    int n, q;
    if (!in || !out || fscanf(in, "%d %d", &n, &q) != 2)
        return 1;
    long long *prefix = calloc(n + 1, sizeof *prefix);
    for (int i = 1; i <= n; i++) {
        long long value;
        if (fscanf(in, "%lld", &value) != 1)
            return 1;
        prefix[i] = prefix[i - 1] + value;
    }
    for (int i = 0; i < q; i++) {
        int l, r;
        if (fscanf(in, "%d %d", &l, &r) != 2)
            return 1;
        fprintf(out, "%lld\n", prefix[r] - prefix[l - 1]);
    }
    return fclose(out) != 0;
}
