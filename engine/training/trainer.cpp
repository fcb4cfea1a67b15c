// The pretraining loop and everything that makes it reproducible and interruptible.
#include "training/trainer.h"

#include "error.h"
#include "layers/counter_random.h"
#include "training/checkpoint.h"
#include "training/gradient_clipping.h"
#include "vocab.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace bertlab {

namespace {

// Dropout streams are keyed apart from the data-order stream.
constexpr uint64_t kDropoutStream = 0x44524f504f5554ull;

void appendLine(const fs::path& path, const std::string& line)
{
    std::ofstream out(path, std::ios::binary | std::ios::app);
    out << line;
    out.flush();
    if (!out) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
}

// Keeps the lines of a JSONL log whose "step" is at most `step`, rewriting it atomically.
void truncateLog(const fs::path& path, int64_t step)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::string kept, line;
    while (std::getline(in, line)) {
        // A line torn by a killed process does not parse and goes; the run rewrites its step.
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object() && j.contains("step") && j["step"].is_number_integer() && j["step"].get<int64_t>() <= step)
            kept += line + "\n";
    }
    in.close();
    const fs::path temp = path.string() + ".tmp";
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << kept;
        if (!out) throw Error("cannot rewrite " + path.string());
    }
    fs::rename(temp, path);
}

std::vector<const PretrainingExample*> slice(const std::vector<PretrainingExample>& all, size_t begin, size_t n)
{
    std::vector<const PretrainingExample*> out;
    for (size_t i = begin; i < std::min(all.size(), begin + n); ++i) out.push_back(&all[i]);
    return out;
}

} // namespace

Trainer::Trainer(ParameterBuffer params, std::shared_ptr<const Vocab> vocab, bool lowerCase,
                 std::vector<PretrainingExample> train, std::vector<PretrainingExample> eval,
                 TrainerOptions options, std::string runDir)
    : params_(std::move(params)),
      vocab_(std::move(vocab)),
      lowerCase_(lowerCase),
      train_(std::move(train)),
      eval_(std::move(eval)),
      options_(std::move(options)),
      runDir_(std::move(runDir)),
      model_(params_.config()),
      optimizer_(params_.layout(), options_.adam),
      order_(static_cast<int64_t>(train_.size()), options_.seed, options_.shuffle)
{
    if (options_.steps <= 0) throw Error("the number of training steps must be positive");
    if (options_.batchSize <= 0) throw Error("the batch size must be positive");
    if (options_.gradientAccumulation <= 0) throw Error("gradient accumulation must be at least 1");
    if (!(options_.dropout >= 0.0f && options_.dropout < 1.0f)) throw Error("dropout must be in [0, 1)");
    if (!(options_.peakLr > 0.0)) throw Error("the learning rate must be positive");
    if (vocab_ && vocab_->size() != params_.config().vocabSize)
        throw Error("the vocabulary has " + std::to_string(vocab_->size()) + " tokens but the model expects " +
                    std::to_string(params_.config().vocabSize));
    const int V = params_.config().vocabSize, P = params_.config().maxPositionEmbeddings;
    for (const auto* set : {&train_, &eval_})
        for (const PretrainingExample& e : *set) {
            validateExample(e, V);
            if (static_cast<int>(e.inputIds.size()) > P)
                throw Error("an example has " + std::to_string(e.inputIds.size()) + " tokens; the model has " +
                            std::to_string(P) + " positions");
        }
    model_.setDropout(options_.dropout, options_.dropout);
    // A step's batches run faster on oneDNN's sgemm than on OpenBLAS (docs/performance.md).
    model_.setFloatProducts(FloatProducts::OneDnn);
    if (options_.precision == Precision::Bfloat16) {
        requireNativeBfloat16("training in bfloat16 (--precision bf16)");
        bf16_.emplace(params_);
        model_.setBfloat16Weights(bf16_->shadow());
    }
    schedule_.peak = options_.peakLr;
    schedule_.warmup = options_.resolvedWarmup();
    schedule_.total = options_.steps;
    grads_.assign(params_.size(), 0.0f);
}

std::unique_ptr<Trainer> Trainer::resume(const std::string& runDir, std::vector<PretrainingExample> train,
                                         std::vector<PretrainingExample> eval, std::optional<Precision> precision)
{
    LoadedCheckpoint c = readLatestCheckpoint(runDir);
    if (precision) c.state.options.precision = *precision;
    auto trainer = std::make_unique<Trainer>(std::move(*c.params), c.vocab, c.state.lowerCase, std::move(train),
                                             std::move(eval), c.state.options, runDir);
    trainer->optimizer_.firstMoment() = std::move(c.exp_avg);
    trainer->optimizer_.secondMoment() = std::move(c.exp_avg_sq);
    trainer->optimizer_.setSteps(c.state.step);
    trainer->step_ = c.state.step;
    trainer->examplesSeen_ = c.state.examplesSeen;
    trainer->lastCheckpoint_ = c.folder;
    trainer->prepareRunDir(true);
    return trainer;
}

void Trainer::prepareRunDir(bool resumed)
{
    if (runDir_.empty()) return;
    const fs::path dir(runDir_);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error("cannot create run folder " + runDir_ + ": " + ec.message());
    if (resumed) {
        truncateLog(dir / "metrics.jsonl", step_);
        truncateLog(dir / "eval.jsonl", step_);
        return;
    }
    if (fs::exists(dir / "checkpoints"))
        throw Error(runDir_ + " already holds a training run; resume it or choose another folder");
    for (const char* log : {"metrics.jsonl", "eval.jsonl"}) fs::remove(dir / log, ec);
}

void Trainer::appendMetrics(const TrainingMetrics& m)
{
    if (!runDir_.empty()) appendLine(fs::path(runDir_) / "metrics.jsonl", toJson(m) + "\n");
}

void Trainer::pause()
{
    paused_ = true;
}

void Trainer::resume()
{
    {
        std::lock_guard lock(mutex_);
        paused_ = false;
    }
    wake_.notify_all();
}

void Trainer::cancel()
{
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    wake_.notify_all();
}

void Trainer::runBetweenSteps(std::function<void(Trainer&)> task)
{
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    wake_.notify_all();
}

bool Trainer::runPendingTasks()
{
    std::vector<std::function<void(Trainer&)>> now;
    {
        std::lock_guard lock(mutex_);
        now.swap(tasks_);
    }
    for (auto& task : now) task(*this);
    if (!now.empty()) refreshBfloat16();
    return !now.empty();
}

void Trainer::refreshBfloat16()
{
    if (bf16_) bf16_->refresh(params_);
}

bool Trainer::waitWhilePaused()
{
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return !paused_.load() || cancelled_.load() || !tasks_.empty(); });
            if (tasks_.empty()) return !cancelled_.load();
        }
        runPendingTasks();
    }
}

std::string Trainer::checkpoint()
{
    if (runDir_.empty()) throw Error("this training run has no folder to write checkpoints to");
    CheckpointState state;
    state.step = step_;
    state.examplesSeen = examplesSeen_;
    state.lowerCase = lowerCase_;
    state.options = options_;
    try {
        lastCheckpoint_ = writeCheckpoint(runDir_, params_, optimizer_, vocab_, state);
    } catch (const Error& e) {
        // Disk full, quota, a removed folder: the run cannot go on safely; say what survives.
        throw Error(std::string(e.what()) + "; training stopped at step " + std::to_string(step_) + ", the last good checkpoint" +
                    (lastCheckpoint_.empty() ? " was not written yet" : ", " + lastCheckpoint_ + ", is intact"));
    }
    if (onCheckpoint_) onCheckpoint_(lastCheckpoint_);
    return lastCheckpoint_;
}

EvaluationMetrics Trainer::evaluate()
{
    EvaluationMetrics out;
    out.step = step_;
    double mlmSum = 0.0, nspSum = 0.0;
    int64_t mlmCount = 0, mlmHits = 0, nspCount = 0, nspHits = 0;
    const size_t B = static_cast<size_t>(options_.batchSize);
    const int pad = vocab_ ? vocab_->padId() : 0;
    for (size_t begin = 0; begin < eval_.size(); begin += B) {
        TrainingBatch batch = TrainingBatch::make(slice(eval_, begin, B), pad, params_.config().vocabSize,
                                                  params_.config().maxPositionEmbeddings);
        const LossStats s = model_.forward(params_, batch, 0, false);
        mlmSum += s.mlmLoss * s.mlmCount;
        nspSum += s.nspLoss * s.nspCount;
        mlmCount += s.mlmCount, mlmHits += s.mlmCorrect, nspCount += s.nspCount, nspHits += s.nspCorrect;
    }
    out.examples = static_cast<int64_t>(eval_.size());
    if (mlmCount) out.mlmLoss = mlmSum / mlmCount, out.mlmAccuracy = double(mlmHits) / mlmCount;
    if (nspCount) out.nspLoss = nspSum / nspCount, out.nspAccuracy = double(nspHits) / nspCount;
    out.loss = out.mlmLoss + out.nspLoss;
    return out;
}

TrainingOutcome Trainer::run()
{
    if (step_ == 0 && lastCheckpoint_.empty()) prepareRunDir(false);
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const int64_t startStep = step_;
    double tokens = 0.0;
    const int accum = options_.gradientAccumulation;
    const int pad = vocab_ ? vocab_->padId() : 0;
    std::vector<const PretrainingExample*> chosen;
    // A resumed trainer starts on its checkpoint; there is nothing new to save until it trains.
    bool checkpointed = !lastCheckpoint_.empty();

    while (step_ < options_.steps) {
        runPendingTasks();
        if (cancelled_ || (paused_ && !waitWhilePaused())) {
            if (!runDir_.empty() && !checkpointed) checkpoint();
            return TrainingOutcome::Cancelled;
        }
        std::memset(grads_.data(), 0, grads_.size() * sizeof(float));
        double mlmLoss = 0.0, nspLoss = 0.0;
        int64_t mlmHits = 0, mlmCount = 0, nspHits = 0, nspCount = 0;
        for (int micro = 0; micro < accum; ++micro) {
            chosen.clear();
            for (int j = 0; j < options_.batchSize; ++j) chosen.push_back(&train_[order_.at(examplesSeen_ + j)]);
            const TrainingBatch batch = TrainingBatch::make(chosen, pad, params_.config().vocabSize,
                                                            params_.config().maxPositionEmbeddings);
            const uint64_t key = layers::mixKey(options_.seed ^ kDropoutStream,
                                                static_cast<uint64_t>(step_ * accum + micro));
            const LossStats s = model_.forward(params_, batch, key);
            if (!std::isfinite(s.loss))
                throw Error("training stopped at step " + std::to_string(step_ + 1) +
                            ": the loss became NaN or infinite (try a lower learning rate); the last checkpoint" +
                            (lastCheckpoint_.empty() ? " was not written yet" : ", " + lastCheckpoint_ + ", is intact"));
            model_.backward(params_, grads_.data(), 1.0f / static_cast<float>(accum));
            examplesSeen_ += options_.batchSize;
            tokens += batch.realTokens;
            mlmLoss += s.mlmLoss / accum, nspLoss += s.nspLoss / accum;
            mlmHits += s.mlmCorrect, mlmCount += s.mlmCount, nspHits += s.nspCorrect, nspCount += s.nspCount;
        }
        const double norm = clipGradientNorm(grads_.data(), grads_.size(), options_.maxGradNorm);
        if (!std::isfinite(norm))
            throw Error("training stopped at step " + std::to_string(step_ + 1) +
                        ": the gradient became NaN or infinite; the last checkpoint" +
                        (lastCheckpoint_.empty() ? " was not written yet" : ", " + lastCheckpoint_ + ", is intact"));
        const double lr = schedule_.at(step_);
        optimizer_.step(params_, grads_.data(), lr);
        refreshBfloat16();
        ++step_;
        checkpointed = false;

        TrainingMetrics m;
        m.step = step_;
        m.totalSteps = options_.steps;
        m.mlmLoss = mlmLoss, m.nspLoss = nspLoss, m.loss = mlmLoss + nspLoss;
        m.mlmAccuracy = mlmCount ? double(mlmHits) / mlmCount : 0.0;
        m.nspAccuracy = nspCount ? double(nspHits) / nspCount : 0.0;
        m.lr = lr;
        m.gradNorm = norm;
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        m.tokensPerSecond = elapsed > 0 ? tokens / elapsed : 0.0;
        m.etaSeconds = elapsed / double(step_ - startStep) * double(options_.steps - step_);
        appendMetrics(m);
        if (onMetrics_) onMetrics_(m);

        if (options_.evalEvery > 0 && !eval_.empty() && step_ % options_.evalEvery == 0) {
            const EvaluationMetrics e = evaluate();
            if (!runDir_.empty()) appendLine(fs::path(runDir_) / "eval.jsonl", toJson(e) + "\n");
            if (onEval_) onEval_(e);
        }
        if (!runDir_.empty() && options_.checkpointEvery > 0 && step_ % options_.checkpointEvery == 0) {
            checkpoint();
            checkpointed = true;
        }
    }
    if (!runDir_.empty()) {
        if (!checkpointed) checkpoint();
        if (step_ > startStep || !fs::exists(fs::path(runDir_) / "model.safetensors"))
            writeModelFolder(runDir_, params_, vocab_, lowerCase_);
    }
    return TrainingOutcome::Completed;
}

} // namespace bertlab
