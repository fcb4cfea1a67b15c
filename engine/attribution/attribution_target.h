// Which number an attribution or a head ranking explains: a masked word's log-probability or NSP's log p(IsNext).
#pragma once

#include <stop_token>
#include <string>
#include <vector>

namespace bertlab {

class BertModel;
struct Encoding;

// As the CLI writes it: "mlm:POS[:TOKEN]" (POS counts [CLS] as 0; TOKEN a wordpiece of the
// vocabulary; without it, the intact model's top guess at POS) or "nsp" (log p(IsNext)).
struct AttributionTarget {
    enum class Kind { MaskedWord, NextSentence };
    Kind kind = Kind::MaskedWord;
    int position = 0;    // MaskedWord only
    std::string token;   // MaskedWord only; empty = the intact model's top guess

    // Throws Error with a one-line message on anything else.
    static AttributionTarget parse(const std::string& text);
    std::string toString() const;  // the form parse() reads
};

// A target made concrete for one model and input: the token id it names and the value of the
// (possibly ablated) model there.
struct ResolvedTarget {
    AttributionTarget::Kind kind = AttributionTarget::Kind::MaskedWord;
    int position = -1;    // -1 for NextSentence
    int tokenId = -1;     // -1 for NextSentence
    std::string token;    // empty for NextSentence
    double logprob = 0.0; // log-softmax of the target under the pass's head multipliers
};

// Checks the target against the model and input (heads present, position inside the input, token
// in the vocabulary) and names a missing TOKEN by the intact model's top guess. `headMultipliers`
// ([L*heads] or empty) only changes `logprob`, never which token is named. Throws Error.
ResolvedTarget resolveTarget(const BertModel& model, const Encoding& input, const AttributionTarget& target,
                             const std::vector<float>& headMultipliers = {}, std::stop_token stop = {});

} // namespace bertlab
