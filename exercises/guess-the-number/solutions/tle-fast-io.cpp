// The contest habit of untying cin from cout: reading no longer flushes the
// guess, and '\n' does not either, so both sides wait until the wall time is up.
#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    long long low = 1, high;
    std::cin >> high;
    for (;;) {
        long long guess = (low + high) / 2;
        std::cout << guess << '\n';
        std::string answer;
        std::cin >> answer;
        if (answer == "correct") return 0;
        if (answer == "higher") low = guess + 1;
        else high = guess - 1;
    }
}
