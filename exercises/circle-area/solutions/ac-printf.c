#include <math.h>
#include <stdio.h>

int main(void) {
    double r;
    while (scanf("%lf", &r) == 1)
        printf("%.6f\n", M_PI * r * r);
    return 0;
}
