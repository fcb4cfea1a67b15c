// `bertlab-cli train`: BERT pretraining (MLM + NSP) from a preset or a model, with checkpoints and resume.
#include "command.h"

#include "error.h"
#include "model_io.h"
#include "tokenizer.h"
#include "training/checkpoint.h"
#include "training/example_builder.h"
#include "training/parameter_buffer.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"
#include "training/trainer.h"
#include "training/training_presets.h"
#include "vocab.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace fs = std::filesystem;

namespace bertlab::cli {
namespace {

uint64_t seedArgument(const Args& args, uint64_t fallback)
{
    if (!args.has("--seed")) return fallback;
    const std::string s = args.get("--seed");
    try {
        size_t used = 0;
        const uint64_t v = std::stoull(s, &used);
        if (used != s.size() || s.front() == '-') throw Error("");
        return v;
    } catch (...) {
        throw Error("option --seed expects a non-negative whole number, got '" + s + "'");
    }
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long s = std::lround(seconds);
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
    else
        std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
    return text;
}

// One status line on stderr: redrawn in place on a terminal, every ~5% of the run otherwise.
class ProgressBar {
public:
    ProgressBar() : tty_(::isatty(2) != 0) {}
    void update(const TrainingMetrics& m)
    {
        const double frac = double(m.step) / double(m.totalSteps);
        const int width = 24, filled = static_cast<int>(frac * width);
        const int64_t every = std::max<int64_t>(1, m.totalSteps / 20);
        if (!tty_ && m.step % every != 0 && m.step != m.totalSteps) return;
        std::string bar(static_cast<size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "%s[%s] %lld/%lld loss %.4f mlm %.3f nsp %.3f lr %.2e %.0f tok/s ETA %s%s", tty_ ? "\r" : "",
                     bar.c_str(), static_cast<long long>(m.step), static_cast<long long>(m.totalSteps), m.loss,
                     m.mlmAccuracy, m.nspAccuracy, m.lr, m.tokensPerSecond, formatDuration(m.etaSeconds).c_str(),
                     tty_ ? "\x1b[K" : "\n");
        std::fflush(stderr);
    }
    void finish()
    {
        if (tty_) std::fprintf(stderr, "\n");
    }

private:
    bool tty_;
};

std::vector<PretrainingExample> examplesFromCorpus(const Args& args, const Vocab& vocab, bool lowerCase,
                                                   uint64_t seed, const std::string& out)
{
    ExampleOptions options;
    options.maxSeqLength = args.getInt("--max-seq-length", options.maxSeqLength);
    options.maxPredictionsPerSeq = args.getInt("--max-predictions", options.maxPredictionsPerSeq);
    options.dupeFactor = args.getInt("--dupe-factor", options.dupeFactor);
    options.wholeWordMask = args.has("--whole-word-mask");
    options.seed = seed;
    options.validate();
    auto shared = std::make_shared<const Vocab>(vocab);
    const Tokenizer tokenizer(shared, lowerCase);
    const ExampleBuilder builder(vocab, options);
    auto examples = builder.build(tokenizeCorpus(readCorpus(args.get("--corpus")), tokenizer));
    writeExamplesJsonl(out, examples);  // kept beside the run so --resume reads the same data
    std::fprintf(stderr, "%zu examples from %s written to %s\n", examples.size(), args.get("--corpus").c_str(), out.c_str());
    return examples;
}

std::vector<PretrainingExample> readExamples(const std::string& path, int vocabSize)
{
    auto examples = readExamplesJsonl(path, vocabSize);
    if (examples.empty()) throw Error(path + " holds no examples");
    return examples;
}

int runTrain(const Args& args)
{
    std::unique_ptr<Trainer> trainer;
    std::string runDir;
    if (args.has("--resume")) {
        runDir = args.get("--resume");
        if (args.has("--out") && fs::weakly_canonical(args.get("--out")) != fs::weakly_canonical(runDir))
            throw Error("--resume continues the run in its own folder; drop --out or give the same folder");
        for (const char* flag : {"--preset", "--init", "--corpus", "--vocab"})
            if (args.has(flag)) throw Error(std::string("--resume takes the model and recipe from the checkpoint; drop ") + flag);
        // The recipe, data paths included, comes from the checkpoint; --examples may point at a moved file.
        const CheckpointState state = readLatestCheckpointState(runDir);
        const std::string examplesPath = args.get("--examples", state.options.examplesPath);
        const std::string evalPath = args.get("--eval-examples", state.options.evalExamplesPath);
        const BertConfig config = BertConfig::fromFile(checkpointFolder(runDir, state.step) + "/config.json");
        auto train = readExamples(examplesPath, config.vocabSize);
        auto eval = evalPath.empty() ? std::vector<PretrainingExample>{} : readExamples(evalPath, config.vocabSize);
        trainer = Trainer::resume(runDir, std::move(train), std::move(eval));
        std::fprintf(stderr, "resuming %s at step %lld of %lld\n", runDir.c_str(),
                     static_cast<long long>(trainer->step()), static_cast<long long>(trainer->options().steps));
    } else {
        runDir = args.require("--out");
        TrainerOptions o;
        o.steps = args.getInt("--steps", 1000);
        o.batchSize = args.getInt("--batch-size", 32);
        o.gradientAccumulation = args.getInt("--accumulate", 1);
        o.peakLr = args.getDouble("--lr", 1e-4);
        o.warmup = args.getInt("--warmup", -1);
        o.dropout = static_cast<float>(args.getDouble("--dropout", 0.1));
        o.seed = seedArgument(args, o.seed);
        const std::string shuffle = args.get("--shuffle", "on");
        if (shuffle != "on" && shuffle != "off") throw Error("option --shuffle expects on or off, got '" + shuffle + "'");
        o.shuffle = shuffle == "on";
        o.checkpointEvery = args.getInt("--checkpoint-every", 500);
        o.keepCheckpoints = args.getInt("--keep-checkpoints", 2);
        o.keepHistory = args.has("--keep-history");
        o.evalEvery = args.getInt("--eval-every", 0);
        if (o.keepCheckpoints < 1) throw Error("--keep-checkpoints must be at least 1");

        // Starting weights and vocabulary.
        std::shared_ptr<const Vocab> vocab;
        bool lowerCase = true;
        std::optional<ParameterBuffer> params;
        if (args.has("--preset") == args.has("--init")) throw Error("give exactly one of --preset NAME or --init MODEL");
        if (args.has("--init")) {
            if (args.has("--vocab")) throw Error("--init brings its own vocabulary; drop --vocab");
            auto model = loadModel(args.get("--init"));
            vocab = model->tokenizer().sharedVocab();
            lowerCase = model->tokenizer().lowerCase();
            std::vector<std::string> fresh;
            params.emplace(ParameterBuffer::fromModel(*model, o.seed, &fresh));
            for (const auto& head : fresh)
                std::fprintf(stderr, "note: the model has no %s weights; they start from BERT's initialisation\n", head.c_str());
        } else {
            if (!args.has("--vocab")) throw Error("--preset needs --vocab VOCAB (a vocab.txt, e.g. from build-vocab)");
            std::string path = args.get("--vocab");
            if (fs::is_directory(path)) path = (fs::path(path) / "vocab.txt").string();
            vocab = std::make_shared<const Vocab>(Vocab::fromFile(path));
            lowerCase = Tokenizer::vocabLooksUncased(*vocab);
            BertConfig config = presetConfig(args.get("--preset"), vocab->size());
            config.hiddenDropoutProb = config.attentionDropoutProb = o.dropout;
            params.emplace(ParameterBuffer::initialized(config, o.seed));
        }

        std::error_code ec;
        fs::create_directories(runDir, ec);
        if (ec) throw Error("cannot create " + runDir + ": " + ec.message());
        std::vector<PretrainingExample> train;
        if (args.has("--corpus") == args.has("--examples")) throw Error("give exactly one of --corpus FILE or --examples FILE");
        if (args.has("--examples")) {
            o.examplesPath = fs::absolute(args.get("--examples")).string();
            train = readExamples(o.examplesPath, vocab->size());
        } else {
            o.examplesPath = fs::absolute(fs::path(runDir) / "examples.jsonl").string();
            train = examplesFromCorpus(args, *vocab, lowerCase, o.seed, o.examplesPath);
        }
        std::vector<PretrainingExample> eval;
        if (args.has("--eval-examples")) {
            o.evalExamplesPath = fs::absolute(args.get("--eval-examples")).string();
            eval = readExamples(o.evalExamplesPath, vocab->size());
        }
        trainer = std::make_unique<Trainer>(std::move(*params), vocab, lowerCase, std::move(train), std::move(eval), o, runDir);
    }

    ProgressBar bar;
    trainer->onMetrics([&](const TrainingMetrics& m) { bar.update(m); });
    trainer->onEvaluation([&](const EvaluationMetrics& e) {
        std::fprintf(stderr, "%seval at step %lld: loss %.4f, MLM accuracy %.4f, NSP accuracy %.4f (%lld examples)\n",
                     ::isatty(2) ? "\n" : "", static_cast<long long>(e.step), e.loss, e.mlmAccuracy, e.nspAccuracy,
                     static_cast<long long>(e.examples));
    });
    try {
        trainer->run();
    } catch (...) {
        bar.finish();
        throw;
    }
    bar.finish();
    std::fprintf(stderr, "model written to %s (checkpoint %s)\n", runDir.c_str(), trainer->lastCheckpoint().c_str());
    return 0;
}

const CommandRegistration registration({
    "train",
    "train (--preset tiny|mini|small|medium --vocab V | --init MODEL) (--examples FILE | --corpus FILE) --out DIR "
    "[--steps N] [--batch-size B] [--accumulate K] [--lr PEAK] [--warmup W] [--dropout P] [--seed S] "
    "[--shuffle on|off] [--checkpoint-every N] [--keep-checkpoints K] [--keep-history] [--eval-examples FILE --eval-every N] "
    "| train --resume DIR",
    {"--whole-word-mask", "--keep-history"},
    runTrain,
});

} // namespace
} // namespace bertlab::cli
