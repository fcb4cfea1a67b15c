// `bertlab-cli train`: flags into a PretrainingPipeline (corpus or examples, preset or model, resume) and a progress line.
#include "command.h"
#include "model_arguments.h"
#include "progress_line.h"

#include "error.h"
#include "training/pretraining_pipeline.h"
#include "training/run_estimate.h"

#include <omp.h>
#include <unistd.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <optional>

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

// The pretraining figures of one update, on the shared progress line.
class ProgressBar {
public:
    void update(const TrainingMetrics& m)
    {
        char details[160];
        std::snprintf(details, sizeof details, "loss %.4f mlm %.3f nsp %.3f lr %.2e %.0f tok/s ETA %s", m.loss,
                      m.mlmAccuracy, m.nspAccuracy, m.lr, m.tokensPerSecond, formatDuration(m.etaSeconds).c_str());
        line_.update(m.step, m.totalSteps, details);
    }
    void finish() { line_.finish(); }

private:
    ProgressLine line_;
};

// --precision, refused at once on a CPU that would only emulate bfloat16.
std::optional<Precision> precisionArgument(const Args& args)
{
    if (!args.has("--precision")) return std::nullopt;
    const std::string name = args.get("--precision");
    if (name != "f32" && name != "bf16") throw Error("option --precision expects f32 or bf16, got '" + name + "'");
    const Precision p = parsePrecision(name);
    if (p == Precision::Bfloat16) requireNativeBfloat16("--precision bf16");
    return p;
}

// The recipe from the flags; data, vocabulary and model sources are checked here only where the
// message must name a flag, the rest by the pipeline.
TrainerOptions trainerArguments(const Args& args)
{
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
    o.precision = precisionArgument(args).value_or(Precision::Float32);
    return o;
}

PretrainingOptions newRunArguments(const Args& args)
{
    PretrainingOptions p;
    p.runDir = args.require("--out");
    p.trainer = trainerArguments(args);
    if (args.has("--preset") == args.has("--init")) throw Error("give exactly one of --preset NAME or --init MODEL");
    if (args.has("--corpus") == args.has("--examples")) throw Error("give exactly one of --corpus FILE or --examples FILE");
    if (args.has("--init")) {
        if (args.has("--vocab")) throw Error("--init brings its own vocabulary; drop --vocab");
        p.initModelPath = resolveModelArgument(args.get("--init"));
    } else {
        if (!args.has("--vocab") && !args.has("--corpus"))
            throw Error("--preset needs --vocab VOCAB (a vocab.txt, e.g. from build-vocab), or --corpus FILE to build one");
        p.preset = args.get("--preset");
        p.vocabPath = args.get("--vocab");
    }
    if (args.has("--vocab-size") || args.has("--cased")) {
        if (!p.vocabPath.empty() || !p.initModelPath.empty() || !args.has("--corpus"))
            throw Error("--vocab-size and --cased build a vocabulary from --corpus; drop them with --vocab or --init");
    }
    // The same defaults as build-vocab, so `train --corpus` equals build-vocab + make-examples + train.
    p.vocabBuilder.size = args.getInt("--vocab-size", 30522);
    if (p.vocabBuilder.size < 100 || p.vocabBuilder.size > 100000)
        throw Error("option --vocab-size must be between 100 and 100000, got " + std::to_string(p.vocabBuilder.size));
    p.vocabBuilder.lowerCase = !args.has("--cased");
    p.corpusPath = args.get("--corpus");
    p.examplesPath = args.get("--examples");
    p.examples.maxSeqLength = args.getInt("--max-seq-length", p.examples.maxSeqLength);
    p.examples.maxPredictionsPerSeq = args.getInt("--max-predictions", p.examples.maxPredictionsPerSeq);
    p.examples.maskedLmProb = args.getDouble("--masked-lm-prob", p.examples.maskedLmProb);
    p.examples.dupeFactor = args.getInt("--dupe-factor", p.examples.dupeFactor);
    p.examples.wholeWordMask = args.has("--whole-word-mask");
    p.examples.validate();
    p.evalExamplesPath = args.get("--eval-examples");
    return p;
}

ResumeOptions resumeArguments(const Args& args)
{
    ResumeOptions r;
    r.runDir = args.get("--resume");
    if (args.has("--out") && fs::weakly_canonical(args.get("--out")) != fs::weakly_canonical(r.runDir))
        throw Error("--resume continues the run in its own folder; drop --out or give the same folder");
    for (const char* flag : {"--preset", "--init", "--corpus", "--vocab"})
        if (args.has(flag)) throw Error(std::string("--resume takes the model and recipe from the checkpoint; drop ") + flag);
    // The recipe, data paths included, comes from the checkpoint; --examples may point at a moved file.
    r.examplesPath = args.get("--examples");
    r.evalExamplesPath = args.get("--eval-examples");
    r.precision = precisionArgument(args);  // absent: the run's own
    return r;
}

int runTrain(const Args& args)
{
    ProgressBar bar;
    PretrainingCallbacks callbacks;
    callbacks.stage = [](const std::string& stage, int) { std::fprintf(stderr, "%s\n", stage.c_str()); };
    callbacks.note = [](const std::string& note) { std::fprintf(stderr, "note: %s\n", note.c_str()); };
    callbacks.metrics = [&](const TrainingMetrics& m) { bar.update(m); };
    callbacks.evaluation = [&](const EvaluationMetrics& e) {
        std::fprintf(stderr, "%seval at step %lld: loss %.4f, MLM accuracy %.4f, NSP accuracy %.4f (%lld examples)\n",
                     ::isatty(2) ? "\n" : "", static_cast<long long>(e.step), e.loss, e.mlmAccuracy, e.nspAccuracy,
                     static_cast<long long>(e.examples));
    };
    std::optional<PretrainingPipeline> pipeline;
    if (args.has("--resume"))
        pipeline.emplace(resumeArguments(args), callbacks);
    else
        pipeline.emplace(newRunArguments(args), callbacks);
    pipeline->prepare();
    const int threads = omp_get_max_threads();
    std::fprintf(stderr, "estimate: %s\n",
                 describeEstimate(pipeline->estimate(threads), threads, pipeline->trainer()->options().steps).c_str());
    try {
        pipeline->train();
    } catch (...) {
        bar.finish();
        throw;
    }
    bar.finish();
    const Trainer& trainer = *pipeline->trainer();
    const std::string runDir = args.has("--resume") ? args.get("--resume") : args.get("--out");
    std::fprintf(stderr, "model written to %s (checkpoint %s)\n", runDir.c_str(), trainer.lastCheckpoint().c_str());
    if (args.has("--json")) {
        const nlohmann::json j{{"out", runDir}, {"checkpoint", trainer.lastCheckpoint()}, {"steps", trainer.step()}};
        std::printf("%s\n", j.dump().c_str());
    }
    return 0;
}

const CommandRegistration registration(
    {"train",
     "train (--preset tiny|mini|small|medium [--vocab V] | --init MODEL) (--examples FILE | --corpus FILE) --out DIR "
    "[--vocab-size N] [--cased] [--max-seq-length L] [--max-predictions P] [--masked-lm-prob 0.15] [--dupe-factor D] "
    "[--whole-word-mask] [--steps N] [--batch-size B] [--accumulate K] [--lr PEAK] [--warmup W] [--dropout P] [--seed S] "
    "[--shuffle on|off] [--checkpoint-every N] [--keep-checkpoints K] [--keep-history] [--eval-examples FILE --eval-every N] "
    "[--precision f32|bf16] [--json] | train --resume DIR [--precision f32|bf16] [--json]",
     "Pre-trains a BERT with the paper's recipe (masked words 80/10/10 and next sentence, AdamW, warmup then linear decay).",
     {},
     {textOption("--preset", "tiny|mini|small|medium", "a new model of this size"),
      textOption("--vocab", "V", "with --preset: the vocabulary (else built from --corpus)"),
      textOption("--init", "MODEL", "continue pre-training this model"),
      textOption("--examples", "FILE", "examples.jsonl from make-examples"),
      textOption("--corpus", "FILE", "a text corpus, cut into examples first"),
      textOption("--out", "DIR", "a new or empty folder for the model and its checkpoints"),
      wholeOption("--vocab-size", "N", "with --corpus and no --vocab: vocabulary size"),
      switchOption("--cased", "keep upper case"),
      wholeOption("--max-seq-length", "L", "tokens per example"),
      wholeOption("--max-predictions", "P", "masked words per example at most"),
      numberOption("--masked-lm-prob", "P", "share of tokens masked (default 0.15)"),
      wholeOption("--dupe-factor", "D", "passes over the corpus with different masks"),
      switchOption("--whole-word-mask", "mask all pieces of a word together"),
      wholeOption("--steps", "N", "optimizer steps"),
      wholeOption("--batch-size", "B", "examples per step"),
      wholeOption("--accumulate", "K", "micro-batches summed per step"),
      numberOption("--lr", "PEAK", "peak learning rate"),
      wholeOption("--warmup", "W", "warmup steps"),
      numberOption("--dropout", "P", "dropout probability"),
      textOption("--seed", "S", "random seed"),
      textOption("--shuffle", "on|off", "shuffle the examples every epoch (default on)"),
      wholeOption("--checkpoint-every", "N", "steps between checkpoints (0: only at the end)"),
      wholeOption("--keep-checkpoints", "K", "checkpoints kept"),
      switchOption("--keep-history", "keep every checkpoint for comparing them later"),
      textOption("--eval-examples", "FILE", "held-out examples evaluated during the run"),
      wholeOption("--eval-every", "N", "steps between evaluations"),
      textOption("--precision", "f32|bf16",
                 "matrix products in float32 (default) or bfloat16 with float32 sums (needs avx512_bf16 or amx_bf16)"),
      textOption("--resume", "DIR", "continue the run in DIR from its last checkpoint"),
      jsonOption()},
     runTrain});

} // namespace
} // namespace bertlab::cli
