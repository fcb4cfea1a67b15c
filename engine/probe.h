// What a forward pass should keep for the views; the plain path asks for nothing and pays nothing.
#pragma once

#include <vector>

namespace bertlab {

struct Probe {
    bool embeddingParts = false;     // token / segment / position / sum / normalized
    bool hiddenStates = false;       // L+1 matrices, index 0 = embedding output
    bool attentions = false;         // [L][heads] probability matrices
    std::vector<int> mlmPositions;   // positions (into the token sequence) to run the MLM head at
    int topK = 5;
    bool mlmLogits = false;          // keep the raw vocabulary logits at mlmPositions
    bool logitLens = false;          // MLM head on every hidden state at mlmPositions
    bool nsp = false;
    bool pooled = false;             // keep the pooler output
    // Not something to keep but an intervention, the one a pass accepts: [L * heads] multipliers
    // m(l, h) on the attention probabilities of head h in layer l, after softmax (Hugging Face's
    // head_mask); the trace's attentions show them multiplied. Empty = the plain pass, which
    // multiplies nothing. See layers::AttentionOptions.
    std::vector<float> headMultipliers;

    static Probe everything(std::vector<int> positions = {})
    {
        Probe p;
        p.embeddingParts = p.hiddenStates = p.attentions = p.logitLens = p.nsp = p.pooled = true;
        p.mlmPositions = std::move(positions);
        return p;
    }
};

} // namespace bertlab
