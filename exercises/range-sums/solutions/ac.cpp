#include <fstream>
#include <vector>

int main() {
    std::ifstream in("input.txt");
    std::ofstream out("output.txt");
    int n, q;
    in >> n >> q;
    std::vector<long long> prefix(n + 1);
    for (int i = 1; i <= n; i++) {
        long long value;
        in >> value;
        prefix[i] = prefix[i - 1] + value;
    }
    while (q--) {
        int l, r;
        in >> l >> r;
        out << prefix[r] - prefix[l - 1] << '\n';
    }
}
