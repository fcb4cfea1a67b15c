// The fine-tuning loop: TrainingModel's encoder, the classifier head and its loss here, AdamW, epochs, checkpoints.
#include "finetune/finetuner.h"

#include "cancelled.h"
#include "error.h"
#include "layers/counter_random.h"
#include "layers/cross_entropy.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/pretraining_heads.h"
#include "training/checkpoint.h"
#include "training/data_order.h"
#include "training/gradient_clipping.h"
#include "training/lr_schedule.h"
#include "vocab.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace bertlab {
namespace {

constexpr const char* kStateFile = "finetune_state.json";
constexpr uint64_t kClassifierDropoutSite = 0xC1A55;  // apart from TrainingModel's sites

AdamWOptions adamOptions(const FinetuneOptions& o)
{
    AdamWOptions a;
    a.eps = 1e-8;  // torch's and transformers' default; pretraining uses BERT's 1e-6
    a.weightDecay = o.weightDecay;
    return a;
}

int labelCount(const ParameterBuffer& params) { return static_cast<int>(params.config().labels.size()); }

} // namespace

struct Finetuner::Batch {
    TrainingBatch inputs;     // padded ids, segments and attention mask; no pretraining labels
    std::vector<int> labels;  // sequence: [B]; token: [B·T], kIgnoredLabel where nothing is labelled
};

Finetuner::Finetuner(ParameterBuffer params, std::shared_ptr<const Vocab> vocab, bool lowerCase,
                     FinetuneOptions options, std::vector<FinetuneExample> train, std::vector<FinetuneExample> dev,
                     std::string outDir)
    : params_(std::move(params)),
      vocab_(std::move(vocab)),
      lowerCase_(lowerCase),
      options_(std::move(options)),
      train_(std::move(train)),
      dev_(std::move(dev)),
      outDir_(std::move(outDir)),
      model_(params_.config()),
      optimizer_(params_.layout(), adamOptions(options_))
{
    options_.validate();
    if (params_.config().classifierTask() != options_.task || params_.layout().classifierW == ParameterLayout::kAbsent)
        throw Error("the parameters are not in the layout of a " + std::string(classifierTaskName(options_.task)) +
                    " classifier");
    if (train_.empty()) throw Error("no training examples");
    model_.setDropout(options_.dropout, options_.dropout);
    // A step's batches run faster on oneDNN's sgemm than on OpenBLAS (docs/performance.md).
    model_.setFloatProducts(FloatProducts::OneDnn);
    model_.setLossHeads(LossHeads::None);
    if (options_.precision == Precision::Bfloat16) {
        requireNativeBfloat16("fine-tuning in bfloat16 (--precision bf16)");
        bf16_.emplace(params_);
        model_.setBfloat16Weights(bf16_->shadow());
    }
    stepsPerEpoch_ = static_cast<int>((train_.size() + static_cast<size_t>(options_.batchSize) - 1) /
                                      static_cast<size_t>(options_.batchSize));
    totalSteps_ = static_cast<int64_t>(stepsPerEpoch_) * options_.epochs;
    warmupSteps_ = static_cast<int64_t>(std::ceil(options_.warmupRatio * static_cast<double>(totalSteps_) - 1e-9));
    grads_.assign(params_.size(), 0.0f);
}

Finetuner::Batch Finetuner::makeBatch(const std::vector<const FinetuneExample*>& examples) const
{
    Batch b;
    TrainingBatch& t = b.inputs;
    t.batchSize = static_cast<int>(examples.size());
    for (const FinetuneExample* e : examples) t.seqLength = std::max(t.seqLength, static_cast<int>(e->ids.size()));
    const int T = t.seqLength, pad = vocab_->padId();
    const bool token = options_.task == ClassifierTask::Token;
    for (const FinetuneExample* e : examples) {
        const size_t n = e->ids.size();
        for (size_t i = 0; i < static_cast<size_t>(T); ++i) {
            const bool real = i < n;
            t.ids.push_back(real ? e->ids[i] : pad);
            t.typeIds.push_back(real ? e->typeIds[i] : 0);
            t.attentionMask.push_back(real ? 1.0f : 0.0f);
            if (token) b.labels.push_back(real ? e->labels[i] : kIgnoredLabel);
        }
        if (!token) b.labels.push_back(e->labels.front());
        t.realTokens += static_cast<int>(n);
    }
    return b;
}

double Finetuner::runBatch(const Batch& batch, float* grads, uint64_t key, bool train, std::vector<int>* predictions,
                           int* items)
{
    using namespace layers;
    const int B = batch.inputs.batchSize, T = batch.inputs.seqLength, H = params_.config().hiddenSize;
    const int K = labelCount(params_);
    model_.forward(params_, batch.inputs, key, train);
    const float* out = model_.output();
    const ParameterLayout& L = params_.layout();
    const float* W = params_.data() + L.classifierW;
    const float* bias = params_.data() + L.classifierB;
    const float p = train ? options_.dropout : 0.0f;
    const bool sequence = options_.task == ClassifierTask::Sequence;

    // The rows the classifier reads: pooled [CLS] (sequence) or each labelled token's state.
    std::vector<int> rowOf, labels;
    if (sequence) {
        for (int b = 0; b < B; ++b) rowOf.push_back(b * T), labels.push_back(batch.labels[static_cast<size_t>(b)]);
    } else {
        for (int r = 0; r < B * T; ++r)
            if (batch.labels[static_cast<size_t>(r)] != kIgnoredLabel)
                rowOf.push_back(r), labels.push_back(batch.labels[static_cast<size_t>(r)]);
    }
    const int R = static_cast<int>(rowOf.size());
    if (items) *items = R;
    if (R == 0) return 0.0;
    for (int label : labels)
        if (label < 0 || label >= K) throw Error("a label id outside the classifier's " + std::to_string(K) + " labels");

    std::vector<float> gathered(static_cast<size_t>(R) * H), pooled, features(static_cast<size_t>(R) * H);
    for (int r = 0; r < R; ++r)
        std::memcpy(gathered.data() + static_cast<size_t>(r) * H, out + static_cast<size_t>(rowOf[r]) * H,
                    sizeof(float) * H);
    LinearOf<const float> poolerW{params_.data() + L.poolerW, params_.data() + L.poolerB};
    if (sequence) {
        pooled.resize(gathered.size());
        poolerForward(pooled.data(), pooled.data(), gathered.data(), poolerW, R, H);
        features = pooled;
    } else {
        features = gathered;
    }
    std::vector<uint8_t> mask(features.size());
    dropoutForward(features.data(), mask.data(), features.size(), p, mixKey(key, kClassifierDropoutSite));
    std::vector<float> logits(static_cast<size_t>(R) * K);
    denseForward(logits.data(), features.data(), W, bias, R, H, K);
    if (predictions)
        for (int r = 0; r < R; ++r) {
            const float* row = logits.data() + static_cast<size_t>(r) * K;
            predictions->push_back(static_cast<int>(std::max_element(row, row + K) - row));
        }
    const double loss = crossEntropyForward(logits.data(), labels.data(), R, K, nullptr);
    if (!grads) return loss;

    // One mean over the batch's labelled items, as the loss is defined.
    crossEntropyBackward(logits.data(), labels.data(), R, K, 1.0f / static_cast<float>(R));
    std::vector<float> dFeatures(features.size());
    denseBackward(dFeatures.data(), grads + L.classifierW, grads + L.classifierB, logits.data(), features.data(), W, R,
                  H, K, false);
    dropoutBackward(dFeatures.data(), dFeatures.data(), mask.data(), dFeatures.size(), p);
    std::vector<float> dRows(gathered.size());
    if (sequence) {
        LinearOf<float> poolerG{grads + L.poolerW, grads + L.poolerB};
        poolerBackward(dRows.data(), poolerG, dFeatures.data(), pooled.data(), gathered.data(), poolerW, R, H);
    } else {
        dRows = std::move(dFeatures);
    }
    std::vector<float> dOutput(static_cast<size_t>(B) * T * H, 0.0f);
    for (int r = 0; r < R; ++r)
        std::memcpy(dOutput.data() + static_cast<size_t>(rowOf[r]) * H, dRows.data() + static_cast<size_t>(r) * H,
                    sizeof(float) * H);
    model_.backward(params_, grads, dOutput.data());
    return loss;
}

FinetuneEvaluation Finetuner::evaluate(const std::vector<FinetuneExample>& data)
{
    FinetuneEvaluation e;
    e.confusion = ConfusionMatrix(labelCount(params_));
    double sum = 0.0;
    for (size_t start = 0; start < data.size(); start += static_cast<size_t>(options_.batchSize)) {
        std::vector<const FinetuneExample*> chunk;
        for (size_t i = start; i < std::min(data.size(), start + static_cast<size_t>(options_.batchSize)); ++i)
            chunk.push_back(&data[i]);
        const Batch batch = makeBatch(chunk);
        std::vector<int> predicted;
        int items = 0;
        sum += runBatch(batch, nullptr, 0, false, &predicted, &items);
        size_t k = 0;
        for (size_t i = 0; i < batch.labels.size(); ++i)
            if (batch.labels[i] != kIgnoredLabel) e.confusion.add(batch.labels[i], predicted[k++]);
        e.items += items;
    }
    e.loss = e.items ? sum / e.items : 0.0;
    e.accuracy = e.confusion.accuracy();
    e.macroF1 = e.confusion.macroF1();
    return e;
}

void Finetuner::appendMetrics(const FinetuneStepMetrics& m)
{
    if (outDir_.empty()) return;
    nlohmann::json j = {{"step", m.step}, {"epoch", m.epoch}, {"loss", m.loss}, {"lr", m.lr}};
    if (m.dev) {
        j["dev_loss"] = m.dev->loss;
        j["dev_accuracy"] = m.dev->accuracy;
        j["dev_macro_f1"] = m.dev->macroF1;
    }
    std::ofstream out(fs::path(outDir_) / "metrics.jsonl", std::ios::app);
    out << j.dump() << "\n";
    if (!out) throw Error("cannot write " + (fs::path(outDir_) / "metrics.jsonl").string());
}

std::string Finetuner::writeCheckpoint()
{
    const nlohmann::json state = {{"step", step_}, {"lower_case", lowerCase_},
                                  {"options", nlohmann::json::parse(options_.toJson())}};
    return writeRunCheckpoint(outDir_, step_, params_, optimizer_, vocab_, lowerCase_, kStateFile,
                              state.dump(2) + "\n", 2);
}

TrainingOutcome Finetuner::run(std::stop_token stop)
{
    const LinearWarmupSchedule schedule{options_.lr, warmupSteps_, totalSteps_};
    DataOrder order(static_cast<int64_t>(train_.size()), options_.seed, options_.shuffle);
    const int64_t count = static_cast<int64_t>(train_.size());
    const auto started = std::chrono::steady_clock::now();
    const int64_t firstStep = step_;
    int64_t itemsDone = 0;
    if (!outDir_.empty()) fs::create_directories(outDir_);
    while (step_ < totalSteps_) {
        const int epoch = static_cast<int>(step_ / stepsPerEpoch_);
        const int64_t batchInEpoch = step_ % stepsPerEpoch_;
        std::vector<const FinetuneExample*> chunk;
        for (int64_t i = batchInEpoch * options_.batchSize; i < std::min(count, (batchInEpoch + 1) * options_.batchSize); ++i)
            chunk.push_back(&train_[static_cast<size_t>(order.at(epoch * count + i))]);
        const Batch batch = makeBatch(chunk);
        std::fill(grads_.begin(), grads_.end(), 0.0f);
        int items = 0;
        const uint64_t key = layers::mixKey(options_.seed, static_cast<uint64_t>(step_));
        const double loss = runBatch(batch, grads_.data(), key, true, nullptr, &items) / std::max(1, items);
        if (!std::isfinite(loss)) throw Error("the loss is no longer finite at step " + std::to_string(step_ + 1) +
                                              "; try a lower --lr (nothing was updated)");
        if (!std::isfinite(clipGradientNorm(grads_.data(), grads_.size(), 1.0)))
            throw Error("the gradient is no longer finite at step " + std::to_string(step_ + 1) +
                        "; try a lower --lr (nothing was updated)");
        const double lr = schedule.at(step_);
        optimizer_.step(params_, grads_.data(), lr);
        if (bf16_) bf16_->refresh(params_);
        ++step_;
        itemsDone += static_cast<int64_t>(chunk.size());

        FinetuneStepMetrics m;
        m.step = step_;
        m.totalSteps = totalSteps_;
        m.epoch = epoch + 1;
        m.loss = loss;
        m.lr = lr;
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        m.itemsPerSecond = seconds > 0 ? static_cast<double>(itemsDone) / seconds : 0.0;
        m.etaSeconds = step_ > firstStep ? seconds / static_cast<double>(step_ - firstStep) *
                                               static_cast<double>(totalSteps_ - step_)
                                         : 0.0;
        const bool epochEnd = step_ % stepsPerEpoch_ == 0;
        if (epochEnd && !dev_.empty()) {
            m.dev = evaluate(dev_);
            m.dev->epoch = epoch + 1;
        }
        appendMetrics(m);
        if (epochEnd && !outDir_.empty()) writeCheckpoint();
        if (onStep_) onStep_(m);
        if (stop.stop_requested() && step_ < totalSteps_) {
            if (!outDir_.empty() && !epochEnd) writeCheckpoint();
            return TrainingOutcome::Cancelled;
        }
    }
    if (!outDir_.empty()) writeModelFolder(outDir_, params_, vocab_, lowerCase_);
    return TrainingOutcome::Completed;
}

FinetuneOptions Finetuner::savedOptions(const std::string& outDir)
{
    const RunCheckpoint c = readRunCheckpoint(outDir, kStateFile);
    try {
        return FinetuneOptions::fromJson(nlohmann::json::parse(c.stateText).at("options").dump());
    } catch (const nlohmann::json::exception& e) {
        throw Error("checkpoint " + c.folder + " has a damaged " + kStateFile);
    }
}

std::unique_ptr<Finetuner> Finetuner::resume(const std::string& outDir, std::vector<FinetuneExample> train,
                                             std::vector<FinetuneExample> dev)
{
    RunCheckpoint c = readRunCheckpoint(outDir, kStateFile);
    int64_t step = 0;
    bool lowerCase = true;
    FinetuneOptions options;
    try {
        const nlohmann::json state = nlohmann::json::parse(c.stateText);
        step = state.at("step");
        lowerCase = state.at("lower_case");
        options = FinetuneOptions::fromJson(state.at("options").dump());
    } catch (const nlohmann::json::exception&) {
        throw Error("checkpoint " + c.folder + " has a damaged " + kStateFile);
    }
    auto f = std::make_unique<Finetuner>(std::move(*c.params), c.vocab, lowerCase, options, std::move(train),
                                         std::move(dev), outDir);
    f->optimizer_.firstMoment() = std::move(c.exp_avg);
    f->optimizer_.secondMoment() = std::move(c.exp_avg_sq);
    f->optimizer_.setSteps(step);
    f->step_ = step;
    // metrics.jsonl reads as one run: records past the checkpoint are dropped.
    const fs::path metrics = fs::path(outDir) / "metrics.jsonl";
    std::ifstream in(metrics);
    std::string kept, line;
    while (std::getline(in, line)) {
        try {
            if (nlohmann::json::parse(line).at("step").get<int64_t>() <= step) kept += line + "\n";
        } catch (const nlohmann::json::exception&) {
            break;  // a line cut short by the interruption
        }
    }
    in.close();
    const fs::path temp = metrics.string() + ".tmp";
    std::ofstream(temp, std::ios::trunc) << kept;
    fs::rename(temp, metrics);
    return f;
}

} // namespace bertlab
