// create_pretraining_data.py's pairing, truncation and masking, drawing from one seeded generator.
#include "training/example_builder.h"

#include "error.h"
#include "tokenizer.h"
#include "vocab.h"

#include <algorithm>

namespace bertlab {

void ExampleOptions::validate() const
{
    if (maxSeqLength < 5 || maxSeqLength > 8192)
        throw Error("max sequence length must be between 5 and 8192, got " + std::to_string(maxSeqLength));
    masking().validate();
    if (!(shortSeqProb >= 0.0 && shortSeqProb <= 1.0))
        throw Error("short sequence probability must be in [0, 1], got " + std::to_string(shortSeqProb));
    if (dupeFactor < 1 || dupeFactor > 1000)
        throw Error("dupe factor must be between 1 and 1000, got " + std::to_string(dupeFactor));
}

std::vector<TokenizedDocument> tokenizeCorpus(const Corpus& corpus, const Tokenizer& tokenizer,
                                              const std::function<void(size_t, size_t)>& progress)
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
        if (progress) progress(static_cast<size_t>(&doc - corpus.documents.data()) + 1, corpus.documents.size());
    }
    return documents;
}

ExampleBuilder::ExampleBuilder(const Vocab& vocab, ExampleOptions options)
    : options_((options.validate(), options)), masker_(vocab, options_.masking())
{
    vocabSize_ = vocab.size();
    clsId_ = vocab.clsId();
    sepId_ = vocab.sepId();
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
    MaskedSequence masked = masker_.mask(example.inputIds, rng);
    example.inputIds = std::move(masked.inputIds);
    example.maskedPositions = std::move(masked.maskedPositions);
    example.maskedIds = std::move(masked.maskedIds);
}

} // namespace bertlab
