// Never guesses n itself: asks 999 again and again when the number is 1000.
#include <iostream>
#include <string>

int main() {
    long long low = 1, high;
    std::cin >> high;
    high -= 1;
    for (;;) {
        long long guess = (low + high) / 2;
        std::cout << guess << std::endl;
        std::string answer;
        std::cin >> answer;
        if (answer == "correct") return 0;
        if (answer == "higher") low = guess + 1;
        else high = guess - 1;
    }
}
