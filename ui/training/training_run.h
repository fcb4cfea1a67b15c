// One pretraining run driven from the GUI: the engine's PretrainingPipeline on its own thread, reported by queued signals.
#pragma once

#include "bert_config.h"
#include "training/example_builder.h"
#include "training/pretraining_pipeline.h"
#include "training/trainer.h"
#include "training/trainer_options.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <vector>

class QThread;

namespace bertlab {
class BertModel;
}

namespace bertlab::ui {

// Everything the "New training run" dialog decides.
struct TrainingRunSpec {
    QString corpusPath;
    QString runDir;
    // Vocabulary: built from the corpus with vocabSize tokens, unless the open model's is reused.
    bool reuseModelVocab = false;
    int vocabSize = 1000;
    // Starting weights: the open model (continued pretraining) or a fresh `config` (preset or custom).
    bool continuePretraining = false;
    std::shared_ptr<const BertModel> openModel;  // needed by reuseModelVocab and continuePretraining
    BertConfig config;                            // vocabSize is overwritten by the vocabulary's size
    ExampleOptions examples;
    TrainerOptions trainer;
    double heldOutFraction = 0.05;  // share of the examples kept out of training for held-out metrics
    int threads = 0;                // 0: every core, like bertlab-cli train
};

class TrainingRun : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Preparing, Training, Paused, Stopping, Finished, Stopped, Failed };
    Q_ENUM(State)

    explicit TrainingRun(QObject* parent = nullptr);
    ~TrainingRun() override;  // stops the run (checkpoint written) and joins the thread

    // The engine's options for the dialog's choices. Throws Error when they name no open model.
    static PretrainingOptions pipelineOptions(const TrainingRunSpec& spec);

    // Starts a new run on the worker thread. Returns false (and emits nothing) when one is running.
    bool start(const TrainingRunSpec& spec);
    // Continues the run in runDir from its latest checkpoint, with the examples it saved.
    bool resumeRun(const QString& runDir, int threads = 0);

    void pause();
    void resume();
    // After the current update; a checkpoint is written. keepForResume: the run stays in the
    // recovery list so the next start offers to continue it (closing the app mid-run).
    void stop(bool keepForResume = false);
    // Blocks until the worker thread is done (tests and app exit only).
    bool wait(int timeoutMs);

    State state() const { return state_; }
    bool isActive() const;  // preparing, training, paused or stopping
    QString runDir() const { return runDir_; }
    QString title() const { return title_; }
    QStringList checkpoints() const { return checkpoints_; }
    QString lastError() const { return lastError_; }

    // Asks the trainer for a copy of its current weights, taken between two updates (or at once
    // when paused) into RUN/live/step-N, replacing the previous copy. liveWeightsReady or
    // liveWeightsFailed answers. A finished run answers with its final model folder.
    void snapshotLiveWeights();

    // Checkpoint folders under runDir, oldest first.
    static QStringList listCheckpoints(const QString& runDir);
    // Every model folder of the run, oldest first: retired checkpoints (RUN/history) and checkpoints.
    static QStringList listSnapshots(const QString& runDir);
    static int defaultThreads();
    // Replaces the free-space query (bytes available under a folder); empty restores the real one.
    static void setFreeSpaceProbeForTesting(std::function<uintmax_t(const std::string&)> probe);

signals:
    void stateChanged(bertlab::ui::TrainingRun::State state);
    void preparing(const QString& stage, int percent);  // percent < 0: unknown
    void metrics(const bertlab::TrainingMetrics& m);
    void evaluation(const bertlab::EvaluationMetrics& e);
    void checkpointWritten(const QString& folder);
    void finished(bool completed);  // completed: all steps done; false: stopped by the user
    void failed(const QString& message);
    void liveWeightsReady(const QString& folder);
    void liveWeightsFailed(const QString& message);

private:
    void launch(std::function<void()> body);
    void runPipeline(PretrainingPipeline& pipeline);  // on the worker thread
    PretrainingCallbacks callbacks();
    void post(std::function<void()> fn);  // runs fn on the GUI thread
    void queueMetrics(const TrainingMetrics& m);
    void flushMetrics();
    void setState(State s);
    QString describeFailure(const QString& message) const;

    std::unique_ptr<QThread> thread_;
    std::mutex trainerMutex_;
    Trainer* trainer_ = nullptr;  // owned by the worker while it runs; guarded by trainerMutex_

    std::stop_source stop_;  // replaced for each run; stop() requests it
    std::atomic<bool> pauseRequested_{false}, diskLow_{false};
    bool keepForResume_ = false;
    int threads_ = 1;
    State state_ = State::Idle;
    QString runDir_, title_, lastError_;
    QStringList checkpoints_;
    std::mutex pendingMutex_;
    std::vector<TrainingMetrics> pending_;  // metrics not yet delivered; one flush is queued while non-empty
};

} // namespace bertlab::ui

Q_DECLARE_METATYPE(bertlab::TrainingMetrics)
Q_DECLARE_METATYPE(bertlab::EvaluationMetrics)
