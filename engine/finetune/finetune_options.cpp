// Range checks and the JSON form of a fine-tuning recipe (finetune_state.json in checkpoints).
#include "finetune/finetune_options.h"

#include "error.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace bertlab {

void FinetuneOptions::validate() const
{
    if (task == ClassifierTask::None) throw Error("--task must be sequence or token");
    if (epochs < 1 || epochs > 1000) throw Error("--epochs must be from 1 to 1000");
    if (batchSize < 1 || batchSize > 4096) throw Error("--batch-size must be from 1 to 4096");
    if (!(lr > 0.0 && lr < 1.0)) throw Error("--lr must be a positive rate below 1");
    if (!(warmupRatio >= 0.0 && warmupRatio <= 1.0)) throw Error("--warmup-ratio must be from 0 to 1");
    if (!(weightDecay >= 0.0 && weightDecay < 1.0)) throw Error("--weight-decay must be from 0 to below 1");
    if (maxSeqLength < 3) throw Error("--max-seq-length must be at least 3");
    if (!(dropout >= 0.0f && dropout < 1.0f)) throw Error("--dropout must be from 0 to below 1");
}

std::string FinetuneOptions::toJson() const
{
    const nlohmann::json j = {{"task", classifierTaskName(task)}, {"epochs", epochs}, {"batch_size", batchSize},
                              {"lr", lr}, {"warmup_ratio", warmupRatio}, {"weight_decay", weightDecay},
                              {"max_seq_length", maxSeqLength}, {"dropout", dropout}, {"seed", seed},
                              {"shuffle", shuffle}, {"init", initPath}, {"train", trainPath}, {"dev", devPath},
                              {"labels", labels}, {"precision", precisionName(precision)}};
    return j.dump(2);
}

FinetuneOptions FinetuneOptions::fromJson(const std::string& text)
{
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        FinetuneOptions o;
        const std::string task = j.at("task");
        o.task = task == "token" ? ClassifierTask::Token : task == "sequence" ? ClassifierTask::Sequence : ClassifierTask::None;
        o.epochs = j.at("epochs");
        o.batchSize = j.at("batch_size");
        o.lr = j.at("lr");
        o.warmupRatio = j.at("warmup_ratio");
        o.weightDecay = j.at("weight_decay");
        o.maxSeqLength = j.at("max_seq_length");
        o.dropout = j.at("dropout");
        o.seed = j.at("seed");
        o.shuffle = j.at("shuffle");
        o.initPath = j.at("init");
        o.trainPath = j.at("train");
        o.devPath = j.at("dev");
        o.labels = j.at("labels").get<std::vector<std::string>>();
        o.precision = parsePrecision(j.value("precision", "f32"));  // absent in runs written before it existed
        o.validate();
        return o;
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("a damaged fine-tuning recipe: ") + e.what());
    }
}

} // namespace bertlab
