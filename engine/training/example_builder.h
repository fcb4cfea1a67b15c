// Pretraining examples from a corpus, following google-research/bert's create_pretraining_data.py.
#pragma once

#include "training/example_rng.h"
#include "training/mlm_masker.h"
#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bertlab {

class Tokenizer;
class Vocab;

// The reference script's flags, with its defaults.
struct ExampleOptions {
    int maxSeqLength = 128;          // [CLS] A [SEP] B [SEP] never exceeds this
    int maxPredictionsPerSeq = 20;   // cap on masked positions per example
    double maskedLmProb = 0.15;      // share of the sequence (specials included, as the reference) to mask
    double shortSeqProb = 0.1;       // chance that a document aims at a shorter random target length
    int dupeFactor = 10;             // passes over the corpus, each with different masks and pairs
    bool wholeWordMask = false;      // mask all "##" pieces of a word together
    uint64_t seed = 12345;

    void validate() const;  // throws Error naming the bad option
    MaskingOptions masking() const { return {maskedLmProb, maxPredictionsPerSeq, wholeWordMask}; }
};

using TokenizedSentence = std::vector<int>;              // wordpiece ids, no specials
using TokenizedDocument = std::vector<TokenizedSentence>;

// Tokenizes every sentence with the engine tokenizer (WordPiece, [UNK] for unknown words); sentences
// that give no tokens and documents left empty are dropped, as the reference does.
// `progress(done, total)` is called after each document, for a progress bar over a large corpus.
std::vector<TokenizedDocument> tokenizeCorpus(const Corpus& corpus, const Tokenizer& tokenizer,
                                              const std::function<void(size_t, size_t)>& progress = {});

class ExampleBuilder {
public:
    // Looks up [CLS] [SEP] [MASK] in the vocab (Error if missing) and checks the options.
    ExampleBuilder(const Vocab& vocab, ExampleOptions options);

    // All examples of all dupe_factor passes, shuffled, as the reference's create_training_instances.
    std::vector<PretrainingExample> build(std::vector<TokenizedDocument> documents) const;

    // The reference's steps, public so tests can check them one at a time.
    // Instances for one document (create_instances_from_document).
    void addInstancesFromDocument(const std::vector<TokenizedDocument>& documents, size_t documentIndex,
                                  ExampleRng& rng, std::vector<PretrainingExample>& out) const;
    // Cuts tokens from the front or back (chosen at random) of the longer side until they fit.
    static void truncatePair(std::vector<int>& a, std::vector<int>& b, int maxTokens, ExampleRng& rng);
    // Masks [CLS] A [SEP] B [SEP] in place with the MlmMasker; fills the masked fields.
    void maskTokens(PretrainingExample& example, ExampleRng& rng) const;
    const MlmMasker& masker() const { return masker_; }

    const ExampleOptions& options() const { return options_; }

private:
    ExampleOptions options_;
    MlmMasker masker_;
    int vocabSize_ = 0;
    int clsId_ = 0;
    int sepId_ = 0;
};

} // namespace bertlab
