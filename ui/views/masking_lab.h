// Engine-free replay of BERT's pre-training masking (15% chosen; 80% [MASK], 10% random, 10% kept) with a seed.
#pragma once

#include <cstdint>
#include <vector>

namespace bertlab::ui {

enum class MaskAction {
    NotChosen,
    Masked,    // replaced by [MASK]
    Random,    // replaced by a random vocabulary token
    Unchanged, // chosen for prediction but left as it was
};

struct MaskingInput {
    std::vector<int> ids;             // the sentence's token ids, specials included
    std::vector<bool> special;        // true for [CLS]/[SEP]/[PAD]: never chosen
    int maskId = 0;                   // id of [MASK]
    std::vector<int> replacementIds;  // ids a "random token" is drawn from (uniformly)
};

struct MaskingResult {
    std::vector<MaskAction> actions;  // one per token
    std::vector<int> newIds;          // what the model would be shown
    int candidates = 0;               // non-special tokens
    int chosen = 0;                   // tokens selected for prediction
};

// How many of n candidates are chosen: max(1, round(0.15 · n)) for n > 0 (halves round up), 0 for n = 0.
// The floor of one mirrors Google's create_pretraining_data.py so short sentences still show something.
int maskingChosenCount(int candidates);

// Chooses exactly maskingChosenCount(candidates) distinct non-special positions uniformly at random,
// then for each chosen token independently draws u ~ U[0,1): u < 0.8 → [MASK], u < 0.9 → random id
// from replacementIds (the original id when the list is empty), else unchanged.
// Deterministic for a given seed on a given standard library (std::mt19937 + our own draws).
MaskingResult applyPretrainingMasking(const MaskingInput& input, std::uint32_t seed);

} // namespace bertlab::ui
