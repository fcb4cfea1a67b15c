// Seeded per-epoch permutations of the training examples.
#include "training/data_order.h"

#include "error.h"
#include "layers/counter_random.h"

#include <numeric>
#include <utility>

namespace bertlab {

DataOrder::DataOrder(int64_t count, uint64_t seed, bool shuffle) : count_(count), seed_(seed), shuffle_(shuffle)
{
    if (count <= 0) throw Error("there are no training examples");
}

int64_t DataOrder::at(int64_t position)
{
    const int64_t epoch = position / count_, index = position % count_;
    if (!shuffle_) return index;
    if (epoch != epoch_) {
        permutation_.resize(static_cast<size_t>(count_));
        std::iota(permutation_.begin(), permutation_.end(), 0);
        // Fisher-Yates with our own counter-based draws: identical on every platform.
        const uint64_t key = layers::mixKey(seed_ ^ 0x53485546464c45ull, static_cast<uint64_t>(epoch));
        for (int64_t i = count_ - 1; i > 0; --i) {
            const uint64_t r = layers::mixKey(key, static_cast<uint64_t>(i));
            const int64_t j = static_cast<int64_t>(r % static_cast<uint64_t>(i + 1));
            std::swap(permutation_[static_cast<size_t>(i)], permutation_[static_cast<size_t>(j)]);
        }
        epoch_ = epoch;
    }
    return permutation_[static_cast<size_t>(index)];
}

} // namespace bertlab
