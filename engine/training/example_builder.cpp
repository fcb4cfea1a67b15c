// create_pretraining_data.py's pairing, truncation and masking, drawing from one seeded generator.
#include "training/example_builder.h"

#include "error.h"
#include "tokenizer.h"
#include "vocab.h"

#include <algorithm>
#include <cmath>

namespace bertlab {

void ExampleOptions::validate() const
{
    if (maxSeqLength < 5 || maxSeqLength > 8192)
        throw Error("max sequence length must be between 5 and 8192, got " + std::to_string(maxSeqLength));
    if (maxPredictionsPerSeq < 1 || maxPredictionsPerSeq > 8192)
        throw Error("max predictions per sequence must be between 1 and 8192, got " + std::to_string(maxPredictionsPerSeq));
    if (!(maskedLmProb > 0.0 && maskedLmProb <= 1.0))
        throw Error("masked LM probability must be in (0, 1], got " + std::to_string(maskedLmProb));
    if (!(shortSeqProb >= 0.0 && shortSeqProb <= 1.0))
        throw Error("short sequence probability must be in [0, 1], got " + std::to_string(shortSeqProb));
    if (dupeFactor < 1 || dupeFactor > 1000)
        throw Error("dupe factor must be between 1 and 1000, got " + std::to_string(dupeFactor));
}

double ExampleRng::random()
{
    return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

int64_t ExampleRng::randint(int64_t a, int64_t b)
{
    if (b < a) throw Error("internal error: empty random range");
    const uint64_t n = static_cast<uint64_t>(b - a) + 1;
    if (n == 0) return static_cast<int64_t>(engine_());  // the full 64-bit range
    const uint64_t threshold = (0 - n) % n;  // 2^64 mod n: draws below it would bias the result
    for (;;) {
        const uint64_t r = engine_();
        if (r >= threshold) return a + static_cast<int64_t>(r % n);
    }
}

std::vector<TokenizedDocument> tokenizeCorpus(const Corpus& corpus, const Tokenizer& tokenizer)
{
    std::vector<TokenizedDocument> documents;
    documents.reserve(corpus.documents.size());
    for (const auto& doc : corpus.documents) {
        TokenizedDocument tokenized;
        for (const auto& sentence : doc) {
            TokenizedSentence ids;
            for (const auto& piece : tokenizer.tokenize(sentence)) ids.push_back(piece.id);
            if (!ids.empty()) tokenized.push_back(std::move(ids));
        }
        if (!tokenized.empty()) documents.push_back(std::move(tokenized));
    }
    return documents;
}

ExampleBuilder::ExampleBuilder(const Vocab& vocab, ExampleOptions options) : options_(options)
{
    options_.validate();
    vocabSize_ = vocab.size();
    clsId_ = vocab.clsId();
    sepId_ = vocab.sepId();
    maskId_ = vocab.maskId();
    continuation_.resize(static_cast<size_t>(vocabSize_));
    for (int id = 0; id < vocabSize_; ++id) continuation_[static_cast<size_t>(id)] = vocab.token(id).rfind("##", 0) == 0;
}

std::vector<PretrainingExample> ExampleBuilder::build(std::vector<TokenizedDocument> documents) const
{
    // Empty sentences and documents carry nothing and would break the pairing: drop them.
    for (auto& doc : documents)
        doc.erase(std::remove_if(doc.begin(), doc.end(), [](const TokenizedSentence& s) { return s.empty(); }), doc.end());
    documents.erase(std::remove_if(documents.begin(), documents.end(),
                                   [](const TokenizedDocument& d) { return d.empty(); }),
                    documents.end());
    if (documents.empty()) throw Error("the corpus gives no tokens to build examples from");
    for (const auto& doc : documents)
        for (const auto& sentence : doc)
            for (int id : sentence)
                if (id < 0 || id >= vocabSize_)
                    throw Error("token id " + std::to_string(id) + " is outside the vocabulary of " +
                                std::to_string(vocabSize_));

    ExampleRng rng(options_.seed);
    rng.shuffle(documents);
    std::vector<PretrainingExample> examples;
    for (int pass = 0; pass < options_.dupeFactor; ++pass)
        for (size_t d = 0; d < documents.size(); ++d) addInstancesFromDocument(documents, d, rng, examples);
    rng.shuffle(examples);
    return examples;
}

void ExampleBuilder::addInstancesFromDocument(const std::vector<TokenizedDocument>& documents,
                                              size_t documentIndex, ExampleRng& rng,
                                              std::vector<PretrainingExample>& out) const
{
    const TokenizedDocument& document = documents[documentIndex];
    const int maxNumTokens = options_.maxSeqLength - 3;  // room for [CLS] [SEP] [SEP]
    // As in the reference, the (possibly short) target is drawn once per document and pass.
    int targetSeqLength = maxNumTokens;
    if (rng.random() < options_.shortSeqProb) targetSeqLength = static_cast<int>(rng.randint(2, maxNumTokens));

    std::vector<const TokenizedSentence*> chunk;
    int64_t chunkLength = 0;
    int64_t i = 0;
    const auto docSize = static_cast<int64_t>(document.size());
    while (i < docSize) {
        const TokenizedSentence& segment = document[static_cast<size_t>(i)];
        chunk.push_back(&segment);
        chunkLength += static_cast<int64_t>(segment.size());
        if (i == docSize - 1 || chunkLength >= targetSeqLength) {
            if (!chunk.empty()) {
                // A is a random number of whole sentences from the start of the chunk.
                int64_t aEnd = 1;
                if (chunk.size() >= 2) aEnd = rng.randint(1, static_cast<int64_t>(chunk.size()) - 1);
                std::vector<int> tokensA;
                for (int64_t j = 0; j < aEnd; ++j)
                    tokensA.insert(tokensA.end(), chunk[static_cast<size_t>(j)]->begin(), chunk[static_cast<size_t>(j)]->end());

                std::vector<int> tokensB;
                bool isRandomNext = false;
                if (chunk.size() == 1 || rng.random() < 0.5) {
                    isRandomNext = true;
                    const int64_t targetBLength = targetSeqLength - static_cast<int64_t>(tokensA.size());
                    // Ten tries at another document; with a single document the last draw stands.
                    int64_t randomDocumentIndex = 0;
                    for (int attempt = 0; attempt < 10; ++attempt) {
                        randomDocumentIndex = rng.randint(0, static_cast<int64_t>(documents.size()) - 1);
                        if (randomDocumentIndex != static_cast<int64_t>(documentIndex)) break;
                    }
                    const TokenizedDocument& randomDocument = documents[static_cast<size_t>(randomDocumentIndex)];
                    const int64_t randomStart = rng.randint(0, static_cast<int64_t>(randomDocument.size()) - 1);
                    for (size_t j = static_cast<size_t>(randomStart); j < randomDocument.size(); ++j) {
                        tokensB.insert(tokensB.end(), randomDocument[j].begin(), randomDocument[j].end());
                        if (static_cast<int64_t>(tokensB.size()) >= targetBLength) break;
                    }
                    // The sentences of the chunk that B did not use go back for the next chunk.
                    i -= static_cast<int64_t>(chunk.size()) - aEnd;
                } else {
                    for (size_t j = static_cast<size_t>(aEnd); j < chunk.size(); ++j)
                        tokensB.insert(tokensB.end(), chunk[j]->begin(), chunk[j]->end());
                }
                truncatePair(tokensA, tokensB, maxNumTokens, rng);

                PretrainingExample example;
                example.isRandomNext = isRandomNext;
                const size_t total = tokensA.size() + tokensB.size() + 3;
                example.inputIds.reserve(total);
                example.tokenTypeIds.reserve(total);
                example.inputIds.push_back(clsId_);
                example.tokenTypeIds.push_back(0);
                for (int id : tokensA) {
                    example.inputIds.push_back(id);
                    example.tokenTypeIds.push_back(0);
                }
                example.inputIds.push_back(sepId_);
                example.tokenTypeIds.push_back(0);
                for (int id : tokensB) {
                    example.inputIds.push_back(id);
                    example.tokenTypeIds.push_back(1);
                }
                example.inputIds.push_back(sepId_);
                example.tokenTypeIds.push_back(1);
                maskTokens(example, rng);
                out.push_back(std::move(example));
            }
            chunk.clear();
            chunkLength = 0;
        }
        ++i;
    }
}

void ExampleBuilder::truncatePair(std::vector<int>& a, std::vector<int>& b, int maxTokens, ExampleRng& rng)
{
    while (static_cast<int64_t>(a.size() + b.size()) > maxTokens) {
        std::vector<int>& longer = a.size() > b.size() ? a : b;
        // Cutting both ends alike avoids always losing the same side of a sentence.
        if (rng.random() < 0.5)
            longer.erase(longer.begin());
        else
            longer.pop_back();
    }
}

void ExampleBuilder::maskTokens(PretrainingExample& example, ExampleRng& rng) const
{
    const std::vector<int> original = example.inputIds;
    // Candidates are every position but [CLS] and [SEP]; with whole-word masking a "##" piece joins
    // the group of the piece before it.
    std::vector<std::vector<int>> candidates;
    for (size_t p = 0; p < original.size(); ++p) {
        const int id = original[p];
        if (id == clsId_ || id == sepId_) continue;
        if (options_.wholeWordMask && !candidates.empty() && continuation_[static_cast<size_t>(id)])
            candidates.back().push_back(static_cast<int>(p));
        else
            candidates.push_back({static_cast<int>(p)});
    }
    rng.shuffle(candidates);

    // Python's round() rounds halves to even, as nearbyint does in the default rounding mode.
    const auto rounded = static_cast<int>(std::nearbyint(static_cast<double>(original.size()) * options_.maskedLmProb));
    const int numToPredict = std::min(options_.maxPredictionsPerSeq, std::max(1, rounded));

    std::vector<std::pair<int, int>> masked;  // (position, original id)
    std::vector<bool> covered(original.size(), false);
    for (const auto& group : candidates) {
        if (static_cast<int>(masked.size()) >= numToPredict) break;
        if (static_cast<int>(masked.size() + group.size()) > numToPredict) continue;
        bool anyCovered = false;
        for (int p : group)
            if (covered[static_cast<size_t>(p)]) anyCovered = true;
        if (anyCovered) continue;
        for (int p : group) {
            covered[static_cast<size_t>(p)] = true;
            int replacement;
            if (rng.random() < 0.8) {
                replacement = maskId_;
            } else if (rng.random() < 0.5) {
                replacement = original[static_cast<size_t>(p)];
            } else {
                // Uniform over the whole vocabulary, as the reference (specials and [unused] included).
                replacement = static_cast<int>(rng.randint(0, vocabSize_ - 1));
            }
            example.inputIds[static_cast<size_t>(p)] = replacement;
            masked.emplace_back(p, original[static_cast<size_t>(p)]);
        }
    }
    std::sort(masked.begin(), masked.end());
    example.maskedPositions.clear();
    example.maskedIds.clear();
    for (const auto& [p, id] : masked) {
        example.maskedPositions.push_back(p);
        example.maskedIds.push_back(id);
    }
}

} // namespace bertlab
