// Gradient, gradient x input and integrated gradients of a target over the word-embedding inputs.
#include "attribution/input_attribution.h"

#include "attribution/target_gradient.h"
#include "bert_model.h"
#include "cancelled.h"
#include "error.h"

#include <cmath>
#include <numeric>

namespace bertlab {
namespace {

// Activations one IG batch may hold: BERT-Base at 64 tokens then runs ~13 of its 32 steps at a
// time; BERT-Large at 512 tokens one step at a time (~1.3 GB, as any autograd pass needs).
constexpr size_t kBatchBudgetBytes = size_t(512) << 20;

} // namespace

std::string_view attributionMethodName(AttributionMethod method)
{
    switch (method) {
    case AttributionMethod::Gradient: return "grad";
    case AttributionMethod::GradientTimesInput: return "grad-input";
    case AttributionMethod::IntegratedGradients: return "ig";
    }
    return "grad-input";
}

std::optional<AttributionMethod> parseAttributionMethod(std::string_view name)
{
    for (AttributionMethod m : {AttributionMethod::Gradient, AttributionMethod::GradientTimesInput,
                                AttributionMethod::IntegratedGradients})
        if (attributionMethodName(m) == name) return m;
    return std::nullopt;
}

InputAttribution attributeInputs(const BertModel& model, const Encoding& input, const AttributionRequest& request,
                                 std::stop_token stop, const AttributionProgress& progress)
{
    const BertConfig& c = model.config();
    const size_t want = static_cast<size_t>(c.numHiddenLayers) * c.numAttentionHeads;
    if (!request.headMultipliers.empty() && request.headMultipliers.size() != want)
        throw Error("head multipliers need one value per layer and head (" + std::to_string(want) + "), not " +
                    std::to_string(request.headMultipliers.size()));
    const bool ig = request.method == AttributionMethod::IntegratedGradients;
    if (ig && (request.steps < 1 || request.steps > 10000))
        throw Error("--steps must be between 1 and 10000, not " + std::to_string(request.steps));

    InputAttribution out;
    out.method = request.method;
    out.target = resolveTarget(model, input, request.target, request.headMultipliers, stop);
    TargetGradient pass(model, input, out.target, request.headMultipliers, stop);
    const int T = pass.tokens(), H = pass.hidden();
    const std::vector<float>& e = pass.wordVectors();
    std::vector<double> values;
    out.values.assign(static_cast<size_t>(T), 0.0);

    if (!ig) {
        if (progress) progress(0, 1);
        pass.run(e.data(), 1, values, true);
        const float* g = pass.gradient();
        for (int t = 0; t < T; ++t) {
            double acc = 0.0;
            for (int h = 0; h < H; ++h) {
                const size_t i = static_cast<size_t>(t) * H + h;
                acc += request.method == AttributionMethod::Gradient ? static_cast<double>(g[i]) * g[i]
                                                                     : static_cast<double>(e[i]) * g[i];
            }
            out.values[static_cast<size_t>(t)] = request.method == AttributionMethod::Gradient ? std::sqrt(acc) : acc;
        }
        if (progress) progress(1, 1);
    } else {
        const int N = request.steps;
        out.steps = N;
        const int fit = pass.copiesWithin(kBatchBudgetBytes);
        const int chunks = (N + fit - 1) / fit;
        const int perChunk = (N + chunks - 1) / chunks;  // balanced batches
        const int total = chunks + 1;
        if (progress) progress(0, total);
        std::vector<double> gradSum(static_cast<size_t>(T) * H, 0.0);
        std::vector<float> scaled;
        for (int first = 0, done = 0; first < N; first += perChunk, ++done) {
            const int copies = std::min(perChunk, N - first);
            scaled.resize(static_cast<size_t>(copies) * T * H);
            for (int k = 0; k < copies; ++k) {
                const float alpha = static_cast<float>((first + k + 0.5) / N);  // midpoint rule
                for (size_t i = 0; i < e.size(); ++i) scaled[static_cast<size_t>(k) * e.size() + i] = alpha * e[i];
            }
            pass.run(scaled.data(), copies, values, true);
            const float* g = pass.gradient();
            for (int k = 0; k < copies; ++k)
                for (size_t i = 0; i < e.size(); ++i) gradSum[i] += g[static_cast<size_t>(k) * e.size() + i];
            if (progress) progress(done + 1, total);
        }
        for (int t = 0; t < T; ++t) {
            double acc = 0.0;
            for (int h = 0; h < H; ++h) {
                const size_t i = static_cast<size_t>(t) * H + h;
                acc += static_cast<double>(e[i]) * gradSum[i];
            }
            out.values[static_cast<size_t>(t)] = acc / N;
        }
        if (stop.stop_requested()) throw Cancelled();
        const std::vector<float> zero(e.size(), 0.0f);
        pass.run(zero.data(), 1, values, false);
        out.targetAtBaseline = values.front();
        if (progress) progress(total, total);
    }
    out.sum = std::accumulate(out.values.begin(), out.values.end(), 0.0);
    return out;
}

} // namespace bertlab
