// One line of a run's metrics.jsonl / eval.jsonl: the structs, their JSON form, and the file readers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bertlab {

// One optimizer update. A metrics.jsonl line holds the fields up to gradNorm, in this order:
// {"step": 1, "loss": …, "mlm_loss": …, "nsp_loss": …, "mlm_accuracy": …, "nsp_accuracy": …, "lr": …, "grad_norm": …}
struct TrainingMetrics {
    int64_t step = 0;         // updates done, counting from 1
    double loss = 0.0, mlmLoss = 0.0, nspLoss = 0.0;
    double mlmAccuracy = 0.0, nspAccuracy = 0.0;
    double lr = 0.0;          // the rate this update used
    double gradNorm = 0.0;    // before clipping
    // Live only (progress bars), never written: a line read back leaves them 0.
    int64_t totalSteps = 0;
    double tokensPerSecond = 0.0;  // real (unpadded) tokens, since this process started training
    double etaSeconds = 0.0;
};

// One held-out evaluation, an eval.jsonl line:
// {"step": …, "loss": …, "mlm_loss": …, "nsp_loss": …, "mlm_accuracy": …, "nsp_accuracy": …, "examples": …}
struct EvaluationMetrics {
    int64_t step = 0;
    double loss = 0.0, mlmLoss = 0.0, nspLoss = 0.0;
    double mlmAccuracy = 0.0, nspAccuracy = 0.0;
    int64_t examples = 0;
};

// The record as one JSON line, without the newline; numbers as %.9g, the file's format since its first run.
std::string toJson(const TrainingMetrics& m);
std::string toJson(const EvaluationMetrics& e);

// Parses one line; throws Error naming the missing or mistyped key.
TrainingMetrics trainingMetricsFromJson(std::string_view line);
EvaluationMetrics evaluationMetricsFromJson(std::string_view line);

// Every record of a run's file, in file order; a missing file gives none. A line that does not parse
// is skipped: a run killed mid-write may leave half a last line, and the rest is still worth showing.
std::vector<TrainingMetrics> readMetricsJsonl(const std::string& path);
std::vector<EvaluationMetrics> readEvaluationJsonl(const std::string& path);

} // namespace bertlab
