#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (std::scanf("%d", &n) != 1)
        return 1;
    std::vector<long long> numbers(n);
    for (auto &number : numbers)
        if (std::scanf("%lld", &number) != 1)
            return 1;
    std::ranges::sort(numbers);
    for (long long number : numbers)
        std::printf("%lld\n", number);
}
