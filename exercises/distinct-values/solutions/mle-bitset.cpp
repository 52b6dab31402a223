#include <iostream>
#include <vector>

int main() {
    // One bit per possible value: 125 MB, zeroed, over the 64 MiB limit.
    std::vector<bool> seen(1'000'000'001);
    int n, count = 0;
    std::cin >> n;
    for (int i = 0; i < n; i++) {
        int x;
        std::cin >> x;
        count += !seen[x];
        seen[x] = true;
    }
    std::cout << count << '\n';
}
