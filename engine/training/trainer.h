// A BERT pretraining run: batches, AdamW updates, metrics, evaluation, checkpoints, pause and cancel.
#pragma once

#include "training/adamw.h"
#include "training/bf16_parameter_copy.h"
#include "training/data_order.h"
#include "training/lr_schedule.h"
#include "training/metrics_record.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/trainer_options.h"
#include "training/training_model.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bertlab {

class Vocab;

enum class TrainingOutcome { Completed, Cancelled };

class Trainer {
public:
    // A new run (fresh or continued pretraining) from `params`. runDir empty: nothing is written.
    Trainer(ParameterBuffer params, std::shared_ptr<const Vocab> vocab, bool lowerCase,
            std::vector<PretrainingExample> train, std::vector<PretrainingExample> eval,
            TrainerOptions options, std::string runDir);

    // Continues the run in runDir from its latest checkpoint, with the recipe saved there (its
    // precision too, unless `precision` overrides it: checkpoints are float32 either way).
    // metrics.jsonl is cut back to that checkpoint so the file reads as one uninterrupted run.
    static std::unique_ptr<Trainer> resume(const std::string& runDir, std::vector<PretrainingExample> train,
                                           std::vector<PretrainingExample> eval,
                                           std::optional<Precision> precision = std::nullopt);

    void onMetrics(std::function<void(const TrainingMetrics&)> callback) { onMetrics_ = std::move(callback); }
    void onEvaluation(std::function<void(const EvaluationMetrics&)> callback) { onEval_ = std::move(callback); }
    // Called with the folder of every checkpoint written (periodic, on cancel, at the end).
    void onCheckpoint(std::function<void(const std::string&)> callback) { onCheckpoint_ = std::move(callback); }

    // Trains up to options.steps updates. Cancel stops after the current update and writes a
    // checkpoint. A non-finite loss or gradient throws Error before any update is applied, leaving
    // the last checkpoint as it was. On completion, writes a final checkpoint and the model to runDir.
    TrainingOutcome run();

    // Thread-safe controls, meant to be called while run() works on another thread.
    void pause();
    void resume();
    void cancel();
    bool isPaused() const { return paused_.load(); }
    // Runs `task` on the training thread between two updates (also while paused), where the
    // parameters are consistent: how another thread reads the live weights. A task that changes
    // them is fine: a bfloat16 run rounds its weight copies again after the tasks.
    void runBetweenSteps(std::function<void(Trainer&)> task);

    EvaluationMetrics evaluate();
    std::string checkpoint();  // writes one now; returns its folder (runDir must be set)

    const ParameterBuffer& parameters() const { return params_; }
    ParameterBuffer& parameters() { return params_; }
    const TrainerOptions& options() const { return options_; }
    const std::shared_ptr<const Vocab>& vocab() const { return vocab_; }
    bool lowerCase() const { return lowerCase_; }
    int64_t step() const { return step_; }
    const std::string& lastCheckpoint() const { return lastCheckpoint_; }
    const TrainingModel& model() const { return model_; }

private:
    void prepareRunDir(bool resumed);
    void appendMetrics(const TrainingMetrics& m);
    bool waitWhilePaused();  // false when cancelled
    bool runPendingTasks();  // whether any ran
    void refreshBfloat16();  // after the float32 weights changed

    ParameterBuffer params_;
    std::shared_ptr<const Vocab> vocab_;
    bool lowerCase_;
    std::vector<PretrainingExample> train_, eval_;
    TrainerOptions options_;
    std::string runDir_;
    TrainingModel model_;
    std::optional<Bf16ParameterCopy> bf16_;  // --precision bf16: the weights' bfloat16 twins
    AdamW optimizer_;
    LinearWarmupSchedule schedule_;
    DataOrder order_;
    AlignedVector<float> grads_;
    int64_t step_ = 0;
    int64_t examplesSeen_ = 0;
    std::string lastCheckpoint_;
    std::function<void(const TrainingMetrics&)> onMetrics_;
    std::function<void(const EvaluationMetrics&)> onEval_;
    std::function<void(const std::string&)> onCheckpoint_;

    std::atomic<bool> paused_{false}, cancelled_{false};
    std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<std::function<void(Trainer&)>> tasks_;  // guarded by mutex_
};

} // namespace bertlab
