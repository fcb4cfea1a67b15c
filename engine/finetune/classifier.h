// A fine-tuned classifier's answers: label probabilities for a sentence (pair), or a label for each word.
#pragma once

#include "finetune/word_encoding.h"

#include <stop_token>
#include <string>
#include <vector>

namespace bertlab {

class BertModel;

struct SequenceClassification {
    std::vector<float> logits;  // label-id order
    std::vector<float> probs;   // softmax of logits
};

struct WordLabel {
    std::string word;
    int label = 0;      // argmax label id
    float prob = 0.0f;  // its probability
    std::vector<float> probs;  // every label's, label-id order
};

struct TokenClassification {
    WordEncoding input;
    std::vector<WordLabel> words;          // one per word that kept its first piece
    std::vector<std::vector<float>> logits; // per token of input.encoding, label-id order
};

// Both need a model whose config names the task and whose classifier weights loaded; Error (one
// line) otherwise, never a random head. Inference: no dropout. `headMultipliers` switches heads off
// as in Probe::headMultipliers (empty: all on), so a classifier can be asked which heads it needs.
SequenceClassification classifySequence(const BertModel& model, const Encoding& input,
                                        const std::vector<float>& headMultipliers = {}, std::stop_token stop = {});
TokenClassification classifyTokens(const BertModel& model, const std::vector<std::string>& words,
                                   const std::vector<float>& headMultipliers = {}, std::stop_token stop = {});

} // namespace bertlab
