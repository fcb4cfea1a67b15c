// Which example a training run reads at each position: a pure function of seed and position.
#pragma once

#include <cstdint>
#include <vector>

namespace bertlab {

// The order of one run over a file of `count` examples. Position g (0, 1, ...) counts examples
// consumed since the start of the run; epoch g / count reads a permutation seeded by (seed,
// epoch), or the file order when shuffle is off. Being stateless, resuming needs only g.
class DataOrder {
public:
    DataOrder(int64_t count, uint64_t seed, bool shuffle);
    int64_t at(int64_t position);

private:
    int64_t count_;
    uint64_t seed_;
    bool shuffle_;
    int64_t epoch_ = -1;
    std::vector<int64_t> permutation_;
};

} // namespace bertlab
