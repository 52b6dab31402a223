// Expects "found" where the interactor says "correct": throws once the number
// is found, after the interactor accepted it; the crash is the verdict.
#include <iostream>
#include <stdexcept>
#include <string>

int main() {
    long long low = 1, high;
    std::cin >> high;
    for (;;) {
        long long guess = (low + high) / 2;
        std::cout << guess << std::endl;
        std::string answer;
        std::cin >> answer;
        if (answer == "found") return 0;
        if (answer == "higher") low = guess + 1;
        else if (answer == "lower") high = guess - 1;
        else throw std::runtime_error("unexpected answer: " + answer);
    }
}
