// One pretraining run from start to end: corpus → vocabulary → examples → model → trainer, for the CLI and the GUI alike.
#pragma once

#include "bert_config.h"
#include "training/example_builder.h"
#include "training/pretraining_example.h"
#include "training/run_estimate.h"
#include "training/trainer.h"
#include "training/trainer_options.h"
#include "training/wordpiece_vocab_builder.h"

#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

namespace bertlab {

class BertModel;
class Vocab;

// A new run. Every path is a plain file path; the run folder is created when missing.
struct PretrainingOptions {
    std::string runDir;

    // Starting weights. Continued pretraining: initModel (already loaded) or initModelPath, which also
    // bring their vocabulary; heads the model lacks start from BERT's initialisation (a note says so).
    // Otherwise a fresh model: `preset` by name (training_presets.h), else `config`; its vocabSize
    // becomes the vocabulary's, its dropout the trainer's.
    std::shared_ptr<const BertModel> initModel;
    std::string initModelPath;
    std::string preset;
    std::optional<BertConfig> config;

    // Vocabulary of a fresh model: vocabModel's, a vocab.txt (or a model folder holding one), else
    // built from the corpus with vocabBuilder and saved as RUN/vocab.txt.
    std::shared_ptr<const BertModel> vocabModel;
    std::string vocabPath;
    VocabBuilderOptions vocabBuilder;

    // Training data: examples built from a corpus (kept as RUN/examples.jsonl, so a resumed run
    // reads exactly the same data), or a prepared examples file.
    std::string corpusPath;
    ExampleOptions examples;        // with a corpus; the seed is the trainer's
    double heldOutFraction = 0.0;   // with a corpus of ≥ 20 examples: the share kept out of training
                                    // for held-out metrics (the builder shuffles, so the tail is fair),
                                    // saved as RUN/eval_examples.jsonl
    std::string examplesPath;
    std::string evalExamplesPath;   // prepared held-out examples

    TrainerOptions trainer;         // examplesPath / evalExamplesPath are filled in by the pipeline
};

// Continuing a run from its latest checkpoint, with the recipe saved there.
struct ResumeOptions {
    std::string runDir;
    std::string examplesPath;      // empty: the path the checkpoint recorded (set when the file moved)
    std::string evalExamplesPath;  // empty: the recorded one, skipped with a note when it is gone
    std::optional<Precision> precision;  // empty: the recorded one
};

// Each is optional and called on the thread that runs the pipeline.
struct PretrainingCallbacks {
    std::function<void(const std::string& stage, int percent)> stage;  // preparation; percent < 0: unknown
    std::function<void(const std::string& note)> note;                 // worth telling, not an error
    // The trainer exists and training is about to start: where pause(), resume() and
    // runBetweenSteps() become available to other threads. Valid until train() returns.
    std::function<void(Trainer&)> trainerReady;
    std::function<void(const TrainingMetrics&)> metrics;
    std::function<void(const EvaluationMetrics&)> evaluation;
    std::function<void(const std::string& folder)> checkpoint;
};

class PretrainingPipeline {
public:
    PretrainingPipeline(PretrainingOptions options, PretrainingCallbacks callbacks = {});
    PretrainingPipeline(ResumeOptions options, PretrainingCallbacks callbacks = {});
    ~PretrainingPipeline();

    // Everything before the first update: the data, vocabulary, examples and starting model of a new
    // run, or the checkpoint and its examples. Returns false, having built no trainer, when `stop` was
    // requested between two steps. Throws Error for bad options or data.
    bool prepare(std::stop_token stop = {});
    // The updates; prepare() must have succeeded. A stop request cancels after the current update
    // and writes a checkpoint.
    TrainingOutcome train(std::stop_token stop = {});
    // prepare() then train(); Cancelled also when stopped during preparation (trainer() is then null).
    TrainingOutcome run(std::stop_token stop = {});

    Trainer* trainer() const { return trainer_.get(); }
    // The cost of one update of the prepared run (batches padded to the longest example).
    RunEstimate estimate(int threads) const;

private:
    bool prepareNew(const std::stop_token& stop);
    void prepareResume();
    void measure(const std::vector<PretrainingExample>& train);
    void stage(const std::string& text, int percent) const;
    void note(const std::string& text) const;

    std::optional<PretrainingOptions> options_;
    std::optional<ResumeOptions> resume_;
    PretrainingCallbacks callbacks_;
    std::unique_ptr<Trainer> trainer_;
    int longestExample_ = 0, mostPredictions_ = 0;
};

} // namespace bertlab
