// Labelled data turned into model inputs: ids, segments and the label(s) each position carries.
#pragma once

#include "finetune/task_data.h"

#include <vector>

namespace bertlab {

class Tokenizer;

// Hugging Face's "ignore this position" label for token tasks.
inline constexpr int kIgnoredLabel = -100;

struct FinetuneExample {
    std::vector<int> ids;
    std::vector<int> typeIds;
    // Sequence task: one label id. Token task: one per position, kIgnoredLabel except at each
    // word's first wordpiece (and never at [CLS]/[SEP]).
    std::vector<int> labels;
};

// Pairs are truncated longest-first to maxSeqLength as `tokenize` does; every item keeps its
// label. `labels` is the label order (ids = positions in it); an unknown label throws Error.
std::vector<FinetuneExample> sequenceExamples(const SequenceTaskData& data, const Tokenizer& tokenizer,
                                              const std::vector<std::string>& labels, int maxSeqLength);
// Words whose first piece is cut off by maxSeqLength lose their label (as with transformers'
// truncation); `truncatedWords` counts them when given.
std::vector<FinetuneExample> tokenExamples(const TokenTaskData& data, const Tokenizer& tokenizer,
                                           const std::vector<std::string>& labels, int maxSeqLength,
                                           int* truncatedWords = nullptr);

} // namespace bertlab
