// The steps of a pretraining run in order, each once: what bertlab-cli train and the GUI's TrainingRun both call.
#include "training/pretraining_pipeline.h"

#include "bert_model.h"
#include "error.h"
#include "model_io.h"
#include "tokenizer.h"
#include "training/checkpoint.h"
#include "training/parameter_buffer.h"
#include "training/sentence_splitter.h"
#include "training/training_presets.h"
#include "vocab.h"

#include <algorithm>
#include <filesystem>
#include <iterator>

namespace fs = std::filesystem;

namespace bertlab {
namespace {

std::vector<PretrainingExample> readExamples(const std::string& path, int vocabSize)
{
    auto examples = readExamplesJsonl(path, vocabSize);
    if (examples.empty()) throw Error(path + " holds no examples");
    return examples;
}

std::string vocabFile(const std::string& path)
{
    return fs::is_directory(path) ? (fs::path(path) / "vocab.txt").string() : path;
}

void checkOptions(const PretrainingOptions& o)
{
    if (o.runDir.empty()) throw Error("a training run needs a folder to write to");
    const bool continued = o.initModel || !o.initModelPath.empty();
    const bool fresh = !o.preset.empty() || o.config;
    if (continued == fresh) throw Error("a training run starts from exactly one of a model to continue or a new model's size");
    if (continued && (o.vocabModel || !o.vocabPath.empty()))
        throw Error("continued pretraining keeps the model's own vocabulary");
    if (o.vocabModel && !o.vocabPath.empty()) throw Error("give one vocabulary, not two");
    const bool corpus = !o.corpusPath.empty();
    if (corpus == !o.examplesPath.empty()) throw Error("a training run reads exactly one of a corpus or an examples file");
    if (fresh && !o.vocabModel && o.vocabPath.empty() && !corpus)
        throw Error("a new model needs a vocabulary: a vocab.txt, or a corpus to build one from");
    if (!(o.heldOutFraction >= 0.0 && o.heldOutFraction < 1.0)) throw Error("the held-out share must be in [0, 1)");
    if (o.heldOutFraction > 0.0 && !corpus) throw Error("a held-out share needs a corpus to build examples from");
    if (o.heldOutFraction > 0.0 && !o.evalExamplesPath.empty())
        throw Error("give held-out examples or a held-out share of the corpus, not both");
    if (!o.preset.empty()) (void)presetConfig(o.preset, 1000);  // an unknown name fails before any work
    if (o.trainer.keepCheckpoints < 1) throw Error("the number of checkpoints kept must be at least 1");
}

} // namespace

PretrainingPipeline::PretrainingPipeline(PretrainingOptions options, PretrainingCallbacks callbacks)
    : options_(std::move(options)), callbacks_(std::move(callbacks))
{
}

PretrainingPipeline::PretrainingPipeline(ResumeOptions options, PretrainingCallbacks callbacks)
    : resume_(std::move(options)), callbacks_(std::move(callbacks))
{
}

PretrainingPipeline::~PretrainingPipeline() = default;

void PretrainingPipeline::measure(const std::vector<PretrainingExample>& train)
{
    for (const auto& e : train) {
        longestExample_ = std::max(longestExample_, static_cast<int>(e.inputIds.size()));
        mostPredictions_ = std::max(mostPredictions_, static_cast<int>(e.maskedPositions.size()));
    }
}

void PretrainingPipeline::stage(const std::string& text, int percent) const
{
    if (callbacks_.stage) callbacks_.stage(text, percent);
}

void PretrainingPipeline::note(const std::string& text) const
{
    if (callbacks_.note) callbacks_.note(text);
}

bool PretrainingPipeline::prepare(std::stop_token stop)
{
    trainer_.reset();
    // Before any of the preparation, which can take minutes on a large corpus.
    const std::optional<Precision> precision = resume_ ? resume_->precision : options_->trainer.precision;
    if (precision == Precision::Bfloat16) requireNativeBfloat16("training in bfloat16 (--precision bf16)");
    if (resume_) {
        prepareResume();
    } else if (!prepareNew(stop)) {
        return false;
    }
    if (stop.stop_requested()) {
        trainer_.reset();
        return false;
    }
    Trainer& t = *trainer_;
    if (callbacks_.metrics) t.onMetrics(callbacks_.metrics);
    if (callbacks_.evaluation) t.onEvaluation(callbacks_.evaluation);
    if (callbacks_.checkpoint) t.onCheckpoint(callbacks_.checkpoint);
    return true;
}

bool PretrainingPipeline::prepareNew(const std::stop_token& stop)
{
    const PretrainingOptions& o = *options_;
    checkOptions(o);
    const std::string runDir = o.runDir;
    std::error_code ec;
    fs::create_directories(runDir, ec);
    if (ec) throw Error("cannot create " + runDir + ": " + ec.message());
    TrainerOptions to = o.trainer;
    const bool fromCorpus = !o.corpusPath.empty();

    std::optional<Corpus> corpus;
    if (fromCorpus) {
        stage("reading the corpus " + o.corpusPath, 0);
        corpus = readCorpus(o.corpusPath);
        if (stop.stop_requested()) return false;
    }

    // 1. The starting model, when it brings the vocabulary; 2. the vocabulary.
    std::shared_ptr<const BertModel> initModel = o.initModel;
    if (!initModel && !o.initModelPath.empty()) {
        stage("loading " + o.initModelPath, 5);
        initModel = loadModel(o.initModelPath);
    }
    std::shared_ptr<const Vocab> vocab;
    bool lowerCase = true;
    if (const auto& owner = initModel ? initModel : o.vocabModel) {
        vocab = owner->tokenizer().sharedVocab();
        lowerCase = owner->tokenizer().lowerCase();
    } else if (!o.vocabPath.empty()) {
        vocab = std::make_shared<const Vocab>(Vocab::fromFile(vocabFile(o.vocabPath)));
        lowerCase = Tokenizer::vocabLooksUncased(*vocab);
    } else {
        stage("building a " + std::to_string(o.vocabBuilder.size) + "-token vocabulary", 10);
        vocab = std::make_shared<const Vocab>(buildWordPieceVocab(*corpus, o.vocabBuilder));
        vocab->saveToFile((fs::path(runDir) / "vocab.txt").string());
        lowerCase = o.vocabBuilder.lowerCase;
    }
    if (stop.stop_requested()) return false;

    // 3. The examples.
    std::vector<PretrainingExample> train, eval;
    if (fromCorpus) {
        stage("tokenizing " + std::to_string(corpus->documents.size()) + " documents", 35);
        const Tokenizer tokenizer(vocab, lowerCase);
        auto documents = tokenizeCorpus(*corpus, tokenizer);
        corpus.reset();
        if (stop.stop_requested()) return false;
        stage("building masked-LM examples", 55);
        ExampleOptions eo = o.examples;
        eo.seed = to.seed;
        train = ExampleBuilder(*vocab, eo).build(std::move(documents));
        if (train.empty()) throw Error("the corpus gives no training examples (too short?)");
        if (stop.stop_requested()) return false;
        const size_t held = o.heldOutFraction > 0.0 && train.size() >= 20
                                ? std::max<size_t>(1, static_cast<size_t>(static_cast<double>(train.size()) * o.heldOutFraction))
                                : 0;
        eval.assign(std::make_move_iterator(train.end() - static_cast<std::ptrdiff_t>(held)), std::make_move_iterator(train.end()));
        train.resize(train.size() - held);
        stage("saving " + std::to_string(train.size()) + " examples", 80);
        to.examplesPath = fs::absolute(fs::path(runDir) / "examples.jsonl").string();
        writeExamplesJsonl(to.examplesPath, train);
        if (!eval.empty()) {
            to.evalExamplesPath = fs::absolute(fs::path(runDir) / "eval_examples.jsonl").string();
            writeExamplesJsonl(to.evalExamplesPath, eval);
        }
        note(std::to_string(train.size()) + " examples from " + o.corpusPath + " written to " + to.examplesPath +
             (eval.empty() ? "" : ", " + std::to_string(eval.size()) + " held out in " + to.evalExamplesPath));
    } else {
        stage("reading " + o.examplesPath, 40);
        to.examplesPath = fs::absolute(o.examplesPath).string();
        train = readExamples(to.examplesPath, vocab->size());
    }
    if (!o.evalExamplesPath.empty()) {
        to.evalExamplesPath = fs::absolute(o.evalExamplesPath).string();
        eval = readExamples(to.evalExamplesPath, vocab->size());
    }
    if (eval.empty()) to.evalEvery = 0;
    if (stop.stop_requested()) return false;

    // 4. The starting weights.
    stage("initialising the model", 95);
    std::optional<ParameterBuffer> params;
    if (initModel) {
        std::vector<std::string> fresh;
        params.emplace(ParameterBuffer::fromModel(*initModel, to.seed, &fresh));
        for (const auto& head : fresh) note("the model has no " + head + " weights; they start from BERT's initialisation");
    } else {
        BertConfig config = o.preset.empty() ? *o.config : presetConfig(o.preset, vocab->size());
        config.vocabSize = vocab->size();
        if (fromCorpus) config.maxPositionEmbeddings = std::max(config.maxPositionEmbeddings, o.examples.maxSeqLength);
        config.hiddenDropoutProb = config.attentionDropoutProb = to.dropout;
        config.validate();
        params.emplace(ParameterBuffer::initialized(config, to.seed));
    }
    measure(train);
    trainer_ = std::make_unique<Trainer>(std::move(*params), vocab, lowerCase, std::move(train), std::move(eval), to, runDir);
    return true;
}

void PretrainingPipeline::prepareResume()
{
    const ResumeOptions& r = *resume_;
    stage("reading the checkpoint and its examples", -1);
    const CheckpointState state = readLatestCheckpointState(r.runDir);
    const BertConfig config = BertConfig::fromFile(checkpointFolder(r.runDir, state.step) + "/config.json");
    auto train = readExamples(r.examplesPath.empty() ? state.options.examplesPath : r.examplesPath, config.vocabSize);
    std::vector<PretrainingExample> eval;
    if (!r.evalExamplesPath.empty()) {
        eval = readExamples(r.evalExamplesPath, config.vocabSize);
    } else if (!state.options.evalExamplesPath.empty()) {
        if (fs::exists(state.options.evalExamplesPath))
            eval = readExamples(state.options.evalExamplesPath, config.vocabSize);
        else
            note(state.options.evalExamplesPath + " is gone: the run continues without held-out evaluation");
    }
    measure(train);
    trainer_ = Trainer::resume(r.runDir, std::move(train), std::move(eval), r.precision);
    note("resuming " + r.runDir + " at step " + std::to_string(trainer_->step()) + " of " +
         std::to_string(trainer_->options().steps));
}

TrainingOutcome PretrainingPipeline::train(std::stop_token stop)
{
    if (!trainer_) throw Error("internal error: the training run was not prepared");
    Trainer& t = *trainer_;
    if (callbacks_.trainerReady) callbacks_.trainerReady(t);
    const std::stop_callback cancelOnStop(stop, [&t] { t.cancel(); });
    return t.run();
}

TrainingOutcome PretrainingPipeline::run(std::stop_token stop)
{
    if (!prepare(stop)) return TrainingOutcome::Cancelled;
    return train(stop);
}

RunEstimate PretrainingPipeline::estimate(int threads) const
{
    if (!trainer_) throw Error("internal error: the training run was not prepared");
    const TrainerOptions& o = trainer_->options();
    RunEstimate e = estimateRun(trainer_->parameters().config(), o.batchSize, std::max(1, longestExample_),
                                std::max(1, mostPredictions_), threads, o.precision);
    // Accumulation repeats the micro-batch's work within one update, in the same memory.
    e.flopsPerStep *= o.gradientAccumulation;
    e.secondsPerStep *= o.gradientAccumulation;
    return e;
}

} // namespace bertlab
