// Timing both float32 product libraries on a layer's feed-forward shapes and remembering the faster.
#include "faster_float_products.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string_view>
#include <tuple>
#include <vector>

namespace bertlab {
namespace {

struct Choice {
    FloatProducts products = FloatProducts::OpenBlas;
    double speedup = 1.0;  // OpenBLAS's time over oneDNN's
};

using ShapeClass = std::tuple<int, int, int>;  // measured rows, hidden, intermediate

std::mutex choicesMutex;
std::map<ShapeClass, Choice>& choices()
{
    static std::map<ShapeClass, Choice> known;
    return known;
}

// Seconds for one feed-forward product forward ([m, H] · [I, H]ᵀ) and its input gradient
// ([m, I] · [I, H]) on `products`.
double timeProducts(FloatProducts products, int m, int H, int I, std::vector<float>& x, std::vector<float>& w,
                    std::vector<float>& y, std::vector<float>& back)
{
    const FloatProductsScope scope(products);
    const auto start = std::chrono::steady_clock::now();
    sgemm(false, true, m, I, H, 1.0f, x.data(), H, w.data(), H, 0.0f, y.data(), I);
    sgemm(false, false, m, H, I, 1.0f, y.data(), I, w.data(), H, 0.0f, back.data(), H);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Choice measure(int m, int H, int I)
{
    std::vector<float> x(static_cast<size_t>(m) * H), w(static_cast<size_t>(I) * H), y(static_cast<size_t>(m) * I),
        back(static_cast<size_t>(m) * H);
    // Small values of both signs: no denormals, no overflow, nothing a kernel could skip.
    for (size_t i = 0; i < x.size(); ++i) x[i] = 0.01f * static_cast<float>(static_cast<int>(i % 13) - 6);
    for (size_t i = 0; i < w.size(); ++i) w[i] = 0.01f * static_cast<float>(static_cast<int>(i % 11) - 5);
    const FloatProducts both[2] = {FloatProducts::OpenBlas, FloatProducts::OneDnn};
    double best[2] = {1e30, 1e30};
    for (FloatProducts p : both) timeProducts(p, m, H, I, x, w, y, back);  // oneDNN compiles its kernels, pages fault in
    // Alternating, so that a busy moment on a shared machine hurts both alike; the best of five.
    for (int round = 0; round < 5; ++round)
        for (int i = 0; i < 2; ++i) best[i] = std::min(best[i], timeProducts(both[i], m, H, I, x, w, y, back));
    Choice c;
    c.speedup = best[0] / best[1];
    c.products = c.speedup >= 1.03 ? FloatProducts::OneDnn : FloatProducts::OpenBlas;
    return c;
}

} // namespace

FloatProducts fasterFloatProducts(int rows, int hidden, int intermediate)
{
    if (const char* forced = std::getenv("BERTLAB_SGEMM")) {
        if (std::string_view(forced) == "onednn") return FloatProducts::OneDnn;
        if (std::string_view(forced) == "openblas") return FloatProducts::OpenBlas;
    }
    const ShapeClass shape{rows <= 160 ? 64 : 256, hidden, intermediate};
    const std::lock_guard lock(choicesMutex);
    auto& known = choices();
    auto it = known.find(shape);
    if (it == known.end()) it = known.emplace(shape, measure(std::get<0>(shape), hidden, intermediate)).first;
    return it->second.products;
}

std::string fasterFloatProductsSummary()
{
    const std::lock_guard lock(choicesMutex);
    std::string out;
    for (const auto& [shape, choice] : choices()) {
        char line[160];
        std::snprintf(line, sizeof line, "%s%d rows of %d: %s (oneDNN %.2fx OpenBLAS's speed)", out.empty() ? "" : "; ",
                      std::get<0>(shape), std::get<1>(shape),
                      choice.products == FloatProducts::OneDnn ? "oneDNN" : "OpenBLAS", choice.speedup);
        out += line;
    }
    return out.empty() ? "not measured" : out;
}

} // namespace bertlab
