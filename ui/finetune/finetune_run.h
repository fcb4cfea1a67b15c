// A fine-tuning run on its own thread: prepared from options (or resumed), its metrics carried to the GUI as signals.
#pragma once

#include "finetune/finetune_options.h"
#include "finetune/finetune_setup.h"
#include "finetune/finetuner.h"

#include <QObject>
#include <QString>

#include <functional>
#include <stop_token>
#include <thread>

namespace bertlab::ui {

class FinetuneRun : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Preparing, Training, Stopping, Finished, Stopped, Failed };
    Q_ENUM(State)

    explicit FinetuneRun(QObject* parent = nullptr);
    ~FinetuneRun() override;  // stops the run (a checkpoint is written) and joins the thread

    // A new run into outDir (the setup's checks apply: outDir new or empty, not the base model's).
    // False when a run is active. Everything else (bad data, a bad folder) comes as failed().
    bool start(const FinetuneOptions& options, const QString& outDir);
    // Continues outDir's run from its latest checkpoint.
    bool resume(const QString& outDir);
    // After the current update; the checkpoint keeps the run resumable.
    void stop();
    // Blocks until the thread is done (tests and app exit only); true when it is.
    bool wait(int timeoutMs);

    State state() const { return state_; }
    bool isActive() const { return state_ == State::Preparing || state_ == State::Training || state_ == State::Stopping; }
    QString outDir() const { return outDir_; }
    QString lastError() const { return lastError_; }
    // The recipe of the run (labels filled in) once prepared.
    const FinetuneOptions& options() const { return options_; }
    int64_t totalSteps() const { return totalSteps_; }

signals:
    void stateChanged(bertlab::ui::FinetuneRun::State state);
    // Once the data is read: the run's recipe and a line for the user (examples, labels, notes).
    void prepared(const QString& summary);
    void stepped(const bertlab::FinetuneStepMetrics& metrics);
    void failed(const QString& message);

private:
    bool launch(const std::function<PreparedFinetune()>& prepare, const QString& outDir);
    void setState(State state);

    std::jthread thread_;
    std::stop_source stop_;
    State state_ = State::Idle;
    QString outDir_, lastError_;
    FinetuneOptions options_;
    int64_t totalSteps_ = 0;
};

} // namespace bertlab::ui
