// What a pretraining run will cost before it starts: parameters, FLOPs, time per step, memory, disk.
#pragma once

#include "bert_config.h"
#include "precision.h"

#include <cstdint>
#include <string>

namespace bertlab {

// Rough cost of one optimizer update, from the parameter count, a FLOP count and this machine's
// measured speed on the run's matrix products.
struct RunEstimate {
    int64_t parameters = 0;
    double flopsPerStep = 0.0;
    double secondsPerStep = 0.0;
    double memoryBytes = 0.0;       // weights, gradients, two Adam moments, kept activations
    double checkpointBytes = 0.0;   // one checkpoint on disk: weights and two Adam moments, plus a margin
    double gflopsPerThread = 0.0;   // the speed assumed for secondsPerStep (whole steps, not products alone)
};

// maxPredictions: the masked positions per sequence (the example builder's cap); threads: the
// OpenMP threads the run will use. The first call for a size and precision times a few products
// (training/product_speed.h), a few milliseconds.
RunEstimate estimateRun(const BertConfig& config, int batch, int seqLength, int maxPredictions, int threads,
                        Precision precision = Precision::Float32);

// Bytes one checkpoint takes on disk: weights and two Adam moments, plus a margin for config, vocab and state.
double checkpointBytes(const BertConfig& config);

// One line for a terminal: "N parameters, about X of memory, about Y per step on T thread(s), Z for S steps".
std::string describeEstimate(const RunEstimate& estimate, int threads, int64_t steps);

} // namespace bertlab
