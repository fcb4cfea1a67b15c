// A fine-tuning run: a classifier on BERT trained with AdamW, evaluated each epoch, checkpointed and resumable.
#pragma once

#include "finetune/classification_metrics.h"
#include "finetune/finetune_examples.h"
#include "finetune/finetune_options.h"
#include "training/adamw.h"
#include "training/bf16_parameter_copy.h"
#include "training/parameter_buffer.h"
#include "training/trainer.h"
#include "training/training_model.h"

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace bertlab {

class Vocab;

struct FinetuneEvaluation {
    int epoch = 0;
    int items = 0;             // labelled items (sentences, or first wordpieces)
    double loss = 0.0;         // mean cross-entropy over them
    double accuracy = 0.0;
    double macroF1 = 0.0;
    ConfusionMatrix confusion;
};

struct FinetuneStepMetrics {
    int64_t step = 0;          // 1-based, as metrics.jsonl counts
    int64_t totalSteps = 0;
    int epoch = 0;             // 1-based
    double loss = 0.0;         // the batch's mean cross-entropy
    double lr = 0.0;           // the rate this update used
    double itemsPerSecond = 0.0;
    double etaSeconds = 0.0;
    std::optional<FinetuneEvaluation> dev;  // after an epoch's last step, with dev data
};

class Finetuner {
public:
    // A new run. `params` are in the classifier layout of options.labels/task
    // (ParameterBuffer::fromModel(init, classifierConfig, seed)). outDir empty: nothing is written.
    Finetuner(ParameterBuffer params, std::shared_ptr<const Vocab> vocab, bool lowerCase, FinetuneOptions options,
              std::vector<FinetuneExample> train, std::vector<FinetuneExample> dev, std::string outDir);

    // The recipe saved with outDir's latest checkpoint, to read the data again before resume().
    static FinetuneOptions savedOptions(const std::string& outDir);
    // Continues outDir's run from its latest checkpoint; metrics.jsonl is cut back to it.
    static std::unique_ptr<Finetuner> resume(const std::string& outDir, std::vector<FinetuneExample> train,
                                             std::vector<FinetuneExample> dev);

    void onStep(std::function<void(const FinetuneStepMetrics&)> callback) { onStep_ = std::move(callback); }

    // Runs the remaining updates. A triggered stop token ends the run after the current update
    // with a checkpoint (Cancelled). A non-finite loss or gradient throws Error before any update
    // is applied. On completion the fine-tuned Hugging Face folder is written into outDir.
    TrainingOutcome run(std::stop_token stop = {});

    // Loss, accuracy, macro-F1 and confusion of the current weights on `data` (no dropout).
    FinetuneEvaluation evaluate(const std::vector<FinetuneExample>& data);

    int64_t totalSteps() const { return totalSteps_; }
    int64_t warmupSteps() const { return warmupSteps_; }
    int64_t step() const { return step_; }
    int stepsPerEpoch() const { return stepsPerEpoch_; }
    const FinetuneOptions& options() const { return options_; }
    const ParameterBuffer& parameters() const { return params_; }

private:
    struct Batch;
    Batch makeBatch(const std::vector<const FinetuneExample*>& examples) const;
    // Forward, loss and (when grads is set) backward of one batch; returns the summed loss and
    // fills predictions (one per labelled item) when asked.
    double runBatch(const Batch& batch, float* grads, uint64_t key, bool train, std::vector<int>* predictions,
                    int* items);
    void appendMetrics(const FinetuneStepMetrics& m);
    std::string writeCheckpoint();

    ParameterBuffer params_;
    std::shared_ptr<const Vocab> vocab_;
    bool lowerCase_;
    FinetuneOptions options_;
    std::vector<FinetuneExample> train_, dev_;
    std::string outDir_;
    TrainingModel model_;
    std::optional<Bf16ParameterCopy> bf16_;  // precision bf16: the weights' bfloat16 twins
    AdamW optimizer_;
    int stepsPerEpoch_ = 0;
    int64_t totalSteps_ = 0, warmupSteps_ = 0, step_ = 0;
    std::function<void(const FinetuneStepMetrics&)> onStep_;
    std::vector<float> grads_;
};

} // namespace bertlab
