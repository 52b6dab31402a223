#include <iostream>
#include <string>
#include <vector>

int main() {
    std::vector<std::string> lines;
    for (std::string line; std::getline(std::cin, line);)
        lines.push_back(line);
    // One past the end: at() throws std::out_of_range, never caught.
    for (std::size_t i = lines.size(); i > 0; i--)
        std::cout << lines.at(i) << '\n';
}
