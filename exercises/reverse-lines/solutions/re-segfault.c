#include <stdio.h>

int main(void) {
    char *lines[4];
    int n = 0;
    char buffer[256];
    while (fgets(buffer, sizeof buffer, stdin))
        lines[n++] = buffer;
    volatile char *nowhere = NULL;
    *nowhere = 1;  /* crash */
    return 0;
}
