// Everything a forward pass kept for one sequence, as the views read it.
#pragma once

#include "tensor.h"

#include <optional>
#include <string>
#include <vector>

namespace bertlab {

struct TokenGuess {
    int id = 0;
    std::string token;
    float prob = 0.0f;
};

struct MaskedPrediction {
    int position = 0;
    std::vector<TokenGuess> candidates;  // best first
};

// Index 0 of Hugging Face's NSP head is IsNext ("B follows A").
struct NspResult {
    float isNext = 0.0f;
    float notNext = 0.0f;
    float logits[2] = {0.0f, 0.0f};
};

struct EmbeddingParts {
    Matrix token, segment, position;  // each [T, H]
    Matrix sum;                       // token + segment + position
    Matrix normalized;                // LayerNorm(sum): the encoder's input
};

struct Trace {
    int length = 0;                                   // tokens without padding
    std::optional<EmbeddingParts> embeddings;
    std::vector<Matrix> hiddenStates;                 // [L+1] of [T, H]
    std::vector<std::vector<Matrix>> attentions;      // [L][heads] of [T, T]; rows sum to 1
    std::vector<MaskedPrediction> mlm;                // one per asked position
    Matrix mlmLogits;                                 // [positions, V] when asked
    std::vector<std::vector<MaskedPrediction>> logitLens;  // [L+1][positions]
    std::optional<NspResult> nsp;
    Vector pooled;                                    // [H] when asked
};

} // namespace bertlab
