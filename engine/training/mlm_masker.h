// BERT's masked-LM corruption of one sequence (create_masked_lm_predictions): used by the example builder and the masking lab.
#pragma once

#include "training/example_rng.h"

#include <vector>

namespace bertlab {

class Vocab;

struct MaskingOptions {
    double maskedLmProb = 0.15;   // share of the whole sequence, [CLS] and [SEP] included, as the reference
    int maxPredictions = 20;      // cap on masked positions per sequence
    bool wholeWordMask = false;   // a "##" piece is chosen together with the pieces of its word

    void validate() const;  // throws Error naming the bad option
};

// What became of one position.
enum class MaskAction {
    NotChosen,
    Masked,   // replaced by [MASK] (80%)
    Random,   // replaced by a token drawn uniformly from the whole vocabulary (10%; it may draw itself)
    Kept,     // chosen for prediction but left as it was (10%)
};

struct MaskedSequence {
    std::vector<int> inputIds;         // [T] what the model is shown
    std::vector<MaskAction> actions;   // [T]
    std::vector<int> maskedPositions;  // [P] increasing
    std::vector<int> maskedIds;        // [P] the original ids there
    int candidates = 0;                // positions that may be chosen: all but [CLS] and [SEP]
    int target = 0;                    // min(cap, max(1, round(T × prob))); whole words that would overshoot it are skipped
};

// The procedure, drawing from the caller's generator in the reference script's order:
//  1. candidates are every position but [CLS] and [SEP]; with whole-word masking a "##" piece joins
//     the group of the piece before it; the groups are shuffled;
//  2. target = min(maxPredictions, max(1, round(T × maskedLmProb))), T the whole sequence, rounding
//     halves to even (Python's round);
//  3. groups are taken in shuffled order while they fit under the target; each position of a group
//     draws u: u < 0.8 → [MASK]; else a second draw < 0.5 → kept; else a uniform id of [0, V).
class MlmMasker {
public:
    // Looks up [CLS] [SEP] [MASK] (Error if missing) and which tokens are "##" pieces.
    MlmMasker(const Vocab& vocab, MaskingOptions options);

    MaskedSequence mask(const std::vector<int>& ids, ExampleRng& rng) const;

    static int targetCount(int sequenceLength, const MaskingOptions& options);
    const MaskingOptions& options() const { return options_; }

private:
    MaskingOptions options_;
    int vocabSize_ = 0;
    int clsId_ = 0, sepId_ = 0, maskId_ = 0;
    std::vector<bool> continuation_;  // [V], token starts with "##"
};

} // namespace bertlab
