// Encodes pre-split words for token tasks: each word's wordpieces, and where each word's first piece sits.
#pragma once

#include "tokenizer.h"

#include <string>
#include <vector>

namespace bertlab {

struct WordEncoding {
    Encoding encoding;            // [CLS] pieces of every word [SEP]
    std::vector<int> firstPiece;  // per word: its first wordpiece's position; -1 if truncated away
};

// Each word is tokenized on its own (as Hugging Face's is_split_into_words); a word that yields
// no piece at all (only control characters) becomes [UNK] so it keeps its label. With maxLength
// > 0 the pieces are cut to fit [CLS] .. [SEP] in maxLength; words that lose their first piece get
// -1. Throws Error on invalid UTF-8.
WordEncoding encodeWords(const Tokenizer& tokenizer, const std::vector<std::string>& words, int maxLength = 0);

// Whitespace-separated words of a typed text, as `classify --text` reads a token task's input.
std::vector<std::string> splitWords(const std::string& text);

} // namespace bertlab
