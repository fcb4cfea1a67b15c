// Word-level encoding for token classification: first-wordpiece positions, truncation that keeps [SEP].
#include "finetune/word_encoding.h"

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace bertlab {

WordEncoding encodeWords(const Tokenizer& tokenizer, const std::vector<std::string>& words, int maxLength)
{
    const Vocab& vocab = tokenizer.vocab();
    const int cls = vocab.clsId(), sep = vocab.sepId(), unk = vocab.unkId();
    const size_t room = maxLength > 0 ? static_cast<size_t>(std::max(0, maxLength - 2)) : SIZE_MAX;

    WordEncoding out;
    Encoding& e = out.encoding;
    const auto push = [&e](int id, const std::string& token, int segment, bool isSpecial) {
        e.ids.push_back(id);
        e.tokens.push_back(token);
        e.typeIds.push_back(0);
        e.offsets.emplace_back(-1, -1);
        e.segment.push_back(segment);
        e.specialMask.push_back(isSpecial);
    };
    push(cls, "[CLS]", -1, true);
    for (const std::string& word : words) {
        std::vector<WordPiece> pieces = tokenizer.tokenize(word);
        if (pieces.empty()) pieces.push_back({"[UNK]", unk, 0, 0});
        if (e.ids.size() - 1 >= room) {
            out.firstPiece.push_back(-1);
            e.truncated = true;
            continue;
        }
        out.firstPiece.push_back(e.size());
        for (const WordPiece& p : pieces) {
            if (e.ids.size() - 1 >= room) {
                e.truncated = true;
                break;
            }
            push(p.id, p.token, 0, false);
        }
    }
    push(sep, "[SEP]", -1, true);
    return out;
}

std::vector<std::string> splitWords(const std::string& text)
{
    std::istringstream in(text);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    return words;
}

} // namespace bertlab
