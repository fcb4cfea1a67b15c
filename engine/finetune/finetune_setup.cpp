// The steps `bertlab-cli finetune` and the GUI's Fine-tune dialog share before a Finetuner runs.
#include "finetune/finetune_setup.h"

#include "bert_model.h"
#include "error.h"
#include "model_io.h"
#include "training/checkpoint.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace bertlab {

void checkFinetuneOutputFolder(const std::string& out, const std::string& init)
{
    std::error_code ec;
    if (out.empty()) throw Error("no output folder was given (--out)");
    if (fs::exists(out, ec) && fs::equivalent(out, init, ec))
        throw Error("--out is the --init model's folder; choose a new folder so the base model stays intact");
    if (fs::exists(out, ec) && !fs::is_directory(out, ec)) throw Error("--out " + out + " is a file, not a folder");
    if (fs::is_directory(out, ec) && !fs::is_empty(out, ec))
        throw Error("--out " + out + " is not empty; use --resume " + out + " to continue its run, or a new folder");
}

std::vector<std::string> finetuneLabelOrder(const std::vector<std::string>& explicitLabels, const BertModel& init,
                                            ClassifierTask task, const std::string& train)
{
    if (!explicitLabels.empty()) return explicitLabels;
    if (init.config().classifierTask() == task && !init.config().labels.empty()) return init.config().labels;
    if (task == ClassifierTask::Sequence) return labelsByFirstAppearance(readSequenceTask(train));
    return labelsByFirstAppearance(readTokenTask(train));
}

std::vector<FinetuneExample> finetuneExamplesOf(const std::string& path, const FinetuneOptions& o,
                                                const Tokenizer& tokenizer, int* lostWords)
{
    if (path.empty()) return {};
    if (o.task == ClassifierTask::Sequence)
        return sequenceExamples(readSequenceTask(path), tokenizer, o.labels, o.maxSeqLength);
    int lost = 0;
    auto examples = tokenExamples(readTokenTask(path), tokenizer, o.labels, o.maxSeqLength, &lost);
    if (lostWords) *lostWords = lost;
    return examples;
}

PreparedFinetune prepareFinetune(FinetuneOptions o, const std::string& outDir)
{
    o.validate();
    checkFinetuneOutputFolder(outDir, o.initPath);
    const auto init = loadModel(o.initPath);
    if (o.maxSeqLength > init->config().maxPositionEmbeddings)
        throw Error("--max-seq-length " + std::to_string(o.maxSeqLength) + " exceeds the model's " +
                    std::to_string(init->config().maxPositionEmbeddings) + " positions");
    o.labels = finetuneLabelOrder(o.labels, *init, o.task, o.trainPath);
    PreparedFinetune prepared;
    // The data first: a bad file should fail before anything else is said or done.
    auto train = finetuneExamplesOf(o.trainPath, o, init->tokenizer(), &prepared.trainLostWords);
    auto dev = finetuneExamplesOf(o.devPath, o, init->tokenizer(), &prepared.devLostWords);
    BertConfig config = init->config();
    config.architectures = {o.task == ClassifierTask::Sequence ? "BertForSequenceClassification"
                                                               : "BertForTokenClassification"};
    config.labels = o.labels;
    config.hiddenDropoutProb = config.attentionDropoutProb = o.dropout;
    ParameterBuffer params = ParameterBuffer::fromModel(*init, config, o.seed, &prepared.freshHeads);
    prepared.initializerRange = static_cast<double>(config.initializerRange);
    prepared.trainExamples = train.size();
    prepared.devExamples = dev.size();
    prepared.run = std::make_unique<Finetuner>(std::move(params), init->tokenizer().sharedVocab(),
                                               init->tokenizer().lowerCase(), o, std::move(train), std::move(dev),
                                               outDir);
    return prepared;
}

PreparedFinetune prepareFinetuneResume(const std::string& outDir, const std::string& trainPath,
                                       const std::string& devPath)
{
    FinetuneOptions o = Finetuner::savedOptions(outDir);
    if (!trainPath.empty()) o.trainPath = trainPath;
    if (!devPath.empty()) o.devPath = devPath;
    const auto snapshots = listModelSnapshots(outDir);
    const auto model = loadModel(snapshots.back().second);
    PreparedFinetune prepared;
    auto train = finetuneExamplesOf(o.trainPath, o, model->tokenizer(), &prepared.trainLostWords);
    auto dev = finetuneExamplesOf(o.devPath, o, model->tokenizer(), &prepared.devLostWords);
    prepared.trainExamples = train.size();
    prepared.devExamples = dev.size();
    prepared.run = Finetuner::resume(outDir, std::move(train), std::move(dev));
    return prepared;
}

} // namespace bertlab
