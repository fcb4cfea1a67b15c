// Tokenizes fine-tuning items: sentence (pair) encodings with one label, or word encodings with labels on first pieces.
#include "finetune/finetune_examples.h"

#include "error.h"
#include "finetune/word_encoding.h"
#include "tokenizer.h"

#include <map>

namespace bertlab {
namespace {

std::map<std::string, int> idsOf(const std::vector<std::string>& labels)
{
    std::map<std::string, int> ids;
    for (size_t i = 0; i < labels.size(); ++i) ids.emplace(labels[i], static_cast<int>(i));
    return ids;
}

void checkLength(int maxSeqLength)
{
    if (maxSeqLength < 3) throw Error("--max-seq-length must be at least 3 ([CLS], a token, [SEP])");
}

} // namespace

std::vector<FinetuneExample> sequenceExamples(const SequenceTaskData& data, const Tokenizer& tokenizer,
                                              const std::vector<std::string>& labels, int maxSeqLength)
{
    checkLength(maxSeqLength);
    checkLabels(data, labels);
    const auto ids = idsOf(labels);
    std::vector<FinetuneExample> out;
    out.reserve(data.items.size());
    for (const SequenceItem& item : data.items) {
        const bool pair = data.hasPairs && !item.textB.empty();
        Encoding e;
        try {
            e = tokenizer.encode(item.text, pair ? &item.textB : nullptr, maxSeqLength);
        } catch (const Error& error) {
            throw Error(data.path + ":" + std::to_string(item.line) + ": " + error.what());
        }
        out.push_back({std::move(e.ids), std::move(e.typeIds), {ids.at(item.label)}});
    }
    return out;
}

std::vector<FinetuneExample> tokenExamples(const TokenTaskData& data, const Tokenizer& tokenizer,
                                           const std::vector<std::string>& labels, int maxSeqLength,
                                           int* truncatedWords)
{
    checkLength(maxSeqLength);
    checkLabels(data, labels);
    const auto ids = idsOf(labels);
    std::vector<FinetuneExample> out;
    out.reserve(data.sentences.size());
    int lost = 0;
    for (const TokenSentence& s : data.sentences) {
        WordEncoding w;
        try {
            w = encodeWords(tokenizer, s.words, maxSeqLength);
        } catch (const Error& error) {
            throw Error(data.path + ":" + std::to_string(s.line) + ": " + error.what());
        }
        FinetuneExample e{std::move(w.encoding.ids), std::move(w.encoding.typeIds), {}};
        e.labels.assign(e.ids.size(), kIgnoredLabel);
        for (size_t i = 0; i < s.words.size(); ++i) {
            if (w.firstPiece[i] < 0) {
                ++lost;
                continue;
            }
            e.labels[static_cast<size_t>(w.firstPiece[i])] = ids.at(s.labels[i]);
        }
        out.push_back(std::move(e));
    }
    if (truncatedWords) *truncatedWords = lost;
    return out;
}

} // namespace bertlab
