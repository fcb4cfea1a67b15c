// BERT's pre-training masking procedure, replayed on one sentence with a user-chosen seed.
#include "masking_lab.h"

#include <cmath>
#include <random>

namespace bertlab::ui {

namespace {

// Unbiased integer in [0, n) from the raw engine: std::uniform_int_distribution differs between
// standard libraries, and the same seed should give the same lab everywhere.
std::uint32_t drawBelow(std::mt19937& rng, std::uint32_t n)
{
    const std::uint32_t limit = static_cast<std::uint32_t>((std::uint64_t{1} << 32) / n * n - 1);
    for (;;) {
        const std::uint32_t x = rng();
        if (x <= limit)
            return x % n;
    }
}

double drawUnit(std::mt19937& rng)
{
    return static_cast<double>(rng()) / 4294967296.0;  // [0, 1)
}

} // namespace

int maskingChosenCount(int candidates)
{
    if (candidates <= 0)
        return 0;
    const int n = static_cast<int>(std::floor(0.15 * candidates + 0.5));
    return n < 1 ? 1 : n;
}

MaskingResult applyPretrainingMasking(const MaskingInput& input, std::uint32_t seed)
{
    MaskingResult r;
    const size_t t = input.ids.size();
    r.actions.assign(t, MaskAction::NotChosen);
    r.newIds = input.ids;

    std::vector<size_t> pool;
    for (size_t i = 0; i < t; ++i)
        if (!(i < input.special.size() && input.special[i]))
            pool.push_back(i);
    r.candidates = static_cast<int>(pool.size());
    r.chosen = maskingChosenCount(r.candidates);

    std::mt19937 rng(seed);
    // Partial Fisher–Yates: the first `chosen` slots become a uniform random subset.
    for (int k = 0; k < r.chosen; ++k) {
        const size_t j = static_cast<size_t>(k) + drawBelow(rng, static_cast<std::uint32_t>(pool.size() - static_cast<size_t>(k)));
        std::swap(pool[static_cast<size_t>(k)], pool[j]);
    }
    for (int k = 0; k < r.chosen; ++k) {
        const size_t pos = pool[static_cast<size_t>(k)];
        const double u = drawUnit(rng);
        if (u < 0.8) {
            r.actions[pos] = MaskAction::Masked;
            r.newIds[pos] = input.maskId;
        } else if (u < 0.9) {
            r.actions[pos] = MaskAction::Random;
            if (!input.replacementIds.empty())
                r.newIds[pos] = input.replacementIds[drawBelow(rng, static_cast<std::uint32_t>(input.replacementIds.size()))];
        } else {
            r.actions[pos] = MaskAction::Unchanged;
        }
    }
    return r;
}

} // namespace bertlab::ui
