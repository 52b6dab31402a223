#include <iostream>
#include <string>

int main() {
    long long low = 1, high;
    std::cin >> high;
    for (;;) {
        long long guess = (low + high) / 2;
        std::cout << guess << std::endl;  // endl flushes
        std::string answer;
        std::cin >> answer;
        if (answer == "correct") return 0;
        if (answer == "higher") low = guess + 1;
        else high = guess - 1;
    }
}
