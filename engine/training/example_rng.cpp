// ExampleRng's draws, defined bit for bit so that examples do not depend on the standard library.
#include "training/example_rng.h"

#include "error.h"

namespace bertlab {

double ExampleRng::random()
{
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

int64_t ExampleRng::randint(int64_t a, int64_t b)
{
    if (b < a) throw Error("internal error: empty random range");
    const uint64_t n = static_cast<uint64_t>(b - a) + 1;
    if (n == 0) return static_cast<int64_t>(engine_());  // the full 64-bit range
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n: draws below it would bias the result
    for (;;) {
        const uint64_t r = engine_();
        if (r >= threshold) return a + static_cast<int64_t>(r % n);
    }
}

} // namespace bertlab
