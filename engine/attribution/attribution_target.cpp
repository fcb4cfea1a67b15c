// Parses "mlm:POS[:TOKEN]" / "nsp" and resolves a target against a model and an input.
#include "attribution/attribution_target.h"

#include "bert_model.h"
#include "error.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace bertlab {
namespace {

// log-softmax of entry `index` of `logits`, in double so that a near-certain guess keeps its digits.
double logSoftmaxAt(const float* logits, int count, int index)
{
    const float mx = *std::max_element(logits, logits + count);
    double sum = 0.0;
    for (int i = 0; i < count; ++i) sum += std::exp(static_cast<double>(logits[i]) - mx);
    return static_cast<double>(logits[index]) - mx - std::log(sum);
}

} // namespace

AttributionTarget AttributionTarget::parse(const std::string& text)
{
    const std::string form = "--target: \"" + text + "\" is not mlm:POS[:TOKEN] or nsp";
    if (text == "nsp") return {Kind::NextSentence, 0, {}};
    if (text.rfind("mlm:", 0) != 0) throw Error(form);
    const std::string rest = text.substr(4);
    const size_t colon = rest.find(':');
    const std::string pos = rest.substr(0, colon);
    AttributionTarget t;
    t.kind = Kind::MaskedWord;
    const auto [end, ec] = std::from_chars(pos.data(), pos.data() + pos.size(), t.position);
    if (pos.empty() || ec != std::errc() || end != pos.data() + pos.size() || t.position < 0) throw Error(form);
    if (colon != std::string::npos) {
        t.token = rest.substr(colon + 1);
        if (t.token.empty()) throw Error(form);
    }
    return t;
}

std::string AttributionTarget::toString() const
{
    if (kind == Kind::NextSentence) return "nsp";
    return "mlm:" + std::to_string(position) + (token.empty() ? "" : ":" + token);
}

ResolvedTarget resolveTarget(const BertModel& model, const Encoding& input, const AttributionTarget& target,
                             const std::vector<float>& headMultipliers, std::stop_token stop)
{
    ResolvedTarget r;
    r.kind = target.kind;
    Probe probe;
    probe.headMultipliers = headMultipliers;
    if (target.kind == AttributionTarget::Kind::NextSentence) {
        if (!model.hasNsp())
            throw Error("this model has no next-sentence head (cls.seq_relationship.* missing), so it has no nsp target");
        probe.nsp = true;
        const Trace t = model.forward(input, probe, stop);
        r.logprob = logSoftmaxAt(t.nsp->logits, 2, 0);
        return r;
    }
    if (!model.hasMlm())
        throw Error("this model has no masked-LM head (cls.predictions.* missing), so it has no mlm target");
    if (target.position < 0 || target.position >= input.size())
        throw Error("target position " + std::to_string(target.position) + " is outside the " +
                    std::to_string(input.size()) + "-token input (positions count [CLS] as 0)");
    r.position = target.position;
    probe.mlmPositions = {target.position};
    probe.mlmLogits = true;
    probe.topK = 1;
    if (!target.token.empty()) {
        r.tokenId = model.vocab().lookup(target.token);
        if (r.tokenId < 0 || r.tokenId >= model.config().vocabSize)
            throw Error("target token \"" + target.token + "\" is not in the model's vocabulary");
        r.token = target.token;
    } else {
        // The intact model's top guess names the token, whatever is ablated.
        Probe intact = probe;
        intact.headMultipliers.clear();
        const Trace t = model.forward(input, intact, stop);
        r.tokenId = t.mlm.front().candidates.front().id;
        r.token = model.vocab().token(r.tokenId);
        if (headMultipliers.empty()) {
            r.logprob = logSoftmaxAt(t.mlmLogits.data(), model.config().vocabSize, r.tokenId);
            return r;
        }
    }
    const Trace t = model.forward(input, probe, stop);
    r.logprob = logSoftmaxAt(t.mlmLogits.data(), model.config().vocabSize, r.tokenId);
    return r;
}

} // namespace bertlab
