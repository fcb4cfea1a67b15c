// Fixture paths and comparison helpers for the Qt Test executables.
#include "test_support.h"

#include "openblas_library.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace bertlab::testing {
namespace {

// QTEST_MAIN owns main, so every test program loads BLAS here, during static initialisation:
// before main, hence before Qt or a test starts a thread (initBlas sets an environment variable).
[[maybe_unused]] const bool blasLoaded = [] {
    try {
        initBlas();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        std::exit(1);
    }
    return true;
}();

} // namespace

std::string dataPath(const std::string& relative)
{
    // Appended step by step: GCC 12 warns (-Warray-bounds, wrongly) on the chained operator+ at -O2.
    std::string path = BERTLAB_TEST_DATA;
    path += '/';
    path += relative;
    return path;
}

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

float maxAbsDiff(const float* a, const float* b, int64_t n)
{
    float worst = 0.0f;
    for (int64_t i = 0; i < n; ++i) {
        float d = std::fabs(a[i] - b[i]);
        if (!(d <= worst)) worst = d;  // NaN propagates as the worst
    }
    return worst;
}

} // namespace bertlab::testing
