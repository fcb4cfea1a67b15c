// The recipe of a fine-tuning run: everything that decides its numbers, saved with each checkpoint.
#pragma once

#include "bert_config.h"
#include "precision.h"

#include <cstdint>
#include <string>
#include <vector>

namespace bertlab {

struct FinetuneOptions {
    ClassifierTask task = ClassifierTask::Sequence;
    int epochs = 3;
    int batchSize = 32;
    double lr = 2e-5;
    double warmupRatio = 0.1;
    double weightDecay = 0.01;   // every weight except biases and LayerNorm weights
    int maxSeqLength = 128;
    float dropout = 0.1f;        // the config's hidden and attention dropout, and before the classifier
    uint64_t seed = 42;          // data order, dropout masks and a fresh classifier
    bool shuffle = true;         // off: the file's order every epoch
    std::string initPath, trainPath, devPath;  // recorded so a resumed run finds its data again
    std::vector<std::string> labels;           // label-id order of the run
    // Bfloat16: the encoder's dense products on bfloat16 twins of the weights, as pretraining's
    // --precision bf16 (trainer_options.h); the classifier head and everything else stay float32.
    Precision precision = Precision::Float32;

    // Throws Error (one line, naming the flag) on values outside their range.
    void validate() const;
    std::string toJson() const;
    static FinetuneOptions fromJson(const std::string& text);
};

} // namespace bertlab
