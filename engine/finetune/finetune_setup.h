// Setting up a fine-tuning run from options: output-folder safety, label order, data, classifier layout (CLI and GUI).
#pragma once

#include "finetune/finetuner.h"

#include <memory>
#include <string>
#include <vector>

namespace bertlab {

class BertModel;
class Tokenizer;

// Never write into a folder that holds something else: a user's model or an earlier run. Throws
// Error: the folder is the base model's, is a file, or is not empty (resume it instead).
void checkFinetuneOutputFolder(const std::string& outDir, const std::string& initPath);

// Label order: `explicitLabels` when given, else the base model's id2label when it is a
// classifier of the same task, else first appearance in the training file.
std::vector<std::string> finetuneLabelOrder(const std::vector<std::string>& explicitLabels, const BertModel& init,
                                            ClassifierTask task, const std::string& trainPath);

// The labelled examples of one file for the run's task, labels and length (empty path: none).
// Token task: words cut off by the length are counted into *lostWords.
std::vector<FinetuneExample> finetuneExamplesOf(const std::string& path, const FinetuneOptions& options,
                                                const Tokenizer& tokenizer, int* lostWords = nullptr);

// A run ready to start, and what the setup noticed on the way (for the user to read).
struct PreparedFinetune {
    std::unique_ptr<Finetuner> run;
    std::vector<std::string> freshHeads;  // e.g. "classifier." when the head starts N(0, 0.02)
    double initializerRange = 0.02;
    size_t trainExamples = 0, devExamples = 0;
    int trainLostWords = 0, devLostWords = 0;  // token task: words past maxSeqLength
};

// A new run: `options` carry initPath (a folder), trainPath, devPath (may be empty) and, when
// not empty, the explicit label order; validates them, checks outDir, loads the base model and the
// data (a bad file fails before anything is written) and lays out the classifier.
PreparedFinetune prepareFinetune(FinetuneOptions options, const std::string& outDir);

// Continues outDir's run from its latest checkpoint; non-empty paths replace the recorded data
// files (the data may have moved).
PreparedFinetune prepareFinetuneResume(const std::string& outDir, const std::string& trainPath = {},
                                       const std::string& devPath = {});

} // namespace bertlab
