// One pretraining run driven from the GUI: prepares data and trains on its own thread, reports by queued signals.
#include "training/training_run.h"

#include "bert_model.h"
#include "error.h"
#include "tokenizer.h"
#include "training/checkpoint.h"
#include "training/parameter_buffer.h"
#include "training/run_recovery.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"
#include "training/wordpiece_vocab_builder.h"
#include "vocab.h"

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

// Bytes one checkpoint takes: weights and two Adam moments, plus a margin for config, vocab and state.
uintmax_t checkpointBytes(const BertConfig& config)
{
    return static_cast<uintmax_t>(ParameterLayout(config).total) * 4u * 3u + (4u << 20);
}

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

struct StopRequested {};

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

bool TrainingRun::start(const TrainingRunSpec& spec)
{
    if (isActive() || (thread_ && thread_->isRunning())) return false;
    runDir_ = QDir::cleanPath(QFileInfo(spec.runDir).absoluteFilePath());
    title_ = QFileInfo(runDir_).fileName();
    threads_ = spec.threads > 0 ? spec.threads : defaultThreads();
    TrainingRunSpec copy = spec;
    copy.runDir = runDir_;
    launch([this, copy] { work(copy); });
    return true;
}

bool TrainingRun::resumeRun(const QString& runDir, int threads)
{
    if (isActive() || (thread_ && thread_->isRunning())) return false;
    runDir_ = QDir::cleanPath(QFileInfo(runDir).absoluteFilePath());
    title_ = QFileInfo(runDir_).fileName();
    threads_ = threads > 0 ? threads : defaultThreads();
    const QString dir = runDir_;
    launch([this, dir] { workResume(dir); });
    return true;
}

void TrainingRun::launch(std::function<void()> body)
{
    if (thread_) thread_->wait();
    stopRequested_ = false;
    pauseRequested_ = false;
    keepForResume_ = false;
    RunRecovery::markActive(runDir_);
    lastError_.clear();
    checkpoints_ = listCheckpoints(runDir_);
    setState(State::Preparing);
    const int threads = threads_;
    thread_.reset(QThread::create([this, threads, body = std::move(body)] {
        omp_set_num_threads(threads);  // per-thread setting: the explorer's own threads keep theirs
        try {
            body();
        } catch (const StopRequested&) {
            post([this] {
                RunRecovery::markFinished(runDir_);  // stopped before training began: nothing to resume
                setState(State::Stopped);
                emit finished(false);
            });
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

void TrainingRun::work(const TrainingRunSpec& spec)
{
    auto checkStop = [this] {
        if (stopRequested_) throw StopRequested{};
    };
    auto stage = [this](const QString& text, int percent) { post([this, text, percent] { emit preparing(text, percent); }); };
    const std::string runDir = spec.runDir.toStdString();
    std::error_code ec;
    fs::create_directories(runDir, ec);
    if (ec) throw Error("cannot create " + runDir + ": " + ec.message());

    stage(tr("Reading the corpus"), 0);
    const Corpus corpus = readCorpus(spec.corpusPath.toStdString());
    checkStop();

    std::shared_ptr<const Vocab> vocab;
    bool lowerCase = true;
    if (spec.reuseModelVocab || spec.continuePretraining) {
        if (!spec.openModel) throw Error("no model is open to take the vocabulary from");
        vocab = spec.openModel->tokenizer().sharedVocab();
        lowerCase = spec.openModel->tokenizer().lowerCase();
    } else {
        stage(tr("Building a %1-token vocabulary").arg(spec.vocabSize), 10);
        VocabBuilderOptions vo;
        vo.size = spec.vocabSize;
        vocab = std::make_shared<const Vocab>(buildWordPieceVocab(corpus, vo));
        vocab->saveToFile((fs::path(runDir) / "vocab.txt").string());
        lowerCase = vo.lowerCase;
    }
    checkStop();

    stage(tr("Tokenizing %1 documents").arg(corpus.documents.size()), 35);
    const Tokenizer tokenizer(vocab, lowerCase);
    auto documents = tokenizeCorpus(corpus, tokenizer);
    checkStop();
    stage(tr("Building masked-LM examples"), 55);
    ExampleOptions eo = spec.examples;
    eo.seed = spec.trainer.seed;
    const ExampleBuilder builder(*vocab, eo);
    std::vector<PretrainingExample> all = builder.build(std::move(documents));
    if (all.empty()) throw Error("the corpus gives no training examples (too short?)");
    checkStop();

    // The builder already shuffles, so the tail is a fair held-out sample.
    const size_t held = all.size() >= 20 ? std::max<size_t>(1, static_cast<size_t>(all.size() * spec.heldOutFraction)) : 0;
    std::vector<PretrainingExample> eval(std::make_move_iterator(all.end() - static_cast<std::ptrdiff_t>(held)),
                                         std::make_move_iterator(all.end()));
    all.resize(all.size() - held);

    TrainerOptions to = spec.trainer;
    stage(tr("Saving %1 examples").arg(all.size()), 80);
    to.examplesPath = fs::absolute(fs::path(runDir) / "examples.jsonl").string();
    writeExamplesJsonl(to.examplesPath, all);
    if (!eval.empty()) {
        to.evalExamplesPath = fs::absolute(fs::path(runDir) / "eval_examples.jsonl").string();
        writeExamplesJsonl(to.evalExamplesPath, eval);
    } else {
        to.evalEvery = 0;
    }
    checkStop();

    stage(tr("Initialising the model"), 95);
    std::optional<ParameterBuffer> params;
    if (spec.continuePretraining) {
        params.emplace(ParameterBuffer::fromModel(*spec.openModel, to.seed));
    } else {
        BertConfig config = spec.config;
        config.vocabSize = vocab->size();
        config.maxPositionEmbeddings = std::max(config.maxPositionEmbeddings, eo.maxSeqLength);
        config.hiddenDropoutProb = config.attentionDropoutProb = to.dropout;
        config.validate();
        params.emplace(ParameterBuffer::initialized(config, to.seed));
    }
    checkStop();
    train(std::make_unique<Trainer>(std::move(*params), vocab, lowerCase, std::move(all), std::move(eval), to, runDir));
}

void TrainingRun::workResume(const QString& dir)
{
    const std::string runDir = dir.toStdString();
    post([this] { emit preparing(tr("Reading the checkpoint and its examples"), -1); });
    const CheckpointState state = readLatestCheckpointState(runDir);
    const BertConfig config = BertConfig::fromFile(checkpointFolder(runDir, state.step) + "/config.json");
    auto train = readExamplesJsonl(state.options.examplesPath, config.vocabSize);
    if (train.empty()) throw Error(state.options.examplesPath + " holds no examples");
    std::vector<PretrainingExample> eval;
    if (!state.options.evalExamplesPath.empty() && fs::exists(state.options.evalExamplesPath))
        eval = readExamplesJsonl(state.options.evalExamplesPath, config.vocabSize);
    if (stopRequested_) throw StopRequested{};
    this->train(Trainer::resume(runDir, std::move(train), std::move(eval)));
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

void TrainingRun::train(std::unique_ptr<Trainer> trainer)
{
    const std::string runDir = runDir_.toStdString();
    const uintmax_t needed = checkpointBytes(trainer->parameters().config());
    std::string knownCheckpoint = trainer->lastCheckpoint();
    bool diskLow = false;
    Trainer* raw = trainer.get();
    auto reportCheckpoint = [this, raw, &knownCheckpoint] {
        if (raw->lastCheckpoint() == knownCheckpoint) return;
        knownCheckpoint = raw->lastCheckpoint();
        const QString folder = QDir::cleanPath(QString::fromStdString(knownCheckpoint));
        post([this, folder] {
            checkpoints_ = listCheckpoints(runDir_);
            emit checkpointWritten(folder);
        });
    };
    trainer->onMetrics([&, raw](const TrainingMetrics& m) {
        reportCheckpoint();  // written after the previous step's metrics
        queueMetrics(m);
        // Stop while one more checkpoint still fits, so the last one is whole and the disk is not left full.
        const int64_t every = raw->options().checkpointEvery;
        if (!diskLow && (m.step % 10 == 0 || (every > 0 && (m.step + 1) % every == 0)) && freeBytes(runDir) < 2 * needed) {
            diskLow = true;
            raw->cancel();
        }
    });
    trainer->onEvaluation([this](const EvaluationMetrics& e) { post([this, e] { emit evaluation(e); }); });
    {
        std::lock_guard lock(trainerMutex_);
        trainer_ = raw;
        if (pauseRequested_) raw->pause();
        if (stopRequested_) raw->cancel();
    }
    post([this] {
        if (state_ == State::Preparing) setState(pauseRequested_ ? State::Paused : State::Training);
    });
    TrainingOutcome outcome;
    try {
        outcome = trainer->run();
    } catch (...) {
        std::lock_guard lock(trainerMutex_);
        trainer_ = nullptr;
        throw;
    }
    {
        std::lock_guard lock(trainerMutex_);
        trainer_ = nullptr;
    }
    reportCheckpoint();
    if (diskLow) {
        const QString message =
            tr("The disk holding %1 is almost full: training stopped at step %2. The last good checkpoint, %3, is intact.")
                .arg(runDir_)
                .arg(trainer->step())
                .arg(QString::fromStdString(trainer->lastCheckpoint()));
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
    stopRequested_ = true;
    if (trainer_) trainer_->cancel();
    if (isActive()) setState(State::Stopping);
}

bool TrainingRun::wait(int timeoutMs)
{
    if (!thread_) return true;
    return thread_->wait(QDeadlineTimer(timeoutMs));
}

} // namespace bertlab::ui
