// One pretraining run driven from the GUI: the engine's PretrainingPipeline on its own thread, reported by queued signals.
#include "training/training_run.h"

#include "background_priority.h"

#include "bert_model.h"
#include "error.h"
#include "tokenizer.h"
#include "training/checkpoint.h"
#include "training/run_estimate.h"
#include "training/run_recovery.h"

#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QThread>

#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>

namespace fs = std::filesystem;

namespace bertlab::ui {
namespace {

std::function<uintmax_t(const std::string&)>& freeSpaceProbe()
{
    static std::function<uintmax_t(const std::string&)> probe;
    return probe;
}

uintmax_t freeBytes(const std::string& dir)
{
    if (freeSpaceProbe()) return freeSpaceProbe()(dir);
    std::error_code ec;
    const fs::space_info info = fs::space(dir, ec);
    return ec ? UINTMAX_MAX : info.available;
}

} // namespace

TrainingRun::TrainingRun(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<bertlab::TrainingMetrics>();
    qRegisterMetaType<bertlab::EvaluationMetrics>();
    qRegisterMetaType<bertlab::ui::TrainingRun::State>();
}

TrainingRun::~TrainingRun()
{
    if (thread_) {
        stop();
        thread_->wait();
    }
}

void TrainingRun::setFreeSpaceProbeForTesting(std::function<uintmax_t(const std::string&)> probe)
{
    freeSpaceProbe() = std::move(probe);
}

int TrainingRun::defaultThreads()
{
    // Every core, as bertlab-cli train uses: the GUI thread needs little and the OS schedules it
    // promptly (the event-loop delay test checks), and the explorer's analyses are short bursts.
    return std::max(1, QThread::idealThreadCount());
}

bool TrainingRun::isActive() const
{
    return state_ == State::Preparing || state_ == State::Training || state_ == State::Paused ||
           state_ == State::Stopping;
}

QStringList TrainingRun::listCheckpoints(const QString& runDir)
{
    QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    QStringList out;
    for (const QString& name : dir.entryList({QStringLiteral("step-*")}, QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
        out << QDir::cleanPath(dir.filePath(name));
    return out;
}

QStringList TrainingRun::listSnapshots(const QString& runDir)
{
    QStringList out;
    for (const auto& [step, folder] : listModelSnapshots(runDir.toStdString()))
        out << QDir::cleanPath(QString::fromStdString(folder));
    return out;
}

void TrainingRun::snapshotLiveWeights()
{
    std::lock_guard lock(trainerMutex_);
    if (!trainer_) {
        if (state_ == State::Finished && QFileInfo::exists(QDir(runDir_).filePath(QStringLiteral("model.safetensors"))))
            emit liveWeightsReady(QDir::cleanPath(runDir_));
        else
            emit liveWeightsFailed(tr("No run is training, so there are no live weights to copy."));
        return;
    }
    const std::string runDir = runDir_.toStdString();
    trainer_->runBetweenSteps([this, runDir](Trainer& t) {
        const fs::path live = fs::path(runDir) / "live";
        char name[32];
        std::snprintf(name, sizeof name, "step-%08lld", static_cast<long long>(t.step()));
        const fs::path target = live / name, temp = live / ".tmp-copy";
        std::error_code ec;
        try {
            fs::remove_all(temp, ec);
            fs::create_directories(temp, ec);
            if (ec) throw Error("cannot create " + temp.string() + ": " + ec.message());
            writeModelFolder(temp.string(), t.parameters(), t.vocab(), t.lowerCase());
            // One copy at a time: older ones go, so exploring often does not fill the disk.
            for (const auto& entry : fs::directory_iterator(live, ec))
                if (entry.path() != temp) fs::remove_all(entry.path(), ec);
            fs::rename(temp, target, ec);
            if (ec) throw Error("cannot rename the copy into " + target.string() + ": " + ec.message());
            const QString folder = QString::fromStdString(target.string());
            post([this, folder] { emit liveWeightsReady(folder); });
        } catch (const std::exception& e) {
            fs::remove_all(temp, ec);
            const QString message = tr("Could not copy the live weights: %1").arg(QString::fromStdString(e.what()));
            post([this, message] { emit liveWeightsFailed(message); });
        }
    });
}

void TrainingRun::post(std::function<void()> fn)
{
    QMetaObject::invokeMethod(this, std::move(fn), Qt::QueuedConnection);
}

void TrainingRun::setState(State s)
{
    if (state_ == s) return;
    state_ = s;
    emit stateChanged(s);
}

PretrainingOptions TrainingRun::pipelineOptions(const TrainingRunSpec& spec)
{
    PretrainingOptions o;
    o.runDir = spec.runDir.toStdString();
    o.corpusPath = spec.corpusPath.toStdString();
    if ((spec.reuseModelVocab || spec.continuePretraining) && !spec.openModel)
        throw Error("no model is open to take the vocabulary from");
    if (spec.continuePretraining) {
        o.initModel = spec.openModel;
    } else {
        o.config = spec.config;
        if (spec.reuseModelVocab) o.vocabModel = spec.openModel;
        o.vocabBuilder.size = spec.vocabSize;
    }
    o.examples = spec.examples;
    o.heldOutFraction = spec.heldOutFraction;
    o.trainer = spec.trainer;
    return o;
}

bool TrainingRun::start(const TrainingRunSpec& spec)
{
    if (isActive() || (thread_ && thread_->isRunning())) return false;
    runDir_ = QDir::cleanPath(QFileInfo(spec.runDir).absoluteFilePath());
    title_ = QFileInfo(runDir_).fileName();
    threads_ = spec.threads > 0 ? spec.threads : defaultThreads();
    TrainingRunSpec copy = spec;
    copy.runDir = runDir_;
    launch([this, copy] {
        PretrainingPipeline pipeline(pipelineOptions(copy), callbacks());
        runPipeline(pipeline);
    });
    return true;
}

bool TrainingRun::resumeRun(const QString& runDir, int threads)
{
    if (isActive() || (thread_ && thread_->isRunning())) return false;
    runDir_ = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    title_ = QFileInfo(runDir_).fileName();
    threads_ = threads > 0 ? threads : defaultThreads();
    ResumeOptions options;
    options.runDir = runDir_.toStdString();
    launch([this, options] {
        PretrainingPipeline pipeline(options, callbacks());
        runPipeline(pipeline);
    });
    return true;
}

void TrainingRun::launch(std::function<void()> body)
{
    if (thread_) thread_->wait();
    stop_ = std::stop_source();
    pauseRequested_ = false;
    diskLow_ = false;
    keepForResume_ = false;
    RunRecovery::markActive(runDir_);
    lastError_.clear();
    checkpoints_ = listCheckpoints(runDir_);
    setState(State::Preparing);
    const int threads = threads_;
    thread_.reset(QThread::create([this, threads, body = std::move(body)] {
        omp_set_num_threads(threads);  // per-thread setting: the explorer's own threads keep theirs
        lowerThisThreadsPriority();  // QThread::LowPriority is no lower than normal under Linux's default policy
        try {
            body();
        } catch (const Error& e) {
            const QString message = describeFailure(QString::fromStdString(e.what()));
            post([this, message] {
                lastError_ = message;
                setState(State::Failed);
                emit failed(message);
            });
        } catch (const std::exception& e) {
            const QString message = QString::fromStdString(e.what());
            post([this, message] {
                lastError_ = message;
                setState(State::Failed);
                emit failed(message);
            });
        }
    }));
    thread_->setObjectName(QStringLiteral("bertlab-training"));
    thread_->start(QThread::LowPriority);
}

QString TrainingRun::describeFailure(const QString& message) const
{
    const bool full = freeBytes(runDir_.toStdString()) < (16u << 20) || message.contains(QLatin1String("disk full")) ||
                      message.contains(QLatin1String("No space"), Qt::CaseInsensitive);
    // The engine's message already names the last good checkpoint; say why it stopped first.
    return full ? tr("The disk holding %1 is full. %2").arg(runDir_, message) : message;
}

void TrainingRun::queueMetrics(const TrainingMetrics& m)
{
    // Coalesces: however fast steps come, at most one delivery is queued on the GUI thread at a time.
    std::lock_guard lock(pendingMutex_);
    pending_.push_back(m);
    if (pending_.size() == 1) post([this] { flushMetrics(); });
}

void TrainingRun::flushMetrics()
{
    std::vector<TrainingMetrics> batch;
    {
        std::lock_guard lock(pendingMutex_);
        batch.swap(pending_);
    }
    for (const TrainingMetrics& m : batch) emit metrics(m);
}

PretrainingCallbacks TrainingRun::callbacks()
{
    PretrainingCallbacks c;
    c.stage = [this](const std::string& text, int percent) {
        const QString stage = QString::fromStdString(text);
        post([this, stage, percent] { emit preparing(stage, percent); });
    };
    c.trainerReady = [this](Trainer& t) {
        std::lock_guard lock(trainerMutex_);
        trainer_ = &t;
        if (pauseRequested_) t.pause();
        post([this] {
            if (state_ == State::Preparing) setState(pauseRequested_ ? State::Paused : State::Training);
        });
    };
    const std::string runDir = runDir_.toStdString();
    c.metrics = [this, runDir](const TrainingMetrics& m) {
        queueMetrics(m);
        // Stop while one more checkpoint still fits, so the last one is whole and the disk is not left full.
        std::lock_guard lock(trainerMutex_);
        if (!trainer_ || diskLow_) return;
        const int64_t every = trainer_->options().checkpointEvery;
        if ((m.step % 10 == 0 || (every > 0 && (m.step + 1) % every == 0)) &&
            double(freeBytes(runDir)) < 2 * checkpointBytes(trainer_->parameters().config())) {
            diskLow_ = true;
            trainer_->cancel();
        }
    };
    c.evaluation = [this](const EvaluationMetrics& e) { post([this, e] { emit evaluation(e); }); };
    c.checkpoint = [this](const std::string& written) {
        const QString folder = QDir::cleanPath(QString::fromStdString(written));
        post([this, folder] {
            checkpoints_ = listCheckpoints(runDir_);
            emit checkpointWritten(folder);
        });
    };
    return c;
}

void TrainingRun::runPipeline(PretrainingPipeline& pipeline)
{
    const std::stop_token stop = stop_.get_token();
    if (!pipeline.prepare(stop)) {
        post([this] {
            RunRecovery::markFinished(runDir_);  // stopped before training began: nothing to resume
            setState(State::Stopped);
            emit finished(false);
        });
        return;
    }
    TrainingOutcome outcome;
    try {
        outcome = pipeline.train(stop);
    } catch (...) {
        std::lock_guard lock(trainerMutex_);
        trainer_ = nullptr;
        throw;
    }
    {
        std::lock_guard lock(trainerMutex_);
        trainer_ = nullptr;
    }
    const Trainer& trainer = *pipeline.trainer();
    if (diskLow_) {
        const QString message =
            tr("The disk holding %1 is almost full: training stopped at step %2. The last good checkpoint, %3, is intact.")
                .arg(runDir_)
                .arg(trainer.step())
                .arg(QString::fromStdString(trainer.lastCheckpoint()));
        post([this, message] {
            lastError_ = message;
            setState(State::Failed);
            emit failed(message);
        });
        return;
    }
    const bool completed = outcome == TrainingOutcome::Completed;
    post([this, completed] {
        if (completed || !keepForResume_) RunRecovery::markFinished(runDir_);
        flushMetrics();
        setState(completed ? State::Finished : State::Stopped);
        emit finished(completed);
    });
}

void TrainingRun::pause()
{
    std::lock_guard lock(trainerMutex_);
    pauseRequested_ = true;
    if (trainer_) trainer_->pause();
    if (state_ == State::Training) setState(State::Paused);
}

void TrainingRun::resume()
{
    std::lock_guard lock(trainerMutex_);
    pauseRequested_ = false;
    if (trainer_) trainer_->resume();
    if (state_ == State::Paused) setState(State::Training);
}

void TrainingRun::stop(bool keepForResume)
{
    std::lock_guard lock(trainerMutex_);
    keepForResume_ = keepForResume;
    stop_.request_stop();
    if (isActive()) setState(State::Stopping);
}

bool TrainingRun::wait(int timeoutMs)
{
    if (!thread_) return true;
    return thread_->wait(QDeadlineTimer(timeoutMs));
}

} // namespace bertlab::ui
