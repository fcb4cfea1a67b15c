// Pretraining examples from a corpus, following google-research/bert's create_pretraining_data.py.
#pragma once

#include "training/pretraining_example.h"
#include "training/sentence_splitter.h"

#include <cstdint>
#include <functional>
#include <random>
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
};

// The random source of the builder. Python's random.Random cannot be reproduced bit for bit, so
// every draw is defined here, independent of the C++ standard library's distributions (which differ
// between implementations): one std::mt19937_64 seeded with the seed; random() takes the top 53
// bits of one draw as a double in [0, 1); randint(a, b) is inclusive and unbiased (rejection
// sampling of one 64-bit draw); shuffle() is Fisher-Yates from the back, like random.shuffle.
// The builder draws in exactly the order the reference script does, so same seed, same corpus and
// same vocab give byte-identical output on every platform.
class ExampleRng {
public:
    explicit ExampleRng(uint64_t seed) : engine_(seed) {}
    double random();
    int64_t randint(int64_t a, int64_t b);
    template <typename T>
    void shuffle(std::vector<T>& items)
    {
        for (size_t i = items.size(); i > 1; --i) {
            const auto j = static_cast<size_t>(randint(0, static_cast<int64_t>(i) - 1));
            std::swap(items[i - 1], items[j]);
        }
    }

private:
    std::mt19937_64 engine_;
};

using TokenizedSentence = std::vector<int>;              // wordpiece ids, no specials
using TokenizedDocument = std::vector<TokenizedSentence>;

// Tokenizes every sentence with the engine tokenizer (WordPiece, [UNK] for unknown words); sentences
// that give no tokens and documents left empty are dropped, as the reference does.
std::vector<TokenizedDocument> tokenizeCorpus(const Corpus& corpus, const Tokenizer& tokenizer);

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
    // Masks [CLS] A [SEP] B [SEP] in place (create_masked_lm_predictions); fills the masked fields.
    void maskTokens(PretrainingExample& example, ExampleRng& rng) const;

    const ExampleOptions& options() const { return options_; }

private:
    ExampleOptions options_;
    int vocabSize_ = 0;
    int clsId_ = 0;
    int sepId_ = 0;
    int maskId_ = 0;
    std::vector<bool> continuation_;  // [V], token starts with "##"
};

} // namespace bertlab
