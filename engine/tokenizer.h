// BERT's tokenizer (basic split + greedy WordPiece), matching Hugging Face's BertTokenizer exactly.
#pragma once

#include "vocab.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace bertlab {

// One model input: [CLS] A [SEP] (B [SEP]) with everything the views need to point back at the text.
struct Encoding {
    std::vector<int> ids;
    std::vector<std::string> tokens;     // wordpieces, e.g. "[CLS]", "play", "##ing"
    std::vector<int> typeIds;            // 0 for [CLS] A [SEP], 1 for B [SEP]
    // Character span [begin, end) of each token in its own sentence, in Unicode code points as
    // Hugging Face's offsets count them; specials get {-1, -1}.
    std::vector<std::pair<int, int>> offsets;
    std::vector<int> segment;            // which text each token came from: 0 = A, 1 = B, -1 = special
    std::vector<bool> specialMask;       // true for [CLS]/[SEP] added by the encoder
    bool truncated = false;              // the pair was cut to fit maxLength (longest-first)
    int size() const { return static_cast<int>(ids.size()); }
};

// A wordpiece of a single text without specials, with its code-point span in that text.
struct WordPiece {
    std::string token;
    int id = 0;
    int begin = 0;
    int end = 0;
};

class Tokenizer {
public:
    // lowerCase = true for uncased vocabularies (lower-case + NFD accent stripping).
    Tokenizer(std::shared_ptr<const Vocab> vocab, bool lowerCase);

    // Basic tokenization + WordPiece of one text; no specials added. Invalid UTF-8 throws Error.
    std::vector<WordPiece> tokenize(const std::string& text) const;

    // [CLS] A [SEP] or [CLS] A [SEP] B [SEP], truncated longest-first to maxLength (0 = no limit).
    Encoding encode(const std::string& a, const std::string* b = nullptr, int maxLength = 0) const;

    // The basic (pre-WordPiece) tokens of a text, as HF's BasicTokenizer gives them.
    std::vector<std::string> basicTokens(const std::string& text) const;

    const Vocab& vocab() const { return *vocab_; }
    std::shared_ptr<const Vocab> sharedVocab() const { return vocab_; }
    bool lowerCase() const { return lowerCase_; }

    // Guesses lower-casing from the vocab: uncased vocabs have no upper-case ASCII word tokens.
    static bool vocabLooksUncased(const Vocab& vocab);

    // Tokens kept whole wherever they appear in the raw text (never split, never lower-cased).
    // Defaults to the vocab's [PAD] [UNK] [CLS] [SEP] [MASK], as Hugging Face does; an empty list
    // gives the classic BasicTokenizer without never_split. Every token must be in the vocab.
    void setNeverSplit(std::vector<std::string> tokens);
    const std::vector<std::string>& neverSplit() const { return neverSplit_; }

    static constexpr int kMaxWordChars = 100;  // longer words become [UNK], as in BERT

private:
    struct Normalized;  // the basic tokens with their alignment to the original text
    void normalize(const std::string& text, Normalized& out) const;

    std::shared_ptr<const Vocab> vocab_;
    bool lowerCase_;
    std::vector<std::string> neverSplit_;  // longest first, so the longest match wins
    std::array<bool, 256> neverSplitLead_{};  // first bytes of neverSplit_, a cheap pre-check
    int unkId_ = -1;
    size_t maxTokenBytes_ = 0;  // no vocab entry is longer, so longer candidates are skipped
};

} // namespace bertlab
