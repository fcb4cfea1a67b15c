// Linear probes: how well each layer's frozen hidden states predict a task's labels (0 = embedding output .. L).
#pragma once

#include "bert_config.h"
#include "finetune/task_data.h"

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab {

class BertModel;

struct ProbeOptions {
    ClassifierTask task = ClassifierTask::Token;
    int maxSeqLength = 128;
    // Training items are capped (a fixed, seeded sample of them) so every layer's features fit in
    // memory for BERT-Base too; dev items are all used.
    int maxTrainItems = 20000;
    int iterations = 300;       // full-batch Adam steps per layer (the loss is convex)
    double lr = 0.05;
    double l2 = 1e-4;           // on the weights, not the biases
    uint64_t seed = 42;
};

struct ProbeLayerScore {
    int layer = 0;
    double devAccuracy = 0.0;
    double trainAccuracy = 0.0;
};

struct ProbeResult {
    std::vector<ProbeLayerScore> layers;   // 0 .. L
    // Share of dev items with the training file's most frequent label (a tie: the one that appears first).
    double majorityBaseline = 0.0;
    std::string majorityLabel;
    std::vector<std::string> labels;       // training labels, first appearance
    int trainItems = 0, devItems = 0;
};

// done of total layers (plus one unit for the features pass); on the calling thread.
using ProbeProgress = std::function<void(int done, int total)>;

// Features: a token task reads each word's first wordpiece; a sequence task the mean of the
// sequence's hidden states (the [CLS] state of a model that was not fine-tuned carries no sentence
// meaning, and at layer 0 it is the same vector for every input). Multinomial logistic regression
// on standardised features, zero-initialised, so the result depends only on the data and `seed`.
// Dev items whose label the training file never has count as wrong. Throws Error; Cancelled on stop.
ProbeResult runLinearProbe(const BertModel& model, const std::string& trainPath, const std::string& devPath,
                           const ProbeOptions& options, std::stop_token stop = {}, const ProbeProgress& progress = {});

} // namespace bertlab
