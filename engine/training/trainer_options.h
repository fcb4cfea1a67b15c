// The recipe of a pretraining run: everything that decides its numbers, saved with each checkpoint.
#pragma once

#include "precision.h"
#include "training/adamw.h"

#include <algorithm>
#include <cstdint>
#include <string>

namespace bertlab {

struct TrainerOptions {
    int64_t steps = 1000;            // optimizer updates
    int batchSize = 32;              // examples per micro-batch
    int gradientAccumulation = 1;    // micro-batches per update
    double peakLr = 1e-4;
    int64_t warmup = -1;             // < 0: 10% of the steps, at most the paper's 10,000
    float dropout = 0.1f;            // hidden and attention-probability dropout
    uint64_t seed = 12345;           // data order and dropout masks
    bool shuffle = true;             // off: update i reads examples [i·B, (i+1)·B) of the file, wrapping
    int64_t checkpointEvery = 0;     // 0: only at the end and on cancel
    int keepCheckpoints = 2;         // the last K checkpoints are kept
    bool keepHistory = false;        // older checkpoints keep their weights in RUN/history (replay)
    int64_t evalEvery = 0;           // 0: no periodic evaluation
    double maxGradNorm = 1.0;
    AdamWOptions adam;
    // Bfloat16: the dense layers' matrix products, forward and backward, on bfloat16 copies of
    // weights and inputs with float32 sums; master weights, AdamW state, LayerNorm, softmax,
    // GELU, dropout, cross-entropy and every reduction stay float32. Needs native bfloat16.
    Precision precision = Precision::Float32;
    std::string examplesPath;        // recorded so that a resumed run finds its data again
    std::string evalExamplesPath;

    int64_t resolvedWarmup() const { return warmup >= 0 ? warmup : std::min<int64_t>(10000, steps / 10); }
};

} // namespace bertlab
