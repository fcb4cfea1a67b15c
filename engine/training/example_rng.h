// The seeded random source of pretraining data (pairing, truncation, masking), the same on every platform.
#pragma once

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace bertlab {

// Python's random.Random cannot be reproduced bit for bit, so every draw is defined here,
// independent of the C++ standard library's distributions (which differ between implementations):
// one std::mt19937_64 seeded with the seed; random() takes the top 53 bits of one draw as a double
// in [0, 1); randint(a, b) is inclusive and unbiased (rejection sampling of one 64-bit draw);
// shuffle() is Fisher-Yates from the back, like random.shuffle. The example builder draws in
// exactly the order the reference script does, so same seed, same corpus and same vocab give
// byte-identical output on every platform.
class ExampleRng {
public:
    explicit ExampleRng(uint64_t seed) : engine_(seed) {}
    double random();
    int64_t randint(int64_t a, int64_t b);
    template <typename T>
    void shuffle(std::vector<T>& items)
    {
        for (size_t i = items.size(); i > 1; --i) {
            const auto j = static_cast<size_t>(randint(0, static_cast<int64_t>(i) - 1));
            std::swap(items[i - 1], items[j]);
        }
    }

private:
    std::mt19937_64 engine_;
};

} // namespace bertlab
