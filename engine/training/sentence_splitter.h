// Reads a pretraining corpus into documents of sentences, splitting raw paragraphs into sentences.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bertlab {

// Splits running text into sentences: a sentence ends at . ! or ? (runs like "?!" or "..." count as
// one), optionally followed by closing quotes or brackets, when whitespace and then a capital letter,
// an opening quote or an opening bracket follow. A "." does not end a sentence after a common
// abbreviation (Mr. Dr. e.g. i.e. etc. ...), after a single letter (initials: "J. R. Smith"), or
// after a dotted form such as "U.S." Sentences are returned trimmed; newlines count as spaces.
std::vector<std::string> splitSentences(const std::string& text);

// The two corpus layouts a plain .txt may have.
enum class CorpusFormat {
    SentencePerLine,  // google-research/bert's: one sentence per line, a blank line between documents
    Paragraphs,       // running text, possibly hard-wrapped, paragraphs separated by blank lines
};

struct Corpus {
    // documents[d][s] is sentence s of document d; no document is empty, no sentence is empty.
    std::vector<std::vector<std::string>> documents;
    CorpusFormat format = CorpusFormat::SentencePerLine;
    int64_t sentenceCount() const;
};

// Guesses the layout: sentence-per-line when most lines hold exactly one sentence and end with
// sentence-final punctuation (or are short), paragraphs otherwise. See docs/pretraining-data.md.
CorpusFormat detectCorpusFormat(const std::string& text);

// Builds documents from a corpus text.
// SentencePerLine: every non-blank line is a sentence, a blank line ends the document.
// Paragraphs: the lines of a paragraph are joined and split with splitSentences(); a single blank
// line separates paragraphs of one document, two or more blank lines (or a form feed) end a
// document, so a book with no such breaks is one document.
Corpus parseCorpus(const std::string& text, CorpusFormat format);
Corpus parseCorpus(const std::string& text);  // detects the format first

// Reads a UTF-8 corpus file (BOM and CRLF allowed). Throws Error("PATH line N: invalid UTF-8")
// and Error when the file cannot be read or holds no text. Without a format, detects it.
Corpus readCorpus(const std::string& path, std::optional<CorpusFormat> format = std::nullopt);

} // namespace bertlab
