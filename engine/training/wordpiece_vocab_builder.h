// Builds a WordPiece vocabulary (vocab.txt) from a corpus, pre-split exactly as the engine tokenizer.
#pragma once

#include "training/sentence_splitter.h"
#include "vocab.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace bertlab {

class Tokenizer;

// Where the special tokens go.
//  Bert:    [PAD]=0, [unused0]..[unused98]=1..99, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103,
//           then learned tokens: the ids of Google's BERT vocabularies, so tools that assume them work.
//  Compact: [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4, then learned tokens.
//  Auto:    Bert when size >= 2000 (the 99 reserved slots then cost under 5%), Compact below.
enum class SpecialLayout { Auto, Bert, Compact };

struct VocabBuilderOptions {
    int size = 30522;          // exact number of tokens in the result
    bool lowerCase = true;     // uncased (lower-case + strip accents), as the tokenizer will run
    int minFrequency = 2;      // a merge must be seen at least this often
    SpecialLayout layout = SpecialLayout::Auto;
};

// The reserved tokens that open a vocabulary of `size` tokens under `layout`.
std::vector<std::string> reservedTokens(int size, SpecialLayout layout);

// The algorithm (a BPE-style merge over WordPiece segmentations, like Hugging Face tokenizers'
// WordPiece trainer): words are the engine tokenizer's basic tokens (Tokenizer::basicTokens, so
// punctuation splitting, lower-casing and accent stripping match inference exactly). Each word
// starts as its characters, the first plain and the rest "##"-prefixed; every such character joins
// the vocabulary (the most frequent ones only if they do not all fit). Then, repeatedly, the adjacent
// pair of pieces with the highest corpus frequency is merged into one new piece ("##" kept only when
// the left piece had it), ties broken by the byte order of the two pieces, until the vocabulary
// has `size` tokens. If the corpus runs out of pairs seen at least minFrequency times, the
// rest is filled with [unusedN] placeholders so the size is always exact.
// Since every character of the corpus is in the vocabulary in the form it needs (initial or "##"),
// the greedy longest-match WordPiece tokenizer never gives [UNK] on the training corpus (except for
// words over 100 characters, which BERT's tokenizer always maps to [UNK]).
//
// To keep the vocabulary of an existing model instead, use that model's Vocab (its vocab.txt).
class WordPieceVocabBuilder {
public:
    explicit WordPieceVocabBuilder(VocabBuilderOptions options);
    ~WordPieceVocabBuilder();

    // Counts the basic tokens of one text (a sentence, a line or a paragraph). Invalid UTF-8 throws.
    void addText(const std::string& text);
    void addCorpus(const Corpus& corpus);

    // Runs the merges; the counts stay, so build() may be called again.
    Vocab build() const;

    int64_t distinctWords() const { return static_cast<int64_t>(wordCounts_.size()); }
    int64_t totalWords() const { return totalWords_; }

private:
    VocabBuilderOptions options_;
    std::unique_ptr<Tokenizer> splitter_;  // basic tokenizer over a vocab of the special tokens
    std::unordered_map<std::string, int64_t> wordCounts_;
    int64_t totalWords_ = 0;
};

// Convenience: counts a whole corpus and builds.
Vocab buildWordPieceVocab(const Corpus& corpus, const VocabBuilderOptions& options);

} // namespace bertlab
