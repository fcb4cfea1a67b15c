// A padded batch of pretraining examples laid out as the training forward pass reads it.
#pragma once

#include "training/pretraining_example.h"

#include <vector>

namespace bertlab {

struct TrainingBatch {
    int batchSize = 0;               // B
    int seqLength = 0;               // T: the longest example; shorter ones are padded
    std::vector<int> ids;            // [B, T], padded with padId
    std::vector<int> typeIds;        // [B, T], 0 in padding
    std::vector<float> attentionMask;  // [B, T], 1 = real token
    std::vector<int> maskedRows;     // [M] row b·T + t of each masked position
    std::vector<int> maskedIds;      // [M] original ids there
    std::vector<int> nspLabels;      // [B] 0 = IsNext, 1 = random next
    int realTokens = 0;              // Σ unpadded lengths

    // Throws Error on empty input, mismatched lengths, positions out of range or ids outside
    // [0, vocabSize) (vocabSize <= 0 skips that check), or sequences longer than maxLength.
    static TrainingBatch make(const std::vector<const PretrainingExample*>& examples, int padId,
                              int vocabSize, int maxLength);
};

} // namespace bertlab
