#include <stdio.h>

int main(void) {
    int x;  /* x * x overflows for the big values */
    while (scanf("%d", &x) == 1)
        printf("%d\n", x * x);
    return 0;
}
