#include <fstream>
#include <vector>

int main() {
    std::ifstream in("input.txt");
    std::ofstream out("output.txt");
    int n, q;
    in >> n >> q;
    std::vector<int> prefix(n + 1);  // sums overflow 32 bits
    for (int i = 1; i <= n; i++) {
        int value;
        in >> value;
        prefix[i] = prefix[i - 1] + value;
    }
    while (q--) {
        int l, r;
        in >> l >> r;
        out << prefix[r] - prefix[l - 1] << '\n';
    }
}
