// How much a target depends on each attention head: the exact ablation sweep or its gradient estimate.
#pragma once

#include "attribution/attribution_target.h"
#include "attribution/input_attribution.h"

#include <optional>
#include <stop_token>
#include <string_view>
#include <vector>

namespace bertlab {

class BertModel;
struct Encoding;

//   Sweep:    I(l, h) = target(intact) - target(only head (l, h) ablated)
//   Gradient: I(l, h) = d target / d m(l, h) at m = 1 (signed; Michel et al. 2019 rank by |I|)
enum class ImportanceMethod { Sweep, Gradient };

std::string_view importanceMethodName(ImportanceMethod method);  // "sweep", "gradient"
std::optional<ImportanceMethod> parseImportanceMethod(std::string_view name);

struct HeadImportance {
    ResolvedTarget target;               // of the intact model
    ImportanceMethod method = ImportanceMethod::Gradient;
    int layers = 0, heads = 0;
    std::vector<double> importance;      // [layer * heads + head]
    double at(int layer, int head) const { return importance[static_cast<size_t>(layer) * heads + head]; }
};

// Sweep runs the ablated passes batched (reporting progress per batch); Gradient is one forward
// and backward pass. A triggered stop token throws Cancelled. Throws Error on bad requests.
HeadImportance headImportance(const BertModel& model, const Encoding& input, const AttributionTarget& target,
                              ImportanceMethod method, std::stop_token stop = {},
                              const AttributionProgress& progress = {});

} // namespace bertlab
