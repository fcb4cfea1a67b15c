// Which input words a target rests on: gradient, gradient x input and integrated gradients over the word embeddings.
#pragma once

#include "attribution/attribution_target.h"

#include <functional>
#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

namespace bertlab {

class BertModel;
struct Encoding;

// The input e_t is the word-embedding vector at position t (before position and segment
// embeddings and LayerNorm), one per position as Hugging Face's inputs_embeds; position and
// segment embeddings are held fixed, dropout is off, the tied MLM decoder is a constant.
//   Gradient:             ||d target / d e_t||_2
//   GradientTimesInput:   sum_h e_t,h * d target / d e_t,h
//   IntegratedGradients:  baseline e' = 0; alpha_k = (k - 1/2) / N, k = 1..N;
//                         IG_t = sum_h e_t,h * (1/N) sum_k d target / d e_t,h at alpha_k * e
enum class AttributionMethod { Gradient, GradientTimesInput, IntegratedGradients };

std::string_view attributionMethodName(AttributionMethod method);  // "grad", "grad-input", "ig"
std::optional<AttributionMethod> parseAttributionMethod(std::string_view name);

struct AttributionRequest {
    AttributionTarget target;
    AttributionMethod method = AttributionMethod::GradientTimesInput;
    int steps = 32;                     // IntegratedGradients only; >= 1
    std::vector<float> headMultipliers; // [L*heads] or empty: every quantity is the ablated model's
};

struct InputAttribution {
    ResolvedTarget target;
    AttributionMethod method = AttributionMethod::GradientTimesInput;
    int steps = 0;                       // IntegratedGradients: N; otherwise 0
    std::vector<double> values;          // one per token of the input
    double sum = 0.0;                    // sum of values
    // IntegratedGradients: the target at the all-zero baseline; sum ~ logprob - targetAtBaseline
    // (IG's completeness).
    std::optional<double> targetAtBaseline;
};

// done of total units of work; called on the calling thread.
using AttributionProgress = std::function<void(int done, int total)>;

// float32 throughout; IntegratedGradients runs its N interpolated inputs as batches. A triggered
// stop token throws Cancelled between matrix products. Throws Error on bad requests.
InputAttribution attributeInputs(const BertModel& model, const Encoding& input, const AttributionRequest& request,
                                 std::stop_token stop = {}, const AttributionProgress& progress = {});

} // namespace bertlab
