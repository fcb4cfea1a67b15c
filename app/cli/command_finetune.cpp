// `bertlab-cli finetune`: labelled data and a base model into a fine-tuned classifier folder, with a progress line.
#include "command.h"
#include "model_arguments.h"
#include "progress_line.h"

#include "bert_model.h"
#include "error.h"
#include "finetune/finetune_setup.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

namespace bertlab::cli {
namespace {

ClassifierTask taskArgument(const Args& args)
{
    const std::string task = args.require("--task");
    if (task == "sequence") return ClassifierTask::Sequence;
    if (task == "token") return ClassifierTask::Token;
    throw Error("option --task expects sequence or token, got '" + task + "'");
}

uint64_t seedArgument(const Args& args)
{
    const std::string s = args.get("--seed", "42");
    try {
        size_t used = 0;
        const uint64_t v = std::stoull(s, &used);
        if (used == s.size() && s.front() != '-') return v;
    } catch (...) {
    }
    throw Error("option --seed expects a non-negative whole number, got '" + s + "'");
}

// The notes the setup leaves for the user, in the order the work happened.
void printNotes(const PreparedFinetune& p, const FinetuneOptions& o, bool fresh)
{
    if (p.trainLostWords > 0)
        std::fprintf(stderr, "note: %s: %d words fall past --max-seq-length %d and are not trained on\n",
                     o.trainPath.c_str(), p.trainLostWords, o.maxSeqLength);
    if (p.devLostWords > 0)
        std::fprintf(stderr, "note: %s: %d words fall past --max-seq-length %d and are not trained on\n",
                     o.devPath.c_str(), p.devLostWords, o.maxSeqLength);
    if (!fresh) return;
    for (const std::string& head : p.freshHeads)
        std::fprintf(stderr, "note: %s* starts fresh (N(0, %g), seed %llu)\n", head.c_str(), p.initializerRange,
                     static_cast<unsigned long long>(o.seed));
    std::fprintf(stderr, "%s task, %zu labels, %zu training and %zu dev examples\n", classifierTaskName(o.task),
                 o.labels.size(), p.trainExamples, p.devExamples);
}

int runFinetune(const Args& args)
{
    PreparedFinetune prepared;
    std::string outDir;
    if (args.has("--resume")) {
        outDir = args.get("--resume");
        for (const char* flag : {"--init", "--task", "--labels", "--out", "--precision"})
            if (args.has(flag)) throw Error(std::string("--resume takes the model and recipe from the checkpoint; drop ") + flag);
        prepared = prepareFinetuneResume(outDir, args.get("--train"), args.get("--dev"));
        printNotes(prepared, prepared.run->options(), false);
        std::fprintf(stderr, "resuming at step %lld of %lld\n", static_cast<long long>(prepared.run->step()),
                     static_cast<long long>(prepared.run->totalSteps()));
    } else {
        FinetuneOptions o;
        o.task = taskArgument(args);
        o.initPath = resolveModelArgument(args.require("--init"));  // a folder, or a repo id in the Hub cache
        o.trainPath = args.require("--train");
        o.devPath = args.get("--dev");
        outDir = args.require("--out");
        o.epochs = args.getInt("--epochs", 3);
        o.batchSize = args.getInt("--batch-size", 32);
        o.lr = args.getDouble("--lr", 2e-5);
        o.warmupRatio = args.getDouble("--warmup-ratio", 0.1);
        o.weightDecay = args.getDouble("--weight-decay", 0.01);
        o.maxSeqLength = args.getInt("--max-seq-length", 128);
        o.dropout = static_cast<float>(args.getDouble("--dropout", 0.1));
        o.seed = seedArgument(args);
        const std::string shuffle = args.get("--shuffle", "on");
        if (shuffle != "on" && shuffle != "off") throw Error("option --shuffle expects on or off, got '" + shuffle + "'");
        o.shuffle = shuffle == "on";
        if (args.has("--labels")) o.labels = parseLabelList(args.get("--labels"));
        const std::string precision = args.get("--precision", "f32");
        if (precision != "f32" && precision != "bf16")
            throw Error("option --precision expects f32 or bf16, got '" + precision + "'");
        o.precision = parsePrecision(precision);
        if (o.precision == Precision::Bfloat16) requireNativeBfloat16("--precision bf16");
        prepared = prepareFinetune(o, outDir);
        printNotes(prepared, prepared.run->options(), true);
    }
    Finetuner* run = prepared.run.get();
    ProgressLine line;
    std::optional<FinetuneStepMetrics> last;
    run->onStep([&](const FinetuneStepMetrics& m) {
        last = m;
        char details[128];
        std::snprintf(details, sizeof details, "epoch %d loss %.4f lr %.2e %.1f ex/s ETA %s", m.epoch, m.loss, m.lr,
                      m.itemsPerSecond, formatDuration(m.etaSeconds).c_str());
        line.update(m.step, m.totalSteps, details);
        if (m.dev) {
            line.finish();
            std::fprintf(stderr, "epoch %d dev: loss %.4f, accuracy %.4f, macro-F1 %.4f (%d items)\n", m.epoch,
                         m.dev->loss, m.dev->accuracy, m.dev->macroF1, m.dev->items);
        }
    });
    try {
        run->run();
    } catch (...) {
        line.finish();
        throw;
    }
    line.finish();
    std::fprintf(stderr, "fine-tuned model written to %s\n", outDir.c_str());
    if (args.has("--json")) {
        // The last record's keys, as metrics.jsonl writes them, plus where the model is.
        nlohmann::json j{{"out", outDir}, {"steps", run->step()}};
        if (last) {
            j["epoch"] = last->epoch;
            j["loss"] = last->loss;
            if (last->dev) {
                j["dev_loss"] = last->dev->loss;
                j["dev_accuracy"] = last->dev->accuracy;
                j["dev_macro_f1"] = last->dev->macroF1;
            }
        }
        std::printf("%s\n", j.dump().c_str());
    }
    return 0;
}

const CommandRegistration registration(
    {"finetune",
     "finetune --task sequence|token --init MODEL --train FILE [--dev FILE] --out DIR [--labels L1,L2,...] "
    "[--epochs 3] [--batch-size 32] [--lr 2e-5] [--warmup-ratio 0.1] [--weight-decay 0.01] [--max-seq-length 128] "
    "[--dropout 0.1] [--seed 42] [--shuffle on|off] [--precision f32|bf16] [--json] | finetune --resume DIR [--train FILE] [--dev FILE] [--json]",
     "Fine-tunes a pretrained BERT on a classification task (a label per text or per word).",
     {},
     {textOption("--task", "sequence|token", "a label per text (or text pair), or a label per word"),
      textOption("--init", "MODEL", "the pretrained model: a folder or a repo id in the Hub cache"),
      textOption("--train", "FILE", "training data: CSV/TSV, JSON lines or CoNLL (docs/finetuning.md)"),
      textOption("--dev", "FILE", "held-out data, evaluated after every epoch"),
      textOption("--out", "DIR", "a new or empty folder for the fine-tuned model and its checkpoints"),
      textOption("--labels", "L1,L2,...", "the label order (default: as first seen)"),
      wholeOption("--epochs", "N", "passes over the training data (default 3)"),
      wholeOption("--batch-size", "B", "examples per step (default 32)"),
      numberOption("--lr", "RATE", "peak learning rate (default 2e-5)"),
      numberOption("--warmup-ratio", "R", "share of steps spent warming up (default 0.1)"),
      numberOption("--weight-decay", "W", "AdamW weight decay (default 0.01)"),
      wholeOption("--max-seq-length", "L", "tokens per example (default 128)"),
      numberOption("--dropout", "P", "dropout probability (default 0.1)"),
      textOption("--seed", "S", "random seed (default 42)"),
      textOption("--shuffle", "on|off", "shuffle the training data every epoch (default on)"),
      textOption("--precision", "f32|bf16",
                 "encoder products in float32 (default) or bfloat16 with float32 sums (needs avx512_bf16 or amx_bf16)"),
      textOption("--resume", "DIR", "continue the run in DIR from its last checkpoint"),
      jsonOption()},
     runFinetune});

} // namespace
} // namespace bertlab::cli
