// The run estimate the new-run dialog shows and bertlab-cli train prints: a FLOP count at a measured product speed.
#include "training/run_estimate.h"

#include "training/parameter_buffer.h"
#include "training/product_speed.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace bertlab {
namespace {

// A whole step runs at about half the speed of its feed-forward products alone, per thread:
// attention's smaller products, softmax, LayerNorm, GELU, dropout, the loss, the optimizer and the
// threads' barriers take the rest (Tiny and Mini runs on 2 threads, docs/training.md).
constexpr double kStepEfficiency = 0.5;
// bfloat16 speeds the products only; the rest of a step stays float32 work, so a step gains far less
// than its products (2.1× on Mini, 1.7× on Tiny at 32 × 128, docs/performance.md): credit it at
// most 1.5× float32, so that the estimate errs long.
constexpr double kBfloat16StepGainCap = 1.5;
// What a step costs however small the model: batch assembly, thread start-up at each parallel
// loop, the optimizer's pass. Without it a toy model's estimate reads "0 ms per step".
constexpr double kStepOverheadSeconds = 0.005;

std::string bytesText(double bytes)
{
    const char* units[] = {"bytes", "KB", "MB", "GB", "TB"};
    int u = 0;
    while (bytes >= 1024.0 && u < 4) bytes /= 1024.0, ++u;
    char text[32];
    std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.1f %s", bytes, units[u]);
    return text;
}

std::string secondsText(double s)
{
    char text[32];
    if (s < 1.0)
        std::snprintf(text, sizeof text, "%.0f ms", s * 1000.0);
    else if (s < 120.0)
        std::snprintf(text, sizeof text, "%.1f s", s);
    else if (s < 7200.0)
        std::snprintf(text, sizeof text, "%.0f min", s / 60.0);
    else
        std::snprintf(text, sizeof text, "%.1f h", s / 3600.0);
    return text;
}

} // namespace

RunEstimate estimateRun(const BertConfig& config, int batch, int seqLength, int maxPredictions, int threads,
                        Precision precision)
{
    RunEstimate e;
    const ParameterLayout layout(config);
    e.parameters = static_cast<int64_t>(layout.total);
    const double H = config.hiddenSize, L = config.numHiddenLayers, I = config.intermediateSize;
    const double V = config.vocabSize, A = config.numAttentionHeads, B = batch, S = seqLength;
    const double P = std::min<double>(maxPredictions, std::ceil(S * 0.15)) * B;  // masked positions per step
    // Forward + backward ≈ 3 × forward; a matmul of m×k by k×n costs 2mkn.
    const double encoderWeights = L * (4 * H * H + 2 * H * I);
    const double attention = L * 2 * 2 * B * S * S * H;
    const double head = P * (H * H + H * V) * 2 + B * (H * H + 2 * H) * 2;
    e.flopsPerStep = 3 * (2 * B * S * encoderWeights + attention + head);
    const double f32 = measuredProductGflopsPerThread(Precision::Float32, config.hiddenSize);
    const double products = precision == Precision::Bfloat16
                                ? std::min(measuredProductGflopsPerThread(precision, config.hiddenSize), kBfloat16StepGainCap * f32)
                                : f32;
    e.gflopsPerThread = kStepEfficiency * products;
    e.secondsPerStep = kStepOverheadSeconds + e.flopsPerStep / (e.gflopsPerThread * 1e9 * std::max(1, threads));
    // Weights, gradients and two Adam moments; then the activations kept for the backward pass.
    const double state = 4.0 * 4.0 * double(layout.total);
    const double activations = 4.0 * B * L * (S * (12 * H + 2 * I) + 3 * A * S * S) + 4.0 * 2 * P * V;
    e.memoryBytes = state + activations;
    e.checkpointBytes = checkpointBytes(config);
    return e;
}

double checkpointBytes(const BertConfig& config)
{
    return double(ParameterLayout(config).total) * 4.0 * 3.0 + double(4u << 20);
}

std::string describeEstimate(const RunEstimate& e, int threads, int64_t steps)
{
    return std::to_string(e.parameters) + " parameters, about " + bytesText(e.memoryBytes) + " of memory, about " +
           secondsText(e.secondsPerStep) + " per step on " + std::to_string(std::max(1, threads)) + " thread(s), " +
           secondsText(e.secondsPerStep * double(steps)) + " for " + std::to_string(steps) + " steps (rough: " +
           std::to_string(static_cast<int>(e.gflopsPerThread)) + " GFLOP/s per thread, from products timed here)";
}

} // namespace bertlab
